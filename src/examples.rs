//! Running each rule's own examples: every `remove` line must be matched by its rule, and every
//! `keep` line must come out of the whole cleaner unchanged. The test suite runs this over the
//! default sets, and `boilerstrip check-patterns` over user files.

use std::fmt;

use crate::normalize::{normalize, trim_line};
use crate::Cleaner;

/// An example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule the example belongs to.
    pub rule_id: String,
    /// Where the rule was loaded from.
    pub source: String,
    /// The example text.
    pub example: String,
    /// What went wrong.
    pub problem: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: rule {}: example {:?}: {}",
            self.source, self.rule_id, self.example, self.problem
        )
    }
}

impl Cleaner {
    /// Run the examples of every active rule: each `remove` example must be matched by its
    /// rule, and each `keep` example must come out of the whole cleaner unchanged. Empty when
    /// all behave.
    ///
    /// # Example
    /// ```
    /// assert!(boilerstrip::Cleaner::new().check_examples().is_empty());
    /// ```
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        check(self)
    }
}

/// Check the examples of every active rule of `cleaner`.
fn check(cleaner: &Cleaner) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let source_of = |set: &str| {
        cleaner
            .sets()
            .iter()
            .find(|s| s.name == set)
            .map(|s| s.source.clone())
            .unwrap_or_default()
    };
    for rule in cleaner.rules() {
        let fail = |example: &str, problem: String| ExampleFailure {
            rule_id: rule.id.clone(),
            source: source_of(&rule.set),
            example: example.to_string(),
            problem,
        };
        for example in &rule.remove {
            let line = normalize(example);
            let line = trim_line(&line);
            if !cleaner.matching_rules(line).iter().any(|r| r.id == rule.id) {
                failures.push(fail(
                    example,
                    "the rule does not match this remove example".into(),
                ));
            }
        }
        for example in &rule.keep {
            let cleaned = cleaner.clean(example);
            let want = format!("{}\n", trim_line(&normalize(example)));
            if cleaned.text != want {
                let by: Vec<String> = cleaned.hits.iter().map(|h| h.id.to_string()).collect();
                failures.push(fail(
                    example,
                    format!("this keep example was changed (by {})", by.join(", ")),
                ));
            }
        }
    }
    failures
}
