//! The command line, as clap sees it. Nothing here reaches the library: [`PatternArgs`] is
//! turned into a `CleanerBuilder` call in one place.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

pub use super::compression::Compression;

mod clean;
mod mine;
mod model;
mod patterns;

pub use clean::{check_annotate, CleanArgs};
pub use mine::{GroupArgs, MineArgs, WalkArgs};
pub use model::{ClassifierArgs, EvalArgs, InputKindArg, TrainArgs};
pub use patterns::PatternArgs;

/// The headings that group the options of a command's help, by what a user wants to do. Every
/// option names its heading: a `next_help_heading` would leak into the options after it.
mod heading {
    pub const IO: &str = "Input/Output";
    pub const JSONL: &str = "JSONL";
    pub const RULES: &str = "Rules and passes";
    pub const GROUPS: &str = "Groups and counts";
    pub const MODEL: &str = "Line model";
    pub const COMMENTS: &str = "Comment sections";
    pub const REVIEW: &str = "Safety and review";
    pub const FOLDS: &str = "Folds";
    pub const RUN: &str = "Run";
}

/// The exit codes of the program as a whole; each subcommand's --help lists its own.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  some inputs failed (each failure was reported); the rest were processed
  2  usage error, or a pattern file could not be loaded
Each command's --help lists its own exit codes. A closed downstream pipe (e.g.
`boilerstrip clean - < a.txt | head`) ends a run quietly with exit code 0.";

const CLEAN_EXIT_CODES: &str = "\
Exit codes:
  0  success (documents skipped with a warning, e.g. binary files, still count as success)
  1  some inputs failed (each failure was reported with its path); the rest were processed;
     or, with --fail-on-change, some document would change (like `rustfmt --check`)
  2  usage error, or a pattern file could not be loaded
  130, 143  interrupted by SIGINT or SIGTERM while cleaning files: the documents already
     written are complete, no partial or temporary file is left, --in-place originals not yet
     rewritten are untouched (a second signal exits at once)

A closed downstream pipe (e.g. `boilerstrip clean - < a.txt | head`) ends the run quietly
with exit code 0.";

/// The examples that end `clean -h` and `clean --help` (tests/docs.rs runs them).
const CLEAN_EXAMPLES: &str = "\
Examples:
  boilerstrip clean crawl/ -o clean/            # clean a tree into clean/, mirrored
  boilerstrip clean - < in.txt > out.txt        # stdin to stdout
  boilerstrip clean --format jsonl - < in.jsonl > out.jsonl
  boilerstrip clean -n --explain article.txt    # show what would go, and which rule did it
  boilerstrip clean crawl/ -o clean/ --max-removed 0.5 --report audit.json";

const MINE_EXAMPLES: &str = "\
Examples:
  boilerstrip mine crawl/ --group-by-dir        # lines repeated across each directory's files
  boilerstrip mine dump.jsonl --group-by url -o site-rules.toml
  boilerstrip clean crawl/ -o clean/ --learn    # learn and remove them in one run";

const TRAIN_EXAMPLES: &str = "\
Examples:
  boilerstrip train data.jsonl -o my.bsm        # records of {\"text\", \"gold\", ...}
  boilerstrip clean --model my.bsm crawl/ -o clean/";

const EVAL_EXAMPLES: &str = "\
Examples:
  boilerstrip eval --input pages/ --gold gold/  # clean pages/ and score it against gold/
  boilerstrip eval --input pages/ --gold gold/ --input-kind page --json";

/// What ends `--help`: the examples of `-h`, then the exit codes.
fn examples_and_exit_codes(examples: &str, exit_codes: &str) -> String {
    format!("{examples}\n\n{exit_codes}")
}

const GENERATE_EXIT_CODES: &str = "\
Exit codes:
  0  the man page or script was written
  1  it could not be written to stdout";

const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  every file loaded and every rule's examples passed
  2  usage error, a pattern file could not be loaded, or a rule's example failed (each
     failure was reported)";

const RULES_EXIT_CODES: &str = "\
Exit codes:
  0  success (also when stdout is a pipe closed early, e.g. `| head`)
  2  usage error, or a pattern file could not be loaded";

const EXPLAIN_EXIT_CODES: &str = "\
Exit codes:
  0  the rule or pass was explained
  2  no active rule or pass has that id or name (the closest ones are suggested), usage
     error, or a pattern file could not be loaded";

const MINE_EXIT_CODES: &str = "\
Exit codes:
  0  success (records skipped with a warning, e.g. without --field, still count as success)
  1  some inputs could not be read (each was reported; the rest were mined), or no record of
     the inputs has the --group-by field
  2  usage error, or a pattern file could not be loaded";

const TRAIN_EXIT_CODES: &str = "\
Exit codes:
  0  the model was written
  1  an input or --folds could not be read, or the model could not be written
  2  usage error (an input does not exist, no document has gold text, --holdout without
     --folds)";

const EVAL_EXIT_CODES: &str = "\
Exit codes:
  0  the scores were printed
  1  an input, gold or output file could not be read
  2  usage error, no input has a gold file, or a pattern file or --model could not be loaded";

/// Strip boilerplate from the extracted text of scraped articles.
#[derive(Debug, Parser)]
#[command(name = "boilerstrip", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean files, directory trees, or stdin.
    ///
    /// `boilerstrip clean -` reads stdin and writes stdout. `boilerstrip clean FILE` writes the
    /// cleaned file to stdout. Directories (and several files) need `-o DIR`, which mirrors the
    /// input tree, or `--in-place`. Inputs are never modified unless `--in-place` is given, and
    /// every output file is written atomically.
    #[command(
        disable_help_flag = true,
        after_help = CLEAN_EXAMPLES,
        after_long_help = examples_and_exit_codes(CLEAN_EXAMPLES, CLEAN_EXIT_CODES)
    )]
    Clean(Box<CleanArgs>),
    /// Validate pattern files and run their rules' examples.
    ///
    /// Checks TOML syntax, fields, regexes, duplicate ids, and each rule's own remove/keep
    /// examples.
    #[command(name = "check-patterns", after_help = CHECK_EXIT_CODES)]
    CheckPatterns(CheckArgs),
    /// List the active rules and passes.
    #[command(after_help = RULES_EXIT_CODES)]
    Rules(RulesArgs),
    /// Explain one rule or pass, with its examples.
    ///
    /// What it matches, what it does, where, why, with examples.
    #[command(after_help = EXPLAIN_EXIT_CODES)]
    Explain(ExplainArgs),
    /// Find lines that repeat across a site's pages, as candidate rules.
    ///
    /// Finds the lines that repeat across the documents of a group (a site, a directory) and
    /// writes them as candidate rules, in the pattern-file format, for review. A line counts
    /// once per document it occurs in (case, digits, whitespace and punctuation folded). Only
    /// short lines (at most 12 words), or labels of at most 30 words in the first or last 10
    /// lines, are counted: long sentences never are. Lines the active rules already
    /// remove are left out. The rules go to `-o FILE` (or stdout) and a table of them to stdout
    /// (or stderr), sorted by the bytes they would remove.
    #[command(
        disable_help_flag = true,
        after_help = MINE_EXAMPLES,
        after_long_help = examples_and_exit_codes(MINE_EXAMPLES, MINE_EXIT_CODES)
    )]
    Mine(MineArgs),
    /// Train a line model from documents with gold text, for `clean --model`.
    ///
    /// The model is written to a file. The built-in model is this command's output on the project's
    /// bench (see docs/model.md). Training is deterministic: the same data gives the same file, at
    /// any number of threads.
    #[command(
        disable_help_flag = true,
        after_help = TRAIN_EXAMPLES,
        after_long_help = examples_and_exit_codes(TRAIN_EXAMPLES, TRAIN_EXIT_CODES)
    )]
    Train(TrainArgs),
    /// Measure cleaning against gold text: content kept, junk removed, F1.
    ///
    /// Content kept, junk removed, precision, recall and F1 are over lowercase word tokens (the
    /// metric of the bench), micro- and macro-averaged. Each `*.txt` file in --input (not
    /// `*.gold.txt`) is paired with the file of the same name in --gold, or with `<id>.gold.txt`
    /// for an input named `<id>.<extractor>.txt`; inputs without gold are skipped. The inputs are
    /// cleaned with the given options, or the cleaned outputs are read from --outputs. Rows: ALL,
    /// and one per extractor.
    #[command(
        disable_help_flag = true,
        after_help = EVAL_EXAMPLES,
        after_long_help = examples_and_exit_codes(EVAL_EXAMPLES, EVAL_EXIT_CODES)
    )]
    Eval(Box<EvalArgs>),
    /// Print the man page or a shell completion script, made from this command line.
    ///
    /// Written to stdout: `boilerstrip generate man > boilerstrip.1`, `boilerstrip generate
    /// complete-bash > boilerstrip.bash`, and so on (see docs/usage.md for where they go).
    #[command(after_help = GENERATE_EXIT_CODES)]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to print: man, or complete-SHELL for bash, zsh, fish, powershell or elvish.
    #[arg(value_enum, value_name = "KIND", hide_possible_values = true)]
    pub kind: GenerateKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateKind {
    /// The man page (roff), for `man -l` or a `man1` directory.
    Man,
    /// Completions for bash.
    CompleteBash,
    /// Completions for zsh (a `_boilerstrip` file on $fpath).
    CompleteZsh,
    /// Completions for fish.
    CompleteFish,
    /// Completions for PowerShell.
    CompletePowershell,
    /// Completions for elvish.
    CompleteElvish,
}

/// `-h` and `--help` under the Run heading, for the commands whose options are all grouped
/// (clap's own would sit alone under a heading of its own). `-h` prints one line per option,
/// `--help` every detail.
#[derive(Debug, Args)]
pub struct HelpFlag {
    #[arg(
        short = 'h',
        long = "help",
        action = ArgAction::Help,
        help = "Print help (see more with '--help')",
        long_help = "Print help (see a summary with '-h')",
        help_heading = heading::RUN
    )]
    help: (),
}

/// A size in bytes: `1000`, `64K`, `64M`, `1G` (powers of 1024; `KiB`, `MiB`, `GiB` too).
fn byte_size(text: &str) -> Result<u64, String> {
    let bad = || format!("{text:?} is not a size in bytes (e.g. 1000, 64K, 64M, 1G)");
    let lower = text.trim().to_ascii_lowercase();
    let lower = lower.trim_end_matches("ib").trim_end_matches('b');
    let (digits, shift) = match lower.char_indices().last() {
        Some((i, 'k')) => (&lower[..i], 10),
        Some((i, 'm')) => (&lower[..i], 20),
        Some((i, 'g')) => (&lower[..i], 30),
        _ => (lower, 0),
    };
    let n: u64 = digits.trim().parse().map_err(|_| bad())?;
    match n.checked_mul(1 << shift) {
        Some(0) | None => Err(bad()),
        Some(n) => Ok(n),
    }
}

/// The largest document `--max-doc-bytes` may admit: 1 GiB. The cleaner finds lines by 32-bit
/// offsets (a few bytes a line), and normalization can make a text up to three times longer
/// (each invalid byte becomes a three-byte U+FFFD under `--invalid-utf8 lossy`).
const MAX_DOC_BYTES: u64 = 1 << 30;

/// [`byte_size`], at most [`MAX_DOC_BYTES`].
fn doc_size(text: &str) -> Result<u64, String> {
    match byte_size(text)? {
        n if n > MAX_DOC_BYTES => Err(format!(
            "{text:?} is over 1G, the largest document boilerstrip cleans"
        )),
        n => Ok(n),
    }
}

/// A field's dotted path of object keys (`text`, `meta.body`), none of them empty: an empty
/// key would name no field of any record, and each record would be reported as bad.
fn dotted_path(text: &str) -> Result<String, String> {
    match text.split('.').any(str::is_empty) {
        true => Err(format!(
            "{text:?} is not a dotted path of object keys (e.g. text, meta.body): a key is empty"
        )),
        false => Ok(text.to_string()),
    }
}

/// The `f64` that prints as `x` does (0.002, not 0.0020000000949949026), for a default in the
/// help; it converts back to `x`.
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// A fraction between 0 and 1.
fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "{text:?} is not a fraction between 0 and 1 (e.g. 0.5)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pattern files or directories of *.toml files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check the files alone, not together with the built-in sets.
    ///
    /// By default their rule ids must not clash with the built-in ones, and their keep examples
    /// must survive them too.
    #[arg(long)]
    pub no_default_patterns: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub patterns: PatternArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Print only the literal phrases of the active rules, one per line.
    ///
    /// For comparisons such as `grep -v -i -F -f LITERALS`.
    #[arg(long, conflicts_with = "format")]
    pub literals: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule or pass, by id or name (e.g. WP003, leave-a-reply, REJOIN; see `boilerstrip rules`).
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub patterns: PatternArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A unified diff, as `git diff` prints it.
    Unified,
    /// One JSON object per changed document per line.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One document per file.
    Text,
    /// One JSON object per line, with the text in --field.
    Jsonl,
    /// WARC or WET records: the text of conversion records and text/plain resource records.
    Warc,
    /// Parquet: the string column named by --field, every other column kept.
    Parquet,
}

/// What `clean --to` writes WARC input as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per text record.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    /// Stop: the input counts as failed (a file output is not written; on stdout the records
    /// before the bad line have been written).
    Fail,
    /// Leave the line out.
    Skip,
    /// Pass the line through unchanged.
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InvalidUtf8 {
    /// Replace invalid bytes with U+FFFD and warn with the byte offset.
    Lossy,
    /// Skip the file with a warning.
    Skip,
    /// Count the file as failed.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// JSON for programs.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes() {
        let cases: &[(&str, Option<u64>)] = &[
            ("1000", Some(1000)),
            ("64K", Some(64 << 10)),
            ("64M", Some(64 << 20)),
            ("64MiB", Some(64 << 20)),
            ("2g", Some(2 << 30)),
            ("1GB", Some(1 << 30)),
            ("0", None),
            ("", None),
            ("M", None),
            ("-1", None),
            ("99999999999999G", None),
        ];
        for (text, want) in cases {
            assert_eq!(byte_size(text).ok(), *want, "{text:?}");
        }
        // A document is at most 1G (see `MAX_DOC_BYTES`).
        assert_eq!(doc_size("1G"), Ok(1 << 30));
        assert!(doc_size("1025M").unwrap_err().contains("over 1G"));
    }

    /// `--annotate stats in.jsonl` took `stats` for an input (issue 22).
    #[test]
    fn a_bare_annotate_before_a_missing_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("in.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let file = file.to_str().unwrap();
        let refused = |argv: &[&str]| {
            let args = match Cli::try_parse_from(argv).unwrap().command {
                Command::Clean(args) => args,
                _ => unreachable!(),
            };
            let result = check_annotate(&args, argv.iter().map(Into::into));
            (args.annotate.clone(), result.is_err())
        };
        let name = |n: &str| Some(n.to_string());
        let cases: &[(&[&str], Option<String>, bool)] = &[
            (
                &["bs", "clean", "--annotate", "stats", file],
                name("boilerstrip"),
                true,
            ),
            (
                &["bs", "clean", "--annotate=stats", file],
                name("stats"),
                false,
            ),
            (
                &["bs", "clean", "--annotate", file],
                name("boilerstrip"),
                false,
            ),
            (
                &["bs", "clean", "--annotate", "-"],
                name("boilerstrip"),
                false,
            ),
            (
                &["bs", "clean", file, "--annotate"],
                name("boilerstrip"),
                false,
            ),
            // After `--`, everything is an input.
            (&["bs", "clean", "--", "--annotate", file], None, false),
        ];
        for (argv, annotate, refuse) in cases {
            assert_eq!(refused(argv), (annotate.clone(), *refuse), "{argv:?}");
        }
    }

    /// Every option of `clean` under the heading of what a user wants to do with it: `-q`,
    /// `--dry-run`, `--report`, `--learn`, `--quarantine` and `--fold-punctuation` sat under
    /// "Line model", which a flattened struct's `next_help_heading` had leaked onto them
    /// (issue 22).
    #[test]
    fn each_clean_option_sits_under_its_heading() {
        use clap::CommandFactory;
        use heading::*;
        let want: &[(&str, &[&str])] = &[
            (
                IO,
                &[
                    "output",
                    "in-place",
                    "glob",
                    "exclude",
                    "follow",
                    "format",
                    "to",
                    "invalid-utf8",
                    "max-doc-bytes",
                ],
            ),
            (
                JSONL,
                &[
                    "field",
                    "id-field",
                    "on-error",
                    "annotate",
                    "drop-empty",
                    "compress",
                ],
            ),
            (
                RULES,
                &[
                    "patterns",
                    "no-default-patterns",
                    "disable",
                    "fold-punctuation",
                    "learn",
                    "learn-min-docs",
                    "learn-min-share",
                    "group-by",
                    "group-by-dir",
                ],
            ),
            (MODEL, &["input-kind", "model", "keep-threshold"]),
            (
                COMMENTS,
                &[
                    "comments-min-article-words",
                    "comments-min-signatures",
                    "comments-max-gap-lines",
                    "comments-header-lines",
                ],
            ),
            (
                REVIEW,
                &[
                    "dry-run",
                    "context",
                    "explain",
                    "diff-format",
                    "color",
                    "fail-on-change",
                    "report",
                    "max-removed",
                    "quarantine",
                ],
            ),
            (RUN, &["threads", "quiet", "summary", "top", "help"]),
        ];
        let cli = Cli::command();
        let clean = cli.find_subcommand("clean").unwrap();
        let mut got: Vec<(Option<&str>, &str)> = clean
            .get_arguments()
            .filter(|arg| !arg.is_positional())
            .map(|arg| (arg.get_help_heading(), arg.get_long().unwrap()))
            .collect();
        got.sort();
        let mut want: Vec<(Option<&str>, &str)> = want
            .iter()
            .flat_map(|(heading, longs)| longs.iter().map(|long| (Some(*heading), *long)))
            .collect();
        want.sort();
        assert_eq!(got, want);
    }

    /// clap's own checks of the definition (conflicting names, `requires` of unknown ids).
    #[test]
    fn the_command_line_passes_clap_s_checks() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// In the commands whose options are grouped, none is left under clap's generic heading.
    #[test]
    fn grouped_commands_leave_no_option_without_a_heading() {
        use clap::CommandFactory;
        let cli = Cli::command();
        for name in ["clean", "mine", "train", "eval"] {
            let command = cli.find_subcommand(name).unwrap();
            for arg in command.get_arguments().filter(|a| !a.is_positional()) {
                assert!(
                    arg.get_help_heading().is_some(),
                    "{name} --{} has no heading",
                    arg.get_long().unwrap_or_default()
                );
            }
        }
    }

    #[test]
    fn dotted_paths() {
        for good in ["text", "meta.body", "a.b.c", "with space", "é"] {
            assert_eq!(dotted_path(good).as_deref(), Ok(good));
        }
        for bad in ["", ".", "a..b", ".text", "text."] {
            assert!(dotted_path(bad).is_err(), "{bad:?}");
        }
    }
}
