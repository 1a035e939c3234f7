//! The text score: a logistic regression on hashed word and punctuation 1- and 2-grams of a
//! line, the first stage of the line model. It learns the words of boilerplate ("reply",
//! "share", "posted by", "©") that no hand-written list keeps up with; the trees then weigh it
//! with the line's shape and its neighbours' scores.
//!
//! A line's n-grams are its tokens ([`super::text::tokens`]), lowercased, with every digit folded
//! to `0`, and each pair of consecutive tokens. Each is hashed (FNV-1a, fixed here for good: a
//! model's weights are only valid with the hash they were trained with) into one of
//! `2^bits` weights. The score is the bias plus the sum of the line's weights divided by the
//! square root of their number (the hashed vector normalized to unit length, collisions aside).

use super::text::Token;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h = FNV_OFFSET;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of one token: its lowercase form (for a word) with digits folded to `0`.
pub fn token_hash(token: Token<'_>, lower: Option<&str>) -> u64 {
    match token {
        Token::Word(word) => {
            let text = lower.unwrap_or(word);
            fnv(text
                .bytes()
                .map(|b| if b.is_ascii_digit() { b'0' } else { b }))
        }
        Token::Punct(c) => {
            let mut buffer = [0; 4];
            fnv(c.encode_utf8(&mut buffer).bytes()) ^ 0x9e37_79b9_7f4a_7c15
        }
    }
}

/// The hash of a pair of consecutive tokens, from theirs.
pub fn pair_hash(first: u64, second: u64) -> u64 {
    (first.rotate_left(17) ^ second).wrapping_mul(FNV_PRIME) ^ 0x2545_f491_4f6c_dd1d
}

/// The indices of a line's n-grams among `2^bits` weights, as it is scanned.
#[derive(Debug, Clone, Default)]
pub struct Grams {
    previous: Option<u64>,
    /// The weight index of each n-gram so far.
    pub indices: Vec<u32>,
    mask: u64,
}

impl Grams {
    /// Start a line, for a table of `2^bits` weights (the buffer is reused).
    pub fn start(&mut self, bits: u32) {
        self.previous = None;
        self.indices.clear();
        self.mask = (1u64 << bits) - 1;
    }

    /// Add a token, with its lowercase form for a word.
    pub fn add(&mut self, token: Token<'_>, lower: Option<&str>) {
        let h = token_hash(token, lower);
        self.indices.push((h & self.mask) as u32);
        if let Some(p) = self.previous {
            self.indices.push((pair_hash(p, h) & self.mask) as u32);
        }
        self.previous = Some(h);
    }
}

/// A trained text score.
#[derive(Debug, Clone, PartialEq)]
pub struct TextScore {
    /// `log2` of the number of weights.
    pub bits: u32,
    /// The bias.
    pub bias: f32,
    /// One weight per hash bucket.
    pub weights: Vec<f32>,
}

impl TextScore {
    /// The score of a line from its n-grams; a line with none scores the bias.
    pub fn score(&self, indices: &[u32]) -> f32 {
        if indices.is_empty() {
            return self.bias;
        }
        let sum: f32 = indices.iter().map(|&i| self.weights[i as usize]).sum();
        self.bias + sum / (indices.len() as f32).sqrt()
    }
}

/// One training example of the text score: the n-gram indices of a line, its label and weight.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    /// The line's n-gram indices (see [`Grams`]).
    pub indices: &'a [u32],
    /// Whether the line is content.
    pub content: bool,
    /// The example's weight.
    pub weight: f32,
}

/// Training options of the text score.
#[derive(Debug, Clone, Copy)]
pub struct Training {
    /// `log2` of the number of weights.
    pub bits: u32,
    /// Passes over the examples.
    pub epochs: usize,
    /// L2 penalty per example.
    pub l2: f32,
    /// AdaGrad's base step.
    pub step: f32,
}

impl Default for Training {
    fn default() -> Self {
        Training {
            bits: 18,
            epochs: 6,
            l2: 1e-6,
            step: 0.1,
        }
    }
}

/// Train a text score by AdaGrad on the logistic loss, visiting the examples in an order fixed
/// by `seed`: the same examples and seed give the same weights, bit for bit.
pub fn train(examples: &[Example<'_>], options: Training, seed: u64) -> TextScore {
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
    TextScore {
        bits: options.bits,
        bias,
        weights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed() {
        // A change here invalidates every trained model.
        assert_eq!(
            token_hash(Token::Word("reply"), Some("reply")),
            0xf536_01f2_b1e9_7107
        );
        assert_eq!(
            token_hash(Token::Word("2012"), Some("2012")),
            token_hash(Token::Word("1999"), Some("1999"))
        );
    }

    #[test]
    fn learns_words_of_junk() {
        let lines: Vec<(Vec<u32>, bool)> = (0..200)
            .map(|k| {
                let mut g = Grams::default();
                g.start(10);
                let junk = k % 2 == 0;
                let text = if junk {
                    "share this on twitter"
                } else {
                    "the council met on monday"
                };
                super::super::text::tokens(text, |t| {
                    let lower = match t {
                        Token::Word(w) => Some(w.to_string()),
                        Token::Punct(_) => None,
                    };
                    g.add(t, lower.as_deref());
                });
                (g.indices.clone(), !junk)
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
        let model = train(
            &examples,
            Training {
                bits: 10,
                ..Training::default()
            },
            7,
        );
        assert!(model.score(&lines[0].0) < -1.0);
        assert!(model.score(&lines[1].0) > 1.0);
        assert_eq!(
            model,
            train(
                &examples,
                Training {
                    bits: 10,
                    ..Training::default()
                },
                7
            )
        );
    }
}
