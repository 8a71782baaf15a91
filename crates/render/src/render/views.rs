//! The template views: what Tera sees of each entry (`page`, a list item),
//! of each section with its pages, of the site and of its taxonomies. Built
//! by one function from the model, the services and the Markdown pass:
//! [`Views::build`] for every entry, [`Views::of_language`] for one
//! language's entries. A build renders one language at a time and drops
//! its views before the next; `serve` holds one language's views between
//! edits, as a build does, and builds another's when a render needs it.
//! Any entry's view left out is built on demand ([`Input::entry_view`]),
//! equal, only slower. The same term reference inside thousands of views
//! is shared, not copied ([`super::cards`]).

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::Value;

use super::{Bodies, Input, Services, cards, context, lists, related, seo};
use vitrine_model::{EntryId, Site};

/// Every view a render shows, by entry and by language.
#[derive(Clone, Default)]
pub struct Views {
    /// The language whose entries' views are held ([`Views::of_language`]);
    /// `None` when every language's are.
    pub language: Option<String>,
    /// Related pages by entry (`page.related`), for every entry: computed
    /// once and shared by each language's views.
    pub related: Arc<Vec<Vec<EntryId>>>,
    /// What lists show of each entry; its own page adds the rest
    /// ([`context::page_view`]) as it renders. `None` for the entries a
    /// language's views leave out: read them through
    /// [`Input::entry_view`], which builds those on demand.
    pub entries: Vec<Option<Value>>,
    /// For sections: their view with `pages` (every page of the section),
    /// built once rather than for each of its paginated pages. By entry:
    /// a site has few sections among its entries.
    pub sections: FxHashMap<EntryId, Value>,
    /// The `site` template variable per language, in `site.languages` order.
    pub site: Vec<Value>,
    /// The site title per language, in the same order: every page's
    /// `<title>` and JSON-LD show it, so its Fluent message is formatted
    /// once per language, not once per page.
    pub site_titles: Vec<String>,
    /// `taxonomy` (and `get_taxonomy`) by language, then taxonomy, in
    /// `site.languages` order: the same on every term page.
    pub taxonomies: Vec<Vec<Value>>,
    /// Open Graph locale (`vi_VN`) by language code: the same on every page.
    pub og_locales: std::collections::HashMap<String, String>,
}

/// The entries whose views are built ahead.
type Wanted<'a> = dyn Fn(EntryId) -> bool + Sync + 'a;

impl Views {
    /// Builds every view of `site`: related pages first (entry views show
    /// them), then entries, sections, the site and the taxonomies.
    pub fn build(site: &Site, services: &Services, bodies: &Bodies) -> Views {
        let related = Arc::new(related::compute(site));
        Self::build_with(site, services, bodies, related, &|_| true)
    }

    /// Builds the views the pages of language `lang` show: its entries' and
    /// sections' (with `related` from [`related::compute`], shared by every
    /// language). Another language's entry, asked for by a template
    /// (`get_page` with `lang`), has its view built on demand: equal, only
    /// slower. Lists, pagers and term pages show entries of their own
    /// language only.
    pub fn of_language(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        related: &Arc<Vec<Vec<EntryId>>>,
        lang: &str,
    ) -> Views {
        let wanted = |id: EntryId| site.entries[id].lang == lang;
        let mut views = Self::build_with(site, services, bodies, related.clone(), &wanted);
        views.language = Some(lang.to_string());
        views
    }

    /// The views of no entry: the site's, the taxonomies' and related
    /// pages only. Every entry's view is built when asked for, so these
    /// serve a few pages, or stand until [`Views::of_language`] is built.
    pub fn of_no_entry(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        related: &Arc<Vec<Vec<EntryId>>>,
    ) -> Views {
        Self::build_with(site, services, bodies, related.clone(), &|_| false)
    }

    /// Related pages of every entry, for [`Views::of_language`].
    pub fn related(site: &Site) -> Arc<Vec<Vec<EntryId>>> {
        Arc::new(related::compute(site))
    }

    /// Builds the views of the entries `wanted` says.
    fn build_with(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        related: Arc<Vec<Vec<EntryId>>>,
        wanted: &Wanted<'_>,
    ) -> Views {
        let mut views = Views {
            related,
            ..Views::default()
        };
        let entries = {
            let input = Input {
                site,
                services,
                bodies,
                views: &views,
            };
            let terms = cards::TermRefs::of_pages(&input, wanted);
            (0..site.entries.len())
                .into_par_iter()
                .map(|i| wanted(i).then(|| context::item_view(&input, &terms, i)))
                .collect()
        };
        views.entries = entries;
        views.sections = views.section_views(site, services, bodies, wanted);
        views.refresh_site(site, services, bodies);
        let input = Input {
            site,
            services,
            bodies,
            views: &views,
        };
        let taxonomies = site
            .languages
            .iter()
            .map(|l| {
                l.taxonomies
                    .iter()
                    .map(|t| lists::taxonomy_value(&input, t))
                    .collect()
            })
            .collect();
        views.taxonomies = taxonomies;
        views
    }

    /// Each section's view with its pages' views.
    fn section_views(
        &self,
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        wanted: &Wanted<'_>,
    ) -> FxHashMap<EntryId, Value> {
        let input = Input {
            site,
            services,
            bodies,
            views: self,
        };
        (0..site.entries.len())
            .into_par_iter()
            .filter(|&i| site.entries[i].is_section() && wanted(i))
            .map(|i| (i, context::section_view(&input, i)))
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }

    /// Builds the views of `ids` again, and those of the sections listing
    /// them (`serve`, after their bodies were rendered again and their
    /// front matter did not change). Only views held are built: the others
    /// are built on demand from the model, so they are never stale.
    pub fn refresh_entries(&mut self, site: &Site, services: &Services, bodies: &Bodies, ids: &[EntryId]) {
        let held: Vec<EntryId> = ids
            .iter()
            .copied()
            .filter(|&id| self.entries.get(id).is_some_and(Option::is_some))
            .collect();
        let fresh: Vec<Value> = {
            let input = Input {
                site,
                services,
                bodies,
                views: self,
            };
            let terms = cards::TermRefs::none();
            held.par_iter()
                .map(|&id| context::item_view(&input, &terms, id))
                .collect()
        };
        for (&id, view) in held.iter().zip(fresh) {
            self.entries[id] = Some(view);
        }
        // Their links and cards are picked from these views as pages ask.
        // A section's view holds its pages' views: rebuild those held that
        // list a refreshed entry (and refreshed sections themselves).
        let mut sections: Vec<EntryId> = ids
            .iter()
            .flat_map(|&id| [Some(id), site.entries[id].parent])
            .flatten()
            .filter(|&s| site.entries[s].is_section() && self.sections.contains_key(&s))
            .collect();
        sections.sort_unstable();
        sections.dedup();
        for s in sections {
            let input = Input {
                site,
                services,
                bodies,
                views: self,
            };
            let view = context::section_view(&input, s);
            self.sections.insert(s, view);
        }
    }

    /// Builds the `site` variable and the site title of every language
    /// (again after a Fluent change: the title may come from a message).
    pub fn refresh_site(&mut self, site: &Site, services: &Services, bodies: &Bodies) {
        let input = Input {
            site,
            services,
            bodies,
            views: self,
        };
        let languages = &site.config.languages;
        let titles = context::site_titles(site, services);
        let site_views = languages
            .iter()
            .map(|l| context::site_view(&input, &l.code))
            .collect();
        let og_locales = languages
            .iter()
            .map(|l| (l.code.clone(), seo::og_locale(&l.code)))
            .collect();
        self.site_titles = titles;
        self.site = site_views;
        self.og_locales = og_locales;
    }
}
