//! Training the line model from documents with gold text.
//!
//! 1. **Labels.** Each document's tokens (the metric's lowercase `\w+` runs) are aligned with
//!    its gold text's in order, as a diff does (`similar`'s Myers diff), and only runs of two or
//!    more matching tokens count. A line is content when at least half of its tokens are
//!    aligned. (Labelling by the gold's *bag* of words instead puts most junk lines into the
//!    gold, since common words are everywhere.) Each line weighs its number of tokens, as the
//!    metric does.
//! 2. **Folds.** Documents are grouped (by site: pages of one site share templates), and the
//!    groups are dealt into [`Options::folds`] folds of about equal size. Everything that a
//!    later stage learns from is out of fold.
//! 3. **Text score.** The n-gram regression is trained once per fold on the other folds, to
//!    give every training line a score it was not trained on, and once on all the data for the
//!    model file.
//! 4. **Trees**, on the lines' features with those scores; once per fold, to predict each line
//!    out of fold, and once on all the data. A share of the documents is seen without its
//!    language (no stop words, no text score) or without the text score, so that the model
//!    knows what to do with documents in languages it has no data for.
//! 5. **Kind model**: a small ensemble on document-level values, told raw pages from extracted
//!    text.
//! 6. **Thresholds** are given ([`Options::article_threshold`], [`Options::page_threshold`]):
//!    chosen once, by site-grouped cross-validation on the bench (`bench/cv.sh`), because a
//!    threshold picked per training run from its own out-of-fold curve moved from one run to
//!    the next far more than the models did. The out-of-fold figures at those thresholds are
//!    reported ([`Trained`]).
//!
//! The same examples and options give the same model, byte for byte, at any number of threads.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::features::{self, Scanned};
use super::language::Language;
use super::ngram::{self, TextScore};
use super::text;
use super::trees::{self, Binned, Ensemble, SplitMix};
use super::{decide, Model, Thresholds};
use crate::normalize;

pub use super::ngram::ScoreOptions;
pub use super::trees::TreeOptions;

/// One training document.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its name, for messages (and the seed of its variant: see the module documentation).
    pub name: String,
    /// The text to clean.
    pub text: String,
    /// The article text in it.
    pub gold: String,
    /// Whether the text is a raw page dump (else extracted article text).
    pub page: bool,
    /// The group it belongs to (its site): a group is never split between folds.
    pub group: String,
}

/// Training options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Folds for the out-of-fold stages.
    pub folds: usize,
    /// The seed of every random choice.
    pub seed: u64,
    /// The line model's trees.
    pub trees: TreeOptions,
    /// The kind model's trees.
    pub kind_trees: TreeOptions,
    /// The text score.
    pub score: ScoreOptions,
    /// Lines of extracted text whose probability of being content is under this are removed.
    pub article_threshold: f32,
    /// Lines of a raw page dump whose probability of being content is under this are removed.
    pub page_threshold: f32,
    /// A document whose kind model probability of being a raw page is at least this is
    /// judged as one.
    pub kind_threshold: f32,
    /// Share of the documents seen without language (and text score), and without text score.
    pub without_language: f64,
    /// See [`Self::without_language`].
    pub without_score: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            folds: 5,
            seed: 0x626f_696c_6572,
            trees: TreeOptions::default(),
            kind_trees: TreeOptions {
                trees: 60,
                depth: 3,
                learning_rate: 0.2,
                ..TreeOptions::default()
            },
            score: ScoreOptions::default(),
            article_threshold: 0.002,
            page_threshold: 0.2,
            kind_threshold: 0.5,
            without_language: 0.15,
            without_score: 0.15,
        }
    }
}

/// Why training failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainError {
    /// Too little to learn from.
    #[error("too little training data: {0}")]
    TooLittle(String),
}

/// Out-of-fold figures at the chosen thresholds, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    /// Documents.
    pub documents: usize,
    /// Content kept.
    pub content_kept: f64,
    /// Junk removed.
    pub junk_removed: f64,
    /// F1.
    pub f1: f64,
}

/// What training made, and how it did out of fold.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model.
    pub model: Model,
    /// Lines the line model was trained on.
    pub lines: usize,
    /// Out-of-fold figures of the model alone on extracted text, at the article threshold.
    pub article: Figures,
    /// The same on raw pages, at the page threshold.
    pub page: Figures,
    /// Out-of-fold share of documents whose kind the kind model told right.
    pub kind_accuracy: f64,
}

/// A document, prepared: its lines' features (before the text score), labels and n-grams.
struct Prepared {
    page: bool,
    group: String,
    /// The language, and whether the text score is used (see [`Options::without_score`]).
    language: Option<Language>,
    scored: bool,
    scanned: Scanned,
    /// The trimmed lines.
    lines: Vec<String>,
    /// Per non-blank line: tokens, aligned tokens, n-gram indices.
    tokens: Vec<u32>,
    aligned: Vec<u32>,
    grams: Vec<Vec<u32>>,
    /// Per non-blank line: its tokens as ids into `vocabulary`; and the gold's bag.
    line_bags: Vec<Vec<u32>>,
    gold_bag: FxHashMap<u32, u32>,
}

/// Lowercase `\w+` runs of `text`, as the metric cuts them.
fn metric_tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

/// The n-gram indices of a line, as the line model's scan makes them.
pub(crate) fn line_grams(line: &str, bits: u32) -> Vec<u32> {
    let mut out = Vec::new();
    text::scan(
        line,
        &mut text::Stops::None,
        &mut text::Grams::Indices {
            bits,
            out: &mut out,
        },
    );
    out
}

fn prepare(example: &Example, options: &Options) -> Prepared {
    let text = normalize::normalize(&example.text);
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| normalize::trim_line(l).to_string())
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let guessed = features::scan(&refs, None, features::Speech::Detect).language();
    // The document's variant, from its name.
    let mut rng = SplitMix(options.seed ^ fnv(example.name.as_bytes()));
    let roll = rng.unit();
    let (language, scored) = if roll < options.without_language {
        (None, false)
    } else if roll < options.without_language + options.without_score {
        (guessed, false)
    } else {
        (guessed, true)
    };
    let scanned = features::scan(&refs, None, features::Speech::Given(language));
    // Labels: the input's tokens aligned with the gold's.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut id = |t: String| {
        let next = ids.len() as u32;
        *ids.entry(t).or_insert(next)
    };
    let line_bags: Vec<Vec<u32>> = scanned
        .lines
        .iter()
        .map(|&i| metric_tokens(&lines[i]).map(&mut id).collect())
        .collect();
    let gold_tokens: Vec<u32> = metric_tokens(&normalize::normalize(&example.gold))
        .map(&mut id)
        .collect();
    let input: Vec<u32> = line_bags.iter().flatten().copied().collect();
    let mut aligned_token = vec![false; input.len()];
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &input, &gold_tokens) {
        if let similar::DiffOp::Equal { old_index, len, .. } = op {
            if len >= 2 {
                aligned_token[old_index..old_index + len]
                    .iter_mut()
                    .for_each(|a| *a = true);
            }
        }
    }
    let mut at = 0;
    let mut tokens = Vec::with_capacity(line_bags.len());
    let mut aligned = Vec::with_capacity(line_bags.len());
    for bag in &line_bags {
        tokens.push(bag.len() as u32);
        aligned.push(
            aligned_token[at..at + bag.len()]
                .iter()
                .filter(|&&a| a)
                .count() as u32,
        );
        at += bag.len();
    }
    let mut gold_bag = FxHashMap::default();
    for t in gold_tokens {
        *gold_bag.entry(t).or_insert(0) += 1;
    }
    let grams = scanned
        .lines
        .iter()
        .map(|&i| line_grams(&lines[i], options.score.bits))
        .collect();
    Prepared {
        page: example.page,
        group: example.group.clone(),
        language,
        scored,
        scanned,
        lines,
        tokens,
        aligned,
        grams,
        line_bags,
        gold_bag,
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Prepared {
    fn content(&self, k: usize) -> bool {
        self.tokens[k] > 0 && 2 * self.aligned[k] >= self.tokens[k]
    }
}

/// Deal the groups into `folds` folds: the largest groups first, each to the fold with the
/// fewest lines so far (ties by name, then fold number). Returns each document's fold.
fn folds(docs: &[Prepared], folds: usize) -> Vec<usize> {
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        *sizes.entry(d.group.as_str()).or_insert(0) += d.tokens.len().max(1);
    }
    let mut groups: Vec<(&str, usize)> = sizes.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut load = vec![0usize; folds];
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for (group, size) in groups {
        let f = (0..folds)
            .min_by_key(|&f| (load[f], f))
            .expect("at least one fold");
        load[f] += size;
        fold_of.insert(group, f);
    }
    docs.iter().map(|d| fold_of[d.group.as_str()]).collect()
}

/// Train a model on `examples`; `progress` is told what is being done.
pub fn train(
    examples: &[Example],
    options: &Options,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Trained, TrainError> {
    if options.folds < 2 {
        return Err(TrainError::TooLittle(
            "at least two folds are needed".to_string(),
        ));
    }
    progress(&format!(
        "reading and labelling {} documents",
        examples.len()
    ));
    let docs: Vec<Prepared> = examples.par_iter().map(|e| prepare(e, options)).collect();
    let fold = folds(&docs, options.folds);
    let groups = docs
        .iter()
        .map(|d| d.group.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    if groups < options.folds {
        return Err(TrainError::TooLittle(format!(
            "{groups} groups for {} folds",
            options.folds
        )));
    }
    let lines: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let content: usize = docs
        .iter()
        .map(|d| (0..d.tokens.len()).filter(|&k| d.content(k)).count())
        .sum();
    if content == 0 || content == lines {
        return Err(TrainError::TooLittle(
            "every line has the same label".to_string(),
        ));
    }

    // The text score, out of fold and on everything.
    progress("training the text score");
    let examples_of = |keep: &dyn Fn(usize) -> bool| -> Vec<ngram::Example<'_>> {
        let mut out = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            if !keep(d) {
                continue;
            }
            for k in 0..doc.tokens.len() {
                out.push(ngram::Example {
                    indices: &doc.grams[k],
                    content: doc.content(k),
                    weight: (doc.tokens[k].max(1) as f32).sqrt(),
                });
            }
        }
        out
    };
    let scores: Vec<TextScore> = (0..=options.folds)
        .into_par_iter()
        .map(|f| {
            let examples = examples_of(&|d| fold[d] != f);
            ngram::train(
                &examples,
                options.score,
                options.seed.wrapping_add(f as u64),
            )
        })
        .collect();
    let final_score = scores[options.folds].clone();
    let mut docs = docs;
    docs.par_iter_mut().enumerate().for_each(|(d, doc)| {
        let score = &scores[fold[d]];
        let values: Vec<f32> = doc.grams.iter().map(|g| score.score_of(g)).collect();
        doc.scanned
            .set_scores(doc.scored.then_some(values.as_slice()));
    });

    // The rows of every line.
    progress("computing features");
    let rows: Vec<features::Features> = docs.par_iter().map(|d| d.scanned.rows()).collect();
    let mut data = Vec::with_capacity(lines * features::COUNT);
    let mut labels = Vec::with_capacity(lines);
    let mut weights = Vec::with_capacity(lines);
    let mut row_fold = Vec::with_capacity(lines);
    for (d, doc) in docs.iter().enumerate() {
        data.extend_from_slice(&rows[d].rows);
        for k in 0..doc.tokens.len() {
            labels.push(doc.content(k));
            weights.push(doc.tokens[k].max(1) as f32);
            row_fold.push(fold[d]);
        }
    }

    // The trees: out of fold, then on everything.
    let fit = |keep: &dyn Fn(usize) -> bool, tag: u64| -> Ensemble {
        let picked: Vec<usize> = (0..labels.len()).filter(|&r| keep(r)).collect();
        let mut sub = Vec::with_capacity(picked.len() * features::COUNT);
        for &r in &picked {
            sub.extend_from_slice(&data[r * features::COUNT..(r + 1) * features::COUNT]);
        }
        let binned = Binned::new(&sub, features::COUNT, options.trees.bins);
        let l: Vec<bool> = picked.iter().map(|&r| labels[r]).collect();
        let w: Vec<f32> = picked.iter().map(|&r| weights[r]).collect();
        trees::train(
            &binned,
            &l,
            &w,
            options.trees,
            options.seed.wrapping_add(tag),
        )
    };
    let mut probability = vec![0f32; labels.len()];
    for f in 0..options.folds {
        progress(&format!(
            "training the trees, fold {} of {}",
            f + 1,
            options.folds
        ));
        let model = fit(&|r| row_fold[r] != f, f as u64);
        probability
            .par_iter_mut()
            .enumerate()
            .filter(|(r, _)| row_fold[*r] == f)
            .for_each(|(r, p)| {
                *p = model.predict(&data[r * features::COUNT..(r + 1) * features::COUNT])
            });
    }
    progress("training the trees on all the data");
    let line_model = fit(&|_| true, 1000);

    // The kind model, on document values and the out-of-fold probabilities of their lines.
    progress("training the kind model");
    let mut start = vec![0usize; docs.len() + 1];
    for (d, doc) in docs.iter().enumerate() {
        start[d + 1] = start[d] + doc.tokens.len();
    }
    let doc_rows: Vec<f32> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.scanned
                .doc_features(&probability[start[d]..start[d + 1]])
        })
        .collect();
    let kinds: Vec<bool> = docs.iter().map(|d| d.page).collect();
    let nd = features::DOC_NAMES.len();
    let kind_fit = |keep: &dyn Fn(usize) -> bool, tag: u64| -> Ensemble {
        let picked: Vec<usize> = (0..docs.len()).filter(|&d| keep(d)).collect();
        let sub: Vec<f32> = picked
            .iter()
            .flat_map(|&d| doc_rows[d * nd..(d + 1) * nd].iter().copied())
            .collect();
        let binned = Binned::new(&sub, nd, options.kind_trees.bins);
        let l: Vec<bool> = picked.iter().map(|&d| kinds[d]).collect();
        trees::train(
            &binned,
            &l,
            &vec![1.0; picked.len()],
            options.kind_trees,
            options.seed.wrapping_add(2000 + tag),
        )
    };
    let mut kind_probability = vec![0f32; docs.len()];
    for f in 0..options.folds {
        let model = kind_fit(&|d| fold[d] != f, f as u64);
        for d in (0..docs.len()).filter(|&d| fold[d] == f) {
            kind_probability[d] = model.predict(&doc_rows[d * nd..(d + 1) * nd]);
        }
    }
    let right = (0..docs.len())
        .filter(|&d| (kind_probability[d] >= 0.5) == kinds[d])
        .count();
    let kind_model = kind_fit(&|_| true, 1000);

    // The out-of-fold figures of the documents seen in full, at the thresholds.
    progress("scoring out of fold");
    let evaluate = |page: bool, t: f32| -> Figures {
        let picked: Vec<usize> = (0..docs.len())
            .filter(|&d| docs[d].page == page && docs[d].scored)
            .collect();
        let counts: Vec<Counts> = picked
            .par_iter()
            .map(|&d| {
                let doc = &docs[d];
                let refs: Vec<&str> = doc.lines.iter().map(String::as_str).collect();
                let words: Vec<u32> = doc.scanned.words().collect();
                let judged = decide(
                    &refs,
                    &doc.scanned.lines,
                    &words,
                    &probability[start[d]..start[d + 1]],
                    t,
                );
                let kept = judged
                    .iter()
                    .enumerate()
                    .filter(|(_, j)| !j.removed)
                    .map(|(k, _)| k);
                Counts::of(&doc.line_bags, kept, &doc.gold_bag)
            })
            .collect();
        Counts::figures(&counts)
    };
    let (article, page) = (options.article_threshold, options.page_threshold);
    let (article_figures, page_figures) = (evaluate(false, article), evaluate(true, page));
    let kind_accuracy = right as f64 / docs.len() as f64;
    let articles = docs.iter().filter(|d| !d.page).count();
    let score_languages: Vec<Language> = {
        let mut seen: Vec<Language> = docs.iter().filter_map(|d| d.language).collect();
        seen.sort_by_key(|l| l.code());
        seen.dedup();
        // A language counts when at least a tenth of the documents are in it.
        seen.into_iter()
            .filter(|l| docs.iter().filter(|d| d.language == Some(*l)).count() * 10 >= docs.len())
            .collect()
    };
    let description = format!(
        "trained on {} documents ({} extracted, {} pages) from {} groups, {} lines; {} trees of depth {}; \
         text score on 2^{} n-grams for {}; thresholds {:.4} (extracted) and {:.4} (pages); out of fold \
         ({} folds): extracted kept {:.4} junk removed {:.3}, pages kept {:.4} F1 {:.4}, kind right {:.4}",
        docs.len(),
        articles,
        docs.len() - articles,
        groups,
        lines,
        line_model.trees(),
        line_model.depth,
        options.score.bits,
        score_languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(", "),
        article,
        page,
        options.folds,
        article_figures.content_kept,
        article_figures.junk_removed,
        page_figures.content_kept,
        page_figures.f1,
        kind_accuracy,
    );
    Ok(Trained {
        model: Model {
            score: Some(final_score),
            score_languages,
            lines: line_model,
            kind: kind_model,
            thresholds: Thresholds {
                article,
                page,
                kind: options.kind_threshold,
            },
            description,
        },
        lines,
        article: article_figures,
        page: page_figures,
        kind_accuracy,
    })
}

/// The metric's counts of one document (see [`crate::eval::Counts`]), from token ids.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    gold_in_input: u64,
    kept: u64,
    junk: u64,
    junk_left: u64,
    overlap: u64,
    output: u64,
    gold: u64,
}

impl Counts {
    fn of(
        lines: &[Vec<u32>],
        kept: impl Iterator<Item = usize>,
        gold: &FxHashMap<u32, u32>,
    ) -> Counts {
        let mut input: FxHashMap<u32, u32> = FxHashMap::default();
        for t in lines.iter().flatten() {
            *input.entry(*t).or_insert(0) += 1;
        }
        let mut out: FxHashMap<u32, u32> = FxHashMap::default();
        for k in kept {
            for t in &lines[k] {
                *out.entry(*t).or_insert(0) += 1;
            }
        }
        let get = |m: &FxHashMap<u32, u32>, t: &u32| u64::from(m.get(t).copied().unwrap_or(0));
        let mut c = Counts {
            output: out.values().map(|&v| u64::from(v)).sum(),
            gold: gold.values().map(|&v| u64::from(v)).sum(),
            ..Counts::default()
        };
        for (t, &n) in &input {
            let (n, g, o) = (u64::from(n), get(gold, t), get(&out, t));
            let m = n.min(g);
            c.gold_in_input += m;
            c.kept += o.min(m);
            if n > g {
                let j = n - g;
                c.junk += j;
                c.junk_left += o.saturating_sub(g).min(j);
            }
        }
        for (t, &o) in &out {
            c.overlap += u64::from(o).min(get(gold, t));
        }
        c
    }

    fn figures(docs: &[Counts]) -> Figures {
        let sum = |f: fn(&Counts) -> u64| docs.iter().map(f).sum::<u64>() as f64;
        let (p, r) = (
            sum(|c| c.overlap) / sum(|c| c.output).max(1.0),
            sum(|c| c.overlap) / sum(|c| c.gold).max(1.0),
        );
        Figures {
            documents: docs.len(),
            content_kept: sum(|c| c.kept) / sum(|c| c.gold_in_input).max(1.0),
            junk_removed: 1.0 - sum(|c| c.junk_left) / sum(|c| c.junk).max(1.0),
            f1: if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        }
    }
}
