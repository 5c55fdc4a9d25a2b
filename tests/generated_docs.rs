//! man/ and completions/ are generated from the clap definitions (clap_mangen, clap_complete)
//! and checked in. This test regenerates them in memory and fails when the checked-in files
//! are stale; `UPDATE_GENERATED=1 cargo test --test generated_docs` rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use tlsprobe::cli::Cli;

mod mandoc;

/// One man page: clap_mangen's title, NAME, DESCRIPTION, OPTIONS and COMMANDS, our SYNOPSIS
/// (with option arguments) and EXIT STATUS, ENVIRONMENT, EXAMPLES, SEE ALSO.
fn man_page(cmd: clap::Command, bin: &str, sub: Option<&str>) -> Vec<u8> {
    // `help` is clap's built-in subcommand: it has no page of its own.
    let cmd = if cmd.has_subcommands() {
        cmd.mut_subcommand("help", |h| h.hide(true))
    } else {
        cmd
    };
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = vec![];
    man.render_title(&mut page).unwrap();
    man.render_name_section(&mut page).unwrap();
    page.extend_from_slice(mandoc::synopsis(&cmd, bin).as_bytes());
    man.render_description_section(&mut page).unwrap();
    man.render_options_section(&mut page).unwrap();
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut page).unwrap();
    }
    page.extend_from_slice(mandoc::extra_sections(sub).as_bytes());
    man.render_version_section(&mut page).unwrap();
    page
}

/// Every generated file: path relative to the crate root, and its contents.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = vec![];
    out.push((
        PathBuf::from("man/tlsprobe.1"),
        man_page(cmd.clone(), "tlsprobe", None),
    ));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let short = sub.get_name();
        let name = format!("tlsprobe-{short}");
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let sub = sub
            .clone()
            .name(leaked)
            .bin_name(format!("tlsprobe {}", sub.get_name()));
        let page = man_page(sub, &format!("tlsprobe {}", short), Some(short));
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

/// Every page has the sections man-pages(7) expects of a command, its synopsis shows option
/// arguments, and no page points at a `tlsprobe-help(1)` that does not exist.
#[test]
fn man_pages_have_every_section() {
    for (path, page) in generated()
        .into_iter()
        .filter(|(p, _)| p.starts_with("man"))
    {
        let page = String::from_utf8(page).unwrap();
        let at = |h: &str| {
            page.find(h)
                .unwrap_or_else(|| panic!("{}: no {h}", path.display()))
        };
        let order = [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ];
        let places: Vec<usize> = order.iter().map(|h| at(h)).collect();
        assert!(
            places.windows(2).all(|w| w[0] < w[1]),
            "{}: sections out of order",
            path.display()
        );
        assert!(
            !page.contains("tlsprobe\\-help"),
            "{}: refers to tlsprobe-help",
            path.display()
        );
        assert!(page.contains("NO_COLOR"), "{}", path.display());
    }
    let connect = generated()
        .into_iter()
        .find(|(p, _)| p.ends_with("tlsprobe-connect.1"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    assert!(
        connect.contains("\\fB\\-\\-tls\\fR \\fI<LIST>\\fR"),
        "synopsis without option arguments"
    );
    assert!(connect.contains("SSLKEYLOGFILE"));
    assert!(
        connect.contains("\\fB3\\fR"),
        "connect documents exit status 3"
    );
}
