//! `vitrine i18n status` and `vitrine i18n stamp`: arguments and running.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::build::BuildOptions;
use crate::cli::SiteArgs;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::translation::coverage::source_of;
use crate::translation::{Status, load_model, report, staleness, stamp};

#[derive(Debug, Args)]
pub struct I18nArgs {
    #[command(subcommand)]
    pub command: I18nCommand,
}

#[derive(Debug, Subcommand)]
pub enum I18nCommand {
    /// Coverage per language and section, stale translations, Fluent problems.
    Status(StatusArgs),
    /// Record the source version a translation follows (`source_hash`).
    Stamp(StampArgs),
    /// Write missing and stale page text as XLIFF or PO for translators' tools.
    Export(crate::translation::exchange::commands::ExportArgs),
    /// Write translated XLIFF or PO files back as translations.
    Import(crate::translation::exchange::commands::ImportArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Report on one language only.
    #[arg(long)]
    pub lang: Option<String>,
}

#[derive(Debug, Args)]
pub struct StampArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Translation files to stamp.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub files: Vec<PathBuf>,
    /// Stamp every translation into --lang.
    #[arg(long, requires = "lang")]
    pub all: bool,
    #[arg(long)]
    pub lang: Option<String>,
}

/// Runs `vitrine i18n …`; `report` prints diagnostics the CLI's way.
pub fn run(args: I18nArgs, report: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    match args.command {
        I18nCommand::Status(a) => run_status(a, report),
        I18nCommand::Stamp(a) => run_stamp(a, report),
        I18nCommand::Export(a) => crate::translation::exchange::commands::run_export(a, report),
        I18nCommand::Import(a) => crate::translation::exchange::commands::run_import(a, report),
    }
}

fn run_status(args: StatusArgs, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    let opts = BuildOptions {
        root: args.site.root.clone(),
        drafts: args.site.drafts,
        future: args.site.future,
        ..BuildOptions::default()
    };
    let mut status = match Status::load(&opts) {
        Ok(s) => s,
        Err(d) => {
            print(&d, &opts.root);
            return ExitCode::from(1);
        }
    };
    if let Some(lang) = &args.lang {
        if !status.names.iter().any(|(c, _)| c == lang) {
            let codes: Vec<&str> = status.names.iter().map(|(c, _)| c.as_str()).collect();
            eprintln!(
                "error: `{lang}` is not a language of the site ({})",
                codes.join(", ")
            );
            return ExitCode::from(2);
        }
        status.only_language(lang);
    }
    let text = match args.format {
        ReportFormat::Text => {
            print(&status.fluent, &opts.root);
            report::text::render(&status)
        }
        ReportFormat::Json => format!("{:#}\n", report::json::render(&status)),
        ReportFormat::Html => report::html::render(&status),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    ExitCode::SUCCESS
}

fn run_stamp(args: StampArgs, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    // Every file counts here, drafts and scheduled pages included.
    let opts = BuildOptions {
        root: args.root.clone(),
        drafts: true,
        future: true,
        ..BuildOptions::default()
    };
    let site = match load_model(&opts) {
        Ok(s) => s,
        Err(d) => {
            print(&d, &opts.root);
            return ExitCode::from(1);
        }
    };
    let targets: Vec<usize> = if args.all {
        let lang = args.lang.clone().unwrap_or_default();
        if !site.config.is_language(&lang) {
            eprintln!("error: `{lang}` is not a language of the site");
            return ExitCode::from(2);
        }
        (0..site.documents.len())
            .filter(|&d| site.documents[d].lang == lang && site.documents[d].file.ends_with(".md"))
            .collect()
    } else {
        let mut found = Vec::new();
        let mut errors = Diagnostics::new();
        for file in &args.files {
            match find_document(&site, &opts.root, file) {
                Some(d) => found.push(d),
                None => errors.push(
                    Diagnostic::error(format!("`{}` is not a content file of the site", file.display()))
                        .with_hint("name a translation under content/, such as content/culture/ao-dai.en.md"),
                ),
            }
        }
        if !errors.is_empty() {
            print(&errors, &opts.root);
            return ExitCode::from(1);
        }
        found
    };
    let mut errors = Diagnostics::new();
    let mut stamped = 0;
    for doc in targets {
        match stamp_document(&site, &opts.root, doc, !args.all) {
            Ok(true) => stamped += 1,
            Ok(false) => {}
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        print(&errors, &opts.root);
        return ExitCode::from(1);
    }
    eprintln!("Stamped {stamped} translation(s)");
    ExitCode::SUCCESS
}

fn find_document(site: &Site, root: &Path, file: &Path) -> Option<usize> {
    let wanted = std::fs::canonicalize(file)
        .or_else(|_| std::fs::canonicalize(root.join(file)))
        .ok()?;
    site.documents
        .iter()
        .position(|d| std::fs::canonicalize(root.join(&d.file)).is_ok_and(|p| p == wanted))
}

/// Stamps one translation; `Ok(false)` when it is a source and `--all` skips it.
fn stamp_document(site: &Site, root: &Path, doc: usize, explicit: bool) -> Result<bool, Diagnostic> {
    let document = &site.documents[doc];
    let group = site
        .entries
        .iter()
        .find(|e| e.doc == doc && !e.is_fallback)
        .map(|e| &site.groups[e.group]);
    let source = group.and_then(|g| source_of(site, g));
    let Some(source) = source.filter(|s| !std::ptr::eq(*s, document)) else {
        if !explicit {
            return Ok(false);
        }
        return Err(Diagnostic::error(format!(
            "`{}` is the source of its page, not a translation",
            document.file
        ))
        .in_file(&document.file)
        .with_hint("stamp its translations instead (`<slug>.<lang>.md`)"));
    };
    let paragraphs = staleness::paragraphs(source);
    let hash = staleness::save_snapshot(root, &paragraphs)
        .and_then(|hash| {
            // The units too, so an export can pre-fill the unchanged ones.
            let seg = crate::translation::exchange::segment::segment(source);
            crate::translation::exchange::export::save_units(root, &hash, &seg).map(|()| hash)
        })
        .map_err(|e| {
            Diagnostic::error(format!("cannot save the source snapshot: {e}"))
                .with_hint(format!("check that {} is writable", staleness::SNAPSHOT_DIR))
        })?;
    let path = root.join(&document.file);
    let unreadable =
        |e: std::io::Error| Diagnostic::error(format!("cannot stamp the file: {e}")).in_file(&document.file);
    let text = std::fs::read_to_string(&path).map_err(unreadable)?;
    let Some(new_text) = stamp::set_source_hash(&text, &hash) else {
        return Err(Diagnostic::error("the file has no closed front matter to stamp")
            .in_file(&document.file)
            .at_line(1, 1));
    };
    if new_text != text {
        stamp::write_atomically(&path, &new_text).map_err(unreadable)?;
        eprintln!("stamped {} (source {} at {hash})", document.file, source.file);
    }
    Ok(true)
}
