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
    /// The portal's figures and charts: a dashboard page or JSON.
    Report(ReportArgs),
    /// Import news from feeds (Atom, RSS, JSON Feed) as draft pages crediting their source.
    Import(ImportArgs),
    /// Publish the built site to S3-compatible object storage (changed files only).
    Deploy(DeployArgs),
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built site to publish (relative paths are under --root).
    #[arg(long, short, default_value = "public")]
    pub output: PathBuf,
    /// A target named under `deploy:` in site.yaml.
    #[arg(long, conflicts_with = "url")]
    pub target: Option<String>,
    /// Where to publish instead: s3://bucket/prefix.
    #[arg(long)]
    pub url: Option<String>,
    /// An S3-compatible service (https://…); AWS when not given.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// The bucket's region.
    #[arg(long)]
    pub region: Option<String>,
    /// Print what would be uploaded and deleted, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse to deploy when more objects than this would be deleted.
    #[arg(long, default_value_t = crate::deploy::MAX_DELETES)]
    pub max_deletes: usize,
    /// Delete past --max-deletes.
    #[arg(long)]
    pub force: bool,
    /// Uploads in flight at once.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
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
    /// Links and assets relative to each page, for file:// (as `relative_urls: true`).
    #[arg(long)]
    pub relative: bool,
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

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write index.html or report.json (relative paths are under
    /// --root); default: report/ for HTML, standard output for JSON.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// First day of the period (history, cadence, corrections): YYYY-MM-DD;
    /// default: a year before --as-of.
    #[arg(long)]
    pub since: Option<chrono::NaiveDate>,
    /// The day the figures are computed for: YYYY-MM-DD; default: today.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Sections whose pages should be current, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "news,policy")]
    pub current: Vec<String>,
    /// The weight budget of a page's first screen, in KB.
    #[arg(long, default_value_t = 500)]
    pub budget_kb: u64,
    /// Do not walk the git history.
    #[arg(long)]
    pub no_history: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Import one source of site.yaml, by name.
    #[arg(long, conflicts_with_all = ["all", "feed"])]
    pub source: Option<String>,
    /// Import every source of site.yaml.
    #[arg(long, conflicts_with = "feed")]
    pub all: bool,
    /// A feed not declared in site.yaml: its URL or a file.
    #[arg(value_name = "URL|FILE", requires_all = ["section", "lang"])]
    pub feed: Option<String>,
    /// With a URL or FILE: the section folder the pages go to.
    #[arg(long)]
    pub section: Option<String>,
    /// With a URL or FILE: the language of the feed.
    #[arg(long)]
    pub lang: Option<String>,
    /// With a URL or FILE: the source's name as readers see it.
    #[arg(long)]
    pub name: Option<String>,
    /// With a URL or FILE: the license of the source's articles.
    #[arg(long)]
    pub license: Option<String>,
    /// With a URL or FILE: publish the pages instead of making drafts.
    #[arg(long)]
    pub publish: bool,
    /// Download the items' images into their pages' bundles, for the image
    /// pipeline (JPEG, PNG or WebP; at most 10 MiB and 40 megapixels each
    /// unless a source's `images:` says otherwise). A refused image stays a
    /// link to its source, with a warning.
    #[arg(long)]
    pub images: bool,
    /// Say what would be written; write nothing (no image is fetched).
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds to wait for each feed, and for each image.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
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
        Command::Report(args) => run_report(args),
        Command::Import(args) => run_import(args),
        Command::Deploy(args) => run_deploy(args),
    }
}

fn options(site: &SiteArgs, output: Option<PathBuf>, base_url: Option<String>) -> BuildOptions {
    BuildOptions {
        root: site.root.clone(),
        output,
        base_url,
        drafts: site.drafts,
        future: site.future,
        relative: false,
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        relative: args.relative,
        ..options(&args.site, Some(args.output.clone()), args.base_url.clone())
    };
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
            "unpublished": crate::import::census(&opts.root),
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
            let codes: Vec<String> = report_languages(&opts);
            if let Some(line) = crate::import::census_line(&crate::import::census(&opts.root), &codes) {
                eprintln!("{line}");
            }
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

fn run_report(args: ReportArgs) -> ExitCode {
    let options = crate::report::ReportOptions {
        root: args.root.clone(),
        output: args.output,
        format: match args.format {
            ReportFormat::Html => crate::report::ReportFormat::Html,
            ReportFormat::Json => crate::report::ReportFormat::Json,
        },
        since: args.since,
        as_of: args.as_of,
        current_sections: args.current,
        budget_kb: args.budget_kb,
        history: !args.no_history,
    };
    let opts = BuildOptions {
        root: args.root,
        ..BuildOptions::default()
    };
    match crate::report::run(&options) {
        Ok(Some(file)) => {
            eprintln!("Wrote the report to {}", file.display());
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &opts);
            eprintln!("error: the report was not written");
            ExitCode::from(1)
        }
    }
}

fn run_deploy(args: DeployArgs) -> ExitCode {
    use crate::deploy::{DeployError, DeployOptions, TargetArgs, deploy};
    let options = DeployOptions {
        root: args.root,
        output: args.output,
        target: TargetArgs {
            name: args.target,
            url: args.url,
            endpoint: args.endpoint,
            region: args.region,
        },
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
        jobs: args.jobs,
    };
    match deploy(&options, &mut std::io::stdout()) {
        Ok(s) => {
            eprintln!(
                "{} {}: {} uploaded ({:.1} MB), {} deleted, {} unchanged, {} requests, in {:.2} s",
                if options.dry_run {
                    "Dry run, nothing changed at"
                } else {
                    "Deployed to"
                },
                s.target,
                s.uploaded,
                s.bytes as f64 / 1e6,
                s.deleted,
                s.unchanged,
                s.requests,
                s.seconds
            );
            ExitCode::SUCCESS
        }
        Err(DeployError::Config(d)) => {
            d.print(&options.root);
            ExitCode::from(1)
        }
        Err(DeployError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(DeployError::Failed(message)) => {
            eprintln!("error: deploy failed: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
    use crate::import::{ImportOptions, Selection, adhoc_source};
    let selection = match (args.source, args.all, args.feed) {
        (Some(name), _, _) => Selection::Named(name),
        (None, true, _) => Selection::All,
        (None, false, Some(feed)) => {
            // A file is named from where the command runs, not from --root.
            let feed = match std::path::absolute(&feed) {
                Ok(path) if !feed.contains("://") => path.to_string_lossy().to_string(),
                _ => feed,
            };
            Selection::Adhoc(adhoc_source(
                feed,
                args.section.unwrap_or_default(),
                args.lang.unwrap_or_default(),
                args.name,
                args.license,
                args.publish,
            ))
        }
        (None, false, None) => {
            eprintln!(
                "error: say what to import: --source NAME, --all, or a feed URL|FILE with --section and --lang"
            );
            return ExitCode::from(2);
        }
    };
    let options = ImportOptions {
        root: args.root,
        selection,
        dry_run: args.dry_run,
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        images: args.images,
    };
    match crate::import::import(&options) {
        Ok(reports) if reports.is_empty() => {
            eprintln!("no sources to import: declare them under `sources:` in site.yaml");
            ExitCode::SUCCESS
        }
        Ok(reports) if crate::import::print_reports(&reports, options.dry_run) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(diagnostics) => {
            diagnostics.print(&options.root);
            ExitCode::from(1)
        }
    }
}

fn report_languages(opts: &BuildOptions) -> Vec<String> {
    crate::config::Config::load(&opts.root)
        .map(|c| c.languages.into_iter().map(|l| l.code).collect())
        .unwrap_or_default()
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
