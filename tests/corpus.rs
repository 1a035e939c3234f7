//! The golden tests: every article in `corpus/input` must clean to exactly `corpus/expected`,
//! and every rule's own examples must behave as the rule says.

use std::fs;
use std::path::Path;

use boilerstrip::Cleaner;

/// Print expected / got / a line diff, so a failure says what changed.
fn assert_same(name: &str, expected: &str, got: &str) {
    if expected == got {
        return;
    }
    let diff = similar::TextDiff::from_lines(expected, got)
        .unified_diff()
        .header("expected", "got")
        .to_string();
    panic!("{name}: cleaned text differs from the expected file\n{diff}");
}

fn corpus_files() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir("corpus/input")
        .expect("corpus/input exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

#[test]
fn corpus_cleans_to_the_expected_files() {
    let cleaner = Cleaner::new();
    let names = corpus_files();
    assert!(names.len() >= 30, "the corpus has {} articles", names.len());
    for name in &names {
        let input = fs::read_to_string(Path::new("corpus/input").join(name)).unwrap();
        let expected = fs::read_to_string(Path::new("corpus/expected").join(name))
            .unwrap_or_else(|_| panic!("corpus/expected/{name} is missing"));
        assert_same(name, &expected, &cleaner.clean(&input).text);
    }
}

#[test]
fn cleaning_is_idempotent_on_the_corpus() {
    let cleaner = Cleaner::new();
    for name in corpus_files() {
        let expected = fs::read_to_string(Path::new("corpus/expected").join(&name)).unwrap();
        assert_same(&name, &expected, &cleaner.clean(&expected).text);
    }
}

#[test]
fn every_rule_passes_its_own_examples() {
    let failures = Cleaner::new().check_examples();
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn every_default_rule_has_examples_to_remove_and_keep() {
    for rule in Cleaner::new().rules() {
        assert!(!rule.remove.is_empty(), "{} has no remove example", rule.id);
        assert!(!rule.keep.is_empty(), "{} has no keep example", rule.id);
        assert!(!rule.why.is_empty(), "{} says not why", rule.id);
    }
}

/// The examples check itself can fail: a too-broad rule is reported on its own keep example and
/// on the default rules' keep examples it would eat.
#[test]
fn examples_check_reports_a_rule_that_eats_its_keep_example() {
    let bad = r#"
[[rule]]
id = "BAD1"
why = "too broad"
phrases = ["reply"]
match = "contains"
action = "drop"
remove = ["Leave a reply"]
keep = ["Please reply by Friday, the clerk wrote."]
"#;
    let cleaner = Cleaner::builder()
        .patterns_str(bad, "bad")
        .unwrap()
        .build()
        .unwrap();
    let failures = cleaner.check_examples();
    let ids: Vec<&str> = failures.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, ["WP003", "BAD1"], "{failures:?}");
    assert!(
        failures.iter().all(|f| f.problem.contains("by BAD1")),
        "{failures:?}"
    );
}
