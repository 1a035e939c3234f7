//! What the line model reads in a line: its tokens, and counts taken from them, in one pass
//! over the line's bytes.
//!
//! Tokens are the `\w+` runs of the bench's metric (letters, digits, `_`), except that each
//! character of a script written without spaces between words (Han, Hiragana, Katakana) is a
//! token of its own, so that a Chinese line has words to count. Every word token is looked up,
//! lowercased, in the stop-word lists of every language at once ([`language::bits_of`]), and
//! the bits are kept for the document, whose language is only named once its first tokens are
//! seen. The hashed n-grams of the text score ([`super::ngram`]) are the lowercase words with
//! digits folded to `0`, each punctuation character, and each pair of consecutive tokens.

use super::language::{self, StopSet, MAX_WORD_BYTES};
use super::ngram::{le_u64, pair_hash, Hasher};
use crate::swar;

/// Separators typical of menus and breadcrumbs (but for a bullet that opens a line).
const SEPARATORS: [char; 7] = ['|', '»', '•', '·', '›', '/', '>'];

/// Characters that end a sentence, or close one (a quote or bracket after the stop).
const TERMINAL: [char; 10] = ['.', '!', '?', '…', '"', '”', '’', '»', ')', '。'];

/// Characters that open a list item or a heading in a text dump.
const BULLETS: [char; 7] = ['*', '-', '+', '•', '·', '>', '#'];

/// Whether three letters open the English name of a month. A `match`, which compiles to a few
/// branches on the bytes, where a search of a list of the twelve compared each in turn for
/// every word.
fn is_month(first: [u8; 3]) -> bool {
    matches!(
        &first,
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
    )
}

/// Whether `c` belongs to a script written without spaces between words, whose characters are
/// tokens of their own.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff      // Hiragana, Katakana
        | 0x3400..=0x4dbf    // CJK extension A
        | 0x4e00..=0x9fff    // CJK unified ideographs
        | 0xf900..=0xfaff    // CJK compatibility ideographs
        | 0x20000..=0x2ffff) // CJK extensions B and later
}

/// Whether a character (beyond ASCII) is alphabetic and whether it is numeric, each looked up
/// once. The General Punctuation block (U+2000 to U+206F: curly quotes, dashes, the ellipsis,
/// the bullet), the most common such characters in English text, holds neither, and is told
/// by its range without the look-ups in Unicode's tables (a few hundred instructions each).
fn classes(c: char) -> (bool, bool) {
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        (false, false)
    } else {
        (c.is_alphabetic(), c.is_numeric())
    }
}

/// Counts of one line. Every field is a plain count or flag; [`super::features`] turns them
/// into the model's features.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineStats {
    /// Characters.
    pub chars: u32,
    /// Word tokens.
    pub words: u32,
    /// Of those, stop words of the document's language (set once it is known).
    pub stop: u32,
    /// Words that start with a capital letter.
    pub capitalized: u32,
    /// Words of two or more characters, all capitals.
    pub all_caps: u32,
    /// Sum of the words' lengths in characters.
    pub word_chars: u32,
    /// Digits.
    pub digits: u32,
    /// Letters.
    pub letters: u32,
    /// Menu separators (`|`, `»`, `•`, `·`, `›`, `/`, `>`).
    pub separators: u32,
    /// Characters that are neither letters, digits nor whitespace.
    pub punct: u32,
    /// Commas.
    pub commas: u32,
    /// Sentence ends inside the line (a stop, then a space, then a capital or quote).
    pub sentences: u32,
    /// Bit flags: see the `FLAG_` constants.
    pub flags: u32,
    /// The sum of the text score's weights of the line's n-grams (in steps, see
    /// [`super::ngram::TextScore`]), and their number.
    pub score_sum: i32,
    /// See [`Self::score_sum`].
    pub grams: u32,
}

/// The line ends a sentence.
pub const FLAG_TERMINAL: u32 = 1;
/// The line ends with a colon.
pub const FLAG_COLON_END: u32 = 1 << 1;
/// The line ends with a comma.
pub const FLAG_COMMA_END: u32 = 1 << 2;
/// The line ends with a digit.
pub const FLAG_DIGIT_END: u32 = 1 << 3;
/// The line starts with a capital letter.
pub const FLAG_FIRST_UPPER: u32 = 1 << 4;
/// The line starts with a lowercase letter.
pub const FLAG_FIRST_LOWER: u32 = 1 << 5;
/// The line starts with a digit.
pub const FLAG_FIRST_DIGIT: u32 = 1 << 6;
/// The line starts with a bullet or heading mark.
pub const FLAG_FIRST_BULLET: u32 = 1 << 7;
/// The line holds an address (`http`, `www.`, `.com`).
pub const FLAG_URL: u32 = 1 << 8;
/// The line holds an `@`.
pub const FLAG_AT: u32 = 1 << 9;
/// The line holds a copyright mark (`©`, `(c)`, `copyright`).
pub const FLAG_COPYRIGHT: u32 = 1 << 10;
/// The line holds a time of day (`11:26`, `7:50 am`).
pub const FLAG_TIME: u32 = 1 << 11;
/// The line holds a date (`October 29, 2012`, `29 Oct 2012`, `2012-10-29`, `10/29/12`).
pub const FLAG_DATE: u32 = 1 << 12;

impl LineStats {
    /// Whether `flag` is set.
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// What a line's n-grams go to: the text score's weights (summed into the line's stats), or a
/// list of their indices (for training).
pub enum Grams<'a> {
    /// No n-grams.
    None,
    /// Sum these weights (`2^bits` of them).
    Sum {
        /// `log2` of the number of weights.
        bits: u32,
        /// The weights.
        weights: &'a [i8],
    },
    /// Push each n-gram's index among `2^bits` weights.
    Indices {
        /// `log2` of the number of weights.
        bits: u32,
        /// Where the indices go.
        out: &'a mut Vec<u32>,
    },
}

impl Grams<'_> {
    /// Add a token of hash `hash` and, after a token of hash `previous`, the pair of the two.
    /// One `match` for both, where a look-up each matched again.
    fn add(&mut self, hash: u64, previous: Option<u64>, stats: &mut LineStats) {
        let pair = previous.map(|p| pair_hash(p, hash));
        match self {
            Grams::None => {}
            Grams::Sum { bits, weights } => {
                let mask = (1u64 << *bits) - 1;
                for hash in std::iter::once(hash).chain(pair) {
                    stats.score_sum += i32::from(weights[(hash & mask) as usize]);
                    stats.grams += 1;
                }
            }
            Grams::Indices { bits, out } => {
                let mask = (1u64 << *bits) - 1;
                for hash in std::iter::once(hash).chain(pair) {
                    out.push((hash & mask) as u32);
                    stats.grams += 1;
                }
            }
        }
    }

    fn active(&self) -> bool {
        !matches!(self, Grams::None)
    }
}

/// Classes of an ASCII byte, for the scan (see [`CLASS`]).
const WORD: u8 = 1;
const DIGIT: u8 = 1 << 1;
const LETTER: u8 = 1 << 2;
const UPPER: u8 = 1 << 3;
const SPACE: u8 = 1 << 4;
/// A byte the scan looks at more closely (a menu separator, a comma, a colon, a stop, a dash,
/// a slash, a bracket, an at sign).
const SPECIAL: u8 = 1 << 5;

/// The class of each ASCII byte (bytes from 0x80 are looked at as characters).
const CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = if c.is_ascii_digit() {
            WORD | DIGIT
        } else if c.is_ascii_uppercase() {
            WORD | LETTER | UPPER
        } else if c.is_ascii_lowercase() {
            WORD | LETTER
        } else if c == b'_' {
            WORD
        } else if c == b' ' || (c >= b'\t' && c <= b'\r') {
            SPACE
        } else if matches!(
            c,
            b'|' | b'/' | b'>' | b',' | b':' | b'.' | b'!' | b'?' | b'-' | b'(' | b'@'
        ) {
            SPECIAL
        } else {
            0
        };
        b += 1;
    }
    class
};

/// The longest word whose lowercase form is kept whole for the look-ups; a longer one is no
/// stop word, and its hash reads its first bytes only.
const WORD_BYTES: usize = 64;

/// Token kinds, the oldest first, as [`Scan::recent`] holds them: the latest in the lowest
/// byte.
const fn kinds(kinds: &[u8]) -> u32 {
    let mut packed = 0;
    let mut k = 0;
    while k < kinds.len() {
        packed = packed << 8 | kinds[k] as u32;
        k += 1;
    }
    packed
}

/// The state of a line's scan between tokens.
struct Scan<'g, 'w> {
    stats: LineStats,
    grams: &'g mut Grams<'w>,
    /// The previous token's hash, for pairs.
    previous: Option<u64>,
    /// The kinds of the last three tokens, for dates (`n` a number of one or two digits, `y` a
    /// year, `m` a month, `o` anything else), the latest in the lowest byte (see [`kinds`]).
    /// Not an array: its bytes were stored one at a time and read back two at a time, a load
    /// the processor cannot forward from the stores, which stalled every word.
    recent: u32,
    date: bool,
    /// The byte before the word being read (`.` before `com`).
    before_word: u8,
    /// Where the word being read starts, if the scan is in one.
    word_start: Option<usize>,
    /// Whether the last byte scanned was an ASCII digit.
    previous_digit: bool,
    /// The lowercase form of the word being counted: its first [`WORD_BYTES`] bytes. Kept
    /// with the scan, so that it is zeroed once a line rather than once a word.
    buffer: [u8; WORD_BYTES],
}

impl<'g, 'w> Scan<'g, 'w> {
    fn new(grams: &'g mut Grams<'w>) -> Self {
        Scan {
            stats: LineStats::default(),
            grams,
            previous: None,
            recent: kinds(b"ooo"),
            date: false,
            before_word: 0,
            word_start: None,
            previous_digit: false,
            buffer: [0; WORD_BYTES],
        }
    }

    /// A word character at byte `i` of `line`: a word starts there unless one is being read.
    fn word_char(&mut self, line: &str, i: usize) {
        if self.word_start.is_none() {
            self.word_start = Some(i);
            self.before_word = if i > 0 { line.as_bytes()[i - 1] } else { 0 };
        }
    }

    /// Any other character at byte `i` of `line`: it ends the word being read, if any.
    fn other_char(&mut self, line: &str, i: usize, stops: &mut Stops<'_>) {
        if let Some(from) = self.word_start.take() {
            self.word(&line[from..i], stops);
        }
    }

    /// The character at byte `i` of `line` (an ASCII byte or a wider character), read the
    /// plain way; returns its width in bytes.
    fn step(&mut self, line: &str, i: usize, stops: &mut Stops<'_>) -> usize {
        let bytes = line.as_bytes();
        let b = bytes[i];
        if b < 0x80 {
            let class = CLASS[b as usize];
            if class & WORD != 0 {
                self.word_char(line, i);
            } else {
                self.other_char(line, i, stops);
            }
            let s = &mut self.stats;
            s.chars += 1;
            s.digits += u32::from(class & DIGIT != 0);
            s.letters += u32::from(class & LETTER != 0);
            if class & (LETTER | DIGIT | SPACE) == 0 {
                s.punct += 1;
                if class & SPECIAL != 0 {
                    let previous_digit = self.previous_digit;
                    special(self, line, i, previous_digit);
                }
                if b != b'_' {
                    self.punct(b as char);
                }
            }
            self.previous_digit = class & DIGIT != 0;
            return 1;
        }
        let c = line[i..].chars().next().expect("a character at a boundary");
        let width = c.len_utf8();
        let cjk = unspaced(c);
        let (alphabetic, numeric) = classes(c);
        if (alphabetic || numeric) && !cjk {
            self.word_char(line, i);
        } else {
            self.other_char(line, i, stops);
        }
        let s = &mut self.stats;
        s.chars += 1;
        if numeric {
            s.digits += 1;
        } else if alphabetic {
            s.letters += 1;
        } else if !c.is_whitespace() {
            s.punct += 1;
            // A bullet that opens the line is a list item's, not a separator.
            if SEPARATORS.contains(&c) && i > 0 {
                s.separators += 1;
            }
            if c == '©' {
                s.flags |= FLAG_COPYRIGHT;
            }
            self.punct(c);
        }
        if cjk {
            self.word(&line[i..i + width], stops);
        }
        self.previous_digit = false;
        width
    }

    /// Eight ASCII bytes, `chunk`, at byte `at` of `line`: what [`Self::step`] does for each
    /// of them, with their classes found and counted for all eight at once (see
    /// [`crate::swar`]). Only the bytes where a word starts or ends and the punctuation are
    /// then looked at one by one, in order; in prose, a few of the eight.
    fn ascii_chunk(&mut self, line: &str, at: usize, chunk: u64, stops: &mut Stops<'_>) {
        let digits = swar::ascii_digit(chunk);
        let letters = swar::ascii_alphabetic(chunk);
        let spaces = swar::ascii_space(chunk);
        let word = digits | letters | swar::ascii_eq(chunk, b'_');
        let s = &mut self.stats;
        s.chars += 8;
        s.digits += swar::count(digits) as u32;
        s.letters += swar::count(letters) as u32;
        // `_` counts as punctuation, but it is no token of its own.
        s.punct += 8 - swar::count(digits | letters | spaces) as u32;
        let in_word = self.word_start.is_some();
        let starts = swar::run_starts(word, in_word);
        let ends = !word & swar::HIGH & ((word << 8) | (u64::from(in_word) << 7));
        let punct = !(word | spaces) & swar::HIGH;
        let mut events = starts | ends | punct;
        while events != 0 {
            let k = events.trailing_zeros() as usize / 8;
            let flag = 0x80u64 << (8 * k);
            events &= !flag;
            let i = at + k;
            if ends & flag != 0 {
                self.other_char(line, i, stops);
            }
            if starts & flag != 0 {
                self.word_char(line, i);
            }
            if punct & flag != 0 {
                let b = line.as_bytes()[i];
                if CLASS[b as usize] & SPECIAL != 0 {
                    let previous_digit = match k {
                        0 => self.previous_digit,
                        _ => (digits >> (8 * k - 1)) & 1 != 0,
                    };
                    special(self, line, i, previous_digit);
                }
                self.punct(b as char);
            }
        }
        self.previous_digit = swar::last(digits);
    }

    fn token_hash(&mut self, hash: u64) {
        if self.grams.active() {
            let previous = self.previous.replace(hash);
            self.grams.add(hash, previous, &mut self.stats);
        }
    }

    fn punct(&mut self, c: char) {
        // A comma or stop between the day and the year (`October 29, 2012`) is no break.
        if c != ',' && c != '.' {
            self.recent = (self.recent << 8 | u32::from(b'o')) & 0xff_ffff;
        }
        if self.grams.active() {
            let mut buffer = [0; 4];
            let hash = Hasher::punct(c.encode_utf8(&mut buffer).as_bytes());
            self.token_hash(hash);
        }
    }

    /// A word token `word`, looked up as `stops` says.
    fn word(&mut self, word: &str, stops: &mut Stops<'_>) {
        let read = match self.ascii_word(word.as_bytes()) {
            Some(read) => read,
            None => self.wide_word(word),
        };
        let lower = &self.buffer[..read.len];
        let s = &mut self.stats;
        s.words += 1;
        s.word_chars += read.chars;
        if read.upper_first {
            s.capitalized += 1;
            if read.chars > 1 && !read.lower_case && read.alphabetic {
                s.all_caps += 1;
            }
        }
        let whole = read.len <= MAX_WORD_BYTES && word.len() <= WORD_BYTES;
        match stops {
            Stops::Detect(bits) => bits.push(match whole {
                true => language::bits_of(lower, read.key),
                false => 0,
            }),
            Stops::Count(set) => s.stop += u32::from(whole && set.contains(lower, read.key)),
            Stops::None => {}
        }
        let kind = match lower {
            [d, ..] if d.is_ascii_digit() && lower.iter().all(u8::is_ascii_digit) => {
                match lower.len() {
                    1 | 2 => b'n',
                    4 if lower.starts_with(b"19") || lower.starts_with(b"20") => b'y',
                    _ => b'o',
                }
            }
            [a, b, c, ..] if is_month([*a, *b, *c]) => b'm',
            _ => b'o',
        };
        self.recent = (self.recent << 8 | u32::from(kind)) & 0xff_ffff;
        // month day year, day month year, month year
        const MNY: u32 = kinds(b"mny");
        const NMY: u32 = kinds(b"nmy");
        self.date |= matches!(self.recent, MNY | NMY) || self.recent & 0xffff == kinds(b"my");
        match lower {
            b"http" | b"https" | b"www" => s.flags |= FLAG_URL,
            b"com" if self.before_word == b'.' => s.flags |= FLAG_URL,
            b"copyright" => s.flags |= FLAG_COPYRIGHT,
            _ => {}
        }
        if self.grams.active() {
            let hash = read.hash.unwrap_or_else(|| Hasher::word(lower));
            self.token_hash(hash);
        }
    }

    /// An ASCII word, its first [`WORD_BYTES`] lowercased into the buffer eight bytes at a
    /// time, with their classes found on the way (see [`crate::swar`]); `None` for a word
    /// that is not ASCII.
    fn ascii_word(&mut self, bytes: &[u8]) -> Option<Read> {
        let (kept, rest) = bytes.split_at(bytes.len().min(WORD_BYTES));
        if !rest.is_ascii() {
            return None;
        }
        let mut chunks = [0u64; WORD_BYTES / 8];
        let (mut high, mut letters, mut lowers) = (0, 0, 0);
        for ((piece, chunk), out) in kept
            .chunks(8)
            .zip(&mut chunks)
            .zip(self.buffer.chunks_exact_mut(8))
        {
            let word = le_u64(piece);
            high |= swar::non_ascii(word);
            let (alphabetic, small) = (swar::ascii_alphabetic(word), swar::ascii_lowercase(word));
            letters |= alphabetic;
            lowers |= small;
            // Each capital made small: its flag, moved from bit 7 to bit 5.
            *chunk = word | ((alphabetic & !small) >> 2);
            out.copy_from_slice(&chunk.to_le_bytes());
        }
        if high != 0 {
            return None;
        }
        let len = kept.len();
        let chunks = &chunks[..len.div_ceil(8)];
        Some(Read {
            upper_first: bytes[0].is_ascii_uppercase(),
            chars: bytes.len() as u32,
            lower_case: lowers != 0,
            alphabetic: letters != 0,
            len,
            key: chunks[0],
            hash: self
                .grams
                .active()
                .then(|| Hasher::word_chunks(len, chunks)),
        })
    }

    /// Any word, lowercased into the buffer a character at a time (its first [`WORD_BYTES`]).
    fn wide_word(&mut self, word: &str) -> Read {
        let buffer = &mut self.buffer;
        let (mut first, mut count, mut has_lower, mut has_alpha, mut at) =
            (false, 0, false, false, 0);
        for (k, c) in word.chars().enumerate() {
            if k == 0 {
                first = c.is_uppercase();
            }
            count += 1;
            has_lower |= c.is_lowercase();
            has_alpha |= c.is_alphabetic();
            let mut utf8 = [0; 4];
            for l in c.to_lowercase() {
                for &b in l.encode_utf8(&mut utf8).as_bytes() {
                    if at < WORD_BYTES {
                        buffer[at] = b;
                    }
                    at += 1;
                }
            }
        }
        let len = at.min(WORD_BYTES);
        Read {
            upper_first: first,
            chars: count,
            lower_case: has_lower,
            alphabetic: has_alpha,
            len,
            key: le_u64(&buffer[..len.min(8)]),
            hash: None,
        }
    }
}

/// What reading a word token found, before it is counted (see [`Scan::word`]); its lowercase
/// form is the first `len` bytes of the scan's buffer.
struct Read {
    /// Whether its first character is a capital.
    upper_first: bool,
    /// Its characters.
    chars: u32,
    /// Whether it has a small letter.
    lower_case: bool,
    /// Whether it has a letter.
    alphabetic: bool,
    /// Bytes of its lowercase form kept (at most [`WORD_BYTES`]).
    len: usize,
    /// The lowercase form's first eight bytes (or fewer), as [`le_u64`] reads them.
    key: u64,
    /// The lowercase form's hash ([`Hasher::word`]), if it was taken on the way.
    hash: Option<u64>,
}

/// How a scan looks up the stop words of a line.
pub enum Stops<'a> {
    /// Push each word's stop-word bits in every language (see [`language::bits_of`]), while
    /// the document's language is not known; [`LineStats::stop`] stays 0.
    Detect(&'a mut Vec<u128>),
    /// Count the words of this list into [`LineStats::stop`].
    Count(&'static StopSet),
    /// Count nothing.
    None,
}

/// Scan `line` (trimmed, not blank): its counts, its words looked up as `stops` says, and its
/// n-grams sent to `grams`.
pub fn scan(line: &str, stops: &mut Stops<'_>, grams: &mut Grams<'_>) -> LineStats {
    scan_with::<true>(line, stops, grams)
}

/// [`scan`], eight ASCII bytes at a time where it can with `CHUNKS` (see
/// [`Scan::ascii_chunk`]), or every character in turn without (the tests' reference).
fn scan_with<const CHUNKS: bool>(
    line: &str,
    stops: &mut Stops<'_>,
    grams: &mut Grams<'_>,
) -> LineStats {
    let mut scan = Scan::new(grams);
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8).filter(|_| CHUNKS) {
            let chunk = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            if swar::non_ascii(chunk) == 0 {
                scan.ascii_chunk(line, i, chunk, stops);
                i += 8;
                continue;
            }
        }
        i += scan.step(line, i, stops);
    }
    if let Some(from) = scan.word_start {
        scan.word(&line[from..], stops);
    }
    let mut s = scan.stats;
    if scan.date {
        s.flags |= FLAG_DATE;
    }
    let first = line.chars().next().unwrap_or(' ');
    let last = line.chars().next_back().unwrap_or(' ');
    let set = |flag: u32, yes: bool| if yes { flag } else { 0 };
    s.flags |= set(FLAG_TERMINAL, TERMINAL.contains(&last))
        | set(FLAG_COLON_END, last == ':')
        | set(FLAG_COMMA_END, last == ',')
        | set(FLAG_DIGIT_END, last.is_ascii_digit())
        | set(FLAG_FIRST_UPPER, first.is_uppercase())
        | set(FLAG_FIRST_LOWER, first.is_lowercase())
        | set(FLAG_FIRST_DIGIT, first.is_ascii_digit())
        | set(FLAG_FIRST_BULLET, BULLETS.contains(&first));
    s
}

/// The ASCII punctuation at byte `i` of `line` that the scan looks at more closely.
fn special(scan: &mut Scan<'_, '_>, line: &str, i: usize, previous_digit: bool) {
    let bytes = line.as_bytes();
    let s = &mut scan.stats;
    match bytes[i] {
        // A `>` that opens the line is a quote's or a bullet's, not a separator.
        b'|' => s.separators += 1,
        b'>' if i > 0 => s.separators += 1,
        b'/' => {
            s.separators += 1;
            if previous_digit && numeric_date(line, i) {
                scan.date = true;
            }
        }
        b'-' if previous_digit && numeric_date(line, i) => scan.date = true,
        b',' => s.commas += 1,
        b'@' => s.flags |= FLAG_AT,
        b'(' => {
            if matches!(bytes.get(i + 1..i + 3), Some(b"c)" | b"C)")) {
                s.flags |= FLAG_COPYRIGHT;
            }
        }
        b':' => {
            // hh:mm
            let after = bytes
                .get(i + 1..i + 3)
                .is_some_and(|two| two.iter().all(u8::is_ascii_digit));
            if previous_digit && after {
                s.flags |= FLAG_TIME;
            }
        }
        b'.' | b'!' | b'?' => {
            // A stop, an optional closing quote, a space, then a capital or a quote.
            let rest = line[i + 1..].trim_start_matches(['"', '”', '’', ')']);
            if let Some(after) = rest.strip_prefix(' ') {
                if after.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“') {
                    s.sentences += 1;
                }
            }
        }
        _ => {}
    }
}

/// Whether the separator at byte `at` of `line` (a `-` or `/` after a digit) sits in a numeric
/// date: digit runs of 1 to 4, 1 to 2 and 2 to 4 digits with the same separator between them.
fn numeric_date(line: &str, at: usize) -> bool {
    let bytes = line.as_bytes();
    let sep = bytes[at];
    let digits_before = bytes[..at]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let start = at - digits_before;
    if !(1..=4).contains(&digits_before) || bytes[..start].last().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let run = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let middle = run(at + 1);
    if !(1..=2).contains(&middle) || bytes.get(at + 1 + middle) != Some(&sep) {
        return false;
    }
    let last = run(at + 2 + middle);
    (2..=4).contains(&last)
        && !bytes
            .get(at + 2 + middle + last)
            .is_some_and(u8::is_ascii_digit)
}

/// The language of a document from the stop-word bits of its tokens, in order (see
/// [`language::Guess`]).
pub fn guess_language(bits: &[u128]) -> Option<language::Language> {
    let mut guess = language::Guess::default();
    for &b in bits.iter().take(language::SAMPLE_TOKENS) {
        guess.add(b);
    }
    guess.language()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::language::Language;

    fn stats(line: &str) -> LineStats {
        let en = Language::from_code("en").unwrap();
        let mut bits = Vec::new();
        let detected = scan(line, &mut Stops::Detect(&mut bits), &mut Grams::None);
        let counted = scan(line, &mut Stops::Count(en.stop_set()), &mut Grams::None);
        let stop = bits.iter().filter(|&&b| language::has(b, en)).count() as u32;
        assert_eq!(counted.stop, stop);
        assert_eq!(LineStats { stop, ..detected }, counted);
        counted
    }

    fn grams(line: &str) -> Vec<u32> {
        let mut out = Vec::new();
        scan(
            line,
            &mut Stops::None,
            &mut Grams::Indices {
                bits: 20,
                out: &mut out,
            },
        );
        out
    }

    #[test]
    fn tokens_are_word_runs_each_unspaced_character_and_punctuation() {
        assert_eq!(stats("Hello, world_2!").words, 2);
        // word, pair, comma, pair, word, pair, bang, pair
        assert_eq!(grams("Hello, world_2!").len(), 7);
        assert_eq!(stats("北京 市长").words, 4);
        assert_eq!(stats("né à Zürich").words, 3);
        // Digits are folded, case too.
        assert_eq!(grams("Page 12"), grams("page 99"));
        assert_ne!(grams("Page 12"), grams("Page twelve"));
    }

    #[test]
    fn counts_a_sentence() {
        let s = stats("The council met on Monday. It voted, 7-2, to approve it.");
        assert_eq!(s.words, 12);
        assert!(s.stop >= 5, "{s:?}");
        assert_eq!(s.commas, 2);
        assert_eq!(s.sentences, 1);
        assert!(s.has(FLAG_TERMINAL) && s.has(FLAG_FIRST_UPPER));
        assert!(!s.has(FLAG_DATE) && !s.has(FLAG_TIME));
    }

    #[test]
    fn finds_dates_and_times() {
        for line in [
            "Posted by Kay October 29, 2012 at 7:50 am",
            "29 Oct 2012",
            "Updated 2012-10-29",
            "on 10/29/2012",
            "March 2011",
        ] {
            assert!(stats(line).has(FLAG_DATE), "{line}");
        }
        assert!(stats("at 11:26 AM").has(FLAG_TIME));
        for line in [
            "Page 2 of 10",
            "Call 555-1234",
            "a 3/4 cup",
            "version 10.2.3",
        ] {
            assert!(!stats(line).has(FLAG_DATE), "{line}");
        }
    }

    /// Whether the chunked and the plain scan make the same of `line`, with each way of
    /// looking up stop words and of taking n-grams.
    fn assert_same_scans(line: &str, weights: &[i8]) {
        let en = Language::from_code("en").unwrap();
        for way in 0..3 {
            let run = |chunks: bool| {
                let (mut bits, mut indices) = (Vec::new(), Vec::new());
                let mut stops = match way {
                    0 => Stops::Detect(&mut bits),
                    1 => Stops::Count(en.stop_set()),
                    _ => Stops::None,
                };
                let mut grams = match way {
                    1 => Grams::Sum { bits: 10, weights },
                    _ => Grams::Indices {
                        bits: 20,
                        out: &mut indices,
                    },
                };
                let stats = match chunks {
                    true => scan_with::<true>(line, &mut stops, &mut grams),
                    false => scan_with::<false>(line, &mut stops, &mut grams),
                };
                (stats, bits, indices)
            };
            assert_eq!(run(true), run(false), "{line:?}");
        }
    }

    #[test]
    fn an_ascii_word_reads_the_same_eight_bytes_at_a_time() {
        let mut random = crate::model::trees::SplitMix(64);
        let mut grams = Grams::Indices {
            bits: 4,
            out: &mut Vec::new(),
        };
        let mut scan = Scan::new(&mut grams);
        let fields = |r: &Read| (r.upper_first, r.chars, r.lower_case, r.alphabetic, r.len);
        for len in 1..=80 {
            for _ in 0..200 {
                let word: String = (0..len)
                    .map(|_| ['a', 'Q', 'z', 'A', '0', '9', '_'][random.next() as usize % 7])
                    .collect();
                let fast = scan.ascii_word(word.as_bytes()).expect("an ASCII word");
                let lower = scan.buffer[..fast.len].to_vec();
                let plain = scan.wide_word(&word);
                assert_eq!(lower, scan.buffer[..plain.len], "{word}");
                assert_eq!(fast.key, plain.key, "{word}");
                assert_eq!(fast.hash, Some(Hasher::word(&lower)), "{word}");
                // Past the kept bytes, the plain way also looks for small letters and letters.
                let kept = &word.as_bytes()[..len.min(WORD_BYTES)];
                let expect = (
                    plain.upper_first,
                    plain.chars,
                    kept.iter().any(u8::is_ascii_lowercase),
                    kept.iter().any(u8::is_ascii_alphabetic),
                    plain.len,
                );
                assert_eq!(fields(&fast), expect, "{word}");
                if len <= WORD_BYTES {
                    assert_eq!(fields(&fast), fields(&plain), "{word}");
                }
            }
        }
        for word in ["né", "Zürich", &("a".repeat(70) + "é")] {
            assert!(scan.ascii_word(word.as_bytes()).is_none(), "{word}");
        }
    }

    #[test]
    fn general_punctuation_is_neither_letters_nor_digits() {
        for c in '\u{2000}'..='\u{206f}' {
            assert!(!c.is_alphabetic() && !c.is_numeric(), "{c:?}");
        }
        for c in [
            'é', 'ß', '北', '١', '²', '\u{2070}', '\u{2071}', '’', '»', ' ',
        ] {
            assert_eq!(classes(c), (c.is_alphabetic(), c.is_numeric()), "{c:?}");
        }
    }

    #[test]
    fn the_chunked_scan_matches_the_plain_one() {
        // Pieces that each way of reading a byte or a token meets: word bytes of each class,
        // every space and punctuation byte the scan looks at closely, control bytes, wider
        // letters, digits and marks (two, three and four bytes), and words that set flags.
        const PIECES: [&str; 52] = [
            "a",
            "Z",
            "q",
            "7",
            "0",
            "_",
            " ",
            " ",
            "\t",
            "\x0b",
            "\r",
            "\n",
            ",",
            ".",
            "!",
            "?",
            "-",
            "/",
            "|",
            ">",
            ":",
            "(",
            "(c)",
            "@",
            "#",
            "\"",
            "\x01",
            "\x7f",
            "é",
            "É",
            "©",
            "»",
            "’",
            "”",
            "北",
            "。",
            "😀",
            "١",
            "ß",
            "The",
            "council",
            "NASA",
            "October",
            "Oct",
            "2012",
            "29",
            "http",
            "www",
            "com",
            "Copyright",
            "12:30",
            "10/29/2012",
        ];
        let mut random = crate::model::trees::SplitMix(23);
        let weights: Vec<i8> = (0..1 << 10).map(|_| random.next() as i8).collect();
        for len in 0..=70 {
            for _ in 0..100 {
                let mut line = String::new();
                while line.len() < len {
                    line.push_str(PIECES[random.next() as usize % PIECES.len()]);
                }
                assert_same_scans(&line, &weights);
            }
            // Long runs of one class, cut by a wider character at each place.
            for fill in ["a", "7", " ", ".", "_"] {
                let mut line = fill.repeat(len);
                assert_same_scans(&line, &weights);
                for at in 0..len {
                    line = fill.repeat(at) + "é" + &fill.repeat(len - at);
                    assert_same_scans(&line, &weights);
                }
            }
        }
    }

    #[test]
    fn flags_menus_and_marks() {
        let s = stats("Home | News | Sport");
        assert_eq!(s.separators, 2);
        assert!(stats("© 2021 Example Inc.").has(FLAG_COPYRIGHT));
        assert!(stats("* Politics").has(FLAG_FIRST_BULLET));
        assert_eq!(stats("NASA and the FBI").all_caps, 2);
        assert_eq!(stats("ÉTÉ À PARIS").all_caps, 2);
    }
}
