//! Content loading: walks `content/`, tells sections from pages and page
//! bundles, reads each file's language from its suffix and parses its front
//! matter. Files are parsed in parallel; the result is a flat, sorted list of
//! [`Document`]s. Linking documents into a site is the model's job.
//!
//! A folder named after a taxonomy holds that taxonomy's declared terms,
//! one folder per term key: `content/audiences/investors/_index.en.md` is
//! the English name (and landing page) of the term `investors`.

pub mod data;
pub mod dates;
pub mod front_matter;
pub mod types;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::config::Config;
pub use front_matter::{
    Change, Correction, FrontMatter, RareFields, SortBy, SourceRecord, TermList, TranslationInfo,
    TranslationStatus, WrittenTerms,
};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};

/// The folder holding the site's Markdown.
pub const CONTENT_DIR: &str = "content";

/// The folder of `content/` holding urgent notices: the walk leaves them
/// to [`crate::notices`], which reads them as notices, not pages.
pub const NOTICES_DIR: &str = "_notices";

/// Pages and sections are one document type with a kind, not twin code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// A folder's `_index.md`: a list of the pages below it.
    Section,
    Page,
    /// A declared taxonomy term (`content/<taxonomy>/<key>/_index.md`):
    /// its name, slug and landing page in one language.
    Term,
}

/// One content file in one language. Serde reads and writes it as the
/// build cache keeps it ([`load_as_before`] takes the kept ones).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    /// Relative to the site root, with `/` separators: `content/culture/ao-dai.en.md`.
    pub file: String,
    pub lang: String,
    /// The content path without the language: `culture/ao-dai`, `culture`
    /// for `culture/_index.en.md`, `` for the home, `culture/hue-citadel`
    /// for a bundle. Translations of one page share it.
    pub content_path: String,
    /// The section this document belongs to (`` for the root). For a section,
    /// its parent section.
    pub parent: Option<String>,
    /// The file name or folder name the default slug comes from.
    pub stem: String,
    pub front: FrontMatter,
    /// The Markdown after the front matter; empty for a page whose text
    /// was left in its file (`in_file`).
    pub body: String,
    /// Set when the body was left in the file ([`PageText::InFiles`]):
    /// read it with [`Document::read_body`].
    pub in_file: Option<InFile>,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// For page bundles: the bundle folder (relative to the site root) whose
    /// other files are copied beside the page.
    pub bundle: Option<PathBuf>,
    /// Made by the model for a folder with pages and no `_index` file:
    /// `file` is then the folder. Not read from a file, so a rebuild that
    /// reads files again leaves it to the model to make again.
    pub synthesized: bool,
}

impl Document {
    /// The name the build cache keeps this document under for
    /// [`load_as_before`] (its path under `content/`), when it keeps it:
    /// a document read from a file, whose page Markdown was left there
    /// (a page holding its text is one `serve` read or an editor changed,
    /// and keeping every page's text would keep the site's Markdown).
    pub fn kept_as(&self) -> Option<&str> {
        let whole = self.kind != DocumentKind::Page || self.in_file.is_some();
        let relative = self.file.strip_prefix(CONTENT_DIR)?.strip_prefix('/')?;
        (whole && !self.synthesized).then_some(relative)
    }

    pub fn is_section(&self) -> bool {
        self.kind == DocumentKind::Section
    }

    /// Whether this is a language's home: the section at the content root.
    pub fn is_home(&self) -> bool {
        self.is_section() && self.content_path.is_empty()
    }

    /// The body's Markdown: `body`, or read again from the file when it
    /// was left there. A file that changed since it was loaded is an error
    /// rather than a page whose front matter and body come from two
    /// different saves.
    pub fn read_body(&self, root: &Path) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        let Some(stamp) = &self.in_file else {
            return Ok(std::borrow::Cow::Borrowed(&self.body));
        };
        let mut text = std::fs::read_to_string(root.join(&self.file)).map_err(|e| {
            Diagnostic::error(format!("cannot read the file again: {e}"))
                .in_file(&self.file)
                .with_hint("check that the file is still there and readable, then build again")
        })?;
        if InFile::of(&text, stamp.body_at) != *stamp {
            return Err(
                Diagnostic::error("the file changed while the site was being built")
                    .in_file(&self.file)
                    .with_hint("build again once the file is saved"),
            );
        }
        text.drain(..stamp.body_at);
        Ok(std::borrow::Cow::Owned(text))
    }
}

/// How a load keeps pages' Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageText {
    /// In each document (`serve` renders bodies again after an edit; the
    /// reports read them).
    Kept,
    /// Left in the files: a build reads a page's body once, in the
    /// Markdown pass, so the site's Markdown (150 MB on 10,000 articles in
    /// five languages) is never held whole.
    InFiles,
}

/// Where a page's body starts in its file, and the file as loaded (length
/// and hash), to tell that it is unchanged when the body is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFile {
    body_at: usize,
    len: usize,
    hash: u64,
}

impl InFile {
    fn of(text: &str, body_at: usize) -> InFile {
        InFile {
            body_at,
            len: text.len(),
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        }
    }
}

/// Which documents a build includes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub drafts: bool,
    pub future: bool,
    /// "Now", to decide what is scheduled or expired.
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

impl Filter {
    /// When a page this filter sees will come or go by itself: the date of
    /// a scheduled page it leaves out, the expiry of a page it keeps.
    pub fn next_change(&self, front: &FrontMatter) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        if front.draft && !self.drafts {
            return None;
        }
        let live = front.date.filter(|d| *d > self.now && !self.future);
        let expires = front.expiry_date.filter(|d| *d > self.now);
        live.or(expires)
    }

    fn keeps(&self, front: &FrontMatter) -> bool {
        if front.draft && !self.drafts {
            return false;
        }
        if !self.future && front.date.is_some_and(|d| d > self.now) {
            return false;
        }
        front.expiry_date.is_none_or(|d| d > self.now)
    }
}

/// A content file found by the walk, before it is read.
#[derive(Clone)]
struct Found {
    path: PathBuf,
    relative: String,
}

/// Loads every content document the filter keeps, sorted by file.
pub fn load(config: &Config, filter: &Filter) -> (Vec<Document>, Diagnostics) {
    let (documents, _, diagnostics) = load_scheduled(config, filter, PageText::Kept);
    (documents, diagnostics)
}

/// [`load`], and the next time a page goes live or expires by itself
/// ([`Filter::next_change`]; a left-out page is seen only here); pages'
/// Markdown kept or left in the files as `text` says.
pub fn load_scheduled(
    config: &Config,
    filter: &Filter,
    text: PageText,
) -> (
    Vec<Document>,
    Option<chrono::DateTime<chrono::FixedOffset>>,
    Diagnostics,
) {
    load_seen(config, filter, text, &|_, _| {})
}

/// Called with each content file's path under `content/` and its whole
/// text as [`load_seen`] reads it.
pub type Seen<'a> = &'a (dyn Fn(&str, &str) + Sync);

/// [`load_scheduled`], handing each file's text to `seen` as it is read
/// (the build cache keeps them for the next build, which then need not
/// read the folder again).
pub fn load_seen(
    config: &Config,
    filter: &Filter,
    text: PageText,
    seen: Seen<'_>,
) -> (
    Vec<Document>,
    Option<chrono::DateTime<chrono::FixedOffset>>,
    Diagnostics,
) {
    let (found, diagnostics) = walk(config);
    let results: Vec<Result<Read, Vec<Diagnostic>>> = found
        .par_iter()
        .map(|f| read_any(config, filter, f, text, seen))
        .collect();
    gather(results, diagnostics)
}

/// The documents read, the next scheduled change among them, and the
/// problems, after `diagnostics`.
fn gather(
    results: Vec<Result<Read, Vec<Diagnostic>>>,
    mut diagnostics: Diagnostics,
) -> (
    Vec<Document>,
    Option<chrono::DateTime<chrono::FixedOffset>>,
    Diagnostics,
) {
    let mut documents = Vec::new();
    let mut next = None;
    for result in results {
        match result {
            Ok(read) => {
                next = next.into_iter().chain(read.next_change).min();
                documents.extend(read.document);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    share_term_names(&mut documents);
    (documents, next, diagnostics)
}

/// Documents whose term names are shared by runs of this many: enough for
/// a few hundred names to be held rarely, few enough to spread over the
/// cores.
const DOCUMENTS_PER_RUN: usize = 4096;

/// Gives the documents of each run one string for each taxonomy term name
/// they write ([`WrittenTerms::share`]): pages name the same few hundred
/// terms over and over.
fn share_term_names(documents: &mut [Document]) {
    documents.par_chunks_mut(DOCUMENTS_PER_RUN).for_each(|run| {
        let mut shared = vitrine_core::shared::Shared::default();
        for document in run {
            document.front.taxonomies.share(&mut shared);
        }
    });
}

/// [`load_scheduled`] as an earlier build saw the folder ([`AsBefore`]):
/// `before` gives, by path under `content/`, the earlier text of each file
/// changed or removed since, and `None` for each file that did not exist
/// then. The other files are taken from `kept`, the documents that build
/// loaded (by path under `content/`, as [`Document::kept_as`] names them), or
/// read as they are, their Markdown left in them ([`PageText::InFiles`]);
/// earlier texts are kept in their documents. An incremental build
/// models the site the last build saw this way.
pub fn load_as_before(
    config: &Config,
    filter: &Filter,
    as_before: AsBefore<'_>,
) -> (
    Vec<Document>,
    Option<chrono::DateTime<chrono::FixedOffset>>,
    Diagnostics,
) {
    let AsBefore {
        files,
        before,
        mut kept,
    } = as_before;
    let (found, diagnostics) = match files {
        Some(files) => listed(config, files),
        None => walk(config),
    };
    let on_disk: std::collections::BTreeSet<&str> = found.iter().map(|f| f.relative.as_str()).collect();
    let gone = before
        .iter()
        .filter(|(rel, text)| text.is_some() && !on_disk.contains(rel.as_str()) && is_content_page(rel))
        .map(|(rel, _)| Found {
            path: config.root.join(CONTENT_DIR).join(rel),
            relative: rel.clone(),
        });
    let mut files: Vec<Found> = found.iter().cloned().chain(gone).collect();
    files.sort_by(|a, b| file_order(&a.relative, &b.relative));
    // Decided in file order, then read in parallel.
    let sources: Vec<(Found, Source)> = files
        .into_iter()
        .filter_map(|f| {
            let source = match before.get(&f.relative) {
                Some(None) => return None,
                Some(Some(text)) => Source::Earlier(text),
                None => kept.remove(&f.relative).map_or(Source::Folder, Source::Kept),
            };
            Some((f, source))
        })
        .collect();
    let results: Vec<Result<Read, Vec<Diagnostic>>> = sources
        .into_par_iter()
        .map(|(f, source)| match source {
            Source::Kept(document) => Ok(Read::of(filter, *document)),
            Source::Earlier(text) => placed(config, &f.relative)
                .and_then(|placed| read_text(config, filter, placed, text, PageText::Kept)),
            Source::Folder => read_any(config, filter, &f, PageText::InFiles, &|_, _| {}),
        })
        .collect();
    gather(results, diagnostics)
}

/// The content folder as an earlier build saw it, for [`load_as_before`].
pub struct AsBefore<'a> {
    /// The files of `content/` now, by path under it, as the caller found
    /// them (the build cache walks every input file: walking `content/`
    /// again took 0.1 s of a 1.5 s rebuild at 10,000 articles × 5); `None`
    /// walks the folder. A name that is not UTF-8 cannot be listed: the
    /// folder is walked then.
    pub files: Option<Vec<String>>,
    /// The earlier text of each file changed or removed since, `None` for
    /// each file that did not exist then.
    pub before: &'a std::collections::BTreeMap<String, Option<String>>,
    /// The documents that build loaded, by path under `content/`.
    pub kept: std::collections::HashMap<String, Box<Document>>,
}

/// The content pages among `files` (paths under `content/`), as [`walk`]
/// finds them; a name made lossy by a failed UTF-8 reading is not
/// trusted, and the folder is walked instead.
fn listed(config: &Config, files: Vec<String>) -> (Vec<Found>, Diagnostics) {
    if files.iter().any(|rel| rel.contains(char::REPLACEMENT_CHARACTER)) {
        return walk(config);
    }
    let content = config.root.join(CONTENT_DIR);
    let found = files
        .into_iter()
        .filter(|rel| is_content_page(rel))
        .map(|relative| Found {
            path: content.join(&relative),
            relative,
        })
        .collect();
    (found, Diagnostics::new())
}

/// Where [`load_as_before`] takes a file's document from.
enum Source<'a> {
    /// The document the earlier build loaded from it, unchanged since.
    Kept(Box<Document>),
    /// Its earlier text.
    Earlier(&'a str),
    /// The file as it is.
    Folder,
}

/// Whether a file of `content/` (relative to it) is one [`load`] reads: a
/// Markdown file, not hidden, not an urgent notice.
pub fn is_content_page(relative: &str) -> bool {
    relative.ends_with(".md") && !is_hidden(relative) && !relative.starts_with(&format!("{}/", NOTICES_DIR))
}

/// The Markdown files of `content/`, relative to it, in the order [`load`]
/// reads them (`serve` compares it with what it loaded when folders come
/// and go).
pub fn files(config: &Config) -> (Vec<String>, Diagnostics) {
    let (found, diagnostics) = walk(config);
    (found.into_iter().map(|f| f.relative).collect(), diagnostics)
}

/// The order of [`load`]'s documents, by their `file`: folder by folder,
/// names compared as bytes (a folder's files come before the files that
/// follow the folder's name).
pub fn file_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// `content/`'s Markdown files, depth first, each folder sorted by name.
fn walk(config: &Config) -> (Vec<Found>, Diagnostics) {
    let content = config.root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::new();
    let mut found = Vec::new();
    for entry in WalkDir::new(&content).sort_by_file_name().follow_links(false) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let Ok(rel) = e.path().strip_prefix(&content) else {
                    continue;
                };
                let relative = to_slash(rel);
                if is_content_page(&relative) {
                    found.push(Found {
                        path: e.path().to_path_buf(),
                        relative,
                    });
                }
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(
                Diagnostic::error(format!("cannot read the content folder: {e}"))
                    .in_file(e.path().map_or_else(|| content.clone(), Path::to_path_buf)),
            ),
        }
    }
    (found, diagnostics)
}

/// Reads one file of `content/` (`relative` to that folder, `/`-separated)
/// exactly as [`load`] would: `serve` re-reads a saved page alone.
pub fn read_one(
    config: &Config,
    filter: &Filter,
    relative: &str,
) -> Result<Option<Document>, Vec<Diagnostic>> {
    let found = Found {
        path: config.root.join(CONTENT_DIR).join(relative),
        relative: relative.to_string(),
    };
    read_document(config, filter, &found)
}

fn is_hidden(relative: &str) -> bool {
    relative.split('/').any(|part| part.starts_with('.'))
}

fn to_slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a file sits in the content tree, from its relative path alone.
#[derive(Debug, PartialEq, Eq)]
pub struct Placement {
    pub kind: DocumentKind,
    pub lang: Option<String>,
    pub content_path: String,
    pub parent: Option<String>,
    pub stem: String,
    pub is_bundle: bool,
}

/// Reads `culture/ao-dai.en.md`, `culture/_index.md`, `culture/hue/index.vi.md`.
/// The language is the last dotted part before `.md` when there is one.
pub fn place(relative: &str) -> Placement {
    let without_md = relative.strip_suffix(".md").unwrap_or(relative);
    let (dir, name) = match without_md.rfind('/') {
        Some(i) => (&without_md[..i], &without_md[i + 1..]),
        None => ("", without_md),
    };
    let (base, lang) = match name.rfind('.') {
        Some(i) if looks_like_language(&name[i + 1..]) => (&name[..i], Some(name[i + 1..].to_string())),
        _ => (name, None),
    };
    let parent_of =
        |path: &str| -> String { path.rfind('/').map_or(String::new(), |i| path[..i].to_string()) };
    if base == "_index" {
        return Placement {
            kind: DocumentKind::Section,
            lang,
            content_path: dir.to_string(),
            parent: (!dir.is_empty()).then(|| parent_of(dir)),
            stem: dir.rsplit('/').next().unwrap_or_default().to_string(),
            is_bundle: false,
        };
    }
    if base == "index" && !dir.is_empty() {
        return Placement {
            kind: DocumentKind::Page,
            lang,
            content_path: dir.to_string(),
            parent: Some(parent_of(dir)),
            stem: dir.rsplit('/').next().unwrap_or_default().to_string(),
            is_bundle: true,
        };
    }
    let content_path = if dir.is_empty() {
        base.to_string()
    } else {
        format!("{dir}/{base}")
    };
    Placement {
        kind: DocumentKind::Page,
        lang,
        content_path,
        parent: Some(dir.to_string()),
        stem: base.to_string(),
        is_bundle: false,
    }
}

/// `en`, `zh-Hans`, `pt-BR`: a dotted suffix of that shape names a language
/// (declared or not); anything else (`v2.0-notes`) is part of the name.
fn looks_like_language(suffix: &str) -> bool {
    let mut parts = suffix.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A taxonomy's folder holds only term folders: `<taxonomy>/<key>/_index.md`
/// becomes a term (no parent section: its URL is the taxonomy's). Only
/// terms have `featured` and `renamed_from`.
fn as_term(
    config: &Config,
    mut placement: Placement,
    file: &str,
    front: &FrontMatter,
) -> Result<Placement, Vec<Diagnostic>> {
    let top = placement.content_path.split('/').next().unwrap_or_default();
    let in_taxonomy = config.taxonomy(top).is_some();
    let depth = placement.content_path.matches('/').count();
    if in_taxonomy && placement.kind == DocumentKind::Section && depth == 1 {
        placement.kind = DocumentKind::Term;
        placement.parent = None;
        return Ok(placement);
    }
    if in_taxonomy {
        return Err(vec![
            Diagnostic::error(format!(
                "`{top}` is a taxonomy: its folder holds only term folders"
            ))
            .in_file(file)
            .with_hint(format!(
                "declare a term as content/{top}/<key>/_index.<lang>.md, or move this file to a section"
            )),
        ]);
    }
    let only_terms = [
        (
            "featured",
            front.rare().featured.is_empty(),
            front.rare().featured_at.first(),
        ),
        ("renamed_from", front.rare().renamed_from.is_empty(), None),
    ];
    match only_terms.iter().find(|(_, empty, _)| !empty) {
        Some((field, _, at)) => Err(vec![
            Diagnostic::error(format!("`{field}` belongs to taxonomy terms only"))
                .in_file(file)
                .at(at
                    .copied()
                    .unwrap_or(vitrine_core::diagnostics::Location::new(1, 1)))
                .with_hint(format!(
                    "write it in a term's file (content/<taxonomy>/<key>/_index.md), or remove `{field}`"
                )),
        ]),
        None => Ok(placement),
    }
}

/// A file read: the document if the filter keeps it, and when it will
/// come or go by itself.
struct Read {
    document: Option<Document>,
    next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Read {
    /// `document` as `filter` sees it: a page may be left out (a draft,
    /// scheduled or expired), and may come or go by itself.
    fn of(filter: &Filter, document: Document) -> Read {
        if document.kind != DocumentKind::Page {
            return Read {
                document: Some(document),
                next_change: None,
            };
        }
        Read {
            next_change: filter.next_change(&document.front),
            document: filter.keeps(&document.front).then_some(document),
        }
    }
}

fn read_document(
    config: &Config,
    filter: &Filter,
    found: &Found,
) -> Result<Option<Document>, Vec<Diagnostic>> {
    read_any(config, filter, found, PageText::Kept, &|_, _| {}).map(|r| r.document)
}

fn read_any(
    config: &Config,
    filter: &Filter,
    found: &Found,
    page_text: PageText,
    seen: Seen<'_>,
) -> Result<Read, Vec<Diagnostic>> {
    let placed = placed(config, &found.relative)?;
    let text = std::fs::read_to_string(&found.path).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read the file: {e}"))
                .in_file(&placed.2)
                .with_hint("content files must be UTF-8 text"),
        ]
    })?;
    seen(&found.relative, &text);
    read_text(config, filter, placed, &text, page_text)
}

/// Where the file `relative` to `content/` sits, its language, and its
/// path under the site root.
fn placed(config: &Config, relative: &str) -> Result<(Placement, String, String), Vec<Diagnostic>> {
    let file = format!("{CONTENT_DIR}/{relative}");
    let placement = place(relative);
    let lang = match placement.lang.clone() {
        Some(code) if config.is_language(&code) => code,
        Some(code) => {
            let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            return Err(vec![
                Diagnostic::error(format!("unknown language `{code}` in the file name"))
                    .in_file(&file)
                    .with_hint(format!(
                        "the site's languages are {}; declare `{code}` in site.yaml or rename the file",
                        declared.join(", ")
                    )),
            ]);
        }
        None => config.default_language.clone(),
    };
    Ok((placement, lang, file))
}

/// A document from its file's `text`, placed and in `lang`, as `filter`
/// sees it.
fn read_text(
    config: &Config,
    filter: &Filter,
    placed: (Placement, String, String),
    text: &str,
    page_text: PageText,
) -> Result<Read, Vec<Diagnostic>> {
    Ok(Read::of(filter, document(config, placed, text, page_text)?))
}

/// A document from its file's `text`, placed and in `lang`.
fn document(
    config: &Config,
    (placement, lang, file): (Placement, String, String),
    text: &str,
    page_text: PageText,
) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(text).map_err(|d| vec![d.in_file(&file)])?;
    let front = front_matter::parse(&split, config, &file)?;
    let placement = as_term(config, placement, &file, &front)?;
    let bundle = placement
        .is_bundle
        .then(|| PathBuf::from(CONTENT_DIR).join(&placement.content_path));
    // Sections and terms keep theirs: whether a term has a landing page
    // depends on its text, and they are few.
    // The body is the end of the file.
    let in_file = (page_text == PageText::InFiles && placement.kind == DocumentKind::Page)
        .then(|| InFile::of(text, text.len() - split.body.len()));
    Ok(Document {
        kind: placement.kind,
        body_line: split.body_line,
        body: match in_file {
            Some(_) => String::new(),
            None => split.body.to_string(),
        },
        in_file,
        file,
        lang,
        content_path: placement.content_path,
        parent: placement.parent,
        stem: placement.stem,
        front,
        bundle,
        synthesized: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_pages_sections_and_bundles() {
        let p = place("culture/ao-dai.en.md");
        assert_eq!(p.kind, DocumentKind::Page);
        assert_eq!(p.lang.as_deref(), Some("en"));
        assert_eq!(p.content_path, "culture/ao-dai");
        assert_eq!(p.parent.as_deref(), Some("culture"));

        let s = place("culture/_index.md");
        assert_eq!(s.kind, DocumentKind::Section);
        assert_eq!(s.lang, None);
        assert_eq!(s.content_path, "culture");
        assert_eq!(s.parent.as_deref(), Some(""));

        let home = place("_index.vi.md");
        assert_eq!(home.content_path, "");
        assert_eq!(home.parent, None);

        let dotted = place("news/release-v2.0.md");
        assert!(file_order("content/news/a.md", "content/news-a.md").is_lt());
        assert!(file_order("content/b/x.md", "content/b.md").is_lt());
        assert_eq!(dotted.lang, None);
        assert_eq!(dotted.content_path, "news/release-v2.0");
        assert_eq!(place("a.pt-BR.md").lang.as_deref(), Some("pt-BR"));

        let b = place("culture/hue-citadel/index.vi.md");
        assert!(b.is_bundle);
        assert_eq!(b.content_path, "culture/hue-citadel");
        assert_eq!(b.stem, "hue-citadel");
    }

    /// Writes `text` to `name` under `root`, making its folders.
    fn write_in(root: &Path, name: &str, text: &str) {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("write");
    }

    /// A new folder with the `site.yaml` of a site in one language.
    fn one_language_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        write_in(
            dir.path(),
            "site.yaml",
            "title: T\nbase_url: https://x.org/\ndefault_language: vi\nlanguages:\n  - code: vi\n    name: V\n",
        );
        dir
    }

    #[test]
    fn a_page_left_in_its_file_is_read_back_unless_the_file_changed() {
        let dir = one_language_site();
        let write = |name: &str, text: &str| write_in(dir.path(), name, text);
        write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        // A byte-order mark before the front matter: the body starts after both.
        write("content/a.md", "\u{feff}---\ntitle: A\n---\nBody *here*.\n");
        let config = Config::load(dir.path()).expect("config");
        let filter = Filter::default();
        let (docs, _, diagnostics) = load_scheduled(&config, &filter, PageText::InFiles);
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        let page = docs.iter().find(|d| d.kind == DocumentKind::Page).expect("page");
        let home = docs.iter().find(|d| d.is_home()).expect("home");
        assert!(page.body.is_empty() && page.in_file.is_some());
        assert_eq!(page.read_body(dir.path()).expect("body"), "Body *here*.\n");
        assert_eq!(page.body_line, 4);
        // Sections keep their text.
        assert_eq!((home.body.as_str(), home.in_file), ("Welcome.\n", None));
        // Loaded as `serve` does, the text is in the document.
        let (kept, _, _) = load_scheduled(&config, &filter, PageText::Kept);
        let kept = kept.iter().find(|d| d.kind == DocumentKind::Page).expect("page");
        assert_eq!((kept.body.as_str(), kept.in_file), ("Body *here*.\n", None));
        // Saved again between the load and the Markdown pass.
        write("content/a.md", "\u{feff}---\ntitle: A\n---\nBody *there*.\n");
        let error = page.read_body(dir.path()).expect_err("a changed file");
        assert_eq!(error.message, "the file changed while the site was being built");
        assert_eq!(error.file.as_deref(), Some(Path::new("content/a.md")));
        std::fs::remove_file(dir.path().join("content/a.md")).expect("remove");
        let error = page.read_body(dir.path()).expect_err("a removed file");
        assert!(
            error.message.starts_with("cannot read the file again"),
            "{}",
            error.message
        );
    }

    /// The files the build cache listed are the ones loaded, files that
    /// are not pages and hidden files left out as a walk leaves them; a list holding a name
    /// made lossy (not UTF-8 on disk) is not trusted: the folder is walked.
    #[test]
    fn a_listed_folder_loads_as_the_walked_one() {
        let dir = one_language_site();
        let write = |name: &str, text: &str| write_in(dir.path(), name, text);
        write("content/_index.md", "---\ntitle: Home\n---\n");
        write("content/news/a.md", "---\ntitle: A\n---\nA.\n");
        write("content/news/.draft.md", "---\ntitle: Hidden\n---\n");
        write("content/news/photo.jpg", "not a page");
        let config = Config::load(dir.path()).expect("config");
        let filter = Filter::default();
        let before = std::collections::BTreeMap::new();
        let titles = |files: Option<Vec<String>>| {
            let as_before = AsBefore {
                files,
                before: &before,
                kept: Default::default(),
            };
            let (docs, _, diagnostics) = load_as_before(&config, &filter, as_before);
            assert!(!diagnostics.has_errors(), "{diagnostics:?}");
            let mut titles: Vec<String> = docs.iter().map(|d| d.front.title.clone()).collect();
            titles.sort();
            titles
        };
        let listed = ["_index.md", "news/a.md", "news/.draft.md", "news/photo.jpg"];
        let listed: Vec<String> = listed.iter().map(|f| f.to_string()).collect();
        assert_eq!(titles(None), ["A", "Home"]);
        assert_eq!(titles(Some(listed.clone())), ["A", "Home"]);
        // Read by its lossy name, this file would be missing.
        let mut lossy = listed;
        lossy.push("news/b\u{FFFD}.md".into());
        assert_eq!(titles(Some(lossy)), ["A", "Home"]);
    }
}
