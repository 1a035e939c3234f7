//! Faults and limits: what the binary does when the file system, the signals or the size of the
//! input work against it. Each test names the fault it pins.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::{boilerstrip, gunzip, gzip, tree, write, CLEAN, DOC};

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".boilerstrip-"))
        .collect()
}

#[test]
fn output_directory_that_cannot_be_created_is_named() {
    // Root ignores permission bits: make the output's parent a regular file instead.
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    let blocker = write(dir.path(), "blocker", "a file, not a directory");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(blocker.join("out"))
        .assert()
        .code(1)
        .stderr(contains("cannot create output directory"))
        .stderr(contains("blocker"));
}

#[test]
fn output_subdirectory_that_cannot_be_created_fails_that_file_and_the_batch_goes_on() {
    // The mirror of `sub/` cannot be made (a file is in the way); `a.txt` is still written.
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    write(&input, "sub/b.txt", DOC);
    let out = dir.path().join("out");
    write(&out, "sub", "a file where the directory should be");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("sub/b.txt: cannot write"));
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), CLEAN);
    assert!(temp_files(&out).is_empty());
}

#[cfg(unix)]
#[test]
fn a_file_that_vanished_after_listing_is_named_and_the_batch_goes_on() {
    // A dangling link stands for a file deleted between the walk and the read: with --follow
    // the walk lists it, the read fails.
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    std::os::unix::fs::symlink(dir.path().join("deleted.txt"), input.join("gone.txt")).unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "--follow"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("gone.txt"));
    assert_eq!(tree(&out), [PathBuf::from("a.txt")]);
    // Named on the command line, the same.
    boilerstrip()
        .arg("clean")
        .arg(input.join("a.txt"))
        .arg(input.join("gone.txt"))
        .arg("-o")
        .arg(dir.path().join("out2"))
        .assert()
        .code(1)
        .stderr(contains("gone.txt: cannot read"));
}

#[test]
fn write_error_on_stdout_is_reported_with_exit_1() {
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let dir = TempDir::new().unwrap();
    // Two thousand articles, each its own: as many copies of one article read as a page of
    // junk, which cleaning may take away whole, and then nothing is written to fail.
    let doc: String = (0..2000)
        .map(|i| DOC.replace("on Monday.", &format!("on Monday, day {i} of the works.")))
        .collect();
    assert!(!boilerstrip::Cleaner::new().clean(&doc).text.is_empty());
    let file = write(dir.path(), "a.txt", &doc);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .arg("clean")
        .arg(&file)
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("writing to stdout"), "{stderr}");
    // The input is untouched.
    assert_eq!(fs::read_to_string(&file).unwrap(), doc);
}

/// Regression: with stderr unwritable (`2>/dev/full`, or an engine's log pipe gone), every
/// warning panicked ("failed printing to stderr", exit 101) and a JSONL stream stopped part
/// way. Messages that cannot be written are dropped; the data path finishes.
#[test]
fn an_unwritable_stderr_loses_messages_not_data() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    // Every other record draws a warning (no field `text`), and the summary is asked for.
    let records: String = (0..500)
        .map(|k| match k % 2 {
            0 => format!("{{\"id\":{k},\"text\":\"Skip to content\\nThe text.\"}}\n"),
            _ => format!("{{\"id\":{k}}}\n"),
        })
        .collect();
    let cleaned = records.replace("Skip to content\\n", "");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "--format", "jsonl", "--summary", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(full))
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(records.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), cleaned);
}

/// Where a run's stderr goes in [`run_with_stderr`].
#[derive(Debug, Clone, Copy)]
enum Stderr {
    /// `2>/dev/full`: every write fails with ENOSPC.
    Full,
    /// `2>&-`: closed when the binary starts.
    Closed,
}

/// Run the binary with `args`, `input` on stdin and stderr as `stderr` says; stdout is
/// captured. `None` where the machine has no /dev/full.
fn run_with_stderr(args: &[&str], input: &[u8], stderr: Stderr) -> Option<std::process::Output> {
    let bin = assert_cmd::cargo::cargo_bin("boilerstrip");
    let mut command = match stderr {
        Stderr::Full => {
            let full = fs::OpenOptions::new().write(true).open("/dev/full").ok()?;
            let mut command = std::process::Command::new(bin);
            command.args(args).stderr(Stdio::from(full));
            command
        }
        Stderr::Closed => {
            let mut command = std::process::Command::new("sh");
            command
                .args(["-c", "exec \"$0\" \"$@\" 2>&-"])
                .arg(bin)
                .args(args);
            command
        }
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread of its own, so that a child blocked on a full stdout pipe is read.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Some(output)
}

/// Issue 19 §3: with stderr unwritable, a stream of 20,000 records with a warning for every
/// hundredth (malformed JSON, reported per line until the cap, then counted) comes out whole,
/// and the exit code is what `--on-error` makes of the bad lines: `keep` and `skip` succeed,
/// `fail` stops at the first bad line with exit 1 and the records before it written.
#[test]
fn a_20k_record_stream_with_bad_lines_survives_an_unwritable_stderr() {
    let mut input = String::new();
    let mut kept = String::new();
    let mut skipped = String::new();
    for k in 0..20_000 {
        if k % 100 == 50 {
            let bad = format!("{{bad record {k}\n");
            input.push_str(&bad);
            kept.push_str(&bad);
        } else {
            input.push_str(&format!(
                "{{\"id\":{k},\"text\":\"Skip to content\\nThe bridge {k} opened.\"}}\n"
            ));
            let clean = format!("{{\"id\":{k},\"text\":\"The bridge {k} opened.\"}}\n");
            kept.push_str(&clean);
            skipped.push_str(&clean);
        }
    }
    let before_first_bad: String = skipped.lines().take(50).map(|l| format!("{l}\n")).collect();
    let cases = [
        ("keep", Some(0), &kept),
        ("skip", Some(0), &skipped),
        ("fail", Some(1), &before_first_bad),
    ];
    for stderr in [Stderr::Full, Stderr::Closed] {
        for (on_error, code, want) in cases {
            let args = [
                "clean",
                "--format",
                "jsonl",
                "--summary",
                "--on-error",
                on_error,
                "-",
            ];
            let Some(output) = run_with_stderr(&args, input.as_bytes(), stderr) else {
                eprintln!("no /dev/full here; skipped");
                return;
            };
            let got = String::from_utf8(output.stdout).unwrap();
            assert_eq!(
                output.status.code(),
                code,
                "{stderr:?} --on-error {on_error}"
            );
            assert!(
                got == *want,
                "{stderr:?} --on-error {on_error}: {} lines out, {} expected",
                got.lines().count(),
                want.lines().count()
            );
        }
    }
}

/// Issue 19 §3: plain text on stdin with stderr unwritable is cleaned, exit 0.
#[test]
fn text_on_stdin_survives_an_unwritable_stderr() {
    for stderr in [Stderr::Full, Stderr::Closed] {
        let Some(output) = run_with_stderr(&["clean", "-"], DOC.as_bytes(), stderr) else {
            eprintln!("no /dev/full here; skipped");
            return;
        };
        assert_eq!(output.status.code(), Some(0), "{stderr:?}: {output:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            CLEAN,
            "{stderr:?}"
        );
    }
}

/// Regression (issue 19 §3): `check-patterns` printed its `ok:` line with `println!`, which
/// panicked (exit 101) when stdout could not be written; and `--help` to a full stdout exited
/// 0 with the help lost (clap's `exit` drops the write error). Both are write errors, exit 1.
#[test]
fn a_full_stdout_fails_check_patterns_and_help_with_exit_1_not_a_panic() {
    let runs: [&[&str]; 3] = [
        &["check-patterns", "--no-default-patterns", "patterns"],
        &["--help"],
        &["clean", "--help"],
    ];
    for args in runs {
        let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
            eprintln!("no /dev/full here; skipped");
            return;
        };
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("writing to stdout"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn write_error_in_place_leaves_the_original_whole() {
    // A full disk, emulated by a file size limit (`ulimit -f`, in 512-byte blocks) with
    // SIGXFSZ ignored, so that a write past it fails with EFBIG as a write to a full disk fails
    // with ENOSPC.
    let dir = TempDir::new().unwrap();
    let body: String = (0..1000)
        .map(|k| format!("Paragraph {k} of the article.\n"))
        .collect();
    let big_doc = format!("Skip to content\n\n{body}");
    let big = write(dir.path(), "big.txt", &big_doc);
    let small = write(dir.path(), "small.txt", DOC);
    let bin = assert_cmd::cargo::cargo_bin("boilerstrip");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" clean --in-place \"$1\" \"$2\"")
        .arg(&bin)
        .arg(&big)
        .arg(&small)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("big.txt: cannot write"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&big).unwrap(),
        big_doc,
        "original truncated"
    );
    assert_eq!(fs::read_to_string(&small).unwrap(), CLEAN);
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

/// `--in-place` on a FIFO (or a socket, a device) would replace it with a regular file, and
/// opening a FIFO waits for a writer that never comes: it is skipped with a warning, counted as
/// skipped, and never opened (the run cannot hang: the timeout fails the test instead).
#[cfg(unix)]
#[test]
fn in_place_skips_a_fifo_without_opening_it() {
    let dir = TempDir::new().unwrap();
    let text = write(dir.path(), "a.txt", DOC);
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    boilerstrip()
        .args(["clean", "--in-place", "a.txt", "pipe.txt"])
        .current_dir(dir.path())
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .stderr(contains(
            "pipe.txt: not a regular file (a FIFO): --in-place rewrites only regular files; \
             skipped",
        ))
        .stderr(contains(
            "1 documents cleaned, 1 changed, 0 emptied, 1 skipped, 0 failed",
        ));
    assert_eq!(fs::read_to_string(&text).unwrap(), CLEAN);
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(),
        "still a FIFO"
    );
}

/// A run killed outright leaves its temporary files. The next run that writes into their
/// directory removes those that are stale (the name of this tool's temporary files, a process
/// that no longer runs, untouched for an hour) and nothing else.
#[cfg(unix)]
#[test]
fn stale_temporary_files_are_removed_from_the_directories_written_to() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.txt", DOC);
    write(&input, "sub/b.txt", DOC);
    let out = dir.path().join("out");
    // No process has this id: process ids stop at 2^22.
    let stale = ".boilerstrip-tmp-99999999-aB3xZ9";
    let this_process = format!(".boilerstrip-tmp-{}-aB3xZ9", std::process::id());
    let hours_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    let plant = |path: PathBuf, old: bool| {
        write(
            path.parent().unwrap(),
            path.file_name().unwrap().to_str().unwrap(),
            "partial",
        );
        if old {
            let file = fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(hours_ago).unwrap();
        }
        path
    };
    let removed = [
        plant(out.join(stale), true),
        plant(out.join("sub").join(stale), true),
    ];
    let kept = [
        // Not written to by this run.
        plant(out.join("elsewhere").join(stale), true),
        // Too recent: its run may write on.
        plant(out.join(".boilerstrip-tmp-99999999-recent"), false),
        // Its process runs.
        plant(out.join(&this_process), true),
        // Not exactly such a name.
        plant(out.join(".boilerstrip-tmp-99999999-aB3xZ9.txt"), true),
        plant(out.join(".boilerstrip-tmp-notes"), true),
        plant(out.join(".boilerstrip-Ab12Cd.tmp"), true),
        plant(out.join("notes.txt"), true),
    ];
    // A directory of that name is no temporary file.
    let directory = out.join("sub").join(".boilerstrip-tmp-99999999-Dir000");
    fs::create_dir_all(&directory).unwrap();
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(out.join("sub/b.txt")).unwrap(), CLEAN);
    for path in &removed {
        assert!(!path.exists(), "{} was left", path.display());
    }
    for path in &kept {
        assert_eq!(
            fs::read_to_string(path).unwrap(),
            "partial",
            "{}",
            path.display()
        );
    }
    assert!(directory.is_dir());

    // In place, the directories of the rewritten inputs are swept; a walk that takes every
    // file takes no temporary file of this tool for an input.
    let in_input = plant(input.join("sub").join(stale), true);
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .args(["--in-place", "-g", "*"])
        .assert()
        .success()
        .stderr(contains("2 documents cleaned"));
    assert!(!in_input.exists(), "{} was left", in_input.display());
}

/// A tree big enough that a debug build takes seconds over it.
fn big_tree(dir: &Path, files: usize) -> PathBuf {
    let input = dir.join("in");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/input");
    let mut docs: Vec<String> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    docs.sort();
    for k in 0..files {
        write(
            &input,
            &format!("d{}/doc{k:05}.txt", k % 16),
            &docs[k % docs.len()],
        );
    }
    input
}

/// Start a batch, wait until it has written something, send `signal`, and return its status and
/// stderr.
#[cfg(unix)]
fn interrupt(mut command: std::process::Command, watch: &Path, signal: &str) -> (i32, String) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while tree(watch).len() < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "nothing written in time"
        );
        assert!(child.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn sigterm_mid_batch_leaves_no_partial_or_temporary_files() {
    let dir = TempDir::new().unwrap();
    let input = big_tree(dir.path(), 3000);
    let out = dir.path().join("out");
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"));
    command
        .args(["clean", "-q", "-j2", "-o"])
        .arg(&out)
        .arg(&input);
    let (code, stderr) = interrupt(command, &out, "TERM");
    assert_eq!(code, 143, "{stderr}");
    assert!(stderr.contains("interrupted by SIGTERM"), "{stderr}");
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    let written = tree(&out);
    assert!(written.len() < 3000, "the run was not stopped early");
    // Every file written is whole: what an uninterrupted run writes.
    let full = dir.path().join("full");
    boilerstrip()
        .args(["clean", "-q", "-o"])
        .arg(&full)
        .arg(&input)
        .assert()
        .success();
    for file in written {
        assert_eq!(
            fs::read(out.join(&file)).unwrap(),
            fs::read(full.join(&file)).unwrap(),
            "{file:?} is partial"
        );
    }
}

#[cfg(unix)]
#[test]
fn sigint_mid_in_place_run_leaves_originals_whole() {
    let dir = TempDir::new().unwrap();
    let input = big_tree(dir.path(), 3000);
    let pristine = dir.path().join("pristine");
    let expected = dir.path().join("expected");
    boilerstrip()
        .args(["clean", "-q", "-o"])
        .arg(&expected)
        .arg(&input)
        .assert()
        .success();
    fs::create_dir_all(&pristine).unwrap();
    for file in tree(&input) {
        write(
            &pristine,
            &file.to_string_lossy(),
            fs::read(input.join(&file)).unwrap(),
        );
    }
    // Watch the in-place run through the files it has already rewritten.
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"));
    command
        .args(["clean", "-q", "-j2", "--in-place"])
        .arg(&input);
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let changed =
        |file: &Path| fs::read(input.join(file)).ok() != fs::read(pristine.join(file)).ok();
    let first = tree(&pristine);
    while !first[..50].iter().any(|f| changed(f)) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "nothing rewritten in time"
        );
        assert!(child.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(temp_files(&input).is_empty(), "{:?}", temp_files(&input));
    assert_eq!(tree(&input), first, "files appeared or vanished");
    let mut rewritten = 0;
    for file in &first {
        let now = fs::read(input.join(file)).unwrap();
        if now == fs::read(expected.join(file)).unwrap() {
            rewritten += 1;
        } else {
            assert_eq!(
                now,
                fs::read(pristine.join(file)).unwrap(),
                "{file:?} is mangled"
            );
        }
    }
    assert!(rewritten < first.len(), "the run was not stopped early");
}

#[test]
fn a_document_over_max_doc_bytes_is_skipped_with_a_warning() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input, "small.txt", DOC);
    write(&input, "big.txt", "a".repeat(5000));
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "--max-doc-bytes", "4K", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(contains(
            "big.txt: 5000 bytes, over --max-doc-bytes 4096; skipped",
        ))
        .stderr(contains("1 skipped"));
    assert_eq!(tree(&out), [PathBuf::from("small.txt")]);
    // Stdin over the limit fails the run: see
    // `a_stream_over_max_doc_bytes_fails_and_names_the_flag`. At the limit, cleaned.
    boilerstrip()
        .args(["clean", "--max-doc-bytes", "5000", "-"])
        .write_stdin("a".repeat(5000))
        .assert()
        .success()
        .stdout(format!("{}\n", "a".repeat(5000)));
    // The default is documented.
    boilerstrip()
        .args(["clean", "--help"])
        .assert()
        .stdout(contains("[default: 256M]"));
}

/// Regression (issue 19): a text stream on stdin over `--max-doc-bytes` was skipped with a
/// warning and exit code 0, so a pipeline lost the document without noticing. It fails the run
/// with a message that names the flag to raise; nothing is written (as for any document that
/// is not cleaned), and stdin is still read no further than the limit.
#[test]
fn a_stream_over_max_doc_bytes_fails_and_names_the_flag() {
    boilerstrip()
        .args(["clean", "--max-doc-bytes", "4K", "-"])
        .write_stdin("a".repeat(5000))
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(
            "error: <stdin>: over --max-doc-bytes 4096; nothing written (raise --max-doc-bytes",
        ));
    // In a dry run too: there is nothing to show.
    boilerstrip()
        .args(["clean", "--dry-run", "--max-doc-bytes", "4K", "-"])
        .write_stdin("a".repeat(5000))
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn a_jsonl_record_over_max_doc_bytes_is_a_record_error() {
    let long = "b".repeat(3000);
    let input = format!(
        "{{\"text\":\"Skip to content\\nA.\"}}\n{{\"text\":\"{long}\"}}\n{{\"text\":\"B.\"}}\n"
    );
    boilerstrip()
        .args(["clean", "--format", "jsonl", "--max-doc-bytes", "1K"])
        .args(["--on-error", "skip", "-"])
        .write_stdin(input.clone())
        .assert()
        .success()
        .stdout("{\"text\":\"A.\"}\n{\"text\":\"B.\"}\n")
        .stderr(contains(
            "<stdin>:2: record over 1024 bytes, not cleaned; skipped (--max-doc-bytes)",
        ));
    // Under `keep`, passed through: `an_oversize_record_is_kept_byte_for_byte_under_keep`.
    boilerstrip()
        .args(["clean", "--format", "jsonl", "--max-doc-bytes", "1K"])
        .args(["--on-error", "fail", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout("{\"text\":\"A.\"}\n");
}

/// Regression (issue 19): under `--on-error keep` (the default) a record over
/// `--max-doc-bytes` was dropped, with exit code 0, though a line is left out only when asked.
/// It is passed through byte for byte, streamed in pieces (never held whole), and reported and
/// counted as passed through unchanged.
#[test]
fn an_oversize_record_is_kept_byte_for_byte_under_keep() {
    // Longer than a piece (1 MiB), with bytes a cleaner would touch: invalid UTF-8, a CR, NUL.
    let mut long = b"{\"text\":\"Skip to content\\n".to_vec();
    long.extend(std::iter::repeat_n(b"b\xff\r\0 ".as_slice(), 600_000).flatten());
    long.extend_from_slice(b"\"}");
    let mut input = b"{\"text\":\"Skip to content\\nA.\"}\n".to_vec();
    input.extend_from_slice(&long);
    input.extend_from_slice(b"\n{\"text\":\"B.\"}\n");
    // The last line, over the limit too, has no line end: it gets one, as every line does.
    input.extend_from_slice(&long[..2000]);
    let mut want = b"{\"text\":\"A.\"}\n".to_vec();
    want.extend_from_slice(&long);
    want.extend_from_slice(b"\n{\"text\":\"B.\"}\n");
    want.extend_from_slice(&long[..2000]);
    want.push(b'\n');
    let kept = "record over 1024 bytes, not cleaned; passed through unchanged (--max-doc-bytes)";
    let out = boilerstrip()
        .args([
            "clean",
            "--format",
            "jsonl",
            "--max-doc-bytes",
            "1K",
            "--summary",
            "-",
        ])
        .write_stdin(input.clone())
        .assert()
        .success()
        .stderr(contains(format!("<stdin>:2: {kept}")))
        .stderr(contains(format!("<stdin>:4: {kept}")))
        .stderr(contains(
            "bad records: 2 too-large (passed through unchanged)",
        ))
        .get_output()
        .stdout
        .clone();
    assert!(out == want, "the long records are not passed through whole");
    // Into a file, compressed or not.
    let dir = TempDir::new().unwrap();
    let src = write(dir.path(), "in/a.jsonl", &input);
    write(dir.path(), "in/b.jsonl.gz", gzip(&input));
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "-q", "--max-doc-bytes", "1K", "-o"])
        .arg(&out)
        .arg(src.parent().unwrap())
        .assert()
        .success();
    assert!(fs::read(out.join("a.jsonl")).unwrap() == want);
    assert!(gunzip(&fs::read(out.join("b.jsonl.gz")).unwrap()) == want);
}

/// Whether process `pid` has installed a handler for SIGINT (read from `/proc`; where there
/// is none, after a second).
#[cfg(unix)]
fn catches_sigint(pid: u32, since: Instant) -> bool {
    let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else {
        return since.elapsed() > Duration::from_secs(1);
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigCgt:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
}

/// Start `args`, send SIGINT once 300 ms after it has installed its handlers, and return the
/// exit code (`None` if it did not end within 2 s of the signal: it is then killed) and
/// stderr.
#[cfg(unix)]
fn interrupt_once(args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A loaded machine may take longer than that to start a debug build.
    let started = Instant::now();
    while !catches_sigint(child.id(), started) {
        assert!(started.elapsed() < Duration::from_secs(60), "no handler");
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended early");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "{args:?} ended early");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let signalled = Instant::now();
    while child.try_wait().unwrap().is_none() && signalled.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
        let _ = child.wait();
        return (None, String::new());
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// Regression (issue 19): the first SIGINT was ignored while an endless JSONL line was read
/// past (or, now, passed through), and while opening a FIFO that no writer opens: the run went
/// on until a second signal. The first one ends it, with the documented exit code.
#[cfg(unix)]
#[test]
fn the_first_signal_ends_an_endless_line_or_a_fifo_wait() {
    for policy in ["keep", "skip"] {
        let args = [
            "clean",
            "--format",
            "jsonl",
            "--on-error",
            policy,
            "/dev/zero",
        ];
        let (code, stderr) = interrupt_once(&args);
        assert_eq!(code, Some(130), "--on-error {policy}: {stderr}");
        assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    }
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for format in ["text", "jsonl"] {
        let args = ["clean", "--format", format, fifo.to_str().unwrap()];
        let (code, stderr) = interrupt_once(&args);
        assert_eq!(code, Some(130), "a FIFO read as {format}: {stderr}");
    }
}

/// A JSONL FIFO whose writer has sent a record and waits (a co-process, issue 21): the first
/// signal ends the run, as it did while the FIFO was being opened. The read of the pipe used to
/// go on until the writer closed it.
#[cfg(unix)]
#[test]
fn the_first_signal_ends_a_wait_for_the_next_record() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writing = fifo.clone();
    // Not joined: it holds the FIFO open for longer than the test waits.
    std::thread::spawn(move || {
        use std::io::Write;
        let mut writer = fs::OpenOptions::new().write(true).open(writing).unwrap();
        writer.write_all(b"{\"text\":\"One.\"}\n").unwrap();
        std::thread::sleep(Duration::from_secs(30));
    });
    let args = ["clean", "--format", "jsonl", fifo.to_str().unwrap()];
    let (code, stderr) = interrupt_once(&args);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
}

#[test]
fn pathological_documents_complete() {
    let cases: Vec<(&str, String)> = vec![
        ("100k identical lines", "Same line again.\n".repeat(100_000)),
        ("a 10 MB line of one character", "x".repeat(10 << 20)),
        ("NUL bytes", "text\0with\0nuls\n".repeat(1000)),
        ("lone CRs", "a\rb\r\r\rc\r".repeat(10_000)),
        (
            "control and bidi characters",
            "\u{1b}[31mred\u{202e}txet\u{7}\n".repeat(1000),
        ),
    ];
    for (what, doc) in cases {
        let start = Instant::now();
        let output = boilerstrip()
            .args(["clean", "-"])
            .write_stdin(doc)
            .output()
            .unwrap();
        assert!(output.status.success(), "{what}: {output:?}");
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what} took {:?}",
            start.elapsed()
        );
        let out = String::from_utf8(output.stdout).unwrap();
        assert!(
            !out.chars().any(|c| c != '\n' && c.is_control()),
            "{what}: control characters in the output"
        );
    }
    // 100k identical lines become one.
    boilerstrip()
        .args(["clean", "-"])
        .write_stdin("Same line again.\n".repeat(100_000))
        .assert()
        .stdout("Same line again.\n");
}

#[test]
fn mixed_encodings_and_nul_bytes_in_files() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    // UTF-8, then Latin-1 (é as one byte), then Windows-1252 quotes.
    write(
        &input,
        "mixed.txt",
        b"Caf\xc3\xa9 ok.\nCaf\xe9 latin.\n\x93quoted\x94\n",
    );
    write(&input, "nul.txt", b"text\0binary\n");
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("mixed.txt: invalid UTF-8 at byte offset"))
        .stderr(contains("nul.txt: binary file"));
    assert_eq!(
        fs::read_to_string(out.join("mixed.txt")).unwrap(),
        "Café ok.\nCaf\u{FFFD} latin.\n\u{FFFD}quoted\u{FFFD}\n"
    );
}

#[test]
fn hostile_json_gives_per_record_errors() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let lines = [
        // Deep nesting beside the text field: passed through, the text cleaned.
        format!("{{\"text\":\"Skip to content\\nA.\",\"meta\":{deep}}}"),
        // Deep nesting as the text field: not a string.
        format!("{{\"text\":{deep}}}"),
        // Deep nesting of objects on the path.
        format!(
            "{}{}",
            "{\"a\":".repeat(50_000),
            "1".to_string() + &"}".repeat(50_000)
        ),
        // Lone surrogates in the text.
        "{\"text\":\"\\ud800\"}".to_string(),
        "{\"text\":\"a\\udc00b\"}".to_string(),
        // NUL escaped, and raw.
        "{\"text\":\"a\\u0000b\"}".to_string(),
        "{\"text\":\"a\0b\"}".to_string(),
        "{\"text\":\"B.\"}".to_string(),
    ];
    let input = lines.join("\n") + "\n";
    let output = boilerstrip()
        .args(["clean", "--format", "jsonl", "--on-error", "skip", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let out: Vec<&str> = stdout.lines().collect();
    assert_eq!(out[0], format!("{{\"text\":\"A.\",\"meta\":{deep}}}"));
    assert_eq!(out.last(), Some(&"{\"text\":\"B.\"}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in [2, 3, 4, 5] {
        assert!(
            stderr.contains(&format!("<stdin>:{line}: ")),
            "line {line}: {stderr}"
        );
    }
}

/// Large inputs in bounded time and memory, through the release binary. Slow in a debug build:
/// run with `cargo test --release --test integration faults:: -- --ignored`.
#[test]
#[ignore]
fn ten_million_lines_and_a_200_mb_line_complete() {
    let dir = TempDir::new().unwrap();
    // 10 million lines, 119 MB: under the default --max-doc-bytes.
    let mut lines = String::with_capacity(120 << 20);
    for k in 0..10_000_000u32 {
        lines.push_str(&format!("Line {k}.\n"));
    }
    let many = write(dir.path(), "many.txt", &lines);
    drop(lines);
    let one = write(dir.path(), "one.txt", "word ".repeat(40_000_000));
    for file in [many, one] {
        let start = Instant::now();
        let out = dir.path().join("out.txt");
        let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
            .arg("clean")
            .arg(&file)
            .stdout(fs::File::create(&out).unwrap())
            .status()
            .unwrap();
        assert!(status.success());
        let took = start.elapsed();
        eprintln!("{}: {took:?}", file.display());
        assert!(took < Duration::from_secs(120), "{took:?}");
        assert!(fs::metadata(&out).unwrap().len() > 100_000_000);
    }
}

/// Run the binary through `sh` with `args` and stdout closed (`>&-`), the text on stdin from a
/// file in `dir`; stderr captured.
fn run_with_stdout_closed(dir: &Path, args: &[&str]) -> std::process::Output {
    let input = common::write(
        dir,
        "in.txt",
        "Skip to content\n\nThe council met on Monday.\n",
    );
    std::process::Command::new("sh")
        .args(["-c", "exec \"$0\" \"$@\" <\"$IN\" >&-"])
        .arg(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(args)
        .env("IN", input)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Issue 19 §3: output written to a stdout closed at start (`>&-`) is lost, so the run fails
/// (exit 1, named on stderr) instead of succeeding with nothing written; a run whose output goes
/// to files (`-o`) does not need stdout and succeeds; a stdout on `/dev/null` (opened on
/// purpose, read-write as Python's `subprocess.DEVNULL` opens it) is a place to write.
#[test]
fn a_closed_stdout_fails_a_run_that_writes_to_it() {
    let tmp = TempDir::new().unwrap();
    for args in [
        &["clean", "-"][..],
        &["rules"],
        &["--help"],
        &["generate", "man"],
    ] {
        let output = run_with_stdout_closed(tmp.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("stdout is closed (>&-)"),
            "{args:?}: {stderr}"
        );
    }
    let output = run_with_stdout_closed(tmp.path(), &["clean", "in.txt", "-o", "out", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/in.txt")).unwrap(),
        "The council met on Monday.\n"
    );
    let devnull = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "in.txt"])
        .current_dir(tmp.path())
        .stdout(Stdio::from(devnull))
        .status()
        .unwrap();
    assert!(status.success(), "{status:?}");
}
