//! The patterns fingerprint: a hash of what a cleaner removes, so that a run can be reproduced
//! (the audit report's `patterns_hash`).

use super::Cleaner;
use crate::rule::{self, Action};

impl Cleaner {
    /// A fingerprint of what this cleaner removes, so that a run can be reproduced: `sha256:`
    /// and the hex SHA-256 of the active rules in load order (id, matcher, match mode, case
    /// sensitivity, action, zone, `max_len`) and the active passes, serialized as compact JSON
    /// (`{"rules":[{"id":…,"matcher":…,"match":…,"case_sensitive":…,"action":…,"zone":…,
    /// "max_len":…},…],"passes":["DEDUPE","REJOIN"]}`). A rule's name, set, reason and examples
    /// do not count: they change no output.
    ///
    /// # Example
    /// ```
    /// use boilerstrip::Cleaner;
    ///
    /// let all = Cleaner::new().patterns_hash();
    /// assert!(all.starts_with("sha256:"));
    /// assert_eq!(all, Cleaner::new().patterns_hash());
    /// let fewer = Cleaner::builder().disable("WP003").build().unwrap();
    /// assert_ne!(all, fewer.patterns_hash());
    /// ```
    pub fn patterns_hash(&self) -> String {
        use sha2::{Digest, Sha256};

        #[derive(serde::Serialize)]
        struct Hashed<'a> {
            rules: Vec<HashedRule<'a>>,
            passes: Vec<&'static str>,
        }
        #[derive(serde::Serialize)]
        struct HashedRule<'a> {
            id: &'a str,
            matcher: &'a rule::Matcher,
            #[serde(rename = "match")]
            mode: rule::MatchMode,
            case_sensitive: bool,
            action: Action,
            zone: rule::Zone,
            max_len: Option<usize>,
        }
        let hashed = Hashed {
            rules: self
                .rules()
                .iter()
                .map(|r| HashedRule {
                    id: &r.id,
                    matcher: &r.matcher,
                    mode: r.mode,
                    case_sensitive: r.case_sensitive,
                    action: r.action,
                    zone: r.zone,
                    max_len: r.max_len,
                })
                .collect(),
            passes: self.passes().iter().map(|p| p.id).collect(),
        };
        let json = serde_json::to_vec(&hashed).expect("rules serialize");
        let digest = Sha256::digest(&json);
        let mut hex = String::with_capacity(7 + 2 * digest.len());
        hex.push_str("sha256:");
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        hex
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;

    #[test]
    fn patterns_hash_follows_rules_and_passes_only() {
        let hash = |cleaner: Cleaner| cleaner.patterns_hash();
        let all = hash(Cleaner::new());
        assert_eq!(all.len(), "sha256:".len() + 64);
        assert_eq!(all, hash(Cleaner::builder().build().unwrap()));
        let cases = [
            ("a rule disabled", Cleaner::builder().disable("NAV001")),
            ("a pass disabled", Cleaner::builder().disable("REJOIN")),
            ("no rules", Cleaner::builder().no_default_patterns()),
        ];
        for (what, builder) in cases {
            assert_ne!(all, hash(builder.build().unwrap()), "{what}");
        }
        // Folding punctuation is an option of the run, reported beside the hash.
        let folded = Cleaner::builder().fold_punctuation(true).build().unwrap();
        assert_eq!(all, hash(folded));
    }
}
