//! `vitrine import`: its arguments, and which sources they select.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

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

pub fn run_import(args: ImportArgs) -> ExitCode {
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
