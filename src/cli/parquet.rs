//! Parquet files (`.parquet`): the values of one string column (`--field`) are cleaned; every
//! other column, the schema with its metadata, the row order and the row groups are kept.
//!
//! [`rewrite`] is the whole format: it reads a file a batch of rows at a time (up to
//! [`BATCH_ROWS`] rows, fewer when they are long: about [`BATCH_BYTES`] at most), hands each
//! non-null value of the text column to a clean callback (in parallel, with rayon), hands what
//! it made of each value back in row order (to count and report), and writes the batch with the
//! column replaced. Memory stays bounded whatever the file's size: the reader decodes a batch at
//! a time, and the writer holds one row group, encoded, until it is flushed. An input row group
//! gives one output row group, unless its encoded output reaches [`ROW_GROUP_BYTES`]: then it is
//! cut there, so that a file written as one huge row group does not make the writer hold it
//! whole. Each column is compressed with the codec its first column chunk in the input had
//! (levels are not recorded in Parquet: the codec's default level is used), and dictionary
//! encoding is kept where the input had it. The file's key-value metadata (pandas' and others)
//! is written as it was; the Arrow schema is written as read.
//!
//! [`process`] and [`process_stdin`] fit it to `clean`: destinations, `--max-removed`,
//! `--max-doc-bytes`, dry-run diffs (named `PATH:ROW`, rows counted from 0), warnings, the
//! totals and the audit entries, where each cleaned value counts as a document.

use std::io::{self, IsTerminal, Read, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, GenericStringArray, RecordBatch, StringViewArray, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::{ArrowWriter, ARROW_SCHEMA_META_KEY};
use parquet::basic::Compression as Codec;
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use rayon::prelude::*;

use super::audit;
use super::interrupt;
use super::job::{record_name, record_quarantined, Audited, Destination, Outcome, Shared};
use super::output::Output;
use super::summary::Summary;

/// How a Parquet file begins (and ends).
pub const MAGIC: &[u8] = b"PAR1";

/// Rows read, cleaned and written at a time, at most.
const BATCH_ROWS: usize = 1024;

/// Bytes of a batch (decoded, all columns) at most, about: a file of long rows is read fewer
/// rows at a time, by its widest row group's average row size.
const BATCH_BYTES: u64 = 64 << 20;

/// An output row group is cut when its encoded size reaches this many bytes: the writer holds
/// the row group it is writing in memory.
pub const ROW_GROUP_BYTES: usize = 128 << 20;

/// Warnings of one kind shown per file; the rest are counted, and the summary has them all.
const WARNINGS_SHOWN: u64 = 5;

/// What the clean callback made of one value.
pub trait Cleaned: Send {
    /// The text to write instead of the value, or `None` to keep the value as it was.
    fn replacement(&self) -> Option<&str>;
}

/// Why a file could not be rewritten.
#[derive(Debug)]
pub enum Failure {
    /// Not a Parquet file, or one that cannot be decoded.
    Read(ParquetError),
    /// The column to clean is missing or holds no strings: what is wrong, and the columns there
    /// are.
    Field(String),
    /// The output could not be written.
    Write(ParquetError),
    /// A signal came: the output is abandoned.
    Interrupted,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Read(err) => write!(f, "cannot read it as Parquet: {err}"),
            Failure::Field(why) => f.write_str(why),
            Failure::Write(err) => write!(f, "cannot write: {err}"),
            Failure::Interrupted => f.write_str("interrupted by a signal"),
        }
    }
}

/// Rewrite the Parquet file `input` into `out` (or, with `None`, only read it, as a dry run
/// does) with the string column `field` cleaned: `clean(row, text)` is called for each non-null
/// value, in parallel, rows counted from 0; `seen(row, text, cleaned)` is then called for each
/// of them in row order, on the calling thread. Nulls stay null. `field` names a top-level
/// column, or a column nested in struct columns as a dotted path (`meta.body`); a top-level
/// column whose name holds dots is found by its whole name first. Returns the number of rows.
pub fn rewrite<R, W, C>(
    input: R,
    out: Option<W>,
    field: &str,
    clean: impl Fn(u64, &str) -> C + Sync,
    mut seen: impl FnMut(u64, &str, C),
) -> Result<u64, Failure>
where
    R: ChunkReader + 'static,
    W: Write + Send,
    C: Cleaned,
{
    let metadata =
        ArrowReaderMetadata::load(&input, ArrowReaderOptions::new()).map_err(Failure::Read)?;
    let schema = Arc::clone(metadata.schema());
    let target = locate(&schema, field)?;
    let mut writer = match out {
        Some(out) => {
            let properties = writer_properties(metadata.metadata());
            let writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(properties));
            Some(writer.map_err(Failure::Write)?)
        }
        None => None,
    };
    // The input's row groups, by their row counts: the output's are cut where they were.
    let mut groups = metadata
        .metadata()
        .row_groups()
        .iter()
        .map(|group| group.num_rows() as usize)
        .filter(|&rows| rows > 0)
        .collect::<Vec<_>>()
        .into_iter();
    let mut left = groups.next().unwrap_or(usize::MAX);
    let batch_rows = batch_rows(metadata.metadata());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata)
        .with_batch_size(batch_rows)
        .build()
        .map_err(Failure::Read)?;
    let mut rows = 0u64;
    for batch in reader {
        if interrupt::interrupted().is_some() {
            return Err(Failure::Interrupted);
        }
        let batch = batch.map_err(|err| Failure::Read(err.into()))?;
        let column = Arc::clone(batch.column(target.path[0]));
        let cleaned = replace_in(&column, &target.path[1..], &mut |strings| {
            clean_strings(strings, rows, writer.is_some(), &clean, &mut seen)
        });
        rows += batch.num_rows() as u64;
        let Some(writer) = writer.as_mut() else {
            continue;
        };
        let mut columns = batch.columns().to_vec();
        columns[target.path[0]] = cleaned;
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)
            .map_err(|err| Failure::Write(err.into()))?;
        let mut at = 0;
        while at < batch.num_rows() {
            let take = left.min(batch.num_rows() - at);
            writer
                .write(&batch.slice(at, take))
                .map_err(Failure::Write)?;
            at += take;
            left -= take;
            if left == 0 {
                writer.flush().map_err(Failure::Write)?;
                left = groups.next().unwrap_or(usize::MAX);
            }
        }
    }
    if let Some(writer) = writer {
        writer.close().map_err(Failure::Write)?;
    }
    Ok(rows)
}

/// Rows to read at a time: [`BATCH_ROWS`], or fewer when the rows are long (by the average
/// uncompressed row size of the row group where it is largest), so that a batch holds about
/// [`BATCH_BYTES`] at most.
fn batch_rows(metadata: &ParquetMetaData) -> usize {
    let widest = metadata
        .row_groups()
        .iter()
        .filter(|group| group.num_rows() > 0)
        .map(|group| group.total_byte_size().max(0) as u64 / group.num_rows() as u64)
        .max()
        .unwrap_or(0);
    match BATCH_BYTES.checked_div(widest) {
        Some(rows) => (rows as usize).clamp(1, BATCH_ROWS),
        None => BATCH_ROWS,
    }
}

/// The column to clean: its index at each level (the top-level column, then a child of each
/// struct on the way).
struct Target {
    path: Vec<usize>,
}

/// Find the string column `field` in `schema`, or say why it is not there and what is.
fn locate(schema: &Schema, field: &str) -> Result<Target, Failure> {
    let names = |fields: &Fields| {
        let names: Vec<String> = fields.iter().map(|f| format!("{:?}", f.name())).collect();
        match names.is_empty() {
            true => "none".to_string(),
            false => names.join(", "),
        }
    };
    let string_column = |found: &Field, path: Vec<usize>| match found.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(Target { path }),
        other => Err(Failure::Field(format!(
            "the column {field:?} holds {other}, not strings (Utf8, LargeUtf8 or Utf8View), so \
             it cannot be cleaned (--field names the column to clean; the default is \"text\")"
        ))),
    };
    if let Ok(index) = schema.index_of(field) {
        return string_column(schema.field(index), vec![index]);
    }
    let mut fields = schema.fields();
    let mut path = Vec::new();
    let mut found: Option<&Field> = None;
    for (depth, segment) in field.split('.').enumerate() {
        if let Some(parent) = found {
            match parent.data_type() {
                DataType::Struct(children) => fields = children,
                other => {
                    let parent: Vec<&str> = field.split('.').take(depth).collect();
                    return Err(Failure::Field(format!(
                        "the column {:?} holds {other}, not a struct, so it has no field {segment:?} \
                         (--field names the column to clean, a dotted path into struct columns)",
                        parent.join(".")
                    )));
                }
            }
        }
        let Some((index, child)) = fields.find(segment) else {
            let within = match path.is_empty() {
                true => "its columns are".to_string(),
                false => {
                    let parent: Vec<&str> = field.split('.').take(depth).collect();
                    format!("the struct column {:?} has the fields", parent.join("."))
                }
            };
            return Err(Failure::Field(format!(
                "no column {field:?}, so nothing was cleaned: {within} {} (--field names the \
                 column to clean; the default is \"text\")",
                names(fields)
            )));
        };
        path.push(index);
        found = Some(child.as_ref());
    }
    string_column(found.expect("a path has a segment"), path)
}

/// `array` with the array at `path` (child indices through structs) replaced by what
/// `replace` makes of it.
fn replace_in(
    array: &ArrayRef,
    path: &[usize],
    replace: &mut dyn FnMut(&ArrayRef) -> ArrayRef,
) -> ArrayRef {
    let Some((&child, rest)) = path.split_first() else {
        return replace(array);
    };
    let parent = array.as_struct();
    let mut columns = parent.columns().to_vec();
    columns[child] = replace_in(&columns[child], rest, replace);
    let (fields, _, nulls) = parent.clone().into_parts();
    Arc::new(StructArray::new(fields, columns, nulls))
}

/// Clean the values of a string array (whose first row is `first`), report them in order, and
/// when `build`, return the array with the replacements (the array itself when there are none).
fn clean_strings<C: Cleaned>(
    array: &ArrayRef,
    first: u64,
    build: bool,
    clean: &(impl Fn(u64, &str) -> C + Sync),
    seen: &mut impl FnMut(u64, &str, C),
) -> ArrayRef {
    let values: Vec<Option<&str>> = match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        other => unreachable!("located as a string column, found {other}"),
    };
    let cleaned: Vec<Option<C>> = values
        .par_iter()
        .enumerate()
        .with_min_len(8)
        .map(|(i, value)| value.map(|text| clean(first + i as u64, text)))
        .collect();
    let replaced = build && cleaned.iter().flatten().any(|c| c.replacement().is_some());
    let rebuilt = replaced.then(|| {
        let texts = values.iter().zip(&cleaned).map(|(value, cleaned)| {
            let replacement = cleaned.as_ref().and_then(Cleaned::replacement);
            replacement.or(*value)
        });
        match array.data_type() {
            DataType::Utf8 => Arc::new(texts.collect::<GenericStringArray<i32>>()) as ArrayRef,
            DataType::LargeUtf8 => Arc::new(texts.collect::<GenericStringArray<i64>>()),
            _ => Arc::new(texts.collect::<StringViewArray>()),
        }
    });
    for (i, (value, cleaned)) in values.iter().zip(cleaned).enumerate() {
        if let (Some(text), Some(cleaned)) = (value, cleaned) {
            seen(first + i as u64, text, cleaned);
        }
    }
    rebuilt.unwrap_or_else(|| Arc::clone(array))
}

/// The writer's settings, from the input's metadata: each column's codec (as its first column
/// chunk had it) and dictionary encoding, the key-value metadata, and row groups cut only where
/// the input's were or at [`ROW_GROUP_BYTES`].
fn writer_properties(metadata: &ParquetMetaData) -> WriterProperties {
    let file = metadata.file_metadata();
    let key_values = file.key_value_metadata().map(|pairs| {
        // The Arrow schema is written anew by the writer.
        let kept = pairs.iter().filter(|kv| kv.key != ARROW_SCHEMA_META_KEY);
        kept.cloned().collect()
    });
    let mut builder = WriterProperties::builder()
        .set_max_row_group_row_count(None)
        .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
        .set_key_value_metadata(key_values);
    if let Some(group) = metadata.row_groups().first() {
        // A column the output names differently from the input (a list's element, say) gets
        // the codec most of the columns have.
        let mut codecs: Vec<Codec> = group.columns().iter().map(|c| c.compression()).collect();
        codecs.sort_by_key(|codec| format!("{codec:?}"));
        let most = codecs
            .chunk_by(|a, b| a == b)
            .max_by_key(|run| run.len())
            .map(|run| run[0]);
        if let Some(codec) = most {
            builder = builder.set_compression(codec);
        }
        for column in group.columns() {
            let path = column.column_path().clone();
            builder = builder
                .set_column_compression(path.clone(), column.compression())
                .set_column_dictionary_enabled(path, column.dictionary_page_offset().is_some());
        }
    }
    builder.build()
}

/// What `clean` made of one value.
enum Note {
    /// Over `--max-doc-bytes`: kept as it was.
    TooLarge,
    /// Over `--max-removed`: kept as it was; cleaning would have removed `share` of it.
    Quarantined {
        cleaned: boilerstrip::Cleaned,
        share: f64,
    },
    /// Cleaned; `changed` when its text differs; in a dry run, the diff to print.
    Cleaned {
        cleaned: boilerstrip::Cleaned,
        changed: bool,
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
    let dry_run = out.is_none();
    let learned = ctx.learning.as_ref().and_then(|l| l.for_file(src));
    let clean = |row: u64, text: &str| {
        if text.len() as u64 > ctx.max_doc_bytes {
            return Note::TooLarge;
        }
        let cleaned = ctx.cleaner.clean_with(text, learned);
        if let Some(share) = ctx.over_max_removed(text, &cleaned) {
            return Note::Quarantined { cleaned, share };
        }
        let changed = cleaned.text != text;
        let diff = match dry_run && changed {
            true => {
                let name = record_name(src, row, None);
                ctx.diff.render(name.as_os_str(), text.as_bytes(), &cleaned)
            }
            false => Vec::new(),
        };
        Note::Cleaned {
            cleaned,
            changed,
            diff,
        }
    };
    let mut summary = Summary::default();
    let mut entries = ctx.entries();
    let (mut too_large, mut quarantined) = (0u64, 0u64);
    let seen = |row: u64, text: &str, note: Note| {
        let audit = match note {
            Note::TooLarge => {
                summary.skipped += 1;
                too_large += 1;
                if too_large <= WARNINGS_SHOWN {
                    let why = format!("over --max-doc-bytes {}; kept as it was", ctx.max_doc_bytes);
                    ctx.messages.warn_record(src, row, None, why);
                }
                None
            }
            Note::Quarantined { cleaned, share } => {
                quarantined += 1;
                if quarantined <= WARNINGS_SHOWN {
                    ctx.messages
                        .warn_record(src, row, None, record_quarantined(share));
                }
                let name = record_name(src, row, None);
                ctx.count_quarantined(&mut summary, &name, text, &cleaned, share)
            }
            Note::Cleaned {
                cleaned,
                changed,
                diff,
            } => {
                summary.different += u64::from(changed);
                diffs.extend(diff);
                let name = || record_name(src, row, None);
                ctx.count_cleaned(&mut summary, name, text.as_bytes(), text, &cleaned)
            }
        };
        if let (Some(entries), Some(audit)) = (&mut entries, audit) {
            entries.add(audit);
        }
    };
    rewrite(input, out, &field, clean, seen)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    use arrow_array::StringArray;

    fn schema() -> Schema {
        let body = Field::new("body", DataType::LargeUtf8, true);
        let meta = Field::new("meta", DataType::Struct(vec![body].into()), true);
        Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("text", DataType::Utf8, true),
            Field::new("a.b", DataType::Utf8View, true),
            meta,
        ])
    }

    #[test]
    fn a_field_is_a_column_or_a_path_into_structs() {
        let schema = schema();
        let cases = [
            ("text", Some(vec![1])),
            ("a.b", Some(vec![2])),
            ("meta.body", Some(vec![3, 0])),
        ];
        for (field, want) in cases {
            let got = locate(&schema, field).map(|t| t.path).ok();
            assert_eq!(got, want, "{field}");
        }
    }

    #[test]
    fn a_field_that_is_not_a_string_column_is_an_error_naming_what_is_there() {
        let schema = schema();
        let cases = [
            ("txt", r#"its columns are "id", "text", "a.b", "meta""#),
            ("id", "holds Int64, not strings"),
            ("meta", "holds Struct"),
            (
                "meta.title",
                r#"the struct column "meta" has the fields "body""#,
            ),
            ("id.x", r#"the column "id" holds Int64, not a struct"#),
            (
                "meta.body.x",
                r#"the column "meta.body" holds LargeUtf8, not a struct"#,
            ),
        ];
        for (field, want) in cases {
            let Err(Failure::Field(why)) = locate(&schema, field) else {
                panic!("{field}: found");
            };
            assert!(why.contains(want), "{field}: {why}");
        }
    }

    /// The metadata of a one-column file of `rows` values of `len` bytes each.
    fn metadata_of(rows: usize, len: usize) -> Arc<ParquetMetaData> {
        let texts: ArrayRef = Arc::new(StringArray::from_iter_values(
            (0..rows).map(|i| format!("{i:08}{}", "x".repeat(len.saturating_sub(8)))),
        ));
        let batch = RecordBatch::try_from_iter([("text", texts)]).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        let mut writer = ArrowWriter::try_new(&mut file, batch.schema(), None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).unwrap();
        Arc::clone(metadata.metadata())
    }

    #[test]
    fn long_rows_are_read_fewer_at_a_time() {
        let cases = [
            // (rows, bytes a value, rows a batch at most)
            (3000, 100, BATCH_ROWS),
            (100, 256 << 10, 256),
            (2, 40 << 20, 1),
            (0, 0, BATCH_ROWS),
        ];
        for (rows, len, most) in cases {
            let got = batch_rows(&metadata_of(rows, len));
            assert!(got <= most, "{rows} rows of {len} bytes: {got} a batch");
            assert!(got * 2 > most, "{rows} rows of {len} bytes: {got} a batch");
        }
    }

    /// A note that replaces every value with its upper case.
    struct Upper(Option<String>);

    impl Cleaned for Upper {
        fn replacement(&self) -> Option<&str> {
            self.0.as_deref()
        }
    }

    #[test]
    fn values_are_replaced_and_seen_in_row_order_and_nulls_stay_null() {
        let texts: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("c")]));
        let mut seen = Vec::new();
        let clean = |row: u64, text: &str| Upper((row != 12).then(|| text.to_uppercase()));
        let out = clean_strings(&texts, 10, true, &clean, &mut |row, text: &str, _| {
            seen.push((row, text.to_string()))
        });
        let out = out.as_string::<i32>();
        let got: Vec<Option<&str>> = out.iter().collect();
        assert_eq!(got, [Some("A"), None, Some("c")]);
        assert_eq!(seen, [(10, "a".to_string()), (12, "c".to_string())]);
    }
}
