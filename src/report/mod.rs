//! `vitrine report`: the portal's own dashboard for the people who steer it.
//! The site is loaded as `check` loads it (nothing is built or written into
//! the site), [`figures`] computes the numbers from the model, [`history`]
//! walks the site's git history for coverage and lag over time, and the
//! result is written as JSON ([`Report`] serialised) or as one self-contained
//! HTML page ([`html`], charts from [`svg`]). Coverage states come from
//! `translation::coverage`; this module adds no rule of its own about what a
//! translation is.

pub mod figures;
mod git;
pub mod history;
pub mod html;
mod items;
pub mod labels;
mod measure;
mod reach;
pub mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use figures::{Figures, Period};
use items::Item;
pub use reach::Reach;

/// How `vitrine report` writes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Json,
}

/// What `vitrine report` was asked for.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub root: PathBuf,
    /// The folder to write `index.html` or `report.json` into (relative to
    /// `root`); `None`: HTML into `report/`, JSON to standard output.
    pub output: Option<PathBuf>,
    pub format: ReportFormat,
    /// Start of the windows and of the history; default: a year before `as_of`.
    pub since: Option<NaiveDate>,
    /// "Today"; default: the current day (UTC).
    pub as_of: Option<NaiveDate>,
    pub current_sections: Vec<String>,
    pub budget_kb: u64,
    /// Walk the git history (when the site is in a repository).
    pub history: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            root: PathBuf::from("."),
            output: None,
            format: ReportFormat::Html,
            since: None,
            as_of: None,
            current_sections: vec!["news".to_string(), "policy".to_string()],
            budget_kb: 500,
            history: true,
        }
    }
}

/// Everything the dashboard shows; serialised as is for `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub site: SiteInfo,
    pub as_of: String,
    pub since: String,
    pub current_sections: Vec<String>,
    pub total: Figures,
    /// By language code (site order in `site.languages`).
    pub languages: BTreeMap<String, LanguageFigures>,
    /// By top-level section (`` for pages at the root).
    pub sections: BTreeMap<String, SectionFigures>,
    pub history: history::History,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub base_url: String,
    pub default_language: String,
    /// In `site.yaml` order.
    pub languages: Vec<LanguageName>,
    /// Sections in navigation order, then the others by name.
    pub sections: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageName {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageFigures {
    #[serde(flatten)]
    pub figures: Figures,
    pub reach: Reach,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionFigures {
    #[serde(flatten)]
    pub figures: Figures,
    pub languages: BTreeMap<String, Figures>,
}

/// Loads the site and computes its report (history included when asked).
pub fn compute(options: &ReportOptions) -> Result<Report, Diagnostics> {
    let build = BuildOptions {
        root: options.root.clone(),
        ..BuildOptions::default()
    };
    let site = crate::build::load_model(&build)?;
    let coverage = crate::translation::coverage::compute(&site, &options.root);
    let as_of = options.as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let period = Period {
        as_of,
        since: options
            .since
            .unwrap_or_else(|| as_of - chrono::Duration::days(365)),
        current_sections: options.current_sections.clone(),
        budget_bytes: options.budget_kb * 1024,
    };
    let facts = items::doc_facts(&site, &options.root);
    let all = items::items(&coverage, &facts);
    let history = if options.history {
        history::walk(&options.root, &site.config, period.since, as_of)
    } else {
        history::History::skipped("the history was not asked for (--no-history)")
    };
    Ok(assemble(&site, &all, &period, history))
}

fn assemble(
    site: &crate::model::Site,
    all: &[Item<'_>],
    period: &Period,
    history: history::History,
) -> Report {
    let config = &site.config;
    let refs: Vec<&Item<'_>> = all.iter().collect();
    let slice =
        |keep: &dyn Fn(&Item<'_>) -> bool| -> Vec<&Item<'_>> { all.iter().filter(|i| keep(i)).collect() };
    let languages = config
        .languages
        .iter()
        .map(|l| {
            let figures = figures::compute(&slice(&|i| i.lang == l.code), period);
            let reach = reach::of_language(site, &l.code);
            (l.code.clone(), LanguageFigures { figures, reach })
        })
        .collect();
    let mut section_names: Vec<String> = config.sections.clone();
    let mut others: Vec<String> = all.iter().map(|i| i.row.section.clone()).collect();
    others.sort();
    others.dedup();
    section_names.retain(|s| others.contains(s));
    others.retain(|s| !section_names.contains(s));
    section_names.extend(others);
    let sections = section_names
        .iter()
        .map(|s| {
            let by_lang = config
                .languages
                .iter()
                .map(|l| {
                    let items = slice(&|i| &i.row.section == s && i.lang == l.code);
                    (l.code.clone(), figures::compute(&items, period))
                })
                .collect();
            let figures = figures::compute(&slice(&|i| &i.row.section == s), period);
            (
                s.clone(),
                SectionFigures {
                    figures,
                    languages: by_lang,
                },
            )
        })
        .collect();
    Report {
        site: SiteInfo {
            title: config.title.clone(),
            base_url: config.base_url.clone(),
            default_language: config.default_language.clone(),
            languages: config
                .languages
                .iter()
                .map(|l| LanguageName {
                    code: l.code.clone(),
                    name: l.name.clone(),
                })
                .collect(),
            sections: section_names,
        },
        as_of: period.as_of.to_string(),
        since: period.since.to_string(),
        current_sections: period.current_sections.clone(),
        total: figures::compute(&refs, period),
        languages,
        sections,
        history,
    }
}

/// Runs `vitrine report`: computes, then writes the HTML page or the JSON.
/// Returns where it wrote, or `None` for JSON on standard output.
pub fn run(options: &ReportOptions) -> Result<Option<PathBuf>, Diagnostics> {
    let report = compute(options)?;
    let (text, name) = match options.format {
        ReportFormat::Json => (
            serde_json::to_string_pretty(&report).map_err(|e| io_error(&e.to_string()))? + "\n",
            "report.json",
        ),
        ReportFormat::Html => (html::render(&report), "index.html"),
    };
    let dir = match (&options.output, options.format) {
        (Some(dir), _) => options.root.join(dir),
        (None, ReportFormat::Html) => options.root.join("report"),
        (None, ReportFormat::Json) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| io_error(&e.to_string()))?;
            return Ok(None);
        }
    };
    let file = dir.join(name);
    write_whole(&file, &text).map_err(|e| io_error(&format!("cannot write {}: {e}", file.display())))?;
    Ok(Some(file))
}

/// Writes a file whole or not at all: a temporary file beside it, renamed
/// over it (a reader never sees half a report).
fn write_whole(file: &Path, text: &str) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn io_error(message: &str) -> Diagnostics {
    Diagnostics::from(vec![
        Diagnostic::error(message.to_string()).with_hint("check that the output folder can be written"),
    ])
}
