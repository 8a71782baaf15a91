//! Which pages show an entry: what must be rendered again when only the
//! entry's body changed (its list items show its summary, cover and
//! reading time). This is the reverse of each page's inputs among the
//! entries, kept beside the plan so `serve` and an incremental build read
//! it from one place.

use std::collections::BTreeSet;

use super::reads::TemplateReads;
use crate::render::{Job, Templates};
use vitrine_model::{EntryId, Site};

/// Every page that shows one of `entries`: the entries' own pages,
/// the pagers of their sections that list them, the homes of their
/// languages (`latest`) and the term pagers that list them. Every pager of
/// a section when the theme reads a section's whole `pages` list.
pub fn pages_showing(
    site: &Site,
    templates: &Templates,
    entries: &[EntryId],
    reads: &TemplateReads,
) -> Vec<Job> {
    let mut jobs = BTreeSet::new();
    let listing = |jobs: &mut BTreeSet<Job>, section: EntryId, id: EntryId| {
        let pagination = site.section_pagination(section);
        let pages = &site.entries[section].pages;
        jobs.insert(Job::Entry(section));
        if reads.lists_all_pages {
            jobs.extend((2..=pagination.pagers()).map(|n| Job::pager(section, n)));
        } else if let Some(at) = pages.iter().position(|&p| p == id) {
            jobs.insert(Job::pager(section, pagination.pager_of(at)));
        }
    };
    if templates.has("term.html") {
        jobs.extend(term_pages_showing(site, entries));
    }
    for &id in entries {
        let entry = &site.entries[id];
        jobs.insert(Job::Entry(id));
        if let Some(parent) = entry.parent {
            listing(&mut jobs, parent, id);
        }
        for (lang, index) in site.languages.iter().enumerate() {
            if index.code != entry.lang {
                continue;
            }
            listing(&mut jobs, index.home, id);
            if !templates.has("term.html") {
                continue;
            }
            for (taxonomy, tax) in index.taxonomies.iter().enumerate() {
                for (term, item) in tax.terms.iter().enumerate() {
                    if let Some(at) = item.pages.iter().position(|&p| p == id) {
                        let number = tax.pagination(item).pager_of(at);
                        jobs.insert(Job::TermPage {
                            lang,
                            taxonomy,
                            term,
                            number,
                        });
                    }
                }
            }
        }
    }
    jobs.into_iter().collect()
}

/// The term pages that show one of `entries` other than as a list item: a
/// declared term's own entry (every pager: they all carry its name) and
/// the landing pages featuring a page (their first pager).
pub fn term_pages_showing(site: &Site, entries: &[EntryId]) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (lang, index) in site.languages.iter().enumerate() {
        for (taxonomy, tax) in index.taxonomies.iter().enumerate() {
            for (term, item) in tax.terms.iter().enumerate() {
                let own = item.entry.is_some_and(|e| entries.contains(&e));
                let pagers = if own {
                    tax.pagination(item).pagers()
                } else {
                    usize::from(item.featured.iter().any(|f| entries.contains(f)))
                };
                jobs.extend((1..=pagers).map(|number| Job::TermPage {
                    lang,
                    taxonomy,
                    term,
                    number,
                }));
            }
        }
    }
    jobs
}
