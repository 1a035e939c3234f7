//! The quality metric of the bench (`shared/bench/README.md`), so that users can measure a
//! cleaner on their own labelled data.
//!
//! Tokens are lowercase `\w+` runs (letters, digits, underscore), compared as multisets per
//! document. With I = input, G = gold and O = cleaned output:
//!
//! * content kept = |O ∩ G ∩ I| / |G ∩ I|;
//! * junk removed = 1 − junk_left / |I − G|, junk_left = Σ_t min(max(0, O_t − G_t), (I − G)_t);
//! * precision = |O ∩ G| / |O|, recall = |O ∩ G| / |G|, F1 their harmonic mean (an empty output
//!   has precision 0).
//!
//! [`Counts`] holds one document's counts; [`Scores::micro`] pools counts over documents,
//! [`Scores::macro_average`] averages the per-document values.
//!
//! # Example
//! ```
//! use boilerstrip::{Counts, Scores};
//!
//! let doc = Counts::of("Home News The bridge opened", "The bridge opened", "The bridge opened");
//! let s = Scores::micro(&[doc]);
//! assert_eq!((s.content_kept, s.junk_removed, s.f1), (Some(1.0), Some(1.0), 1.0));
//! ```

use std::collections::HashMap;

/// Lowercase `\w+` runs of `text`, as a bag.
pub fn bag(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for token in text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
    {
        *bag.entry(token.to_lowercase()).or_insert(0) += 1;
    }
    bag
}

/// One document's token counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// |G ∩ I|: gold tokens the input contains.
    pub gold_in_input: usize,
    /// |O ∩ G ∩ I|: of those, how many survive.
    pub kept: usize,
    /// |I − G|: input tokens in excess of the gold.
    pub junk: usize,
    /// Junk that survives cleaning.
    pub junk_left: usize,
    /// |O ∩ G|.
    pub overlap: usize,
    /// |O|.
    pub output: usize,
    /// |G|.
    pub gold: usize,
}

impl Counts {
    /// Count one document from its input, gold and cleaned output text.
    pub fn of(input: &str, gold: &str, output: &str) -> Counts {
        let (i, g, o) = (bag(input), bag(gold), bag(output));
        let get = |b: &HashMap<String, usize>, t: &str| b.get(t).copied().unwrap_or(0);
        let mut c = Counts {
            output: o.values().sum(),
            gold: g.values().sum(),
            ..Counts::default()
        };
        for (t, &n_in) in &i {
            let (n_gold, n_out) = (get(&g, t), get(&o, t));
            let m = n_in.min(n_gold);
            c.gold_in_input += m;
            c.kept += n_out.min(m);
            if n_in > n_gold {
                let j = n_in - n_gold;
                c.junk += j;
                c.junk_left += n_out.saturating_sub(n_gold).min(j);
            }
        }
        for (t, &n_out) in &o {
            c.overlap += n_out.min(get(&g, t));
        }
        c
    }

    fn add(mut self, other: &Counts) -> Counts {
        self.gold_in_input += other.gold_in_input;
        self.kept += other.kept;
        self.junk += other.junk;
        self.junk_left += other.junk_left;
        self.overlap += other.overlap;
        self.output += other.output;
        self.gold += other.gold;
        self
    }
}

/// The metric over a set of documents.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scores {
    /// Documents scored.
    pub documents: usize,
    /// Content kept (`None` when no gold token is in any input).
    pub content_kept: Option<f64>,
    /// Junk removed (`None` when the inputs hold no junk).
    pub junk_removed: Option<f64>,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

fn prf(overlap: usize, output: usize, gold: usize) -> (f64, f64, f64) {
    let p = if output > 0 {
        overlap as f64 / output as f64
    } else {
        0.0
    };
    let r = if gold > 0 {
        overlap as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Scores {
    /// Micro-averaged: counts pooled over the documents.
    pub fn micro(docs: &[Counts]) -> Scores {
        let s = docs.iter().fold(Counts::default(), Counts::add);
        let (precision, recall, f1) = prf(s.overlap, s.output, s.gold);
        Scores {
            documents: docs.len(),
            content_kept: ratio(s.kept, s.gold_in_input),
            junk_removed: ratio(s.junk_left, s.junk).map(|left| 1.0 - left),
            precision,
            recall,
            f1,
        }
    }

    /// Macro-averaged: the mean of the per-document values (content kept and junk removed over
    /// the documents where they are defined).
    pub fn macro_average(docs: &[Counts]) -> Scores {
        let mean =
            |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
        let per_doc: Vec<(f64, f64, f64)> = docs
            .iter()
            .map(|c| prf(c.overlap, c.output, c.gold))
            .collect();
        let n = docs.len().max(1) as f64;
        Scores {
            documents: docs.len(),
            content_kept: mean(
                docs.iter()
                    .filter_map(|c| ratio(c.kept, c.gold_in_input))
                    .collect(),
            ),
            junk_removed: mean(
                docs.iter()
                    .filter_map(|c| ratio(c.junk_left, c.junk).map(|l| 1.0 - l))
                    .collect(),
            ),
            precision: per_doc.iter().map(|x| x.0).sum::<f64>() / n,
            recall: per_doc.iter().map(|x| x.1).sum::<f64>() / n,
            f1: per_doc.iter().map(|x| x.2).sum::<f64>() / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: I = {a, a, b, c, junk, junk, menu}, G = {a, b, c, d} (d is not in the
    /// input), O = {a, a, b, junk}.
    /// gold_in_input = a1 + b1 + c1 = 3; kept = a1 + b1 = 2; junk = a1 + junk2 + menu1 = 4;
    /// junk_left = a min(2-1, 1) = 1 + junk min(1, 2) = 1 → 2; overlap = a1 + b1 = 2;
    /// |O| = 4, |G| = 4.
    #[test]
    fn counts_match_a_hand_computed_example() {
        let c = Counts::of("A a b, c. junk junk MENU", "a b c d", "a A b junk");
        assert_eq!(
            c,
            Counts {
                gold_in_input: 3,
                kept: 2,
                junk: 4,
                junk_left: 2,
                overlap: 2,
                output: 4,
                gold: 4,
            }
        );
        let s = Scores::micro(&[c]);
        assert_eq!(s.content_kept, Some(2.0 / 3.0));
        assert_eq!(s.junk_removed, Some(0.5));
        assert_eq!((s.precision, s.recall, s.f1), (0.5, 0.5, 0.5));
    }

    #[test]
    fn micro_pools_and_macro_averages() {
        let perfect = Counts::of("x a", "a", "a");
        let empty = Counts::of("x a", "a", "");
        let micro = Scores::micro(&[perfect, empty]);
        assert_eq!(micro.content_kept, Some(0.5));
        assert_eq!(micro.junk_removed, Some(1.0));
        assert_eq!(micro.precision, 1.0);
        assert_eq!(micro.recall, 0.5);
        let macro_ = Scores::macro_average(&[perfect, empty]);
        assert_eq!(macro_.precision, 0.5, "an empty output has precision 0");
        assert_eq!(macro_.f1, 0.5);
    }

    #[test]
    fn tokens_are_lowercase_word_runs() {
        let b = bag("Café-au-lait, CAFÉ_2!");
        assert_eq!(b.get("café"), Some(&1));
        assert_eq!(b.get("café_2"), Some(&1));
        assert_eq!(b.get("lait"), Some(&1));
    }
}
