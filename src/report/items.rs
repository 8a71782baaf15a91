//! The report's unit: one page in one language (an [`Item`]), with the
//! facts of the documents it shows ([`DocFacts`]: dates, first-screen
//! weight, external links) measured once per document. Coverage states come
//! from `translation::coverage`, so the report and `i18n status` agree.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use crate::content::{Document, TranslationStatus, dates::parse_date};
use crate::model::Site;
use crate::translation::coverage::{Cell, Coverage, PageRow, State};

/// What the report needs to know about one document.
pub struct DocFacts<'a> {
    pub doc: &'a Document,
    /// Estimated bytes of its first screen: the Markdown body (about the
    /// size of its HTML), the theme's and site's stylesheets, the cover.
    pub weight: u64,
    /// Links to other sites in its body.
    pub external_links: usize,
}

impl DocFacts<'_> {
    /// The day of `date`.
    pub fn date(&self) -> Option<NaiveDate> {
        self.doc.front.date.map(|d| d.date_naive())
    }

    /// When the text last changed: `updated`, else `date`.
    pub fn changed(&self) -> Option<NaiveDate> {
        self.doc
            .front
            .updated
            .or(self.doc.front.date)
            .map(|d| d.date_naive())
    }

    /// `updated`, when it is later than `date` (a real update, not a copy).
    pub fn update_date(&self) -> Option<NaiveDate> {
        let updated = self.doc.front.updated?.date_naive();
        match self.date() {
            Some(date) if date >= updated => None,
            _ => Some(updated),
        }
    }

    pub fn correction_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.doc
            .front
            .rare()
            .corrections
            .iter()
            .filter_map(|c| parse_date(&c.date).map(|d| d.date_naive()))
    }

    pub fn cover_without_alt(&self) -> bool {
        let front = &self.doc.front;
        front.image.is_some() && front.image_alt.as_deref().is_none_or(|a| a.trim().is_empty())
    }
}

/// One page in one language.
pub struct Item<'a> {
    pub row: &'a PageRow,
    pub lang: &'a str,
    pub cell: &'a Cell,
    /// The page's own text in this language (source or translation).
    own: Option<&'a DocFacts<'a>>,
    pub source: &'a DocFacts<'a>,
}

impl<'a> Item<'a> {
    pub fn own(&self) -> Option<&'a DocFacts<'a>> {
        self.own
    }

    /// The day the page was published in this language.
    pub fn own_date(&self) -> Option<NaiveDate> {
        self.own.and_then(DocFacts::date)
    }

    pub fn is_machine(&self) -> bool {
        self.cell.state == State::Translated && self.cell.status == Some(TranslationStatus::Machine)
    }

    /// Days from the source's last change to the translation's date (negative:
    /// the source changed after it); `None` for the source itself or undated.
    pub fn lag_days(&self) -> Option<i64> {
        if self.cell.state != State::Translated {
            return None;
        }
        let translated = self.own?.changed()?;
        Some((translated - self.source.changed()?).num_days())
    }
}

/// Facts of every document, in `site.documents` order.
pub fn doc_facts<'a>(site: &'a Site, root: &Path) -> Vec<DocFacts<'a>> {
    let css = stylesheet_bytes(root, &site.config.theme_dir());
    let base_url = site.config.base_url.as_str();
    site.documents
        .par_iter()
        .map(|doc| DocFacts {
            doc,
            weight: doc.body.len() as u64 + css + cover_bytes(root, doc),
            external_links: external_links(&doc.body, base_url),
        })
        .collect()
}

/// Every page × language of the coverage rows, with its documents' facts.
pub fn items<'a>(coverage: &'a Coverage, facts: &'a [DocFacts<'a>]) -> Vec<Item<'a>> {
    let by_file: HashMap<&str, &DocFacts<'a>> = facts.iter().map(|f| (f.doc.file.as_str(), f)).collect();
    let mut out = Vec::new();
    for row in coverage.rows.iter().filter(|r| r.kind == "page") {
        let Some(&source) = by_file.get(row.source_file.as_str()) else {
            continue;
        };
        for (lang, cell) in &row.languages {
            let own = match cell.state {
                State::Source | State::Translated => {
                    cell.file.as_deref().and_then(|f| by_file.get(f).copied())
                }
                State::Fallback | State::Missing | State::Withheld => None,
            };
            out.push(Item {
                row,
                lang,
                cell,
                own,
                source,
            });
        }
    }
    out
}

fn external_links(body: &str, base_url: &str) -> usize {
    Parser::new(body)
        .filter(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.as_ref();
                (url.starts_with("https://") || url.starts_with("http://"))
                    && (base_url.is_empty() || !url.starts_with(base_url))
            }
            _ => false,
        })
        .count()
}

/// Bytes of the stylesheets every page loads: the theme's and the site's
/// top-level `.css` files (print and search styles are not on the first screen).
fn stylesheet_bytes(root: &Path, theme: &Path) -> u64 {
    [theme.join("static"), root.join("static")]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.ends_with(".css") && name != "print.css" && name != "search.css"
        })
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// The size of a page's cover picture when it is a file of the site.
fn cover_bytes(root: &Path, doc: &Document) -> u64 {
    let Some(image) = doc.front.image.as_deref() else {
        return 0;
    };
    // Front matter is user text: it must not name a file outside the site.
    if image.contains("..") || image.contains("://") {
        return 0;
    }
    let file = match (image.strip_prefix('/'), &doc.bundle) {
        (Some(rooted), _) => root.join("static").join(rooted),
        (None, Some(bundle)) => root.join(bundle).join(image),
        (None, None) => root.join("static").join(image),
    };
    std::fs::metadata(file).map_or(0, |m| m.len())
}
