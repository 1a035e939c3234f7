//! `clean` for JSONL inputs: stream records through the library's [`boilerstrip::jsonl`] in
//! bounded chunks.
//!
//! A reader thread decompresses and cuts the input into chunks (see [`super::chunks`]) of at most
//! 8,192 lines or about 4 MB (a longer line makes a chunk of its own); the records of a
//! chunk are cleaned in parallel, and written in input order while the next chunk is cleaned.
//! A chunk also ends, short, when the input pauses ([`ReadAhead::paused`]): then what has been
//! read is cleaned, written and flushed before the next line comes, so a co-process that writes
//! a record and waits for its answer gets it (on a fast input, chunks fill as before).
//! A chunk cleaned goes back to the reader, to be read into again.
//! Memory therefore stays flat whatever the input size, and the output is the same at any
//! thread count. Every input line gives exactly one output line (LF-terminated), except lines
//! dropped on request: records emptied under `--drop-empty`, and bad lines under
//! `--on-error skip`. Blank lines are passed through as they are. A line over `--max-doc-bytes`
//! is never held whole: under `--on-error keep` it ends its chunk and is streamed through after
//! it, in pieces, byte for byte; otherwise it is read past.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::sync::mpsc;

use anyhow::{Context, Result};
use boilerstrip::jsonl::{Record, RecordError};
use rayon::prelude::*;

use super::args::OnError;
use super::audit::{self, DocAudit};
use super::chunks::{read_chunks, Chunk, Input, AHEAD_BYTES};
use super::compression::{Compression, Encoder};
use super::interrupt;
use super::job::{record_name, record_quarantined, Audited, Destination, Outcome, Shared};
use super::output::Output;
use super::readahead::ReadAhead;
use super::summary::Summary;

/// Consecutive lines of a chunk, cleaned by one worker: the bytes to write for them, their
/// totals, and the bad lines among them for the writer to report in order. Everything a record
/// allocates while it is cleaned is freed by the worker that allocated it; only a part's few
/// buffers cross to the writer (frees across threads contend for the allocator's locks).
#[derive(Default)]
struct Part {
    /// The output of the part's lines: cleaned records, or in a dry run their diffs.
    out: Vec<u8>,
    /// Totals of the part's lines.
    summary: Summary,
    /// The bad lines, in order.
    bad: Vec<BadLine>,
    /// The records over `--max-removed`, left as they were, in order.
    held: Vec<Held>,
    /// The records' audit entries, in order (with `--report`).
    audits: Vec<DocAudit>,
    /// Lines of the part read: all of them, unless a bad line ended the stream.
    taken: u64,
    /// A bad line ended the stream (`--on-error fail`): it is the last of `bad`.
    stop: bool,
}

/// A line that could not be cleaned.
struct BadLine {
    /// Its line number in the input.
    line: u64,
    err: RecordError,
    /// Its id field, when it has one.
    id: Option<String>,
}

/// A record over `--max-removed`, passed through as it was.
struct Held {
    /// Its line number in the input.
    line: u64,
    /// Its id field, when it has one.
    id: Option<String>,
    /// The share of its text that cleaning would have removed.
    share: f64,
}

/// Clean the JSONL file `src` and deliver it to `dst`; returns the totals, what to print on
/// stdout (a dry run's diffs; cleaned records for stdout are written there directly) and the
/// records' audit entries. Problems with the file are reported and counted; only a failed
/// write to stdout is returned.
pub fn process(ctx: &Shared, src: &Path, dst: &Destination) -> Result<Outcome> {
    let failed = |message: String| Ok(ctx.failed(src, message));
    let (input, found) = match ctx.open_stream(src) {
        Ok(opened) => opened,
        Err(outcome) => return Ok(*outcome),
    };
    match dst {
        Destination::Stdout => {
            let compress = ctx.compress.unwrap_or(Compression::None);
            let mut out = Encoder::new(super::stdout()?.lock(), compress)?;
            let streamed = stream(ctx, src, input, &mut out, false)
                .and_then(|streamed| out.finish().map(|()| streamed))
                .context("writing to stdout")?;
            Ok(streamed)
        }
        Destination::Diff => {
            let mut diffs = Vec::new();
            let streamed = stream(ctx, src, input, &mut diffs, true)?;
            Ok(Outcome {
                stdout: diffs,
                ..streamed
            })
        }
        Destination::File(path) => {
            let compress = ctx.compress.unwrap_or_else(|| Compression::of_name(path));
            let written = ctx
                .outputs
                .create(path)
                .and_then(|output| clean_into(ctx, src, input, output, compress, false));
            match written {
                Ok(streamed) => Ok(streamed),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => Ok(Outcome::default()),
                Err(err) => failed(format!("cannot write {}: {err}", path.display())),
            }
        }
        Destination::InPlace => match Output::replace(src)
            .and_then(|output| clean_into(ctx, src, input, output, found, true))
        {
            Ok(streamed) => Ok(streamed),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Ok(Outcome::default()),
            Err(err) => failed(format!("cannot write: {err}")),
        },
    }
}

/// Clean JSONL from stdin (`input`, decompressed) to stdout (or, in a dry run, the diffs to
/// stdout).
pub fn process_stdin(
    ctx: &Shared,
    input: Box<dyn BufRead + Send>,
    dry_run: bool,
) -> Result<Outcome> {
    let name = Path::new("<stdin>");
    let compress = match dry_run {
        true => Compression::None,
        false => ctx.compress.unwrap_or(Compression::None),
    };
    let mut out = Encoder::new(super::stdout()?.lock(), compress)?;
    stream(ctx, name, input, &mut out, dry_run)
        .and_then(|streamed| out.finish().map(|()| streamed))
        .context("writing to stdout")
}

/// Stream `src` into `output`, renamed into place when the input was read whole (and, in
/// place, when something changed); otherwise dropped, which removes it.
fn clean_into(
    ctx: &Shared,
    src: &Path,
    input: Box<dyn BufRead + Send>,
    output: Output,
    compress: Compression,
    in_place: bool,
) -> io::Result<Outcome> {
    let mut out = Encoder::new(output.file(), compress)?;
    let streamed = stream(ctx, src, input, &mut out, false)?;
    out.finish()?;
    let summary = &streamed.summary;
    if summary.failed > 0 || (in_place && summary.different == 0) {
        return Ok(streamed);
    }
    output.commit()?;
    Ok(streamed)
}

/// Clean the records of `input` into `out`, chunk by chunk, or with `dry_run` write the diffs
/// of what would change; returns the totals and the records' audit entries. A read error or,
/// with `--on-error fail`, a bad record is reported and ends the stream with `failed` set in
/// the totals; a write error is returned.
fn stream(
    ctx: &Shared,
    name: &Path,
    input: Box<dyn BufRead + Send>,
    out: &mut dyn Write,
    dry_run: bool,
) -> io::Result<Outcome> {
    let summary = Summary {
        bad_records_action: Some(match ctx.on_error {
            OnError::Keep => "passed through unchanged",
            OnError::Skip => "skipped",
            OnError::Fail => "failed",
        }),
        ..Summary::default()
    };
    let mut writer = Writer {
        ctx,
        name,
        out,
        line: 0,
        summary,
        missing_field: None,
        shown: Default::default(),
        entries: ctx.entries(),
    };
    // One chunk waits in the channel while the next is read; the chunk cleaned last is written
    // (and its records counted and freed) while the next one is cleaned, so the workers do not
    // wait for the writer.
    let (tx, rx) = mpsc::sync_channel(1);
    // A chunk cleaned goes back to the reader, which reads into it again: a chunk's memory is
    // not allocated and faulted in anew each time.
    let (spent_tx, spent_rx) = mpsc::channel();
    let limit = ctx.max_doc_bytes;
    // A line over the limit is passed through under `--on-error keep`; a dry run shows no
    // line that is not cleaned.
    let pass_over = ctx.on_error == OnError::Keep && !dry_run;
    let reader = std::thread::spawn(move || {
        let input = ReadAhead::new(input, AHEAD_BYTES);
        read_chunks(input, limit, pass_over, &tx, &spent_rx);
    });
    let mut taken = 0u64; // lines of the chunks taken for cleaning so far
    let mut pending: Option<Vec<Part>> = None;
    let mut go_on = true;
    loop {
        let next = match rx.try_recv() {
            Ok(next) => next,
            Err(mpsc::TryRecvError::Disconnected) => break,
            Err(mpsc::TryRecvError::Empty) => {
                // Nothing more to clean yet, perhaps for long (a co-process waits for its
                // answer): what is cleaned goes out now.
                if let Some(cleaned) = pending.take() {
                    go_on = writer.write(cleaned)?;
                    if !go_on {
                        break;
                    }
                }
                writer.out.flush()?;
                match rx.recv() {
                    Ok(next) => next,
                    Err(mpsc::RecvError) => break,
                }
            }
        };
        if interrupt::interrupted().is_some() {
            // The output is abandoned: what is pending need not be written.
            pending = None;
            break;
        }
        let chunk = match next {
            Ok(Input::Chunk(chunk)) => chunk,
            Ok(Input::Piece(bytes)) => {
                // After the lines before it, the last of them the line the piece is of.
                if let Some(cleaned) = pending.take() {
                    go_on = writer.write(cleaned)?;
                    if !go_on {
                        break;
                    }
                }
                writer.out.write_all(&bytes)?;
                continue;
            }
            Err(err) => {
                if let Some(cleaned) = pending.take() {
                    go_on = writer.write(cleaned)?;
                }
                if go_on {
                    ctx.messages.error_record(
                        name,
                        writer.line + 1,
                        None,
                        format_args!("cannot read: {err}"),
                    );
                    writer.summary.failed = 1;
                }
                break;
            }
        };
        let first = taken + 1;
        taken += chunk.ends.len() as u64;
        let mut cleaned = Vec::new();
        let mut wrote = Ok(true);
        rayon::in_place_scope(|scope| {
            let (cleaned, spent) = (&mut cleaned, &spent_tx);
            scope.spawn(move |_| {
                *cleaned = clean_chunk(ctx, &chunk, first, name, dry_run);
                // The reader has stopped if this fails.
                let _ = spent.send(chunk);
            });
            if let Some(previous) = pending.take() {
                wrote = writer.write(previous);
            }
        });
        go_on = wrote?;
        if !go_on {
            break;
        }
        pending = Some(cleaned);
    }
    // A reader still sending stops now, and can be joined.
    drop(rx);
    if let Some(last) = pending.filter(|_| go_on) {
        writer.write(last)?;
    }
    for (&kind, &n) in &writer.shown {
        if n > WARNINGS_SHOWN && (kind == QUARANTINED || ctx.on_error != OnError::Fail) {
            ctx.messages.warn(
                name,
                format_args!(
                    "{} more {kind} lines not shown (the summary counts them all)",
                    n - WARNINGS_SHOWN
                ),
            );
        }
    }
    let mut summary = writer.summary;
    // A field no record has is a mistake in --field (a typo), not a batch of bad records.
    if let (0, Some(field)) = (summary.documents, &writer.missing_field) {
        if summary.failed == 0 {
            ctx.messages.error(
                name,
                format_args!(
                    "no record has the field {field:?}, so nothing was cleaned (--field names \
                     the field to clean; the default is \"text\")"
                ),
            );
            summary.failed = 1;
        }
    }
    // On an early end the reader stops at its next send; it is not waited for.
    if summary.failed == 0 {
        let _ = reader.join();
    }
    Ok(Outcome {
        summary,
        stdout: Vec::new(),
        audit: writer.entries.map(Audited::Records),
    })
}

/// Lines cleaned by one worker as one [`Part`]: enough to make its buffers few, few enough to
/// share a chunk out evenly.
const PART_LINES: usize = 64;

/// Clean the lines of one chunk in parallel, in parts; `first` is the number of its first line.
fn clean_chunk(ctx: &Shared, chunk: &Chunk, first: u64, name: &Path, dry_run: bool) -> Vec<Part> {
    let lines = chunk.lines();
    lines
        .par_chunks(PART_LINES)
        .enumerate()
        .map(|(n, lines)| {
            let at = n * PART_LINES;
            let over = |i: usize| chunk.over.binary_search(&(at + i)).is_ok();
            clean_part(ctx, name, lines, over, first + at as u64, dry_run)
        })
        .collect()
}

/// Clean consecutive `lines`, the first numbered `first`; `over(i)` tells whether the `i`th was
/// over `--max-doc-bytes` (and left out of memory).
fn clean_part(
    ctx: &Shared,
    name: &Path,
    lines: &[&[u8]],
    over: impl Fn(usize) -> bool,
    first: u64,
    dry_run: bool,
) -> Part {
    let mut part = Part {
        out: Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum()),
        ..Part::default()
    };
    for (i, &bytes) in lines.iter().enumerate() {
        let line = first + i as u64;
        part.taken += 1;
        let cleaned = match over(i) {
            true => Err(RecordError::TooLarge {
                limit: ctx.max_doc_bytes,
            }),
            false => clean_line(ctx, name, bytes, line, dry_run),
        };
        match cleaned {
            Ok(None) => {
                if !dry_run {
                    part.out.extend_from_slice(bytes);
                    part.out.push(b'\n');
                }
            }
            Ok(Some((record, diff))) => {
                if let Some(share) = ctx.over_max_removed(&record.text, &record.cleaned) {
                    let held = Held {
                        line,
                        id: record.id.clone(),
                        share,
                    };
                    part.hold(ctx, name, bytes, &record, held, dry_run);
                    continue;
                }
                let summary = &mut part.summary;
                let at = || record_name(name, line, record.id.as_deref());
                let text = &record.text;
                let audit = ctx.count_cleaned(summary, at, text.as_bytes(), text, &record.cleaned);
                part.audits.extend(audit);
                let same = record.line.as_deref().map(str::as_bytes) == Some(bytes);
                summary.different += u64::from(!same);
                match &record.line {
                    None => summary.dropped_empty += 1,
                    _ if dry_run => {}
                    Some(cleaned) => {
                        part.out.extend_from_slice(cleaned.as_bytes());
                        part.out.push(b'\n');
                    }
                }
                part.out.extend_from_slice(&diff);
            }
            Err(err) => {
                *part.summary.bad_records.entry(err.kind()).or_default() += 1;
                // A record over the limit is not in memory: passed through, it follows the
                // chunk in pieces.
                let too_large = matches!(err, RecordError::TooLarge { .. });
                if ctx.on_error == OnError::Keep && !too_large && !dry_run {
                    part.out.extend_from_slice(bytes);
                    part.out.push(b'\n');
                }
                let id = std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|l| ctx.records.record_id(l));
                part.bad.push(BadLine { line, err, id });
                if ctx.on_error == OnError::Fail {
                    part.stop = true;
                    break;
                }
            }
        }
    }
    part
}

impl Part {
    /// Pass the record over `--max-removed` of the line `bytes` of `name` through as it was
    /// (no diff in a dry run), and count it.
    fn hold(
        &mut self,
        ctx: &Shared,
        name: &Path,
        bytes: &[u8],
        record: &Record,
        held: Held,
        dry_run: bool,
    ) {
        let at = record_name(name, held.line, held.id.as_deref());
        let (text, cleaned) = (&record.text, &record.cleaned);
        let audit = ctx.count_quarantined(&mut self.summary, &at, text, cleaned, held.share);
        self.audits.extend(audit);
        if !dry_run {
            self.out.extend_from_slice(bytes);
            self.out.push(b'\n');
        }
        self.held.push(held);
    }
}

/// The kind under which records over `--max-removed` are counted among the warnings shown.
const QUARANTINED: &str = "quarantined";

/// Warnings of one kind shown per input; the rest are counted, and the summary has them all.
const WARNINGS_SHOWN: u64 = 5;

/// The writing end of a stream: where the records go, and what has been counted so far.
struct Writer<'a, 'o> {
    ctx: &'a Shared<'a>,
    name: &'a Path,
    out: &'o mut dyn Write,
    /// Lines written (or left out) so far.
    line: u64,
    summary: Summary,
    /// The field the first record without it named (for the error when no record has it).
    missing_field: Option<String>,
    /// Bad lines (and records over `--max-removed`) reported so far, by kind.
    shown: std::collections::BTreeMap<&'static str, u64>,
    /// The records' audit entries (with `--report`).
    entries: Option<audit::Entries>,
}

impl Writer<'_, '_> {
    /// Write the parts of one cleaned chunk in order, count them, and report their bad lines.
    /// Returns false when the stream must stop (`--on-error fail`).
    fn write(&mut self, parts: Vec<Part>) -> io::Result<bool> {
        let (ctx, name) = (self.ctx, self.name);
        let mut go_on = true;
        let taken: u64 = parts.iter().map(|part| part.taken).sum();
        ctx.messages.records_done(taken);
        for part in parts {
            let mut held = part.held.iter().peekable();
            for bad in &part.bad {
                while let Some(record) = held.next_if(|record| record.line < bad.line) {
                    self.warn_held(record);
                }
                let BadLine { line, err, id } = bad;
                let id = id.as_deref();
                if let RecordError::MissingField { field } = err {
                    self.missing_field.get_or_insert_with(|| field.clone());
                }
                // Counted already (`bad_records`): past a few of a kind, one line says how many
                // more there were, at the end.
                let shown = self.shown.entry(err.kind()).or_insert(0);
                *shown += 1;
                if *shown > WARNINGS_SHOWN && ctx.on_error != OnError::Fail {
                    continue;
                }
                let too_large = matches!(err, RecordError::TooLarge { .. });
                let why = if too_large { " (--max-doc-bytes)" } else { "" };
                match ctx.on_error {
                    OnError::Keep => ctx.messages.warn_record(
                        name,
                        *line,
                        id,
                        format_args!("{err}; passed through unchanged{why}"),
                    ),
                    OnError::Skip => ctx.messages.warn_record(
                        name,
                        *line,
                        id,
                        format_args!("{err}; skipped{why}"),
                    ),
                    OnError::Fail => ctx.messages.error_record(name, *line, id, err),
                }
            }
            held.for_each(|record| self.warn_held(record));
            if let Some(entries) = &mut self.entries {
                part.audits.into_iter().for_each(|doc| entries.add(doc));
            }
            self.out.write_all(&part.out)?;
            self.line += part.taken;
            self.summary = std::mem::take(&mut self.summary).merge(part.summary);
            if part.stop {
                self.summary.failed = 1;
                go_on = false;
                break;
            }
        }
        self.out.flush()?;
        Ok(go_on)
    }

    /// Warn of a record over `--max-removed` (past a few, they are only counted).
    fn warn_held(&mut self, record: &Held) {
        let shown = self.shown.entry(QUARANTINED).or_insert(0);
        *shown += 1;
        if *shown <= WARNINGS_SHOWN {
            let (line, id) = (record.line, record.id.as_deref());
            let why = record_quarantined(record.share);
            self.ctx.messages.warn_record(self.name, line, id, why);
        }
    }
}

/// Clean one line (in a worker thread): `None` for a blank line, else the record and, in a dry
/// run, its diff.
fn clean_line<'a>(
    ctx: &Shared,
    name: &Path,
    bytes: &'a [u8],
    line: u64,
    dry_run: bool,
) -> Result<Option<(Record<'a>, Vec<u8>)>, RecordError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let learned = ctx
        .learning
        .as_ref()
        .and_then(|l| l.for_record(name, bytes));
    let record = ctx.records.clean_bytes_with(ctx.cleaner, bytes, learned)?;
    let diff = if dry_run && record.changed() {
        let at = record_name(name, line, record.id.as_deref());
        ctx.diff
            .render(at.as_os_str(), record.text.as_bytes(), &record.cleaned)
    } else {
        Vec::new()
    };
    Ok(Some((record, diff)))
}
