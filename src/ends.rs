//! Which bytes can begin and end the lines that a set of anchored regexes matches: a prefilter
//! that settles most lines with one table look-up instead of a regex search.
//!
//! A pattern that must match a whole line (`^(?:re)$`) can only match a line whose first byte
//! can begin a match of `re` and whose last byte can end one; a pattern that must match at the
//! start of a line (`^(?:re)`) constrains the first byte only. [`LineEnds`] holds, for each
//! first byte, the last bytes that some pattern of a set allows with it. The byte sets are
//! worked out from each pattern's syntax tree and err on the side of admitting: a line the
//! table turns away is one no pattern can match, so the table never changes what matches.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Bytes([u64; 4]);

impl Bytes {
    const ALL: Bytes = Bytes([u64::MAX; 4]);

    fn insert_range(&mut self, from: u8, to: u8) {
        for (i, word) in self.0.iter_mut().enumerate() {
            let (low, high) = (i as u8 * 64, i as u8 * 64 + 63);
            if from <= high && to >= low {
                let (a, z) = (from.max(low) - low, to.min(high) - low);
                *word |= (u64::MAX >> (63 - z)) & (u64::MAX << a);
            }
        }
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] >> (b & 63) & 1 != 0
    }

    fn union(self, other: Bytes) -> Bytes {
        let mut out = self;
        for (word, theirs) in out.0.iter_mut().zip(other.0) {
            *word |= theirs;
        }
        out
    }
}

/// What can begin and end the matches of a regex (or of part of one), and whether it can match
/// the empty string (then a neighbour's bytes can begin or end the whole).
#[derive(Debug, Clone, Copy)]
struct Edges {
    first: Bytes,
    last: Bytes,
    nullable: bool,
}

impl Edges {
    /// The empty string, or a zero-width assertion.
    const EMPTY: Edges = Edges {
        first: Bytes([0; 4]),
        last: Bytes([0; 4]),
        nullable: true,
    };

    /// Matches nothing: the start of a union.
    const NOTHING: Edges = Edges {
        first: Bytes([0; 4]),
        last: Bytes([0; 4]),
        nullable: false,
    };

    fn of(hir: &Hir) -> Edges {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Edges::EMPTY,
            HirKind::Literal(literal) => {
                let (mut first, mut last) = (Bytes::default(), Bytes::default());
                match (literal.0.first(), literal.0.last()) {
                    (Some(&a), Some(&z)) => {
                        first.insert_range(a, a);
                        last.insert_range(z, z);
                        Edges {
                            first,
                            last,
                            nullable: false,
                        }
                    }
                    _ => Edges::EMPTY,
                }
            }
            HirKind::Class(class) => class_edges(class),
            HirKind::Repetition(repetition) => {
                if repetition.max == Some(0) {
                    return Edges::EMPTY;
                }
                let sub = Edges::of(&repetition.sub);
                Edges {
                    nullable: sub.nullable || repetition.min == 0,
                    ..sub
                }
            }
            HirKind::Capture(capture) => Edges::of(&capture.sub),
            HirKind::Concat(subs) => {
                let edges: Vec<Edges> = subs.iter().map(Edges::of).collect();
                // The first bytes of the first part that cannot be empty, and of every part
                // before it; the last bytes likewise from the end.
                let reach = |parts: &mut dyn Iterator<Item = &Edges>, side: fn(&Edges) -> Bytes| {
                    let mut bytes = Bytes::default();
                    for part in parts {
                        bytes = bytes.union(side(part));
                        if !part.nullable {
                            break;
                        }
                    }
                    bytes
                };
                Edges {
                    first: reach(&mut edges.iter(), |e| e.first),
                    last: reach(&mut edges.iter().rev(), |e| e.last),
                    nullable: edges.iter().all(|e| e.nullable),
                }
            }
            HirKind::Alternation(subs) => {
                subs.iter()
                    .map(Edges::of)
                    .fold(Edges::NOTHING, |acc, e| Edges {
                        first: acc.first.union(e.first),
                        last: acc.last.union(e.last),
                        nullable: acc.nullable || e.nullable,
                    })
            }
        }
    }
}

/// The edges of a character class: an ASCII member is its own first and last byte; a wider
/// character begins with a lead byte between those of the range's ends (lead bytes grow with
/// the code point) and ends with a continuation byte.
fn class_edges(class: &Class) -> Edges {
    let (mut first, mut last) = (Bytes::default(), Bytes::default());
    let mut add = |from: char, to: char| {
        let lead = |c: char| c.encode_utf8(&mut [0; 4]).as_bytes()[0];
        if from.is_ascii() {
            let top = to.min('\x7f') as u8;
            first.insert_range(from as u8, top);
            last.insert_range(from as u8, top);
        }
        if !to.is_ascii() {
            first.insert_range(lead(from.max('\u{80}')), lead(to));
            last.insert_range(0x80, 0xbf);
        }
    };
    match class {
        Class::Unicode(class) => {
            for range in class.iter() {
                add(range.start(), range.end());
            }
        }
        Class::Bytes(class) => {
            for range in class.iter() {
                first.insert_range(range.start(), range.end());
                last.insert_range(range.start(), range.end());
            }
        }
    }
    Edges {
        first,
        last,
        nullable: false,
    }
}

/// For each first byte of a line, the last bytes with which some pattern of a set may match it.
#[derive(Debug)]
pub struct LineEnds {
    /// Row `first`, bit `last`.
    pairs: Box<[Bytes; 256]>,
}

impl LineEnds {
    /// A table that admits every line.
    fn all() -> LineEnds {
        LineEnds {
            pairs: Box::new([Bytes::ALL; 256]),
        }
    }

    /// The table for `patterns`, each of which must match a line from its start, and to its
    /// end too when `whole` says so. A pattern that can match the empty string admits every
    /// line.
    pub fn new<'p>(patterns: impl IntoIterator<Item = (&'p Hir, bool)>) -> LineEnds {
        let mut pairs = Box::new([Bytes::default(); 256]);
        for (hir, whole) in patterns {
            let edges = Edges::of(hir);
            if edges.nullable {
                return LineEnds::all();
            }
            let last = if whole { edges.last } else { Bytes::ALL };
            for first in 0..=255u8 {
                if edges.first.contains(first) {
                    pairs[usize::from(first)] = pairs[usize::from(first)].union(last);
                }
            }
        }
        LineEnds { pairs }
    }

    /// Whether some pattern may match `line` (an empty line is always admitted).
    #[inline]
    pub fn admits(&self, line: &[u8]) -> bool {
        match (line.first(), line.last()) {
            (Some(&first), Some(&last)) => self.pairs[usize::from(first)].contains(last),
            _ => true,
        }
    }

    /// How many of the 65,536 (first, last) pairs are admitted, for tests and statistics.
    #[cfg(test)]
    fn admitted_pairs(&self) -> u32 {
        self.pairs
            .iter()
            .map(|row| row.0.iter().map(|w| w.count_ones()).sum::<u32>())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pattern: &str, whole: bool) -> LineEnds {
        tables(&[(pattern, whole)])
    }

    fn tables(patterns: &[(&str, bool)]) -> LineEnds {
        let hirs: Vec<(Hir, bool)> = patterns
            .iter()
            .map(|&(p, whole)| (regex_syntax::parse(p).unwrap(), whole))
            .collect();
        LineEnds::new(hirs.iter().map(|(hir, whole)| (hir, *whole)))
    }

    #[test]
    fn literals_classes_and_optional_parts() {
        let t = table("^(?:Leave a reply)$", true);
        assert!(t.admits(b"Leave a reply"));
        assert!(!t.admits(b"leave a reply"), "case-sensitive");
        assert!(!t.admits(b"Leave a reply."));
        assert_eq!(t.admitted_pairs(), 1);

        let t = table("(?i)^(?:leave a reply)$", true);
        assert!(t.admits(b"LEAVE A REPLY"));
        assert!(t.admits(b"leave a reply"));
        // (?i) k also matches the Kelvin sign, whose lead byte is 0xe2.
        assert!(table("(?i)^(?:k)$", true).admits("\u{212a}".as_bytes()));

        // An optional prefix lets the next part begin the line; an optional suffix likewise.
        let t = table(r"^(?:(?:Photo: )?[0-9]+ comments?\.?)$", true);
        for line in ["Photo: 3 comments.", "3 comments", "12 comment."] {
            assert!(t.admits(line.as_bytes()), "{line}");
        }
        assert!(!t.admits(b"x comments"));
        assert!(!t.admits(b"3 commentz"));
    }

    #[test]
    fn starts_leaves_the_last_byte_free() {
        let t = table("^(?:Posted by)", false);
        assert!(t.admits(b"Posted by admin at 9:00 ;"));
        assert!(!t.admits(b"posted by admin"));
    }

    #[test]
    fn non_ascii_lead_and_continuation_bytes() {
        let t = table(r"^(?:\p{Lu}\w*)$", true);
        for word in ["Ébène", "Ωmega", "Zürich", "Δ", "Été"] {
            assert!(t.admits(word.as_bytes()), "{word}");
        }
        let t = table("^(?:©.*reserved)$", true);
        assert!(t.admits("© 2024 All rights reserved".as_bytes()));
        assert!(!t.admits("(c) 2024 All rights reserved".as_bytes()));
        let t = table("^(?:[^a]+)$", true);
        assert!(t.admits("\u{10ffff}".as_bytes()));
        assert!(t.admits("\u{e000}x".as_bytes()));
    }

    #[test]
    fn nullable_patterns_admit_everything() {
        assert_eq!(table("^(?:a*)$", true).admitted_pairs(), 65536);
        assert_eq!(table(r"^(?:\b)$", true).admitted_pairs(), 65536);
        assert_eq!(table("^(?:x{0}y?)$", true).admitted_pairs(), 65536);
    }

    #[test]
    fn a_set_admits_what_any_pattern_admits() {
        let t = tables(&[("^(?:a.*z)$", true), ("^(?:b)", false)]);
        assert!(t.admits(b"a to z"));
        assert!(t.admits(b"b anything"));
        assert!(!t.admits(b"a to y"));
        assert!(!t.admits(b"c"));
    }
}
