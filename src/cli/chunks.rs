//! JSONL input cut into chunks of lines for `clean` (see [`super::jsonl`]): at most
//! [`CHUNK_LINES`] lines or about [`CHUNK_BYTES`] bytes each (a longer line makes a chunk of its
//! own), read by a thread of their own, sent short when the input pauses, and read into again
//! once cleaned. A line over `--max-doc-bytes` is never held whole: it is read past, or passed
//! through after its chunk in pieces.

use std::io::{self, BufRead, Read};
use std::sync::mpsc;

use super::interrupt;
use super::readahead::ReadAhead;

/// Lines in one chunk, at most.
pub const CHUNK_LINES: usize = 8192;
/// Bytes in one chunk, about (a chunk ends at the first line end past this).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Bytes read ahead of the chunk being read, about: enough for the next chunk to fill.
pub const AHEAD_BYTES: usize = CHUNK_BYTES;

/// Bytes of a line over `--max-doc-bytes` passed through in one [`Input::Piece`], about.
const PIECE_BYTES: usize = 1 << 20;

/// Lines read from the input: `bytes` holds them, each ending at one of `ends`.
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub ends: Vec<usize>,
    /// Lines (indices into `ends`) over `--max-doc-bytes`: left out of `bytes`, and either read
    /// past or, passed through, sent after the chunk in pieces (then it is the chunk's last).
    pub over: Vec<usize>,
}

/// What the reader sends the writer.
pub enum Input {
    /// Lines to clean.
    Chunk(Chunk),
    /// The next piece of the line over `--max-doc-bytes` that ended the chunk before, passed
    /// through unchanged (`--on-error keep`); the line's last piece ends with its LF. The line
    /// streams through in pieces, so it is never held whole.
    Piece(Vec<u8>),
}

impl Chunk {
    /// A chunk to read into: `spent`, emptied, unless a long line grew it past twice the usual
    /// size (its memory is then given back), else a new one.
    fn reuse(spent: Option<Chunk>) -> Chunk {
        match spent {
            Some(mut chunk) if chunk.bytes.capacity() <= 2 * CHUNK_BYTES => {
                chunk.bytes.clear();
                chunk.ends.clear();
                chunk.over.clear();
                chunk
            }
            _ => Chunk {
                // A chunk ends at the first line end past `CHUNK_BYTES`.
                bytes: Vec::with_capacity(CHUNK_BYTES + (CHUNK_BYTES >> 4)),
                ends: Vec::new(),
                over: Vec::new(),
            },
        }
    }

    /// The lines of the chunk, without their LF.
    pub fn lines(&self) -> Vec<&[u8]> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let bytes = &self.bytes[start..end];
                start = end;
                bytes.strip_suffix(b"\n").unwrap_or(bytes)
            })
            .collect()
    }
}

/// Read chunks until the end of the input, a read error (sent after the lines before it), or
/// the receiver hanging up; into the `spent` chunks when there are some. A chunk is sent when
/// it is full, or before, when the input pauses. A line over `limit` is read past, or with
/// `pass_over` ends its chunk and follows it in pieces.
pub fn read_chunks(
    mut input: ReadAhead,
    limit: u64,
    pass_over: bool,
    tx: &mpsc::SyncSender<io::Result<Input>>,
    spent: &mpsc::Receiver<Chunk>,
) {
    loop {
        let mut chunk = Chunk::reuse(spent.try_recv().ok());
        let mut error = None;
        // The start of a line over the limit that ends the chunk, to pass through.
        let mut over = None;
        let mut ended = false;
        while chunk.ends.len() < CHUNK_LINES && chunk.bytes.len() < CHUNK_BYTES {
            // The lines read are not held back for lines that may be long in coming.
            if !chunk.ends.is_empty() && input.paused() {
                break;
            }
            let start = chunk.bytes.len();
            match read_line_bounded(&mut input, &mut chunk.bytes, limit) {
                Ok(Line::End) => {
                    ended = true;
                    break;
                }
                Ok(Line::Read) => chunk.ends.push(chunk.bytes.len()),
                Ok(Line::Over) => {
                    chunk.over.push(chunk.ends.len());
                    chunk.ends.push(start);
                    if pass_over {
                        over = Some(chunk.bytes.split_off(start));
                        break;
                    }
                    chunk.bytes.truncate(start);
                    if let Err(err) = pass_line(&mut input, |_| true) {
                        error = Some(err);
                        break;
                    }
                }
                Err(err) => {
                    chunk
                        .bytes
                        .truncate(chunk.ends.last().copied().unwrap_or(0));
                    error = Some(err);
                    break;
                }
            }
        }
        if !chunk.ends.is_empty() && tx.send(Ok(Input::Chunk(chunk))).is_err() {
            return;
        }
        if let Some(head) = over {
            match send_over_line(&mut input, head, tx) {
                Ok(true) => continue,
                Ok(false) => return,
                Err(err) => error = Some(err),
            }
        }
        if let Some(err) = error {
            let _ = tx.send(Err(err));
            return;
        }
        if ended {
            return;
        }
    }
}

/// Send a line over the limit through in pieces: `head`, what was read of it, then the rest of
/// it, which ends with an LF (one is added at the end of the input, as every output line has
/// one). Returns false if the receiver hung up.
fn send_over_line(
    input: &mut (impl BufRead + ?Sized),
    head: Vec<u8>,
    tx: &mpsc::SyncSender<io::Result<Input>>,
) -> io::Result<bool> {
    let send = |piece: Vec<u8>| tx.send(Ok(Input::Piece(piece))).is_ok();
    if !send(head) {
        return Ok(false);
    }
    let mut piece = Vec::new();
    let mut receiving = true;
    let had_lf = pass_line(input, |bytes| {
        piece.extend_from_slice(bytes);
        if piece.len() >= PIECE_BYTES {
            receiving = send(std::mem::take(&mut piece));
        }
        receiving
    })?;
    if !receiving {
        return Ok(false);
    }
    if !had_lf {
        piece.push(b'\n');
    }
    Ok(send(piece))
}

/// What [`read_line_bounded`] read.
enum Line {
    /// The end of the input.
    End,
    /// A line, appended with its LF (if it had one).
    Read,
    /// A line over the limit: its first `limit + 1` bytes are appended (no LF among them), the
    /// rest of it is still to read.
    Over,
}

/// Bytes of a line read at a time, between two looks at the signal flag.
const READ_STEP: u64 = 1 << 20;

/// Append one line of `input` (with its LF) to `buf`, reading no more than `limit + 1` bytes
/// of it: a longer line is [`Line::Over`], its rest left unread. Memory stays bounded by
/// `limit` whatever the line length. Read a step at a time, so that a signal is not left
/// waiting for a long line.
fn read_line_bounded<R: BufRead + ?Sized>(
    input: &mut R,
    buf: &mut Vec<u8>,
    limit: u64,
) -> io::Result<Line> {
    let start = buf.len();
    let mut allowed = limit.saturating_add(1);
    while allowed > 0 {
        if interrupt::interrupted().is_some() {
            return Err(interrupt::error());
        }
        let step = allowed.min(READ_STEP);
        let n = (&mut *input).take(step).read_until(b'\n', buf)?;
        allowed -= n as u64;
        // Short of the step only at the line's end or the input's.
        if (n as u64) < step || buf.last() == Some(&b'\n') {
            break;
        }
    }
    let n = buf.len() - start;
    if n == 0 {
        return Ok(Line::End);
    }
    let ends_line = buf.last() == Some(&b'\n');
    let content = (n - usize::from(ends_line)) as u64;
    if content <= limit {
        return Ok(Line::Read);
    }
    Ok(Line::Over)
}

/// Read the rest of the current line, LF included, handing `piece` each piece of it as read
/// (the last one with the LF), until `piece` returns false; whether the line had an LF (not at
/// the end of the input). A signal stops it: an endless line (`/dev/zero`) would never end.
fn pass_line<R: BufRead + ?Sized>(
    input: &mut R,
    mut piece: impl FnMut(&[u8]) -> bool,
) -> io::Result<bool> {
    loop {
        if interrupt::interrupted().is_some() {
            return Err(interrupt::error());
        }
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(false);
        }
        let (len, lf) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let go_on = piece(&available[..len]);
        input.consume(len);
        if lf {
            return Ok(true);
        }
        if !go_on {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line is read a step at a time: around the step's size and the limit, a line is read
    /// whole (LF included) or found over the limit, as if it were read at once.
    #[test]
    fn a_line_read_in_steps_is_the_line_read_at_once() {
        let step = READ_STEP as usize;
        for limit in [step - 1, step, step + 1, 2 * step] {
            for len in [
                0,
                1,
                step - 1,
                step,
                step + 1,
                2 * step - 1,
                2 * step,
                2 * step + 1,
            ] {
                for lf in [true, false] {
                    let mut input = vec![b'a'; len];
                    if lf {
                        input.extend_from_slice(b"\nnext\n");
                    }
                    let mut reader = io::BufReader::new(input.as_slice());
                    let mut buf = b"before".to_vec();
                    let line = read_line_bounded(&mut reader, &mut buf, limit as u64).unwrap();
                    let what = format!("a line of {len} bytes, LF {lf}, limit {limit}");
                    let read = &buf[b"before".len()..];
                    match line {
                        Line::End => assert!(len == 0 && !lf, "{what}"),
                        Line::Read => {
                            assert!(len <= limit, "{what}");
                            assert_eq!(read, &input[..len + usize::from(lf)], "{what}");
                        }
                        Line::Over => {
                            assert!(len > limit, "{what}");
                            assert_eq!(read, &input[..limit + 1], "{what}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_spent_chunk_is_read_into_again_unless_a_long_line_grew_it() {
        let mut spent = Chunk::reuse(None);
        spent.bytes.extend_from_slice(b"{}\n");
        spent.ends.push(3);
        spent.over.push(0);
        let at = spent.bytes.as_ptr();
        let chunk = Chunk::reuse(Some(spent));
        assert_eq!(chunk.bytes.as_ptr(), at, "the same memory");
        assert!(chunk.bytes.is_empty() && chunk.ends.is_empty() && chunk.over.is_empty());

        let mut grown = Chunk::reuse(None);
        grown.bytes.resize(2 * CHUNK_BYTES + 1, b' ');
        let chunk = Chunk::reuse(Some(grown));
        assert!(chunk.bytes.is_empty());
        assert!(
            chunk.bytes.capacity() < 2 * CHUNK_BYTES,
            "its memory is given back"
        );
    }
}
