//! `boilerstrip generate KIND`: the man page and the shell completions, made from the clap
//! definition of the command line (as ripgrep's `rg --generate`), so they never drift from it.
//! Each is rendered whole, then written to stdout: a closed pipe is an error to report, never a
//! panic inside a generator.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use super::args::{Cli, GenerateKind};

/// Write what `kind` asks for to stdout.
pub fn run(kind: GenerateKind) -> Result<ExitCode> {
    let mut command = Cli::command();
    command.build();
    let mut text = Vec::new();
    let shell = match kind {
        GenerateKind::Man => {
            man_page(&command, &mut text).context("rendering the man page")?;
            None
        }
        GenerateKind::CompleteBash => Some(Shell::Bash),
        GenerateKind::CompleteZsh => Some(Shell::Zsh),
        GenerateKind::CompleteFish => Some(Shell::Fish),
        GenerateKind::CompletePowershell => Some(Shell::PowerShell),
        GenerateKind::CompleteElvish => Some(Shell::Elvish),
    };
    if let Some(shell) = shell {
        clap_complete::generate(shell, &mut command, "boilerstrip", &mut text);
    }
    let mut out = super::stdout()?.lock();
    out.write_all(&text)?;
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// One page for the whole tool: the top level (name, synopsis, the commands, the exit codes),
/// then a section per command with its synopsis, description, every option (the `--help` text,
/// under the `-h` headings as subsections), its examples and exit codes.
fn man_page(command: &clap::Command, out: &mut Vec<u8>) -> io::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    // The commands are sections of this page, not pages of their own (`boilerstrip-clean(1)`).
    let mut list = Vec::new();
    man.render_subcommands_section(&mut list)?;
    let mut list = String::from_utf8_lossy(&list).replacen(".SH SUBCOMMANDS", ".SH COMMANDS", 1);
    for sub in command.get_subcommands() {
        let name = sub.get_name().replace('-', "\\-");
        list = list.replace(
            &format!("boilerstrip\\-{name}(1)"),
            &format!("\\fBboilerstrip {name}\\fR"),
        );
    }
    out.extend_from_slice(list.as_bytes());
    if let Some(after) = command.get_after_long_help().or(command.get_after_help()) {
        verbatim_sections(out, ".SH", &after.to_string())?;
    }
    man.render_version_section(out)?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        writeln!(out, ".SH \"{name}\"")?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut sections = Vec::new();
        man.render_synopsis_section(&mut sections)?;
        man.render_description_section(&mut sections)?;
        man.render_options_section(&mut sections)?;
        // The command's own sections become subsections of its section.
        let sections = String::from_utf8_lossy(&sections);
        for line in sections.lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(out, ".SS {title}")?,
                None => writeln!(out, "{line}")?,
            }
        }
        if let Some(after) = sub.get_after_long_help().or(sub.get_after_help()) {
            verbatim_sections(out, ".SS", &after.to_string())?;
        }
    }
    Ok(())
}

/// The text that ends a command's `--help` (paragraphs such as `Examples:` and `Exit codes:`)
/// as (sub)sections titled by their first line, their lines kept as they are (roff would fill
/// them into one paragraph).
fn verbatim_sections(out: &mut Vec<u8>, macro_: &str, text: &str) -> io::Result<()> {
    for paragraph in text.split("\n\n") {
        let mut lines = paragraph.lines().peekable();
        if let Some(title) = lines.next_if(|l| l.ends_with(':') && !l.starts_with(' ')) {
            let title = title.trim_end_matches(':').to_uppercase();
            writeln!(out, "{macro_} \"{title}\"")?;
        }
        writeln!(out, ".nf")?;
        for line in lines {
            // Backslashes and hyphens as roff wants them; a leading `.` or `'` is text.
            let line = line.replace('\\', "\\e").replace('-', "\\-");
            writeln!(out, "\\&{line}")?;
        }
        writeln!(out, ".fi")?;
    }
    Ok(())
}
