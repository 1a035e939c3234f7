//! The text score: a logistic regression on hashed word and punctuation 1- and 2-grams of a
//! line, the first stage of the line model. It learns the words of boilerplate ("reply",
//! "share", "posted by", "©") that no hand-written list keeps up with; the trees then weigh it
//! with the line's shape and its neighbours' scores.
//!
//! A line's n-grams are its tokens ([`super::text::scan`]), lowercased, with every digit folded
//! to `0`, and each pair of consecutive tokens. Each is hashed (FNV-1a, fixed here for good: a
//! model's weights are only valid with the hash they were trained with) into one of
//! `2^bits` weights. The score is the bias plus the sum of the line's weights divided by the
//! square root of their number (the hashed vector normalized to unit length, collisions aside).

/// The hash of a token (see the module documentation): eight bytes at a time, each folded
/// in by a multiply and a rotation, then mixed. Fixed for good: a model's weights are only valid
/// with the hash they were trained with.
pub struct Hasher;

const K: u64 = 0x9e37_79b9_7f4a_7c15;

fn mix(mut h: u64) -> u64 {
    h ^= h >> 32;
    h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
    h ^ (h >> 32)
}

/// The seeds of words' and punctuation's hashes.
const WORD_SEED: u64 = 0x5151_5151;
const PUNCT_SEED: u64 = 0x7e7e_7e7e;

/// A hash's state before its first chunk, from its seed and the token's length.
fn start(seed: u64, len: usize) -> u64 {
    seed ^ (len as u64).wrapping_mul(K)
}

/// Fold eight bytes (as [`le_u64`] reads them) into a hash's state.
fn fold(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(K).rotate_left(29)
}

/// Eight bytes with every ASCII digit made `0` (0x30): its low four bits are cleared.
fn fold_digits(word: u64) -> u64 {
    let digits = (crate::swar::ascii_digit(word) >> 7).wrapping_mul(0x0f);
    word & !digits
}

fn hash_bytes(seed: u64, bytes: &[u8], digits: bool) -> u64 {
    let mut h = start(seed, bytes.len());
    for chunk in bytes.chunks(8) {
        let word = le_u64(chunk);
        h = fold(h, if digits { fold_digits(word) } else { word });
    }
    mix(h)
}

/// The bytes of `chunk` (at most eight) as a little-endian number, the missing high bytes 0.
/// A shorter chunk is read as two loads that overlap (or three bytes), where copying it into a
/// zeroed array called `memcpy` (its length is known only at run time) for every word.
pub(crate) fn le_u64(chunk: &[u8]) -> u64 {
    let n = chunk.len();
    debug_assert!(n <= 8);
    if n >= 8 {
        u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ])
    } else if n >= 4 {
        let low = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let high = u32::from_le_bytes([chunk[n - 4], chunk[n - 3], chunk[n - 2], chunk[n - 1]]);
        u64::from(low) | (u64::from(high) << (8 * (n - 4)))
    } else if n > 0 {
        u64::from(chunk[0])
            | (u64::from(chunk[n / 2]) << (8 * (n / 2)))
            | (u64::from(chunk[n - 1]) << (8 * (n - 1)))
    } else {
        0
    }
}

impl Hasher {
    /// The hash of a word, given lowercase: digits count as `0`.
    pub fn word(lower: &[u8]) -> u64 {
        hash_bytes(WORD_SEED, lower, true)
    }

    /// [`Self::word`] of a lowercase word of `len` bytes given as its chunks of eight, each
    /// read by [`le_u64`] (the last one padded with zeros), for a caller that has them at hand.
    pub(crate) fn word_chunks(len: usize, chunks: &[u64]) -> u64 {
        debug_assert_eq!(chunks.len(), len.div_ceil(8));
        let h = chunks
            .iter()
            .fold(start(WORD_SEED, len), |h, &word| fold(h, fold_digits(word)));
        mix(h)
    }

    /// The hash of a punctuation character (its UTF-8 bytes).
    pub fn punct(bytes: &[u8]) -> u64 {
        hash_bytes(PUNCT_SEED, bytes, false)
    }
}

/// The hash of a pair of consecutive tokens, from theirs.
pub fn pair_hash(first: u64, second: u64) -> u64 {
    mix(first.rotate_left(17) ^ second.wrapping_mul(K))
}

/// A trained text score. Its weights are kept as bytes, each a multiple of `scale`: the
/// table is a quarter of the size, so that the look-ups of a line's n-grams mostly hit the
/// cache (they were the dearest part of judging a line with 4-byte weights).
#[derive(Debug, Clone, PartialEq)]
pub struct TextScore {
    /// `log2` of the number of weights.
    pub bits: u32,
    /// The bias.
    pub bias: f32,
    /// What one step of a weight is worth.
    pub scale: f32,
    /// One weight per hash bucket, in steps of `scale`.
    pub weights: Vec<i8>,
}

impl TextScore {
    /// The score of a line from the sum of its n-grams' weights (in steps) and their number; a
    /// line with none scores the bias.
    pub fn score(&self, sum: i32, grams: u32) -> f32 {
        if grams == 0 {
            return self.bias;
        }
        self.bias + self.scale * sum as f32 / (grams as f32).sqrt()
    }

    /// The score of a line from its n-grams' indices.
    pub fn score_of(&self, indices: &[u32]) -> f32 {
        let sum: i32 = indices
            .iter()
            .map(|&i| i32::from(self.weights[i as usize]))
            .sum();
        self.score(sum, indices.len() as u32)
    }

    fn quantized(bits: u32, bias: f32, weights: &[f32]) -> TextScore {
        let most = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if most > 0.0 { most / 127.0 } else { 1.0 };
        TextScore {
            bits,
            bias,
            scale,
            weights: weights
                .iter()
                .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8)
                .collect(),
        }
    }
}

/// One training example of the text score: the n-gram indices of a line, its label and weight.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    /// The line's n-gram indices (see [`super::text::Grams`]).
    pub indices: &'a [u32],
    /// Whether the line is content.
    pub content: bool,
    /// The example's weight.
    pub weight: f32,
}

/// ScoreOptions options of the text score.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOptions {
    /// `log2` of the number of weights.
    pub bits: u32,
    /// Passes over the examples.
    pub epochs: usize,
    /// L2 penalty per example.
    pub l2: f32,
    /// AdaGrad's base step.
    pub step: f32,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            bits: 18,
            epochs: 6,
            l2: 1e-6,
            step: 0.1,
        }
    }
}

/// Train a text score by AdaGrad on the logistic loss, visiting the examples in an order fixed
/// by `seed`: the same examples and seed give the same weights, bit for bit.
pub fn train(examples: &[Example<'_>], options: ScoreOptions, seed: u64) -> TextScore {
    let size = 1usize << options.bits;
    let mut weights = vec![0f32; size];
    let mut squares = vec![1e-8f32; size];
    let (mut bias, mut bias_square) = (0f32, 1e-8f32);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = super::trees::SplitMix(seed);
    for _ in 0..options.epochs {
        // Fisher-Yates with the fixed generator.
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &k in &order {
            let example = &examples[k];
            let n = example.indices.len();
            let scale = if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() };
            let sum: f32 = example.indices.iter().map(|&i| weights[i as usize]).sum();
            let z = bias + sum * scale;
            let p = 1.0 / (1.0 + (-z).exp());
            let g = (p - f32::from(u8::from(example.content))) * example.weight;
            for &i in example.indices {
                let i = i as usize;
                let gi = g * scale + options.l2 * weights[i];
                squares[i] += gi * gi;
                weights[i] -= options.step * gi / squares[i].sqrt();
            }
            bias_square += g * g;
            bias -= options.step * g / bias_square.sqrt();
        }
    }
    TextScore::quantized(options.bits, bias, &weights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::{scan, Grams, Stops};

    #[test]
    fn hashes_are_fixed() {
        // A change here invalidates every trained model.
        assert_eq!(Hasher::word(b"reply"), HASH_OF_REPLY);
        assert_eq!(Hasher::word(b"2012"), Hasher::word(b"1999"));
        assert_ne!(Hasher::word(b"reply"), Hasher::punct(b"reply"));
    }

    const HASH_OF_REPLY: u64 = 0xc286_1922_6a06_0a75;

    #[test]
    fn a_word_hashes_the_same_from_its_chunks() {
        let mut random = crate::model::trees::SplitMix(8);
        for len in 0..=72 {
            for _ in 0..50 {
                let word: Vec<u8> = (0..len)
                    .map(|_| b"az09_Q\xc3\xa9"[random.next() as usize % 8])
                    .collect();
                let chunks: Vec<u64> = word.chunks(8).map(le_u64).collect();
                assert_eq!(
                    Hasher::word_chunks(len, &chunks),
                    Hasher::word(&word),
                    "{word:?}"
                );
            }
        }
    }

    #[test]
    fn le_u64_reads_a_short_chunk_as_a_zero_padded_one() {
        let bytes = b"\x01\x02\x03\x04\x05\x06\x07\xf8";
        for len in 0..=8 {
            let mut padded = [0u8; 8];
            padded[..len].copy_from_slice(&bytes[..len]);
            assert_eq!(
                le_u64(&bytes[..len]),
                u64::from_le_bytes(padded),
                "{len} bytes"
            );
        }
    }

    fn indices(line: &str, bits: u32) -> Vec<u32> {
        let mut out = Vec::new();
        scan(
            line,
            &mut Stops::None,
            &mut Grams::Indices {
                bits,
                out: &mut out,
            },
        );
        out
    }

    #[test]
    fn learns_words_of_junk() {
        let lines: Vec<(Vec<u32>, bool)> = (0..200)
            .map(|k| {
                let junk = k % 2 == 0;
                let text = if junk {
                    "share this on twitter"
                } else {
                    "the council met on monday"
                };
                (indices(text, 10), !junk)
            })
            .collect();
        let examples: Vec<Example> = lines
            .iter()
            .map(|(i, c)| Example {
                indices: i,
                content: *c,
                weight: 1.0,
            })
            .collect();
        let options = ScoreOptions {
            bits: 10,
            ..ScoreOptions::default()
        };
        let model = train(&examples, options, 7);
        assert!(model.score_of(&lines[0].0) < -1.0);
        assert!(model.score_of(&lines[1].0) > 1.0);
        assert_eq!(model, train(&examples, options, 7));
    }
}
