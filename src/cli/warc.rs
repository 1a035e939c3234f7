//! WARC and WET files (`.warc`, `.wet`, each optionally `.gz`): the text records are cleaned,
//! every other byte is kept.
//!
//! A record is a version line (`WARC/1.0`, `WARC/1.1`), header lines up to a blank line (CRLF
//! line ends), `Content-Length` bytes of block, then CRLF CRLF. The blocks of `conversion`
//! records (the text of a WET file) and of `resource` records whose `Content-Type` is
//! `text/plain` are cleaned like a text file; every other record is copied through byte for
//! byte, header and block. A cleaned record keeps its header lines byte for byte but two:
//! `Content-Length` is rewritten with the new length, and `WARC-Block-Digest` and
//! `WARC-Payload-Digest` are dropped (they described the old block; recomputing SHA-1 would
//! need a dependency for a field readers do not require). A record that cleaning leaves as it
//! was is kept whole, digests included.
//!
//! A gzip input is read through its members; the output is written as one gzip member per
//! record, as Common Crawl writes them, so that a reader can seek to any record. A record that
//! cannot be framed (a bad version line, a missing or invalid `Content-Length`, a block cut
//! short, a record that does not end with CRLF CRLF) loses the framing of the rest of the file:
//! the file fails, named with the record's number and offset, and nothing is written for it.
//!
//! With `--to jsonl` the same records are read, and each text record is written as one JSONL
//! line instead (its id, target URI, date, identified language and cleaned text); the other
//! records are left out, so a dump changes format in the same pass that cleans it.

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::args::{CleanArgs, InputFormat};
use super::audit::{self, DocAudit};
use super::compression::{self, Compression, Encoder};
use super::job::{decode, record_name, record_quarantined, Audited, Decoded, Destination};
use super::job::{Outcome, Shared};
use super::output::Output;
use super::summary::Summary;

/// The longest header (version line and header lines) read: a file whose record header runs
/// longer is no WARC file.
const MAX_HEADER: u64 = 1 << 20;

/// What ends every record after its block.
const TRAILER: &[u8] = b"\r\n\r\n";

/// `--to jsonl` reads every input as WARC: `--format warc` is implied, and another `--format`
/// is refused.
pub fn read_as_warc_for_to(args: &mut CleanArgs) -> std::result::Result<(), String> {
    if args.to.is_none() {
        return Ok(());
    }
    match args.format {
        None | Some(InputFormat::Warc) => {
            args.format = Some(InputFormat::Warc);
            Ok(())
        }
        Some(other) => Err(format!(
            "--to jsonl converts WARC and WET input; it cannot read --format {}",
            match other {
                InputFormat::Text => "text",
                InputFormat::Jsonl => "jsonl",
                InputFormat::Warc => "warc",
                InputFormat::Parquet => "parquet",
            }
        )),
    }
}

/// The name of a WARC file's JSONL output (`--to jsonl -o DIR`): `.warc`, `.wet` or both
/// replaced by `.jsonl`, compressed as `compress` says, else as the input's name says
/// (`CC-MAIN-1.warc.wet.gz` gives `CC-MAIN-1.jsonl.gz`).
pub fn jsonl_name(path: &Path, compress: Option<Compression>) -> PathBuf {
    let found = Compression::of_name(path);
    let mut base = match found {
        Compression::None => path.to_path_buf(),
        _ => path.with_extension(""),
    };
    while base
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("warc") || e.eq_ignore_ascii_case("wet"))
    {
        base = base.with_extension("");
    }
    let mut name = base.into_os_string();
    name.push(".jsonl");
    compress.unwrap_or(found).rename(Path::new(&name))
}

/// How [`rewrite`] writes the records it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// WARC records, each a gzip member of its own when `gzip`.
    Warc { gzip: bool },
    /// A JSONL line per text record (`--to jsonl`).
    Jsonl,
}

/// Clean the WARC file `src` into `dst`: the totals, what to print on stdout (the cleaned
/// file, uncompressed WARC or JSONL as `--compress` says, or a dry run's diffs) and the
/// records' audit entries. Problems are reported, never returned.
pub fn process(ctx: &Shared, src: &Path, dst: &Destination) -> Result<Outcome> {
    let failed = |message: String| Ok(ctx.failed(src, message));
    let (input, found) = match ctx.open_stream(src) {
        Ok(opened) => opened,
        Err(outcome) => return Ok(*outcome),
    };
    let mut tally = Tally::new(ctx);
    let form = match ctx.to_jsonl {
        true => Form::Jsonl,
        false => Form::Warc { gzip: false },
    };
    let rewritten = match dst {
        Destination::Stdout => {
            let mut out = Vec::new();
            rewrite(&mut tally, src, input, &mut out, form, None)
                .and_then(|()| packed(ctx, out).map_err(Failure::Write))
        }
        Destination::Diff => {
            let mut diffs = Vec::new();
            let sink = &mut io::sink();
            rewrite(&mut tally, src, input, sink, form, Some(&mut diffs)).map(|()| diffs)
        }
        Destination::File(path) => match ctx.outputs.create(path) {
            Ok(output) => {
                let compression = Compression::of_name(path);
                into_output(&mut tally, src, input, output, compression, false)
            }
            Err(err) => Err(Failure::Write(err)),
        },
        Destination::InPlace => match Output::replace(src) {
            Ok(output) => into_output(&mut tally, src, input, output, found, true),
            Err(err) => Err(Failure::Write(err)),
        },
    };
    match rewritten {
        Ok(stdout) => Ok(tally.outcome(stdout)),
        Err(Failure::Read(err) | Failure::Write(err))
            if err.kind() == io::ErrorKind::Interrupted =>
        {
            Ok(Outcome::default())
        }
        Err(Failure::Malformed(why)) => failed(format!("{why}; nothing written for this file")),
        Err(Failure::Read(err)) => failed(format!("cannot read: {err}; nothing written")),
        Err(Failure::Write(err)) => {
            let target = match dst {
                Destination::File(path) => path.display().to_string(),
                _ => src.display().to_string(),
            };
            failed(format!("cannot write {target}: {err}"))
        }
        Err(Failure::Failed) => Ok(Outcome::failed()),
    }
}

/// What goes to stdout: WARC uncompressed; JSONL compressed as `--compress` says.
fn packed(ctx: &Shared, out: Vec<u8>) -> io::Result<Vec<u8>> {
    match (ctx.to_jsonl, ctx.compress) {
        (true, Some(compress)) => Ok(compression::pack(&out, compress)?.into_owned()),
        _ => Ok(out),
    }
}

/// Clean a WARC stream from stdin (`input`, decompressed) to stdout, uncompressed WARC or (with
/// `--to jsonl`) JSONL as `--compress` says, or, in a dry run, the diffs.
pub fn process_stdin(
    ctx: &Shared,
    input: Box<dyn BufRead + Send>,
    dry_run: bool,
) -> Result<Outcome> {
    let name = Path::new("<stdin>");
    let mut tally = Tally::new(ctx);
    let mut out = Vec::new();
    let form = match ctx.to_jsonl {
        true => Form::Jsonl,
        false => Form::Warc { gzip: false },
    };
    let rewritten = match dry_run {
        true => rewrite(
            &mut tally,
            name,
            input,
            &mut io::sink(),
            form,
            Some(&mut out),
        ),
        false => rewrite(&mut tally, name, input, &mut out, form, None),
    };
    match rewritten {
        Ok(()) if dry_run => Ok(tally.outcome(out)),
        Ok(()) => {
            let out = packed(ctx, out).context("compressing stdout")?;
            Ok(tally.outcome(out))
        }
        Err(Failure::Malformed(why)) => {
            ctx.messages
                .error(name, format_args!("{why}; nothing written"));
            Ok(Outcome::failed())
        }
        Err(Failure::Failed) => Ok(Outcome::failed()),
        Err(Failure::Read(err) | Failure::Write(err)) => Err(err).context("reading stdin"),
    }
}

/// Rewrite into `output`, compressed as `compression` says (WARC in gzip: a member per record),
/// and rename it into place; in place, only when something changed.
fn into_output(
    tally: &mut Tally,
    src: &Path,
    input: Box<dyn BufRead + Send>,
    output: Output,
    compression: Compression,
    in_place: bool,
) -> Result<Vec<u8>, Failure> {
    let (form, whole) = match (tally.ctx.to_jsonl, compression) {
        (true, _) => (Form::Jsonl, compression),
        (false, Compression::Gzip) => (Form::Warc { gzip: true }, Compression::None),
        (false, _) => (Form::Warc { gzip: false }, compression),
    };
    let mut out = Encoder::new(output.file(), whole).map_err(Failure::Write)?;
    rewrite(tally, src, input, &mut out, form, None)?;
    out.finish().map_err(Failure::Write)?;
    if in_place && tally.summary.different == 0 {
        return Ok(Vec::new());
    }
    output.commit().map_err(Failure::Write)?;
    Ok(Vec::new())
}

/// The records of one file as they are cleaned: the job, and what they add up to.
struct Tally<'a> {
    ctx: &'a Shared<'a>,
    summary: Summary,
    /// Their audit entries (with `--report`).
    entries: Option<audit::Entries>,
}

impl<'a> Tally<'a> {
    fn new(ctx: &'a Shared<'a>) -> Tally<'a> {
        Tally {
            ctx,
            summary: Summary::default(),
            entries: ctx.entries(),
        }
    }

    /// The file's outcome, with `stdout` to print.
    fn outcome(self, stdout: Vec<u8>) -> Outcome {
        Outcome {
            summary: self.summary,
            stdout,
            audit: self.entries.map(Audited::Records),
        }
    }

    /// Add a record's audit entry, if one is kept.
    fn audit(&mut self, doc: Option<DocAudit>) {
        if let (Some(entries), Some(doc)) = (&mut self.entries, doc) {
            entries.add(doc);
        }
    }
}

/// Why a file could not be rewritten.
enum Failure {
    /// The framing is lost (the message names the record).
    Malformed(String),
    Read(io::Error),
    Write(io::Error),
    /// Reported already (a record's text under `--invalid-utf8 error`).
    Failed,
}

/// The parts of a record's header that decide what is done with it.
#[derive(Default)]
struct Header {
    content_length: u64,
    warc_type: String,
    content_type: String,
    id: Option<String>,
    uri: Option<String>,
    date: Option<String>,
    language: Option<String>,
}

impl Header {
    /// Parse `head` (the version line and header lines, with the blank line that ends them).
    fn parse(head: &[u8]) -> std::result::Result<Header, String> {
        let mut lines = head.split_inclusive(|&b| b == b'\n');
        let version = lines.next().unwrap_or_default();
        if !is_version_line(version) {
            let shown = String::from_utf8_lossy(&version[..version.len().min(40)]);
            return Err(format!(
                "not a WARC record: it starts with {shown:?}, not a version line such as \
                 \"WARC/1.0\""
            ));
        }
        let mut header = Header::default();
        let mut length = None;
        for line in lines {
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                continue;
            };
            let name = String::from_utf8_lossy(&line[..colon]);
            let value = String::from_utf8_lossy(&line[colon + 1..])
                .trim()
                .to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = Some(value),
                "warc-type" => header.warc_type = value,
                "content-type" => header.content_type = value,
                "warc-record-id" => header.id = Some(value),
                "warc-target-uri" => header.uri = Some(value),
                "warc-date" => header.date = Some(value),
                "warc-identified-content-language" => header.language = Some(value),
                _ => {}
            }
        }
        let length = length.ok_or("no Content-Length header")?;
        header.content_length = match length.bytes().all(|b| b.is_ascii_digit()) {
            true => length.parse().ok(),
            false => None,
        }
        .ok_or_else(|| format!("invalid Content-Length {length:?}"))?;
        Ok(header)
    }

    /// Whether the block is text to clean: a `conversion` record, or a `resource` record of
    /// type `text/plain`.
    fn is_text(&self) -> bool {
        let media = self.content_type.split(';').next().unwrap_or("").trim();
        self.warc_type.eq_ignore_ascii_case("conversion")
            || (self.warc_type.eq_ignore_ascii_case("resource")
                && media.eq_ignore_ascii_case("text/plain"))
    }
}

/// `WARC/` and a version (`1.0`, `1.1`), then CRLF.
fn is_version_line(line: &[u8]) -> bool {
    let Some(version) = line
        .strip_prefix(b"WARC/")
        .and_then(|rest| rest.strip_suffix(b"\r\n"))
    else {
        return false;
    };
    let mut parts = version.split(|&b| b == b'.');
    let number = |part: Option<&[u8]>| {
        part.is_some_and(|p| !p.is_empty() && p.iter().all(u8::is_ascii_digit))
    };
    number(parts.next()) && number(parts.next()) && parts.next().is_none()
}

/// Read one record's header (version line to blank line, inclusive); `None` at the end of the
/// stream.
fn read_head(input: &mut impl BufRead) -> std::result::Result<Option<Vec<u8>>, Failure> {
    let mut head = Vec::new();
    let mut limited = input.take(MAX_HEADER);
    loop {
        let start = head.len();
        let n = limited
            .read_until(b'\n', &mut head)
            .map_err(Failure::Read)?;
        if n == 0 {
            return match head.is_empty() {
                true => Ok(None),
                false if head.len() as u64 >= MAX_HEADER => Err(Failure::Malformed(format!(
                    "a header longer than {MAX_HEADER} bytes"
                ))),
                false => Err(Failure::Malformed(
                    "the file ends inside a record's header".into(),
                )),
            };
        }
        let line = &head[start..];
        if start == 0 && !is_version_line(line) {
            // Reported by the parse, with what was found.
            return Ok(Some(head));
        }
        if line == b"\r\n" || line == b"\n" {
            return Ok(Some(head));
        }
    }
}

/// `head` with its `Content-Length` set to `length` and its digests dropped: every other line
/// is kept byte for byte, the header names as they were spelled.
fn rewrite_head(head: &[u8], length: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len());
    let mut dropping = false;
    for line in head.split_inclusive(|&b| b == b'\n') {
        // A continuation line (folded header) belongs to the line before it.
        if matches!(line.first(), Some(b' ' | b'\t')) && line.len() > 2 {
            if !dropping {
                out.extend_from_slice(line);
            }
            continue;
        }
        dropping = false;
        let name = match line.iter().position(|&b| b == b':') {
            Some(colon) => &line[..colon],
            None => {
                out.extend_from_slice(line);
                continue;
            }
        };
        let name_is = |wanted: &str| name.trim_ascii().eq_ignore_ascii_case(wanted.as_bytes());
        if name_is("WARC-Block-Digest") || name_is("WARC-Payload-Digest") {
            dropping = true;
        } else if name_is("Content-Length") {
            out.extend_from_slice(name);
            out.extend_from_slice(format!(": {length}\r\n").as_bytes());
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Read the CRLF CRLF that ends a record.
fn read_trailer(input: &mut impl Read) -> std::result::Result<(), Failure> {
    let mut trailer = [0u8; 4];
    match input.read_exact(&mut trailer) {
        Ok(()) if trailer == TRAILER => Ok(()),
        Ok(()) => Err(Failure::Malformed(
            "its block is not followed by CRLF CRLF: the Content-Length is wrong".into(),
        )),
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => Err(Failure::Malformed(
            "the file ends before the CRLF CRLF that closes the record (truncated)".into(),
        )),
        Err(err) => Err(Failure::Read(err)),
    }
}

/// A record as read: its number (from 1), header bytes (version line to blank line), what they
/// say, and its block.
struct Record {
    number: u64,
    head: Vec<u8>,
    header: Header,
    block: Vec<u8>,
}

/// The records of a WARC stream, one after the other, their framing checked.
struct Records<R> {
    input: R,
    /// Records read.
    number: u64,
    /// Where the next record starts in the decompressed stream.
    offset: u64,
}

impl<R: BufRead> Records<R> {
    fn new(input: R) -> Records<R> {
        Records {
            input,
            number: 0,
            offset: 0,
        }
    }

    /// The next record, `None` at the end of the stream; a record that cannot be framed is
    /// `Malformed`, named by its number and offset.
    fn next(&mut self) -> std::result::Result<Option<Record>, Failure> {
        self.number += 1;
        let (number, offset) = (self.number, self.offset);
        let at = |why: &str| {
            Failure::Malformed(format!(
                "record {number} (at byte {offset} of the decompressed stream): {why}"
            ))
        };
        let head = match read_head(&mut self.input) {
            Ok(Some(head)) => head,
            Ok(None) => return Ok(None),
            Err(Failure::Malformed(why)) => return Err(at(&why)),
            Err(failure) => return Err(failure),
        };
        let header = Header::parse(&head).map_err(|why| at(&why))?;
        let length = header.content_length;
        let mut block = Vec::new();
        match (&mut self.input).take(length).read_to_end(&mut block) {
            Ok(n) if n as u64 == length => {}
            Ok(n) => {
                return Err(at(&format!(
                    "its Content-Length is {length} but the file ends {n} bytes into its block \
                     (truncated)"
                )))
            }
            Err(err) => return Err(Failure::Read(err)),
        }
        match read_trailer(&mut self.input) {
            Err(Failure::Malformed(why)) => return Err(at(&why)),
            other => other?,
        }
        self.offset += head.len() as u64 + length + TRAILER.len() as u64;
        Ok(Some(Record {
            number,
            head,
            header,
            block,
        }))
    }
}

/// A text record as `mine` and `clean --learn` read it.
pub struct TextRecord {
    /// Its name in samples: `PATH:ID` (see [`record_name`]).
    pub name: String,
    /// Its `WARC-Target-URI`.
    pub uri: Option<String>,
    /// Its block, read as text (invalid UTF-8 replaced).
    pub text: String,
}

/// Hand each text record of the WARC stream `input` (decompressed) of the file `src` to `f`, in
/// order; a block with a NUL byte (binary, which `clean` keeps as it is) is left out. `Err`
/// says why the rest of the file could not be read.
pub fn text_records(
    src: &Path,
    input: impl BufRead,
    mut f: impl FnMut(TextRecord),
) -> std::result::Result<(), String> {
    let mut records = Records::new(input);
    loop {
        let record = match records.next() {
            Ok(Some(record)) => record,
            Ok(None) => return Ok(()),
            Err(Failure::Malformed(why)) => return Err(why),
            Err(Failure::Read(err) | Failure::Write(err)) => {
                return Err(format!("cannot read: {err}"))
            }
            Err(Failure::Failed) => return Err("cannot read".into()),
        };
        if !record.header.is_text() || memchr::memchr(0, &record.block).is_some() {
            continue;
        }
        let name = record_name(src, record.number, record.header.id.as_deref());
        f(TextRecord {
            name: name.display().to_string(),
            uri: record.header.uri,
            text: String::from_utf8_lossy(&record.block).into_owned(),
        });
    }
}

/// Write a record's parts as they are, as a gzip member of its own when the form says so; in
/// JSONL nothing (a record not made into a line is left out).
fn write_record(out: &mut impl Write, form: Form, parts: &[&[u8]]) -> io::Result<()> {
    let gzip = match form {
        Form::Warc { gzip } => gzip,
        Form::Jsonl => return Ok(()),
    };
    if gzip {
        let mut member = flate2::write::GzEncoder::new(&mut *out, flate2::Compression::default());
        for part in parts {
            member.write_all(part)?;
        }
        member.finish()?;
    } else {
        for part in parts {
            out.write_all(part)?;
        }
    }
    Ok(())
}

/// A text record's JSONL line (`--to jsonl`), fields in this order.
#[derive(serde::Serialize)]
struct Line<'a> {
    id: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
    language: Option<&'a str>,
    text: &'a str,
}

/// Write the JSONL line of a text record whose block was `block` and whose text is `text`. The
/// text ends with a newline only if the block did (as a JSONL field keeps its own): the
/// cleaner ends every text with one.
fn write_line(out: &mut impl Write, header: &Header, block: &[u8], text: &str) -> io::Result<()> {
    let text = match block.ends_with(b"\n") {
        true => text,
        false => text.strip_suffix('\n').unwrap_or(text),
    };
    let line = Line {
        id: header.id.as_deref(),
        url: header.uri.as_deref(),
        date: header.date.as_deref(),
        language: header.language.as_deref(),
        text,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// Read every record of `input`, clean the text ones, and write them all to `out` in `form`;
/// a dry run writes the diffs of the changed records to `diffs`. The records are counted in
/// `tally`.
fn rewrite(
    tally: &mut Tally,
    src: &Path,
    input: impl BufRead,
    out: &mut impl Write,
    form: Form,
    mut diffs: Option<&mut Vec<u8>>,
) -> std::result::Result<(), Failure> {
    let ctx = tally.ctx;
    let mut records = Records::new(input);
    while let Some(Record {
        number,
        head,
        header,
        block,
    }) = records.next()?
    {
        let id = header.id.as_deref();
        let about = |what: &str| match &header.uri {
            Some(uri) => format!("{uri}: {what}"),
            None => what.to_string(),
        };
        let text = header.is_text() && header.content_length <= ctx.max_doc_bytes;
        if header.is_text() && !text {
            let why = format!("over --max-doc-bytes {}; kept as it was", ctx.max_doc_bytes);
            ctx.messages.warn_record(src, number, id, about(&why));
            tally.summary.skipped += 1;
        }
        ctx.messages.records_done(1);
        if !text {
            write_record(out, form, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
            continue;
        }
        let decoded = match decode(&block, ctx.invalid_utf8) {
            Decoded::Text(text, warning) => {
                if let Some(warning) = warning {
                    ctx.messages.warn_record(src, number, id, about(&warning));
                }
                text
            }
            Decoded::Skip(why) => {
                ctx.messages
                    .warn_record(src, number, id, about(&format!("{why}; kept as it was")));
                tally.summary.skipped += 1;
                write_record(out, form, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
                continue;
            }
            Decoded::Fail(why) => {
                ctx.messages.error_record(
                    src,
                    number,
                    id,
                    about(&format!("{why}; nothing written for this file")),
                );
                return Err(Failure::Failed);
            }
        };
        let learned = ctx
            .learning
            .as_ref()
            .and_then(|l| l.for_warc_record(src, header.uri.as_deref()));
        let cleaned = ctx.cleaner.clean_with(&decoded, learned);
        let name = || record_name(src, number, id);
        if let Some(share) = ctx.over_max_removed(&decoded, &cleaned) {
            ctx.messages
                .warn_record(src, number, id, about(&record_quarantined(share)));
            let summary = &mut tally.summary;
            let audit = ctx.count_quarantined(summary, &name(), &decoded, &cleaned, share);
            tally.audit(audit);
            match form {
                Form::Jsonl => write_line(out, &header, &block, &decoded),
                Form::Warc { .. } => write_record(out, form, &[&head, &block, TRAILER]),
            }
            .map_err(Failure::Write)?;
            continue;
        }
        let audit = ctx.count_cleaned(&mut tally.summary, name, &block, &decoded, &cleaned);
        tally.audit(audit);
        let cleaned_bytes = cleaned.text.as_bytes();
        let changed = cleaned_bytes != block.as_slice();
        if changed {
            tally.summary.different += 1;
            if let Some(diffs) = diffs.as_deref_mut() {
                let name = record_name(src, number, id);
                diffs.extend(ctx.diff.render(name.as_os_str(), &block, &cleaned));
            }
        }
        let written = match form {
            Form::Jsonl if cleaned.text.is_empty() && ctx.records.drops_empty() => {
                tally.summary.dropped_empty += 1;
                Ok(())
            }
            Form::Jsonl => write_line(out, &header, &block, &cleaned.text),
            Form::Warc { .. } if !changed => write_record(out, form, &[&head, &block, TRAILER]),
            Form::Warc { .. } => {
                let head = rewrite_head(&head, cleaned_bytes.len());
                write_record(out, form, &[&head, cleaned_bytes, TRAILER])
            }
        };
        written.map_err(Failure::Write)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines() {
        let cases: [(&[u8], bool); 8] = [
            (b"WARC/1.0\r\n", true),
            (b"WARC/1.1\r\n", true),
            (b"WARC/0.18\r\n", true),
            (b"WARC/1.0\n", false),
            (b"WARC/1\r\n", false),
            (b"WARC/1.0.1\r\n", false),
            (b"warc/1.0\r\n", false),
            (b"HTTP/1.1 200 OK\r\n", false),
        ];
        for (line, want) in cases {
            assert_eq!(
                is_version_line(line),
                want,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn jsonl_names_replace_the_warc_extensions_and_keep_or_set_the_compression() {
        let cases = [
            ("out/CC-MAIN-1.warc.wet.gz", None, "out/CC-MAIN-1.jsonl.gz"),
            (
                "out/CC-MAIN-1.warc.wet.gz",
                Some(Compression::Zstd),
                "out/CC-MAIN-1.jsonl.zst",
            ),
            ("out/a.warc", None, "out/a.jsonl"),
            ("out/a.WET", Some(Compression::Gzip), "out/a.jsonl.gz"),
            ("out/a.wet.gz", Some(Compression::None), "out/a.jsonl"),
            ("out/dump.bin", None, "out/dump.bin.jsonl"),
        ];
        for (path, compress, want) in cases {
            assert_eq!(
                jsonl_name(Path::new(path), compress),
                Path::new(want),
                "{path}"
            );
        }
    }

    #[test]
    fn a_cleaned_head_keeps_every_line_but_the_length_and_the_digests() {
        let head = b"WARC/1.0\r\nWARC-Type: conversion\r\ncontent-length: 120\r\n\
            WARC-Block-Digest: sha1:ABC\r\n  folded\r\nX-Kept:  odd  spacing \r\n\r\n";
        let want = b"WARC/1.0\r\nWARC-Type: conversion\r\ncontent-length: 7\r\n\
            X-Kept:  odd  spacing \r\n\r\n";
        let got = rewrite_head(head, 7);
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(want));
    }

    #[test]
    fn headers_are_parsed_whatever_their_case() {
        let head =
            b"WARC/1.1\r\nwarc-type: resource\r\nContent-Type: text/plain; charset=utf-8\r\n\
            Content-Length: 12\r\nWARC-Record-ID: <urn:uuid:1>\r\n\r\n";
        let header = Header::parse(head).unwrap();
        assert_eq!(header.content_length, 12);
        assert!(header.is_text());
        assert_eq!(header.id.as_deref(), Some("<urn:uuid:1>"));
        let bad = [
            (
                &b"WARC/1.0\r\nWARC-Type: conversion\r\n\r\n"[..],
                "no Content-Length",
            ),
            (
                b"WARC/1.0\r\nContent-Length: -3\r\n\r\n",
                "invalid Content-Length",
            ),
            (
                b"WARC/1.0\r\nContent-Length: \r\n\r\n",
                "invalid Content-Length",
            ),
            (b"HTTP/1.0\r\n\r\n", "not a WARC record"),
        ];
        for (head, want) in bad {
            let err = Header::parse(head).err().unwrap();
            assert!(err.contains(want), "{err}");
        }
    }
}
