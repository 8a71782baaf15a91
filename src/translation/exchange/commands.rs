//! `vitrine i18n export` and `vitrine i18n import`: their options and running.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::pseudo::Pseudo;
use super::{Format, export, import};
use crate::build::BuildOptions;
use crate::build::load_model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::translation::stamp;

/// What `vitrine i18n export` writes.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// The language to translate into.
    pub lang: String,
    pub format: Format,
    /// Which pages; none chosen means the default (see `Selection::or_default`).
    pub selection: export::Selection,
    /// Only pages of this top-level section.
    pub section: Option<String>,
    /// A file (one for the language) or a folder (one file per page);
    /// default: `<lang>.<extension>` in the current folder.
    pub output: Option<PathBuf>,
    /// Fill the targets with pseudo-translations.
    pub pseudo: Option<Pseudo>,
    /// Write the interface's missing and stale Fluent messages instead.
    pub fluent: bool,
}

/// What `vitrine i18n import` reads.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// XLIFF or PO files from the translators.
    pub files: Vec<PathBuf>,
    /// Import even when a page's source changed since the export.
    pub force: bool,
}

fn site_options(root: &Path) -> BuildOptions {
    // Every file counts, drafts and scheduled pages included.
    BuildOptions {
        root: root.to_path_buf(),
        drafts: true,
        future: true,
        ..BuildOptions::default()
    }
}

/// Runs an export; `print` prints diagnostics the CLI's way.
pub fn run_export(args: &ExportOptions, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    let site = match load_model(&site_options(&args.root)) {
        Ok(s) => s,
        Err(d) => {
            print(&d, &args.root);
            return ExitCode::from(1);
        }
    };
    if !site.config.is_language(&args.lang) {
        let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
        eprintln!(
            "error: `{}` is not a language of the site ({})",
            args.lang,
            codes.join(", ")
        );
        return ExitCode::from(2);
    }
    if args.fluent {
        let (text, count) = super::fluent::skeleton(&site.config, &args.lang);
        return finish(
            write_one(args.output.as_deref(), &text),
            &args.root,
            print,
            || format!("Exported {count} Fluent message(s) for `{}`", args.lang),
        );
    }
    let selection = args.selection.or_default();
    let mut exchange = export::exchange(&site, &args.root, &args.lang, selection, args.section.as_deref());
    if let Some(pseudo) = args.pseudo {
        super::pseudo::fill(&mut exchange, pseudo);
    }
    let units: usize = exchange.pages.iter().map(|p| p.units.len()).sum();
    let new: usize = exchange
        .pages
        .iter()
        .flat_map(|p| &p.units)
        .filter(|u| u.target.is_none())
        .count();
    let ext = args.format.extension();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.{ext}", args.lang)));
    let per_page = output.is_dir() || output.extension().is_none();
    let result = if per_page {
        exchange.pages.iter().try_for_each(|page| {
            let one = super::Exchange {
                pages: vec![page.clone()],
                ..super::Exchange {
                    pages: Vec::new(),
                    ..exchange.clone()
                }
            };
            let path = export::page_file(&output, page, &args.lang, ext);
            write_path(&path, &super::write(&one, args.format))
        })
    } else {
        write_path(&output, &super::write(&exchange, args.format))
    };
    finish(result, &args.root, print, || {
        format!(
            "Exported {} page(s) for `{}` to {}: {units} unit(s), {new} to translate",
            exchange.pages.len(),
            args.lang,
            output.display()
        )
    })
}

fn write_one(output: Option<&Path>, text: &str) -> Result<(), Diagnostic> {
    match output {
        Some(path) => write_path(path, text),
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            Ok(())
        }
    }
}

fn write_path(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write {}: {e}", path.display()))
            .with_hint("check that the folder exists and is writable")
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    stamp::write_atomically(path, text).map_err(fail)
}

fn finish(
    result: Result<(), Diagnostic>,
    root: &Path,
    print: &dyn Fn(&Diagnostics, &Path),
    done: impl FnOnce() -> String,
) -> ExitCode {
    match result {
        Ok(()) => {
            eprintln!("{}", done());
            ExitCode::SUCCESS
        }
        Err(d) => {
            let mut all = Diagnostics::new();
            all.push(d);
            print(&all, root);
            ExitCode::from(1)
        }
    }
}

/// Runs an import; `print` prints diagnostics the CLI's way.
pub fn run_import(args: &ImportOptions, print: &dyn Fn(&Diagnostics, &Path)) -> ExitCode {
    let site = match load_model(&site_options(&args.root)) {
        Ok(s) => s,
        Err(d) => {
            print(&d, &args.root);
            return ExitCode::from(1);
        }
    };
    let planned = match import::plan(&site, &args.root, &args.files, args.force) {
        Ok(p) => p,
        Err(d) => {
            print(&d, &args.root);
            eprintln!("error: nothing was written");
            return ExitCode::from(1);
        }
    };
    let result = import::write(&site, &args.root, &planned);
    for p in &planned {
        let left = if p.untranslated > 0 {
            format!(", {} unit(s) left in the source language", p.untranslated)
        } else {
            String::new()
        };
        eprintln!("wrote {} ({:?}{left})", p.file, p.status);
    }
    finish(result, &args.root, print, || {
        format!("Imported {} page(s)", planned.len())
    })
}
