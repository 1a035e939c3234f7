//! The model file: a small binary format, little-endian, written and read here.
//!
//! ```text
//! magic "BSMODEL\0", u32 version
//! u32 feature count, each name (u16 length, UTF-8)        -- must equal features::NAMES
//! u32 document-feature count, each name                   -- must equal features::DOC_NAMES
//! u8 text score present; then u32 bits, f32 bias, u32 language count, each code (u16 length,
//!    UTF-8), f32 scale, 2^bits i8 weights
//! ensemble (line model), ensemble (kind model)
//! f32 article threshold, f32 page threshold, f32 kind threshold
//! u32 description length, UTF-8 description
//! ensemble: u32 depth, u32 trees, f32 base, trees*depth u16 features, trees*depth f32
//!    thresholds, trees*2^depth f32 leaves, trees*2^depth f32 cover
//! ```
//!
//! The same model always makes the same bytes, so a model rebuilt from the same data can be
//! compared with the embedded one byte for byte.

use super::ngram::TextScore;
use super::trees::Ensemble;
use super::{features, language::Language, Model, Thresholds};

const MAGIC: &[u8; 8] = b"BSMODEL\0";
const VERSION: u32 = 1;

/// Why a model file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Not a model file, or cut short.
    #[error("not a boilerstrip model file, or cut short ({0})")]
    Malformed(&'static str),
    /// A model of another format version.
    #[error("model format version {0}; this build reads version {VERSION}")]
    Version(u32),
    /// A model trained with other features than this build computes.
    #[error("the model was trained with other features than this build computes ({0}); retrain it with this build's `boilerstrip train`")]
    Features(String),
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend(v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend(v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.0.extend(v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("a model part fits 2^32 items"));
    }
    fn str(&mut self, s: &str) {
        self.u16(u16::try_from(s.len()).expect("a name fits 64 KB"));
        self.0.extend(s.as_bytes());
    }
    fn names<S: AsRef<str>>(&mut self, names: &[S]) {
        self.len(names.len());
        for n in names {
            self.str(n.as_ref());
        }
    }
    fn ensemble(&mut self, e: &Ensemble) {
        self.len(e.depth);
        self.len(e.trees());
        self.f32(e.base);
        e.features.iter().for_each(|&v| self.u16(v));
        e.thresholds.iter().for_each(|&v| self.f32(v));
        e.leaves.iter().for_each(|&v| self.f32(v));
        e.cover.iter().for_each(|&v| self.f32(v));
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError::Malformed("ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn count(&mut self, most: usize) -> Result<usize, ModelError> {
        let n = self.u32()? as usize;
        if n > most {
            return Err(ModelError::Malformed("a count is out of range"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<String, ModelError> {
        let n = self.u16()? as usize;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| ModelError::Malformed("a name is not UTF-8"))
    }
    fn names(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.count(1 << 16)?;
        (0..n).map(|_| self.str()).collect()
    }
    fn f32s(&mut self, n: usize) -> Result<Vec<f32>, ModelError> {
        let bytes = self.take(n.checked_mul(4).ok_or(ModelError::Malformed("too large"))?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
    fn ensemble(&mut self, features: usize) -> Result<Ensemble, ModelError> {
        let depth = self.count(12)?;
        let trees = self.count(1 << 16)?;
        let base = self.f32()?;
        let splits = trees * depth;
        let mut feature_ids = Vec::with_capacity(splits);
        for _ in 0..splits {
            let f = self.u16()?;
            if f as usize >= features {
                return Err(ModelError::Malformed(
                    "a tree asks for a feature out of range",
                ));
            }
            feature_ids.push(f);
        }
        let thresholds = self.f32s(splits)?;
        let leaves = self.f32s(trees << depth)?;
        let cover = self.f32s(trees << depth)?;
        Ok(Ensemble {
            depth,
            base,
            features: feature_ids,
            thresholds,
            leaves,
            cover,
        })
    }
}

/// The bytes of `model`.
pub fn to_bytes(model: &Model) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.0.extend(MAGIC);
    w.u32(VERSION);
    w.names(&features::NAMES);
    w.names(&features::DOC_NAMES);
    match &model.score {
        None => w.u8(0),
        Some(score) => {
            w.u8(1);
            w.u32(score.bits);
            w.f32(score.bias);
            let codes: Vec<&str> = model.score_languages.iter().map(|l| l.code()).collect();
            w.names(&codes);
            w.f32(score.scale);
            w.0.extend(score.weights.iter().map(|&v| v as u8));
        }
    }
    w.ensemble(&model.lines);
    w.ensemble(&model.kind);
    w.f32(model.thresholds.article);
    w.f32(model.thresholds.page);
    w.f32(model.thresholds.kind);
    w.len(model.description.len());
    w.0.extend(model.description.as_bytes());
    w.0
}

/// The model in `bytes`.
pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err(ModelError::Malformed("no model header"));
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(ModelError::Version(version));
    }
    let names = r.names()?;
    if names != *features::NAMES {
        return Err(ModelError::Features(format!(
            "{} line features, this build has {}",
            names.len(),
            features::NAMES.len()
        )));
    }
    let doc_names = r.names()?;
    if doc_names != features::DOC_NAMES {
        return Err(ModelError::Features("document features differ".to_string()));
    }
    let (score, score_languages) = match r.u8()? {
        0 => (None, Vec::new()),
        1 => {
            let bits = r.u32()?;
            if !(8..=24).contains(&bits) {
                return Err(ModelError::Malformed("text score size out of range"));
            }
            let bias = r.f32()?;
            let languages = r
                .names()?
                .iter()
                .map(|code| {
                    Language::from_code(code).ok_or(ModelError::Malformed("an unknown language"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let scale = r.f32()?;
            let weights = r.take(1 << bits)?.iter().map(|&b| b as i8).collect();
            let score = TextScore {
                bits,
                bias,
                scale,
                weights,
            };
            (Some(score), languages)
        }
        _ => return Err(ModelError::Malformed("bad text score flag")),
    };
    let lines = r.ensemble(features::COUNT)?;
    let kind = r.ensemble(features::DOC_NAMES.len())?;
    let thresholds = Thresholds {
        article: r.f32()?,
        page: r.f32()?,
        kind: r.f32()?,
    };
    let n = r.count(1 << 20)?;
    let description = String::from_utf8(r.take(n)?.to_vec())
        .map_err(|_| ModelError::Malformed("description is not UTF-8"))?;
    if !r.0.is_empty() {
        return Err(ModelError::Malformed("bytes after the end"));
    }
    Ok(Model {
        score,
        score_languages,
        lines,
        kind,
        thresholds,
        description,
    })
}
