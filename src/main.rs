//! The `boilerstrip` binary: parse the command line, run it, report errors, pick the exit code.
//!
//! Exit codes: 0 success; 1 some inputs failed (each was reported); 2 usage or pattern-file
//! errors; 130 / 143 interrupted by SIGINT / SIGTERM (see `cli::interrupt`). A closed
//! downstream pipe (`boilerstrip clean - < a.txt | head`) is success; any other failed write to
//! stdout is an error (1). Stderr carries only messages, dropped when it cannot be written.
//!
//! A stdout that is closed when the process starts (`>&-`) is out of reach: the Rust runtime
//! reopens a closed fd 0, 1 or 2 on `/dev/null` (read-write) before `main`, so it cannot be told
//! from a `/dev/null` opened read-write on purpose (Python's `subprocess.DEVNULL`), and the run
//! discards its output as a `>/dev/null` run does. Telling them apart would need an entry point
//! ahead of the runtime's (`#![no_main]`, unsafe code).

/// `eprintln!` for messages that may be lost: one that cannot be written (stderr closed, a full
/// disk, the log pipe of an engine gone) is dropped rather than stopping the run, whose exit
/// code still says what happened to the data.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` as [`say!`] is `eprintln!`.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            say!("boilerstrip: error: {err:#}");
            ExitCode::from(cli::exit_code_for(&err))
        }
    }
}
