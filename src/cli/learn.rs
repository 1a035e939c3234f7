//! Reading a batch for repeat statistics, shared by `boilerstrip mine` and `clean --learn`:
//! which group a document belongs to ([`Grouping`]), and a scan that hands every document of
//! the inputs, in input order, to the counting in the library ([`boilerstrip::mine`]).
//!
//! Text files are read and split in parallel a chunk of files at a time; a JSONL file is read in
//! chunks of lines whose records are split in parallel, a WARC file in chunks of its text
//! records, and a Parquet file a batch of rows at a time (of its `--field` column and its
//! `--group-by` column only). Each chunk is handed on in input order,
//! so the counts, and all output, are the same at any thread count, and memory holds one chunk
//! at a time whatever the size of the dump.

use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use boilerstrip::jsonl;
use boilerstrip::mine::{DocLines, Guards, Learned, LearnedLines, LineCounts};
use rayon::prelude::*;

use super::args::{GroupArgs, InputFormat};
use super::compression;
use super::messages::Messages;
use super::parquet;
use super::warc;

/// Text files split in parallel at a time.
const FILE_CHUNK: usize = 256;
/// JSONL lines split in parallel at a time, at most.
const RECORD_CHUNK: usize = 4096;
/// Bytes of JSONL lines split in parallel at a time, about (a chunk ends at the first line end
/// past this).
const RECORD_CHUNK_BYTES: usize = 4 << 20;

/// How documents are grouped.
#[derive(Debug, Clone)]
pub enum Grouping {
    /// All documents are one group, `*`.
    All,
    /// By the directory a file is in.
    Dir,
    /// JSONL records by a field (a URL by its host); text files by directory.
    Field(String, jsonl::Options),
}

impl Grouping {
    pub fn new(args: &GroupArgs) -> Grouping {
        match (&args.group_by, args.group_by_dir) {
            (Some(field), _) => {
                Grouping::Field(field.clone(), jsonl::Options::new().id_field(field))
            }
            (None, true) => Grouping::Dir,
            (None, false) => Grouping::All,
        }
    }

    /// The group of a text file.
    pub fn of_file(&self, path: &Path) -> String {
        match self {
            Grouping::All => "*".to_string(),
            Grouping::Dir | Grouping::Field(..) => directory(path),
        }
    }

    /// The group of a JSONL record on `line` of the file `path`.
    pub fn of_record(&self, path: &Path, line: &str) -> String {
        self.record_group(path, line)
            .unwrap_or_else(|| UNGROUPED.to_string())
    }

    /// The group of a JSONL record, or `None` for a record without the --group-by field.
    fn record_group(&self, path: &Path, line: &str) -> Option<String> {
        match self {
            Grouping::All => Some("*".to_string()),
            Grouping::Dir => Some(directory(path)),
            Grouping::Field(_, options) => options.record_id(line).map(|value| host(&value)),
        }
    }

    /// The group of a WARC record whose `WARC-Target-URI` is `uri`, in the file `path`: the
    /// URI's host, whatever --group-by names (a dump mixes sites, and each record names its
    /// own), or, with --group-by-dir, the file's directory. A record without the header is in
    /// the group `(none)`.
    pub fn of_warc_record(&self, path: &Path, uri: Option<&str>) -> String {
        match self {
            Grouping::Dir => directory(path),
            Grouping::All | Grouping::Field(..) => uri.map_or_else(|| UNGROUPED.to_string(), host),
        }
    }

    /// The group of a Parquet row whose `--group-by` column holds `value`, in the file `path`:
    /// as a JSONL record's (a URL by its host; a null in the group `(none)`), or, with
    /// --group-by-dir, the file's directory.
    pub fn of_parquet_row(&self, path: &Path, value: Option<&str>) -> String {
        match self {
            Grouping::All => "*".to_string(),
            Grouping::Dir => directory(path),
            Grouping::Field(..) => value.map_or_else(|| UNGROUPED.to_string(), host),
        }
    }

    /// The field records are grouped by, if any.
    fn field(&self) -> Option<&str> {
        match self {
            Grouping::Field(field, _) => Some(field),
            Grouping::All | Grouping::Dir => None,
        }
    }
}

/// The group of the records without the --group-by field.
const UNGROUPED: &str = "(none)";

/// Records without the --group-by field warned about per input; the rest are counted.
const WARNINGS_SHOWN: u64 = 5;

fn directory(path: &Path) -> String {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.display().to_string(),
        _ => ".".to_string(),
    }
}

/// The host of a URL (lowercase, without `www.`, user or port), or the value itself when it is
/// not a URL.
pub fn host(value: &str) -> String {
    let Some((_, rest)) = value.split_once("://") else {
        return value.trim().to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    let host = host.to_ascii_lowercase();
    match host.strip_prefix("www.") {
        Some(rest) => rest.to_string(),
        None => host,
    }
}

/// One document of a scan.
pub struct Doc {
    pub group: String,
    /// Its path, or `PATH:LINE` for a JSONL record.
    pub name: String,
    pub lines: DocLines,
    /// The line number of a JSONL record without the --group-by field (it is in the group
    /// `(none)`).
    ungrouped: Option<u64>,
}

/// Read every document of `sources` in order and hand them to `sink` a chunk at a time, in
/// order. Problems (unreadable files, bad records) are reported when `messages` is given, and
/// Report that the file `path` could not be read (whole), when there are messages to report
/// to: false, the reader's answer.
fn failed(messages: Option<&Messages>, path: &Path, message: String) -> bool {
    if let Some(messages) = messages {
        messages.error(path, message);
    }
    false
}

/// the documents skipped; returns the number of inputs that failed.
pub fn scan(
    sources: &[(PathBuf, InputFormat)],
    grouping: &Grouping,
    field: &str,
    guards: Guards,
    messages: Option<&Messages>,
    mut sink: impl FnMut(Vec<Doc>),
) -> u64 {
    let records = jsonl::Options::new().field(field);
    let mut failed = 0;
    let mut pending: Vec<&Path> = Vec::new();
    let flush = |pending: &mut Vec<&Path>, sink: &mut dyn FnMut(Vec<Doc>)| {
        let docs: Vec<Option<Doc>> = pending
            .par_iter()
            .map(|path| read_text(path, grouping, guards, messages))
            .collect();
        pending.clear();
        sink(docs.into_iter().flatten().collect());
    };
    for (path, format) in sources {
        match format {
            InputFormat::Text => {
                pending.push(path);
                if pending.len() == FILE_CHUNK {
                    flush(&mut pending, &mut sink);
                }
            }
            InputFormat::Jsonl => {
                flush(&mut pending, &mut sink);
                let ok = read_jsonl(path, grouping, &records, guards, messages, &mut sink);
                failed += u64::from(!ok);
            }
            InputFormat::Warc => {
                flush(&mut pending, &mut sink);
                let ok = read_warc(path, grouping, guards, messages, &mut sink);
                failed += u64::from(!ok);
            }
            InputFormat::Parquet => {
                flush(&mut pending, &mut sink);
                let ok = read_parquet(path, grouping, field, guards, messages, &mut sink);
                failed += u64::from(!ok);
            }
        }
    }
    flush(&mut pending, &mut sink);
    failed
}

fn read_text(
    path: &Path,
    grouping: &Grouping,
    guards: Guards,
    messages: Option<&Messages>,
) -> Option<Doc> {
    // Read decompressed, as `clean` reads it.
    let read = fs::File::open(path)
        .and_then(compression::decoder)
        .and_then(|(mut input, _)| {
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes).map(|_| bytes)
        });
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(err) => {
            if let Some(messages) = messages {
                messages.error(path, format_args!("cannot read: {err}"));
            }
            return None;
        }
    };
    if memchr::memchr(0, &bytes).is_some() {
        return None; // binary; `clean` says so
    }
    let text = String::from_utf8_lossy(&bytes);
    Some(Doc {
        group: grouping.of_file(path),
        name: path.display().to_string(),
        lines: DocLines::new(&text, guards),
        ungrouped: None,
    })
}

/// Read the text records of one WARC file; false when it could not be read whole (reported:
/// the records before the fault are counted).
fn read_warc(
    path: &Path,
    grouping: &Grouping,
    guards: Guards,
    messages: Option<&Messages>,
    sink: &mut dyn FnMut(Vec<Doc>),
) -> bool {
    let fail = |message: String| failed(messages, path, message);
    let input = match fs::File::open(path).and_then(compression::decoder) {
        Ok((input, _)) => input,
        Err(err) => return fail(format!("cannot read: {err}")),
    };
    let mut chunk: Vec<warc::TextRecord> = Vec::new();
    let mut bytes = 0;
    let mut hand_on = |chunk: &mut Vec<warc::TextRecord>| {
        let docs: Vec<Doc> = chunk
            .par_iter()
            .map(|record| Doc {
                group: grouping.of_warc_record(path, record.uri.as_deref()),
                name: record.name.clone(),
                lines: DocLines::new(&record.text, guards),
                ungrouped: None,
            })
            .collect();
        chunk.clear();
        sink(docs);
    };
    let read = warc::text_records(path, input, |record| {
        bytes += record.text.len();
        chunk.push(record);
        if chunk.len() == RECORD_CHUNK || bytes >= RECORD_CHUNK_BYTES {
            hand_on(&mut chunk);
            bytes = 0;
        }
    });
    hand_on(&mut chunk);
    match read {
        Ok(()) => true,
        Err(why) => fail(format!("{why}; the records before it are counted")),
    }
}

/// Read the `field` column of one Parquet file, a batch of rows at a time, grouped by the
/// --group-by column; false when it could not be read whole (reported: the rows before the
/// fault are counted).
fn read_parquet(
    path: &Path,
    grouping: &Grouping,
    field: &str,
    guards: Guards,
    messages: Option<&Messages>,
    sink: &mut dyn FnMut(Vec<Doc>),
) -> bool {
    let fail = |message: String| failed(messages, path, message);
    let input = match fs::File::open(path) {
        Ok(input) => input,
        Err(err) => return fail(format!("cannot read: {err}")),
    };
    let columns = parquet::Columns {
        field,
        group: grouping.field(),
        id: None,
    };
    let mut grouped = GroupedRecords {
        field: grouping.field(),
        with: 0,
        without: 0,
        unit: "row",
    };
    let read = parquet::read_rows(input, columns, |rows| {
        let docs: Vec<Doc> = rows
            .par_iter()
            .map(|row| {
                let ungrouped = grouping.field().is_some() && row.group.is_none();
                Doc {
                    group: grouping.of_parquet_row(path, row.group),
                    name: format!("{}:{}", path.display(), row.number),
                    lines: DocLines::new(row.text, guards),
                    ungrouped: ungrouped.then_some(row.number),
                }
            })
            .collect();
        if let Some(messages) = messages {
            grouped.count(&docs, path, messages);
        }
        sink(docs);
    });
    match read {
        Ok(_) => match messages {
            Some(messages) => grouped.finish(path, messages),
            None => true,
        },
        Err(failure @ parquet::Failure::Field(_)) => fail(failure.to_string()),
        Err(failure) => fail(format!("{failure}; the rows before it are counted")),
    }
}

/// Read one JSONL file; false when it could not be read (reported).
fn read_jsonl(
    path: &Path,
    grouping: &Grouping,
    records: &jsonl::Options,
    guards: Guards,
    messages: Option<&Messages>,
    sink: &mut dyn FnMut(Vec<Doc>),
) -> bool {
    let fail = |message: String| failed(messages, path, message);
    let mut input = match fs::File::open(path).and_then(compression::decoder) {
        Ok((input, _)) => input,
        Err(err) => return fail(format!("cannot read: {err}")),
    };
    let mut number = 0u64;
    let mut grouped = GroupedRecords {
        field: grouping.field(),
        with: 0,
        without: 0,
        unit: "record",
    };
    loop {
        let mut lines: Vec<(u64, Vec<u8>)> = Vec::with_capacity(RECORD_CHUNK);
        let mut error = None;
        let mut bytes = 0;
        while lines.len() < RECORD_CHUNK && bytes < RECORD_CHUNK_BYTES {
            let mut line = Vec::new();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(n) => {
                    number += 1;
                    bytes += n;
                    lines.push((number, line));
                }
                Err(err) => {
                    error = Some(err);
                    break;
                }
            }
        }
        let full = lines.len() == RECORD_CHUNK || bytes >= RECORD_CHUNK_BYTES;
        let docs: Vec<Option<Doc>> = lines
            .par_iter()
            .map(|(number, bytes)| {
                let line = std::str::from_utf8(bytes).ok()?;
                let line = line.strip_suffix('\n').unwrap_or(line);
                if line.trim().is_empty() {
                    return None;
                }
                match records.text_of(line) {
                    Ok(text) => {
                        let group = grouping.record_group(path, line);
                        Some(Doc {
                            ungrouped: group.is_none().then_some(*number),
                            group: group.unwrap_or_else(|| UNGROUPED.to_string()),
                            name: format!("{}:{number}", path.display()),
                            lines: DocLines::new(&text, guards),
                        })
                    }
                    Err(err) => {
                        if let Some(messages) = messages {
                            messages.warn_record(
                                path,
                                *number,
                                None,
                                format_args!("{err}; skipped"),
                            );
                        }
                        None
                    }
                }
            })
            .collect();
        let docs: Vec<Doc> = docs.into_iter().flatten().collect();
        if let Some(messages) = messages {
            grouped.count(&docs, path, messages);
        }
        sink(docs);
        if let Some(err) = error {
            return fail(format!("cannot read: {err}"));
        }
        if !full {
            return match messages {
                Some(messages) => grouped.finish(path, messages),
                None => true,
            };
        }
    }
}

/// The records of one JSONL input with and without the --group-by field: the first few
/// without it are warned about, the rest counted; an input none of whose records has it fails
/// (the field's name is wrong, and every record would land in one group).
struct GroupedRecords<'a> {
    field: Option<&'a str>,
    with: u64,
    without: u64,
    /// What the input holds: `record`s (JSONL) or `row`s (Parquet, where a null is a value
    /// without the field).
    unit: &'static str,
}

impl GroupedRecords<'_> {
    fn count(&mut self, docs: &[Doc], path: &Path, messages: &Messages) {
        let Some(field) = self.field else {
            return;
        };
        for doc in docs {
            let Some(line) = doc.ungrouped else {
                self.with += 1;
                continue;
            };
            self.without += 1;
            if self.without <= WARNINGS_SHOWN {
                messages.warn_record(
                    path,
                    line,
                    None,
                    format_args!(
                        "{} {field:?} to group by; counted in the group {UNGROUPED}",
                        match self.unit {
                            "row" => "a null in the column",
                            _ => "no field",
                        }
                    ),
                );
            }
        }
    }

    /// Say how many warnings were not shown; false when no record had the field.
    fn finish(&self, path: &Path, messages: &Messages) -> bool {
        let Some(field) = self.field else {
            return true;
        };
        if self.without > WARNINGS_SHOWN {
            messages.warn(
                path,
                format_args!(
                    "{} more {unit}s without the field {field:?} not shown ({} of {} {unit}s \
                     are in the group {UNGROUPED})",
                    self.without - WARNINGS_SHOWN,
                    self.without,
                    self.with + self.without,
                    unit = self.unit,
                ),
            );
        }
        if self.with == 0 && self.without > 0 {
            messages.error(
                path,
                format_args!(
                    "no {unit} has the field {field:?}: its {} {unit}(s) would all be one group, \
                     {UNGROUPED} (--group-by names the field that groups records)",
                    self.without,
                    unit = self.unit,
                ),
            );
            return false;
        }
        true
    }
}

/// Pass one of `clean --learn`: the lines to remove, per group, and how to find a document's
/// group.
pub struct Learning {
    learned: Learned,
    grouping: Grouping,
}

impl Learning {
    /// Count the repeats of `sources` and keep the lines found in at least `min_docs` documents
    /// (and `min_share`) of a group. Problems are not reported here: the cleaning pass does.
    pub fn gather(
        sources: &[(PathBuf, InputFormat)],
        group: &GroupArgs,
        field: &str,
        min_docs: u64,
        min_share: f64,
    ) -> Learning {
        let grouping = Grouping::new(group);
        let guards = Guards::default();
        let mut counts = LineCounts::new(guards);
        scan(sources, &grouping, field, guards, None, |docs| {
            for doc in docs {
                counts.add(&doc.group, &doc.lines);
            }
        });
        Learning {
            learned: counts.learned(min_docs, min_share),
            grouping,
        }
    }

    /// Lines learned, over all groups.
    pub fn len(&self) -> usize {
        self.learned.len()
    }

    /// Groups with learned lines.
    pub fn groups(&self) -> usize {
        self.learned.groups()
    }

    /// The learned lines for a text file.
    pub fn for_file(&self, path: &Path) -> Option<&LearnedLines> {
        self.learned.group(&self.grouping.of_file(path))
    }

    /// The learned lines for a WARC record of the file `path` whose target URI is `uri`.
    pub fn for_warc_record(&self, path: &Path, uri: Option<&str>) -> Option<&LearnedLines> {
        self.learned.group(&self.grouping.of_warc_record(path, uri))
    }

    /// The column or field records are grouped by (`--group-by`), if any.
    pub fn group_field(&self) -> Option<&str> {
        self.grouping.field()
    }

    /// The learned lines for a Parquet row of the file `path` whose `--group-by` column holds
    /// `value`.
    pub fn for_parquet_row(&self, path: &Path, value: Option<&str>) -> Option<&LearnedLines> {
        self.learned
            .group(&self.grouping.of_parquet_row(path, value))
    }

    /// The learned lines for the JSONL record on `line` of the file `path`.
    pub fn for_record(&self, path: &Path, line: &[u8]) -> Option<&LearnedLines> {
        let line = std::str::from_utf8(line).ok()?;
        self.learned.group(&self.grouping.of_record(path, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        let cases = [
            ("https://www.bbc.co.uk/news/1", "bbc.co.uk"),
            ("http://user@Blog.Example.com:8080/a?b", "blog.example.com"),
            ("https://example.org", "example.org"),
            ("example.org", "example.org"),
            ("pub-123", "pub-123"),
        ];
        for (url, want) in cases {
            assert_eq!(host(url), want, "{url}");
        }
    }
}
