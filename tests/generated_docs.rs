//! man/ and completions/ are generated from the clap definitions (clap_mangen, clap_complete)
//! and checked in. This test regenerates them in memory and fails when the checked-in files
//! are stale; `UPDATE_GENERATED=1 cargo test --test generated_docs` rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use tlsprobe::cli::Cli;

/// Every generated file: path relative to the crate root, and its contents.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = vec![];
    let mut page = vec![];
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .unwrap();
    out.push((PathBuf::from("man/tlsprobe.1"), page));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("tlsprobe-{}", sub.get_name());
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let sub = sub
            .clone()
            .name(leaked)
            .bin_name(format!("tlsprobe {}", sub.get_name()));
        let mut page = vec![];
        clap_mangen::Man::new(sub).render(&mut page).unwrap();
        out.push((PathBuf::from(format!("man/{name}.1")), page));
    }
    for (shell, file) in [
        (Shell::Bash, "tlsprobe.bash"),
        (Shell::Zsh, "_tlsprobe"),
        (Shell::Fish, "tlsprobe.fish"),
        (Shell::PowerShell, "_tlsprobe.ps1"),
        (Shell::Elvish, "tlsprobe.elv"),
    ] {
        let mut buf = vec![];
        clap_complete::generate(shell, &mut Cli::command(), "tlsprobe", &mut buf);
        out.push((PathBuf::from("completions").join(file), buf));
    }
    out
}

#[test]
fn man_pages_and_completions_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| !v.is_empty());
    let mut stale = vec![];
    for (rel, want) in generated() {
        let path = root.join(&rel);
        let have = std::fs::read(&path).unwrap_or_default();
        if have != want {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &want).unwrap();
            } else {
                stale.push(rel.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {}\nthe command line changed; refresh them with\n    UPDATE_GENERATED=1 cargo test --test generated_docs\nand commit man/ and completions/",
        stale.join(", ")
    );
}

#[test]
fn man_page_documents_every_subcommand() {
    let files = generated();
    for sub in ["connect", "scan", "listen", "demo"] {
        assert!(files
            .iter()
            .any(|(p, _)| p.ends_with(format!("tlsprobe-{sub}.1"))));
    }
    let (_, top) = &files[0];
    assert!(String::from_utf8_lossy(top).contains("tlsprobe"));
}
