//! One module per subcommand; `run` dispatches.

pub mod analyze;
mod disputes;
mod drill;
mod export;
mod grade;
mod history;
pub mod import;
mod list;
mod packs;
mod phrases;
mod ready;
mod review;
pub mod rules;
mod scaffold;
mod serve;
mod team;
mod template;
mod tracks;

use std::process::ExitCode;

use anyhow::Result;

use crate::app::App;
use crate::cli::{Cli, Command, PacksCommand};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let app = App::new(&cli.global)?;
    match cli.command {
        Command::Drill(a) => drill::run(&app, a),
        Command::List(a) => list::list(&app, a.format),
        Command::Show(a) => list::show(&app, &a.id, a.format),
        Command::Grade(a) => grade::run(&app, a),
        Command::Template(a) => template::run(&app, a),
        Command::History(a) => history::history(&app, a),
        Command::Stats(a) => history::stats(&app, a.format),
        Command::Disputes(a) => disputes::run(&app, a),
        Command::Serve(a) => serve::run(&app, a),
        Command::Team(a) => team::run(&app, a),
        Command::Analyze(a) => analyze::run(&app, a),
        Command::Rules(a) => rules::run(&app, a),
        Command::Import(a) => import::run(&app, a),
        Command::Export(a) => export::run(&app, a),
        Command::Tracks(a) => tracks::run(&app, a.format),
        Command::Phrases(a) => phrases::run(&app, a),
        Command::Review(a) => review::run(&app, a),
        Command::Packs(p) => match p.command {
            PacksCommand::Check { dirs } => packs::check(&app, &dirs),
            PacksCommand::New { id, language, output } => scaffold::run(&app, &id, &language, &output),
        },
    }
}
