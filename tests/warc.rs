//! WARC and WET files through the binary: only the text of conversion records is cleaned,
//! every other byte is kept, the output re-parses (with Python's `warcio` when it can be
//! imported), gzip input gives one gzip member per record, and a truncated file fails with its
//! record number and writes nothing.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::{boilerstrip, gunzip};

/// One record: the header lines (without `Content-Length`, which is added last) and the block.
fn record(headers: &[(&str, &str)], block: &str) -> Vec<u8> {
    let mut out = b"WARC/1.0\r\n".to_vec();
    for (name, value) in headers {
        out.extend(format!("{name}: {value}\r\n").bytes());
    }
    out.extend(format!("Content-Length: {}\r\n\r\n", block.len()).bytes());
    out.extend(block.bytes());
    out.extend(b"\r\n\r\n");
    out
}

/// A WET file's records: a warcinfo record and three conversion records (one with junk
/// lines, one that cleaning leaves alone, one with non-ASCII text and junk).
fn wet_records() -> Vec<Vec<u8>> {
    let conversion = |n: u32, uri: &str, block: &str| {
        let id = format!("<urn:uuid:00000000-0000-0000-0000-00000000000{n}>");
        let digest = format!("sha1:DIGEST{n}");
        record(
            &[
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", uri),
                ("WARC-Date", "2024-05-01T10:00:00Z"),
                ("WARC-Record-ID", &id),
                (
                    "WARC-Refers-To",
                    "<urn:uuid:ffffffff-0000-0000-0000-000000000000>",
                ),
                ("WARC-Block-Digest", &digest),
                ("Content-Type", "text/plain"),
            ],
            block,
        )
    };
    vec![
        record(
            &[
                ("WARC-Type", "warcinfo"),
                ("WARC-Date", "2024-05-01T10:00:00Z"),
                ("WARC-Filename", "test.warc.wet.gz"),
                (
                    "WARC-Record-ID",
                    "<urn:uuid:00000000-0000-0000-0000-000000000000>",
                ),
                ("Content-Type", "application/warc-fields"),
            ],
            "Software-Info: hand-made\r\nExtracted-Date: Wed, 01 May 2024\r\n",
        ),
        conversion(
            1,
            "https://news.example/council",
            "Skip to content\nCouncil Approves Budget\nThe council approved the budget on \
             Tuesday after a long debate.\nShare this article\n",
        ),
        conversion(
            2,
            "https://blog.example/plain",
            "A plain paragraph about gardening that nothing removes.\n",
        ),
        conversion(
            3,
            "https://zeitung.example/brücke",
            "Skip to content\nDie Brücke über den Fluss wurde am Montag eröffnet.\nÜber 300 \
             Menschen kamen — trotz Regen.\n",
        ),
    ]
}

/// A parsed record: its header bytes (version line to blank line), its block.
#[derive(Debug, PartialEq)]
struct Record {
    head: Vec<u8>,
    block: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> Option<String> {
        let head = String::from_utf8_lossy(&self.head);
        head.split("\r\n").find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    /// The header lines but those named.
    fn lines_but(&self, names: &[&str]) -> Vec<String> {
        String::from_utf8_lossy(&self.head)
            .split("\r\n")
            .filter(|line| {
                let name = line.split(':').next().unwrap_or("");
                !names.iter().any(|n| n.eq_ignore_ascii_case(name))
            })
            .map(str::to_string)
            .collect()
    }
}

/// A reader of WARC records written for this test (independent of the crate's).
fn parse(bytes: &[u8]) -> Vec<Record> {
    let mut records = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header ends with a blank line")
            + 4;
        let head = rest[..end].to_vec();
        assert!(head.starts_with(b"WARC/1.0\r\n"), "{head:?}");
        let mut record = Record {
            head,
            block: Vec::new(),
        };
        let length: usize = record.header("Content-Length").unwrap().parse().unwrap();
        record.block = rest[end..end + length].to_vec();
        assert_eq!(&rest[end + length..end + length + 4], b"\r\n\r\n");
        rest = &rest[end + length + 4..];
        records.push(record);
    }
    records
}

/// The gzip members of `bytes`, each decompressed.
fn members(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut rest = bytes;
    let mut members = Vec::new();
    while !rest.is_empty() {
        let mut decoder = flate2::bufread::GzDecoder::new(rest);
        let mut member = Vec::new();
        decoder.read_to_end(&mut member).unwrap();
        rest = decoder.into_inner();
        members.push(member);
    }
    members
}

/// What `boilerstrip clean -` makes of `text`.
fn clean_text(text: &[u8]) -> Vec<u8> {
    let output = boilerstrip()
        .args(["clean", "--format", "text", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

/// Check a cleaned WET file (decompressed) against the records it was made from.
fn check_cleaned(original: &[Vec<u8>], cleaned: &[u8]) {
    let before: Vec<Record> = original.iter().flat_map(|r| parse(r)).collect();
    let after = parse(cleaned);
    assert_eq!(before.len(), after.len());
    for (n, (old, new)) in before.iter().zip(&after).enumerate() {
        if old.header("WARC-Type").as_deref() != Some("conversion") {
            assert_eq!(old, new, "record {n}: kept byte for byte");
            continue;
        }
        let want = clean_text(&old.block);
        assert_eq!(
            String::from_utf8_lossy(&new.block),
            String::from_utf8_lossy(&want),
            "record {n}: the block is the text cleaned"
        );
        if want == old.block {
            assert_eq!(
                old, new,
                "record {n}: unchanged, kept whole, digest included"
            );
            continue;
        }
        let length = new.header("Content-Length").unwrap();
        assert_eq!(length, new.block.len().to_string(), "record {n}");
        let others = ["Content-Length", "WARC-Block-Digest"];
        assert_eq!(
            old.lines_but(&others),
            new.lines_but(&others),
            "record {n}: the other header lines are kept"
        );
        assert_eq!(
            new.header("WARC-Block-Digest"),
            None,
            "record {n}: digest dropped"
        );
    }
    // The junk is gone, the non-ASCII text kept.
    let text = String::from_utf8_lossy(cleaned);
    assert!(!text.contains("Skip to content") && !text.contains("Share this article"));
    assert!(text.contains("Die Brücke über den Fluss"), "{text}");
}

/// A Python that can `import warcio`, if there is one (`BOILERSTRIP_WARCIO_PYTHON`, a venv
/// at `target/warcio-venv`, or `python3`).
fn warcio_python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/warcio-venv/bin/python");
    let candidates = std::env::var_os("BOILERSTRIP_WARCIO_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")]);
    for python in candidates {
        let imported = Process::new(&python)
            .args(["-c", "import warcio"])
            .output()
            .is_ok_and(|out| out.status.success());
        if imported {
            return Some(python);
        }
    }
    None
}

/// Read `path` with warcio; returns each record's type, id and block (as text).
fn read_with_warcio(python: &Path, path: &Path) -> String {
    const SCRIPT: &str = r#"
import sys
from warcio.archiveiterator import ArchiveIterator
with open(sys.argv[1], "rb") as f:
    for record in ArchiveIterator(f, check_digests=False):
        block = record.content_stream().read().decode("utf-8")
        print(record.rec_type, record.rec_headers.get_header("WARC-Record-ID"), repr(block))
"#;
    let output = Process::new(python)
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "warcio: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Re-parse a cleaned file with warcio, or say why not.
fn reparse_independently(path: &Path, records: usize) {
    let Some(python) = warcio_python() else {
        eprintln!(
            "warc: Python's warcio cannot be imported (pip install warcio, or set \
             BOILERSTRIP_WARCIO_PYTHON): {} re-parsed by the test's own reader only",
            path.display()
        );
        return;
    };
    let listing = read_with_warcio(&python, path);
    assert_eq!(listing.lines().count(), records, "{listing}");
    assert!(listing.starts_with("warcinfo "), "{listing}");
    assert_eq!(
        listing.matches("conversion ").count(),
        records - 1,
        "{listing}"
    );
    assert!(!listing.contains("Skip to content"), "{listing}");
    assert!(listing.contains("Die Brücke"), "{listing}");
}

#[test]
fn a_plain_wet_file_is_cleaned_record_by_record() {
    let tmp = TempDir::new().unwrap();
    let records = wet_records();
    let input = common::write(tmp.path(), "in/crawl.warc.wet", records.concat());
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-q"])
        .arg(tmp.path().join("in"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let cleaned = fs::read(out.join("crawl.warc.wet")).unwrap();
    check_cleaned(&records, &cleaned);
    reparse_independently(&out.join("crawl.warc.wet"), records.len());
    // The input is untouched; to stdout, a single file gives the same bytes.
    assert_eq!(fs::read(&input).unwrap(), records.concat());
    boilerstrip()
        .args(["clean"])
        .arg(&input)
        .assert()
        .success()
        .stdout(cleaned.clone());
    // So does stdin, read as WARC by its first line.
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(records.concat())
        .assert()
        .success()
        .stdout(cleaned);
}

#[test]
fn a_gzip_wet_file_is_written_a_gzip_member_per_record() {
    let tmp = TempDir::new().unwrap();
    let records = wet_records();
    let packed: Vec<u8> = records.iter().flat_map(|r| common::gzip(r)).collect();
    let input = common::write(tmp.path(), "crawl.wet.gz", &packed);
    boilerstrip()
        .args(["clean", "-q", "--in-place"])
        .arg(&input)
        .assert()
        .success();
    let written = fs::read(&input).unwrap();
    let members = members(&written);
    assert_eq!(members.len(), records.len(), "one member per record");
    for member in &members {
        assert_eq!(parse(member).len(), 1, "each member holds one whole record");
    }
    check_cleaned(&records, &gunzip(&written));
    reparse_independently(&input, records.len());
    // Cleaned again: nothing changes, the file is not rewritten.
    boilerstrip()
        .args(["clean", "-q", "--in-place"])
        .arg(&input)
        .assert()
        .success();
    assert_eq!(fs::read(&input).unwrap(), written);
}

#[test]
fn a_dry_run_shows_a_diff_per_changed_record_named_by_its_id() {
    let tmp = TempDir::new().unwrap();
    let input = common::write(tmp.path(), "crawl.wet", wet_records().concat());
    boilerstrip()
        .args(["clean", "--dry-run"])
        .arg(&input)
        .assert()
        .success()
        .stdout(contains(":<urn:uuid:00000000-0000-0000-0000-000000000001>"))
        .stdout(contains("-Share this article"))
        .stdout(contains(":<urn:uuid:00000000-0000-0000-0000-000000000003>"))
        .stdout(contains("000000000002>").not())
        .stderr(contains("2 document(s) would change"));
}

#[test]
fn a_truncated_file_fails_with_its_record_number_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let whole = wet_records().concat();
    let record_3 = wet_records()[..2].concat().len();
    let cases = [
        // Cut inside the last record's block.
        (whole[..whole.len() - 20].to_vec(), "record 4", "truncated"),
        // Cut inside the third record's header.
        (whole[..record_3 + 30].to_vec(), "record 3", "header"),
        // A Content-Length that is no number.
        (
            {
                let mut records = wet_records();
                let third = String::from_utf8(records[2].clone()).unwrap();
                let at = third.find("Content-Length: ").unwrap() + "Content-Length: ".len();
                let end = at + third[at..].find('\r').unwrap();
                records[2] = format!("{}many{}", &third[..at], &third[end..]).into_bytes();
                records.concat()
            },
            "record 3",
            "invalid Content-Length",
        ),
    ];
    for (bytes, record, why) in cases {
        let dir = tmp.path().join(why);
        let input = common::write(&dir, "in/crawl.wet", &bytes);
        let out = dir.join("out");
        boilerstrip()
            .args(["clean", "-q"])
            .arg(dir.join("in"))
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(
                contains("crawl.wet: ")
                    .and(contains(record))
                    .and(contains(why)),
            );
        assert_eq!(common::tree(&out), Vec::<PathBuf>::new(), "{why}");
        // Gzip, in place: the file is left as it was.
        let packed = common::gzip(&bytes);
        let gz = common::write(&dir, "crawl.wet.gz", &packed);
        boilerstrip()
            .args(["clean", "-q", "--in-place"])
            .arg(&gz)
            .assert()
            .code(1)
            .stderr(contains(record));
        assert_eq!(fs::read(&gz).unwrap(), packed);
        let _ = input;
    }
}

#[test]
fn other_record_types_and_non_text_resources_are_kept() {
    let tmp = TempDir::new().unwrap();
    let junk = "Skip to content\nShare this article\n";
    let records = [
        record(
            &[("WARC-Type", "response"), ("Content-Type", "text/plain")],
            junk,
        ),
        record(
            &[("WARC-Type", "resource"), ("Content-Type", "text/html")],
            junk,
        ),
        record(
            &[
                ("WARC-Type", "resource"),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            junk,
        ),
    ];
    let input = common::write(tmp.path(), "a.warc", records.concat());
    let output = boilerstrip().arg("clean").arg(&input).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let after = parse(&output.stdout);
    let before: Vec<Record> = records.iter().flat_map(|r| parse(r)).collect();
    assert_eq!(after[..2], before[..2]);
    assert_eq!(after[2].block, b"");
}

/// `--max-removed` leaves a text record over it as it came (header, digests and block), and
/// `--report` lists every text record (it listed none: `documents` was `[]`).
#[test]
fn a_record_over_max_removed_is_kept_and_the_report_lists_every_record() {
    let tmp = TempDir::new().unwrap();
    let records = wet_records();
    common::write(tmp.path(), "in/crawl.warc.wet", records.concat());
    let run = boilerstrip()
        .args(["clean", "in", "-o", "out", "--max-removed", "0.25"])
        .args(["--report", "r.json"])
        .current_dir(tmp.path())
        .assert()
        .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let id = |n: u32| format!("<urn:uuid:00000000-0000-0000-0000-00000000000{n}>");
    assert!(
        stderr.contains(&format!(
            "in/crawl.warc.wet:2 (id {}): https://news.example/council: cleaning would remove",
            id(1)
        )),
        "{stderr}"
    );
    let cleaned = fs::read(tmp.path().join("out/crawl.warc.wet")).unwrap();
    let parsed = parse(&cleaned);
    assert_eq!(parsed.len(), records.len());
    assert_eq!(parsed[1], parse(&records[1])[0], "kept byte for byte");
    assert!(!String::from_utf8_lossy(&parsed[3].block).contains("Skip to content"));

    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("r.json")).unwrap()).unwrap();
    let name = |n: u32| format!("in/crawl.warc.wet:{}", id(n));
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [name(1), name(2), name(3)],
        "the text records, in order"
    );
    assert_eq!(report["documents"][0]["quarantined"], true);
    assert_eq!(report["quarantined"][0]["path"], name(1));
    assert_eq!(report["totals"]["quarantined"], 1);
    assert_eq!(report["most_reduced"][0]["path"], name(3));
    let nav001 = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "NAV001")
        .unwrap();
    assert_eq!(nav001["samples"][0]["path"], name(3));
    assert_eq!(nav001["samples"][0]["line"], 1);
}
