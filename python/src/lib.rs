//! The `boilerstrip._native` extension module, which the `boilerstrip` Python package
//! re-exports (see `docs/python.md`).
//!
//! `Cleaner(...)` takes the options of the CLI's `clean` and turns them into one
//! [`CleanerBuilder`] call chain, as the binary does; a bad option raises `ValueError` with the
//! CLI's message, and a pattern file that cannot be used raises `PatternError` (a `ValueError`)
//! naming the file, line and rule. Cleaning is the library's pure `&str -> Cleaned` with the GIL
//! released; `clean_many` cleans on a rayon pool and collects in input order, so its output is
//! the same at any thread count, and the same bytes as `boilerstrip clean`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use boilerstrip::{CleanerBuilder, CommentOptions, Error, HitKind, InputKind, Model};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use rayon::prelude::*;

pyo3::create_exception!(
    boilerstrip,
    PatternError,
    PyValueError,
    "A pattern file that cannot be used (TOML error, unknown field, bad regex, duplicate rule \
     id). The message names the file, line and rule as the CLI's does; the attributes `file`, \
     `line` and `rule_id` hold them (`None` where unknown)."
);

/// Removes boilerplate from article text: `boilerstrip::Cleaner` with the options of `clean`.
#[pyclass(module = "boilerstrip", name = "Cleaner", frozen)]
struct PyCleaner {
    /// Without hit texts (as `boilerstrip clean` cleans): for `clean` and `clean_many`.
    plain: boilerstrip::Cleaner,
    /// The options, from which `clean_with_hits` builds its cleaner on first use.
    builder: CleanerBuilder,
    /// With hit texts (and the line model's features when `explain`).
    with_hits: OnceLock<boilerstrip::Cleaner>,
    /// Whether line-model hits name the features that weighed most.
    explain: bool,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (
        patterns = None,
        *,
        builtin = true,
        disable = None,
        input_kind = "auto",
        model = None,
        keep_threshold = None,
        fold_punctuation = false,
        comments_min_article_words = None,
        comments_min_signatures = None,
        comments_max_gap_lines = None,
        comments_header_lines = None,
        explain = false,
    ))]
    #[allow(clippy::too_many_arguments)] // reason: one keyword per `clean` option, as in Python
    fn new(
        py: Python<'_>,
        patterns: Option<Vec<PathBuf>>,
        builtin: bool,
        disable: Option<Vec<String>>,
        input_kind: &str,
        model: Option<PathBuf>,
        keep_threshold: Option<f64>,
        fold_punctuation: bool,
        comments_min_article_words: Option<i64>,
        comments_min_signatures: Option<i64>,
        comments_max_gap_lines: Option<i64>,
        comments_header_lines: Option<i64>,
        explain: bool,
    ) -> PyResult<Self> {
        let mut builder = boilerstrip::Cleaner::builder()
            .fold_punctuation(fold_punctuation)
            .input_kind(parse_input_kind(input_kind)?);
        let mut comments = CommentOptions::default();
        for (name, value, field) in [
            (
                "comments_min_article_words",
                comments_min_article_words,
                &mut comments.min_article_words,
            ),
            (
                "comments_min_signatures",
                comments_min_signatures,
                &mut comments.min_signatures,
            ),
            (
                "comments_max_gap_lines",
                comments_max_gap_lines,
                &mut comments.max_gap_lines,
            ),
            (
                "comments_header_lines",
                comments_header_lines,
                &mut comments.header_lines,
            ),
        ] {
            if let Some(value) = value {
                *field = count(name, value)?;
            }
        }
        builder = builder.comments(comments);
        if let Some(path) = &model {
            builder = builder.model(load_model(path)?);
        }
        if let Some(threshold) = keep_threshold {
            builder = builder.keep_threshold(fraction("keep_threshold", threshold)?);
        }
        if !builtin {
            builder = builder.no_default_patterns();
        }
        let built = py.detach(|| -> Result<_, Error> {
            for path in patterns.iter().flatten() {
                builder = builder.patterns_path(path)?;
            }
            // Comma-separated names are split, as `--disable a,b` is.
            for name in disable.iter().flatten().flat_map(|names| names.split(',')) {
                builder = builder.disable(name);
            }
            let plain = builder.clone().hit_texts(false).build()?;
            Ok((plain, builder))
        });
        let (plain, builder) = built.map_err(|err| build_error(py, err))?;
        Ok(PyCleaner {
            plain,
            builder,
            with_hits: OnceLock::new(),
            explain,
        })
    }

    /// The cleaned text of `text`.
    fn clean(&self, py: Python<'_>, text: &str) -> String {
        py.detach(|| self.plain.clean(text).text)
    }

    /// The cleaned texts of `texts`, in order, cleaned on `threads` threads.
    #[pyo3(signature = (texts, threads = None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<Vec<String>> {
        let pool = pool(threads)?;
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "clean_many takes a list of str, not a str (use clean for one text)",
            ));
        }
        // The texts are held (`items`) while their UTF-8 is lent to the threads.
        // A text that is not a str is named by its index, as the CLI names a record's line.
        let at = |i: usize, err: PyErr| {
            let message = format!("texts[{i}]: {}", err.value(py));
            if err.is_instance_of::<PyTypeError>(py) {
                PyTypeError::new_err(message)
            } else {
                PyValueError::new_err(message)
            }
        };
        let items = texts
            .try_iter()?
            .enumerate()
            .map(|(i, item)| {
                item?
                    .cast_into::<PyString>()
                    .map_err(|e| at(i, PyErr::from(e)))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let strs = items
            .iter()
            .enumerate()
            .map(|(i, s)| s.to_str().map_err(|e| at(i, e)))
            .collect::<PyResult<Vec<&str>>>()?;
        let cleaner = &self.plain;
        Ok(py.detach(|| match pool {
            None => strs.iter().map(|t| cleaner.clean(t).text).collect(),
            Some(pool) => pool.install(|| strs.par_iter().map(|t| cleaner.clean(t).text).collect()),
        }))
    }

    /// The cleaned text of `text` and every change made to it, in line order.
    fn clean_with_hits(&self, py: Python<'_>, text: &str) -> PyResult<(String, Vec<Hit>)> {
        let cleaned = py.detach(|| -> Result<_, Error> {
            let cleaner = match self.with_hits.get() {
                Some(cleaner) => cleaner,
                None => {
                    let cleaner = self
                        .builder
                        .clone()
                        .hit_texts(true)
                        .explain(self.explain)
                        .build()?;
                    self.with_hits.get_or_init(|| cleaner)
                }
            };
            Ok(cleaner.clean(text))
        });
        let cleaned = cleaned.map_err(|err| build_error(py, err))?;
        let hits = cleaned.hits.iter().map(Hit::from).collect();
        Ok((cleaned.text, hits))
    }

    /// SHA-256 of the active rules and passes (`Cleaner::patterns_hash`), as the audit report's
    /// `patterns_hash`: two cleaners with the same hash and options clean alike.
    #[getter]
    fn patterns_hash(&self) -> String {
        self.plain.patterns_hash()
    }

    /// The ids of the active rules, in load order.
    #[getter]
    fn rules(&self) -> Vec<String> {
        self.plain.rules().iter().map(|r| r.id.clone()).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "<boilerstrip.Cleaner: {} rules, {}>",
            self.plain.rules().len(),
            self.plain.patterns_hash()
        )
    }
}

/// One change to a document, attributed to the rule or pass that made it.
#[pyclass(module = "boilerstrip", frozen, get_all, eq)]
#[derive(Debug, Clone, PartialEq)]
struct Hit {
    /// Rule or pass id.
    id: String,
    /// 1-based line number in the normalized input.
    line: usize,
    /// `"removed"`, `"stripped"` or `"joined"`.
    kind: &'static str,
    /// The removed text (the whole line, or the stripped part; for a join, the joined line).
    text: String,
    /// The main reason, for passes that decide line by line; `None` for rules.
    reason: Option<String>,
    /// For the line model (`CLASSIFY`): its probability that the line was content.
    probability: Option<f64>,
}

#[pymethods]
impl Hit {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr =
            |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_str()?.to_owned()) };
        let reason = match &self.reason {
            Some(reason) => repr(reason)?,
            None => "None".to_owned(),
        };
        let probability = match self.probability {
            Some(p) => format!("{p}"),
            None => "None".to_owned(),
        };
        Ok(format!(
            "Hit(id={}, line={}, kind={}, text={}, reason={reason}, probability={probability})",
            repr(&self.id)?,
            self.line,
            repr(self.kind)?,
            repr(&self.text)?,
        ))
    }
}

impl From<boilerstrip::Hit> for Hit {
    fn from(hit: boilerstrip::Hit) -> Self {
        Hit {
            id: hit.id.to_string(),
            line: hit.line,
            kind: match hit.kind {
                HitKind::Removed => "removed",
                HitKind::Stripped => "stripped",
                HitKind::Joined => "joined",
            },
            text: hit.text,
            reason: hit.reason,
            probability: hit.probability.map(f64::from),
        }
    }
}

/// `--input-kind`'s values.
fn parse_input_kind(kind: &str) -> PyResult<InputKind> {
    match kind {
        "auto" => Ok(InputKind::Auto),
        "article" => Ok(InputKind::Article),
        "page" => Ok(InputKind::Page),
        _ => Err(PyValueError::new_err(format!(
            "invalid value '{kind}' for 'input_kind' [possible values: auto, article, page]"
        ))),
    }
}

/// A probability, as the CLI's `--keep-threshold` takes it.
fn fraction(name: &str, x: f64) -> PyResult<f32> {
    if (0.0..=1.0).contains(&x) {
        Ok(x as f32)
    } else {
        Err(PyValueError::new_err(format!(
            "invalid value '{x}' for '{name}': \"{x}\" is not a fraction between 0 and 1 (e.g. 0.5)"
        )))
    }
}

/// A count (`--comments-*`): 0 or more.
fn count(name: &str, n: i64) -> PyResult<usize> {
    usize::try_from(n).map_err(|_| {
        PyValueError::new_err(format!(
            "invalid value '{n}' for '{name}': not a count (0 or more)"
        ))
    })
}

/// A line model file, read as `--model FILE` reads it.
fn load_model(path: &Path) -> PyResult<Model> {
    let bytes = std::fs::read(path).map_err(|e| {
        let message = format!("reading the model {}: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            PyFileNotFoundError::new_err(message)
        } else {
            PyOSError::new_err(message)
        }
    })?;
    Model::from_bytes(&bytes).map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))
}

/// The Python exception for a builder error: `PatternError` for what is wrong in pattern files,
/// `ValueError` for a name `disable` does not know.
fn build_error(py: Python<'_>, err: Error) -> PyErr {
    let (file, line, rule_id) = match &err {
        Error::UnknownName(_) => return PyValueError::new_err(err.to_string()),
        Error::Pattern(e) => (Some(e.source.clone()), e.line, e.rule_id.clone()),
        Error::DuplicateId { id, second, .. } => (Some(second.clone()), None, Some(id.clone())),
        _ => (None, None, None),
    };
    let exception = PatternError::new_err(err.to_string());
    let value = exception.value(py);
    // Setting an attribute on a fresh exception does not fail; if it did, the message still
    // says it all.
    let _ = value.setattr("file", file);
    let _ = value.setattr("line", line);
    let _ = value.setattr("rule_id", rule_id);
    exception
}

/// The pool `clean_many` runs on: `None` for one thread (the calling one, with the GIL
/// released), else a rayon pool of that many threads (all cores for `None` or 0, as `-j 0`),
/// made once per size and kept.
fn pool(threads: Option<i64>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());
    let n = match threads {
        None => 0,
        Some(n) => usize::try_from(n).map_err(|_| {
            PyValueError::new_err(format!(
                "invalid value '{n}' for 'threads': not a count (0 or more)"
            ))
        })?,
    };
    if n == 1 {
        return Ok(None);
    }
    let mut pools = POOLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, pool)) = pools.iter().find(|(size, _)| *size == n) {
        return Ok(Some(Arc::clone(pool)));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("boilerstrip-{i}"))
        .build()
        .map_err(|e| PyOSError::new_err(format!("starting worker threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.push((n, Arc::clone(&pool)));
    Ok(Some(pool))
}

/// The module: `Cleaner`, `Hit`, `PatternError` and `__version__`.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCleaner>()?;
    m.add_class::<Hit>()?;
    m.add("PatternError", m.py().get_type::<PatternError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
