//! What the user sees on stderr while a batch runs: warnings and errors (through the progress
//! bar, so they do not tear it) and the progress bar itself (only on a terminal). The
//! end-of-run summary is [`super::summary`].

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Prints warnings and errors on stderr, and draws progress.
pub struct Messages {
    bar: ProgressBar,
    quiet: bool,
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
        }
    }

    /// Messages of warnings and errors only, with no bar (for work that does not count
    /// documents as it goes).
    pub fn without_bar(quiet: bool) -> Messages {
        Messages {
            bar: ProgressBar::hidden(),
            quiet,
        }
    }

    fn with_length(total: Option<u64>, quiet: bool) -> Messages {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            bar.set_style(match total {
                Some(_) => Messages::counted_style(),
                // Until the walk hands over the first files: no total to show.
                None => ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] finding files {msg}",
                )
                .expect("valid template"),
            });
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        Messages { bar, quiet }
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
}
