//! `boilerstrip clean`: plan the jobs (walk the inputs), clean them in parallel, write each
//! output atomically, and report. One bad file never stops the batch: it is reported with its
//! path, counted, and decides the exit code at the end. The walk runs in its own thread and
//! hands the cleaning its jobs a chunk at a time, so cleaning starts at once and memory does not
//! grow with the number of files (but with `--learn`, which reads the whole batch first).
//!
//! A dry run (`--dry-run`) plans and cleans the same way but writes no file at all: each job
//! renders what would change (see [`super::diff`]) and the reports are printed in job order,
//! whatever the thread count.
//!
//! With `--max-removed`, a document whose cleaning would remove more than that share of its
//! bytes is quarantined: delivered uncleaned, copied under `--quarantine DIR`, and listed in the
//! summary and the audit report (`--report`, see [`super::audit`]), which is fed the documents
//! in job order too.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Mutex};

use anyhow::{Context, Result};
use boilerstrip::Cleaner;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use walkdir::WalkDir;

use super::args::{CleanArgs, ColorChoice, DiffFormat, InputFormat, InvalidUtf8, OnError};
use super::audit::{self, Audit, DocAudit};
use super::compression::{self, Compression};
use super::diff::{self, Names, Style};
use super::interrupt;
use super::jsonl;
use super::learn::Learning;
use super::output::{self, Output};
use super::report::{Progress, Reporter, Summary, Timer};
use super::warc;
use super::{build_cleaner_with, worker_pool, UsageError};

/// Jobs cleaned in parallel between two prints to stdout: bounds the memory held by reports
/// waiting for their turn.
const CHUNK: usize = 256;

/// Jobs cleaned in parallel at a time when nothing is printed (outputs are files): each chunk
/// ends with the threads waiting for the last job, and the threads take the two halves of a
/// chunk, which in a large chunk lie in different directories (two threads writing into one
/// directory wait for each other's renames).
const QUIET_CHUNK: usize = 8192;

/// Where one cleaned document (or JSONL file) goes.
#[derive(Debug)]
pub enum Destination {
    Stdout,
    File(PathBuf),
    InPlace,
    /// Nowhere (dry run): a report of what would change goes to stdout.
    Report,
}

#[derive(Debug)]
struct Job {
    src: PathBuf,
    /// The path under `-o DIR` and `--quarantine DIR`: relative to the input directory, or the
    /// file name of a file named on the command line.
    relative: PathBuf,
    dst: Destination,
    format: InputFormat,
}

/// An input being read, decompressed, and how it was compressed.
pub type Stream = (Box<dyn io::BufRead + Send>, Compression);

/// Everything the workers share.
pub struct Shared<'a> {
    pub cleaner: &'a Cleaner,
    pub reporter: &'a Reporter,
    pub invalid_utf8: InvalidUtf8,
    pub report: Report,
    /// Quarantine a document whose cleaning would remove more than this share of its bytes.
    pub max_removed: Option<f64>,
    /// Where to copy quarantined documents (never in a dry run).
    quarantine: Option<PathBuf>,
    /// Whether to collect what the audit report needs.
    audit: bool,
    /// How JSONL records are cleaned.
    pub records: boilerstrip::jsonl::Options,
    pub on_error: OnError,
    /// `--compress`, for JSONL outputs.
    pub compress: Option<Compression>,
    /// `--to jsonl`: WARC input is written as JSONL.
    pub to_jsonl: bool,
    /// `--learn`: the lines learned from the batch (pass one).
    pub learning: Option<Learning>,
    /// `--max-doc-bytes`: the largest document (or JSONL record) read.
    pub max_doc_bytes: u64,
    /// The output directory: nothing is written outside it.
    output_root: Option<output::Root>,
    /// Directories that [`Shared::confine`] has created or found, and checked: a directory of
    /// many outputs is checked once, not with a dozen system calls per file.
    confined: Mutex<HashSet<PathBuf>>,
}

impl<'a> Shared<'a> {
    fn new(args: &CleanArgs, cleaner: &'a Cleaner, reporter: &'a Reporter) -> Shared<'a> {
        let mut records = boilerstrip::jsonl::Options::new()
            .field(&args.field)
            .drop_empty(args.drop_empty);
        if let Some(id) = &args.id_field {
            records = records.id_field(id);
        }
        if let Some(name) = &args.annotate {
            records = records.annotate(name.as_str());
        }
        Shared {
            cleaner,
            reporter,
            invalid_utf8: args.invalid_utf8,
            report: Report::new(args, cleaner),
            max_removed: args.max_removed,
            quarantine: args.quarantine.clone().filter(|_| !args.dry_run),
            audit: args.report.is_some(),
            records,
            on_error: args.on_error,
            compress: args.compress,
            to_jsonl: args.to.is_some(),
            learning: None,
            max_doc_bytes: args.max_doc_bytes,
            output_root: args
                .output
                .as_ref()
                .and_then(|dir| output::Root::new(dir).ok()),
            confined: Mutex::default(),
        }
    }
}

impl Shared<'_> {
    /// Open the file `src` of a streamed format (JSONL, WARC), decompressed, and how it was
    /// compressed. When it cannot be read it is reported, and `Err` holds the file's totals: a
    /// failure, or none when a signal gave up the wait (no failure of this input).
    pub fn open_stream(&self, src: &Path) -> std::result::Result<Stream, Box<Summary>> {
        match interrupt::open(src).and_then(compression::decoder) {
            Ok(opened) => Ok(opened),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Err(Box::default()),
            Err(err) => Err(Box::new(self.failed(src, format!("cannot read: {err}")).0)),
        }
    }

    /// Report that the file `src` failed: its totals (one failed input, nothing to print).
    pub fn failed(&self, src: &Path, message: impl std::fmt::Display) -> (Summary, Vec<u8>) {
        self.reporter.error(src, message);
        let summary = Summary {
            failed: 1,
            ..Summary::default()
        };
        (summary, Vec::new())
    }

    /// The output directory, which outputs under `-o` must stay inside until they are renamed
    /// into place (see [`output::refuse_links_out`]).
    pub fn output_root(&self) -> Option<&output::Root> {
        self.output_root.as_ref()
    }

    /// Check that writing `path` stays inside the output directory: its directory, resolved
    /// (symbolic links followed), must be under the resolved output directory. Input names
    /// cannot lead out (they are paths relative to an input directory, or bare file names), but
    /// a symbolic link left inside the output directory could. The nearest existing ancestor is
    /// checked before any directory is created, and the directory again once it exists. The
    /// directory is created if need be; each directory is checked once a run (and each file
    /// again, more cheaply, just before its rename: [`output::refuse_links_out`]).
    pub fn confine(&self, path: &Path) -> io::Result<()> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if self.confined.lock().expect("never poisoned").contains(dir) {
            return Ok(());
        }
        match &self.output_root {
            Some(root) => create_inside(dir, root.resolved())?,
            None => fs::create_dir_all(dir)?,
        }
        self.confined
            .lock()
            .expect("never poisoned")
            .insert(dir.to_path_buf());
        Ok(())
    }
}

/// Create `dir` if need be, provided that it stays under `root` (resolved).
fn create_inside(dir: &Path, root: &Path) -> io::Result<()> {
    let outside = || {
        io::Error::other(
            "its directory resolves outside the output directory (a symbolic link?); not \
             written",
        )
    };
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(Path::new("."));
    if !fs::canonicalize(existing)?.starts_with(root) {
        return Err(outside());
    }
    fs::create_dir_all(dir)?;
    if !fs::canonicalize(dir)?.starts_with(root) {
        return Err(outside());
    }
    Ok(())
}

/// What one document gave: its totals, what to print on stdout, its part of the audit report.
#[derive(Default)]
struct Outcome {
    summary: Summary,
    stdout: Vec<u8>,
    audit: Option<DocAudit>,
}

impl Outcome {
    fn failed() -> Outcome {
        Outcome {
            summary: Summary {
                failed: 1,
                ..Summary::default()
            },
            ..Outcome::default()
        }
    }

    fn skipped() -> Outcome {
        Outcome {
            summary: Summary {
                skipped: 1,
                ..Summary::default()
            },
            ..Outcome::default()
        }
    }
}

/// The outcomes of consecutive documents (a split of a chunk that one worker took), merged by
/// that worker: each document's totals are freed on the thread that allocated them, and the
/// deliverer merges a few parts per chunk instead of every document.
#[derive(Default)]
struct Part {
    summary: Summary,
    /// What each document prints on stdout, in order.
    stdout: Vec<Vec<u8>>,
    /// The documents' parts of the audit report, in order.
    audits: Vec<DocAudit>,
}

impl Part {
    fn add(&mut self, outcome: Outcome) {
        self.summary = std::mem::take(&mut self.summary).merge(outcome.summary);
        self.stdout.push(outcome.stdout);
        self.audits.extend(outcome.audit);
    }
}

/// How a dry run reports a changed document.
pub struct Report {
    format: DiffFormat,
    style: Style,
    names: Names,
}

impl Report {
    fn new(args: &CleanArgs, cleaner: &Cleaner) -> Report {
        Report {
            format: args.diff_format,
            style: Style {
                context: args.context,
                color: use_color(args.color),
                terminal: io::stdout().is_terminal(),
                explain: args.explain,
            },
            names: rule_names(cleaner),
        }
    }

    /// What to print for a document that would change; `name` is its path (or, for a JSONL
    /// record, `PATH:LINE` or `PATH:ID`). A diff names the file by its bytes, which `patch`
    /// needs; JSON, which holds only Unicode, by its name made valid UTF-8.
    pub fn render(&self, name: &OsStr, original: &[u8], cleaned: &boilerstrip::Cleaned) -> Vec<u8> {
        match self.format {
            DiffFormat::Unified => diff::unified(
                name.as_encoded_bytes(),
                original,
                cleaned,
                &self.names,
                self.style,
            ),
            DiffFormat::Json => diff::json(&name.to_string_lossy(), original, cleaned),
        }
    }
}

/// Whether to colour stdout: `auto` means a terminal and `NO_COLOR` unset or empty.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// Print what the jobs produced for stdout, in order.
fn print(reporter: &Reporter, chunks: &[Vec<u8>]) -> Result<()> {
    if chunks.iter().all(Vec::is_empty) {
        return Ok(());
    }
    reporter
        .suspend(|| {
            let mut out = io::stdout().lock();
            for chunk in chunks {
                out.write_all(chunk)?;
            }
            out.flush()
        })
        .context("writing to stdout")
}

/// The audit report, if asked for; fails early when its directory cannot take a file.
fn start_audit(args: &CleanArgs, cleaner: &Cleaner) -> Result<Option<Audit>> {
    let Some(path) = &args.report else {
        return Ok(None);
    };
    let options = audit::Options {
        patterns: args
            .patterns
            .patterns
            .iter()
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
        learn: args.learn.then(|| audit::Learn {
            min_docs: args.learn_min_docs,
            min_share: args.learn_min_share,
            group_by: args.group.group_by.clone(),
            group_by_dir: args.group.group_by_dir,
        }),
        input_kind: cleaner.input_kind(),
        model: cleaner.model().map(|m| audit::ModelSummary {
            thresholds: m.thresholds(),
            keep_threshold: cleaner.keep_threshold(),
            description: m.description().to_string(),
        }),
        comments: cleaner.comment_options().cloned(),
    };
    let audit = Audit::create(path, cleaner, options)
        .with_context(|| format!("cannot write the report {}", path.display()))?;
    Ok(Some(audit))
}

/// Write the audit report, if asked for, with the run's totals.
fn finish_audit(audit: Option<Audit>, summary: &Summary, args: &CleanArgs) -> Result<()> {
    if let (Some(audit), Some(path)) = (audit, &args.report) {
        audit
            .finish(summary)
            .with_context(|| format!("cannot write the report {}", path.display()))?;
    }
    Ok(())
}

/// The exit code for a finished run.
fn exit_code(summary: &Summary, args: &CleanArgs) -> ExitCode {
    if summary.failed > 0 || (args.fail_on_change && summary.different > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Run `boilerstrip clean`.
pub fn run(args: CleanArgs) -> Result<ExitCode> {
    if args.explain && args.diff_format == DiffFormat::Json {
        return Err(UsageError(
            "--explain labels unified diffs; the JSON report names the rules already".into(),
        )
        .into());
    }
    if let Some(name) = &args.annotate {
        let records = boilerstrip::jsonl::Options::new()
            .field(&args.field)
            .annotate(name.as_str());
        if records.annotates_the_field() {
            return Err(UsageError(format!(
                "--annotate={name} would write over the field being cleaned (--field {}); pick \
                 another name",
                args.field
            ))
            .into());
        }
    }
    // What each rule removed is shown by a dry run and written to a report; otherwise it is
    // only counted.
    let cleaner = build_cleaner_with(
        &args.patterns,
        args.fold_punctuation,
        Some(&args.classifier),
        args.dry_run || args.report.is_some(),
    )?;
    let pool = worker_pool(args.threads, args.quiet)?;
    let stdin = Path::new("-");
    if args.inputs.iter().any(|p| p == stdin) {
        if args.inputs.len() > 1 || args.output.is_some() || args.in_place {
            return Err(UsageError(
                "`-` (stdin) must be the only input, and writes to stdout".into(),
            )
            .into());
        }
        if args.quarantine.is_some() {
            return Err(UsageError(
                "--quarantine needs file inputs: a quarantined document on stdin is printed as \
                 it came"
                    .into(),
            )
            .into());
        }
        if args.learn {
            return Err(
                UsageError("--learn needs file inputs: it reads the batch twice".into()).into(),
            );
        }
        return pool.install(|| clean_stdin(&cleaner, &args));
    }

    // Stdin goes to stdout, which leaves no partial file: a signal ends such a run at once.
    interrupt::install().context("installing the signal handlers")?;
    let timer = Timer::start();
    let mut audit = start_audit(&args, &cleaner)?;
    let walker = Walker::new(&args)?;
    if let Some(report) = &args.report {
        walker.refuse_report_over_an_input(report, &args.inputs)?;
    }
    // The bar's length grows as the walk finds files.
    let directories = args.inputs.iter().filter(|input| input.is_dir()).count();
    let progress = Progress::for_inputs(args.inputs.len(), directories);
    let reporter = Reporter::growing(progress, args.quiet);
    let mut ctx = Shared::new(&args, &cleaner, &reporter);
    let mut summary = Summary::default();
    // The outcomes of one chunk are merged and printed while the next chunk is cleaned.
    let deliver = |done: Vec<Part>| -> Result<()> {
        let mut stdout = Vec::new();
        for part in done {
            if let Some(audit) = &mut audit {
                part.audits.into_iter().for_each(|doc| audit.add(doc));
            }
            summary = std::mem::take(&mut summary).merge(part.summary);
            stdout.extend(part.stdout);
        }
        print(&reporter, &stdout)
    };
    let prints = args.dry_run || (args.output.is_none() && !args.in_place);
    let chunk = if prints { CHUNK } else { QUIET_CHUNK };
    let failed_inputs = if args.learn && cleaner.learns() {
        // `--learn` reads the whole batch before it cleans any of it.
        let (jobs, failed) = walker.plan(&args, &reporter);
        for (path, why) in &failed {
            reporter.error(path, why);
        }
        ctx.learning = Some(learn(&args, &jobs, &pool, &reporter));
        let mut jobs = jobs.into_iter().peekable();
        let chunks = std::iter::from_fn(|| {
            jobs.peek()?;
            Some(jobs.by_ref().take(chunk).collect())
        });
        clean_chunks(&ctx, &pool, chunks, deliver)?;
        failed.len() as u64
    } else {
        // The walk runs beside the cleaning and hands it the jobs a chunk at a time: the
        // cleaning starts at once, and a tree of millions of files is never held as jobs.
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<Vec<Job>>(1);
            let (walker, args, reporter) = (&walker, &args, &reporter);
            let walking = scope.spawn(move || {
                let mut failed = 0u64;
                let mut jobs = Vec::with_capacity(chunk);
                walker.walk(args, |found| match found {
                    Found::Job(job) => {
                        jobs.push(job);
                        let full = jobs.len() == chunk;
                        // The cleaning has stopped if the send fails.
                        !full || tx.send(std::mem::take(&mut jobs)).is_ok()
                    }
                    Found::Failed(path, why) => {
                        reporter.error(&path, why);
                        failed += 1;
                        true
                    }
                    Found::Nothing(path, why) => {
                        reporter.warn(&path, why);
                        true
                    }
                });
                if !jobs.is_empty() {
                    let _ = tx.send(jobs);
                }
                failed
            });
            let cleaned = clean_chunks(&ctx, &pool, rx.iter(), deliver);
            // Stops the walk at its next chunk if the cleaning stopped early.
            drop(rx);
            let failed = walking.join().expect("the walk does not panic");
            cleaned.map(|()| failed)
        })?
    };
    reporter.finish();
    if let Some(signal) = interrupt::interrupted() {
        return Ok(interrupted(signal, &summary));
    }
    let summary = Summary {
        failed: summary.failed + failed_inputs,
        ..summary
    };
    finish_audit(audit, &summary, &args)?;
    // Stdout carries the cleaned text when there is no -o, --in-place or --dry-run; the summary
    // is then printed only when asked for.
    let text_on_stdout = args.output.is_none() && !args.in_place && !args.dry_run;
    if !args.quiet && (!text_on_stdout || args.summary) {
        say_raw!(
            "{}",
            summary.render(timer.elapsed(), args.top, &rule_names(&cleaner))
        );
        if args.dry_run {
            let except = match &args.report {
                Some(path) => format!(" but the report {}", path.display()),
                None => String::new(),
            };
            say!(
                "  dry run: {} document(s) would change; nothing was written{except}",
                summary.different
            );
        }
    }
    Ok(exit_code(&summary, &args))
}

/// Clean `chunks` of jobs in parallel, a chunk at a time, and `deliver` the outcomes of each in
/// job order while the next is cleaned. A signal stops the run after the chunk being cleaned.
fn clean_chunks(
    ctx: &Shared,
    pool: &rayon::ThreadPool,
    chunks: impl Iterator<Item = Vec<Job>>,
    mut deliver: impl FnMut(Vec<Part>) -> Result<()>,
) -> Result<()> {
    let mut pending: Option<Vec<Part>> = None;
    for jobs in chunks {
        if interrupt::interrupted().is_some() {
            break;
        }
        ctx.reporter.grow(jobs.len() as u64);
        let mut done = Ok(Vec::new());
        let mut delivered = Ok(());
        pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                done = jobs
                    .par_iter()
                    .try_fold(Part::default, |mut part, job| {
                        part.add(process(ctx, job)?);
                        ctx.reporter.advance();
                        Ok(part)
                    })
                    .collect::<Result<_>>();
            });
            if let Some(previous) = pending.take() {
                delivered = deliver(previous);
            }
        });
        delivered?;
        pending = Some(done?);
    }
    if let Some(last) = pending {
        deliver(last)?;
    }
    Ok(())
}

/// `--learn`, pass one: count the repeats of the whole batch.
fn learn(
    args: &CleanArgs,
    jobs: &[Job],
    pool: &rayon::ThreadPool,
    reporter: &Reporter,
) -> Learning {
    let sources: Vec<(PathBuf, InputFormat)> = jobs
        .iter()
        .map(|job| (job.src.clone(), job.format))
        .collect();
    let learning = pool.install(|| {
        Learning::gather(
            &sources,
            &args.group,
            &args.field,
            args.learn_min_docs,
            args.learn_min_share,
        )
    });
    let text_on_stdout = args.output.is_none() && !args.in_place && !args.dry_run;
    if !args.quiet && (!text_on_stdout || args.summary) {
        reporter.suspend(|| {
            say!(
                "boilerstrip: learned {} repeated line(s) in {} group(s) of {} input(s)",
                learning.len(),
                learning.groups(),
                sources.len()
            )
        });
    }
    learning
}

/// End a run stopped by `signal`: say how far it got; nothing else is written (no report).
fn interrupted(signal: i32, summary: &Summary) -> ExitCode {
    say!(
        "boilerstrip: interrupted by {}: {} document(s) done; no partial output left",
        interrupt::name(signal),
        summary.documents
    );
    ExitCode::from(interrupt::exit_code(signal))
}

/// Clean stdin to stdout.
fn clean_stdin(cleaner: &Cleaner, args: &CleanArgs) -> Result<ExitCode> {
    let timer = Timer::start();
    let reporter = Reporter::new(1, args.quiet);
    let ctx = Shared::new(args, cleaner, &reporter);
    // A gzip or zstd stream is read decompressed.
    let (mut input, found) = compression::decoder(io::stdin()).context("reading stdin")?;
    let format = match args.format {
        Some(format) => format,
        None if looks_like_jsonl(input.fill_buf().context("reading stdin")?) => {
            reporter.note(format_args!(
                "stdin: its first line is a JSON object, so it is read as JSONL and the `{}` \
                 field of each record is cleaned (--format text cleans it as one text)",
                args.field
            ));
            InputFormat::Jsonl
        }
        None if {
            let sniffed = starts_like_warc(input).context("reading stdin")?;
            input = sniffed.0;
            sniffed.1
        } =>
        {
            reporter.note(
                "stdin: it starts with a WARC version line, so it is read as WARC records \
                 (--format text cleans it as one text)",
            );
            InputFormat::Warc
        }
        None => InputFormat::Text,
    };
    if format == InputFormat::Warc {
        let (summary, stdout) = warc::process_stdin(&ctx, input, args.dry_run)?;
        print(&reporter, &[stdout])?;
        finish_audit(start_audit(args, cleaner)?, &summary, args)?;
        if args.summary {
            say_raw!(
                "{}",
                summary.render(timer.elapsed(), args.top, &rule_names(cleaner))
            );
        }
        return Ok(exit_code(&summary, args));
    }
    if format == InputFormat::Jsonl {
        // Streamed: records are written as they are cleaned, chunk by chunk.
        let summary = jsonl::process_stdin(&ctx, input, args.dry_run)?;
        // The report has the totals; records are not listed one by one.
        finish_audit(start_audit(args, cleaner)?, &summary, args)?;
        if args.summary {
            say_raw!(
                "{}",
                summary.render(timer.elapsed(), args.top, &rule_names(cleaner))
            );
        }
        return Ok(exit_code(&summary, args));
    }
    let bytes = match read_bounded(input, None, ctx.max_doc_bytes).context("reading stdin")? {
        Ok(bytes) => bytes,
        Err(too_large) => {
            // A file over the limit is left where it is; a stream over it would be lost to
            // the pipeline, so it fails the run (and nothing is written).
            reporter.error(
                Path::new("<stdin>"),
                format_args!(
                    "over --max-doc-bytes {}; nothing written (raise --max-doc-bytes to \
                         clean a document this large)",
                    too_large.limit
                ),
            );
            let summary = Outcome::failed().summary;
            finish_audit(start_audit(args, cleaner)?, &summary, args)?;
            return Ok(exit_code(&summary, args));
        }
    };
    let mut audit = start_audit(args, cleaner)?;
    let dst = if args.dry_run {
        Destination::Report
    } else {
        Destination::Stdout
    };
    let source = Source {
        path: Path::new("<stdin>"),
        relative: None,
        compression: found,
    };
    let outcome = clean_bytes(&ctx, &source, &bytes, &dst)?;
    if let (Some(audit), Some(doc)) = (&mut audit, outcome.audit) {
        audit.add(doc);
    }
    let summary = outcome.summary;
    print(&reporter, &[outcome.stdout])?;
    finish_audit(audit, &summary, args)?;
    if args.summary {
        say_raw!(
            "{}",
            summary.render(timer.elapsed(), args.top, &rule_names(cleaner))
        );
    }
    Ok(exit_code(&summary, args))
}

/// Whether `input` starts with `WARC/`, and `input` whole again (a buffer holds the first bytes
/// of a decompressed stream only, so they are read and put back).
fn starts_like_warc(
    mut input: Box<dyn io::BufRead + Send>,
) -> io::Result<(Box<dyn io::BufRead + Send>, bool)> {
    let mut head = Vec::new();
    (&mut input).take(5).read_to_end(&mut head)?;
    let warc = head == b"WARC/";
    let whole = io::BufReader::new(io::Cursor::new(head).chain(input));
    Ok((Box::new(whole), warc))
}

/// Whether a stream that starts with `head` (what is buffered of it) is JSONL: its first line
/// (after a byte-order mark and blank space) is a JSON object, or, when that line runs past
/// `head`, opens like one (`{"`). A text that opens with a brace (`{ 3 comments }`) is no
/// JSON object.
fn looks_like_jsonl(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.first() != Some(&b'{') {
        return false;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => serde_json::from_slice::<serde::de::IgnoredAny>(&head[..end]).is_ok(),
        None => head[1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'"'),
    }
}

fn rule_names(cleaner: &Cleaner) -> HashMap<String, String> {
    let mut names: HashMap<String, String> = cleaner
        .rules()
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    for pass in boilerstrip::passes::PASSES {
        names.insert(pass.id.to_string(), pass.name.to_string());
    }
    names
}

/// Read, clean and write one file; returns the totals, what to print on stdout and the
/// document's part of the audit report. Per-file problems are reported and counted, never
/// returned as errors.
fn process(ctx: &Shared, job: &Job) -> Result<Outcome> {
    if interrupt::interrupted().is_some() {
        return Ok(Outcome::default());
    }
    if let Destination::InPlace = job.dst {
        // Rewriting a FIFO, a socket or a device would replace it with a regular file (and
        // opening a FIFO waits for a writer): it is looked at, never opened. A file that cannot
        // be looked at is reported when it is read.
        if let Some(kind) = fs::metadata(&job.src).ok().and_then(|m| not_regular(&m)) {
            ctx.reporter.warn(
                &job.src,
                format_args!(
                    "not a regular file ({kind}): --in-place rewrites only regular files; skipped"
                ),
            );
            return Ok(Outcome::skipped());
        }
    }
    if job.format == InputFormat::Jsonl {
        // JSONL files are counted in the totals; their records are not listed in the audit
        // report's per-document part.
        let (summary, stdout) = jsonl::process(ctx, &job.src, &job.dst)?;
        return Ok(Outcome {
            summary,
            stdout,
            audit: None,
        });
    }
    if job.format == InputFormat::Warc {
        // Records are counted in the totals, not listed in the audit report.
        let (summary, stdout) = warc::process(ctx, &job.src, &job.dst)?;
        return Ok(Outcome {
            summary,
            stdout,
            audit: None,
        });
    }
    // A gzip or zstd file (by its magic bytes, whatever its name) is read decompressed, and
    // the limit applies to what it holds.
    let read = interrupt::open(&job.src).and_then(|file| {
        let size = file.metadata()?.len();
        let (input, found) = compression::decoder(file)?;
        let size = (found == Compression::None).then_some(size);
        Ok(read_bounded(input, size, ctx.max_doc_bytes)?.map(|bytes| (bytes, found)))
    });
    match read {
        Ok(Ok((bytes, found))) => {
            let src = Source {
                path: &job.src,
                relative: Some(&job.relative),
                compression: found,
            };
            clean_bytes(ctx, &src, &bytes, &job.dst)
        }
        Ok(Err(too_large)) => {
            ctx.reporter.warn(&job.src, too_large);
            Ok(Outcome::skipped())
        }
        // Given up on a signal: not a failure of this document.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => Ok(Outcome::default()),
        Err(err) => {
            ctx.reporter
                .error(&job.src, format_args!("cannot read: {err}"));
            Ok(Outcome::failed())
        }
    }
}

/// What a file that is not a regular file is (`a FIFO`, `a socket`, `a device`); `None` for a
/// regular file.
fn not_regular(meta: &fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some(if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    })
}

/// Where a text document came from.
struct Source<'a> {
    path: &'a Path,
    /// Places a quarantined copy (see [`Job::relative`]); `None` for stdin.
    relative: Option<&'a Path>,
    /// How the input was compressed: an in-place rewrite is compressed the same way.
    compression: Compression,
}

/// `bytes` written to `path` (under `root`), compressed as the file's name says (`.gz`, `.zst`):
/// a compressed input mirrored under `-o` keeps its name and its compression.
fn write_named(path: &Path, root: Option<&output::Root>, bytes: &[u8]) -> io::Result<()> {
    let packed = compression::pack(bytes, Compression::of_name(path))?;
    output::write_inside(path, root, &packed)
}

/// Clean one document (`bytes`, decompressed) and deliver it to `dst`; returns the totals,
/// what to print on stdout (the cleaned text, or a dry run's report), which the caller prints
/// in job order, and the document's part of the audit report.
fn clean_bytes(ctx: &Shared, source: &Source, bytes: &[u8], dst: &Destination) -> Result<Outcome> {
    let (src, relative) = (source.path, source.relative);
    let text = match decode(bytes, ctx.invalid_utf8) {
        Decoded::Text(text, warning) => {
            if let Some(warning) = warning {
                ctx.reporter.warn(src, warning);
            }
            text
        }
        Decoded::Skip(reason) => {
            ctx.reporter.warn(src, reason);
            return Ok(Outcome::skipped());
        }
        Decoded::Fail(reason) => {
            ctx.reporter.error(src, reason);
            return Ok(Outcome::failed());
        }
    };
    let learned = ctx.learning.as_ref().and_then(|l| l.for_file(src));
    let mut cleaned = ctx.cleaner.clean_with(&text, learned);
    if let Some(max) = ctx.max_removed {
        let removed = text.len().saturating_sub(cleaned.text.len());
        if removed as f64 > max * text.len() as f64 {
            return Ok(quarantine(ctx, src, relative, bytes, &text, &cleaned, dst));
        }
    }
    let different = cleaned.text.as_bytes() != bytes;
    let mut outcome = Outcome::default();
    let written = match dst {
        Destination::Stdout => Ok(()),
        Destination::Report => {
            if different {
                outcome.stdout = ctx.report.render(src.as_os_str(), bytes, &cleaned);
            }
            Ok(())
        }
        Destination::File(path) => ctx
            .confine(path)
            .and_then(|()| write_named(path, ctx.output_root(), cleaned.text.as_bytes())),
        Destination::InPlace if !different => Ok(()),
        Destination::InPlace => Output::replace(src).and_then(|output| {
            let packed = compression::pack(cleaned.text.as_bytes(), source.compression)?;
            output.file().write_all(&packed)?;
            output.commit()
        }),
    };
    match written {
        Ok(()) => {
            outcome.summary.add_document(&text, &cleaned);
            outcome.summary.different = u64::from(different);
            if ctx.audit {
                outcome.audit = Some(DocAudit::cleaned(src, bytes, &text, &cleaned));
            }
            if let Destination::Stdout = dst {
                outcome.stdout = std::mem::take(&mut cleaned.text).into_bytes();
            }
        }
        // Abandoned on a signal: not a failure of this document.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => return Ok(Outcome::default()),
        Err(err) => {
            let target = match dst {
                Destination::File(path) => path.as_path(),
                _ => src,
            };
            ctx.reporter
                .error(target, format_args!("cannot write: {err}"));
            return Ok(Outcome::failed());
        }
    }
    Ok(outcome)
}

/// Deliver a document over `--max-removed` as it came (its original bytes to `-o DIR` or
/// stdout; untouched in place; no diff in a dry run), copy it under `--quarantine DIR`, and say
/// so.
fn quarantine(
    ctx: &Shared,
    src: &Path,
    relative: Option<&Path>,
    bytes: &[u8],
    text: &str,
    cleaned: &boilerstrip::Cleaned,
    dst: &Destination,
) -> Outcome {
    let share = audit::share_removed(text.len() as u64, cleaned.text.len() as u64);
    let mut outcome = Outcome::default();
    let delivered = match dst {
        Destination::Stdout => {
            outcome.stdout = bytes.to_vec();
            Ok(())
        }
        Destination::File(path) => ctx
            .confine(path)
            .and_then(|()| write_named(path, ctx.output_root(), bytes))
            .map_err(|e| (path.clone(), e)),
        Destination::InPlace | Destination::Report => Ok(()),
    };
    let copied = delivered.and_then(|()| match (&ctx.quarantine, relative) {
        (Some(dir), Some(relative)) => {
            let path = dir.join(relative);
            let parent = path.parent().unwrap_or(dir);
            let written = fs::create_dir_all(parent)
                .and_then(|()| compression::pack(bytes, Compression::of_name(&path)))
                .and_then(|packed| output::write(&path, &packed));
            match written {
                Ok(()) => Ok(Some(path)),
                Err(err) => Err((path, err)),
            }
        }
        _ => Ok(None),
    });
    match copied {
        Ok(copy) => {
            let copy = copy
                .map(|path| format!("; copied to {}", path.display()))
                .unwrap_or_default();
            ctx.reporter.warn(
                src,
                format_args!(
                    "cleaning would remove {:.1}% of its bytes, over --max-removed: quarantined, \
                     left uncleaned{copy}",
                    100.0 * share
                ),
            );
            outcome.summary.add_quarantined(src, text, share);
            if ctx.audit {
                outcome.audit = Some(DocAudit::quarantined(src, text.len(), cleaned.text.len()));
            }
            outcome
        }
        Err((path, err)) => {
            ctx.reporter
                .error(&path, format_args!("cannot write: {err}"));
            Outcome::failed()
        }
    }
}

/// A document over `--max-doc-bytes`, which was not read whole.
#[derive(Debug)]
pub struct TooLarge {
    /// Its size when known (from metadata), else `None`: more than the limit.
    size: Option<u64>,
    limit: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.size {
            Some(size) => write!(f, "{size} bytes, over --max-doc-bytes {}", self.limit)?,
            None => write!(f, "over --max-doc-bytes {}", self.limit)?,
        }
        f.write_str("; skipped")
    }
}

/// Read `input` whole if it has at most `limit` bytes; never reads more than `limit + 1`.
/// `size` (from metadata) answers early and sizes the buffer.
fn read_bounded(
    input: impl Read,
    size: Option<u64>,
    limit: u64,
) -> io::Result<std::result::Result<Vec<u8>, TooLarge>> {
    if let Some(size) = size.filter(|&size| size > limit) {
        return Ok(Err(TooLarge {
            size: Some(size),
            limit,
        }));
    }
    let capacity = size.unwrap_or(0).min(limit) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(TooLarge { size: None, limit }));
    }
    Ok(Ok(bytes))
}

/// A document's bytes read as text, or why not.
pub(super) enum Decoded<'a> {
    /// The text, with a warning to print.
    Text(Cow<'a, str>, Option<String>),
    Skip(String),
    Fail(String),
}

/// `bytes` as text, as `--invalid-utf8` says.
pub(super) fn decode(bytes: &[u8], policy: InvalidUtf8) -> Decoded<'_> {
    if memchr::memchr(0, bytes).is_some() {
        return Decoded::Skip("binary file (contains NUL bytes), skipped".into());
    }
    match boilerstrip::from_utf8(bytes) {
        Ok(text) => Decoded::Text(Cow::Borrowed(text), None),
        Err(err) => {
            let offset = err.valid_up_to();
            match policy {
                InvalidUtf8::Lossy => Decoded::Text(
                    String::from_utf8_lossy(bytes),
                    Some(format!(
                        "invalid UTF-8 at byte offset {offset}; invalid bytes replaced with U+FFFD"
                    )),
                ),
                InvalidUtf8::Skip => {
                    Decoded::Skip(format!("invalid UTF-8 at byte offset {offset}, skipped"))
                }
                InvalidUtf8::Error => {
                    Decoded::Fail(format!("invalid UTF-8 at byte offset {offset}"))
                }
            }
        }
    }
}

/// Whether `path` is a file that a run over `inputs` reads: one of them, or a file in one of
/// them (a directory) that the `include` globs take.
pub(super) fn is_an_input(path: &Path, inputs: &[PathBuf], include: &GlobSet) -> bool {
    let Ok(canonical) = fs::canonicalize(path) else {
        return false; // a new file
    };
    inputs
        .iter()
        .filter_map(|i| fs::canonicalize(i).ok())
        .any(|input| match canonical.strip_prefix(&input) {
            Ok(relative) if input.is_dir() => include.is_match(relative),
            _ => canonical == input,
        })
}

/// A directory that outputs go to (`flag` names it) may not be an input directory. It is never
/// walked: inside an input directory, the files it holds are taken for outputs of an earlier
/// run. They may not be: an input subdirectory given by mistake would have its files skipped,
/// and replaced by outputs of the same names. So such a directory must be new or empty.
fn refuse_full_directory_in_inputs(flag: &str, dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(canonical) = fs::canonicalize(dir) else {
        return Ok(()); // not there yet: created empty
    };
    let holds_files = || fs::read_dir(&canonical).is_ok_and(|mut entries| entries.next().is_some());
    for input in inputs.iter().filter(|input| input.is_dir()) {
        let Ok(input_dir) = fs::canonicalize(input) else {
            continue;
        };
        if canonical == input_dir {
            let hint = match flag {
                "-o" => "use --in-place to rewrite files, or choose another directory",
                _ => "choose another directory",
            };
            return Err(UsageError(format!(
                "the {flag} directory {} is the input directory; {hint}",
                dir.display()
            ))
            .into());
        }
        if canonical.starts_with(&input_dir) {
            if holds_files() {
                return Err(UsageError(format!(
                    "the {flag} directory {} is inside the input directory {} and is not empty: \
                     its files would not be cleaned, and outputs of the same names would replace \
                     them; empty it, or choose a directory outside the input",
                    dir.display(),
                    input.display()
                ))
                .into());
            }
            return Ok(());
        }
    }
    Ok(())
}

/// What a walk finds: a job, an input that cannot be listed (with why), or a directory where
/// no file was taken (with why, a warning).
enum Found {
    Job(Job),
    Failed(PathBuf, String),
    Nothing(PathBuf, String),
}

/// Turns the inputs into jobs: explicit files as given, directories walked.
struct Walker {
    include: GlobSet,
    exclude: GlobSet,
    /// The output and quarantine directories, canonical, when they exist (never walked into).
    skip: Vec<PathBuf>,
    /// The input directories that the output or quarantine directory holds, each with its path
    /// under it (`raw` for `clean data/raw -o data`): a document whose path under its input
    /// starts with that path would be written into the input directory, maybe over an input.
    into_inputs: Vec<(PathBuf, PathBuf)>,
    in_place: bool,
    dry_run: bool,
}

impl Walker {
    fn new(args: &CleanArgs) -> Result<Walker> {
        // One input that is not a directory goes to stdout; if it cannot be read, that is
        // reported like any other unreadable input.
        let single_file = args.inputs.len() == 1 && !args.inputs[0].is_dir();
        if args.output.is_none() && !args.in_place && !single_file && !args.dry_run {
            return Err(UsageError(
                "cleaning directories or several files needs `-o DIR` (mirror the tree into DIR) \
                 or `--in-place`; a single file or `-` writes to stdout"
                    .into(),
            )
            .into());
        }
        if !args.dry_run {
            for (flag, dir) in [("-o", &args.output), ("--quarantine", &args.quarantine)] {
                if let Some(dir) = dir {
                    refuse_full_directory_in_inputs(flag, dir, &args.inputs)?;
                }
            }
        }
        let output = match &args.output {
            // A dry run creates nothing; an output directory that exists is still not walked.
            Some(dir) if args.dry_run => fs::canonicalize(dir).ok(),
            Some(dir) => {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create output directory {}", dir.display()))?;
                let canonical = fs::canonicalize(dir)
                    .with_context(|| format!("cannot resolve {}", dir.display()))?;
                Some(canonical)
            }
            None => None,
        };
        let quarantine = args
            .quarantine
            .as_ref()
            .and_then(|dir| fs::canonicalize(dir).ok());
        let skip: Vec<PathBuf> = output.into_iter().chain(quarantine).collect();
        // Where a directory that outputs go to holds an input directory, the input's path under
        // it (a dry run writes nothing).
        let input_dirs: Vec<PathBuf> = (args.inputs.iter())
            .filter(|input| input.is_dir())
            .filter_map(|input| fs::canonicalize(input).ok())
            .collect();
        let into_inputs = match args.dry_run {
            true => Vec::new(),
            false => (skip.iter())
                .flat_map(|dir| {
                    let under =
                        move |i: &PathBuf| Some((i.strip_prefix(dir).ok()?.into(), i.clone()));
                    input_dirs.iter().filter_map(under)
                })
                .collect(),
        };
        Ok(Walker {
            include: globs(&include_globs(args))?,
            exclude: globs(&args.walk.exclude)?,
            skip,
            into_inputs,
            in_place: args.in_place,
            dry_run: args.dry_run,
        })
    }

    fn destination(&self, args: &CleanArgs, relative: &Path, format: InputFormat) -> Destination {
        if self.dry_run {
            return Destination::Report;
        }
        match &args.output {
            Some(dir) => match (format, args.compress) {
                (InputFormat::Warc, compress) if args.to.is_some() => {
                    Destination::File(warc::jsonl_name(&dir.join(relative), compress))
                }
                (InputFormat::Jsonl, Some(compress)) => {
                    Destination::File(compress.rename(&dir.join(relative)))
                }
                _ => Destination::File(dir.join(relative)),
            },
            None if self.in_place => Destination::InPlace,
            None => Destination::Stdout,
        }
    }

    /// The jobs, and the inputs that could not be listed (with why).
    fn plan(&self, args: &CleanArgs, reporter: &Reporter) -> (Vec<Job>, Vec<(PathBuf, String)>) {
        let (mut jobs, mut failed) = (Vec::new(), Vec::new());
        self.walk(args, |found| {
            match found {
                Found::Job(job) => jobs.push(job),
                Found::Failed(path, why) => failed.push((path, why)),
                Found::Nothing(path, why) => reporter.warn(&path, why),
            }
            true
        });
        (jobs, failed)
    }

    /// Hand `found` each job, and each input that cannot be listed, in order, for as long as it
    /// returns true.
    fn walk(&self, args: &CleanArgs, mut found: impl FnMut(Found) -> bool) {
        // Destinations are compared as bytes: each is the output directory joined to a path
        // made of normal components (a walked path under its input, or a file name). They can
        // only meet when several inputs share the output directory, or when `--compress` or
        // `--to` renames two inputs alike (`a.jsonl`, `a.jsonl.gz`; `a.warc`, `a.wet`);
        // otherwise none is remembered.
        let dedupe = args.inputs.len() > 1 || args.compress.is_some() || args.to.is_some();
        let mut taken: FxHashSet<OsString> = FxHashSet::default();
        let mut add = |src: PathBuf,
                       relative: PathBuf,
                       format: InputFormat,
                       dst: Destination,
                       explicit: bool| {
            let into_input = self
                .into_inputs
                .iter()
                .find(|(u, _)| relative.starts_with(u));
            if let Some((_, input)) = into_input {
                let why = format!(
                    "its output (or quarantined copy) would be written into the input directory \
                     {}; not cleaned",
                    input.display()
                );
                return Found::Failed(src, why);
            }
            if let Destination::File(path) = &dst {
                if dedupe && !taken.insert(path.as_os_str().to_owned()) {
                    let why = format!("another input is also written to {}", path.display());
                    return Found::Failed(src, why);
                }
                // A walked file's mirror is under the output directory, which is never the
                // input directory; only an explicit file can sit where its output goes.
                if explicit && same_file(path, &src) {
                    return Found::Failed(src, "output would overwrite this input".into());
                }
            }
            Found::Job(Job {
                src,
                relative,
                dst,
                format,
            })
        };
        for input in &args.inputs {
            let meta = match fs::metadata(input) {
                Ok(meta) => meta,
                Err(err) => {
                    if !found(Found::Failed(input.clone(), format!("cannot read: {err}"))) {
                        return;
                    }
                    continue;
                }
            };
            if !meta.is_dir() {
                let name = input.file_name().map(PathBuf::from).unwrap_or_default();
                let format = format_of(args, &name);
                let dst = self.destination(args, &name, format);
                if !found(add(input.clone(), name, format, dst, true)) {
                    return;
                }
                continue;
            }
            let walk = WalkDir::new(input)
                .follow_links(args.walk.follow)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| self.walk_into(input, entry));
            let (mut files, mut taken) = (0, 0);
            for entry in walk {
                let next = match entry {
                    Ok(entry) if !entry.file_type().is_file() => continue,
                    // A temporary file of this tool, maybe of this very run: never an input.
                    Ok(entry) if output::is_temp_file(entry.file_name()) => continue,
                    Ok(entry) => {
                        files += 1;
                        let relative = under(entry.path(), input);
                        if !self.include.is_match(relative) {
                            continue;
                        }
                        taken += 1;
                        let format = format_of(args, relative);
                        let dst = self.destination(args, relative, format);
                        let relative = relative.to_path_buf();
                        add(entry.into_path(), relative, format, dst, false)
                    }
                    Err(err) => {
                        let path = err.path().unwrap_or(input).to_path_buf();
                        Found::Failed(path, walk_error(&err))
                    }
                };
                if !found(next) {
                    return;
                }
            }
            if taken == 0 {
                let why = match files {
                    0 if !args.walk.exclude.is_empty() => {
                        "no files here but those --exclude leaves out".to_string()
                    }
                    0 => "no files in this directory".to_string(),
                    n => format!(
                        "none of its {n} file(s) matched {} (choose files with -g GLOB)",
                        include_globs(args).join(", ")
                    ),
                };
                if !found(Found::Nothing(input.clone(), why)) {
                    return;
                }
            }
        }
    }

    /// `--report FILE` may not replace an input (an earlier report in an input directory,
    /// which the globs do not take, is replaced).
    fn refuse_report_over_an_input(&self, report: &Path, inputs: &[PathBuf]) -> Result<()> {
        match is_an_input(report, inputs, &self.include) {
            true => Err(UsageError(format!(
                "--report {} would replace an input file; write the report elsewhere",
                report.display()
            ))
            .into()),
            false => Ok(()),
        }
    }

    /// Whether the walk enters / keeps `entry`: not excluded, not the output directory.
    fn walk_into(&self, root: &Path, entry: &walkdir::DirEntry) -> bool {
        if entry.depth() > 0
            && !self.exclude.is_empty()
            && self.exclude.is_match(under(entry.path(), root))
        {
            return false;
        }
        if entry.file_type().is_dir() && !self.skip.is_empty() {
            return fs::canonicalize(entry.path()).map_or(true, |c| !self.skip.contains(&c));
        }
        true
    }
}

/// `path` relative to `root`, for a `path` found by walking `root` (which joins `root` and the
/// names below it). On Unix the bytes are cut, which is much cheaper than comparing the paths'
/// components.
fn under<'p>(path: &'p Path, root: &Path) -> &'p Path {
    #[cfg(unix)]
    {
        use std::{ffi::OsStr, os::unix::ffi::OsStrExt};
        let (bytes, prefix) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
        if let Some(rest) = bytes.strip_prefix(prefix) {
            if rest.is_empty() || rest[0] == b'/' || prefix.ends_with(b"/") {
                let start = rest.iter().position(|&b| b != b'/').unwrap_or(rest.len());
                return Path::new(OsStr::from_bytes(&rest[start..]));
            }
        }
    }
    path.strip_prefix(root).unwrap_or(path)
}

fn walk_error(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!(
            "symbolic link loop (points back to {}), not followed",
            ancestor.display()
        );
    }
    match err.io_error() {
        Some(io) => format!("cannot read: {io}"),
        None => err.to_string(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Text file names walked by default: plain, gzip or zstd.
pub const TEXT_GLOBS: &[&str] = &["*.txt", "*.txt.gz", "*.txt.zst", "*.txt.zstd"];

/// File names read as JSONL when no `--format` is given, and walked by default.
pub const JSONL_GLOBS: &[&str] = &[
    "*.jsonl",
    "*.ndjson",
    "*.jsonl.gz",
    "*.ndjson.gz",
    "*.json.gz",
    "*.jsonl.zst",
    "*.ndjson.zst",
    "*.json.zst",
];

/// WARC and WET file names, read as WARC records when no `--format` is given, and walked by
/// default.
pub const WARC_GLOBS: &[&str] = &["*.warc", "*.wet", "*.warc.gz", "*.wet.gz"];

/// The globs that select walked files: `-g`, or the default for the format.
fn include_globs(args: &CleanArgs) -> Vec<String> {
    select_globs(&args.walk.globs, args.format)
}

/// `-g` globs if any were given, else the default for the format: the text names, the JSONL names, or
/// both when the format goes by file name. `mine` selects files the same way.
pub(super) fn select_globs(given: &[String], format: Option<InputFormat>) -> Vec<String> {
    if !given.is_empty() {
        return given.to_vec();
    }
    let text = TEXT_GLOBS.iter();
    let jsonl = JSONL_GLOBS.iter();
    let warc = WARC_GLOBS.iter();
    let globs: Vec<&&str> = match format {
        Some(InputFormat::Text) => text.collect(),
        Some(InputFormat::Jsonl) => jsonl.collect(),
        Some(InputFormat::Warc) => warc.collect(),
        None => text.chain(jsonl).chain(warc).collect(),
    };
    globs.into_iter().map(|g| g.to_string()).collect()
}

/// How to read `path`: `--format`, or by its name.
fn format_of(args: &CleanArgs, path: &Path) -> InputFormat {
    detect_format(args.format, path)
}

/// `format` if given, else by the file name: `.jsonl`, `.ndjson` and `.json`, each optionally
/// compressed, are JSONL; `.warc` and `.wet`, each optionally compressed, are WARC; anything
/// else is text. `mine` reads files the same way.
pub(super) fn detect_format(format: Option<InputFormat>, path: &Path) -> InputFormat {
    if let Some(format) = format {
        return format;
    }
    let Some(name) = path.file_name() else {
        return InputFormat::Text;
    };
    // The name's bytes, read as `Path::extension` reads them: a walk asks this of every file.
    let mut name = name.as_encoded_bytes();
    if let Some(compressed @ (b"gz" | b"zst" | b"zstd")) = extension(name) {
        name = &name[..name.len() - compressed.len() - 1];
    }
    match extension(name) {
        Some(b"jsonl" | b"ndjson" | b"json") => InputFormat::Jsonl,
        Some(b"warc" | b"wet") => InputFormat::Warc,
        _ => InputFormat::Text,
    }
}

/// What follows the last dot of a file name, unless that dot begins the name.
fn extension(name: &[u8]) -> Option<&[u8]> {
    match name.iter().rposition(|&b| b == b'.') {
        Some(dot) if dot > 0 => Some(&name[dot + 1..]),
        _ => None,
    }
}

pub(super) fn globs(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if pattern.starts_with('/') {
            // Walked paths are relative to their input directory: this would match nothing.
            return Err(UsageError(format!(
                "glob {pattern:?} starts with `/`, but globs match paths relative to the input \
                 directory (e.g. `drafts`, `2024/*.txt`), so it would match nothing"
            ))
            .into());
        }
        let glob =
            Glob::new(pattern).map_err(|e| UsageError(format!("bad glob {pattern:?}: {e}")))?;
        builder.add(glob);
    }
    Ok(builder.build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_cuts_the_root_off_a_walked_path() {
        let cases = [
            ("a/b", "a/b/c/d.txt", "c/d.txt"),
            ("a/b/", "a/b/c.txt", "c.txt"),
            ("a//b", "a//b/c.txt", "c.txt"),
            (".", "./c.txt", "c.txt"),
            ("/", "/c.txt", "c.txt"),
            ("a/b", "a/b", ""),
            // Not a walked path: the components are compared.
            ("a/b", "a/./b/c.txt", "c.txt"),
            ("a/b", "a/bc/d.txt", "a/bc/d.txt"),
        ];
        for (root, path, want) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(
                under(path, root),
                Path::new(want),
                "{path:?} under {root:?}"
            );
            let by_components = path.strip_prefix(root).unwrap_or(path);
            assert_eq!(under(path, root), by_components, "{path:?} under {root:?}");
        }
    }

    #[test]
    fn format_goes_by_the_name_under_any_compression() {
        let cases = [
            ("a.jsonl", InputFormat::Jsonl),
            ("dir.jsonl/a.txt", InputFormat::Text),
            ("a.ndjson.gz", InputFormat::Jsonl),
            ("a.json.zst", InputFormat::Jsonl),
            ("a.json", InputFormat::Jsonl),
            ("a.txt.gz", InputFormat::Text),
            ("a.gz", InputFormat::Text),
            (".jsonl", InputFormat::Text),
            ("jsonl.gz", InputFormat::Text),
            ("a.jsonl/", InputFormat::Jsonl),
            ("CC-MAIN-1.warc.wet.gz", InputFormat::Warc),
            ("a.warc", InputFormat::Warc),
            ("a.wet.zst", InputFormat::Warc),
            ("warc.gz", InputFormat::Text),
            ("", InputFormat::Text),
        ];
        for (name, want) in cases {
            assert_eq!(detect_format(None, Path::new(name)), want, "{name:?}");
        }
        // The same as reading the name with `Path`'s own methods.
        let by_path = |path: &Path| {
            let Some(name) = path.file_name().map(Path::new) else {
                return InputFormat::Text;
            };
            let name = match Compression::of_name(name) {
                Compression::None => name,
                _ => name.file_stem().map_or(name, Path::new),
            };
            match name.extension().and_then(|e| e.to_str()) {
                Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
                Some("warc" | "wet") => InputFormat::Warc,
                _ => InputFormat::Text,
            }
        };
        // Every name of up to five of these parts (`a.jsonl.gz`, `.json.zst/`, `a..gz`, ...).
        let parts = ["", ".", "a", "jsonl", "json", "wet", "gz", "zstd", "/"];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|name| parts.iter().map(move |part| format!("{name}{part}")))
                .collect();
        }
        for name in names {
            let path = Path::new(&name);
            assert_eq!(detect_format(None, path), by_path(path), "{name:?}");
        }
        let text = Some(InputFormat::Text);
        assert_eq!(detect_format(text, Path::new("a.jsonl")), InputFormat::Text);
    }
}
