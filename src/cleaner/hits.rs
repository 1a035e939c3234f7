//! What cleaning changed, line by line: [`Hit`], and [`Hits`], which holds a document's hits in a
//! few bytes each however many there are and however they fall.
//!
//! A document can have a hit on nearly every line (50 MB of one repeated line is 25 million
//! `DEDUPE` hits; of `x x y y …`, 12.5 million hits on every other line), so hits are not kept as
//! a `Hit` each (about 90 bytes, and a `String`), nor as a record of fixed size each: a run of
//! consecutive lines that one rule or pass removed (or joined) the same way is one run, and the
//! runs are a byte stream, each run written as what changed from the run before (see
//! [`Hits::write`]): two bytes for a run of one line a line or so after the last. Rule ids and
//! details are in tables, and the texts of all hits are one buffer. A [`Hit`] is made only when
//! it is asked for.

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
#[derive(Clone)]
pub struct Hits {
    /// The runs but the last, one after another (see [`Self::write`]).
    runs: Vec<u8>,
    /// The run written last, which the next run in `runs` is written against.
    written: Run,
    /// The last run, which the next hit may continue; written when another run starts.
    last: Option<Run>,
    /// The rule and pass ids of the runs (a run holds an index).
    ids: Vec<Arc<str>>,
    /// The details of the runs that have one (a run holds an index).
    details: Vec<Detail>,
    /// The text of every hit, each followed by a line end (a hit's text has none), when hits
    /// carry their texts (see `CleanerBuilder::hit_texts`).
    texts: String,
    with_texts: bool,
    /// The number of hits.
    len: usize,
}

/// Hits on consecutive lines (0-based, from `line`), of one rule or pass (`ids[id]`) and kind,
/// and with the same details (`details[detail]`, if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    id: u32,
    line: u32,
    count: u32,
    kind: HitKind,
    detail: Option<u32>,
    /// Where the first hit's text starts in [`Hits::texts`] (0 when hits carry no texts).
    text: usize,
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

const KINDS: [HitKind; 3] = [HitKind::Removed, HitKind::Stripped, HitKind::Joined];

/// What [`Hits::write`] writes the first run against.
const NO_RUN: Run = Run {
    id: 0,
    line: 0,
    count: 0,
    kind: HitKind::Removed,
    detail: None,
    text: 0,
};

/// The first byte of a run in [`Hits::runs`]: its kind in the low two bits, and which of the
/// fields after it are there.
const NEW_ID: u8 = 1 << 2;
const DETAIL: u8 = 1 << 3;
const COUNT: u8 = 1 << 4;

impl Hits {
    /// No hits yet; `with_texts`: the hits will carry their texts.
    pub(super) fn new(with_texts: bool) -> Hits {
        Hits {
            runs: Vec::new(),
            written: NO_RUN,
            last: None,
            ids: Vec::new(),
            details: Vec::new(),
            texts: String::new(),
            with_texts,
            len: 0,
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
            runs: self.runs(),
            run: None,
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
        let runs = self.runs().filter(|r| r.kind == kind);
        runs.map(|r| r.count as usize).sum()
    }

    /// For each run of hits of one rule or pass and kind: its id, kind and number of hits (for
    /// counting without making each [`Hit`]).
    pub fn tally(&self) -> impl Iterator<Item = (&Arc<str>, HitKind, usize)> + '_ {
        (self.runs()).map(|r| (&self.ids[r.id as usize], r.kind, r.count as usize))
    }

    /// Whether a hit is of the rule or pass `id`.
    pub(super) fn any_of(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i.as_ref() == id)
    }

    /// The runs, in the order they were added (or sorted).
    fn runs(&self) -> Runs<'_> {
        Runs {
            bytes: &self.runs,
            read: NO_RUN,
            with_texts: self.with_texts,
            last: self.last,
        }
    }

    /// The index of `id` in [`Self::ids`], added if new (a document's hits name a few ids).
    fn id_index(&mut self, id: &Arc<str>) -> u32 {
        let at = (self.ids.iter()).position(|i| Arc::ptr_eq(i, id) || i == id);
        let at = at.unwrap_or_else(|| {
            self.ids.push(id.clone());
            self.ids.len() - 1
        });
        u32::try_from(at).expect("fewer than 2^32 ids")
    }

    /// Make `run` the last run, writing the one before.
    fn start(&mut self, run: Run) {
        if let Some(last) = self.last.replace(run) {
            self.write(last);
        }
    }

    /// Write `run` at the end of [`Self::runs`], against the run written before it: a byte of
    /// its kind and of what follows; its first line's distance from where that run ended, then
    /// (if the run has more than one hit) its number of hits, (if its id is not that run's) its
    /// id, (if any) its detail, and (if hits carry texts) where its text starts from where that
    /// run's did; each a LEB128 number, the distances zigzag-coded.
    fn write(&mut self, run: Run) {
        let before = self.written;
        let mut tag = run.kind as u8;
        tag |= if run.id != before.id { NEW_ID } else { 0 };
        tag |= if run.detail.is_some() { DETAIL } else { 0 };
        tag |= if run.count > 1 { COUNT } else { 0 };
        let bytes = &mut self.runs;
        bytes.push(tag);
        put(bytes, zigzag(i64::from(run.line) - before.end()));
        if run.count > 1 {
            put(bytes, u64::from(run.count));
        }
        if run.id != before.id {
            put(bytes, u64::from(run.id));
        }
        if let Some(detail) = run.detail {
            put(bytes, u64::from(detail));
        }
        if self.with_texts {
            put(bytes, zigzag(run.text as i64 - before.text as i64));
        }
        self.written = run;
    }

    /// Take every run out, leaving no runs (the ids, details and texts stay).
    fn take_runs(&mut self) -> (Vec<u8>, Option<Run>) {
        self.written = NO_RUN;
        (std::mem::take(&mut self.runs), self.last.take())
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
            if let Some(last) = &self.last {
                let last_id = &self.ids[last.id as usize];
                let last_detail = last.detail.map(|d| &self.details[d as usize]);
                let joins = last.line + last.count == line
                    && last.kind == kind
                    && (Arc::ptr_eq(last_id, id) || last_id == id)
                    && last_detail == detail.as_ref()
                    && detail.as_ref().is_none_or(|d| d.probability.is_none());
                if joins {
                    self.last.as_mut().expect("a run").count += 1;
                    return;
                }
            }
        }
        let start = self.texts.len() - (text.len() + 1) * usize::from(self.with_texts);
        let detail = detail.map(|d| {
            self.details.push(d);
            u32::try_from(self.details.len() - 1).expect("fewer than 2^32 details")
        });
        let id = self.id_index(id);
        self.start(Run {
            id,
            line,
            count: 1,
            kind,
            detail,
            text: start,
        });
    }

    /// Renumber the lines: line `k` becomes `line(k)`, which keeps consecutive lines consecutive
    /// within each run and is asked in order (the hits are in line order).
    pub(super) fn map_lines(&mut self, mut line: impl FnMut(u32) -> u32) {
        let (bytes, last) = self.take_runs();
        let runs = Runs::new(&bytes, last, self.with_texts);
        for run in runs {
            let line = line(run.line);
            self.start(Run { line, ..run });
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
        // Mostly sorted already; only runs out of order are read out whole, and sorted.
        if self.runs().is_sorted_by_key(|r| r.line) {
            return;
        }
        let (bytes, last) = self.take_runs();
        let mut runs: Vec<Run> = Runs::new(&bytes, last, self.with_texts).collect();
        drop(bytes);
        runs.sort_by_key(|r| r.line);
        for run in runs {
            self.start(run);
        }
    }

    /// Add the hits of a later round, whose line `k` is this document's line `origin(k)` (asked
    /// in line order). A run is split where its lines are no longer consecutive, and at a line that has a hit here
    /// already (which stays before it: a strip; see [`Self::sort`]).
    pub(super) fn extend_mapped(&mut self, later: Hits, mut origin: impl FnMut(u32) -> u32) {
        let mut strips: Vec<u32> = (self.runs())
            .filter(|r| r.kind == HitKind::Stripped)
            .map(|r| r.line)
            .collect();
        strips.sort_unstable();
        let base = self.texts.len();
        self.texts.push_str(&later.texts);
        self.len += later.len;
        for run in later.runs() {
            let id = self.id_index(&later.ids[run.id as usize]);
            let mut at = base + run.text;
            for k in 0..run.count {
                let line = origin(run.line + k);
                let continues = self.last.as_ref().is_some_and(|last| {
                    k > 0 && last.line + last.count == line && strips.binary_search(&line).is_err()
                });
                if continues {
                    self.last.as_mut().expect("a run").count += 1;
                } else {
                    let detail = run.detail.map(|d| {
                        self.details.push(later.details[d as usize].clone());
                        u32::try_from(self.details.len() - 1).expect("fewer than 2^32 details")
                    });
                    self.start(Run {
                        id,
                        line,
                        count: 1,
                        kind: run.kind,
                        detail,
                        text: at,
                    });
                }
                if self.with_texts {
                    at += memchr::memchr(b'\n', &self.texts.as_bytes()[at..]).expect("a line end")
                        + 1;
                }
            }
        }
    }
}

impl Run {
    /// The line after the run's last.
    fn end(&self) -> i64 {
        i64::from(self.line) + i64::from(self.count)
    }
}

/// `n` as LEB128: seven bits a byte, low bits first, the high bit set on all bytes but the last.
fn put(bytes: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// A LEB128 number read from the start of `bytes` (see [`put`]), which it leaves after it.
fn get(bytes: &mut &[u8]) -> u64 {
    let (mut n, mut shift) = (0, 0);
    loop {
        let (&byte, rest) = bytes.split_first().expect("a whole number");
        *bytes = rest;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// A signed number as an unsigned one, small when it is near zero: 0, -1, 1, -2… as 0, 1, 2, 3….
fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// The runs of [`Hits`], read from its bytes (see [`Hits::write`]), then its last run.
#[derive(Debug, Clone)]
struct Runs<'h> {
    bytes: &'h [u8],
    /// The run read last.
    read: Run,
    with_texts: bool,
    last: Option<Run>,
}

impl<'h> Runs<'h> {
    fn new(bytes: &'h [u8], last: Option<Run>, with_texts: bool) -> Runs<'h> {
        Runs {
            bytes,
            read: NO_RUN,
            with_texts,
            last,
        }
    }
}

impl Iterator for Runs<'_> {
    type Item = Run;

    fn next(&mut self) -> Option<Run> {
        let Some((&tag, rest)) = self.bytes.split_first() else {
            return self.last.take();
        };
        let bytes = &mut self.bytes;
        *bytes = rest;
        let before = self.read;
        let line = before.end() + unzigzag(get(bytes));
        let run = Run {
            line: u32::try_from(line).expect("a line number"),
            count: if tag & COUNT != 0 {
                get(bytes) as u32
            } else {
                1
            },
            id: if tag & NEW_ID != 0 {
                get(bytes) as u32
            } else {
                before.id
            },
            detail: (tag & DETAIL != 0).then(|| get(bytes) as u32),
            kind: KINDS[usize::from(tag & 3)],
            text: match self.with_texts {
                true => (before.text as i64 + unzigzag(get(bytes))) as usize,
                false => 0,
            },
        };
        self.read = run;
        Some(run)
    }
}

impl Default for Hits {
    fn default() -> Hits {
        Hits::new(false)
    }
}

impl PartialEq for Hits {
    /// The same hits, however they are held.
    fn eq(&self, other: &Hits) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Hits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The hits of a document, in line order (see [`Hits::iter`]).
#[derive(Debug, Clone)]
pub struct HitsIter<'h> {
    hits: &'h Hits,
    runs: Runs<'h>,
    /// The run, the hit in it, and where its text starts.
    run: Option<Run>,
    k: u32,
    at: usize,
}

impl Iterator for HitsIter<'_> {
    type Item = Hit;

    fn next(&mut self) -> Option<Hit> {
        let hits = self.hits;
        if self.run.is_none() {
            let run = self.runs.next()?;
            (self.run, self.k, self.at) = (Some(run), 0, run.text);
        }
        let run = self.run.expect("a run");
        let text = match hits.with_texts {
            true => {
                let rest = &hits.texts[self.at..];
                let end = memchr::memchr(b'\n', rest.as_bytes()).expect("a line end");
                self.at += end + 1;
                rest[..end].to_string()
            }
            false => String::new(),
        };
        let detail = run.detail.map(|d| &hits.details[d as usize]);
        let hit = Hit {
            id: hits.ids[run.id as usize].clone(),
            line: (run.line + self.k) as usize + 1,
            kind: run.kind,
            text,
            reason: detail.and_then(|d| d.reason()),
            probability: detail.and_then(|d| d.probability),
        };
        self.k += 1;
        if self.k == run.count {
            self.run = None;
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
        assert_eq!((hits.runs().count(), hits.len()), (3, 7));
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
        first.extend_mapped(later, |k| [0, 1, 2, 5][k as usize]);
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
