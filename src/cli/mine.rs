//! `boilerstrip mine`: count the lines that repeat across the documents of each group (pass
//! one, bounded memory), confirm the frequent ones with exact counts (pass two), and write them
//! as candidate rules for review, with a table of what they would remove.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use boilerstrip::mine::{self, Candidate, Guards, LineCounts};
use boilerstrip::{normalize, trim_line};
use globset::GlobSet;
use walkdir::WalkDir;

use super::args::{InputFormat, MineArgs};
use super::format::{detect_format, select_globs};
use super::learn::{scan, Grouping};
use super::messages::{sanitize, Messages};
use super::output;
use super::source::{globs, is_an_input};
use super::{build_cleaner, worker_pool, UsageError};

/// Characters of a line shown in the table.
const SHOWN_CHARS: usize = 60;

/// Run `boilerstrip mine`.
pub fn run(args: &MineArgs) -> Result<ExitCode> {
    let include = globs(&select_globs(&args.walk.globs, args.format))?;
    let exclude = globs(&args.walk.exclude)?;
    if let Some(path) = &args.output {
        if is_an_input(path, &args.inputs, &include) {
            return Err(UsageError(format!(
                "-o {} would replace an input file; write the rules elsewhere",
                path.display()
            ))
            .into());
        }
    }
    let cleaner = build_cleaner(&args.patterns, false)?;
    let pool = worker_pool(args.threads, args.quiet)?;
    // `mine` reports bad inputs; it draws no bar, which would never move.
    let messages = Messages::without_bar(args.quiet);
    let (sources, failed_inputs) = sources(args, &include, &exclude);
    for (path, message) in &failed_inputs {
        messages.error(path, message);
    }
    let grouping = Grouping::new(&args.group);
    let guards = Guards::default();

    let mut counts = LineCounts::new(guards).max_entries(args.max_entries);
    let failed = pool.install(|| {
        scan(
            &sources,
            &grouping,
            &args.field,
            guards,
            Some(&messages),
            |docs| {
                for doc in docs {
                    counts.add(&doc.group, &doc.lines);
                }
            },
        )
    });
    let mut confirmation = counts.confirm(args.min_docs, args.min_share);
    if !confirmation.is_empty() {
        pool.install(|| {
            scan(&sources, &grouping, &args.field, guards, None, |docs| {
                for doc in docs {
                    confirmation.add(&doc.group, &doc.name, &doc.lines);
                }
            })
        });
    }
    // Lines the active rules remove already need no rule of their own, and a line that a rule
    // keeps as its example of prose must not become a rule (check-patterns would fail).
    let keep: HashSet<String> = cleaner
        .rules()
        .iter()
        .flat_map(|rule| &rule.keep)
        .map(|example| trim_line(&normalize(example)).to_lowercase())
        .collect();
    let mut handled = 0;
    let candidates: Vec<Candidate> = confirmation
        .candidates()
        .into_iter()
        .filter_map(|mut candidate| {
            candidate.phrases.retain(|phrase| {
                !cleaner.clean(phrase).text.is_empty() && !keep.contains(&phrase.to_lowercase())
            });
            if candidate.phrases.is_empty() {
                handled += 1;
                None
            } else {
                Some(candidate)
            }
        })
        .collect();

    let rules = mine::pattern_file(&candidates, &args.id_prefix, "mined");
    let table = table(&candidates, &args.id_prefix);
    let summary = format!(
        "mined {} candidate rule(s) from {} document(s){}; {handled} more repeated line(s) are \
         removed by the active rules already\n",
        candidates.len(),
        counts.documents(),
        match counts.pruned_below() {
            0 => String::new(),
            n => format!(
                " (the count table was full: lines in at most {n} document(s) when it was pruned \
                 may be missing; raise --max-entries)"
            ),
        },
    );
    match &args.output {
        Some(path) => {
            output::write(path, rules.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !args.quiet {
                let mut out = super::stdout()?.lock();
                out.write_all(table.as_bytes())
                    .and_then(|()| out.write_all(summary.as_bytes()))
                    .and_then(|()| out.flush())
                    .context("writing to stdout")?;
            }
        }
        None => {
            let mut out = super::stdout()?.lock();
            out.write_all(rules.as_bytes())
                .and_then(|()| out.flush())
                .context("writing to stdout")?;
            if !args.quiet {
                say_raw!("{table}{summary}");
            }
        }
    }
    let failed = failed + failed_inputs.len() as u64;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The candidates for people: id, documents, groups, bytes, the line and its main group.
fn table(candidates: &[Candidate], prefix: &str) -> String {
    let mut out = String::new();
    let width = prefix.len() + 4;
    let _ = writeln!(
        out,
        "{:<width$} {:>6} {:>6} {:>8}  LINE (MAIN GROUP)",
        "ID", "DOCS", "GROUPS", "BYTES"
    );
    for (n, candidate) in candidates.iter().enumerate() {
        let line = &candidate.phrases[0];
        let mut shown: String = line.chars().take(SHOWN_CHARS).collect();
        if shown.len() < line.len() {
            shown.push('…');
        }
        let main = candidate
            .groups
            .first()
            .map(|g| format!("{}/{} {}", g.documents, g.of, g.group))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<width$} {:>6} {:>6} {:>8}  {} ({})",
            format!("{prefix}{:04}", n + 1),
            candidate.documents,
            candidate.groups.len(),
            candidate.bytes,
            sanitize(&shown),
            sanitize(&main)
        );
    }
    out
}

/// The documents to read, in order: files as given, directories walked in name order (the
/// files the `include` globs take, not under a path `exclude` matches); and the inputs that
/// could not be listed.
#[allow(clippy::type_complexity)]
fn sources(
    args: &MineArgs,
    include: &GlobSet,
    exclude: &GlobSet,
) -> (Vec<(PathBuf, InputFormat)>, Vec<(PathBuf, String)>) {
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for input in &args.inputs {
        if !input.is_dir() {
            if input.exists() {
                found.push((input.clone(), detect_format(args.format, input)));
            } else {
                failed.push((
                    input.clone(),
                    "cannot read: no such file or directory".into(),
                ));
            }
            continue;
        }
        let relative = |path: &Path| path.strip_prefix(input).unwrap_or(path).to_path_buf();
        let walk = WalkDir::new(input)
            .follow_links(args.walk.follow)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !exclude.is_match(relative(entry.path())));
        for entry in walk {
            match entry {
                // A link to a file is read like a file (links to directories are walked only
                // with --follow).
                Ok(entry) if entry.file_type().is_file() || entry.path().is_file() => {
                    if include.is_match(relative(entry.path())) {
                        let path = entry.path().to_path_buf();
                        let format = detect_format(args.format, &path);
                        found.push((path, format));
                    }
                }
                Ok(_) => {}
                Err(err) => failed.push((
                    err.path().unwrap_or(input).to_path_buf(),
                    format!("cannot read: {err}"),
                )),
            }
        }
    }
    (found, failed)
}
