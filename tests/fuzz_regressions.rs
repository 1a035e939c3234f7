//! Every input a fuzz target (see `fuzz/`) crashed on, replayed through the library with the
//! target's own checks. The inputs live in `tests/fuzz_inputs/TARGET/`, each named after the bug
//! it found; `fuzz/run.sh` says how to add one.

use std::path::{Path, PathBuf};

use boilerstrip::{jsonl, rule, Cleaner};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_inputs")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect()
}

/// The `clean` target: shape and idempotence on lossily decoded bytes.
fn check_clean(cleaner: &Cleaner, data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let once = cleaner.clean(&text).text;
    if !(once.is_empty() || (once.ends_with('\n') && !once.ends_with("\n\n"))) {
        return Err(format!("bad ending: {once:?}"));
    }
    if once.contains('\r') || once.chars().any(|c| c != '\n' && c.is_control()) {
        return Err(format!("control characters: {once:?}"));
    }
    let twice = cleaner.clean(&once).text;
    if twice != once {
        return Err(format!(
            "not idempotent:\n once: {once:?}\ntwice: {twice:?}"
        ));
    }
    Ok(())
}

#[test]
fn clean_target_inputs() {
    let cleaner = Cleaner::new();
    let inputs = inputs("clean");
    assert!(
        !inputs.is_empty(),
        "the first crash of the clean target is kept"
    );
    for (file, data) in inputs {
        if let Err(problem) = check_clean(&cleaner, &data) {
            panic!("{}: {problem}", file.display());
        }
    }
}

#[test]
fn patterns_target_inputs() {
    for (_, data) in inputs("patterns") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let Ok(set) = rule::parse_set(text, "<fuzz>", "fuzz") else {
            continue;
        };
        let examples: Vec<String> = set
            .rules
            .iter()
            .flat_map(|r| r.remove.iter().chain(&r.keep).cloned())
            .collect();
        let Ok(cleaner) = Cleaner::builder()
            .no_default_patterns()
            .pattern_set(set)
            .build()
        else {
            continue;
        };
        let _ = cleaner.clean(&examples.join("\n"));
        let _ = cleaner.clean(text);
        let _ = boilerstrip::examples::check(&cleaner);
    }
}

#[test]
fn jsonl_target_inputs() {
    let cleaner = Cleaner::new();
    for (file, data) in inputs("jsonl") {
        let options = jsonl::Options::new()
            .id_field("id")
            .annotate("bs")
            .drop_empty(data.first().is_some_and(|b| b & 1 == 1));
        if let Ok(record) = options.clean_bytes(&cleaner, &data) {
            if let Some(line) = record.line {
                let parsed: Result<Box<serde_json::value::RawValue>, _> =
                    serde_json::from_str(&line);
                assert!(parsed.is_ok(), "{}: output is not JSON", file.display());
            }
        }
        let _ = jsonl::Options::new()
            .field("meta.body")
            .clean_bytes(&cleaner, &data);
    }
}
