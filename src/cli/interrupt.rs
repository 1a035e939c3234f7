//! Stopping cleanly on SIGINT and SIGTERM.
//!
//! The first signal sets a flag; nothing is killed. Workers take no new document once it is
//! set, an output being written is abandoned before it is renamed into place (its temporary file
//! is removed when dropped), and the run ends with exit code 128 + the signal number: 130 for
//! SIGINT, 143 for SIGTERM. So an interrupted run leaves no partial output file and no
//! temporary file, and an `--in-place` original is either untouched or wholly replaced. A
//! document being cleaned when the signal comes is finished first (cleaning is fast); a second
//! signal ends the process at once, with the same exit code. Waits that could last for ever
//! look at the flag too: reading past (or through) an endless JSONL line, opening a FIFO that
//! no writer has opened ([`open`]), and waiting for the next JSONL line of a pipe that stays
//! open ([`super::readahead`]).

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signal received (0 for none).
fn received() -> &'static Arc<AtomicUsize> {
    static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    RECEIVED.get_or_init(|| Arc::new(AtomicUsize::new(0)))
}

/// Catch SIGINT and SIGTERM from now on.
pub fn install() -> io::Result<()> {
    let once = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // A second signal exits at once; the first sets the flags. The order of registration is
        // the order the actions run in.
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, once.clone())?;
        signal_hook::flag::register_usize(signal, received().clone(), signal as usize)?;
        signal_hook::flag::register(signal, once.clone())?;
    }
    Ok(())
}

/// The signal that interrupted the run, if one did.
pub fn interrupted() -> Option<i32> {
    match received().load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal as i32),
    }
}

/// Open `path` for reading, or give up when a signal comes. Opening a FIFO blocks until a
/// writer opens it, and no signal ends that wait (the handlers let the call restart): a FIFO is
/// opened on a thread of its own while this one looks at the flag. Given up, that thread is left
/// blocked, and ends with the process.
pub fn open(path: &Path) -> io::Result<fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo()) {
            let (tx, rx) = mpsc::channel();
            let fifo = path.to_path_buf();
            std::thread::spawn(move || tx.send(fs::File::open(fifo)));
            loop {
                match rx.recv_timeout(Duration::from_millis(20)) {
                    Ok(opened) => return opened,
                    Err(mpsc::RecvTimeoutError::Timeout) if interrupted().is_some() => {
                        return Err(error())
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(io::Error::other("the thread opening it stopped"))
                    }
                }
            }
        }
    }
    fs::File::open(path)
}

/// The error an abandoned write returns.
pub fn error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted by a signal")
}

/// The exit code for an interrupted run: 128 + the signal number.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(130)
}

/// The signal's name, for the message.
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
