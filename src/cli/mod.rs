//! The command-line front end (binary only): turns arguments into library calls, walks input
//! trees, writes outputs atomically, draws progress and prints the summary.

mod args;
mod audit;
mod batch;
mod chunks;
mod compression;
mod config;
mod diff;
mod eval;
mod explain;
mod format;
mod generate;
mod interrupt;
mod job;
mod jsonl;
mod learn;
mod messages;
mod mine;
mod output;
mod parquet;
mod readahead;
mod sanitize;
mod source;
mod suggest;
mod summary;
mod text;
mod train;
mod warc;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use boilerstrip::{rule, Cleaner, CommentOptions, InputKind, Model};
use clap::Parser;

use args::{ClassifierArgs, Cli, Command, Format, InputKindArg, PatternArgs};

/// A mistake in how the tool was called (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Parse the command line and run it.
pub fn run() -> Result<ExitCode> {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    if let Command::Clean(args) = &mut cli.command {
        args::check_annotate(args, std::env::args_os()).map_err(UsageError)?;
        warc::read_as_warc_for_to(args).map_err(UsageError)?;
    }
    match cli.command {
        Command::Clean(args) => batch::run(*args),
        Command::CheckPatterns(args) => check_patterns(&args.paths, args.no_default_patterns),
        Command::Rules(args) if args.literals => list_literals(&args.patterns),
        Command::Rules(args) => list_rules(&args.patterns, args.format),
        Command::Explain(args) => explain::run(&args),
        Command::Mine(args) => mine::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Generate(args) => generate::run(args.kind),
    }
}

/// What clap's `Error::exit` does, with the write checked: `--help` and `--version` print to
/// stdout, where a failed write (`>/dev/full`) is an error like any other write of the data
/// (clap's own `exit` drops it and exits 0); a usage error prints to stderr, where a message
/// that cannot be written is dropped, and exits 2.
fn clap_exit(err: &clap::Error) -> Result<ExitCode> {
    if !err.use_stderr() {
        stdout().context("writing to stdout")?;
    }
    let printed = err.print();
    if err.use_stderr() {
        return Ok(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)));
    }
    printed.context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Stdout, to write the data to; an error when it was closed when the process started (`>&-`). The runtime has reopened it on `/dev/null` by then, where
/// every write would succeed and the output be lost with exit code 0; see
/// [`closed_stdio::closed_at_start`]. Every write of a command's output goes through here.
pub fn stdout() -> io::Result<io::Stdout> {
    match closed_stdio::closed_at_start(1) {
        true => Err(io::Error::other(
            "stdout is closed (>&-): the output would be lost",
        )),
        false => Ok(io::stdout()),
    }
}

/// Whether the error is a write to a closed pipe, which ends a run quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The exit code for a fatal error: 2 for usage and pattern errors, 1 otherwise.
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    let usage = err.chain().any(|cause| {
        cause.is::<UsageError>()
            || cause.is::<boilerstrip::Error>()
            || cause.is::<boilerstrip::PatternError>()
    });
    if usage {
        2
    } else {
        1
    }
}

/// Worker threads per available core that `-j` may ask for: more only cost memory and start-up
/// time (`-j 100000` never got to work).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The worker pool `-j N` asks for (all cores without it), capped at [`MAX_THREADS_PER_CORE`]
/// times the available cores, with a warning (hidden by `--quiet`) when it is.
pub fn worker_pool(threads: Option<usize>, quiet: bool) -> Result<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores.saturating_mul(MAX_THREADS_PER_CORE);
    let threads = match threads {
        Some(n) if n > cap => {
            if !quiet {
                say!(
                    "boilerstrip: warning: -j {n} is more than {MAX_THREADS_PER_CORE} threads per \
                     available core ({cores}); using -j {cap}"
                );
            }
            cap
        }
        // 0 is rayon's default: one thread per core.
        n => n.unwrap_or(0),
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")
}

/// Build the cleaner the pattern options ask for.
pub fn build_cleaner(args: &PatternArgs, fold_punctuation: bool) -> Result<Cleaner> {
    build_cleaner_with(args, fold_punctuation, None, true)
}

/// The comment-section options the command line asks for.
fn comment_options(args: &ClassifierArgs) -> CommentOptions {
    let mut o = CommentOptions::default();
    macro_rules! set {
        ($($field:ident = $arg:ident),*) => {$(if let Some(v) = args.$arg { o.$field = v; })*};
    }
    set!(
        min_article_words = comments_min_article_words,
        min_signatures = comments_min_signatures,
        max_gap_lines = comments_max_gap_lines,
        header_lines = comments_header_lines
    );
    o
}

/// The input kind the command line asks for.
fn input_kind(args: &ClassifierArgs) -> InputKind {
    match args.input_kind {
        InputKindArg::Auto => InputKind::Auto,
        InputKindArg::Article => InputKind::Article,
        InputKindArg::Page => InputKind::Page,
    }
}

/// Build the cleaner the pattern and classifier options ask for; `hit_texts` when what each
/// rule removed is shown (a dry run, a report), not only counted.
pub fn build_cleaner_with(
    args: &PatternArgs,
    fold_punctuation: bool,
    classifier: Option<&ClassifierArgs>,
    hit_texts: bool,
) -> Result<Cleaner> {
    let mut builder = Cleaner::builder()
        .fold_punctuation(fold_punctuation)
        .hit_texts(hit_texts);
    if let Some(classifier) = classifier {
        builder = builder
            .input_kind(input_kind(classifier))
            .comments(comment_options(classifier))
            .explain(hit_texts);
        if let Some(path) = &classifier.model {
            let bytes = std::fs::read(path)
                .with_context(|| format!("reading the model {}", path.display()))?;
            let model = Model::from_bytes(&bytes)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
            builder = builder.model(model);
        }
        if let Some(threshold) = classifier.keep_threshold {
            builder = builder.keep_threshold(threshold as f32);
        }
    }
    if args.no_default_patterns {
        builder = builder.no_default_patterns();
    }
    for path in &args.patterns {
        builder = builder.patterns_path(path)?;
    }
    for name in &args.disable {
        builder = builder.disable(name);
    }
    match builder.build() {
        Err(boilerstrip::Error::UnknownName(name)) => {
            let near = suggest::did_you_mean(&disable_suggestions(args, &name));
            Err(UsageError(format!(
                "cannot disable {name:?}: no such rule, set or pass{near} (see `boilerstrip rules`)"
            ))
            .into())
        }
        built => Ok(built?),
    }
}

/// The rule ids and names, set names and passes that `--disable` takes closest to `name`.
fn disable_suggestions(args: &PatternArgs, name: &str) -> Vec<String> {
    let everything = PatternArgs {
        disable: Vec::new(),
        ..args.clone()
    };
    let Ok(cleaner) = build_cleaner(&everything, false) else {
        return Vec::new();
    };
    let passes = cleaner.passes();
    let rules = cleaner.rules().iter();
    let known = (rules.flat_map(|r| [&*r.id, &*r.name, &*r.set]))
        .chain(passes.iter().flat_map(|p| [p.id, p.name]));
    suggest::similar(name, known)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// `boilerstrip check-patterns`: load the files together with the default sets (unless told
/// not to; ids must not clash) and run every rule's examples.
fn check_patterns(paths: &[std::path::PathBuf], alone: bool) -> Result<ExitCode> {
    let mut builder = Cleaner::builder();
    if alone {
        builder = builder.no_default_patterns();
    }
    let (mut rules, mut files) = (0, 0);
    for path in paths {
        let sets = rule::load_path(path)?;
        if sets.is_empty() {
            // A check of nothing would pass: say so rather than print `ok`.
            return Err(UsageError(format!(
                "{}: no pattern files (*.toml) in this directory",
                path.display()
            ))
            .into());
        }
        for set in sets {
            rules += set.rules.len();
            files += 1;
            builder = builder.pattern_set(set);
        }
    }
    let cleaner = builder.build()?;
    let failures = cleaner.check_examples();
    for failure in &failures {
        say!("boilerstrip: {failure}");
    }
    if !failures.is_empty() {
        return Err(UsageError(format!("{} rule example(s) failed", failures.len())).into());
    }
    writeln!(stdout()?, "ok: {rules} rules in {files} file(s)").context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// `boilerstrip rules --literals`: the literal phrases of the active rules, one per line.
fn list_literals(args: &PatternArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(args, false)?;
    let mut out = io::BufWriter::new(stdout()?.lock());
    for rule in cleaner.rules() {
        if let boilerstrip::rule::Matcher::Phrases(phrases) = &rule.matcher {
            for phrase in phrases {
                writeln!(out, "{phrase}")?;
            }
        }
    }
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// `boilerstrip rules`: every active rule and pass.
fn list_rules(args: &PatternArgs, format: Format) -> Result<ExitCode> {
    let cleaner = build_cleaner(args, false)?;
    let mut out = stdout()?.lock();
    match format {
        Format::Json => {
            let listing = serde_json::json!({
                "rules": cleaner.rules(),
                "passes": cleaner.passes(),
            });
            // Rendered first, so that a closed pipe surfaces as the io::Error it is.
            let text = serde_json::to_string_pretty(&listing)?;
            writeln!(out, "{text}")?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<9} {:<14} {:<13} {:<9} NAME",
                "ID", "SET", "ACTION", "ZONE"
            )?;
            for r in cleaner.rules() {
                writeln!(
                    out,
                    "{:<9} {:<14} {:<13} {:<9} {}",
                    r.id,
                    r.set,
                    r.action.as_str(),
                    r.zone.to_string(),
                    r.name
                )?;
            }
            for p in cleaner.passes() {
                writeln!(
                    out,
                    "{:<9} {:<14} {:<13} {:<9} {}",
                    p.id, "(pass)", "-", "any", p.name
                )?;
            }
        }
    }
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}
