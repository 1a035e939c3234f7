//! Gradient-boosted oblivious decision trees for the logistic loss: training and evaluation.
//!
//! An oblivious tree (CatBoost's "symmetric" tree) asks the same question of every node of a
//! level, so a tree of depth `d` is `d` (feature, threshold) pairs and `2^d` leaf values, and
//! evaluating it is `d` comparisons that build the leaf's index, with no pointers to chase. Out of
//! fold on the bench they score as well as LightGBM's leaf-wise trees, and a line is judged in
//! well under a microsecond.
//!
//! TreeOptions is the textbook histogram method: each feature is cut into at most
//! [`TreeOptions::bins`] bins at quantiles of its values (a missing value, `NaN`, has a bin of its
//! own and always goes left, as `NaN > t` is false at evaluation); each level of a tree takes
//! the split that most lowers the second-order loss summed over the level's nodes; the
//! histograms of a level are built for the smaller child of each node and the larger one is
//! found by subtracting it from its parent's. Row sampling uses a fixed generator and the work
//! is split by feature, so the same data, options and seed give the same trees, bit for bit, at
//! any number of threads.

use rayon::prelude::*;

/// A small, fixed pseudo-random generator (SplitMix64), so that training is reproducible.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next number.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A trained ensemble of oblivious trees.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// Levels per tree.
    pub depth: usize,
    /// The starting log-odds.
    pub base: f32,
    /// For each tree, its `depth` features (level order).
    pub features: Vec<u16>,
    /// For each tree, its `depth` thresholds: a row goes right where `x > threshold`.
    pub thresholds: Vec<f32>,
    /// For each tree, its `2^depth` leaf values (log-odds), indexed by the path's bits, the
    /// first level highest.
    pub leaves: Vec<f32>,
    /// For each leaf, the share of the training weight (hessian) that reached it, for
    /// explanations.
    pub cover: Vec<f32>,
}

impl Ensemble {
    /// Number of trees.
    pub fn trees(&self) -> usize {
        self.features.len() / self.depth.max(1)
    }

    /// The log-odds of a row of features.
    pub fn margin(&self, row: &[f32]) -> f32 {
        let mut out = [self.base];
        self.add_margins(row, row.len(), &mut out);
        out[0]
    }

    /// The log-odds of each row of `rows` (row-major, `width` values a row), into `out`
    /// (cleared first). Tree by tree over a block of rows, block after block: a tree's
    /// questions stay in registers while the block stays in cache.
    pub fn margins(&self, rows: &[f32], width: usize, out: &mut Vec<f32>) {
        out.clear();
        out.resize(rows.len() / width.max(1), self.base);
        self.add_margins(rows, width, out);
    }

    fn add_margins(&self, rows: &[f32], width: usize, out: &mut [f32]) {
        // Rows a block at a time, every tree over a block: a block stays in the cache while
        // the trees walk it, where walking every row for each tree in turn streamed the whole
        // matrix through memory once per tree (a document of 250,000 lines took seconds).
        // A block of more than a few rows is turned column-major first, so that a tree's
        // question is asked of many rows at once, in SIMD lanes (see `add_block`). Each row
        // still adds its trees' leaves one at a time, in tree order: the sums are the same
        // floats.
        let d = self.depth;
        let width = width.max(1);
        let mut columns: Vec<Column> = Vec::new();
        for (block, sums) in rows.chunks(BLOCK * width).zip(out.chunks_mut(BLOCK)) {
            if sums.len() < 8 || !(1..=8).contains(&d) {
                // A handful of rows (one document's features, a short document): row by row.
                let trees = self
                    .features
                    .chunks_exact(d.max(1))
                    .zip(self.thresholds.chunks_exact(d.max(1)))
                    .zip(self.leaves.chunks_exact(1 << d));
                for ((features, thresholds), leaves) in trees {
                    for (row, sum) in block.chunks_exact(width).zip(sums.iter_mut()) {
                        let mut leaf = 0;
                        for (&f, &t) in features.iter().zip(thresholds) {
                            leaf = (leaf << 1) | usize::from(row[f as usize] > t);
                        }
                        *sum += leaves[leaf];
                    }
                }
                continue;
            }
            // A short last block leaves older rows in the columns' other lanes: they are
            // judged too, where a group of lanes is only partly used, and their leaves thrown
            // away.
            columns.resize(width, [[0.0; LANES]; BLOCK / LANES]);
            for (r, row) in block.chunks_exact(width).enumerate() {
                for (column, &v) in columns.iter_mut().zip(row) {
                    column[r / LANES][r % LANES] = v;
                }
            }
            match d {
                1 => self.add_block::<2>(&columns, sums),
                2 => self.add_block::<4>(&columns, sums),
                3 => self.add_block::<8>(&columns, sums),
                4 => self.add_block::<16>(&columns, sums),
                5 => self.add_block::<32>(&columns, sums),
                6 => self.add_block::<64>(&columns, sums),
                7 => self.add_block::<128>(&columns, sums),
                _ => self.add_block::<256>(&columns, sums),
            }
        }
    }

    /// Add every tree's leaf to the sums of a block of rows (`columns`, column-major), for
    /// trees of `LEAVES` leaves. Tree after tree, [`LANES`] rows at a time: their paths stay
    /// in SIMD registers over the tree's levels, and a leaf table of a size known to the
    /// compiler is looked up with no bounds check.
    fn add_block<const LEAVES: usize>(&self, columns: &[Column], sums: &mut [f32]) {
        let d = self.depth;
        debug_assert_eq!(1 << d, LEAVES);
        let trees = self
            .features
            .chunks_exact(d)
            .zip(self.thresholds.chunks_exact(d))
            .zip(self.leaves.chunks_exact(LEAVES));
        for ((features, thresholds), leaves) in trees {
            let leaves: &[f32; LEAVES] = leaves.try_into().expect("a tree's leaves");
            for (g, sums) in sums.chunks_mut(LANES).enumerate() {
                let mut paths = [0u32; LANES];
                for (&f, &t) in features.iter().zip(thresholds) {
                    for (path, &v) in paths.iter_mut().zip(&columns[f as usize][g]) {
                        *path = (*path << 1) | u32::from(v > t);
                    }
                }
                for (sum, &path) in sums.iter_mut().zip(&paths) {
                    *sum += leaves[path as usize % LEAVES];
                }
            }
        }
    }

    /// The probability (of content) for a row.
    pub fn predict(&self, row: &[f32]) -> f32 {
        sigmoid(self.margin(row))
    }

    /// Each feature's share of a row's log-odds, walking each tree's path and crediting each
    /// level's feature with how much its answer moved the expected leaf value (the "Saabas"
    /// attribution). Returns the expected log-odds before any question is asked, and each
    /// feature's contribution; together they add up to [`Self::margin`].
    pub fn contributions(&self, row: &[f32], features: usize) -> (f32, Vec<f32>) {
        let d = self.depth;
        let leaves = 1 << d;
        let mut out = vec![0f32; features];
        let mut bias = self.base;
        for t in 0..self.trees() {
            let values = &self.leaves[t * leaves..(t + 1) * leaves];
            let cover = &self.cover[t * leaves..(t + 1) * leaves];
            // The expected value over the leaves under a path prefix of `k` bits.
            let expected = |prefix: usize, k: usize| -> f32 {
                let span = 1 << (d - k);
                let from = prefix << (d - k);
                let (mut sum, mut weight) = (0f32, 0f32);
                for leaf in from..from + span {
                    sum += values[leaf] * cover[leaf];
                    weight += cover[leaf];
                }
                if weight > 0.0 {
                    sum / weight
                } else {
                    values[from..from + span].iter().sum::<f32>() / span as f32
                }
            };
            let mut prefix = 0;
            let mut before = expected(0, 0);
            bias += before;
            for k in 0..d {
                let f = self.features[t * d + k] as usize;
                prefix = (prefix << 1) | usize::from(row[f] > self.thresholds[t * d + k]);
                let after = expected(prefix, k + 1);
                out[f] += after - before;
                before = after;
            }
        }
        (bias, out)
    }
}

/// Rows of a block that [`Ensemble::margins`] judges column by column.
const BLOCK: usize = 64;

/// Rows of a block whose paths through a tree are found together (see
/// [`Ensemble::add_block`]): four SIMD registers of four lanes.
const LANES: usize = 16;

/// A feature's values in a block, in groups of [`LANES`] rows.
type Column = [[f32; LANES]; BLOCK / LANES];

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// TreeOptions options.
#[derive(Debug, Clone, Copy)]
pub struct TreeOptions {
    /// Number of trees.
    pub trees: usize,
    /// Levels per tree.
    pub depth: usize,
    /// Shrinkage of each tree's values.
    pub learning_rate: f32,
    /// L2 penalty on leaf values (added to the hessian sum).
    pub l2: f64,
    /// Most bins per feature (at most 255; one more is kept for missing values).
    pub bins: usize,
    /// Share of the rows each tree is grown on.
    pub sample: f64,
}

impl Default for TreeOptions {
    fn default() -> Self {
        TreeOptions {
            trees: 100,
            depth: 6,
            learning_rate: 0.25,
            l2: 3.0,
            bins: 64,
            sample: 0.8,
        }
    }
}

/// Rows of features, cut into bins (see the module documentation).
pub struct Binned {
    rows: usize,
    features: usize,
    /// Column-major: `bins[f * rows + r]`; 0 is a missing value.
    bins: Vec<u8>,
    /// Each feature's borders, ascending: bin `b > 0` holds the values above `borders[b - 2]`
    /// (if any) and at most `borders[b - 1]`.
    borders: Vec<Vec<f32>>,
}

impl Binned {
    /// Cut `data` (row-major, `features` values a row) into at most `max_bins` bins a feature.
    pub fn new(data: &[f32], features: usize, max_bins: usize) -> Binned {
        let rows = data.len() / features.max(1);
        let max_bins = max_bins.clamp(2, 255);
        let borders: Vec<Vec<f32>> = (0..features)
            .into_par_iter()
            .map(|f| {
                // At most 100,000 values, taken at even steps, decide the borders.
                let step = (rows / 100_000).max(1);
                let mut values: Vec<f32> = (0..rows)
                    .step_by(step)
                    .map(|r| data[r * features + f])
                    .filter(|v| !v.is_nan())
                    .collect();
                values.sort_by(f32::total_cmp);
                let mut borders: Vec<f32> = Vec::new();
                for q in 1..max_bins {
                    let Some(&v) = values.get(q * values.len() / max_bins) else {
                        break;
                    };
                    // A border at the largest value would send nothing right.
                    if borders.last().is_none_or(|&last| v > last) && Some(&v) != values.last() {
                        borders.push(v);
                    }
                }
                borders
            })
            .collect();
        let mut bins = vec![0u8; rows * features];
        bins.par_chunks_mut(rows.max(1))
            .enumerate()
            .for_each(|(f, column)| {
                let cut = &borders[f];
                for (r, bin) in column.iter_mut().enumerate() {
                    let v = data[r * features + f];
                    *bin = if v.is_nan() {
                        0
                    } else {
                        1 + cut.partition_point(|&b| b < v) as u8
                    };
                }
            });
        Binned {
            rows,
            features,
            bins,
            borders,
        }
    }

    fn column(&self, f: usize) -> &[u8] {
        &self.bins[f * self.rows..(f + 1) * self.rows]
    }
}

/// The gradient and hessian sums of one bin.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    g: f64,
    h: f64,
}

impl std::ops::Sub for Sums {
    type Output = Sums;
    fn sub(self, other: Sums) -> Sums {
        Sums {
            g: self.g - other.g,
            h: self.h - other.h,
        }
    }
}

impl std::ops::AddAssign for Sums {
    fn add_assign(&mut self, other: Sums) {
        self.g += other.g;
        self.h += other.h;
    }
}

/// Histograms of every node of a level: `[feature][node][bin]`.
struct Histograms {
    nodes: usize,
    bins: usize,
    sums: Vec<Sums>,
}

impl Histograms {
    fn new(features: usize, nodes: usize, bins: usize) -> Self {
        Histograms {
            nodes,
            bins,
            sums: vec![Sums::default(); features * nodes * bins],
        }
    }

    fn slab(&self, f: usize) -> &[Sums] {
        let size = self.nodes * self.bins;
        &self.sums[f * size..(f + 1) * size]
    }
}

/// Train an ensemble on `data` with labels `content` and weights `weight`.
pub fn train(
    data: &Binned,
    content: &[bool],
    weight: &[f32],
    options: TreeOptions,
    seed: u64,
) -> Ensemble {
    let rows = data.rows;
    let nf = data.features;
    let depth = options.depth;
    // Bin 0 (missing) and one bin more than each feature's borders.
    let bins = data.borders.iter().map(|b| b.len() + 2).max().unwrap_or(2);
    let total_w: f64 = weight.iter().map(|&w| f64::from(w)).sum();
    let positive: f64 = content
        .iter()
        .zip(weight)
        .filter(|(&c, _)| c)
        .map(|(_, &w)| f64::from(w))
        .sum();
    let prior = (positive / total_w.max(1e-12)).clamp(1e-6, 1.0 - 1e-6);
    let base = (prior / (1.0 - prior)).ln() as f32;
    let mut margin = vec![base; rows];
    let mut rng = SplitMix(seed);
    let mut model = Ensemble {
        depth,
        base,
        features: Vec::with_capacity(options.trees * depth),
        thresholds: Vec::with_capacity(options.trees * depth),
        leaves: Vec::with_capacity(options.trees << depth),
        cover: Vec::with_capacity(options.trees << depth),
    };
    let mut grad = vec![[0f32; 2]; rows];
    let mut node = vec![0u8; rows];
    let mut sampled: Vec<u32> = Vec::with_capacity(rows);
    for _ in 0..options.trees {
        for r in 0..rows {
            let p = sigmoid(margin[r]);
            let y = f32::from(u8::from(content[r]));
            grad[r] = [(p - y) * weight[r], (p * (1.0 - p)).max(1e-6) * weight[r]];
        }
        sampled.clear();
        for r in 0..rows {
            if rng.unit() < options.sample {
                sampled.push(r as u32);
            }
        }
        for &r in &sampled {
            node[r as usize] = 0;
        }
        let mut hist = build(data, &grad, &node, &sampled, 1, bins);
        let mut splits: Vec<(usize, usize)> = Vec::with_capacity(depth);
        for level in 0..depth {
            let nodes = 1 << level;
            let (f, j) = best_split(&hist, nf, nodes, bins, options.l2);
            splits.push((f, j));
            let column = data.column(f);
            // Which child of each node is smaller, by rows.
            let mut right = vec![0usize; nodes];
            let mut count = vec![0usize; nodes];
            for &r in &sampled {
                let r = r as usize;
                count[node[r] as usize] += 1;
                right[node[r] as usize] += usize::from(column[r] as usize > j);
            }
            for &r in &sampled {
                let r = r as usize;
                node[r] = node[r] * 2 + u8::from(column[r] as usize > j);
            }
            if level + 1 == depth {
                break;
            }
            // The smaller child of each node is built; its sibling is the parent less it.
            let small_right: Vec<bool> = (0..nodes).map(|n| right[n] * 2 <= count[n]).collect();
            let small: Vec<u32> = sampled
                .iter()
                .copied()
                .filter(|&r| {
                    let child = node[r as usize] as usize;
                    (child & 1 == 1) == small_right[child >> 1]
                })
                .collect();
            let children = build(data, &grad, &node, &small, nodes * 2, bins);
            let mut next = children;
            for f in 0..nf {
                let size = nodes * 2 * bins;
                let parent = hist.slab(f);
                let slab = &mut next.sums[f * size..(f + 1) * size];
                for n in 0..nodes {
                    let (built, other) = if small_right[n] {
                        (2 * n + 1, 2 * n)
                    } else {
                        (2 * n, 2 * n + 1)
                    };
                    for b in 0..bins {
                        slab[other * bins + b] = parent[n * bins + b] - slab[built * bins + b];
                    }
                }
            }
            hist = next;
        }
        // Leaf values from the sampled rows' sums.
        let leaves = 1 << depth;
        let mut sums = vec![Sums::default(); leaves];
        for &r in &sampled {
            let r = r as usize;
            sums[node[r] as usize] += Sums {
                g: f64::from(grad[r][0]),
                h: f64::from(grad[r][1]),
            };
        }
        let total_h: f64 = sums.iter().map(|s| s.h).sum::<f64>().max(1e-12);
        let values: Vec<f32> = sums
            .iter()
            .map(|s| (-s.g / (s.h + options.l2)) as f32 * options.learning_rate)
            .collect();
        for &(f, j) in &splits {
            model.features.push(f as u16);
            // Bin j+1 and up go right: the values above border j-1 (0-based).
            let threshold = if j == 0 {
                f32::NEG_INFINITY
            } else {
                data.borders[f][j - 1]
            };
            model.thresholds.push(threshold);
        }
        model.leaves.extend_from_slice(&values);
        model
            .cover
            .extend(sums.iter().map(|s| (s.h / total_h) as f32));
        // Every row's margin moves by its leaf's value.
        let columns: Vec<&[u8]> = splits.iter().map(|&(f, _)| data.column(f)).collect();
        margin.par_iter_mut().enumerate().for_each(|(r, m)| {
            let mut leaf = 0;
            for (k, &(_, j)) in splits.iter().enumerate() {
                leaf = (leaf << 1) | usize::from(columns[k][r] as usize > j);
            }
            *m += values[leaf];
        });
    }
    model
}

/// The histograms of `nodes` nodes over `rows`, each row in the node `node[row]`.
fn build(
    data: &Binned,
    grad: &[[f32; 2]],
    node: &[u8],
    rows: &[u32],
    nodes: usize,
    bins: usize,
) -> Histograms {
    let mut hist = Histograms::new(data.features, nodes, bins);
    let size = nodes * bins;
    hist.sums
        .par_chunks_mut(size)
        .enumerate()
        .for_each(|(f, slab)| {
            let column = data.column(f);
            for &r in rows {
                let r = r as usize;
                let s = &mut slab[node[r] as usize * bins + column[r] as usize];
                s.g += f64::from(grad[r][0]);
                s.h += f64::from(grad[r][1]);
            }
        });
    hist
}

/// The split (feature, bin: rows of a higher bin go right) that most lowers the loss summed
/// over the level's nodes.
fn best_split(
    hist: &Histograms,
    features: usize,
    nodes: usize,
    bins: usize,
    l2: f64,
) -> (usize, usize) {
    let score = |s: Sums| s.g * s.g / (s.h + l2);
    let candidates: Vec<(f64, usize, usize)> = (0..features)
        .into_par_iter()
        .map(|f| {
            let slab = hist.slab(f);
            let mut gains = vec![0f64; bins];
            for n in 0..nodes {
                let row = &slab[n * bins..(n + 1) * bins];
                let mut total = Sums::default();
                for &s in row {
                    total += s;
                }
                let mut left = Sums::default();
                for j in 0..bins - 1 {
                    left += row[j];
                    gains[j] += score(left) + score(total - left) - score(total);
                }
            }
            let (j, gain) = gains[..bins - 1].iter().copied().enumerate().fold(
                (0, f64::NEG_INFINITY),
                |best, (j, g)| if g > best.1 { (j, g) } else { best },
            );
            (gain, f, j)
        })
        .collect();
    let (_, f, j) = candidates
        .into_iter()
        .fold((f64::NEG_INFINITY, 0, 0), |best, c| {
            if c.0 > best.0 {
                c
            } else {
                best
            }
        });
    (f, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small data set: content when x0 + noise > 0.5, and x1 missing half the time.
    fn data(n: usize) -> (Vec<f32>, Vec<bool>, Vec<f32>) {
        let mut rng = SplitMix(1);
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for _ in 0..n {
            let x0 = rng.unit() as f32;
            let x1 = if rng.unit() < 0.5 {
                f32::NAN
            } else {
                rng.unit() as f32
            };
            let noise = (rng.unit() as f32 - 0.5) * 0.2;
            rows.extend([x0, x1]);
            labels.push(x0 + noise > 0.5);
        }
        (rows, labels, vec![1.0; n])
    }

    #[test]
    fn learns_a_threshold_and_is_reproducible() {
        let (rows, labels, weights) = data(4000);
        let binned = Binned::new(&rows, 2, 32);
        let options = TreeOptions {
            trees: 30,
            depth: 3,
            ..TreeOptions::default()
        };
        let model = train(&binned, &labels, &weights, options, 3);
        assert!(model.predict(&[0.9, f32::NAN]) > 0.8);
        assert!(model.predict(&[0.1, 0.3]) < 0.2);
        assert_eq!(model, train(&binned, &labels, &weights, options, 3));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            model,
            pool.install(|| train(&binned, &labels, &weights, options, 3))
        );
    }

    #[test]
    fn contributions_add_up_to_the_margin() {
        let (rows, labels, weights) = data(2000);
        let binned = Binned::new(&rows, 2, 16);
        let options = TreeOptions {
            trees: 10,
            depth: 3,
            ..TreeOptions::default()
        };
        let model = train(&binned, &labels, &weights, options, 3);
        for row in [[0.9, f32::NAN], [0.2, 0.7]] {
            let (bias, parts) = model.contributions(&row, 2);
            let sum: f32 = parts.iter().sum();
            assert!((bias + sum - model.margin(&row)).abs() < 1e-4);
        }
    }

    #[test]
    fn margins_of_many_rows_are_each_rows_margin() {
        // More rows than a block, and a partial last block.
        let (rows, labels, weights) = data(1000);
        let binned = Binned::new(&rows, 2, 16);
        // Every depth that training grows (at most 8).
        for depth in 1..=8 {
            let options = TreeOptions {
                trees: 12,
                depth,
                ..TreeOptions::default()
            };
            let model = train(&binned, &labels, &weights, options, 3);
            // Blocks walked column by column (full, or with a short tail, whose last group
            // of lanes is partly used), and a few rows row by row, give each row's own
            // margin, bit for bit.
            for n in [1000, 197, 64, 63, 49, 48, 17, 9, 7, 1] {
                let mut margins = Vec::new();
                model.margins(&rows[..2 * n], 2, &mut margins);
                assert_eq!(margins.len(), n);
                for (row, margin) in rows.chunks_exact(2).zip(&margins) {
                    let want = model.margin(row).to_bits();
                    assert_eq!(margin.to_bits(), want, "depth {depth}, {n} rows");
                }
            }
        }
    }
}
