//! What a dry run prints: the change to one document as a unified diff or as a JSON line.
//!
//! The unified diff is computed by [`similar`] between the original bytes of the input, as they
//! are (CRLF, lone CR, a byte-order mark, invalid UTF-8 and all), and the cleaned text, so that
//! the plain form applies with `patch -p1` and yields exactly what `clean -o` writes. Lines are
//! split on LF only, as `patch` splits them, and a last line without a newline gets git's
//! `\ No newline at end of file` marker.
//!
//! Two forms are for people only: colour (with control and bidi characters made visible, see
//! [`super::sanitize`]) and `--explain`, which labels every removed or changed line with the rule
//! or pass that did it. The JSON form lists the [`Hit`]s of a document with their input lines.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Write;
use std::time::Duration;

use boilerstrip::{Cleaned, Hit, HitKind};
use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, ChangeTag};

use super::args::DiffFormat;
use super::sanitize;

/// How a dry run shows a changed document: `--diff-format`, `--context`, `--color`,
/// `--explain`.
pub struct Renderer {
    format: DiffFormat,
    style: Style,
    names: Names,
}

impl Renderer {
    pub fn new(format: DiffFormat, style: Style, names: Names) -> Renderer {
        Renderer {
            format,
            style,
            names,
        }
    }

    /// What to print for a document that would change; `name` is its path (or, for a JSONL
    /// record, `PATH:LINE` or `PATH:ID`). A diff names the file by its bytes, which `patch`
    /// needs; JSON, which holds only Unicode, by its name made valid UTF-8.
    pub fn render(&self, name: &OsStr, original: &[u8], cleaned: &boilerstrip::Cleaned) -> Vec<u8> {
        match self.format {
            DiffFormat::Unified => unified(
                name.as_encoded_bytes(),
                original,
                cleaned,
                &self.names,
                self.style,
            ),
            DiffFormat::Json => json(&name.to_string_lossy(), original, cleaned),
        }
    }
}

/// How long the diff algorithm may search for a minimal diff of one document before it settles
/// for a larger (still correct) one.
const DIFF_TIMEOUT: Duration = Duration::from_secs(2);

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// How to print a unified diff.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Lines of context around each change.
    pub context: usize,
    /// Colour for a terminal (and sanitize the text shown).
    pub color: bool,
    /// Sanitize the text shown, without colour (stdout is a terminal, `--color never`).
    pub terminal: bool,
    /// Label removed and changed lines with the rule or pass that did it.
    pub explain: bool,
}

/// Rule and pass names by id, for `--explain` labels.
pub type Names = HashMap<String, String>;

/// The unified diff from `original` to `cleaned.text`, with `a/PATH` and `b/PATH` headers;
/// `path` is the file name's bytes as they are, which need not be UTF-8. Empty when nothing
/// changed.
pub fn unified(
    path: &[u8],
    original: &[u8],
    cleaned: &Cleaned,
    names: &Names,
    style: Style,
) -> Vec<u8> {
    let old: Vec<&[u8]> = original.split_inclusive(|&b| b == b'\n').collect();
    let new: Vec<&[u8]> = cleaned
        .text
        .as_bytes()
        .split_inclusive(|&b| b == b'\n')
        .collect();
    let deadline = std::time::Instant::now() + DIFF_TIMEOUT;
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
    let labels = if style.explain {
        labels(original, &old, &cleaned.hits.to_vec(), names)
    } else {
        Vec::new()
    };

    let mut out = Vec::new();
    let mut printer = Printer {
        out: &mut out,
        style,
    };
    let mut header = true;
    let hunks = similar::group_diff_ops(ops, style.context);
    for hunk in &hunks {
        // Equal documents still give one group, of context only.
        if hunk.iter().all(|op| op.tag() == similar::DiffTag::Equal) {
            continue;
        }
        if std::mem::take(&mut header) {
            printer.colored(
                BOLD,
                &[b"--- ", &header_name("a/", path)[..]].concat(),
                None,
            );
            printer.colored(
                BOLD,
                &[b"+++ ", &header_name("b/", path)[..]].concat(),
                None,
            );
        }
        let hunk_header = UnifiedHunkHeader::new(hunk).to_string();
        printer.colored(CYAN, hunk_header.as_bytes(), None);
        for change in hunk.iter().flat_map(|op| op.iter_changes(&old, &new)) {
            let (tag, color) = match change.tag() {
                ChangeTag::Equal => (b' ', ""),
                ChangeTag::Delete => (b'-', RED),
                ChangeTag::Insert => (b'+', GREEN),
            };
            let label = match (change.tag(), change.old_index()) {
                (ChangeTag::Delete, Some(i)) => labels.get(i).map(String::as_str),
                _ => None,
            };
            printer.line(color, tag, change.value(), label);
        }
    }
    out
}

/// A file name for a `---`/`+++` line, written as git writes it so that `patch` reads it back:
/// C-quoted when it holds quotes, backslashes or control characters, and followed by a tab
/// when it holds a space (GNU patch ends an unquoted name at a tab). An absolute path loses its
/// leading `/` after the prefix, as in git's `a/tmp/x` for `/tmp/x`. Bytes that are not UTF-8
/// are written as they are (git with `core.quotePath` off), never replaced with U+FFFD: the
/// name must be the file's.
fn header_name(prefix: &str, path: &[u8]) -> Vec<u8> {
    let start = path.iter().position(|&b| b != b'/').unwrap_or(path.len());
    let name = [prefix.as_bytes(), &path[start..]].concat();
    let chars = || name.utf8_chunks().flat_map(|chunk| chunk.valid().chars());
    if chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        let mut quoted = b"\"".to_vec();
        for chunk in name.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '"' => quoted.extend_from_slice(b"\\\""),
                    '\\' => quoted.extend_from_slice(b"\\\\"),
                    '\t' => quoted.extend_from_slice(b"\\t"),
                    '\n' => quoted.extend_from_slice(b"\\n"),
                    c if c.is_control() => {
                        let mut buf = [0; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            quoted.extend_from_slice(format!("\\{b:03o}").as_bytes());
                        }
                    }
                    c => quoted.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                }
            }
            quoted.extend_from_slice(chunk.invalid());
        }
        quoted.push(b'"');
        quoted
    } else if name.contains(&b' ') {
        [&name[..], b"\t"].concat()
    } else {
        name
    }
}

/// Writes diff lines in the chosen style.
struct Printer<'a> {
    out: &'a mut Vec<u8>,
    style: Style,
}

impl Printer<'_> {
    /// One diff line: `tag` and the line as split (with its newline, unless it is the last line
    /// of a file without one).
    fn line(&mut self, color: &str, tag: u8, value: &[u8], label: Option<&str>) {
        let (body, newline) = match value.strip_suffix(b"\n") {
            Some(body) => (body, true),
            None => (value, false),
        };
        if !self.style.color && !self.style.explain {
            self.out.push(tag);
            self.out.extend_from_slice(value);
            if !newline {
                self.out.push(b'\n');
            }
        } else {
            // For reading: a CRLF line end is shown only in colour (as a visible ␍).
            let body = match body.strip_suffix(b"\r") {
                Some(stripped) if !self.style.color => stripped,
                _ => body,
            };
            let mut text = Vec::with_capacity(body.len() + 1);
            text.push(tag);
            text.extend_from_slice(body);
            self.colored(color, &text, label);
        }
        if !newline {
            self.colored("", b"\\ No newline at end of file", None);
        }
    }

    /// A whole line of text (without its newline) in `color` when colour is on, then the label.
    fn colored(&mut self, color: &str, text: &[u8], label: Option<&str>) {
        if self.style.color || self.style.terminal {
            let text = String::from_utf8_lossy(text);
            let text = sanitize::for_terminal(&text);
            if color.is_empty() || !self.style.color {
                self.out.extend_from_slice(text.as_bytes());
            } else {
                let _ = write!(self.out, "{color}{text}{RESET}");
            }
        } else {
            self.out.extend_from_slice(text);
        }
        if let Some(label) = label {
            let label = sanitize::for_terminal(label);
            let _ = write!(self.out, "  # {label}");
        }
        self.out.push(b'\n');
    }
}

/// For each normalized line (0-based, as [`Hit::line`] counts them, less one), the 0-based line
/// of the original that holds it. Normalization ends a line at LF, CRLF or a lone CR; the diff
/// and `patch` only at LF, so several normalized lines can lie on one original line.
pub(super) fn original_lines(original: &[u8]) -> Vec<usize> {
    let mut map = vec![0];
    let mut line = 0;
    let mut bytes = original.iter().peekable();
    while let Some(&b) = bytes.next() {
        match b {
            b'\n' => {
                line += 1;
                map.push(line);
            }
            b'\r' => {
                if bytes.peek() == Some(&&b'\n') {
                    bytes.next();
                    line += 1;
                }
                map.push(line);
            }
            _ => {}
        }
    }
    map
}

/// The original line (1-based) a hit is about.
pub(super) fn hit_line(map: &[usize], hit: &Hit) -> usize {
    let normalized = hit.line.saturating_sub(1);
    map.get(normalized)
        .or(map.last())
        .copied()
        .unwrap_or_default()
        + 1
}

/// The `--explain` label of every original line: the rules and passes that removed or changed
/// it (`WP003 leave-a-reply`). A line that absorbed the pieces `REJOIN` joined onto it is labelled
/// with `REJOIN` too. Lines changed by no rule were changed by normalization (`normalize`:
/// whitespace, Unicode, line ends) or are blank lines dropped when the text was assembled
/// (`blank-line`).
fn labels(original: &[u8], lines: &[&[u8]], hits: &[Hit], names: &Names) -> Vec<String> {
    let map = original_lines(original);
    let mut ids: Vec<Vec<&str>> = vec![Vec::new(); lines.len()];
    let mut reasons: Vec<Option<&str>> = vec![None; lines.len()];
    let is_blank = |i: usize| String::from_utf8_lossy(lines[i]).trim().is_empty();
    for hit in hits {
        let line = hit_line(&map, hit) - 1;
        if let Some(slot) = ids.get_mut(line) {
            add_once(slot, &hit.id);
            reasons[line] = reasons[line].or(hit.reason.as_deref());
        }
    }
    let mut removed = vec![false; lines.len()];
    for hit in hits.iter().filter(|h| h.kind == HitKind::Removed) {
        if let Some(flag) = removed.get_mut(hit_line(&map, hit) - 1) {
            *flag = true;
        }
    }
    let rejoin = boilerstrip::passes::REJOIN.id;
    for hit in hits.iter().filter(|h| h.kind == HitKind::Joined) {
        let joined = hit_line(&map, hit) - 1;
        let target = (0..joined.min(lines.len()))
            .rev()
            .find(|&i| !is_blank(i) && !removed[i] && !ids[i].contains(&rejoin));
        if let Some(target) = target {
            add_once(&mut ids[target], rejoin);
        }
    }
    ids.iter()
        .enumerate()
        .map(|(i, ids)| {
            if ids.is_empty() {
                return if is_blank(i) {
                    "blank-line"
                } else {
                    "normalize"
                }
                .to_string();
            }
            ids.iter()
                .map(|id| match (names.get(*id), reasons[i]) {
                    (Some(name), Some(reason))
                        if *id == boilerstrip::passes::CLASSIFY.id
                            || *id == boilerstrip::passes::COMMENTS.id =>
                    {
                        format!("{id} {name}: {reason}")
                    }
                    (Some(name), _) => format!("{id} {name}"),
                    (None, _) => id.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

fn add_once<'a>(ids: &mut Vec<&'a str>, id: &'a str) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// One changed document as a JSON line (with its final newline).
///
/// Schema: `{"path": "corpus/input/a.txt", "changes": [{"line": 12, "kind": "removed",
/// "rule": "WP003", "text": "Leave a Reply"}, ...], "bytes_in": 2048, "bytes_out": 1536}`.
/// `line` is the 1-based line of the input file (lines end at LF); `kind` is `removed` (the
/// whole line), `stripped` (`text` is the part cut from the line) or `joined` (`text` is the
/// line joined onto the one before it); `rule` is a rule or pass id; changes are in line order.
/// `changes` is empty when only normalization changed the document.
pub fn json(path: &str, original: &[u8], cleaned: &Cleaned) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        path: &'a str,
        changes: Vec<Change<'a>>,
        bytes_in: usize,
        bytes_out: usize,
    }
    #[derive(serde::Serialize)]
    struct Change<'a> {
        line: usize,
        kind: HitKind,
        rule: &'a str,
        text: &'a str,
    }
    let map = original_lines(original);
    let hits = cleaned.hits.to_vec();
    let document = Document {
        path,
        changes: hits
            .iter()
            .map(|hit| Change {
                line: hit_line(&map, hit),
                kind: hit.kind,
                rule: &hit.id,
                text: &hit.text,
            })
            .collect(),
        bytes_in: original.len(),
        bytes_out: cleaned.text.len(),
    };
    let mut out = serde_json::to_vec(&document).expect("a document serializes");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use boilerstrip::Cleaner;

    const PLAIN: Style = Style {
        context: 3,
        color: false,
        terminal: false,
        explain: false,
    };

    fn diff(original: &str, style: Style) -> String {
        let cleaned = Cleaner::new().clean(original);
        let names = Names::new();
        String::from_utf8(unified(
            b"a.txt",
            original.as_bytes(),
            &cleaned,
            &names,
            style,
        ))
        .unwrap()
    }

    #[test]
    fn header_names_are_written_as_git_writes_them() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"in/a.txt", b"a/in/a.txt"),
            (b"in/a b.txt", b"a/in/a b.txt\t"),
            (b"in/say \"hi\".txt", b"\"a/in/say \\\"hi\\\".txt\""),
            (b"in/tab\there.txt", b"\"a/in/tab\\there.txt\""),
            (
                "in/caf\u{e9}.txt".as_bytes(),
                "a/in/caf\u{e9}.txt".as_bytes(),
            ),
            (b"/tmp/in/a.txt", b"a/tmp/in/a.txt"),
            // Not UTF-8: the bytes as they are, quoted or not.
            (b"in/\xffa.txt", b"a/in/\xffa.txt"),
            (b"in/\xff\"a.txt", b"\"a/in/\xff\\\"a.txt\""),
            (b"in/\xc3 a.txt", b"a/in/\xc3 a.txt\t"),
        ];
        for (path, want) in cases {
            let got = header_name("a/", path);
            assert_eq!(got, *want, "{}", String::from_utf8_lossy(path));
        }
    }

    #[test]
    fn unchanged_document_gives_no_diff() {
        assert_eq!(diff("Text.\n", PLAIN), "");
        assert_eq!(diff("", PLAIN), "");
    }

    #[test]
    fn missing_final_newline_is_marked() {
        assert_eq!(
            diff("Text.", PLAIN),
            "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-Text.\n\\ No newline at end of file\n+Text.\n"
        );
    }

    #[test]
    fn crlf_lines_are_diffed_as_they_are() {
        assert_eq!(
            diff("A.\r\nB.\r\n", PLAIN),
            "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-A.\r\n-B.\r\n+A.\n+B.\n"
        );
    }

    #[test]
    fn lone_cr_maps_hits_to_the_line_that_holds_them() {
        assert_eq!(original_lines(b"a\rb\r\nc\nd"), [0, 0, 1, 2]);
        assert_eq!(original_lines(b""), [0]);
    }

    #[test]
    fn explain_labels_rules_passes_and_normalization() {
        let got = diff(
            "Skip to content\n\nText of the article.  \n\nLeave a Reply\nNice!\n",
            Style {
                explain: true,
                ..PLAIN
            },
        );
        let lines: Vec<&str> = got.lines().filter(|l| l.starts_with('-')).collect();
        assert_eq!(lines[1], "-Skip to content  # NAV001", "{got}");
        assert_eq!(lines[2], "-  # blank-line", "{got}");
        assert!(
            lines.contains(&"-Text of the article.    # normalize"),
            "{got}"
        );
        assert!(lines.iter().any(|l| l.starts_with("-Nice!  # WP")), "{got}");
    }

    #[test]
    fn color_sanitizes_scraped_text() {
        let got = diff(
            "Skip to content\n\nEvil \u{1b}]0;x\u{7}\u{202E}text.\n",
            Style {
                color: true,
                ..PLAIN
            },
        );
        assert!(got.contains("\x1b[31m-Skip to content\x1b[0m"), "{got:?}");
        assert!(
            !got.contains('\u{202E}') && !got.contains('\u{7}'),
            "{got:?}"
        );
        assert!(got.contains("\u{241b}]0;x\u{2407}\u{FFFD}text."), "{got:?}");
    }

    #[test]
    fn json_lists_hits_with_input_lines() {
        let text = "Skip to content\r\rText.\n\nLeave a Reply\n";
        let cleaned = Cleaner::new().clean(text);
        let line = String::from_utf8(json("a.txt", text.as_bytes(), &cleaned)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["path"], "a.txt");
        assert_eq!(value["changes"][0]["line"], 1);
        assert_eq!(value["changes"][0]["kind"], "removed");
        assert_eq!(value["changes"][1]["line"], 3);
        assert_eq!(value["bytes_in"], text.len());
        assert_eq!(value["bytes_out"], "Text.\n".len());
        assert!(line.ends_with("}\n"));
    }
}
