//! Text documents: a file (plain, gzip or zstd, found by its first bytes) or stdin is one
//! document, read whole within `--max-doc-bytes`, put through the job (see [`super::job`]) and
//! delivered: written under `-o` (compressed as its name says), rewritten in place (compressed
//! as it came; only when it changed), printed on stdout, or shown as a diff. A quarantined
//! document is delivered as it came and copied under `--quarantine DIR`.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::compression::{self, Compression};
use super::interrupt;
use super::job::{decode, Audited, Decoded, Destination, Outcome, Shared};
use super::output::{self, Output};

/// Where a text document came from.
pub struct Source<'a> {
    pub path: &'a Path,
    /// Places a quarantined copy: the path under `--quarantine DIR` (relative to the input
    /// directory, or the file name of a file named on the command line); `None` for stdin.
    pub relative: Option<&'a Path>,
    /// How the input was compressed: an in-place rewrite is compressed the same way.
    pub compression: Compression,
}

/// Read, clean and deliver the text file `src` to `dst`; `relative` places a quarantined
/// copy. Problems with the file are reported and counted, never returned.
pub fn process(ctx: &Shared, src: &Path, relative: &Path, dst: &Destination) -> Result<Outcome> {
    // A gzip or zstd file (by its magic bytes, whatever its name) is read decompressed, and
    // the limit applies to what it holds.
    let read = interrupt::open(src).and_then(|file| {
        let size = file.metadata()?.len();
        let (input, found) = compression::decoder(file)?;
        let size = (found == Compression::None).then_some(size);
        Ok(read_bounded(input, size, ctx.max_doc_bytes)?.map(|bytes| (bytes, found)))
    });
    match read {
        Ok(Ok((bytes, found))) => {
            let source = Source {
                path: src,
                relative: Some(relative),
                compression: found,
            };
            clean(ctx, &source, &bytes, dst)
        }
        Ok(Err(too_large)) => {
            ctx.messages.warn(src, too_large);
            Ok(Outcome::skipped())
        }
        // Given up on a signal: not a failure of this document.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => Ok(Outcome::default()),
        Err(err) => {
            ctx.messages.error(src, format_args!("cannot read: {err}"));
            Ok(Outcome::failed())
        }
    }
}

/// Read stdin (`input`, decompressed) whole; `None` when it is over `--max-doc-bytes`, which
/// fails the run (reported here).
pub fn read_stdin(ctx: &Shared, input: impl Read) -> Result<Option<Vec<u8>>> {
    match read_bounded(input, None, ctx.max_doc_bytes).context("reading stdin")? {
        Ok(bytes) => Ok(Some(bytes)),
        Err(too_large) => {
            // A file over the limit is left where it is; a stream over it would be lost to
            // the pipeline, so it fails the run (and nothing is written).
            ctx.messages.error(
                Path::new("<stdin>"),
                format_args!(
                    "over --max-doc-bytes {}; nothing written (raise --max-doc-bytes to clean a \
                     document this large)",
                    too_large.limit
                ),
            );
            Ok(None)
        }
    }
}

/// Clean one document (`bytes`, decompressed) and deliver it to `dst`; returns the totals,
/// what to print on stdout (the cleaned text, or a dry run's diff), which the caller prints in
/// job order, and the document's audit entry.
pub fn clean(ctx: &Shared, source: &Source, bytes: &[u8], dst: &Destination) -> Result<Outcome> {
    let src = source.path;
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
    if let Some(share) = ctx.over_max_removed(&text, &cleaned) {
        return Ok(quarantine(ctx, source, bytes, &text, &cleaned, share, dst));
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
            let summary = &mut outcome.summary;
            let name = || src.to_path_buf();
            let audit = ctx.count_cleaned(summary, name, bytes, &text, &cleaned);
            summary.different = u64::from(different);
            outcome.audit = audit.map(Audited::Document);
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
    source: &Source,
    bytes: &[u8],
    text: &str,
    cleaned: &boilerstrip::Cleaned,
    share: f64,
    dst: &Destination,
) -> Outcome {
    let src = source.path;
    let mut outcome = Outcome::default();
    let delivered = match dst {
        Destination::Stdout => {
            outcome.stdout = bytes.to_vec();
            Ok(())
        }
        Destination::File(path) => (ctx.outputs.write(path, bytes)).map_err(|e| (path.clone(), e)),
        Destination::InPlace | Destination::Diff => Ok(()),
    };
    let copied = delivered.and_then(|()| match (&ctx.quarantine, source.relative) {
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
            let audit = ctx.count_quarantined(&mut outcome.summary, src, text, cleaned, share);
            outcome.audit = audit.map(Audited::Document);
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
