//! The line model: what it keeps together, the knobs it has, training, and model files.

use assert_cmd::Command;
use boilerstrip::train::{self, Example, Options};
use boilerstrip::{Cleaner, HitKind, InputKind, Model};
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;

fn boilerstrip() -> Command {
    Command::cargo_bin("boilerstrip").unwrap()
}

const PROSE: &str = "The council met on Monday to discuss the future of the old bridge, which \
                     has been closed to traffic since the floods of last winter.";

/// A raw page: a menu, an article, a footer.
fn page() -> String {
    format!(
        "Home | News | Sport | Weather\nSign in\nSubscribe\n{PROSE}\n{PROSE}\n{PROSE}\n\
         Privacy policy\nTerms of use\nContact us\n© 2024 Example Daily\n"
    )
}

#[test]
fn the_built_in_model_judges_every_line_of_a_page() {
    let model = Model::embedded().expect("this build has a model");
    let page = page();
    let lines: Vec<&str> = page.lines().collect();
    let judged = model.judge(&lines, InputKind::Page, None);
    assert_eq!(judged.lines.len(), lines.len());
    assert_eq!(judged.language, Some("en"));
    let removed: Vec<&str> = judged.removed_lines().map(|l| lines[l.line]).collect();
    assert!(
        removed.contains(&"Home | News | Sport | Weather"),
        "{removed:?}"
    );
    assert!(removed.contains(&"© 2024 Example Daily"), "{removed:?}");
    assert!(!removed.contains(&PROSE), "{removed:?}");
}

/// Hard-wrapped text: a sentence spread over lines is one unit, kept or removed whole, so that
/// no removal glues pieces of two sentences together.
#[test]
fn lines_of_one_sentence_are_judged_together() {
    let model = Model::embedded().unwrap();
    let lines = [
        "Share this",
        "The mayor said the bridge",
        "would open",
        "in the spring, after the",
        "repairs.",
        "Follow us",
    ];
    for threshold in [0.0, 0.2, 0.5, 0.8, 1.0] {
        let judged = model.judge(&lines, InputKind::Page, Some(threshold));
        let sentence: Vec<bool> = judged.lines[1..5].iter().map(|l| l.removed).collect();
        assert!(
            sentence.iter().all(|&r| r == sentence[0]),
            "threshold {threshold}: {sentence:?}"
        );
        let units: Vec<f32> = judged.lines[1..5]
            .iter()
            .map(|l| l.unit_probability)
            .collect();
        assert!(units.iter().all(|&u| u == units[0]), "{units:?}");
    }
}

#[test]
fn keep_threshold_orders_what_is_removed() {
    let page = page();
    let removed = |t: f32| {
        let cleaner = Cleaner::builder()
            .no_default_patterns()
            .input_kind(InputKind::Page)
            .keep_threshold(t)
            .build()
            .unwrap();
        let cleaned = cleaner.clean(&page);
        cleaned.hits.iter().filter(|h| &*h.id == "CLASSIFY").count()
    };
    assert_eq!(removed(0.0), 0);
    let (low, high) = (removed(0.05), removed(0.9));
    assert!(low <= high && high > 0, "{low} {high}");
    // Everything is under a threshold above every probability: the whole page.
    assert_eq!(removed(1.0), page.lines().count());
}

#[test]
fn hits_carry_the_probability_and_the_note_the_language() {
    let cleaner = Cleaner::builder()
        .input_kind(InputKind::Page)
        .explain(true)
        .build()
        .unwrap();
    let cleaned = cleaner.clean(&page());
    let model_hits: Vec<_> = cleaned
        .hits
        .iter()
        .filter(|h| &*h.id == "CLASSIFY")
        .collect();
    assert!(!model_hits.is_empty());
    for hit in model_hits {
        assert_eq!(hit.kind, HitKind::Removed);
        let p = hit.probability.unwrap();
        assert!((0.0..=1.0).contains(&p));
        let reason = hit.reason.as_deref().unwrap();
        assert!(
            reason.starts_with(&format!("p(content) {p:.3}, ")),
            "{reason}"
        );
    }
    let note = cleaned.model.unwrap();
    assert_eq!(
        (note.language, note.page, note.cut_to_tenth),
        (Some("en"), true, false)
    );
}

/// A document in a language with no stop-word list is still judged, and says so.
#[test]
fn a_document_without_language_data_is_judged_without_it() {
    let text = "Xqzt vrmbl quorp zindel. ".repeat(12);
    let cleaned = Cleaner::new().clean(&text);
    assert_eq!(cleaned.model.unwrap().language, None);
    let polish =
        "Rada zatwierdziła nowy budżet w poniedziałek, a burmistrz powiedział, że jest on \
                  sprawiedliwy dla wszystkich ludzi w mieście i że to dobrze.\n";
    assert_eq!(
        Cleaner::new().clean(polish).model.unwrap().language,
        Some("pl")
    );
}

#[test]
fn a_document_cut_to_a_tenth_is_noted() {
    let junk = "Home\nNews\nSport\nSign in\nSubscribe\nPrivacy policy\nContact\n".repeat(10);
    let text = format!("{junk}Short note.\n");
    let cleaned = Cleaner::builder()
        .input_kind(InputKind::Page)
        .build()
        .unwrap()
        .clean(&text);
    assert!(cleaned.model.unwrap().cut_to_tenth, "{}", cleaned.text);
}

/// A tiny training set: pages whose menus and footers are junk.
fn examples() -> Vec<Example> {
    let menus = [
        "Home | News | Sport",
        "Sign in",
        "Subscribe",
        "Privacy policy",
        "Contact us",
    ];
    (0..40)
        .map(|k| {
            let article = format!(
                "Story {k}: the town council voted {k} to 2 on Monday to repair the old bridge \
                 before winter, the mayor said.\nWork will begin in the spring and take about \
                 {k} months, according to the engineers who inspected it last year."
            );
            let text = format!(
                "{}\n{article}\n{}\n",
                menus[..3].join("\n"),
                menus[3..].join("\n")
            );
            Example {
                name: format!("doc-{k}"),
                text,
                gold: article,
                page: k % 2 == 0,
                group: format!("site-{}", k % 8),
            }
        })
        .collect()
}

fn small_options() -> Options {
    let mut options = Options::default();
    options.trees.trees = 20;
    options.trees.depth = 3;
    options.kind_trees.trees = 5;
    options.score.bits = 12;
    options
}

#[test]
fn training_is_deterministic_at_any_thread_count() {
    let examples = examples();
    let options = small_options();
    let quiet = |_: &str| {};
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one
        .install(|| train::train(&examples, &options, &quiet))
        .unwrap();
    let b = two
        .install(|| train::train(&examples, &options, &quiet))
        .unwrap();
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
    // The model file reads back as the same model.
    let again = Model::from_bytes(&a.model.to_bytes()).unwrap();
    assert_eq!(again, a.model);
    // And it learned the menus.
    let text = &examples[0].text;
    let lines: Vec<&str> = text.lines().collect();
    let judged = a.model.judge(&lines, InputKind::Page, None);
    assert!(
        judged.lines[0].probability < judged.lines[3].probability,
        "{judged:?}"
    );
}

#[test]
fn too_little_data_is_an_error() {
    let examples = &examples()[..3];
    let err = train::train(examples, &small_options(), &|_| {}).unwrap_err();
    assert!(
        err.to_string().contains("too little training data"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_no_model_is_refused() {
    assert!(Model::from_bytes(b"").is_err());
    assert!(Model::from_bytes(b"BSMODEL\0\x09\0\0\0").is_err());
    let bytes = Model::embedded().unwrap().to_bytes();
    assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(Model::from_bytes(&longer).is_err());
}

/// Write the examples as JSONL training data (text, gold, group, kind) to `path`.
fn write_training_data(path: &std::path::Path) {
    let lines: Vec<String> = examples()
        .iter()
        .map(|e| {
            serde_json::json!({"text": e.text, "gold": e.gold, "group": e.group,
                               "kind": if e.page { "page" } else { "article" }})
            .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn train_writes_a_model_that_clean_uses() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data.jsonl");
    write_training_data(&data);
    let model = dir.path().join("small.bsm");
    boilerstrip()
        .arg("train")
        .arg(&data)
        .arg("-o")
        .arg(&model)
        .assert()
        .success()
        .stderr(contains("wrote").and(contains("trained on 40 documents")));
    boilerstrip()
        .args(["clean", "-", "--input-kind", "page", "--model"])
        .arg(&model)
        .write_stdin(examples()[1].text.clone())
        .assert()
        .success()
        .stdout(contains("Story 1: the town council").and(contains("Sign in").not()));
    // A bad model file is a usage error that names the file.
    let bad = dir.path().join("bad.bsm");
    std::fs::write(&bad, "not a model").unwrap();
    boilerstrip()
        .args(["clean", "-", "--model"])
        .arg(&bad)
        .write_stdin("Text.\n")
        .assert()
        .code(2)
        .stderr(contains("bad.bsm").and(contains("not a boilerstrip model file")));
    // A record without gold is an error that names its line.
    std::fs::write(&data, "{\"text\": \"a\"}\n").unwrap();
    boilerstrip()
        .arg("train")
        .arg(&data)
        .arg("-o")
        .arg(&model)
        .assert()
        .failure()
        .stderr(contains("data.jsonl:1"));
}

use predicates::prelude::PredicateBooleanExt;

/// `train -o` writes its model like any new file: 0666 less the umask (one umask only:
/// training takes seconds in a debug build; `tests/cli.rs` tries others on the same writer).
#[cfg(unix)]
#[test]
fn a_trained_model_gets_0666_less_the_umask() {
    let dir = TempDir::new().unwrap();
    write_training_data(&dir.path().join("data.jsonl"));
    common::boilerstrip_with_umask("022")
        .args(["train", "data.jsonl", "-o", "small.bsm", "--quiet"])
        .current_dir(dir.path())
        .assert()
        .success();
    let got = common::mode(&dir.path().join("small.bsm"));
    assert_eq!(got, 0o644, "{got:o}");
}

/// A document over a mebibyte is a collection (articles concatenated into one stream): the
/// model, trained on single pages, leaves it to the rules.
#[test]
fn a_collection_is_not_judged() {
    let cleaner = Cleaner::builder()
        .no_default_patterns()
        .input_kind(InputKind::Page)
        .build()
        .unwrap();
    let menu = |lines: usize| -> String {
        (0..lines)
            .map(|k| format!("Home | News | Sport | Page {k}\n"))
            .collect()
    };
    let big = menu(40_000);
    assert!(big.len() > 1 << 20);
    let cleaned = cleaner.clean(&big);
    assert_eq!(cleaned.text, big);
    assert_eq!(cleaned.model, None);
    // A page is judged.
    assert!(cleaner
        .clean(&page())
        .hits
        .iter()
        .any(|h| &*h.id == "CLASSIFY"));
}
