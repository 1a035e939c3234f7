//! The paragraph classifier for raw page text (`CLASSIFY`), and the input-kind detector that
//! decides when it runs.
//!
//! Article extractors hand over the article with some junk left in it; the pattern rules are
//! made for that. A raw dump of a whole page (every menu, teaser, footer and comment) needs more:
//! here each line (a block of the page) is classified on its text alone, in the manner of
//! jusText:
//!
//! 1. **Line classes.** A line is `bad` when it carries menu separators (`|`, `»`, `•`, `·`,
//!    `›`; a `• ` that opens the line is a list bullet, not a separator) and is not long, is
//!    mostly digits, or is a copyright line; `good` when it is long and dense in stop words
//!    (the glue words of real sentences) in the document's language (English, French, German,
//!    Spanish, Italian or Portuguese, guessed per document from which stop-word list fits
//!    best); `near-good` when it is of medium length with some stop words
//!    and ends like a sentence; `short` otherwise. A list item (`* `, `- `, `• `) that is not
//!    long prose counts as `bad`.
//! 2. **Comments.** Once the article has begun (enough prose seen: `good` lines, and `near-good`
//!    ones after the first `good` line, so that teaser headlines above the article do not
//!    count), a comment-section marker (`24 Comments`, `12 Responses to “…”`, `Leave a Reply`,
//!    `Jane says:`, `[Reply]`) ends it: every line from there on is `bad`. A `says:` / `said:`
//!    line is a signature only when a name (up to four words) or a date stands before it, not
//!    a sentence introducing a quote.
//! 3. **Context.** Each line weighs its word count: positive for `good` and `near-good`,
//!    negative for `short` and `bad`. The blocks of the page with the largest positive sums
//!    (maximum-sum runs of lines, the strongest first, then the strongest in what is left on
//!    either side, while a run is worth at least a set share of the strongest) are the article:
//!    a short line between good paragraphs survives, and a long line among navigation does
//!    not. A list item weighs like a `short` line, so a list inside the article does not split
//!    it. Inside a block, short `bad` lines are still removed. A few `short` or `near-good`
//!    lines just above a block (a headline, a byline, a dateline; also a long headline poor in
//!    stop words and a dated byline with separators, `bad` elsewhere) are kept with it, and a
//!    `short` line just below it (a closing line, a credit). With
//!    [`heading_skip`](ClassifierOptions::heading_skip) the walk up may pass over menu lines
//!    (a share bar) between the byline and the article;
//!    [`ClassifierOptions::favor_recall`] is a preset that keeps more around the article.
//!
//! Every removal is reported with the pass id `CLASSIFY` and its main reason. The classifier
//! only runs on documents that the detector takes for raw pages ([`InputKind::Auto`], the
//! default), or on every document with [`InputKind::Page`].

use std::sync::OnceLock;

use regex::Regex;
use rustc_hash::FxHashMap;

/// What kind of text a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// Decide per document with [`detect`].
    #[default]
    Auto,
    /// Text from an article extractor: the classifier never runs.
    Article,
    /// The whole visible text of a page: the classifier always runs.
    Page,
}

pub use crate::passes::CLASSIFY;
use crate::swar;

/// Thresholds of the classifier and the detector. Every field is a documented option.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassifierOptions {
    /// Words from which a line counts as long (`good` when dense in stop words).
    pub long_words: usize,
    /// Words under which a line is `short`.
    pub short_words: usize,
    /// Stop-word share from which a long line is `good`.
    pub stopwords_high: f64,
    /// Stop-word share from which a medium line may be `near-good`.
    pub stopwords_low: f64,
    /// A line with menu separators is `bad` under this many words.
    pub separator_max_words: usize,
    /// Weight per word of a `bad` line in the block search (as a penalty).
    pub bad_penalty: f64,
    /// Weight per word of a `short` line in the block search (as a penalty).
    pub short_penalty: f64,
    /// A block is kept when its score is at least this many (weighted) words...
    pub block_min: f64,
    /// ...and at least this share of the strongest block's score.
    pub block_share: f64,
    /// Lines just above a block kept with it when short or near-good (headline, byline).
    pub heading_lines: usize,
    /// Menu or list lines (a share bar, a tag list) that the walk up from a block over its
    /// headline and byline may pass over, within [`heading_lines`](Self::heading_lines); they
    /// are still removed.
    pub heading_skip: usize,
    /// Short lines just below a block kept with it (a closing line, a credit, a sign-off).
    pub tail_lines: usize,
    /// Prose words needed before a comment-section marker ends the article (words of `good`
    /// lines, and of `near-good` lines after the first `good` one).
    pub comment_after_words: usize,
    /// Detector: a page has at least this many short lines (four words or fewer)...
    pub page_short_lines: usize,
    /// ...and at least this share of short lines among its first 15 lines, or
    pub page_head_share: f64,
    /// ...at least this share of short lines overall.
    pub page_short_share: f64,
    /// Detector: a document of more bytes than this is never taken for a page. The visible text
    /// of one page is seldom over a few hundred kilobytes (the largest of the bench's 1,122
    /// pages is 150 KB); a bigger document is a collection, such as articles concatenated into
    /// one stream, where the classifier, looking for one article, would drop all the others.
    pub page_max_bytes: usize,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        ClassifierOptions {
            long_words: 25,
            short_words: 10,
            stopwords_high: 0.32,
            stopwords_low: 0.2,
            separator_max_words: 30,
            bad_penalty: 2.0,
            short_penalty: 0.7,
            block_min: 30.0,
            block_share: 0.1,
            heading_lines: 3,
            heading_skip: 0,
            tail_lines: 1,
            comment_after_words: 50,
            page_short_lines: 25,
            page_head_share: 0.4,
            page_short_share: 0.3,
            page_max_bytes: 1 << 20,
        }
    }
}

impl ClassifierOptions {
    /// A recall-oriented preset (in the spirit of trafilatura's `favor_recall`): more of what
    /// surrounds the article is kept, at the cost of more junk. The headline, byline and
    /// dateline are looked for up to 12 lines above a block, past up to 10 menu or list lines
    /// (share bars, tag lists) that stand between them and the article; up to 3 short lines
    /// below a block are kept; a block needs only 5 % of the strongest block's score; and a
    /// short line costs less (0.6 per word), so short paragraphs and subheadings between
    /// paragraphs split the article less often. The detector's thresholds are the defaults.
    ///
    /// # Example
    /// ```
    /// use boilerstrip::classifier::ClassifierOptions;
    ///
    /// let o = ClassifierOptions::favor_recall();
    /// assert!(o.heading_lines > ClassifierOptions::default().heading_lines);
    /// ```
    pub fn favor_recall() -> Self {
        ClassifierOptions {
            heading_lines: 12,
            heading_skip: 10,
            tail_lines: 3,
            block_share: 0.05,
            short_penalty: 0.6,
            ..ClassifierOptions::default()
        }
    }
}

/// Why the classifier removed a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Menu separators (`|`, `»`, `•`) in a line that is not long.
    Separators,
    /// Mostly digits (dates, scores, prices, counters).
    Digits,
    /// A copyright line.
    Copyright,
    /// A list item that is not long prose (menus are lists).
    ListItem,
    /// In or after a comment section.
    Comments,
    /// A short line outside the article's blocks.
    ShortOutside,
    /// A line with few stop words outside the article's blocks.
    LowStopwords,
    /// Prose-like, but outside the article's blocks (among navigation or teasers).
    OutsideBlocks,
}

impl Reason {
    /// A short human explanation, shown by `--explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Separators => "menu separators",
            Reason::Digits => "mostly digits",
            Reason::Copyright => "copyright line",
            Reason::ListItem => "short list item",
            Reason::Comments => "comment section",
            Reason::ShortOutside => "short line outside the article",
            Reason::LowStopwords => "few stop words",
            Reason::OutsideBlocks => "outside the article's blocks",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    Near,
    Short,
    Bad(Reason),
}

fn is_short_line(line: &str) -> bool {
    count_words(line, 5) < 5
}

/// The number of words of `line` as `split_whitespace` cuts them, counting no further than
/// `limit`.
fn count_words(line: &str, limit: usize) -> usize {
    // ASCII eight bytes at a time: the starts of words are the bytes that are not space after
    // one that is (`char::is_whitespace` on ASCII is space and tab to carriage return). Counting
    // stops soon after the limit, so a line of prose is read only as far as its fifth word.
    let (mut n, mut after_space) = (0, true);
    let mut at = 0;
    for chunk in line.as_bytes().chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if swar::non_ascii(word) != 0 {
            break;
        }
        let space = swar::ascii_space(word);
        n += swar::count(swar::run_starts(!space & swar::HIGH, !after_space));
        after_space = swar::last(space);
        at += 8;
        if n >= limit {
            return limit;
        }
    }
    // The rest character by character, from a character boundary (every byte before `at` is
    // ASCII).
    for c in line[at..].chars() {
        let space = match c.is_ascii() {
            true => is_ascii_space(c as u8),
            false => c.is_whitespace(),
        };
        n += usize::from(after_space & !space);
        after_space = space;
        if n >= limit {
            break;
        }
    }
    n.min(limit)
}

/// Whether a document looks like the whole visible text of a page rather than extracted
/// article text: many short lines (menus, buttons, teasers), especially at the top, in a
/// document no bigger than a page ([`ClassifierOptions::page_max_bytes`]). `lines` are trimmed
/// lines.
///
/// # Example
/// ```
/// use boilerstrip::classifier::{detect, ClassifierOptions, InputKind};
///
/// let article = ["The council met on Monday to discuss the new bridge over the river."];
/// assert_eq!(detect(&article, &ClassifierOptions::default()), InputKind::Article);
/// ```
pub fn detect(lines: &[&str], options: &ClassifierOptions) -> InputKind {
    // Counted in passes over the lines, without a copy of them: most documents are articles,
    // told apart by the first counts.
    let nonblank = || lines.iter().filter(|l| !l.is_empty());
    // Counted until the document is known to be bigger than a page.
    let (mut count, mut bytes) = (0, 0);
    for line in nonblank() {
        (count, bytes) = (count + 1, bytes + line.len());
        if bytes > options.page_max_bytes {
            return InputKind::Article;
        }
    }
    // Fewer lines than the short lines a page needs: no need to look at them.
    if count == 0 || count < options.page_short_lines {
        return InputKind::Article;
    }
    let (mut short, mut head_short) = (0, 0);
    for (k, line) in nonblank().enumerate() {
        if is_short_line(line) {
            short += 1;
            head_short += usize::from(k < 15);
        }
    }
    if short < options.page_short_lines {
        return InputKind::Article;
    }
    let head_share = head_short as f64 / count.min(15) as f64;
    let share = short as f64 / count as f64;
    if head_share >= options.page_head_share || share >= options.page_short_share {
        InputKind::Page
    } else {
        InputKind::Article
    }
}

const STOPWORDS: [&str; 6] = [
    // English
    "a about above after again against all also am an and any are as at be because been before \
     being below between both but by can could did do does doing down during each few for from \
     further had has have having he her here hers him his how i if in into is it its itself \
     just me more most my no nor not now of off on once only or other our out over own said same \
     she should so some such than that the their them then there these they this those through \
     to too under until up very was we were what when where which while who whom why will with \
     would you your",
    // French
    "au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui mais me \
     même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta \
     te tes toi ton tu un une vos votre vous été être avoir fait comme plus aussi été était sont \
     ont a y d l n s c j qu",
    // German
    "aber alle als also am an auch auf aus bei bin bis da damit dann das dass dem den der des die \
     dies doch du durch ein eine einem einen einer er es für hat hatte ich ihr im in ist ja kann \
     mit nach nicht noch nur oder sich sie sind so über um und uns vom von vor war wie wir wird \
     wurde zu zum zur",
    // Spanish
    "a al algo con como de del desde donde el ella en entre era es esta este fue ha hay la las le \
     lo los más me mi muy no nos o para pero por que se ser si sin sobre su sus también te tiene \
     todo un una uno y ya está son han",
    // Italian
    "a ad al alla alle anche che chi ci come con da dal dalla degli dei del della delle di e è gli \
     ha hanno i il in la le lo ma mi nel nella non per più può se si sono su sua suo tra un una \
     uno questo questa ci sono stato era",
    // Portuguese
    "a ao aos as com como da das de do dos e é ela ele em entre era essa esse está foi há isso já \
     mais mas me muito na nas não no nos o os ou para pela pelo por que se sem ser seu sua são \
     também tem um uma foram",
];

/// The stop words, each with a bit per language ([`STOPWORDS`] index) whose list holds it, by
/// their [`word_key`].
struct StopWords {
    map: FxHashMap<u64, u8>,
}

/// The most bytes of a word that [`word_key`] packs: every stop word fits.
const KEY_BYTES: usize = 8;

/// The bytes of a word of at most [`KEY_BYTES`] bytes packed into a `u64`, the first byte
/// lowest, or `None` for a longer word. The text of a word holds no NUL byte, so two words have
/// the same key only when they are the same. A look-up by key hashes one number instead of a
/// string.
fn word_key(bytes: &[u8]) -> Option<u64> {
    let mut key = [0; KEY_BYTES];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u64::from_le_bytes(key))
}

fn stopwords() -> &'static StopWords {
    static WORDS: OnceLock<StopWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (k, list) in STOPWORDS.iter().enumerate() {
            for word in list.split_whitespace() {
                let key = word_key(word.as_bytes()).expect("a stop word fits a key");
                *map.entry(key).or_insert(0) |= 1 << k;
            }
        }
        StopWords { map }
    })
}

impl StopWords {
    /// The stop-word bits of `token`, a `\w+` run, looked up lowercased. A word whose lowercase
    /// is longer than a key is no stop word.
    fn bits(&self, token: &str) -> u8 {
        if token.is_ascii() {
            return self.ascii_bits(token.as_bytes());
        }
        let mut lower = [0; KEY_BYTES];
        let mut len = 0;
        for c in token.chars().flat_map(char::to_lowercase) {
            let Some(room) = lower.get_mut(len..len + c.len_utf8()) else {
                return 0;
            };
            len += c.encode_utf8(room).len();
        }
        word_key(&lower[..len]).map_or(0, |key| self.get(key))
    }

    /// [`Self::bits`] of an ASCII token, lowercased in its key: lowercasing keeps an ASCII
    /// word's length.
    fn ascii_bits(&self, token: &[u8]) -> u8 {
        word_key(token).map_or(0, |key| self.ascii_key_bits(key))
    }

    /// [`Self::ascii_bits`] of the ASCII token `text[start..end]`. Where eight bytes follow its
    /// start, its key is those bytes with the ones after the token masked off, with no copy.
    fn ascii_bits_at(&self, text: &[u8], start: usize, end: usize) -> u8 {
        let len = end - start;
        match text.get(start..start + KEY_BYTES) {
            _ if len > KEY_BYTES => 0,
            Some(eight) => {
                let key = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
                self.ascii_key_bits(key & (u64::MAX >> (8 * (KEY_BYTES - len))))
            }
            None => self.ascii_bits(&text[start..end]),
        }
    }

    /// The bits of the key of an ASCII word, lowercased here.
    fn ascii_key_bits(&self, key: u64) -> u8 {
        self.get(key | swar::ascii_upper(key) >> 2)
    }

    fn get(&self, key: u64) -> u8 {
        self.map.get(&key).copied().unwrap_or(0)
    }
}

/// Whether the ASCII byte `b` is whitespace to `char::is_whitespace` (space, and tab to
/// carriage return).
fn is_ascii_space(b: u8) -> bool {
    b == b' ' || b.wrapping_sub(b'\t') <= b'\r' - b'\t'
}

/// Whether the ASCII byte `b` belongs to a `\w+` run.
fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Calls `f` with the stop-word bits (0 for other words) of each `\w+` run of `line`,
/// lowercased for the look-up. An ASCII line is cut byte by byte.
fn for_each_word(line: &str, mut f: impl FnMut(u8)) {
    let words = stopwords();
    if line.is_ascii() {
        let mut start = None;
        for (i, &b) in line.as_bytes().iter().chain([&b' ']).enumerate() {
            match (is_ascii_word(b), start) {
                (true, None) => start = Some(i),
                (false, Some(from)) => {
                    start = None;
                    f(words.bits(&line[from..i]));
                }
                _ => {}
            }
        }
    } else {
        let tokens = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|t| !t.is_empty());
        for token in tokens {
            f(words.bits(token));
        }
    }
}

/// What the classifier counts in a line. They are taken together, so that the language guess
/// and the line classes read each line once (an ASCII line in one pass over its bytes) instead
/// of once per count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct LineCounts {
    /// Words, as `split_whitespace` cuts them.
    words: usize,
    /// `\w+` runs, as [`for_each_word`] cuts them.
    tokens: usize,
    /// Of those, the stop words of each language ([`STOPWORDS`] index).
    hits: [usize; STOPWORDS.len()],
    /// ASCII digits.
    digits: usize,
    /// Characters.
    chars: usize,
}

impl LineCounts {
    /// The counts of `line`.
    fn of(line: &str) -> Self {
        if line.is_ascii() {
            Self::of_ascii(line)
        } else {
            Self::of_chars(line)
        }
    }

    /// The counts of an ASCII line, in one pass over its bytes eight at a time: each byte is a
    /// character. Words and digits are counted by bit count; each `\w+` run is looked up from
    /// where it starts to where it ends, found as the bits of the word's flags.
    fn of_ascii(line: &str) -> Self {
        debug_assert!(line.is_ascii());
        let stop_words = stopwords();
        let bytes = line.as_bytes();
        let mut counts = LineCounts {
            chars: line.len(),
            ..LineCounts::default()
        };
        let (mut after_space, mut in_run, mut run_start) = (true, false, 0);
        let mut step = |at: usize, word: u64| {
            let space = swar::ascii_space(word);
            counts.words += swar::count(swar::run_starts(!space & swar::HIGH, !after_space));
            after_space = swar::last(space);
            counts.digits += swar::count(swar::ascii_digit(word));
            let runs = swar::ascii_word(word);
            let starts = swar::run_starts(runs, in_run);
            let mut edges = starts | swar::run_starts(!runs & swar::HIGH, !in_run);
            while edges != 0 {
                let bit = edges & edges.wrapping_neg();
                let i = at + (bit.trailing_zeros() / 8) as usize;
                if starts & bit != 0 {
                    run_start = i;
                } else {
                    counts.add_token(stop_words.ascii_bits_at(bytes, run_start, i));
                }
                edges ^= bit;
            }
            in_run = swar::last(runs);
        };
        let mut chunks = bytes.chunks_exact(8);
        let mut at = 0;
        for chunk in &mut chunks {
            step(at, u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
            at += 8;
        }
        // The last bytes padded with spaces, which end a run at the end of the line and count
        // as nothing else; there is always such a word, so the last run is ended.
        let mut last = [b' '; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        step(at, u64::from_le_bytes(last));
        counts
    }

    /// The counts of any line, in one pass over its characters, as [`of_ascii`](Self::of_ascii)
    /// does over bytes; an ASCII character is told apart with the byte tests.
    fn of_chars(line: &str) -> Self {
        let mut tally = Tally::new(line);
        let mut chars = 0;
        for (i, c) in line.char_indices() {
            chars += 1;
            let (space, word) = if c.is_ascii() {
                (is_ascii_space(c as u8), is_ascii_word(c as u8))
            } else {
                // Not `_`, which is ASCII.
                (c.is_whitespace(), c.is_alphanumeric())
            };
            tally.step(i, space, word, c.is_ascii_digit());
        }
        LineCounts {
            chars,
            ..tally.finish()
        }
    }

    /// Counts a `\w+` run with stop-word bits `bits`.
    fn add_token(&mut self, bits: u8) {
        self.tokens += 1;
        if bits != 0 {
            for (k, hit) in self.hits.iter_mut().enumerate() {
                *hit += usize::from(bits & (1 << k) != 0);
            }
        }
    }
}

/// A line's counts while its characters are read in order: a word starts at a character that
/// is not whitespace after one that is (or at the start), and a `\w+` run is looked up where it
/// ends.
struct Tally<'a> {
    line: &'a str,
    stop_words: &'static StopWords,
    counts: LineCounts,
    after_space: bool,
    /// Where the `\w+` run being read began.
    token_start: Option<usize>,
}

impl<'a> Tally<'a> {
    fn new(line: &'a str) -> Self {
        Tally {
            line,
            stop_words: stopwords(),
            counts: LineCounts::default(),
            after_space: true,
            token_start: None,
        }
    }

    /// Count the character at byte `i`, given its classes. Inlined into the loop over a
    /// non-ASCII line's characters: a call per character would keep the state out of registers.
    #[inline(always)]
    fn step(&mut self, i: usize, space: bool, word: bool, digit: bool) {
        self.counts.words += usize::from(self.after_space & !space);
        self.after_space = space;
        self.counts.digits += usize::from(digit);
        match (word, self.token_start) {
            (true, None) => self.token_start = Some(i),
            (false, Some(from)) => {
                self.token_start = None;
                let bits = self.stop_words.bits(&self.line[from..i]);
                self.counts.add_token(bits);
            }
            _ => {}
        }
    }

    /// The counts, once the run the line ends with (if any) is counted.
    fn finish(mut self) -> LineCounts {
        if let Some(from) = self.token_start {
            let bits = self.stop_words.bits(&self.line[from..]);
            self.counts.add_token(bits);
        }
        self.counts
    }
}

/// The language (index into [`STOPWORDS`]) whose stop words cover most words of the document,
/// from the counts of its lines, in order. Only the lines before the one at which more than
/// 5000 words have been seen are looked at.
fn guess_language(lines: &[LineCounts]) -> usize {
    let mut hits = [0usize; STOPWORDS.len()];
    let mut seen = 0;
    for line in lines {
        if seen > 5000 {
            break;
        }
        seen += line.tokens;
        for (total, n) in hits.iter_mut().zip(line.hits) {
            *total += n;
        }
    }
    (0..hits.len())
        .max_by_key(|&k| (hits[k], std::cmp::Reverse(k)))
        .unwrap_or(0)
}

/// A comment-section header (`24 Comments`, `12 Responses to “…”`, `Leave a Reply`,
/// `[Reply]`), told by how the line starts.
fn comment_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(\d+\s+)?(comments?|responses?|replies|reactions|thoughts on .*|(responses|replies|comments) to .*|kommentare?|commentaires?|comentarios?|commenti|comentários?)\s*(\(\d+\))?:?$|^(leave|post|add|write) (a|your) (reply|comment|response)|^\[?reply\]?$",
        )
        .expect("the comment header compiles")
    })
}

/// A comment's signature line (`Jane says:`, `12. Ann Lee on May 2, 2012 at 9:14 said:`),
/// which ends with a colon. Its bounded repetitions of any character make a large automaton,
/// slow to build and run, so it is only tried on lines that end with a colon.
fn comment_signature() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(\d+\.\s+)?(\S+\s+){0,3}\S+\s+(says|said|wrote|reply):$|^(\d+\.\s+)?.{0,60}\d.{0,20}\b(says|said|wrote|reply):$",
        )
        .expect("the comment signature compiles")
    })
}

/// Whether `line` marks the start of the comments. A `NAME wrote:` line (or `says:`, `said:`,
/// `reply:`) signs a comment only when the words before the verb are a name or a handle: a stop
/// word among them (`On Saturday Kurt wrote:`, `As the mayor said:`) makes it a sentence of the
/// article introducing a quote.
fn is_comment_marker(line: &str, language: usize) -> bool {
    let marker = comment_header().is_match(line)
        || (line.ends_with(':') && comment_signature().is_match(line));
    if !marker {
        return false;
    }
    let Some((head, verb)) = line.rsplit_once(' ') else {
        return true;
    };
    let signs = ["says:", "said:", "wrote:", "reply:"];
    if !signs.iter().any(|s| verb.eq_ignore_ascii_case(s)) {
        return true;
    }
    let mut stop = false;
    for_each_word(head, |bits| stop |= bits & (1 << language) != 0);
    !stop
}

/// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
fn contains_ascii_ci(haystack: &str, needle: &str) -> bool {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    // Only where the first byte matches, found with a SIMD search for both of its cases.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).any(|at| {
        hay.get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

fn is_separator(c: char) -> bool {
    matches!(c, '|' | '»' | '•' | '·' | '›')
}

/// Whether a line has a menu separator standing alone or at either end.
fn has_separator(line: &str) -> bool {
    // Every separator is `|` or starts with the byte 0xC2 or 0xE2 in UTF-8.
    if memchr::memchr3(b'|', 0xC2, 0xE2, line.as_bytes()).is_none() {
        return false;
    }
    line.starts_with(is_separator)
        || line.ends_with(is_separator)
        || line
            .split_whitespace()
            .any(|w| w.chars().count() == 1 && w.chars().all(is_separator))
}

/// The class of `line`, whose counts are `counts`, in a document in `language`.
fn class_of(line: &str, counts: &LineCounts, language: usize, o: &ClassifierOptions) -> Class {
    let n = counts.words;
    let sw = counts.hits[language] as f64 / counts.tokens.max(1) as f64;
    let chars = counts.chars.max(1);
    let digits = counts.digits;
    let terminal = line.ends_with(['.', '!', '?', '"', '”', '’', '»', ':', ';', ')']);
    let bullet = ["* ", "+ ", "- ", "• "].iter().any(|b| line.starts_with(b));
    // A `• ` at the start of a line is a list bullet, not a menu separator: the item is judged
    // by its text (a bulleted list inside the article must not split it).
    let unbulleted = line.strip_prefix("• ").unwrap_or(line);
    let class = if has_separator(unbulleted) && n < o.separator_max_words {
        Class::Bad(Reason::Separators)
    } else if digits as f64 / chars as f64 > 0.4 {
        Class::Bad(Reason::Digits)
    } else if line.contains('©') || (n < 25 && contains_ascii_ci(line, "copyright")) {
        Class::Bad(Reason::Copyright)
    } else if n >= o.long_words && sw >= o.stopwords_high {
        Class::Good
    } else if n >= o.short_words && sw >= o.stopwords_low && (terminal || n >= o.long_words) {
        Class::Near
    } else if n < o.short_words {
        Class::Short
    } else if sw < o.stopwords_low {
        Class::Bad(Reason::LowStopwords)
    } else {
        Class::Near
    };
    match class {
        Class::Good => Class::Good,
        _ if bullet && n < o.short_words => Class::Bad(Reason::ListItem),
        other => other,
    }
}

/// Classify the lines of a raw page. `lines` are trimmed lines (blank lines are paragraph
/// breaks and are never reported). Returns the lines to remove, in order, with the main reason
/// for each. When no block of prose is found, nothing is removed.
///
/// # Example
/// ```
/// use boilerstrip::classifier::{classify, ClassifierOptions};
///
/// let page = [
///     "Home | News | Sport | Weather",
///     "",
///     "The council met on Monday to discuss the future of the old bridge, which has been \
///      closed to traffic since the floods of last winter and is in need of repair.",
///     "It will reopen in the spring, when the work that the engineers have asked for is done \
///      and the town has found the money to pay for all of it.",
///     "",
///     "Copyright 2024 Example News",
/// ];
/// let removed: Vec<usize> = classify(&page, &ClassifierOptions::default())
///     .into_iter()
///     .map(|(line, _)| line)
///     .collect();
/// assert_eq!(removed, [0, 5]);
/// ```
pub fn classify(lines: &[&str], options: &ClassifierOptions) -> Vec<(usize, Reason)> {
    let o = options;
    let idx: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let counts: Vec<LineCounts> = idx.iter().map(|&i| LineCounts::of(lines[i])).collect();
    // Blank lines have no words: the language is guessed from the lines that are not.
    let language = guess_language(&counts);
    let mut classes: Vec<Class> = idx
        .iter()
        .zip(&counts)
        .map(|(&i, counts)| class_of(lines[i], counts, language, o))
        .collect();

    // Comments: a marker after enough prose ends the article.
    let mut seen = 0;
    if let Some(cut) = idx.iter().enumerate().position(|(k, &i)| {
        let found = seen >= o.comment_after_words
            && lines[i].len() <= 160
            && is_comment_marker(lines[i], language);
        if classes[k] == Class::Good || (seen > 0 && classes[k] == Class::Near) {
            seen += counts[k].words;
        }
        found
    }) {
        for class in &mut classes[cut..] {
            *class = Class::Bad(Reason::Comments);
        }
    }

    // Blocks: maximum-sum runs of weighted lines.
    let values: Vec<f64> = counts
        .iter()
        .zip(&classes)
        .map(|(counts, class)| {
            let n = counts.words.max(3) as f64;
            n * match class {
                Class::Good => 1.0,
                Class::Near => 0.5,
                // A list inside the article (its points, the stops of a route) must not
                // split it; a menu is still a long run of negative lines.
                Class::Short | Class::Bad(Reason::ListItem) => -o.short_penalty,
                Class::Bad(_) => -o.bad_penalty,
            }
        })
        .collect();
    let mut blocks = Vec::new();
    let mut stack = vec![(0, idx.len())];
    let mut strongest: Option<f64> = None;
    while let Some((a, b)) = stack.pop() {
        let Some((score, x, y)) = max_run(&values[a..b]) else {
            continue;
        };
        let (x, y) = (a + x, a + y);
        let top = *strongest.get_or_insert(score);
        if score < o.block_min.max(o.block_share * top) {
            continue;
        }
        blocks.push((x, y));
        stack.push((a, x));
        stack.push((y + 1, b));
    }
    if blocks.is_empty() {
        return Vec::new();
    }
    let mut keep = vec![false; idx.len()];
    for &(x, y) in &blocks {
        // Inside a block, a list item is part of the article (a list of stops, of
        // ingredients); other bad lines go unless long.
        for k in x..=y {
            keep[k] = !matches!(classes[k], Class::Bad(_))
                || classes[k] == Class::Bad(Reason::ListItem)
                || counts[k].words >= o.short_words;
        }
        // A closing line, credit or sign-off just below a block.
        for k in y + 1..(y + 1 + o.tail_lines).min(idx.len()) {
            if classes[k] != Class::Short {
                break;
            }
            keep[k] = true;
        }
        // Headline, byline and dateline just above a block, past up to `heading_skip` menu
        // or list lines (a share bar between the byline and the article).
        let mut skipped = 0;
        for k in (x.saturating_sub(o.heading_lines)..x).rev() {
            // A byline with separators carries a date (`By Ann Lee | May 2, 2012`); a menu
            // line does not.
            let dated_byline = classes[k] == Class::Bad(Reason::Separators)
                && lines[idx[k]].bytes().any(|b| b.is_ascii_digit());
            if !dated_byline
                && !matches!(
                    classes[k],
                    Class::Short | Class::Near | Class::Bad(Reason::Digits | Reason::LowStopwords)
                )
            {
                let menu = matches!(
                    classes[k],
                    Class::Bad(Reason::Separators | Reason::ListItem)
                );
                if menu && skipped < o.heading_skip {
                    skipped += 1;
                    continue;
                }
                break;
            }
            keep[k] = true;
        }
    }
    idx.iter()
        .zip(&classes)
        .zip(&keep)
        .filter(|(_, &kept)| !kept)
        .map(|((&i, class), _)| {
            let reason = match class {
                Class::Bad(reason) => *reason,
                Class::Short => Reason::ShortOutside,
                Class::Good | Class::Near => Reason::OutsideBlocks,
            };
            (i, reason)
        })
        .collect()
}

/// The maximum-sum run of `values`: (sum, first, last), or `None` when no sum is positive.
fn max_run(values: &[f64]) -> Option<(f64, usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let (mut sum, mut start) = (0.0, 0);
    for (k, &v) in values.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = k;
        }
        sum += v;
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, k));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_words_counts_as_split_whitespace_does() {
        let lines = [
            "",
            " ",
            "one",
            "  two  words ",
            "a\tb\x0bc\x0cd\re",
            "“Quoted” words — and a dash",
            "no\u{a0}break\u{2028}line\u{3000}ideographic\u{2009}thin",
            "\u{2028}\u{2029} leading separators",
            "né à Zürich le 3 mai, en été",
        ];
        for line in lines {
            for limit in [0, 1, 2, 3, 5, 100] {
                let want = line.split_whitespace().take(limit).count();
                assert_eq!(count_words(line, limit), want, "{line:?} up to {limit}");
            }
        }
    }

    fn removed(page: &[&str]) -> Vec<usize> {
        classify(page, &ClassifierOptions::default())
            .into_iter()
            .map(|(i, _)| i)
            .collect()
    }

    const PROSE: &str = "The council met on Monday to discuss the future of the old bridge, \
                         which has been closed to traffic since the floods of last winter.";

    #[test]
    fn a_short_line_between_good_paragraphs_survives() {
        let page = [PROSE, "It was a long night.", PROSE, PROSE];
        assert_eq!(removed(&page), Vec::<usize>::new());
    }

    #[test]
    fn a_long_line_among_navigation_is_removed() {
        let mut page = vec![PROSE, PROSE, PROSE];
        for _ in 0..12 {
            page.push("Sport");
            page.push("Home | News | Weather");
        }
        page.push(PROSE);
        page.extend(std::iter::repeat_n("Contact | About | Jobs", 12));
        let gone = removed(&page);
        assert!(!gone.contains(&0));
        assert!(gone.contains(&27), "{gone:?}");
    }

    #[test]
    fn comments_after_the_article_are_removed() {
        let page = [PROSE, PROSE, "3 Comments", "Jane says:", PROSE];
        assert_eq!(removed(&page), [2, 3, 4]);
    }

    #[test]
    fn a_speaker_introducing_a_quote_is_not_a_comment_signature() {
        let page = [
            PROSE,
            PROSE,
            "In a long interview on Monday, the mayor of the town also said:",
            "* The bridge will reopen in the spring",
            PROSE,
        ];
        assert_eq!(removed(&page), Vec::<usize>::new());
    }

    #[test]
    fn a_sentence_introducing_a_quote_with_a_name_is_not_a_comment_signature() {
        let page = [
            PROSE,
            PROSE,
            "On Saturday Kurt wrote:",
            PROSE,
            "Kurt Lange wrote:",
            "Lovely photos, thank you for sharing them with all of us here.",
        ];
        // The quote's introduction is prose; the commenter's signature still ends the article.
        assert_eq!(removed(&page), [4, 5]);
    }

    #[test]
    fn a_comment_link_above_the_article_does_not_end_it() {
        // Teaser headlines (medium lines) are not the article's prose.
        let teaser = "Ten things the council will not tell you about the new bridge tolls";
        let mut page = vec![teaser; 6];
        page.extend(["Add a Comment", PROSE, PROSE, PROSE, PROSE]);
        let gone = removed(&page);
        assert!(!gone.contains(&7), "{gone:?}");
        assert!(!gone.contains(&10), "{gone:?}");
    }

    #[test]
    fn a_wordpress_responses_header_ends_the_article() {
        let page = [
            PROSE,
            PROSE,
            "12 Responses to \u{201c}Bridge to reopen\u{201d}",
            PROSE,
        ];
        assert_eq!(removed(&page), [2, 3]);
    }

    #[test]
    fn a_short_closing_line_below_the_article_is_kept() {
        let mut page = vec![
            "Home | News | Sport",
            PROSE,
            PROSE,
            PROSE,
            "Reporting by Ana Lima",
        ];
        page.extend(std::iter::repeat_n("Contact | About | Jobs", 6));
        assert_eq!(removed(&page), [0, 5, 6, 7, 8, 9, 10]);
    }

    #[test]
    fn a_long_headline_with_few_stop_words_above_the_article_is_kept() {
        let page = [
            "Home | News",
            "Harbour Board Names New Master After Thirty Years Of Ferry Service Growth",
            PROSE,
            PROSE,
        ];
        assert_eq!(removed(&page), [0]);
    }

    #[test]
    fn a_dated_byline_with_separators_above_the_article_is_kept() {
        let page = ["Home | News", "By Ann Lee | May 2, 2024", PROSE, PROSE];
        assert_eq!(removed(&page), [0]);
    }

    #[test]
    fn a_bulleted_list_inside_the_article_does_not_split_it() {
        // `•` bullets used to count as menu separators: each item weighed as a bad line and
        // the list cut the article in two, losing the shorter part.
        let page = [
            "Home | News | Sport",
            PROSE,
            "The engineers listed three things the council should do first:",
            "• Close the old footpath on the east side of the bridge",
            "• Repair the two piers that were damaged by the floods",
            "• Paint the railings before the spring",
            PROSE,
        ];
        assert_eq!(removed(&page), [0]);
    }

    #[test]
    fn a_bullet_before_a_menu_line_does_not_hide_its_separators() {
        let line = "• Home | News | Sport | Weather | Travel | Money | Culture | Jobs";
        let counts = LineCounts::of(line);
        assert_eq!(counts.words, 16);
        let class = class_of(line, &counts, 0, &ClassifierOptions::default());
        assert_eq!(class, Class::Bad(Reason::Separators));
    }

    #[test]
    fn heading_skip_passes_a_share_bar_between_the_headline_and_the_article() {
        let page = [
            "Home | News",
            "Bridge to reopen",
            "By Ann Lee",
            "* Share",
            "* Tweet",
            "* Email",
            PROSE,
            PROSE,
        ];
        // By default the walk up stops at the share bar.
        assert_eq!(removed(&page), [0, 1, 2, 3, 4, 5]);
        let o = ClassifierOptions {
            heading_lines: 6,
            heading_skip: 3,
            ..ClassifierOptions::default()
        };
        let gone: Vec<usize> = classify(&page, &o).into_iter().map(|(i, _)| i).collect();
        // The headline and byline are kept; the share bar and the menu still go.
        assert_eq!(gone, [0, 3, 4, 5]);
    }

    #[test]
    fn favor_recall_keeps_more_than_the_default() {
        let mut page = vec![
            "Home | News",
            "Bridge to reopen",
            "By Ann Lee",
            "Share | Tweet",
        ];
        page.extend([
            PROSE,
            PROSE,
            "Photo: Ana Lima",
            "Subscribe",
            "Contact | About",
        ]);
        let gone = |o: &ClassifierOptions| -> Vec<usize> {
            classify(&page, o).into_iter().map(|(i, _)| i).collect()
        };
        assert_eq!(gone(&ClassifierOptions::default()), [0, 1, 2, 3, 7, 8]);
        assert_eq!(gone(&ClassifierOptions::favor_recall()), [0, 3, 8]);
    }

    #[test]
    fn a_page_without_prose_is_left_alone() {
        assert_eq!(removed(&["Home", "News", "Sport"]), Vec::<usize>::new());
    }

    #[test]
    fn the_headline_above_the_article_is_kept() {
        let page = ["Home | News", "Bridge to reopen", PROSE, PROSE];
        assert_eq!(removed(&page), [0]);
    }

    #[test]
    fn detector_tells_pages_from_articles() {
        let o = ClassifierOptions::default();
        let mut page = vec!["Home", "News", "Sport"];
        page.extend(std::iter::repeat_n("Log in", 30));
        page.push(PROSE);
        assert_eq!(detect(&page, &o), InputKind::Page);
        assert_eq!(detect(&[PROSE, PROSE, "Short."], &o), InputKind::Article);
    }

    #[test]
    fn detector_takes_a_document_bigger_than_a_page_for_a_collection() {
        let mut page = vec!["Home", "News", "Sport"];
        page.extend(std::iter::repeat_n("Log in", 30));
        page.push(PROSE);
        let bytes: usize = page.iter().map(|l| l.len()).sum();
        let o = ClassifierOptions {
            page_max_bytes: bytes,
            ..ClassifierOptions::default()
        };
        assert_eq!(detect(&page, &o), InputKind::Page);
        let o = ClassifierOptions {
            page_max_bytes: bytes - 1,
            ..o
        };
        assert_eq!(detect(&page, &o), InputKind::Article);
    }

    fn language(lines: &[&str]) -> usize {
        let counts: Vec<LineCounts> = lines.iter().map(|l| LineCounts::of(l)).collect();
        guess_language(&counts)
    }

    #[test]
    fn language_is_guessed_from_stop_words() {
        let fr = ["Le conseil municipal a décidé de fermer le pont pour les travaux de la ville."];
        assert_eq!(language(&fr), 1);
        let de = ["Der Rat hat am Montag die Brücke für den Verkehr gesperrt, und das ist gut."];
        assert_eq!(language(&de), 2);
    }

    #[test]
    fn language_is_guessed_from_the_first_five_thousand_words() {
        // Lines are looked at while no more than 5000 words were seen before them.
        let en = "the ".repeat(100);
        let de = "und ".repeat(6000);
        let mut page = vec![en.as_str(); 50];
        page.push(&de);
        assert_eq!(
            language(&page),
            2,
            "after exactly 5000 words, the next line counts"
        );
        page.insert(0, &en);
        assert_eq!(
            language(&page),
            0,
            "after more than 5000 words, no line counts"
        );
    }

    #[test]
    fn stop_words_are_looked_up_lowercased_by_key() {
        // The bits from the lists themselves, for the word lowercased as a string.
        let expected = |word: &str| -> u8 {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            (0..STOPWORDS.len())
                .filter(|&k| STOPWORDS[k].split_whitespace().any(|w| w == lower))
                .map(|k| 1 << k)
                .sum()
        };
        let words = [
            "the",
            "The",
            "THE",
            "a",
            "A",
            "because",
            "Because",
            "becauses",
            "même",
            "MÊME",
            "También",
            "TAMBIÉN",
            "été",
            "ÉTÉ",
            "über",
            "Über",
            "è",
            "È",
            "x",
            "_",
            "the_",
            "123",
            "bridge",
            "Brücke",
            "\u{212a}ann",
            "İn",
            "ſo",
            "averyverylongword",
            "théâtre",
        ];
        let stop_words = stopwords();
        for word in words {
            assert_eq!(stop_words.bits(word), expected(word), "{word:?}");
        }
    }

    #[test]
    fn the_comment_patterns_split_match_as_the_one_pattern_did() {
        // The header and signature patterns were one; the signature is now only tried on lines
        // ending with a colon, as every line it matches does.
        let one = Regex::new(
            r"(?i)^(\d+\s+)?(comments?|responses?|replies|reactions|thoughts on .*|(responses|replies|comments) to .*|kommentare?|commentaires?|comentarios?|commenti|comentários?)\s*(\(\d+\))?:?$|^(leave|post|add|write) (a|your) (reply|comment|response)|^\[?reply\]?$|^(\d+\.\s+)?(\S+\s+){0,3}\S+\s+(says|said|wrote|reply):$|^(\d+\.\s+)?.{0,60}\d.{0,20}\b(says|said|wrote|reply):$",
        )
        .unwrap();
        let long = format!("{}:", "x".repeat(100));
        let lines = [
            "24 Comments",
            "Comments (3)",
            "12 Responses to \u{201c}Bridge\u{201d}",
            "Reply:",
            "[Reply]",
            "Leave a Reply",
            "Thoughts on the bridge:",
            "Jane says:",
            "Jane says: ",
            "Jane Lee said:",
            "12. Ann Lee, May 2, 2012 at 9:14 am said:",
            "Kurt wrote:",
            "On Saturday Kurt wrote:",
            "On May 2, 2012, the mayor of the old town said:",
            "\u{017f}ays:",
            "Ann \u{017f}AY\u{017f}:",
            "Ann says:\n",
            "The council met.",
            "",
            ":",
            "2 comments:",
            "Kommentare",
            &long,
        ];
        for line in lines {
            let split = comment_header().is_match(line)
                || (line.ends_with(':') && comment_signature().is_match(line));
            assert_eq!(split, one.is_match(line), "{line:?}");
        }
    }

    /// The counts of `line` taken by the functions the classifier used before counting a line
    /// in one pass: each in its own pass.
    fn counted_apart(line: &str) -> LineCounts {
        let mut counts = LineCounts {
            words: line.split_whitespace().count(),
            digits: line.chars().filter(char::is_ascii_digit).count(),
            chars: line.chars().count(),
            ..LineCounts::default()
        };
        for_each_word(line, |bits| counts.add_token(bits));
        counts
    }

    #[test]
    fn a_line_counted_in_one_pass_counts_as_in_separate_passes() {
        let lines = [
            "",
            " ",
            "a",
            "_",
            "The council met on Monday, 12 May 2024.",
            "THE Council AND the_bridge: it's 100% done!",
            "  leading and trailing  ",
            "tabs\tand\x0bvertical\x0cfeeds\rand\ncontrol\x01bytes\x1fhere",
            "1 2 3 4 5 6 7 8 9 0 -- 2024-05-12 10:30",
            "Home | News | Sport | Weather",
            "* Share",
            "Dass der Rat mit den Bürgern spricht, ist gut: über 20 Menschen kamen.",
            "Le conseil a décidé de fermer le pont pour les travaux de la ville.",
            "© 2024 Example News \u{2022} Imprint \u{00a0}\u{2003}Jobs",
            "Straße ÉTÉ Été MÊME même İstanbul \u{212a}ann \u{0661}\u{0662} x\u{0301}y",
            "averyveryverylongwordthatisnostopword and a b c",
            "words_with_underscores and-dashes and.dots and'quotes",
            "naïve_café über_alles \u{2019}s l\u{2019}été",
        ];
        for line in lines {
            let got = LineCounts::of(line);
            assert_eq!(got, counted_apart(line), "{line:?}");
            assert_eq!(got, LineCounts::of_chars(line), "{line:?}");
        }
    }

    /// Pieces of lines for the property tests: ASCII words, stop words, digits, each kind of
    /// space, punctuation, and non-ASCII letters and spaces.
    fn line_of(picks: &[usize]) -> String {
        let pieces = [
            "a",
            "The",
            "und",
            "x",
            "_",
            "7",
            "2024",
            " ",
            "  ",
            "\t",
            "\x0b",
            "\r",
            ",",
            "-",
            "'",
            "é",
            "Été",
            "\u{a0}",
            "\u{3000}",
            "über",
            "averyverylongword",
            "l\u{2019}",
        ];
        picks.iter().map(|&k| pieces[k % pieces.len()]).collect()
    }

    proptest::proptest! {
        /// Whatever the eight-byte counting skips, it counts as `split_whitespace` does.
        #[test]
        fn count_words_is_split_whitespace(
            picks in proptest::collection::vec(0usize..22, 0..40),
            limit in 0usize..12,
        ) {
            let line = line_of(&picks);
            let ascii: String = line.chars().filter(char::is_ascii).collect();
            for line in [line, ascii] {
                let want = line.split_whitespace().take(limit).count();
                proptest::prop_assert_eq!(count_words(&line, limit), want, "{:?}", line);
            }
        }

        /// A line counted eight bytes at a time counts as in separate passes.
        #[test]
        fn line_counts_are_the_separate_counts(
            picks in proptest::collection::vec(0usize..22, 0..40),
        ) {
            let line = line_of(&picks);
            let ascii: String = line.chars().filter(char::is_ascii).collect();
            for line in [line, ascii] {
                proptest::prop_assert_eq!(LineCounts::of(&line), counted_apart(&line), "{:?}", line);
                proptest::prop_assert_eq!(LineCounts::of_chars(&line), counted_apart(&line));
            }
        }
    }
}
