//! Which format a file is in, by its name (`.jsonl`, `.warc.gz`, ...) unless `--format` says,
//! and the names a walk takes by default for each format. `clean` and `mine` go by the same
//! names.

use std::path::Path;

use super::args::InputFormat;

/// Text file names walked by default: plain, gzip or zstd.
pub const TEXT_GLOBS: &[&str] = &["*.txt", "*.txt.gz", "*.txt.zst", "*.txt.zstd"];

/// File names read as JSONL when no `--format` is given, and walked by default.
pub const JSONL_GLOBS: &[&str] = &[
    "*.jsonl",
    "*.ndjson",
    "*.jsonl.gz",
    "*.ndjson.gz",
    "*.json.gz",
    "*.jsonl.zst",
    "*.ndjson.zst",
    "*.json.zst",
];

/// WARC and WET file names, read as WARC records when no `--format` is given, and walked by
/// default.
pub const WARC_GLOBS: &[&str] = &["*.warc", "*.wet", "*.warc.gz", "*.wet.gz"];

/// Parquet file names, read as Parquet when no `--format` is given, and walked by default.
pub const PARQUET_GLOBS: &[&str] = &["*.parquet"];

/// `-g` globs if any were given, else the default for the format: the text names, the JSONL names, or
/// both when the format goes by file name. `mine` selects files the same way.
pub fn select_globs(given: &[String], format: Option<InputFormat>) -> Vec<String> {
    if !given.is_empty() {
        return given.to_vec();
    }
    let text = TEXT_GLOBS.iter();
    let jsonl = JSONL_GLOBS.iter();
    let warc = WARC_GLOBS.iter();
    let parquet = PARQUET_GLOBS.iter();
    let globs: Vec<&&str> = match format {
        Some(InputFormat::Text) => text.collect(),
        Some(InputFormat::Jsonl) => jsonl.collect(),
        Some(InputFormat::Warc) => warc.collect(),
        Some(InputFormat::Parquet) => parquet.collect(),
        None => text.chain(jsonl).chain(warc).chain(parquet).collect(),
    };
    globs.into_iter().map(|g| g.to_string()).collect()
}

/// `format` if given, else by the file name: `.jsonl`, `.ndjson` and `.json`, each optionally
/// compressed, are JSONL; `.warc` and `.wet`, each optionally compressed, are WARC; `.parquet`
/// is Parquet; anything else is text. `mine` reads files the same way.
pub fn detect_format(format: Option<InputFormat>, path: &Path) -> InputFormat {
    if let Some(format) = format {
        return format;
    }
    let Some(name) = path.file_name() else {
        return InputFormat::Text;
    };
    // The name's bytes, read as `Path::extension` reads them: a walk asks this of every file.
    let mut name = name.as_encoded_bytes();
    if extension(name) == Some(b"parquet") {
        // Compressed inside, column by column: never `.parquet.gz`.
        return InputFormat::Parquet;
    }
    if let Some(compressed @ (b"gz" | b"zst" | b"zstd")) = extension(name) {
        name = &name[..name.len() - compressed.len() - 1];
    }
    match extension(name) {
        Some(b"jsonl" | b"ndjson" | b"json") => InputFormat::Jsonl,
        Some(b"warc" | b"wet") => InputFormat::Warc,
        _ => InputFormat::Text,
    }
}

/// What follows the last dot of a file name, unless that dot begins the name.
fn extension(name: &[u8]) -> Option<&[u8]> {
    match name.iter().rposition(|&b| b == b'.') {
        Some(dot) if dot > 0 => Some(&name[dot + 1..]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::compression::Compression;

    #[test]
    fn format_goes_by_the_name_under_any_compression() {
        let cases = [
            ("a.jsonl", InputFormat::Jsonl),
            ("dir.jsonl/a.txt", InputFormat::Text),
            ("a.ndjson.gz", InputFormat::Jsonl),
            ("a.json.zst", InputFormat::Jsonl),
            ("a.json", InputFormat::Jsonl),
            ("a.txt.gz", InputFormat::Text),
            ("a.gz", InputFormat::Text),
            (".jsonl", InputFormat::Text),
            ("jsonl.gz", InputFormat::Text),
            ("a.jsonl/", InputFormat::Jsonl),
            ("CC-MAIN-1.warc.wet.gz", InputFormat::Warc),
            ("a.warc", InputFormat::Warc),
            ("a.wet.zst", InputFormat::Warc),
            ("warc.gz", InputFormat::Text),
            ("a.parquet", InputFormat::Parquet),
            ("a.parquet.gz", InputFormat::Text),
            ("", InputFormat::Text),
        ];
        for (name, want) in cases {
            assert_eq!(detect_format(None, Path::new(name)), want, "{name:?}");
        }
        // The same as reading the name with `Path`'s own methods.
        let by_path = |path: &Path| {
            let Some(name) = path.file_name().map(Path::new) else {
                return InputFormat::Text;
            };
            if name.extension().is_some_and(|e| e == "parquet") {
                return InputFormat::Parquet;
            }
            let name = match Compression::of_name(name) {
                Compression::None => name,
                _ => name.file_stem().map_or(name, Path::new),
            };
            match name.extension().and_then(|e| e.to_str()) {
                Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
                Some("warc" | "wet") => InputFormat::Warc,
                _ => InputFormat::Text,
            }
        };
        // Every name of up to five of these parts (`a.jsonl.gz`, `.json.zst/`, `a..gz`, ...).
        let parts = [
            "", ".", "a", "jsonl", "json", "wet", "parquet", "gz", "zstd", "/",
        ];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|name| parts.iter().map(move |part| format!("{name}{part}")))
                .collect();
        }
        for name in names {
            let path = Path::new(&name);
            assert_eq!(detect_format(None, path), by_path(path), "{name:?}");
        }
        let text = Some(InputFormat::Text);
        assert_eq!(detect_format(text, Path::new("a.jsonl")), InputFormat::Text);
    }
}
