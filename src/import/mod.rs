//! `vitrine import`: news from the feeds of ministries, provinces and press
//! agencies (Atom, RSS, JSON Feed) as draft pages in the site's sections,
//! each crediting its source. Sources are fetched and parsed in parallel
//! ([`fetch`], [`parse`], [`clean`]), then their pages are written one
//! source at a time ([`pages`]). A source that fails is reported by name
//! and writes nothing; the others still import. Building the pages, and
//! showing the credit, are the build's and the theme's jobs.

pub mod clean;
pub mod fetch;
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
use pages::Action;

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
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
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
                match write_source(
                    &options.root,
                    source,
                    feed,
                    existing,
                    &now,
                    options.dry_run,
                    &mut report,
                ) {
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

/// Decides every item's page first, then writes: a source whose pages
/// cannot all be decided writes none of them.
fn write_source(
    root: &Path,
    source: &SourceConfig,
    feed: ParsedFeed,
    mut existing: pages::Existing,
    now: &str,
    dry_run: bool,
    report: &mut SourceReport,
) -> Result<(), String> {
    report.warnings.extend(feed.warnings);
    let mut writes = Vec::new();
    let feed_is_web = crate::safe_url::is_web_url(&source.url);
    for item in &feed.items {
        if item.link.is_none() && !feed_is_web {
            report.warnings.push(format!(
                "item `{}` links to no original article: skipped (a page must credit its source)",
                item.title
            ));
            continue;
        }
        let action = pages::decide(item, source, &source.url, &mut existing, now);
        if pages::has_no_date(item) && matches!(action, Action::Create { .. }) {
            report.warnings.push(format!(
                "item `{}` has no date: dated {now}, when it was fetched",
                item.title
            ));
        }
        match action {
            Action::Create { path, text } => {
                report.created.push(path.clone());
                writes.push((path, text));
            }
            Action::Update { path, text } => {
                report.updated.push(path.clone());
                writes.push((path, text));
            }
            Action::Unchanged { .. } => report.unchanged += 1,
            Action::Kept { path } => report.kept.push(path),
        }
    }
    if dry_run {
        return Ok(());
    }
    for (path, text) in writes {
        pages::write_atomically(&root.join(&path), text.as_bytes())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
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
        let imported = doc.front.source.is_some();
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
