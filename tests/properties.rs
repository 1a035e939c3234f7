//! Invariants of cleaning, checked on generated documents (proptest).
//!
//! The documents mix paragraphs of the corpus, junk lines taken from the rules' own `remove`
//! examples, random Unicode, control characters and CR/LF/blank lines. Each property runs a
//! fixed number of cases from a fixed seed, so CI is fast and repeatable; for a longer run set
//! `PROPTEST_CASES` (e.g. `PROPTEST_CASES=20000 cargo test --release --test integration properties::`) and,
//! for other inputs than CI's, `PROPTEST_RNG_SEED`.
//!
//! Properties:
//! - idempotence: `clean(clean(x)) == clean(x)`;
//! - nothing invented: every word of the output occurs in the normalized input;
//! - shape: NFC, LF only, no control characters, no blank line at either end, exactly one final
//!   newline or empty;
//! - never panics: on any string, on any pattern set that passes validation, on any JSONL line;
//! - determinism: the binary writes the same bytes with `-j1`, `-j2` and `-j8`.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use boilerstrip::{jsonl, normalize, Cleaner};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use unicode_normalization::is_nfc;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CI_CASES: u32 = 256;

/// The seed CI runs with unless `PROPTEST_RNG_SEED` says otherwise.
const CI_SEED: u64 = 0x5eed_b0b5;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CI_CASES);
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CI_SEED);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::new)
}

/// Paragraphs of the corpus inputs.
fn corpus_paragraphs() -> &'static [String] {
    static PARAGRAPHS: OnceLock<Vec<String>> = OnceLock::new();
    PARAGRAPHS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/input");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("corpus/input")
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .split("\n\n")
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

/// The `remove` examples of every default rule: lines the cleaner is meant to find.
fn junk_lines() -> &'static [String] {
    static JUNK: OnceLock<Vec<String>> = OnceLock::new();
    JUNK.get_or_init(|| {
        cleaner()
            .rules()
            .iter()
            .flat_map(|r| r.remove.iter().cloned())
            .collect()
    })
}

/// One piece of a generated document.
fn piece() -> impl Strategy<Value = String> {
    let paragraphs = corpus_paragraphs().len();
    let junk = junk_lines().len();
    prop_oneof![
        4 => (0..paragraphs).prop_map(|i| corpus_paragraphs()[i].clone()),
        4 => (0..junk).prop_map(|i| junk_lines()[i].clone()),
        // A line of a corpus paragraph: cut where links were, it may be rejoined.
        2 => (0..paragraphs, any::<prop::sample::Index>()).prop_map(|(i, k)| {
            let words: Vec<&str> = corpus_paragraphs()[i].split(' ').collect();
            let cut = k.index(words.len());
            words[..cut.max(1)].join(" ")
        }),
        2 => "\\PC{0,40}",
        1 => any::<String>(),
        1 => "[ \t\u{a0}\u{200b}\u{feff}\u{301}e\u{1b}\r\n.!?\"”»-]{0,12}",
        1 => Just(String::new()),
    ]
}

/// How pieces are separated.
fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n \n", "\n\n\n", " ",
    ])
}

/// A generated document.
fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), separator()), 0..24).prop_map(|parts| {
        let mut doc = String::new();
        for (piece, sep) in parts {
            doc.push_str(&piece);
            doc.push_str(sep);
        }
        doc
    })
}

/// What is wrong with the shape of a cleaned text, if anything.
fn shape_error(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return None;
    }
    if !is_nfc(text) {
        return Some("not NFC");
    }
    if text.contains('\r') {
        return Some("has a CR");
    }
    if text.chars().any(|c| c != '\n' && c.is_control()) {
        return Some("has a control character");
    }
    if !text.ends_with('\n') || text.ends_with("\n\n") {
        return Some("does not end with exactly one newline");
    }
    if text.starts_with('\n') {
        return Some("starts with a blank line");
    }
    if text.contains("\n\n\n") {
        return Some("has two blank lines in a row");
    }
    if text.lines().any(|l| l != l.trim_matches(' ')) {
        return Some("has a line with spaces at an end");
    }
    None
}

fn check_invariants(cleaner: &Cleaner, input: &str) -> Result<(), TestCaseError> {
    let once = cleaner.clean(input).text;
    if let Some(problem) = shape_error(&once) {
        return Err(TestCaseError::fail(format!(
            "output {problem}: input {input:?}, output {once:?}"
        )));
    }
    let twice = cleaner.clean(&once).text;
    prop_assert_eq!(&twice, &once, "not idempotent on input {:?}", input);
    let normalized = normalize(input);
    for word in once.split([' ', '\n']).filter(|w| !w.is_empty()) {
        prop_assert!(
            normalized.contains(word),
            "word {:?} invented: input {:?}, output {:?}",
            word,
            input,
            once
        );
    }
    Ok(())
}

#[test]
fn cleaning_generated_documents_keeps_the_invariants() {
    let mut runner = TestRunner::new(config());
    runner
        .run(&document(), |doc| check_invariants(cleaner(), &doc))
        .unwrap();
}

#[test]
fn cleaning_arbitrary_strings_keeps_the_invariants() {
    let mut runner = TestRunner::new(config());
    runner
        .run(&any::<String>(), |s| check_invariants(cleaner(), &s))
        .unwrap();
}

#[test]
fn cleaning_with_folded_punctuation_keeps_the_shape_and_is_idempotent() {
    let folded = Cleaner::builder().fold_punctuation(true).build().unwrap();
    let mut runner = TestRunner::new(config());
    runner
        .run(&document(), |doc| {
            let once = folded.clean(&doc).text;
            prop_assert_eq!(shape_error(&once), None, "output {:?}", once);
            prop_assert_eq!(&folded.clean(&once).text, &once, "input {:?}", doc);
            Ok(())
        })
        .unwrap();
}

/// A TOML string literal of `text`.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A regex built of parts that compile (words, classes, groups, repeats, anchors), so that
/// most generated rules load; a raw string of regex characters now and then, which mostly do
/// not, for the refusals.
fn regex() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[a-zA-Z]{1,8}",
        Just("\\d+".to_string()),
        Just("\\w+".to_string()),
        Just("\\s*".to_string()),
        Just("[a-z]+".to_string()),
        Just(".*".to_string()),
        "[a-z]{1,5}\\|[a-z]{1,5}".prop_map(|alternatives| format!("({alternatives})")),
        "[a-z]{1,5}".prop_map(|word| format!("(?:{word})?")),
    ];
    let built = (
        any::<bool>(),
        "[a-zA-Z]{1,6}",
        prop::collection::vec(atom, 0..4),
        any::<bool>(),
    )
        .prop_map(|(start, word, atoms, end)| {
            // A word of letters first: the regex never matches the empty string.
            let caret = if start { "^" } else { "" };
            let dollar = if end { "$" } else { "" };
            format!("{caret}{word}{}{dollar}", atoms.concat())
        });
    prop_oneof![
        5 => built,
        1 => "[a-z.*+?|()\\[\\]^$\\\\dws{}0-9,]{1,16}",
    ]
}

/// A rule in TOML, with generated parts. Most load; those that do not (a raw regex that does
/// not compile, a phrase of spaces) are counted, and only those that load are used to clean.
fn pattern_file() -> impl Strategy<Value = String> {
    let matcher = prop_oneof![
        "[a-zA-Z.][a-zA-Z .]{0,10}[a-zA-Z.]"
            .prop_map(|p| format!("phrases = [{}]", toml_string(&p))),
        "\\PC{1,8}".prop_map(|p| format!("phrases = [{}]", toml_string(p.trim()))),
        regex().prop_map(|r| format!("regex = {}", toml_string(&r))),
    ];
    // A strip needs the match at the end it strips.
    let mode_and_action = prop_oneof![
        (
            prop::sample::select(vec!["line", "starts", "ends", "contains"]),
            prop::sample::select(vec!["drop", "cut-tail", "cut-head"]),
        ),
        Just(("starts", "strip-prefix")),
        Just(("ends", "strip-suffix")),
    ];
    let zone = prop::sample::select(vec![
        "",
        "zone = \"head\"",
        "zone = \"tail\"\nzone_lines = 2",
        "zone = \"edges\"\nzone_lines = 1",
    ]);
    let max_len = prop::option::of(1usize..200);
    prop::collection::vec(
        (matcher, mode_and_action, zone, max_len, any::<bool>()),
        1..4,
    )
    .prop_map(|rules| {
        let mut toml = String::from("[set]\nname = \"gen\"\n");
        for (k, (matcher, (mode, action), zone, max_len, case)) in rules.into_iter().enumerate() {
            toml.push_str(&format!(
                "[[rule]]\nid = \"GEN{k}\"\nwhy = \"generated\"\n{matcher}\nmatch = \"{mode}\"\n\
                 action = \"{action}\"\ncase_sensitive = {case}\n{zone}\nremove = [\"x\"]\n"
            ));
            if let Some(n) = max_len {
                toml.push_str(&format!("max_len = {n}\n"));
            }
        }
        toml
    })
}

#[test]
fn any_valid_pattern_set_cleans_without_panicking() {
    // Only the generated files that load clean anything: if most were refused, the property
    // would hold of nearly nothing, so the share that loads has a floor.
    let (cases, loaded) = (AtomicU32::new(0), AtomicU32::new(0));
    let mut runner = TestRunner::new(config());
    runner
        .run(&(pattern_file(), document()), |(toml, doc)| {
            let case = cases.fetch_add(1, Ordering::Relaxed);
            let Ok(set) = boilerstrip::rule::parse_set(&toml, "<gen>", "gen") else {
                return Ok(());
            };
            // Every eighth set joins the default sets (building them is most of a case's time
            // in a debug build); the others are alone.
            let builder = match case % 8 {
                0 => Cleaner::builder(),
                _ => Cleaner::builder().no_default_patterns(),
            };
            let Ok(cleaner) = builder.pattern_set(set).build() else {
                return Ok(());
            };
            loaded.fetch_add(1, Ordering::Relaxed);
            let once = cleaner.clean(&doc).text;
            prop_assert_eq!(shape_error(&once), None, "output {:?}", once);
            Ok(())
        })
        .unwrap();
    let (cases, loaded) = (cases.into_inner(), loaded.into_inner());
    eprintln!("{loaded} of {cases} generated pattern files loaded");
    assert!(
        loaded * 2 >= cases,
        "only {loaded} of {cases} generated pattern files loaded: the generator must make more \
         valid ones for the property to say anything"
    );
}

/// A JSONL line: mostly a JSON object with a text field, sometimes garbage.
fn jsonl_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        document().prop_map(|d| serde_json::to_string(&d).unwrap()),
        Just("null".to_string()),
        Just("1e400".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("\"\\udc00x\\ud83d\\ude00\"".to_string()),
        (1usize..300).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
    ];
    prop_oneof![
        4 => (value.clone(), value).prop_map(|(t, m)| format!("{{\"id\":1,\"text\":{t},\"meta\":{m}}}")),
        1 => any::<String>(),
        1 => "[{}\\[\\]\":,a-z0-9\\\\ ]{0,40}",
    ]
}

#[test]
fn any_jsonl_line_gives_a_record_or_a_record_error() {
    let options = jsonl::Options::new().annotate("bs").id_field("id");
    let mut runner = TestRunner::new(config());
    runner
        .run(&jsonl_line(), |line| {
            if let Ok(record) = options.clean_line(cleaner(), &line) {
                if let Some(out) = record.line {
                    // Validated as raw JSON: `1e400` and deep nesting pass through untouched.
                    let parsed: Result<Box<serde_json::value::RawValue>, _> =
                        serde_json::from_str(&out);
                    prop_assert!(
                        parsed.is_ok(),
                        "output is not JSON: {:?} from {:?}",
                        out,
                        line
                    );
                }
            }
            let _ = options.clean_bytes(cleaner(), line.as_bytes());
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_bytes_as_a_jsonl_line_give_a_record_or_a_record_error() {
    let options = jsonl::Options::new();
    let mut runner = TestRunner::new(config());
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..200), |bytes| {
            let _ = options.clean_bytes(cleaner(), &bytes);
            Ok(())
        })
        .unwrap();
}

/// The binary writes the same bytes at every thread count, on a generated tree.
#[test]
fn output_is_the_same_at_any_thread_count() {
    let mut runner = TestRunner::new(config());
    let tree = tempfile::tempdir().unwrap();
    let input = tree.path().join("in");
    for k in 0..40 {
        let doc = document()
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .into_bytes();
        let dir = input.join(format!("d{}", k % 5));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("doc{k:02}.txt")), doc).unwrap();
    }
    let run = |threads: &str| {
        let out = tree.path().join(format!("out-j{threads}"));
        let output = assert_cmd::Command::cargo_bin("boilerstrip")
            .unwrap()
            .args(["clean", "-q", "-j", threads, "-o"])
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(&out).unwrap().to_path_buf();
                files.push((relative, std::fs::read(entry.path()).unwrap()));
            }
        }
        files
    };
    let one = run("1");
    assert_eq!(one.len(), 40);
    assert!(one == run("2"), "-j2 differs from -j1");
    assert!(one == run("8"), "-j8 differs from -j1");
    assert!(one == run("8"), "-j8 differs from run to run");
}
