//! The command line, as clap sees it. Nothing here reaches the library: [`PatternArgs`] is
//! turned into a `CleanerBuilder` call in one place.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

pub use super::compression::Compression;

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

/// Which files the walk of an input directory takes; the same flags for every subcommand that
/// walks trees (`clean`, `mine`). Files named on the command line are always read.
#[derive(Debug, Args, Clone)]
pub struct WalkArgs {
    /// Only read files matching GLOB (default: *.txt, *.jsonl, ...); repeatable.
    ///
    /// Only read files whose path (relative to the input directory) matches GLOB; repeatable.
    /// Default: the text names (`*.txt`, `*.txt.gz`, `*.txt.zst`, `*.txt.zstd`) with
    /// `--format text`; the JSONL names (`*.jsonl`, `*.ndjson`, `*.jsonl.gz`, `*.ndjson.gz`,
    /// `*.json.gz`, `*.jsonl.zst`, `*.ndjson.zst`, `*.json.zst`) with `--format jsonl`; both
    /// without `--format`. A gzip or zstd file is read decompressed (found by its first
    /// bytes), and its output under `-o` or in place is compressed the same way.
    #[arg(short = 'g', long = "glob", value_name = "GLOB", help_heading = heading::IO)]
    pub globs: Vec<String>,

    /// Skip files and directories matching GLOB; repeatable.
    ///
    /// The GLOB is matched against the path relative to the input directory.
    #[arg(long, value_name = "GLOB", help_heading = heading::IO)]
    pub exclude: Vec<String>,

    /// Follow symbolic links while walking directories (loops are detected and reported).
    #[arg(long, help_heading = heading::IO, hide_short_help = true)]
    pub follow: bool,
}

/// How documents are grouped when repeats are counted (`mine`, `clean --learn`). The heading is
/// the flattening command's.
#[derive(Debug, Args, Clone)]
pub struct GroupArgs {
    /// Group JSONL records by FIELD (a URL by its host).
    ///
    /// Group JSONL records by this field (dotted path); a URL counts by its host (without
    /// `www.`), any other value as it is. Text files are grouped by directory, and WARC
    /// records by the host of their WARC-Target-URI.
    #[arg(long, value_name = "FIELD", conflicts_with = "group_by_dir", value_parser = dotted_path)]
    pub group_by: Option<String>,

    /// Group documents by the directory they are in.
    ///
    /// For a JSONL or WARC record, its file's directory. Without --group-by or --group-by-dir,
    /// all documents are one group, but WARC records, grouped by the host of their
    /// WARC-Target-URI.
    #[arg(long)]
    pub group_by_dir: bool,
}

#[derive(Debug, Args)]
pub struct MineArgs {
    /// Files or directories to read (text files, JSONL and WARC, as `clean` reads them).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write the candidate rules to FILE (default: stdout).
    ///
    /// Without it, the rules go to stdout and their table to stderr.
    #[arg(short, long, value_name = "FILE", help_heading = heading::IO)]
    pub output: Option<PathBuf>,

    #[command(flatten, next_help_heading = heading::GROUPS)]
    pub group: GroupArgs,

    /// Report lines found in at least N documents of a group.
    #[arg(long, value_name = "N", default_value_t = 3, help_heading = heading::GROUPS)]
    pub min_docs: u64,

    /// ... and in at least this share of the group's documents.
    ///
    /// A fraction from 0 to 1.
    #[arg(
        long,
        value_name = "FRACTION",
        default_value_t = 0.0,
        value_parser = fraction,
        help_heading = heading::GROUPS
    )]
    pub min_share: f64,

    /// Prefix of the generated rule ids (`MINED0001`, ...).
    #[arg(long, value_name = "PREFIX", default_value = "MINED", help_heading = heading::IO)]
    pub id_prefix: String,

    /// Most (group, line) entries counted in memory.
    ///
    /// Rarer entries are dropped when the table is full (counts stay lower bounds, see
    /// docs/mine.md).
    #[arg(
        long,
        value_name = "N",
        default_value_t = boilerstrip::mine::DEFAULT_MAX_ENTRIES,
        help_heading = heading::GROUPS
    )]
    pub max_entries: usize,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Input format (default: by name).
    ///
    /// By default from the file name, as `clean` reads them.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = heading::IO)]
    pub format: Option<InputFormat>,

    /// JSONL: the field holding the text (dotted path).
    #[arg(
        long,
        value_name = "PATH",
        default_value = "text",
        value_parser = dotted_path,
        help_heading = heading::IO
    )]
    pub field: String,

    #[command(flatten)]
    pub patterns: PatternArgs,

    /// Number of worker threads (default: all cores).
    ///
    /// The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", help_heading = heading::RUN)]
    pub threads: Option<usize>,

    /// Print no table and no warnings (errors are still printed).
    #[arg(short, long, help_heading = heading::RUN)]
    pub quiet: bool,

    #[command(flatten)]
    pub help: HelpFlag,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training data: directories in the bench's layout, or JSONL files.
    ///
    /// The JSONL files hold `{"text", "gold", "kind", "group"}` records.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write the model to FILE.
    #[arg(short, long, value_name = "FILE", help_heading = heading::IO)]
    pub output: PathBuf,

    /// A TSV file assigning each group (site) to a fold.
    ///
    /// Its lines are `GROUP<TAB>FOLD`, after a header.
    #[arg(long, value_name = "FILE", help_heading = heading::FOLDS)]
    pub folds: Option<PathBuf>,

    /// Leave out the documents of fold K of --folds (to score the model on them).
    #[arg(long, value_name = "K", help_heading = heading::FOLDS)]
    pub holdout: Option<usize>,

    /// The model's threshold for extracted article text.
    ///
    /// Lines whose probability of being content is under P are removed.
    #[arg(
        long,
        value_name = "P",
        value_parser = fraction,
        default_value_t = shortest(boilerstrip::train::Options::default().article_threshold),
        help_heading = heading::MODEL
    )]
    pub article_threshold: f64,

    /// The model's threshold for raw page dumps.
    #[arg(
        long,
        value_name = "P",
        value_parser = fraction,
        default_value_t = shortest(boilerstrip::train::Options::default().page_threshold),
        help_heading = heading::MODEL
    )]
    pub page_threshold: f64,

    /// Number of worker threads (default: all cores).
    ///
    /// The model is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", help_heading = heading::RUN)]
    pub threads: Option<usize>,

    /// Print nothing but errors.
    #[arg(short, long, help_heading = heading::RUN)]
    pub quiet: bool,

    #[command(flatten)]
    pub help: HelpFlag,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder of input texts.
    #[arg(long, value_name = "DIR", help_heading = heading::IO)]
    pub input: PathBuf,

    /// Folder of gold texts.
    #[arg(long, value_name = "DIR", help_heading = heading::IO)]
    pub gold: PathBuf,

    /// Score the cleaned files in DIR (same names) instead of cleaning the inputs.
    #[arg(long, value_name = "DIR", help_heading = heading::IO)]
    pub outputs: Option<PathBuf>,

    /// Print JSON instead of a table.
    #[arg(long, help_heading = heading::IO)]
    pub json: bool,

    #[command(flatten)]
    pub patterns: PatternArgs,

    #[command(flatten)]
    pub classifier: ClassifierArgs,

    #[command(flatten)]
    pub help: HelpFlag,
}

/// `clean`'s options. Each names its heading; headings are shown in the order they first
/// appear, so the fields follow that order.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or directories to clean; `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write cleaned files under DIR, mirroring the input tree.
    #[arg(short, long, value_name = "DIR", conflicts_with = "in_place", help_heading = heading::IO)]
    pub output: Option<PathBuf>,

    /// Rewrite the input files in place.
    ///
    /// Each is rewritten atomically; unchanged files are not touched.
    #[arg(long, help_heading = heading::IO)]
    pub in_place: bool,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// How inputs are read (default: by name).
    ///
    /// How inputs are read. Files: by default from the name (`.jsonl`, `.ndjson`, `.json`, each
    /// optionally `.gz`, `.zst` or `.zstd`, are JSONL; `.warc` and `.wet`, likewise, are WARC;
    /// anything else is text). Stdin: JSONL when its first line is a JSON object, WARC when it
    /// starts with `WARC/` (either said on stderr), else text; gzip and zstd streams are
    /// decompressed.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = heading::IO)]
    pub format: Option<InputFormat>,

    /// Convert WARC and WET input to FORMAT.
    ///
    /// Every input is read as WARC (`--format text` or `jsonl` is refused), and each text record
    /// becomes one line `{"id", "url", "date", "language", "text"}`: its WARC-Record-ID,
    /// WARC-Target-URI, WARC-Date and WARC-Identified-Content-Language (null when the header is
    /// missing) and its cleaned block. Other records are left out. Under -o, `NAME.warc.wet.gz`
    /// is written as `NAME.jsonl.gz` (--compress chooses another compression).
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        conflicts_with_all = ["in_place", "annotate"],
        help_heading = heading::IO
    )]
    pub to: Option<OutputFormat>,

    /// The field to clean, `meta.body` for a nested one.
    ///
    /// A dotted path of object keys. Every other byte of the line is left as it was.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "text",
        value_parser = dotted_path,
        help_heading = heading::JSONL
    )]
    pub field: String,

    /// The field naming a record in messages and diffs (default: line number).
    #[arg(long, value_name = "PATH", value_parser = dotted_path, help_heading = heading::JSONL)]
    pub id_field: Option<String>,

    /// Handling of bad lines.
    ///
    /// A bad line is one that is not a JSON object, or has no string at --field. Each such line is
    /// reported with its file and line number and counted in the summary.
    #[arg(
        long,
        value_enum,
        default_value_t = OnError::Keep,
        value_name = "POLICY",
        help_heading = heading::JSONL
    )]
    pub on_error: OnError,

    /// Add a field NAME (default `boilerstrip`) saying what was removed.
    ///
    /// The field is {"lines_removed": N, "lines_changed": N, "rules": {"ID": N, ...}}. NAME may
    /// not be the cleaned field's top-level key. The name is given as `--annotate=NAME`: in
    /// `--annotate NAME`, NAME is an input (refused when no such file exists).
    #[arg(
        long,
        value_name = "NAME",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "boilerstrip",
        help_heading = heading::JSONL
    )]
    pub annotate: Option<String>,

    /// Drop records whose text comes out empty (counted in the summary).
    ///
    /// JSONL only: a text document that comes out empty is written empty.
    #[arg(long, help_heading = heading::JSONL)]
    pub drop_empty: bool,

    /// Compress JSONL outputs this way.
    ///
    /// JSONL outputs, stdout included, are compressed this way. By default stdout is not compressed
    /// and an output file is compressed as its name says (`.gz`, `.zst`); with `-o`, the output
    /// file then gets this compression's extension.
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        conflicts_with = "in_place",
        help_heading = heading::JSONL
    )]
    pub compress: Option<Compression>,

    /// What to do with a file that is not valid UTF-8.
    #[arg(
        long,
        value_enum,
        default_value_t = InvalidUtf8::Lossy,
        value_name = "POLICY",
        help_heading = heading::IO,
        hide_short_help = true
    )]
    pub invalid_utf8: InvalidUtf8,

    /// Largest document (text file, stdin, or one JSONL record) to clean, in bytes; a suffix
    /// K, M or G (powers of 1024) may follow. A larger document is never read into memory
    /// whole (a file's size is checked before it is read; stdin and JSONL lines are read at most
    /// this far): a file is skipped with a warning, stdin fails the run (exit code 1).
    #[arg(
        long,
        value_name = "BYTES",
        default_value = "256M",
        value_parser = byte_size,
        help_heading = heading::IO,
        hide_short_help = true
    )]
    pub max_doc_bytes: u64,

    #[command(flatten)]
    pub patterns: PatternArgs,

    #[command(flatten)]
    pub classifier: ClassifierArgs,

    /// Fold typographic quotes, dashes and ellipses to ASCII.
    ///
    /// They are kept by default.
    #[arg(long, help_heading = heading::RULES)]
    pub fold_punctuation: bool,

    /// Learn boilerplate from the batch itself and remove it (pass LEARN).
    ///
    /// Two passes: first count in how many documents of each group every short line occurs
    /// (see `boilerstrip mine`), then clean, also removing the lines found in at least
    /// --learn-min-docs documents of the document's group (labelled LEARN; `--disable LEARN`
    /// turns it off). Needs file inputs.
    #[arg(long, help_heading = heading::RULES)]
    pub learn: bool,

    /// With --learn: remove lines found in at least N documents of the same group.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        requires = "learn",
        help_heading = heading::RULES,
        hide_short_help = true
    )]
    pub learn_min_docs: u64,

    /// With --learn: ... and in at least this share (0 to 1) of the group's documents.
    #[arg(
        long,
        value_name = "FRACTION",
        default_value_t = 0.0,
        value_parser = fraction,
        requires = "learn",
        help_heading = heading::RULES,
        hide_short_help = true
    )]
    pub learn_min_share: f64,

    #[command(flatten, next_help_heading = heading::RULES)]
    pub group: GroupArgs,

    /// Write nothing; print what would change as a unified diff on stdout.
    ///
    /// The diff is git style (`a/PATH` and `b/PATH`). Unchanged documents are not listed. The
    /// plain diff applies with `patch -p1` from the directory the command ran in, giving what
    /// `clean -o` writes.
    #[arg(short = 'n', long, help_heading = heading::REVIEW)]
    pub dry_run: bool,

    /// Lines of context around each change in the diff.
    #[arg(
        short = 'U',
        long = "context",
        value_name = "N",
        default_value_t = 3,
        requires = "dry_run",
        help_heading = heading::REVIEW,
        hide_short_help = true
    )]
    pub context: usize,

    /// With -n: label each removed or changed line with its rule or pass.
    ///
    /// Label every removed or changed line of the diff with the rule or pass that did it
    /// (`  # WP003 leave-a-reply`; `normalize` for whitespace, Unicode and line-end changes,
    /// `blank-line` for dropped blank lines). An explained diff is for reading: it is not
    /// patch-applicable. Unified diffs only.
    #[arg(long, requires = "dry_run", help_heading = heading::REVIEW)]
    pub explain: bool,

    /// With -n: a `unified` diff, or `json` lines [default: unified].
    ///
    /// `unified` prints a unified diff, as `git diff` does; `json` prints one JSON object per
    /// changed document per line: {"path": "...", "changes": [{"line": N, "kind":
    /// "removed"|"stripped"|"joined", "rule": "WP003", "text": "..."}, ...], "bytes_in": N,
    /// "bytes_out": N}, where `line` is the 1-based line of the input file (lines end at LF) and
    /// `text` the removed (or stripped, or joined) text.
    #[arg(
        long,
        value_enum,
        default_value_t = DiffFormat::Unified,
        value_name = "FORMAT",
        requires = "dry_run",
        help_heading = heading::REVIEW,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub diff_format: DiffFormat,

    /// When to colour the diff: `auto` colours only when stdout is a terminal and NO_COLOR is
    /// unset or empty. In coloured output, control and bidi characters of the scraped text are
    /// shown as visible stand-ins (␛, ␍, U+FFFD) instead of reaching the terminal.
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = heading::REVIEW,
        hide_short_help = true
    )]
    pub color: ColorChoice,

    /// Exit with code 1 when any document would change.
    ///
    /// With or without --dry-run (like `rustfmt --check`).
    #[arg(long, help_heading = heading::REVIEW)]
    pub fail_on_change: bool,

    /// Write an audit report (JSON) to FILE at the end of the run.
    ///
    /// The report holds the tool version, a hash of the active rules and passes, the options,
    /// totals, per-rule counts with sample lines, the quarantined and the most reduced
    /// documents, and one entry per document (schema in docs/usage.md). Written atomically; no
    /// timings, so the same input gives the same report at any -j. With --dry-run, the report
    /// is the one file written.
    #[arg(long, value_name = "FILE", help_heading = heading::REVIEW)]
    pub report: Option<PathBuf>,

    /// Leave uncleaned (quarantine) documents cut by more than FRACTION.
    ///
    /// Quarantine every document whose cleaning would remove more than FRACTION (0 to 1) of its
    /// bytes: it is delivered uncleaned (its original bytes go to -o DIR or stdout; with
    /// --in-place it is left untouched; a dry run shows no diff for it), warned about, listed
    /// in the summary and the report, and copied under --quarantine DIR if given. Off by
    /// default.
    #[arg(long, value_name = "FRACTION", value_parser = fraction, help_heading = heading::REVIEW)]
    pub max_removed: Option<f64>,

    /// With --max-removed: copy each quarantined document under DIR.
    ///
    /// Its path relative to its input directory is mirrored (a file named on the command line
    /// goes to DIR/<file name>). Not in a dry run.
    #[arg(long, value_name = "DIR", requires = "max_removed", help_heading = heading::REVIEW)]
    pub quarantine: Option<PathBuf>,

    /// Number of worker threads (default: all cores).
    ///
    /// The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", help_heading = heading::RUN)]
    pub threads: Option<usize>,

    /// Print no progress bar, summary or warnings (errors are still printed).
    #[arg(short, long, help_heading = heading::RUN)]
    pub quiet: bool,

    /// Print the summary even when the cleaned text goes to stdout.
    ///
    /// Stdin, and a single file without -o, write the cleaned text to stdout and print no
    /// summary unless asked.
    #[arg(long, conflicts_with = "quiet", help_heading = heading::RUN)]
    pub summary: bool,

    /// Number of rules listed in the summary.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10,
        help_heading = heading::RUN,
        hide_short_help = true
    )]
    pub top: usize,

    #[command(flatten)]
    pub help: HelpFlag,
}

/// `--annotate` takes its NAME only after `=` (`--annotate=stats`): in `--annotate stats
/// in.jsonl`, `stats` is an input. An input that follows a bare `--annotate` and does not exist
/// was meant as the name: refused, saying how to write it, rather than reported later as a
/// missing file. `argv` is the command line.
pub fn check_annotate(
    args: &CleanArgs,
    argv: impl IntoIterator<Item = std::ffi::OsString>,
) -> Result<(), String> {
    let argv: Vec<_> = argv.into_iter().take_while(|arg| arg != "--").collect();
    for pair in argv.windows(2) {
        let (flag, next) = (&pair[0], &pair[1]);
        let an_input = args.inputs.iter().any(|input| input.as_os_str() == next);
        if flag == "--annotate" && an_input && next != "-" && !std::path::Path::new(next).exists() {
            let name = next.to_string_lossy();
            return Err(format!(
                "{name:?} follows --annotate, so it is read as an input, and there is no such \
                 file; to name the field, write --annotate={name}"
            ));
        }
    }
    Ok(())
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

/// The line model (`CLASSIFY`) and the comment-section pass.
#[derive(Debug, Args, Clone)]
pub struct ClassifierArgs {
    /// Kind of input.
    ///
    /// What the inputs are: extracted article text, raw page text, or decide per document. This
    /// decides how sure the line model must be to remove a line: `auto` lets the model
    /// tell raw page dumps from extracted text per document, `article` (an extractor's output)
    /// removes only lines the model is very sure of, `page` (the whole visible text of a page)
    /// much more.
    #[arg(
        long,
        value_enum,
        default_value_t = InputKindArg::Auto,
        value_name = "KIND",
        help_heading = heading::MODEL
    )]
    pub input_kind: InputKindArg,

    /// Use the line model in FILE (made by `boilerstrip train`).
    ///
    /// It replaces the built-in one.
    #[arg(long, value_name = "FILE", help_heading = heading::MODEL)]
    pub model: Option<PathBuf>,

    /// Remove lines whose probability of being content is under P.
    ///
    /// P replaces the model's own threshold for the document's kind (see `boilerstrip
    /// explain CLASSIFY`). Higher removes more junk and more content.
    #[arg(long, value_name = "P", value_parser = fraction, help_heading = heading::MODEL)]
    pub keep_threshold: Option<f64>,

    /// Comment sections (`COMMENTS`): words of article text needed above a cut thread; 0 also
    /// cuts a text that is all comments, 80 leaves it whole (forum threads) [default: 0].
    #[arg(long, value_name = "N", help_heading = heading::COMMENTS, hide_short_help = true)]
    pub comments_min_article_words: Option<usize>,

    /// Comment sections: signatures (name with date and time, `NAME says:`) a thread needs
    /// [default: 3].
    #[arg(long, value_name = "N", help_heading = heading::COMMENTS, hide_short_help = true)]
    pub comments_min_signatures: Option<usize>,

    /// Comment sections: most non-blank lines between two signatures, and after the last one
    /// [default: 15].
    #[arg(long, value_name = "N", help_heading = heading::COMMENTS, hide_short_help = true)]
    pub comments_max_gap_lines: Option<usize>,

    /// Comment sections: lines above the first signature searched for a comment header
    /// [default: 5].
    #[arg(long, value_name = "N", help_heading = heading::COMMENTS, hide_short_help = true)]
    pub comments_header_lines: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKindArg {
    /// Decide per document.
    Auto,
    /// Extracted article text: remove only what the model is very sure of.
    Article,
    /// Raw page text: the page operating point.
    Page,
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
