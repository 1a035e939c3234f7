//! Byte tests eight bytes at a time, on a little-endian `u64` word: each test sets bit 7 of
//! every byte that passes it. Each works within its byte, with no carry into the next, so every
//! flag is exact (unlike the classic has-zero trick, which may also flag bytes after a true
//! one); [`position`] then finds the first flagged byte of a slice. [`run_starts`] flags where
//! runs of flagged bytes begin (a word after spaces, say), carrying the last byte of one word
//! into the next, and [`count`] counts flags.

const ONES: u64 = 0x0101_0101_0101_0101;
/// Bit 7 of every byte: every byte flagged.
pub(crate) const HIGH: u64 = 0x80 * ONES;

/// The bytes of `word` at or above 0x80.
pub(crate) fn non_ascii(word: u64) -> u64 {
    word & HIGH
}

/// The ASCII bytes of `word` below `n` (at most 0x80): adding `0x80 - n` to the low seven bits
/// reaches bit 7 exactly from `n` up.
pub(crate) fn ascii_below(word: u64, n: u8) -> u64 {
    debug_assert!(n <= 0x80);
    let low = word & !HIGH;
    !(low + u64::from(0x80 - n) * ONES) & !word & HIGH
}

/// The bytes of `word` equal to the ASCII byte `b`: only a zero difference stays under bit 7
/// when 0x7f is added.
pub(crate) fn ascii_eq(word: u64, b: u8) -> u64 {
    debug_assert!(b < 0x80);
    let low = word & !HIGH;
    !((low ^ (u64::from(b) * ONES)) + 0x7f * ONES) & !word & HIGH
}

/// The ASCII digits of `word`.
pub(crate) fn ascii_digit(word: u64) -> u64 {
    ascii_below(word, b'9' + 1) & !ascii_below(word, b'0')
}

/// The ASCII letters of `word`, either case: setting bit 5 turns a capital into its small
/// letter and sends no other byte into `a..=z`.
pub(crate) fn ascii_alphabetic(word: u64) -> u64 {
    ascii_lowercase(word | (0x20 * ONES))
}

/// The ASCII small letters of `word`.
pub(crate) fn ascii_lowercase(word: u64) -> u64 {
    ascii_below(word, b'z' + 1) & !ascii_below(word, b'a')
}

/// The ASCII spaces of `word`: a space, or a byte from `\t` to `\r` (the vertical tab too,
/// which `u8::is_ascii_whitespace` leaves out).
pub(crate) fn ascii_space(word: u64) -> u64 {
    ascii_eq(word, b' ') | (ascii_below(word, b'\r' + 1) & !ascii_below(word, b'\t'))
}

/// The bytes flagged in `flags` whose previous byte is not; `before` says whether the byte
/// before the first one is. The starts of runs of flagged bytes.
pub(crate) fn run_starts(flags: u64, before: bool) -> u64 {
    flags & !(flags << 8 | u64::from(before) << 7)
}

/// The number of bytes flagged in `flags`: the multiplication sums the flags, one per byte,
/// into the top byte (`count_ones` is a dozen instructions on x86-64 without `popcnt`).
pub(crate) fn count(flags: u64) -> usize {
    ((flags >> 7).wrapping_mul(ONES) >> 56) as usize
}

/// Whether the last byte of `word` is flagged in `flags`.
pub(crate) fn last(flags: u64) -> bool {
    flags >> 63 != 0
}

/// The index of the first byte of `bytes` flagged by `flags` (a word test), or for which
/// `test` (the same test on one byte, for the last bytes short of a word) holds.
pub(crate) fn position(
    bytes: &[u8],
    flags: impl Fn(u64) -> u64,
    test: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let found = flags(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| test(b))
        .map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_test_flags_exactly_its_bytes() {
        // Every byte value at every place of a word, among neighbours that fail and pass.
        for fill in [b'a', 0x00, 0x1f, 0x22, 0x7f, 0x80, 0xff] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[at] = b;
                    let word = u64::from_le_bytes(bytes);
                    let expect = |test: &dyn Fn(u8) -> bool| {
                        bytes
                            .iter()
                            .enumerate()
                            .filter(|(_, &b)| test(b))
                            .fold(0u64, |m, (i, _)| m | 0x80 << (8 * i))
                    };
                    assert_eq!(non_ascii(word), expect(&|b| b >= 0x80));
                    for n in [0x00, 0x01, 0x20, 0x7f, 0x80] {
                        assert_eq!(ascii_below(word, n), expect(&|b| b < n), "{bytes:?} < {n}");
                    }
                    for c in [0x00, b'\n', b'"', b'\\', 0x7f] {
                        assert_eq!(ascii_eq(word, c), expect(&|b| b == c), "{bytes:?} == {c}");
                    }
                    assert_eq!(ascii_digit(word), expect(&|b| b.is_ascii_digit()));
                    assert_eq!(ascii_alphabetic(word), expect(&|b| b.is_ascii_alphabetic()));
                    assert_eq!(ascii_lowercase(word), expect(&|b| b.is_ascii_lowercase()));
                    assert_eq!(
                        ascii_space(word),
                        expect(&|b| b == b' ' || (b'\t'..=b'\r').contains(&b))
                    );
                }
            }
        }
    }

    #[test]
    fn runs_start_where_the_previous_byte_is_not_flagged() {
        for flags in [
            0u64,
            HIGH,
            0x80,
            0x80 << 56,
            0x8000_8080_0000_8080,
            0x0080_0080_0080_0080,
        ] {
            for before in [false, true] {
                let flagged = |i: i32| match i {
                    -1 => before,
                    i => flags >> (8 * i + 7) & 1 == 1,
                };
                let want = (0..8)
                    .filter(|&i| flagged(i) && !flagged(i - 1))
                    .fold(0u64, |m, i| m | 0x80 << (8 * i));
                assert_eq!(run_starts(flags, before), want, "{flags:#x} {before}");
            }
            assert_eq!(last(flags), flags >> 63 == 1);
            assert_eq!(count(flags), flags.count_ones() as usize);
        }
    }

    #[test]
    fn position_finds_the_first_in_words_and_tail() {
        let quote = |w| ascii_eq(w, b'"');
        let is_quote = |b| b == b'"';
        for len in 0..20 {
            for at in 0..len {
                let mut bytes = vec![b'x'; len];
                bytes[at] = b'"';
                if at + 1 < len {
                    bytes[at + 1] = b'"';
                }
                assert_eq!(position(&bytes, quote, is_quote), Some(at));
            }
            assert_eq!(position(&vec![b'x'; len], quote, is_quote), None);
        }
    }
}
