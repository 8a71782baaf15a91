//! Which outputs a new model changes, found by comparing it with the model
//! the previous output was rendered from (serve's, or an incremental
//! build's). Entry ids differ between the two, so entries are matched by
//! URL path and terms by slug.
//!
//! An output is rendered again when what its template gets differs:
//! - an entry's page: its view (`page`, built from its front matter, body,
//!   neighbours, related pages, ancestors and subsections), or anything of
//!   its translation group (hreflang alternates, canonical URL);
//! - a pager of a section or term: the pages it lists (by URL and view), or
//!   their count (every pager shows the number of pagers);
//! - a home: the language's `latest` list;
//! - a taxonomy list: its terms and their page counts; a term page: also
//!   the term's presence in other languages (its alternates).
//!
//! What templates can read beyond that (`get_page`, `get_taxonomy`, links
//! resolved by `url_for`, the `site` variable) is handled by rendering
//! everything: see [`Rerender::everything`].

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::reads::TemplateReads;
use super::showing::term_pages_showing;
use crate::render::context::own_view;
use crate::render::{Input, Job, Templates, feeds};
use vitrine_load::content::DocumentKind;
use vitrine_model::{EntryId, Site, Taxonomy};

/// Whether entry `o` of `old` and `i` of `new` show the same: in lists
/// (their item views, held or built now) and on their own pages (made
/// there, so made here again to compare).
fn same_view(old: &Input<'_>, o: EntryId, new: &Input<'_>, i: EntryId) -> bool {
    old.entry_view(o) == new.entry_view(i) && own_view(old, o) == own_view(new, i)
}

/// What to render after a content change.
#[derive(Debug, Default)]
pub struct Rerender {
    /// Render every output from the new model instead.
    pub everything: bool,
    pub jobs: Vec<Job>,
    /// Rendered files of the previous site that the new one does not have.
    pub removed: Vec<String>,
    /// Languages whose feeds and search index may show a changed page.
    pub langs: BTreeSet<String>,
}

/// Compares `old` and `new` (the model after the files `changed` were read
/// again; `moved`: content paths whose URLs moved).
pub fn rerender(
    old: &Input<'_>,
    new: &Input<'_>,
    changed: &BTreeSet<String>,
    moved: &BTreeSet<(DocumentKind, String)>,
    kept_views: &[bool],
    theme: &TemplateReads,
    templates: &Templates,
) -> Rerender {
    let (os, ns) = (&old.site, &new.site);
    let template_links = theme.resolves_links
        && moved.iter().any(|(kind, path)| {
            *kind == DocumentKind::Section || theme.link_literals.iter().any(|l| l.contains(path.as_str()))
        });
    if theme.reads_any_page || theme.reads_taxonomies || template_links || old.views.site != new.views.site {
        return Rerender {
            everything: true,
            ..Rerender::default()
        };
    }
    let old_at: HashMap<&str, EntryId> = index_by_path(os);
    let new_at: HashMap<&str, EntryId> = index_by_path(ns);
    // An entry is changed when its file was read again or its view differs
    // from the previous view at its URL (a view taken over is the same).
    let dirty: Vec<bool> = (0..ns.entries.len())
        .into_par_iter()
        .map(|i| {
            let e = &ns.entries[i];
            changed.contains(&ns.doc(e).file)
                || old_at
                    .get(e.path.as_str())
                    .is_none_or(|&o| !kept_views[i] && !same_view(old, o, new, i))
        })
        .collect();
    let mut langs = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for (o, e) in os.entries.iter().enumerate() {
        let gone = !new_at.contains_key(e.path.as_str());
        if !(gone || changed.contains(&os.doc(e).file)) {
            continue;
        }
        if !e.is_fallback || e.is_section() {
            langs.insert(e.lang.clone());
        }
        // Its former translations lose or change an alternate.
        for &m in os.groups[os.entries[o].group].entries.values() {
            if let Some(&n) = new_at.get(os.entries[m].path.as_str()) {
                groups.insert(ns.entries[n].group);
            }
        }
    }
    for (_, e) in ns.entries.iter().enumerate().filter(|(i, _)| dirty[*i]) {
        groups.insert(e.group);
        // Feeds carry a language's own pages; section feeds exist for
        // fallback sections too.
        if !e.is_fallback || e.is_section() {
            langs.insert(e.lang.clone());
        }
    }
    langs.extend(empty_feeds_changed(os, ns));
    let mut jobs = BTreeSet::new();
    for (i, e) in ns.entries.iter().enumerate() {
        if dirty[i] || groups.contains(&e.group) {
            jobs.insert(Job::Entry(i));
        }
    }
    // A declared term's entry is rendered as its term pages.
    if templates.has("term.html") {
        let shown: Vec<EntryId> = jobs
            .iter()
            .filter_map(|j| match j {
                Job::Entry(i) => Some(*i),
                _ => None,
            })
            .collect();
        jobs.extend(term_pages_showing(ns, &shown));
    }
    let lists = Lists {
        old,
        new,
        dirty: &dirty,
        old_at: &old_at,
    };
    lists.sections(theme, &mut jobs);
    lists.taxonomies(theme, templates, &mut jobs);
    let files = |site: &Site| -> HashSet<String> {
        super::Plan::of(site, templates)
            .page_paths(site)
            .into_iter()
            .collect()
    };
    let after = files(ns);
    let mut removed: Vec<String> = files(os).into_iter().filter(|f| !after.contains(f)).collect();
    removed.sort();
    Rerender {
        everything: false,
        jobs: jobs.into_iter().collect(),
        removed,
        langs,
    }
}

/// Languages whose feeds without entries say another `<updated>` in `new`
/// ([`feeds::empty_feed_updated`]): a language without dated pages of its
/// own says the site's newest date, which a page of another language moves.
fn empty_feeds_changed(old: &Site, new: &Site) -> Vec<String> {
    let (before, after) = (feeds::empty_feed_updated(old), feeds::empty_feed_updated(new));
    let langs: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    langs
        .into_iter()
        .filter(|lang| before.get(lang) != after.get(lang))
        .map(str::to_string)
        .collect()
}

fn index_by_path(site: &Site) -> HashMap<&str, EntryId> {
    site.entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_str(), i))
        .collect()
}

/// Compares the lists (sections, homes, terms) of two models.
struct Lists<'a> {
    old: &'a Input<'a>,
    new: &'a Input<'a>,
    dirty: &'a [bool],
    old_at: &'a HashMap<&'a str, EntryId>,
}

impl Lists<'_> {
    /// Whether page `number` of `size` items differs: other URLs, or a
    /// changed entry among them.
    fn pager_differs(&self, before: &[EntryId], after: &[EntryId], size: usize, number: usize) -> bool {
        let slice = |list: &[EntryId]| {
            list.iter()
                .skip((number - 1) * size)
                .take(size)
                .copied()
                .collect::<Vec<_>>()
        };
        let (b, a) = (slice(before), slice(after));
        b.len() != a.len()
            || a.iter().any(|&n| self.dirty[n])
            || b.iter()
                .zip(&a)
                .any(|(&o, &n)| self.old.site.entries[o].path != self.new.site.entries[n].path)
    }

    fn sections(&self, theme: &TemplateReads, jobs: &mut BTreeSet<Job>) {
        let (os, ns) = (&self.old.site, &self.new.site);
        for (s, e) in ns.entries.iter().enumerate().filter(|(_, e)| e.is_section()) {
            let home = ns.is_home(s);
            let size = ns.section_pagination(s).size();
            let count = if home {
                1
            } else {
                ns.section_pagination(s).pagers()
            };
            let before = self
                .old_at
                .get(e.path.as_str())
                .copied()
                .filter(|&o| os.entries[o].is_section());
            let Some(o) = before else {
                jobs.insert(Job::Entry(s));
                jobs.extend((2..=count).map(|n| Job::pager(s, n)));
                continue;
            };
            let old_pages = &os.entries[o].pages;
            let all = self.dirty[s]
                || old_pages.len() != e.pages.len()
                || os.section_pagination(o).size() != size
                || (theme.lists_all_pages && self.pager_differs(old_pages, &e.pages, usize::MAX, 1));
            for n in 1..=count {
                if all || self.pager_differs(old_pages, &e.pages, size, n) {
                    jobs.insert(Job::pager(s, n));
                }
            }
            if home {
                let latest = |site: &Site| {
                    site.language(&e.lang)
                        .map(|l| l.latest.clone())
                        .unwrap_or_default()
                };
                if self.pager_differs(&latest(os), &latest(ns), usize::MAX, 1) {
                    jobs.insert(Job::Entry(s));
                }
            }
        }
    }

    fn taxonomies(&self, theme: &TemplateReads, templates: &Templates, jobs: &mut BTreeSet<Job>) {
        let (os, ns) = (&self.old.site, &self.new.site);
        let term_pages = templates.has("term.html");
        let counts = |tax: &Taxonomy| -> Vec<(String, String, usize)> {
            tax.terms
                .iter()
                .map(|t| (t.name.clone(), t.slug.clone(), t.pages.len()))
                .collect()
        };
        for t in 0..ns.config.taxonomies.len() {
            // Terms that appeared or went in a language change the
            // alternates of that term's pages in every language.
            let presence = |site: &Site| -> BTreeSet<(usize, String)> {
                site.languages
                    .iter()
                    .enumerate()
                    .flat_map(|(l, index)| {
                        index
                            .taxonomies
                            .get(t)
                            .into_iter()
                            .flat_map(move |tax| tax.terms.iter().map(move |x| (l, x.slug.clone())))
                    })
                    .collect()
            };
            let (was, is) = (presence(os), presence(ns));
            let retranslated: BTreeSet<&String> =
                was.symmetric_difference(&is).map(|(_, slug)| slug).collect();
            for (l, index) in ns.languages.iter().enumerate() {
                let (Some(tax), Some(before)) = (
                    index.taxonomies.get(t),
                    os.languages.get(l).and_then(|x| x.taxonomies.get(t)),
                ) else {
                    continue;
                };
                let terms_changed = counts(before) != counts(tax);
                if terms_changed && templates.has("taxonomy.html") {
                    jobs.insert(Job::TaxonomyList { lang: l, taxonomy: t });
                }
                if !term_pages {
                    continue;
                }
                let old_terms: HashMap<&str, &vitrine_model::Term> =
                    before.terms.iter().map(|x| (x.slug.as_str(), x)).collect();
                for (k, term) in tax.terms.iter().enumerate() {
                    let pagination = tax.pagination(term);
                    let (size, count) = (pagination.size(), pagination.pagers());
                    let previous = old_terms.get(term.slug.as_str());
                    let all = (terms_changed && theme.reads_all_terms)
                        || retranslated.contains(&term.slug)
                        || previous.is_none_or(|p| p.name != term.name || p.pages.len() != term.pages.len());
                    for n in 1..=count {
                        let differs =
                            || previous.is_some_and(|p| self.pager_differs(&p.pages, &term.pages, size, n));
                        if all || differs() {
                            jobs.insert(Job::TermPage {
                                lang: l,
                                taxonomy: t,
                                term: k,
                                number: n,
                            });
                        }
                    }
                }
            }
        }
    }
}
