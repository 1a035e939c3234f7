//! Parquet files (`.parquet`): the values of one string column (`--field`) are cleaned; every
//! other column, the schema with its metadata, the row order and the row groups are kept.
//!
//! [`table::rewrite`] is the whole format: it reads a file a batch of rows at a time (up to
//! [`table::BATCH_ROWS`] rows, fewer when they are long: about [`table::BATCH_BYTES`] at most),
//! hands each non-null value of the text column to a clean callback (in parallel, with rayon),
//! hands what it made of each value back in row order (to count and report), and writes the
//! batch with the column replaced. Memory stays bounded whatever the file's size: the reader
//! decodes a batch at a time, and the writer holds one row group, encoded, until it is flushed.
//! An input row group gives one output row group, unless its encoded output reaches
//! [`table::ROW_GROUP_BYTES`]: then it is cut there, so that a file written as one huge row group
//! does not make the writer hold it whole. Each column is compressed with the codec its first
//! column chunk in the input had (levels are not recorded in Parquet: the codec's default level
//! is used), and dictionary encoding is kept where the input had it. The file's key-value
//! metadata (pandas' and others) is written as it was; the Arrow schema is written as read.
//!
//! [`process`] and [`process_stdin`] fit it to `clean`: destinations, `--max-removed`,
//! `--max-doc-bytes`, dry-run diffs (named `PATH:ROW`, rows counted from 0), warnings, the
//! totals and the audit entries, where each cleaned value counts as a document.

use std::io::{self, IsTerminal, Read, Seek, Write};
use std::path::Path;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};
use parquet::errors::ParquetError;
use parquet::file::reader::ChunkReader;

use super::audit;
use super::interrupt;
use super::job::{record_name, record_quarantined, Audited, Destination, Outcome, Shared};
use super::learn::Learning;
use super::output::Output;
use super::summary::Summary;

mod table;

/// Warnings of one kind shown per file; the rest are counted, and the summary has them all.
const WARNINGS_SHOWN: u64 = 5;

pub use table::{read_rows, Columns, Failure, MAGIC};
use table::{rewrite, Cleaned, Row};

/// What `clean` made of one value.
enum Note {
    /// Over `--max-doc-bytes`: kept as it was.
    TooLarge,
    /// Over `--max-removed`: kept as it was; cleaning would have removed `share` of it.
    Quarantined {
        cleaned: boilerstrip::Cleaned,
        share: f64,
    },
    /// Cleaned; `changed` when its text differs (or the row is dropped); `dropped` when it came
    /// out empty under `--drop-empty`; in a dry run, the diff to print.
    Cleaned {
        cleaned: boilerstrip::Cleaned,
        changed: bool,
        dropped: bool,
        diff: Vec<u8>,
    },
}

impl Cleaned for Note {
    fn replacement(&self) -> Option<&str> {
        match self {
            Note::Cleaned {
                cleaned,
                changed: true,
                ..
            } => Some(&cleaned.text),
            _ => None,
        }
    }

    fn dropped(&self) -> bool {
        matches!(self, Note::Cleaned { dropped: true, .. })
    }
}

/// Rewrite `input` into `out` (`None`: a dry run, whose diffs go to `diffs`) as `clean`
/// cleans: the file's totals and the rows' audit entries (with `--report`).
fn clean_file<R: ChunkReader + 'static, W: Write + Send>(
    ctx: &Shared,
    src: &Path,
    input: R,
    out: Option<W>,
    diffs: &mut Vec<u8>,
) -> Result<(Summary, Option<audit::Entries>), Failure> {
    let field = ctx.records.field_path().to_string();
    let id = ctx.records.id_field_path().map(ToString::to_string);
    let learning = ctx.learning.as_ref();
    let columns = Columns {
        field: &field,
        group: learning.and_then(Learning::group_field),
        id: id.as_deref(),
    };
    let dry_run = out.is_none();
    let clean = |row: Row| {
        let text = row.text;
        if text.len() as u64 > ctx.max_doc_bytes {
            return Note::TooLarge;
        }
        let learned = learning.and_then(|l| l.for_parquet_row(src, row.group));
        let cleaned = ctx.cleaner.clean_with(text, learned);
        if let Some(share) = ctx.over_max_removed(text, &cleaned) {
            return Note::Quarantined { cleaned, share };
        }
        let dropped = ctx.records.drops_empty() && cleaned.text.is_empty();
        let changed = cleaned.text != text || dropped;
        let diff = match dry_run && cleaned.text != text {
            true => {
                let name = record_name(src, row.number, row.id);
                ctx.diff.render(name.as_os_str(), text.as_bytes(), &cleaned)
            }
            false => Vec::new(),
        };
        Note::Cleaned {
            cleaned,
            changed,
            dropped,
            diff,
        }
    };
    let mut summary = Summary::default();
    let mut entries = ctx.entries();
    let (mut too_large, mut quarantined) = (0u64, 0u64);
    let seen = |row: Row, note: Note| {
        let (number, text, id) = (row.number, row.text, row.id);
        let audit = match note {
            Note::TooLarge => {
                summary.skipped += 1;
                too_large += 1;
                if too_large <= WARNINGS_SHOWN {
                    let why = format!("over --max-doc-bytes {}; kept as it was", ctx.max_doc_bytes);
                    ctx.messages.warn_record(src, number, id, why);
                }
                None
            }
            Note::Quarantined { cleaned, share } => {
                quarantined += 1;
                if quarantined <= WARNINGS_SHOWN {
                    ctx.messages
                        .warn_record(src, number, id, record_quarantined(share));
                }
                let name = record_name(src, number, id);
                ctx.count_quarantined(&mut summary, &name, text, &cleaned, share)
            }
            Note::Cleaned {
                cleaned,
                changed,
                dropped,
                diff,
            } => {
                summary.different += u64::from(changed);
                summary.dropped_empty += u64::from(dropped);
                diffs.extend(diff);
                let name = || record_name(src, number, id);
                ctx.count_cleaned(&mut summary, name, text.as_bytes(), text, &cleaned)
            }
        };
        if let (Some(entries), Some(audit)) = (&mut entries, audit) {
            entries.add(audit);
        }
    };
    let progress = |done, total| ctx.messages.rows_done(done, total);
    rewrite(input, out, columns, clean, seen, progress)?;
    for (n, what) in [
        (too_large, "over --max-doc-bytes"),
        (quarantined, "over --max-removed"),
    ] {
        if n > WARNINGS_SHOWN {
            ctx.messages.warn(
                src,
                format_args!(
                    "{} more rows {what} not shown (the summary counts them all)",
                    n - WARNINGS_SHOWN
                ),
            );
        }
    }
    Ok((summary, entries))
}

/// A file's outcome: its totals, what to print on stdout, its rows' audit entries.
fn outcome((summary, entries): (Summary, Option<audit::Entries>), stdout: Vec<u8>) -> Outcome {
    Outcome {
        summary,
        stdout,
        audit: entries.map(Audited::Records),
    }
}

/// Whether the file at `path` begins with Parquet's magic bytes (false when it cannot be read:
/// that is reported when it is read).
pub fn is_parquet(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok_and(|()| head == MAGIC)
}

/// Clean the Parquet file `src` into `dst`: its outcome, whose stdout is a dry run's diffs (a
/// file for stdout is written there directly). Problems with the file are reported and
/// counted; only a failed write to stdout is returned.
pub fn process(ctx: &Shared, src: &Path, dst: &Destination) -> Result<Outcome> {
    // Named Parquet inputs are refused with these flags; a walk can find a Parquet file among
    // the files they are for.
    if !ctx.not_for_parquet.is_empty() && !ctx.warned_parquet.swap(true, Ordering::Relaxed) {
        ctx.messages.warn(
            src,
            format_args!(
                "{} {} not apply to Parquet files: not applied to this one, nor to the other \
                 Parquet files of the run",
                ctx.not_for_parquet.join(", "),
                match ctx.not_for_parquet.len() {
                    1 => "does",
                    _ => "do",
                }
            ),
        );
    }
    let input = match interrupt::open(src) {
        Ok(input) => input,
        Err(err) if err.kind() == io::ErrorKind::Interrupted => return Ok(Outcome::default()),
        Err(err) => return Ok(ctx.failed(src, format!("cannot read: {err}"))),
    };
    let mut diffs = Vec::new();
    let (written, target) = match dst {
        Destination::Stdout => return to_stdout(ctx, src, input),
        Destination::Diff => (
            clean_file(ctx, src, input, None::<io::Sink>, &mut diffs),
            src,
        ),
        Destination::File(path) => {
            let written = match ctx.outputs.create(path) {
                Ok(output) => into_output(ctx, src, input, output, false),
                Err(err) => Err(Failure::Write(err.into())),
            };
            (written, path.as_path())
        }
        Destination::InPlace => {
            let written = match Output::replace(src) {
                Ok(output) => into_output(ctx, src, input, output, true),
                Err(err) => Err(Failure::Write(err.into())),
            };
            (written, src)
        }
    };
    match written {
        Ok(done) => Ok(outcome(done, diffs)),
        Err(failure) => Ok(fail(ctx, src, target, failure)),
    }
}

/// Report `failure` of the file `src` (written to `target`): its outcome.
fn fail(ctx: &Shared, src: &Path, target: &Path, failure: Failure) -> Outcome {
    match failure {
        Failure::Interrupted => Outcome::default(),
        Failure::Write(err) if interrupted(&err) => Outcome::default(),
        Failure::Write(err) if target != src => ctx.failed(
            src,
            format_args!("cannot write {}: {err}", target.display()),
        ),
        Failure::Write(err) => ctx.failed(src, format_args!("cannot write: {err}")),
        failure => ctx.failed(
            src,
            format_args!("{failure}; nothing written for this file"),
        ),
    }
}

/// Whether a write failed because a signal came.
fn interrupted(err: &ParquetError) -> bool {
    match err {
        ParquetError::External(inner) => inner
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::Interrupted),
        _ => false,
    }
}

/// Rewrite into `output` and rename it into place; in place, only when something changed.
fn into_output(
    ctx: &Shared,
    src: &Path,
    input: std::fs::File,
    output: Output,
    in_place: bool,
) -> Result<(Summary, Option<audit::Entries>), Failure> {
    let done = clean_file(ctx, src, input, Some(output.file()), &mut Vec::new())?;
    if in_place && done.0.different == 0 {
        return Ok(done);
    }
    output.commit().map_err(|err| Failure::Write(err.into()))?;
    Ok(done)
}

/// Write the cleaned file to stdout, which must not be a terminal (Parquet is binary). A failed
/// write to stdout is returned (a closed pipe ends the run quietly).
fn to_stdout<R: ChunkReader + 'static>(ctx: &Shared, src: &Path, input: R) -> Result<Outcome> {
    if io::stdout().is_terminal() {
        return Ok(ctx.failed(
            src,
            "Parquet is binary and stdout is a terminal: not written (use -o DIR, or redirect \
             stdout to a file)",
        ));
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    match clean_file(ctx, src, input, Some(&mut out), &mut Vec::new()) {
        Ok(done) => {
            out.flush().context("writing to stdout")?;
            Ok(outcome(done, Vec::new()))
        }
        Err(Failure::Write(err)) => Err(err).context("writing to stdout"),
        Err(failure) => Ok(fail(ctx, src, src, failure)),
    }
}

/// Clean a Parquet file read from stdin (`input`) to stdout, or in a dry run print the diffs.
/// Parquet's index is at the end of the file, so stdin is first copied to an unnamed temporary
/// file (in `$TMPDIR`): memory stays bounded, and the disk holds a copy while the run lasts.
pub fn process_stdin(ctx: &Shared, mut input: impl Read, dry_run: bool) -> Result<Outcome> {
    let name = Path::new("<stdin>");
    let mut copy = tempfile::tempfile().context("creating a temporary file for stdin")?;
    io::copy(&mut input, &mut copy).context("copying stdin to a temporary file")?;
    copy.rewind().context("reading stdin's copy")?;
    if !dry_run {
        return to_stdout(ctx, name, copy);
    }
    let mut diffs = Vec::new();
    match clean_file(ctx, name, copy, None::<io::Sink>, &mut diffs) {
        Ok(done) => Ok(outcome(done, diffs)),
        Err(failure) => Ok(fail(ctx, name, name, failure)),
    }
}
