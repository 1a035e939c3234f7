//! `boilerstrip explain ID`: one rule or pass, as the rule file and the pass registry describe
//! it. The text comes from the same data that drives cleaning, so it cannot drift from it.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use boilerstrip::rule::Matcher;
use boilerstrip::Rule;

use super::args::ExplainArgs;
use super::{build_cleaner, suggest, UsageError};

/// Run `boilerstrip explain`.
pub fn run(args: &ExplainArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(&args.patterns, false)?;
    let wanted = args.id.as_str();
    let text = if let Some(rule) = cleaner
        .rules()
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(wanted) || r.name == wanted)
    {
        rule_text(rule)
    } else if let Some(pass) = boilerstrip::passes::PASSES
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(wanted) || p.name == wanted)
    {
        format!(
            "{} {}\n  kind:     structural pass (disable with --disable {})\n  why:      {}\n",
            pass.id, pass.name, pass.id, pass.why
        )
    } else {
        let passes = boilerstrip::passes::PASSES.iter();
        let known = (cleaner.rules().iter())
            .flat_map(|r| [r.id.as_str(), r.name.as_str()])
            .chain(passes.flat_map(|p| [p.id, p.name]));
        let near = suggest::did_you_mean(&suggest::similar(wanted, known));
        return Err(UsageError(format!(
            "no active rule or pass is called {wanted:?}{near} (see `boilerstrip rules`)"
        ))
        .into());
    };
    let mut out = super::stdout()?.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Everything about one rule, one field a line.
fn rule_text(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", rule.id, rule.name);
    let _ = writeln!(out, "  set:      {}", rule.set);
    let _ = writeln!(out, "  why:      {}", rule.why);
    match &rule.matcher {
        Matcher::Phrases(phrases) => {
            let list: Vec<String> = phrases.iter().map(|p| format!("{p:?}")).collect();
            let _ = writeln!(out, "  matcher:  phrases {}", list.join(", "));
        }
        Matcher::Regex(regex) => {
            let _ = writeln!(out, "  matcher:  regex {regex}");
        }
    }
    let mode = serde_json::to_value(rule.mode)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let case = if rule.case_sensitive {
        "case-sensitive"
    } else {
        "case-insensitive"
    };
    let _ = writeln!(out, "  mode:     {mode} ({case})");
    let _ = writeln!(out, "  action:   {}", rule.action);
    let _ = writeln!(out, "  zone:     {}", rule.zone);
    let max_len = rule
        .max_len
        .map_or("none".to_string(), |n| format!("{n} characters"));
    let _ = writeln!(out, "  max_len:  {max_len}");
    for (title, examples) in [("remove", &rule.remove), ("keep", &rule.keep)] {
        let _ = writeln!(out, "  {title}:");
        if examples.is_empty() {
            let _ = writeln!(out, "    (none)");
        }
        for example in examples {
            let _ = writeln!(out, "    {example}");
        }
    }
    out
}
