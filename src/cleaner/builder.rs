//! The options of a [`Cleaner`] and their validation: which sets, rules and passes are active
//! (a disabled name must name something), the cleaner's own settings, and the compiled
//! [`Cleaner`] that `build` makes of them.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::{side_bit, Cleaner, PassIds, SetSummary};
use crate::comments::{CommentOptions, COMMENTS};
use crate::error::Error;
use crate::model::{InputKind, Model};
use crate::passes::{CLASSIFY, DEDUPE, LEARN, REJOIN};
use crate::rule::{self, Action, PatternSet, Rule};
use crate::ruleset::{RuleSet, Side};

/// Options for a [`Cleaner`].
#[derive(Debug, Clone)]
pub struct CleanerBuilder {
    default_sets: bool,
    extra: Vec<PatternSet>,
    disabled: Vec<String>,
    fold_punctuation: bool,
    hit_texts: bool,
    input_kind: InputKind,
    model: Option<Arc<Model>>,
    keep_threshold: Option<f32>,
    explain: bool,
    comments: CommentOptions,
}

impl Cleaner {
    /// Start from the default sets and change what you need.
    ///
    /// # Example
    /// ```
    /// let cleaner = boilerstrip::Cleaner::builder()
    ///     .patterns_str("[[rule]]\nid = \"MY1\"\nwhy = \"our site's footer\"\nphrases = [\"Powered by Foo\"]\nmatch = \"line\"\naction = \"drop\"\nremove = [\"Powered by Foo\"]\n", "mine")
    ///     .unwrap()
    ///     .disable("REJOIN")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(cleaner.clean("Text.\nPowered by Foo\n").text, "Text.\n");
    /// ```
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder {
            default_sets: true,
            extra: Vec::new(),
            disabled: Vec::new(),
            fold_punctuation: false,
            hit_texts: true,
            input_kind: InputKind::Auto,
            model: None,
            keep_threshold: None,
            explain: false,
            comments: CommentOptions::default(),
        }
    }
}

impl CleanerBuilder {
    /// Leave out the default sets (start empty).
    pub fn no_default_patterns(mut self) -> Self {
        self.default_sets = false;
        self
    }

    /// Add a parsed pattern set.
    pub fn pattern_set(mut self, set: PatternSet) -> Self {
        self.extra.push(set);
        self
    }

    /// Add the pattern file(s) at `path` (a file, or a directory of `*.toml`).
    pub fn patterns_path(mut self, path: &Path) -> Result<Self, Error> {
        self.extra.extend(rule::load_path(path)?);
        Ok(self)
    }

    /// Add a pattern set from TOML text; `name` is used when the text has no `[set] name`.
    pub fn patterns_str(mut self, toml: &str, name: &str) -> Result<Self, Error> {
        self.extra
            .push(rule::parse_set(toml, &format!("<{name}>"), name)?);
        Ok(self)
    }

    /// Disable a rule (by id or name), a whole set (by name) or a pass (`DEDUPE`, `LEARN`,
    /// `REJOIN`).
    pub fn disable(mut self, name: &str) -> Self {
        self.disabled.push(name.to_string());
        self
    }

    /// Fold typographic quotes and dashes to ASCII.
    pub fn fold_punctuation(mut self, yes: bool) -> Self {
        self.fold_punctuation = yes;
        self
    }

    /// Whether each [`Hit`](super::Hit) carries the text it removed, stripped or joined (the default).
    /// Without, every hit's `text` is empty and the rest is the same (rule, line, kind): enough
    /// to count what was done, and a copy and an allocation less for every removed line.
    ///
    /// # Example
    /// ```
    /// let cleaner = boilerstrip::Cleaner::builder().hit_texts(false).build().unwrap();
    /// let cleaned = cleaner.clean("Skip to content\n\nThe text.\n");
    /// assert_eq!(cleaned.text, "The text.\n");
    /// let hit = cleaned.hits.iter().next().unwrap();
    /// assert_eq!((hit.id.as_ref(), hit.text.as_str()), ("NAV001", ""));
    /// ```
    pub fn hit_texts(mut self, yes: bool) -> Self {
        self.hit_texts = yes;
        self
    }

    /// Say what kind of text the documents are, which decides how sure the line model must be
    /// to remove a line: [`InputKind::Auto`] (the default) lets the model's kind model decide
    /// per document; [`InputKind::Article`] (text from an article extractor) removes only what
    /// the model is very sure of; [`InputKind::Page`] (a raw page dump) much more.
    pub fn input_kind(mut self, kind: InputKind) -> Self {
        self.input_kind = kind;
        self
    }

    /// Use `model` (made by `boilerstrip train`) instead of the built-in one.
    pub fn model(mut self, model: Model) -> Self {
        self.model = Some(Arc::new(model));
        self
    }

    /// Remove the lines (units of lines, see [`Model`](crate::Model)) whose probability of being
    /// content is under `threshold`, instead of under the model's own threshold for the
    /// document's kind. Higher removes more.
    pub fn keep_threshold(mut self, threshold: f32) -> Self {
        self.keep_threshold = Some(threshold);
        self
    }

    /// Name, in each line-model hit's reason, the features that weighed most against the line
    /// (costs a second pass of the model over the document; for dry runs and reports).
    pub fn explain(mut self, yes: bool) -> Self {
        self.explain = yes;
        self
    }

    /// The comment-section pass's thresholds (see [`CommentOptions`]).
    pub fn comments(mut self, options: CommentOptions) -> Self {
        self.comments = options;
        self
    }

    /// Validate and compile.
    pub fn build(self) -> Result<Cleaner, Error> {
        let mut sets = if self.default_sets {
            rule::default_sets()
        } else {
            Vec::new()
        };
        sets.extend(self.extra);

        // A name may stand for several rules (two sets may both have `advertisement-label`);
        // every match is disabled, and a name that matched nothing is an error.
        let disabled: HashSet<&str> = self.disabled.iter().map(String::as_str).collect();
        let mut used: HashSet<&str> = HashSet::new();
        let mut known = |name: &str| match disabled.get(name) {
            Some(&name) => used.insert(name) | true,
            None => false,
        };
        let dedupe = !(known(DEDUPE.id) | known(DEDUPE.name));
        let rejoin = !(known(REJOIN.id) | known(REJOIN.name));
        let learn = !(known(LEARN.id) | known(LEARN.name));
        let classify = !(known(CLASSIFY.id) | known(CLASSIFY.name));
        let cut_comments = !(known(COMMENTS.id) | known(COMMENTS.name));

        let mut rules: Vec<Rule> = Vec::new();
        let mut origin: std::collections::HashMap<String, String> = Default::default();
        let mut summaries = Vec::new();
        for set in sets {
            let set_off = known(&set.name);
            let mut active = 0;
            for rule in set.rules {
                let rule_off = known(&rule.id) | known(&rule.name);
                if set_off || rule_off {
                    continue;
                }
                if let Some(first) = origin.get(&rule.id) {
                    return Err(Error::DuplicateId {
                        id: rule.id.clone(),
                        first: first.clone(),
                        second: set.source.clone(),
                    });
                }
                origin.insert(rule.id.clone(), set.source.clone());
                active += 1;
                rules.push(rule);
            }
            summaries.push(SetSummary {
                name: set.name,
                source: set.source,
                active_rules: active,
            });
        }
        if let Some(unknown) = disabled.difference(&used).min() {
            return Err(Error::UnknownName(unknown.to_string()));
        }
        let rule_ids = rules.iter().map(|r| Arc::from(r.id.as_str())).collect();
        let mut cut_sides = [0; 2];
        for rule in rules.iter().filter(|r| r.action.is_cut()) {
            let sides = Side::of(rule.zone).iter();
            cut_sides[usize::from(rule.action == Action::CutHead)] |=
                sides.fold(0, |bits, &side| bits | side_bit(side));
        }
        Ok(Cleaner {
            rules: RuleSet::new(rules)?,
            rule_ids,
            cut_sides,
            pass_ids: PassIds::default(),
            sets: summaries,
            dedupe,
            rejoin,
            learn,
            fold_punctuation: self.fold_punctuation,
            hit_texts: self.hit_texts,
            input_kind: self.input_kind,
            model: classify
                .then(|| self.model.or_else(Model::embedded))
                .flatten(),
            keep_threshold: self.keep_threshold,
            explain: self.explain,
            comments: cut_comments.then_some(self.comments),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;

    #[test]
    fn disabling_a_shared_name_disables_every_rule_with_it() {
        let cleaner = Cleaner::builder()
            .disable("advertisement-label")
            .build()
            .unwrap();
        assert!(cleaner
            .rules()
            .iter()
            .all(|r| r.name != "advertisement-label"));
        assert_eq!(
            cleaner.clean("Publicité\nAdvertisement\n").text,
            "Publicité\nAdvertisement\n"
        );
    }

    #[test]
    fn unknown_disable_is_an_error() {
        let err = Cleaner::builder().disable("NOPE").build().unwrap_err();
        assert!(err.to_string().contains("NOPE"));
    }
}
