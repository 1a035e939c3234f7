//! What the user sees on stderr while a batch runs: warnings and errors (through the progress
//! bar, so they do not tear it) and the progress bar itself (only on a terminal). The bar counts
//! documents, or, for one large JSONL or WARC input, the bytes read, with the records done and
//! their rate; for one Parquet input, the rows read of the rows its footer counts, and their
//! rate. The end-of-run summary is [`super::summary`].

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Prints warnings and errors on stderr, and draws progress.
pub struct Messages {
    bar: ProgressBar,
    quiet: bool,
    /// Progress goes by the bytes read of one streamed input ([`Messages::by_bytes`]).
    by_bytes: Arc<AtomicBool>,
    /// The records done so far, when progress goes by bytes.
    records: AtomicU64,
    /// The bar counts the rows of a Parquet file instead ([`Messages::rows_done`]).
    by_rows: AtomicBool,
}

impl Messages {
    /// Messages for `total` documents. The bar is drawn only when stderr is a terminal and
    /// the run is not quiet.
    pub fn new(total: u64, quiet: bool) -> Messages {
        Messages::with_length(Some(total), quiet)
    }

    /// Messages for a number of documents not known yet (see [`Messages::grow`]), drawing
    /// the `progress` asked for.
    pub fn growing(progress: Progress, quiet: bool) -> Messages {
        match progress {
            Progress::Hidden => Messages::without_bar(quiet),
            Progress::Files => Messages::with_length(Some(0), quiet),
            Progress::Walk => Messages::with_length(None, quiet),
            Progress::Bytes(size) => {
                let messages = Messages::with_style(Some(size), quiet, bytes_style(true));
                messages.by_bytes.store(true, Ordering::Relaxed);
                messages
            }
        }
    }

    /// Messages of warnings and errors only, with no bar (for work that does not count
    /// documents as it goes).
    pub fn without_bar(quiet: bool) -> Messages {
        Messages::drawing(ProgressBar::hidden(), quiet)
    }

    fn drawing(bar: ProgressBar, quiet: bool) -> Messages {
        Messages {
            bar,
            quiet,
            by_bytes: Arc::default(),
            records: AtomicU64::new(0),
            by_rows: AtomicBool::new(false),
        }
    }

    fn with_length(total: Option<u64>, quiet: bool) -> Messages {
        let style = match total {
            Some(_) => Messages::counted_style(),
            // Until the walk hands over the first files: no total to show.
            None => {
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] finding files {msg}")
                    .expect("valid template")
            }
        };
        Messages::with_style(total, quiet, style)
    }

    fn with_style(total: Option<u64>, quiet: bool, style: ProgressStyle) -> Messages {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        Messages::drawing(bar, quiet)
    }

    /// Count progress by the bytes read of the one streamed input (JSONL, WARC) of the run,
    /// `size` bytes long (`None`: not known, a pipe), with the records done and their rate: a
    /// bar of documents would stand at `0/1` for the whole run.
    pub fn by_bytes(&self, size: Option<u64>) {
        if self.bar.is_hidden() {
            return;
        }
        self.by_bytes.store(true, Ordering::Relaxed);
        self.bar.set_style(bytes_style(size.is_some()));
        self.bar.set_position(0);
        match size {
            Some(size) => self.bar.set_length(size),
            None => self.bar.unset_length(),
        }
    }

    /// `input`, with the bytes read from it counted on the bar when progress goes by bytes.
    pub fn count_read<R: Read>(&self, input: R) -> Counted<R> {
        let bar = (!self.bar.is_hidden()).then(|| (self.bar.clone(), self.by_bytes.clone()));
        Counted { input, bar }
    }

    /// `n` more records done, when progress goes by bytes.
    pub fn records_done(&self, n: u64) {
        if !self.by_bytes.load(Ordering::Relaxed) {
            return;
        }
        let done = self.records.fetch_add(n, Ordering::Relaxed) + n;
        let secs = self.bar.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        self.bar.set_message(records_rate(done, rate));
    }

    /// `done` rows of `total` read, when progress goes by bytes: the one input of the run is a
    /// Parquet file, whose rows are counted in its footer, so the bar counts rows instead.
    pub fn rows_done(&self, done: u64, total: u64) {
        if !self.by_bytes.load(Ordering::Relaxed) {
            return;
        }
        if !self.by_rows.swap(true, Ordering::Relaxed) {
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {msg} ETA {eta}",
                )
                .expect("valid template"),
            );
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
        let secs = self.bar.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        self.bar.set_message(rows_rate(done, total, rate));
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
        if !self.by_bytes.load(Ordering::Relaxed) {
            self.bar.inc(1);
        }
    }

    /// `n` more documents to clean.
    pub fn grow(&self, n: u64) {
        if self.by_bytes.load(Ordering::Relaxed) {
            return;
        }
        let length = self.bar.length();
        if length.is_none() {
            self.bar.set_style(Messages::counted_style());
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
    /// A bar over the bytes of the one JSONL or WARC file named, this long.
    Bytes(u64),
}

/// A reader whose bytes are counted on the progress bar, while it goes by bytes.
pub struct Counted<R> {
    input: R,
    bar: Option<(ProgressBar, Arc<AtomicBool>)>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        if let Some((bar, by_bytes)) = &self.bar {
            if by_bytes.load(Ordering::Relaxed) {
                bar.inc(n as u64);
            }
        }
        Ok(n)
    }
}

/// The bar by bytes read: of a known size, or not (a pipe).
fn bytes_style(sized: bool) -> ProgressStyle {
    let template = match sized {
        true => "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}",
        false => "{spinner} [{elapsed_precise}] {bytes} read {msg}",
    };
    ProgressStyle::with_template(template).expect("valid template")
}

/// `1,234,567 records, 45,678 records/s`.
fn records_rate(done: u64, per_second: f64) -> String {
    format!(
        "{} records, {} records/s",
        HumanCount(done),
        HumanCount(per_second.round() as u64)
    )
}

/// `12,345/1,000,000 rows, 4,567 rows/s`.
fn rows_rate(done: u64, total: u64, per_second: f64) -> String {
    format!(
        "{}/{} rows, {} rows/s",
        HumanCount(done),
        HumanCount(total),
        HumanCount(per_second.round() as u64)
    )
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

    #[test]
    fn the_rate_of_records_is_written_with_thousands_separated() {
        assert_eq!(records_rate(0, 0.0), "0 records, 0 records/s");
        assert_eq!(
            records_rate(1_234_567, 45_678.4),
            "1,234,567 records, 45,678 records/s"
        );
    }

    #[test]
    fn rows_are_counted_of_the_total_with_thousands_separated() {
        assert_eq!(rows_rate(0, 12, 0.0), "0/12 rows, 0 rows/s");
        assert_eq!(
            rows_rate(12_345, 1_000_000, 4_567.5),
            "12,345/1,000,000 rows, 4,568 rows/s"
        );
    }
}
