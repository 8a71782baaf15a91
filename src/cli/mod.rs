//! The command line: parses arguments (clap), runs a command, prints
//! diagnostics like a compiler and maps results to exit codes
//! (0 success, 1 content errors, 2 bad usage). Every clap type lives under
//! this folder, one file per command family; the rest of the crate takes
//! plain option structs made from them here.

mod build;
mod deploy;
mod i18n;
mod import;
mod report;
mod scaffold;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diagnostics::Diagnostics;

#[derive(Debug, Parser)]
#[command(
    name = "vitrine",
    version,
    about = "Builds multilingual national-image portals from Markdown and Fluent"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(build::BuildArgs),
    /// Run every check of a build, and the Fluent lint, without writing anything.
    Check(build::CheckArgs),
    /// Translation status and stamps.
    I18n(i18n::I18nArgs),
    /// Create a page, or a translation of one.
    New(scaffold::NewArgs),
    /// Create a new site.
    Init(scaffold::InitArgs),
    /// Serve the site locally, rebuilding and reloading on every change.
    Serve(build::ServeArgs),
    /// The portal's figures and charts: a dashboard page or JSON.
    Report(report::ReportArgs),
    /// Import news from feeds (Atom, RSS, JSON Feed) as draft pages crediting their source.
    Import(import::ImportArgs),
    /// Publish the built site to S3-compatible object storage (changed files only).
    Deploy(deploy::DeployArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages dated in the future.
    #[arg(long)]
    pub future: bool,
}

/// What kind of run a command is: the binary tunes its allocator by it
/// (`src/main.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Runs once and exits (build, check, reports, import, deploy): what
    /// one stage frees is best returned before the next allocates.
    Batch,
    /// `serve`: runs until stopped, freeing and allocating the same kinds
    /// of memory at every edit.
    Serve,
    /// `build`: a patch of the last build's output frees and allocates
    /// again as `serve` does, until the build finds it must render
    /// everything, which is then a [`Workload::Batch`].
    Build,
}

/// The binary's tuning, for a build that turns out to render everything.
static TUNE: std::sync::OnceLock<fn(Workload)> = std::sync::OnceLock::new();

/// Tells the binary that this build renders everything.
fn rendering_everything() {
    if let Some(tune) = TUNE.get() {
        tune(Workload::Batch);
    }
}

/// Runs the command line and returns the process exit code; `tune`
/// learns the command's [`Workload`] before it starts, and again if a
/// build turns out to render everything.
pub fn run(tune: fn(Workload)) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    tune(match cli.command {
        Command::Serve(_) => Workload::Serve,
        Command::Build(_) => Workload::Build,
        _ => Workload::Batch,
    });
    let _ = TUNE.set(tune);
    match cli.command {
        Command::Build(args) => build::run_build(args),
        Command::Check(args) => build::run_check(args),
        Command::I18n(args) => i18n::run(args),
        Command::New(args) => scaffold::run_new(args),
        Command::Init(args) => scaffold::run_init(args),
        Command::Serve(args) => build::run_serve(&args),
        Command::Report(args) => report::run_report(args),
        Command::Import(args) => import::run_import(args),
        Command::Deploy(args) => deploy::run_deploy(args),
    }
}

/// Prints diagnostics like a compiler, file names relative to `root`.
fn print_diagnostics(diagnostics: &Diagnostics, root: &Path) {
    diagnostics.print(root);
}
