//! `vitrine import`: news from the feeds of ministries, provinces and press
//! agencies (Atom, RSS, JSON Feed) as draft pages in the site's sections,
//! each crediting its source. Sources are fetched and parsed in parallel
//! ([`fetch`], [`parse`], [`clean`]), then their pages are written one
//! source at a time ([`pages`]), with their images downloaded into their
//! bundles under `--images` ([`images`]). A source that fails is reported by name
//! and writes nothing; the others still import. Building the pages, and
//! showing the credit, are the build's and the theme's jobs.

pub mod clean;
pub mod fetch;
pub mod images;
pub mod pages;
pub mod parse;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

pub use parse::{FeedError, Item, ParsedFeed, parse_feed};

use crate::config::Config;
use crate::config::sources::SourceCanonical;
use crate::config::sources::SourceConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use fetch::{Fetched, Fetcher, ValidatorCache, Validators};
use images::{Localizer, Rules};
use pages::Action;

/// What every source's pages are written with.
struct Run<'a> {
    root: &'a Path,
    now: String,
    dry_run: bool,
    /// `--images`.
    images: bool,
    /// The site's `images.max_megapixels`, in pixels: an image the build
    /// would refuse is not downloaded.
    site_max_pixels: u64,
    fetcher: &'a Fetcher,
}

/// Which sources to import.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every source of `site.yaml`.
    All,
    /// One source of `site.yaml`, by name.
    Named(String),
    /// A feed not declared in `site.yaml` (a URL or a file).
    Adhoc(SourceConfig),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub selection: Selection,
    /// Say what would be written, write nothing.
    pub dry_run: bool,
    pub timeout: Duration,
    /// Download every source's images into their pages' bundles (a source
    /// may also ask for it with `images.download` in `site.yaml`).
    pub images: bool,
}

/// What happened to one source.
#[derive(Debug, Default)]
pub struct SourceReport {
    pub name: String,
    /// The feed answered 304: nothing to do.
    pub not_modified: bool,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Pages edited since their import, left as they are.
    pub kept: Vec<String>,
    /// Image files written into page bundles.
    pub images: Vec<String>,
    pub warnings: Vec<String>,
    /// Why nothing was imported from this source.
    pub error: Option<String>,
}

/// Imports the selected sources. `Err` is for problems of the site
/// (`site.yaml`, an unknown source name); a failing source is in its report.
pub fn import(options: &ImportOptions) -> Result<Vec<SourceReport>, Diagnostics> {
    let config = Config::load(&options.root)?;
    let sources = selected(&config, &options.selection)?;
    let mut cache = ValidatorCache::load(&options.root);
    let fetcher = Fetcher::new(options.timeout);
    let run = Run {
        root: &options.root,
        now: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        dry_run: options.dry_run,
        images: options.images,
        site_max_pixels: config.images.max_pixels(),
        fetcher: &fetcher,
    };
    let fetched: Vec<Result<Option<(ParsedFeed, Validators)>, String>> = sources
        .par_iter()
        .map(|s| read_source(&options.root, s, &fetcher, cache.get(&s.url)))
        .collect();
    let taxonomies: Vec<String> = config.taxonomies.iter().map(|t| t.name.clone()).collect();
    let mut reports = Vec::new();
    for (source, result) in sources.iter().zip(fetched) {
        let mut report = SourceReport {
            name: source.name.clone(),
            ..SourceReport::default()
        };
        match result {
            Err(e) => report.error = Some(e),
            Ok(None) => report.not_modified = true,
            Ok(Some((feed, validators))) => {
                let existing = pages::existing(&options.root, source, &config.default_language, &taxonomies);
                match write_source(&run, source, feed, existing, &mut report) {
                    Ok(()) if !options.dry_run && source.url.contains("://") => {
                        cache.set(&source.url, validators)
                    }
                    Ok(()) => {}
                    Err(e) => report.error = Some(e),
                }
            }
        }
        reports.push(report);
    }
    if !options.dry_run
        && let Err(e) = cache.save()
    {
        // Only the next poll's cost is at stake: say so, import stands.
        if let Some(first) = reports.first_mut() {
            first
                .warnings
                .push(format!("the feeds' validators could not be saved: {e}"));
        }
    }
    Ok(reports)
}

fn selected(config: &Config, selection: &Selection) -> Result<Vec<SourceConfig>, Diagnostics> {
    match selection {
        Selection::All => Ok(config.sources.clone()),
        Selection::Adhoc(source) => {
            let mut problems = Diagnostics::new();
            if !config.is_language(&source.language) {
                problems.push(
                    Diagnostic::error(format!("`{}` is not a language of the site", source.language))
                        .with_hint(
                            "pass --lang with one of the codes listed under `languages:` in site.yaml",
                        ),
                );
            }
            if !crate::config::sources::is_section_path(&source.section) {
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` is not a section folder under content/",
                        source.section
                    ))
                    .with_hint("pass --section with a folder such as `news` or `news/provinces`"),
                );
            }
            if problems.has_errors() {
                return Err(problems);
            }
            Ok(vec![source.clone()])
        }
        Selection::Named(name) => match config.sources.iter().find(|s| &s.name == name) {
            Some(s) => Ok(vec![s.clone()]),
            None => {
                let names: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
                let hint = if names.is_empty() {
                    "declare sources under `sources:` in site.yaml, or pass a feed URL with --section, --lang and --name".to_string()
                } else {
                    format!("the site's sources are: {}", names.join(", "))
                };
                Err(Diagnostics::from(vec![
                    Diagnostic::error(format!("no source is named `{name}`"))
                        .in_file(crate::config::CONFIG_FILE)
                        .with_hint(hint),
                ]))
            }
        },
    }
}

/// Fetches (or reads) and parses one source; `None` when it answered 304.
fn read_source(
    root: &Path,
    source: &SourceConfig,
    fetcher: &Fetcher,
    known: Option<&Validators>,
) -> Result<Option<(ParsedFeed, Validators)>, String> {
    let (bytes, validators, base) = if source.url.contains("://") {
        match fetcher.fetch(&source.url, known)? {
            Fetched::NotModified => return Ok(None),
            Fetched::Fresh { bytes, validators } => (bytes, validators, source.url.clone()),
        }
    } else {
        let path = root.join(&source.url);
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", source.url))?;
        (bytes, Validators::default(), String::new())
    };
    let feed = parse_feed(&bytes, &base).map_err(|e| format!("{}: {e}", source.url))?;
    Ok(Some((feed, validators)))
}

/// Decides each item's page and writes it, its images first (a page never
/// names a file not yet there; and at most one item's images are held in
/// memory). Deciding cannot fail: a write that fails stops the source.
fn write_source(
    run: &Run,
    source: &SourceConfig,
    feed: ParsedFeed,
    mut existing: pages::Existing,
    report: &mut SourceReport,
) -> Result<(), String> {
    report.warnings.extend(feed.warnings);
    let feed_is_web = crate::safe_url::is_web_url(&source.url);
    let mut localizer = Localizer::new(
        run.fetcher,
        Rules {
            download: (run.images || source.images.download) && !run.dry_run,
            max_bytes: source.images.max_bytes,
            max_pixels: source
                .images
                .max_megapixels
                .saturating_mul(1_000_000)
                .min(run.site_max_pixels),
        },
    );
    let wants_images = run.images || source.images.download;
    for item in feed.items {
        if item.link.is_none() && !feed_is_web {
            report.warnings.push(format!(
                "item `{}` links to no original article: skipped (a page must credit its source)",
                item.title
            ));
            continue;
        }
        let (item, downloads, bundle) =
            with_images(run, source, item, &existing, &mut localizer, wants_images, report);
        let action = pages::decide(&item, source, &source.url, &mut existing, &run.now, bundle);
        if pages::has_no_date(&item) && matches!(action, Action::Create { .. }) {
            report.warnings.push(format!(
                "item `{}` has no date: dated {}, when it was fetched",
                item.title, run.now
            ));
        }
        // Images go into the bundle of every page the import still owns:
        // a file an editor deleted from an unchanged page comes again.
        let (page, text) = match action {
            Action::Create { path, text } => {
                report.created.push(path.clone());
                (path, Some(text))
            }
            Action::Update { path, text } => {
                report.updated.push(path.clone());
                (path, Some(text))
            }
            Action::Unchanged { path } => {
                report.unchanged += 1;
                (path, None)
            }
            Action::Kept { path } => {
                report.kept.push(path);
                continue;
            }
        };
        if run.dry_run {
            continue;
        }
        write_images(run.root, &page, downloads, &mut localizer, report)?;
        if let Some(text) = text {
            pages::write_atomically(&run.root.join(&page), text.as_bytes())
                .map_err(|e| format!("cannot write {page}: {e}"))?;
        }
    }
    Ok(())
}

/// The item with its images shown from its page's bundle where they can
/// be, the files to write there, and whether a new page must be a bundle.
/// Only pages that are (or will be) bundles, and that the import may still
/// rewrite, get images: a page imported as a single file keeps its links.
fn with_images(
    run: &Run,
    source: &SourceConfig,
    mut item: Item,
    existing: &pages::Existing,
    localizer: &mut Localizer,
    wants_images: bool,
    report: &mut SourceReport,
) -> (Item, Vec<images::Download>, bool) {
    let folder = match existing.imported(&source.name, &item.guid) {
        Some((path, true)) => match pages::bundle_of(path) {
            Some(folder) => Some(run.root.join(folder)),
            None => return (item, Vec::new(), false),
        },
        Some((_, false)) => return (item, Vec::new(), false),
        None if wants_images && !images::references(&item.body).is_empty() => None,
        None => return (item, Vec::new(), false),
    };
    let localized = localizer.localize(&item.body, folder.as_deref());
    for (url, why) in localized.refused {
        report.warnings.push(format!(
            "item `{}`: image {url} kept as a link to its source: {why}",
            item.title
        ));
    }
    item.body = localized.body;
    (item, localized.downloads, folder.is_none())
}

/// Writes an item's downloaded images into the bundle of `page`.
fn write_images(
    root: &Path,
    page: &str,
    downloads: Vec<images::Download>,
    localizer: &mut Localizer,
    report: &mut SourceReport,
) -> Result<(), String> {
    let Some(folder) = pages::bundle_of(page) else {
        return Ok(());
    };
    for download in downloads {
        let relative = format!("{folder}/{}", download.name);
        let path = root.join(&relative);
        pages::write_atomically(&path, &download.bytes)
            .map_err(|e| format!("cannot write {relative}: {e}"))?;
        localizer.saved(&download.url, path);
        report.images.push(relative);
    }
    Ok(())
}

/// A source given on the command line rather than in `site.yaml`.
pub fn adhoc_source(
    url: String,
    section: String,
    language: String,
    name: Option<String>,
    license: Option<String>,
    publish: bool,
) -> SourceConfig {
    let name = name.unwrap_or_else(|| {
        url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(String::from))
            .unwrap_or_else(|| url.clone())
    });
    SourceConfig {
        name,
        url,
        language,
        section,
        license,
        publish,
        canonical: SourceCanonical::Original,
        terms: Default::default(),
        images: Default::default(),
    }
}

/// Prints the reports; returns whether every source imported.
pub fn print_reports(reports: &[SourceReport], dry_run: bool) -> bool {
    let verb = if dry_run { "would be " } else { "" };
    let mut ok = true;
    for r in reports {
        if let Some(e) = &r.error {
            ok = false;
            eprintln!(
                "error: source `{}`: {e}\n  = note: nothing was written for this source\n  = help: check the source's `url`; the next import tries again",
                r.name
            );
            continue;
        }
        for w in &r.warnings {
            eprintln!("warning: source `{}`: {w}", r.name);
        }
        if r.not_modified {
            eprintln!("{}: not modified since the last import", r.name);
            continue;
        }
        eprintln!(
            "{}: {} new, {} updated, {} unchanged, {} edited since import (kept)",
            r.name,
            r.created.len(),
            r.updated.len(),
            r.unchanged,
            r.kept.len()
        );
        for path in &r.created {
            eprintln!("  {verb}created {path}");
        }
        for path in &r.updated {
            eprintln!("  {verb}updated {path}: the item changed in the feed");
        }
        for path in &r.kept {
            eprintln!("  kept    {path}: edited since its import; the feed's new version was not written");
        }
        for path in &r.images {
            eprintln!("  image   {path}: downloaded");
        }
    }
    ok
}

/// Pages an editor still has to publish, for `vitrine check` and
/// `vitrine i18n status` (which count them even when drafts are not built).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Census {
    /// Pages marked `draft: true`: not built.
    pub drafts: usize,
    /// Pages imported from feeds (`source` in front matter).
    pub imported: usize,
    /// Imported pages that are still drafts: awaiting review.
    pub imported_drafts: usize,
}

/// Drafts and imported pages of the site's content, by language code.
pub fn census(root: &Path) -> std::collections::BTreeMap<String, Census> {
    let mut by_language = std::collections::BTreeMap::new();
    let Ok(config) = Config::load(root) else {
        return by_language;
    };
    let filter = crate::content::Filter {
        drafts: true,
        future: true,
        now: chrono::Utc::now().fixed_offset(),
    };
    let (documents, _) = crate::content::load(&config, &filter);
    for doc in &documents {
        let census: &mut Census = by_language.entry(doc.lang.clone()).or_default();
        let imported = doc.front.rare().source.is_some();
        census.drafts += usize::from(doc.front.draft);
        census.imported += usize::from(imported);
        census.imported_drafts += usize::from(imported && doc.front.draft);
    }
    by_language
}

/// One line for the terminal: `vi 3 draft(s), 2 imported (2 awaiting review); en …`.
pub fn census_line(
    by_language: &std::collections::BTreeMap<String, Census>,
    order: &[String],
) -> Option<String> {
    let parts: Vec<String> = order
        .iter()
        .filter_map(|code| by_language.get(code).map(|c| (code, c)))
        .filter(|(_, c)| c.drafts + c.imported > 0)
        .map(|(code, c)| {
            format!(
                "{code} {} draft(s), {} imported ({} awaiting review)",
                c.drafts, c.imported, c.imported_drafts
            )
        })
        .collect();
    (!parts.is_empty()).then(|| format!("unpublished and imported pages: {}", parts.join("; ")))
}
