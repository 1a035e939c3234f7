//! Reading an input ahead, on a thread of its own, so that its reader can tell when it has
//! paused.
//!
//! A co-process (one per worker of a dataset engine) writes a record, then waits for its answer
//! before it writes the next. The JSONL chunk reader must then not wait for a full chunk: it
//! sends on what it has as soon as the input has nothing more to give right now. A blocking read
//! cannot tell it that, and a non-blocking one would change the flags of a descriptor that is
//! not ours. So a thread reads the input ahead, block by block, into a queue bounded in bytes,
//! and [`ReadAhead::paused`] is true when the queue is empty and what is buffered holds no whole
//! line. On a fast input the queue is full while the chunk reader waits for the cleaning side,
//! and chunks fill as they did.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::interrupt;

/// How long a wait for input lasts between two looks at the signal flag.
const WAIT: Duration = Duration::from_millis(50);

/// A buffered reader of what the thread reading ahead has read.
pub struct ReadAhead {
    queue: Arc<Queue>,
    /// The block being read, up to `at`.
    block: Vec<u8>,
    at: usize,
    /// The end of the input (or its error) has been returned: nothing more is read.
    done: bool,
}

/// Blocks read ahead, between the two threads.
struct Queue {
    state: Mutex<State>,
    /// Signalled when a block is queued or taken, the input ends, or the reader is dropped.
    changed: Condvar,
}

#[derive(Default)]
struct State {
    blocks: VecDeque<Vec<u8>>,
    /// Bytes in `blocks`.
    bytes: usize,
    /// How the input ended, once it has: its end, or the error that ended it (returned after
    /// the blocks before it).
    end: Option<io::Result<()>>,
    /// The reader was dropped: the thread reading ahead stops.
    dropped: bool,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics with the lock held; a poisoned state is as good as any.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ReadAhead {
    /// Read `input` ahead on a thread of its own, holding no more than about `limit` bytes not
    /// yet read from here (a block more, at most).
    pub fn new(input: Box<dyn BufRead + Send>, limit: usize) -> ReadAhead {
        let queue = Arc::new(Queue {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let ahead = queue.clone();
        // Not joined: blocked in a read of a pipe that stays open, it ends with the process.
        std::thread::spawn(move || read_ahead(input, &ahead, limit));
        ReadAhead {
            queue,
            block: Vec::new(),
            at: 0,
            done: false,
        }
    }

    /// Whether the input has paused: no whole line is buffered, nothing more has been read,
    /// and the input has not ended, so the next line may be a long wait away.
    pub fn paused(&self) -> bool {
        {
            let state = self.queue.lock();
            if self.done || !state.blocks.is_empty() || state.end.is_some() {
                return false;
            }
        }
        memchr::memchr(b'\n', &self.block[self.at..]).is_none()
    }

    /// Make the next block the one read, waiting for it; at the end of the input, return it
    /// (an error once, then the end).
    fn next_block(&mut self) -> io::Result<()> {
        let mut state = self.queue.lock();
        loop {
            if let Some(block) = state.blocks.pop_front() {
                state.bytes -= block.len();
                self.queue.changed.notify_all();
                self.block = block;
                self.at = 0;
                return Ok(());
            }
            if let Some(end) = state.end.take() {
                self.done = true;
                self.block = Vec::new();
                self.at = 0;
                return end;
            }
            // Not `ErrorKind::Interrupted`, which `read_until` would retry for ever.
            if interrupt::interrupted().is_some() {
                return Err(io::Error::other("interrupted by a signal"));
            }
            state = (self.queue.changed)
                .wait_timeout(state, WAIT)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Read `input` into the queue, block by block, until its end, an error, or the reader is
/// dropped; wait while the queue holds `limit` bytes or more.
fn read_ahead(mut input: Box<dyn BufRead + Send>, queue: &Queue, limit: usize) {
    let end = loop {
        {
            let mut state = queue.lock();
            while state.bytes >= limit && !state.dropped {
                state = queue
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.dropped {
                return;
            }
        }
        let block = match input.fill_buf() {
            Ok([]) => break Ok(()),
            Ok(bytes) => bytes.to_vec(),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => break Err(err),
        };
        input.consume(block.len());
        let mut state = queue.lock();
        state.bytes += block.len();
        state.blocks.push_back(block);
        queue.changed.notify_all();
    };
    queue.lock().end = Some(end);
    queue.changed.notify_all();
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.queue.lock().dropped = true;
        self.queue.changed.notify_all();
    }
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at == self.block.len() && !self.done {
            self.next_block()?;
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.block.len());
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An input that gives `parts` one read at a time, then fails or ends.
    struct Parts {
        parts: VecDeque<io::Result<Vec<u8>>>,
        at: usize,
    }

    impl Read for Parts {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.parts.front_mut() {
                None => Ok(0),
                Some(Err(_)) => Err(self.parts.pop_front().unwrap().unwrap_err()),
                Some(Ok(part)) => {
                    let n = (&part[self.at..]).read(buf)?;
                    self.at += n;
                    if self.at == part.len() {
                        self.parts.pop_front();
                        self.at = 0;
                    }
                    Ok(n)
                }
            }
        }
    }

    fn reader(parts: Vec<io::Result<&[u8]>>, limit: usize) -> ReadAhead {
        let parts = Parts {
            parts: parts.into_iter().map(|p| p.map(<[u8]>::to_vec)).collect(),
            at: 0,
        };
        ReadAhead::new(Box::new(io::BufReader::with_capacity(4, parts)), limit)
    }

    #[test]
    fn what_is_read_ahead_reads_back_whole_and_then_the_error() {
        for limit in [1, 5, 1 << 20] {
            let mut input = reader(
                vec![
                    Ok(b"one\ntw"),
                    Ok(b"o\nthree"),
                    Err(io::Error::other("gone")),
                ],
                limit,
            );
            let mut read = Vec::new();
            let err = input.read_to_end(&mut read).unwrap_err();
            assert_eq!(read, b"one\ntwo\nthree", "limit {limit}");
            assert_eq!(err.to_string(), "gone");
            assert_eq!(input.read(&mut [0; 8]).unwrap(), 0, "then the end");
            assert!(!input.paused(), "an input that ended has not paused");
        }
    }

    /// An input that gives a line and then nothing (a pipe whose writer waits) has paused once
    /// the line is read, and not before; a line cut in two pauses it before its end is read.
    #[test]
    fn an_input_with_nothing_more_to_give_has_paused() {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        struct Pipe(std::sync::mpsc::Receiver<Vec<u8>>);
        impl Read for Pipe {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let part = self.0.recv().unwrap_or_default();
                buf[..part.len()].copy_from_slice(&part);
                Ok(part.len())
            }
        }
        let mut input = ReadAhead::new(Box::new(io::BufReader::new(Pipe(rx))), 1 << 20);
        tx.send(b"one\ntw".to_vec()).unwrap();
        let mut line = Vec::new();
        input.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"one\n");
        // "tw" is buffered, no whole line: paused.
        assert!(input.paused());
        tx.send(b"o\n".to_vec()).unwrap();
        // Read ahead soon.
        let started = std::time::Instant::now();
        while input.paused() {
            assert!(started.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(1));
        }
        line.clear();
        input.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"two\n");
        assert!(input.paused());
        drop(tx);
        line.clear();
        assert_eq!(input.read_until(b'\n', &mut line).unwrap(), 0);
        assert!(!input.paused());
    }
}
