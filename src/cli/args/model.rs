//! The line model's options (`clean`, `eval`), and `train`'s and `eval`'s own.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::*;

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
