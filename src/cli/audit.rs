//! The audit report of `clean --report FILE`: one JSON file that says what a run did and how to
//! reproduce it, for reviewing a batch before (`--dry-run`) or after it is cleaned.
//!
//! The batch hands over one [`DocAudit`] per document, in input order (the chunked parallel run
//! keeps that order; the records of a JSONL or WARC file come gathered as [`Entries`]), so
//! everything in the report, samples included, is the same at any thread count. Per-rule counts, the quarantined documents and the most reduced documents are kept in
//! memory; the per-document entries are spooled to an anonymous temporary file as they come and
//! copied into the report at the end, so a large batch does not hold them. The report is written
//! to a temporary file beside FILE and renamed into place. No timing is recorded, so two runs
//! over the same input give byte-identical reports.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use boilerstrip::{Cleaned, Cleaner, CommentOptions, HitKind, InputKind, ModelNote};
use serde::Serialize;

use super::output::{self, Output};
use super::summary::Summary;

/// Removed lines sampled per rule.
const SAMPLES: usize = 3;
/// Documents listed in `most_reduced`.
const MOST_REDUCED: usize = 20;

/// The report, as written to FILE (keys in this order; `documents` last, one entry a line, so
/// that a reader can stream it).
///
/// ```json
/// {
///   "tool": {"name": "boilerstrip", "version": "0.1.0"},
///   "patterns_hash": "sha256:…",
///   "options": {"patterns": [], "no_default_patterns": false, "disabled": [],
///               "fold_punctuation": false, "invalid_utf8": "lossy", "max_removed": null,
///               "dry_run": false, "input_kind": "auto",
///               "model": {"thresholds": {…}, …}, "comments": {"min_article_words": 0, …}},
///   "totals": {"documents": 34, "changed": 34, "emptied": 0, "skipped": 0, "failed": 0,
///              "quarantined": 0, "bytes_in": 57749, "bytes_out": 52225, "lines_removed": 203},
///   "rules": [{"id": "DEDUPE", "name": "consecutive-duplicates", "hits": 3, "documents": 3,
///              "lines_removed": 3, "bytes_removed": 224,
///              "samples": [{"path": "…", "line": 7, "kind": "removed", "text": "…"}]}, …],
///   "quarantined": [{"path": "…", "bytes_in": 900, "bytes_cleaned": 100, "share_removed": 0.8889}],
///   "cut_by_model": ["…"],
///   "most_reduced": [{"path": "…", "bytes_in": 1200, "bytes_out": 700, "share_removed": 0.4167,
///                     "quarantined": false}, …],
///   "documents": [
///     {"path": "…", "bytes_in": 1200, "bytes_out": 700, "share_removed": 0.4167, "quarantined": false,
///      "model": {"language": "en", "page": false, "cut_to_tenth": false}},
///     …
///   ]
/// }
/// ```
///
/// * `patterns_hash` is [`Cleaner::patterns_hash`]: the active rules and passes. With the
///   `options` (which also change the output) it identifies what a run removes. With
///   `--learn`, `options` also has `"learn": {"min_docs": 3, "min_share": 0.0, "group_by": null,
///   "group_by_dir": true}`, and the `LEARN` pass is listed in `rules` once it removed a line.
/// * `totals`: `documents` read and cleaned (quarantined ones included), `changed` by a rule or
///   pass, `emptied` (cleaned to nothing), `skipped` (binary, or invalid UTF-8 under `skip`),
///   `failed`, `quarantined`; `bytes_in` and `bytes_out` are the bytes read and delivered (a
///   quarantined document delivers its input); `lines_removed` are whole lines removed.
/// * `rules`: every active rule and pass, sorted by id, with its `hits` (removed, stripped or
///   joined lines), the `documents` it touched, the whole `lines_removed` and the
///   `bytes_removed` (the removed lines' and stripped parts' text, line ends not counted;
///   joins remove nothing), and the first [`SAMPLES`] lines it changed, in input order, with
///   the 1-based line of the input file. Quarantined documents count for no rule: nothing was
///   removed from them.
/// * `quarantined`: the documents over `--max-removed`, in input order, with the share that
///   cleaning would have removed (they were delivered uncleaned).
/// * `cut_by_model`: the documents that cleaning, with the line model removing lines, left
///   with under a tenth of their words (or none), in input order: worth a look.
/// * `most_reduced`: the [`MOST_REDUCED`] documents that lost the largest share of their bytes,
///   ties by path; documents that lost nothing are not listed.
/// * `documents`: every document read and cleaned, in input order. `share_removed` is
///   `1 - bytes_out / bytes_in`, rounded to 4 decimals (0 for an empty input). `model` says
///   what the line model made of it: the `language` whose stop words it counted (`null`: no
///   language data), whether it was judged a raw `page`, and `cut_to_tenth` (see
///   `cut_by_model`); it is absent where the model did not run.
///
/// Paths are as the walk found them (the input as given, joined with the relative path); a
/// record of a JSONL or WARC file is named `PATH:LINE` (`PATH:N` for the Nth WARC record) or,
/// when it has an id, `PATH:ID`.
pub struct Audit {
    path: PathBuf,
    spool: Spool,
    header: Header,
}

/// The audit entries of consecutive documents gathered on their own: the records of one
/// streamed file (JSONL, WARC), cleaned while other files are, and appended to the run's
/// [`Audit`] in job order ([`Audit::append`]), which gives the report that adding each record in
/// turn would. Their entries are spooled to a temporary file beside the report, so a file of
/// millions of records is not held in memory.
pub struct Entries {
    spool: Spool,
    kept: Kept,
}

/// Document entries written to an anonymous temporary file as they come, one a line.
struct Spool {
    /// The directory the file is made in (the report's), when it is made on the first entry.
    dir: PathBuf,
    file: Option<BufWriter<File>>,
    /// Entries spooled so far.
    documents: u64,
    /// The first error writing the spool; reported when the report is finished.
    error: Option<io::Error>,
}

#[derive(Serialize)]
struct Header {
    tool: Tool,
    patterns_hash: String,
    options: Options,
    totals: Totals,
    #[serde(flatten)]
    kept: Kept,
}

/// What the report keeps in memory of the documents added: per-rule counts and samples, the
/// quarantined documents, those the model cut, and the most reduced.
#[derive(Default, Serialize)]
struct Kept {
    rules: Vec<RuleEntry>,
    quarantined: Vec<QuarantineEntry>,
    cut_by_model: Vec<Arc<str>>,
    most_reduced: Vec<DocEntry>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The options of a run that change its output.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Pattern files and directories added, as given.
    pub patterns: Vec<String>,
    /// Whether the built-in sets were left out.
    pub no_default_patterns: bool,
    /// Rules, sets and passes disabled, as given.
    pub disabled: Vec<String>,
    /// Whether typographic punctuation was folded to ASCII.
    pub fold_punctuation: bool,
    /// The invalid UTF-8 policy (`lossy`, `skip`, `error`).
    pub invalid_utf8: &'static str,
    /// The `--max-removed` cap, if any.
    pub max_removed: Option<f64>,
    /// Whether this was a dry run (nothing but the report was written).
    pub dry_run: bool,
    /// `--learn` and its settings; absent without `--learn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learn: Option<Learn>,
    /// `--input-kind`.
    pub input_kind: InputKind,
    /// The line model in effect: its thresholds and how it was trained; `null` when
    /// `CLASSIFY` is disabled.
    pub model: Option<ModelSummary>,
    /// The comment-section pass's thresholds (`--comments-*`); `null` when `COMMENTS` is
    /// disabled.
    pub comments: Option<CommentOptions>,
}

/// The line model a run used.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelSummary {
    /// Its thresholds (`--keep-threshold` replaces both).
    pub thresholds: boilerstrip::Thresholds,
    /// `--keep-threshold`, if given.
    pub keep_threshold: Option<f32>,
    /// How it was trained.
    pub description: String,
}

/// The settings of `--learn`, which change what it removes.
#[derive(Debug, Clone, Serialize)]
pub struct Learn {
    pub min_docs: u64,
    pub min_share: f64,
    pub group_by: Option<String>,
    pub group_by_dir: bool,
}

#[derive(Default, Serialize)]
struct Totals {
    documents: u64,
    changed: u64,
    emptied: u64,
    skipped: u64,
    failed: u64,
    quarantined: u64,
    bytes_in: u64,
    bytes_out: u64,
    lines_removed: u64,
}

#[derive(Serialize)]
struct RuleEntry {
    id: Arc<str>,
    name: String,
    #[serde(flatten)]
    stats: RuleStats,
    samples: Vec<Sample>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
struct RuleStats {
    hits: u64,
    documents: u64,
    lines_removed: u64,
    bytes_removed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Sample {
    path: Arc<str>,
    line: usize,
    kind: HitKind,
    text: String,
}

#[derive(Debug, Clone, Serialize)]
struct QuarantineEntry {
    path: Arc<str>,
    bytes_in: u64,
    bytes_cleaned: u64,
    share_removed: f64,
}

#[derive(Debug, Clone, Serialize)]
struct DocEntry {
    path: Arc<str>,
    bytes_in: u64,
    bytes_out: u64,
    share_removed: f64,
    quarantined: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<ModelNote>,
}

/// What one document contributes to the report; built by the worker that cleaned it.
#[derive(Debug)]
pub struct DocAudit {
    path: Arc<str>,
    bytes_in: u64,
    bytes_out: u64,
    /// For a quarantined document, the length cleaning would have given.
    quarantined: Option<u64>,
    /// What the line model made of it.
    model: Option<ModelNote>,
    /// Per rule or pass: its counts in this document (`documents` is 1) and its first samples.
    rules: Vec<(Arc<str>, RuleStats, Vec<Sample>)>,
}

impl DocAudit {
    /// A cleaned document. `original` is the input as read (for the line numbers of samples).
    pub fn cleaned(path: &Path, original: &[u8], input: &str, cleaned: &Cleaned) -> DocAudit {
        let path: Arc<str> = Arc::from(path.to_string_lossy());
        // The original line of each normalized line, made for the first sample (a document
        // without hits, such as 50 MB of blank lines, needs none: it took 8 bytes a line).
        let mut lines = None;
        let mut rules: Vec<(Arc<str>, RuleStats, Vec<Sample>)> = Vec::new();
        for hit in &cleaned.hits {
            let slot = match rules.iter().position(|(id, ..)| *id == hit.id) {
                Some(i) => i,
                None => {
                    let stats = RuleStats {
                        documents: 1,
                        ..RuleStats::default()
                    };
                    rules.push((hit.id.clone(), stats, Vec::new()));
                    rules.len() - 1
                }
            };
            let (_, stats, samples) = &mut rules[slot];
            stats.hits += 1;
            match hit.kind {
                HitKind::Removed => {
                    stats.lines_removed += 1;
                    stats.bytes_removed += hit.text.len() as u64;
                }
                HitKind::Stripped => stats.bytes_removed += hit.text.len() as u64,
                HitKind::Joined => {}
            }
            if samples.len() < SAMPLES {
                samples.push(Sample {
                    path: path.clone(),
                    line: super::diff::hit_line(
                        lines.get_or_insert_with(|| super::diff::original_lines(original)),
                        &hit,
                    ),
                    kind: hit.kind,
                    text: hit.text.clone(),
                });
            }
        }
        DocAudit {
            path,
            bytes_in: input.len() as u64,
            bytes_out: cleaned.text.len() as u64,
            quarantined: None,
            model: cleaned.model,
            rules,
        }
    }

    /// A quarantined document: delivered as it came; cleaning would have left `cleaned_len`
    /// of its `input_len` bytes.
    pub fn quarantined(path: &Path, input_len: usize, cleaned_len: usize) -> DocAudit {
        DocAudit {
            path: Arc::from(path.to_string_lossy()),
            bytes_in: input_len as u64,
            bytes_out: input_len as u64,
            quarantined: Some(cleaned_len as u64),
            model: None,
            rules: Vec::new(),
        }
    }
}

/// `1 - out / in`, rounded to 4 decimals; 0 for an empty input or a document that grew.
pub fn share_removed(bytes_in: u64, bytes_out: u64) -> f64 {
    if bytes_in == 0 {
        return 0.0;
    }
    let share = bytes_in.saturating_sub(bytes_out) as f64 / bytes_in as f64;
    (share * 1e4).round() / 1e4
}

/// Orders documents by the share they lost, largest first, exactly (no rounding), then by path.
fn by_share_removed(a: &DocEntry, b: &DocEntry) -> Ordering {
    let removed = |d: &DocEntry| u128::from(d.bytes_in.saturating_sub(d.bytes_out));
    // a.removed / a.in > b.removed / b.in  <=>  a.removed * b.in > b.removed * a.in
    let left = removed(a) * u128::from(b.bytes_in.max(1));
    let right = removed(b) * u128::from(a.bytes_in.max(1));
    right.cmp(&left).then_with(|| a.path.cmp(&b.path))
}

impl Audit {
    /// Start a report to be written to `path` at the end of the run. Fails at once when the
    /// report's directory cannot take a file.
    pub fn create(path: &Path, cleaner: &Cleaner, options: Options) -> io::Result<Audit> {
        let mut spool = Spool::new(output::directory(path));
        spool.file = Some(BufWriter::new(tempfile::tempfile_in(&spool.dir)?));
        let mut rules: Vec<RuleEntry> = cleaner
            .rules()
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .chain(cleaner.passes().iter().map(|p| (p.id, p.name)))
            .map(|(id, name)| RuleEntry {
                id: Arc::from(id),
                name: name.to_string(),
                stats: RuleStats::default(),
                samples: Vec::new(),
            })
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Audit {
            path: path.to_path_buf(),
            spool,
            header: Header {
                tool: Tool {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                },
                patterns_hash: cleaner.patterns_hash(),
                options,
                totals: Totals::default(),
                kept: Kept {
                    rules,
                    ..Kept::default()
                },
            },
        })
    }

    /// Add the next document, in input order.
    pub fn add(&mut self, doc: DocAudit) {
        self.header.kept.add(doc, &mut self.spool);
    }

    /// Add the next documents, gathered on their own, in input order.
    pub fn append(&mut self, entries: Entries) {
        self.header.kept.append(entries.kept);
        self.spool.append(entries.spool);
    }

    /// Write the report with the run's totals, atomically.
    pub fn finish(mut self, summary: &Summary) -> io::Result<()> {
        if let Some(err) = self.spool.error.take() {
            return Err(err);
        }
        self.header.totals = Totals {
            documents: summary.documents,
            changed: summary.changed,
            emptied: summary.emptied,
            skipped: summary.skipped,
            failed: summary.failed,
            quarantined: summary.quarantined,
            bytes_in: summary.bytes_in,
            bytes_out: summary.bytes_out,
            lines_removed: summary.lines_removed,
        };
        let most_reduced = &mut self.header.kept.most_reduced;
        most_reduced.sort_by(by_share_removed);
        most_reduced.truncate(MOST_REDUCED);

        let header = serde_json::to_string_pretty(&self.header).map_err(io::Error::from)?;
        // The header is an object; `documents` is spliced in as its last key.
        let header = header
            .strip_suffix("\n}")
            .expect("a JSON object ends with a brace");
        let documents = self.spool.documents;
        let spool = self.spool.into_file()?;

        let output = Output::create(&self.path)?;
        {
            let mut out = BufWriter::new(output.file());
            out.write_all(header.as_bytes())?;
            match spool.filter(|_| documents > 0) {
                None => out.write_all(b",\n  \"documents\": []\n}\n")?,
                Some(mut spool) => {
                    out.write_all(b",\n  \"documents\": [\n")?;
                    io::copy(&mut spool, &mut out)?;
                    out.write_all(b"\n  ]\n}\n")?;
                }
            }
            out.flush()?;
        }
        output.commit()
    }
}

impl Entries {
    /// No entries yet; a spool is made in `dir` (the report's) on the first.
    pub fn new(dir: &Path) -> Entries {
        Entries {
            spool: Spool::new(dir),
            kept: Kept::default(),
        }
    }

    /// Add the next document, in input order.
    pub fn add(&mut self, doc: DocAudit) {
        self.kept.add(doc, &mut self.spool);
    }
}

impl Kept {
    /// Keep what the report needs of the next document, and spool its entry.
    fn add(&mut self, doc: DocAudit, spool: &mut Spool) {
        for (id, stats, samples) in doc.rules {
            self.add_rule(id, stats, samples);
        }
        let entry = DocEntry {
            path: doc.path.clone(),
            bytes_in: doc.bytes_in,
            bytes_out: doc.bytes_out,
            share_removed: share_removed(doc.bytes_in, doc.bytes_out),
            quarantined: doc.quarantined.is_some(),
            model: doc.model,
        };
        if doc.model.is_some_and(|m| m.cut_to_tenth) {
            self.cut_by_model.push(doc.path.clone());
        }
        if let Some(cleaned) = doc.quarantined {
            self.quarantined.push(QuarantineEntry {
                path: doc.path,
                bytes_in: doc.bytes_in,
                bytes_cleaned: cleaned,
                share_removed: share_removed(doc.bytes_in, cleaned),
            });
        }
        spool.add(&entry);
        if entry.bytes_out < entry.bytes_in {
            self.add_reduced(entry);
        }
    }

    /// Add a rule's counts and samples in the next document(s), after those kept.
    fn add_rule(&mut self, id: Arc<str>, stats: RuleStats, samples: Vec<Sample>) {
        let rules = &mut self.rules;
        let i = match rules.binary_search_by(|r| r.id.cmp(&id)) {
            Ok(i) => i,
            Err(i) => {
                // A hit names only active rules and passes; keep it all the same.
                let entry = RuleEntry {
                    id: id.clone(),
                    name: boilerstrip::passes::PASSES
                        .iter()
                        .find(|p| *p.id == *id)
                        .map_or_else(String::new, |p| p.name.to_string()),
                    stats: RuleStats::default(),
                    samples: Vec::new(),
                };
                rules.insert(i, entry);
                i
            }
        };
        let entry = &mut rules[i];
        entry.stats.hits += stats.hits;
        entry.stats.documents += stats.documents;
        entry.stats.lines_removed += stats.lines_removed;
        entry.stats.bytes_removed += stats.bytes_removed;
        let room = SAMPLES - entry.samples.len();
        entry.samples.extend(samples.into_iter().take(room));
    }

    /// A document that lost bytes: a candidate for `most_reduced`.
    fn add_reduced(&mut self, entry: DocEntry) {
        let most = &mut self.most_reduced;
        most.push(entry);
        if most.len() >= 2 * MOST_REDUCED {
            most.sort_by(by_share_removed);
            most.truncate(MOST_REDUCED);
        }
    }

    /// Keep what `next`, the documents after these, kept.
    fn append(&mut self, next: Kept) {
        for rule in next.rules {
            self.add_rule(rule.id, rule.stats, rule.samples);
        }
        self.quarantined.extend(next.quarantined);
        self.cut_by_model.extend(next.cut_by_model);
        for entry in next.most_reduced {
            self.add_reduced(entry);
        }
    }
}

impl Spool {
    fn new(dir: &Path) -> Spool {
        Spool {
            dir: dir.to_path_buf(),
            file: None,
            documents: 0,
            error: None,
        }
    }

    /// Spool the next entry.
    fn add(&mut self, entry: &DocEntry) {
        if self.error.is_some() {
            return;
        }
        let separator: &[u8] = if self.documents == 0 { b"" } else { b",\n" };
        let written = self.file().and_then(|spool| {
            spool.write_all(separator)?;
            spool.write_all(b"    ")?;
            serde_json::to_writer(spool, entry).map_err(io::Error::from)
        });
        match written {
            Ok(()) => self.documents += 1,
            Err(err) => self.error = Some(err),
        }
    }

    /// The file, made on the first entry.
    fn file(&mut self) -> io::Result<&mut BufWriter<File>> {
        if self.file.is_none() {
            self.file = Some(BufWriter::new(tempfile::tempfile_in(&self.dir)?));
        }
        Ok(self.file.as_mut().expect("made above"))
    }

    /// Spool the entries of `next`, the documents after these.
    fn append(&mut self, mut next: Spool) {
        if self.error.is_some() {
            return;
        }
        if let Some(err) = next.error.take() {
            self.error = Some(err);
            return;
        }
        let documents = next.documents;
        if documents == 0 {
            return;
        }
        let copied = next.into_file().and_then(|file| {
            let Some(mut file) = file else {
                return Ok(());
            };
            let separator: &[u8] = if self.documents == 0 { b"" } else { b",\n" };
            let spool = self.file()?;
            spool.write_all(separator)?;
            io::copy(&mut file, spool).map(|_| ())
        });
        match copied {
            Ok(()) => self.documents += documents,
            Err(err) => self.error = Some(err),
        }
    }

    /// The spooled entries, to read from the start (`None` if none was spooled).
    fn into_file(self) -> io::Result<Option<File>> {
        let Some(spool) = self.file else {
            return Ok(None);
        };
        let mut file = spool.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        Ok(Some(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, bytes_in: u64, bytes_out: u64) -> DocEntry {
        DocEntry {
            path: Arc::from(path),
            bytes_in,
            bytes_out,
            share_removed: share_removed(bytes_in, bytes_out),
            quarantined: false,
            model: None,
        }
    }

    #[test]
    fn shares_round_to_four_decimals() {
        let cases = [
            (0, 0, 0.0),
            (3, 2, 0.3333),
            (3, 0, 1.0),
            (10, 12, 0.0),
            (8, 8, 0.0),
        ];
        for (bytes_in, bytes_out, want) in cases {
            assert_eq!(
                share_removed(bytes_in, bytes_out),
                want,
                "{bytes_in}->{bytes_out}"
            );
        }
    }

    #[test]
    fn most_reduced_order_is_exact_then_by_path() {
        let mut docs = [
            doc("b", 30000, 20000),
            doc("a", 3, 2),
            doc("c", 10, 1),
            doc("d", 30001, 20001),
        ];
        docs.sort_by(by_share_removed);
        let order: Vec<&str> = docs.iter().map(|d| &*d.path).collect();
        // a and b lose exactly a third; d a hair less, though all round to 0.3333.
        assert_eq!(order, ["c", "a", "b", "d"]);
    }
}
