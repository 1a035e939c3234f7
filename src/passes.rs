//! Structural passes: the clean-ups that are not about any phrase.
//!
//! * `COMMENTS` cuts a reader-comment thread off the end of a document (see
//!   [`CommentOptions`](crate::CommentOptions)).
//! * `DEDUPE` drops a line that repeats the previous kept line (a photo caption printed twice).
//! * `LEARN` removes whole lines learned from the batch (see [`crate::mine`]); it runs only when
//!   the cleaner is given learned lines.
//! * `REJOIN` mends sentences that an extractor cut into separate paragraphs where links were
//!   (`PARIS—U.S. Secretary of State` / `Antony Blinken` / `continued his efforts...`).
//!
//! Each pass has an id, like a rule, so it can be disabled, listed and explained. The dedupe test
//! itself is trivial and runs inside the cleaner's sweep (it has to, so that zones count lines as
//! a second run would see them); the rejoin logic lives here.

use crate::swar;

/// A structural pass's identity and explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PassInfo {
    /// Stable id, used like a rule id.
    pub id: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// What it does and why.
    pub why: &'static str,
}

/// The consecutive-duplicate pass.
pub const DEDUPE: PassInfo = PassInfo {
    id: "DEDUPE",
    name: "consecutive-duplicates",
    why: "A line identical to the previous kept line is an extraction artefact (a caption or \
          title printed twice); one copy is kept. Repeats that are not adjacent are left alone.",
};

/// The fragment-rejoin pass.
pub const REJOIN: PassInfo = PassInfo {
    id: "REJOIN",
    name: "fragment-rejoin",
    why: "Extractors break a sentence into paragraphs where it contained links; consecutive \
          one-line paragraphs are joined back when each piece lacks final punctuation and the \
          next continues it (starts lowercase, or is a short name-like piece followed by a \
          lowercase continuation or ending in a comma), and the joined run ends a sentence.",
};

/// The line model (see [`Model`](crate::Model)).
pub const CLASSIFY: PassInfo = PassInfo {
    id: "CLASSIFY",
    name: "line-model",
    why: "A model learned from gold data gives each line a probability of being article text, \
          from the line's shape, its words (hashed n-grams), its position and its neighbours; \
          lines under the threshold are removed. A sentence spread over several lines is kept or \
          removed whole. Extracted article text (the default for most documents) loses only \
          lines the model is very sure of; raw page dumps (told apart per document, or \
          --input-kind page) much more. --keep-threshold moves the line; --explain names each \
          removed line's probability and the features that weighed against it.",
};

/// The comment-section pass (see [`CommentOptions`](crate::CommentOptions)).
pub const COMMENTS: PassInfo = PassInfo {
    id: "COMMENTS",
    name: "comment-section",
    why: "A reader-comment thread at the end of a document is not the article. It is found by \
          its shape: a run of comment signatures (a name with a date and time, `NAME says:`) \
          every few lines down to the end of the document, marked as comments by `Posted by:` / \
          `says:` signatures or a comment header; the run is cut from its first signature, or \
          from a comment header just above it, even when the thread is longer than the article \
          (where the guard of a tail rule would keep it). A text that is only a thread is cut \
          whole unless --comments-min-article-words asks for article text above it.",
};

/// The corpus-learned lines pass: runs only when the cleaner is given lines learned from the
/// batch (`clean --learn`, [`crate::Cleaner::clean_with`]), so it is not among a cleaner's
/// [`passes`](crate::Cleaner::passes).
pub const LEARN: PassInfo = PassInfo {
    id: "LEARN",
    name: "learned-repeats",
    why: "A short line (or a label in the first or last lines) that repeats across many \
          documents of the same group (site, directory) is that site's boilerplate: a footer, a \
          newsletter box, a share bar. It is learned from the batch itself (see `boilerstrip \
          mine`); long sentences are never learned, since syndicated article text repeats too.",
};

/// All passes, in the order they run.
pub const PASSES: &[PassInfo] = &[CLASSIFY, COMMENTS, DEDUPE, LEARN, REJOIN];

/// Longest piece (in words) that may be joined as a name-like fragment despite starting with a
/// capital letter.
const SHORT_FRAGMENT_WORDS: usize = 6;

/// Whether a line ends a sentence (or a label: `QUESTION:`), so nothing is joined onto it.
pub(crate) fn is_terminal(line: &str) -> bool {
    line.chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | ';' | '…' | '"' | '”' | '’' | '\'' | ')' | ']' | '»' | '*'
        )
    })
}

/// Whether a line continues a sentence: its first word is all lowercase letters ("continued",
/// "and", "as"), which excludes brand names such as "iPhone" that start a new paragraph.
fn continues(line: &str) -> bool {
    // Most lines start with a capital: a first character that is not lowercase settles it (the
    // first word keeps its first character, or is nothing but punctuation).
    match line.as_bytes().first() {
        None => return false,
        Some(b) if b.is_ascii() && !b.is_ascii_lowercase() => return false,
        Some(_) => {}
    }
    // The first word is short: a plain loop finds its end sooner than a vectorized search.
    let end = line.bytes().position(|b| b == b' ').unwrap_or(line.len());
    let first = &line[..end];
    let letters = first.trim_end_matches(|c: char| !c.is_alphanumeric());
    !letters.is_empty() && letters.chars().all(|c| c.is_lowercase())
}

fn is_short(line: &str) -> bool {
    space_words(line, SHORT_FRAGMENT_WORDS + 1) <= SHORT_FRAGMENT_WORDS
}

/// The number of words of `line` cut at spaces (the non-empty pieces of `line.split(' ')`),
/// counting no further than `limit`, so that a long paragraph is not counted to its end. A space
/// byte is never part of a longer character, so counting the starts of words byte by byte is
/// exact.
pub(crate) fn space_words(line: &str, limit: usize) -> usize {
    // Eight bytes at a time: a word starts at a byte that is not a space after one that is.
    let (mut n, mut after_space) = (0, true);
    let mut count = |word: u64| {
        let space = swar::ascii_eq(word, b' ');
        n += swar::count(swar::run_starts(!space & swar::HIGH, !after_space));
        after_space = swar::last(space);
        n
    };
    let mut words = line.as_bytes().chunks_exact(8);
    for word in &mut words {
        if count(u64::from_le_bytes(word.try_into().expect("8 bytes"))) >= limit {
            return limit;
        }
    }
    // The last bytes, padded with spaces, which start nothing.
    let mut last = [b' '; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    count(u64::from_le_bytes(last)).min(limit)
}

/// Whether `next` continues the sentence that `line` leaves open, `after` being the line after
/// `next`: `line` does not end a sentence, and `next` starts with a lowercase word, or is a
/// short name-like piece that ends in a comma or is followed by such a word. The test by which
/// `REJOIN` joins fragments, and by which the line model keeps a sentence's lines together.
pub(crate) fn continues_sentence(line: &str, next: &str, after: Option<&str>) -> bool {
    // Words are counted last: it is the dearest test.
    !is_terminal(line)
        && (continues(next)
            || ((next.ends_with(',') || after.is_some_and(continues)) && is_short(next)))
}

/// Find the runs of units to join. The units are one-line paragraphs in document order, each
/// as a key, its text, and whether it directly follows the unit before (no longer paragraph
/// between them); they are read once, in order, three at a time, so they need not be held.
/// Calls `run` with the keys of the first and the last unit of each run of two or more units.
pub(crate) fn rejoin_runs<'a, K: Copy>(
    units: impl Iterator<Item = (K, &'a str, bool)>,
    mut run: impl FnMut(K, K),
) {
    let mut units = units.fuse();
    // A unit, the next one, and the one after.
    let mut window = [units.next(), units.next(), units.next()];
    // The first unit of the run that the current unit is in, unless it is the first itself.
    let mut first = None;
    while let Some((key, text, _)) = window[0] {
        let linked = match window[1] {
            Some((_, next, true)) => {
                let after = window[2].filter(|&(_, _, follows)| follows);
                continues_sentence(text, next, after.map(|(_, after, _)| after))
            }
            _ => false,
        };
        if linked {
            first.get_or_insert(key);
        } else if let Some(first) = first.take() {
            if is_terminal(text) {
                run(first, key);
            }
        }
        window = [window[1], window[2], units.next()];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continues_reads_the_first_word() {
        // The definition, without the shortcut for a first character that is not lowercase.
        let slow = |line: &str| {
            let first = line.split(' ').next().unwrap_or("");
            let letters = first.trim_end_matches(|c: char| !c.is_alphanumeric());
            !letters.is_empty() && letters.chars().all(|c| c.is_lowercase())
        };
        for line in [
            "",
            " ",
            "continued his efforts",
            "and",
            "as,",
            "iPhone sales",
            "The end",
            "3 days",
            "“quoted”",
            "... and",
            "éte venu",
            "Été venu",
            "ß ok",
            "a",
            "-",
            "a-b c",
        ] {
            assert_eq!(continues(line), slow(line), "{line:?}");
        }
    }

    #[test]
    fn space_words_counts_as_split_at_spaces_does() {
        for line in [
            "",
            " ",
            "one",
            "  two  words ",
            "a b c d e f g h",
            "né à Zürich le 3 mai",
        ] {
            let split = line.split(' ').filter(|w| !w.is_empty()).count();
            assert_eq!(space_words(line, usize::MAX), split, "{line:?}");
            assert_eq!(space_words(line, 3), split.min(3), "{line:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the eight-byte counting skips, it counts the pieces `split(' ')` cuts.
        #[test]
        fn space_words_is_split_at_spaces(
            picks in proptest::collection::vec(0usize..7, 0..40),
            limit in 0usize..25,
        ) {
            let pieces = ["a", "word", " ", "  ", "\t", "é", "\u{a0}"];
            let line: String = picks.iter().map(|&k| pieces[k]).collect();
            let split = line.split(' ').filter(|w| !w.is_empty()).count();
            proptest::prop_assert_eq!(space_words(&line, limit), split.min(limit), "{:?}", line);
        }
    }

    /// The index ranges of the runs of `units` to join, where `adjacent(i)` says whether unit
    /// `i + 1` directly follows unit `i`.
    fn runs(units: &[&str], adjacent: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
        let units = units.iter().enumerate();
        let mut runs = Vec::new();
        let units = units.map(|(i, &unit)| (i, unit, i > 0 && adjacent(i - 1)));
        rejoin_runs(units, |first, last| runs.push(first..last + 1));
        runs
    }

    fn joined(paragraphs: &[&str]) -> Vec<String> {
        let runs = runs(paragraphs, |_| true);
        let mut out = Vec::new();
        let mut i = 0;
        while i < paragraphs.len() {
            if let Some(run) = runs.iter().find(|r| r.start == i) {
                out.push(paragraphs[run.clone()].join(" "));
                i = run.end;
            } else {
                out.push(paragraphs[i].to_string());
                i += 1;
            }
        }
        out
    }

    #[test]
    fn joins_link_fragments() {
        let input = [
            "Blinken Meetings Yield No Concrete Actions",
            "PARIS—U.S. Secretary of State",
            "Antony Blinken",
            "continued his efforts to repair ties.",
            "Mr. Blinken met Tuesday with French President",
            "Emmanuel Macron",
            "and Foreign Minister",
            "Jean-Yves Le Drian,",
            "as well as",
            "Emmanuel Bonne,",
            "diplomatic adviser to Mr. Macron.",
        ];
        assert_eq!(
            joined(&input),
            [
                "Blinken Meetings Yield No Concrete Actions",
                "PARIS—U.S. Secretary of State Antony Blinken continued his efforts to repair ties.",
                "Mr. Blinken met Tuesday with French President Emmanuel Macron and Foreign Minister \
                 Jean-Yves Le Drian, as well as Emmanuel Bonne, diplomatic adviser to Mr. Macron.",
            ]
        );
    }

    #[test]
    fn leaves_structure_alone() {
        let cases: &[&[&str]] = &[
            // a headline followed by a capitalised paragraph
            &[
                "City Council Approves Budget",
                "The council voted 7-2 on Monday.",
            ],
            // a list of short items
            &["2 cups flour", "1 teaspoon salt", "3 eggs", "Mix well."],
            // lowercase list items that never end a sentence
            &["eggs", "milk", "butter"],
            // a speaker label
            &["QUESTION:", "what did you mean by that?"],
            // a dateline on its own line
            &[
                "WASHINGTON —",
                "President Biden said on Tuesday that talks would go on.",
            ],
            // a subheading followed by a brand name
            &["Sales of phones", "iPhone sales rose by a tenth."],
        ];
        for case in cases {
            assert_eq!(joined(case), *case, "{case:?}");
        }
    }

    #[test]
    fn respects_adjacency() {
        let units = ["with French President", "Emmanuel Macron", "and others."];
        assert_eq!(runs(&units, |i| i != 0), vec![1..3]);
    }
}
