//! A round that only joins fragments (`REJOIN`, as the foresight found), written over the
//! previous round's text in place instead of into a fresh buffer.

use super::*;

/// The last line of the run of whole lines from `first` (whole, with text, and with its line
/// end) that [`Decided::write_over`] can move as it stands: each line whole and with its line end
/// in `ends`, a blank line only with a line of text after it, and the last line not blank.
/// (`quiet` holds what is left of each line: see [`Left`].)
pub(super) fn whole_run(quiet: &[Quiet], ends: &[u32], first: usize) -> usize {
    let len = |line: usize| ends[line] - (ends[line - 1] + 1);
    let whole = |line: usize| line < ends.len() && Left::of(quiet[line]) == Left::Whole;
    let mut last = first;
    while whole(last + 1) {
        if len(last + 1) > 0 {
            last += 1;
        } else if whole(last + 2) && len(last + 2) > 0 {
            last += 2;
        } else {
            break;
        }
    }
    last
}

impl Decided {
    /// [`Document::assemble`], written over `text`, the previous round's output, whose lines end
    /// at `ends`: as [`Document::fits_over`] found, no line kept whole is written over before it
    /// is moved. The bytes are checked as UTF-8 once written: whole lines and made lines of
    /// UTF-8, each followed by a line end, which is cheaper than a fresh buffer the size of the
    /// text.
    pub(super) fn write_over(self, text: String, ends: &[u32], spare: &mut Spare) -> Round {
        let Decided {
            hits,
            made,
            mut quiet,
            note,
        } = self;
        let mut bytes = text.into_bytes();
        let mut origin = std::mem::take(&mut spare.origin);
        origin.clear();
        let (mut at, mut start) = (0, 0);
        let mut pending_blank = None;
        let mut i = 0;
        while i < quiet.len() {
            let state = Left::of(quiet[i]);
            // The last line is the empty one after the text's last line end.
            let end = ends.get(i).map_or(bytes.len(), |&end| end as usize);
            let line_start = std::mem::replace(&mut start, end + 1);
            let len = match state {
                Left::Removed => {
                    i += 1;
                    continue;
                }
                Left::Whole => end - line_start,
                Left::Made => made.get(i).len(),
            };
            if len == 0 {
                pending_blank = (at > 0).then_some(i);
                i += 1;
                continue;
            }
            if let Some(blank) = pending_blank.take() {
                bytes[at] = b'\n';
                at += 1;
                origin.push(blank);
            }
            if state == Left::Whole && i < ends.len() {
                // A run of whole lines, each with its line end, that ends at a line with text
                // and has no two blank lines in a row, is written as it stands: moved at once.
                let last = whole_run(&quiet, ends, i);
                let run_end = ends[last] as usize + 1;
                if line_start != at {
                    bytes.copy_within(line_start..run_end, at);
                }
                (i..=last).for_each(|line| origin.push(line));
                at += run_end - line_start;
                start = run_end;
                i = last + 1;
                continue;
            }
            match state {
                Left::Made => bytes[at..at + len].copy_from_slice(made.get(i).as_bytes()),
                _ => bytes.copy_within(line_start..end, at),
            }
            at += len;
            bytes[at] = b'\n';
            at += 1;
            origin.push(i);
            i += 1;
        }
        bytes.truncate(at);
        let text = String::from_utf8(bytes).expect("whole UTF-8 lines and line ends are UTF-8");
        // A line kept whole is the same text in the next round; a stripped or joined one is not.
        for (k, i) in origin.lines().enumerate() {
            quiet[k] = match Left::of(quiet[i as usize]) {
                Left::Whole => quiet[i as usize],
                _ => 0,
            };
        }
        let decided = Decided {
            hits,
            made,
            quiet,
            note,
        };
        decided.into_round(text, origin, spare)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_written_over_only_once_it_is_read() {
        let cleaner = Cleaner::new();
        let text = "One.\nTwo.\n\nThree.\n";
        let ends = [4, 9, 10, 17];
        let lines = Lines { text, ends: &ends };
        let document = |made: &str| {
            let mut document = Document::new(&cleaner, lines, Vec::new(), &mut Spare::default());
            document.make(0, made);
            document
        };
        // Up to the start of "Two." (with its line end), the first line may grow.
        assert!(document("One").fits_over(&ends));
        assert!(document("One.").fits_over(&ends));
        assert!(!document("One..").fits_over(&ends));
        // A removed line is not read: a line made over it fits, up to the blank line and the
        // start of "Three.".
        let mut over = document("One. Two.");
        over.take(1);
        assert!(over.fits_over(&ends));
        let mut over = document("One. Two. X");
        over.take(1);
        assert!(!over.fits_over(&ends));
        // But the text may not grow.
        let mut longer = document("One. Two. And more.");
        longer.take(1);
        longer.take(3);
        assert!(!longer.fits_over(&ends));
        let mut fits = document("One. Two. Three");
        fits.take(1);
        fits.take(3);
        assert!(fits.fits_over(&ends));
    }
}
