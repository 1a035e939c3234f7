//! Where `clean`'s documents come from: the inputs named on the command line, walked (files
//! as given, directories walked in name order, `-g`/`--exclude` applied, output directories
//! never entered), each with its format (by `--format` or its name) and its destination; and
//! what stdin holds (JSONL, WARC or text), sniffed from its first bytes. `mine` selects and
//! reads files the same way.

use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashSet;
use walkdir::WalkDir;

use super::args::InputFormat;
use super::compression::{self, Compression};
use super::config::Config;
use super::format::detect_format;
use super::job::Destination;
use super::messages::Messages;
use super::output;
use super::parquet;
use super::warc;
use super::UsageError;

#[derive(Debug)]
pub struct Job {
    pub src: PathBuf,
    /// The path under `-o DIR` and `--quarantine DIR`: relative to the input directory, or the
    /// file name of a file named on the command line.
    pub relative: PathBuf,
    pub dst: Destination,
    pub format: InputFormat,
}

/// Stdin, decompressed (a gzip or zstd stream is found by its first bytes), how it was
/// compressed, and its format: `--format`, or what its first bytes look like (a JSON object:
/// JSONL; a WARC version line: WARC; else text), with a note saying so.
pub fn stdin(
    config: &Config,
    messages: &Messages,
) -> Result<(InputFormat, Box<dyn io::BufRead + Send>, Compression)> {
    let stdin = messages.count_read(io::stdin());
    let (mut input, found) = compression::decoder(stdin).context("reading stdin")?;
    let format = match config.format {
        Some(format) => format,
        None if looks_like_jsonl(input.fill_buf().context("reading stdin")?) => {
            messages.note(format_args!(
                "stdin: its first line is a JSON object, so it is read as JSONL and the `{}` \
                 field of each record is cleaned (--format text cleans it as one text)",
                config.field
            ));
            InputFormat::Jsonl
        }
        None if input
            .fill_buf()
            .context("reading stdin")?
            .starts_with(parquet::MAGIC) =>
        {
            messages.note(format_args!(
                "stdin: it starts with Parquet's magic bytes, so it is read as Parquet and its \
                 `{}` column is cleaned",
                config.field
            ));
            InputFormat::Parquet
        }
        None if {
            let sniffed = starts_like_warc(input).context("reading stdin")?;
            input = sniffed.0;
            sniffed.1
        } =>
        {
            messages.note(
                "stdin: it starts with a WARC version line, so it is read as WARC records \
                 (--format text cleans it as one text)",
            );
            InputFormat::Warc
        }
        None => InputFormat::Text,
    };
    if format != InputFormat::Text {
        messages.by_bytes(stdin_size());
    }
    Ok((format, input, found))
}

/// The size of stdin when it is a regular file (`< big.jsonl`), not a pipe.
fn stdin_size() -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        let meta = fs::File::from(fd).metadata().ok()?;
        meta.is_file().then_some(meta.len())
    }
    #[cfg(not(unix))]
    None
}

/// Whether `input` starts with `WARC/`, and `input` whole again (a buffer holds the first bytes
/// of a decompressed stream only, so they are read and put back).
fn starts_like_warc(
    mut input: Box<dyn io::BufRead + Send>,
) -> io::Result<(Box<dyn io::BufRead + Send>, bool)> {
    let mut head = Vec::new();
    (&mut input).take(5).read_to_end(&mut head)?;
    let warc = head == b"WARC/";
    let whole = io::BufReader::new(io::Cursor::new(head).chain(input));
    Ok((Box::new(whole), warc))
}

/// Whether a stream that starts with `head` (what is buffered of it) is JSONL: its first line
/// (after a byte-order mark and blank space) is a JSON object, or, when that line runs past
/// `head`, opens like one (`{"`). A text that opens with a brace (`{ 3 comments }`) is no
/// JSON object.
fn looks_like_jsonl(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.first() != Some(&b'{') {
        return false;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => serde_json::from_slice::<serde::de::IgnoredAny>(&head[..end]).is_ok(),
        None => head[1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'"'),
    }
}

/// Whether `path` is a file that a run over `inputs` reads: one of them, or a file in one of
/// them (a directory) that the `include` globs take.
pub fn is_an_input(path: &Path, inputs: &[PathBuf], include: &GlobSet) -> bool {
    let Ok(canonical) = fs::canonicalize(path) else {
        return false; // a new file
    };
    inputs
        .iter()
        .filter_map(|i| fs::canonicalize(i).ok())
        .any(|input| match canonical.strip_prefix(&input) {
            Ok(relative) if input.is_dir() => include.is_match(relative),
            _ => canonical == input,
        })
}

/// A directory that outputs go to (`flag` names it) may not be an input directory. It is never
/// walked: inside an input directory, the files it holds are taken for outputs of an earlier
/// run. They may not be: an input subdirectory given by mistake would have its files skipped,
/// and replaced by outputs of the same names. So such a directory must be new or empty.
fn refuse_full_directory_in_inputs(flag: &str, dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(canonical) = fs::canonicalize(dir) else {
        return Ok(()); // not there yet: created empty
    };
    let holds_files = || fs::read_dir(&canonical).is_ok_and(|mut entries| entries.next().is_some());
    for input in inputs.iter().filter(|input| input.is_dir()) {
        let Ok(input_dir) = fs::canonicalize(input) else {
            continue;
        };
        if canonical == input_dir {
            let hint = match flag {
                "-o" => "use --in-place to rewrite files, or choose another directory",
                _ => "choose another directory",
            };
            return Err(UsageError(format!(
                "the {flag} directory {} is the input directory; {hint}",
                dir.display()
            ))
            .into());
        }
        if canonical.starts_with(&input_dir) {
            if holds_files() {
                return Err(UsageError(format!(
                    "the {flag} directory {} is inside the input directory {} and is not empty: \
                     its files would not be cleaned, and outputs of the same names would replace \
                     them; empty it, or choose a directory outside the input",
                    dir.display(),
                    input.display()
                ))
                .into());
            }
            return Ok(());
        }
    }
    Ok(())
}

/// What a walk finds: a job, an input that cannot be listed (with why), or a directory where
/// no file was taken (with why, a warning).
pub enum Found {
    Job(Job),
    Failed(PathBuf, String),
    Nothing(PathBuf, String),
}

/// Turns the inputs into jobs: explicit files as given, directories walked.
pub struct Walker {
    include: GlobSet,
    exclude: GlobSet,
    /// The output and quarantine directories, canonical, when they exist (never walked into).
    skip: Vec<PathBuf>,
    /// The input directories that the output or quarantine directory holds, each with its path
    /// under it (`raw` for `clean data/raw -o data`): a document whose path under its input
    /// starts with that path would be written into the input directory, maybe over an input.
    into_inputs: Vec<(PathBuf, PathBuf)>,
    in_place: bool,
    dry_run: bool,
}

impl Walker {
    pub fn new(config: &Config) -> Result<Walker> {
        // One input that is not a directory goes to stdout; if it cannot be read, that is
        // reported like any other unreadable input.
        let single_file = config.inputs.len() == 1 && !config.inputs[0].is_dir();
        if config.output.is_none() && !config.in_place && !single_file && !config.dry_run {
            return Err(UsageError(
                "cleaning directories or several files needs `-o DIR` (mirror the tree into DIR) \
                 or `--in-place`; a single file or `-` writes to stdout"
                    .into(),
            )
            .into());
        }
        if !config.dry_run {
            for (flag, dir) in [("-o", &config.output), ("--quarantine", &config.quarantine)] {
                if let Some(dir) = dir {
                    refuse_full_directory_in_inputs(flag, dir, &config.inputs)?;
                }
            }
        }
        let output = match &config.output {
            // A dry run creates nothing; an output directory that exists is still not walked.
            Some(dir) if config.dry_run => fs::canonicalize(dir).ok(),
            Some(dir) => {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create output directory {}", dir.display()))?;
                let canonical = fs::canonicalize(dir)
                    .with_context(|| format!("cannot resolve {}", dir.display()))?;
                Some(canonical)
            }
            None => None,
        };
        let quarantine = config
            .quarantine
            .as_ref()
            .and_then(|dir| fs::canonicalize(dir).ok());
        let skip: Vec<PathBuf> = output.into_iter().chain(quarantine).collect();
        // Where a directory that outputs go to holds an input directory, the input's path under
        // it (a dry run writes nothing).
        let input_dirs: Vec<PathBuf> = (config.inputs.iter())
            .filter(|input| input.is_dir())
            .filter_map(|input| fs::canonicalize(input).ok())
            .collect();
        let into_inputs = match config.dry_run {
            true => Vec::new(),
            false => (skip.iter())
                .flat_map(|dir| {
                    let under =
                        move |i: &PathBuf| Some((i.strip_prefix(dir).ok()?.into(), i.clone()));
                    input_dirs.iter().filter_map(under)
                })
                .collect(),
        };
        Ok(Walker {
            include: globs(&config.include)?,
            exclude: globs(&config.exclude)?,
            skip,
            into_inputs,
            in_place: config.in_place,
            dry_run: config.dry_run,
        })
    }

    fn destination(&self, config: &Config, relative: &Path, format: InputFormat) -> Destination {
        if self.dry_run {
            return Destination::Diff;
        }
        match &config.output {
            Some(dir) => match (format, config.compress) {
                (InputFormat::Warc, compress) if config.to_jsonl => {
                    Destination::File(warc::jsonl_name(&dir.join(relative), compress))
                }
                (InputFormat::Jsonl, Some(compress)) => {
                    Destination::File(compress.rename(&dir.join(relative)))
                }
                _ => Destination::File(dir.join(relative)),
            },
            None if self.in_place => Destination::InPlace,
            None => Destination::Stdout,
        }
    }

    /// The jobs, and the inputs that could not be listed (with why).
    pub fn plan(&self, config: &Config, messages: &Messages) -> (Vec<Job>, Vec<(PathBuf, String)>) {
        let (mut jobs, mut failed) = (Vec::new(), Vec::new());
        self.walk(config, |found| {
            match found {
                Found::Job(job) => jobs.push(job),
                Found::Failed(path, why) => failed.push((path, why)),
                Found::Nothing(path, why) => messages.warn(&path, why),
            }
            true
        });
        (jobs, failed)
    }

    /// Hand `found` each job, and each input that cannot be listed, in order, for as long as it
    /// returns true.
    pub fn walk(&self, config: &Config, mut found: impl FnMut(Found) -> bool) {
        // Destinations are compared as bytes: each is the output directory joined to a path
        // made of normal components (a walked path under its input, or a file name). They can
        // only meet when several inputs share the output directory, or when `--compress` or
        // `--to` renames two inputs alike (`a.jsonl`, `a.jsonl.gz`; `a.warc`, `a.wet`);
        // otherwise none is remembered.
        let dedupe = config.inputs.len() > 1 || config.compress.is_some() || config.to_jsonl;
        let mut taken: FxHashSet<OsString> = FxHashSet::default();
        let mut add = |src: PathBuf,
                       relative: PathBuf,
                       format: InputFormat,
                       dst: Destination,
                       explicit: bool| {
            let into_input = self
                .into_inputs
                .iter()
                .find(|(u, _)| relative.starts_with(u));
            if let Some((_, input)) = into_input {
                let why = format!(
                    "its output (or quarantined copy) would be written into the input directory \
                     {}; not cleaned",
                    input.display()
                );
                return Found::Failed(src, why);
            }
            if let Destination::File(path) = &dst {
                if dedupe && !taken.insert(path.as_os_str().to_owned()) {
                    let why = format!("another input is also written to {}", path.display());
                    return Found::Failed(src, why);
                }
                // A walked file's mirror is under the output directory, which is never the
                // input directory; only an explicit file can sit where its output goes.
                if explicit && same_file(path, &src) {
                    return Found::Failed(src, "output would overwrite this input".into());
                }
            }
            Found::Job(Job {
                src,
                relative,
                dst,
                format,
            })
        };
        for input in &config.inputs {
            let meta = match fs::metadata(input) {
                Ok(meta) => meta,
                Err(err) => {
                    if !found(Found::Failed(input.clone(), format!("cannot read: {err}"))) {
                        return;
                    }
                    continue;
                }
            };
            if !meta.is_dir() {
                let name = input.file_name().map(PathBuf::from).unwrap_or_default();
                let format = match detect_format(config.format, &name) {
                    // A file named on the command line is looked into: Parquet by its magic.
                    // A FIFO is never opened here (that would wait for a writer).
                    InputFormat::Text
                        if config.format.is_none()
                            && meta.is_file()
                            && parquet::is_parquet(input) =>
                    {
                        InputFormat::Parquet
                    }
                    format => format,
                };
                let dst = self.destination(config, &name, format);
                if !found(add(input.clone(), name, format, dst, true)) {
                    return;
                }
                continue;
            }
            let walk = WalkDir::new(input)
                .follow_links(config.follow)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| self.walk_into(input, entry));
            let (mut files, mut taken) = (0, 0);
            for entry in walk {
                let next = match entry {
                    Ok(entry) if !entry.file_type().is_file() => continue,
                    // A temporary file of this tool, maybe of this very run: never an input.
                    Ok(entry) if output::is_temp_file(entry.file_name()) => continue,
                    Ok(entry) => {
                        files += 1;
                        let relative = under(entry.path(), input);
                        if !self.include.is_match(relative) {
                            continue;
                        }
                        taken += 1;
                        let format = detect_format(config.format, relative);
                        let dst = self.destination(config, relative, format);
                        let relative = relative.to_path_buf();
                        add(entry.into_path(), relative, format, dst, false)
                    }
                    Err(err) => {
                        let path = err.path().unwrap_or(input).to_path_buf();
                        Found::Failed(path, walk_error(&err))
                    }
                };
                if !found(next) {
                    return;
                }
            }
            if taken == 0 {
                let why = match files {
                    0 if !config.exclude.is_empty() => {
                        "no files here but those --exclude leaves out".to_string()
                    }
                    0 => "no files in this directory".to_string(),
                    n => format!(
                        "none of its {n} file(s) matched {} (choose files with -g GLOB)",
                        config.include.join(", ")
                    ),
                };
                if !found(Found::Nothing(input.clone(), why)) {
                    return;
                }
            }
        }
    }

    /// `--report FILE` may not replace an input (an earlier report in an input directory,
    /// which the globs do not take, is replaced).
    pub fn refuse_report_over_an_input(&self, report: &Path, inputs: &[PathBuf]) -> Result<()> {
        match is_an_input(report, inputs, &self.include) {
            true => Err(UsageError(format!(
                "--report {} would replace an input file; write the report elsewhere",
                report.display()
            ))
            .into()),
            false => Ok(()),
        }
    }

    /// Whether the walk enters / keeps `entry`: not excluded, not the output directory.
    fn walk_into(&self, root: &Path, entry: &walkdir::DirEntry) -> bool {
        if entry.depth() > 0
            && !self.exclude.is_empty()
            && self.exclude.is_match(under(entry.path(), root))
        {
            return false;
        }
        if entry.file_type().is_dir() && !self.skip.is_empty() {
            return fs::canonicalize(entry.path()).map_or(true, |c| !self.skip.contains(&c));
        }
        true
    }
}

/// `path` relative to `root`, for a `path` found by walking `root` (which joins `root` and the
/// names below it). On Unix the bytes are cut, which is much cheaper than comparing the paths'
/// components.
fn under<'p>(path: &'p Path, root: &Path) -> &'p Path {
    #[cfg(unix)]
    {
        use std::{ffi::OsStr, os::unix::ffi::OsStrExt};
        let (bytes, prefix) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
        if let Some(rest) = bytes.strip_prefix(prefix) {
            if rest.is_empty() || rest[0] == b'/' || prefix.ends_with(b"/") {
                let start = rest.iter().position(|&b| b != b'/').unwrap_or(rest.len());
                return Path::new(OsStr::from_bytes(&rest[start..]));
            }
        }
    }
    path.strip_prefix(root).unwrap_or(path)
}

fn walk_error(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!(
            "symbolic link loop (points back to {}), not followed",
            ancestor.display()
        );
    }
    match err.io_error() {
        Some(io) => format!("cannot read: {io}"),
        None => err.to_string(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn globs(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if pattern.starts_with('/') {
            // Walked paths are relative to their input directory: this would match nothing.
            return Err(UsageError(format!(
                "glob {pattern:?} starts with `/`, but globs match paths relative to the input \
                 directory (e.g. `drafts`, `2024/*.txt`), so it would match nothing"
            ))
            .into());
        }
        let glob =
            Glob::new(pattern).map_err(|e| UsageError(format!("bad glob {pattern:?}: {e}")))?;
        builder.add(glob);
    }
    Ok(builder.build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_cuts_the_root_off_a_walked_path() {
        let cases = [
            ("a/b", "a/b/c/d.txt", "c/d.txt"),
            ("a/b/", "a/b/c.txt", "c.txt"),
            ("a//b", "a//b/c.txt", "c.txt"),
            (".", "./c.txt", "c.txt"),
            ("/", "/c.txt", "c.txt"),
            ("a/b", "a/b", ""),
            // Not a walked path: the components are compared.
            ("a/b", "a/./b/c.txt", "c.txt"),
            ("a/b", "a/bc/d.txt", "a/bc/d.txt"),
        ];
        for (root, path, want) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(
                under(path, root),
                Path::new(want),
                "{path:?} under {root:?}"
            );
            let by_components = path.strip_prefix(root).unwrap_or(path);
            assert_eq!(under(path, root), by_components, "{path:?} under {root:?}");
        }
    }
}
