//! boilerstrip strips boilerplate from the extracted text of scraped articles and writes clean,
//! normalized text.
//!
//! Article extractors leave junk behind: site chrome ("Accessibility links"), government banners,
//! blog tails ("Source link", "Leave a Reply"), copyright lines with tracking hashes, doubled
//! captions and sentences cut into fragments where links were. A [`Cleaner`] removes the junk
//! with rules kept as data (TOML pattern sets, see [`rule`]), mends the fragments with structural
//! passes (see [`passes`]) and normalizes the text (see [`normalize`]), touching nothing else.
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
#![deny(missing_docs)]

pub mod cleaner;
pub mod comments;
mod ends;
pub mod error;
pub mod eval;
pub mod examples;
pub mod jsonl;
pub mod mine;
pub mod model;
pub mod normalize;
pub mod passes;
pub mod rule;
pub mod ruleset;
mod swar;

pub use cleaner::{Cleaned, Cleaner, CleanerBuilder, Hit, HitKind, ModelNote};
pub use comments::CommentOptions;
pub use error::{Error, PatternError};
pub use model::{InputKind, Model};
pub use rule::{Action, MatchMode, PatternSet, Rule, Zone};
