//! The tlsprobe binary: parse arguments, run the command, print the error as one sentence
//! and exit with the code cli.md assigns.

use clap::Parser;

use tlsprobe::cli::{Cli, Command};
use tlsprobe::commands::{self, CliError};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Connect(a) => commands::connect::run(a),
        Command::Listen(a) => commands::listen::run(a),
        Command::Scan(a) => commands::scan::run(a),
        Command::Demo(a) => commands::demo::run(a),
        Command::View(a) => commands::view::run(a),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => match e.downcast_ref::<CliError>() {
            Some(c) => {
                if !c.message.is_empty() {
                    eprintln!("error: {}", c.message);
                }
                c.code
            }
            None => {
                eprintln!("error: {e:#}");
                1
            }
        },
    };
    std::process::exit(code);
}
