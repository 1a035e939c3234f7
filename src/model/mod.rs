//! The line model: a probability, for each line of a document, that it is part of the article,
//! learned from gold data (see [`train`]).
//!
//! Two stages judge a line. The *text score* ([`ngram`]) is a logistic regression on the line's
//! hashed word and punctuation n-grams. The *trees* ([`trees`], gradient-boosted oblivious trees)
//! then weigh the line's shape, its position, its neighbours and their text scores
//! ([`features`]) into the probability. A small second ensemble tells raw page dumps from
//! extracted article text by the shape of the whole document, since the two are judged with
//! different operating points: an extractor's output is mostly article, so only lines the model
//! is very sure of are removed from it ([`Thresholds::article`]); a page dump is mostly not
//! ([`Thresholds::page`]).
//!
//! A line is never judged alone when it continues a sentence of the line before it (a sentence
//! hard-wrapped over several lines, or cut where links were): such lines form a *unit*, which is
//! kept or removed whole, on the mean probability of its lines weighted by their words, so a
//! removal never splices pieces of two sentences together.
//!
//! The model built into the binary is the one `boilerstrip train` makes from the bench the
//! project is measured on (see `docs/model.md`); [`Model::from_bytes`] loads another.

pub mod features;
mod format;
pub mod language;
pub mod ngram;
pub mod text;
pub mod train;
pub mod trees;

use std::sync::{Arc, OnceLock};

pub use format::ModelError;
use language::Language;
use ngram::TextScore;
use trees::Ensemble;

/// What kind of text a document is, which decides the line model's operating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// The kind model decides per document.
    #[default]
    Auto,
    /// Text from an article extractor: only lines the model is very sure of are removed.
    Article,
    /// The whole visible text of a page.
    Page,
}

/// A document of more bytes than this is not judged by the line model (the rules and passes
/// still clean it). The visible text of one page is seldom over a few hundred kilobytes (the
/// largest of the bench's 1,122 pages is 150 KB); a bigger document is a collection, such as
/// articles concatenated into one stream, which the model was not trained on: judged whole, it
/// would cost memory in proportion, and judged in pieces, each round of cleaning would cut it
/// differently and find more to remove.
pub const MODEL_MAX_BYTES: usize = 1 << 20;

/// A document of more lines than this (blank ones too) is not judged by the line model either.
/// Judging holds about a kilobyte a line (the features of each line, and what they are made
/// from): 32,768 lines take about 32 MB, which keeps a document of short lines within the
/// memory bound of four times its size and 64 MiB (a megabyte of one-letter lines, 520,000 of
/// them, took 450 MB when judged). The longest of the bench's 4,275 inputs has 3,762 lines.
pub const MODEL_MAX_LINES: usize = 1 << 15;

/// Probabilities under which a line is removed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Thresholds {
    /// For extracted article text.
    pub article: f32,
    /// For raw page dumps.
    pub page: f32,
    /// A document whose probability of being a raw page is at least this is judged as one
    /// (with [`InputKind::Auto`]).
    pub kind: f32,
}

/// A trained line model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    score: Option<TextScore>,
    /// The languages the text score was trained on: other documents are judged without it.
    score_languages: Vec<Language>,
    lines: Ensemble,
    kind: Ensemble,
    thresholds: Thresholds,
    description: String,
}

/// The model built into the binary, as `boilerstrip train` wrote it.
const EMBEDDED: &[u8] = include_bytes!("../../models/default.bsm");

/// What the model made of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// Whether the document was judged as a raw page.
    pub page: bool,
    /// The kind model's probability that it is a raw page (1 or 0 when the kind was given).
    pub page_probability: f32,
    /// The language whose stop words were counted, if any.
    pub language: Option<&'static str>,
    /// The probability under which a unit was removed.
    pub threshold: f32,
    /// Each non-blank line, in order: its index, its probability of being content, and
    /// whether it is removed.
    pub lines: Vec<LineJudgement>,
}

/// The model's view of one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineJudgement {
    /// The line's index in the document.
    pub line: usize,
    /// The probability that the line is content.
    pub probability: f32,
    /// The probability of the unit it belongs to (see the module documentation).
    pub unit_probability: f32,
    /// Whether the line (with its unit) is removed.
    pub removed: bool,
}

impl Judgement {
    /// The words (tokens) of the non-blank lines, and of those the model keeps.
    pub fn removed_lines(&self) -> impl Iterator<Item = &LineJudgement> {
        self.lines.iter().filter(|l| l.removed)
    }
}

impl Model {
    /// The codes of the languages whose stop words the features use (NLTK's and stopwords-iso's
    /// lists, from the `stop-words` crate).
    ///
    /// # Example
    /// ```
    /// let languages = boilerstrip::Model::languages();
    /// assert!(languages.contains(&"en") && languages.contains(&"de"));
    /// ```
    pub fn languages() -> &'static [&'static str] {
        language::codes()
    }

    /// The model built into the binary, if this build has one.
    pub fn embedded() -> Option<Arc<Model>> {
        static MODEL: OnceLock<Option<Arc<Model>>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                (!EMBEDDED.is_empty()).then(|| {
                    Arc::new(
                        Model::from_bytes(EMBEDDED)
                            .expect("the embedded model is one this build reads"),
                    )
                })
            })
            .clone()
    }

    /// Read a model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        format::from_bytes(bytes)
    }

    /// The bytes of the model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::to_bytes(self)
    }

    /// The thresholds the model was trained with.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// How the model was trained, as `train` described it.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Number of trees of the line model.
    pub fn trees(&self) -> usize {
        self.lines.trees()
    }

    /// Scan a document's lines, with the text score where the model has one for its language.
    fn scan(&self, lines: &[&str]) -> features::Scanned {
        let scanned = features::scan(lines, self.score.as_ref(), features::Speech::Detect);
        self.scored(scanned)
    }

    /// `scanned` without its text scores where the model has none for its language.
    fn scored(&self, mut scanned: features::Scanned) -> features::Scanned {
        let known = scanned
            .language()
            .is_some_and(|l| self.score_languages.contains(&l));
        if !known {
            scanned.set_scores(None);
        }
        scanned
    }

    /// Judge the lines of a document (trimmed, as the cleaner splits them). `kind` says what
    /// the document is (`Auto`: the kind model decides); `threshold` replaces the model's
    /// threshold for that kind.
    pub fn judge(&self, lines: &[&str], kind: InputKind, threshold: Option<f32>) -> Judgement {
        self.judge_scanned(lines, self.scan(lines), kind, threshold)
    }

    /// [`Self::judge`], the lines that `memo` saw looked up there rather than scanned again
    /// (see [`features::scan_again`]); `memo` then holds these lines. The judgement is the one
    /// [`Self::judge`] makes. A memo is for one model's judgements.
    pub(crate) fn judge_again(
        &self,
        lines: &[&str],
        kind: InputKind,
        threshold: Option<f32>,
        memo: &mut features::Memo,
    ) -> Judgement {
        let scanned = features::scan_again(lines, self.score.as_ref(), memo);
        self.judge_scanned(lines, self.scored(scanned), kind, threshold)
    }

    /// [`Self::judge`], given the scan of the lines.
    fn judge_scanned(
        &self,
        lines: &[&str],
        scanned: features::Scanned,
        kind: InputKind,
        threshold: Option<f32>,
    ) -> Judgement {
        let language = scanned.language();
        let rows = scanned.rows();
        let mut probabilities = Vec::with_capacity(rows.len());
        self.lines
            .margins(&rows.rows, features::COUNT, &mut probabilities);
        probabilities
            .iter_mut()
            .for_each(|p| *p = trees::sigmoid(*p));
        let page_probability = match kind {
            InputKind::Page => 1.0,
            InputKind::Article => 0.0,
            InputKind::Auto => self.kind.predict(&scanned.doc_features(&probabilities)),
        };
        let page = page_probability >= self.thresholds.kind;
        let threshold = threshold.unwrap_or(match page {
            true => self.thresholds.page,
            false => self.thresholds.article,
        });
        let decided = decide(lines, &rows.lines, &rows.words, &probabilities, threshold);
        Judgement {
            page,
            page_probability,
            language: language.map(Language::code),
            threshold,
            lines: decided,
        }
    }

    /// The features that most lowered the probability of line `line` (an index into `lines`)
    /// of a document, with their contributions to its log-odds, most negative
    /// first (at most `n`).
    pub fn explain(&self, lines: &[&str], line: usize, n: usize) -> Vec<(&'static str, f32)> {
        self.explainer(lines).explain(line, n)
    }

    /// What explains the model's verdicts on the lines of a document: their features, found
    /// once for all of them.
    pub(crate) fn explainer(&self, lines: &[&str]) -> Explainer<'_> {
        Explainer {
            model: self,
            rows: self.scan(lines).rows(),
        }
    }
}

/// The features of a document's lines, to explain the model's verdict on any of them (see
/// [`Model::explain`]).
pub(crate) struct Explainer<'m> {
    model: &'m Model,
    rows: features::Features,
}

impl Explainer<'_> {
    /// [`Model::explain`] of line `line` of the document.
    pub(crate) fn explain(&self, line: usize, n: usize) -> Vec<(&'static str, f32)> {
        let rows = &self.rows;
        let Ok(k) = rows.lines.binary_search(&line) else {
            return Vec::new();
        };
        let (_, parts) = self.model.lines.contributions(rows.row(k), features::COUNT);
        let mut ranked: Vec<(usize, f32)> = parts
            .into_iter()
            .enumerate()
            .filter(|(_, c)| *c < 0.0)
            .collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(n)
            .map(|(f, c)| (features::NAMES[f].as_str(), c))
            .collect()
    }
}

/// The decision on each non-blank line (`index`, with its `words` and `probability`), by unit:
/// consecutive non-blank lines where each continues the sentence of the one before are kept or
/// removed together, on their mean probability weighted by words.
pub fn decide(
    lines: &[&str],
    index: &[usize],
    words: &[u32],
    probability: &[f32],
    threshold: f32,
) -> Vec<LineJudgement> {
    let n = index.len();
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n {
            let after = index.get(end + 1).map(|&i| lines[i]);
            if !crate::passes::continues_sentence(lines[index[end - 1]], lines[index[end]], after) {
                break;
            }
            end += 1;
        }
        let (mut sum, mut weight) = (0f64, 0f64);
        for k in start..end {
            let w = f64::from(words[k].max(1));
            sum += f64::from(probability[k]) * w;
            weight += w;
        }
        let unit = (sum / weight) as f32;
        for k in start..end {
            out.push(LineJudgement {
                line: index[k],
                probability: probability[k],
                unit_probability: unit,
                removed: unit < threshold,
            });
        }
        start = end;
    }
    out
}
