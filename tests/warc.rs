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

/// The records of a `--to jsonl` output, parsed.
fn json_lines(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn to_jsonl_writes_a_line_per_text_record_with_its_headers() {
    let tmp = TempDir::new().unwrap();
    let records = wet_records();
    let packed: Vec<u8> = records.iter().flat_map(|r| common::gzip(r)).collect();
    let input = common::write(tmp.path(), "in/CC-MAIN-1.warc.wet.gz", &packed);
    // Not WARC by its name: not walked under --to jsonl.
    common::write(tmp.path(), "in/notes.txt", "Skip to content\nA note.\n");
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-q", "--to", "jsonl"])
        .arg(tmp.path().join("in"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(common::tree(&out), [PathBuf::from("CC-MAIN-1.jsonl.gz")]);
    let written = gunzip(&fs::read(out.join("CC-MAIN-1.jsonl.gz")).unwrap());
    assert!(
        written.starts_with(b"{\"id\":\"<urn:uuid:"),
        "fields in order, id first"
    );
    let lines = json_lines(&written);
    // The warcinfo record is left out; each conversion record is a line.
    let conversions: Vec<Record> = records[1..].iter().flat_map(|r| parse(r)).collect();
    assert_eq!(lines.len(), conversions.len());
    for (line, record) in lines.iter().zip(&conversions) {
        let want = serde_json::json!({
            "id": record.header("WARC-Record-ID"),
            "url": record.header("WARC-Target-URI"),
            "date": "2024-05-01T10:00:00Z",
            "language": null,
            "text": String::from_utf8(clean_text(&record.block)).unwrap(),
        });
        assert_eq!(*line, want);
    }
    // To stdout, from the file or from stdin, the same lines, uncompressed.
    boilerstrip()
        .args(["clean", "--to", "jsonl"])
        .arg(&input)
        .assert()
        .success()
        .stdout(written.clone());
    boilerstrip()
        .args(["clean", "--to", "jsonl", "-"])
        .write_stdin(packed)
        .assert()
        .success()
        .stdout(written);
}

#[test]
fn to_jsonl_keeps_language_drops_empty_records_when_asked_and_compresses_as_told() {
    let tmp = TempDir::new().unwrap();
    let conversion = |id: &str, language: Option<&str>, block: &str| {
        let mut headers = vec![("WARC-Type", "conversion"), ("WARC-Record-ID", id)];
        headers.extend(language.map(|l| ("WARC-Identified-Content-Language", l)));
        record(&headers, block)
    };
    let records = [
        conversion(
            "<a>",
            Some("eng,deu"),
            "Skip to content\nThe bridge opened.\n",
        ),
        conversion("<b>", None, "Skip to content\n"),
        // No final newline: the text gets none.
        conversion("<c>", None, "The ferry sailed."),
    ];
    let input = common::write(tmp.path(), "a.warc", records.concat());
    let run = |extra: &[&str]| {
        let output = boilerstrip()
            .args(["clean", "--to", "jsonl"])
            .args(extra)
            .arg(&input)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let texts = |lines: Vec<serde_json::Value>| -> Vec<(String, String)> {
        lines
            .iter()
            .map(|l| (l["id"].to_string(), l["text"].as_str().unwrap().to_string()))
            .collect()
    };
    let all = json_lines(&run(&[]));
    assert_eq!(all[0]["language"], "eng,deu");
    assert_eq!(all[0]["url"], serde_json::Value::Null);
    assert_eq!(
        texts(all),
        [
            ("\"<a>\"".into(), "The bridge opened.\n".into()),
            ("\"<b>\"".into(), String::new()),
            ("\"<c>\"".into(), "The ferry sailed.".into()),
        ]
    );
    let kept = texts(json_lines(&run(&["--drop-empty"])));
    assert_eq!(
        kept.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["\"<a>\"", "\"<c>\""]
    );
    // --compress: on stdout, and for the name of an output under -o.
    let plain = run(&[]);
    assert_eq!(
        zstd::decode_all(&run(&["--compress", "zstd"])[..]).unwrap(),
        plain
    );
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "-q", "--to", "jsonl", "--compress", "gzip"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(gunzip(&fs::read(out.join("a.jsonl.gz")).unwrap()), plain);
}

#[test]
fn to_jsonl_refuses_what_is_not_warc_and_outputs_it_cannot_name() {
    let tmp = TempDir::new().unwrap();
    let text = common::write(tmp.path(), "a.txt", "Skip to content\nThe text.\n");
    // Refused before anything is read: another input format, a rewrite in place, --annotate.
    for extra in [
        &["--format", "text"][..],
        &["--format", "jsonl"],
        &["--in-place"],
        &["--annotate"],
    ] {
        boilerstrip()
            .args(["clean", "--to", "jsonl"])
            .args(extra)
            .arg(&text)
            .assert()
            .code(2);
    }
    // Read as WARC, a text file or text on stdin fails, and nothing is written.
    let out = tmp.path().join("out");
    boilerstrip()
        .args(["clean", "--to", "jsonl"])
        .arg(&text)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("not a WARC record"));
    assert!(common::tree(&out).is_empty());
    boilerstrip()
        .args(["clean", "--to", "jsonl", "-"])
        .write_stdin("Skip to content\nThe text.\n")
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("not a WARC record"));
    // `a.warc` and `a.wet` would both be written as `a.jsonl`: the second is refused.
    let dir = tmp.path().join("dump");
    let block = record(&[("WARC-Type", "conversion")], "The text.\n");
    common::write(&dir, "a.warc", &block);
    common::write(&dir, "a.wet", &block);
    boilerstrip()
        .args(["clean", "-q", "--to", "jsonl"])
        .arg(&dir)
        .arg("-o")
        .arg(tmp.path().join("dump-out"))
        .assert()
        .code(1)
        .stderr(contains("another input is also written to"));
}

/// Six conversion records of two sites (three each, one with `www.`), each page with its
/// site's footer.
fn two_sites() -> Vec<u8> {
    let topics = ["ferry", "bridge", "council", "market", "school", "library"];
    let mut records = vec![record(&[("WARC-Type", "warcinfo")], "software: test\r\n")];
    for (i, topic) in topics.iter().enumerate() {
        let (site, footer) = match i % 2 {
            0 => ("https://harbour.example", "More from the Harbour Weekly"),
            _ => ("https://www.valley.example", "Subscribe to the Valley Post"),
        };
        records.push(record(
            &[
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", &format!("{site}/story/{i}")),
                ("WARC-Record-ID", &format!("<urn:uuid:{i}>")),
            ],
            &format!("The {topic} story is about the town.\n{footer}\n"),
        ));
    }
    records.concat()
}

#[test]
fn learn_and_mine_group_warc_records_by_the_host_of_their_target_uri() {
    let tmp = TempDir::new().unwrap();
    let input = common::write(tmp.path(), "sites.warc", two_sites());
    // Each footer is in 3 of its site's 3 pages: learned per site, removed from every page.
    let output = boilerstrip()
        .args([
            "clean",
            "--learn",
            "--learn-min-docs",
            "3",
            "--summary",
            "--to",
            "jsonl",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("learned 2 repeated line(s) in 2 group(s)"),
        "{stderr}"
    );
    let texts: Vec<String> = json_lines(&output.stdout)
        .iter()
        .map(|line| line["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 6);
    assert!(
        texts
            .iter()
            .all(|t| t.ends_with("story is about the town.\n")),
        "{texts:?}"
    );
    // `mine` names the groups by host, without `www.`.
    boilerstrip()
        .args(["mine", "--min-docs", "3"])
        .arg(&input)
        .assert()
        .success()
        .stdout(contains("3 of 3 documents of harbour.example"))
        .stdout(contains("3 of 3 documents of valley.example"));
    // --group-by-dir: the file's directory is one group, where each footer is in 3 of 6 pages.
    boilerstrip()
        .args([
            "clean",
            "--learn",
            "--group-by-dir",
            "--learn-min-docs",
            "3",
            "--summary",
        ])
        .arg(&input)
        .assert()
        .success()
        .stderr(contains("learned 2 repeated line(s) in 1 group(s)"));
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
