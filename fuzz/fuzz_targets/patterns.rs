//! Pattern-file loading: arbitrary text as a TOML pattern set. Parsing either fails with an
//! error or gives a set; a set that builds must clean its own examples without panicking.
#![no_main]

use boilerstrip::{rule, Cleaner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(set) = rule::parse_set(text, "<fuzz>", "fuzz") else {
        return;
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
        return;
    };
    let doc = examples.join("\n");
    let _ = cleaner.clean(&doc);
    let _ = cleaner.clean(text);
    let _ = cleaner.check_examples();
});
