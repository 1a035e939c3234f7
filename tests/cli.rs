//! The `boilerstrip` binary as a user runs it: batch and stream modes, exit codes, bad input.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
#[cfg(unix)]
use common::mode;
use common::{boilerstrip, boilerstrip_with_umask, gunzip, gzip, tree, write, CLEAN, DOC};

#[test]
fn stdin_to_stdout() {
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(DOC)
        .assert()
        .success()
        .stdout(CLEAN)
        .stderr("");
}

#[test]
fn single_file_to_stdout() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "a.txt", DOC);
    boilerstrip()
        .arg("clean")
        .arg(&file)
        .assert()
        .success()
        .stdout(CLEAN);
    assert_eq!(fs::read_to_string(&file).unwrap(), DOC, "input untouched");
}

#[test]
fn directory_is_mirrored_and_summarized() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    write(&input, "sub/b.txt", DOC);
    write(&input, "sub/notes.md", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("2 documents cleaned"))
        .stderr(contains("WP003"));
    assert_eq!(
        tree(&out),
        [PathBuf::from("a.txt"), PathBuf::from("sub/b.txt")]
    );
    assert_eq!(fs::read_to_string(out.join("sub/b.txt")).unwrap(), CLEAN);
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), DOC);
}

#[test]
fn globs_and_excludes() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    write(&input, "b.md", DOC);
    write(&input, "skip/c.txt", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .args(["-o"])
        .arg(&out)
        .args(["-g", "*.md", "-g", "*.txt", "--exclude", "skip", "-q"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(tree(&out), [PathBuf::from("a.txt"), PathBuf::from("b.md")]);
}

#[test]
fn output_is_the_same_at_any_thread_count() {
    let dir = TempDir::new().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = dir.path().join(format!("out{threads}"));
        boilerstrip()
            .args(["clean", "corpus/input", "-q", "-j", threads, "-o"])
            .arg(&out)
            .assert()
            .success();
        let files: Vec<(PathBuf, Vec<u8>)> = tree(&out)
            .into_iter()
            .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
            .collect();
        outputs.push(files);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    assert!(outputs[0].len() >= 30);
}

#[test]
fn corpus_run_matches_expected_tree() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "corpus/input", "-o"])
        .arg(&out)
        .assert()
        .success();
    for file in tree(Path::new("corpus/expected")) {
        let want = fs::read(Path::new("corpus/expected").join(&file)).unwrap();
        let got = fs::read(out.join(&file)).unwrap();
        assert!(want == got, "{} differs", file.display());
    }
}

#[test]
fn in_place_rewrites_only_changed_files() {
    let dir = TempDir::new().unwrap();
    let changed = write(dir.path(), "a.txt", DOC);
    let clean = write(dir.path(), "b.txt", CLEAN);
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    boilerstrip()
        .args(["clean", "--in-place", "-q"])
        .arg(dir.path())
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&changed).unwrap(), CLEAN);
    assert_eq!(fs::metadata(&clean).unwrap().modified().unwrap(), before);
    assert_eq!(tree(dir.path()).len(), 2, "no temporary file left");
}

#[test]
fn directory_without_output_is_a_usage_error() {
    boilerstrip()
        .args(["clean", "corpus/input"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("-o DIR"));
}

#[test]
fn output_equal_to_input_is_refused() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", DOC);
    boilerstrip()
        .arg("clean")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("--in-place"));
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), DOC);
}

#[test]
fn output_inside_input_is_not_walked() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", DOC);
    let out = dir.path().join("out");
    let run = || {
        boilerstrip()
            .arg("clean")
            .arg(dir.path())
            .arg("-o")
            .arg(&out)
            .assert()
    };
    run().success().stderr(contains("1 documents cleaned"));
    assert_eq!(tree(&out), [PathBuf::from("a.txt")]);
    // Once it holds files, it must be emptied first (see the next test for why).
    run().code(2).stderr(contains("is not empty"));
    fs::remove_dir_all(&out).unwrap();
    fs::create_dir(&out).unwrap();
    run().success().stderr(contains("1 documents cleaned"));
    assert_eq!(tree(&out), [PathBuf::from("a.txt")]);
}

/// An input subdirectory given as the output (or quarantine) directory would have its files
/// skipped, and replaced by outputs of the same names: refused, and nothing is written.
#[test]
fn an_input_subdirectory_that_holds_files_is_no_output_directory() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", DOC);
    write(&dir.path().join("sub"), "a.txt", "Keep me.\n");
    let (sub, new) = (dir.path().join("sub"), dir.path().join("new"));
    let clean = |input: &Path, out: &Path, args: &[&Path]| {
        boilerstrip()
            .arg("clean")
            .arg(input)
            .arg("-o")
            .arg(out)
            .args(args)
            .assert()
    };
    let quarantine = [
        Path::new("--max-removed"),
        Path::new("0.01"),
        Path::new("--quarantine"),
        &sub,
    ];
    clean(dir.path(), &sub, &[])
        .code(2)
        .stderr(contains("-o directory"))
        .stderr(contains("is not empty"));
    clean(dir.path(), &new, &quarantine)
        .code(2)
        .stderr(contains("--quarantine directory"));
    assert_eq!(fs::read_to_string(sub.join("a.txt")).unwrap(), "Keep me.\n");
    assert!(!new.exists());
    // A dry run writes nothing, and may name it.
    clean(dir.path(), &sub, &[Path::new("--dry-run")]).success();
    // Nor may the quarantine be an input directory.
    clean(&sub, &new, &quarantine)
        .code(2)
        .stderr(contains("--quarantine directory"))
        .stderr(contains("is the input directory"));
}

/// An output directory that holds an input directory (`clean data/raw -o data`): a document
/// whose mirror would land in the input directory, over an input, fails; the others are cleaned.
#[test]
fn no_output_is_written_into_an_input_directory() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("raw");
    write(&input, "a.txt", "Keep me.\n");
    write(&input, "raw/a.txt", DOC);
    write(&input, "b.txt", DOC);
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("would be written into the input directory"))
        .stderr(contains("1 failed"));
    assert_eq!(
        fs::read_to_string(input.join("a.txt")).unwrap(),
        "Keep me.\n"
    );
    assert_eq!(fs::read_to_string(input.join("raw/a.txt")).unwrap(), DOC);
    assert_eq!(fs::read_to_string(dir.path().join("b.txt")).unwrap(), CLEAN);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "Keep me.\n"
    );
}

/// `--report` may not replace an input file, named or taken from an input directory.
#[test]
fn a_report_never_replaces_an_input() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir.path().join("in"), "a.txt", DOC);
    let other = write(&dir.path().join("in/sub"), "b.jsonl", "{\"text\": \"x\"}\n");
    for (inputs, report) in [
        (vec![input.clone()], &input),
        (vec![dir.path().join("in")], &input),
        (vec![dir.path().join("in")], &other),
    ] {
        boilerstrip()
            .arg("clean")
            .args(&inputs)
            .arg("-o")
            .arg(dir.path().join("out"))
            .arg("--report")
            .arg(report)
            .assert()
            .code(2)
            .stderr(contains("would replace an input file"));
    }
    assert_eq!(fs::read_to_string(&input).unwrap(), DOC);
    assert_eq!(fs::read_to_string(&other).unwrap(), "{\"text\": \"x\"}\n");
    // A file the globs do not take is no input: a report there is written, and written again.
    for _ in 0..2 {
        boilerstrip()
            .arg("clean")
            .arg(dir.path().join("in"))
            .arg("-o")
            .arg(dir.path().join("out"))
            .arg("--report")
            .arg(dir.path().join("in/report.json"))
            .assert()
            .success();
    }
    assert!(dir.path().join("in/report.json").exists());
}

/// A glob is matched against paths relative to the input directory: an absolute one, which
/// would match nothing, is a usage error.
#[test]
fn an_absolute_glob_is_refused() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir.path().join("in"), "a.txt", DOC);
    for flag in ["--exclude", "-g"] {
        boilerstrip()
            .arg("clean")
            .arg(dir.path().join("in"))
            .arg("-o")
            .arg(dir.path().join("out"))
            .arg(flag)
            .arg(&input)
            .assert()
            .code(2)
            .stderr(contains(
                "globs match paths relative to the input directory",
            ));
    }
}

/// A directory where no file is taken says why (a warning: the run still succeeds).
#[test]
fn a_directory_with_nothing_to_clean_says_why() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "in/page.html", "<p>Text.</p>");
    fs::create_dir(dir.path().join("empty")).unwrap();
    let clean = |input: &str, args: &[&str]| {
        boilerstrip()
            .arg("clean")
            .arg(dir.path().join(input))
            .args(args)
            .arg("-o")
            .arg(dir.path().join("out"))
            .assert()
            .success()
    };
    clean("in", &[])
        .stderr(contains(
            "none of its 1 file(s) matched *.txt, *.txt.gz, *.txt.zst, *.txt.zstd, *.jsonl",
        ))
        .stderr(contains("-g GLOB"));
    clean("empty", &[]).stderr(contains("no files in this directory"));
    // With -g, the file is taken.
    clean("in", &["-g", "*.html"])
        .stderr(contains("1 documents cleaned"))
        .stderr(contains("matched").not());
}

#[test]
fn bad_inputs_are_reported_and_the_batch_goes_on() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "good.txt", DOC);
    write(&input, "empty.txt", "");
    write(&input, "binary.txt", b"abc\0def\n");
    write(&input, "latin1.txt", b"Caf\xe9 au lait.\n");
    let out = dir.path().join("out");
    let missing = dir.path().join("missing.txt");
    let assert = boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg(&missing)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("missing.txt: cannot read"), "{stderr}");
    assert!(stderr.contains("binary.txt: binary file"), "{stderr}");
    assert!(
        stderr.contains("latin1.txt: invalid UTF-8 at byte offset 3"),
        "{stderr}"
    );
    assert!(stderr.contains("1 skipped, 1 failed"), "{stderr}");
    assert_eq!(
        tree(&out),
        ["empty.txt", "good.txt", "latin1.txt"].map(PathBuf::from)
    );
    assert_eq!(fs::read(out.join("empty.txt")).unwrap(), b"");
    assert_eq!(
        fs::read_to_string(out.join("latin1.txt")).unwrap(),
        "Caf\u{FFFD} au lait.\n"
    );
}

#[test]
fn invalid_utf8_policies() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "bad.txt", b"ok\xff\n");
    boilerstrip()
        .args(["clean", "--invalid-utf8", "skip"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("skipped"));
    boilerstrip()
        .args(["clean", "--invalid-utf8", "error"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("bad.txt: invalid UTF-8 at byte offset 2"));
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_file_is_reported() {
    // Permission bits do not stop root, so read a file that fails at read time.
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("unreadable.txt");
    std::os::unix::fs::symlink("/proc/self/mem", &file).unwrap();
    let good = write(dir.path(), "good.txt", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&file)
        .arg(&good)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("unreadable.txt: cannot read"));
    assert_eq!(tree(&out), [PathBuf::from("good.txt")]);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_with_follow() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "--follow"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("symbolic link loop"));
    assert_eq!(tree(&out), [PathBuf::from("a.txt")]);
    // Without --follow, links are not followed and nothing is wrong.
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out2"))
        .assert()
        .success();
}

#[test]
fn a_100_mb_single_line_file_completes() {
    let dir = TempDir::new().unwrap();
    let line = "word ".repeat(20_000_000);
    let file = write(dir.path(), "big.txt", &line);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let cleaned = fs::read(out.join("big.txt")).unwrap();
    // The same words: the trailing space trimmed, a newline added. Compared whole (a length
    // alone would pass a garbled line); on a difference only its place is printed.
    let want = format!("{}\n", line.trim_end());
    if cleaned != want.as_bytes() {
        let at = cleaned
            .iter()
            .zip(want.as_bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(cleaned.len().min(want.len()));
        panic!(
            "the cleaned line differs from the input at byte {at} (lengths {} and {}): {:?}",
            cleaned.len(),
            want.len(),
            String::from_utf8_lossy(&cleaned[at.saturating_sub(20)..(at + 20).min(cleaned.len())])
        );
    }
}

#[test]
fn broken_pipe_is_not_an_error() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "big.txt", "A line of text.\n".repeat(2_000_000));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boilerstrip"))
        .arg("clean")
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn check_patterns_accepts_good_and_rejects_bad_files() {
    boilerstrip()
        .args(["check-patterns", "patterns"])
        .assert()
        .code(2)
        .stderr(contains("defined twice"));
    boilerstrip()
        .args(["check-patterns", "--no-default-patterns", "patterns"])
        .assert()
        .success();
    let dir = TempDir::new().unwrap();
    let good = write(
        dir.path(),
        "good.toml",
        "[[rule]]\nid = \"MY1\"\nwhy = \"our footer\"\nphrases = [\"Powered by Foo\"]\nmatch = \"line\"\naction = \"drop\"\nremove = [\"Powered by Foo\"]\nkeep = [\"Foo powered the town.\"]\n",
    );
    boilerstrip()
        .arg("check-patterns")
        .arg(&good)
        .assert()
        .success()
        .stdout(contains("ok: 1 rules"));
    let bad = write(
        dir.path(),
        "bad.toml",
        "[[rule]]\nid = \"MY2\"\nwhy = \"w\"\nregex = \"(\"\nmatch = \"line\"\naction = \"drop\"\nremove = [\"x\"]\n",
    );
    boilerstrip()
        .arg("check-patterns")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains("bad.toml:1: rule MY2: bad regex"));
    // A directory without pattern files is no pass.
    let empty = TempDir::new().unwrap();
    boilerstrip()
        .arg("check-patterns")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(contains("no pattern files (*.toml) in this directory"));
}

#[test]
fn user_patterns_disable_and_empty_start() {
    let dir = TempDir::new().unwrap();
    let rules = write(
        dir.path(),
        "mine.toml",
        "[[rule]]\nid = \"MY1\"\nwhy = \"our footer\"\nphrases = [\"Powered by Foo\"]\nmatch = \"line\"\naction = \"drop\"\nremove = [\"Powered by Foo\"]\n",
    );
    let doc = "Skip to content\nText.\nPowered by Foo\n";
    boilerstrip()
        .args(["clean", "-", "-p"])
        .arg(&rules)
        .write_stdin(doc)
        .assert()
        .success()
        .stdout("Text.\n");
    boilerstrip()
        .args(["clean", "-", "--disable", "NAV001"])
        .write_stdin(doc)
        .assert()
        .success()
        .stdout("Skip to content\nText.\nPowered by Foo\n");
    boilerstrip()
        .args(["clean", "-", "--disable", "site-chrome"])
        .write_stdin(doc)
        .assert()
        .success()
        .stdout("Skip to content\nText.\nPowered by Foo\n");
    boilerstrip()
        .args(["clean", "-", "--no-default-patterns", "-p"])
        .arg(&rules)
        .write_stdin(doc)
        .assert()
        .success()
        .stdout("Skip to content\nText.\n");
    boilerstrip()
        .args(["clean", "-", "--disable", "NOPE"])
        .write_stdin(doc)
        .assert()
        .code(2)
        .stderr(contains("NOPE"));
}

#[test]
fn rules_lists_rules_and_passes() {
    boilerstrip()
        .arg("rules")
        .assert()
        .success()
        .stdout(contains("WP003"))
        .stdout(contains("REJOIN"));
    let out = boilerstrip()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["rules"].as_array().unwrap().len() > 30);
    // DEDUPE, REJOIN, the line model CLASSIFY and the comment-section pass COMMENTS.
    assert_eq!(json["passes"].as_array().unwrap().len(), 4);
    for id in ["CLASSIFY", "COMMENTS"] {
        assert!(json["passes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id));
    }
}

#[test]
fn help_documents_exit_codes() {
    boilerstrip()
        .args(["clean", "--help"])
        .assert()
        .success()
        .stdout(contains("Exit codes"));
}

/// A mistyped rule or pass gave no hint (issue 22): the closest ids and names are suggested,
/// by `explain` and by `--disable`.
#[test]
fn mistyped_rule_names_get_suggestions() {
    let cases: &[(&[&str], &str)] = &[
        (&["explain", "skip-link"], "did you mean skip-links?"),
        (&["explain", "nav01"], "did you mean NAV001"),
        (&["explain", "dedup"], "did you mean DEDUPE?"),
        (
            &["rules", "--disable", "skip-link"],
            "did you mean skip-links?",
        ),
        (
            &["rules", "--disable", "site-chrom"],
            "did you mean site-chrome?",
        ),
        (
            &["rules", "--disable", "REJOIN,rejoyn"],
            "did you mean REJOIN?",
        ),
    ];
    for (args, hint) in cases {
        boilerstrip()
            .args(*args)
            .assert()
            .code(2)
            .stderr(contains(*hint));
    }
    // Nothing near: no suggestion.
    boilerstrip()
        .args(["explain", "zzzzzz"])
        .assert()
        .code(2)
        .stderr(contains("did you mean").not());
}

/// Each subcommand's --help states its own exit codes: clean's (--fail-on-change, signals,
/// skipped documents) are not repeated where they do not apply (issue 22).
#[test]
fn each_subcommand_help_states_its_own_exit_codes() {
    let commands = [
        "clean",
        "check-patterns",
        "rules",
        "explain",
        "mine",
        "train",
        "eval",
        "generate",
    ];
    for command in commands {
        let out = boilerstrip().args([command, "--help"]).output().unwrap();
        assert!(out.status.success(), "{command} --help: {out:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        let section = match help.split_once("Exit codes:") {
            Some((_, section)) => section,
            None => panic!("{command} --help has no exit-code section:\n{help}"),
        };
        let clean_only = ["--fail-on-change", "130", "SIGINT", "documents skipped"];
        for words in clean_only {
            assert_eq!(
                section.contains(words),
                command == "clean",
                "{command} --help, {words:?} in its exit codes:\n{section}"
            );
        }
    }
}

#[test]
fn a_missing_single_file_is_reported_not_a_usage_error() {
    boilerstrip()
        .args(["clean", "no-such-file.txt"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("no-such-file.txt: cannot read"));
}

#[test]
fn stdin_warnings_show_without_summary() {
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(&b"Caf\xe9.\n"[..])
        .assert()
        .success()
        .stdout("Caf\u{FFFD}.\n")
        .stderr(contains("<stdin>: invalid UTF-8 at byte offset 3"))
        .stderr(contains("documents cleaned").not());
}

#[test]
fn rules_json_uses_the_file_format_words() {
    let out = boilerstrip()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let wp001 = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "WP001")
        .unwrap();
    assert_eq!(wp001["zone"], "tail:15");
    assert_eq!(wp001["match"], "line");
    assert_eq!(wp001["action"], "cut-tail");
}

#[test]
fn rules_literals_lists_every_phrase() {
    let out = boilerstrip()
        .args(["rules", "--literals"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l == "Leave a Reply"));
    assert!(text.lines().any(|l| l == "Publicité"));
    assert!(text.lines().all(|l| !l.is_empty()));
}

/// `eval` on a hand-computed example: input "Home Home The bridge opened" with gold "The bridge
/// opened" and the cleaned output read from --outputs as "Home The bridge": kept 2/3, junk
/// removed 1 - 1/2 = 0.5, precision 2/3, recall 2/3, F1 2/3.
#[test]
fn eval_scores_a_hand_computed_example() {
    let dir = TempDir::new().unwrap();
    let (input, gold, out) = (
        dir.path().join("in"),
        dir.path().join("gold"),
        dir.path().join("out"),
    );
    for d in [&input, &gold, &out] {
        fs::create_dir(d).unwrap();
    }
    fs::write(input.join("a.txt"), "Home Home The bridge opened\n").unwrap();
    fs::write(gold.join("a.txt"), "The bridge opened\n").unwrap();
    fs::write(out.join("a.txt"), "Home The bridge\n").unwrap();
    let eval = || {
        boilerstrip()
            .args(["eval", "--json", "--input"])
            .arg(&input)
            .arg("--gold")
            .arg(&gold)
            .arg("--outputs")
            .arg(&out)
            .output()
            .unwrap()
    };
    let output = eval();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let micro = &json["ALL"]["micro"];
    let close = |v: &serde_json::Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-9;
    assert!(close(&micro["content_kept"], 2.0 / 3.0), "{micro}");
    assert!(close(&micro["junk_removed"], 0.5), "{micro}");
    assert!(close(&micro["precision"], 2.0 / 3.0), "{micro}");
    assert!(close(&micro["f1"], 2.0 / 3.0), "{micro}");
    assert_eq!(micro["documents"], 1);

    // An input without gold is left out, and one without an output is scored as empty: each
    // is said.
    fs::write(input.join("b.txt"), "No gold.\n").unwrap();
    fs::write(input.join("c.txt"), "Home The end\n").unwrap();
    fs::write(gold.join("c.txt"), "The end\n").unwrap();
    let output = eval();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 input(s) without a gold file left out: b.txt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 input(s) have no output in")
            && stderr.contains("scored as empty: c.txt"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ALL"]["micro"]["documents"], 2);
}

/// The line model runs on every document, with the page operating point on a raw page (told
/// apart, or with `--input-kind page`), names each removed line's probability and the features
/// against it in `--explain`, and removes much less with `--input-kind article`.
#[test]
fn line_model_judges_pages_and_explains_its_reasons() {
    let page = "corpus/input/35-page-dump-night-buses.txt";
    boilerstrip()
        .args(["clean", "-n", "--explain", "-q", page])
        .assert()
        .success()
        .stdout(
            predicates::str::is_match(
                r"-Home \| News \| Local \| Council  # CLASSIFY line-model: p\(content\) 0\.\d{3}, [a-z~@+-]+ -\d",
            )
            .unwrap(),
        );
    let cleaned = |args: &[&str]| {
        let out = boilerstrip()
            .arg("clean")
            .args(args)
            .arg(page)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let (auto, article) = (cleaned(&[]), cleaned(&["--input-kind", "article"]));
    assert!(!auto.contains("Trending: Flood warning"), "{auto}");
    assert!(article.contains("Trending: Flood warning"), "{article}");
    assert!(
        auto.contains("The county council voted on Tuesday"),
        "{auto}"
    );
    let disabled = cleaned(&["--input-kind", "page", "--disable", "CLASSIFY"]);
    assert!(disabled.contains("Riverbend Gazette"), "{disabled}");
}

/// Outputs are created like any new file (0666 less the umask), not with a temporary file's 0600.
#[cfg(unix)]
#[test]
fn outputs_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let input = write(dir.path(), "in/a.txt", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let probe = write(dir.path(), "probe.txt", "x");
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out.join("a.txt")), mode(&probe));
}

/// Every kind of output is created like any new file, 0666 less the umask: text (plain and
/// gzip), JSONL and WET under `-o`, a quarantined copy, the `--report` file and `mine -o`
/// (Parquet: tests/parquet.rs). JSONL outputs and the
/// report came out 0600 (a temporary file's mode) while text came out 0644.
#[cfg(unix)]
#[test]
fn every_kind_of_output_gets_0666_less_the_umask() {
    let junk = "Skip to content\n\nMenu\n\nAdvertisement\n\nAccessibility links\n\nBrief note.\n\n\
                Source link\n\nAdvertisement\n";
    for (umask, want) in [("022", 0o644), ("077", 0o600)] {
        let dir = TempDir::new().unwrap();
        write(dir.path(), "in/a.txt", DOC);
        write(
            dir.path(),
            "in/b.jsonl",
            "{\"text\": \"Skip to content\\n\\nBody.\"}\n",
        );
        write(dir.path(), "in/sub/junk.txt", junk);
        let block = "Skip to content\n\nThe council met on Monday.\n";
        let record = format!(
            "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        );
        write(dir.path(), "in/c.wet", record);
        write(
            dir.path(),
            "in/d.txt.gz",
            crate::common::gzip(DOC.as_bytes()),
        );
        boilerstrip_with_umask(umask)
            .args(["clean", "in", "-o", "out", "--max-removed", "0.5"])
            .args(["--quarantine", "q", "--report", "r.json"])
            .current_dir(dir.path())
            .assert()
            .success()
            .stderr(contains("copied to q/sub/junk.txt"));
        boilerstrip_with_umask(umask)
            .args(["mine", "in", "-o", "rules.toml"])
            .current_dir(dir.path())
            .assert()
            .success();
        for output in [
            "out/a.txt",
            "out/b.jsonl",
            "out/c.wet",
            "out/d.txt.gz",
            "out/sub/junk.txt",
            "q/sub/junk.txt",
            "r.json",
            "rules.toml",
        ] {
            let got = mode(&dir.path().join(output));
            assert_eq!(
                got, want,
                "{output} under umask {umask}: {got:o}, not {want:o}"
            );
        }
    }
}

/// `--in-place` keeps each file's own mode, whatever the umask, for text and JSONL alike.
#[cfg(unix)]
#[test]
fn in_place_keeps_the_mode_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    for (umask, kept) in [("022", 0o640), ("077", 0o664)] {
        let dir = TempDir::new().unwrap();
        let text = write(dir.path(), "a.txt", DOC);
        let jsonl = write(
            dir.path(),
            "b.jsonl",
            "{\"text\": \"Skip to content\\n\\nBody.\"}\n",
        );
        for path in [&text, &jsonl] {
            fs::set_permissions(path, fs::Permissions::from_mode(kept)).unwrap();
        }
        boilerstrip_with_umask(umask)
            .args(["clean", "--in-place", "a.txt", "b.jsonl"])
            .current_dir(dir.path())
            .assert()
            .success();
        assert_eq!(fs::read_to_string(&text).unwrap(), CLEAN, "rewritten");
        for path in [&text, &jsonl] {
            assert_eq!(mode(path), kept, "{} under umask {umask}", path.display());
        }
    }
}

/// `--in-place` keeps each file's owner and group: a rewritten file was the new file of the
/// user running the tool. Only root may give a file to another user; run as anyone else, the
/// test checks only that a file of one's own stays one's own.
#[cfg(unix)]
#[test]
fn in_place_keeps_the_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    let owner = |path: &Path| {
        let meta = fs::metadata(path).unwrap();
        (meta.uid(), meta.gid())
    };
    let dir = TempDir::new().unwrap();
    let text = write(dir.path(), "a.txt", DOC);
    let jsonl = write(
        dir.path(),
        "b.jsonl",
        "{\"text\": \"Skip to content\\n\\nBody.\"}\n",
    );
    let root = owner(&text).0 == 0;
    let want = match root {
        true => (4242, 4343),
        false => {
            println!(
                "skipping the chown part: not root, so a file cannot be given to another user; \
                 checking only that the owner is kept"
            );
            owner(&text)
        }
    };
    for path in [&text, &jsonl] {
        std::os::unix::fs::chown(path, Some(want.0), Some(want.1)).unwrap();
    }
    boilerstrip()
        .args(["clean", "--in-place", "a.txt", "b.jsonl"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&text).unwrap(), CLEAN, "rewritten");
    assert!(
        !fs::read_to_string(&jsonl).unwrap().contains("Skip"),
        "rewritten"
    );
    for path in [&text, &jsonl] {
        assert_eq!(owner(path), want, "{}", path.display());
    }
}

/// `--keep-threshold` moves the line model's operating point: 0 removes nothing, a high one
/// more than the default.
#[test]
fn keep_threshold_moves_the_operating_point() {
    let page = "corpus/input/35-page-dump-night-buses.txt";
    let removed = |args: &[&str]| {
        let out = boilerstrip()
            .args(["clean", "-n", "--explain", "-q", "--input-kind", "page"])
            .args(args)
            .arg(page)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .matches("# CLASSIFY")
            .count()
    };
    let default = removed(&[]);
    assert!(default > 10, "{default}");
    assert_eq!(removed(&["--keep-threshold", "0"]), 0);
    assert!(removed(&["--keep-threshold", "0.9"]) > default);
    boilerstrip()
        .args(["clean", "--keep-threshold", "1.5", page])
        .assert()
        .code(2);
}

#[test]
fn two_inputs_written_to_one_output_are_reported_and_the_first_kept() {
    let dir = TempDir::new().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    write(&first, "a.txt", DOC);
    write(&second, "a.txt", "Another document.\n");
    write(&second, "b.txt", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .args([&first, &second])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("second/a.txt: another input is also written to"))
        .stderr(contains("2 documents cleaned"));
    assert_eq!(tree(&out), [PathBuf::from("a.txt"), PathBuf::from("b.txt")]);
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), CLEAN);

    // --compress names two inputs of one directory alike.
    let jsonl = dir.path().join("jsonl");
    write(&jsonl, "a.jsonl", "{\"text\":\"Body.\"}\n");
    write(&jsonl, "a.jsonl.zst", "{\"text\":\"Body.\"}\n");
    boilerstrip()
        .args(["clean", "--compress", "gzip"])
        .arg(&jsonl)
        .arg("-o")
        .arg(dir.path().join("gz"))
        .assert()
        .code(1)
        .stderr(contains("a.jsonl.zst: another input is also written to"));
}

/// `--disable` lists every pass that can be disabled, in `-h` and `--help`: the list is made
/// from the registry, and this holds it there.
#[test]
fn disable_help_names_every_pass() {
    for flag in ["-h", "--help"] {
        disable_help_names_every_pass_in(flag);
    }
}

fn disable_help_names_every_pass_in(flag: &str) {
    let out = boilerstrip().args(["clean", flag]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap().replace('\n', " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let start = help
        .find("--disable <ID>")
        .expect("--disable is documented");
    let end = help[start + 2..]
        .find(" --")
        .map_or(help.len(), |i| start + 2 + i);
    let disable = &help[start..end];
    for pass in boilerstrip::passes::PASSES {
        assert!(
            disable.contains(pass.id),
            "--disable's help does not name {}: {disable}",
            pass.id
        );
    }
}

/// `clean -h` was 156 lines with no example (issue 22). Each command's `-h` fits one screen
/// at clap's widest layout (100 columns): under 60 lines, one line per option (no wrapped
/// continuation lines), and the grouped commands end with examples that `--help` shows too,
/// followed there by the exit codes.
#[test]
fn short_help_fits_one_screen_with_examples() {
    let commands = [
        "clean",
        "check-patterns",
        "rules",
        "explain",
        "mine",
        "train",
        "eval",
        "generate",
    ];
    for command in commands {
        let help = |flag: &str| {
            let out = boilerstrip()
                .args([command, flag])
                .env("COLUMNS", "100")
                .output()
                .unwrap();
            assert!(out.status.success(), "{command} {flag}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let (short, long) = (help("-h"), help("--help"));
        let lines = short.lines().count();
        assert!(lines < 60, "{command} -h is {lines} lines:\n{short}");
        // A wrapped option or argument continues on a line indented to its help column, which
        // does not start with an option.
        let options = short.split("\nExamples:").next().unwrap();
        let options = options.split("\nExit codes:").next().unwrap();
        for line in options.lines().skip(1) {
            let wrapped = line.starts_with("    ") && !line.trim_start().starts_with('-');
            assert!(!wrapped, "{command} -h wraps a line: {line:?}\n{short}");
        }
        if ["clean", "mine", "train", "eval"].contains(&command) {
            let examples = short.split_once("\nExamples:\n").map(|(_, e)| e);
            let examples = examples.unwrap_or_else(|| panic!("{command} -h: no examples\n{short}"));
            let count = examples
                .lines()
                .filter(|l| l.contains("boilerstrip "))
                .count();
            assert!((2..=5).contains(&count), "{command} -h: {count} examples");
            assert!(
                long.contains(examples.trim_end()),
                "{command} --help lacks the examples"
            );
            assert!(long.contains("Exit codes:"), "{command} --help");
            assert!(!short.contains("Exit codes:"), "{command} -h");
        }
    }
}

/// `boilerstrip generate KIND` prints the man page and each shell's completions, made from the
/// clap definition (issue 22): every command is in them, and bash accepts its script.
#[test]
fn generate_prints_the_man_page_and_completions() {
    let commands = [
        "clean",
        "check-patterns",
        "rules",
        "explain",
        "mine",
        "train",
        "eval",
    ];
    let kinds: &[(&str, &str)] = &[
        ("man", ".TH boilerstrip 1"),
        ("complete-bash", "_boilerstrip()"),
        ("complete-zsh", "#compdef boilerstrip"),
        ("complete-fish", "complete -c boilerstrip"),
        ("complete-powershell", "Register-ArgumentCompleter"),
        (
            "complete-elvish",
            "edit:completion:arg-completer[boilerstrip]",
        ),
    ];
    for (kind, marker) in kinds {
        let out = boilerstrip().args(["generate", kind]).output().unwrap();
        assert!(out.status.success(), "generate {kind}: {out:?}");
        assert!(out.stderr.is_empty(), "generate {kind}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "generate {kind} lacks {marker:?}");
        for command in commands {
            // roff writes a hyphen as `\-`.
            let command = match *kind {
                "man" => command.replace('-', "\\-"),
                _ => command.to_string(),
            };
            assert!(text.contains(&command), "generate {kind} lacks {command}");
        }
    }
    let zsh = boilerstrip()
        .args(["generate", "complete-zsh"])
        .output()
        .unwrap();
    assert!(zsh.stdout.starts_with(b"#compdef boilerstrip\n"));
    // The man page has a section per command, with its options.
    let man = boilerstrip().args(["generate", "man"]).output().unwrap();
    let man = String::from_utf8(man.stdout).unwrap();
    for section in [
        ".SH \"BOILERSTRIP CLEAN\"",
        ".SS \"SAFETY AND REVIEW\"",
        "\\-\\-dry\\-run",
    ] {
        assert!(man.contains(section), "the man page lacks {section}");
    }
    // An unknown kind is a usage error that lists the kinds.
    boilerstrip()
        .args(["generate", "complete-tcsh"])
        .assert()
        .code(2)
        .stderr(contains("complete-bash"));
    // Bash parses the script, and its function completes `cl` to `clean` and `clean --dry` to
    // `--dry-run`.
    let bash = boilerstrip()
        .args(["generate", "complete-bash"])
        .output()
        .unwrap();
    let dir = TempDir::new().unwrap();
    let script = write(dir.path(), "boilerstrip.bash", &bash.stdout);
    let bash = |code: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(code)
            .output()
    };
    let Ok(parsed) = bash(&format!("bash -n {}", script.display())) else {
        eprintln!("no bash: the completion script is not checked");
        return;
    };
    assert!(parsed.status.success(), "bash -n: {parsed:?}");
    let completed = bash(&format!(
        "source {}; complete -p boilerstrip; \
         COMP_WORDS=(boilerstrip cl); COMP_CWORD=1; _boilerstrip boilerstrip cl boilerstrip; \
         echo \"${{COMPREPLY[@]}}\"; \
         COMP_WORDS=(boilerstrip clean --dry); COMP_CWORD=2; _boilerstrip boilerstrip --dry clean; \
         echo \"${{COMPREPLY[@]}}\"",
        script.display()
    ))
    .unwrap();
    let completed = String::from_utf8(completed.stdout).unwrap();
    assert_eq!(
        completed,
        "complete -o bashdefault -o default -o nosort -F _boilerstrip boilerstrip\nclean\n--dry-run\n"
    );
}

/// Regression (issue 19): `-j 100000` tried to start a hundred thousand threads and never got
/// to work. Every subcommand that takes `-j` caps it at four threads per core, with a warning.
#[test]
fn a_huge_thread_count_is_capped_with_a_warning() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    for k in 0..4 {
        write(&input, &format!("d{k}.txt"), DOC);
    }
    let warned = contains("-j 100000 is more than 4 threads per available core");
    let start = std::time::Instant::now();
    boilerstrip()
        .args(["clean", "-j", "100000", "-"])
        .write_stdin(DOC)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(CLEAN)
        .stderr(warned.clone());
    boilerstrip()
        .args(["clean", "-j", "100000", "-o"])
        .arg(dir.path().join("out"))
        .arg(&input)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stderr(warned.clone());
    boilerstrip()
        .args(["mine", "-j", "100000"])
        .arg(&input)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stderr(warned.clone());
    // The pool is started before the data is read: a record without gold still fails.
    let data = write(dir.path(), "data.jsonl", "{\"text\": \"a\"}\n");
    boilerstrip()
        .args(["train", "-j", "100000", "-o"])
        .arg(dir.path().join("m.bsm"))
        .arg(&data)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(warned.and(contains("data.jsonl:1")));
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    // At the cap or under it, no warning.
    boilerstrip()
        .args(["clean", "-j", "1", "-"])
        .write_stdin(DOC)
        .assert()
        .success()
        .stderr("");
}

/// Compressed text (issue 20): `*.txt.gz` and `*.txt.zst` are walked by default, read
/// decompressed, and written compressed the same way, under `-o` and in place; they were
/// skipped as binary (or not walked at all) with exit code 0.
#[test]
fn compressed_text_files_are_cleaned_and_stay_compressed() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt.gz", gzip(DOC.as_bytes()));
    write(
        &input,
        "b.txt.zst",
        zstd::encode_all(DOC.as_bytes(), 3).unwrap(),
    );
    write(&input, "c.txt", DOC);
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--summary")
        .assert()
        .success()
        .stderr(contains(
            "3 documents cleaned, 3 changed, 0 emptied, 0 skipped",
        ));
    assert_eq!(
        gunzip(&fs::read(out.join("a.txt.gz")).unwrap()),
        CLEAN.as_bytes()
    );
    let zst = fs::read(out.join("b.txt.zst")).unwrap();
    assert_eq!(zstd::decode_all(&zst[..]).unwrap(), CLEAN.as_bytes());
    assert_eq!(fs::read_to_string(out.join("c.txt")).unwrap(), CLEAN);

    // One file to stdout comes out decompressed, like zcat's.
    boilerstrip()
        .arg("clean")
        .arg(input.join("a.txt.gz"))
        .assert()
        .success()
        .stdout(CLEAN);

    // In place, the file is rewritten compressed as it was.
    boilerstrip()
        .args(["clean", "--in-place", "-q"])
        .arg(input.join("a.txt.gz"))
        .assert()
        .success();
    assert_eq!(
        gunzip(&fs::read(input.join("a.txt.gz")).unwrap()),
        CLEAN.as_bytes()
    );

    // The size limit applies to what the file holds, not to its compressed bytes.
    let big = format!(
        "{DOC}{}",
        "A line of text that compresses very well.\n".repeat(2000)
    );
    write(&input, "big.txt.gz", gzip(big.as_bytes()));
    boilerstrip()
        .args(["clean", "--max-doc-bytes", "10K"])
        .arg(input.join("big.txt.gz"))
        .assert()
        .success()
        .stdout("")
        .stderr(contains("over --max-doc-bytes"));
}

/// A quarantined compressed file is delivered and copied compressed, as it came.
#[test]
fn a_quarantined_compressed_file_is_copied_compressed() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    let packed = gzip(DOC.as_bytes());
    write(&input, "a.txt.gz", &packed);
    let (out, quarantine) = (dir.path().join("out"), dir.path().join("q"));
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--max-removed", "0.01", "--quarantine"])
        .arg(&quarantine)
        .assert()
        .success()
        .stderr(contains("quarantined"));
    for copy in [out.join("a.txt.gz"), quarantine.join("a.txt.gz")] {
        assert_eq!(
            gunzip(&fs::read(&copy).unwrap()),
            DOC.as_bytes(),
            "{copy:?}"
        );
    }
}

/// Stdin without `--format` (issue 20): a stream whose first line is a JSON object is cleaned
/// as JSONL, and said so on stderr; it was cleaned as one text, records' quoting and all, with
/// exit code 0. Text that opens with a brace stays text; `--format text` overrides; a gzip
/// stream is decompressed.
#[test]
fn stdin_is_read_as_jsonl_when_its_first_line_is_a_json_object() {
    let record = serde_json::json!({"id": 1, "text": DOC}).to_string() + "\n";
    let cleaned = serde_json::json!({"id": 1, "text": CLEAN}).to_string() + "\n";
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(record.clone())
        .assert()
        .success()
        .stdout(cleaned.clone())
        .stderr(contains(
            "its first line is a JSON object, so it is read as JSONL",
        ));
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(gzip(record.as_bytes()))
        .assert()
        .success()
        .stdout(cleaned);
    // `--quiet` says nothing.
    boilerstrip()
        .args(["clean", "-q", "-"])
        .write_stdin(record.clone())
        .assert()
        .success()
        .stderr("");
    // Asked for text, it is one text: the record is one line, left as it was.
    boilerstrip()
        .args(["clean", "--format", "text", "-"])
        .write_stdin(record.clone())
        .assert()
        .success()
        .stdout(record)
        .stderr("");
    let text = format!("{{ 3 comments }}\n\n{DOC}");
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stderr("");
    // Gzip text on stdin comes out cleaned, decompressed.
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin(gzip(DOC.as_bytes()))
        .assert()
        .success()
        .stdout(CLEAN);
}
