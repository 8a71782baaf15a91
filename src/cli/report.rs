//! `vitrine report`: its arguments, handed to `report` as plain options.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::print_diagnostics;

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

pub fn run_report(args: ReportArgs) -> ExitCode {
    let options = crate::report::ReportOptions {
        root: args.root,
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
    match crate::report::run(&options) {
        Ok(Some(file)) => {
            eprintln!("Wrote the report to {}", file.display());
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &options.root);
            eprintln!("error: the report was not written");
            ExitCode::from(1)
        }
    }
}
