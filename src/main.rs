//! The `boilerstrip` binary: parse the command line, run it, report errors, pick the exit code.
//!
//! Exit codes: 0 success; 1 some inputs failed (each was reported); 2 usage or pattern-file
//! errors; 130 / 143 interrupted by SIGINT / SIGTERM (see `cli::interrupt`). A closed
//! downstream pipe (`boilerstrip clean - < a.txt | head`) is success; any other failed write to
//! stdout is an error (1). Stderr carries only messages, dropped when it cannot be written.
//!
//! A stdout that is closed when the process starts (`>&-`) fails a run that writes to it
//! (`cli::stdout`): the Rust runtime reopens it on `/dev/null` before `main`, where the output
//! would vanish with exit code 0, and `crates/closed-stdio` notes it before that.

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
