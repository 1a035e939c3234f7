//! The job: what is done with each document, whatever its format. Read (within
//! `--max-doc-bytes`), decoded (`--invalid-utf8`), cleaned, held back when cleaning would
//! remove more than `--max-removed` (quarantined: delivered uncleaned, copied under
//! `--quarantine DIR`), counted, given its audit entry, and delivered to its [`Destination`]: a
//! file written atomically, stdout, or a diff (dry run). [`Shared`] holds what every worker
//! shares; the per-format modules (text, JSONL, WARC) read and write their records through it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use boilerstrip::Cleaner;

use super::args::{InvalidUtf8, OnError};
use super::audit::{self, DocAudit};
use super::compression::{self, Compression};
use super::config::Config;
use super::diff;
use super::interrupt;
use super::learn::Learning;
use super::messages::Messages;
use super::output::{self, Output};
use super::summary::Summary;

/// Where one cleaned document (or JSONL file) goes.
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
    quarantine: Option<PathBuf>,
    /// Whether to collect what the audit report needs.
    audit: bool,
    /// How JSONL records are cleaned.
    pub records: &'a boilerstrip::jsonl::Options,
    pub on_error: OnError,
    /// `--compress`, for JSONL outputs.
    pub compress: Option<Compression>,
    /// `--learn`: the lines learned from the batch (pass one).
    pub learning: Option<Learning>,
    /// `--max-doc-bytes`: the largest document (or JSONL record) read.
    pub max_doc_bytes: u64,
    /// Where outputs under `-o DIR` are written: nothing is written outside DIR.
    pub outputs: output::Tree,
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
            audit: config.audit.is_some(),
            records: &config.records,
            on_error: config.on_error,
            compress: config.compress,
            learning: None,
            max_doc_bytes: config.max_doc_bytes,
            outputs: output::Tree::new(config.output.as_deref()),
        }
    }
}

impl Shared<'_> {
    /// Open the file `src` of a streamed format (JSONL, WARC), decompressed, and how it was
    /// compressed. When it cannot be read it is reported, and `Err` holds the file's totals: a
    /// failure, or none when a signal gave up the wait (no failure of this input).
    pub fn open_stream(&self, src: &Path) -> std::result::Result<Stream, Box<Summary>> {
        match interrupt::open(src).and_then(compression::decoder) {
            Ok(opened) => Ok(opened),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Err(Box::default()),
            Err(err) => Err(Box::new(self.failed(src, format!("cannot read: {err}")).0)),
        }
    }

    /// Report that the file `src` failed: its totals (one failed input, nothing to print).
    pub fn failed(&self, src: &Path, message: impl std::fmt::Display) -> (Summary, Vec<u8>) {
        self.messages.error(src, message);
        let summary = Summary {
            failed: 1,
            ..Summary::default()
        };
        (summary, Vec::new())
    }
}

/// What one document gave: its totals, what to print on stdout, its part of the audit report.
#[derive(Default)]
pub struct Outcome {
    pub summary: Summary,
    pub stdout: Vec<u8>,
    pub audit: Option<DocAudit>,
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

/// Where a text document came from.
pub struct Source<'a> {
    pub path: &'a Path,
    /// Places a quarantined copy (see [`Job::relative`]); `None` for stdin.
    pub relative: Option<&'a Path>,
    /// How the input was compressed: an in-place rewrite is compressed the same way.
    pub compression: Compression,
}

/// Clean one document (`bytes`, decompressed) and deliver it to `dst`; returns the totals,
/// what to print on stdout (the cleaned text, or a dry run's report), which the caller prints
/// in job order, and the document's part of the audit report.
pub fn clean_bytes(
    ctx: &Shared,
    source: &Source,
    bytes: &[u8],
    dst: &Destination,
) -> Result<Outcome> {
    let (src, relative) = (source.path, source.relative);
    let text = match decode(bytes, ctx.invalid_utf8) {
        Decoded::Text(text, warning) => {
            if let Some(warning) = warning {
                ctx.messages.warn(src, warning);
            }
            text
        }
        Decoded::Skip(reason) => {
            ctx.messages.warn(src, reason);
            return Ok(Outcome::skipped());
        }
        Decoded::Fail(reason) => {
            ctx.messages.error(src, reason);
            return Ok(Outcome::failed());
        }
    };
    let learned = ctx.learning.as_ref().and_then(|l| l.for_file(src));
    let mut cleaned = ctx.cleaner.clean_with(&text, learned);
    if let Some(max) = ctx.max_removed {
        let removed = text.len().saturating_sub(cleaned.text.len());
        if removed as f64 > max * text.len() as f64 {
            return Ok(quarantine(ctx, src, relative, bytes, &text, &cleaned, dst));
        }
    }
    let different = cleaned.text.as_bytes() != bytes;
    let mut outcome = Outcome::default();
    let written = match dst {
        Destination::Stdout => Ok(()),
        Destination::Diff => {
            if different {
                outcome.stdout = ctx.diff.render(src.as_os_str(), bytes, &cleaned);
            }
            Ok(())
        }
        Destination::File(path) => ctx.outputs.write(path, cleaned.text.as_bytes()),
        Destination::InPlace if !different => Ok(()),
        Destination::InPlace => Output::replace(src).and_then(|output| {
            let packed = compression::pack(cleaned.text.as_bytes(), source.compression)?;
            output.file().write_all(&packed)?;
            output.commit()
        }),
    };
    match written {
        Ok(()) => {
            outcome.summary.add_document(&text, &cleaned);
            outcome.summary.different = u64::from(different);
            if ctx.audit {
                outcome.audit = Some(DocAudit::cleaned(src, bytes, &text, &cleaned));
            }
            if let Destination::Stdout = dst {
                outcome.stdout = std::mem::take(&mut cleaned.text).into_bytes();
            }
        }
        // Abandoned on a signal: not a failure of this document.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => return Ok(Outcome::default()),
        Err(err) => {
            let target = match dst {
                Destination::File(path) => path.as_path(),
                _ => src,
            };
            ctx.messages
                .error(target, format_args!("cannot write: {err}"));
            return Ok(Outcome::failed());
        }
    }
    Ok(outcome)
}

/// Deliver a document over `--max-removed` as it came (its original bytes to `-o DIR` or
/// stdout; untouched in place; no diff in a dry run), copy it under `--quarantine DIR`, and say
/// so.
fn quarantine(
    ctx: &Shared,
    src: &Path,
    relative: Option<&Path>,
    bytes: &[u8],
    text: &str,
    cleaned: &boilerstrip::Cleaned,
    dst: &Destination,
) -> Outcome {
    let share = audit::share_removed(text.len() as u64, cleaned.text.len() as u64);
    let mut outcome = Outcome::default();
    let delivered = match dst {
        Destination::Stdout => {
            outcome.stdout = bytes.to_vec();
            Ok(())
        }
        Destination::File(path) => (ctx.outputs.write(path, bytes)).map_err(|e| (path.clone(), e)),
        Destination::InPlace | Destination::Diff => Ok(()),
    };
    let copied = delivered.and_then(|()| match (&ctx.quarantine, relative) {
        (Some(dir), Some(relative)) => {
            let path = dir.join(relative);
            let parent = path.parent().unwrap_or(dir);
            let written = fs::create_dir_all(parent)
                .and_then(|()| compression::pack(bytes, Compression::of_name(&path)))
                .and_then(|packed| output::write(&path, &packed));
            match written {
                Ok(()) => Ok(Some(path)),
                Err(err) => Err((path, err)),
            }
        }
        _ => Ok(None),
    });
    match copied {
        Ok(copy) => {
            let copy = copy
                .map(|path| format!("; copied to {}", path.display()))
                .unwrap_or_default();
            ctx.messages.warn(
                src,
                format_args!(
                    "cleaning would remove {:.1}% of its bytes, over --max-removed: quarantined, \
                     left uncleaned{copy}",
                    100.0 * share
                ),
            );
            outcome.summary.add_quarantined(src, text, share);
            if ctx.audit {
                outcome.audit = Some(DocAudit::quarantined(src, text.len(), cleaned.text.len()));
            }
            outcome
        }
        Err((path, err)) => {
            ctx.messages
                .error(&path, format_args!("cannot write: {err}"));
            Outcome::failed()
        }
    }
}

/// A document over `--max-doc-bytes`, which was not read whole.
#[derive(Debug)]
pub struct TooLarge {
    /// Its size when known (from metadata), else `None`: more than the limit.
    size: Option<u64>,
    pub limit: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.size {
            Some(size) => write!(f, "{size} bytes, over --max-doc-bytes {}", self.limit)?,
            None => write!(f, "over --max-doc-bytes {}", self.limit)?,
        }
        f.write_str("; skipped")
    }
}

/// Read `input` whole if it has at most `limit` bytes; never reads more than `limit + 1`.
/// `size` (from metadata) answers early and sizes the buffer.
pub fn read_bounded(
    input: impl Read,
    size: Option<u64>,
    limit: u64,
) -> io::Result<std::result::Result<Vec<u8>, TooLarge>> {
    if let Some(size) = size.filter(|&size| size > limit) {
        return Ok(Err(TooLarge {
            size: Some(size),
            limit,
        }));
    }
    let capacity = size.unwrap_or(0).min(limit) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(TooLarge { size: None, limit }));
    }
    Ok(Ok(bytes))
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
    match boilerstrip::normalize::from_utf8(bytes) {
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
