//! The job: what is done with each document, whatever its format. Its text is decoded
//! (`--invalid-utf8`), cleaned, held back when cleaning would remove more than `--max-removed`
//! (quarantined: delivered as it came), counted in the totals and given its entry in the audit
//! file (`--report`). [`Shared`] holds what every worker shares; the per-format modules
//! (`text`, `jsonl`, `warc`) read and write their documents (a file, a record) and call on it
//! for the rest, so that every format follows one policy.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use boilerstrip::{Cleaned, Cleaner};

use super::args::{InvalidUtf8, OnError};
use super::audit::{self, DocAudit};
use super::compression::{self, Compression};
use super::config::Config;
use super::diff;
use super::interrupt;
use super::learn::Learning;
use super::messages::Messages;
use super::output;
use super::summary::Summary;

/// Where one cleaned input (a text document, or a JSONL or WARC file) goes.
#[derive(Debug)]
pub enum Destination {
    Stdout,
    File(PathBuf),
    InPlace,
    /// Nowhere (dry run): a diff of what would change goes to stdout.
    Diff,
}

/// An input being read, decompressed, and how it was compressed.
pub type Stream = (Box<dyn io::BufRead + Send>, Compression);

/// Everything the workers share.
pub struct Shared<'a> {
    pub cleaner: &'a Cleaner,
    pub messages: &'a Messages,
    pub invalid_utf8: InvalidUtf8,
    /// How a dry run shows a changed document.
    pub diff: diff::Renderer,
    /// Quarantine a document whose cleaning would remove more than this share of its bytes.
    pub max_removed: Option<f64>,
    /// Where to copy quarantined documents (never in a dry run).
    pub quarantine: Option<PathBuf>,
    /// With `--report`, the audit file's directory (where the entries of a streamed file are
    /// spooled); `None` when no audit file is written.
    audit: Option<PathBuf>,
    /// How JSONL records are cleaned.
    pub records: &'a boilerstrip::jsonl::Options,
    pub on_error: OnError,
    /// `--compress`, for JSONL outputs.
    pub compress: Option<Compression>,
    /// `--to jsonl`: WARC input is written as JSONL.
    pub to_jsonl: bool,
    /// `--learn`: the lines learned from the batch (pass one).
    pub learning: Option<Learning>,
    /// `--max-doc-bytes`: the largest document (or JSONL record) read.
    pub max_doc_bytes: u64,
    /// Where outputs under `-o DIR` are written: nothing is written outside DIR.
    pub outputs: output::Tree,
    /// The flags given that do not apply to Parquet input (a Parquet file found in a walked
    /// directory is warned about once).
    pub not_for_parquet: &'a [&'static str],
    /// Whether a Parquet file has been warned about those flags.
    pub warned_parquet: std::sync::atomic::AtomicBool,
}

impl<'a> Shared<'a> {
    pub fn new(config: &'a Config, cleaner: &'a Cleaner, messages: &'a Messages) -> Shared<'a> {
        let names = rule_names(cleaner);
        Shared {
            cleaner,
            messages,
            invalid_utf8: config.invalid_utf8,
            diff: diff::Renderer::new(config.diff_format, config.diff_style, names),
            max_removed: config.max_removed,
            quarantine: config.quarantine.clone().filter(|_| !config.dry_run),
            audit: (config.audit_path()).map(|path| output::directory(path).to_path_buf()),
            records: &config.records,
            on_error: config.on_error,
            compress: config.compress,
            to_jsonl: config.to_jsonl,
            learning: None,
            max_doc_bytes: config.max_doc_bytes,
            outputs: output::Tree::new(config.output.as_deref()),
            not_for_parquet: &config.not_for_parquet,
            warned_parquet: Default::default(),
        }
    }
}

impl Shared<'_> {
    /// Open the file `src` of a streamed format (JSONL, WARC), decompressed, and how it was
    /// compressed. When it cannot be read it is reported, and `Err` holds the file's outcome: a
    /// failure, or nothing when a signal gave up the wait (no failure of this input).
    pub fn open_stream(&self, src: &Path) -> std::result::Result<Stream, Box<Outcome>> {
        let opened = interrupt::open(src).map(|file| self.messages.count_read(file));
        match opened.and_then(compression::decoder) {
            Ok(opened) => Ok(opened),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Err(Box::default()),
            Err(err) => Err(Box::new(self.failed(src, format!("cannot read: {err}")))),
        }
    }

    /// Report that the file `src` failed: its outcome (one failed input, nothing to print).
    pub fn failed(&self, src: &Path, message: impl std::fmt::Display) -> Outcome {
        self.messages.error(src, message);
        Outcome::failed()
    }

    /// Whether the audit file is written, and so wants the documents' entries.
    pub fn audits(&self) -> bool {
        self.audit.is_some()
    }

    /// Where the audit entries of the records of one file are gathered (with `--report`).
    pub fn entries(&self) -> Option<audit::Entries> {
        self.audit.as_deref().map(audit::Entries::new)
    }

    /// The share of its bytes that cleaning would remove from a document, when that is over
    /// `--max-removed`: the document is then quarantined, delivered as it came.
    pub fn over_max_removed(&self, text: &str, cleaned: &Cleaned) -> Option<f64> {
        let max = self.max_removed?;
        let removed = text.len().saturating_sub(cleaned.text.len());
        (removed as f64 > max * text.len() as f64)
            .then(|| audit::share_removed(text.len() as u64, cleaned.text.len() as u64))
    }

    /// Count a document delivered cleaned, and give its audit entry (with `--report`): `name`
    /// names it (its path, or `PATH:LINE` or `PATH:ID` for a record), `original` is what was
    /// read of it (the lines of the audit's samples), `text` that decoded.
    pub fn count_cleaned(
        &self,
        summary: &mut Summary,
        name: impl FnOnce() -> PathBuf,
        original: &[u8],
        text: &str,
        cleaned: &Cleaned,
    ) -> Option<DocAudit> {
        summary.add_document(text, cleaned);
        self.audits()
            .then(|| DocAudit::cleaned(&name(), original, text, cleaned))
    }

    /// Count a quarantined document, which cleaning would have cut by `share`, and give its
    /// audit entry (with `--report`).
    pub fn count_quarantined(
        &self,
        summary: &mut Summary,
        name: &Path,
        text: &str,
        cleaned: &Cleaned,
        share: f64,
    ) -> Option<DocAudit> {
        summary.add_quarantined(name, text, share);
        self.audits()
            .then(|| DocAudit::quarantined(name, text.len(), cleaned.text.len()))
    }
}

/// What one input gave: its totals, what to print on stdout, its part of the audit file.
#[derive(Default)]
pub struct Outcome {
    pub summary: Summary,
    pub stdout: Vec<u8>,
    pub audit: Option<Audited>,
}

/// An input's part of the audit file.
pub enum Audited {
    /// A text document's entry.
    Document(DocAudit),
    /// The entries of the records of a JSONL or WARC file.
    Records(audit::Entries),
}

impl Outcome {
    pub fn failed() -> Outcome {
        Outcome {
            summary: Summary {
                failed: 1,
                ..Summary::default()
            },
            ..Outcome::default()
        }
    }

    pub fn skipped() -> Outcome {
        Outcome {
            summary: Summary {
                skipped: 1,
                ..Summary::default()
            },
            ..Outcome::default()
        }
    }
}

/// A document's bytes read as text, or why not.
pub enum Decoded<'a> {
    /// The text, with a warning to print.
    Text(Cow<'a, str>, Option<String>),
    Skip(String),
    Fail(String),
}

/// `bytes` as text, as `--invalid-utf8` says.
pub fn decode(bytes: &[u8], policy: InvalidUtf8) -> Decoded<'_> {
    if memchr::memchr(0, bytes).is_some() {
        return Decoded::Skip("binary file (contains NUL bytes), skipped".into());
    }
    match boilerstrip::from_utf8(bytes) {
        Ok(text) => Decoded::Text(Cow::Borrowed(text), None),
        Err(err) => {
            let offset = err.valid_up_to();
            match policy {
                InvalidUtf8::Lossy => Decoded::Text(
                    String::from_utf8_lossy(bytes),
                    Some(format!(
                        "invalid UTF-8 at byte offset {offset}; invalid bytes replaced with U+FFFD"
                    )),
                ),
                InvalidUtf8::Skip => {
                    Decoded::Skip(format!("invalid UTF-8 at byte offset {offset}, skipped"))
                }
                InvalidUtf8::Error => {
                    Decoded::Fail(format!("invalid UTF-8 at byte offset {offset}"))
                }
            }
        }
    }
}

/// The name of each rule and pass, by id.
pub fn rule_names(cleaner: &Cleaner) -> HashMap<String, String> {
    let mut names: HashMap<String, String> = cleaner
        .rules()
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    for pass in boilerstrip::passes::PASSES {
        names.insert(pass.id.to_string(), pass.name.to_string());
    }
    names
}

/// The warning for a record over `--max-removed`, which is left as it was.
pub fn record_quarantined(share: f64) -> String {
    format!(
        "cleaning would remove {:.1}% of its bytes, over --max-removed: left uncleaned",
        100.0 * share
    )
}

/// A record's name in diffs, the summary and the audit file: `PATH:ID` (its id), or `PATH:N`
/// (its line or record number) when it has none.
pub fn record_name(src: &Path, number: u64, id: Option<&str>) -> PathBuf {
    let mut name = src.as_os_str().to_owned();
    match id {
        Some(id) => name.push(format!(":{id}")),
        None => name.push(format!(":{number}")),
    }
    name.into()
}
