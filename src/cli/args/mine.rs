//! `mine`'s options, and the walk and grouping flags it shares with `clean`.

use std::path::PathBuf;

use clap::Args;

use super::*;

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
    /// Group JSONL records by this field (dotted path), Parquet rows by this column; a URL
    /// counts by its host (without `www.`), any other value as it is. Text files are grouped by
    /// directory, and WARC records by the host of their WARC-Target-URI.
    #[arg(long, value_name = "FIELD", conflicts_with = "group_by_dir", value_parser = dotted_path)]
    pub group_by: Option<String>,

    /// Group documents by the directory they are in.
    ///
    /// For a JSONL or WARC record or a Parquet row, its file's directory. Without --group-by or --group-by-dir,
    /// all documents are one group, but WARC records, grouped by the host of their
    /// WARC-Target-URI.
    #[arg(long)]
    pub group_by_dir: bool,
}

#[derive(Debug, Args)]
pub struct MineArgs {
    /// Files or directories to read (any format `clean` reads).
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

    /// Format (default: by name).
    ///
    /// By default from the file name, as `clean` reads them.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = heading::IO)]
    pub format: Option<InputFormat>,

    /// The JSONL field (Parquet column) holding the text.
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
