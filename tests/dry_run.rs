//! `boilerstrip clean --dry-run` as a user runs it: nothing written, a diff that `patch` applies,
//! explained and JSON forms pinned by golden files, colour, and `--fail-on-change`.
//!
//! Regenerate the golden files with `BOILERSTRIP_BLESS=1 cargo test --test integration dry_run::`.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::boilerstrip;

const DOC: &str = "Skip to content\n\nMayor Opens Bridge\n\nThe bridge opened on Monday.\n\nLeave a Reply\nNice!\n";

/// Every file under `dir` (relative path) with a hash of its bytes.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, (u64, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = fs::read(e.path()).unwrap();
            let mut hasher = DefaultHasher::new();
            bytes.hash(&mut hasher);
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, (bytes.len() as u64, hasher.finish()))
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// Compare with a golden file; print expected / got / diff on a mismatch. With
/// `BOILERSTRIP_BLESS=1`, write the file instead.
fn assert_golden(name: &str, got: &str) {
    let path = Path::new("tests/golden").join(name);
    if std::env::var_os("BOILERSTRIP_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, got).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing (run with BOILERSTRIP_BLESS=1)",
            path.display()
        )
    });
    if expected != got {
        let diff = similar::TextDiff::from_lines(expected.as_str(), got)
            .unified_diff()
            .header("expected", "got")
            .to_string();
        panic!("{name} differs from the golden file\n--- expected\n{expected}\n--- got\n{got}\n--- diff\n{diff}");
    }
}

/// The documents pinned by golden files: fragments rejoined; lone CR, tab and no final newline;
/// BOM and CRLF.
const GOLDEN_DOCS: &[&str] = &[
    "01-senate-budget-vote",
    "06-weekend-weather",
    "07-measles-clinics",
];

#[test]
fn dry_run_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    copy_tree(Path::new("corpus/input"), &input);
    let before = hashes(dir.path());
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "--dry-run", "input", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(contains("--- a/input/01-senate-budget-vote.txt"))
        .stderr(contains("42 documents cleaned"))
        .stderr(contains("42 document(s) would change; nothing was written"));
    assert!(!out.exists(), "no output directory is created");
    boilerstrip()
        .args(["clean", "--dry-run", "--in-place", "-q", "input"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(hashes(dir.path()), before, "the tree is byte-identical");
}

#[test]
fn dry_run_diff_applies_with_patch_and_gives_what_clean_writes() {
    let dir = TempDir::new().unwrap();
    copy_tree(Path::new("corpus/input"), &dir.path().join("input"));
    let diff = stdout_of(
        boilerstrip()
            .args(["clean", "--dry-run", "-q", "input"])
            .current_dir(dir.path()),
    );
    assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    boilerstrip()
        .args(["clean", "-q", "input", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success();
    fs::write(dir.path().join("clean.diff"), &diff).unwrap();
    let patched = if which("patch") {
        Process::new("patch")
            .args(["-p1", "--quiet", "-i", "clean.diff"])
            .current_dir(dir.path())
            .status()
            .unwrap()
    } else {
        Process::new("git")
            .args(["apply", "-p1", "clean.diff"])
            .current_dir(dir.path())
            .status()
            .unwrap()
    };
    assert!(patched.success());
    let input = dir.path().join("input");
    let out = dir.path().join("out");
    let written = hashes(&out);
    assert_eq!(written.len(), 42);
    assert_eq!(
        hashes(&input),
        written,
        "patched input equals `clean -o` output"
    );
}

#[test]
fn dry_run_diff_applies_to_names_with_spaces_and_quotes() {
    let dir = TempDir::new().unwrap();
    let names = [
        "with space.txt",
        "say \"hi\".txt",
        "back\\slash.txt",
        "café.txt",
    ];
    for name in names {
        let path = dir.path().join("in").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, DOC).unwrap();
    }
    let diff = stdout_of(
        boilerstrip()
            .args(["clean", "-n", "-q", "in"])
            .current_dir(dir.path()),
    );
    fs::write(dir.path().join("names.diff"), &diff).unwrap();
    let tool = if which("patch") { "patch" } else { "git" };
    let args: &[&str] = if tool == "patch" {
        &["-p1", "--quiet", "-i", "names.diff"]
    } else {
        &["apply", "-p1", "names.diff"]
    };
    let status = Process::new(tool)
        .args(args)
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{diff}");
    for name in names {
        let got = fs::read_to_string(dir.path().join("in").join(name)).unwrap();
        assert_eq!(
            got, "Mayor Opens Bridge\n\nThe bridge opened on Monday.\n",
            "{name}"
        );
    }
}

/// A file name that is not UTF-8 is written into the diff headers as its bytes, as git writes
/// it: made valid UTF-8 (byte 0xff as U+FFFD), it named no file and `patch` failed.
#[cfg(unix)]
#[test]
fn dry_run_diff_applies_to_a_name_that_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().unwrap();
    let name = OsStr::from_bytes(b"caf\xff.txt");
    let path = dir.path().join("in").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, DOC).unwrap();
    let output = boilerstrip()
        .args(["clean", "-n", "-q", "in"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let diff = output.stdout;
    let has = |line: &[u8]| diff.windows(line.len()).any(|w| w == line);
    assert!(
        has(b"--- a/in/caf\xff.txt\n") && has(b"+++ b/in/caf\xff.txt\n"),
        "{}",
        String::from_utf8_lossy(&diff)
    );
    fs::write(dir.path().join("name.diff"), &diff).unwrap();
    let tool = if which("patch") { "patch" } else { "git" };
    let args: &[&str] = if tool == "patch" {
        &["-p1", "--quiet", "-i", "name.diff"]
    } else {
        &["apply", "-p1", "name.diff"]
    };
    let status = Process::new(tool)
        .args(args)
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{}", String::from_utf8_lossy(&diff));
    let got = fs::read_to_string(&path).unwrap();
    assert_eq!(got, "Mayor Opens Bridge\n\nThe bridge opened on Monday.\n");
    let names: Vec<_> = fs::read_dir(dir.path().join("in")).unwrap().collect();
    assert_eq!(names.len(), 1, "patch made no other file: {names:?}");
}

fn which(program: &str) -> bool {
    Process::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn dry_run_lists_only_changed_documents_in_order() {
    let diff = stdout_of(boilerstrip().args(["clean", "-n", "-q", "-j", "4", "corpus/input"]));
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("--- a/")).collect();
    assert_eq!(headers.len(), 42);
    let mut sorted = headers.clone();
    sorted.sort();
    assert_eq!(
        headers, sorted,
        "documents in walk order at any thread count"
    );
    boilerstrip()
        .args(["clean", "-n", "corpus/expected"])
        .assert()
        .success()
        .stdout("")
        .stderr(contains("42 documents cleaned"));
}

#[test]
fn dry_run_on_stdin_and_context_lines() {
    boilerstrip()
        .args(["clean", "--dry-run", "-U", "0", "-"])
        .write_stdin(DOC)
        .assert()
        .success()
        .stdout(
            "--- a/<stdin>\n+++ b/<stdin>\n@@ -1,2 +0,0 @@\n-Skip to content\n-\n\
             @@ -6,3 +3,0 @@\n-\n-Leave a Reply\n-Nice!\n",
        );
    let default = stdout_of(boilerstrip().args(["clean", "-n", "-"]).write_stdin(DOC));
    assert!(default.starts_with("--- a/<stdin>\n+++ b/<stdin>\n@@ -1,8 +1,3 @@\n"));
}

#[test]
fn explained_diffs_match_golden_files() {
    for name in GOLDEN_DOCS {
        let got = stdout_of(boilerstrip().args([
            "clean",
            "--dry-run",
            "--explain",
            &format!("corpus/input/{name}.txt"),
        ]));
        assert!(got.contains("  # "), "{got}");
        assert_golden(&format!("{name}.explain.diff"), &got);
    }
}

#[test]
fn json_reports_match_golden_files() {
    for name in GOLDEN_DOCS {
        let got = stdout_of(boilerstrip().args([
            "clean",
            "--dry-run",
            "--diff-format",
            "json",
            &format!("corpus/input/{name}.txt"),
        ]));
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert!(value["changes"].as_array().unwrap().len() > 3);
        assert_golden(&format!("{name}.json"), &got);
    }
}

#[test]
fn json_is_one_line_per_changed_document() {
    let out =
        stdout_of(boilerstrip().args(["clean", "-n", "--diff-format", "json", "corpus/input"]));
    assert_eq!(out.lines().count(), 42);
    for line in out.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["path", "changes", "bytes_in", "bytes_out"] {
            assert!(value.get(key).is_some(), "{key} in {line}");
        }
    }
}

#[test]
fn fail_on_change_exit_codes() {
    boilerstrip()
        .args([
            "clean",
            "--dry-run",
            "--fail-on-change",
            "-q",
            "corpus/input",
        ])
        .assert()
        .code(1);
    boilerstrip()
        .args([
            "clean",
            "--dry-run",
            "--fail-on-change",
            "-q",
            "corpus/expected",
        ])
        .assert()
        .code(0)
        .stdout("");
    let dir = TempDir::new().unwrap();
    boilerstrip()
        .args(["clean", "--fail-on-change", "-q", "corpus/input", "-o"])
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    boilerstrip()
        .args(["clean", "--fail-on-change", "-"])
        .write_stdin("Text.\n")
        .assert()
        .code(0)
        .stdout("Text.\n");
    boilerstrip()
        .args(["clean", "--help"])
        .assert()
        .success()
        .stdout(contains("--fail-on-change, some document would change"));
}

#[test]
fn color_only_when_asked() {
    let file = "corpus/input/02-harbor-cup-final.txt";
    for args in [vec!["--color", "never"], vec![], vec!["--color", "auto"]] {
        let out = boilerstrip()
            .args(["clean", "-n", file])
            .args(&args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(!out.stdout.contains(&0x1b), "no escape codes with {args:?}");
        assert!(!out.stdout.is_empty());
    }
    let out = boilerstrip()
        .args(["clean", "-n", "--color", "always", file])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("\x1b[31m-Toggle navigation\x1b[0m"), "{out}");
    assert!(out.contains("\x1b[36m@@ "), "{out}");
}

#[test]
fn color_sanitizes_control_and_bidi_characters() {
    let doc = "Skip to content\n\nEvil \u{1b}[2J text \u{202E}reversed\u{202C}.\u{7}\n";
    let out = stdout_of(
        boilerstrip()
            .args(["clean", "-n", "--color", "always", "-"])
            .write_stdin(doc),
    );
    let without_our_codes = out
        .replace("\x1b[31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[0m", "");
    assert!(!without_our_codes.contains('\x1b'), "{out:?}");
    assert!(
        !out.contains('\u{202E}') && !out.contains('\u{7}'),
        "{out:?}"
    );
    // Without colour the diff keeps the bytes, so that it still applies.
    let plain = stdout_of(boilerstrip().args(["clean", "-n", "-"]).write_stdin(doc));
    assert!(plain.contains("\u{202E}"));
}

#[test]
fn explain_prints_a_rule_or_a_pass() {
    boilerstrip()
        .args(["explain", "WP003"])
        .assert()
        .success()
        .stdout(contains("WP003 leave-a-reply"))
        .stdout(contains("why:"))
        .stdout(contains("action:"))
        .stdout(contains("zone:"))
        .stdout(contains("remove:"))
        .stdout(contains("keep:"));
    boilerstrip()
        .args(["explain", "REJOIN"])
        .assert()
        .success()
        .stdout(contains("REJOIN fragment-rejoin"));
    boilerstrip()
        .args(["explain", "NOPE"])
        .assert()
        .code(2)
        .stderr(contains("NOPE"));
}

#[test]
fn dry_run_options_need_dry_run() {
    boilerstrip()
        .args(["clean", "--explain", "-"])
        .write_stdin(DOC)
        .assert()
        .code(2);
    boilerstrip()
        .args(["clean", "-n", "--explain", "--diff-format", "json", "-"])
        .write_stdin(DOC)
        .assert()
        .code(2)
        .stdout("");
    let help = stdout_of(boilerstrip().args(["clean", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("it is not patch-applicable"), "{help}");
    assert!(help.contains("\"changes\": [{\"line\": N"), "{help}");
}

/// On a real terminal (a pty made by util-linux `script`), `--color auto` colours the diff; the
/// same command into a pipe does not.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_gets_colour_by_default() {
    let bin = env!("CARGO_BIN_EXE_boilerstrip");
    let file = "corpus/input/15-short-bridge-closed.txt";
    let command = format!("{bin} clean --dry-run -q {file}");
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .output()
        .expect("util-linux `script` runs the command on a pty");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\x1b[31m-Breaking News"), "{text}");
    let piped = std::process::Command::new(bin)
        .args(["clean", "--dry-run", "-q", file])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\x1b'));
}
