//! Hostile pattern files, paths and names: clear errors for regexes boilerstrip will not run,
//! no symbolic link followed unless asked, nothing written outside the output directory, nothing
//! from a document or a file name reaching the terminal raw.

use std::fs;
use std::path::{Path, PathBuf};

use boilerstrip::{rule, Cleaner};
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::{boilerstrip, write};

const DOC: &str = "Skip to content\n\nThe bridge opened on Monday.\n";
const CLEAN: &str = "The bridge opened on Monday.\n";

/// Every file and link under `dir`, relative, sorted, without following links.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

fn rule_with_regex(regex: &str) -> String {
    format!(
        "[[rule]]\nid = \"HOST1\"\nwhy = \"test\"\nregex = {regex:?}\nmatch = \"line\"\n\
         action = \"drop\"\nremove = [\"x\"]\n"
    )
}

#[test]
fn unsupported_regex_syntax_is_explained_and_names_the_rule() {
    let cases = [
        ("look-ahead", "(?=Share)Share this"),
        ("negative look-ahead", "Share(?! this)"),
        ("look-behind", "(?<=x)Share"),
        ("backreference", "(Share) \\1"),
    ];
    for (what, regex) in cases {
        let err = rule::parse_set(&rule_with_regex(regex), "hostile.toml", "hostile")
            .unwrap_err()
            .to_string();
        assert!(err.contains("hostile.toml"), "{what}: {err}");
        assert!(err.contains("rule HOST1"), "{what}: {err}");
        assert!(err.contains("not supported"), "{what}: {err}");
        assert!(
            err.contains("linear time") && err.contains("phrases"),
            "{what}: no explanation: {err}"
        );
    }
}

#[test]
fn a_huge_regex_hits_the_size_limit_with_a_clear_error() {
    for regex in ["a{1000}{1000}", "(\\w{100}){100}", "[\\p{L}\\p{N}]{5000}"] {
        let err = rule::parse_set(&rule_with_regex(regex), "huge.toml", "huge")
            .unwrap_err()
            .to_string();
        assert!(err.contains("rule HOST1"), "{regex}: {err}");
        assert!(err.contains("size limit"), "{regex}: {err}");
        assert!(err.contains("simplify"), "{regex}: {err}");
    }
    // The binary says the same and exits 2.
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "huge.toml", rule_with_regex("a{1000}{1000}"));
    boilerstrip()
        .arg("check-patterns")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("rule HOST1: bad regex"))
        .stderr(contains("size limit"));
}

#[test]
fn a_regex_that_matches_everything_is_refused() {
    let err = rule::parse_set(&rule_with_regex("x*"), "all.toml", "all")
        .unwrap_err()
        .to_string();
    assert!(err.contains("matches the empty string"), "{err}");
    // Patterns that pass validation clean without trouble.
    let set = rule::parse_set(&rule_with_regex("(?i)share (this|on) \\w+"), "ok", "ok").unwrap();
    let cleaner = Cleaner::builder().pattern_set(set).build().unwrap();
    assert_eq!(cleaner.clean("Text.\nShare on Facebook\n").text, "Text.\n");
}

/// Regression (issue 19): `\b` does not match the empty string, so it passed the check for
/// that, and with `match = "contains"` it dropped every short line with a word in it. A regex
/// whose shortest match is empty is refused, with the file, the rule id and the reason.
#[test]
fn a_regex_that_can_match_an_empty_span_is_refused() {
    let dir = TempDir::new().unwrap();
    for regex in ["\\b", "(?:x)?", "x?\\b", "\\bShare\\b|\\B"] {
        let file = write(
            dir.path(),
            "empty.toml",
            format!(
                "[[rule]]\nid = \"ZW1\"\nwhy = \"test\"\nregex = {regex:?}\n\
                 match = \"contains\"\naction = \"drop\"\nremove = [\"Share\"]\n"
            ),
        );
        for args in [&["check-patterns"][..], &["clean", "-", "--patterns"]] {
            boilerstrip()
                .args(args)
                .arg(&file)
                .write_stdin(DOC)
                .assert()
                .code(2)
                .stdout("")
                .stderr(contains("empty.toml:1: rule ZW1: regex"))
                .stderr(
                    contains("can match an empty span").or(contains("matches the empty string")),
                );
        }
    }
    // A word boundary around text is fine.
    let set = rule::parse_set(&rule_with_regex("\\bShare this\\b"), "ok", "ok").unwrap();
    let cleaner = Cleaner::builder().pattern_set(set).build().unwrap();
    assert_eq!(cleaner.clean("Text.\nShare this\n").text, "Text.\n");
}

/// Regression (issue 19): pattern files had no limits (a 21 MB file took 1.9 GB before it
/// failed, 3 million phrases 1.6 GB). A file over 16 MiB is refused before it is read, one of
/// over 50,000 rules or 500,000 phrases once parsed; each error names the file and the limit.
#[test]
fn pattern_files_over_the_limits_are_refused() {
    let dir = TempDir::new().unwrap();
    // A gigabyte, sparse: refused from its size at once, not read.
    let huge = dir.path().join("huge.toml");
    fs::File::create(&huge).unwrap().set_len(1 << 30).unwrap();
    let start = std::time::Instant::now();
    boilerstrip()
        .arg("check-patterns")
        .arg(&huge)
        .assert()
        .code(2)
        .stderr(contains(
            "huge.toml: the file is 1073741824 bytes, over the limit of 16777216",
        ));
    boilerstrip()
        .args(["clean", "-", "--patterns"])
        .arg(&huge)
        .write_stdin("Text.\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("huge.toml").and(contains("16 MiB")));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "read?"
    );

    let rule = |n: usize| {
        format!(
            "[[rule]]\nid = \"R{n}\"\nwhy = \"w\"\nphrases = [\"a{n}\"]\nmatch = \"line\"\n\
             action = \"drop\"\nremove = [\"a{n}\"]\n"
        )
    };
    let rules = write(
        dir.path(),
        "rules.toml",
        (0..=rule::MAX_RULES).map(rule).collect::<String>(),
    );
    boilerstrip()
        .arg("check-patterns")
        .arg(&rules)
        .assert()
        .code(2)
        .stderr(contains(
            "rules.toml: 50001 rules, over the limit of 50000 rules for a pattern file",
        ));

    let phrases: Vec<String> = (0..=rule::MAX_PHRASES)
        .map(|n| format!("\"p{n}\""))
        .collect();
    let phrases = write(
        dir.path(),
        "phrases.toml",
        format!(
            "[[rule]]\nid = \"P1\"\nwhy = \"w\"\nmatch = \"line\"\naction = \"drop\"\n\
             remove = [\"p1\"]\nphrases = [{}]\n",
            phrases.join(",")
        ),
    );
    boilerstrip()
        .arg("check-patterns")
        .arg(&phrases)
        .assert()
        .code(2)
        .stderr(contains(
            "phrases.toml: 500001 phrases, over the limit of 500000 phrases for a pattern file",
        ));
    // At the limits, loaded (through the library: the same checks, without a process).
    let at_limit: String = (0..rule::MAX_RULES).map(rule).collect();
    let set = rule::parse_set(&at_limit, "at.toml", "at").unwrap();
    assert_eq!(set.rules.len(), rule::MAX_RULES);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_unless_asked() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    let outside = dir.path().join("outside");
    write(&input, "a.txt", DOC);
    write(&outside, "secret.txt", DOC);
    write(&outside, "deep/more.txt", DOC);
    std::os::unix::fs::symlink(outside.join("secret.txt"), input.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, input.join("linkdir")).unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(tree(&out), [PathBuf::from("a.txt")]);
    // With --follow, the linked files are cleaned and written under their names in the tree,
    // inside the output directory; what the links point to is untouched.
    let out = dir.path().join("out-follow");
    boilerstrip()
        .args(["clean", "--follow"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        tree(&out),
        [
            "a.txt",
            "link.txt",
            "linkdir/deep/more.txt",
            "linkdir/secret.txt"
        ]
        .map(PathBuf::from)
    );
    assert_eq!(fs::read_to_string(out.join("link.txt")).unwrap(), CLEAN);
    assert_eq!(
        tree(&outside),
        ["deep/more.txt", "secret.txt"].map(PathBuf::from)
    );
    assert_eq!(fs::read_to_string(outside.join("secret.txt")).unwrap(), DOC);
    // Loops under --follow are reported, not walked forever: see
    // tests/cli.rs `symlink_loop_is_reported_with_follow`.
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_output_directory_cannot_lead_writes_outside() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    write(&input, "sub/b.txt", DOC);
    write(&input, "sub/deeper/c.txt", DOC);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("sub")).unwrap();
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("outside the output directory"));
    assert!(tree(&elsewhere).is_empty(), "{:?}", tree(&elsewhere));
    assert!(fs::read_dir(&elsewhere).unwrap().next().is_none());
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), CLEAN);
}

#[test]
fn input_names_with_dot_dot_stay_inside_the_output_directory() {
    let dir = TempDir::new().unwrap();
    let work = dir.path().join("work");
    write(&work, "in/a.txt", DOC);
    write(&work, "in/sub/b.txt", DOC);
    write(dir.path(), "up.txt", DOC);
    let before = tree(dir.path());
    boilerstrip()
        .current_dir(&work)
        .args(["clean", "-o", "out", "in/sub/../../in", "../up.txt"])
        .assert()
        .success();
    assert_eq!(
        tree(&work.join("out")),
        ["a.txt", "sub/b.txt", "up.txt"].map(PathBuf::from)
    );
    let mut after: Vec<PathBuf> = tree(dir.path())
        .into_iter()
        .filter(|p| !p.starts_with("work/out"))
        .collect();
    after.sort();
    assert_eq!(after, before, "something was written outside -o");
}

#[cfg(unix)]
#[test]
fn file_names_and_record_ids_cannot_drive_the_terminal() {
    use std::os::unix::ffi::OsStrExt;

    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    // A name with an escape sequence, a bidi override and a newline; invalid UTF-8 inside, so
    // that it is named in a warning.
    let name = std::ffi::OsStr::from_bytes(b"evil\x1b[2J\xe2\x80\xaeLF\nname.txt");
    fs::write(input.join(name), b"caf\xe9\n").unwrap();
    let output = boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(!stderr.contains('\u{202e}'), "{stderr:?}");
    assert!(!stderr.contains("LF\nname"), "{stderr:?}");
    // A record id carries text of the dataset into a warning.
    let line = "{\"id\":\"\\u001b]0;pwned\\u0007\\u202e\",\"text\":5}\n";
    boilerstrip()
        .args(["clean", "--format", "jsonl", "--id-field", "id", "-"])
        .write_stdin(line)
        .assert()
        .success()
        .stderr(contains("not a string"))
        .stderr(contains("\u{1b}").not())
        .stderr(contains("\u{7}").not())
        .stderr(contains("\u{202e}").not());
}
