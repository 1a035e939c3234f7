//! The cleaner on arbitrary bytes (lossily decoded, as `--invalid-utf8 lossy` does): never
//! panics, and the output keeps its shape and is a fixed point.
#![no_main]

use std::sync::OnceLock;

use boilerstrip::Cleaner;
use libfuzzer_sys::fuzz_target;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::new)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let once = cleaner().clean(&text).text;
    assert!(once.is_empty() || (once.ends_with('\n') && !once.ends_with("\n\n")));
    assert!(!once.contains('\r'));
    assert!(!once.chars().any(|c| c != '\n' && c.is_control()));
    let twice = cleaner().clean(&once).text;
    assert_eq!(twice, once, "not idempotent");
});
