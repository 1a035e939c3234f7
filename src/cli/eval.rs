//! `boilerstrip eval`: the bench metric on the user's own labelled data.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use boilerstrip::{Counts, Scores};
use rayon::prelude::*;

use super::args::EvalArgs;
use super::{build_cleaner_with, UsageError};

/// The gold file for input `name`: `<id>.gold.txt` for an input named `<id>.<extractor>.txt`
/// (the bench's layout, where inputs and gold share a folder), else the same name under the
/// gold folder (when that is not the input folder).
fn gold_for(input_dir: &Path, gold_dir: &Path, name: &str) -> Option<PathBuf> {
    let stem = name.strip_suffix(".txt")?;
    let id = stem.rsplit_once('.').map_or(stem, |(id, _)| id);
    let bench = gold_dir.join(format!("{id}.gold.txt"));
    if bench.is_file() {
        return Some(bench);
    }
    let same = gold_dir.join(name);
    let distinct = fs::canonicalize(input_dir).ok() != fs::canonicalize(gold_dir).ok();
    (distinct && same.is_file()).then_some(same)
}

fn read(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Run `boilerstrip eval`.
pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner_with(&args.patterns, false, Some(&args.classifier), true)?;
    let mut names: Vec<String> = fs::read_dir(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt") && !n.ends_with(".gold.txt"))
        .collect();
    names.sort();
    // Each input is scored (with whether its output was missing from --outputs, which scores
    // as empty), or left out for want of a gold file.
    let scored: Vec<(String, Option<(Counts, bool)>)> = names
        .par_iter()
        .map(|name| -> Result<_> {
            let Some(gold) = gold_for(&args.input, &args.gold, name) else {
                return Ok((name.clone(), None));
            };
            let input = read(&args.input.join(name))?;
            let gold = read(&gold)?;
            let (output, missing) = match &args.outputs {
                Some(dir) => read(&dir.join(name)).map_or((String::new(), true), |o| (o, false)),
                None => (cleaner.clean(&input).text, false),
            };
            Ok((
                name.clone(),
                Some((Counts::of(&input, &gold, &output), missing)),
            ))
        })
        .collect::<Result<_>>()?;
    let names_where = |keep: fn(&Option<(Counts, bool)>) -> bool| -> Vec<String> {
        (scored.iter().filter(|(_, s)| keep(s)))
            .map(|(name, _)| name.clone())
            .collect()
    };
    let without_gold = names_where(|s| s.is_none());
    let missing = names_where(|s| matches!(s, Some((_, true))));
    let docs: Vec<(String, Counts)> = (scored.into_iter())
        .filter_map(|(name, s)| Some((name, s?.0)))
        .collect();
    let listed = |names: &[String]| match names.len() {
        0..=5 => names.join(", "),
        n => format!("{}, and {} more", names[..5].join(", "), n - 5),
    };
    if !without_gold.is_empty() {
        say!(
            "boilerstrip: note: {} input(s) without a gold file left out: {}",
            without_gold.len(),
            listed(&without_gold)
        );
    }
    if let Some(dir) = args.outputs.as_ref().filter(|_| !missing.is_empty()) {
        say!(
            "boilerstrip: warning: {} input(s) have no output in {}, scored as empty: {}",
            missing.len(),
            dir.display(),
            listed(&missing)
        );
    }
    if docs.is_empty() {
        return Err(UsageError(format!(
            "no input in {} has a gold file in {} (same name, or <id>.gold.txt)",
            args.input.display(),
            args.gold.display()
        ))
        .into());
    }
    // Groups: every document, and each extractor (`<id>.<extractor>.txt`).
    let mut groups: BTreeMap<String, Vec<Counts>> = BTreeMap::new();
    for (name, counts) in &docs {
        groups.entry("ALL".into()).or_default().push(*counts);
        if let Some((_, ext)) = name.trim_end_matches(".txt").rsplit_once('.') {
            groups.entry(ext.to_string()).or_default().push(*counts);
        }
    }
    let mut out = super::stdout()?.lock();
    if args.json {
        let json: BTreeMap<&String, serde_json::Value> = groups
            .iter()
            .map(|(k, v)| {
                let value = serde_json::json!({
                    "micro": Scores::micro(v),
                    "macro": Scores::macro_average(v),
                });
                (k, value)
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        writeln!(
            out,
            "{:<14} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "group", "docs", "kept", "junkrm", "P", "R", "F1", "F1mac"
        )?;
        for (group, counts) in &groups {
            let (m, a) = (Scores::micro(counts), Scores::macro_average(counts));
            writeln!(
                out,
                "{:<14} {:>5} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                group,
                m.documents,
                f(m.content_kept),
                f(m.junk_removed),
                m.precision,
                m.recall,
                m.f1,
                a.f1
            )?;
        }
    }
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}
