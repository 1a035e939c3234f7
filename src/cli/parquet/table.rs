//! The Parquet format itself, apart from `clean`: [`rewrite`] reads a file a batch of rows at
//! a time, cleans one string column through a callback and writes the batch with the column
//! replaced; [`read_rows`] reads that column's values (for `mine` and `--learn`). Finding
//! columns by name or dotted path, the key columns (`--group-by`, `--id-field`), batch sizes and
//! the writer's settings (codecs, dictionaries, metadata) are here too.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, GenericStringArray, RecordBatch,
    RecordBatchReader, StringViewArray, StructArray,
};
use arrow_schema::{DataType, Field, Fields, Schema};
use arrow_select::filter::filter_record_batch;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::{ArrowWriter, ProjectionMask, ARROW_SCHEMA_META_KEY};
use parquet::basic::Compression as Codec;
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use rayon::prelude::*;

use crate::cli::interrupt;

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

/// What the clean callback made of one value.
pub trait Cleaned: Send {
    /// The text to write instead of the value, or `None` to keep the value as it was.
    fn replacement(&self) -> Option<&str>;

    /// Whether the row is left out of the output (`--drop-empty`).
    fn dropped(&self) -> bool {
        false
    }
}

/// The columns a file is read by: the one cleaned (`--field`), and those whose values name a
/// row's group (`--group-by`) and its id (`--id-field`). Each is a column name or a dotted
/// path into struct columns.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    pub field: &'a str,
    pub group: Option<&'a str>,
    pub id: Option<&'a str>,
}

/// One non-null value of the cleaned column: its row (counted from 0), and the values its row
/// holds in the group and id columns (a number written in decimal; `None` for a null).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub number: u64,
    pub text: &'a str,
    pub group: Option<&'a str>,
    pub id: Option<&'a str>,
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
/// does) with the string column `columns.field` cleaned: `clean(row)` is called for each
/// non-null value, in parallel; `seen(row, cleaned)` is then called for each of them in row
/// order, on the calling thread. Nulls stay null; a row whose value is
/// [dropped](Cleaned::dropped) is left out. `progress(done, total)` is told the rows read so far
/// after each batch (and once before the first, with 0). A column is named by a top-level
/// column, or a column nested in struct columns as a dotted path (`meta.body`); a top-level
/// column whose name holds dots is found by its whole name first. Returns the number of rows.
pub fn rewrite<R, W, C>(
    input: R,
    out: Option<W>,
    columns: Columns,
    clean: impl Fn(Row) -> C + Sync,
    mut seen: impl FnMut(Row, C),
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, Failure>
where
    R: ChunkReader + 'static,
    W: Write + Send,
    C: Cleaned,
{
    let metadata =
        ArrowReaderMetadata::load(&input, ArrowReaderOptions::new()).map_err(Failure::Read)?;
    let schema = Arc::clone(metadata.schema());
    let target = locate(&schema, columns.field)?;
    let keys = Keys::locate(&schema, columns)?;
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
    let total = metadata.metadata().file_metadata().num_rows().max(0) as u64;
    let mut left = groups.next().unwrap_or(usize::MAX);
    let batch_rows = batch_rows(metadata.metadata());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata)
        .with_batch_size(batch_rows)
        .build()
        .map_err(Failure::Read)?;
    progress(0, total);
    let mut rows = 0u64;
    for batch in reader {
        if interrupt::interrupted().is_some() {
            return Err(Failure::Interrupted);
        }
        let batch = batch.map_err(|err| Failure::Read(err.into()))?;
        let column = Arc::clone(batch.column(target.path[0]));
        let values = keys.values(&batch);
        let mut kept = None;
        let cleaned = replace_in(&column, &target.path[1..], &mut |strings| {
            let build = writer.is_some();
            let (array, keep) = clean_strings(strings, rows, &values, build, &clean, &mut seen);
            kept = keep;
            array
        });
        rows += batch.num_rows() as u64;
        progress(rows, total);
        let Some(writer) = writer.as_mut() else {
            continue;
        };
        let mut columns = batch.columns().to_vec();
        columns[target.path[0]] = cleaned;
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)
            .map_err(|err| Failure::Write(err.into()))?;
        let mut at = 0;
        while at < batch.num_rows() {
            // Cut at the input's row-group boundaries, then leave the dropped rows out.
            let take = left.min(batch.num_rows() - at);
            let piece = batch.slice(at, take);
            let piece = match &kept {
                Some(keep) => filter_record_batch(&piece, &keep.slice(at, take))
                    .map_err(|err| Failure::Write(err.into()))?,
                None => piece,
            };
            if piece.num_rows() > 0 {
                writer.write(&piece).map_err(Failure::Write)?;
            }
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

/// Read the non-null values of the string column `columns.field` of the Parquet file `input`,
/// with their rows' group and id values, and hand them to `each` a batch at a time, in row
/// order (only the columns named are decoded). Returns the number of rows.
pub fn read_rows<R: ChunkReader + 'static>(
    input: R,
    columns: Columns,
    mut each: impl FnMut(&[Row]),
) -> Result<u64, Failure> {
    let metadata =
        ArrowReaderMetadata::load(&input, ArrowReaderOptions::new()).map_err(Failure::Read)?;
    let schema = Arc::clone(metadata.schema());
    // Found in the whole schema (so that a missing column is named among them all), then read
    // alone with the key columns.
    let mut roots = vec![locate(&schema, columns.field)?.path[0]];
    roots.extend(Keys::locate(&schema, columns)?.roots());
    roots.sort_unstable();
    roots.dedup();
    let mask = ProjectionMask::roots(metadata.parquet_schema(), roots.iter().copied());
    let batch_rows = batch_rows(metadata.metadata());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata)
        .with_projection(mask)
        .with_batch_size(batch_rows)
        .build()
        .map_err(Failure::Read)?;
    let schema = reader.schema();
    let target = locate(&schema, columns.field)?;
    let keys = Keys::locate(&schema, columns)?;
    let mut rows = 0u64;
    for batch in reader {
        if interrupt::interrupted().is_some() {
            return Err(Failure::Interrupted);
        }
        let batch = batch.map_err(|err| Failure::Read(err.into()))?;
        let values = keys.values(&batch);
        let column = leaf(batch.column(target.path[0]), &target.path[1..]);
        let texts = string_values(&column);
        let found: Vec<Row> = texts
            .iter()
            .enumerate()
            .filter_map(|(i, text)| Some(values.row(rows + i as u64, i, (*text)?)))
            .collect();
        each(&found);
        rows += batch.num_rows() as u64;
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

/// A column: its index at each level (the top-level column, then a child of each struct on
/// the way).
struct Target {
    path: Vec<usize>,
}

/// Find the string column `field` in `schema`, or say why it is not there and what is.
fn locate(schema: &Schema, field: &str) -> Result<Target, Failure> {
    let hint = Role::Cleaned.hint();
    let (path, found) = find(schema, field, Role::Cleaned)?;
    match found.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(Target { path }),
        other => Err(Failure::Field(format!(
            "the column {field:?} holds {other}, not strings (Utf8, LargeUtf8 or Utf8View), so \
             it cannot be cleaned ({hint}; the default is \"text\")"
        ))),
    }
}

/// What a column is read for, and so which flag names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `--field`: cleaned.
    Cleaned,
    /// `--group-by`: groups rows.
    Group,
    /// `--id-field`: names rows.
    Id,
}

impl Role {
    /// Which flag names the column, and what for.
    fn hint(self) -> &'static str {
        match self {
            Role::Cleaned => "--field names the column to clean",
            Role::Group => "--group-by names the column that groups rows",
            Role::Id => "--id-field names the column that names rows",
        }
    }
}

/// Find the column `name` in `schema`, named for `role`: its path and its field, or why it is
/// not there, naming what is.
fn find<'s>(
    schema: &'s Schema,
    name: &str,
    role: Role,
) -> Result<(Vec<usize>, &'s Field), Failure> {
    let names = |fields: &Fields| {
        let names: Vec<String> = fields.iter().map(|f| format!("{:?}", f.name())).collect();
        match names.is_empty() {
            true => "none".to_string(),
            false => names.join(", "),
        }
    };
    if let Ok(index) = schema.index_of(name) {
        return Ok((vec![index], schema.field(index)));
    }
    let mut fields = schema.fields();
    let mut path = Vec::new();
    let mut found: Option<&Field> = None;
    for (depth, segment) in name.split('.').enumerate() {
        if let Some(parent) = found {
            match parent.data_type() {
                DataType::Struct(children) => fields = children,
                other => {
                    let parent: Vec<&str> = name.split('.').take(depth).collect();
                    return Err(Failure::Field(format!(
                        "the column {:?} holds {other}, not a struct, so it has no field {segment:?} \
                         ({}, a dotted path into struct columns)",
                        parent.join("."),
                        role.hint()
                    )));
                }
            }
        }
        let Some((index, child)) = fields.find(segment) else {
            let within = match path.is_empty() {
                true => "its columns are".to_string(),
                false => {
                    let parent: Vec<&str> = name.split('.').take(depth).collect();
                    format!("the struct column {:?} has the fields", parent.join("."))
                }
            };
            let (what, default) = match role {
                Role::Cleaned => ("so nothing was cleaned", "; the default is \"text\""),
                Role::Group | Role::Id => ("so the file was not read", ""),
            };
            return Err(Failure::Field(format!(
                "no column {name:?}, {what}: {within} {} ({}{default})",
                names(fields),
                role.hint()
            )));
        };
        path.push(index);
        found = Some(child.as_ref());
    }
    Ok((path, found.expect("a path has a segment")))
}

/// The columns whose values name a row's group and its id.
struct Keys {
    group: Option<Target>,
    id: Option<Target>,
}

/// The values of the key columns in one batch.
struct KeyValues {
    group: Option<Vec<Option<String>>>,
    id: Option<Vec<Option<String>>>,
}

impl Keys {
    /// Find the key columns of `columns` in `schema`: each must hold strings or integers.
    fn locate(schema: &Schema, columns: Columns) -> Result<Keys, Failure> {
        let key = |name: Option<&str>, role: Role| -> Result<Option<Target>, Failure> {
            let Some(name) = name else {
                return Ok(None);
            };
            let (path, found) = find(schema, name, role)?;
            match found.data_type() {
                t if t.is_integer() => Ok(Some(Target { path })),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                    Ok(Some(Target { path }))
                }
                other => Err(Failure::Field(format!(
                    "the column {name:?} holds {other}, not strings or integers ({})",
                    role.hint()
                ))),
            }
        };
        Ok(Keys {
            group: key(columns.group, Role::Group)?,
            id: key(columns.id, Role::Id)?,
        })
    }

    /// The top-level columns they are in.
    fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        [&self.group, &self.id]
            .into_iter()
            .flatten()
            .map(|target| target.path[0])
    }

    /// Their values in `batch`.
    fn values(&self, batch: &RecordBatch) -> KeyValues {
        let of = |target: &Option<Target>| {
            target.as_ref().map(|target| {
                let column = leaf(batch.column(target.path[0]), &target.path[1..]);
                key_strings(&column)
            })
        };
        KeyValues {
            group: of(&self.group),
            id: of(&self.id),
        }
    }
}

impl KeyValues {
    /// The row numbered `number`, the `i`th of the batch, whose value is `text`.
    fn row<'a>(&'a self, number: u64, i: usize, text: &'a str) -> Row<'a> {
        let at = |values: &'a Option<Vec<Option<String>>>| values.as_ref()?[i].as_deref();
        Row {
            number,
            text,
            group: at(&self.group),
            id: at(&self.id),
        }
    }
}

/// The array at `path` (child indices through structs) in `array`.
fn leaf(array: &ArrayRef, path: &[usize]) -> ArrayRef {
    match path.split_first() {
        None => Arc::clone(array),
        Some((&child, rest)) => leaf(array.as_struct().column(child), rest),
    }
}

/// The values of a string column.
fn string_values(array: &ArrayRef) -> Vec<Option<&str>> {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        other => unreachable!("located as a string column, found {other}"),
    }
}

/// The values of a string or integer column, as text (integers in decimal).
fn key_strings(array: &ArrayRef) -> Vec<Option<String>> {
    fn ints<T: ArrowPrimitiveType>(array: &ArrayRef) -> Vec<Option<String>>
    where
        T::Native: ToString,
    {
        let values = array.as_primitive::<T>().iter();
        values.map(|v| v.map(|v| v.to_string())).collect()
    }
    match array.data_type() {
        DataType::Int8 => ints::<Int8Type>(array),
        DataType::Int16 => ints::<Int16Type>(array),
        DataType::Int32 => ints::<Int32Type>(array),
        DataType::Int64 => ints::<Int64Type>(array),
        DataType::UInt8 => ints::<UInt8Type>(array),
        DataType::UInt16 => ints::<UInt16Type>(array),
        DataType::UInt32 => ints::<UInt32Type>(array),
        DataType::UInt64 => ints::<UInt64Type>(array),
        _ => string_values(array)
            .into_iter()
            .map(|v| v.map(str::to_string))
            .collect(),
    }
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

/// Clean the values of a string array (whose first row is `first`, and whose rows' key values
/// are `keys`), report them in order, and when `build`, return the array with the replacements
/// (the array itself when there are none) and, when some row is dropped, which rows are kept.
fn clean_strings<C: Cleaned>(
    array: &ArrayRef,
    first: u64,
    keys: &KeyValues,
    build: bool,
    clean: &(impl Fn(Row) -> C + Sync),
    seen: &mut impl FnMut(Row, C),
) -> (ArrayRef, Option<BooleanArray>) {
    let values = string_values(array);
    let row = |i: usize, text| keys.row(first + i as u64, i, text);
    let cleaned: Vec<Option<C>> = values
        .par_iter()
        .enumerate()
        .with_min_len(8)
        .map(|(i, value)| value.map(|text| clean(row(i, text))))
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
    let dropped = build && cleaned.iter().flatten().any(Cleaned::dropped);
    let kept = dropped.then(|| {
        let kept = cleaned
            .iter()
            .map(|c| !c.as_ref().is_some_and(Cleaned::dropped));
        kept.map(Some).collect::<BooleanArray>()
    });
    for (i, (value, cleaned)) in values.iter().zip(cleaned).enumerate() {
        if let (Some(text), Some(cleaned)) = (value, cleaned) {
            seen(row(i, text), cleaned);
        }
    }
    (rebuilt.unwrap_or_else(|| Arc::clone(array)), kept)
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

    /// A note that replaces a value with its upper case, or drops its row.
    struct Upper(Option<String>, bool);

    impl Cleaned for Upper {
        fn replacement(&self) -> Option<&str> {
            self.0.as_deref()
        }

        fn dropped(&self) -> bool {
            self.1
        }
    }

    #[test]
    fn values_are_replaced_and_seen_in_row_order_and_nulls_stay_null() {
        let texts: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("c")]));
        let ids = Some(vec![Some("x".to_string()), None, Some("z".to_string())]);
        let keys = KeyValues {
            group: None,
            id: ids,
        };
        let mut seen = Vec::new();
        let clean = |row: Row| Upper((row.number != 12).then(|| row.text.to_uppercase()), false);
        let (out, kept) = clean_strings(&texts, 10, &keys, true, &clean, &mut |row: Row, _| {
            seen.push((row.number, row.text.to_string(), row.id.map(str::to_string)))
        });
        let out = out.as_string::<i32>();
        let got: Vec<Option<&str>> = out.iter().collect();
        assert_eq!(got, [Some("A"), None, Some("c")]);
        assert_eq!(kept, None, "no row dropped");
        let want = [
            (10, "a".to_string(), Some("x".to_string())),
            (12, "c".to_string(), Some("z".to_string())),
        ];
        assert_eq!(seen, want);
    }

    #[test]
    fn dropped_rows_are_left_out_and_nulls_are_kept() {
        let texts: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("")]));
        let keys = KeyValues {
            group: None,
            id: None,
        };
        let clean = |row: Row| Upper(None, row.text.is_empty());
        let (_, kept) = clean_strings(&texts, 0, &keys, true, &clean, &mut |_, _| {});
        let kept: Vec<Option<bool>> = kept.expect("a row dropped").iter().collect();
        assert_eq!(kept, [Some(true), Some(true), Some(false)]);
    }
}
