//! The site model: documents linked into translations, placed in every
//! language (as themselves or as fallback text), with URLs, section trees,
//! ordered lists and taxonomies. Built once from loaded content, then only
//! read: rendering never changes it, so it can render on all cores.

mod build;
pub mod hreflang;
mod pagination;
mod taxonomy;
pub mod terms;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use build::{build, translation_key};
pub use pagination::Pagination;
pub use taxonomy::{Taxonomy, Term};
use vitrine_load::config::Config;
use vitrine_load::content::{Document, DocumentKind};

/// Index of a document in [`Site::documents`].
pub type DocId = usize;
/// Index of an entry in [`Site::entries`].
pub type EntryId = usize;

/// Orders two strings by the collation of a language: `(lang, a, b)`.
/// The model is built with it (sections' and terms' order); the CLDR data
/// behind it is loaded beside the content.
pub type Collate<'a> = &'a (dyn Fn(&str, &str, &str) -> std::cmp::Ordering + Sync);

/// A document as shown in one language: its own text, or the text of a
/// language further down the fallback chain.
#[derive(Debug, Clone)]
pub struct Entry {
    pub doc: DocId,
    pub kind: DocumentKind,
    /// The language this entry is shown in (its URL's language).
    pub lang: String,
    /// True when the text comes from another language (`Site::doc(e).lang`).
    pub is_fallback: bool,
    /// The translation group: all entries of one page across languages.
    pub group: usize,
    /// Site path, unencoded, with leading and trailing `/`: `/en/culture/ao-dai/`.
    pub path: String,
    /// The section entry listing this one, in the same language.
    pub parent: Option<EntryId>,
    /// For sections: their pages (sorted as the section says) and subsections.
    pub pages: Vec<EntryId>,
    pub subsections: Vec<EntryId>,
    /// Neighbours in the parent section's order.
    pub previous: Option<EntryId>,
    pub next: Option<EntryId>,
}

impl Entry {
    pub fn is_section(&self) -> bool {
        self.kind == DocumentKind::Section
    }
}

/// All entries of one page (or section) across languages.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Entry per language, fallbacks included.
    pub entries: BTreeMap<String, EntryId>,
    /// Languages it is withheld from (`withheld:`, language policy): it
    /// has no entry there, by decision rather than for want of a translation.
    pub withheld: Vec<String>,
}

/// What one language of the site holds.
#[derive(Debug, Clone)]
pub struct LanguageIndex {
    pub code: String,
    pub home: EntryId,
    /// Pages shown in this language, newest first (undated last).
    pub latest: Vec<EntryId>,
    /// Top-level sections in navigation order.
    pub sections: Vec<EntryId>,
    pub taxonomies: Vec<Taxonomy>,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// Shared, not owned: `serve`'s next model after an edit takes the
    /// documents it did not re-read from the current one without copying
    /// them (copies were most of a structural edit's follow-up).
    pub documents: Vec<Arc<Document>>,
    pub entries: Vec<Entry>,
    pub groups: Vec<Group>,
    /// In the order of `site.yaml`.
    pub languages: Vec<LanguageIndex>,
    /// `(kind, content path)` → group, for `@/` links and `url_for`.
    pub by_content_path: HashMap<(DocumentKind, String), usize>,
    /// The term keys each page names, by document (`terms::resolve`).
    pub page_terms: Vec<terms::PageTerms>,
    /// `data/*.yaml` by file stem.
    pub data: serde_json::Value,
    /// The urgent notices in force at build time.
    pub notices: Vec<vitrine_load::notices::Notice>,
    /// The next time the built site will differ by itself: a scheduled
    /// page going live, a page expiring, a notice starting or ending.
    pub next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Site {
    pub fn doc(&self, entry: &Entry) -> &Document {
        &self.documents[entry.doc]
    }

    pub fn language(&self, code: &str) -> Option<&LanguageIndex> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The absolute URL of a site path, non-ASCII percent-encoded.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, encode_path(path))
    }

    /// The entry of the page or section at `content_path` shown in `lang`.
    pub fn find(&self, kind: DocumentKind, content_path: &str, lang: &str) -> Option<EntryId> {
        let group = self.by_content_path.get(&(kind, content_path.to_string()))?;
        self.groups[*group].entries.get(lang).copied()
    }

    /// Whether the page or section at `content_path` is withheld from `lang`.
    pub fn is_withheld(&self, kind: DocumentKind, content_path: &str, lang: &str) -> bool {
        self.by_content_path
            .get(&(kind, content_path.to_string()))
            .is_some_and(|g| self.groups[*g].withheld.iter().any(|l| l == lang))
    }

    /// Resolves an internal link target such as `culture/ao-dai.md`,
    /// `culture/ao-dai.en.md`, `culture/_index.md` or `_index.md` to the
    /// entry shown in `lang` (or in the language the target names).
    pub fn resolve_content_link(&self, target: &str, lang: &str) -> Option<EntryId> {
        let target = target.trim_start_matches('/');
        let placement = vitrine_load::content::place(target);
        let lang = match &placement.lang {
            Some(l) if self.config.is_language(l) => l.as_str(),
            Some(_) => return None,
            None => lang,
        };
        self.find(placement.kind, &placement.content_path, lang)
    }

    /// Pages of one language, own text only (feeds, sitemap, taxonomies).
    pub fn own_pages<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = EntryId> + 'a {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.lang == lang && !e.is_fallback && e.kind == DocumentKind::Page)
            .map(|(i, _)| i)
    }
}

/// A site-rooted path under the base path of `base_url`, without the
/// host: `style.css` → `/portal/style.css`. The theme's files use it, so
/// they load from whatever host serves the output at that path.
pub fn rooted_path(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_path(base_url),
        encode_path(path.trim_start_matches('/'))
    )
}

/// The path part of `base_url`, without a trailing `/`: `""` or `/portal`.
pub fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |i| after_scheme[i..].trim_end_matches('/'))
}

/// Percent-encodes a site path for URLs, keeping `/`.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(vitrine_core::slug::encode_path_segment)
        .collect::<Vec<_>>()
        .join("/")
}
