//! `clean`'s settings, resolved once from its command line and checked: [`Config::new`] is where
//! [`CleanArgs`] (clap's struct) stops. The walk, the job, the per-format code and the driver
//! read a [`Config`] of plain values, never the flags.

use std::path::{Path, PathBuf};

use anyhow::Result;
use boilerstrip::Cleaner;

use super::args::{
    CleanArgs, ColorChoice, DiffFormat, GroupArgs, InputFormat, InvalidUtf8, OnError,
};
use super::audit;
use super::compression::Compression;
use super::diff::Style;
use super::format;
use super::parquet;
use super::{build_cleaner_with, UsageError};

/// What `clean` was asked to do.
#[derive(Debug)]
pub struct Config {
    /// The inputs as given: files and directories, or `-` alone (see [`Config::stdin`]).
    pub inputs: Vec<PathBuf>,
    /// Read stdin (`-`) and write stdout.
    pub stdin: bool,
    /// `-o DIR`: mirror the inputs under DIR.
    pub output: Option<PathBuf>,
    /// `--in-place`: rewrite the inputs.
    pub in_place: bool,
    /// `--dry-run`: write nothing but diffs on stdout (and the audit file).
    pub dry_run: bool,
    /// `--format`, or `None` to go by each file's name.
    pub format: Option<InputFormat>,
    /// `--compress`, for JSONL outputs.
    pub compress: Option<Compression>,
    /// `--to jsonl`: WARC input is written as JSONL.
    pub to_jsonl: bool,
    /// The globs that select walked files: `-g`, or the default for the format.
    pub include: Vec<String>,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// `--follow`: follow symbolic links in the walk.
    pub follow: bool,
    /// `--quarantine DIR`: where quarantined documents are copied (never in a dry run).
    pub quarantine: Option<PathBuf>,
    /// `--max-removed`: quarantine a document whose cleaning would remove more than this share
    /// of its bytes.
    pub max_removed: Option<f64>,
    /// `--max-doc-bytes`: the largest document (or record) read.
    pub max_doc_bytes: u64,
    /// `--invalid-utf8`.
    pub invalid_utf8: InvalidUtf8,
    /// `--on-error`: what a bad JSONL record does.
    pub on_error: OnError,
    /// The flags given that do not apply to Parquet input (`--annotate`, `--on-error`,
    /// `--compress`): refused when an input is a Parquet file.
    pub not_for_parquet: Vec<&'static str>,
    /// `--field`: the JSONL field cleaned.
    pub field: String,
    /// How JSONL records are cleaned (`--field`, `--id-field`, `--annotate`, `--drop-empty`).
    pub records: boilerstrip::jsonl::Options,
    /// `--report FILE`: the audit file, and the options it records.
    pub audit: Option<(PathBuf, audit::Options)>,
    /// `--learn` and its settings.
    pub learn: Option<Learn>,
    /// How a dry run prints a diff.
    pub diff_format: DiffFormat,
    /// How a unified diff looks (`--context`, `--color`, `--explain`).
    pub diff_style: Style,
    /// `--fail-on-change`.
    pub fail_on_change: bool,
    /// `-j`.
    pub threads: Option<usize>,
    /// `--quiet`.
    pub quiet: bool,
    /// `--summary`: the summary also when the cleaned text goes to stdout.
    pub summary: bool,
    /// `--top`: rules listed in the summary.
    pub top: usize,
}

/// `--learn`'s settings.
#[derive(Debug)]
pub struct Learn {
    pub group: GroupArgs,
    pub min_docs: u64,
    pub min_share: f64,
}

impl Config {
    /// Check the command line and resolve it, with the cleaner it asks for. Usage errors are
    /// found here, before anything is read or written.
    pub fn new(args: CleanArgs) -> Result<(Config, Cleaner)> {
        if args.explain && args.diff_format == DiffFormat::Json {
            return Err(UsageError(
                "--explain labels unified diffs; the JSON report names the rules already".into(),
            )
            .into());
        }
        let mut records = boilerstrip::jsonl::Options::new()
            .field(&args.field)
            .drop_empty(args.drop_empty);
        if let Some(id) = &args.id_field {
            records = records.id_field(id);
        }
        if let Some(name) = &args.annotate {
            records = records.annotate(name.as_str());
            if records.annotates_the_field() {
                return Err(UsageError(format!(
                    "--annotate={name} would write over the field being cleaned (--field {}); \
                     pick another name",
                    args.field
                ))
                .into());
            }
        }
        // What each rule removed is shown by a dry run and written to the audit file;
        // otherwise it is only counted.
        let cleaner = build_cleaner_with(
            &args.patterns,
            args.fold_punctuation,
            Some(&args.classifier),
            args.dry_run || args.report.is_some(),
        )?;
        let stdin = args.inputs.iter().any(|p| p == Path::new("-"));
        if stdin {
            check_stdin(&args)?;
        }
        let not_for_parquet = not_for_parquet(&args);
        if let Some(flag) = not_for_parquet.first() {
            let named = (args.inputs.iter()).find(|input| reads_as_parquet(input, args.format));
            if let Some(input) = named {
                return Err(UsageError(refused_with_parquet(flag, &input.display())).into());
            }
        }
        let learn = args.learn.then(|| Learn {
            group: args.group.clone(),
            min_docs: args.learn_min_docs,
            min_share: args.learn_min_share,
        });
        let audit = args.report.as_ref().map(|path| {
            let options = audit_options(&args, learn.as_ref(), &cleaner);
            (path.clone(), options)
        });
        let config = Config {
            stdin,
            output: args.output,
            in_place: args.in_place,
            dry_run: args.dry_run,
            format: args.format,
            compress: args.compress,
            to_jsonl: args.to.is_some(),
            include: format::select_globs(&args.walk.globs, args.format),
            exclude: args.walk.exclude,
            follow: args.walk.follow,
            quarantine: args.quarantine,
            max_removed: args.max_removed,
            max_doc_bytes: args.max_doc_bytes,
            invalid_utf8: args.invalid_utf8,
            on_error: args.on_error.unwrap_or(OnError::Keep),
            not_for_parquet,
            field: args.field,
            records,
            audit,
            learn,
            diff_format: args.diff_format,
            diff_style: Style {
                context: args.context,
                color: use_color(args.color),
                terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
                explain: args.explain,
            },
            fail_on_change: args.fail_on_change,
            threads: args.threads,
            quiet: args.quiet,
            summary: args.summary,
            top: args.top,
            inputs: args.inputs,
        };
        Ok((config, cleaner))
    }

    /// Whether the cleaned text goes to stdout (no `-o`, `--in-place` or `--dry-run`): the
    /// summary is then printed only when asked for.
    pub fn text_on_stdout(&self) -> bool {
        self.output.is_none() && !self.in_place && !self.dry_run
    }

    /// Whether the end-of-run summary (and what `--learn` learned) is printed.
    pub fn shows_summary(&self) -> bool {
        !self.quiet && (!self.text_on_stdout() || self.summary)
    }

    /// Whether the outcomes of documents are printed on stdout (cleaned text or diffs).
    pub fn prints(&self) -> bool {
        self.dry_run || (self.output.is_none() && !self.in_place)
    }

    /// The audit file's path, if one is written.
    pub fn audit_path(&self) -> Option<&Path> {
        self.audit.as_ref().map(|(path, _)| path.as_path())
    }
}

/// The flags of `args` that do not apply to Parquet input.
fn not_for_parquet(args: &CleanArgs) -> Vec<&'static str> {
    let given = [
        ("--annotate", args.annotate.is_some()),
        ("--on-error", args.on_error.is_some()),
        ("--compress", args.compress.is_some()),
    ];
    given
        .iter()
        .filter(|(_, on)| *on)
        .map(|(f, _)| *f)
        .collect()
}

/// Whether the input `path` named on the command line is read as Parquet: `--format parquet`,
/// or a file (not a directory) whose name or first bytes say Parquet.
fn reads_as_parquet(path: &Path, format: Option<InputFormat>) -> bool {
    if path == Path::new("-") || path.is_dir() {
        return format == Some(InputFormat::Parquet) && path == Path::new("-");
    }
    match format::detect_format(format, path) {
        InputFormat::Parquet => true,
        InputFormat::Text => format.is_none() && path.is_file() && parquet::is_parquet(path),
        InputFormat::Jsonl | InputFormat::Warc => false,
    }
}

/// Why `flag` is refused with the Parquet input `input`.
pub fn refused_with_parquet(flag: &str, input: &dyn std::fmt::Display) -> String {
    let why = match flag {
        "--annotate" => {
            "it adds a field to JSONL records, and a Parquet output keeps the input's schema"
        }
        "--on-error" => {
            "it says what a bad JSONL line does; a Parquet file has no lines (one that cannot \
             be read fails whole)"
        }
        _ => {
            "a Parquet file is compressed inside, column by column, and its output keeps each \
             column's codec"
        }
    };
    format!("{flag} does not apply to Parquet input ({input}): {why}; leave it out")
}

/// `-` (stdin) reads one stream and writes stdout: nothing else goes with it.
fn check_stdin(args: &CleanArgs) -> Result<()> {
    if args.inputs.len() > 1 || args.output.is_some() || args.in_place {
        return Err(
            UsageError("`-` (stdin) must be the only input, and writes to stdout".into()).into(),
        );
    }
    if args.quarantine.is_some() {
        return Err(UsageError(
            "--quarantine needs file inputs: a quarantined document on stdin is printed as it \
             came"
                .into(),
        )
        .into());
    }
    if args.learn {
        return Err(
            UsageError("--learn needs file inputs: it reads the batch twice".into()).into(),
        );
    }
    Ok(())
}

/// The options the audit file records: what changes the output.
fn audit_options(args: &CleanArgs, learn: Option<&Learn>, cleaner: &Cleaner) -> audit::Options {
    audit::Options {
        patterns: (args.patterns.patterns.iter())
            .map(|p| p.display().to_string())
            .collect(),
        no_default_patterns: args.patterns.no_default_patterns,
        disabled: args.patterns.disable.clone(),
        fold_punctuation: args.fold_punctuation,
        invalid_utf8: match args.invalid_utf8 {
            InvalidUtf8::Lossy => "lossy",
            InvalidUtf8::Skip => "skip",
            InvalidUtf8::Error => "error",
        },
        max_removed: args.max_removed,
        dry_run: args.dry_run,
        learn: learn.map(|learn| audit::Learn {
            min_docs: learn.min_docs,
            min_share: learn.min_share,
            group_by: learn.group.group_by.clone(),
            group_by_dir: learn.group.group_by_dir,
        }),
        input_kind: cleaner.input_kind(),
        model: cleaner.model().map(|m| audit::ModelSummary {
            thresholds: m.thresholds(),
            keep_threshold: cleaner.keep_threshold(),
            description: m.description().to_string(),
        }),
        comments: cleaner.comment_options().cloned(),
    }
}

/// Whether to colour stdout: `auto` means a terminal and `NO_COLOR` unset or empty.
fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
