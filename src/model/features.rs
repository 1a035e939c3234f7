//! The line model's features: what each non-blank line of a document looks like, where it
//! sits, and what its neighbours look like.
//!
//! Every feature is computed from the document's text alone (no rule's decision: the rules were
//! written with the bench in view, and features made of them would carry that into the model's
//! out-of-fold figures). [`NAMES`] lists them in row order; a model file records the list it was
//! trained with and is refused by a build whose list differs.
//!
//! * **The line** ([`text::scan`]): length in characters and words, stop-word share in the
//!   document's language, how it ends (a sentence, a colon, a comma, a digit) and starts (a
//!   capital, a lowercase letter, a digit, a bullet), shares of capitalised and all-capital
//!   words, of digits, letters and punctuation, menu separators, commas, sentences inside it,
//!   mean word length, an address, an `@`, a copyright mark, a date, a time; whether its text
//!   occurs elsewhere in the document; the text score of its hashed n-grams ([`super::ngram`]).
//!   (Not whether blank lines stand around it: dump tools differ in that, and out of fold the
//!   model did better without it.)
//! * **Prose**: a line is prose when it has 15 words or more, ends a sentence and (when the
//!   document's language is known) has a stop-word share of 0.3 or more. Features say whether a
//!   line lies before the first prose line or after the last, how far it is from the nearest
//!   (in lines), and the share of the prose words above it.
//! * **Comment signatures**: a line of 15 words or fewer with a date or a time. Features count
//!   them above and below the line.
//! * **Position and document**: the line's relative position, its distance in lines from
//!   either end (log), the share of the document's words above it; the document's share of long
//!   lines (20 words or more), of short ones (4 or fewer), of lines ending a sentence, its
//!   stop-word share. (Not its kind: the probabilities mean the same for extracted text and
//!   raw pages, and the kind model reads them to tell the two apart.)
//! * **Context**: for ten of the line features, the values of the two lines before and the two
//!   after, and their means over the 3 and 10 lines on either side (the line itself left out);
//!   the same means of signatures and times; and of the text score over 1, 3 and 10 lines, with
//!   the document's median score and the line's distance from it.
//!
//! Missing values are `NaN`: the stop-word share when the document has no known language, the
//! text score when the model has none for its language, the neighbours beyond either end. The
//! trees send them their own way.

use std::hash::BuildHasher;
use std::ops::Range;

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::language::{self, Language};
use super::ngram::TextScore;
use super::text::{self, LineStats};

/// Base features of one line, in row order.
const BASE: [&str; 30] = [
    "chars",
    "words",
    "stop-share",
    "ends-sentence",
    "ends-colon",
    "ends-comma",
    "ends-digit",
    "starts-capital",
    "starts-lowercase",
    "starts-digit",
    "starts-bullet",
    "capitalized-share",
    "all-caps-share",
    "digit-share",
    "letter-share",
    "separators",
    "separators-per-word",
    "punct-share",
    "commas-per-word",
    "sentences",
    "word-length",
    "address",
    "at-sign",
    "copyright",
    "prose",
    "time",
    "date",
    "signature",
    "repeated",
    "text-score",
];

const B_CHARS: usize = 0;
const B_WORDS: usize = 1;
const B_STOP: usize = 2;
const B_TERM: usize = 3;
const B_BULLET: usize = 10;
const B_CAPS: usize = 11;
const B_DIGIT: usize = 13;
const B_SEPS: usize = 15;
const B_PUNCT: usize = 17;
const B_PROSE: usize = 24;
const B_TIME: usize = 25;
const B_SIG: usize = 27;
const B_SCORE: usize = 29;

/// The base features whose neighbours' values are features too.
const CONTEXT: [usize; 10] = [
    B_WORDS, B_STOP, B_TERM, B_SEPS, B_DIGIT, B_CAPS, B_PROSE, B_CHARS, B_BULLET, B_PUNCT,
];
/// Offsets of the neighbours whose values are features.
const OFFSETS: [isize; 4] = [-2, -1, 1, 2];
/// Half-widths of the windows whose means are features.
const WINDOWS: [usize; 2] = [3, 10];
/// Half-widths of the text score's windows.
const SCORE_WINDOWS: [usize; 3] = [1, 3, 10];

/// Where each group of features starts in a row: the line's position, the document, prose,
/// signatures, the neighbours' values of [`CONTEXT`], the means of signatures and times, the
/// text score's means, the median score and the line's distance from it.
const POSITION: usize = BASE.len();
const DOCUMENT: usize = POSITION + 4;
const PROSE: usize = DOCUMENT + 4;
const SIGNATURES: usize = PROSE + 4;
const NEIGHBOURS: usize = SIGNATURES + 3;
const MARKS: usize = NEIGHBOURS + CONTEXT.len() * (OFFSETS.len() + WINDOWS.len());
const SCORES: usize = MARKS + 2 * WINDOWS.len();
const MEDIAN: usize = SCORES + SCORE_WINDOWS.len();

/// The number of features.
pub const COUNT: usize = MEDIAN + 2;

/// The feature names, in row order.
pub static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut names: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
    for n in [
        "position",
        "lines-before",
        "lines-after",
        "words-before-share",
    ] {
        names.push(n.to_string());
    }
    for n in [
        "doc-long-share",
        "doc-sentence-share",
        "doc-stop-share",
        "doc-short-share",
    ] {
        names.push(n.to_string());
    }
    for n in [
        "before-prose",
        "after-prose",
        "prose-distance",
        "prose-above-share",
    ] {
        names.push(n.to_string());
    }
    for n in [
        "signatures-above",
        "signatures-above-share",
        "signatures-below",
    ] {
        names.push(n.to_string());
    }
    for &b in &CONTEXT {
        for o in OFFSETS {
            names.push(format!("{}@{o:+}", BASE[b]));
        }
        for w in WINDOWS {
            names.push(format!("{}~{w}", BASE[b]));
        }
    }
    for b in [B_SIG, B_TIME] {
        for w in WINDOWS {
            names.push(format!("{}~{w}", BASE[b]));
        }
    }
    for w in SCORE_WINDOWS {
        names.push(format!("text-score~{w}"));
    }
    names.push("doc-text-score-median".to_string());
    names.push("text-score-above-median".to_string());
    assert_eq!(names.len(), COUNT);
    names
});

/// Words from which a line counts as prose.
const PROSE_WORDS: u32 = 15;
/// Least stop-word share of a prose line.
const PROSE_STOP: f32 = 0.3;
/// Most words of a comment signature.
const SIGNATURE_WORDS: u32 = 15;

/// The features of a document's non-blank lines.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// The index (among the document's lines) of each row's line.
    pub lines: Vec<usize>,
    /// Each line's word tokens.
    pub words: Vec<u32>,
    /// Row-major: [`COUNT`] values a row.
    pub rows: Vec<f32>,
}

impl Features {
    /// The row of the `k`th non-blank line.
    pub fn row(&self, k: usize) -> &[f32] {
        &self.rows[k * COUNT..(k + 1) * COUNT]
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.lines.len()
    }
}

/// Document-level values that decide its kind (extracted article or raw page), for the
/// kind model.
pub const DOC_NAMES: [&str; 19] = [
    "lines",
    "short-share",
    "long-share",
    "sentence-share",
    "stop-share",
    "separator-share",
    "bullet-share",
    "words-per-line",
    "head-short-share",
    "prose-share",
    "mean-text-score",
    "junk-score-share",
    "head-junk-score-share",
    "tail-junk-score-share",
    "junk-word-share",
    "doubtful-word-share",
    "mean-probability",
    "head-junk-share",
    "tail-junk-share",
];

/// A document's lines, scanned: each non-blank line's counts and base features.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// The index (among the document's lines) of each non-blank line.
    pub lines: Vec<usize>,
    stats: Vec<LineStats>,
    /// Per non-blank line: whether its text is repeated elsewhere.
    repeated: Vec<bool>,
    /// Per non-blank line: its text score, if any.
    scores: Option<Vec<f32>>,
    base: Vec<[f32; BASE.len()]>,
    language: Option<Language>,
}

/// Which language a scan counts stop words in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speech {
    /// The one that fits the document's first tokens (see [`language`]).
    Detect,
    /// This one, or none.
    Given(Option<Language>),
}

/// Scan the lines of a document (trimmed), counting stop words in the language `speech` says,
/// and scoring each line with `score` if given (see [`Scanned::set_scores`] to drop or replace
/// the scores). While the language is being detected, each word is looked up in every list;
/// once [`language::SAMPLE_TOKENS`] words are seen, only in the document's.
pub fn scan(lines: &[&str], score: Option<&TextScore>, speech: Speech) -> Scanned {
    scan_lines(lines, score, speech, None)
}

/// [`scan`] with the language detected, where the lines that `memo` saw (same text) are looked
/// up there rather than scanned again; `memo` then holds this scan. The scan is the one [`scan`]
/// makes, bit for bit. Every scan given `memo` must be given the same `score`.
pub fn scan_again(lines: &[&str], score: Option<&TextScore>, memo: &mut Memo) -> Scanned {
    scan_lines(lines, score, Speech::Detect, Some(memo))
}

/// What a scan found of each line of a document, kept for the next scan of the same document:
/// the cleaner judges each round's output again, and most of its lines are the previous
/// round's, whole (see `Cleaner::foresee`). A line's counts are those of its text alone, but
/// for its stop words, which are those of the document's language: that is detected anew on
/// each scan, from the document's first words, and may change when lines go. So the memo keeps
/// the language the stop words were counted in, and the words' stop-word bits in every
/// language for the lines scanned while it was detected (see [`text::Stops::Detect`]).
#[derive(Debug, Default)]
pub struct Memo {
    /// The texts of the lines, one after another.
    text: String,
    /// Each non-blank line's, in order.
    seen: Vec<Seen>,
    /// The stop-word bits of the words of the lines scanned while the language was detected.
    bits: Vec<u128>,
    /// The language the stop words were counted in.
    language: Option<Language>,
    /// The index in `seen` of the first line of each text, by the text's hash. Texts are
    /// compared on a look-up, so a text whose hash another one has is only scanned again.
    index: FxHashMap<u64, u32>,
}

/// What a scan found of one line (see [`Memo`]).
#[derive(Debug)]
struct Seen {
    /// Where its text is in [`Memo::text`].
    text: Range<usize>,
    stats: LineStats,
    /// Where its words' stop-word bits are in [`Memo::bits`], if the line was scanned while the
    /// language was detected.
    bits: Option<Range<usize>>,
}

impl Memo {
    /// Forget every line, keeping the allocations.
    pub fn clear(&mut self) {
        self.text.clear();
        self.seen.clear();
        self.bits.clear();
        self.language = None;
        self.index.clear();
    }

    /// The bytes allocated, roughly.
    pub fn capacity_bytes(&self) -> usize {
        self.text.capacity()
            + self.seen.capacity() * std::mem::size_of::<Seen>()
            + self.bits.capacity() * std::mem::size_of::<u128>()
            + self.index.capacity() * 2 * std::mem::size_of::<(u64, u32)>()
    }

    /// The line seen with the text of `line`.
    fn find(&self, line: Hashed) -> Option<&Seen> {
        let seen = &self.seen[*self.index.get(&line.hash)? as usize];
        (self.text[seen.text.clone()] == *line.text).then_some(seen)
    }

    /// The counts of `seen` in a scan whose stop words are counted in `language` (`None`: the
    /// language is being detected, and the line's words' bits are pushed to `bits`, its stop
    /// words left uncounted), as a scan of the line would make them; `None` when they cannot
    /// be told without scanning it.
    fn recall(
        &self,
        seen: &Seen,
        language: Option<Option<Language>>,
        bits: &mut Vec<u128>,
    ) -> Option<LineStats> {
        let detected = seen.bits.clone().map(|range| &self.bits[range]);
        let stop = match language {
            None => {
                bits.extend_from_slice(detected?);
                0
            }
            Some(l) if l == self.language => seen.stats.stop,
            Some(None) => 0,
            Some(Some(l)) => detected?.iter().filter(|&&b| language::has(b, l)).count() as u32,
        };
        Some(LineStats { stop, ..seen.stats })
    }

    /// Keep the scan of the non-blank `lines`, whose counts are `stats`, counted in `language`;
    /// the first `starts.len()` lines were scanned while the language was detected, the words'
    /// bits of line `k` starting at `starts[k]` in `bits`.
    fn remember(
        &mut self,
        lines: &[Hashed],
        stats: &[LineStats],
        (bits, starts): (Vec<u128>, &[usize]),
        language: Option<Language>,
    ) {
        self.clear();
        self.seen.reserve(lines.len());
        self.index.reserve(lines.len());
        for (k, line) in lines.iter().enumerate() {
            let start = self.text.len();
            self.text.push_str(line.text);
            let bits = starts
                .get(k)
                .map(|&from| from..starts.get(k + 1).copied().unwrap_or(bits.len()));
            self.seen.push(Seen {
                text: start..self.text.len(),
                stats: stats[k],
                bits,
            });
            self.index
                .entry(line.hash)
                .or_insert(u32::try_from(k).expect("fewer than 2^32 lines"));
        }
        self.bits = bits;
        self.language = language;
    }
}

/// A line's text and its hash, which is all that a map hashes of it: each line is hashed once,
/// for the map of the repeated lines and for the memo's.
#[derive(Debug, Clone, Copy)]
struct Hashed<'a> {
    hash: u64,
    text: &'a str,
}

impl<'a> Hashed<'a> {
    fn new(text: &'a str) -> Self {
        Hashed {
            hash: FxBuildHasher.hash_one(text),
            text,
        }
    }
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Hashed<'_> {}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// [`scan`], and [`scan_again`] with a memo.
fn scan_lines(
    lines: &[&str],
    score: Option<&TextScore>,
    speech: Speech,
    memo: Option<&mut Memo>,
) -> Scanned {
    let index: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let n = index.len();
    let mut stats: Vec<LineStats> = Vec::with_capacity(n);
    let hashed: Vec<Hashed> = index.iter().map(|&i| Hashed::new(lines[i])).collect();
    let mut counts: FxHashMap<Hashed, u32> = FxHashMap::default();
    counts.reserve(n);
    for &line in &hashed {
        *counts.entry(line).or_insert(0) += 1;
    }
    // The words' bits, and where each line's start, for the lines scanned before the language
    // is named.
    let mut bits: Vec<u128> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut language = match speech {
        Speech::Detect => None,
        Speech::Given(language) => Some(language),
    };
    let decide = |bits: &[u128], starts: &[usize], stats: &mut [LineStats]| {
        let named = text::guess_language(bits);
        if let Some(l) = named {
            for (k, s) in stats.iter_mut().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(bits.len());
                s.stop = bits[starts[k]..end]
                    .iter()
                    .filter(|&&b| language::has(b, l))
                    .count() as u32;
            }
        }
        named
    };
    for (k, &i) in index.iter().enumerate() {
        if language.is_none() {
            starts.push(bits.len());
        }
        let recalled = memo.as_deref().and_then(|memo| {
            let seen = memo.find(hashed[k])?;
            memo.recall(seen, language, &mut bits)
        });
        let counted = recalled.unwrap_or_else(|| {
            let mut grams = match score {
                Some(s) => text::Grams::Sum {
                    bits: s.bits,
                    weights: &s.weights,
                },
                None => text::Grams::None,
            };
            let mut stops = match language {
                None => text::Stops::Detect(&mut bits),
                Some(Some(l)) => text::Stops::Count(l.stop_set()),
                Some(None) => text::Stops::None,
            };
            text::scan(lines[i], &mut stops, &mut grams)
        });
        stats.push(counted);
        if language.is_none() && bits.len() >= language::SAMPLE_TOKENS {
            language = Some(decide(&bits, &starts, &mut stats));
        }
    }
    let language = language.unwrap_or_else(|| decide(&bits, &starts, &mut stats));
    let repeated = hashed.iter().map(|line| counts[line] > 1).collect();
    let scores = score.map(|s| {
        stats
            .iter()
            .map(|l| s.score(l.score_sum, l.grams))
            .collect()
    });
    if let Some(memo) = memo {
        memo.remember(&hashed, &stats, (bits, &starts), language);
    }
    let mut scanned = Scanned {
        lines: index,
        stats,
        repeated,
        scores,
        base: Vec::new(),
        language,
    };
    scanned.rebuild();
    scanned
}

impl Scanned {
    /// The language the stop words were counted in.
    pub fn language(&self) -> Option<Language> {
        self.language
    }

    /// The base features of every line, from their counts.
    fn rebuild(&mut self) {
        let language = self.language;
        self.base = self
            .stats
            .iter()
            .zip(&self.repeated)
            .enumerate()
            .map(|(k, (s, repeated))| {
                let words = s.words as f32;
                let chars = s.chars.max(1) as f32;
                let share = |x: u32| {
                    if s.words == 0 {
                        f32::NAN
                    } else {
                        x as f32 / words
                    }
                };
                let flag = |f: u32| f32::from(u8::from(s.has(f)));
                let stop = match language {
                    Some(_) => share(s.stop),
                    None => f32::NAN,
                };
                let prose = s.words >= PROSE_WORDS
                    && s.has(text::FLAG_TERMINAL)
                    && (language.is_none() || stop >= PROSE_STOP);
                let signature = (s.has(text::FLAG_TIME) || s.has(text::FLAG_DATE))
                    && s.words <= SIGNATURE_WORDS;
                let per_word = |x: u32| x as f32 / words.max(1.0);
                [
                    ln_1p(s.chars as usize),
                    ln_1p(s.words as usize),
                    stop,
                    flag(text::FLAG_TERMINAL),
                    flag(text::FLAG_COLON_END),
                    flag(text::FLAG_COMMA_END),
                    flag(text::FLAG_DIGIT_END),
                    flag(text::FLAG_FIRST_UPPER),
                    flag(text::FLAG_FIRST_LOWER),
                    flag(text::FLAG_FIRST_DIGIT),
                    flag(text::FLAG_FIRST_BULLET),
                    share(s.capitalized),
                    share(s.all_caps),
                    s.digits as f32 / chars,
                    s.letters as f32 / chars,
                    s.separators as f32,
                    per_word(s.separators),
                    s.punct as f32 / chars,
                    per_word(s.commas),
                    s.sentences as f32,
                    if s.words == 0 {
                        0.0
                    } else {
                        s.word_chars as f32 / words
                    },
                    flag(text::FLAG_URL),
                    flag(text::FLAG_AT),
                    flag(text::FLAG_COPYRIGHT),
                    f32::from(u8::from(prose)),
                    flag(text::FLAG_TIME),
                    flag(text::FLAG_DATE),
                    f32::from(u8::from(signature)),
                    f32::from(u8::from(*repeated)),
                    self.scores.as_ref().map_or(f32::NAN, |s| s[k]),
                ]
            })
            .collect();
    }

    /// Number of non-blank lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Each non-blank line's word tokens.
    pub fn words(&self) -> impl Iterator<Item = u32> + '_ {
        self.stats.iter().map(|s| s.words)
    }

    /// Set the text scores of the non-blank lines (or leave them missing with `None`).
    pub fn set_scores(&mut self, scores: Option<&[f32]>) {
        self.scores = scores.map(<[f32]>::to_vec);
        for (k, base) in self.base.iter_mut().enumerate() {
            base[B_SCORE] = scores.map_or(f32::NAN, |s| s[k]);
        }
    }

    /// The values of [`DOC_NAMES`], given the line model's probabilities of the non-blank
    /// lines.
    pub fn doc_features(&self, probability: &[f32]) -> [f32; DOC_NAMES.len()] {
        let words: Vec<f64> = self
            .stats
            .iter()
            .map(|s| f64::from(s.words.max(1)))
            .collect();
        let total: f64 = words.iter().sum::<f64>().max(1.0);
        let word_share = |test: &dyn Fn(f32) -> bool| -> f32 {
            (probability
                .iter()
                .zip(&words)
                .filter(|(&p, _)| test(p))
                .map(|(_, w)| w)
                .sum::<f64>()
                / total) as f32
        };
        let line_share = |ps: &[f32]| -> f32 {
            if ps.is_empty() {
                0.0
            } else {
                ps.iter().filter(|&&p| p < 0.5).count() as f32 / ps.len() as f32
            }
        };
        let n_lines = probability.len();
        let judged = [
            word_share(&|p| p < 0.5),
            word_share(&|p| p < 0.9),
            (probability
                .iter()
                .zip(&words)
                .map(|(&p, w)| f64::from(p) * w)
                .sum::<f64>()
                / total) as f32,
            line_share(&probability[..n_lines.min(15)]),
            line_share(&probability[n_lines.saturating_sub(15)..]),
        ];
        let shape = self.shape();
        let mut out = [0f32; DOC_NAMES.len()];
        out[..shape.len()].copy_from_slice(&shape);
        out[shape.len()..].copy_from_slice(&judged);
        out
    }

    /// The document-level values that do not depend on the line model.
    fn shape(&self) -> [f32; 14] {
        let n = self.len().max(1) as f32;
        let share = |test: &dyn Fn(&LineStats) -> bool| {
            self.stats.iter().filter(|s| test(s)).count() as f32 / n
        };
        let words: f64 = self.stats.iter().map(|s| f64::from(s.words)).sum();
        let stop = match self.language {
            Some(_) if words > 0.0 => {
                (self.stats.iter().map(|s| f64::from(s.stop)).sum::<f64>() / words) as f32
            }
            _ => f32::NAN,
        };
        let head = self.stats.iter().take(15);
        let head_n = head.len().max(1) as f32;
        [
            (1.0 + self.len() as f32).ln(),
            share(&|s| s.words <= 4),
            share(&|s| s.words >= 20),
            share(&|s| s.has(text::FLAG_TERMINAL)),
            stop,
            share(&|s| s.separators > 0),
            share(&|s| s.has(text::FLAG_FIRST_BULLET)),
            (1.0 + words as f32 / n).ln(),
            self.stats.iter().take(15).filter(|s| s.words <= 4).count() as f32 / head_n,
            self.base.iter().filter(|b| b[B_PROSE] > 0.0).count() as f32 / n,
            self.scored_share(&self.base, |_| true, f32::NAN),
            self.scored_share(&self.base, |v| v < 0.0, 0.0),
            self.scored_share(&self.base[..self.len().min(15)], |v| v < 0.0, 0.0),
            self.scored_share(
                &self.base[self.len().saturating_sub(15)..],
                |v| v < 0.0,
                0.0,
            ),
        ]
    }

    /// Over `lines`: the mean text score (with `mean` NaN) or the share of scores that pass
    /// `test` (with `mean` a number); NaN without scores.
    fn scored_share(
        &self,
        lines: &[[f32; BASE.len()]],
        test: impl Fn(f32) -> bool,
        mean: f32,
    ) -> f32 {
        if self.scores.is_none() || lines.is_empty() {
            return f32::NAN;
        }
        let n = lines.len() as f32;
        if mean.is_nan() {
            lines.iter().map(|b| b[B_SCORE]).sum::<f32>() / n
        } else {
            lines.iter().filter(|b| test(b[B_SCORE])).count() as f32 / n
        }
    }

    /// The rows of features.
    pub fn rows(&self) -> Features {
        let base = &self.base;
        let stats = &self.stats;
        let n = self.len();
        let mut features = Features {
            lines: self.lines.clone(),
            words: stats.iter().map(|s| s.words).collect(),
            rows: Vec::with_capacity(n * COUNT),
        };
        if n == 0 {
            return features;
        }
        // Document-level values.
        let total_words: f64 = stats.iter().map(|s| f64::from(s.words)).sum();
        let share_of = |test: &dyn Fn(&LineStats) -> bool| {
            stats.iter().filter(|s| test(s)).count() as f32 / n as f32
        };
        let doc_long = share_of(&|s| s.words >= 20);
        let doc_term = share_of(&|s| s.has(text::FLAG_TERMINAL));
        let doc_short = share_of(&|s| s.words <= 4);
        let doc_stop = match self.language {
            Some(_) if total_words > 0.0 => {
                (stats.iter().map(|s| f64::from(s.stop)).sum::<f64>() / total_words) as f32
            }
            _ => f32::NAN,
        };
        // Prose and signatures.
        let prose: Vec<usize> = (0..n).filter(|&k| base[k][B_PROSE] > 0.0).collect();
        let prose_words: Vec<f64> = {
            let mut above = 0.0;
            let total: f64 = prose.iter().map(|&k| f64::from(stats[k].words)).sum();
            (0..n)
                .map(|k| {
                    let share = if total > 0.0 { above / total } else { 0.0 };
                    if base[k][B_PROSE] > 0.0 {
                        above += f64::from(stats[k].words);
                    }
                    share
                })
                .collect()
        };
        let signatures: Vec<u32> = {
            let mut above = 0;
            base.iter()
                .map(|b| {
                    let count = above;
                    above += u32::from(b[B_SIG] > 0.0);
                    count
                })
                .collect()
        };
        let total_signatures = base.iter().filter(|b| b[B_SIG] > 0.0).count() as u32;
        // Prefix sums of the context features (NaN counted as 0), and of the text score.
        let value = |k: usize, b: usize| -> f64 {
            let v = base[k][b];
            if v.is_nan() {
                0.0
            } else {
                f64::from(v)
            }
        };
        let summed: Vec<usize> = CONTEXT
            .iter()
            .copied()
            .chain([B_SIG, B_TIME, B_SCORE])
            .collect();
        let prefix: Vec<Vec<f64>> = summed
            .iter()
            .map(|&b| {
                let mut sums = Vec::with_capacity(n + 1);
                sums.push(0.0);
                let mut total = 0.0;
                for k in 0..n {
                    total += value(k, b);
                    sums.push(total);
                }
                sums
            })
            .collect();
        let scored = self.scores.is_some();
        let median = if scored {
            let mut scores: Vec<f32> = base.iter().map(|b| b[B_SCORE]).collect();
            scores.sort_by(f32::total_cmp);
            scores[n / 2]
        } else {
            f32::NAN
        };
        // Each summed feature of every line with NaN read as 0 (as the means read it), or NaN
        // throughout where the feature is missing, between two NaN either side for the lines
        // beyond the document's ends: a neighbour's value is read with no test.
        let padded: Vec<Vec<f32>> = summed
            .iter()
            .map(|&b| {
                let mut column = vec![f32::NAN; n + 4];
                if b != B_STOP || self.language.is_some() {
                    for (k, cell) in column[2..n + 2].iter_mut().enumerate() {
                        *cell = value(k, b) as f32;
                    }
                }
                column
            })
            .collect();
        let mut words_before = 0f64;
        let (first_prose, last_prose) = (prose.first().copied(), prose.last().copied());
        // The index into `prose` of the first prose line at or after k.
        let mut next_prose = 0;
        // Each value is written in place, at an offset the compiler knows, into the zeroed
        // matrix: a row put together value after value on the stack counted its length and
        // checked it for each of them, then was copied.
        features.rows.resize(n * COUNT, 0.0);
        for (k, row) in features.rows.chunks_exact_mut(COUNT).enumerate() {
            row[..POSITION].copy_from_slice(&base[k]);
            let last = (n - 1) as f32;
            row[POSITION..DOCUMENT].copy_from_slice(&[
                if n > 1 { k as f32 / last } else { 0.0 },
                ln_1p(k),
                ln_1p(n - 1 - k),
                if total_words > 0.0 {
                    (words_before / total_words) as f32
                } else {
                    0.0
                },
            ]);
            words_before += f64::from(stats[k].words);
            row[DOCUMENT..PROSE].copy_from_slice(&[doc_long, doc_term, doc_stop, doc_short]);
            while next_prose < prose.len() && prose[next_prose] < k {
                next_prose += 1;
            }
            let distance = {
                let after = prose.get(next_prose).map(|&p| p - k);
                let before = next_prose.checked_sub(1).map(|j| k - prose[j]);
                match (before, after) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            };
            row[PROSE..SIGNATURES].copy_from_slice(&[
                f32::from(u8::from(first_prose.is_none_or(|p| k < p))),
                f32::from(u8::from(last_prose.is_some_and(|p| k > p))),
                distance.map_or(5.0, ln_1p),
                prose_words[k] as f32,
            ]);
            let above = signatures[k];
            let own_signature = u32::from(base[k][B_SIG] > 0.0);
            row[SIGNATURES..NEIGHBOURS].copy_from_slice(&[
                ln_1p(above as usize),
                above as f32 / total_signatures.max(1) as f32,
                ln_1p((total_signatures - above - own_signature) as usize),
            ]);
            let neighbours = row[NEIGHBOURS..MARKS].chunks_exact_mut(OFFSETS.len() + WINDOWS.len());
            for (cells, padded) in neighbours.zip(&padded) {
                // Line `k` and two lines either side.
                let around: &[f32; 5] = padded[k..k + 5].try_into().expect("five values");
                for (o, cell) in OFFSETS.into_iter().zip(cells) {
                    *cell = around[(2 + o) as usize];
                }
            }
            row[MEDIAN] = median;
            row[MEDIAN + 1] = base[k][B_SCORE] - median;
        }
        // The window means, a column at a time, then written into their rows.
        let mut column = Vec::with_capacity(n);
        for (j, &b) in summed.iter().enumerate() {
            let (windows, at): (&[usize], usize) = if j < CONTEXT.len() {
                let at = NEIGHBOURS + j * (OFFSETS.len() + WINDOWS.len()) + OFFSETS.len();
                (&WINDOWS, at)
            } else if b == B_SCORE {
                (&SCORE_WINDOWS, SCORES)
            } else {
                (&WINDOWS, MARKS + (j - CONTEXT.len()) * WINDOWS.len())
            };
            let missing = (b == B_STOP && self.language.is_none()) || (b == B_SCORE && !scored);
            for (i, &w) in windows.iter().enumerate() {
                column.clear();
                if missing {
                    column.resize(n, f32::NAN);
                } else {
                    window_means(&prefix[j], &padded[j][2..n + 2], w, &mut column);
                }
                for (row, &v) in features.rows.chunks_exact_mut(COUNT).zip(&column) {
                    row[at + i] = v;
                }
            }
        }
        features
    }
}

/// The values of [`ln_1p`] taken from a table.
const LN_TABLE: usize = 1024;

/// `ln(1 + k)` in `f32`, as `(1.0 + k as f32).ln()` makes it: from a table made that way for
/// the small counts (most of them), seven of which every row takes.
fn ln_1p(k: usize) -> f32 {
    static TABLE: std::sync::LazyLock<Vec<f32>> =
        std::sync::LazyLock::new(|| (0..LN_TABLE).map(|k| (1.0 + k as f32).ln()).collect());
    match TABLE.get(k) {
        Some(&v) => v,
        None => (1.0 + k as f32).ln(),
    }
}

/// The mean of the values of the `w` lines either side of line `k` of `n` (as many as there
/// are), the line itself left out, from the prefix sums `p` of the values and the line's own
/// value; 0 for a line alone.
fn mean_around(p: &[f64], n: usize, k: usize, w: usize, own: f64) -> f32 {
    let lo = k.saturating_sub(w);
    let hi = (k + w + 1).min(n);
    let others = hi - lo - 1;
    if others == 0 {
        0.0
    } else {
        ((p[hi] - p[lo] - own) / others as f64) as f32
    }
}

/// [`mean_around`] of every line, whose values are `own`, into `out`: the lines with a whole
/// window, whose means take the same steps with no test of the ends, in one loop the
/// compiler can put in SIMD lanes.
fn window_means(p: &[f64], own: &[f32], w: usize, out: &mut Vec<f32>) {
    let n = own.len();
    let edge = |k: usize| mean_around(p, n, k, w, f64::from(own[k]));
    if n < 2 * w + 1 {
        out.extend((0..n).map(edge));
        return;
    }
    out.extend((0..w).map(edge));
    // Lines `w..n - w`: from `k - w` to `k + w`, 2w others.
    let others = (2 * w) as f64;
    out.extend(
        p[2 * w + 1..]
            .iter()
            .zip(p)
            .zip(&own[w..n - w])
            .map(|((&hi, &lo), &v)| ((hi - lo - f64::from(v)) / others) as f32),
    );
    out.extend((n - w..n).map(edge));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_rows() {
        assert_eq!(NAMES.len(), COUNT);
        let lines = ["Home | News", "", "The council met on Monday and voted to approve the budget for the coming year, the mayor said.", "Posted by Kay October 29, 2012 at 7:50 am"];
        let f = scan(&lines, None, Speech::Detect).rows();
        assert_eq!(f.lines, [0, 2, 3]);
        assert_eq!(f.rows.len(), 3 * COUNT);
        let name = |n: &str| NAMES.iter().position(|x| x == n).unwrap();
        assert_eq!(f.row(1)[name("prose")], 1.0);
        assert_eq!(f.row(0)[name("before-prose")], 1.0);
        assert_eq!(f.row(2)[name("after-prose")], 1.0);
        assert_eq!(f.row(2)[name("signature")], 1.0);
        assert_eq!(f.row(0)[name("separators")], 1.0);
        assert!(f.row(0)[name("text-score")].is_nan());
        assert!(f.row(0)[name("words@-1")].is_nan());
    }

    #[test]
    fn window_means_are_each_lines_mean() {
        let mut random = crate::model::trees::SplitMix(10);
        for n in 1..=30 {
            let own: Vec<f32> = (0..n).map(|_| random.unit() as f32).collect();
            let mut p = vec![0.0];
            for &v in &own {
                p.push(p.last().unwrap() + f64::from(v));
            }
            for w in [1, 3, 10] {
                let mut out = Vec::new();
                window_means(&p, &own, w, &mut out);
                let want: Vec<u32> = (0..n)
                    .map(|k| mean_around(&p, n, k, w, f64::from(own[k])).to_bits())
                    .collect();
                let got: Vec<u32> = out.iter().map(|v| v.to_bits()).collect();
                assert_eq!(got, want, "{n} lines, {w} either side");
            }
        }
    }

    #[test]
    fn the_table_of_logarithms_holds_what_ln_makes() {
        for k in (0..2 * LN_TABLE).chain([1 << 20, (1 << 24) + 1, usize::MAX]) {
            assert_eq!(ln_1p(k).to_bits(), (1.0 + k as f32).ln().to_bits(), "{k}");
        }
    }

    /// `again` (a scan with a memo) is `fresh` (the scan made without): the same counts,
    /// language and rows, bit for bit.
    fn assert_same(again: &Scanned, fresh: &Scanned, what: &str) {
        assert_eq!(again.lines, fresh.lines, "{what}");
        assert_eq!(again.language, fresh.language, "{what}");
        assert_eq!(again.stats, fresh.stats, "{what}");
        assert_eq!(again.repeated, fresh.repeated, "{what}");
        let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect::<Vec<u32>>();
        assert!(
            bits(&again.rows().rows) == bits(&fresh.rows().rows),
            "{what}"
        );
        let probability = vec![0.25; fresh.len()];
        assert_eq!(
            bits(&again.doc_features(&probability)),
            bits(&fresh.doc_features(&probability)),
            "{what}"
        );
    }

    /// The corpus's documents, in the order of their names.
    fn corpus() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/input");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    }

    /// The corpus's documents, and at random what rounds might leave of each in turn (lines
    /// gone, lines cut short, blank lines left), each scanned with the memo of the scan before
    /// (the first with the previous document's): each scan is the one made afresh.
    #[test]
    fn a_scan_again_is_the_scan_made_afresh() {
        let model = crate::model::Model::embedded().expect("a model in the build");
        let score = model.score.as_ref();
        let mut random = crate::model::trees::SplitMix(23);
        let mut memo = Memo::default();
        let mut scans = 0;
        for (d, text) in corpus().iter().enumerate() {
            let mut lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
            for round in 0..4 {
                let view: Vec<&str> = lines.iter().map(String::as_str).collect();
                let again = scan_again(&view, score, &mut memo);
                assert_same(
                    &again,
                    &scan(&view, score, Speech::Detect),
                    &format!("{d}.{round}"),
                );
                assert_eq!(memo.language, again.language);
                scans += 1;
                // The next round: a line in five goes, and one in two of the head's quarter;
                // one in six is cut after its first word.
                let head = lines.len() / 4;
                let mut next = Vec::new();
                for (i, line) in lines.iter().enumerate() {
                    if random.next() % 5 == 0 || (i < head && random.next() % 2 == 0) {
                        continue;
                    }
                    next.push(match (random.next() % 6, line.split_once(' ')) {
                        (0, Some((first, _))) => first.to_string(),
                        _ => line.clone(),
                    });
                }
                lines = next;
            }
        }
        assert_eq!(scans, 4 * corpus().len());
    }

    /// A document whose language changes between two scans (lines of another language, or of
    /// none, go from its head or come before it): its stop words are counted in the new
    /// language, as a scan afresh counts them, whether its lines were scanned before while the
    /// language was detected (French first, then English before it) or after (English, then
    /// French alone), and with no language (junk before the French, or after it).
    #[test]
    fn a_scan_again_counts_stop_words_in_the_language_found_again() {
        let model = crate::model::Model::embedded().expect("a model in the build");
        let score = model.score.as_ref();
        let texts = corpus();
        let doc = |name: &str| -> Vec<String> {
            let k = texts.iter().position(|t| t.contains(name)).expect(name);
            texts[k].lines().map(|l| l.trim().to_string()).collect()
        };
        let en = doc("Senate passes $48 billion budget");
        let fr = doc("marché");
        let junk: Vec<String> = (0..200).map(|k| format!("Xqz{k} vrb {k} qq")).collect();
        let join = |parts: &[&[String]]| -> Vec<String> { parts.concat() };
        let cases: Vec<(Vec<String>, Vec<String>)> = vec![
            (join(&[&en, &fr]), fr.clone()),
            (fr.clone(), join(&[&en, &fr])),
            (join(&[&junk, &fr]), fr.clone()),
            (fr.clone(), join(&[&junk, &fr])),
        ];
        for (k, (first, second)) in cases.iter().enumerate() {
            let first: Vec<&str> = first.iter().map(String::as_str).collect();
            let second: Vec<&str> = second.iter().map(String::as_str).collect();
            let mut memo = Memo::default();
            let before = scan_again(&first, score, &mut memo).language();
            let again = scan_again(&second, score, &mut memo);
            assert_ne!(before, again.language(), "case {k}");
            assert_same(
                &again,
                &scan(&second, score, Speech::Detect),
                &format!("case {k}"),
            );
        }
    }

    #[test]
    fn no_language_means_no_stop_words() {
        let lines = ["Xqzt vrmbl"];
        let f = scan(&lines, None, Speech::Detect).rows();
        let name = |n: &str| NAMES.iter().position(|x| x == n).unwrap();
        assert!(f.row(0)[name("stop-share")].is_nan());
        assert!(f.row(0)[name("stop-share~3")].is_nan());
    }
}
