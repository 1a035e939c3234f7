//! A document's lines as a round reads them: normalized, trimmed, and found by 32-bit line ends
//! ([`Lines`]), made once from the input ([`trimmed_lines`], which leaves out blank lines in a
//! row past the first MiB), and the input's line numbers given back ([`Undrop`]).

use std::borrow::Cow;

use crate::model::MODEL_MAX_BYTES;
use crate::normalize::{fold_punctuation, normalize, trim_line, Change};

/// `text` normalized (see [`crate::normalize`]), with typographic punctuation folded if asked.
pub(super) fn normalize_text(text: &str, fold: bool) -> Cow<'_, str> {
    let normalized = normalize(text);
    if fold {
        Cow::Owned(fold_punctuation(&normalized).into_owned())
    } else {
        normalized
    }
}

/// The trimmed lines of a round: lines of normalized text, each but the last followed by a line
/// end, found by where they end: 4 bytes a line (a `&str` would take 16).
#[derive(Debug, Clone, Copy)]
pub(super) struct Lines<'t> {
    pub(super) text: &'t str,
    /// Where each line but the last ends (the offset of its line end).
    pub(super) ends: &'t [u32],
}

impl<'t> Lines<'t> {
    pub(super) fn len(self) -> usize {
        self.ends.len() + 1
    }

    /// Line `i`.
    pub(super) fn get(self, i: usize) -> &'t str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize + 1,
        };
        let end = self
            .ends
            .get(i)
            .map_or(self.text.len(), |&end| end as usize);
        &self.text[start..end]
    }

    pub(super) fn iter(
        self,
    ) -> impl DoubleEndedIterator<Item = &'t str> + ExactSizeIterator + Clone {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// The bytes of all lines, without their line ends.
    pub(super) fn bytes(self) -> usize {
        self.text.len() - self.ends.len()
    }

    /// Every line, as a slice for the passes that take one (the line model, learned lines).
    pub(super) fn to_vec(self) -> Vec<&'t str> {
        self.iter().collect()
    }
}

/// The trimmed lines of `text` (normalized, but for the lines in `changes`, whose normalized
/// forms are in `changed`: see [`crate::normalize::normalize_changes`]), with where each but the last
/// ends into `ends` (empty): `text` itself when no line changes or needs trimming, else a copy
/// in `buffer`'s allocation.
///
/// Past the first [`MODEL_MAX_BYTES`] of lines, a blank line after a blank line is left out, and
/// counted in `dropped` (empty) as `(k, n)`: `n` lines were left out before line `k`. Blank lines
/// in a row count for nothing but their number, which only the line model reads (and it judges
/// no document that long), and line numbers, which [`Undrop`] gives back; 50 MB of blank lines
/// are then two lines, not 50 million.
///
/// # Panics
/// On a text of 4 GiB or more: lines are found by 32-bit offsets.
pub(super) fn trimmed_lines<'t>(
    text: &'t str,
    changed: &str,
    changes: &[Change],
    ends: &mut Vec<u32>,
    dropped: &mut Vec<(u32, u32)>,
    buffer: &mut String,
) -> Cow<'t, str> {
    let offset = |at: usize| u32::try_from(at).expect("a document under 4 GiB");
    if changes.is_empty() {
        let (mut start, mut blank, mut as_is) = (0, false, true);
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            let line = &text[start..end];
            let again = blank && line.is_empty() && end >= MODEL_MAX_BYTES;
            if again || trim_line(line).len() != line.len() {
                as_is = false;
                break;
            }
            ends.push(offset(end));
            (start, blank) = (end + 1, line.is_empty());
        }
        let last = &text[start..];
        if as_is && trim_line(last).len() == last.len() {
            offset(text.len());
            return Cow::Borrowed(text);
        }
        ends.clear();
    }
    let mut out = std::mem::take(buffer);
    out.clear();
    out.reserve(text.len());
    let mut done = 0;
    let last = changes.last().map_or(0, |(from, _)| from.end);
    let pieces = changes
        .iter()
        .flat_map(|(from, to)| {
            let same = &text[std::mem::replace(&mut done, from.end)..from.start];
            [same, &changed[to.clone()]]
        })
        .chain([&text[last..]]);
    // Each piece is whole lines; only the last can end without a line end, and its rest is the
    // last line.
    let (mut rest, mut blank, mut left_out) = ("", false, 0);
    for piece in pieces.filter(|piece| !piece.is_empty()) {
        debug_assert!(rest.is_empty(), "a line runs over the end of its piece");
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', piece.as_bytes()) {
            let line = trim_line(&piece[start..end]);
            start = end + 1;
            // Where this line's line end would be with no line left out.
            let at = out.len() + line.len() + left_out;
            if blank && line.is_empty() && at >= MODEL_MAX_BYTES {
                let k = offset(ends.len());
                match dropped.last_mut() {
                    Some((at, n)) if *at == k => *n += 1,
                    _ => dropped.push((k, 1)),
                }
                left_out += 1;
                continue;
            }
            out.push_str(line);
            ends.push(offset(out.len()));
            out.push('\n');
            blank = line.is_empty();
        }
        rest = &piece[start..];
    }
    out.push_str(trim_line(rest));
    offset(out.len());
    Cow::Owned(out)
}

/// Where each line of `text` but the last ends, into `ends` (emptied first): the lines of a
/// round's output, which are trimmed already, as the next round reads them.
pub(super) fn line_ends(text: &str, ends: &mut Vec<u32>) {
    ends.clear();
    let offset = |at: usize| u32::try_from(at).expect("a document under 4 GiB");
    ends.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(offset));
}

/// Line numbers with the blank lines [`trimmed_lines`] left out put back: the input's line of
/// each line of the first round, asked in order.
pub(super) struct Undrop<'d> {
    pub(super) dropped: &'d [(u32, u32)],
    /// The gaps passed, and the lines left out in them.
    pub(super) next: usize,
    pub(super) shift: u32,
}

impl Undrop<'_> {
    /// The input's line of line `k` (no smaller than the line asked before).
    pub(super) fn line(&mut self, k: u32) -> u32 {
        while let Some(&(at, n)) = self.dropped.get(self.next).filter(|(at, _)| *at <= k) {
            debug_assert!(at <= k);
            self.shift += n;
            self.next += 1;
        }
        k + self.shift
    }
}

/// The trimmed lines of `text`, split at LF with a SIMD search, into `lines` (empty).
pub(super) fn split_lines<'t>(text: &'t str, mut lines: Vec<&'t str>) -> Vec<&'t str> {
    lines.reserve(text.len() / 64 + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(trim_line(&text[start..end]));
        start = end + 1;
    }
    lines.push(trim_line(&text[start..]));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cleaner;

    proptest::proptest! {
        /// The lines read from the text and its changed lines are the lines of the normalized
        /// text.
        #[test]
        fn changed_lines_split_as_the_normalized_text(
            picks in proptest::collection::vec(0usize..14, 0..40)
        ) {
            let alphabet = [
                "a", " ", "\n", "\r", "\r\n", "\t", "e\u{301}", "\u{a0}", "\u{200b}", "\u{7}",
                "\u{feff}", "’", "  \n", "b",
            ];
            let text: String = picks.iter().map(|&k| alphabet[k]).collect();
            let (mut changed, mut changes) = (String::new(), Vec::new());
            let base = crate::normalize::normalize_changes(&text, &mut changed, &mut changes);
            let mut ends = Vec::new();
            let mut dropped = Vec::new();
            let buffer = &mut String::new();
            let trimmed = trimmed_lines(base, &changed, &changes, &mut ends, &mut dropped, buffer);
            let lines = Lines { text: &trimmed, ends: &ends };
            let normalized = normalize(&text);
            proptest::prop_assert_eq!(lines.to_vec(), split_lines(&normalized, Vec::new()));
        }
    }

    /// Issue 19: blank lines in a row past the first MiB are left out while the document is
    /// cleaned (50 MB of them took 350 MB), and the hits still name the input's lines.
    #[test]
    fn blank_lines_left_out_of_a_long_document_keep_the_line_numbers() {
        let blank = "\n".repeat(MODEL_MAX_BYTES + 10);
        let doc = format!("x\n{blank}x\n\n\nWords\n{blank}\nWords\n  \n \n\nThe end.\n");
        let mut ends = Vec::new();
        let mut dropped = Vec::new();
        let buffer = &mut String::new();
        let trimmed = trimmed_lines(&doc, "", &[], &mut ends, &mut dropped, buffer);
        assert!(trimmed.len() < MODEL_MAX_BYTES + 100, "{}", trimmed.len());
        assert!(!dropped.is_empty());
        let cleaned = Cleaner::new().clean(&doc);
        assert_eq!(cleaned.text, "x\n\nWords\n\nThe end.\n");
        let line = |text: &str| doc[..doc.find(text).unwrap()].matches('\n').count() + 1;
        let second_x = blank.len() + 2;
        let second_words = line("Words") + blank.len() + 2;
        let hits = cleaned.hits.to_vec();
        let got: Vec<(&str, usize)> = hits.iter().map(|h| (&*h.id, h.line)).collect();
        assert_eq!(got, [("DEDUPE", second_x), ("DEDUPE", second_words)]);
        assert_eq!(Cleaner::new().clean(&cleaned.text).text, cleaned.text);
    }
}
