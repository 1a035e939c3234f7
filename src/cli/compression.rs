//! gzip and zstd, read and written transparently.
//!
//! An input is decompressed when its first bytes are a gzip or zstd magic number, whatever its
//! name (so `zstdcat`-less pipes and misnamed files work too); concatenated members and frames
//! are read through. An output is compressed as its file name says (`.gz`, `.zst`, `.zstd`), or
//! as `--compress` says, which then also gives the output file its extension.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

/// Buffer size for reading inputs and writing outputs.
const BUFFER: usize = 1 << 20;

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`).
    #[value(alias = "gz")]
    Gzip,
    /// Zstandard (`.zst`).
    #[value(alias = "zst")]
    Zstd,
}

impl Compression {
    /// The compression a file name asks for, by its last extension.
    pub fn of_name(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// `path` with its compression extension replaced by this one's.
    pub fn rename(self, path: &Path) -> PathBuf {
        let base = match Compression::of_name(path) {
            Compression::None => path.to_path_buf(),
            _ => path.with_extension(""),
        };
        let mut name = base.into_os_string();
        match self {
            Compression::None => {}
            Compression::Gzip => name.push(".gz"),
            Compression::Zstd => name.push(".zst"),
        }
        PathBuf::from(name)
    }
}

/// A reader of `input`'s decompressed bytes, and the compression found by its magic bytes.
pub fn decoder(
    mut input: impl Read + Send + 'static,
) -> io::Result<(Box<dyn BufRead + Send>, Compression)> {
    let mut head = [0u8; 4];
    let mut filled = 0;
    // No more than it takes to tell: a short first record of a co-process is all there is
    // until it is answered.
    let may_be_magic = |head: &[u8]| ZSTD_MAGIC.starts_with(head) || GZIP_MAGIC.starts_with(head);
    while filled < head.len() && may_be_magic(&head[..filled]) {
        match input.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    let head = head[..filled].to_vec();
    let found = if head.starts_with(ZSTD_MAGIC) {
        Compression::Zstd
    } else if head.starts_with(GZIP_MAGIC) {
        Compression::Gzip
    } else {
        Compression::None
    };
    let whole = io::Cursor::new(head).chain(input);
    let reader: Box<dyn BufRead + Send> = match found {
        Compression::None => Box::new(BufReader::with_capacity(BUFFER, whole)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER,
            flate2::read::MultiGzDecoder::new(BufReader::new(whole)),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            BUFFER,
            zstd::stream::read::Decoder::new(whole)?,
        )),
    };
    Ok((reader, found))
}

/// `bytes` compressed as `compression` says (borrowed when it says none).
pub fn pack(bytes: &[u8], compression: Compression) -> io::Result<std::borrow::Cow<'_, [u8]>> {
    if compression == Compression::None {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut packed = Vec::with_capacity(bytes.len() / 3);
    let mut encoder = Encoder::new(&mut packed, compression)?;
    encoder.write_all(bytes)?;
    encoder.finish()?;
    Ok(std::borrow::Cow::Owned(packed))
}

/// A writer that compresses into `W`; [`Encoder::finish`] writes the trailer.
pub enum Encoder<W: Write> {
    /// Written as is.
    Plain(io::BufWriter<W>),
    /// gzip.
    Gzip(flate2::write::GzEncoder<io::BufWriter<W>>),
    /// zstd.
    Zstd(zstd::stream::write::Encoder<'static, io::BufWriter<W>>),
}

impl<W: Write> Encoder<W> {
    /// Compress into `out` as `compression` says.
    pub fn new(out: W, compression: Compression) -> io::Result<Encoder<W>> {
        let out = io::BufWriter::with_capacity(BUFFER, out);
        Ok(match compression {
            Compression::None => Encoder::Plain(out),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(out, 3)?),
        })
    }

    /// Write the compression trailer and flush everything to the underlying writer.
    pub fn finish(self) -> io::Result<()> {
        let mut out = match self {
            Encoder::Plain(out) => out,
            Encoder::Gzip(enc) => enc.finish()?,
            Encoder::Zstd(enc) => enc.finish()?,
        };
        out.flush()
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(out) => out.write(buf),
            Encoder::Gzip(enc) => enc.write(buf),
            Encoder::Zstd(enc) => enc.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(out) => out.write_all(buf),
            Encoder::Gzip(enc) => enc.write_all(buf),
            Encoder::Zstd(enc) => enc.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(out) => out.flush(),
            Encoder::Gzip(enc) => enc.flush(),
            Encoder::Zstd(enc) => enc.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases = [
            ("a.jsonl", Compression::None, "a.jsonl.zst"),
            ("a.jsonl.gz", Compression::Gzip, "a.jsonl.zst"),
            ("a.json.zstd", Compression::Zstd, "a.json.zst"),
        ];
        for (name, found, zst) in cases {
            assert_eq!(Compression::of_name(Path::new(name)), found, "{name}");
            assert_eq!(Compression::Zstd.rename(Path::new(name)), Path::new(zst));
        }
        assert_eq!(
            Compression::None.rename(Path::new("d/a.jsonl.gz")),
            Path::new("d/a.jsonl")
        );
    }

    #[test]
    fn round_trip_by_magic_bytes() {
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut packed = Vec::new();
            let mut enc = Encoder::new(&mut packed, compression).unwrap();
            enc.write_all(b"{\"text\":\"a\"}\n").unwrap();
            enc.finish().unwrap();
            let (mut reader, found) = decoder(io::Cursor::new(packed)).unwrap();
            assert_eq!(found, compression);
            let mut text = String::new();
            reader.read_to_string(&mut text).unwrap();
            assert_eq!(text, "{\"text\":\"a\"}\n");
        }
    }
}
