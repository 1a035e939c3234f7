//! The JSONL record path on arbitrary bytes: a record or a record error, never a panic; a
//! record's line is JSON again.
#![no_main]

use std::sync::OnceLock;

use boilerstrip::{jsonl, Cleaner};
use libfuzzer_sys::fuzz_target;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::new)
}

fuzz_target!(|data: &[u8]| {
    let options = jsonl::Options::new()
        .id_field("id")
        .annotate("bs")
        .drop_empty(data.first().is_some_and(|b| b & 1 == 1));
    if let Ok(record) = options.clean_bytes(cleaner(), data) {
        if let Some(line) = record.line {
            // A byte order mark before the record is kept; the record after it is JSON.
            let json = line.strip_prefix('\u{feff}').unwrap_or(&line);
            let parsed: Result<Box<serde_json::value::RawValue>, _> = serde_json::from_str(json);
            assert!(parsed.is_ok(), "output is not JSON: {line:?}");
        }
    }
    let nested = jsonl::Options::new().field("meta.body");
    let _ = nested.clean_bytes(cleaner(), data);
});
