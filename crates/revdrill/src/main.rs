//! `revdrill`: practise code review on drills modeled on real pull requests.
//!
//! This binary is thin: it parses the command line, builds the [`app::App`] (catalog, store,
//! language) and hands over to one module per subcommand. Errors become exit code 2.

mod app;
mod cli;
mod commands;
mod highlight;
mod i18n;
mod input;
mod interrupt;
mod render;
mod saver;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => code,
        // `revdrill list | head` closes the pipe early: not an error.
        Err(err)
            if err
                .chain()
                .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            let mut stderr = render::stderr();
            use std::io::Write;
            let _ = writeln!(stderr, "{}error:{} {err:#}", render::ERROR.render(), render::ERROR.render_reset());
            ExitCode::from(2)
        }
    }
}
