//! `boilerstrip train`: a line model from documents with gold text.
//!
//! Two forms of training data are read:
//! * a directory in the bench's layout: inputs `<id>.<source>.txt` (or `<id>.txt`) with their
//!   gold text in `<id>.gold.txt` beside them; documents under a directory named `page` or
//!   `pages` are raw page dumps, the others extracted text; a `pages.tsv` at the top (columns
//!   `id` and `site`) names each page's site, which groups documents for the folds (without it,
//!   each id is a group of its own);
//! * a JSONL file of records `{"text": ..., "gold": ...}`, with `"kind": "page"` for raw page
//!   dumps and `"group"` (a site, say) where known.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use boilerstrip::train::{self, Example, Options};

use super::args::TrainArgs;
use super::output;
use super::{worker_pool, UsageError};

/// Run `boilerstrip train`.
pub fn run(args: &TrainArgs) -> Result<ExitCode> {
    let pool = worker_pool(args.threads, args.quiet)?;
    let mut examples = Vec::new();
    for input in &args.inputs {
        if input.is_dir() {
            examples.extend(read_tree(input)?);
        } else if input.is_file() {
            examples.extend(read_jsonl(input)?);
        } else {
            return Err(
                UsageError(format!("{}: no such file or directory", input.display())).into(),
            );
        }
    }
    if let Some(holdout) = args.holdout {
        let Some(folds) = &args.folds else {
            return Err(UsageError("--holdout needs --folds FILE".into()).into());
        };
        let fold_of = read_folds(folds)?;
        let before = examples.len();
        let mut unknown = Vec::new();
        examples.retain(|e| match fold_of.get(&e.group) {
            Some(&f) => f != holdout,
            None => {
                unknown.push(e.group.clone());
                true
            }
        });
        if !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            bail!(
                "{}: {} groups are in no fold, e.g. {}",
                folds.display(),
                unknown.len(),
                unknown[0]
            );
        }
        if !args.quiet {
            say!("boilerstrip: holding out fold {holdout}: {} of {before} documents left to train on", examples.len());
        }
    }
    if examples.is_empty() {
        return Err(
            UsageError("no training documents (inputs with gold text) found".into()).into(),
        );
    }
    let quiet = args.quiet;
    let progress = move |what: &str| {
        if !quiet {
            say!("boilerstrip: {what}");
        }
    };
    let options = Options {
        article_threshold: args.article_threshold as f32,
        page_threshold: args.page_threshold as f32,
        ..Options::default()
    };
    let trained = pool.install(|| train::train(&examples, &options, &progress))?;
    output::write(&args.output, &trained.model.to_bytes())
        .with_context(|| format!("writing {}", args.output.display()))?;
    if !args.quiet {
        say!(
            "boilerstrip: wrote {}: {}",
            args.output.display(),
            trained.model.description()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The fold of each group, from a TSV file with a header and (group, fold) columns.
fn read_folds(path: &Path) -> Result<HashMap<String, usize>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(group), Some(fold)) = (cols.next(), cols.next()) else {
            bail!(
                "{}:{}: expected two tab-separated columns (group, fold)",
                path.display(),
                n + 1
            );
        };
        let fold: usize = fold
            .trim()
            .parse()
            .with_context(|| format!("{}:{}: the fold is not a number", path.display(), n + 1))?;
        out.insert(group.to_string(), fold);
    }
    Ok(out)
}

/// The site of each id, from the `pages.tsv` of a bench directory (if it has one).
fn read_sites(dir: &Path) -> Result<HashMap<String, String>> {
    let path = dir.join("pages.tsv");
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(HashMap::new());
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let column = |name: &str| header.iter().position(|&h| h == name);
    let (Some(id), Some(site)) = (column("id"), column("site")) else {
        bail!("{}: needs `id` and `site` columns", path.display());
    };
    Ok(lines
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((cols.get(id)?.to_string(), cols.get(site)?.to_string()))
        })
        .collect())
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8", path.display()))
}

/// The documents of a directory in the bench's layout.
fn read_tree(dir: &Path) -> Result<Vec<Example>> {
    let sites = read_sites(dir)?;
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".txt") && !name.ends_with(".gold.txt")
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stem = name.trim_end_matches(".txt");
        let id = stem.rsplit_once('.').map_or(stem, |(id, _)| id);
        let parent = path.parent().unwrap_or(dir);
        let gold = [
            parent.join(format!("{id}.gold.txt")),
            parent.join(format!("{stem}.gold.txt")),
        ]
        .into_iter()
        .find(|g| g.is_file());
        let Some(gold) = gold else { continue };
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        let page = relative
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("page" | "pages")));
        out.push(Example {
            name: relative.display().to_string(),
            text: read_text(&path)?,
            gold: read_text(&gold)?,
            page,
            group: sites.get(id).cloned().unwrap_or_else(|| id.to_string()),
        });
    }
    Ok(out)
}

/// The documents of a JSONL file of `{text, gold, kind?, group?, id?}` records.
fn read_jsonl(path: &Path) -> Result<Vec<Example>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), n + 1);
        let record: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}: not a JSON record", at()))?;
        let field = |name: &str| record.get(name).and_then(|v| v.as_str());
        let (Some(text), Some(gold)) = (field("text"), field("gold")) else {
            bail!(
                "{}: a training record needs string fields `text` and `gold`",
                at()
            );
        };
        let page = match field("kind") {
            None | Some("article") => false,
            Some("page") => true,
            Some(other) => bail!(
                "{}: kind {other:?} is neither \"article\" nor \"page\"",
                at()
            ),
        };
        let name = match record.get("id") {
            Some(id) => format!("{}:{}", path.display(), id),
            None => at(),
        };
        out.push(Example {
            group: field("group").map_or_else(|| name.clone(), str::to_string),
            name,
            text: text.to_string(),
            gold: gold.to_string(),
            page,
        });
    }
    Ok(out)
}
