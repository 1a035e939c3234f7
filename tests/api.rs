//! The library as a user sees it: only the public API, as in the README and the rustdoc.

use std::sync::Arc;

use boilerstrip::jsonl::{self, RecordError};
use boilerstrip::{Cleaner, HitKind};

const PAGE: &str = "Skip to content\n\nMayor Opens New Bridge\n\nThe bridge opened on Monday.\n\nLeave a Reply\nGreat post!\n";

#[test]
fn new_cleans_with_the_default_sets() {
    let cleaned = Cleaner::new().clean(PAGE);
    assert_eq!(
        cleaned.text,
        "Mayor Opens New Bridge\n\nThe bridge opened on Monday.\n"
    );
    let hits = cleaned.hits.to_vec();
    let hits: Vec<(&str, usize, HitKind)> = hits.iter().map(|h| (&*h.id, h.line, h.kind)).collect();
    assert_eq!(
        hits,
        [
            ("NAV001", 1, HitKind::Removed),
            ("WP003", 7, HitKind::Removed),
            ("WP003", 8, HitKind::Removed)
        ]
    );
    assert_eq!(cleaned.lines_removed(), 3);
}

#[test]
fn builder_adds_patterns_and_disables_rules() {
    let cleaner = Cleaner::builder()
        .patterns_str(
            "[[rule]]\nid = \"MY001\"\nwhy = \"our CMS footer\"\nphrases = [\"Powered by Foo\"]\n\
             match = \"line\"\naction = \"drop\"\nremove = [\"Powered by Foo\"]\n",
            "mine",
        )
        .unwrap()
        .disable("NAV001")
        .build()
        .unwrap();
    let cleaned = cleaner.clean("Skip to content\nText.\nPowered by Foo\n");
    assert_eq!(cleaned.text, "Skip to content\nText.\n");
    assert!(cleaner.rules().iter().any(|r| r.id == "MY001"));
    assert!(Cleaner::builder().disable("NO-SUCH-RULE").build().is_err());
}

#[test]
fn one_cleaner_serves_many_threads() {
    let cleaner = Arc::new(Cleaner::new());
    let want = cleaner.clean(PAGE);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let cleaner = Arc::clone(&cleaner);
            std::thread::spawn(move || (0..50).map(|_| cleaner.clean(PAGE)).collect::<Vec<_>>())
        })
        .collect();
    for handle in handles {
        for got in handle.join().unwrap() {
            assert_eq!(got, want);
        }
    }
    // Borrowed across scoped threads too, with JSONL records.
    let cleaner = Cleaner::new();
    let options = jsonl::Options::new().id_field("id");
    std::thread::scope(|scope| {
        for i in 0..4 {
            let (cleaner, options) = (&cleaner, &options);
            scope.spawn(move || {
                let line = format!(r#"{{"id":{i},"text":"Skip to content\nBody {i}."}}"#);
                let record = options.clean_line(cleaner, &line).unwrap();
                assert_eq!(record.id, Some(i.to_string()));
                assert_eq!(
                    record.line.as_deref(),
                    Some(format!(r#"{{"id":{i},"text":"Body {i}."}}"#).as_str())
                );
            });
        }
    });
}

#[test]
fn jsonl_records_through_the_public_api() {
    let cleaner = Cleaner::new();
    let options = jsonl::Options::new()
        .field("doc.text")
        .annotate(jsonl::DEFAULT_ANNOTATION)
        .drop_empty(true);
    let record = options
        .clean_line(
            &cleaner,
            r#"{"n":-0.0,"doc":{"text":"Skip to content\nBody."},"x":"\u00e9"}"#,
        )
        .unwrap();
    assert!(record.changed());
    assert_eq!(record.text, "Skip to content\nBody.");
    assert_eq!(record.cleaned.text, "Body.");
    assert_eq!(
        record.line.as_deref(),
        Some(
            r#"{"n":-0.0,"doc":{"text":"Body."},"x":"\u00e9","boilerstrip":{"lines_removed":1,"lines_changed":0,"rules":{"NAV001":1}}}"#
        )
    );
    let emptied = options
        .clean_line(&cleaner, r#"{"doc":{"text":"Skip to content"}}"#)
        .unwrap();
    assert_eq!(emptied.line, None);

    let err = options.clean_line(&cleaner, r#"{"doc":{}}"#).unwrap_err();
    assert_eq!(
        err,
        RecordError::MissingField {
            field: "doc.text".into()
        }
    );
    assert_eq!(err.to_string(), r#"no field "doc.text""#);
    let err = options.clean_line(&cleaner, "{oops}").unwrap_err();
    assert!(
        matches!(err, RecordError::Malformed { column: 2, .. }),
        "{err:?}"
    );
    let err = options.clean_bytes(&cleaner, b"\xff").unwrap_err();
    assert_eq!(err.kind(), "invalid-utf8");
}
