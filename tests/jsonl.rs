//! JSONL through the binary: byte-exact pass-through of other fields, order at any thread
//! count, bad lines per `--on-error`, gzip and zstd in and out, `--annotate`, `--drop-empty`,
//! directory batches, dry runs, and the way a distributed engine runs the mapper.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::{boilerstrip, gunzip, gzip};

/// Run `clean --format jsonl ARGS -` on `input`; returns (exit code, stdout, stderr).
fn run_stdin(args: &[&str], input: &[u8]) -> (i32, Vec<u8>, String) {
    let output = boilerstrip()
        .args(["clean", "--format", "jsonl"])
        .args(args)
        .arg("-")
        .write_stdin(input)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Assert equal texts, printing both and the first differing line.
fn assert_text(what: &str, want: &str, got: &str) {
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        panic!(
            "{what}: output differs at line {}\n--- expected\n{want}\n--- got\n{got}",
            line + 1
        );
    }
}

/// A record per corpus document, cycled to `n` records, each with an id and odd fields.
fn corpus_jsonl(n: usize) -> String {
    let mut docs: Vec<(String, String)> = fs::read_dir("corpus/input")
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    docs.sort();
    let mut out = String::new();
    for i in 0..n {
        let (name, text) = &docs[i % docs.len()];
        let text = serde_json::to_string(text).unwrap();
        out.push_str(&format!(
            "{{\"id\":\"{name}-{i}\",\"n\":{i},\"text\":{text},\"score\":1e400}}\n"
        ));
    }
    out
}

#[test]
fn other_fields_pass_through_byte_for_byte() {
    let input = concat!(
        r#"{"z":1e400,"neg":-0.0,"big":123456789012345678901234567890,"e":"caf\u00e9 \ud83d\ude00","text":"Skip to content\n\nThe bridge opened.","nested":{"b":[1,2,{"c":null}],"a":{"x":"\"q\""}},"t":true}"#,
        "\n",
        "{ \"text\" : \"Accessibility links\\nBody.\" ,  \"after\" : [ 1 , 2 ] }\r\n",
        r#"{"text":"Unchanged, with an escape: caf\u00e9.","x":1E+2}"#,
        "\n",
    );
    let want = concat!(
        r#"{"z":1e400,"neg":-0.0,"big":123456789012345678901234567890,"e":"caf\u00e9 \ud83d\ude00","text":"The bridge opened.","nested":{"b":[1,2,{"c":null}],"a":{"x":"\"q\""}},"t":true}"#,
        "\n",
        "{ \"text\" : \"Body.\" ,  \"after\" : [ 1 , 2 ] }\r\n",
        r#"{"text":"Unchanged, with an escape: caf\u00e9.","x":1E+2}"#,
        "\n",
    );
    let (code, out, err) = run_stdin(&[], input.as_bytes());
    assert_eq!((code, err.as_str()), (0, ""));
    assert_text("round trip", want, &String::from_utf8(out).unwrap());
}

#[test]
fn nested_field_and_a_last_line_without_newline() {
    let input = r#"{"id":1,"doc":{"body":"Skip to content\nText."}}"#;
    let (code, out, _) = run_stdin(&["--field", "doc.body"], input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"id\":1,\"doc\":{\"body\":\"Text.\"}}\n"
    );
}

#[test]
fn order_is_preserved_at_any_thread_count() {
    let input = corpus_jsonl(3000);
    let (code1, out1, _) = run_stdin(&["-j1"], input.as_bytes());
    let (code2, out2, _) = run_stdin(&["-j2"], input.as_bytes());
    assert_eq!((code1, code2), (0, 0));
    assert!(out1 == out2, "-j1 and -j2 differ");
    let out = String::from_utf8(out1).unwrap();
    assert_eq!(out.lines().count(), 3000);
    // Each line is the library's result for the same input line, in input order.
    let cleaner = boilerstrip::Cleaner::new();
    let options = boilerstrip::jsonl::Options::new();
    for (i, (got, line)) in out.lines().zip(input.lines()).enumerate() {
        let want = options.clean_line(&cleaner, line).unwrap();
        assert_eq!(Some(got), want.line.as_deref(), "record {i}");
        assert!(
            got.contains(&format!("\"n\":{i},")),
            "record {i} out of order"
        );
    }
}

#[test]
fn bad_lines_follow_the_policy_and_are_reported_with_line_numbers() {
    let input = concat!(
        "{\"id\":\"a\",\"text\":\"Skip to content\\nOne.\"}\n",
        "{\"id\":\"b\",\"text\":\"Two.\"\n",
        "{\"id\":\"c\",\"body\":\"Three.\"}\n",
        "{\"id\":\"d\",\"text\":4}\n",
        "{\"id\":\"e\",\"text\":\"Five.\"}\n",
    );
    let bad = [
        "{\"id\":\"b\",\"text\":\"Two.\"\n",
        "{\"id\":\"c\",\"body\":\"Three.\"}\n",
        "{\"id\":\"d\",\"text\":4}\n",
    ];

    // keep (the default): passed through unchanged, with a warning each.
    let (code, out, err) = run_stdin(&["--summary", "--id-field", "id"], input.as_bytes());
    assert_eq!(code, 0);
    let want = input.replace("Skip to content\\n", "");
    assert_text("keep", &want, &String::from_utf8(out).unwrap());
    assert!(
        err.contains(
            "warning: <stdin>:2: malformed JSON at column 23: EOF while parsing an object"
        ),
        "{err}"
    );
    assert!(
        err.contains("<stdin>:3 (id c): no field \"text\"; passed through unchanged"),
        "{err}"
    );
    assert!(
        err.contains("<stdin>:4 (id d): field \"text\" is a number, not a string"),
        "{err}"
    );
    assert!(
        err.contains(
            "bad records: 1 malformed, 1 missing-field, 1 not-a-string (passed through unchanged)"
        ),
        "{err}"
    );

    // skip: left out, with a warning each.
    let (code, out, err) = run_stdin(&["--on-error", "skip"], input.as_bytes());
    assert_eq!(code, 0);
    let mut want = input.replace("Skip to content\\n", "");
    for line in bad {
        want = want.replace(line, "");
    }
    assert_text("skip", &want, &String::from_utf8(out).unwrap());
    assert_eq!(err.matches("; skipped").count(), 3, "{err}");

    // fail: stop at the first bad line, exit 1; the records before it were written.
    let (code, out, err) = run_stdin(&["--on-error", "fail"], input.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"id\":\"a\",\"text\":\"One.\"}\n"
    );
    assert!(err.contains("error: <stdin>:2: malformed JSON"), "{err}");
}

#[test]
fn a_bad_line_in_a_file_names_the_file_and_fail_writes_no_output() {
    let dir = TempDir::new().unwrap();
    let src = dir.path().join("in/part.jsonl");
    fs::create_dir_all(src.parent().unwrap()).unwrap();
    fs::write(&src, "{\"text\":\"A.\"}\nnope\n").unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .args(["clean", "-q"])
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("part.jsonl")).unwrap(),
        "{\"text\":\"A.\"}\nnope\n"
    );
    let out2 = dir.path().join("out2");
    boilerstrip()
        .args(["clean", "--on-error", "fail"])
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(&out2)
        .assert()
        .code(1)
        .stderr(contains("part.jsonl:2: malformed JSON at column 2"))
        .stderr(contains("1 failed"));
    assert!(!out2.join("part.jsonl").exists());
}

#[test]
fn annotate_and_drop_empty() {
    let input = concat!(
        "{\"text\":\"Skip to content\\nThe body.\\nLeave a Reply\\nNice!\"}\n",
        "{\"text\":\"Skip to content\"}\n",
        "{\"text\":\"Body.\"}\n",
    );
    let (code, out, err) = run_stdin(
        &["--annotate=bs", "--drop-empty", "--summary"],
        input.as_bytes(),
    );
    assert_eq!(code, 0);
    assert_text(
        "annotate and drop-empty",
        concat!(
            r#"{"text":"The body.","bs":{"lines_removed":3,"lines_changed":0,"rules":{"NAV001":1,"WP003":2}}}"#,
            "\n",
            r#"{"text":"Body.","bs":{"lines_removed":0,"lines_changed":0,"rules":{}}}"#,
            "\n",
        ),
        &String::from_utf8(out).unwrap(),
    );
    assert!(
        err.contains("records: 1 dropped (text came out empty)"),
        "{err}"
    );

    // The default name, and without --drop-empty the emptied record stays.
    let (_, out, _) = run_stdin(&["--annotate"], input.as_bytes());
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), 3);
    assert!(out
        .lines()
        .nth(1)
        .unwrap()
        .starts_with(r#"{"text":"","boilerstrip":{"#));
}

/// An annotation named as the cleaned field is a usage error, not a lost field (or a panic).
#[test]
fn annotate_over_the_field_is_refused() {
    let input = "{\"doc\":{\"body\":\"Skip to content\\nThe body.\"}}\n";
    for args in [
        &["--annotate=text"][..],
        &["--field", "doc.body", "--annotate=doc"],
    ] {
        let (code, out, err) = run_stdin(args, input.as_bytes());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(
            err.contains("would write over the field being cleaned"),
            "{args:?}: {err}"
        );
    }
    let (code, out, _) = run_stdin(
        &["--field", "doc.body", "--annotate=body"],
        input.as_bytes(),
    );
    assert_eq!(code, 0);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"doc\":{\"body\":\"The body.\"},\"body\":{\"lines_removed\":1,\"lines_changed\":0,\"rules\":{\"NAV001\":1}}}\n"
    );
}

/// `--annotate NAME` (without `=`) took NAME for an input file (issue 22): the name needs
/// `--annotate=NAME`, and a missing input right after a bare `--annotate` says so.
#[test]
fn annotate_takes_its_name_only_after_an_equals_sign() {
    let dir = TempDir::new().unwrap();
    let input = common::write(
        dir.path(),
        "in.jsonl",
        "{\"text\":\"Skip to content\\nA.\"}\n",
    );
    let out = dir.path().join("out");
    boilerstrip()
        .current_dir(dir.path())
        .args(["clean", "--annotate", "stats", "in.jsonl", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("\"stats\" follows --annotate"))
        .stderr(contains("write --annotate=stats"));
    assert!(!out.join("in.jsonl").exists(), "nothing is cleaned");
    boilerstrip()
        .args(["clean", "--annotate=stats"])
        .arg(&input)
        .assert()
        .success()
        .stdout(contains("\"stats\":{\"lines_removed\":1"));
    // The help says how the name is given.
    let help = boilerstrip().args(["clean", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("--annotate[=<NAME>]"), "{help}");
    assert!(help.contains("--annotate=NAME"), "{help}");
}

/// A field path with an empty key is a usage error, not a warning for every record.
#[test]
fn an_empty_key_in_a_field_path_is_refused() {
    for args in [
        &["--field="][..],
        &["--field", "meta..body"],
        &["--id-field", "id."],
    ] {
        let (code, out, err) = run_stdin(args, b"{\"text\":\"Body.\"}\n");
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.contains("a key is empty"), "{args:?}: {err}");
    }
}

#[test]
fn gzip_and_zstd_in_and_out() {
    let input = corpus_jsonl(200);
    let (_, want, _) = run_stdin(&[], input.as_bytes());
    let dir = TempDir::new().unwrap();
    let src = dir.path().join("in");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.jsonl.gz"), gzip(input.as_bytes())).unwrap();
    fs::write(
        src.join("b.jsonl.zst"),
        zstd::encode_all(input.as_bytes(), 3).unwrap(),
    )
    .unwrap();
    // Misnamed: gzip bytes in a .jsonl file are found by their magic bytes.
    fs::write(src.join("c.jsonl"), gzip(input.as_bytes())).unwrap();
    fs::write(src.join("notes.txt"), "Skip to content\n\nText.\n").unwrap();
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("601 documents cleaned"));
    let a = fs::read(out.join("a.jsonl.gz")).unwrap();
    assert_eq!(&a[..2], &[0x1f, 0x8b], "gzip out for a .gz name");
    assert!(gunzip(&a) == want);
    let b = fs::read(out.join("b.jsonl.zst")).unwrap();
    assert_eq!(
        &b[..4],
        &[0x28, 0xb5, 0x2f, 0xfd],
        "zstd out for a .zst name"
    );
    assert!(zstd::decode_all(&b[..]).unwrap() == want);
    assert!(
        fs::read(out.join("c.jsonl")).unwrap() == want,
        "plain out for a plain name"
    );
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap(),
        "Text.\n"
    );

    // --compress renames the outputs; stdin is detected, stdout compressed when asked.
    let out2 = dir.path().join("out2");
    boilerstrip()
        .args(["clean", "-q", "--compress", "zstd"])
        .arg(&src)
        .arg("-o")
        .arg(&out2)
        .assert()
        .success();
    let b = fs::read(out2.join("a.jsonl.zst")).unwrap();
    assert!(zstd::decode_all(&b[..]).unwrap() == want);
    let (code, out, _) = run_stdin(
        &["--compress", "gzip"],
        &zstd::encode_all(input.as_bytes(), 3).unwrap(),
    );
    assert_eq!(code, 0);
    assert!(gunzip(&out) == want);
    // The extensions name them too.
    let (code, out, _) = run_stdin(&["--compress", "gz"], input.as_bytes());
    assert_eq!(code, 0);
    assert!(gunzip(&out) == want);
    let (code, out, _) = run_stdin(&["--compress", "zst"], input.as_bytes());
    assert_eq!(code, 0);
    assert!(zstd::decode_all(&out[..]).unwrap() == want);
}

#[test]
fn format_decides_which_files_a_walk_takes() {
    let dir = TempDir::new().unwrap();
    let src = dir.path().join("in");
    fs::create_dir_all(src.join("sub")).unwrap();
    fs::write(
        src.join("sub/a.jsonl"),
        "{\"text\":\"Skip to content\\nA.\"}\n",
    )
    .unwrap();
    fs::write(src.join("b.txt"), "Skip to content\n\nB.\n").unwrap();
    let names = |format: &str| -> Vec<PathBuf> {
        let out = dir.path().join(format!("out-{format}"));
        let mut cmd = boilerstrip();
        cmd.args(["clean", "-q"]).arg(&src).arg("-o").arg(&out);
        if !format.is_empty() {
            cmd.args(["--format", format]);
        }
        cmd.assert().success();
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&out).unwrap().to_path_buf())
            .collect();
        files.sort();
        files
    };
    let both = vec![PathBuf::from("b.txt"), Path::new("sub").join("a.jsonl")];
    assert_eq!(names(""), both);
    assert_eq!(names("text"), vec![PathBuf::from("b.txt")]);
    assert_eq!(names("jsonl"), vec![Path::new("sub").join("a.jsonl")]);
    assert_eq!(
        fs::read_to_string(dir.path().join("out-/sub/a.jsonl")).unwrap(),
        "{\"text\":\"A.\"}\n"
    );
}

#[test]
fn dry_run_names_the_record() {
    let input = concat!(
        "{\"id\":\"x1\",\"text\":\"Same.\"}\n",
        "{\"id\":\"x2\",\"text\":\"Skip to content\\nBody.\"}\n",
    );
    let (code, out, _) = run_stdin(&["--dry-run"], input.as_bytes());
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("--- a/<stdin>:2\n+++ b/<stdin>:2\n"),
        "{out}"
    );
    assert!(out.contains("-Skip to content\n"), "{out}");
    let (_, out, _) = run_stdin(&["--dry-run", "--id-field", "id"], input.as_bytes());
    assert!(String::from_utf8(out)
        .unwrap()
        .starts_with("--- a/<stdin>:x2\n"));
}

#[test]
fn a_closed_pipe_ends_the_stream_quietly() {
    let input = corpus_jsonl(20_000);
    let mut child = Process::new(env!("CARGO_BIN_EXE_boilerstrip"))
        .args(["clean", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes()); // fails once the process has gone
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Regression (issue 21): a co-process (datatrove runs one per worker) writes one record, then
/// waits for its answer before it writes the next. The answer came only at the end of the
/// input, so both sides waited for ever. Each record is answered as soon as the input pauses,
/// at any thread count and for a record passed through in pieces too, and the answers are the
/// bytes one run over the whole input gives.
#[test]
fn a_co_process_gets_each_answer_before_it_writes_the_next_record() {
    let mut records: Vec<String> = corpus_jsonl(20)
        .split_inclusive('\n')
        .map(String::from)
        .collect();
    records.insert(5, "not json\n".to_string());
    records.insert(9, "\n".to_string());
    // Longer than a pipe holds (64 KiB), so it arrives in pieces; over the limit of the last
    // run, which passes it through in pieces.
    let docs: Vec<PathBuf> = fs::read_dir("corpus/input")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let mut text = String::new();
    for doc in docs.iter().cycle() {
        text.push_str(&fs::read_to_string(doc).unwrap());
        if text.len() > 120_000 {
            break;
        }
    }
    let text = serde_json::to_string(&text).unwrap();
    records.insert(12, format!("{{\"id\":\"big\",\"text\":{text}}}\n"));
    let input = records.concat();
    let runs: [&[&str]; 3] = [&["-j1"], &["-j2"], &["-j2", "--max-doc-bytes", "100000"]];
    let mut answered = Vec::new();
    for args in runs {
        let (code, whole, _) = run_stdin(args, input.as_bytes());
        assert_eq!(code, 0, "{args:?}");
        let answers = converse(args, &records);
        assert_text(
            &format!("answers with {args:?}"),
            &String::from_utf8(whole).unwrap(),
            &String::from_utf8(answers.clone()).unwrap(),
        );
        answered.push(answers);
    }
    assert!(answered[0] == answered[1], "-j1 and -j2 answer differently");
}

/// Regression (issue 21): the first bytes were read to sniff compression until there were four;
/// a co-process whose first record is shorter waited for ever.
#[test]
fn a_co_process_whose_first_record_is_shorter_than_a_magic_number_is_answered() {
    let records = [
        "\n".to_string(),
        "{\"text\":\"Skip to content\\nA.\"}\n".to_string(),
    ];
    let answers = converse(&[], &records);
    assert_eq!(String::from_utf8(answers).unwrap(), "\n{\"text\":\"A.\"}\n");
}

/// Run `clean --format jsonl ARGS -` as a co-process: write each record, then read its answer
/// (one line) before writing the next. Fails when an answer takes more than a few seconds.
fn converse(args: &[&str], records: &[String]) -> Vec<u8> {
    let mut child = Process::new(env!("CARGO_BIN_EXE_boilerstrip"))
        .args(["clean", "--format", "jsonl", "-q"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let (tx, answers) = mpsc::channel();
    std::thread::spawn(move || loop {
        let mut line = Vec::new();
        match std::io::BufRead::read_until(&mut stdout, b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if tx.send(line).is_err() {
                    return;
                }
            }
        }
    });
    let mut got = Vec::new();
    for (i, record) in records.iter().enumerate() {
        stdin.write_all(record.as_bytes()).unwrap();
        stdin.flush().unwrap();
        match answers.recv_timeout(Duration::from_secs(10)) {
            Ok(answer) => got.extend(answer),
            Err(_) => {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("{args:?}: no answer to record {} within 10 s", i + 1);
            }
        }
    }
    drop(stdin);
    assert!(child.wait().unwrap().success(), "{args:?}");
    assert!(answers.recv().is_err(), "{args:?}: more lines than records");
    got
}

/// The way Spark's `RDD.pipe` and Hadoop Streaming run a mapper: the input is cut into splits
/// at line boundaries, each split goes through its own process, and the outputs are
/// concatenated. The result must equal one run over the whole input.
#[test]
fn engine_style_splits_through_separate_processes_equal_one_run() {
    let mut input = corpus_jsonl(500);
    input.push_str("not json\n{\"text\":7}\n\n{\"text\":\"Skip to content\"}"); // no final LF
    let (code, whole, _) = run_stdin(&["-q"], input.as_bytes());
    assert_eq!(code, 0);

    let lines: Vec<&str> = input.split_inclusive('\n').collect();
    let mut joined = Vec::new();
    let mut splits = 0;
    for split in lines.chunks(37) {
        let mut child = Process::new(env!("CARGO_BIN_EXE_boilerstrip"))
            .args(["clean", "--format", "jsonl", "-q", "-j1", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let text = split.concat();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || stdin.write_all(text.as_bytes()).unwrap());
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        assert!(output.status.success());
        joined.extend(output.stdout);
        splits += 1;
    }
    assert!(splits > 10);
    assert_text(
        "concatenated splits",
        &String::from_utf8(whole).unwrap(),
        &String::from_utf8(joined).unwrap(),
    );
}

/// Regression: `--field body` (a typo for `text`) warned once per record, reported "0 failed",
/// exited 0 and wrote the input back unchanged. A field that no record of a file has is an
/// error for that file, and repeated warnings of one kind are capped.
#[test]
fn a_field_no_record_has_fails_the_file_and_warnings_are_capped() {
    let dir = tempfile::TempDir::new().unwrap();
    let records: String = (0..40)
        .map(|k| format!("{{\"id\":{k},\"text\":\"Skip to content\\nThe text.\"}}\n"))
        .collect();
    let input = dir.path().join("in/dump.jsonl");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    std::fs::write(&input, &records).unwrap();
    let out = dir.path().join("out");
    let run = boilerstrip()
        .arg("clean")
        .arg(dir.path().join("in"))
        .args(["--field", "body", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("no record has the field \"body\""),
        "{stderr}"
    );
    assert_eq!(stderr.matches("no field \"body\"").count(), 5, "{stderr}");
    assert!(
        stderr.contains("35 more missing-field lines not shown"),
        "{stderr}"
    );
    assert!(
        !out.join("dump.jsonl").exists(),
        "no output is written for a failed file"
    );
    // One record with the field: the others are warnings, the file is cleaned.
    let mixed = format!("{{\"body\":\"Skip to content\\nText.\"}}\n{records}");
    boilerstrip()
        .args(["clean", "--format", "jsonl", "--field", "body", "-"])
        .write_stdin(mixed)
        .assert()
        .success()
        .stdout(predicates::str::starts_with("{\"body\":\"Text.\"}\n"));
}

/// `--max-removed` held back text documents only: a JSONL record that cleaning would gut was
/// gutted. Now a record over it is passed through as it came (its line byte for byte), warned
/// about with its line and id (a few, then a count), counted and listed as quarantined, at any
/// thread count.
#[test]
fn a_record_over_max_removed_passes_through_as_it_came() {
    let junk = |k: usize| {
        format!(
            "{{\"id\":\"j{k}\",\"text\":\"Skip to content\\nShare this article\\nSubscribe to our \
             newsletter\\nok\"}}"
        )
    };
    let good =
        r#"{"id":"g","text":"Skip to content\nThe bridge opened on Monday after years of work."}"#;
    let mut input = format!("{good}\n");
    for k in 0..7 {
        input.push_str(&junk(k));
        input.push('\n');
    }
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let (code, stdout, stderr) = run_stdin(
            &[
                "-j",
                threads,
                "--id-field",
                "id",
                "--max-removed",
                "0.5",
                "--summary",
            ],
            input.as_bytes(),
        );
        assert_eq!(code, 0, "{stderr}");
        let stdout = String::from_utf8(stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"id":"g","text":"The bridge opened on Monday after years of work."}"#
        );
        for (k, line) in lines[1..].iter().enumerate() {
            assert_eq!(*line, junk(k), "record {} passed through as it came", k + 2);
        }
        assert!(
            stderr.contains(
                "<stdin>:2 (id j0): cleaning would remove 96.9% of its bytes, over \
                 --max-removed: left uncleaned"
            ),
            "{stderr}"
        );
        assert_eq!(
            stderr.matches("over --max-removed: left").count(),
            5,
            "{stderr}"
        );
        assert!(
            stderr.contains("2 more quarantined lines not shown"),
            "{stderr}"
        );
        assert!(
            stderr.contains("quarantined: 7 document(s) over --max-removed"),
            "{stderr}"
        );
        assert!(stderr.contains("96.9%  <stdin>:j6"), "{stderr}");
        outputs.push(stdout);
    }
    assert_eq!(outputs[0], outputs[1], "-j1 and -j4");
}

/// On a terminal, one JSONL file showed `0/1 docs` for the whole run (issue 20 §7): its
/// progress goes by the bytes read, with the records done and their rate, thousands separated.
/// `script` (util-linux) gives the run a terminal; off a terminal nothing is drawn.
#[test]
fn one_jsonl_file_shows_progress_by_bytes_and_records_on_a_terminal() {
    let dir = TempDir::new().unwrap();
    let input = common::write(dir.path(), "in.jsonl", corpus_jsonl(2000));
    boilerstrip()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("off"))
        .assert()
        .success()
        .stderr(contains("records/s").not());
    let has_script = Process::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_script {
        eprintln!("skipped the terminal: no util-linux script(1)");
        return;
    }
    let command = format!(
        "{} clean {} -o {}",
        assert_cmd::cargo::cargo_bin("boilerstrip").display(),
        input.display(),
        dir.path().join("out").display()
    );
    let run = Process::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .output()
        .unwrap();
    let drawn = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{drawn}");
    assert!(drawn.contains(" records/s"), "{drawn}");
    assert!(
        drawn.contains(",000 records") || drawn.contains("2,000 records"),
        "{drawn}"
    );
    assert!(drawn.contains("MiB/") || drawn.contains("KiB/"), "{drawn}");
    assert!(!drawn.contains(" docs "), "no bar of documents: {drawn}");
}
