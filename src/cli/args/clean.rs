//! `clean`'s options.

use std::path::PathBuf;

use clap::Args;

use super::*;

/// `clean`'s options. Each names its heading; headings are shown in the order they first
/// appear, so the fields follow that order.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or directories to clean; `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write cleaned files under DIR, mirroring the input tree.
    #[arg(short, long, value_name = "DIR", conflicts_with = "in_place", help_heading = heading::IO)]
    pub output: Option<PathBuf>,

    /// Rewrite the input files in place.
    ///
    /// Each is rewritten atomically; unchanged files are not touched.
    #[arg(long, help_heading = heading::IO)]
    pub in_place: bool,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Format (default: by name).
    ///
    /// How inputs are read. Files: by default from the name (`.jsonl`, `.ndjson`, `.json`, each
    /// optionally `.gz`, `.zst` or `.zstd`, are JSONL; `.warc` and `.wet`, likewise, are WARC;
    /// `.parquet` is Parquet, and so is a file named on the command line that starts with
    /// `PAR1`; anything else is text). Stdin: JSONL when its first line is a JSON object,
    /// Parquet when it starts with `PAR1`, WARC when it starts with `WARC/` (each said on
    /// stderr), else text; gzip and zstd streams are decompressed.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = heading::IO)]
    pub format: Option<InputFormat>,

    /// Convert WARC and WET input to FORMAT.
    ///
    /// Every input is read as WARC (`--format text` or `jsonl` is refused), and each text record
    /// becomes one line `{"id", "url", "date", "language", "text"}`: its WARC-Record-ID,
    /// WARC-Target-URI, WARC-Date and WARC-Identified-Content-Language (null when the header is
    /// missing) and its cleaned block. Other records are left out. Under -o, `NAME.warc.wet.gz`
    /// is written as `NAME.jsonl.gz` (--compress chooses another compression).
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        conflicts_with_all = ["in_place", "annotate"],
        help_heading = heading::IO
    )]
    pub to: Option<OutputFormat>,

    /// The field to clean, `meta.body` for a nested one.
    ///
    /// A dotted path of object keys. Every other byte of the line is left as it was. For
    /// Parquet, the string column to clean (a dotted path into struct columns).
    #[arg(
        long,
        value_name = "PATH",
        default_value = "text",
        value_parser = dotted_path,
        help_heading = heading::JSONL
    )]
    pub field: String,

    /// The field naming a record in messages and diffs (default: line number).
    ///
    /// For Parquet, a string or integer column naming each row (default: row number).
    #[arg(long, value_name = "PATH", value_parser = dotted_path, help_heading = heading::JSONL)]
    pub id_field: Option<String>,

    /// Handling of bad lines.
    ///
    /// A bad line is one that is not a JSON object, or has no string at --field. Each such line is
    /// reported with its file and line number and counted in the summary (refused with Parquet
    /// input, which has no lines). [default: keep]
    // An `Option`, not a default value, so that it is known when it was given (refused with
    // Parquet input, which has no lines).
    #[arg(long, value_enum, value_name = "POLICY", help_heading = heading::JSONL)]
    pub on_error: Option<OnError>,

    /// Add a field NAME (default `boilerstrip`) saying what was removed.
    ///
    /// The field is {"lines_removed": N, "lines_changed": N, "rules": {"ID": N, ...}}. NAME may
    /// not be the cleaned field's top-level key (refused with Parquet input, whose schema is
    /// kept). The name is given as `--annotate=NAME`: in
    /// `--annotate NAME`, NAME is an input (refused when no such file exists).
    #[arg(
        long,
        value_name = "NAME",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "boilerstrip",
        help_heading = heading::JSONL
    )]
    pub annotate: Option<String>,

    /// Drop records whose text comes out empty (counted in the summary).
    ///
    /// JSONL records and Parquet rows: a text document that comes out empty is written empty.
    #[arg(long, help_heading = heading::JSONL)]
    pub drop_empty: bool,

    /// Compress JSONL outputs this way.
    ///
    /// JSONL outputs, stdout included, are compressed this way (refused with Parquet input, which
    /// is compressed inside). By default stdout is not compressed
    /// and an output file is compressed as its name says (`.gz`, `.zst`); with `-o`, the output
    /// file then gets this compression's extension.
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        conflicts_with = "in_place",
        help_heading = heading::JSONL
    )]
    pub compress: Option<Compression>,

    /// What to do with a file that is not valid UTF-8.
    #[arg(
        long,
        value_enum,
        default_value_t = InvalidUtf8::Lossy,
        value_name = "POLICY",
        help_heading = heading::IO,
        hide_short_help = true
    )]
    pub invalid_utf8: InvalidUtf8,

    /// Largest document (text file, stdin, or one JSONL record) to clean, in bytes; a suffix
    /// K, M or G (powers of 1024) may follow. A larger document is never read into memory
    /// whole (a file's size is checked before it is read; stdin and JSONL lines are read at most
    /// this far): a file is skipped with a warning, stdin fails the run (exit code 1). At most
    /// 1G.
    #[arg(
        long,
        value_name = "BYTES",
        default_value = "256M",
        value_parser = doc_size,
        help_heading = heading::IO,
        hide_short_help = true
    )]
    pub max_doc_bytes: u64,

    #[command(flatten)]
    pub patterns: PatternArgs,

    #[command(flatten)]
    pub classifier: ClassifierArgs,

    /// Fold typographic quotes, dashes and ellipses to ASCII.
    ///
    /// They are kept by default.
    #[arg(long, help_heading = heading::RULES)]
    pub fold_punctuation: bool,

    /// Learn boilerplate from the batch itself and remove it (pass LEARN).
    ///
    /// Two passes: first count in how many documents of each group every short line occurs
    /// (see `boilerstrip mine`), then clean, also removing the lines found in at least
    /// --learn-min-docs documents of the document's group (labelled LEARN; `--disable LEARN`
    /// turns it off). Needs file inputs.
    #[arg(long, help_heading = heading::RULES)]
    pub learn: bool,

    /// With --learn: remove lines found in at least N documents of the same group.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        requires = "learn",
        help_heading = heading::RULES,
        hide_short_help = true
    )]
    pub learn_min_docs: u64,

    /// With --learn: ... and in at least this share (0 to 1) of the group's documents.
    #[arg(
        long,
        value_name = "FRACTION",
        default_value_t = 0.0,
        value_parser = fraction,
        requires = "learn",
        help_heading = heading::RULES,
        hide_short_help = true
    )]
    pub learn_min_share: f64,

    #[command(flatten, next_help_heading = heading::RULES)]
    pub group: GroupArgs,

    /// Write nothing; print what would change as a unified diff on stdout.
    ///
    /// The diff is git style (`a/PATH` and `b/PATH`). Unchanged documents are not listed. The
    /// plain diff applies with `patch -p1` from the directory the command ran in, giving what
    /// `clean -o` writes.
    #[arg(short = 'n', long, help_heading = heading::REVIEW)]
    pub dry_run: bool,

    /// Lines of context around each change in the diff.
    #[arg(
        short = 'U',
        long = "context",
        value_name = "N",
        default_value_t = 3,
        requires = "dry_run",
        help_heading = heading::REVIEW,
        hide_short_help = true
    )]
    pub context: usize,

    /// With -n: label each removed or changed line with its rule or pass.
    ///
    /// Label every removed or changed line of the diff with the rule or pass that did it
    /// (`  # WP003 leave-a-reply`; `normalize` for whitespace, Unicode and line-end changes,
    /// `blank-line` for dropped blank lines). An explained diff is for reading: it is not
    /// patch-applicable. Unified diffs only.
    #[arg(long, requires = "dry_run", help_heading = heading::REVIEW)]
    pub explain: bool,

    /// With -n: a `unified` diff, or `json` lines [default: unified].
    ///
    /// `unified` prints a unified diff, as `git diff` does; `json` prints one JSON object per
    /// changed document per line: {"path": "...", "changes": [{"line": N, "kind":
    /// "removed"|"stripped"|"joined", "rule": "WP003", "text": "..."}, ...], "bytes_in": N,
    /// "bytes_out": N}, where `line` is the 1-based line of the input file (lines end at LF) and
    /// `text` the removed (or stripped, or joined) text.
    #[arg(
        long,
        value_enum,
        default_value_t = DiffFormat::Unified,
        value_name = "FORMAT",
        requires = "dry_run",
        help_heading = heading::REVIEW,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub diff_format: DiffFormat,

    /// When to colour the diff: `auto` colours only when stdout is a terminal and NO_COLOR is
    /// unset or empty. In coloured output, control and bidi characters of the scraped text are
    /// shown as visible stand-ins (␛, ␍, U+FFFD) instead of reaching the terminal.
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = heading::REVIEW,
        hide_short_help = true
    )]
    pub color: ColorChoice,

    /// Exit with code 1 when any document would change.
    ///
    /// With or without --dry-run (like `rustfmt --check`).
    #[arg(long, help_heading = heading::REVIEW)]
    pub fail_on_change: bool,

    /// Write an audit report (JSON) to FILE at the end of the run.
    ///
    /// The report holds the tool version, a hash of the active rules and passes, the options,
    /// totals, per-rule counts with sample lines, the quarantined and the most reduced
    /// documents, and one entry per document (schema in docs/usage.md). Written atomically; no
    /// timings, so the same input gives the same report at any -j. With --dry-run, the report
    /// is the one file written.
    #[arg(long, value_name = "FILE", help_heading = heading::REVIEW)]
    pub report: Option<PathBuf>,

    /// Leave uncleaned (quarantine) documents cut by more than FRACTION.
    ///
    /// Quarantine every document whose cleaning would remove more than FRACTION (0 to 1) of its
    /// bytes: it is delivered uncleaned (its original bytes go to -o DIR or stdout; with
    /// --in-place it is left untouched; a dry run shows no diff for it), warned about, listed
    /// in the summary and the report, and copied under --quarantine DIR if given. Off by
    /// default.
    #[arg(long, value_name = "FRACTION", value_parser = fraction, help_heading = heading::REVIEW)]
    pub max_removed: Option<f64>,

    /// With --max-removed: copy each quarantined document under DIR.
    ///
    /// Its path relative to its input directory is mirrored (a file named on the command line
    /// goes to DIR/<file name>). Not in a dry run.
    #[arg(long, value_name = "DIR", requires = "max_removed", help_heading = heading::REVIEW)]
    pub quarantine: Option<PathBuf>,

    /// Number of worker threads (default: all cores).
    ///
    /// The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", help_heading = heading::RUN)]
    pub threads: Option<usize>,

    /// Print no progress bar, summary or warnings (errors are still printed).
    #[arg(short, long, help_heading = heading::RUN)]
    pub quiet: bool,

    /// Print the summary even when the cleaned text goes to stdout.
    ///
    /// Stdin, and a single file without -o, write the cleaned text to stdout and print no
    /// summary unless asked.
    #[arg(long, conflicts_with = "quiet", help_heading = heading::RUN)]
    pub summary: bool,

    /// Number of rules listed in the summary.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10,
        help_heading = heading::RUN,
        hide_short_help = true
    )]
    pub top: usize,

    #[command(flatten)]
    pub help: HelpFlag,
}

/// `--annotate` takes its NAME only after `=` (`--annotate=stats`): in `--annotate stats
/// in.jsonl`, `stats` is an input. An input that follows a bare `--annotate` and does not exist
/// was meant as the name: refused, saying how to write it, rather than reported later as a
/// missing file. `argv` is the command line.
pub fn check_annotate(
    args: &CleanArgs,
    argv: impl IntoIterator<Item = std::ffi::OsString>,
) -> Result<(), String> {
    let argv: Vec<_> = argv.into_iter().take_while(|arg| arg != "--").collect();
    for pair in argv.windows(2) {
        let (flag, next) = (&pair[0], &pair[1]);
        let an_input = args.inputs.iter().any(|input| input.as_os_str() == next);
        if flag == "--annotate" && an_input && next != "-" && !std::path::Path::new(next).exists() {
            let name = next.to_string_lossy();
            return Err(format!(
                "{name:?} follows --annotate, so it is read as an input, and there is no such \
                 file; to name the field, write --annotate={name}"
            ));
        }
    }
    Ok(())
}
