//! Related articles: for every page, the pages of the same language that
//! share the most taxonomy terms with it (newest first among equals). Built
//! once per build from an index of pages by term, not by comparing every
//! pair of pages.

use std::collections::HashMap;

use crate::content::DocumentKind;
use crate::model::{EntryId, Site};
use crate::slug::slugify;

/// How many related pages a page gets.
pub const RELATED_LIMIT: usize = 3;
/// Terms on more pages than this say little about relatedness (a region
/// such as "Nationwide"); skipping them also bounds the cost on big sites.
const MAX_TERM_PAGES: usize = 200;

/// The related pages of every entry, by entry id (empty for sections).
pub fn compute(site: &Site) -> Vec<Vec<EntryId>> {
    let mut by_term: HashMap<(&str, &str, String), Vec<EntryId>> = HashMap::new();
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.kind != DocumentKind::Page {
            continue;
        }
        for (tax, terms) in &site.doc(entry).front.taxonomies {
            for term in terms {
                by_term
                    .entry((entry.lang.as_str(), tax.as_str(), slugify(term)))
                    .or_default()
                    .push(id);
            }
        }
    }
    let mut related = vec![Vec::new(); site.entries.len()];
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.kind != DocumentKind::Page {
            continue;
        }
        let mut scores: HashMap<EntryId, usize> = HashMap::new();
        for (tax, terms) in &site.doc(entry).front.taxonomies {
            for term in terms {
                let Some(pages) = by_term.get(&(entry.lang.as_str(), tax.as_str(), slugify(term))) else {
                    continue;
                };
                if pages.len() > MAX_TERM_PAGES {
                    continue;
                }
                for &other in pages.iter().filter(|&&o| o != id) {
                    *scores.entry(other).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, EntryId)> = scores.into_iter().map(|(o, s)| (s, o)).collect();
        ranked.sort_by(|a, b| {
            let date = |e: EntryId| site.doc(&site.entries[e]).front.date;
            b.0.cmp(&a.0)
                .then_with(|| date(b.1).cmp(&date(a.1)))
                .then_with(|| site.entries[a.1].path.cmp(&site.entries[b.1].path))
        });
        related[id] = ranked.into_iter().take(RELATED_LIMIT).map(|(_, o)| o).collect();
    }
    related
}
