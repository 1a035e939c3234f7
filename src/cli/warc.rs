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

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::audit::{self, DocAudit};
use super::compression::{Compression, Encoder};
use super::job::{decode, record_name, record_quarantined, Audited, Decoded, Destination};
use super::job::{Outcome, Shared};
use super::output::Output;
use super::summary::Summary;

/// The longest header (version line and header lines) read: a file whose record header runs
/// longer is no WARC file.
const MAX_HEADER: u64 = 1 << 20;

/// What ends every record after its block.
const TRAILER: &[u8] = b"\r\n\r\n";

/// Clean the WARC file `src` into `dst`: the totals, what to print on stdout (the cleaned
/// file, uncompressed, or a dry run's diffs) and the records' audit entries. Problems are
/// reported, never returned.
pub fn process(ctx: &Shared, src: &Path, dst: &Destination) -> Result<Outcome> {
    let failed = |message: String| Ok(ctx.failed(src, message));
    let (input, found) = match ctx.open_stream(src) {
        Ok(opened) => opened,
        Err(outcome) => return Ok(*outcome),
    };
    let mut records = Records::new(ctx);
    let rewritten = match dst {
        Destination::Stdout => {
            let mut out = Vec::new();
            rewrite(&mut records, src, input, &mut out, false, None).map(|()| out)
        }
        Destination::Diff => {
            let mut diffs = Vec::new();
            rewrite(
                &mut records,
                src,
                input,
                &mut io::sink(),
                false,
                Some(&mut diffs),
            )
            .map(|()| diffs)
        }
        Destination::File(path) => match ctx.outputs.create(path) {
            Ok(output) => {
                let compression = Compression::of_name(path);
                into_output(&mut records, src, input, output, compression, false)
            }
            Err(err) => Err(Failure::Write(err)),
        },
        Destination::InPlace => match Output::replace(src) {
            Ok(output) => into_output(&mut records, src, input, output, found, true),
            Err(err) => Err(Failure::Write(err)),
        },
    };
    match rewritten {
        Ok(stdout) => Ok(records.outcome(stdout)),
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

/// Clean a WARC stream from stdin (`input`, decompressed) to stdout, uncompressed (or, in a
/// dry run, the diffs).
pub fn process_stdin(
    ctx: &Shared,
    input: Box<dyn BufRead + Send>,
    dry_run: bool,
) -> Result<Outcome> {
    let name = Path::new("<stdin>");
    let mut records = Records::new(ctx);
    let mut out = Vec::new();
    let rewritten = match dry_run {
        true => rewrite(
            &mut records,
            name,
            input,
            &mut io::sink(),
            false,
            Some(&mut out),
        ),
        false => rewrite(&mut records, name, input, &mut out, false, None),
    };
    match rewritten {
        Ok(()) => Ok(records.outcome(out)),
        Err(Failure::Malformed(why)) => {
            ctx.messages
                .error(name, format_args!("{why}; nothing written"));
            Ok(Outcome::failed())
        }
        Err(Failure::Failed) => Ok(Outcome::failed()),
        Err(Failure::Read(err) | Failure::Write(err)) => Err(err).context("reading stdin"),
    }
}

/// Rewrite into `output`, compressed as `compression` says (gzip: a member per record), and
/// rename it into place; in place, only when something changed.
fn into_output(
    records: &mut Records,
    src: &Path,
    input: Box<dyn BufRead + Send>,
    output: Output,
    compression: Compression,
    in_place: bool,
) -> Result<Vec<u8>, Failure> {
    let gzip = compression == Compression::Gzip;
    let whole = if gzip { Compression::None } else { compression };
    let mut out = Encoder::new(output.file(), whole).map_err(Failure::Write)?;
    rewrite(records, src, input, &mut out, gzip, None)?;
    out.finish().map_err(Failure::Write)?;
    if in_place && records.summary.different == 0 {
        return Ok(Vec::new());
    }
    output.commit().map_err(Failure::Write)?;
    Ok(Vec::new())
}

/// The records of one file as they are cleaned: the job, and what they add up to.
struct Records<'a> {
    ctx: &'a Shared<'a>,
    summary: Summary,
    /// Their audit entries (with `--report`).
    entries: Option<audit::Entries>,
}

impl<'a> Records<'a> {
    fn new(ctx: &'a Shared<'a>) -> Records<'a> {
        Records {
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

/// Write a record's parts, as a gzip member of its own when `gzip`.
fn write_record(out: &mut impl Write, gzip: bool, parts: &[&[u8]]) -> io::Result<()> {
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

/// Read every record of `input`, clean the text ones, and write them all to `out` (each a
/// gzip member when `gzip`); a dry run writes the diffs of the changed records to `diffs`.
/// The records are counted in `records`.
fn rewrite(
    records: &mut Records,
    src: &Path,
    mut input: impl BufRead,
    out: &mut impl Write,
    gzip: bool,
    mut diffs: Option<&mut Vec<u8>>,
) -> std::result::Result<(), Failure> {
    let ctx = records.ctx;
    let learned = ctx.learning.as_ref().and_then(|l| l.for_file(src));
    let (mut number, mut offset) = (0u64, 0u64);
    let at = |number: u64, offset: u64, why: &str| {
        Failure::Malformed(format!(
            "record {number} (at byte {offset} of the decompressed stream): {why}"
        ))
    };
    loop {
        number += 1;
        let head = match read_head(&mut input) {
            Ok(Some(head)) => head,
            Ok(None) => break,
            Err(Failure::Malformed(why)) => return Err(at(number, offset, &why)),
            Err(failure) => return Err(failure),
        };
        let header = Header::parse(&head).map_err(|why| at(number, offset, &why))?;
        let length = header.content_length;
        let id = header.id.as_deref();
        let about = |what: &str| match &header.uri {
            Some(uri) => format!("{uri}: {what}"),
            None => what.to_string(),
        };
        let text = header.is_text() && length <= ctx.max_doc_bytes;
        if header.is_text() && !text {
            let why = format!("over --max-doc-bytes {}; kept as it was", ctx.max_doc_bytes);
            ctx.messages.warn_record(src, number, id, about(&why));
            records.summary.skipped += 1;
        }
        let mut block = Vec::new();
        let read = (&mut input).take(length).read_to_end(&mut block);
        match read {
            Ok(n) if n as u64 == length => {}
            Ok(n) => {
                let why = format!(
                    "its Content-Length is {length} but the file ends {n} bytes into its block \
                     (truncated)"
                );
                return Err(at(number, offset, &why));
            }
            Err(err) => return Err(Failure::Read(err)),
        }
        match read_trailer(&mut input) {
            Err(Failure::Malformed(why)) => return Err(at(number, offset, &why)),
            other => other?,
        }
        offset += head.len() as u64 + length + TRAILER.len() as u64;
        ctx.messages.records_done(1);
        if !text {
            write_record(out, gzip, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
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
                records.summary.skipped += 1;
                write_record(out, gzip, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
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
        let cleaned = ctx.cleaner.clean_with(&decoded, learned);
        let name = || record_name(src, number, id);
        if let Some(share) = ctx.over_max_removed(&decoded, &cleaned) {
            ctx.messages
                .warn_record(src, number, id, about(&record_quarantined(share)));
            let summary = &mut records.summary;
            let audit = ctx.count_quarantined(summary, &name(), &decoded, &cleaned, share);
            records.audit(audit);
            write_record(out, gzip, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
            continue;
        }
        let audit = ctx.count_cleaned(&mut records.summary, name, &block, &decoded, &cleaned);
        records.audit(audit);
        let cleaned_bytes = cleaned.text.as_bytes();
        if cleaned_bytes == block.as_slice() {
            write_record(out, gzip, &[&head, &block, TRAILER]).map_err(Failure::Write)?;
            continue;
        }
        records.summary.different += 1;
        if let Some(diffs) = diffs.as_deref_mut() {
            let name = record_name(src, number, id);
            diffs.extend(ctx.diff.render(name.as_os_str(), &block, &cleaned));
        }
        let head = rewrite_head(&head, cleaned_bytes.len());
        write_record(out, gzip, &[&head, cleaned_bytes, TRAILER]).map_err(Failure::Write)?;
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
