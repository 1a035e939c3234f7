//! Parquet files through the binary: the `--field` column is cleaned value by value as the
//! library cleans a text, and every other column, the schema with its metadata, the row order,
//! the row groups and each column's codec are kept; nulls stay null; a missing or non-string
//! column and a corrupt file fail that file only.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, Float64Array, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, StructArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use boilerstrip::Cleaner;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ARROW_SCHEMA_META_KEY};
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::{boilerstrip, DOC};

/// The texts of the fixture's `text` column: articles of the corpus, a document with junk at
/// both ends, a null, a text that cleaning leaves alone, and an empty one.
fn texts() -> Vec<Option<String>> {
    let article = |name: &str| fs::read_to_string(Path::new("corpus/input").join(name)).unwrap();
    vec![
        Some(article("01-senate-budget-vote.txt")),
        Some(DOC.to_string()),
        None,
        Some("A plain paragraph about gardening that nothing removes.\n".to_string()),
        Some(article("08-hearing-aid-chip.txt")),
        Some(String::new()),
        Some(article("40-comments-only-extraction.txt")),
    ]
}

/// A table with the text column among others: ids, a URL, a score, a list of tags; metadata on
/// the schema and on the text column.
fn table() -> RecordBatch {
    let texts = texts();
    let n = texts.len();
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        for t in 0..i % 3 {
            tags.values().append_value(format!("tag{t}"));
        }
        tags.append(i % 4 != 1);
    }
    let text_field = Field::new("text", DataType::Utf8, true)
        .with_metadata(HashMap::from([("lang".to_string(), "en".to_string())]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(0..n as i64)),
        Arc::new(StringArray::from(texts)),
        Arc::new(StringArray::from_iter_values(
            (0..n).map(|i| format!("https://news.example/{i}")),
        )),
        Arc::new(Float64Array::from_iter_values(
            (0..n).map(|i| i as f64 / 2.0),
        )),
        Arc::new(tags.finish()),
    ];
    let fields: Vec<Field> = vec![
        Field::new("id", DataType::Int64, false),
        text_field,
        Field::new("url", DataType::Utf8, false),
        Field::new("score", DataType::Float64, false),
        Field::new(
            "tags",
            columns[4].data_type().clone(),
            columns[4].null_count() > 0,
        ),
    ];
    let metadata = HashMap::from([("origin".to_string(), "crawl-2024".to_string())]);
    let schema = Schema::new_with_metadata(fields, metadata);
    RecordBatch::try_new(Arc::new(schema), columns).unwrap()
}

/// Write `batch` to `path` as Parquet, compressed with `codec`, `rows_per_group` rows to a row
/// group.
fn write_parquet(path: &Path, batch: &RecordBatch, codec: Compression, rows_per_group: usize) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let properties = WriterProperties::builder()
        .set_compression(codec)
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let file = File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// A Parquet file read back: its schema, its rows as one batch, its metadata.
struct Read {
    schema: SchemaRef,
    batch: RecordBatch,
    metadata: Arc<ParquetMetaData>,
}

fn read_parquet(path: &Path) -> Read {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = Arc::clone(builder.schema());
    let metadata = Arc::clone(builder.metadata());
    let reader = builder.with_batch_size(1 << 20).build().unwrap();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    assert!(batches.len() <= 1, "one batch of at most 2^20 rows");
    let batch = batches
        .into_iter()
        .next()
        .unwrap_or_else(|| RecordBatch::new_empty(Arc::clone(&schema)));
    Read {
        schema,
        batch,
        metadata,
    }
}

/// The values of a string column (Utf8, LargeUtf8 or Utf8View).
fn strings(array: &dyn Array) -> Vec<Option<String>> {
    let owned = |v: Option<&str>| v.map(str::to_string);
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().map(owned).collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().map(owned).collect(),
        DataType::Utf8View => array.as_string_view().iter().map(owned).collect(),
        other => panic!("not a string column: {other}"),
    }
}

/// What the library makes of each value: the column the output must hold.
fn cleaned(values: &[Option<String>]) -> Vec<Option<String>> {
    let cleaner = Cleaner::new();
    values
        .iter()
        .map(|v| v.as_ref().map(|text| cleaner.clean(text).text))
        .collect()
}

/// The file's key-value metadata but the Arrow schema (which encodes the same schema anew).
fn key_values(metadata: &ParquetMetaData) -> Vec<(String, Option<String>)> {
    let pairs = metadata.file_metadata().key_value_metadata();
    let pairs = pairs.into_iter().flatten();
    let kept = pairs.filter(|kv| kv.key != ARROW_SCHEMA_META_KEY);
    kept.map(|kv| (kv.key.clone(), kv.value.clone())).collect()
}

/// Rows per row group.
fn group_rows(metadata: &ParquetMetaData) -> Vec<i64> {
    metadata.row_groups().iter().map(|g| g.num_rows()).collect()
}

/// Assert that `output` is `input` with the column `text` cleaned as the library cleans it:
/// the same schema (metadata included), the same other columns, the same row groups.
fn assert_cleaned_copy(input: &Path, output: &Path) {
    let (before, after) = (read_parquet(input), read_parquet(output));
    assert_eq!(before.schema, after.schema, "the schema is kept");
    assert_eq!(after.schema.metadata()["origin"], "crawl-2024");
    let text_field = after.schema.field_with_name("text").unwrap();
    assert_eq!(text_field.metadata()["lang"], "en");
    assert_eq!(
        key_values(&before.metadata),
        key_values(&after.metadata),
        "the file's key-value metadata is kept"
    );
    assert_eq!(group_rows(&before.metadata), group_rows(&after.metadata));
    let text = before.schema.index_of("text").unwrap();
    for (i, field) in before.schema.fields().iter().enumerate() {
        let (was, is) = (before.batch.column(i), after.batch.column(i));
        if i == text {
            assert_eq!(strings(is), cleaned(&strings(was)), "the text column");
            assert_eq!(is.logical_nulls(), was.logical_nulls(), "nulls stay null");
        } else {
            assert_eq!(was, is, "column {} is kept", field.name());
        }
    }
}

#[test]
fn the_text_column_is_cleaned_and_everything_else_is_kept() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in/news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-j2"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        // Seven rows, one of them null: six documents.
        .stderr(contains("6 documents cleaned"));
    let output = out.join("news.parquet");
    assert_cleaned_copy(&input, &output);
    // Some rows did change (the junk is gone), others did not.
    let after = strings(read_parquet(&output).batch.column(1));
    assert_eq!(after[1].as_deref(), Some(common::CLEAN));
    assert_eq!(after[2], None);
    assert_eq!(after[5].as_deref(), Some(""));
}

#[test]
fn each_columns_codec_is_kept() {
    let tmp = TempDir::new().unwrap();
    let codecs = [
        Compression::ZSTD(ZstdLevel::default()),
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::LZ4_RAW,
        Compression::UNCOMPRESSED,
    ];
    for codec in codecs {
        let name = format!("{codec:?}").replace(|c: char| !c.is_alphanumeric(), "_");
        let input = tmp.path().join(format!("in/{name}.parquet"));
        write_parquet(&input, &table(), codec, 1000);
        let output = tmp.path().join(format!("out/{name}.parquet"));
        boilerstrip()
            .args(["clean", "-q"])
            .arg(&input)
            .arg("-o")
            .arg(tmp.path().join("out"))
            .assert()
            .success();
        assert_cleaned_copy(&input, &output);
        let metadata = read_parquet(&output).metadata;
        for group in metadata.row_groups() {
            for column in group.columns() {
                assert_eq!(
                    column.compression(),
                    codec,
                    "{name}: {}",
                    column.column_path()
                );
            }
        }
    }
}

/// A file of many small row groups keeps them, and rows keep their order across them.
#[test]
fn row_groups_and_row_order_are_kept() {
    let tmp = TempDir::new().unwrap();
    let n = 3000;
    let texts: Vec<Option<String>> = (0..n)
        .map(|i| match i % 3 {
            0 => Some(format!("Skip to content\nStory {i} is about the river.\n")),
            1 => None,
            _ => Some(format!("Story {i} needs no cleaning.\n")),
        })
        .collect();
    let schema = Schema::new(vec![
        Field::new("n", DataType::Int64, false),
        Field::new("text", DataType::LargeUtf8, true),
    ]);
    let batch = RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(Int64Array::from_iter_values(0..n)),
            Arc::new(LargeStringArray::from(texts.clone())),
        ],
    )
    .unwrap();
    let input = tmp.path().join("stories.parquet");
    // Row groups of 700 rows: the last one is shorter, and none is a multiple of a batch.
    write_parquet(&input, &batch, Compression::ZSTD(ZstdLevel::default()), 700);
    let output = tmp.path().join("out/stories.parquet");
    boilerstrip()
        .args(["clean", "-q", "-j2"])
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let read = read_parquet(&output);
    assert_eq!(group_rows(&read.metadata), [700, 700, 700, 700, 200]);
    assert_eq!(read.batch.column(0).as_ref(), batch.column(0).as_ref());
    let got = strings(read.batch.column(1));
    assert_eq!(got, cleaned(&texts));
    assert_eq!(
        got[0].as_deref(),
        Some("Story 0 is about the river.\n"),
        "the junk line is gone"
    );
}

/// `--field` reaches into a struct column with a dotted path; Utf8View columns are cleaned as
/// Utf8 ones are, and keep their type.
#[test]
fn a_nested_field_and_a_view_column_are_cleaned() {
    let tmp = TempDir::new().unwrap();
    let texts = texts();
    let body: ArrayRef = Arc::new(StringViewArray::from(texts.clone()));
    let title: ArrayRef = Arc::new(StringArray::from_iter_values(
        (0..texts.len()).map(|i| format!("title {i}")),
    ));
    let doc = StructArray::from(vec![
        (Arc::new(Field::new("title", DataType::Utf8, false)), title),
        (Arc::new(Field::new("body", DataType::Utf8View, true)), body),
    ]);
    let schema = Schema::new(vec![Field::new("doc", doc.data_type().clone(), false)]);
    let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(doc)]).unwrap();
    let input = tmp.path().join("nested.parquet");
    write_parquet(&input, &batch, Compression::SNAPPY, 1000);
    let output = tmp.path().join("out/nested.parquet");
    boilerstrip()
        .args(["clean", "-q", "--field", "doc.body"])
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let (before, after) = (read_parquet(&input), read_parquet(&output));
    assert_eq!(before.schema, after.schema);
    let (was, is) = (
        before.batch.column(0).as_struct(),
        after.batch.column(0).as_struct(),
    );
    assert_eq!(was.column(0).as_ref(), is.column(0).as_ref(), "title kept");
    assert_eq!(is.column(1).data_type(), &DataType::Utf8View);
    assert_eq!(strings(is.column(1)), cleaned(&texts));
}

/// A typo in `--field`, or a column that holds no strings, fails that file with a message
/// naming the columns there are; the other files of the batch are cleaned, and the exit code
/// is 1.
#[test]
fn a_missing_or_non_string_column_fails_that_file_and_the_batch_goes_on() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    write_parquet(&input.join("a.parquet"), &table(), Compression::SNAPPY, 100);
    common::write(&input, "b.txt", DOC);
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "--field", "txt"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains(
            "a.parquet: no column \"txt\", so nothing was cleaned",
        ))
        .stderr(contains(
            r#"its columns are "id", "text", "url", "score", "tags""#,
        ))
        .stderr(contains("1 failed"));
    assert_eq!(
        fs::read_to_string(out.join("b.txt")).unwrap(),
        common::CLEAN
    );
    assert!(!out.join("a.parquet").exists(), "nothing written for it");
    boilerstrip()
        .args(["clean", "-q", "--field", "score"])
        .arg(input.join("a.parquet"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains(
            "a.parquet: the column \"score\" holds Float64, not strings",
        ));
}

/// A file that is not Parquet, or is cut short, fails with its path; the batch goes on.
#[test]
fn a_corrupt_file_fails_with_its_path_and_the_batch_goes_on() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    let good = input.join("good.parquet");
    write_parquet(&good, &table(), Compression::SNAPPY, 100);
    let bytes = fs::read(&good).unwrap();
    common::write(&input, "cut.parquet", &bytes[..bytes.len() / 2]);
    common::write(&input, "text.parquet", DOC);
    // The footer whole, a column chunk scrambled.
    let mut scrambled = bytes.clone();
    for b in &mut scrambled[4..bytes.len() / 3] {
        *b = b.wrapping_mul(31).wrapping_add(7);
    }
    common::write(&input, "scrambled.parquet", &scrambled);
    let out = tmp.path().join("out");
    let assert = boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for name in ["cut.parquet", "text.parquet", "scrambled.parquet"] {
        let path = input.join(name);
        let line = stderr
            .lines()
            .find(|l| l.contains(&*path.to_string_lossy()))
            .unwrap_or_else(|| panic!("{name} is not reported:\n{stderr}"));
        assert!(line.starts_with("boilerstrip: error: "), "{line}");
        assert!(line.contains("nothing written for this file"), "{line}");
        assert!(!out.join(name).exists(), "{name} is not written");
    }
    assert!(stderr.contains("3 failed"), "{stderr}");
    assert_cleaned_copy(&good, &out.join("good.parquet"));
    let leftovers: Vec<_> = common::tree(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".boilerstrip-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_dry_run_shows_a_diff_per_changed_row_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let before = fs::read(&input).unwrap();
    let assert = boilerstrip()
        .args(["clean", "--dry-run", "-j2"])
        .arg(&input)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    // The diff names the file by its path without the leading `/`.
    let path = input.display().to_string();
    let name = path.trim_start_matches('/');
    // Rows are counted from 0: row 1 is the document with junk at both ends.
    assert!(stdout.contains(&format!("--- a/{name}:1\n")), "{stdout}");
    assert!(stdout.contains("-Skip to content\n"), "{stdout}");
    // Rows that would not change (3: plain; 5: empty) and the null (2) have no diff.
    for row in [2, 3, 5] {
        assert!(!stdout.contains(&format!("{name}:{row}\n")), "{stdout}");
    }
    // Diffs come in row order.
    let at = |row: u32| stdout.find(&format!("--- a/{name}:{row}\n")).unwrap();
    assert!(at(0) < at(1) && at(1) < at(4) && at(4) < at(6), "{stdout}");
    assert_eq!(fs::read(&input).unwrap(), before, "nothing written");
    assert_eq!(common::tree(tmp.path()), [Path::new("news.parquet")]);
    boilerstrip()
        .args(["clean", "--dry-run", "--explain"])
        .arg(&input)
        .assert()
        .success()
        .stdout(contains("NAV001"));
}

/// `--max-removed` leaves a row whose cleaning would remove too much as it was, and says so
/// with the row's number; the others are cleaned.
#[test]
fn a_row_over_max_removed_is_left_uncleaned() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let out = tmp.path().join("out");
    let name = input.display().to_string();
    boilerstrip()
        .args(["clean", "--max-removed", "0.5"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        // Row 6 is a page of comments: the line model takes nearly all of it.
        .stderr(contains(format!(
            "warning: {name}:6: cleaning would remove"
        )))
        .stderr(contains("over --max-removed: left uncleaned"))
        .stderr(contains("quarantined: 1 document(s) over --max-removed"))
        .stderr(contains(format!("{name}:6")));
    let texts = texts();
    let after = strings(read_parquet(&out.join("news.parquet")).batch.column(1));
    assert_eq!(after[6], texts[6], "kept as it was");
    assert_eq!(after[..6], cleaned(&texts)[..6]);
}

#[test]
#[cfg(unix)]
fn outputs_get_0666_less_the_umask_and_in_place_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in/news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    for (umask, want) in [("022", 0o644), ("077", 0o600)] {
        let out = tmp.path().join(format!("out-{umask}"));
        common::boilerstrip_with_umask(umask)
            .args(["clean", "-q"])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        assert_eq!(
            common::mode(&out.join("news.parquet")),
            want,
            "umask {umask}"
        );
    }
    let copy = tmp.path().join("copy/news.parquet");
    fs::create_dir_all(copy.parent().unwrap()).unwrap();
    fs::copy(&input, &copy).unwrap();
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o640)).unwrap();
    boilerstrip()
        .args(["clean", "-q", "--in-place"])
        .arg(copy.parent().unwrap())
        .assert()
        .success();
    assert_eq!(common::mode(&copy), 0o640);
    assert_cleaned_copy(&input, &copy);
}

/// Directories are walked for `*.parquet` beside the other formats, and the tree is mirrored.
#[test]
fn parquet_files_are_walked_by_default_and_mirrored() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    write_parquet(
        &input.join("2024/05/news.parquet"),
        &table(),
        Compression::SNAPPY,
        3,
    );
    common::write(&input, "notes/a.txt", DOC);
    common::write(&input, "other.bin", "not walked");
    let out = tmp.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        // Six rows of the Parquet file, one text file.
        .stderr(contains("7 documents cleaned"));
    assert_eq!(
        common::tree(&out),
        [Path::new("2024/05/news.parquet"), Path::new("notes/a.txt")]
    );
    assert_cleaned_copy(
        &input.join("2024/05/news.parquet"),
        &out.join("2024/05/news.parquet"),
    );
}

/// Stdin: read as Parquet by its magic bytes (or `--format parquet`), copied to a temporary
/// file, written to stdout; a file named without the extension is read by its magic too.
#[test]
fn stdin_and_files_without_the_extension_are_read_by_their_magic() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    for format in [None, Some("parquet")] {
        let mut cmd = boilerstrip();
        cmd.arg("clean");
        if let Some(format) = format {
            cmd.args(["--format", format]);
        }
        let assert = cmd.arg("-").pipe_stdin(&input).unwrap().assert().success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert_eq!(
            stderr.contains("read as Parquet"),
            format.is_none(),
            "{stderr}"
        );
        let output = tmp.path().join("stdout.parquet");
        fs::write(&output, &assert.get_output().stdout).unwrap();
        assert_cleaned_copy(&input, &output);
    }
    let unnamed = tmp.path().join("news.dat");
    fs::copy(&input, &unnamed).unwrap();
    let assert = boilerstrip()
        .args(["clean"])
        .arg(&unnamed)
        .assert()
        .success();
    let output = tmp.path().join("from-file.parquet");
    fs::write(&output, &assert.get_output().stdout).unwrap();
    assert_cleaned_copy(&input, &output);
    // Stdin that is no Parquet file, read as one, fails.
    boilerstrip()
        .args(["clean", "--format", "parquet", "-"])
        .write_stdin(DOC)
        .assert()
        .code(1)
        .stderr(contains("<stdin>: cannot read it as Parquet"));
}

/// A table of stories from two sites (`url` column): a line planted in the four rows of one
/// site, and once in the other's, which has three rows.
fn planted() -> (RecordBatch, &'static str) {
    const LINE: &str = "Printed by the Larkspur Mill press room";
    let rows: Vec<(String, String)> = (0..7)
        .map(|i| {
            let (host, planted) = match i {
                0..4 => ("https://www.larkspur.example", true),
                4 => ("https://valley.example", true),
                _ => ("https://valley.example", false),
            };
            // Over twelve words: a sentence, never counted, however often it repeats.
            let mut text = format!(
                "Story {i} tells of the weir, the mill race and the flood that came with the \
                 spring thaw.\n"
            );
            if planted {
                text.push_str(&format!("\n{LINE}\n"));
            }
            (format!("{host}/story/{i}"), text)
        })
        .collect();
    let urls: ArrayRef = Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.0)));
    let texts: ArrayRef = Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.1)));
    let batch = RecordBatch::try_from_iter([("url", urls), ("text", texts)]).unwrap();
    (batch, LINE)
}

/// `mine` reads the `--field` column of a Parquet file, rows grouped by the host of the
/// `--group-by` column; `clean --learn` removes what it learns from the same rows.
#[test]
fn mine_finds_and_learn_removes_a_line_repeated_across_rows() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in/stories.parquet");
    let (batch, line) = planted();
    // Row groups of two rows: the rows of a group are read across them.
    write_parquet(&input, &batch, Compression::SNAPPY, 2);
    let assert = boilerstrip()
        .args(["mine", "--group-by", "url"])
        .arg(&input)
        .assert()
        .success();
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains(&format!("phrases = [\"{line}\"]")),
        "{stdout}"
    );
    assert!(stderr.contains("(4/4 larkspur.example)"), "{stderr}");
    assert!(stderr.contains("from 7 document(s)"), "{stderr}");

    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-q", "--learn", "--group-by", "url"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let after = strings(read_parquet(&out.join("stories.parquet")).batch.column(1));
    for (row, text) in after.iter().enumerate() {
        let text = text.as_deref().unwrap();
        // Learned in larkspur.example's four rows; once in valley.example's, it is kept.
        assert_eq!(text.contains(line), row == 4, "row {row}: {text:?}");
        assert!(text.starts_with(&format!("Story {row} ")), "{text:?}");
    }
    // Without --group-by, all rows are one group: the line goes from all five.
    boilerstrip()
        .args(["clean", "-q", "--learn"])
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("all"))
        .assert()
        .success();
    let after = strings(
        read_parquet(&tmp.path().join("all/stories.parquet"))
            .batch
            .column(1),
    );
    assert!(after.iter().flatten().all(|text| !text.contains(line)));
}

/// A row whose `--group-by` column is null is counted in the group `(none)`, with a warning
/// naming its row; a file whose column is null in every row fails (as a JSONL file none of
/// whose records has the field).
#[test]
fn mine_counts_rows_with_a_null_group_in_the_group_none() {
    let tmp = TempDir::new().unwrap();
    let text = "A sentence about the weir that is long enough to be article text here.\n";
    let file = |name: &str, urls: Vec<Option<&str>>| {
        let texts: ArrayRef = Arc::new(StringArray::from_iter_values(urls.iter().map(|_| text)));
        let urls: ArrayRef = Arc::new(StringArray::from(urls));
        let batch = RecordBatch::try_from_iter([("url", urls), ("text", texts)]).unwrap();
        let path = tmp.path().join(name);
        write_parquet(&path, &batch, Compression::SNAPPY, 100);
        path
    };
    let some = file("some.parquet", vec![Some("https://a.example/1"), None]);
    boilerstrip()
        .args(["mine", "--group-by", "url"])
        .arg(&some)
        .assert()
        .success()
        .stderr(contains(format!(
            "{}:1: a null in the column \"url\" to group by; counted in the group (none)",
            some.display()
        )));
    let none = file("none.parquet", vec![None, None]);
    boilerstrip()
        .args(["mine", "--group-by", "url"])
        .arg(&none)
        .assert()
        .code(1)
        .stderr(contains(
            "none.parquet: no row has the field \"url\": its 2 row(s) would all be one group",
        ));
}

/// A `--group-by` column the file does not have fails it, naming the columns there are.
#[test]
fn mine_fails_a_parquet_file_without_the_group_by_column() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("stories.parquet");
    write_parquet(&input, &planted().0, Compression::SNAPPY, 100);
    boilerstrip()
        .args(["mine", "--group-by", "site"])
        .arg(&input)
        .assert()
        .code(1)
        .stderr(contains(
            r#"stories.parquet: no column "site", so the file was not read: its columns are "url", "text" (--group-by names the column that groups rows)"#,
        ));
}

/// On a terminal (a pty made by util-linux `script`), a Parquet file is not written to stdout:
/// the file fails with a hint, and nothing binary reaches the screen.
#[cfg(target_os = "linux")]
#[test]
fn parquet_is_not_written_to_a_terminal() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let bin = env!("CARGO_BIN_EXE_boilerstrip");
    let command = format!("{bin} clean {}", input.display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux `script` runs the command on a pty");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Parquet is binary and stdout is a terminal: not written"),
        "{text}"
    );
    assert!(!text.contains("PAR1"), "{text}");
}

/// On a terminal, one Parquet file's progress counts its rows, of the total in its footer,
/// with their rate, thousands separated (as one JSONL file's counts bytes and records); off a
/// terminal nothing is drawn. `script` (util-linux) gives the run a terminal.
#[cfg(target_os = "linux")]
#[test]
fn one_parquet_file_shows_progress_by_rows_on_a_terminal() {
    let tmp = TempDir::new().unwrap();
    let n = 3000;
    let texts: Vec<String> = (0..n)
        .map(|i| format!("Skip to content\nStory {i} is about the river and the town.\n"))
        .collect();
    let column: ArrayRef = Arc::new(StringArray::from_iter_values(&texts));
    let batch = RecordBatch::try_from_iter([("text", column)]).unwrap();
    let input = tmp.path().join("rows.parquet");
    write_parquet(&input, &batch, Compression::SNAPPY, 1000);
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("off"))
        .assert()
        .success()
        .stderr(contains("rows/s").not());
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_script {
        eprintln!("skipped the terminal: no util-linux script(1)");
        return;
    }
    let command = format!(
        "{} clean {} -o {}",
        env!("CARGO_BIN_EXE_boilerstrip"),
        input.display(),
        tmp.path().join("out").display()
    );
    let run = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .output()
        .unwrap();
    let drawn = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{drawn}");
    assert!(drawn.contains("/3,000 rows, "), "{drawn}");
    assert!(drawn.contains(" rows/s"), "{drawn}");
    assert!(!drawn.contains(" docs "), "no bar of documents: {drawn}");
    assert!(!drawn.contains("MiB/"), "no bar of bytes: {drawn}");
}

/// A value over `--max-doc-bytes` is kept as it was and counted as skipped; past five such
/// warnings in a file, one line says how many more there were.
#[test]
fn values_over_max_doc_bytes_are_kept_and_counted() {
    let tmp = TempDir::new().unwrap();
    let texts: Vec<Option<String>> = (0..8)
        .map(|i| {
            Some(format!(
                "Skip to content\nStory {i} {}\n",
                "word ".repeat(40)
            ))
        })
        .chain([Some("Skip to content\nShort.\n".to_string())])
        .collect();
    let schema = Schema::new(vec![Field::new("text", DataType::Utf8, true)]);
    let column: ArrayRef = Arc::new(StringArray::from(texts.clone()));
    let batch = RecordBatch::try_new(Arc::new(schema), vec![column]).unwrap();
    let input = tmp.path().join("long.parquet");
    write_parquet(&input, &batch, Compression::SNAPPY, 100);
    let out = tmp.path().join("out");
    let assert = boilerstrip()
        .args(["clean", "--max-doc-bytes", "100"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains(
            "1 documents cleaned, 1 changed, 0 emptied, 8 skipped",
        ))
        .stderr(contains(
            "long.parquet: 3 more rows over --max-doc-bytes not shown",
        ));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let warned = stderr
        .matches("over --max-doc-bytes 100; kept as it was")
        .count();
    assert_eq!(warned, 5, "{stderr}");
    let after = strings(read_parquet(&out.join("long.parquet")).batch.column(0));
    assert_eq!(after[..8], texts[..8], "kept as they were");
    assert_eq!(after[8].as_deref(), Some("Short.\n"));
}

/// `--drop-empty` leaves out the rows whose value comes out empty (counted as dropped, as JSONL
/// records are); nulls are no documents and stay; a row group emptied whole is left out.
#[test]
fn drop_empty_leaves_out_rows_that_come_out_empty() {
    let tmp = TempDir::new().unwrap();
    let texts = vec![
        Some("Skip to content\n"),
        Some("Skip to content\nThe bridge opened on Monday.\n"),
        None,
        Some(""),
        Some("Skip to content\n"),
        Some("Skip to content\n"),
        Some("The ferry runs again.\n"),
    ];
    let n = texts.len() as i64;
    let batch = RecordBatch::try_from_iter([
        (
            "n",
            Arc::new(Int64Array::from_iter_values(0..n)) as ArrayRef,
        ),
        ("text", Arc::new(StringArray::from(texts)) as ArrayRef),
    ])
    .unwrap();
    let input = tmp.path().join("news.parquet");
    // Row groups [0, 1], [2, 3], [4, 5], [6]: the third is emptied whole.
    write_parquet(&input, &batch, Compression::SNAPPY, 2);
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "--drop-empty", "-j2"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("6 documents cleaned"))
        .stderr(contains("records: 4 dropped (text came out empty)"));
    let read = read_parquet(&out.join("news.parquet"));
    let kept = read
        .batch
        .column(0)
        .as_primitive::<arrow_array::types::Int64Type>();
    assert_eq!(
        kept.values().to_vec(),
        [1, 2, 6],
        "rows 0, 3, 4 and 5 dropped"
    );
    assert_eq!(
        strings(read.batch.column(1)),
        [
            Some("The bridge opened on Monday.\n".to_string()),
            None,
            Some("The ferry runs again.\n".to_string())
        ]
    );
    assert_eq!(group_rows(&read.metadata), [1, 1, 1]);
    // Without the flag, every row stays.
    boilerstrip()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("all"))
        .assert()
        .success();
    let read = read_parquet(&tmp.path().join("all/news.parquet"));
    assert_eq!(group_rows(&read.metadata), [2, 2, 2, 1]);
}

/// `--id-field` names a row by its value in that column, in diffs, warnings and the report,
/// as it names JSONL records; a column that is not there fails the file.
#[test]
fn id_field_names_rows_by_a_columns_value() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let name = input.display().to_string();
    let report = tmp.path().join("report.json");
    let assert = boilerstrip()
        .args([
            "clean",
            "--dry-run",
            "--id-field",
            "url",
            "--max-removed",
            "0.5",
        ])
        .arg("--report")
        .arg(&report)
        .arg(&input)
        .assert()
        .success();
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let diff_name = name.trim_start_matches('/');
    assert!(
        stdout.contains(&format!("--- a/{diff_name}:https://news.example/1\n")),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: {name}:6 (id https://news.example/6): cleaning would remove"
        )),
        "{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| doc["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths[0], format!("{name}:https://news.example/0"));
    // An integer column names rows too.
    boilerstrip()
        .args(["clean", "--dry-run", "--id-field", "id"])
        .arg(&input)
        .assert()
        .success()
        .stdout(contains(format!("--- a/{diff_name}:4\n")));
    boilerstrip()
        .args(["clean", "-q", "--dry-run", "--id-field", "uid"])
        .arg(&input)
        .assert()
        .code(1)
        .stderr(contains(
            r#"no column "uid", so the file was not read: its columns are "id", "text", "url", "score", "tags" (--id-field names the column that names rows)"#,
        ));
}

/// `--annotate`, `--on-error` and `--compress` are JSONL's: with a Parquet file named, or
/// Parquet on stdin, they are refused (exit code 2) rather than silently ignored; a Parquet
/// file found in a walked directory, among the files they are for, is warned about once.
#[test]
fn jsonl_only_flags_are_refused_with_parquet_input() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in/news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let unnamed = tmp.path().join("in/news.dat");
    fs::copy(&input, &unnamed).unwrap();
    let flags: [&[&str]; 3] = [
        &["--annotate"],
        &["--on-error", "skip"],
        &["--compress", "gzip"],
    ];
    for flag in flags {
        for path in [&input, &unnamed] {
            boilerstrip()
                .arg("clean")
                .args(flag)
                .arg(path)
                .arg("-o")
                .arg(tmp.path().join("out"))
                .assert()
                .code(2)
                .stderr(contains(format!(
                    "{} does not apply to Parquet input ({})",
                    flag[0],
                    path.display()
                )));
        }
        for format in [None, Some("parquet")] {
            let mut cmd = boilerstrip();
            cmd.arg("clean").args(flag);
            if let Some(format) = format {
                cmd.args(["--format", format]);
            }
            cmd.arg("-")
                .pipe_stdin(&input)
                .unwrap()
                .assert()
                .code(2)
                .stdout("")
                .stderr(contains(format!(
                    "{} does not apply to Parquet input",
                    flag[0]
                )));
        }
    }
    assert!(!tmp.path().join("out").exists(), "nothing written");
    // A directory of JSONL and Parquet: the JSONL file is compressed, the Parquet file is
    // cleaned as it would be without the flag, and the run says so once.
    common::write(
        &tmp.path().join("in"),
        "a.jsonl",
        format!("{}\n", serde_json::json!({ "text": DOC })),
    );
    fs::remove_file(&unnamed).unwrap();
    let out = tmp.path().join("out");
    let assert = boilerstrip()
        .args(["clean", "--compress", "gzip"])
        .arg(tmp.path().join("in"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let warning = "--compress does not apply to Parquet files: not applied to this one";
    assert_eq!(stderr.matches(warning).count(), 1, "{stderr}");
    assert!(out.join("a.jsonl.gz").exists());
    assert_cleaned_copy(&input, &out.join("news.parquet"));
}

/// A Python that can `import pyarrow`, if there is one (`BOILERSTRIP_PYARROW_PYTHON`, a venv at
/// `target/pyarrow-venv`, which .ci/run makes, or `python3`).
fn pyarrow_python() -> Option<std::path::PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyarrow-venv/bin/python");
    let candidates = std::env::var_os("BOILERSTRIP_PYARROW_PYTHON")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([venv, "python3".into()]);
    candidates.into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import pyarrow.parquet"])
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

/// An independent reader, pyarrow, reads the output with the input's schema (metadata
/// included), its other columns, its row groups and its codec, and the cleaned text.
#[test]
fn pyarrow_reads_the_output_as_the_input_with_the_text_cleaned() {
    let Some(python) = pyarrow_python() else {
        eprintln!(
            "parquet: pyarrow cannot be imported (pip install pyarrow, or set \
             BOILERSTRIP_PYARROW_PYTHON): outputs are read back by the parquet crate only"
        );
        return;
    };
    const SCRIPT: &str = r#"
import sys, json, pyarrow.parquet as pq
a, b = pq.ParquetFile(sys.argv[1]), pq.ParquetFile(sys.argv[2])
m = b.metadata
ta, tb = a.read(), b.read()
print(json.dumps({
    "schema_equal": a.schema_arrow.equals(b.schema_arrow, check_metadata=True),
    "groups": [m.row_group(i).num_rows for i in range(m.num_row_groups)],
    "codecs": sorted({m.row_group(i).column(j).compression
                      for i in range(m.num_row_groups) for j in range(m.num_columns)}),
    "others_equal": ta.drop_columns(["text"]).equals(tb.drop_columns(["text"])),
    "text": tb.column("text").to_pylist(),
}))
"#;
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::ZSTD(ZstdLevel::default()), 3);
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let read = std::process::Command::new(&python)
        .args(["-c", SCRIPT])
        .arg(&input)
        .arg(out.join("news.parquet"))
        .output()
        .unwrap();
    assert!(read.status.success(), "pyarrow: {read:?}");
    let got: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(got["schema_equal"], true, "{got}");
    assert_eq!(got["groups"], serde_json::json!([3, 3, 1]), "{got}");
    assert_eq!(got["codecs"], serde_json::json!(["ZSTD"]), "{got}");
    assert_eq!(got["others_equal"], true, "{got}");
    assert_eq!(got["text"], serde_json::json!(cleaned(&texts())), "{got}");
}

/// The audit report lists each cleaned value as a document named `PATH:ROW` (nulls are not
/// documents), with the totals.
#[test]
fn the_audit_report_lists_each_row() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &table(), Compression::SNAPPY, 3);
    let report = tmp.path().join("report.json");
    boilerstrip()
        .args(["clean", "-q", "-j2"])
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["totals"]["documents"], 6, "{report}");
    let paths: Vec<String> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| doc["path"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = [0, 1, 3, 4, 5, 6]
        .iter()
        .map(|row| format!("{}:{row}", input.display()))
        .collect();
    assert_eq!(paths, want);
}
