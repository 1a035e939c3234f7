//! Which of the standard streams (fd 0, 1, 2) were closed when the process started.
//!
//! Before `main`, the Rust runtime reopens a closed standard stream on `/dev/null` (read-write),
//! so that a later `open` cannot take its number. After that, a program started with `>&-` sees
//! a stdout that swallows every write, and cannot tell it from a `/dev/null` opened on purpose:
//! its output is lost with exit code 0. This crate looks first: a function in the ELF
//! `.init_array` (Mach-O `__mod_init_func`) runs before the runtime's start-up, opens
//! `/dev/null` until it gets a descriptor above 2, and notes which of 0, 1 and 2 it was given
//! (those were closed); it then closes them again, so the runtime goes on as usual.
//!
//! It is a crate of its own because registering that function takes a `#[link_section]`
//! attribute, which the `unsafe_code` lint counts as unsafe: the program using it keeps
//! `unsafe_code = "forbid"`. The function itself is safe code (`std::fs::File::open`, which
//! needs nothing of the runtime). On other platforms nothing is probed and every stream counts
//! as open.

use std::sync::atomic::{AtomicU8, Ordering};

/// Bit `fd` is set when standard stream `fd` was closed at start.
static CLOSED: AtomicU8 = AtomicU8::new(0);

/// Note the standard streams that are closed: every `open` takes the lowest free descriptor.
extern "C" fn probe() {
    use std::os::fd::AsRawFd;
    let mut taken = Vec::new();
    let mut closed = 0u8;
    while let Ok(file) = std::fs::File::open("/dev/null") {
        let fd = file.as_raw_fd();
        if !(0..=2).contains(&fd) {
            break;
        }
        closed |= 1 << fd;
        taken.push(file);
    }
    CLOSED.store(closed, Ordering::Relaxed);
    // Dropping `taken` closes them again, for the runtime to reopen as it always does.
}

#[used]
#[cfg_attr(
    any(target_os = "linux", target_os = "android"),
    link_section = ".init_array"
)]
#[cfg_attr(target_vendor = "apple", link_section = "__DATA,__mod_init_func")]
static PROBE: extern "C" fn() = probe;

/// Whether standard stream `fd` (0 stdin, 1 stdout, 2 stderr) was closed when the process
/// started; false for any other number, and on platforms where nothing is probed.
pub fn closed_at_start(fd: u8) -> bool {
    // Reading `PROBE` keeps this object, and with it the start-up entry, in the link.
    let _ = std::hint::black_box(PROBE);
    fd <= 2 && CLOSED.load(Ordering::Relaxed) & (1 << fd) != 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn open_streams_are_not_closed() {
        // The test harness runs with its streams open (captured or not).
        assert!(!super::closed_at_start(1));
        assert!(!super::closed_at_start(7));
    }
}
