//! Making scraped text safe to show on a terminal.
//!
//! Scraped articles can carry escape sequences, stray carriage returns and bidirectional
//! overrides that would recolour, rewrite or reorder what the user reads ("Trojan Source"). Text
//! bound for a terminal goes through [`for_terminal`] first; text bound for a file or a pipe is
//! left exactly as it is, so that a diff still applies.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw: C0 and C1 controls except tab, DEL, and the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The character shown instead of an unsafe one: a control picture (`␍`, `␛`) for C0 controls
/// and DEL, U+FFFD for the rest.
fn replacement(c: char) -> char {
    match c {
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// `text` with every control and bidi character replaced by a visible stand-in (tabs are kept).
/// Borrows when there is nothing to replace.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { replacement(c) } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::for_terminal;

    #[test]
    fn unsafe_characters_are_replaced() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "plain text borrows",
                "Mayor opens bridge",
                "Mayor opens bridge",
            ),
            ("tab is kept", "a\tb", "a\tb"),
            (
                "escape shown as a picture",
                "\u{1b}[31mred",
                "\u{241b}[31mred",
            ),
            ("carriage return shown", "line\r", "line\u{240d}"),
            ("DEL shown", "a\u{7f}", "a\u{2421}"),
            ("C1 control replaced", "a\u{9b}31m", "a\u{FFFD}31m"),
            ("bidi override replaced", "abc\u{202E}fed", "abc\u{FFFD}fed"),
            (
                "bidi isolate replaced",
                "\u{2066}x\u{2069}",
                "\u{FFFD}x\u{FFFD}",
            ),
            ("other Unicode kept", "Café — “quoted”", "Café — “quoted”"),
        ];
        for (what, input, want) in cases {
            assert_eq!(for_terminal(input), *want, "{what}");
        }
    }
}
