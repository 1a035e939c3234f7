//! Where a round's output lines came from ([`Origin`]): a bit for each line of the round's
//! input, set for the lines that became output lines. An output line comes from one input line,
//! and the output keeps their order, so the `k`th output line is the `k`th set bit, and a
//! round's origins take a bit a line (a list of line numbers took 4 bytes an output line).

/// The input lines that became a round's output lines, in order (see the module docs).
#[derive(Debug, Clone, Default)]
pub(super) struct Origin {
    /// Bit `i % 64` of word `i / 64` is set when line `i` is an output line.
    bits: Vec<u64>,
    /// The number of bits set: of output lines.
    len: usize,
}

impl Origin {
    /// Forget every line, keeping the allocation.
    pub(super) fn clear(&mut self) {
        self.bits.clear();
        self.len = 0;
    }

    /// The number of output lines.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The bytes allocated.
    pub(super) fn capacity_bytes(&self) -> usize {
        self.bits.capacity() * std::mem::size_of::<u64>()
    }

    /// The next output line comes from input line `line`, after every line pushed before.
    pub(super) fn push(&mut self, line: usize) {
        let word = line / 64;
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        debug_assert!(
            self.bits[word] >> (line % 64) == 0,
            "origins pushed in order"
        );
        self.bits[word] |= 1 << (line % 64);
        self.len += 1;
    }

    /// The input line of each output line, in order.
    pub(super) fn lines(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros();
                    word &= word - 1;
                    (w * 64) as u32 + bit
                })
            })
        })
    }

    /// A map from output lines to their input lines, quickest when asked in order.
    pub(super) fn map(&self) -> impl FnMut(u32) -> u32 + '_ {
        let mut lines = self.lines();
        // The output line that `lines` gives next, and the one it gave last.
        let (mut next, mut last) = (0, None);
        move |k| {
            if k + 1 < next {
                (lines, next) = (self.lines(), 0);
            }
            while next <= k {
                last = lines.next();
                next += 1;
            }
            last.expect("an output line has an origin")
        }
    }

    /// The origins of a later round's output lines, whose origins among this round's output
    /// lines are `later`: this round's output lines that the later round kept.
    pub(super) fn compose(&mut self, later: &Origin) {
        let mut k = 0;
        for word in &mut self.bits {
            let mut bits = *word;
            while bits != 0 {
                let bit = bits & bits.wrapping_neg();
                bits &= bits - 1;
                if !later.has(k) {
                    *word &= !bit;
                }
                k += 1;
            }
        }
        self.len = later.len;
    }

    /// Whether line `line` is an output line.
    fn has(&self, line: usize) -> bool {
        self.bits
            .get(line / 64)
            .is_some_and(|word| word >> (line % 64) & 1 == 1)
    }
}

/// The same lines, however many words of zeros follow them.
impl PartialEq for Origin {
    fn eq(&self, other: &Origin) -> bool {
        self.len == other.len && self.lines().eq(other.lines())
    }
}

impl Eq for Origin {}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(lines: &[usize]) -> Origin {
        let mut origin = Origin::default();
        lines.iter().for_each(|&line| origin.push(line));
        origin
    }

    #[test]
    fn output_lines_map_to_their_input_lines_in_any_order() {
        let lines = [0, 3, 63, 64, 65, 200, 1000];
        let origin = origin(&lines);
        assert_eq!(origin.len(), lines.len());
        assert_eq!(
            origin.lines().collect::<Vec<_>>(),
            [0, 3, 63, 64, 65, 200, 1000]
        );
        let mut map = origin.map();
        for k in [0, 0, 1, 4, 4, 6, 2, 3, 6, 0] {
            assert_eq!(map(k as u32), lines[k] as u32, "output line {k}");
        }
    }

    #[test]
    fn a_later_round_keeps_the_lines_it_kept() {
        let mut first = origin(&[1, 2, 5, 64, 70, 130]);
        // The later round kept its lines 0, 2 and 5 (of the six).
        let later = origin(&[0, 2, 5]);
        first.compose(&later);
        assert_eq!(first, origin(&[1, 5, 130]));
        assert_eq!(first.len(), 3);
    }
}
