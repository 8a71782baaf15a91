//! Taxonomies of one language: the terms its own pages carry, ordered by
//! the language's collation, each with its pages newest first.

use std::collections::BTreeMap;

use super::build::Collate;
use super::{Entry, EntryId};
use crate::config::Config;
use crate::content::{Document, DocumentKind};
use crate::slug::slugify;

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    /// Site path of the list of terms: `/en/tags/`.
    pub path: String,
    pub paginate_by: usize,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// The name as first written by a page.
    pub name: String,
    pub slug: String,
    /// Site path: `/en/tags/heritage/`.
    pub path: String,
    /// Newest first.
    pub pages: Vec<EntryId>,
}

pub(super) fn collect(
    config: &Config,
    lang: &str,
    entries: &[Entry],
    documents: &[Document],
    collate: Collate<'_>,
) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|tax| {
            let path = format!("{}{}/", config.language_prefix(lang), slugify(&tax.name));
            // Terms are keyed by slug so "Huế" and "Hue" are one term.
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, e) in entries.iter().enumerate() {
                if e.lang != lang || e.is_fallback || e.kind != DocumentKind::Page {
                    continue;
                }
                let doc = &documents[e.doc];
                for name in doc.front.taxonomies.get(&tax.name).into_iter().flatten() {
                    let slug = slugify(name);
                    if slug.is_empty() {
                        continue;
                    }
                    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: name.clone(),
                        path: format!("{path}{slug}/"),
                        slug,
                        pages: Vec::new(),
                    });
                    if term.pages.last() != Some(&i) {
                        term.pages.push(i);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.pages.sort_by(|&a, &b| {
                    let date = |i: EntryId| documents[entries[i].doc].front.date;
                    date(b)
                        .cmp(&date(a))
                        .then_with(|| entries[a].path.cmp(&entries[b].path))
                });
            }
            terms.sort_by(|a, b| collate(lang, &a.name, &b.name).then_with(|| a.slug.cmp(&b.slug)));
            Taxonomy {
                name: tax.name.clone(),
                path,
                paginate_by: tax.paginate_by,
                terms,
            }
        })
        .collect()
}
