//! `vitrine build`, `vitrine check` and `vitrine serve`: their arguments,
//! the build's options made from them, and the summaries they print.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{SiteArgs, print_diagnostics};
use crate::build::{BuildOptions, build};
use crate::diagnostics::Diagnostics;

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
    /// Render everything, ignoring the build cache (.vitrine-cache/build/).
    #[arg(long)]
    pub clean: bool,
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

pub fn run_build(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        relative: args.relative,
        clean: args.clean,
        on_render_everything: Some(super::rendering_everything),
        ends_process: true,
        ..options(&args.site, Some(args.output.clone()), args.base_url.clone())
    };
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, &opts.root);
            if args.timings {
                for stage in report.timings.stages() {
                    let memory = stage.memory.map_or(String::new(), |(now, peak)| {
                        format!("{:>6} MiB held, {:>6} MiB peak  ", now >> 20, peak >> 20)
                    });
                    eprintln!("{:>8.1} ms  {memory}{}", stage.seconds * 1000.0, stage.name);
                }
            }
            if report.reused {
                eprintln!(
                    "Nothing changed since the last build: kept {} as it was ({} pages in {} languages, {} files), in {:.2} s",
                    args.output.display(),
                    report.pages,
                    report.languages,
                    report.files,
                    report.seconds
                );
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "Built {} pages in {} languages: {} files, {:.1} MB, in {:.2} s",
                report.pages,
                report.languages,
                report.files,
                report.bytes as f64 / 1e6,
                report.seconds
            );
            if let Some((rendered, written, removed)) = report.patched {
                eprintln!(
                    "only what changed: {rendered} pages rendered, {written} files written, {removed} removed; the rest of {} kept as it was",
                    args.output.display()
                );
            }
            if let Some((written, removed)) = report.written_over {
                eprintln!(
                    "everything rendered again; written over the last output where it differs: {written} files written, {removed} removed, the rest of {} kept as it was",
                    args.output.display()
                );
            }
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

pub fn run_check(args: CheckArgs) -> ExitCode {
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
            print_diagnostics(&diagnostics, &opts.root);
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

pub fn run_serve(args: &ServeArgs) -> ExitCode {
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

fn report_languages(opts: &BuildOptions) -> Vec<String> {
    crate::config::Config::load(&opts.root)
        .map(|c| c.languages.into_iter().map(|l| l.code).collect())
        .unwrap_or_default()
}

fn options(site: &SiteArgs, output: Option<PathBuf>, base_url: Option<String>) -> BuildOptions {
    BuildOptions {
        root: site.root.clone(),
        output,
        base_url,
        drafts: site.drafts,
        future: site.future,
        relative: false,
        clean: false,
        on_render_everything: None,
        ends_process: false,
    }
}

fn fail(diagnostics: &Diagnostics, opts: &BuildOptions) -> ExitCode {
    print_diagnostics(diagnostics, &opts.root);
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
