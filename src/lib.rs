//! boilerstrip strips boilerplate from the extracted text of scraped articles and writes clean,
//! normalized text.
//!
//! Article extractors leave junk behind: site chrome ("Accessibility links"), government banners,
//! blog tails ("Source link", "Leave a Reply"), copyright lines with tracking hashes, doubled
//! captions and sentences cut into fragments where links were. A [`Cleaner`] removes the junk
//! with rules kept as data (TOML pattern sets, see [`rule`]), mends the fragments with structural
//! passes (see [`passes`]) and normalizes the text (see [`normalize()`]), touching nothing else.
//! Datasets in JSON Lines are cleaned a record at a time by [`jsonl`], which replaces the text
//! field and leaves every other byte of the line as it was.
//!
//! # Example
//! ```
//! use boilerstrip::Cleaner;
//!
//! let cleaner = Cleaner::new();
//! let page = "Accessibility links\n\nBreaking News\n\nMayor Opens New Bridge\n\n\
//!             The bridge opened on Monday.\n\nSource link\n\nAbout admin\n";
//! let cleaned = cleaner.clean(page);
//! assert_eq!(cleaned.text, "Mayor Opens New Bridge\n\nThe bridge opened on Monday.\n");
//! for hit in &cleaned.hits {
//!     println!("line {}: {} removed {:?}", hit.line, hit.id, hit.text);
//! }
//! ```
//!
//! # The public surface
//!
//! The root holds the [`Cleaner`] and every type its methods take or return, the errors, the
//! line classifier ([`Model`]), the normalization every input goes through ([`normalize()`],
//! [`trim_line`], [`from_utf8`]) and the metric of `boilerstrip eval` ([`Counts`], [`Scores`]).
//! Five modules are namespaces of their own, each for one job around the cleaner: [`jsonl`]
//! (records of a JSON Lines dataset), [`rule`] (the pattern-file format and its limits),
//! [`passes`] (the registry of structural passes), [`mine`] (lines learned from a corpus) and
//! [`train`] (training a [`Model`]). Everything else is private.
//!
//! # Features
//!
//! `cli` (default) builds the `boilerstrip` binary and compiles the crates only it uses
//! (argument parsing, progress bars, directory walking, compression). As a library, depend on
//! `boilerstrip = { version = "0.1", default-features = false }`.
#![deny(missing_docs)]

mod cleaner;
mod comments;
mod ends;
mod error;
mod eval;
mod examples;
pub mod jsonl;
pub mod mine;
mod model;
mod normalize;
pub mod passes;
pub mod rule;
mod ruleset;
mod swar;

pub use cleaner::{
    Cleaned, Cleaner, CleanerBuilder, Hit, HitKind, Hits, HitsIter, ModelNote, SetSummary,
};
pub use comments::CommentOptions;
pub use error::{Error, PatternError};
pub use eval::{Counts, Scores};
pub use examples::ExampleFailure;
pub use mine::LearnedLines;
pub use model::{train, InputKind, Judgement, LineJudgement, Model, ModelError, Thresholds};
pub use normalize::{from_utf8, normalize, trim_line};
pub use passes::PassInfo;
pub use rule::{Action, MatchMode, Matcher, PatternSet, Rule, Zone};
