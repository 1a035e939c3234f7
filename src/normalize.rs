//! Unicode and whitespace normalization.
//!
//! Cleaning starts by bringing the text to one canonical shape, so that rules see lines the same
//! way whatever the source: Unicode NFC; CRLF and lone CR to LF; a leading byte-order mark
//! dropped; no-break and other exotic spaces to a plain space; a tab to a space; zero-width
//! spaces, word joiners and control characters removed. Zero-width joiners and non-joiners are
//! kept: they carry meaning in Persian, Indic scripts and emoji sequences. Typographic quotes and
//! dashes are content and are kept, unless [`fold_punctuation`] is asked for.
//!
//! Line trimming, blank-line collapsing and the final newline are done when the cleaned document
//! is assembled (see [`crate::cleaner`]).

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::swar;

/// What a character becomes.
enum Fate {
    Keep,
    Space,
    Remove,
    Newline,
}

fn fate(c: char) -> Fate {
    if c.is_ascii() {
        // `char::is_control` of an ASCII character, without its table.
        return match c {
            '\n' => Fate::Keep,
            '\r' => Fate::Newline,
            '\t' => Fate::Space,
            c if c.is_ascii_control() => Fate::Remove,
            _ => Fate::Keep,
        };
    }
    match c {
        '\n' => Fate::Keep,
        '\r' => Fate::Newline,
        '\t' => Fate::Space,
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Fate::Space,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Fate::Remove,
        c if c.is_control() => Fate::Remove,
        _ => Fate::Keep,
    }
}

/// Whether a byte of ASCII text needs no work (printable, space or LF).
fn plain_ascii(b: u8) -> bool {
    b == b'\n' || (0x20..0x7f).contains(&b)
}

/// The length of the run of plain ASCII bytes (see [`plain_ascii`]) that `bytes` starts with.
/// Whole blocks are tested without an early exit, which the compiler turns into vector code;
/// inside the block that holds the end of the run, eight bytes are tested at a time.
fn plain_ascii_prefix(bytes: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let mut done = 0;
    for block in bytes.chunks_exact(BLOCK) {
        if !block.iter().fold(true, |all, &b| all & plain_ascii(b)) {
            break;
        }
        done += BLOCK;
    }
    let rest = &bytes[done..];
    let stops = |word| {
        swar::non_ascii(word)
            | swar::ascii_eq(word, 0x7f)
            | (swar::ascii_below(word, 0x20) & !swar::ascii_eq(word, b'\n'))
    };
    done + swar::position(rest, stops, |b| !plain_ascii(b)).unwrap_or(rest.len())
}

/// Check that `bytes` are UTF-8, as [`std::str::from_utf8`] does (with the same error), with a
/// vectorized check first: it runs over every byte of every input, and valid text is the common
/// case.
///
/// # Example
/// ```
/// assert_eq!(boilerstrip::from_utf8("é".as_bytes()), Ok("é"));
/// assert_eq!(boilerstrip::from_utf8(b"ab\xff").unwrap_err().valid_up_to(), 2);
/// ```
pub fn from_utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        // The slow check finds where it fails.
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Normalize a whole document. Returns the input unchanged (borrowed) when it is already normal,
/// which is the common case for ASCII text.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out: Option<String> = None;
    let mut done = 0; // bytes of `text` already accounted for in `out`
    for_each_change(text, |line, cheap| {
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[done..line.start]);
        normalize_line(&text[line.clone()], cheap, out);
        done = line.end;
    });
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[done..]);
            Cow::Owned(out)
        }
    }
}

/// A line that normalization changes: the byte range of the line (with its LF) in the text,
/// and the range of its normalized form in the buffer of changed lines.
pub(crate) type Change = (Range<usize>, Range<usize>);

/// [`normalize`] without a copy of the text: only the lines it changes are normalized, one
/// after another, into `out`, and each is listed in `changes` with the line it replaces. Returns
/// the text the ranges index (without its byte-order mark). A large document that is mostly
/// normal is not copied, which spares the memory (and the page faults) of a second copy.
pub(crate) fn normalize_changes<'t>(
    text: &'t str,
    out: &mut String,
    changes: &mut Vec<Change>,
) -> &'t str {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for_each_change(text, |line, cheap| {
        let from = out.len();
        normalize_line(&text[line.clone()], cheap, out);
        changes.push((line, from..out.len()));
    });
    text
}

/// Call `change` with each line of `text` that normalization changes, in order: its byte range
/// (with its LF) and how many bytes it starts with that are cheap characters (see
/// [`is_cheap`]).
fn for_each_change(text: &str, mut change: impl FnMut(Range<usize>, usize)) {
    // Runs of plain ASCII (whole lines of it, mostly) are skipped at once, and so is a character
    // that needs nothing whatever surrounds it (a typographic quote, an accented letter): only a
    // line with some other character is looked at.
    let bytes = text.as_bytes();
    let mut at = 0; // bytes before this are in lines already looked at, or need nothing
    loop {
        at += plain_ascii_prefix(&bytes[at..]);
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if is_cheap(c) {
            at += c.len_utf8();
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
        // The characters before this one are cheap: only the rest of the line can need work.
        if !line_is_normal(&text[at..end]) {
            change(start..end, at - start);
        }
        at = end;
    }
}

/// Whether a character needs no change, whatever surrounds it: plain ASCII, Latin letters below
/// the combining marks (all NFC-stable) and typographic punctuation. A line of only these is
/// normal.
fn is_cheap(c: char) -> bool {
    match c {
        '\u{0}'..='\u{7f}' => plain_ascii(c as u8),
        '\u{a1}'..='\u{2ff}' => true,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' => c != '\u{202f}',
        _ => false,
    }
}

/// Whether a line (with its LF) needs no change. [`normalize`] asks only about a line with a
/// character that [`is_cheap`] does not settle, and only from that character on: the cheap ones
/// before it need nothing, and the NFC check starts afresh after each of them (none combines
/// with what precedes it, and each resets the order of combining marks).
fn line_is_normal(line: &str) -> bool {
    line.chars().all(|c| matches!(fate(c), Fate::Keep))
        && is_nfc_quick(line.chars()) == IsNormalized::Yes
}

/// Append the normalized form of `line` to `out`. Its first `cheap` bytes are cheap characters
/// (see [`is_cheap`]), which map to themselves.
fn normalize_line(line: &str, cheap: usize, out: &mut String) {
    // Mapped into `out`, then recomposed there if need be.
    let from = out.len();
    // Runs of characters that are kept are copied whole, up to each one that is not; runs of
    // plain ASCII are skipped eight bytes at a time.
    let bytes = line.as_bytes();
    let mut kept = 0; // the start of the run of kept characters being read
    let mut at = cheap;
    loop {
        if bytes.get(at).is_some_and(|&b| plain_ascii(b)) {
            at += plain_ascii_prefix(&bytes[at..]);
        }
        let Some(c) = line[at..].chars().next() else {
            break;
        };
        let i = at;
        at += c.len_utf8();
        let with = match fate(c) {
            Fate::Keep => continue,
            Fate::Space => " ",
            Fate::Remove => "",
            Fate::Newline => {
                // CR LF is one line end.
                if bytes.get(at) == Some(&b'\n') {
                    at += 1;
                }
                "\n"
            }
        };
        out.push_str(&line[kept..i]);
        out.push_str(with);
        kept = at;
    }
    out.push_str(&line[kept..]);
    // The cheap characters the line starts with are as they were, and compose with nothing
    // after them (see [`line_is_normal`]): the check starts after them.
    if is_nfc_quick(out[from + cheap..].chars()) != IsNormalized::Yes {
        let mapped = out.split_off(from);
        out.extend(mapped.nfc());
    }
}

/// Fold typographic quotes, dashes and the ellipsis to ASCII (opt-in; they are content by
/// default).
pub fn fold_punctuation(text: &str) -> Cow<'_, str> {
    let folded = |c: char| -> Option<&'static str> {
        Some(match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => "-",
            '\u{2014}' | '\u{2015}' => "--",
            '\u{2026}' => "...",
            _ => return None,
        })
    };
    if !text.chars().any(|c| folded(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match folded(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Trim the spaces normalization leaves at line ends.
pub fn trim_line(line: &str) -> &str {
    // Most lines have nothing to trim: two byte tests settle them.
    match line.as_bytes() {
        [b' ', ..] | [.., b' '] => line.trim_matches(' '),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("plain ASCII is borrowed", "a b\nc\n", "a b\nc\n"),
            ("CRLF to LF", "a\r\nb\r\n", "a\nb\n"),
            ("lone CR to LF", "a\rb", "a\nb"),
            ("BOM dropped", "\u{FEFF}abc", "abc"),
            ("no-break space", "a\u{00A0}b", "a b"),
            (
                "narrow no-break and ideographic spaces",
                "a\u{202F}b\u{3000}c",
                "a b c",
            ),
            ("tab to space", "a\tb", "a b"),
            ("zero-width space removed", "a\u{200B}b", "ab"),
            ("zero-width joiner kept", "a\u{200D}b", "a\u{200D}b"),
            ("control removed", "a\u{0007}b\u{0000}c", "abc"),
            ("NFC composes", "e\u{0301}te\u{0301}", "été"),
            (
                "typographic quotes kept",
                "“It’s” — fine…",
                "“It’s” — fine…",
            ),
        ];
        for (what, input, want) in cases {
            assert_eq!(normalize(input), *want, "{what}");
        }
        assert!(matches!(normalize("abc\n"), Cow::Borrowed(_)));
        assert!(matches!(normalize("“Très” bien\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn plain_ascii_runs_end_at_the_first_other_byte() {
        // Every byte value at every offset of a block and of the word-wise tail.
        for len in [5, 13, 40, 71] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let want = if plain_ascii(b) { len } else { at };
                    assert_eq!(
                        plain_ascii_prefix(&bytes),
                        want,
                        "byte {b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert_eq!(plain_ascii_prefix(b""), 0);
        assert_eq!(plain_ascii_prefix(b"ab\ncd\x7f"), 5);
    }

    proptest::proptest! {
        /// Whatever [`normalize`] skips, its output is every line normalized in full.
        #[test]
        fn normalize_is_every_line_normalized(
            picks in proptest::collection::vec(0usize..18, 0..40)
        ) {
            let alphabet = [
                "a", "e", " ", "\n", "\r", "\t", "é", "ç", "’", "—", "\u{0301}", "\u{0300}",
                "\u{0327}", "\u{00A0}", "\u{200B}", "\u{0007}", "\u{3000}", "한",
            ];
            let text: String = picks.iter().map(|&k| alphabet[k]).collect();
            let mut want = String::new();
            for line in text.split_inclusive('\n') {
                normalize_line(line, 0, &mut want);
            }
            let by_char: String = text.split_inclusive('\n').map(normalize_by_char).collect();
            proptest::prop_assert_eq!(&want, &by_char);
            proptest::prop_assert_eq!(normalize(&text), want);
        }
    }

    /// A line normalized as first written: character by character, then recomposed.
    fn normalize_by_char(line: &str) -> String {
        let mut mapped = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match fate(c) {
                Fate::Keep => mapped.push(c),
                Fate::Space => mapped.push(' '),
                Fate::Remove => {}
                Fate::Newline => {
                    chars.next_if_eq(&'\n');
                    mapped.push('\n');
                }
            }
        }
        mapped.nfc().collect()
    }

    #[test]
    fn trim_line_trims_spaces_only() {
        for line in [
            "", " ", "  ", "a", " a", "a ", "  a b  ", "\ta\t", "é ", " ’",
        ] {
            assert_eq!(trim_line(line), line.trim_matches(' '), "{line:?}");
        }
    }

    #[test]
    fn punctuation_folding() {
        assert_eq!(fold_punctuation("“It’s” — fine…"), "\"It's\" -- fine...");
        assert!(matches!(fold_punctuation("plain"), Cow::Borrowed(_)));
    }
}
