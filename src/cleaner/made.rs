//! The texts that strips and joins make of lines while a round runs ([`Made`]): one buffer for
//! all of them, each found by its line as a 32-bit start and length, instead of a `String` each
//! (a document that joins every other line made a `String`, its allocation and a map entry per
//! joined line, some 100 bytes each beside the text).

use std::ops::Range;

use rustc_hash::FxHashMap;

/// The texts made of lines in a round, by line (see the module docs). A text replaced or
/// removed stays in the buffer until the round ends, unless the buffer would pass 4 GiB; then
/// the texts still in use are packed first.
#[derive(Debug, Default)]
pub(super) struct Made {
    text: String,
    /// The start and length in `text` of each line's text.
    spans: FxHashMap<u32, (u32, u32)>,
}

impl Made {
    /// Line `line`'s text.
    ///
    /// # Panics
    /// If the line has none.
    pub(super) fn get(&self, line: usize) -> &str {
        &self.text[self.span(line).expect("a made line's text")]
    }

    /// Where line `line`'s text is in the buffer, if it has one.
    fn span(&self, line: usize) -> Option<Range<usize>> {
        let &(start, len) = self.spans.get(&(line as u32))?;
        Some(start as usize..(start + len) as usize)
    }

    /// Line `line`'s text is now `text`.
    pub(super) fn insert(&mut self, line: usize, text: &str) {
        self.insert_within(line, text, u32::MAX as usize);
    }

    /// [`Self::insert`], with a buffer of at most `limit` bytes. The texts in use are no longer
    /// than the document's lines (a strip shortens a line, a join puts a space where there was
    /// a line end), which are under 4 GiB: once packed, they and `text` fit.
    fn insert_within(&mut self, line: usize, text: &str, limit: usize) {
        self.spans.remove(&(line as u32));
        if self.text.len() + text.len() > limit {
            self.pack();
        }
        let offset = |at: usize| u32::try_from(at).expect("made texts under 4 GiB");
        let start = offset(self.text.len());
        self.text.push_str(text);
        self.spans.insert(line as u32, (start, offset(text.len())));
    }

    /// Line `line` has no text any more: where it was in the buffer (it stays there until the
    /// next insertion), if it had one.
    pub(super) fn remove(&mut self, line: usize) -> Option<Range<usize>> {
        let span = self.span(line)?;
        self.spans.remove(&(line as u32));
        Some(span)
    }

    /// The text at `span`, as [`Self::remove`] gave it.
    pub(super) fn at(&self, span: Range<usize>) -> &str {
        &self.text[span]
    }

    /// Keep only the texts in use, one after another.
    fn pack(&mut self) {
        let old = std::mem::take(&mut self.text);
        for (start, len) in self.spans.values_mut() {
            let at = self.text.len() as u32;
            self.text
                .push_str(&old[*start as usize..(*start + *len) as usize]);
            *start = at;
        }
    }

    /// Forget every text, keeping the allocations.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// The bytes allocated.
    pub(super) fn capacity_bytes(&self) -> usize {
        self.text.capacity() + self.spans.capacity() * std::mem::size_of::<(u32, (u32, u32))>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_replaced_and_removed_are_found_by_line() {
        let mut made = Made::default();
        made.insert(3, "three");
        made.insert(7, "seven");
        made.insert(3, "thr");
        assert_eq!((made.get(3), made.get(7)), ("thr", "seven"));
        let span = made.remove(7).unwrap();
        assert_eq!(made.at(span), "seven");
        assert_eq!(made.remove(7), None);
        assert_eq!(made.span(7), None);
    }

    #[test]
    fn a_full_buffer_keeps_only_the_texts_in_use() {
        let mut made = Made::default();
        made.insert_within(1, "aaaa", 10);
        made.insert_within(2, "bbbb", 10);
        made.insert_within(1, "cc", 10);
        // "aaaa" is no longer in use: packed away to make room.
        made.insert_within(3, "dddd", 10);
        assert!(made.text.len() <= 10, "{:?}", made.text);
        assert_eq!(
            (made.get(1), made.get(2), made.get(3)),
            ("cc", "bbbb", "dddd")
        );
    }
}
