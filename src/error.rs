//! Errors of the library.
//!
//! Every error names what it is about: the pattern file, the line in it and the rule id.

use std::fmt;

/// A pattern file that cannot be used: TOML error, unknown field, bad regex, duplicate id, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The file (or `<default>/NAME.toml`, or `<inline>`).
    pub source: String,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// The rule the error is about, where known.
    pub rule_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl PatternError {
    pub(crate) fn new(source: impl Into<String>, message: impl Into<String>) -> Self {
        PatternError {
            source: source.into(),
            line: None,
            rule_id: None,
            message: message.into(),
        }
    }

    pub(crate) fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub(crate) fn for_rule(mut self, id: &str) -> Self {
        self.rule_id = Some(id.to_string());
        self
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(id) = &self.rule_id {
            write!(f, ": rule {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for PatternError {}

/// Errors from building a [`crate::Cleaner`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A pattern file is invalid.
    #[error(transparent)]
    Pattern(#[from] PatternError),
    /// Two active rules share an id.
    #[error("rule id {id} is defined twice: in {first} and in {second}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined.
        first: String,
        /// Where it was defined again.
        second: String,
    },
    /// `disable` named something that is neither a rule id, a rule name, a set nor a pass.
    #[error("cannot disable {0:?}: no such rule, set or pass")]
    UnknownName(String),
    /// The compiled automaton or regex set exceeded its size limit.
    #[error("compiling the pattern sets failed: {0}")]
    Build(String),
}
