//! JSONL records: clean one field of one JSON object per line, and leave every other byte of the
//! line as it was.
//!
//! Datasets of scraped text come as JSON Lines (`{"id": ..., "text": ..., "meta": {...}}`, one
//! object a line). Decoding a record into a JSON value and writing it back would rewrite what it
//! does not own: `1e400` becomes `null` or an error, `-0.0` may lose its sign, `"\u00e9"`
//! becomes `"é"`, keys may be reordered. So a record is never re-serialized. The line is parsed
//! into borrowed raw values, which validates the whole line and gives the byte span of the field
//! to clean; only that span is replaced, with the cleaned text written as a JSON string. A
//! record of the common shape (keys without escapes, values that are strings, numbers or
//! literals) is parsed by a scan of this module's own, which takes a string with one vectorized
//! search per escape; nested values, and any line the scan does not take, are left to
//! serde_json's [`RawValue`], so what is accepted, and the message for what is not, are
//! serde_json's. The rest of the line, whitespace and line-end `\r` included, is copied through.
//! A record the cleaner leaves unchanged comes out byte-identical.
//!
//! The field is named by a dotted path (`text`, `meta.body`); keys that contain a dot cannot be
//! addressed. When a key occurs twice in one object the last occurrence is used, as serde_json
//! does. Values off the path are validated and skipped without recursion (serde_json skips a
//! [`RawValue`] with a loop, not its recursion-limited parser), so however deeply another field
//! is nested, the record is cleaned and that field passed through: there is no "too deep"
//! error to handle.
//!
//! The field's final newline is kept as it was: the cleaner ends a text with exactly one newline
//! (see [`Cleaner`]), but a field that did not end with one does not get one.
//!
//! This module is pure: one `&str` line in, one [`Record`] out. Reading and writing streams,
//! compression and parallelism belong to the caller (the `boilerstrip` binary reads in bounded
//! chunks and cleans the records of a chunk in parallel).
//!
//! # Example
//! ```
//! use boilerstrip::{jsonl, Cleaner};
//!
//! let cleaner = Cleaner::new();
//! let options = jsonl::Options::new(); // cleans the `text` field
//! let line = r#"{"id":7,"text":"Skip to content\n\nThe bridge opened.","score":1e400}"#;
//! let record = options.clean_line(&cleaner, line).unwrap();
//! assert_eq!(
//!     record.line.as_deref(),
//!     Some(r#"{"id":7,"text":"The bridge opened.","score":1e400}"#)
//! );
//! assert_eq!(record.cleaned.hits.to_vec()[0].id.as_ref(), "NAV001");
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::cleaner::{Cleaned, Cleaner};
use crate::mine::LearnedLines;

/// The default field to clean.
pub const DEFAULT_FIELD: &str = "text";

/// The default name of the field `--annotate` adds.
pub const DEFAULT_ANNOTATION: &str = "boilerstrip";

/// Why one record could not be cleaned. The line number is the caller's to add: this error is
/// about one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The line is not UTF-8.
    #[error("invalid UTF-8 at column {column}")]
    InvalidUtf8 {
        /// 1-based byte column of the first invalid byte.
        column: usize,
    },
    /// The line is not one JSON object (serde_json's message and column).
    #[error("malformed JSON at column {column}: {message}")]
    Malformed {
        /// 1-based column where serde_json stopped.
        column: usize,
        /// serde_json's description, without its position.
        message: String,
    },
    /// The object has no value at the field path.
    #[error("no field {field:?}")]
    MissingField {
        /// The dotted path.
        field: String,
    },
    /// The line is longer than the reader's limit and was not read whole (the binary's
    /// `--max-doc-bytes`), so not cleaned; this module never sees such a line, its readers
    /// report it.
    #[error("record over {limit} bytes, not cleaned")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The value at the field path is not a string.
    #[error("field {field:?} is {found}, not a string")]
    NotAString {
        /// The dotted path.
        field: String,
        /// What was found there: `a number`, `an object`, `null`, ...
        found: &'static str,
    },
    /// The value at the field path is a string that is not Unicode: an escape of a lone
    /// surrogate (`\ud800`), which no Rust string can hold.
    #[error("field {field:?} is a string with a lone surrogate escape (\\ud800 to \\udfff), not Unicode")]
    NotUnicode {
        /// The dotted path.
        field: String,
    },
}

impl RecordError {
    /// A short stable name for the kind of error, for counting (`malformed`, `missing-field`,
    /// `not-a-string`, `not-unicode`, `invalid-utf8`, `too-large`).
    pub fn kind(&self) -> &'static str {
        match self {
            RecordError::InvalidUtf8 { .. } => "invalid-utf8",
            RecordError::Malformed { .. } => "malformed",
            RecordError::MissingField { .. } => "missing-field",
            RecordError::NotAString { .. } => "not-a-string",
            RecordError::NotUnicode { .. } => "not-unicode",
            RecordError::TooLarge { .. } => "too-large",
        }
    }

    fn from_json(err: &serde_json::Error) -> RecordError {
        let message = err.to_string();
        // serde_json appends " at line L column C"; the column is kept as a field.
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_string(),
            None => message,
        };
        RecordError::Malformed {
            column: err.column(),
            message,
        }
    }
}

/// A dotted path to a field (`text`, `meta.body`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    dotted: String,
}

impl FieldPath {
    /// The path `dotted` names; each segment is one object key.
    pub fn new(dotted: &str) -> FieldPath {
        FieldPath {
            dotted: dotted.to_string(),
        }
    }

    fn segments(&self) -> impl Iterator<Item = &str> {
        self.dotted.split('.')
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted)
    }
}

/// How records are cleaned: which field, whether to annotate, whether to drop emptied records.
///
/// # Example
/// ```
/// use boilerstrip::{jsonl, Cleaner};
///
/// let options = jsonl::Options::new()
///     .field("doc.body")
///     .annotate("bs")
///     .drop_empty(true);
/// let cleaner = Cleaner::new();
/// let line = r#"{"doc":{"body":"The text.\nLeave a Reply\nNice!"}}"#;
/// let record = options.clean_line(&cleaner, line).unwrap();
/// assert_eq!(
///     record.line.as_deref(),
///     Some(r#"{"doc":{"body":"The text."},"bs":{"lines_removed":2,"lines_changed":0,"rules":{"WP003":2}}}"#)
/// );
/// // Everything removed: the record is dropped.
/// let record = options.clean_line(&cleaner, r#"{"doc":{"body":"Skip to content"}}"#).unwrap();
/// assert_eq!(record.line, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    field: FieldPath,
    id_field: Option<FieldPath>,
    annotate: Option<String>,
    drop_empty: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options::new()
    }
}

/// One cleaned record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// The line to write (without a line end), or `None` when the record was dropped because its
    /// text came out empty ([`Options::drop_empty`]). Borrowed when nothing changed.
    pub line: Option<Cow<'a, str>>,
    /// The field's text as it was (decoded from JSON).
    pub text: String,
    /// The cleaned text, as written into the field, and the changes.
    pub cleaned: Cleaned,
    /// The value of the id field ([`Options::id_field`]), when there is one: a string's text,
    /// or any other value's JSON.
    pub id: Option<String>,
}

impl Record<'_> {
    /// Whether the field's text changed.
    pub fn changed(&self) -> bool {
        self.text != self.cleaned.text
    }
}

impl Options {
    /// Clean the `text` field; no annotation; keep emptied records.
    pub fn new() -> Options {
        Options {
            field: FieldPath::new(DEFAULT_FIELD),
            id_field: None,
            annotate: None,
            drop_empty: false,
        }
    }

    /// Clean the field at the dotted `path` (default `text`).
    pub fn field(mut self, path: &str) -> Self {
        self.field = FieldPath::new(path);
        self
    }

    /// Read the record's id from the field at the dotted `path` (see [`Record::id`]).
    pub fn id_field(mut self, path: &str) -> Self {
        self.id_field = Some(FieldPath::new(path));
        self
    }

    /// Add (or replace) a top-level field `name` with what was removed:
    /// `{"lines_removed": N, "lines_changed": N, "rules": {"ID": hits, ...}}`, rules sorted by
    /// id. Records with no change get the field too. A `name` that is the cleaned field's own
    /// top-level key (see [`Options::annotates_the_field`]) replaces the field, cleaned text and
    /// all, with the annotation.
    pub fn annotate(mut self, name: impl Into<String>) -> Self {
        self.annotate = Some(name.into());
        self
    }

    /// Drop records whose text comes out empty (default: keep them, with an empty field).
    pub fn drop_empty(mut self, yes: bool) -> Self {
        self.drop_empty = yes;
        self
    }

    /// Whether a record whose text comes out empty is dropped ([`Options::drop_empty`]).
    pub fn drops_empty(&self) -> bool {
        self.drop_empty
    }

    /// The field that is cleaned.
    pub fn field_path(&self) -> &FieldPath {
        &self.field
    }

    /// The field that names a record ([`Options::id_field`]), if any.
    pub fn id_field_path(&self) -> Option<&FieldPath> {
        self.id_field.as_ref()
    }

    /// Whether the annotation would be written over the cleaned field: its name is the field's
    /// top-level key (`text` for the field `text`, `doc` for `doc.body`).
    pub fn annotates_the_field(&self) -> bool {
        self.annotate.as_deref() == self.field.segments().next()
    }

    /// Clean one line given as bytes: [`Options::clean_line`] after a UTF-8 check.
    pub fn clean_bytes<'a>(
        &self,
        cleaner: &Cleaner,
        line: &'a [u8],
    ) -> Result<Record<'a>, RecordError> {
        self.clean_bytes_with(cleaner, line, None)
    }

    /// [`Options::clean_bytes`], also removing the lines `learned` from the corpus (see
    /// [`Cleaner::clean_with`]).
    pub fn clean_bytes_with<'a>(
        &self,
        cleaner: &Cleaner,
        line: &'a [u8],
        learned: Option<&LearnedLines>,
    ) -> Result<Record<'a>, RecordError> {
        let line = crate::normalize::from_utf8(line).map_err(|e| RecordError::InvalidUtf8 {
            column: e.valid_up_to() + 1,
        })?;
        self.clean_line_with(cleaner, line, learned)
    }

    /// Clean one line: one JSON object, without its line end (a trailing `\r` is allowed and
    /// kept).
    pub fn clean_line<'a>(
        &self,
        cleaner: &Cleaner,
        line: &'a str,
    ) -> Result<Record<'a>, RecordError> {
        self.clean_line_with(cleaner, line, None)
    }

    /// The text of the field to clean on `line`, decoded but not cleaned (for statistics over a
    /// dump, see [`crate::mine`]).
    pub fn text_of(&self, line: &str) -> Result<String, RecordError> {
        let top = Object::parse(line).map_err(|e| RecordError::from_json(&e))?;
        self.text_at(find(line, &top, &self.field)?)
    }

    /// The text of `raw`, the field's value.
    fn text_at(&self, raw: &str) -> Result<String, RecordError> {
        if let Some(text) = unescape(raw) {
            return Ok(text);
        }
        serde_json::from_str(raw).map_err(|_| match raw.starts_with('"') {
            // A string the parser took, with an escape that is not a character.
            true => RecordError::NotUnicode {
                field: self.field.to_string(),
            },
            false => RecordError::NotAString {
                field: self.field.to_string(),
                found: kind_of(raw),
            },
        })
    }

    /// [`Options::clean_line`], also removing the lines `learned` from the corpus (see
    /// [`Cleaner::clean_with`]).
    pub fn clean_line_with<'a>(
        &self,
        cleaner: &Cleaner,
        line: &'a str,
        learned: Option<&LearnedLines>,
    ) -> Result<Record<'a>, RecordError> {
        let top = Object::parse(line).map_err(|e| RecordError::from_json(&e))?;
        let raw = find(line, &top, &self.field)?;
        let text = self.text_at(raw)?;
        let id = self.id_of(line, &top);

        let mut cleaned = cleaner.clean_with(&text, learned);
        if !text.ends_with('\n') && cleaned.text.ends_with('\n') {
            cleaned.text.pop();
        }
        if self.drop_empty && cleaned.text.is_empty() {
            return Ok(Record {
                line: None,
                text,
                cleaned,
                id,
            });
        }

        // At most two edits of the line: the field's new text, quoted as it is written out, and
        // the annotation.
        let field = (cleaned.text != text).then(|| (span(line, raw), Edit::Quote(&cleaned.text)));
        let note = self.annotate.as_ref().map(|name| {
            let note = annotation(&cleaned);
            match top.0.iter().rev().find(|(key, _)| key == name.as_str()) {
                Some((_, old)) => (span(line, old), Edit::Json(note)),
                None => {
                    let close = line.trim_end().len() - 1; // the object's closing brace
                    let comma = if top.0.is_empty() { "" } else { "," };
                    let key = serde_json::to_string(name).expect("a string serializes");
                    (close..close, Edit::Json(format!("{comma}{key}:{note}")))
                }
            }
        });
        let mut edits = [field, note];
        if let [Some((field, _)), Some((note, _))] = &edits {
            if note.start <= field.start && field.end <= note.end {
                // The annotation replaces the member that holds the field.
                edits[0] = None;
            } else if note.start < field.start {
                edits.swap(0, 1);
            }
        }
        let line = if edits.iter().all(Option::is_none) {
            Cow::Borrowed(line)
        } else {
            let mut out = String::with_capacity(line.len() + 64);
            let mut at = 0;
            for (range, edit) in edits.into_iter().flatten() {
                out.push_str(&line[at..range.start]);
                match edit {
                    Edit::Quote(text) => quote_into(&mut out, text),
                    Edit::Json(json) => out.push_str(&json),
                }
                at = range.end;
            }
            out.push_str(&line[at..]);
            Cow::Owned(out)
        };
        Ok(Record {
            line: Some(line),
            text,
            cleaned,
            id,
        })
    }

    /// The id of the record on `line`, if the line is an object with the id field; for messages
    /// about records that could not be cleaned.
    pub fn record_id(&self, line: &str) -> Option<String> {
        let top = Object::parse(line).ok()?;
        self.id_of(line, &top)
    }

    fn id_of(&self, line: &str, top: &Object) -> Option<String> {
        let raw = find(line, top, self.id_field.as_ref()?).ok()?;
        Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string()))
    }
}

/// The annotation for one record, as JSON.
fn annotation(cleaned: &Cleaned) -> String {
    let mut rules: BTreeMap<&str, u64> = BTreeMap::new();
    for (id, _, n) in cleaned.hits.tally() {
        *rules.entry(id).or_default() += n as u64;
    }
    let changed = cleaned.hits.len() - cleaned.lines_removed();
    let rules = serde_json::to_string(&rules).expect("a map of strings serializes");
    format!(
        r#"{{"lines_removed":{},"lines_changed":{changed},"rules":{rules}}}"#,
        cleaned.lines_removed()
    )
}

/// The value at `path`, descending from the top-level object.
fn find<'a>(line: &'a str, top: &Object<'a>, path: &FieldPath) -> Result<&'a str, RecordError> {
    let missing = || RecordError::MissingField {
        field: path.to_string(),
    };
    let mut segments = path.segments();
    let first = segments.next().unwrap_or_default();
    let mut value = top.get(first).ok_or_else(missing)?;
    for segment in segments {
        let object = match Object::parse(value) {
            Ok(object) => object,
            Err(err) if err.is_data() => return Err(missing()),
            Err(err) => {
                // Columns of a nested value count from the start of the line.
                let shift = span(line, value).start;
                let mut error = RecordError::from_json(&err);
                if let RecordError::Malformed { column, .. } = &mut error {
                    *column += shift;
                }
                return Err(error);
            }
        };
        value = object.get(segment).ok_or_else(missing)?;
    }
    Ok(value)
}

/// The byte range of `raw` in `line` (a raw value borrows from the line it was parsed from).
fn span(line: &str, raw: &str) -> std::ops::Range<usize> {
    let start = raw.as_ptr() as usize - line.as_ptr() as usize;
    debug_assert!(start + raw.len() <= line.len());
    start..start + raw.len()
}

/// What a JSON value is, for messages.
fn kind_of(json: &str) -> &'static str {
    match json.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

/// One JSON object's members in order, values left raw (borrowed from the line), keys borrowed
/// too unless they hold an escape.
struct Object<'a>(Vec<(Key<'a>, &'a str)>);

/// An object's key: borrowed from the line, or unescaped.
struct Key<'a>(Cow<'a, str>);

impl PartialEq<str> for Key<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'a> Object<'a> {
    /// The object on `line`: found by [`scan`] when it can, else parsed by serde_json, whose
    /// error tells what is wrong with a malformed line.
    fn parse(line: &'a str) -> Result<Object<'a>, serde_json::Error> {
        // A byte order mark before the object (a file written by some Windows tools, or such
        // files concatenated) is left where it is, like the whitespace around the object.
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        match scan(line) {
            Some(object) => Ok(object),
            None => serde_json::from_str(line),
        }
    }

    /// The last member named `key` (serde_json's rule for duplicate keys).
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// The object on `line`, when it has a common shape: keys without escapes, and values that are
/// strings, numbers, `true`, `false`, `null`, or objects and arrays (which serde_json skips).
/// `None` for any other line, to be parsed by serde_json instead. The scan takes a string in
/// one vectorized search per escape, where serde_json's parser goes eight bytes at a time; it
/// accepts only lines that serde_json accepts, with the same members (a property test holds
/// it to that).
fn scan(line: &str) -> Option<Object<'_>> {
    let bytes = line.as_bytes();
    // Strings are checked for control characters only if the line has some (bar the CR of a
    // CRLF line end): one pass over the line is cheaper than one over each string.
    let controls = has_control(line.trim_end_matches('\r').as_bytes());
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    // Records of up to eight members, the common size, take one allocation.
    let mut members = Vec::with_capacity(8);
    if bytes.get(at) == Some(&b'}') {
        at += 1;
    } else {
        loop {
            if bytes.get(at) != Some(&b'"') {
                return None;
            }
            let end = string_end(bytes, at + 1, false, controls)?;
            let key = Key(Cow::Borrowed(&line[at + 1..end]));
            at = skip_space(bytes, end + 1);
            if bytes.get(at) != Some(&b':') {
                return None;
            }
            at = skip_space(bytes, at + 1);
            let end = value_end(line, at, controls)?;
            members.push((key, &line[at..end]));
            at = skip_space(bytes, end);
            match bytes.get(at) {
                Some(b',') => at = skip_space(bytes, at + 1),
                Some(b'}') => {
                    at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_space(bytes, at) == bytes.len()).then_some(Object(members))
}

/// The index of the first byte from `at` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// The end of the JSON value that starts at `at`, if [`scan`] takes it (see [`string_end`] for
/// `controls`).
fn value_end(line: &str, at: usize, controls: bool) -> Option<usize> {
    let bytes = line.as_bytes();
    let literal = |word: &[u8]| bytes[at..].starts_with(word).then_some(at + word.len());
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at + 1, true, controls).map(|end| end + 1),
        b'-' | b'0'..=b'9' => number_end(bytes, at),
        b't' => literal(b"true"),
        b'f' => literal(b"false"),
        b'n' => literal(b"null"),
        b'{' | b'[' => {
            let mut nested = serde_json::Deserializer::from_str(&line[at..]);
            let raw = <&RawValue>::deserialize(&mut nested).ok()?;
            Some(at + raw.get().len())
        }
        _ => None,
    }
}

/// The index of the quote that ends the string whose contents start at `at`; `None` at a bad
/// escape, or at any escape unless `escapes`, or at a control character (looked for only if
/// `controls` says the line has some).
fn string_end(bytes: &[u8], mut at: usize, escapes: bool, controls: bool) -> Option<usize> {
    loop {
        // Escapes come in runs (`\n\n`): the byte after one is tried before a search.
        let next = match bytes.get(at) {
            Some(b'"' | b'\\') => at,
            _ => at + memchr::memchr2(b'"', b'\\', &bytes[at..])?,
        };
        if controls && has_control(&bytes[at..next]) {
            return None;
        }
        if bytes[next] == b'"' {
            return Some(next);
        }
        if !escapes {
            return None;
        }
        at = match bytes.get(next + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => next + 2,
            b'u' if bytes
                .get(next + 2..next + 6)?
                .iter()
                .all(u8::is_ascii_hexdigit) =>
            {
                next + 6
            }
            _ => return None,
        };
    }
}

/// Whether `bytes` holds a control character (which a JSON string may not hold unescaped). The
/// least byte is found without an early exit, which the compiler vectorizes.
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(u8::MAX, |least, &b| least.min(b)) < 0x20
}

/// The end of the JSON number that starts at `at` (what follows is for the caller to check).
fn number_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    if bytes[at] == b'-' {
        at += 1;
    }
    match bytes.get(at)? {
        b'0' => at += 1,
        b'1'..=b'9' => at = digits(at),
        _ => return None,
    }
    if bytes.get(at) == Some(&b'.') {
        let end = digits(at + 1);
        if end == at + 1 {
            return None;
        }
        at = end;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = bytes.get(at) {
            at += 1;
        }
        let end = digits(at);
        if end == at {
            return None;
        }
        at = end;
    }
    Some(at)
}

impl<'de> Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Object<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Object<'de>, M::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?.get()));
                }
                Ok(Object(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// The text of `raw`, a JSON value that serde_json has checked, when it is a string: the
/// common escapes undone between runs copied whole. `None` for any other value, and for a
/// string with an escaped UTF-16 surrogate, which serde_json decodes (or rejects) instead.
fn unescape(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut done = 0;
    while let Some(i) = memchr::memchr(b'\\', &bytes[done..]).map(|i| done + i) {
        // A backslash is ASCII, so `i` is a character boundary.
        out.push_str(&inner[done..i]);
        let (c, len) = match bytes.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hex = inner.get(i + 2..i + 6)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                // A surrogate is no `char`: left to serde_json.
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                (c, 6)
            }
            _ => return None,
        };
        out.push(c);
        done = i + len;
    }
    out.push_str(&inner[done..]);
    Some(out)
}

/// `text`, a cleaned text, as a JSON string, quoted and escaped byte for byte as `serde_json`
/// writes it. A cleaned text is normalized: it holds no control character but LF (see
/// [`crate::normalize`]), so the only bytes to escape are `"`, `\` and LF, found with a
/// vectorized search for three bytes.
/// What replaces a part of a JSONL line.
enum Edit<'t> {
    /// A text, written as a JSON string.
    Quote(&'t str),
    /// JSON as it stands.
    Json(String),
}

/// `text` as a JSON string, onto `out`.
fn quote_into(out: &mut String, text: &str) {
    debug_assert!(
        !text.bytes().any(|b| b < 0x20 && b != b'\n'),
        "a cleaned text has no control character but LF"
    );
    let bytes = text.as_bytes();
    out.reserve(text.len() + text.len() / 32 + 2);
    out.push('"');
    let mut done = 0;
    for i in memchr::memchr3_iter(b'"', b'\\', b'\n', bytes) {
        // An escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&text[done..i]);
        out.push_str(match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            _ => "\\n",
        });
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reads_what_serde_json_reads() {
        let strings = [
            r#""""#,
            r#""plain text""#,
            r#""line\none\r\n\ttab \"quoted\" back\\slash \/ \b\f""#,
            r#""\u00e9t\u00C9 \u0000 \u001f \u20ac \uFFFF é😀""#,
            r#""\\u0041 is not an escape""#,
        ];
        for raw in strings {
            let want: String = serde_json::from_str(raw).unwrap();
            assert_eq!(unescape(raw).as_deref(), Some(want.as_str()), "{raw}");
        }
        // Surrogates (paired or lone) and values of other kinds are left to serde_json.
        for raw in [
            r#""\ud83d\ude00""#,
            r#""\ud83d""#,
            "12",
            "null",
            r#"{"a":"b"}"#,
        ] {
            assert_eq!(unescape(raw), None, "{raw}");
        }
    }

    #[test]
    fn quote_writes_what_serde_json_writes() {
        // Every character up to U+0080 but the control characters other than LF, which a
        // cleaned text does not hold.
        let mut cases: Vec<String> = (0..=0x80u32)
            .filter_map(char::from_u32)
            .filter(|&c| c == '\n' || !c.is_ascii_control() || c == '\u{7f}')
            .flat_map(|c| {
                [
                    c.to_string(),
                    format!("plain text {c} then more text, past a word"),
                ]
            })
            .collect();
        cases.extend(
            [
                "",
                "é\"ü\\\u{7f}\u{2028}😀\n",
                "\"\"\"\"\"\"\"\"\"",
                "\n\n\\\\n",
            ]
            .map(String::from),
        );
        for text in cases {
            // Onto what is there already.
            let mut out = String::from("{\"text\":");
            quote_into(&mut out, &text);
            let json = serde_json::to_string(&text).unwrap();
            assert_eq!(out, format!("{{\"text\":{json}"), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Whatever a record's text holds, the cleaned record is JSON whose field is the
        /// cleaned text.
        #[test]
        fn a_cleaned_field_reads_back_as_the_cleaned_text(
            picks in proptest::collection::vec(0usize..12, 0..60)
        ) {
            let pieces = [
                "Word", " ", "\n", "\r\n", "\"", "\\", "\t", "\u{1}", "\u{1f}", "\u{7f}", "é",
                "Skip to content\n",
            ];
            let text: String = picks.iter().map(|&k| pieces[k]).collect();
            static CLEANER: std::sync::LazyLock<Cleaner> = std::sync::LazyLock::new(Cleaner::new);
            let line = serde_json::json!({ "id": 1, "text": text }).to_string();
            let record = Options::new().clean_line(&CLEANER, &line).unwrap();
            let out: serde_json::Value = serde_json::from_str(record.line.as_deref().unwrap())
                .expect("the record is JSON");
            proptest::prop_assert_eq!(out["text"].as_str(), Some(record.cleaned.text.as_str()));
        }
    }

    /// An object's members as (key, span of the value), to compare two parses of one line.
    fn members<'a>(line: &str, object: &Object<'a>) -> Vec<(String, std::ops::Range<usize>)> {
        object
            .0
            .iter()
            .map(|(key, value)| (key.0.to_string(), span(line, value)))
            .collect()
    }

    #[test]
    fn the_scan_takes_common_records() {
        for line in [
            r#"{"id":7,"text":"Skip to content\nBody.","score":1e400}"#,
            "{ \"text\" : \"a\\\"b\\\\c\\/\\u00e9\" , \"x\" : -0.5E+3 }\r",
            r#"{"url":"https://example.com/a","meta":{"n":[1,{"m":null}]},"ok":true,"no":false}"#,
            "{}",
            r#"{"text":"","text":"twice"}"#,
        ] {
            let object = scan(line).unwrap_or_else(|| panic!("{line}"));
            let parsed: Object = serde_json::from_str(line).unwrap();
            assert_eq!(members(line, &object), members(line, &parsed), "{line}");
        }
        // Left to serde_json: an escaped key, a control character, a bad escape or number.
        for line in [
            r#"{"te\u0078t":"a"}"#,
            "{\"text\":\"a\u{1}b\"}",
            r#"{"text":"\x"}"#,
            r#"{"n":01}"#,
            r#"{"n":1.}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"["a"]"#,
        ] {
            assert!(scan(line).is_none(), "{line}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2048))]
        /// Whatever the scan takes, serde_json takes too, with the same members and spans.
        #[test]
        fn the_scan_agrees_with_serde_json(
            parts in proptest::collection::vec((0usize..6, 0usize..6, 0usize..31, 0usize..6), 0..5),
            open in 0usize..4,
            close in 0usize..5,
            comma in 0usize..4,
        ) {
            const KEYS: [&str; 6] = [r#""text""#, r#""id""#, r#""""#, r#""k\"""#, "\"a\u{1}\"", "text"];
            const SPACES: [&str; 6] = ["", " ", "\t", "\r", "\n", "  "];
            const VALUES: [&str; 31] = [
                r#""Skip to content\nBody.""#, r#""""#, r#""a\"b\\c\/""#, r#""\u00e9\uD83D""#,
                r#""\u00G9""#, r#""\x""#, "\"tab\there\"", "\"é😀\"", "\"unterminated", "1",
                "-0", "0", "01", "-", "1.5e3", "1.", ".5", "1e", "1E+2", "2e-", "-12.50", "true",
                "tru", "false", "null", "nulls", "{}", "[]", r#"{"n":[1,{"m":null}]}"#, "[1,",
                r#"{"a" 1}"#,
            ];
            let mut line = ["{", " {", "", "["][open].to_string();
            for (i, &(key, space, value, space2)) in parts.iter().enumerate() {
                if i > 0 {
                    line.push_str([",", " , ", ",,", ";"][comma]);
                }
                let colon = if space2 == 5 { "" } else { ":" };
                line.push_str(&format!(
                    "{}{}{}{colon}{}{}{}",
                    SPACES[space], KEYS[key], SPACES[space2], SPACES[space], VALUES[value],
                    SPACES[space2]
                ));
            }
            line.push_str(["}", "} ", "}\r", ",}", "} x"][close]);
            if let Some(object) = scan(&line) {
                let parsed: Result<Object, _> = serde_json::from_str(&line);
                proptest::prop_assert!(parsed.is_ok(), "serde_json rejects {:?}", line);
                let parsed = parsed.unwrap();
                proptest::prop_assert_eq!(members(&line, &object), members(&line, &parsed));
            }
        }
    }

    fn clean(options: &Options, line: &str) -> Result<Option<String>, RecordError> {
        let cleaner = Cleaner::new();
        options
            .clean_line(&cleaner, line)
            .map(|r| r.line.map(Cow::into_owned))
    }

    #[test]
    fn other_bytes_are_untouched() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "odd numbers, escapes, nesting and key order",
                r#"{"z":1e400,"a":-0.0,"text":"Skip to content\nBody.","u":"\u00e9\ud83d\ude00","n":{"b":[1,{"c":null}],"a":true}}"#,
                r#"{"z":1e400,"a":-0.0,"text":"Body.","u":"\u00e9\ud83d\ude00","n":{"b":[1,{"c":null}],"a":true}}"#,
            ),
            (
                "whitespace and a CR line end",
                "{ \"text\" : \"Skip to content\\nBody.\" , \"x\" : 1 }\r",
                "{ \"text\" : \"Body.\" , \"x\" : 1 }\r",
            ),
            (
                "an unchanged record is byte-identical, escapes in the field included",
                r#"{"text":"Caf\u00e9 opens.\n","x":[]}"#,
                r#"{"text":"Caf\u00e9 opens.\n","x":[]}"#,
            ),
            (
                "a final newline is kept as it was",
                r#"{"text":"Skip to content\nBody.\n"}"#,
                r#"{"text":"Body.\n"}"#,
            ),
        ];
        for (what, line, want) in cases {
            assert_eq!(
                clean(&Options::new(), line).unwrap().as_deref(),
                Some(*want),
                "{what}"
            );
        }
    }

    #[test]
    fn errors_are_typed() {
        let options = Options::new();
        let cases: &[(&str, &str)] = &[
            (r#"{"text":"a""#, "malformed"),
            (r#"{"text":"a"} x"#, "malformed"),
            ("", "malformed"),
            (r#"["text"]"#, "malformed"),
            (r#"{"body":"a"}"#, "missing-field"),
            (r#"{"text":3}"#, "not-a-string"),
            (r#"{"text":null}"#, "not-a-string"),
            // Lone surrogates: a string, but not Unicode (a pair is one character).
            (r#"{"text":"a\ud800b"}"#, "not-unicode"),
            (r#"{"text":"\udfff"}"#, "not-unicode"),
            (r#"{"text":"\ude00\ud83d"}"#, "not-unicode"),
        ];
        for (line, kind) in cases {
            let err = clean(&options, line).unwrap_err();
            assert_eq!(err.kind(), *kind, "{line}: {err}");
        }
        assert_eq!(
            clean(&options, r#"{"text":"\ud83d\ude00 ok"}"#)
                .unwrap()
                .as_deref(),
            Some(r#"{"text":"\ud83d\ude00 ok"}"#)
        );
        let err = clean(&options, r#"{"text":"a",,}"#).unwrap_err();
        assert!(
            matches!(err, RecordError::Malformed { column: 13, .. }),
            "{err:?}"
        );
        let err = options
            .clean_bytes(&Cleaner::new(), b"{\"text\":\"\xff\"}")
            .unwrap_err();
        assert_eq!(err, RecordError::InvalidUtf8 { column: 10 });
    }

    #[test]
    fn deep_nesting_elsewhere_is_passed_through() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let line = format!(r#"{{"deep":{deep},"text":"Skip to content\nBody."}}"#);
        let want = format!(r#"{{"deep":{deep},"text":"Body."}}"#);
        assert_eq!(clean(&Options::new(), &line).unwrap(), Some(want));
    }

    #[test]
    fn nested_paths_and_ids() {
        let options = Options::new().field("a.b").id_field("meta.id");
        let cleaner = Cleaner::new();
        let record = options
            .clean_line(
                &cleaner,
                r#"{"meta":{"id":"doc-1"},"a":{"b":"Skip to content\nX."}}"#,
            )
            .unwrap();
        assert_eq!(record.id.as_deref(), Some("doc-1"));
        assert_eq!(
            record.line.as_deref(),
            Some(r#"{"meta":{"id":"doc-1"},"a":{"b":"X."}}"#)
        );
        assert_eq!(
            options.record_id(r#"{"meta":{"id":42}}"#).as_deref(),
            Some("42")
        );
        assert_eq!(
            options
                .clean_line(&cleaner, r#"{"a":{"c":"x"}}"#)
                .unwrap_err()
                .kind(),
            "missing-field"
        );
        assert_eq!(
            options
                .clean_line(&cleaner, r#"{"a":"x"}"#)
                .unwrap_err()
                .kind(),
            "missing-field"
        );
        // Keys are read unescaped.
        let record = options
            .clean_line(
                &cleaner,
                r#"{"m\u0065ta":{"i\u0064":"doc-2"},"\u0061":{"b":"Skip to content\nY."}}"#,
            )
            .unwrap();
        assert_eq!(record.id.as_deref(), Some("doc-2"));
        assert_eq!(record.cleaned.text, "Y.");
    }

    #[test]
    fn annotation_is_added_or_replaced() {
        let options = Options::new().annotate(DEFAULT_ANNOTATION);
        assert_eq!(
            clean(&options, r#"{"text":"Body."}"#).unwrap().as_deref(),
            Some(
                r#"{"text":"Body.","boilerstrip":{"lines_removed":0,"lines_changed":0,"rules":{}}}"#
            )
        );
        assert_eq!(
            clean(
                &options,
                r#"{"boilerstrip":1,"text":"Skip to content\nBody."}  "#
            )
            .unwrap()
            .as_deref(),
            Some(
                r#"{"boilerstrip":{"lines_removed":1,"lines_changed":0,"rules":{"NAV001":1}},"text":"Body."}  "#
            )
        );
    }

    /// A byte order mark before a record (the first of a file saved by some Windows tools) is
    /// kept, and the record cleaned.
    #[test]
    fn a_byte_order_mark_before_a_record_is_kept() {
        let options = Options::new();
        let line = "\u{feff}{\"text\":\"Skip to content\\nBody.\"}";
        assert_eq!(
            clean(&options, line).unwrap().as_deref(),
            Some("\u{feff}{\"text\":\"Body.\"}")
        );
        let annotated = Options::new().annotate("bs");
        let out = clean(&annotated, line).unwrap().unwrap();
        assert!(
            out.starts_with("\u{feff}{\"text\":\"Body.\",\"bs\":{"),
            "{out}"
        );
        assert_eq!(options.text_of(line).unwrap(), "Skip to content\nBody.");
        // Only before the object: inside a value it is text, elsewhere bad JSON.
        assert!(clean(&options, "{\u{feff}\"text\":\"a\"}").is_err());
    }

    /// An annotation named as the cleaned field's top-level key replaces that member (it used to
    /// make two overlapping edits of the line, and panic).
    #[test]
    fn an_annotation_over_the_field_replaces_it() {
        let note = r#"{"lines_removed":1,"lines_changed":0,"rules":{"NAV001":1}}"#;
        let options = Options::new().annotate("text");
        assert!(options.annotates_the_field());
        assert_eq!(
            clean(&options, r#"{"id":1,"text":"Skip to content\nBody."}"#)
                .unwrap()
                .as_deref(),
            Some(format!(r#"{{"id":1,"text":{note}}}"#).as_str())
        );
        let options = Options::new().field("doc.body").annotate("doc");
        assert!(options.annotates_the_field());
        assert_eq!(
            clean(
                &options,
                r#"{"doc":{"body":"Skip to content\nBody."},"n":2}"#
            )
            .unwrap()
            .as_deref(),
            Some(format!(r#"{{"doc":{note},"n":2}}"#).as_str())
        );
        // Another key of the same record is no conflict.
        assert!(!Options::new()
            .field("doc.body")
            .annotate("body")
            .annotates_the_field());
        assert!(!Options::new().annotate("texts").annotates_the_field());
    }

    #[test]
    fn drop_empty_drops_only_when_asked() {
        let line = r#"{"text":"Skip to content"}"#;
        assert_eq!(
            clean(&Options::new(), line).unwrap().as_deref(),
            Some(r#"{"text":""}"#)
        );
        assert_eq!(clean(&Options::new().drop_empty(true), line).unwrap(), None);
    }
}
