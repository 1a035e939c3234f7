//! One round on a document: its state line by line (what is left of each), and the passes in
//! their order: the line model, the comment section, the cuts, the two sweeps, learned lines,
//! `REJOIN`; then the output assembled, with what the next round needs to know of each line.

use std::ops::Range;
use std::sync::Arc;

use super::*;
use crate::comments;
use crate::mine::LearnedLines;

/// What a round makes of a document: the cleaned text and the hits, and for each line of the
/// text, the input line it came from and what it is known not to be. (Where its lines end is
/// found again from the text, when the next round needs it: a round that holds its input's
/// line ends need not hold its output's too.)
pub(super) struct Round {
    pub(super) cleaned: Cleaned,
    pub(super) origin: Origin,
    pub(super) quiet: Vec<Quiet>,
}

/// What is left of a line while a round cleans it: all of it, nothing, or a text a strip or a
/// join made of it (in [`Document::made`]). Kept for every line in two bits of its quiet byte
/// (see [`Quiet`], which takes the four below them): one byte a line for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Left {
    Whole = 0,
    Removed = 1 << 4,
    Made = 2 << 4,
}

/// The bits of a line's quiet byte that hold what is left of it (see [`Left`]).
const LEFT: Quiet = 3 << 4;

impl Left {
    /// What is left of a line whose quiet byte is `quiet`.
    pub(super) fn of(quiet: Quiet) -> Left {
        match quiet & LEFT {
            0 => Left::Whole,
            bits if bits == Left::Removed as Quiet => Left::Removed,
            _ => Left::Made,
        }
    }

    /// `quiet` with what is left of its line set to `self`.
    fn set(self, quiet: &mut Quiet) {
        *quiet = (*quiet & !LEFT) | self as Quiet;
    }
}

/// What was left of a line that [`Document::take`] removed: all of it, or a text a strip or a
/// join made of it, at this span of [`Made`]'s buffer.
pub(super) enum Taken {
    Whole,
    Made(Range<usize>),
}

impl Taken {
    /// The text taken from a line whose whole text is `whole`, and whether it was made (by a
    /// strip or a join: the line had a hit before).
    pub(super) fn text<'a>(self, whole: &'a str, made: &'a Made) -> (&'a str, bool) {
        match self {
            Taken::Whole => (whole, false),
            Taken::Made(span) => (made.at(span), true),
        }
    }
}

/// The state of one document while it is cleaned.
pub(super) struct Document<'c, 't> {
    pub(super) cleaner: &'c Cleaner,
    /// Trimmed lines of the normalized input.
    pub(super) lines: Lines<'t>,
    /// What each line is known not to be (from the previous round, and found in this one), and
    /// what is left of it (see [`Left`]).
    pub(super) quiet: Vec<Quiet>,
    /// The texts that strips and joins made, by line (see [`Left::Made`]).
    pub(super) made: Made,
    /// Bytes of text kept, in all lines.
    pub(super) kept_bytes: usize,
    /// The matches on the line being decided (a reused buffer).
    pub(super) found: Vec<LineMatch>,
    pub(super) hits: Hits,
    /// What the line model made of the document.
    pub(super) note: Option<ModelNote>,
}

impl<'c, 't> Document<'c, 't> {
    pub(super) fn new(
        cleaner: &'c Cleaner,
        lines: Lines<'t>,
        mut quiet: Vec<Quiet>,
        spare: &mut Spare,
    ) -> Self {
        // The previous round's output lines are this round's lines, one for one, and then the
        // empty line after the last line end.
        debug_assert!(quiet.is_empty() || quiet.len() + 1 == lines.len());
        debug_assert!(quiet.iter().all(|&q| Left::of(q) == Left::Whole));
        quiet.resize(lines.len(), 0);
        Document {
            cleaner,
            lines,
            quiet,
            made: std::mem::take(&mut spare.made),
            kept_bytes: lines.bytes(),
            found: std::mem::take(&mut spare.found),
            hits: Hits::new(cleaner.hit_texts),
            note: None,
        }
    }

    /// The passes of a round, in their order, and what they decided, which no longer needs the
    /// lines (see [`Decided::assemble`]).
    pub(super) fn decide(mut self, learned: Option<&LearnedLines>, spare: &mut Spare) -> Decided {
        let judged = match spare.judged.take() {
            Some(judged) => judged,
            None => self.cleaner.judge(self.lines, &mut spare.memo),
        };
        self.classify(judged);
        self.cut_comments();
        with_scratch(|scratch| {
            self.cut(scratch);
            self.sweep_down(scratch);
            self.sweep_up(scratch);
        });
        if let Some(learned) = learned {
            let id = &self.cleaner.pass_ids.learn;
            for i in learned.matching(&self.lines.to_vec()) {
                self.remove(i, id);
            }
        }
        if self.cleaner.rejoin {
            self.rejoin();
        }
        self.hits.sort();
        self.into_decided(spare)
    }

    /// A round in which only `REJOIN` acts (see [`Cleaner::foresee`]): the rest of
    /// [`Self::decide`] would leave every line as it is. The text is then assembled, or written
    /// over the previous round's ([`Decided::write_over`]).
    pub(super) fn join(&mut self, plan: JoinPlan) {
        self.apply_joins(&plan.runs);
        self.hits.sort();
    }

    /// Whether the assembled text can be written over the text this round's lines are read
    /// from, which ends them at `ends`: each line kept whole is read before anything is written
    /// over it (it is moved no further than its own start), and the text gets no longer.
    pub(super) fn fits_over(&self, ends: &[u32]) -> bool {
        debug_assert_eq!(ends.len() + 1, self.lines.len());
        let (mut at, mut start, mut pending_blank) = (0, 0, false);
        for (i, line) in self.kept_lines().enumerate() {
            let next = ends.get(i).map_or(0, |&end| end as usize + 1);
            let line_start = std::mem::replace(&mut start, next);
            let Some(line) = line else { continue };
            if line.is_empty() {
                pending_blank = at > 0;
                continue;
            }
            at += usize::from(std::mem::take(&mut pending_blank));
            if self.left(i) == Left::Whole && at > line_start {
                return false;
            }
            at += line.len() + 1;
        }
        at <= ends.last().map_or(0, |&end| end as usize + 1)
    }

    /// What the round decided, without the lines it borrows.
    pub(super) fn into_decided(self, spare: &mut Spare) -> Decided {
        let mut found = self.found;
        found.clear();
        spare.found = found;
        Decided {
            hits: self.hits,
            made: self.made,
            quiet: self.quiet,
            note: self.note,
        }
    }

    /// The line model (see [`crate::model`]).
    pub(super) fn classify(&mut self, (removed, note): Judged) {
        self.note = note;
        if removed.is_empty() {
            return;
        }
        let id = &self.cleaner.pass_ids.classify;
        // The features of every line are found once, for all the lines explained.
        let explainer = self.cleaner.explain.then(|| {
            let model = self.cleaner.model.as_deref();
            model
                .expect("a model judged the lines")
                .explainer(&self.lines.to_vec())
        });
        for (i, probability) in removed {
            // The reason, `p(content) P`, is written when a hit is asked for (see `Detail`);
            // only the features that weighed most are found here, while the lines are at hand.
            let reason = explainer.as_ref().map(|explainer| {
                let mut features = String::new();
                for (name, weight) in explainer.explain(i, 3) {
                    features.push_str(&format!(", {name} {weight:+.2}"));
                }
                features
            });
            let detail = Detail {
                reason,
                probability: Some(probability),
            };
            self.remove_with(i, id, Some(detail));
        }
    }

    /// The comment-section pass (see [`crate::comments`]), before the rules, so that the tail
    /// zone starts at the end of the article.
    pub(super) fn cut_comments(&mut self) {
        let Some(options) = &self.cleaner.comments else {
            return;
        };
        let mut found = Vec::new();
        for (i, quiet) in self.quiet.iter_mut().enumerate() {
            if *quiet & NO_SIGNATURE != 0 {
                continue;
            }
            match comments::signature(self.lines.get(i)) {
                Some(signature) => found.push((i, signature)),
                None => *quiet |= NO_SIGNATURE,
            }
        }
        let lines = self.lines;
        let Some(from) = comments::section(lines.len(), |i| lines.get(i), found, options) else {
            return;
        };
        let id = &self.cleaner.pass_ids.comments;
        for i in from..self.lines.len() {
            let detail = Detail {
                reason: Some("comment signatures".to_string()),
                probability: None,
            };
            self.remove_with(i, id, Some(detail));
        }
    }

    /// Match line `i` against the rules of `sides` into `self.found`, but for the sides it is
    /// known to be quiet on.
    pub(super) fn find(&mut self, i: usize, sides: &[Side], scratch: &mut Scratch) {
        self.found.clear();
        // Most lines are known to be quiet in later rounds: that is settled here, inline.
        let all = sides.iter().fold(0, |bits, &side| bits | side_bit(side));
        if self.quiet[i] & all != all {
            self.find_slow(i, sides, scratch);
        }
    }

    /// [`Self::find`] for a line with a side still to match.
    #[inline(never)]
    pub(super) fn find_slow(&mut self, i: usize, sides: &[Side], scratch: &mut Scratch) {
        let rules = &self.cleaner.rules;
        find(
            rules,
            self.lines.get(i),
            sides,
            &mut self.quiet[i],
            scratch,
            &mut self.found,
        );
    }

    /// The strongest of the found matches among the rules allowed at this position (cuts are
    /// planned apart: see [`Self::cut`]).
    pub(super) fn strongest(&self, eligible: impl Fn(usize) -> bool) -> Option<LineMatch> {
        strongest(&self.found, self.cleaner.rules.rules(), eligible)
    }

    /// The head and tail cuts (see [`Planner`]), made before the sweeps, on the lines the line
    /// model and the comment pass left.
    pub(super) fn cut(&mut self, scratch: &mut Scratch) {
        if self.cleaner.cut_sides == [0; 2] {
            return;
        }
        if let Some((last, rule)) = self.plan_cut(true, scratch) {
            let id = &self.cleaner.rule_ids[rule];
            for i in 0..=last {
                self.remove(i, id);
            }
        }
        if let Some((first, rule)) = self.plan_cut(false, scratch) {
            let id = &self.cleaner.rule_ids[rule];
            for i in first..self.lines.len() {
                self.remove(i, id);
            }
        }
    }

    /// The head cut (`head`) or the tail cut that the [`Planner`] plans on the document as it
    /// stands: its last (first) line and rule.
    fn plan_cut(&mut self, head: bool, scratch: &mut Scratch) -> Option<(usize, usize)> {
        let (mut quiet, mut found) = (
            std::mem::take(&mut self.quiet),
            std::mem::take(&mut self.found),
        );
        let document = &*self;
        let mut planner = Planner {
            cleaner: document.cleaner,
            lines: document.lines.len(),
            kept: |quiet: &[Quiet], i: usize| document.kept_in(quiet, i),
            quiet: &mut quiet,
            scratch,
            found: &mut found,
        };
        let cut = match head {
            true => planner.head(document.kept_bytes),
            false => planner.tail(document.kept_bytes),
        };
        (self.quiet, self.found) = (quiet, found);
        cut
    }

    /// What is left of line `i` (see [`Left`]).
    pub(super) fn left(&self, i: usize) -> Left {
        Left::of(self.quiet[i])
    }

    /// What is left of line `i`; `None` once removed.
    pub(super) fn kept(&self, i: usize) -> Option<&str> {
        self.kept_in(&self.quiet, i)
    }

    /// What is left of line `i` as `quiet`, the document's quiet bytes, says (see
    /// [`Document::cut`], which lends them to the [`Planner`]).
    pub(super) fn kept_in(&self, quiet: &[Quiet], i: usize) -> Option<&str> {
        match Left::of(quiet[i]) {
            Left::Whole => Some(self.lines.get(i)),
            Left::Removed => None,
            Left::Made => Some(self.made.get(i)),
        }
    }

    /// What is left of line `i`, unless it is removed or blank.
    pub(super) fn kept_text(&self, i: usize) -> Option<&str> {
        self.kept(i).filter(|text| !text.is_empty())
    }

    /// What is left of each line, in order.
    pub(super) fn kept_lines(&self) -> impl Iterator<Item = Option<&str>> + Clone {
        (0..self.lines.len()).map(|i| self.kept(i))
    }

    /// Bytes of line `i` still kept.
    pub(super) fn kept_len(&self, i: usize) -> usize {
        self.kept(i).map_or(0, str::len)
    }

    /// Line `i` is now `text`.
    pub(super) fn make(&mut self, i: usize, text: &str) {
        self.kept_bytes = self.kept_bytes - self.kept_len(i) + text.len();
        Left::Made.set(&mut self.quiet[i]);
        self.made.insert(i, text);
    }

    /// Remove line `i`, and return what was left of it (`None` if it was removed already).
    pub(super) fn take(&mut self, i: usize) -> Option<Taken> {
        self.kept_bytes -= self.kept_len(i);
        let left = self.left(i);
        Left::Removed.set(&mut self.quiet[i]);
        match left {
            Left::Whole => Some(Taken::Whole),
            Left::Removed => None,
            Left::Made => Some(Taken::Made(
                self.made.remove(i).expect("a made line's text"),
            )),
        }
    }

    pub(super) fn remove(&mut self, i: usize, id: &Arc<str>) {
        self.remove_with(i, id, None);
    }

    /// Remove line `i`, with a hit (unless it was blank or removed already) that has `detail`.
    pub(super) fn remove_with(&mut self, i: usize, id: &Arc<str>, detail: Option<Detail>) {
        if let Some(taken) = self.take(i) {
            let (text, made) = taken.text(self.lines.get(i), &self.made);
            if !text.is_empty() {
                self.hits.push(id, i, HitKind::Removed, text, detail, made);
            }
        }
    }

    /// Apply a match's action to line `i`. Returns true when the line is still kept.
    pub(super) fn apply(&mut self, i: usize, m: LineMatch) -> bool {
        let cleaner = self.cleaner;
        let id = &cleaner.rule_ids[m.rule];
        match cleaner.rules.rules()[m.rule].action {
            Action::Drop => self.remove(i, id),
            Action::CutTail | Action::CutHead => unreachable!("cuts are planned apart"),
            action @ (Action::StripPrefix | Action::StripSuffix) => {
                let line = self.lines.get(i);
                let (rest, stripped) = if action == Action::StripPrefix {
                    (&line[m.end..], &line[..m.end])
                } else {
                    (&line[..m.start], &line[m.start..])
                };
                let rest = trim_line(rest);
                if rest.is_empty() {
                    self.remove(i, id);
                } else {
                    let made = self.left(i) != Left::Whole;
                    self.hits
                        .push(id, i, HitKind::Stripped, stripped, None, made);
                    self.make(i, rest);
                }
            }
        }
        self.left(i) != Left::Removed
    }

    /// Rules for anywhere and the head zone, and consecutive duplicates, top to bottom.
    pub(super) fn sweep_down(&mut self, scratch: &mut Scratch) {
        // Kept non-blank lines so far; once a prose paragraph has been kept the article has
        // begun and the head zone is over, however few lines that took.
        let mut from_head = 0;
        let mut in_body = false;
        // The previous kept non-blank line, and its length.
        let mut previous: Option<(usize, usize)> = None;
        for i in 0..self.lines.len() {
            if self.lines.get(i).is_empty() || self.left(i) == Left::Removed {
                continue;
            }
            let rules = &self.cleaner.rules;
            let head = if in_body { usize::MAX } else { from_head };
            // Past the largest head zone only the rules for anywhere can fire.
            let sides: &[Side] = if head < rules.head_reach() {
                &[Side::Any, Side::Head]
            } else {
                &[Side::Any]
            };
            self.find(i, sides, scratch);
            let rules = &self.cleaner.rules;
            let eligible = |r: usize| rules.rules()[r].zone.admits_from_head(head);
            if let Some(m) = self.strongest(eligible) {
                if !self.apply(i, m) {
                    continue;
                }
            }
            let len = self.kept_len(i);
            if self.cleaner.dedupe {
                if let Some((p, p_len)) = previous {
                    if p_len == len && self.kept(p) == self.kept(i) {
                        self.remove(i, &self.cleaner.pass_ids.dedupe);
                        continue;
                    }
                }
            }
            previous = Some((i, len));
            from_head += 1;
            in_body = in_body || self.kept(i).is_some_and(is_prose);
        }
    }

    /// Tail-zone rules, bottom to top, counting kept lines from the end.
    pub(super) fn sweep_up(&mut self, scratch: &mut Scratch) {
        let mut from_tail = 0;
        // The nearest kept non-blank line below the current one.
        let mut next: Option<usize> = None;
        for i in (0..self.lines.len()).rev() {
            if from_tail >= self.cleaner.rules.tail_reach() {
                break; // past every tail zone: nothing more to do
            }
            if self.lines.get(i).is_empty() || self.left(i) == Left::Removed {
                continue;
            }
            self.find(i, &[Side::Tail], scratch);
            let rules = &self.cleaner.rules;
            let stripped = self.left(i) != Left::Whole;
            let eligible = |r: usize| {
                rules.rules()[r].zone.admits_from_tail(from_tail)
                    && !(stripped
                        && matches!(
                            rules.rules()[r].action,
                            Action::StripPrefix | Action::StripSuffix
                        ))
            };
            if let Some(m) = self.strongest(eligible) {
                if !self.apply(i, m) {
                    continue;
                }
            }
            // Lines removed by this sweep can make two equal lines consecutive that were not
            // when the top-down sweep compared them; drop the upper one now, as a second run's
            // top-down sweep would, so that cleaning is idempotent.
            if self.cleaner.dedupe {
                if let Some(n) = next {
                    if self.kept(n) == self.kept(i) {
                        self.remove(i, &self.cleaner.pass_ids.dedupe);
                        continue;
                    }
                }
            }
            next = Some(i);
            from_tail += 1;
        }
    }

    /// Join one-line paragraphs that are pieces of one sentence.
    pub(super) fn rejoin(&mut self) {
        let runs = rejoin_plan(self.kept_lines());
        self.apply_joins(&runs);
    }

    /// Make each of `runs` (see [`rejoin_plan`]) one line: the first of its units (its kept
    /// lines with text) becomes their texts joined with spaces, and the others are removed.
    pub(super) fn apply_joins(&mut self, runs: &[Range<u32>]) {
        let id = &self.cleaner.pass_ids.rejoin;
        let mut joined = String::new();
        for run in runs {
            let lines = run.start as usize..run.end as usize;
            joined.clear();
            for text in lines.clone().filter_map(|line| self.kept_text(line)) {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(text);
            }
            // The run's first line is a unit.
            for line in lines.clone().skip(1) {
                if self.kept_text(line).is_some() {
                    let taken = self.take(line).expect("a unit is kept");
                    let (text, made) = taken.text(self.lines.get(line), &self.made);
                    self.hits.push(id, line, HitKind::Joined, text, None, made);
                }
            }
            self.make(lines.start, &joined);
        }
    }

    /// [`Decided::assemble`] on this round's lines.
    pub(super) fn assemble(self, spare: &mut Spare) -> Round {
        let lines = self.lines;
        self.into_decided(spare).assemble(lines, spare)
    }
}

/// What a round decided, once the lines it read are given up (see [`Document::into_decided`]).
pub(super) struct Decided {
    pub(super) hits: Hits,
    pub(super) made: Made,
    pub(super) quiet: Vec<Quiet>,
    pub(super) note: Option<ModelNote>,
}

impl Decided {
    /// The round that made `text`, whose output lines came from `origin` and whose quiet bits
    /// are the first of `self.quiet`; the buffer of made texts goes back to `spare`.
    pub(super) fn into_round(self, text: String, origin: Origin, spare: &mut Spare) -> Round {
        let Decided {
            hits,
            mut made,
            mut quiet,
            note,
        } = self;
        quiet.truncate(origin.len());
        made.clear();
        spare.made = made;
        Round {
            cleaned: Cleaned {
                text,
                hits,
                model: note,
            },
            origin,
            quiet,
        }
    }

    /// Build the output text from the kept lines of `lines`, the lines the round read, with
    /// what the next round needs to know of each output line. Its quiet bits are written over
    /// this round's, which they follow.
    pub(super) fn assemble(self, lines: Lines, spare: &mut Spare) -> Round {
        self.assemble_lines(lines.iter(), lines.text.len(), spare)
    }

    /// [`Self::assemble`] from `input`, the text the round read (its lines, each but the last
    /// followed by a line end), its lines found again as they are read, so that the round's
    /// line ends can be given up first (see `Cleaner::rounds`).
    pub(super) fn assemble_text(self, input: &str, spare: &mut Spare) -> Round {
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', input.as_bytes()).chain([input.len()]);
        let lines = ends.map(|end| &input[std::mem::replace(&mut start, end + 1)..end]);
        self.assemble_lines(lines, input.len(), spare)
    }

    /// [`Self::assemble`] from the round's lines, one for each line state, and the bytes of
    /// their text.
    fn assemble_lines<'a>(
        self,
        lines: impl Iterator<Item = &'a str>,
        bytes: usize,
        spare: &mut Spare,
    ) -> Round {
        let Decided {
            hits,
            made,
            mut quiet,
            note,
        } = self;
        let mut text = std::mem::take(&mut spare.text);
        text.clear();
        text.reserve(bytes + 1);
        let mut origin = std::mem::take(&mut spare.origin);
        origin.clear();
        let mut pending_blank = None;
        // A line kept whole is the same text in the next round; a stripped or joined one is not.
        // Output line `k` comes from line `i` at or after it: its quiet bits are read before
        // they are written over.
        let mut push = |text: &mut String, quiet: &mut [Quiet], i: usize, line: &str| {
            text.push_str(line);
            text.push('\n');
            quiet[origin.len()] = match Left::of(quiet[i]) {
                Left::Whole => quiet[i],
                _ => 0,
            };
            origin.push(i);
        };
        for (i, whole) in lines.enumerate() {
            let line = match Left::of(quiet[i]) {
                Left::Whole => whole,
                Left::Removed => continue,
                Left::Made => made.get(i),
            };
            if line.is_empty() {
                pending_blank = (!text.is_empty()).then_some(i);
                continue;
            }
            if let Some(blank) = pending_blank.take() {
                push(&mut text, &mut quiet, blank, "");
            }
            push(&mut text, &mut quiet, i, line);
        }
        let decided = Decided {
            hits,
            made,
            quiet,
            note,
        };
        decided.into_round(text, origin, spare)
    }
}
