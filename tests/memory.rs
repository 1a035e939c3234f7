//! Issue 19 §4: cleaning a document takes memory bounded by its size, whatever its lines: at
//! most four times its size and 64 MiB. The peak is the child's maximum resident set, as GNU
//! `time` reports it (`/usr/bin/time`, Debian package `time`, which `.ci/run` installs).

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::common;

/// The bound: four times the document and 64 MiB, in KiB as `time` counts.
fn bound_kib(bytes: usize) -> u64 {
    (4 * bytes as u64 + (64 << 20)) / 1024
}

/// The peak resident set of `boilerstrip clean ARGS` (in KiB), run in `dir` (where `-o out`
/// writes), its output to a file there.
fn peak_kib(dir: &Path, args: &[&str]) -> u64 {
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "this test needs GNU time as /usr/bin/time (Debian package `time`; .ci/run installs it)"
    );
    let report = dir.join("time.txt");
    let run = Command::new(time)
        .arg("-o")
        .arg(&report)
        .args(["-f", "%M"])
        .arg(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .arg("clean")
        .args(args)
        .current_dir(dir)
        .stdout(std::fs::File::create(dir.join("out.txt")).unwrap())
        .output()
        .unwrap();
    // The run's summary goes to stderr: kept, and shown only when the run fails.
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = std::fs::read_to_string(report).unwrap();
    let last = report.lines().last().unwrap_or_default();
    last.trim()
        .parse()
        .unwrap_or_else(|_| panic!("time said {report:?}"))
}

/// 10 MB of one short line repeated (5 million lines removed by `DEDUPE`: each one a hit of 88
/// bytes and a line of 40 more took 57 times the document) and 10 MB of blank lines (10 million
/// lines of nothing took 25 times it) stay under four times their size and 64 MiB.
#[test]
fn a_document_of_short_lines_takes_at_most_four_times_its_size() {
    let dir = TempDir::new().unwrap();
    let size = 10_000_000;
    for (name, text) in [
        ("x.txt", "x\n".repeat(size / 2)),
        ("blank.txt", "\n".repeat(size)),
    ] {
        let file = common::write(dir.path(), name, &text);
        drop(text);
        let file = file.to_str().unwrap();
        for output in [&[][..], &["-o", "out"][..]] {
            let args = [output, &[file]].concat();
            let peak = peak_kib(dir.path(), &args);
            eprintln!("{name} {output:?}: {peak} KiB");
            assert!(
                peak <= bound_kib(size),
                "{name} {output:?}: {peak} KiB, over {} KiB",
                bound_kib(size)
            );
        }
    }
}

/// Clean `text` as the file `name` in `dir`, to stdout and with `-o`, and check that each run
/// stays under four times its size and 64 MiB; returns what was written to stdout.
fn assert_within_bound(dir: &Path, name: &str, text: String) -> String {
    let size = text.len();
    let file = common::write(dir, name, &text);
    drop(text);
    let file = file.to_str().unwrap();
    let mut stdout = String::new();
    for output in [&[][..], &["-o", "out"][..]] {
        let args = [output, &[file]].concat();
        let peak = peak_kib(dir, &args);
        eprintln!("{name} {output:?}: {peak} KiB");
        assert!(
            peak <= bound_kib(size),
            "{name} {output:?}: {peak} KiB, over {} KiB",
            bound_kib(size)
        );
        if output.is_empty() {
            stdout = std::fs::read_to_string(dir.join("out.txt")).unwrap();
        }
    }
    stdout
}

/// 20 MB of lines removed every other line (`x x y y …`, `DEDUPE`) stay under four times their
/// size and 64 MiB. Each removal a run of hits of its own (48 bytes) took 20 times the document;
/// with the hits at 2 bytes a removal, a later round still held 8 bytes an output line (its
/// input line and line end) and `REJOIN`'s units 8 bytes a line: 7.6 times at 50 MB, over this
/// bound from about 17 MB (at 10 MB the 64 MiB would hide it).
#[test]
fn lines_removed_every_other_line_take_at_most_four_times_their_size() {
    let dir = TempDir::new().unwrap();
    let text = "x\nx\ny\ny\n".repeat(20_000_000 / 8);
    let out = assert_within_bound(dir.path(), "alternate.txt", text);
    assert!(
        out.starts_with("x\ny\nx\ny\n"),
        "{:?}",
        &out[..out.len().min(40)]
    );
}

/// 40 MB of one-line paragraphs that `REJOIN` joins in pairs (`Item N was met on`, `monday
/// night.`) stay under four times their size and 64 MiB. With each joined line's text a
/// `String` of its own (and a map entry), they took 6.5 times at 50 MB, over this bound from
/// about 24 MB.
#[test]
fn lines_joined_every_other_line_take_at_most_four_times_their_size() {
    let dir = TempDir::new().unwrap();
    let pair = |n: usize| format!("Item {n} was met on\n\nmonday night.\n\n");
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 40_000_000 {
        text.push_str(&pair(n));
        n += 1;
    }
    let out = assert_within_bound(dir.path(), "joined.txt", text);
    assert!(
        out.starts_with("Item 0 was met on monday night.\n\nItem 1 was met on monday night.\n"),
        "{:?}",
        &out[..out.len().min(80)]
    );
}

/// Documents the size the line model judges (up to 1 MiB), made of short lines, stay under four
/// times their size and 64 MiB: judging holds about a kilobyte a line, so a megabyte of
/// one-letter lines (520,000 of them) took 450 MB before documents of more than 32,768 lines
/// were left to the rules, as larger ones are.
#[test]
fn documents_the_line_model_could_judge_take_at_most_four_times_their_size() {
    let dir = TempDir::new().unwrap();
    let size = 1_000_000;
    let words = |n: usize| format!("w{}\n", n * 7919 % 1_000_003);
    let mut distinct = String::new();
    let mut n = 0;
    while distinct.len() < size {
        distinct.push_str(&words(n));
        n += 1;
    }
    for (name, text) in [
        ("letters.txt", "x\ny\n".repeat(size / 4)),
        ("paragraphs.txt", "x\n\ny\n\n".repeat(size / 6)),
        ("distinct.txt", distinct),
    ] {
        let lines = text.lines().count();
        let out = assert_within_bound(dir.path(), name, text);
        assert!(
            out.lines().count() * 2 > lines,
            "{name}: {} of {lines} lines left",
            out.lines().count()
        );
    }
}
