//! What the user sees on stderr while and after a batch runs: warnings and errors (through the
//! progress bar, so they do not tear it), the progress bar itself (only on a terminal), and the
//! end-of-run summary.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use boilerstrip::{Cleaned, HitKind};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustc_hash::FxHashMap;

/// Prints messages and draws progress.
pub struct Reporter {
    bar: ProgressBar,
    quiet: bool,
}

impl Reporter {
    /// A reporter for `total` documents. The bar is drawn only when stderr is a terminal and
    /// the run is not quiet.
    pub fn new(total: u64, quiet: bool) -> Reporter {
        Reporter::with_length(Some(total), quiet)
    }

    /// A reporter for a number of documents not known yet (see [`Reporter::grow`]), drawing
    /// the `progress` asked for.
    pub fn growing(progress: Progress, quiet: bool) -> Reporter {
        match progress {
            Progress::Hidden => Reporter::without_bar(quiet),
            Progress::Files => Reporter::with_length(Some(0), quiet),
            Progress::Walk => Reporter::with_length(None, quiet),
        }
    }

    /// A reporter of warnings and errors only, with no bar (for work that does not count
    /// documents as it goes).
    pub fn without_bar(quiet: bool) -> Reporter {
        Reporter {
            bar: ProgressBar::hidden(),
            quiet,
        }
    }

    fn with_length(total: Option<u64>, quiet: bool) -> Reporter {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            bar.set_style(match total {
                Some(_) => Reporter::counted_style(),
                // Until the walk hands over the first files: no total to show.
                None => ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] finding files {msg}",
                )
                .expect("valid template"),
            });
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        Reporter { bar, quiet }
    }

    /// A warning about one input (hidden by `--quiet`).
    pub fn warn(&self, path: &Path, message: impl std::fmt::Display) {
        if !self.quiet {
            let path = sanitize(&path.display().to_string());
            let message = sanitize(&message.to_string());
            self.bar
                .suspend(|| say!("boilerstrip: warning: {path}: {message}"));
        }
    }

    /// A note on how the run reads its input (hidden by `--quiet`).
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            let message = sanitize(&message.to_string());
            self.bar.suspend(|| say!("boilerstrip: {message}"));
        }
    }

    /// An error about one input (always shown).
    pub fn error(&self, path: &Path, message: impl std::fmt::Display) {
        let path = sanitize(&path.display().to_string());
        let message = sanitize(&message.to_string());
        self.bar
            .suspend(|| say!("boilerstrip: error: {path}: {message}"));
    }

    /// A warning about one record: `PATH:LINE` and the record's id, when known.
    pub fn warn_record(
        &self,
        path: &Path,
        line: u64,
        id: Option<&str>,
        message: impl std::fmt::Display,
    ) {
        if !self.quiet {
            let at = record_name(path, line, id);
            let message = sanitize(&message.to_string());
            self.bar
                .suspend(|| say!("boilerstrip: warning: {at}: {message}"));
        }
    }

    /// An error about one record (always shown).
    pub fn error_record(
        &self,
        path: &Path,
        line: u64,
        id: Option<&str>,
        message: impl std::fmt::Display,
    ) {
        let at = record_name(path, line, id);
        let message = sanitize(&message.to_string());
        self.bar
            .suspend(|| say!("boilerstrip: error: {at}: {message}"));
    }

    /// One more document done.
    pub fn advance(&self) {
        self.bar.inc(1);
    }

    /// `n` more documents to clean.
    pub fn grow(&self, n: u64) {
        let length = self.bar.length();
        if length.is_none() {
            self.bar.set_style(Reporter::counted_style());
        }
        self.bar.set_length(length.unwrap_or(0) + n);
    }

    /// The bar once the number of documents is known (or growing).
    fn counted_style() -> ProgressStyle {
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} docs {per_sec} ETA \
             {eta} {msg}",
        )
        .expect("valid template")
    }

    /// Run `f` with the bar hidden (to print on stdout without tearing it).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Remove the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The progress a batch draws (on a terminal, unless quiet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// None: one named file (or a missing one) has nothing to show progress over.
    Hidden,
    /// A bar over the named files.
    Files,
    /// "finding files" while a directory is walked, then a bar over the files found.
    Walk,
}

impl Progress {
    /// The progress for a batch of `inputs` named on the command line, `directories` of them
    /// directories: the walk is shown only when there is a directory to walk.
    pub fn for_inputs(inputs: usize, directories: usize) -> Progress {
        match (inputs, directories) {
            (_, 1..) => Progress::Walk,
            (0 | 1, 0) => Progress::Hidden,
            (_, 0) => Progress::Files,
        }
    }
}

/// `PATH:LINE`, with ` (id ID)` when the record has an id; sanitized.
fn record_name(path: &Path, line: u64, id: Option<&str>) -> String {
    let mut name = format!("{}:{line}", path.display());
    if let Some(id) = id {
        name.push_str(&format!(" (id {id})"));
    }
    sanitize(&name)
}

/// Replace control characters (line ends included) and bidi overrides, so that a file name,
/// a record id or a message quoting a document can neither drive the terminal nor reorder or
/// forge a line of output.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Quarantined documents listed in the summary (the audit report lists them all).
pub const OVER_CAP_LISTED: usize = 10;

/// Totals over a batch. Merging is addition (and, for the list of quarantined documents,
/// concatenation in job order), so the totals do not depend on thread count.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: u64,
    pub changed: u64,
    /// Documents whose cleaned bytes differ from the input bytes (what `--fail-on-change` and
    /// a dry run count as changed).
    pub different: u64,
    pub skipped: u64,
    pub failed: u64,
    pub emptied: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub lines_removed: u64,
    pub lines_changed: u64,
    /// Hits per rule id (a fast hash: this is counted for every hit, on the writer's thread).
    pub rule_hits: FxHashMap<Arc<str>, u64>,
    /// Documents left uncleaned because cleaning would remove more than `--max-removed`.
    pub quarantined: u64,
    /// The first [`OVER_CAP_LISTED`] of them, in job order, with the share cleaning would
    /// remove.
    pub over_cap: Vec<(String, f64)>,
    /// JSONL records dropped because their text came out empty (`--drop-empty`).
    pub dropped_empty: u64,
    /// Documents the line model judged without language data (no stop-word list fits them).
    pub no_language: u64,
    /// Documents that cleaning, with the line model removing lines, left with under a tenth
    /// of their words.
    pub cut_by_model: u64,
    /// JSONL lines that could not be cleaned, by kind (`malformed`, `missing-field`, ...).
    pub bad_records: BTreeMap<&'static str, u64>,
    /// What was done with them (`passed through unchanged`, `skipped`, `failed`).
    pub bad_records_action: Option<&'static str>,
}

impl Summary {
    /// Count one cleaned document.
    pub fn add_document(&mut self, input: &str, cleaned: &Cleaned) {
        self.documents += 1;
        self.bytes_in += input.len() as u64;
        self.bytes_out += cleaned.text.len() as u64;
        if !cleaned.hits.is_empty() {
            self.changed += 1;
        }
        if cleaned.text.is_empty() && !input.trim().is_empty() {
            self.emptied += 1;
        }
        if let Some(note) = cleaned.model {
            self.no_language += u64::from(note.language.is_none());
            self.cut_by_model += u64::from(note.cut_to_tenth);
        }
        for hit in &cleaned.hits {
            match hit.kind {
                HitKind::Removed => self.lines_removed += 1,
                HitKind::Stripped | HitKind::Joined => self.lines_changed += 1,
            }
            // Looked up before the id is cloned: most ids are counted already.
            match self.rule_hits.get_mut(&hit.id) {
                Some(n) => *n += 1,
                None => {
                    self.rule_hits.insert(hit.id.clone(), 1);
                }
            }
        }
    }

    /// Count one quarantined document: read, and delivered as it came; cleaning would have
    /// removed `share` of its bytes.
    pub fn add_quarantined(&mut self, path: &Path, input: &str, share: f64) {
        self.documents += 1;
        self.bytes_in += input.len() as u64;
        self.bytes_out += input.len() as u64;
        self.quarantined += 1;
        self.over_cap.push((path.display().to_string(), share));
    }

    /// Add another summary's totals.
    pub fn merge(mut self, other: Summary) -> Summary {
        self.documents += other.documents;
        self.changed += other.changed;
        self.different += other.different;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.emptied += other.emptied;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.lines_removed += other.lines_removed;
        self.lines_changed += other.lines_changed;
        for (id, n) in other.rule_hits {
            *self.rule_hits.entry(id).or_default() += n;
        }
        self.quarantined += other.quarantined;
        let room = OVER_CAP_LISTED.saturating_sub(self.over_cap.len());
        self.over_cap.extend(other.over_cap.into_iter().take(room));
        self.dropped_empty += other.dropped_empty;
        self.no_language += other.no_language;
        self.cut_by_model += other.cut_by_model;
        for (kind, n) in other.bad_records {
            *self.bad_records.entry(kind).or_default() += n;
        }
        self.bad_records_action = self.bad_records_action.or(other.bad_records_action);
        self
    }

    /// The end-of-run report.
    pub fn render(&self, elapsed: Duration, top: usize, names: &HashMap<String, String>) -> String {
        let mut out = String::new();
        let secs = elapsed.as_secs_f64().max(1e-6);
        let removed = self.bytes_in.saturating_sub(self.bytes_out);
        let share = if self.bytes_in == 0 {
            0.0
        } else {
            100.0 * removed as f64 / self.bytes_in as f64
        };
        out.push_str(&format!(
            "boilerstrip: {} documents cleaned, {} changed, {} emptied, {} skipped, {} failed in {:.2}s\n",
            self.documents, self.changed, self.emptied, self.skipped, self.failed, secs
        ));
        out.push_str(&format!(
            "  bytes: {} in, {} out ({:.1}% removed), {:.1} MB/s\n",
            self.bytes_in,
            self.bytes_out,
            share,
            self.bytes_in as f64 / 1e6 / secs
        ));
        out.push_str(&format!(
            "  lines: {} removed, {} changed (stripped or joined)\n",
            self.lines_removed, self.lines_changed
        ));
        if self.no_language > 0 || self.cut_by_model > 0 {
            out.push_str(&format!(
                "  line model: {} document(s) without language data (judged without stop words or text score), {} cut to under a tenth of their words{}\n",
                self.no_language,
                self.cut_by_model,
                if self.cut_by_model > 0 { " (listed by --report)" } else { "" }
            ));
        }
        if self.dropped_empty > 0 {
            out.push_str(&format!(
                "  records: {} dropped (text came out empty)\n",
                self.dropped_empty
            ));
        }
        if !self.bad_records.is_empty() {
            let kinds: Vec<String> = self
                .bad_records
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect();
            out.push_str(&format!(
                "  bad records: {} ({})\n",
                kinds.join(", "),
                self.bad_records_action.unwrap_or("reported")
            ));
        }
        if !self.rule_hits.is_empty() && top > 0 {
            let mut hits: Vec<(&Arc<str>, &u64)> = self.rule_hits.iter().collect();
            hits.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            out.push_str("  top rules:\n");
            for (id, n) in hits.into_iter().take(top) {
                let name = names.get(&**id).map(String::as_str).unwrap_or("");
                out.push_str(&format!("  {n:>9}  {id:<9} {name}\n"));
            }
        }
        if self.quarantined > 0 {
            out.push_str(&format!(
                "  quarantined: {} document(s) over --max-removed, left uncleaned:\n",
                self.quarantined
            ));
            out.push_str("      share  path\n");
            for (path, share) in &self.over_cap {
                let path = sanitize(path);
                out.push_str(&format!("  {:>8.1}%  {path}\n", 100.0 * share));
            }
            let more = self.quarantined.saturating_sub(self.over_cap.len() as u64);
            if more > 0 {
                out.push_str(&format!("  and {more} more\n"));
            }
        }
        out
    }
}

/// Wall-clock timer for the summary.
pub struct Timer(Instant);

impl Timer {
    pub fn start() -> Timer {
        Timer(Instant::now())
    }

    pub fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A single or missing file flashed a "finding files" spinner on a terminal (issue 22):
    /// the walk is shown only when an input is a directory.
    #[test]
    fn the_walk_is_shown_only_for_a_directory() {
        let cases = [
            // (inputs, of them directories, progress)
            (1, 0, Progress::Hidden),
            (0, 0, Progress::Hidden),
            (3, 0, Progress::Files),
            (1, 1, Progress::Walk),
            (3, 1, Progress::Walk),
        ];
        for (inputs, directories, want) in cases {
            assert_eq!(
                Progress::for_inputs(inputs, directories),
                want,
                "{inputs} input(s), {directories} directory(ies)"
            );
        }
    }
}
