//! `vitrine i18n status` and `vitrine i18n stamp`: their options and running.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build::BuildOptions;
use crate::build::load_model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::translation::coverage::source_of;
use crate::translation::{Status, report, staleness, stamp};

/// What `vitrine i18n status` reports on, and how.
#[derive(Debug, Clone)]
pub struct StatusOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// Count pages marked `draft: true`.
    pub drafts: bool,
    /// Count pages dated in the future.
    pub future: bool,
    pub format: report::Format,
    /// Report on one language only.
    pub lang: Option<String>,
}

/// What `vitrine i18n stamp` stamps.
#[derive(Debug, Clone)]
pub struct StampOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    pub targets: StampTargets,
}

/// Named translation files, or every translation into a language.
#[derive(Debug, Clone)]
pub enum StampTargets {
    /// These files; a source among them is an error.
    Files(Vec<PathBuf>),
    /// Every translation into `lang`; sources are skipped.
    All { lang: String },
}

/// Prints the status report; `print` prints diagnostics the CLI's way.
pub fn run_status(args: &StatusOptions, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    let opts = BuildOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        future: args.future,
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
        report::Format::Text => {
            print(&status.fluent, &opts.root);
            report::text::render(&status)
        }
        report::Format::Json => format!("{:#}\n", report::json::render(&status)),
        report::Format::Html => report::html::render(&status),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    ExitCode::SUCCESS
}

/// Stamps translations; `print` prints diagnostics the CLI's way.
pub fn run_stamp(args: &StampOptions, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
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
    let targets = match documents_to_stamp(&site, &opts.root, &args.targets, print) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let explicit = matches!(args.targets, StampTargets::Files(_));
    let mut errors = Diagnostics::new();
    let mut stamped = 0;
    for doc in targets {
        match stamp_document(&site, &opts.root, doc, explicit) {
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

/// The documents `targets` names, or the exit code after saying why not
/// (2 for a language the site lacks, 1 for files that are not its pages).
fn documents_to_stamp(
    site: &Site,
    root: &Path,
    targets: &StampTargets,
    print: &dyn Fn(&Diagnostics, &Path),
) -> Result<Vec<usize>, ExitCode> {
    match targets {
        StampTargets::All { lang } => {
            if !site.config.is_language(lang) {
                eprintln!("error: `{lang}` is not a language of the site");
                return Err(ExitCode::from(2));
            }
            Ok((0..site.documents.len())
                .filter(|&d| site.documents[d].lang == *lang && site.documents[d].file.ends_with(".md"))
                .collect())
        }
        StampTargets::Files(files) => {
            let mut found = Vec::new();
            let mut errors = Diagnostics::new();
            for file in files {
                match find_document(site, root, file) {
                    Some(d) => found.push(d),
                    None => errors.push(
                        Diagnostic::error(format!("`{}` is not a content file of the site", file.display()))
                            .with_hint(
                                "name a translation under content/, such as content/culture/ao-dai.en.md",
                            ),
                    ),
                }
            }
            if !errors.is_empty() {
                print(&errors, root);
                return Err(ExitCode::from(1));
            }
            Ok(found)
        }
    }
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
    let document: &crate::content::Document = &site.documents[doc];
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
