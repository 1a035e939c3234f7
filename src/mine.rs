//! Corpus-learned boilerplate: the lines that repeat across the documents of one site.
//!
//! A site's chrome ("Follow us on Twitter", a newsletter box, a footer) repeats on every page of
//! that site, where no hand-kept list catches it all. This module counts, per group of documents
//! (a site, a directory), in how many documents each line occurs, and turns the lines found in
//! enough of them into either candidate rules for review ([`Confirmation::candidates`],
//! [`pattern_file`], written by `boilerstrip mine`) or a [`Learned`] set of whole lines that
//! [`Cleaner::clean_with`](crate::Cleaner::clean_with) removes under the `LEARN` id
//! (`boilerstrip clean --learn`).
//!
//! **What is counted.** A line is counted by its key ([`line_key`]): case-folded, every run of
//! digits mapped to `0`, every run of whitespace and punctuation folded to one space, so
//! `© 2012 Foo Inc.` and `© 2013 FOO INC` are one line. Presence is per document: a line counts
//! once for each document it occurs in, however often it occurs there, so one copy of something
//! inside one document (a repeated caption) is never evidence.
//!
//! **Guards, so that article text survives** ([`Guards`]): only short lines are eligible (at most
//! [`MAX_WORDS`] words), or, within the first or last [`EDGE_LINES`] non-blank lines of a
//! document, lines of at most [`EDGE_WORDS`] words that do not end a sentence. A longer line, or
//! any sentence over the word cap, is never counted nor removed however often it repeats:
//! syndicated wire copy repeats across sites and is article text. Lines without a letter are
//! never counted.
//!
//! **Bounded memory.** Keys are 64-bit FNV-1a hashes, counted per (group, hash) in a table with a
//! cap on distinct entries ([`LineCounts::max_entries`]). When the table outgrows the cap it is
//! pruned the way lossy counting (Manku and Motwani) does it: the entries with the lowest counts
//! are dropped, raising a floor until half the cap is free. Counts are therefore lower bounds: a
//! line reported in N documents is in at least N documents (64-bit collisions aside), and a line
//! can only be missed if it was rare when the table was pruned. A second, confirming pass
//! ([`LineCounts::confirm`]) re-reads the documents for the few frequent keys only, with exact
//! counts, the lines' surface forms, the bytes they take and sample documents. Memory is then the
//! cap plus the candidates, whatever the size of the dump.
//!
//! **Deterministic.** Documents may be read and split in parallel ([`DocLines::new`] is pure), but
//! they are added to the counts in one fixed order (the caller's job order), and every list this
//! module returns is sorted, so the output is the same at any thread count.
//!
//! # Example
//! ```
//! use boilerstrip::mine::{DocLines, Guards, LineCounts};
//! use boilerstrip::Cleaner;
//!
//! let guards = Guards::default();
//! let mut counts = LineCounts::new(guards);
//! for i in 0..3 {
//!     let page = format!("More from the Harbour Weekly\n\nStory {i} is about the harbour.\n");
//!     counts.add("example.com", &DocLines::new(&page, guards));
//! }
//! let learned = counts.learned(3, 0.0);
//! let lines = learned.group("example.com").unwrap();
//! let cleaned = Cleaner::new().clean_with("MORE FROM THE HARBOUR WEEKLY!\nNew text.\n", Some(lines));
//! assert_eq!(cleaned.text, "New text.\n");
//! assert_eq!(cleaned.hits.to_vec()[0].id.as_ref(), "LEARN");
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::normalize::{normalize, trim_line};

/// Most words a line may have to be eligible anywhere in a document.
pub const MAX_WORDS: usize = 12;
/// Size of the head and tail zones, in non-blank lines, where longer lines are eligible too.
pub const EDGE_LINES: usize = 10;
/// Most words a line in the head or tail zone may have to be eligible (if it ends no sentence).
pub const EDGE_WORDS: usize = 30;
/// Default cap on distinct (group, line) entries in [`LineCounts`]: about 64 MiB of table.
pub const DEFAULT_MAX_ENTRIES: usize = 1 << 21;
/// Distinct surface forms kept per mined line (they become the rule's phrases).
const MAX_FORMS: usize = 8;
/// Sample documents kept per mined line and group.
const MAX_SAMPLES: usize = 3;

/// Which lines may be counted and removed; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guards {
    /// Most words of a line eligible anywhere.
    pub max_words: usize,
    /// Size of the head and tail zones in non-blank lines.
    pub edge_lines: usize,
    /// Most words of a line eligible in the head or tail zone.
    pub edge_words: usize,
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            max_words: MAX_WORDS,
            edge_lines: EDGE_LINES,
            edge_words: EDGE_WORDS,
        }
    }
}

impl Guards {
    /// Whether a trimmed line with `from_head` non-blank lines above it and `from_tail` below it
    /// may be counted (and removed).
    pub(crate) fn admits(&self, line: &str, from_head: usize, from_tail: usize) -> bool {
        let words = line.split(' ').filter(|w| !w.is_empty()).count();
        if words == 0 {
            return false;
        }
        if words <= self.max_words {
            return true;
        }
        let edge = from_head < self.edge_lines || from_tail < self.edge_lines;
        edge && words <= self.edge_words && !ends_sentence(line)
    }

    /// The eligible lines of a document given as trimmed lines: (index, key hash) in order.
    pub(crate) fn eligible(&self, lines: &[&str]) -> Vec<(usize, u64)> {
        let total = lines.iter().filter(|l| !l.is_empty()).count();
        let mut out = Vec::new();
        let mut from_head = 0;
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            if self.admits(line, from_head, total - from_head - 1) {
                if let Some(hash) = line_hash(line) {
                    out.push((i, hash));
                }
            }
            from_head += 1;
        }
        out
    }
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', '"', '”', '’', '»'])
}

/// The counting key of a line: lowercase, each run of digits as `0`, each run of other
/// non-alphanumeric characters (whitespace, punctuation, symbols) as one space, trimmed.
/// `None` for a line without a letter.
///
/// # Example
/// ```
/// use boilerstrip::mine::line_key;
///
/// assert_eq!(line_key("© 2012 Foo, Inc.").as_deref(), Some("0 foo inc"));
/// assert_eq!(line_key("— FOLLOW us on Twitter! —").as_deref(), Some("follow us on twitter"));
/// assert_eq!(line_key("12:30"), None);
/// ```
pub fn line_key(line: &str) -> Option<String> {
    let mut key = String::with_capacity(line.len());
    let mut letters = false;
    let mut gap = false;
    let mut digits = false;
    for c in line.chars() {
        if c.is_alphanumeric() {
            if gap && !key.is_empty() {
                key.push(' ');
            }
            gap = false;
            if c.is_numeric() {
                if !digits {
                    key.push('0');
                }
                digits = true;
            } else {
                digits = false;
                letters = true;
                key.extend(c.to_lowercase());
            }
        } else {
            gap = true;
            digits = false;
        }
    }
    letters.then_some(key)
}

/// The 64-bit hash of a line's key (FNV-1a), or `None` for a line without a letter.
pub(crate) fn line_hash(line: &str) -> Option<u64> {
    line_key(line).map(|key| fnv1a(key.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The eligible lines of one document, split off so that documents can be prepared in parallel
/// and added to the counts in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocLines {
    /// (key hash, trimmed line as the cleaner sees it), in document order.
    lines: Vec<(u64, String)>,
}

impl DocLines {
    /// Normalize `text` as the cleaner does and keep its eligible lines.
    pub fn new(text: &str, guards: Guards) -> DocLines {
        let normalized = normalize(text);
        let lines: Vec<&str> = normalized.split('\n').map(trim_line).collect();
        DocLines {
            lines: guards
                .eligible(&lines)
                .into_iter()
                .map(|(i, hash)| (hash, lines[i].to_string()))
                .collect(),
        }
    }

    /// The distinct key hashes, sorted.
    fn hashes(&self) -> Vec<u64> {
        let mut hashes: Vec<u64> = self.lines.iter().map(|(h, _)| *h).collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes
    }
}

/// The groups seen so far: names, and documents in each.
#[derive(Debug, Clone, Default)]
struct Groups {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    documents: Vec<u64>,
}

impl Groups {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        self.documents.push(0);
        id
    }

    /// Whether `docs` documents of group `id` pass the thresholds.
    fn frequent(&self, id: u32, docs: u64, min_docs: u64, min_share: f64) -> bool {
        let of = self.documents[id as usize];
        docs >= min_docs.max(1) && docs as f64 >= min_share * of as f64
    }
}

/// Pass one: in how many documents of each group each eligible line occurs (lower bounds, in
/// bounded memory; see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct LineCounts {
    guards: Guards,
    max_entries: usize,
    groups: Groups,
    table: HashMap<(u32, u64), u32>,
    /// Entries with at most this count have been dropped at some point.
    floor: u32,
}

impl LineCounts {
    /// Empty counts with the default cap ([`DEFAULT_MAX_ENTRIES`]).
    pub fn new(guards: Guards) -> LineCounts {
        LineCounts {
            guards,
            max_entries: DEFAULT_MAX_ENTRIES,
            groups: Groups::default(),
            table: HashMap::new(),
            floor: 0,
        }
    }

    /// Cap the distinct (group, line) entries held (at least 2).
    pub fn max_entries(mut self, cap: usize) -> Self {
        self.max_entries = cap.max(2);
        self
    }

    /// The guards the lines were chosen with.
    pub fn guards(&self) -> Guards {
        self.guards
    }

    /// Count one document of `group`.
    pub fn add(&mut self, group: &str, doc: &DocLines) {
        let id = self.groups.id(group);
        self.groups.documents[id as usize] += 1;
        for hash in doc.hashes() {
            *self.table.entry((id, hash)).or_insert(0) += 1;
        }
        if self.table.len() > self.max_entries {
            self.prune();
        }
    }

    /// Drop the least counted entries until at most half the cap is used.
    fn prune(&mut self) {
        while self.table.len() > self.max_entries / 2 {
            self.floor += 1;
            let floor = self.floor;
            self.table.retain(|_, count| *count > floor);
        }
    }

    /// Documents counted, in all groups.
    pub fn documents(&self) -> u64 {
        self.groups.documents.iter().sum()
    }

    /// The highest count that pruning has dropped (0 when nothing was dropped): lines rarer than
    /// this when the table was full may be missing.
    pub fn pruned_below(&self) -> u32 {
        self.floor
    }

    /// The (group, hash) entries in at least `min_docs` documents and `min_share` of their
    /// group's documents.
    fn frequent(&self, min_docs: u64, min_share: f64) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.table
            .iter()
            .filter(move |(&(group, _), &count)| {
                self.groups
                    .frequent(group, u64::from(count), min_docs, min_share)
            })
            .map(|(&key, _)| key)
    }

    /// The lines to remove, per group: those in at least `min_docs` documents of the group and at
    /// least `min_share` (0 to 1) of them.
    pub fn learned(&self, min_docs: u64, min_share: f64) -> Learned {
        let mut groups: HashMap<String, LearnedLines> = HashMap::new();
        for (group, hash) in self.frequent(min_docs, min_share) {
            groups
                .entry(self.groups.names[group as usize].clone())
                .or_insert_with(|| LearnedLines::new(self.guards))
                .hashes
                .insert(hash);
        }
        Learned { groups }
    }

    /// Start the confirming pass for the lines in at least `min_docs` documents and `min_share`
    /// of their group: feed it the same documents again, in the same groups.
    pub fn confirm(&self, min_docs: u64, min_share: f64) -> Confirmation {
        let mut wanted: HashMap<(u32, u64), Tally> = HashMap::new();
        for key in self.frequent(min_docs, min_share) {
            wanted.insert(key, Tally::default());
        }
        let mut groups = self.groups.clone();
        groups.documents.iter_mut().for_each(|d| *d = 0);
        Confirmation {
            groups,
            wanted,
            min_docs,
            min_share,
        }
    }
}

/// Whole lines learned from a corpus, for every group.
#[derive(Debug, Clone, Default)]
pub struct Learned {
    groups: HashMap<String, LearnedLines>,
}

impl Learned {
    /// The lines learned for `group`, if any.
    pub fn group(&self, group: &str) -> Option<&LearnedLines> {
        self.groups.get(group)
    }

    /// Number of lines learned, over all groups.
    pub fn len(&self) -> usize {
        self.groups.values().map(LearnedLines::len).sum()
    }

    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of groups with learned lines.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }
}

/// The whole lines one group's documents share, which
/// [`Cleaner::clean_with`](crate::Cleaner::clean_with) removes (as `LEARN`) where the
/// [`Guards`] admit them. A line matches by its [`line_key`].
///
/// # Example
/// ```
/// use boilerstrip::mine::{Guards, LearnedLines};
///
/// let lines = LearnedLines::from_lines(["Sign up for our newsletter"], Guards::default());
/// assert!(lines.contains("SIGN UP for our newsletter!"));
/// let cleaned = boilerstrip::Cleaner::new()
///     .clean_with("The text.\nSign up for our newsletter\n", Some(&lines));
/// assert_eq!(cleaned.text, "The text.\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnedLines {
    hashes: HashSet<u64>,
    guards: Guards,
}

impl LearnedLines {
    /// An empty set.
    pub fn new(guards: Guards) -> LearnedLines {
        LearnedLines {
            hashes: HashSet::new(),
            guards,
        }
    }

    /// A set of the given lines.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>, guards: Guards) -> Self {
        let mut set = LearnedLines::new(guards);
        set.hashes.extend(lines.into_iter().filter_map(line_hash));
        set
    }

    /// Whether the line's key is in the set (ignoring the guards).
    pub fn contains(&self, line: &str) -> bool {
        line_hash(line).is_some_and(|h| self.hashes.contains(&h))
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The indexes of the trimmed `lines` to remove: learned and admitted by the guards.
    pub(crate) fn matching(&self, lines: &[&str]) -> Vec<usize> {
        if self.hashes.is_empty() {
            return Vec::new();
        }
        self.guards
            .eligible(lines)
            .into_iter()
            .filter(|(_, hash)| self.hashes.contains(hash))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What the confirming pass found about one (group, line).
#[derive(Debug, Clone, Default)]
struct Tally {
    documents: u64,
    occurrences: u64,
    bytes: u64,
    forms: BTreeMap<String, u64>,
    samples: Vec<String>,
}

/// Pass two of mining: exact counts, surface forms and samples for the frequent lines.
#[derive(Debug, Clone)]
pub struct Confirmation {
    groups: Groups,
    wanted: HashMap<(u32, u64), Tally>,
    min_docs: u64,
    min_share: f64,
}

impl Confirmation {
    /// Number of (group, line) entries being confirmed.
    pub fn len(&self) -> usize {
        self.wanted.len()
    }

    /// Whether there is nothing to confirm.
    pub fn is_empty(&self) -> bool {
        self.wanted.is_empty()
    }

    /// Add one document of `group`; `name` names it in the samples (a path, `PATH:LINE`).
    pub fn add(&mut self, group: &str, name: &str, doc: &DocLines) {
        let id = self.groups.id(group);
        self.groups.documents[id as usize] += 1;
        let mut seen: HashSet<u64> = HashSet::new();
        for (hash, text) in &doc.lines {
            let Some(tally) = self.wanted.get_mut(&(id, *hash)) else {
                continue;
            };
            tally.occurrences += 1;
            tally.bytes += text.len() as u64 + 1;
            let full = tally.forms.len() >= MAX_FORMS;
            match tally.forms.get_mut(text.as_str()) {
                Some(n) => *n += 1,
                None if !full => {
                    tally.forms.insert(text.clone(), 1);
                }
                None => {}
            }
            if seen.insert(*hash) {
                tally.documents += 1;
                if tally.samples.len() < MAX_SAMPLES {
                    tally.samples.push(name.to_string());
                }
            }
        }
    }

    /// The confirmed lines, one per key (its groups merged), sorted by the bytes they would
    /// remove (most first), then by text.
    pub fn candidates(self) -> Vec<Candidate> {
        let mut by_hash: BTreeMap<u64, Candidate> = BTreeMap::new();
        let mut forms: HashMap<u64, BTreeMap<String, u64>> = HashMap::new();
        for ((group, hash), tally) in self.wanted {
            if !self
                .groups
                .frequent(group, tally.documents, self.min_docs, self.min_share)
            {
                continue;
            }
            let candidate = by_hash.entry(hash).or_default();
            candidate.documents += tally.documents;
            candidate.occurrences += tally.occurrences;
            candidate.bytes += tally.bytes;
            candidate.groups.push(GroupCount {
                group: self.groups.names[group as usize].clone(),
                documents: tally.documents,
                of: self.groups.documents[group as usize],
                samples: tally.samples,
            });
            let merged = forms.entry(hash).or_default();
            for (form, n) in tally.forms {
                *merged.entry(form).or_default() += n;
            }
        }
        let mut out: Vec<Candidate> = by_hash
            .into_iter()
            .map(|(hash, mut candidate)| {
                let mut list: Vec<(String, u64)> = forms
                    .remove(&hash)
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                // Phrases match case-insensitively: one form per spelling is enough.
                let mut spellings = HashSet::new();
                list.retain(|(form, _)| spellings.insert(form.to_lowercase()));
                list.truncate(MAX_FORMS);
                candidate.phrases = list.into_iter().map(|(form, _)| form).collect();
                candidate.groups.sort_by(|a, b| {
                    b.documents
                        .cmp(&a.documents)
                        .then_with(|| a.group.cmp(&b.group))
                });
                candidate
            })
            .collect();
        out.sort_by(|a, b| {
            b.bytes
                .cmp(&a.bytes)
                .then_with(|| a.phrases.cmp(&b.phrases))
        });
        out
    }
}

/// A line mined from a corpus: a candidate rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidate {
    /// The line's surface forms as found (normalized and trimmed as the cleaner sees lines), most
    /// frequent first.
    pub phrases: Vec<String>,
    /// Documents it occurs in, over all its groups.
    pub documents: u64,
    /// Times it occurs.
    pub occurrences: u64,
    /// Bytes it takes (line ends included): what a rule for it would remove.
    pub bytes: u64,
    /// The groups it was found frequent in, most documents first.
    pub groups: Vec<GroupCount>,
}

/// How often a mined line occurs in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCount {
    /// The group's name.
    pub group: String,
    /// Documents of the group the line occurs in.
    pub documents: u64,
    /// Documents in the group.
    pub of: u64,
    /// A few of those documents.
    pub samples: Vec<String>,
}

impl Candidate {
    /// Where it repeats, for a rule's `why` and for tables: `41 of 41 documents of bbc.co.uk`,
    /// further groups summed up.
    pub fn where_found(&self) -> String {
        let Some(first) = self.groups.first() else {
            return String::new();
        };
        let mut text = format!(
            "{} of {} documents of {}",
            first.documents, first.of, first.group
        );
        let others = self.groups.len() - 1;
        if others > 0 {
            let docs: u64 = self.groups[1..].iter().map(|g| g.documents).sum();
            text.push_str(&format!(
                ", and {docs} documents of {others} other group(s)"
            ));
        }
        text
    }
}

/// Write candidates as a pattern file (see [`crate::rule`]), ready for `--patterns` after review:
/// one whole-line literal `drop` rule per candidate, with ids `{prefix}0001`, … in the order
/// given, the line itself as the `remove` example, and the document counts and sample documents
/// as comments. The set is named `set_name`.
///
/// # Example
/// ```
/// use boilerstrip::mine::{pattern_file, Candidate, GroupCount};
///
/// let candidate = Candidate {
///     phrases: vec!["Follow us on Twitter".into()],
///     documents: 3,
///     occurrences: 3,
///     bytes: 63,
///     groups: vec![GroupCount { group: "site-a".into(), documents: 3, of: 4, samples: vec![] }],
/// };
/// let toml = pattern_file(&[candidate], "MINED", "mined");
/// let set = boilerstrip::rule::parse_set(&toml, "mined.toml", "mined").unwrap();
/// assert_eq!(set.rules[0].id, "MINED0001");
/// assert_eq!(set.rules[0].remove, ["Follow us on Twitter"]);
/// ```
pub fn pattern_file(candidates: &[Candidate], prefix: &str, set_name: &str) -> String {
    let mut out = String::new();
    out.push_str(
        "# Candidate rules mined by `boilerstrip mine`: whole lines that repeat across the\n\
         # documents of a group. Review them before use: delete every rule whose line is article\n\
         # text, run `boilerstrip check-patterns FILE`, then clean with `--patterns FILE`.\n\
         # Sorted by the bytes each would remove.\n\n",
    );
    out.push_str(&format!(
        "[set]\nname = {}\ndescription = {}\n",
        quote(set_name),
        quote(&format!(
            "{} lines mined from repeats across documents",
            candidates.len()
        ))
    ));
    for (n, candidate) in candidates.iter().enumerate() {
        let id = format!("{prefix}{:04}", n + 1);
        out.push('\n');
        out.push_str(&format!(
            "# {id}: in {} document(s), {} occurrence(s), {} bytes\n",
            candidate.documents, candidate.occurrences, candidate.bytes
        ));
        for group in &candidate.groups {
            let samples: Vec<String> = group.samples.iter().map(|s| comment_safe(s)).collect();
            out.push_str(&format!(
                "#   {}: {} of {} documents; e.g. {}\n",
                comment_safe(&group.group),
                group.documents,
                group.of,
                samples.join(", ")
            ));
        }
        let phrases: Vec<String> = candidate.phrases.iter().map(|p| quote(p)).collect();
        out.push_str(&format!(
            "[[rule]]\nid = {}\nwhy = {}\nphrases = [{}]\nmatch = \"line\"\naction = \"drop\"\n\
             remove = [{}]\n",
            quote(&id),
            quote(&format!(
                "Repeats in {}: site boilerplate, not article text (mined).",
                candidate.where_found()
            )),
            phrases.join(", "),
            phrases.first().cloned().unwrap_or_default(),
        ));
    }
    out
}

/// A TOML string. Control characters and bidi embeddings, overrides and isolates (which a
/// scraped line can carry: "Trojan Source") are written as `\uXXXX` escapes, so that the file
/// reads the same on a terminal and in an editor, where it is reviewed, as it parses.
fn quote(text: &str) -> String {
    if !text.chars().any(unsafe_char) {
        return toml::Value::String(text.to_string()).to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` may not appear raw in a pattern file: a control character (C0, DEL, C1), or a
/// bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a TOML comment: one line, no control or bidi characters.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if unsafe_char(c) { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string quotes to TOML that parses back to it, with no control or bidi character
    /// left raw.
    #[test]
    fn quoted_strings_parse_back_and_hold_nothing_raw() {
        let cases = [
            "Follow us",
            "say \"hi\" \\ back",
            "a\u{202E}b\u{2066}c\u{2069}",
            "tab\tesc\u{1b}[31m del\u{7f} c1\u{9b} nul\u{0} \"q\" \\",
        ];
        for text in cases {
            let quoted = quote(text);
            assert!(!quoted.chars().any(unsafe_char), "{quoted}");
            let parsed: toml::Value = toml::from_str(&format!("v = {quoted}")).unwrap();
            assert_eq!(parsed["v"].as_str(), Some(text), "{quoted}");
        }
    }

    #[test]
    fn keys_fold_case_digits_and_punctuation() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Follow us on Twitter", Some("follow us on twitter")),
            ("FOLLOW  us on   twitter!!", Some("follow us on twitter")),
            ("© 2012–2013 Foo Inc.", Some("0 0 foo inc")),
            ("Page 12 of 40", Some("page 0 of 0")),
            ("Ärger über Straße", Some("ärger über straße")),
            ("— | —", None),
            ("2012", None),
        ];
        for (line, want) in cases {
            assert_eq!(line_key(line).as_deref(), *want, "{line:?}");
        }
    }

    #[test]
    fn guards_admit_short_lines_and_edges_only() {
        let g = Guards::default();
        let long_sentence = "The council voted on Monday to approve the budget for the next \
                             fiscal year after a long debate.";
        let long_label = "Home News Sport Business Politics Health Education Science Technology \
                          Entertainment Arts Opinion Video";
        let cases = [
            ("short anywhere", "Follow us on Twitter", 20, 20, true),
            ("long sentence at the edge", long_sentence, 0, 40, false),
            ("long sentence in the middle", long_sentence, 20, 20, false),
            ("long label at the head", long_label, 2, 40, true),
            ("long label at the tail", long_label, 40, 3, true),
            ("long label in the middle", long_label, 20, 20, false),
        ];
        for (what, line, head, tail, want) in cases {
            assert_eq!(g.admits(line, head, tail), want, "{what}");
        }
    }

    #[test]
    fn one_document_is_no_evidence() {
        let g = Guards::default();
        let mut counts = LineCounts::new(g);
        counts.add("a", &DocLines::new("Share\nShare\nShare\nShare\n", g));
        assert!(counts.learned(2, 0.0).is_empty());
        counts.add("a", &DocLines::new("Share\n", g));
        assert_eq!(counts.learned(2, 0.0).len(), 1);
    }

    #[test]
    fn groups_are_counted_apart_and_shares_apply() {
        let g = Guards::default();
        let mut counts = LineCounts::new(g);
        for i in 0..4 {
            counts.add("a", &DocLines::new(&format!("Menu\nText {i}.\n"), g));
        }
        counts.add("b", &DocLines::new("Menu\n", g));
        for word in ["alpha", "beta", "gamma"] {
            counts.add("b", &DocLines::new(&format!("Other {word}\n"), g));
        }
        let learned = counts.learned(2, 0.0);
        assert!(learned.group("a").unwrap().contains("menu"));
        assert!(learned.group("b").is_none());
        // 4 of 4 in a; with a share of one half, still in a.
        assert_eq!(counts.learned(1, 0.5).groups(), 1);
    }

    #[test]
    fn pruning_keeps_frequent_lines_within_the_cap() {
        let g = Guards::default();
        let mut counts = LineCounts::new(g).max_entries(64);
        for i in 0..500 {
            let doc = format!("Subscribe now\nUnique line {}\n", "x".repeat(i % 97 + 1));
            counts.add("s", &DocLines::new(&doc, g));
            assert!(counts.table.len() <= 64);
        }
        assert!(counts.pruned_below() > 0);
        let learned = counts.learned(100, 0.0);
        assert_eq!(learned.len(), 1);
        assert!(learned.group("s").unwrap().contains("Subscribe now"));
    }

    #[test]
    fn candidates_merge_groups_and_sort_by_bytes() {
        let g = Guards::default();
        let docs = [
            ("a", "Sign up for our newsletter\nOK\nBody one."),
            ("a", "Sign up for our NEWSLETTER\nOK\nBody two."),
            ("b", "Sign up for our newsletter\nBody three."),
            ("b", "sign up for our newsletter\nBody four."),
        ];
        let mut counts = LineCounts::new(g);
        for (group, text) in docs {
            counts.add(group, &DocLines::new(text, g));
        }
        let mut confirm = counts.confirm(2, 0.0);
        for (i, (group, text)) in docs.iter().enumerate() {
            confirm.add(group, &format!("doc{i}"), &DocLines::new(text, g));
        }
        let found = confirm.candidates();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].documents, 4);
        assert_eq!(found[0].phrases[0], "Sign up for our newsletter");
        assert_eq!(found[0].phrases.len(), 1, "case variants are one phrase");
        assert_eq!(found[0].groups.len(), 2);
        assert_eq!(found[1].phrases, ["OK"]);
        let toml = pattern_file(&found, "MINED", "mined");
        let set = crate::rule::parse_set(&toml, "mined.toml", "mined").unwrap();
        assert_eq!(set.rules.len(), 2);
        assert_eq!(set.rules[1].id, "MINED0002");
    }
}
