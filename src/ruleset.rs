//! The compiled rule set: the literal phrases of the active rules in Aho-Corasick automata, the
//! regexes in `RegexSet`s, and a way back from each match to its rule.
//!
//! Rules are compiled in three *sides*, by where they may fire: anywhere, the head side (head
//! and edges zones) and the tail side (tail and edges zones). Each side is one automaton plus
//! two regex sets, and the cleaner matches a line against a side only while the line can be in
//! that side's zone, so the long body of an article is matched against the rules for anywhere
//! alone. Matching works on one trimmed line at a time and never loops over rules.
//!
//! Case-insensitive literals are matched against a case-folded copy of the line; the fold maps
//! each character to its lowercase form only when that form has the same UTF-8 length, so byte
//! offsets in the folded copy are offsets in the line, and non-ASCII text (French, German,
//! Spanish, Greek, Cyrillic) folds as it should. Regexes use the `regex` crate's own Unicode case
//! folding.
//!
//! Lines longer than every rule's `max_len` skip an automaton or a floating regex set entirely,
//! so long paragraphs, which make up most of an article's bytes, cost little. The set of
//! whole-line and line-start regexes is searched only on a line whose first and last bytes some
//! pattern of it allows (the module `ends` works them out): most lines of prose are turned away
//! by one table look-up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{meta, Input, PatternSet};
use rustc_hash::FxHashMap;

use crate::ends::LineEnds;
use crate::error::Error;
use crate::rule::{Action, MatchMode, Matcher, Rule, Zone};

/// Size limit for one compiled user regex, in bytes of compiled program.
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// Size limit for a whole compiled regex set.
const REGEX_SET_SIZE_LIMIT: usize = 64 << 20;

/// A rule's match on one line: byte span in the trimmed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    /// Index of the rule in [`RuleSet::rules`].
    pub rule: usize,
    /// Start of the matched text.
    pub start: usize,
    /// End of the matched text.
    pub end: usize,
}

/// Which rules to match a line against, by where they may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Rules for anywhere in the document.
    Any,
    /// Rules for the head zone (and the head end of edges rules).
    Head,
    /// Rules for the tail zone (and the tail end of edges rules).
    Tail,
}

impl Side {
    /// The sides a rule with this zone is compiled into.
    pub(crate) fn of(zone: Zone) -> &'static [Side] {
        match zone {
            Zone::Any => &[Side::Any],
            Zone::Head(_) => &[Side::Head],
            Zone::Tail(_) => &[Side::Tail],
            Zone::Edges(_) => &[Side::Head, Side::Tail],
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// One phrase of one rule, behind an automaton pattern.
#[derive(Debug)]
struct Literal {
    rule: usize,
    /// The phrase as written, for the case-sensitive check.
    phrase: Box<str>,
    /// Whether the phrase starts / ends with a word character (then a word boundary is needed).
    word_start: bool,
    word_end: bool,
}

#[derive(Debug)]
struct RegexGroup {
    /// All the group's patterns, matched at once (as `regex::RegexSet` does), with search
    /// caches that the caller passes in a [`Scratch`]: the set's own cache pool makes every
    /// thread but the first take a lock for each search, and each line is searched.
    set: meta::Regex,
    /// Rule index of each pattern of the set.
    rules: Vec<usize>,
    /// Longest line (chars) any of these rules may fire on.
    limit: usize,
    /// For an anchored group, the (first, last) byte pairs of the lines its patterns may match:
    /// most lines are turned away without a search.
    ends: Option<LineEnds>,
}

/// The compiled matchers of one side.
#[derive(Debug)]
struct Matchers {
    /// Phrases that must be the whole line (`match = "line"`), by their case-folded form: such
    /// a phrase matches exactly when the folded line equals it, so one hash look-up per short
    /// line does the work of an automaton search.
    whole_lines: FxHashMap<Box<str>, Vec<Literal>>,
    /// The longest key of `whole_lines`, in bytes: a longer line cannot equal any.
    whole_line_bytes: usize,
    /// The (length, first byte) of the keys of `whole_lines` shorter than 128 bytes that start
    /// with ASCII: bit `b` of `[len]`. A line of such a length starting with an ASCII byte
    /// whose pair is missing equals no key, and is neither folded nor looked up.
    whole_line_starts: Box<[u128; 128]>,
    /// The phrases of the other match modes.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the phrases (of possibly several rules) it stands for.
    literals: Vec<Vec<Literal>>,
    literal_limit: usize,
    /// Whole-line and line-start regexes: the search is anchored, so it ends early on most lines.
    anchored: Option<RegexGroup>,
    /// Line-end and contains regexes.
    floating: Option<RegexGroup>,
}

/// What a side is built from.
#[derive(Default)]
struct SideBuilder {
    whole_lines: FxHashMap<Box<str>, Vec<Literal>>,
    patterns: Vec<String>,
    literals: Vec<Vec<Literal>>,
    index_of: HashMap<String, usize>,
    literal_limit: usize,
    anchored: (Vec<String>, Vec<usize>, usize),
    floating: (Vec<String>, Vec<usize>, usize),
}

impl SideBuilder {
    fn add_phrase(&mut self, index: usize, rule: &Rule, phrase: &str) {
        let mut key = String::new();
        fold_into(phrase, &mut key);
        let literal = Literal {
            rule: index,
            phrase: phrase.into(),
            word_start: phrase.chars().next().is_some_and(is_word_char),
            word_end: phrase.chars().next_back().is_some_and(is_word_char),
        };
        if rule.mode == MatchMode::Line {
            self.whole_lines
                .entry(key.into_boxed_str())
                .or_default()
                .push(literal);
            return;
        }
        let limit = rule.max_len.unwrap_or(usize::MAX);
        self.literal_limit = self.literal_limit.max(limit);
        let slot = *self.index_of.entry(key.clone()).or_insert_with(|| {
            self.patterns.push(key);
            self.literals.push(Vec::new());
            self.literals.len() - 1
        });
        self.literals[slot].push(literal);
    }

    fn add_regex(&mut self, index: usize, rule: &Rule, pattern: &str) {
        let group = match rule.mode {
            MatchMode::Line | MatchMode::Starts => &mut self.anchored,
            MatchMode::Ends | MatchMode::Contains => &mut self.floating,
        };
        group.0.push(pattern.to_string());
        group.1.push(index);
        group.2 = group.2.max(rule.max_len.unwrap_or(usize::MAX));
    }

    fn build(self, rules: &[Rule]) -> Result<Matchers, Error> {
        let automaton = if self.patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&self.patterns)
                    .map_err(|e| Error::Build(e.to_string()))?,
            )
        };
        let mut whole_line_starts = Box::new([0u128; 128]);
        for key in self.whole_lines.keys() {
            if let Some(&first) = key.as_bytes().first().filter(|b| b.is_ascii()) {
                if let Some(starts) = whole_line_starts.get_mut(key.len()) {
                    *starts |= 1 << first;
                }
            }
        }
        Ok(Matchers {
            whole_line_bytes: self.whole_lines.keys().map(|k| k.len()).max().unwrap_or(0),
            whole_line_starts,
            whole_lines: self.whole_lines,
            automaton,
            literals: self.literals,
            literal_limit: self.literal_limit,
            anchored: regex_group(self.anchored, rules, true)?,
            floating: regex_group(self.floating, rules, false)?,
        })
    }
}

/// All active rules, compiled for matching.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Indexed by [`Side::index`].
    sides: [Matchers; 3],
    /// The largest head (tail) zone of any rule: past it, the head (tail) side cannot fire.
    head_reach: usize,
    tail_reach: usize,
    /// Per rule, the pattern used to find a match's span (regex rules only), compiled on first
    /// use: only strip actions need a span, and compiling every regex twice at start-up would
    /// double its cost.
    span_regexes: Vec<Option<(String, OnceLock<Regex>)>>,
    /// Tells this set's regex caches in a [`Scratch`] from another set's.
    id: u64,
}

/// Reusable buffers for matching, one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    folded: String,
    /// The [`RuleSet::id`] the caches are for.
    owner: u64,
    /// Search caches of the regex groups, by [`Side::index`] then anchored/floating (on the
    /// heap: a cache is large, and the scratch is moved in and out of its thread-local).
    caches: Vec<Option<meta::Cache>>,
}

impl Scratch {
    /// The search cache for `group` (number `slot` of side `side`) of rule set `owner`.
    fn cache(
        &mut self,
        owner: u64,
        side: usize,
        slot: usize,
        group: &RegexGroup,
    ) -> &mut meta::Cache {
        if self.owner != owner || self.caches.is_empty() {
            self.owner = owner;
            self.caches = (0..6).map(|_| None).collect();
        }
        self.caches[2 * side + slot].get_or_insert_with(|| group.set.create_cache())
    }
}

impl RuleSet {
    /// Compile `rules` (already validated, with unique ids).
    pub fn new(rules: Vec<Rule>) -> Result<RuleSet, Error> {
        let mut builders: [SideBuilder; 3] = Default::default();
        let mut span_regexes = Vec::with_capacity(rules.len());
        let (mut head_reach, mut tail_reach) = (0, 0);
        for (index, rule) in rules.iter().enumerate() {
            match rule.zone {
                Zone::Head(n) => head_reach = head_reach.max(n),
                Zone::Tail(n) => tail_reach = tail_reach.max(n),
                Zone::Edges(n) => {
                    head_reach = head_reach.max(n);
                    tail_reach = tail_reach.max(n);
                }
                Zone::Any => {}
            }
            let sides = Side::of(rule.zone);
            match &rule.matcher {
                Matcher::Phrases(phrases) => {
                    span_regexes.push(None);
                    for side in sides {
                        for phrase in phrases {
                            builders[side.index()].add_phrase(index, rule, phrase);
                        }
                    }
                }
                Matcher::Regex(re) => {
                    let flags = if rule.case_sensitive { "" } else { "(?i)" };
                    let pattern = match rule.mode {
                        MatchMode::Line => format!("{flags}^(?:{re})$"),
                        MatchMode::Starts => format!("{flags}^(?:{re})"),
                        MatchMode::Ends => format!("{flags}(?:{re})$"),
                        MatchMode::Contains => format!("{flags}(?:{re})"),
                    };
                    for side in sides {
                        builders[side.index()].add_regex(index, rule, &pattern);
                    }
                    span_regexes.push(Some((pattern, OnceLock::new())));
                }
            }
        }
        let [any, head, tail] = builders;
        let sides = [any.build(&rules)?, head.build(&rules)?, tail.build(&rules)?];
        // 0 is no set's: a new scratch holds no caches.
        static SETS: AtomicU64 = AtomicU64::new(1);
        Ok(RuleSet {
            rules,
            sides,
            head_reach,
            tail_reach,
            span_regexes,
            id: SETS.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The rules, in load order; [`LineMatch::rule`] indexes this.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The largest head zone of any rule (0 when there are no head-side rules).
    pub fn head_reach(&self) -> usize {
        self.head_reach
    }

    /// The largest tail zone of any rule (0 when there are no tail-side rules).
    pub fn tail_reach(&self) -> usize {
        self.tail_reach
    }

    /// Push every match on `line` (trimmed, non-blank) of the rules of `side` into `out`. Zone
    /// sizes are not checked here: they depend on what else is removed, which the cleaner
    /// decides.
    pub fn matches(&self, line: &str, side: Side, scratch: &mut Scratch, out: &mut Vec<LineMatch>) {
        let matchers = &self.sides[side.index()];
        // Whether the line has at most `limit` characters: it has at most as many as bytes, so
        // most lines are settled without counting.
        let count = std::cell::OnceCell::new();
        let within =
            |limit: usize| line.len() <= limit || *count.get_or_init(|| char_count(line)) <= limit;
        let fits = |rule: usize| self.rules[rule].max_len.is_none_or(within);
        // The folded form of an ASCII byte is its ASCII lowercase.
        let may_be_whole_line = match line.as_bytes().first() {
            Some(&b) if b.is_ascii() && line.len() < 128 => {
                matchers.whole_line_starts[line.len()] & (1 << b.to_ascii_lowercase()) != 0
            }
            _ => true,
        };
        if line.len() <= matchers.whole_line_bytes && may_be_whole_line {
            fold_into(line, &mut scratch.folded);
            for lit in matchers
                .whole_lines
                .get(scratch.folded.as_str())
                .into_iter()
                .flatten()
            {
                if fits(lit.rule) && (!self.rules[lit.rule].case_sensitive || line == &*lit.phrase)
                {
                    out.push(LineMatch {
                        rule: lit.rule,
                        start: 0,
                        end: line.len(),
                    });
                }
            }
        }
        if let Some(ac) = &matchers.automaton {
            if within(matchers.literal_limit) {
                fold_into(line, &mut scratch.folded);
                for m in ac.find_overlapping_iter(scratch.folded.as_str()) {
                    let (start, end) = (m.start(), m.end());
                    for lit in &matchers.literals[m.pattern().as_usize()] {
                        let rule = &self.rules[lit.rule];
                        let placed = match rule.mode {
                            MatchMode::Line => start == 0 && end == line.len(),
                            MatchMode::Starts => start == 0,
                            MatchMode::Ends => end == line.len(),
                            MatchMode::Contains => true,
                        };
                        if placed
                            && fits(lit.rule)
                            && (!lit.word_start || !word_char_before(line, start))
                            && (!lit.word_end || !word_char_after(line, end))
                            && (!rule.case_sensitive || line[start..end] == *lit.phrase)
                        {
                            out.push(LineMatch {
                                rule: lit.rule,
                                start,
                                end,
                            });
                        }
                    }
                }
            }
        }
        for (slot, group) in [&matchers.anchored, &matchers.floating]
            .into_iter()
            .enumerate()
        {
            let Some(group) = group.as_ref().filter(|g| within(g.limit)) else {
                continue;
            };
            if group
                .ends
                .as_ref()
                .is_some_and(|e| !e.admits(line.as_bytes()))
            {
                continue;
            }
            let input = Input::new(line);
            let cache = scratch.cache(self.id, side.index(), slot, group);
            // Most lines match no regex: a plain yes/no search stops at the first byte that no
            // pattern can take, where collecting every matching pattern does not.
            if !group.set.is_match_with(cache, &input) {
                continue;
            }
            // Few lines match: the set of patterns is made for each.
            let mut found = PatternSet::new(group.set.pattern_len());
            group
                .set
                .which_overlapping_matches_with(cache, &input, &mut found);
            for pattern in found.iter() {
                let rule = group.rules[pattern.as_usize()];
                if !fits(rule) {
                    continue;
                }
                let (start, end) = match self.rules[rule].action {
                    Action::StripPrefix | Action::StripSuffix => {
                        let (pattern, cell) = self.span_regexes[rule].as_ref().expect("regex rule");
                        // The set compiled this pattern, so it compiles here too.
                        let re =
                            cell.get_or_init(|| Regex::new(pattern).expect("compiled in the set"));
                        match re.find(line) {
                            Some(m) => (m.start(), m.end()),
                            None => continue,
                        }
                    }
                    _ => (0, line.len()),
                };
                out.push(LineMatch { rule, start, end });
            }
        }
    }

    /// Every rule match on `line`, whatever the side (each rule once).
    pub fn all_matches(&self, line: &str, scratch: &mut Scratch, out: &mut Vec<LineMatch>) {
        self.matches(line, Side::Any, scratch, out);
        self.matches(line, Side::Head, scratch, out);
        let from = out.len();
        self.matches(line, Side::Tail, scratch, out);
        // Edges rules are in both the head and the tail side.
        let mut tail: Vec<LineMatch> = out.drain(from..).collect();
        tail.retain(|m| !matches!(self.rules[m.rule].zone, Zone::Edges(_)));
        out.extend(tail);
    }
}

/// The group of `patterns` (of `rules`, indices into `all`); `anchored` when each must match at
/// the start of a line.
fn regex_group(
    (patterns, rules, limit): (Vec<String>, Vec<usize>, usize),
    all: &[Rule],
    anchored: bool,
) -> Result<Option<RegexGroup>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    // What `regex::RegexSetBuilder` configures, with this module's size limit.
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::All)
        .utf8_empty(true)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(REGEX_SET_SIZE_LIMIT))
        .hybrid_cache_capacity(2 << 20);
    let syntax = syntax::Config::new().utf8(true);
    let mut builder = meta::Builder::new();
    builder.configure(config).syntax(syntax);
    // Parsed once, for the set and for its table of line ends. A pattern that does not parse
    // fails the set's own build, with its message.
    let hirs = syntax::parse_many_with(&patterns, &syntax);
    let built = match &hirs {
        Ok(hirs) => builder.build_many_from_hir(hirs),
        Err(_) => builder.build_many(&patterns),
    };
    let set = built.map_err(|e| {
        // Each regex passed its own limit when its file was loaded: together they are too
        // big. Name them, so the user knows what to simplify or disable.
        let ids: Vec<&str> = rules.iter().map(|&r| all[r].id.as_str()).collect();
        Error::Build(format!(
            "the regexes of rules {} together are too big to compile ({e}); simplify them or \
             disable some",
            ids.join(", ")
        ))
    })?;
    let ends = match &hirs {
        Ok(hirs) if anchored => {
            let whole = rules.iter().map(|&r| all[r].mode == MatchMode::Line);
            Some(LineEnds::new(hirs.iter().zip(whole)))
        }
        _ => None,
    };
    Ok(Some(RegexGroup {
        set,
        rules,
        limit,
        ends,
    }))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_char_before(line: &str, at: usize) -> bool {
    line[..at].chars().next_back().is_some_and(is_word_char)
}

fn word_char_after(line: &str, at: usize) -> bool {
    line[at..].chars().next().is_some_and(is_word_char)
}

fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Case-fold `text` into `out` without changing any character's UTF-8 length, so that byte
/// offsets carry over. Characters whose lowercase form has another length stay as they are.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    out.reserve(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::parse_set;

    fn set(toml: &str) -> RuleSet {
        RuleSet::new(parse_set(toml, "t.toml", "t").unwrap().rules).unwrap()
    }

    fn hits(rs: &RuleSet, line: &str) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        rs.all_matches(line, &mut Scratch::default(), &mut out);
        out.into_iter()
            .map(|m| (rs.rules()[m.rule].id.clone(), m.start, m.end))
            .collect()
    }

    const RULES: &str = r#"
[[rule]]
id = "L"
why = "w"
phrases = ["leave a reply"]
match = "line"
action = "cut-tail"
remove = ["Leave a Reply"]

[[rule]]
id = "S"
why = "w"
phrases = ["À lire aussi"]
match = "starts"
action = "drop"
remove = ["À lire aussi : x"]

[[rule]]
id = "C"
why = "w"
phrases = ["share"]
match = "contains"
max_len = 20
action = "drop"
remove = ["please share this"]

[[rule]]
id = "CS"
why = "w"
phrases = ["US"]
match = "line"
case_sensitive = true
action = "drop"
remove = ["US"]

[[rule]]
id = "R"
why = "w"
regex = 'date \d{4}-\d{2}-\d{2}'
match = "starts"
action = "strip-prefix"
remove = ["date 2021-10-07 After"]
"#;

    #[test]
    fn match_table() {
        let rs = set(RULES);
        let cases: &[(&str, &[&str])] = &[
            ("Leave a Reply", &["L"]),
            ("LEAVE A REPLY", &["L"]),
            ("Leave a Reply now", &[]),
            ("À LIRE AUSSI : Le budget", &["S"]),
            ("à lire aussi", &["S"]),
            ("please share this", &["C"]),
            ("sharecropper", &[]),
            ("we share this long line with many words", &[]),
            ("US", &["CS"]),
            ("us", &[]),
            ("date 2021-10-07 After the talks", &["R"]),
            ("Update 2021-10-07", &[]),
        ];
        for (line, want) in cases {
            let got: Vec<String> = hits(&rs, line).into_iter().map(|h| h.0).collect();
            assert_eq!(&got, want, "line {line:?}");
        }
        assert_eq!(hits(&rs, "date 2021-10-07 After")[0].2, 15);
    }

    #[test]
    fn fold_keeps_byte_offsets() {
        let mut out = String::new();
        for text in [
            "ÀÉÎÕÜ straße ΣΑΣ İstanbul K",
            "plain ASCII",
            "Ärger über Öl",
        ] {
            fold_into(text, &mut out);
            assert_eq!(out.len(), text.len(), "{text}");
        }
        fold_into("ÀÉÎ ÄÖÜ", &mut out);
        assert_eq!(out, "àéî äöü");
    }

    /// Every default rule, its examples, and lines near them: each example with a character
    /// more or less at either end and in either case, and the lines of the bundled corpus.
    fn default_rules_and_probes() -> (Vec<Rule>, Vec<String>) {
        let rules: Vec<Rule> = crate::rule::default_sets()
            .into_iter()
            .flat_map(|set| set.rules)
            .collect();
        let mut lines = Vec::new();
        for example in rules.iter().flat_map(|r| r.remove.iter().chain(&r.keep)) {
            let mut chars = example.chars();
            chars.next();
            let tail = chars.as_str().to_string();
            let mut chars = example.chars();
            chars.next_back();
            let head = chars.as_str().to_string();
            lines.extend([
                example.clone(),
                tail,
                head,
                format!("x{example}"),
                format!("{example}."),
                example.to_uppercase(),
                example.to_lowercase(),
            ]);
        }
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/input");
        for entry in std::fs::read_dir(corpus).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        lines.retain(|l| !l.is_empty());
        (rules, lines)
    }

    #[test]
    fn line_ends_turn_away_no_line_an_anchored_set_matches() {
        let (rules, lines) = default_rules_and_probes();
        let rs = RuleSet::new(rules).unwrap();
        let (mut matched, mut turned_away) = (0, 0);
        for matchers in &rs.sides {
            let Some(group) = &matchers.anchored else {
                continue;
            };
            let ends = group.ends.as_ref().expect("an anchored group has a table");
            let mut cache = group.set.create_cache();
            for line in &lines {
                let admitted = ends.admits(line.as_bytes());
                turned_away += usize::from(!admitted);
                if group
                    .set
                    .is_match_with(&mut cache, &Input::new(line.as_str()))
                {
                    assert!(admitted, "{line:?} matches but is turned away");
                    matched += 1;
                }
            }
        }
        // The probe reaches many matching lines, and the table does turn lines away.
        assert!(matched > 100, "{matched}");
        assert!(
            turned_away > lines.len(),
            "{turned_away} of {}",
            lines.len()
        );
    }

    /// `hir` with its zero-width assertions taken out, for generating strings from it.
    fn without_looks(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
        use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
        match hir.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Repetition(r) => Hir::repetition(Repetition {
                sub: Box::new(without_looks(&r.sub)),
                ..r.clone()
            }),
            HirKind::Capture(c) => Hir::capture(Capture {
                sub: Box::new(without_looks(&c.sub)),
                ..c.clone()
            }),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_looks).collect()),
            HirKind::Alternation(subs) => {
                Hir::alternation(subs.iter().map(without_looks).collect())
            }
            _ => hir.clone(),
        }
    }

    #[test]
    fn line_ends_admit_strings_generated_from_each_anchored_pattern() {
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::TestRunner;
        let (rules, _) = default_rules_and_probes();
        let mut runner = TestRunner::deterministic();
        let mut tried = 0;
        for rule in &rules {
            let Matcher::Regex(re) = &rule.matcher else {
                continue;
            };
            let flags = if rule.case_sensitive { "" } else { "(?i)" };
            let (pattern, whole) = match rule.mode {
                MatchMode::Line => (format!("{flags}^(?:{re})$"), true),
                MatchMode::Starts => (format!("{flags}^(?:{re})"), false),
                _ => continue,
            };
            let hir = syntax::parse_with(&pattern, &syntax::Config::new().utf8(true)).unwrap();
            let ends = LineEnds::new([(&hir, whole)]);
            let regex = Regex::new(&pattern).unwrap();
            let strings = proptest::string::string_regex_parsed(&without_looks(&hir)).unwrap();
            for _ in 0..300 {
                let line = strings.new_tree(&mut runner).unwrap().current();
                if regex.is_match(&line) {
                    assert!(ends.admits(line.as_bytes()), "{}: {line:?}", rule.id);
                    tried += 1;
                }
            }
        }
        assert!(tried > 1000, "{tried}");
    }
}
