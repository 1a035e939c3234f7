//! The totals of a run ([`Summary`]), merged in job order whatever the thread count, and the
//! end-of-run summary printed from them on stderr.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use boilerstrip::{Cleaned, HitKind};
use rustc_hash::FxHashMap;

use super::messages::sanitize;

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
        for (id, kind, n) in cleaned.hits.tally() {
            match kind {
                HitKind::Removed => self.lines_removed += n as u64,
                HitKind::Stripped | HitKind::Joined => self.lines_changed += n as u64,
            }
            // Looked up before the id is cloned: most ids are counted already.
            match self.rule_hits.get_mut(id) {
                Some(count) => *count += n as u64,
                None => {
                    self.rule_hits.insert(id.clone(), n as u64);
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
