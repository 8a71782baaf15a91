//! Builds the [`Site`] model from loaded documents: translation groups,
//! fallback entries, URLs, section trees, ordering and taxonomies.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Collate, Entry, EntryId, Group, LanguageIndex, Site, taxonomy, terms};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_core::slug::slugify;
use vitrine_load::config::{Config, Untranslated};
use vitrine_load::content::{Document, DocumentKind, FrontMatter, SortBy};

/// Links documents into a site. Errors: two entries claiming one URL.
pub fn build(
    config: Arc<Config>,
    mut documents: Vec<Arc<Document>>,
    data: serde_json::Value,
    collate: Collate<'_>,
) -> Result<Site, Diagnostics> {
    add_missing_sections(&config, &mut documents);
    // Callers make this list with `into_iter().map(Arc::new).collect()`,
    // which reuses the loaded documents' buffer (about 1 KB a document)
    // for the `Arc`s (8 bytes each): without this, the site would hold
    // that buffer for the whole build (62 MB at 50,000 documents).
    documents.shrink_to_fit();
    let (groups_by_key, by_content_path) = group_documents(&documents);
    let mut entries: Vec<Entry> = Vec::new();
    let mut groups: Vec<Group> = vec![Group::default(); groups_by_key.len()];
    let section_withheld = section_withheld(&documents);
    for (group, members) in groups_by_key.iter().enumerate() {
        let withheld = withheld_languages(&config, &documents, members, &section_withheld);
        for lang in &config.languages {
            let own = members.get(&lang.code);
            let kind = documents[*members.values().next().unwrap_or(&0)].kind;
            let chosen = match own {
                // Withheld: not published there at all, neither its own
                // text nor a fallback copy, so nothing can point there.
                _ if withheld.contains(&lang.code) => None,
                Some(doc) => Some((*doc, false)),
                // Sections and terms are shown in every language, as
                // lists of that language's pages, whatever the policy.
                None if kind != DocumentKind::Page || config.untranslated == Untranslated::Fallback => lang
                    .chain
                    .iter()
                    .find_map(|l| members.get(l))
                    .or_else(|| members.values().next())
                    .map(|doc| (*doc, true)),
                None => None,
            };
            if let Some((doc, is_fallback)) = chosen {
                groups[group].entries.insert(lang.code.clone(), entries.len());
                entries.push(Entry {
                    doc,
                    kind: documents[doc].kind,
                    lang: lang.code.clone(),
                    is_fallback,
                    group,
                    path: String::new(),
                    parent: None,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    previous: None,
                    next: None,
                });
            }
        }
        groups[group].withheld = withheld;
    }
    let find = |kind: DocumentKind, path: &str, lang: &str| -> Option<EntryId> {
        let g = by_content_path.get(&(kind, path.to_string()))?;
        groups[*g].entries.get(lang).copied()
    };
    // Parents first: sections by depth, so a child's URL can use its parent's.
    // Each key counted once, not at each comparison: on 50,000 entries that
    // was 30 ms of a one-paragraph patch.
    let mut order: Vec<EntryId> = (0..entries.len()).collect();
    order.sort_by_cached_key(|&i| {
        let d = &documents[entries[i].doc];
        let depth = if d.content_path.is_empty() {
            0
        } else {
            1 + d.content_path.matches('/').count()
        };
        (d.kind == DocumentKind::Page, depth)
    });
    // A page's URL needs only its section's: the sections one after the
    // other, then the pages (nine in ten entries) on all cores.
    let placed = |i: EntryId, entries: &[Entry]| {
        let doc = &documents[entries[i].doc];
        let lang = &entries[i].lang;
        let parent = doc
            .parent
            .as_deref()
            .and_then(|p| find(DocumentKind::Section, p, lang));
        let base = match parent {
            Some(p) => entries[p].path.clone(),
            None => config.language_prefix(lang),
        };
        let path = if doc.is_home() {
            base
        } else if let Some((taxonomy, key)) = terms::term_of(doc) {
            format!("{base}{}/{}/", slugify(taxonomy), term_segment(&doc.front, key))
        } else {
            format!("{base}{}/", segment(&doc.front, &doc.stem))
        };
        (path, parent)
    };
    let first_page = order.partition_point(|&i| documents[entries[i].doc].kind != DocumentKind::Page);
    let (sections, pages) = order.split_at(first_page);
    for &i in sections {
        (entries[i].path, entries[i].parent) = placed(i, &entries);
    }
    let pages: Vec<(EntryId, (String, Option<EntryId>))> =
        pages.par_iter().map(|&i| (i, placed(i, &entries))).collect();
    for (i, (path, parent)) in pages {
        (entries[i].path, entries[i].parent) = (path, parent);
    }
    let mut errors = Diagnostics::new();
    check_unique_paths(&entries, &documents, &mut errors);
    link_sections(&mut entries, &documents, collate);
    let (page_terms, term_errors) = terms::resolve(&config, &documents);
    errors.extend(term_errors.into_vec());
    check_featured(&documents, &by_content_path, &mut errors);
    let index = Index {
        config: &config,
        entries: &entries,
        documents: &documents,
        groups: &groups,
        by_content_path: &by_content_path,
    };
    let languages = index_languages(&index, &page_terms, collate);
    if errors.has_errors() {
        return Err(errors);
    }
    // A term's entry lists its pages, as a section's does, so pagers and
    // hreflang treat both alike.
    for term in languages
        .iter()
        .flat_map(|l| &l.taxonomies)
        .flat_map(|t| &t.terms)
    {
        if let Some(e) = term.entry {
            entries[e].pages = term.pages.clone();
        }
    }
    Ok(Site {
        config,
        documents,
        entries,
        groups,
        languages,
        by_content_path,
        page_terms,
        data,
        notices: Vec::new(),
        next_change: None,
    })
}

/// What indexing the languages reads of the entries linked so far.
struct Index<'a> {
    config: &'a Config,
    entries: &'a [Entry],
    documents: &'a [Arc<Document>],
    groups: &'a [Group],
    by_content_path: &'a HashMap<(DocumentKind, String), usize>,
}

impl Index<'_> {
    /// The entry of `(kind, content path)` shown in `lang`.
    fn find(&self, kind: DocumentKind, path: &str, lang: &str) -> Option<EntryId> {
        let g = self.by_content_path.get(&(kind, path.to_string()))?;
        self.groups[*g].entries.get(lang).copied()
    }
}

/// Each language's home, latest pages, navigation and taxonomies; the
/// languages on all cores (a third of modelling 10,000 articles × 5, which
/// a rebuild after an edit does again).
fn index_languages(
    index: &Index<'_>,
    page_terms: &[terms::PageTerms],
    collate: Collate<'_>,
) -> Vec<LanguageIndex> {
    let (config, entries, documents) = (index.config, index.entries, index.documents);
    let link = |target: &str, lang: &str| -> Option<EntryId> {
        let placement = vitrine_load::content::place(target.trim_start_matches("@/").trim_start_matches('/'));
        index.find(
            placement.kind,
            &placement.content_path,
            placement.lang.as_deref().unwrap_or(lang),
        )
    };
    let sources = taxonomy::Sources {
        config,
        entries,
        documents,
        page_terms,
        collate,
        link: &link,
    };
    config
        .languages
        .par_iter()
        .map(|lang| {
            let code = lang.code.clone();
            let home = index.find(DocumentKind::Section, "", &code).unwrap_or(0);
            let mut latest: Vec<EntryId> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.lang == code && e.kind == DocumentKind::Page)
                .map(|(i, _)| i)
                .collect();
            latest.sort_by(|&a, &b| by_date(entries, documents, a, b));
            let sections = navigation(config, entries, documents, home);
            let taxonomies = taxonomy::collect(&sources, &code);
            LanguageIndex {
                code,
                home,
                latest,
                sections,
                taxonomies,
            }
        })
        .collect()
}

/// `withheld:` of each section's files (in any language), by content path.
fn section_withheld(documents: &[Arc<Document>]) -> HashMap<&str, BTreeSet<&str>> {
    let mut map: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for d in documents.iter().filter(|d| d.is_section()) {
        map.entry(d.content_path.as_str())
            .or_default()
            .extend(d.front.rare().withheld.iter().map(String::as_str));
    }
    map
}

/// The languages a group is withheld from: its files' `withheld:`, its
/// sections' (a section withholds everything below it) and the language
/// policy's. Never the default language, where every page falls back.
fn withheld_languages(
    config: &Config,
    documents: &[Arc<Document>],
    members: &BTreeMap<String, usize>,
    sections: &HashMap<&str, BTreeSet<&str>>,
) -> Vec<String> {
    let mut withheld: BTreeSet<String> = BTreeSet::new();
    for &m in members.values() {
        let doc = &documents[m];
        // The home of a language is that language: it cannot be withheld.
        if doc.is_home() {
            return Vec::new();
        }
        withheld.extend(doc.front.rare().withheld.iter().cloned());
        if let Some(policy) = config.policy(&doc.content_path, doc.front.rare().content_type.as_deref()) {
            withheld.extend(policy.withheld.iter().cloned());
        }
        let mut ancestor = doc.parent.clone().filter(|p| !p.is_empty());
        while let Some(path) = ancestor {
            withheld.extend(
                sections
                    .get(path.as_str())
                    .into_iter()
                    .flatten()
                    .map(|s| s.to_string()),
            );
            ancestor = path.rfind('/').map(|i| path[..i].to_string());
        }
    }
    withheld.remove(&config.default_language);
    withheld.into_iter().collect()
}

/// The URL segment of a document: its `slug`, or its file name made a slug.
fn segment(front: &FrontMatter, stem: &str) -> String {
    // A slug is one path segment: no separators, no `.`/`..` tricks.
    let custom = front
        .slug
        .as_deref()
        .map(|s| s.trim().replace(['/', '\\'], "-").trim_matches('.').to_string());
    match custom {
        Some(s) if !s.is_empty() => s,
        _ => {
            let s = slugify(stem);
            if s.is_empty() { stem.to_string() } else { s }
        }
    }
}

/// A term's URL segment: its `slug`, else its name made a slug (so a
/// term's URL reads in its language, as free terms' always did), else its key.
fn term_segment(front: &FrontMatter, key: &str) -> String {
    let mut named = FrontMatter::default();
    named.slug = front.slug.clone().or_else(|| Some(slugify(&front.title)));
    segment(&named, key)
}

/// Every `featured:` link of a term names a page or section of the site
/// (in some language: one missing in a language is left out there).
fn check_featured(
    documents: &[Arc<Document>],
    by_content_path: &HashMap<(DocumentKind, String), usize>,
    errors: &mut Diagnostics,
) {
    for doc in documents.iter().filter(|d| d.kind == DocumentKind::Term) {
        let at = &doc.front.rare().featured_at;
        for (i, link) in doc.front.rare().featured.iter().enumerate() {
            let Some(target) = link.strip_prefix("@/") else {
                let mut d = Diagnostic::error(format!(
                    "`featured` names `{link}`, which is not an internal link"
                ))
                .in_file(&doc.file)
                .with_hint("name a page by its file under content/, as \"@/culture/ao-dai.md\"");
                if let Some(l) = at.get(i) {
                    d = d.at(*l);
                }
                errors.push(d);
                continue;
            };
            let placement = vitrine_load::content::place(target);
            if !by_content_path.contains_key(&(placement.kind, placement.content_path.clone())) {
                let mut d = Diagnostic::error(format!("`featured` links to `{link}`, which does not exist"))
                    .in_file(&doc.file)
                    .with_hint(
                        "check the path: it is the page's file under content/, as \"@/culture/ao-dai.md\"",
                    );
                if let Some(l) = at.get(i) {
                    d = d.at(*l);
                }
                errors.push(d);
            }
        }
    }
}

/// Folders with pages but no `_index` in any language become sections
/// titled after the folder, so every page has a parent to be listed in.
fn add_missing_sections(config: &Config, documents: &mut Vec<Arc<Document>>) {
    let existing: BTreeSet<String> = documents
        .iter()
        .filter(|d| d.is_section())
        .map(|d| d.content_path.clone())
        .collect();
    let mut needed = BTreeSet::new();
    needed.insert(String::new());
    for d in documents.iter() {
        let mut parent = d.parent.clone();
        while let Some(p) = parent {
            parent = (!p.is_empty()).then(|| p.rfind('/').map_or(String::new(), |i| p[..i].to_string()));
            needed.insert(p);
        }
    }
    for path in needed.difference(&existing) {
        let stem = path.rsplit('/').next().unwrap_or_default().to_string();
        let title = if path.is_empty() {
            config.title.clone()
        } else {
            stem.replace('-', " ")
        };
        let mut front = FrontMatter::default();
        front.title = title;
        front.search = false;
        documents.push(Arc::new(Document {
            kind: DocumentKind::Section,
            file: format!("{}/{path}", vitrine_load::content::CONTENT_DIR),
            lang: config.default_language.clone(),
            content_path: path.clone(),
            parent: (!path.is_empty())
                .then(|| path.rfind('/').map_or(String::new(), |i| path[..i].to_string())),
            stem,
            front,
            body: String::new(),
            in_file: None,
            body_line: 1,
            bundle: None,
            synthesized: true,
        }));
    }
}

type Groups = Vec<BTreeMap<String, usize>>;

/// What makes documents translations of one another: the same kind and
/// content path, or the same `translation_key`. Unlike a group's number in
/// [`crate::Site::groups`], it stays when other pages come and go.
pub fn translation_key(d: &Document) -> (DocumentKind, String) {
    match &d.front.rare().translation_key {
        Some(k) => (d.kind, format!("key:{k}")),
        None => (d.kind, format!("path:{}", d.content_path)),
    }
}

/// Groups translations ([`translation_key`]).
fn group_documents(documents: &[Arc<Document>]) -> (Groups, HashMap<(DocumentKind, String), usize>) {
    let mut key_to_group: BTreeMap<(DocumentKind, String), usize> = BTreeMap::new();
    let mut by_content_path = HashMap::new();
    let mut groups: Groups = Vec::new();
    for (i, d) in documents.iter().enumerate() {
        let key = translation_key(d);
        let g = *key_to_group.entry(key).or_insert_with(|| {
            groups.push(BTreeMap::new());
            groups.len() - 1
        });
        // The first file of a language wins; a duplicate (a.md and a.vi.md
        // for the default language) is reported by the path check.
        groups[g].entry(d.lang.clone()).or_insert(i);
        by_content_path
            .entry((d.kind, d.content_path.clone()))
            .or_insert(g);
    }
    (groups, by_content_path)
}

fn check_unique_paths(entries: &[Entry], documents: &[Arc<Document>], errors: &mut Diagnostics) {
    let mut seen: HashMap<&str, EntryId> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(&other) = seen.get(e.path.as_str()) {
            if entries[other].doc == e.doc {
                continue;
            }
            let first = &documents[entries[other].doc].file;
            errors.push(
                Diagnostic::error(format!("two documents have the URL `{}`", e.path))
                    .in_file(&documents[e.doc].file)
                    .with_hint(format!("{first} has it too; give one of them another `slug`")),
            );
        } else {
            seen.insert(&e.path, i);
        }
    }
}

/// Fills each section's pages and subsections in its order, and the
/// previous/next neighbours of pages.
fn link_sections(entries: &mut [Entry], documents: &[Arc<Document>], collate: Collate<'_>) {
    let mut pages: HashMap<EntryId, Vec<EntryId>> = HashMap::new();
    let mut subsections: HashMap<EntryId, Vec<EntryId>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(p) = e.parent {
            match e.kind {
                DocumentKind::Page => pages.entry(p).or_default().push(i),
                DocumentKind::Section => subsections.entry(p).or_default().push(i),
                // A term has no parent section: its list is its taxonomy's.
                DocumentKind::Term => {}
            }
        }
    }
    for (section, mut list) in pages {
        let doc = &documents[entries[section].doc];
        let lang = entries[section].lang.clone();
        match doc.front.rare().sort_by {
            SortBy::Date => list.sort_by(|&a, &b| by_date(entries, documents, a, b)),
            SortBy::Weight => list.sort_by(|&a, &b| {
                let w = |i: EntryId| documents[entries[i].doc].front.weight.unwrap_or(i64::MAX);
                w(a).cmp(&w(b))
                    .then_with(|| by_title(entries, documents, collate, &lang, a, b))
            }),
            SortBy::Title => list.sort_by(|&a, &b| by_title(entries, documents, collate, &lang, a, b)),
        }
        for (n, &i) in list.iter().enumerate() {
            entries[i].previous = n.checked_sub(1).map(|p| list[p]);
            entries[i].next = list.get(n + 1).copied();
        }
        entries[section].pages = list;
    }
    for (section, mut list) in subsections {
        let lang = entries[section].lang.clone();
        list.sort_by(|&a, &b| {
            let w = |i: EntryId| documents[entries[i].doc].front.weight.unwrap_or(i64::MAX);
            w(a).cmp(&w(b))
                .then_with(|| by_title(entries, documents, collate, &lang, a, b))
        });
        entries[section].subsections = list;
    }
}

/// Newest first; undated pages last, by path, so order is deterministic.
fn by_date(entries: &[Entry], documents: &[Arc<Document>], a: EntryId, b: EntryId) -> Ordering {
    let date = |i: EntryId| documents[entries[i].doc].front.date;
    match (date(a), date(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| entries[a].path.cmp(&entries[b].path))
}

fn by_title(
    entries: &[Entry],
    documents: &[Arc<Document>],
    collate: Collate<'_>,
    lang: &str,
    a: EntryId,
    b: EntryId,
) -> Ordering {
    let title = |i: EntryId| documents[entries[i].doc].front.title.as_str();
    collate(lang, title(a), title(b)).then_with(|| entries[a].path.cmp(&entries[b].path))
}

/// Top-level sections: those `site.yaml` names, in its order, then the rest.
fn navigation(
    config: &Config,
    entries: &[Entry],
    documents: &[Arc<Document>],
    home: EntryId,
) -> Vec<EntryId> {
    let children = &entries
        .get(home)
        .map(|h| h.subsections.clone())
        .unwrap_or_default();
    let name = |i: &EntryId| documents[entries[*i].doc].content_path.clone();
    let mut nav: Vec<EntryId> = config
        .sections
        .iter()
        .filter_map(|s| children.iter().find(|c| name(c) == *s).copied())
        .collect();
    if config.sections.is_empty() {
        nav.extend(children.iter().copied());
    }
    nav
}
