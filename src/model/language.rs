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
pub const SAMPLE_TOKENS: usize = 2000;

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
    /// Each stop word (lowercase), with a bit for each language whose list holds it.
    words: FxHashMap<&'static str, u128>,
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
        let mut words: FxHashMap<&'static str, u128> = FxHashMap::default();
        for (k, code) in codes.iter().enumerate() {
            for word in stop_words::get(code) {
                if word.len() <= MAX_WORD_BYTES && *word == word.to_lowercase() {
                    *words.entry(word).or_insert(0) |= 1 << k;
                }
            }
        }
        Table { codes, words }
    })
}

/// The stop-word bits of a lowercase token: a bit for each language whose list holds it.
pub fn bits(lower: &str) -> u128 {
    table().words.get(lower).copied().unwrap_or(0)
}

/// Whether the lowercase token is a stop word of `language`.
pub fn is_stop(lower: &str, language: Language) -> bool {
    bits(lower) & language.bit() != 0
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
    /// Whether enough tokens have been seen.
    pub fn full(&self) -> bool {
        self.tokens >= SAMPLE_TOKENS
    }

    /// Count one token, by its stop-word bits (see [`bits`]).
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
        crate::model::text::guess_language([text]).map(Language::code)
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
    fn too_little_coverage_is_no_language() {
        assert_eq!(guess("Xqzt Vrmbl 4242 Ppqq Zzzt Kkrw Tmmp"), None);
        assert_eq!(guess(""), None);
    }
}
