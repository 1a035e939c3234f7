//! Rules and the pattern-file format.
//!
//! A pattern set is a TOML file with a `[set]` header and a list of `[[rule]]` tables. Each rule
//! names a stable id, says why its matches are junk, gives a matcher (literal `phrases` or one
//! `regex`), where on the line it must match (`match`), what to do with a matching line
//! (`action`), where in the document it may fire (`zone`), and examples of lines it must remove
//! and prose it must keep. This module owns that format: parsing, defaults and validation. The
//! compiled form used for matching is private to the cleaner.
//!
//! The default sets in `patterns/` are embedded in the binary; see [`default_sets`].

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::PatternError;

/// Default line-length cap (in characters) for every rule but whole-line phrases (bounded by
/// their own length) and strip rules (which keep the rest of a line, however long).
pub const DEFAULT_MAX_LEN: usize = 200;
/// Default size of the head zone, in non-blank lines.
pub const DEFAULT_HEAD_LINES: usize = 10;
/// Default size of the tail zone, in non-blank lines.
pub const DEFAULT_TAIL_LINES: usize = 15;

/// The largest pattern file read, in bytes (16 MiB): parsing takes many times a file's size (a
/// 21 MB file took 1.9 GB before failing), so a larger one is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// The most rules one pattern file may hold.
pub const MAX_RULES: usize = 50_000;
/// The most literal phrases one pattern file may hold, over all its rules (3 million took
/// 1.6 GB to compile).
pub const MAX_PHRASES: usize = 500_000;

/// Where on a line a matcher must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// The matcher covers the whole (trimmed) line.
    Line,
    /// The line starts with the matcher.
    Starts,
    /// The line ends with the matcher.
    Ends,
    /// The matcher occurs anywhere in the line (bounded by `max_len`).
    Contains,
}

/// What to do with a line a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Remove the line.
    Drop,
    /// Remove the line and everything after it (a tail marker such as "Leave a Reply").
    CutTail,
    /// Remove the line and everything before it (the last line of a header block).
    CutHead,
    /// Remove the matched text at the start of the line and keep the rest.
    StripPrefix,
    /// Remove the matched text at the end of the line and keep the rest.
    StripSuffix,
}

impl Action {
    /// When several rules match one line, the strongest action wins.
    pub(crate) fn strength(self) -> u8 {
        match self {
            Action::CutTail => 4,
            Action::CutHead => 3,
            Action::Drop => 2,
            Action::StripPrefix | Action::StripSuffix => 1,
        }
    }

    /// Whether the action cuts off a head or a tail of the document.
    pub(crate) fn is_cut(self) -> bool {
        matches!(self, Action::CutTail | Action::CutHead)
    }

    /// The kebab-case name used in pattern files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Drop => "drop",
            Action::CutTail => "cut-tail",
            Action::CutHead => "cut-head",
            Action::StripPrefix => "strip-prefix",
            Action::StripSuffix => "strip-suffix",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a document a rule may fire, counted in kept non-blank lines (lines removed above a
/// line do not push it out of the head zone, so a second run sees the same zones). The head zone
/// also ends at the first kept prose paragraph. Serialized as `any`, `head:N`, `tail:N`,
/// `edges:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Anywhere.
    Any,
    /// Only within the first N non-blank lines.
    Head(usize),
    /// Only within the last N non-blank lines.
    Tail(usize),
    /// Within the first N or the last N non-blank lines.
    Edges(usize),
}

impl Zone {
    /// Whether kept non-blank line `index` (0-based) of `count` is in this zone (ignoring the
    /// prose end of the head zone, which the cleaner applies).
    pub fn contains(self, index: usize, count: usize) -> bool {
        self.admits_from_head(index) || self.admits_from_tail(count - index - 1)
    }

    /// Whether the top-down sweep may apply the rule to a line with `kept` kept non-blank lines
    /// above it. Rules for anywhere are applied top-down.
    pub(crate) fn admits_from_head(self, kept: usize) -> bool {
        match self {
            Zone::Any => true,
            Zone::Head(n) | Zone::Edges(n) => kept < n,
            Zone::Tail(_) => false,
        }
    }

    /// Whether the bottom-up sweep may apply the rule to a line with `kept` kept non-blank lines
    /// below it.
    pub(crate) fn admits_from_tail(self, kept: usize) -> bool {
        match self {
            Zone::Tail(n) | Zone::Edges(n) => kept < n,
            Zone::Any | Zone::Head(_) => false,
        }
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Any => f.write_str("any"),
            Zone::Head(n) => write!(f, "head:{n}"),
            Zone::Tail(n) => write!(f, "tail:{n}"),
            Zone::Edges(n) => write!(f, "edges:{n}"),
        }
    }
}

/// The matcher of a rule: literal phrases (one Aho-Corasick automaton for all rules) or a regex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matcher {
    /// Any of these literal phrases.
    Phrases(Vec<String>),
    /// A regular expression (Rust `regex` syntax).
    Regex(String),
}

/// One validated rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Stable id, unique across all active sets (e.g. `WP003`).
    pub id: String,
    /// Short kebab-case name (e.g. `leave-a-reply`).
    pub name: String,
    /// Name of the set the rule comes from.
    pub set: String,
    /// Why the matched text is junk.
    pub why: String,
    /// What to look for.
    pub matcher: Matcher,
    /// Where on the line it must match.
    #[serde(rename = "match")]
    pub mode: MatchMode,
    /// Whether matching is case-sensitive (default: not; folding is Unicode-aware).
    pub case_sensitive: bool,
    /// What to do with a matching line.
    pub action: Action,
    /// Where in the document the rule may fire.
    pub zone: Zone,
    /// Longest line (in characters) the rule may fire on; `None` for no limit.
    pub max_len: Option<usize>,
    /// Lines the rule must remove (each is tested as a one-line document).
    pub remove: Vec<String>,
    /// Prose the default cleaner must keep unchanged (each is tested as a one-line document).
    pub keep: Vec<String>,
}

/// A named group of rules, as loaded from one file.
#[derive(Debug, Clone, Serialize)]
pub struct PatternSet {
    /// Set name (defaults to the file stem).
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Where the set came from: a file path, or `<default>/NAME.toml` for embedded sets.
    pub source: String,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    set: Option<RawSetHeader>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSetHeader {
    name: Option<String>,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    name: Option<String>,
    why: String,
    phrases: Option<Vec<String>>,
    regex: Option<String>,
    #[serde(rename = "match")]
    mode: MatchMode,
    #[serde(default)]
    case_sensitive: bool,
    action: Action,
    #[serde(default)]
    zone: RawZone,
    zone_lines: Option<usize>,
    max_len: Option<usize>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    keep: Vec<String>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum RawZone {
    #[default]
    Any,
    Head,
    Tail,
    Edges,
}

/// The pattern sets compiled into the binary, in load order.
pub(crate) const DEFAULT_SET_FILES: &[(&str, &str)] = &[
    (
        "10-site-chrome.toml",
        include_str!("../patterns/10-site-chrome.toml"),
    ),
    (
        "20-gov-banner.toml",
        include_str!("../patterns/20-gov-banner.toml"),
    ),
    (
        "30-blog-tail.toml",
        include_str!("../patterns/30-blog-tail.toml"),
    ),
    ("40-legal.toml", include_str!("../patterns/40-legal.toml")),
    (
        "50-newswire.toml",
        include_str!("../patterns/50-newswire.toml"),
    ),
    ("60-social.toml", include_str!("../patterns/60-social.toml")),
    (
        "70-metadata.toml",
        include_str!("../patterns/70-metadata.toml"),
    ),
    (
        "80-non-english.toml",
        include_str!("../patterns/80-non-english.toml"),
    ),
    (
        "90-page-tools.toml",
        include_str!("../patterns/90-page-tools.toml"),
    ),
    (
        "92-blog-engines.toml",
        include_str!("../patterns/92-blog-engines.toml"),
    ),
    (
        "95-inline-code.toml",
        include_str!("../patterns/95-inline-code.toml"),
    ),
];

/// Parse the embedded default pattern sets.
///
/// # Panics
/// Never in a released binary: the embedded sets are validated by the test suite.
pub fn default_sets() -> Vec<PatternSet> {
    DEFAULT_SET_FILES
        .iter()
        .map(|(file, text)| {
            parse(
                text,
                &format!("<default>/{file}"),
                set_name_from_file(file),
                false,
            )
            .expect("embedded default pattern set is valid")
        })
        .collect()
}

/// The set name for a file when the file gives none: the stem without a numeric prefix
/// (`30-blog-tail.toml` → `blog-tail`).
fn set_name_from_file(file: &str) -> &str {
    let stem = file.strip_suffix(".toml").unwrap_or(file);
    match stem.split_once('-') {
        Some((prefix, rest)) if prefix.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => stem,
    }
}

/// Load every pattern file named by `path`: the file itself, or all `*.toml` files directly in
/// a directory, sorted by name.
pub fn load_path(path: &Path) -> Result<Vec<PatternSet>, PatternError> {
    let io_err = |e: std::io::Error| PatternError::new(path.display().to_string(), e.to_string());
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io_err)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml") && p.is_file())
            .collect();
        files.sort();
        files.iter().map(|f| load_file(f)).collect()
    } else {
        Ok(vec![load_file(path)?])
    }
}

fn load_file(path: &Path) -> Result<PatternSet, PatternError> {
    use std::io::Read as _;
    let source = path.display().to_string();
    let io_err = |e: std::io::Error| PatternError::new(source.clone(), e.to_string());
    let file = std::fs::File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_big(&source, size));
    }
    // Read no further than the limit, should the file grow meanwhile.
    let mut text = String::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(io_err)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_set(&text, &source, set_name_from_file(&file_name))
}

/// Parse and validate one pattern file's text. `source` names it in errors; `default_name` is
/// the set name used when the file has no `[set] name`.
pub fn parse_set(text: &str, source: &str, default_name: &str) -> Result<PatternSet, PatternError> {
    parse(text, source, default_name, true)
}

/// The error for a pattern file of `size` bytes, over [`MAX_FILE_BYTES`].
fn too_big(source: &str, size: u64) -> PatternError {
    PatternError::new(
        source,
        format!(
            "the file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes (16 MiB) for a \
             pattern file"
        ),
    )
}

/// `compile_regexes` is false only for the embedded sets, whose regexes the test suite compiles
/// (`default_sets_validate`); compiling them again at every start-up would double its cost.
fn parse(
    text: &str,
    source: &str,
    default_name: &str,
    compile_regexes: bool,
) -> Result<PatternSet, PatternError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(source, text.len() as u64));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        PatternError::new(source, e.message().to_string()).at_line(line)
    })?;
    if raw.rule.len() > MAX_RULES {
        return Err(PatternError::new(
            source,
            format!(
                "{} rules, over the limit of {MAX_RULES} rules for a pattern file",
                raw.rule.len()
            ),
        ));
    }
    let phrases: usize = (raw.rule.iter())
        .map(|rule| rule.get_ref().phrases.as_ref().map_or(0, Vec::len))
        .sum();
    if phrases > MAX_PHRASES {
        return Err(PatternError::new(
            source,
            format!(
                "{phrases} phrases, over the limit of {MAX_PHRASES} phrases for a pattern file"
            ),
        ));
    }
    let header = raw.set.unwrap_or(RawSetHeader {
        name: None,
        description: String::new(),
    });
    let set_name = header.name.unwrap_or_else(|| default_name.to_string());
    let mut rules = Vec::with_capacity(raw.rule.len());
    // Rules come in file order, so each line number counts on from the previous one: a file of
    // thousands of rules (mined ones) is read in linear time.
    let (mut counted_to, mut counted_line) = (0, 1);
    let mut ids = std::collections::HashSet::new();
    for spanned in raw.rule {
        let start = spanned.span().start.max(counted_to);
        counted_line += line_of(&text[counted_to..], start - counted_to) - 1;
        counted_to = start;
        let line = counted_line;
        let raw_rule = spanned.into_inner();
        let id = raw_rule.id.clone();
        let rule = validate_rule(raw_rule, &set_name, compile_regexes).map_err(|message| {
            PatternError::new(source, message)
                .at_line(Some(line))
                .for_rule(&id)
        })?;
        if !ids.insert(rule.id.clone()) {
            return Err(PatternError::new(source, "duplicate rule id")
                .at_line(Some(line))
                .for_rule(&rule.id));
        }
        rules.push(rule);
    }
    Ok(PatternSet {
        name: set_name,
        description: header.description,
        source: source.to_string(),
        rules,
    })
}

fn validate_rule(raw: RawRule, set: &str, compile_regexes: bool) -> Result<Rule, String> {
    if raw.id.trim().is_empty() || raw.id.chars().any(char::is_whitespace) {
        return Err("rule id must be non-empty and contain no spaces".into());
    }
    if raw.why.trim().is_empty() {
        return Err("`why` must say why the matched text is junk".into());
    }
    let matcher = match (raw.phrases, raw.regex) {
        (Some(_), Some(_)) => return Err("give either `phrases` or `regex`, not both".into()),
        (None, None) => return Err("give `phrases` or `regex`".into()),
        (Some(phrases), None) => {
            if phrases.is_empty() {
                return Err("`phrases` is empty".into());
            }
            for phrase in &phrases {
                if phrase.trim().is_empty() {
                    return Err("empty phrase".into());
                }
                if phrase.trim() != phrase {
                    return Err(format!(
                        "phrase {phrase:?} has leading or trailing spaces (lines are trimmed)"
                    ));
                }
                if phrase.contains('\n') || phrase.contains('\r') {
                    return Err(format!("phrase {phrase:?} spans lines"));
                }
            }
            Matcher::Phrases(phrases)
        }
        (None, Some(regex)) if !compile_regexes => Matcher::Regex(regex),
        (None, Some(regex)) => {
            let compiled = regex::RegexBuilder::new(&regex)
                .size_limit(crate::ruleset::REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| format!("bad regex: {e}{}", regex_hint(&e)))?;
            if compiled.is_match("") {
                return Err(format!("regex {regex:?} matches the empty string"));
            }
            // A match of no characters somewhere on a line (`\b`, `x?\b`) needs none of the
            // rule's text, so the rule would fire on nearly every line: `contains` dropped every
            // short line.
            let hir = regex_syntax::Parser::new()
                .parse(&regex)
                .map_err(|e| format!("bad regex: {e}"))?;
            if hir.properties().minimum_len() == Some(0) {
                return Err(format!(
                    "regex {regex:?} can match an empty span (a position such as `\\b`, or an \
                     optional or repeated part with nothing around it), so it would fire on \
                     lines that hold none of its text; make every match take at least one \
                     character"
                ));
            }
            Matcher::Regex(regex)
        }
    };
    let strip = matches!(raw.action, Action::StripPrefix | Action::StripSuffix);
    match (raw.action, raw.mode) {
        (Action::StripPrefix, MatchMode::Starts) | (Action::StripSuffix, MatchMode::Ends) => {}
        (Action::StripPrefix, _) => return Err("strip-prefix needs match = \"starts\"".into()),
        (Action::StripSuffix, _) => return Err("strip-suffix needs match = \"ends\"".into()),
        _ => {}
    }
    let zone = match (raw.zone, raw.zone_lines) {
        (RawZone::Any, None) => Zone::Any,
        (RawZone::Any, Some(_)) => {
            return Err("`zone_lines` needs zone = head, tail or edges".into())
        }
        (RawZone::Head, n) => Zone::Head(n.unwrap_or(DEFAULT_HEAD_LINES)),
        (RawZone::Tail, n) => Zone::Tail(n.unwrap_or(DEFAULT_TAIL_LINES)),
        (RawZone::Edges, n) => Zone::Edges(n.unwrap_or(DEFAULT_HEAD_LINES)),
    };
    if matches!(zone, Zone::Head(0) | Zone::Tail(0) | Zone::Edges(0)) {
        return Err("`zone_lines` must be at least 1".into());
    }
    let max_len = match (raw.mode, &matcher, raw.max_len) {
        (_, _, Some(0)) => return Err("`max_len` must be at least 1".into()),
        (_, _, Some(n)) => Some(n),
        // A whole-line phrase is bounded by its own length.
        (MatchMode::Line, Matcher::Phrases(_), None) => None,
        // A strip keeps the rest of the line, so a long line is no reason not to strip.
        (_, _, None) if strip => None,
        // Junk lines are short; the bound also lets long paragraphs skip matching altogether.
        (_, _, None) => Some(DEFAULT_MAX_LEN),
    };
    if raw.remove.is_empty() {
        return Err("give at least one `remove` example".into());
    }
    Ok(Rule {
        name: raw.name.unwrap_or_else(|| raw.id.to_lowercase()),
        id: raw.id,
        set: set.to_string(),
        why: raw.why.trim().to_string(),
        matcher,
        mode: raw.mode,
        case_sensitive: raw.case_sensitive,
        action: raw.action,
        zone,
        max_len,
        remove: raw.remove,
        keep: raw.keep,
    })
}

/// What to do about a regex the `regex` crate refuses, beyond its own message.
fn regex_hint(err: &regex::Error) -> &'static str {
    let text = err.to_string();
    if matches!(err, regex::Error::CompiledTooBig(_)) {
        "\n(the limit keeps one pattern from exhausting memory; simplify it, e.g. smaller \
         repetition counts, or split it into several rules)"
    } else if text.contains("look-around") || text.contains("backreferences") {
        "\n(boilerstrip's regexes run in linear time, which rules out look-around and \
         backreferences; anchor with `match = \"starts\"`, `\"ends\"` or `\"line\"`, or \
         list the variants as `phrases`)"
    } else {
        ""
    }
}

/// 1-based line number of byte offset `pos` in `text`.
fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PatternSet, PatternError> {
        parse_set(text, "test.toml", "test")
    }

    const GOOD: &str = r#"
[set]
name = "demo"
description = "demo set"

[[rule]]
id = "D001"
name = "source-link"
why = "autoblog footer"
phrases = ["Source link"]
match = "line"
action = "cut-tail"
zone = "tail"
remove = ["Source link"]
keep = ["The source link was broken."]
"#;

    #[test]
    fn parses_a_good_file() {
        let set = parse(GOOD).unwrap();
        assert_eq!(set.name, "demo");
        let rule = &set.rules[0];
        assert_eq!(rule.id, "D001");
        assert_eq!(rule.zone, Zone::Tail(DEFAULT_TAIL_LINES));
        assert_eq!(rule.action, Action::CutTail);
        assert_eq!(rule.max_len, None);
    }

    #[test]
    fn default_sets_validate() {
        for (file, text) in DEFAULT_SET_FILES {
            if let Err(err) = parse_set(text, file, set_name_from_file(file)) {
                panic!("{err}");
            }
        }
    }

    #[test]
    fn default_sets_parse() {
        let sets = default_sets();
        assert_eq!(sets.len(), DEFAULT_SET_FILES.len());
        assert!(sets.iter().all(|s| !s.rules.is_empty()));
    }

    #[test]
    fn set_name_drops_numeric_prefix() {
        assert_eq!(set_name_from_file("30-blog-tail.toml"), "blog-tail");
        assert_eq!(set_name_from_file("mine.toml"), "mine");
        assert_eq!(set_name_from_file("my-rules.toml"), "my-rules");
    }

    /// Each bad file is rejected with the line of the offending rule and its id.
    #[test]
    fn rejects_bad_files_with_line_and_id() {
        let rule = |body: &str| {
            format!("[[rule]]\nid = \"X1\"\nwhy = \"w\"\nmatch = \"line\"\naction = \"drop\"\nremove = [\"a\"]\n{body}\n")
        };
        let cases: &[(String, &str, Option<usize>, Option<&str>)] = &[
            ("[[rule]\n".into(), "", Some(1), None),
            (
                rule("phrases = [\"a\"]\ncolour = 1"),
                "unknown field",
                Some(8),
                None,
            ),
            (rule("regex = \"(\""), "bad regex", Some(1), Some("X1")),
            (
                rule("regex = \"a*\""),
                "matches the empty string",
                Some(1),
                Some("X1"),
            ),
            (
                rule("regex = \"\\\\b\""),
                "can match an empty span",
                Some(1),
                Some("X1"),
            ),
            (
                rule("regex = \"x?\\\\b\""),
                "can match an empty span",
                Some(1),
                Some("X1"),
            ),
            (
                rule("phrases = [\"\"]"),
                "empty phrase",
                Some(1),
                Some("X1"),
            ),
            (
                rule("phrases = []"),
                "`phrases` is empty",
                Some(1),
                Some("X1"),
            ),
            (
                format!(
                    "{}\n{}",
                    rule("phrases = [\"a\"]"),
                    rule("phrases = [\"b\"]")
                ),
                "duplicate rule id",
                Some(9),
                Some("X1"),
            ),
        ];
        for (text, needle, line, id) in cases {
            let err = parse(text).expect_err(text);
            assert!(
                err.message.contains(needle),
                "{err} should mention {needle:?}"
            );
            assert_eq!(err.line, *line, "{err}");
            assert_eq!(err.rule_id.as_deref(), *id, "{err}");
        }
    }

    /// Regression: line numbers are counted on from one rule to the next (a mined file of
    /// thousands of rules took seconds to load when each was counted from the file's start),
    /// and still name the line of the offending rule.
    #[test]
    fn later_rules_get_their_own_line_numbers() {
        let rule = |id: &str, matcher: &str| {
            format!("[[rule]]\nid = \"{id}\"\nwhy = \"w\"\nmatch = \"line\"\naction = \"drop\"\nremove = [\"a\"]\n{matcher}\n")
        };
        let mut text = String::new();
        for n in 0..2000 {
            text.push_str(&rule(&format!("R{n}"), "phrases = [\"a\"]"));
            text.push('\n');
        }
        text.push_str(&rule("BAD", "regex = \"(\""));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(2000 * 8 + 1), "{err}");
        assert_eq!(err.rule_id.as_deref(), Some("BAD"));
    }

    #[test]
    fn zone_membership() {
        assert!(Zone::Head(2).contains(1, 10));
        assert!(!Zone::Head(2).contains(2, 10));
        assert!(Zone::Tail(2).contains(8, 10));
        assert!(!Zone::Tail(2).contains(7, 10));
        assert!(Zone::Any.contains(5, 10));
        assert!(Zone::Edges(2).contains(0, 10) && Zone::Edges(2).contains(9, 10));
        assert!(!Zone::Edges(2).contains(5, 10));
    }
}
