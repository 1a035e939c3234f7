//! `boilerstrip clean --report FILE` and `--max-removed`/`--quarantine` as a user runs them: the
//! audit report's numbers on a small tree counted by hand, its determinism at any thread count,
//! the patterns hash, and quarantined documents left uncleaned, copied and listed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use boilerstrip::CommentOptions;
use predicates::str::contains;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::common;
use common::boilerstrip;

/// 87 bytes; cleans to 49: NAV001 removes line 1 (15 bytes), WP003 lines 7 and 8 (13 + 5).
const DOC: &str = "Skip to content\n\nMayor Opens Bridge\n\nThe bridge opened on Monday.\n\nLeave a Reply\nNice!\n";
const CLEAN: &str = "Mayor Opens Bridge\n\nThe bridge opened on Monday.\n";
/// 55 bytes; cleans to 26: NAV004 removes line 1 (13 bytes), DEDUPE line 4 (13).
const CAPTIONED: &str = "Advertisement\n\nCaption here.\nCaption here.\n\nBody text.\n";
/// 12 bytes, already clean.
const PLAIN: &str = "Plain text.\n";
/// 99 bytes of which cleaning keeps 12 ("Brief note.\n"): 87.9% removed.
const JUNK: &str = "Skip to content\n\nMenu\n\nAdvertisement\n\nAccessibility links\n\nBrief note.\n\nSource link\n\nAdvertisement\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Every file under `dir` (relative path) with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The report's rule entries that did something.
fn rules_with_hits(report: &Value) -> Vec<Value> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["hits"] != 0)
        .cloned()
        .collect()
}

fn sample(path: &str, line: u64, text: &str) -> Value {
    json!({"path": path, "line": line, "kind": "removed", "text": text})
}

#[test]
fn report_totals_and_rules_match_a_hand_count() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/a.txt", DOC);
    write(dir.path(), "in/c.txt", PLAIN);
    write(dir.path(), "in/sub/b.txt", CAPTIONED);
    boilerstrip()
        .args(["clean", "-q", "in", "-o", "out", "--report", "report.json"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.txt")).unwrap(),
        CLEAN
    );
    let report = read_json(&dir.path().join("report.json"));

    assert_eq!(report["tool"]["name"], "boilerstrip");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(report["patterns_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    // The thresholds are written as the f32 they are (`0.2`, not `0.2000000029…`).
    let model = boilerstrip::Model::embedded().unwrap();
    let thresholds = &report["options"]["model"]["thresholds"];
    for (name, value) in [
        ("article", model.thresholds().article),
        ("page", model.thresholds().page),
    ] {
        assert_eq!(thresholds[name].as_f64().unwrap() as f32, value, "{name}");
    }
    assert_eq!(
        report["options"],
        json!({"patterns": [], "no_default_patterns": false, "disabled": [],
               "fold_punctuation": false, "invalid_utf8": "lossy", "max_removed": null,
               "dry_run": false, "input_kind": "auto",
               "model": {"thresholds": thresholds.clone(), "keep_threshold": null,
                         "description": model.description()},
               "comments": serde_json::to_value(CommentOptions::default()).unwrap()})
    );
    assert_eq!(
        report["totals"],
        json!({"documents": 3, "changed": 2, "emptied": 0, "skipped": 0, "failed": 0,
               "quarantined": 0, "bytes_in": 87 + 12 + 55, "bytes_out": 49 + 12 + 26,
               "lines_removed": 5})
    );
    let rule = |id: &str, name: &str, hits: u64, bytes: u64, samples: Vec<Value>| {
        json!({"id": id, "name": name, "hits": hits, "documents": 1, "lines_removed": hits,
               "bytes_removed": bytes, "samples": samples})
    };
    assert_eq!(
        rules_with_hits(&report),
        [
            rule(
                "DEDUPE",
                "consecutive-duplicates",
                1,
                13,
                vec![sample("in/sub/b.txt", 4, "Caption here.")]
            ),
            rule(
                "NAV001",
                "skip-links",
                1,
                15,
                vec![sample("in/a.txt", 1, "Skip to content")]
            ),
            rule(
                "NAV004",
                "advertisement-label",
                1,
                13,
                vec![sample("in/sub/b.txt", 1, "Advertisement")]
            ),
            rule(
                "WP003",
                "leave-a-reply",
                2,
                13 + 5,
                vec![
                    sample("in/a.txt", 7, "Leave a Reply"),
                    sample("in/a.txt", 8, "Nice!")
                ]
            ),
        ]
    );
    let ids: Vec<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules sorted by id");
    assert!(ids.contains(&"REJOIN"), "rules that did nothing are listed");

    // Each document says what the line model made of it: the language whose stop words it
    // counted (the short ones have too few words to tell), and its kind.
    let doc = |path: &str, bytes_in: u64, bytes_out: u64, share: f64, language: Value| {
        json!({"path": path, "bytes_in": bytes_in, "bytes_out": bytes_out,
               "share_removed": share, "quarantined": false,
               "model": {"language": language, "page": false, "cut_to_tenth": false}})
    };
    let a = doc("in/a.txt", 87, 49, 0.4368, json!("en")); // 38 / 87
    let b = doc("in/sub/b.txt", 55, 26, 0.5273, Value::Null); // 29 / 55
    let c = doc("in/c.txt", 12, 12, 0.0, Value::Null);
    assert_eq!(report["quarantined"], json!([]));
    assert_eq!(report["cut_by_model"], json!([]));
    assert_eq!(report["most_reduced"], json!([b, a]), "c lost nothing");
    assert_eq!(report["documents"], json!([a, c, b]), "walk order");
}

#[test]
fn report_documents_are_one_line_each_and_last() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/a.txt", DOC);
    write(dir.path(), "in/b.txt", CAPTIONED);
    boilerstrip()
        .args(["clean", "-q", "-n", "in", "--report", "r.json"])
        .current_dir(dir.path())
        .assert()
        .success();
    let text = fs::read_to_string(dir.path().join("r.json")).unwrap();
    let tail: Vec<&str> = text.lines().rev().take(5).collect();
    assert_eq!(tail[0], "}");
    assert_eq!(tail[1], "  ]");
    assert!(tail[2].starts_with("    {\"path\":\"in/b.txt\""), "{text}");
    assert!(tail[3].starts_with("    {\"path\":\"in/a.txt\""), "{text}");
    assert_eq!(tail[4], "  \"documents\": [");
}

#[test]
fn report_is_byte_identical_at_any_thread_count() {
    let dir = TempDir::new().unwrap();
    let mut reports = Vec::new();
    for threads in ["1", "2", "8"] {
        let path = dir.path().join(format!("report-{threads}.json"));
        boilerstrip()
            .args([
                "clean",
                "-q",
                "-n",
                "-j",
                threads,
                "corpus/input",
                "--report",
            ])
            .arg(&path)
            .assert()
            .success();
        reports.push(fs::read(&path).unwrap());
    }
    assert_eq!(reports[0], reports[1], "-j1 and -j2");
    assert_eq!(reports[0], reports[2], "-j1 and -j8");
    let report: Value = serde_json::from_slice(&reports[0]).unwrap();
    assert_eq!(report["totals"]["documents"], 42);
    assert_eq!(report["documents"].as_array().unwrap().len(), 42);
    assert_eq!(report["most_reduced"].as_array().unwrap().len(), 20);
    // Samples are the first in input order: NAV001 fires in most documents.
    let nav001 = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "NAV001")
        .unwrap();
    let paths: Vec<&str> = nav001["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths.len(), 3);
    assert_eq!(paths, sorted);
}

#[test]
fn patterns_hash_changes_when_a_rule_is_disabled() {
    let dir = TempDir::new().unwrap();
    let run = |name: &str, extra: &[&str]| -> Value {
        let path = dir.path().join(name);
        boilerstrip()
            .args(["clean", "-q", "-n", "corpus/input/08-hearing-aid-chip.txt"])
            .args(extra)
            .arg("--report")
            .arg(&path)
            .assert()
            .success();
        read_json(&path)
    };
    let all = run("all.json", &[]);
    let again = run("again.json", &[]);
    let fewer = run("fewer.json", &["-d", "NAV001"]);
    let folded = run("folded.json", &["--fold-punctuation"]);
    let stricter = run("stricter.json", &["--keep-threshold", "0.5"]);
    let no_classifier = run("off.json", &["-d", "CLASSIFY", "--input-kind", "page"]);
    assert_eq!(all["patterns_hash"], again["patterns_hash"]);
    assert_ne!(all["patterns_hash"], fewer["patterns_hash"]);
    assert_eq!(fewer["options"]["disabled"], json!(["NAV001"]));
    assert!(fewer["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "NAV001"));
    // Folding is an option of the run, reported beside the hash.
    assert_eq!(all["patterns_hash"], folded["patterns_hash"]);
    assert_eq!(folded["options"]["fold_punctuation"], true);
    // So is the line model's threshold, and whether the model ran at all.
    assert_eq!(stricter["options"]["model"]["keep_threshold"], json!(0.5));
    assert_eq!(all["patterns_hash"], stricter["patterns_hash"]);
    assert_eq!(no_classifier["options"]["model"], Value::Null);
    assert_eq!(no_classifier["options"]["input_kind"], "page");
}

#[test]
fn over_max_removed_is_quarantined_not_stripped() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/a.txt", DOC);
    write(dir.path(), "in/sub/junk.txt", JUNK);
    boilerstrip()
        .args(["clean", "in", "-o", "out", "--max-removed", "0.5"])
        .args(["--quarantine", "q", "--report", "r.json"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(contains(
            "in/sub/junk.txt: cleaning would remove 87.9% of its bytes, over --max-removed",
        ))
        .stderr(contains("quarantined: 1 document(s) over --max-removed"))
        .stderr(contains("      87.9%  in/sub/junk.txt\n"));
    let out = files(&dir.path().join("out"));
    assert_eq!(
        out[Path::new("a.txt")],
        CLEAN.as_bytes(),
        "cleaned as usual"
    );
    assert_eq!(
        out[Path::new("sub/junk.txt")],
        JUNK.as_bytes(),
        "left uncleaned"
    );
    assert_eq!(
        files(&dir.path().join("q")),
        BTreeMap::from([(PathBuf::from("sub/junk.txt"), JUNK.as_bytes().to_vec())]),
        "only the quarantined document is copied, at its relative path"
    );

    let report = read_json(&dir.path().join("r.json"));
    assert_eq!(report["options"]["max_removed"], 0.5);
    assert_eq!(report["totals"]["documents"], 2);
    assert_eq!(report["totals"]["changed"], 1);
    assert_eq!(report["totals"]["quarantined"], 1);
    assert_eq!(report["totals"]["bytes_out"], 49 + 99);
    assert_eq!(report["totals"]["lines_removed"], 3);
    assert_eq!(
        report["quarantined"],
        json!([{"path": "in/sub/junk.txt", "bytes_in": 99, "bytes_cleaned": 12,
                "share_removed": 0.8788}])
    );
    assert_eq!(
        report["documents"][1],
        json!({"path": "in/sub/junk.txt", "bytes_in": 99, "bytes_out": 99,
               "share_removed": 0.0, "quarantined": true})
    );
    let skip_links = rules_with_hits(&report)
        .into_iter()
        .find(|r| r["id"] == "NAV001")
        .unwrap();
    assert_eq!(
        skip_links["hits"], 1,
        "nothing counted from the quarantined document"
    );
}

#[test]
fn quarantine_in_place_stdout_and_dry_run() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/a.txt", DOC);
    write(dir.path(), "in/junk.txt", JUNK);
    // A dry run writes the report and nothing else, and shows no diff for the quarantined one.
    let before = files(dir.path());
    let output = boilerstrip()
        .args(["clean", "-n", "in", "-o", "out", "--max-removed", "0.5"])
        .args(["--quarantine", "q", "--report", "r.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let diff = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(diff.contains("--- a/in/a.txt"), "{diff}");
    assert!(!diff.contains("junk"), "{diff}");
    assert!(stderr.contains("87.9%  in/junk.txt"), "{stderr}");
    assert!(stderr.contains("nothing was written but the report r.json"));
    let mut after = files(dir.path());
    let report = after.remove(Path::new("r.json")).expect("the report");
    assert_eq!(after, before, "no other file written");
    let report: Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(report["totals"]["quarantined"], 1);
    assert_eq!(report["options"]["dry_run"], true);

    // In place, the quarantined document is left untouched.
    boilerstrip()
        .args(["clean", "-q", "--in-place", "in", "--max-removed", "0.5"])
        .current_dir(dir.path())
        .assert()
        .success();
    let tree = files(&dir.path().join("in"));
    assert_eq!(tree[Path::new("a.txt")], CLEAN.as_bytes());
    assert_eq!(tree[Path::new("junk.txt")], JUNK.as_bytes());

    // On stdout, the original is printed.
    boilerstrip()
        .args(["clean", "--max-removed", "0.5", "-"])
        .write_stdin(JUNK)
        .assert()
        .success()
        .stdout(JUNK)
        .stderr(contains("<stdin>: cleaning would remove 87.9%"));
    boilerstrip()
        .args(["clean", "--max-removed", "0.9", "-"])
        .write_stdin(JUNK)
        .assert()
        .success()
        .stdout("Brief note.\n");
}

#[test]
fn summary_lists_ten_quarantined_and_counts_the_rest() {
    let dir = TempDir::new().unwrap();
    for i in 0..12 {
        write(dir.path(), &format!("in/junk{i:02}.txt"), JUNK);
    }
    let output = boilerstrip()
        .args(["clean", "in", "-o", "out", "--max-removed", "0.5"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let summary = &stderr[stderr.find("boilerstrip: 12 documents").unwrap()..];
    let listed: Vec<&str> = summary
        .lines()
        .filter(|l| l.ends_with(".txt"))
        .map(|l| l.trim())
        .collect();
    assert_eq!(listed.len(), 10, "{summary}");
    assert_eq!(listed[0], "87.9%  in/junk00.txt");
    assert_eq!(listed[9], "87.9%  in/junk09.txt");
    assert!(summary.ends_with("  and 2 more\n"), "{summary}");
}

#[test]
fn max_removed_and_quarantine_usage() {
    for bad in ["1.5", "-0.1", "half"] {
        boilerstrip()
            .args(["clean", "--max-removed", bad, "-"])
            .write_stdin(DOC)
            .assert()
            .code(2);
    }
    boilerstrip()
        .args(["clean", "--quarantine", "q", "-"])
        .write_stdin(DOC)
        .assert()
        .code(2);
    boilerstrip()
        .args(["clean", "--max-removed", "0.5", "--quarantine", "q", "-"])
        .write_stdin(DOC)
        .assert()
        .code(2)
        .stderr(contains("--quarantine needs file inputs"));
    boilerstrip()
        .args(["clean", "--report", "/nonexistent-dir/r.json", "-"])
        .write_stdin(DOC)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("cannot write the report /nonexistent-dir/r.json"));
    let help = boilerstrip().args(["clean", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("With --dry-run, the report is the one file written"),
        "{help}"
    );
}

/// The records of a JSONL file are documents of the report, in job order between the files
/// around them, with their samples and the most reduced among them, and quarantined one by one
/// under `--max-removed` (the report listed no record: `documents` held the text files only).
/// The report is the same at any thread count.
#[test]
fn the_report_lists_jsonl_records_among_the_documents() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/a.txt", DOC);
    let record = |id: &str, text: &str| json!({"id": id, "text": text}).to_string() + "\n";
    let records = record("r1", CAPTIONED) + &record("r2", JUNK) + &record("r3", PLAIN);
    write(dir.path(), "in/b.jsonl", &records);
    write(dir.path(), "in/c.txt", PLAIN);
    let mut reports = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = format!("out-{threads}");
        boilerstrip()
            .args([
                "clean",
                "-q",
                "-j",
                threads,
                "in",
                "-o",
                &out,
                "--id-field",
                "id",
            ])
            .args([
                "--max-removed",
                "0.6",
                "--report",
                &format!("r-{threads}.json"),
            ])
            .current_dir(dir.path())
            .assert()
            .success();
        reports.push(fs::read(dir.path().join(format!("r-{threads}.json"))).unwrap());
    }
    assert_eq!(reports[0], reports[1], "-j1 and -j2");
    assert_eq!(reports[0], reports[2], "-j1 and -j8");
    let report: Value = serde_json::from_slice(&reports[0]).unwrap();
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "in/a.txt",
            "in/b.jsonl:r1",
            "in/b.jsonl:r2",
            "in/b.jsonl:r3",
            "in/c.txt"
        ]
    );
    assert_eq!(report["totals"]["documents"], 5);
    assert_eq!(report["totals"]["quarantined"], 1);
    assert_eq!(
        report["quarantined"],
        json!([{"path": "in/b.jsonl:r2", "bytes_in": 99, "bytes_cleaned": 12,
                "share_removed": 0.8788}])
    );
    let reduced: Vec<&str> = report["most_reduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(reduced, ["in/b.jsonl:r1", "in/a.txt"], "by share removed");
    let dedupe = rules_with_hits(&report)
        .into_iter()
        .find(|r| r["id"] == "DEDUPE")
        .unwrap();
    assert_eq!(
        dedupe["samples"],
        json!([{"path": "in/b.jsonl:r1", "line": 4, "kind": "removed", "text": "Caption here."}])
    );
    // The quarantined record went out as it came.
    let written = fs::read_to_string(dir.path().join("out-1/b.jsonl")).unwrap();
    assert_eq!(written.lines().nth(1), Some(record("r2", JUNK).trim_end()));
}
