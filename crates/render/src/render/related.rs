//! Related articles: for every page, the pages of the same language that
//! share the most taxonomy terms with it (newest first among equals). Built
//! once per build from an index of pages by term, not by comparing every
//! pair of pages.

use std::cmp::Reverse;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use vitrine_core::slug::slugify;
use vitrine_load::content::DocumentKind;
use vitrine_model::{EntryId, Site};

/// How many related pages a page gets.
pub const RELATED_LIMIT: usize = 3;
/// Terms on more pages than this say little about relatedness (a region
/// such as "Nationwide"); skipping them also bounds the cost on big sites.
const MAX_TERM_PAGES: usize = 200;

/// The related pages of every entry, by entry id (empty for sections).
pub fn compute(site: &Site) -> Vec<Vec<EntryId>> {
    // Each page's terms once, as (language, taxonomy, slug).
    let keys: Vec<Vec<(&str, &str, String)>> = site
        .entries
        .par_iter()
        .map(|entry| {
            if entry.kind != DocumentKind::Page {
                return Vec::new();
            }
            let front = &site.doc(entry).front;
            front
                .taxonomies
                .iter()
                .flat_map(|terms| {
                    terms
                        .names()
                        .map(move |t| (entry.lang.as_str(), &*terms.taxonomy, slugify(t)))
                })
                .collect()
        })
        .collect();
    let mut by_term: FxHashMap<&(&str, &str, String), Vec<EntryId>> = FxHashMap::default();
    for (id, page_keys) in keys.iter().enumerate() {
        for key in page_keys {
            by_term.entry(key).or_default().push(id);
        }
    }
    keys.par_iter()
        .enumerate()
        .map(|(id, page_keys)| {
            let mut scores: FxHashMap<EntryId, usize> = FxHashMap::default();
            for key in page_keys {
                let Some(pages) = by_term.get(key) else { continue };
                if pages.len() > MAX_TERM_PAGES {
                    continue;
                }
                for &other in pages.iter().filter(|&&o| o != id) {
                    *scores.entry(other).or_default() += 1;
                }
            }
            best(site, scores)
        })
        .collect()
}

/// The [`RELATED_LIMIT`] best candidates: most shared terms, then newest,
/// then by path so that the choice is stable. A selection, not a sort of
/// every candidate: a page may share a term with hundreds of others.
fn best(site: &Site, scores: FxHashMap<EntryId, usize>) -> Vec<EntryId> {
    let rank = |&(score, id): &(usize, EntryId)| {
        let entry = &site.entries[id];
        (
            Reverse(score),
            Reverse(site.doc(entry).front.date),
            entry.path.as_str(),
        )
    };
    let mut top: Vec<(usize, EntryId)> = Vec::with_capacity(RELATED_LIMIT + 1);
    for candidate in scores.into_iter().map(|(id, score)| (score, id)) {
        if top.len() == RELATED_LIMIT && rank(&candidate) >= rank(&top[RELATED_LIMIT - 1]) {
            continue;
        }
        let at = top.partition_point(|t| rank(t) < rank(&candidate));
        top.insert(at, candidate);
        top.truncate(RELATED_LIMIT);
    }
    top.into_iter().map(|(_, id)| id).collect()
}
