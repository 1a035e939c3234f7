//! What the line model reads in a line: its tokens, and counts taken from them in one pass.
//!
//! Tokens are the lowercase `\w+` runs of the bench's metric (letters, digits, `_`), except that
//! each character of a script written without spaces between words (Han, Hiragana, Katakana) is
//! a token of its own, so that a Chinese line has words to count. The hashed n-grams of the
//! text score ([`super::ngram`]) also see each punctuation character as a token, and digits
//! folded to `0`.

use super::language::{self, Language, MAX_WORD_BYTES};

/// Separators typical of menus and breadcrumbs.
const SEPARATORS: [char; 7] = ['|', '»', '•', '·', '›', '/', '>'];

/// Characters that end a sentence, or close one (a quote or bracket after the stop).
const TERMINAL: [char; 10] = ['.', '!', '?', '…', '"', '”', '’', '»', ')', '。'];

/// Characters that open a list item or a heading in a text dump.
const BULLETS: [char; 7] = ['*', '-', '+', '•', '·', '>', '#'];

/// One token of a line, as the scan hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A `\w+` run (or one character of a script without spaces), as written.
    Word(&'a str),
    /// A character that is neither part of a word nor whitespace.
    Punct(char),
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Call `f` with each token of `line`, in order.
pub fn tokens<'a>(line: &'a str, mut f: impl FnMut(Token<'a>)) {
    let mut start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if is_word_char(c) && !unspaced(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(from) = start.take() {
            f(Token::Word(&line[from..i]));
        }
        if unspaced(c) {
            f(Token::Word(&line[i..i + c.len_utf8()]));
        } else if !c.is_whitespace() {
            f(Token::Punct(c));
        }
    }
    if let Some(from) = start {
        f(Token::Word(&line[from..]));
    }
}

/// `word` lowercased into `buffer` (cleared first), or `None` when it is too long to be a stop
/// word (it is then still a token).
pub fn lowercase<'b>(word: &str, buffer: &'b mut String) -> Option<&'b str> {
    if word.len() > MAX_WORD_BYTES {
        return None;
    }
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
    Some(buffer.as_str())
}

/// The language of a document's lines (see [`language`]), from their first tokens.
pub fn guess_language<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<Language> {
    let mut guess = language::Guess::default();
    let mut lower = String::new();
    for line in lines {
        if guess.full() {
            break;
        }
        tokens(line, |token| {
            if let Token::Word(word) = token {
                let bits = lowercase(word, &mut lower).map_or(0, language::bits);
                guess.add(bits);
            }
        });
    }
    guess.language()
}

/// Counts of one line. Every field is a plain count or flag; [`super::features`] turns them
/// into the model's features.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineStats {
    /// Characters.
    pub chars: u32,
    /// Word tokens.
    pub words: u32,
    /// Of those, stop words of the document's language.
    pub stop: u32,
    /// Words that start with a capital letter.
    pub capitalized: u32,
    /// Words of two or more letters, all capitals.
    pub all_caps: u32,
    /// Sum of the words' lengths in characters.
    pub word_chars: u32,
    /// Digits, letters, menu separators and other punctuation (characters).
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

/// The months, by the first three letters of their English names.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Count `line` (trimmed, not blank) with the stop words of `language`; `each` also sees every
/// token and, for words, their lowercase form.
pub fn scan<'a>(
    line: &'a str,
    language: Option<Language>,
    lower: &mut String,
    mut each: impl FnMut(Token<'a>, Option<&str>),
) -> LineStats {
    let mut s = LineStats::default();
    // The kinds of the last three tokens, for dates: 'n' a number of up to two digits, 'y' a
    // year, 'm' a month, 'o' anything else.
    let mut recent = [b'o'; 3];
    let mut date = false;
    tokens(line, |token| {
        match token {
            Token::Word(word) => {
                s.words += 1;
                let mut chars = word.chars();
                let first = chars.next().unwrap_or(' ');
                let n = 1 + chars.count();
                s.word_chars += n as u32;
                if first.is_uppercase() {
                    s.capitalized += 1;
                    if n > 1
                        && word.chars().all(|c| !c.is_lowercase())
                        && word.chars().any(char::is_alphabetic)
                    {
                        s.all_caps += 1;
                    }
                }
                let lowered = lowercase(word, lower);
                if let (Some(language), Some(w)) = (language, lowered.as_deref()) {
                    s.stop += u32::from(language::is_stop(w, language));
                }
                let kind = if word.bytes().all(|b| b.is_ascii_digit()) {
                    match word.len() {
                        1 | 2 => b'n',
                        4 if word.starts_with("19") || word.starts_with("20") => b'y',
                        _ => b'o',
                    }
                } else if lowered.as_deref().is_some_and(|w| {
                    w.len() >= 3 && w.is_char_boundary(3) && MONTHS.contains(&&w[..3])
                }) {
                    b'm'
                } else {
                    b'o'
                };
                recent = [recent[1], recent[2], kind];
                // month day year, day month year, month year
                date |= matches!(&recent, b"mny" | b"nmy") || recent[1..] == *b"my";
                each(token, lowered.as_deref());
            }
            Token::Punct(c) => {
                // A comma between the day and the year (`October 29, 2012`) is no break.
                if c != ',' && c != '.' {
                    recent = [recent[1], recent[2], b'o'];
                }
                each(token, None);
            }
        }
    });
    let bytes = line.as_bytes();
    let mut chars = 0u32;
    let mut previous: Option<char> = None;
    for (i, c) in line.char_indices() {
        chars += 1;
        if c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()) {
            s.digits += 1;
        } else if c.is_alphabetic() {
            s.letters += 1;
        } else if !c.is_whitespace() {
            s.punct += 1;
            if SEPARATORS.contains(&c) {
                s.separators += 1;
            }
            match c {
                ',' => s.commas += 1,
                ':' => {
                    // hh:mm
                    let before = previous.is_some_and(|p| p.is_ascii_digit());
                    let after = bytes
                        .get(i + 1..i + 3)
                        .is_some_and(|two| two.iter().all(u8::is_ascii_digit));
                    if before && after {
                        s.flags |= FLAG_TIME;
                    }
                }
                '.' | '!' | '?' => {
                    // A stop, an optional closing quote, a space, then a capital or a quote.
                    let rest = &line[i + 1..];
                    let rest = rest.trim_start_matches(['"', '”', '’', ')']);
                    if let Some(after) = rest.strip_prefix(' ') {
                        if after.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“') {
                            s.sentences += 1;
                        }
                    }
                }
                '-' | '/' => {
                    // numeric dates: 2012-10-29, 10/29/2012, 29/10/12
                    if previous.is_some_and(|p| p.is_ascii_digit()) && numeric_date(line, i) {
                        date = true;
                    }
                }
                _ => {}
            }
        }
        previous = Some(c);
    }
    s.chars = chars;
    if date {
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
        | set(FLAG_FIRST_BULLET, BULLETS.contains(&first))
        | set(
            FLAG_URL,
            line.contains("http") || line.contains("www.") || line.contains(".com"),
        )
        | set(FLAG_AT, line.contains('@'))
        | set(
            FLAG_COPYRIGHT,
            line.contains('©') || line.contains("(c)") || line.contains("(C)") || {
                let l = line.as_bytes();
                l.windows(9).any(|w| w.eq_ignore_ascii_case(b"copyright"))
            },
        );
    s
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(line, |t| match t {
            Token::Word(w) => out.push(w.to_string()),
            Token::Punct(c) => out.push(format!("<{c}>")),
        });
        out
    }

    #[test]
    fn tokens_are_word_runs_and_punctuation() {
        assert_eq!(words("Hello, world_2!"), ["Hello", "<,>", "world_2", "<!>"]);
        assert_eq!(words("北京 市长"), ["北", "京", "市", "长"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("né à Zürich"), ["né", "à", "Zürich"]);
    }

    fn stats(line: &str) -> LineStats {
        let en = Language::from_code("en");
        scan(line, en, &mut String::new(), |_, _| {})
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

    #[test]
    fn flags_menus_and_marks() {
        let s = stats("Home | News | Sport");
        assert_eq!(s.separators, 2);
        assert!(stats("© 2021 Example Inc.").has(FLAG_COPYRIGHT));
        assert!(stats("* Politics").has(FLAG_FIRST_BULLET));
        assert_eq!(stats("NASA and the FBI").all_caps, 2);
    }
}
