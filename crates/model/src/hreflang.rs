//! hreflang clusters: which URLs a page names as its versions in other
//! languages. The `<head>` (through `meta.alternates`) and the sitemap both
//! take them from here, so the two always agree. Google's rules give the
//! shape: every member lists every member, itself included, and the same
//! `x-default`; no member is a noindex page, and a noindex page (a fallback
//! copy, an empty taxonomy list) has no cluster at all. Page N of a list
//! clusters with page N of the same list in the languages that have one.
//! Writing the markup is left to the templates and `output::sitemap`.

use serde::Serialize;

use super::{EntryId, LanguageIndex, Pagination, Site};
use vitrine_load::content::DocumentKind;

/// One `<link rel="alternate" hreflang>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// The cluster of page `number` of entry `id` (1 for a page or the first
/// page of a section): its own versions in site.yaml order, then x-default.
pub fn entry_cluster(site: &Site, id: EntryId, number: usize) -> Vec<Alternate> {
    let entry = &site.entries[id];
    if entry.is_fallback {
        return Vec::new();
    }
    let group = &site.groups[entry.group];
    let members = site
        .config
        .languages
        .iter()
        .filter_map(|l| {
            let &other = group.entries.get(&l.code)?;
            let e = &site.entries[other];
            let has_page = number == 1
                || (e.kind != DocumentKind::Page && site.section_pagination(other).pagers() >= number);
            (!e.is_fallback && has_page).then(|| (l.code.clone(), Pagination::path(&e.path, number)))
        })
        .collect();
    let home = site.is_home(id);
    // Without the default language at the root, `/` is the language picker:
    // the page for readers whose language is none of the site's.
    let picker = (home && !site.config.default_language_at_root).then(|| "/".to_string());
    with_x_default(site, members, picker)
}

/// The cluster of page `number` of a list that is not content (a taxonomy
/// list, a term, the search page): the same list in every language where
/// `list_in` finds it, as its path and its number of pages.
pub fn list_cluster(
    site: &Site,
    number: usize,
    list_in: impl Fn(&LanguageIndex) -> Option<(String, usize)>,
) -> Vec<Alternate> {
    let members = site
        .languages
        .iter()
        .filter_map(|index| {
            let (path, pagers) = list_in(index)?;
            (pagers >= number).then(|| (index.code.clone(), Pagination::path(&path, number)))
        })
        .collect();
    with_x_default(site, members, None)
}

/// Taxonomy `t`'s list in a language, when it has terms (an empty one is noindex).
pub fn taxonomy_list(index: &LanguageIndex, t: usize) -> Option<(String, usize)> {
    index
        .taxonomies
        .get(t)
        .filter(|tax| !tax.terms.is_empty())
        .map(|tax| (tax.path.clone(), 1))
}

/// The free term `key` of taxonomy `t` in a language, with its number of pages.
pub fn term_list(index: &LanguageIndex, t: usize, key: &str) -> Option<(String, usize)> {
    let tax = index.taxonomies.get(t)?;
    let term = tax.term(key).filter(|x| x.entry.is_none())?;
    Some((term.path.clone(), tax.pagination(term).pagers()))
}

/// The cluster of page `number` of term `term` of taxonomy `t` in language
/// `lang` (indexes in the model): a declared term clusters as an entry
/// does (its own versions, none for a fallback copy), a free term with the
/// free term of the same key in other languages.
pub fn term_cluster(site: &Site, lang: usize, t: usize, term: usize, number: usize) -> Vec<Alternate> {
    let item = &site.languages[lang].taxonomies[t].terms[term];
    match item.entry {
        Some(e) => entry_cluster(site, e, number),
        None => list_cluster(site, number, |index| term_list(index, t, &item.key)),
    }
}

/// Whether a term page is a noindex fallback copy (its name and text are
/// another language's).
pub fn term_is_fallback(site: &Site, item: &super::Term) -> bool {
    item.entry.is_some_and(|e| site.entries[e].is_fallback)
}

/// The cluster of the root language picker (when the default language is
/// not at the root): the homes' own cluster, which names the picker as
/// x-default.
pub fn picker_cluster(site: &Site) -> Vec<Alternate> {
    if site.config.default_language_at_root {
        return Vec::new();
    }
    site.languages
        .iter()
        .map(|l| l.home)
        .find(|&home| !site.entries[home].is_fallback)
        .map(|home| entry_cluster(site, home, 1))
        .unwrap_or_default()
}

/// Members as absolute URLs, then x-default: `x_default` when given, else
/// the default language's member, else the first in site.yaml order — the
/// same choice from every member, so the cluster stays reciprocal.
fn with_x_default(site: &Site, members: Vec<(String, String)>, x_default: Option<String>) -> Vec<Alternate> {
    let default = &site.config.default_language;
    let x_default = x_default
        .or_else(|| members.iter().find(|(l, _)| l == default).map(|(_, p)| p.clone()))
        .or_else(|| members.first().map(|(_, p)| p.clone()));
    let Some(x_default) = x_default else {
        return Vec::new();
    };
    members
        .into_iter()
        .chain(std::iter::once(("x-default".to_string(), x_default)))
        .map(|(hreflang, path)| Alternate {
            hreflang,
            href: site.permalink(&path),
        })
        .collect()
}
