//! Which pattern sets are active: the options of every command that cleans or lists rules.

use std::path::PathBuf;

use clap::Args;

use super::heading;

/// Which pattern sets are active; shared by every subcommand that cleans or lists rules.
#[derive(Debug, Args, Clone)]
pub struct PatternArgs {
    /// Add a pattern file, or each *.toml file of a directory; repeatable.
    #[arg(short = 'p', long = "patterns", value_name = "FILE|DIR", help_heading = heading::RULES)]
    pub patterns: Vec<PathBuf>,

    /// Start with no rules instead of the built-in sets.
    #[arg(long, help_heading = heading::RULES)]
    pub no_default_patterns: bool,

    /// Disable a rule (id or name), a set (name) or a pass; repeatable or comma-separated. The
    /// passes are named from the registry: see [`disable_help`].
    #[arg(
        short = 'd',
        long,
        value_name = "ID",
        value_delimiter = ',',
        help = disable_help(false),
        long_help = disable_help(true),
        help_heading = heading::RULES
    )]
    pub disable: Vec<String>,
}

/// `--disable`'s help, short or long, naming every pass of the registry
/// (`boilerstrip::passes::PASSES`).
fn disable_help(long: bool) -> String {
    let passes: Vec<_> = boilerstrip::passes::PASSES.iter().map(|p| p.id).collect();
    let passes = passes.join(", ");
    match long {
        false => format!("Disable a rule, set or pass: {passes}"),
        true => format!(
            "Disable a rule (id or name), a set (name) or a pass ({passes}); repeatable or \
             comma-separated."
        ),
    }
}
