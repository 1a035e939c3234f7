//! The `boilerstrip` binary: parse the command line, run it, report errors, pick the exit code.
//!
//! Exit codes: 0 success; 1 some inputs failed (each was reported); 2 usage or pattern-file
//! errors; 130 / 143 interrupted by SIGINT / SIGTERM (see `cli::interrupt`). A closed
//! downstream pipe (`boilerstrip clean - < a.txt | head`) is success.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("boilerstrip: error: {err:#}");
            ExitCode::from(cli::exit_code_for(&err))
        }
    }
}
