//! What cleaning changed, line by line: [`Hit`], and [`Hits`], which holds a document's hits in a
//! few bytes a line however many there are.
//!
//! A document can have a hit on nearly every line (50 MB of one repeated line is 25 million
//! `DEDUPE` hits), so hits are not kept as a `Hit` each (about 90 bytes, and a `String`): a run of
//! consecutive lines that one rule or pass removed (or joined) the same way is one record, and
//! the texts of all hits are one buffer. A [`Hit`] is made only when it is asked for.

use std::sync::Arc;

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// The whole line was removed.
    Removed,
    /// Part of the line was removed (a prefix or suffix); the rest was kept.
    Stripped,
    /// The line was joined onto the previous kept line.
    Joined,
}

/// One change to a document, attributed to the rule or pass that made it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Rule or pass id.
    pub id: Arc<str>,
    /// 1-based line number in the normalized input.
    pub line: usize,
    /// What happened to the line.
    pub kind: HitKind,
    /// The removed text (the whole line, or the stripped part; for a join, the joined line).
    pub text: String,
    /// The main reason, for passes that decide line by line (the line model, comment
    /// sections); `None` for rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For the line model (`CLASSIFY`): its probability that the line was content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f32>,
}

/// Every change to a document, in line order (two changes to one line in the order they were
/// made: a strip, then the removal or join of what was left).
///
/// Held compactly: iterate to get each change as a [`Hit`].
///
/// # Example
/// ```
/// let cleaned = boilerstrip::Cleaner::new().clean("Skip to content\n\nThe text.\n");
/// assert_eq!(cleaned.hits.len(), 1);
/// for hit in &cleaned.hits {
///     assert_eq!((hit.id.as_ref(), hit.line, hit.text.as_str()), ("NAV001", 1, "Skip to content"));
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    runs: Vec<Run>,
    /// The text of every hit, each followed by a line end (a hit's text has none), when hits
    /// carry their texts (see `CleanerBuilder::hit_texts`).
    texts: String,
    with_texts: bool,
    /// The number of hits.
    len: usize,
}

/// Hits on consecutive lines (0-based, from `line`), of one rule or pass and kind, and with the
/// same details.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    id: Arc<str>,
    line: u32,
    count: u32,
    kind: HitKind,
    /// Where the first hit's text starts in [`Hits::texts`].
    text: usize,
    detail: Option<Box<Detail>>,
}

/// A hit's reason and probability (see [`Hit`]), which few hits have.
///
/// With a probability (the line model's hits), the reason is made when a [`Hit`] is: `p(content)
/// P`, then `reason` (the features that weighed most, if explained), so that cleaning does not
/// format a number for every line the model removes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Detail {
    pub(super) reason: Option<String>,
    pub(super) probability: Option<f32>,
}

impl Detail {
    /// The reason a [`Hit`] states.
    fn reason(&self) -> Option<String> {
        match self.probability {
            Some(p) => Some(format!(
                "p(content) {p:.3}{}",
                self.reason.as_deref().unwrap_or("")
            )),
            None => self.reason.clone(),
        }
    }
}

impl Hits {
    /// No hits yet; `with_texts`: the hits will carry their texts.
    pub(super) fn new(with_texts: bool) -> Hits {
        Hits {
            with_texts,
            ..Hits::default()
        }
    }

    /// The number of hits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every hit, in line order.
    pub fn iter(&self) -> HitsIter<'_> {
        HitsIter {
            hits: self,
            run: 0,
            k: 0,
            at: 0,
        }
    }

    /// Every hit, in a vector.
    pub fn to_vec(&self) -> Vec<Hit> {
        self.iter().collect()
    }

    /// The number of hits of `kind`.
    pub fn count(&self, kind: HitKind) -> usize {
        let runs = self.runs.iter().filter(|r| r.kind == kind);
        runs.map(|r| r.count as usize).sum()
    }

    /// For each run of hits of one rule or pass and kind: its id, kind and number of hits (for
    /// counting without making each [`Hit`]).
    pub fn tally(&self) -> impl Iterator<Item = (&Arc<str>, HitKind, usize)> + '_ {
        self.runs.iter().map(|r| (&r.id, r.kind, r.count as usize))
    }

    /// Whether a hit is of the rule or pass `id`.
    pub(super) fn any_of(&self, id: &str) -> bool {
        self.runs.iter().any(|r| r.id.as_ref() == id)
    }

    /// Add a hit on line `line` (0-based), after the hits added before. It joins the last run
    /// when it continues it, unless `alone` (the line had a hit before this one, which must stay
    /// in order before it: see [`Self::sort`]).
    pub(super) fn push(
        &mut self,
        id: &Arc<str>,
        line: usize,
        kind: HitKind,
        text: &str,
        detail: Option<Detail>,
        alone: bool,
    ) {
        let line = u32::try_from(line).expect("fewer than 2^32 lines");
        self.len += 1;
        if self.with_texts {
            debug_assert!(!text.contains('\n'));
            self.texts.push_str(text);
            self.texts.push('\n');
        }
        if !alone && kind != HitKind::Stripped {
            if let Some(last) = self.runs.last_mut() {
                let joins = last.line + last.count == line
                    && last.kind == kind
                    && (Arc::ptr_eq(&last.id, id) || last.id == *id)
                    && last.detail.as_deref() == detail.as_ref()
                    && detail.as_ref().is_none_or(|d| d.probability.is_none());
                if joins {
                    last.count += 1;
                    return;
                }
            }
        }
        let start = self.texts.len() - (text.len() + 1) * usize::from(self.with_texts);
        self.runs.push(Run {
            id: id.clone(),
            line,
            count: 1,
            kind,
            text: start,
            detail: detail.map(Box::new),
        });
    }

    /// Renumber the lines: line `k` becomes `line(k)`, which keeps consecutive lines consecutive
    /// within each run and is asked in order (the hits are in line order).
    pub(super) fn map_lines(&mut self, mut line: impl FnMut(u32) -> u32) {
        for run in &mut self.runs {
            run.line = line(run.line);
        }
    }

    /// Put the hits in line order, keeping the order in which the hits of one line were added.
    ///
    /// Runs are sorted by their first line. That is the order of the hits themselves because
    /// a run holds only hits that end their line (a removal or a join: nothing happens to the
    /// line after it), no hit joins a run on a line that had a hit before (`alone`), and strips
    /// are never in runs: so no hit is added on a line inside a run after the run, and a hit
    /// added before one of a run's lines is on its first line.
    pub(super) fn sort(&mut self) {
        // Mostly sorted already; a sort would take a buffer half as large as the runs.
        if !self.runs.is_sorted_by_key(|r| r.line) {
            self.runs.sort_by_key(|r| r.line);
        }
    }

    /// Add the hits of a later round, whose line `k` is this document's line `origin[k]`. A run
    /// is split where its lines are no longer consecutive, and at a line that has a hit here
    /// already (which stays before it: a strip; see [`Self::sort`]).
    pub(super) fn extend_mapped(&mut self, later: Hits, origin: &[u32]) {
        let mut stripped: Vec<u32> = (self.runs.iter())
            .filter(|r| r.kind == HitKind::Stripped)
            .map(|r| r.line)
            .collect();
        stripped.sort_unstable();
        let base = self.texts.len();
        self.texts.push_str(&later.texts);
        self.len += later.len;
        for run in later.runs {
            let mut at = base + run.text;
            for k in 0..run.count {
                let line = origin[(run.line + k) as usize];
                let continues = self.runs.last().is_some_and(|last| {
                    k > 0
                        && last.line + last.count == line
                        && stripped.binary_search(&line).is_err()
                });
                match continues {
                    true => self.runs.last_mut().expect("a run").count += 1,
                    false => self.runs.push(Run {
                        line,
                        count: 1,
                        text: at,
                        ..run.clone()
                    }),
                }
                if self.with_texts {
                    at += memchr::memchr(b'\n', &self.texts.as_bytes()[at..]).expect("a line end")
                        + 1;
                }
            }
        }
    }
}

/// The hits of a document, in line order (see [`Hits::iter`]).
#[derive(Debug, Clone)]
pub struct HitsIter<'h> {
    hits: &'h Hits,
    /// The run, the hit in it, and where its text starts.
    run: usize,
    k: u32,
    at: usize,
}

impl Iterator for HitsIter<'_> {
    type Item = Hit;

    fn next(&mut self) -> Option<Hit> {
        let hits = self.hits;
        let run = hits.runs.get(self.run)?;
        if self.k == 0 {
            self.at = run.text;
        }
        let text = match hits.with_texts {
            true => {
                let rest = &hits.texts[self.at..];
                let end = memchr::memchr(b'\n', rest.as_bytes()).expect("a line end");
                self.at += end + 1;
                rest[..end].to_string()
            }
            false => String::new(),
        };
        let hit = Hit {
            id: run.id.clone(),
            line: (run.line + self.k) as usize + 1,
            kind: run.kind,
            text,
            reason: run.detail.as_ref().and_then(|d| d.reason()),
            probability: run.detail.as_ref().and_then(|d| d.probability),
        };
        self.k += 1;
        if self.k == run.count {
            (self.run, self.k) = (self.run + 1, 0);
        }
        Some(hit)
    }
}

impl<'h> IntoIterator for &'h Hits {
    type Item = Hit;
    type IntoIter = HitsIter<'h>;

    fn into_iter(self) -> HitsIter<'h> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, line: usize, kind: HitKind, text: &str) -> Hit {
        Hit {
            id: Arc::from(id),
            line,
            kind,
            text: text.to_string(),
            reason: None,
            probability: None,
        }
    }

    #[test]
    fn consecutive_lines_of_one_rule_are_one_run() {
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("A"), Arc::from("B"));
        let mut hits = Hits::new(true);
        for line in 0..5 {
            hits.push(&a, line, HitKind::Removed, "x", None, false);
        }
        hits.push(&b, 5, HitKind::Removed, "y", None, false);
        hits.push(&b, 7, HitKind::Removed, "z", None, false);
        assert_eq!((hits.runs.len(), hits.len()), (3, 7));
        let mut expected: Vec<Hit> = (1..=5)
            .map(|l| hit("A", l, HitKind::Removed, "x"))
            .collect();
        expected.extend([
            hit("B", 6, HitKind::Removed, "y"),
            hit("B", 8, HitKind::Removed, "z"),
        ]);
        assert_eq!(hits.to_vec(), expected);
        assert_eq!(hits.count(HitKind::Removed), 7);
    }

    #[test]
    fn a_strip_stays_before_the_removal_of_its_line() {
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("A"), Arc::from("B"));
        let mut hits = Hits::new(true);
        hits.push(&a, 3, HitKind::Removed, "three", None, false);
        hits.push(&b, 4, HitKind::Stripped, "Share:", None, false);
        hits.push(&a, 4, HitKind::Removed, "four", None, true);
        hits.push(&a, 5, HitKind::Removed, "five", None, false);
        hits.push(&b, 1, HitKind::Stripped, "Tags:", None, false);
        hits.sort();
        let got: Vec<(usize, &str)> = hits
            .iter()
            .map(|h| (h.line, h.id))
            .map(|(l, id)| (l, if &*id == "A" { "A" } else { "B" }))
            .collect();
        assert_eq!(got, [(2, "B"), (4, "A"), (5, "B"), (5, "A"), (6, "A")]);
    }

    #[test]
    fn a_later_round_is_split_where_its_lines_part() {
        let a: Arc<str> = Arc::from("A");
        let mut first = Hits::new(true);
        first.push(&a, 1, HitKind::Stripped, "s", None, false);
        let mut later = Hits::new(true);
        for (line, text) in ["p", "q", "r", "s"].iter().enumerate() {
            later.push(&a, line, HitKind::Removed, text, None, false);
        }
        // Later lines 0..4 are lines 0, 1, 2 and 5.
        first.extend_mapped(later, &[0, 1, 2, 5]);
        first.sort();
        let got: Vec<(usize, HitKind, String)> =
            first.iter().map(|h| (h.line, h.kind, h.text)).collect();
        assert_eq!(
            got,
            [
                (1, HitKind::Removed, "p".to_string()),
                (2, HitKind::Stripped, "s".to_string()),
                (2, HitKind::Removed, "q".to_string()),
                (3, HitKind::Removed, "r".to_string()),
                (6, HitKind::Removed, "s".to_string()),
            ]
        );
    }

    #[test]
    fn hits_without_texts_have_empty_texts() {
        let a: Arc<str> = Arc::from("A");
        let mut hits = Hits::new(false);
        hits.push(&a, 0, HitKind::Removed, "x", None, false);
        hits.push(&a, 1, HitKind::Removed, "y", None, false);
        assert!(hits.texts.is_empty());
        assert_eq!(
            hits.to_vec(),
            [
                hit("A", 1, HitKind::Removed, ""),
                hit("A", 2, HitKind::Removed, "")
            ]
        );
    }
}
