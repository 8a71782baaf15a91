//! The command line: parses arguments (clap), runs a command, prints
//! diagnostics like a compiler and maps results to exit codes
//! (0 success, 1 content errors, 2 bad usage).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, build};
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
    Build(BuildArgs),
    /// Run every check of a build, and the Fluent lint, without writing anything.
    Check(CheckArgs),
    /// Translation status and stamps.
    I18n(crate::translation::commands::I18nArgs),
    /// Create a page, or a translation of one.
    New(crate::scaffold::NewArgs),
    /// Create a new site.
    Init(crate::scaffold::InitArgs),
    /// Serve the site locally, rebuilding and reloading on every change.
    Serve(ServeArgs),
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

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (relative paths are under --root).
    #[arg(long, short, default_value = "public")]
    pub output: PathBuf,
    /// Override base_url from site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on (loopback by default: only this machine).
    #[arg(long, short, default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long, short)]
    pub open: bool,
    /// Poll for changes instead of waiting for file-system events.
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Fail when a language's page coverage is below a percentage: `en=100,fr=80`.
    #[arg(long, value_parser = crate::translation::check::parse_thresholds)]
    pub min_coverage: Option<crate::translation::check::Thresholds>,
    /// Print (RFC 3339) when the built site will next change by itself: a
    /// scheduled page going live, a page expiring, a notice starting or ending.
    #[arg(long)]
    pub next_change: bool,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::I18n(args) => crate::translation::commands::run(args, &|d, root| {
            print_diagnostics(
                d,
                &BuildOptions {
                    root: root.to_path_buf(),
                    ..BuildOptions::default()
                },
            )
        }),
        Command::New(args) => crate::scaffold::run_new(args),
        Command::Init(args) => crate::scaffold::run_init(args),
        Command::Serve(args) => run_serve(&args),
    }
}

fn options(site: &SiteArgs, output: Option<PathBuf>, base_url: Option<String>) -> BuildOptions {
    BuildOptions {
        root: site.root.clone(),
        output,
        base_url,
        drafts: site.drafts,
        future: site.future,
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let opts = options(&args.site, Some(args.output.clone()), args.base_url.clone());
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, &opts);
            if args.timings {
                for stage in report.timings.stages() {
                    let memory = stage.memory.map_or(String::new(), |(now, peak)| {
                        format!("{:>6} MiB held, {:>6} MiB peak  ", now >> 20, peak >> 20)
                    });
                    eprintln!("{:>8.1} ms  {memory}{}", stage.seconds * 1000.0, stage.name);
                }
            }
            eprintln!(
                "Built {} pages in {} languages: {} files, {:.1} MB, in {:.2} s",
                report.pages,
                report.languages,
                report.files,
                report.bytes as f64 / 1e6,
                report.seconds
            );
            if report.images.processed + report.images.cached > 0 {
                eprintln!(
                    "images: {} processed, {} cached ({} sources decoded)",
                    report.images.processed, report.images.cached, report.images.decoded
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, &opts),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let opts = options(&args.site, None, None);
    let result = build(&opts);
    let mut diagnostics = match &result {
        Ok(report) => report.diagnostics.clone(),
        Err(d) => d.clone(),
    };
    let thresholds = args.min_coverage.clone().unwrap_or_default().0;
    let coverage = match crate::translation::check::extend(&opts, &thresholds, args.strict, &mut diagnostics)
    {
        Ok(c) => c,
        Err(usage) => {
            eprintln!("error: {usage}");
            return ExitCode::from(2);
        }
    };
    let ok = result.is_ok() && !diagnostics.has_errors();
    let next_change = result
        .as_ref()
        .ok()
        .and_then(|r| r.next_change)
        .map(|d| d.to_rfc3339());
    if args.next_change && args.format == Format::Text {
        match &next_change {
            Some(time) => {
                let _ = writeln!(std::io::stdout(), "{time}");
            }
            None if result.is_ok() => eprintln!("nothing is scheduled: the site changes only when edited"),
            None => {}
        }
    }
    if args.format == Format::Json {
        let json = serde_json::json!({
            "next_change": next_change,
            "ok": ok,
            "errors": diagnostics.error_count(),
            "warnings": diagnostics.warning_count(),
            "diagnostics": diagnostics,
            "coverage": coverage,
        });
        let _ = writeln!(std::io::stdout(), "{json:#}");
        return if ok { ExitCode::SUCCESS } else { ExitCode::from(1) };
    }
    match result {
        Ok(report) if ok => {
            print_diagnostics(&diagnostics, &opts);
            eprintln!(
                "Checked {} pages in {} languages: no errors",
                report.pages, report.languages
            );
            ExitCode::SUCCESS
        }
        _ => fail(&diagnostics, &opts),
    }
}

fn run_serve(args: &ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: args.site.root.clone(),
        interface: args.interface,
        port: args.port,
        open: args.open,
        drafts: args.site.drafts,
        future: args.site.future,
        poll: args.poll,
    };
    match crate::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn fail(diagnostics: &Diagnostics, opts: &BuildOptions) -> ExitCode {
    print_diagnostics(diagnostics, opts);
    eprintln!(
        "error: the build failed with {} error(s){}",
        diagnostics.error_count(),
        if opts.output.is_some() {
            "; the previous output was left as it was"
        } else {
            ""
        }
    );
    ExitCode::from(1)
}

fn print_diagnostics(diagnostics: &Diagnostics, opts: &BuildOptions) {
    diagnostics.print(&opts.root);
}
