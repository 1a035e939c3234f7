//! Every input a fuzz target (see `fuzz/`) crashed on, replayed through the library with the
//! target's own checks, and hand-made hostile inputs for each target. The inputs live in
//! `tests/fuzz_inputs/TARGET/`, each named after the bug it found or the case it pins;
//! `fuzz/run.sh` says how to add one. For the `patterns` and `jsonl` targets a name says what
//! the input must give: `ok-*` a pattern set that loads (and passes its own examples) or a
//! record, `err-*` an error; and each of those directories must hold inputs, so that the tests
//! cannot pass by finding nothing.

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

/// What a regression input must give: `ok-*` a result (a pattern set that builds, a record),
/// `err-*` an error (never a panic). Any other name is a mistake in the directory.
fn expects_ok(file: &Path) -> bool {
    let name = file.file_name().unwrap().to_string_lossy();
    match (name.starts_with("ok-"), name.starts_with("err-")) {
        (true, _) => true,
        (_, true) => false,
        _ => panic!("{name}: a regression input is named ok-* or err-*"),
    }
}

/// The `patterns` target: a pattern file parses and builds, or gives an error; a set that
/// builds cleans its own examples and its own text without panicking.
#[test]
fn patterns_target_inputs() {
    let inputs = inputs("patterns");
    assert!(
        inputs.len() >= 5,
        "tests/fuzz_inputs/patterns holds the hostile pattern files ({} found)",
        inputs.len()
    );
    for (file, data) in inputs {
        let built = std::str::from_utf8(&data)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                let set = rule::parse_set(text, "<fuzz>", "fuzz").map_err(|e| e.to_string())?;
                let examples: Vec<String> = (set.rules.iter())
                    .flat_map(|r| r.remove.iter().chain(&r.keep).cloned())
                    .collect();
                let cleaner = (Cleaner::builder().no_default_patterns().pattern_set(set))
                    .build()
                    .map_err(|e| e.to_string())?;
                let _ = cleaner.clean(&examples.join("\n"));
                let _ = cleaner.clean(text);
                Ok(cleaner.check_examples())
            });
        match (built, expects_ok(&file)) {
            (Ok(failures), true) => assert!(
                failures.is_empty(),
                "{}: its examples fail: {failures:?}",
                file.display()
            ),
            (Err(_), false) => {}
            (Ok(_), false) => panic!("{}: loaded, but must be refused", file.display()),
            (Err(e), true) => panic!("{}: refused, but must load: {e}", file.display()),
        }
    }
}

/// The `jsonl` target: a line gives a record or a record error, never a panic, and a record's
/// line is JSON again, with the annotation.
#[test]
fn jsonl_target_inputs() {
    let cleaner = Cleaner::new();
    let inputs = inputs("jsonl");
    assert!(
        inputs.len() >= 5,
        "tests/fuzz_inputs/jsonl holds the hostile JSONL lines ({} found)",
        inputs.len()
    );
    for (file, data) in inputs {
        let options = jsonl::Options::new()
            .id_field("id")
            .annotate("bs")
            .drop_empty(data.first().is_some_and(|b| b & 1 == 1));
        match (options.clean_bytes(&cleaner, &data), expects_ok(&file)) {
            (Ok(record), true) => {
                if let Some(line) = record.line {
                    // A byte order mark before the record is kept, as every byte around the
                    // field is; the record after it is JSON.
                    let json = line.strip_prefix('\u{feff}').unwrap_or(&line);
                    let parsed: Result<Box<serde_json::value::RawValue>, _> =
                        serde_json::from_str(json);
                    assert!(parsed.is_ok(), "{}: output is not JSON", file.display());
                    assert!(line.contains("\"bs\":{"), "{}: {line}", file.display());
                }
            }
            (Err(_), false) => {}
            (Ok(record), false) => panic!(
                "{}: gave a record, but must be a record error: {:?}",
                file.display(),
                record.line
            ),
            (Err(e), true) => panic!(
                "{}: a record error, but must be a record: {e}",
                file.display()
            ),
        }
        let _ = jsonl::Options::new()
            .field("meta.body")
            .clean_bytes(&cleaner, &data);
    }
}
