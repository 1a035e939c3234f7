//! The command-line front end (binary only): turns arguments into library calls, walks input
//! trees, writes outputs atomically, draws progress and prints the summary.

mod args;
mod audit;
mod batch;
mod compression;
mod diff;
mod explain;
mod interrupt;
mod jsonl;
mod report;
mod sanitize;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use boilerstrip::{rule, Cleaner};
use clap::Parser;

use args::{Cli, Command, Format, PatternArgs};

/// A mistake in how the tool was called (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Parse the command line and run it.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Clean(args) => batch::run(*args),
        Command::CheckPatterns(args) => check_patterns(&args.paths, args.no_default_patterns),
        Command::Rules(args) if args.literals => list_literals(&args.patterns),
        Command::Rules(args) => list_rules(&args.patterns, args.format),
        Command::Explain(args) => explain::run(&args),
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

/// Build the cleaner the pattern options ask for.
pub fn build_cleaner(args: &PatternArgs, fold_punctuation: bool) -> Result<Cleaner> {
    let mut builder = Cleaner::builder().fold_punctuation(fold_punctuation);
    if args.no_default_patterns {
        builder = builder.no_default_patterns();
    }
    for path in &args.patterns {
        builder = builder.patterns_path(path)?;
    }
    for name in &args.disable {
        builder = builder.disable(name);
    }
    Ok(builder.build()?)
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
        for set in rule::load_path(path)? {
            rules += set.rules.len();
            files += 1;
            builder = builder.pattern_set(set);
        }
    }
    let cleaner = builder.build()?;
    let failures = boilerstrip::examples::check(&cleaner);
    for failure in &failures {
        eprintln!("boilerstrip: {failure}");
    }
    if !failures.is_empty() {
        return Err(UsageError(format!("{} rule example(s) failed", failures.len())).into());
    }
    println!("ok: {rules} rules in {files} file(s)");
    Ok(ExitCode::SUCCESS)
}

/// `boilerstrip rules --literals`: the literal phrases of the active rules, one per line.
fn list_literals(args: &PatternArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(args, false)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
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
    let mut out = io::stdout().lock();
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
