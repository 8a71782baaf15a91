//! Page coverage: for every page and section of the site, its state in each
//! language (the source, translated, stale, falling back, missing; machine,
//! draft or reviewed), with counts per language and per section. Computed
//! from the model, so `translation_key` links and fallback chains are the
//! ones the build uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::content::{Document, DocumentKind, TranslationStatus};
use crate::model::Site;
use crate::translation::staleness::{self, ParagraphChange};

/// What a reader of one language gets for one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The page is written in this language.
    Source,
    /// A translation exists.
    Translated,
    /// The language shows another language's text.
    Fallback,
    /// The page is left out of this language.
    Missing,
    /// The page is withheld from this language on purpose (`withheld:`,
    /// language policy): not counted as missing.
    Withheld,
}

/// Why a translation is stale, when it is.
#[derive(Debug, Clone, Serialize)]
pub struct Staleness {
    /// The source version the translation follows.
    pub stamped_hash: String,
    /// When the source file was last modified (RFC 3339), from its mtime.
    pub source_modified: Option<String>,
    /// The paragraphs changed since the stamped version, when its snapshot
    /// was kept by `vitrine i18n stamp`; `None` when it was not.
    pub changes: Option<Vec<ParagraphChange>>,
}

/// One page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub state: State,
    /// The file shown in this language (for a fallback: the fallback's file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// For `fallback`: the language whose text is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_language: Option<String>,
    /// `translation.status` of the translation's front matter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TranslationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// A translation without `source_hash`: its freshness is unknown.
    pub unstamped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<Staleness>,
}

impl Cell {
    fn empty(state: State) -> Cell {
        Cell {
            state,
            file: None,
            fallback_language: None,
            status: None,
            by: None,
            unstamped: false,
            stale: None,
        }
    }

    /// Translated or the source itself: what coverage counts.
    pub fn is_covered(&self) -> bool {
        matches!(self.state, State::Source | State::Translated)
    }
}

/// One page (or section) of the site across languages.
#[derive(Debug, Clone, Serialize)]
pub struct PageRow {
    pub kind: &'static str,
    /// The content path shared by translations: `culture/ao-dai`.
    pub content_path: String,
    /// Its top-level section (`` for the home and pages at the root).
    pub section: String,
    pub source_language: String,
    pub source_file: String,
    pub title: String,
    /// Words of the source text, to weigh coverage by translation work.
    pub words: usize,
    /// The current content hash of the source.
    pub source_hash: String,
    /// By language code.
    pub languages: BTreeMap<String, Cell>,
}

/// Counts for one language (over all pages, or one section's).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pages: usize,
    pub source: usize,
    pub translated: usize,
    pub fallback: usize,
    pub missing: usize,
    /// Pages withheld from the language (not in `pages`).
    pub withheld: usize,
    /// Declared taxonomy terms (counted in `pages` too), those named in
    /// this language (its own file: source or translated), and of them the
    /// landing pages (terms with their own text).
    pub terms: usize,
    pub named_terms: usize,
    pub landing_pages: usize,
    pub covered_landing_pages: usize,
    pub stale: usize,
    pub unstamped: usize,
    pub machine: usize,
    pub draft: usize,
    pub reviewed: usize,
    pub words: usize,
    pub covered_words: usize,
    /// Pages written or translated in this language, in percent.
    pub coverage_pages: f64,
    /// The same, weighted by the words of each page's source.
    pub coverage_words: f64,
}

impl Counts {
    fn add(&mut self, row: &PageRow, cell: &Cell) {
        // Withheld on purpose: outside what the language should cover.
        if cell.state == State::Withheld {
            self.withheld += 1;
            return;
        }
        self.pages += 1;
        self.words += row.words;
        if row.kind == "term" {
            let covered = usize::from(cell.is_covered());
            let landing = usize::from(row.words > 0);
            self.terms += 1;
            self.named_terms += covered;
            self.landing_pages += landing;
            self.covered_landing_pages += landing * covered;
        }
        match cell.state {
            State::Source => self.source += 1,
            State::Translated => self.translated += 1,
            State::Fallback => self.fallback += 1,
            State::Missing => self.missing += 1,
            State::Withheld => {}
        }
        if cell.is_covered() {
            self.covered_words += row.words;
        }
        self.stale += usize::from(cell.stale.is_some());
        self.unstamped += usize::from(cell.unstamped);
        match cell.status {
            Some(TranslationStatus::Machine) => self.machine += 1,
            Some(TranslationStatus::Draft) => self.draft += 1,
            Some(TranslationStatus::Reviewed) => self.reviewed += 1,
            None => {}
        }
    }

    fn finish(&mut self) {
        self.coverage_pages = percent(self.source + self.translated, self.pages);
        self.coverage_words = percent(self.covered_words, self.words);
    }
}

/// One decimal, so reports and thresholds agree on what they print.
fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The site's translation coverage.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub default_language: String,
    /// Language codes in `site.yaml` order.
    pub language_codes: Vec<String>,
    pub rows: Vec<PageRow>,
    /// By language code.
    pub totals: BTreeMap<String, Counts>,
    /// Section → language → counts.
    pub sections: BTreeMap<String, BTreeMap<String, Counts>>,
}

/// Computes coverage from the model; `root` is where source files and
/// stamped snapshots are read from.
pub fn compute(site: &Site, root: &Path) -> Coverage {
    let codes: Vec<String> = site.config.languages.iter().map(|l| l.code.clone()).collect();
    let mut rows = Vec::new();
    for group in &site.groups {
        let Some(source) = source_of(site, group) else {
            continue;
        };
        // Sections the model made up for folders without `_index.md`.
        if !source.file.ends_with(".md") {
            continue;
        }
        rows.push(row(site, root, group, source, &codes));
    }
    rows.extend(site.notices.iter().map(|n| notice_row(site, n, &codes)));
    rows.sort_by(|a, b| {
        (a.section.as_str(), a.kind, &a.content_path).cmp(&(b.section.as_str(), b.kind, &b.content_path))
    });
    let mut totals: BTreeMap<String, Counts> = BTreeMap::new();
    let mut sections: BTreeMap<String, BTreeMap<String, Counts>> = BTreeMap::new();
    for row in &rows {
        for (code, cell) in &row.languages {
            totals.entry(code.clone()).or_default().add(row, cell);
            sections
                .entry(row.section.clone())
                .or_default()
                .entry(code.clone())
                .or_default()
                .add(row, cell);
        }
    }
    totals.values_mut().for_each(Counts::finish);
    sections
        .values_mut()
        .flat_map(|m| m.values_mut())
        .for_each(Counts::finish);
    Coverage {
        default_language: site.config.default_language.clone(),
        language_codes: codes,
        rows,
        totals,
        sections,
    }
}

/// A notice's language files as a row (section `_notices`): translators
/// have them to do like pages.
fn notice_row(site: &Site, notice: &crate::notices::Notice, codes: &[String]) -> PageRow {
    let lead = notice
        .texts
        .get_key_value(&site.config.default_language)
        .or_else(|| notice.texts.iter().next());
    let (source_lang, source) = match lead {
        Some((l, t)) => (l.clone(), Some(t)),
        None => (site.config.default_language.clone(), None),
    };
    let mut languages = BTreeMap::new();
    for code in codes {
        let chain = site
            .config
            .language(code)
            .map(|l| l.chain.as_slice())
            .unwrap_or_default();
        let cell = match notice.texts.get(code) {
            Some(t) if *code == source_lang => Cell {
                file: Some(t.file.clone()),
                ..Cell::empty(State::Source)
            },
            Some(t) => Cell {
                file: Some(t.file.clone()),
                ..Cell::empty(State::Translated)
            },
            None => match chain.iter().find_map(|l| notice.texts.get_key_value(l)) {
                Some((l, t)) => Cell {
                    file: Some(t.file.clone()),
                    fallback_language: Some(l.clone()),
                    ..Cell::empty(State::Fallback)
                },
                None => Cell::empty(State::Missing),
            },
        };
        languages.insert(code.clone(), cell);
    }
    PageRow {
        kind: "notice",
        section: crate::content::NOTICES_DIR.to_string(),
        content_path: format!("{}/{}", crate::content::NOTICES_DIR, notice.name),
        source_language: source_lang,
        source_file: source.map(|t| t.file.clone()).unwrap_or_default(),
        title: source
            .and_then(|t| t.title.clone())
            .unwrap_or_else(|| notice.name.clone()),
        words: source.map_or(0, |t| count_words(&t.body)),
        source_hash: String::new(),
        languages,
    }
}

/// The document a page's translations follow: the one in the language its
/// files name as `source_language`, else the default language's, else for
/// a page written only in other languages the first of them in `site.yaml`
/// order.
pub fn source_of<'a>(site: &'a Site, group: &crate::model::Group) -> Option<&'a Document> {
    let own: BTreeMap<&str, &Document> = group
        .entries
        .values()
        .map(|&e| &site.entries[e])
        .filter(|e| !e.is_fallback)
        .map(|e| (e.lang.as_str(), site.doc(e)))
        .collect();
    let declared = own.values().find_map(|d| d.front.rare().source_language.as_ref());
    declared
        .into_iter()
        .chain(std::iter::once(&site.config.default_language))
        .chain(site.config.languages.iter().map(|l| &l.code))
        .find_map(|c| own.get(c.as_str()).copied())
}

fn row(
    site: &Site,
    root: &Path,
    group: &crate::model::Group,
    source: &Document,
    codes: &[String],
) -> PageRow {
    let paragraphs = staleness::paragraphs(source);
    let current_hash = staleness::hash(&paragraphs);
    let mut languages = BTreeMap::new();
    for code in codes {
        let entry = group.entries.get(code).map(|&e| &site.entries[e]);
        let cell = match entry {
            None if group.withheld.contains(code) => Cell::empty(State::Withheld),
            None => Cell::empty(State::Missing),
            Some(e) if e.is_fallback => {
                let doc = site.doc(e);
                Cell {
                    file: Some(doc.file.clone()),
                    fallback_language: Some(doc.lang.clone()),
                    ..Cell::empty(State::Fallback)
                }
            }
            Some(e) if e.lang == source.lang => Cell {
                file: Some(source.file.clone()),
                ..Cell::empty(State::Source)
            },
            Some(e) => translated_cell(root, site.doc(e), source, &paragraphs, &current_hash),
        };
        languages.insert(code.clone(), cell);
    }
    PageRow {
        kind: match source.kind {
            DocumentKind::Page => "page",
            DocumentKind::Section => "section",
            DocumentKind::Term => "term",
        },
        section: source
            .content_path
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        content_path: source.content_path.clone(),
        source_language: source.lang.clone(),
        source_file: source.file.clone(),
        title: source.front.title.clone(),
        words: count_words(&source.body),
        source_hash: current_hash,
        languages,
    }
}

fn translated_cell(
    root: &Path,
    doc: &Document,
    source: &Document,
    current: &[String],
    current_hash: &str,
) -> Cell {
    let stamped = doc.front.rare().source_hash.as_deref();
    let stale = stamped.filter(|h| *h != current_hash).map(|h| Staleness {
        stamped_hash: h.to_string(),
        source_modified: modified(&root.join(&source.file)),
        changes: staleness::load_snapshot(root, h).map(|old| staleness::diff(&old, current)),
    });
    Cell {
        file: Some(doc.file.clone()),
        status: doc.front.rare().translation.as_ref().map(|t| t.status),
        by: doc.front.rare().translation.as_ref().and_then(|t| t.by.clone()),
        unstamped: stamped.is_none(),
        stale,
        ..Cell::empty(State::Translated)
    }
}

fn modified(path: &Path) -> Option<String> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    let time: chrono::DateTime<chrono::Utc> = time.into();
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Words as a translator counts them: whitespace-separated runs, and each
/// CJK character on its own (those scripts do not separate words).
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    for token in text.split_whitespace() {
        let cjk = token.chars().filter(|c| is_cjk(*c)).count();
        let rest = token.chars().any(|c| !is_cjk(c) && c.is_alphanumeric());
        words += cjk + usize::from(rest);
    }
    words
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}
