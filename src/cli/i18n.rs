//! `vitrine i18n …`: the arguments of status, stamp, export and import, and
//! their translation into `translation`'s plain options.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use super::{SiteArgs, print_diagnostics};
use crate::translation::commands::{StampOptions, StampTargets, StatusOptions};
use crate::translation::exchange::{self, ExportOptions};
use crate::translation::{self, report};

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
    Export(ExportArgs),
    /// Write translated XLIFF or PO files back as translations.
    Import(ImportArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Html,
}

impl From<ReportFormat> for report::Format {
    fn from(format: ReportFormat) -> Self {
        match format {
            ReportFormat::Text => report::Format::Text,
            ReportFormat::Json => report::Format::Json,
            ReportFormat::Html => report::Format::Html,
        }
    }
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

/// The file formats translators' tools read (help text per value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// XLIFF 1.2 (Trados, memoQ, Phrase, Crowdin, Translate Toolkit).
    Xliff,
    /// XLIFF 2.0.
    Xliff2,
    /// gettext PO (Weblate, Pontoon, Poedit).
    Po,
}

impl From<Format> for exchange::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Xliff => exchange::Format::Xliff,
            Format::Xliff2 => exchange::Format::Xliff2,
            Format::Po => exchange::Format::Po,
        }
    }
}

/// Which pseudo-translation (help text per value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Pseudo {
    /// `Ĥéééllöö` between ⟦ ⟧: accented and lengthened.
    Accented,
    /// Each run mirrored with right-to-left override marks, for RTL layouts.
    Rtl,
}

impl From<Pseudo> for exchange::pseudo::Pseudo {
    fn from(pseudo: Pseudo) -> Self {
        match pseudo {
            Pseudo::Accented => exchange::pseudo::Pseudo::Accented,
            Pseudo::Rtl => exchange::pseudo::Pseudo::Rtl,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The language to translate into.
    #[arg(long)]
    pub lang: String,
    #[arg(long, value_enum, default_value_t = Format::Xliff)]
    pub format: Format,
    /// Pages not translated into the language.
    #[arg(long)]
    pub missing: bool,
    /// Translations whose source changed since they were stamped.
    #[arg(long)]
    pub stale: bool,
    /// Every page not written in the language, translations included.
    #[arg(long)]
    pub all: bool,
    /// Only pages of this top-level section.
    #[arg(long)]
    pub section: Option<String>,
    /// A file (one for the language) or a folder (one file per page).
    /// Default: `<lang>.xlf` (or .xliff, .po) in the current folder.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Fill the targets with pseudo-translations to try the layouts.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "accented")]
    pub pseudo: Option<Pseudo>,
    /// Write the interface's missing and stale Fluent messages instead.
    #[arg(long, conflicts_with_all = ["format", "missing", "stale", "all", "section", "pseudo"])]
    pub fluent: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// XLIFF or PO files from the translators.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Import even when a page's source changed since the export (the
    /// translation then stays stale where it was made from another version).
    #[arg(long)]
    pub force: bool,
}

/// Runs `vitrine i18n …`.
pub fn run(args: I18nArgs) -> ExitCode {
    let print = &print_diagnostics;
    match args.command {
        I18nCommand::Status(a) => translation::commands::run_status(&status_options(a), print),
        I18nCommand::Stamp(a) => translation::commands::run_stamp(&stamp_options(a), print),
        I18nCommand::Export(a) => exchange::run_export(&export_options(a), print),
        I18nCommand::Import(a) => exchange::run_import(
            &exchange::ImportOptions {
                root: a.root,
                files: a.files,
                force: a.force,
            },
            print,
        ),
    }
}

fn status_options(args: StatusArgs) -> StatusOptions {
    StatusOptions {
        root: args.site.root,
        drafts: args.site.drafts,
        future: args.site.future,
        format: args.format.into(),
        lang: args.lang,
    }
}

fn stamp_options(args: StampArgs) -> StampOptions {
    // clap makes `--all` require `--lang`.
    let targets = if args.all {
        StampTargets::All {
            lang: args.lang.unwrap_or_default(),
        }
    } else {
        StampTargets::Files(args.files)
    };
    StampOptions {
        root: args.root,
        targets,
    }
}

fn export_options(args: ExportArgs) -> ExportOptions {
    ExportOptions {
        root: args.root,
        lang: args.lang,
        format: args.format.into(),
        selection: exchange::export::Selection {
            missing: args.missing,
            stale: args.stale,
            all: args.all,
        },
        section: args.section,
        output: args.output,
        pseudo: args.pseudo.map(Into::into),
        fluent: args.fluent,
    }
}
