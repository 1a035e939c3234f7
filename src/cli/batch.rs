//! `boilerstrip clean`, the driver of the pipeline: *sources* ([`super::source`]: the inputs
//! walked, or stdin) → the *job* ([`super::job`]: per document, the one policy of every format)
//! → *sinks* (an atomic [`super::output::Output`] for every file written, stdout in job order,
//! or the diffs of a dry run). Per-format code ([`super::text`], [`super::jsonl`],
//! [`super::warc`]) only reads and writes its documents. The settings come resolved in a
//! [`Config`].
//!
//! The walk runs in its own thread and hands the cleaning its jobs a chunk at a time, so
//! cleaning starts at once and memory does not grow with the number of files (but with
//! `--learn`, which reads the whole batch first). The jobs of a chunk are cleaned in parallel
//! and their outcomes delivered in job order while the next chunk is cleaned: what is printed,
//! the totals and the audit file (`--report`, see [`super::audit`]) are the same at any thread
//! count. One bad input never stops the batch: it is reported with its path, counted, and
//! decides the exit code at the end.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::{Context, Result};
use boilerstrip::Cleaner;
use rayon::prelude::*;

use super::args::{CleanArgs, InputFormat};
use super::audit::Audit;
use super::config::{refused_with_parquet, Config, Learn};
use super::format;
use super::interrupt;
use super::job::{rule_names, Audited, Destination, Outcome, Shared};
use super::jsonl;
use super::learn::Learning;
use super::messages::{Messages, Progress};
use super::parquet;
use super::source::{self, Found, Job, Walker};
use super::summary::{Summary, Timer};
use super::text;
use super::warc;
use super::worker_pool;

/// Jobs cleaned in parallel between two prints to stdout: bounds the memory held by outputs
/// waiting for their turn.
const CHUNK: usize = 256;

/// Jobs cleaned in parallel at a time when nothing is printed (outputs are files): each chunk
/// ends with the threads waiting for the last job, and the threads take the two halves of a
/// chunk, which in a large chunk lie in different directories (two threads writing into one
/// directory wait for each other's renames).
const QUIET_CHUNK: usize = 8192;

/// The outcomes of consecutive documents (a split of a chunk that one worker took), merged by
/// that worker: each document's totals are freed on the thread that allocated them, and the
/// deliverer merges a few parts per chunk instead of every document.
#[derive(Default)]
struct Part {
    summary: Summary,
    /// What each document prints on stdout, in order.
    stdout: Vec<Vec<u8>>,
    /// The documents' parts of the audit file, in order.
    audits: Vec<Audited>,
}

impl Part {
    fn add(&mut self, outcome: Outcome) {
        self.summary = std::mem::take(&mut self.summary).merge(outcome.summary);
        self.stdout.push(outcome.stdout);
        self.audits.extend(outcome.audit);
    }
}

/// Print what the jobs produced for stdout, in order.
fn print(messages: &Messages, chunks: &[Vec<u8>]) -> Result<()> {
    if chunks.iter().all(Vec::is_empty) {
        return Ok(());
    }
    messages
        .suspend(|| {
            let mut out = super::stdout()?.lock();
            for chunk in chunks {
                out.write_all(chunk)?;
            }
            out.flush()
        })
        .context("writing to stdout")
}

/// The audit file, if asked for; fails early when its directory cannot take a file.
fn start_audit(config: &Config, cleaner: &Cleaner) -> Result<Option<Audit>> {
    let Some((path, options)) = &config.audit else {
        return Ok(None);
    };
    let audit = Audit::create(path, cleaner, options.clone())
        .with_context(|| format!("cannot write the report {}", path.display()))?;
    Ok(Some(audit))
}

/// Write the audit file, if asked for, with the run's totals.
fn finish_audit(audit: Option<Audit>, summary: &Summary, config: &Config) -> Result<()> {
    if let (Some(audit), Some(path)) = (audit, config.audit_path()) {
        audit
            .finish(summary)
            .with_context(|| format!("cannot write the report {}", path.display()))?;
    }
    Ok(())
}

/// The exit code for a finished run.
fn exit_code(summary: &Summary, config: &Config) -> ExitCode {
    if summary.failed > 0 || (config.fail_on_change && summary.different > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Run `boilerstrip clean`.
pub fn run(args: CleanArgs) -> Result<ExitCode> {
    let (config, cleaner) = Config::new(args)?;
    let pool = worker_pool(config.threads, config.quiet)?;
    if config.stdin {
        return pool.install(|| clean_stdin(&cleaner, &config));
    }

    // Stdin goes to stdout, which leaves no partial file: a signal ends such a run at once.
    interrupt::install().context("installing the signal handlers")?;
    let timer = Timer::start();
    let mut audit = start_audit(&config, &cleaner)?;
    let walker = Walker::new(&config)?;
    if let Some(path) = config.audit_path() {
        walker.refuse_report_over_an_input(path, &config.inputs)?;
    }
    // The bar's length grows as the walk finds files.
    let directories = config.inputs.iter().filter(|input| input.is_dir()).count();
    let progress = match one_stream(&config) {
        Some(size) => Progress::Bytes(size),
        None => Progress::for_inputs(config.inputs.len(), directories),
    };
    let messages = Messages::growing(progress, config.quiet);
    let mut ctx = Shared::new(&config, &cleaner, &messages);
    let mut summary = Summary::default();
    // The outcomes of one chunk are merged and printed while the next chunk is cleaned.
    let deliver = |done: Vec<Part>| -> Result<()> {
        let mut stdout = Vec::new();
        for part in done {
            if let Some(audit) = &mut audit {
                part.audits
                    .into_iter()
                    .for_each(|part| add_to_audit(audit, part));
            }
            summary = std::mem::take(&mut summary).merge(part.summary);
            stdout.extend(part.stdout);
        }
        print(&messages, &stdout)
    };
    let chunk = if config.prints() { CHUNK } else { QUIET_CHUNK };
    let failed_inputs = if let Some(settings) = config.learn.as_ref().filter(|_| cleaner.learns()) {
        // `--learn` reads the whole batch before it cleans any of it.
        let (jobs, failed) = walker.plan(&config, &messages);
        for (path, why) in &failed {
            messages.error(path, why);
        }
        ctx.learning = Some(learn(&config, settings, &jobs, &pool, &messages));
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
            let (walker, config, messages) = (&walker, &config, &messages);
            let walking = scope.spawn(move || {
                let mut failed = 0u64;
                let mut jobs = Vec::with_capacity(chunk);
                walker.walk(config, |found| match found {
                    Found::Job(job) => {
                        jobs.push(job);
                        let full = jobs.len() == chunk;
                        // The cleaning has stopped if the send fails.
                        !full || tx.send(std::mem::take(&mut jobs)).is_ok()
                    }
                    Found::Failed(path, why) => {
                        messages.error(&path, why);
                        failed += 1;
                        true
                    }
                    Found::Nothing(path, why) => {
                        messages.warn(&path, why);
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
    messages.finish();
    if let Some(signal) = interrupt::interrupted() {
        return Ok(interrupted(signal, &summary));
    }
    let summary = Summary {
        failed: summary.failed + failed_inputs,
        ..summary
    };
    finish_audit(audit, &summary, &config)?;
    if config.shows_summary() {
        say_raw!(
            "{}",
            summary.render(timer.elapsed(), config.top, &rule_names(&cleaner))
        );
        if config.dry_run {
            let except = match config.audit_path() {
                Some(path) => format!(" but the report {}", path.display()),
                None => String::new(),
            };
            say!(
                "  dry run: {} document(s) would change; nothing was written{except}",
                summary.different
            );
        }
    }
    Ok(exit_code(&summary, &config))
}

/// The size of the one input of the run when it is a JSONL or WARC file, whose progress goes
/// by the bytes read, or a Parquet file, whose progress goes by its rows.
fn one_stream(config: &Config) -> Option<u64> {
    let [input] = &config.inputs[..] else {
        return None;
    };
    let meta = fs::metadata(input).ok().filter(fs::Metadata::is_file)?;
    match format::detect_format(config.format, input) {
        // A Parquet file's bar counts its rows, once its footer is read.
        InputFormat::Jsonl | InputFormat::Warc | InputFormat::Parquet => Some(meta.len()),
        InputFormat::Text => None,
    }
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
        ctx.messages.grow(jobs.len() as u64);
        let mut done = Ok(Vec::new());
        let mut delivered = Ok(());
        pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                done = jobs
                    .par_iter()
                    .try_fold(Part::default, |mut part, job| {
                        part.add(process(ctx, job)?);
                        ctx.messages.advance();
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
    config: &Config,
    learn: &Learn,
    jobs: &[Job],
    pool: &rayon::ThreadPool,
    messages: &Messages,
) -> Learning {
    let sources: Vec<(PathBuf, InputFormat)> = jobs
        .iter()
        .map(|job| (job.src.clone(), job.format))
        .collect();
    let learning = pool.install(|| {
        Learning::gather(
            &sources,
            &learn.group,
            &config.field,
            learn.min_docs,
            learn.min_share,
        )
    });
    if config.shows_summary() {
        messages.suspend(|| {
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

/// End a run stopped by `signal`: say how far it got; nothing else is written (no audit file).
fn interrupted(signal: i32, summary: &Summary) -> ExitCode {
    say!(
        "boilerstrip: interrupted by {}: {} document(s) done; no partial output left",
        interrupt::name(signal),
        summary.documents
    );
    ExitCode::from(interrupt::exit_code(signal))
}

/// Clean stdin to stdout.
fn clean_stdin(cleaner: &Cleaner, config: &Config) -> Result<ExitCode> {
    let timer = Timer::start();
    let messages = Messages::new(1, config.quiet);
    let ctx = Shared::new(config, cleaner, &messages);
    let (format, input, found) = source::stdin(config, &messages)?;
    if let (InputFormat::Parquet, Some(flag)) = (format, config.not_for_parquet.first()) {
        let why = refused_with_parquet(flag, &"<stdin>");
        return Err(super::UsageError(why).into());
    }
    let (outcome, audit) = match format {
        InputFormat::Warc => (warc::process_stdin(&ctx, input, config.dry_run)?, None),
        InputFormat::Parquet => (parquet::process_stdin(&ctx, input, config.dry_run)?, None),
        // Streamed: records are written as they are cleaned, chunk by chunk.
        InputFormat::Jsonl => (jsonl::process_stdin(&ctx, input, config.dry_run)?, None),
        InputFormat::Text => {
            let Some(bytes) = text::read_stdin(&ctx, input)? else {
                let summary = Outcome::failed().summary;
                finish_audit(start_audit(config, cleaner)?, &summary, config)?;
                return Ok(exit_code(&summary, config));
            };
            let audit = start_audit(config, cleaner)?;
            let dst = match config.dry_run {
                true => Destination::Diff,
                false => Destination::Stdout,
            };
            let source = text::Source {
                path: Path::new("<stdin>"),
                relative: None,
                compression: found,
            };
            (text::clean(&ctx, &source, &bytes, &dst)?, audit)
        }
    };
    print(&messages, &[outcome.stdout])?;
    let mut audit = match audit {
        Some(audit) => Some(audit),
        None => start_audit(config, cleaner)?,
    };
    if let (Some(audit), Some(part)) = (&mut audit, outcome.audit) {
        add_to_audit(audit, part);
    }
    finish_audit(audit, &outcome.summary, config)?;
    if config.summary {
        say_raw!(
            "{}",
            (outcome.summary).render(timer.elapsed(), config.top, &rule_names(cleaner))
        );
    }
    Ok(exit_code(&outcome.summary, config))
}

/// Add an input's part to the audit file.
fn add_to_audit(audit: &mut Audit, part: Audited) {
    match part {
        Audited::Document(doc) => audit.add(doc),
        Audited::Records(entries) => audit.append(entries),
    }
}

/// Read, clean and write one input; returns the totals, what to print on stdout and the
/// input's part of the audit file. Per-input problems are reported and counted, never returned
/// as errors.
fn process(ctx: &Shared, job: &Job) -> Result<Outcome> {
    if interrupt::interrupted().is_some() {
        return Ok(Outcome::default());
    }
    if let Destination::InPlace = job.dst {
        // Rewriting a FIFO, a socket or a device would replace it with a regular file (and
        // opening a FIFO waits for a writer): it is looked at, never opened. A file that cannot
        // be looked at is reported when it is read.
        if let Some(kind) = fs::metadata(&job.src).ok().and_then(|m| not_regular(&m)) {
            ctx.messages.warn(
                &job.src,
                format_args!(
                    "not a regular file ({kind}): --in-place rewrites only regular files; skipped"
                ),
            );
            return Ok(Outcome::skipped());
        }
    }
    match job.format {
        InputFormat::Jsonl => jsonl::process(ctx, &job.src, &job.dst),
        InputFormat::Warc => warc::process(ctx, &job.src, &job.dst),
        InputFormat::Parquet => parquet::process(ctx, &job.src, &job.dst),
        InputFormat::Text => text::process(ctx, &job.src, &job.relative, &job.dst),
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
