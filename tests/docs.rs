//! The README's and docs' examples are real: every shell command in README.md and docs/*.md,
//! and every example that ends a command's `-h`, runs here (issue 22).
//!
//! Each fenced block of those files names its language, and the language says what is done
//! with it (a block without one fails the test, so that no command slips in unlabelled):
//!
//! - `console`: a session. A line starting with `$ ` is a command (a trailing `\` continues it);
//!   the lines up to the next command are what it prints, stdout and stderr as a terminal shows
//!   them (a doc that shows stdout alone says `2>/dev/null`). In the shown output, a line `...`
//!   (or `…`) stands for any number of lines, and `...` within a line for any text (timings).
//! - `sh`, `bash`: commands, one a line (a trailing `\` or a here-document continues one).
//! - anything else (`text`, `rust`, `toml`, `json`, `python`): not run here.
//!
//! Every command must exit with 0, unless [`SKIPPED`] lists it with the reason. The commands of
//! one file run in order, in a sandbox of their own that holds a copy of `corpus/` and
//! `patterns/` and the invented inputs the docs name (`crawl/`, `article.txt`, `in.jsonl`, …;
//! see [`sandbox`]), with `HOME` in the sandbox and the built `boilerstrip` first on `PATH`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

use common::write;

/// The commands that are not run, each with the reason. An entry that no longer occurs in the
/// docs fails the test, so the list stays as short as the docs allow.
const SKIPPED: &[(&str, &str)] = &[
    (
        "cargo install --path .",
        "builds a release binary and installs it into ~/.cargo/bin",
    ),
    (
        "cargo run --release -- clean corpus/input -o corpus-out",
        "a release build, minutes; the same run is checked by the session of README.md that \
         shows its summary",
    ),
    ("cargo test --locked", "the test suite that runs this test"),
    (
        "pip install ./python",
        "builds the Python package (PyPI, minutes); python/test.sh, run by .ci/run, does it",
    ),
    (
        "pip install maturin",
        "PyPI; python/test.sh, run by .ci/run, installs it",
    ),
    (
        "maturin build --release -m python/Cargo.toml",
        "a release build of the Python module (minutes); python/test.sh builds it",
    ),
    (
        "bash python/test.sh",
        "the Python package's build and tests (PyPI, minutes); .ci/run runs it",
    ),
    (
        "bench/run.sh -m 100 -n 20000 -w /dev/shm/bench",
        "the speed harness: minutes, a release build and ../shared/bench",
    ),
    (
        "bench/cv.sh -o cv-out",
        "cross-validation on ../shared/bench: about 5 minutes in release",
    ),
    (
        "boilerstrip train ../shared/bench -o models/default.bsm",
        "trains on ../shared/bench (minutes in a debug build); .ci/run runs it in release and \
         compares the model byte for byte",
    ),
    (
        "first=$(git log --reverse --format=%h -- src/model | head -1)",
        "the benchmark's before-and-after builds: a git history and two release builds",
    ),
    (
        "mkdir ../before && git archive \"$first^\" | tar -x -C ../before",
        "the benchmark's before-and-after builds",
    ),
    (
        "(cd ../before && cargo build --release --locked)",
        "the benchmark's before-and-after builds",
    ),
    (
        "bench/run.sh -m 100 -n 20000 -w /dev/shm/bench -b ../before/target/release/boilerstrip",
        "the speed harness on the build before: minutes, release builds and ../shared/bench",
    ),
    (
        "python3 - <<'EOF'",
        "the benchmark's input, made from ../shared/bench",
    ),
    (
        "for i in 1 2 3 4 5; do",
        "the benchmark's timing loop over two release builds",
    ),
    (
        "hadoop jar \"$HADOOP_HOME\"/share/hadoop/tools/lib/hadoop-streaming-*.jar \\",
        "needs a Hadoop cluster",
    ),
];

/// The documents whose commands run.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs: Vec<PathBuf> = fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, root.join("README.md"));
    docs
}

/// One command of a doc, with what it must print when the doc shows that.
#[derive(Debug)]
struct Example {
    /// `FILE:LINE`, for messages.
    place: String,
    command: String,
    /// The lines the doc shows under the command (sessions only).
    shown: Option<Vec<String>>,
}

/// The examples of one markdown file; an error for each block without a language.
fn examples(name: &str, text: &str) -> (Vec<Example>, Vec<String>) {
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(language) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or_else(|| panic!("{name}:{start}: unclosed block"));
        let body = &lines[start..end];
        let place = |k: usize| format!("{name}:{}", start + k + 1);
        match language.trim() {
            "" => errors.push(format!(
                "{name}:{start}: a block without a language: `console` for a session, `sh` for \
                 commands, `text` for anything else"
            )),
            "console" => found.extend(session(body, place)),
            "sh" | "bash" | "shell" => found.extend(commands(body, place)),
            _ => {}
        }
        i = end + 1;
    }
    (found, errors)
}

/// The commands of an `sh` block.
fn commands(body: &[&str], place: impl Fn(usize) -> String) -> Vec<Example> {
    let mut found = Vec::new();
    let mut k = 0;
    while k < body.len() {
        let first = k;
        if body[k].trim().is_empty() || body[k].trim_start().starts_with('#') {
            k += 1;
            continue;
        }
        let mut command = body[k].to_string();
        // A here-document runs to its terminator; `\` and an open `do`/`for` loop continue.
        let heredoc = command
            .split("<<")
            .nth(1)
            .map(|tag| tag.trim().trim_matches(['\'', '"', '-']).to_string());
        loop {
            let words = |word: &str| {
                let words = command.split(|c: char| c.is_whitespace() || c == ';');
                words.filter(|w| *w == word).count()
            };
            let open_loop = words("do") > words("done");
            let more = match &heredoc {
                Some(tag) => body[k].trim() != tag || k == first,
                None => command.ends_with('\\') || open_loop,
            };
            if !more || k + 1 >= body.len() {
                break;
            }
            k += 1;
            command.push('\n');
            command.push_str(body[k]);
        }
        found.push(Example {
            place: place(first),
            command,
            shown: None,
        });
        k += 1;
    }
    found
}

/// The commands of a `console` block, each with the lines shown under it.
fn session(body: &[&str], place: impl Fn(usize) -> String) -> Vec<Example> {
    let mut found: Vec<Example> = Vec::new();
    let mut k = 0;
    while k < body.len() {
        if let Some(first) = body[k].strip_prefix("$ ") {
            let start = k;
            let mut command = first.to_string();
            while command.ends_with('\\') && k + 1 < body.len() {
                k += 1;
                command.push('\n');
                command.push_str(body[k]);
            }
            found.push(Example {
                place: place(start),
                command,
                shown: Some(Vec::new()),
            });
        } else {
            let example = found
                .last_mut()
                .unwrap_or_else(|| panic!("{}: output before any `$ ` command", place(k)));
            example.shown.as_mut().unwrap().push(body[k].to_string());
        }
        k += 1;
    }
    found
}

/// Whether `got` is what the doc shows: `...` (or `…`) alone on a line stands for any lines,
/// `...` within a line for any text; trailing spaces do not count.
fn matches(shown: &[String], got: &[&str]) -> bool {
    let Some((first, rest)) = shown.split_first() else {
        return got.is_empty();
    };
    if matches!(first.trim(), "..." | "…") {
        return (0..=got.len()).any(|skip| matches(rest, &got[skip..]));
    }
    match got.split_first() {
        Some((line, got)) => line_matches(first.trim_end(), line.trim_end()) && matches(rest, got),
        None => false,
    }
}

/// A shown line against a printed one, `...` standing for any text.
fn line_matches(shown: &str, got: &str) -> bool {
    let mut pieces = shown.split("...");
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = got.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A directory with what the docs' commands read: copies of `corpus/` and `patterns/`, and the
/// invented inputs they name, made from the corpus.
fn sandbox() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    for tree in ["corpus", "patterns"] {
        copy_tree(&root.join(tree), &at.join(tree));
    }
    let input = |name: &str| fs::read_to_string(root.join("corpus/input").join(name)).unwrap();
    let names: Vec<String> = {
        let mut names: Vec<String> = fs::read_dir(root.join("corpus/input"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // A crawl of two sites, drafts and a `.text` file; single articles; stdin.
    for (k, name) in names.iter().take(8).enumerate() {
        let site = if k % 2 == 0 { "site-a" } else { "site-b" };
        write(at, &format!("crawl/{site}/{name}"), input(name));
    }
    write(at, "crawl/drafts/draft.txt", input(&names[8]));
    write(at, "crawl/site-a/notes.text", input(&names[9]));
    write(at, "article.txt", input("15-short-bridge-closed.txt"));
    write(at, "in.txt", input("08-hearing-aid-chip.txt"));
    // JSONL records with the text at `text` and at `meta.body`, and a URL to group by.
    let records: String = names
        .iter()
        .take(12)
        .enumerate()
        .map(|(k, name)| {
            let text = input(name);
            let record = serde_json::json!({
                "id": format!("doc-{k}"),
                "url": format!("https://www.site{}.example/{name}", k % 3),
                "text": text,
                "meta": {"body": text},
            });
            format!("{record}\n")
        })
        .collect();
    write(at, "in.jsonl", &records);
    // The same articles as a Parquet table (docs/parquet.md), in two row groups.
    write_parquet(&at.join("news.parquet"), &names[..12], input);
    // The records docs/jsonl.md shows with `cat`.
    write(
        at,
        "records.jsonl",
        concat!(
            r#"{"id":"doc-1","meta":{"body":"Skip to content\n\nThe bridge opened on Monday.\n\nLeave a Reply\nGreat post!"},"score":1e400}"#,
            "\n",
            r#"{"id":"doc-2","meta":{"body":"Share this:"}}"#,
            "\n",
            r#"{"id":"doc-3"}"#,
            "\n",
        ),
    );
    write(at, "dump.jsonl", &records);
    write(at, "dump/a.jsonl", &records);
    write(at, "dump/b.jsonl.gz", gzip(records.as_bytes()));
    write(
        at,
        "dump.jsonl.zst",
        zstd::encode_all(records.as_bytes(), 3).unwrap(),
    );
    // A WET file, as Common Crawl writes them (a gzip member per record): a warcinfo record and
    // two conversion records, for docs/usage.md's `--to jsonl`.
    let warc_record = |headers: &[(&str, &str)], block: &str| {
        let mut record = String::from("WARC/1.0\r\n");
        for (name, value) in headers {
            record.push_str(&format!("{name}: {value}\r\n"));
        }
        record.push_str(&format!(
            "Content-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        ));
        gzip(record.as_bytes())
    };
    let wet = [
        warc_record(
            &[
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", "<urn:uuid:0a000000-0000-4000-8000-000000000000>"),
                ("Content-Type", "application/warc-fields"),
            ],
            "software: hand-made\r\n",
        ),
        warc_record(
            &[
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", "https://news.example/bridge"),
                ("WARC-Date", "2024-05-01T10:00:00Z"),
                ("WARC-Record-ID", "<urn:uuid:0a000000-0000-4000-8000-000000000001>"),
                ("WARC-Identified-Content-Language", "eng"),
                ("Content-Type", "text/plain"),
            ],
            "Skip to content\nMayor Opens New Bridge\nThe bridge opened on Monday.\nLeave a Reply\n",
        ),
        warc_record(
            &[
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", "https://blog.example/garden"),
                ("WARC-Date", "2024-05-01T10:00:02Z"),
                ("WARC-Record-ID", "<urn:uuid:0a000000-0000-4000-8000-000000000002>"),
                ("Content-Type", "text/plain"),
            ],
            "A plain paragraph about gardening that nothing removes.\n",
        ),
    ];
    write(at, "CC-MAIN-1.warc.wet.gz", wet.concat());
    // Documents with gold text, for `train` and `eval`.
    let gold = |name: &str| fs::read_to_string(root.join("corpus/expected").join(name)).unwrap();
    let data: String = names
        .iter()
        .map(|name| {
            let kind = if name.contains("page-dump") {
                "page"
            } else {
                "article"
            };
            let record = serde_json::json!({
                "text": input(name), "gold": gold(name), "kind": kind, "group": name,
            });
            format!("{record}\n")
        })
        .collect();
    write(at, "data.jsonl", data);
    copy_tree(&root.join("corpus/input"), &at.join("pages"));
    copy_tree(&root.join("corpus/expected"), &at.join("gold"));
    dir
}

/// A Parquet table of the articles `names`: `id` (Int64), `url` and `text` (Utf8), zstd, six
/// rows to a row group.
fn write_parquet(path: &Path, names: &[String], input: impl Fn(&str) -> String) {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use parquet::{basic::Compression, file::properties::WriterProperties};
    let columns: [(&str, ArrayRef); 3] = [
        (
            "id",
            std::sync::Arc::new(Int64Array::from_iter_values(0..names.len() as i64)),
        ),
        (
            "url",
            std::sync::Arc::new(StringArray::from_iter_values(
                names
                    .iter()
                    .map(|name| format!("https://news.example/{name}")),
            )),
        ),
        (
            "text",
            std::sync::Arc::new(StringArray::from_iter_values(
                names.iter().map(|name| input(name)),
            )),
        ),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(Default::default()))
        .set_max_row_group_row_count(Some(6))
        .build();
    let file = fs::File::create(path).unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
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

/// Run `command` with bash in `dir`, stdout and stderr together; its exit status and output.
fn run(dir: &Path, command: &str) -> (std::process::ExitStatus, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_boilerstrip"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new("bash")
        .arg("-o")
        .arg("pipefail")
        .arg("-c")
        .arg(format!("( {command}\n) 2>&1"))
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Run the examples of one document in a sandbox of its own; the failures, described.
fn check(examples: &[Example], skipped_seen: &mut Vec<&'static str>) -> Vec<String> {
    let dir = sandbox();
    let mut failures = Vec::new();
    for example in examples {
        let first_line = example.command.lines().next().unwrap_or_default().trim();
        // An entry is the command's first line, without a trailing comment.
        let listed = |skip: &str| match first_line.strip_prefix(skip) {
            Some(rest) => rest.is_empty() || rest.trim_start().starts_with('#'),
            None => false,
        };
        if let Some((skip, _)) = SKIPPED.iter().find(|(skip, _)| listed(skip)) {
            skipped_seen.push(skip);
            continue;
        }
        let (status, output) = run(dir.path(), &example.command);
        if !status.success() {
            failures.push(format!(
                "{}: `{}` exited with {status}:\n{output}",
                example.place, example.command
            ));
            continue;
        }
        if let Some(shown) = &example.shown {
            let got: Vec<&str> = output.lines().collect();
            if !matches(shown, &got) {
                failures.push(format!(
                    "{}: `{}` printed what the doc does not show.\n--- shown\n{}\n--- got\n{}",
                    example.place,
                    example.command,
                    shown.join("\n"),
                    output
                ));
            }
        }
    }
    failures
}

#[test]
fn every_command_in_the_docs_runs() {
    let mut failures = Vec::new();
    let mut skipped_seen = Vec::new();
    let mut count = 0;
    for doc in documents() {
        let text = fs::read_to_string(&doc).unwrap();
        let name = doc.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let name = name.to_string_lossy().trim_start_matches('/').to_string();
        let (found, errors) = examples(&name, &text);
        count += found.len();
        failures.extend(errors);
        failures.extend(check(&found, &mut skipped_seen));
    }
    for (skip, why) in SKIPPED {
        if !skipped_seen.contains(skip) {
            failures.push(format!("skipped, but in no doc any more: `{skip}` ({why})"));
        }
    }
    assert!(count > 30, "only {count} commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The examples that end `-h` and `--help` run too.
#[test]
fn every_example_in_the_help_runs() {
    let mut failures = Vec::new();
    for command in ["clean", "mine", "train", "eval"] {
        let dir = sandbox();
        let (status, help) = run(dir.path(), &format!("boilerstrip {command} -h"));
        assert!(status.success(), "{command} -h");
        let (_, examples) = help.split_once("\nExamples:\n").unwrap();
        for line in examples.lines().take_while(|l| l.starts_with("  ")) {
            let (status, output) = run(dir.path(), line.trim());
            if !status.success() {
                failures.push(format!(
                    "{command} -h: `{line}` exited with {status}:\n{output}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The test's own reading of the docs: blocks, continuations, elisions.
#[test]
fn the_doc_reader_reads_what_it_should() {
    let doc = "text\n```\nbare\n```\n```sh\na \\\n  b\n# note\nc <<'EOF'\nx\nEOF\n```\n\
               ```console\n$ d\nout\n...\n$ e\n```\n```text\n$ not run\n```\n";
    let (found, errors) = examples("x.md", doc);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let commands: Vec<&str> = found.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(commands, ["a \\\n  b", "c <<'EOF'\nx\nEOF", "d", "e"]);
    assert_eq!(
        found[2].shown.as_deref(),
        Some(&["out".into(), "...".into()][..])
    );
    assert_eq!(found[2].place, "x.md:14");
    let shown = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a", "...", "z"]), &["a", "b", "c", "z"]));
    assert!(matches(&shown(&["a", "…"]), &["a"]));
    assert!(matches(
        &shown(&["in ...s, ... MB/s"]),
        &["in 0.02s, 3.9 MB/s"]
    ));
    assert!(!matches(&shown(&["in ...s"]), &["in 0.02"]));
    assert!(!matches(&shown(&["a"]), &["a", "b"]));
    assert!(matches(&shown(&["x  "]), &["x"]));
}
