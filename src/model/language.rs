//! Which language a document is in, as far as the line model needs to know: which stop-word
//! list to count its lines' glue words with.
//!
//! The lists are those of the [`stop_words`] crate: NLTK's lists (function words, 30 languages)
//! where NLTK has one, stopwords-iso's elsewhere (for 60 languages in all). A document's
//! language is the one whose list covers most of its first [`SAMPLE_TOKENS`] tokens, if that list
//! covers at least [`MIN_COVERAGE`] of them: a page of another language, or of a script whose
//! words are not cut at spaces (Thai), gets no list, and the model judges it without the
//! stop-word features (it is trained for that case too). Counting stop words is what the
//! features do anyway, so naming the language costs one look-up per sampled token, where a
//! trigram identifier (`whatlang`) costs about 70 µs per document: twice the time the rest of
//! the cleaning takes on a typical record.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Tokens of a document that its language is guessed from.
pub const SAMPLE_TOKENS: usize = 500;

/// Least share of the sampled tokens that the best list must cover to be taken.
pub const MIN_COVERAGE: f64 = 0.1;

/// The longest stop word, in bytes, that is looked up; longer tokens are never stop words.
pub const MAX_WORD_BYTES: usize = 48;

/// A language with a stop-word list: an index into [`codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(u8);

impl Language {
    /// The language's ISO 639-1 code (or the list's own name where it has none).
    pub fn code(self) -> &'static str {
        table().codes[usize::from(self.0)]
    }

    /// The language of `code`, if it has a list.
    pub fn from_code(code: &str) -> Option<Language> {
        let k = table().codes.iter().position(|&c| c == code)?;
        Some(Language(u8::try_from(k).ok()?))
    }

    fn bit(self) -> u128 {
        1 << self.0
    }
}

/// The codes of every language that has a stop-word list.
pub fn codes() -> &'static [&'static str] {
    &table().codes
}

struct Table {
    codes: Vec<&'static str>,
    /// Each stop word of at most eight bytes (lowercase), packed into a number (see
    /// [`short_key`]), with a bit for each language whose list holds it: most look-ups hash a
    /// number instead of a string.
    /// (The bits are kept once in `patterns`, and the map holds their index: a quarter of the
    /// size, which matters to a table looked up at random for every sampled word.)
    short: FxHashMap<u64, u16>,
    /// The longer stop words.
    long: FxHashMap<&'static [u8], u128>,
    /// The distinct sets of bits of the short words.
    patterns: Vec<u128>,
    /// A bit set for each key of `short`, at its [`Table::slot`] (a Bloom filter of one hash).
    /// Most words are no stop word in any language, and `short` is a table of a few hundred
    /// kilobytes, where each of their look-ups missed the first caches: the filter, a few
    /// kilobytes, turns most of them away first.
    filter: Vec<u64>,
    /// The shift that takes a key's hash to its slot in `filter`.
    shift: u32,
}

impl Table {
    /// The bit of `filter` for a short word's key: the top bits of a multiplicative hash.
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Whether a short word's key may be in `short` (it is not when its bit is clear).
    fn may_hold(&self, key: u64) -> bool {
        let slot = self.slot(key);
        self.filter[slot / 64] >> (slot % 64) & 1 != 0
    }
}

/// The bytes of a word of at most eight bytes packed into a `u64`, the first byte lowest. A
/// word holds no NUL byte, so two words have the same key only when they are the same.
fn short_key(bytes: &[u8]) -> u64 {
    crate::model::ngram::le_u64(bytes)
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The constructed languages and NLTK's `hinglish` are left out; the rest fit 128 bits.
        let codes: Vec<&'static str> = stop_words::available_languages()
            .iter()
            .copied()
            .filter(|code| code.len() == 2)
            .take(128)
            .collect();
        let mut short_bits: FxHashMap<u64, u128> = FxHashMap::default();
        let mut long: FxHashMap<&'static [u8], u128> = FxHashMap::default();
        for (k, code) in codes.iter().enumerate() {
            for word in stop_words::get(code) {
                let bytes = word.as_bytes();
                if bytes.len() > MAX_WORD_BYTES
                    || bytes.contains(&0)
                    || *word != word.to_lowercase()
                {
                    continue;
                }
                let slot = match bytes.len() {
                    0 => continue,
                    1..=8 => short_bits.entry(short_key(bytes)).or_insert(0),
                    _ => long.entry(bytes).or_insert(0),
                };
                *slot |= 1 << k;
            }
        }
        let mut patterns: Vec<u128> = short_bits.values().copied().collect();
        patterns.sort_unstable();
        patterns.dedup();
        let short = short_bits
            .iter()
            .map(|(&key, bits)| {
                let index = patterns.binary_search(bits).expect("a collected pattern");
                (key, u16::try_from(index).expect("fewer than 2^16 patterns"))
            })
            .collect();
        let mut table = Table {
            codes,
            short,
            long,
            patterns,
            filter: Vec::new(),
            shift: 0,
        };
        // About eight bits a key: one word in ten or so that is in no list passes.
        let bits = (table.short.len() * 8).next_power_of_two().max(64);
        table.shift = 64 - bits.trailing_zeros();
        table.filter = vec![0; bits / 64];
        let slots: Vec<usize> = table.short.keys().map(|&key| table.slot(key)).collect();
        for slot in slots {
            table.filter[slot / 64] |= 1 << (slot % 64);
        }
        table
    })
}

/// The stop-word bits of a lowercase word: a bit for each language whose list holds it. `key`
/// is [`short_key`] of the word's first eight bytes (or fewer), by which a word of at most
/// eight bytes is looked up: a caller that reads words eight bytes at a time has it at hand.
pub fn bits_of(lower: &[u8], key: u64) -> u128 {
    debug_assert_eq!(key, short_key(&lower[..lower.len().min(8)]));
    let table = table();
    match lower.len() {
        0 => 0,
        1..=8 if !table.may_hold(key) => 0,
        1..=8 => table
            .short
            .get(&key)
            .map_or(0, |&k| table.patterns[usize::from(k)]),
        n if n <= MAX_WORD_BYTES => table.long.get(lower).copied().unwrap_or(0),
        _ => 0,
    }
}

/// Whether stop-word bits (see [`bits_of`]) hold `language`'s.
pub fn has(bits: u128, language: Language) -> bool {
    bits & language.bit() != 0
}

/// The stop words of one language, for the look-ups of a document once its language is known:
/// a few hundred words, which stay in cache where the table of every language's would not.
#[derive(Debug, Default)]
pub struct StopSet {
    short: rustc_hash::FxHashSet<u64>,
    long: rustc_hash::FxHashSet<&'static [u8]>,
}

impl StopSet {
    /// Whether the lowercase word is a stop word. `key` is its first eight bytes' (see
    /// [`bits_of`]).
    pub fn contains(&self, lower: &[u8], key: u64) -> bool {
        debug_assert_eq!(key, short_key(&lower[..lower.len().min(8)]));
        match lower.len() {
            0 => false,
            1..=8 => self.short.contains(&key),
            _ => self.long.contains(lower),
        }
    }
}

impl Language {
    /// The language's stop words.
    pub fn stop_set(self) -> &'static StopSet {
        static SETS: OnceLock<Vec<OnceLock<StopSet>>> = OnceLock::new();
        let sets = SETS.get_or_init(|| (0..table().codes.len()).map(|_| OnceLock::new()).collect());
        sets[usize::from(self.0)].get_or_init(|| {
            let table = table();
            StopSet {
                short: table
                    .short
                    .iter()
                    .filter(|(_, &k)| has(table.patterns[usize::from(k)], self))
                    .map(|(&key, _)| key)
                    .collect(),
                long: table
                    .long
                    .iter()
                    .filter(|(_, &b)| has(b, self))
                    .map(|(&k, _)| k)
                    .collect(),
            }
        })
    }
}

/// Counts stop-word hits per language over a document's first tokens, then names the
/// language (see the module documentation).
#[derive(Debug, Clone)]
pub struct Guess {
    hits: Vec<u32>,
    tokens: usize,
}

impl Default for Guess {
    fn default() -> Self {
        Guess {
            hits: vec![0; table().codes.len()],
            tokens: 0,
        }
    }
}

impl Guess {
    /// Count one token, by its stop-word bits (see [`bits_of`]).
    pub fn add(&mut self, mut bits: u128) {
        self.tokens += 1;
        while bits != 0 {
            let k = bits.trailing_zeros() as usize;
            self.hits[k] += 1;
            bits &= bits - 1;
        }
    }

    /// The language whose list covers most tokens (the first such list on a tie), if it
    /// covers enough of them.
    pub fn language(&self) -> Option<Language> {
        let (k, &best) = self
            .hits
            .iter()
            .enumerate()
            .max_by_key(|&(k, &n)| (n, std::cmp::Reverse(k)))?;
        let enough = f64::from(best) >= MIN_COVERAGE * self.tokens as f64 && best >= 3;
        enough.then(|| Language(u8::try_from(k).expect("at most 128 languages")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(text: &str) -> Option<&'static str> {
        let lines = [text];
        let scanned =
            crate::model::features::scan(&lines, None, crate::model::features::Speech::Detect);
        scanned.language().map(Language::code)
    }

    #[test]
    fn at_least_thirty_languages_have_lists() {
        assert!(codes().len() >= 30, "{}", codes().len());
        for code in ["en", "fr", "de", "es", "pl", "ru", "zh", "ja", "sv", "cs"] {
            assert!(Language::from_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn names_the_language_of_a_text() {
        let cases = [
            ("en", "The council approved the new budget on Monday and the mayor said it was fair"),
            ("fr", "Le conseil a approuvé le nouveau budget lundi et le maire a dit qu'il était juste"),
            ("de", "Der Rat hat am Montag den neuen Haushalt gebilligt und der Bürgermeister war froh"),
            ("es", "El consejo aprobó el nuevo presupuesto el lunes y el alcalde dijo que era justo"),
            ("pl", "Rada zatwierdziła nowy budżet w poniedziałek i burmistrz powiedział że jest on dobry"),
            ("ru", "Совет утвердил новый бюджет в понедельник и мэр сказал что он был справедливым"),
        ];
        for (code, text) in cases {
            assert_eq!(guess(text), Some(code), "{text}");
        }
    }

    #[test]
    fn the_filter_turns_away_only_words_in_no_list() {
        let table = table();
        let plain = |word: &[u8]| {
            let key = short_key(word);
            let bits = table
                .short
                .get(&key)
                .map_or(0, |&k| table.patterns[usize::from(k)]);
            (key, bits)
        };
        // Every short stop word of every list, then words that are in none (most of them).
        for code in codes() {
            for word in stop_words::get(code) {
                if (1..=8).contains(&word.len()) && *word == word.to_lowercase() {
                    let (key, bits) = plain(word.as_bytes());
                    assert!(table.may_hold(key), "{code}: {word}");
                    assert_eq!(bits_of(word.as_bytes(), key), bits, "{code}: {word}");
                }
            }
        }
        let mut random = crate::model::trees::SplitMix(8);
        let (mut words, mut turned_away) = (0, 0);
        for len in 1..=8 {
            for _ in 0..5000 {
                let word: Vec<u8> = (0..len)
                    .map(|_| b'a' + (random.next() % 26) as u8)
                    .collect();
                let (key, bits) = plain(&word);
                assert_eq!(bits_of(&word, key), bits, "{word:?}");
                words += usize::from(bits == 0);
                turned_away += usize::from(!table.may_hold(key));
            }
        }
        // The filter is worth having: it turns away most words in no list.
        assert!(turned_away * 10 > words * 7, "{turned_away} of {words}");
    }

    #[test]
    fn too_little_coverage_is_no_language() {
        assert_eq!(guess("Xqzt Vrmbl 4242 Ppqq Zzzt Kkrw Tmmp"), None);
        assert_eq!(guess(""), None);
    }
}
