//! The template views: what Tera sees of each entry (`page`, a list item),
//! of each section with its pages, of the site and of its taxonomies. Built
//! by one function from the model, the services and the Markdown pass:
//! [`Views::build`] for every entry (`serve` keeps them to refresh the few
//! an edit changes), [`Views::of_language`] for one language's entries (a
//! build renders one language at a time and drops its views before the
//! next, so a build holds about a language's views, not the site's).
//! The same card inside thousands of views is shared, not copied
//! ([`super::cards`]).

use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::{Bodies, Input, Services, cards, context, lists, related, seo};
use vitrine_model::{EntryId, Site};

/// Which entry of the previous model has the same view as entry `id` of
/// the new one, if any.
pub type Same<'a> = dyn Fn(&Input<'_>, EntryId) -> Option<EntryId> + Sync + 'a;

/// Every view a render shows, by entry and by language.
#[derive(Clone, Default)]
pub struct Views {
    /// Related pages by entry (`page.related`), for every entry: computed
    /// once and shared by each language's views.
    pub related: Arc<Vec<Vec<EntryId>>>,
    /// What lists show of each entry; its own page adds the rest
    /// ([`context::page_view`]) as it renders. `None` for the entries a
    /// language's views leave out: read them through
    /// [`Input::entry_view`], which builds those on demand.
    pub entries: Vec<Option<Value>>,
    /// For sections: their view with `pages` (every page of the section),
    /// built once rather than for each of its paginated pages.
    pub sections: Vec<Option<Value>>,
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
    /// Link and related cards built ahead, for the own views of pages
    /// ([`context::page_view`]); empty while serving (built on demand).
    pub cards: cards::Kept,
}

/// The entries whose views are built ahead.
type Wanted<'a> = dyn Fn(EntryId) -> bool + Sync + 'a;

impl Views {
    /// Builds every view of `site`: related pages first (entry views show
    /// them), then entries, sections, the site and the taxonomies.
    ///
    /// With `previous`, an entry for which `same` (asked once related pages
    /// are known) names an entry of the previous views takes that entry's
    /// view (`serve` keeps the views of entries whose inputs did not
    /// change), and cards are built on demand rather than ahead. Also
    /// returns which entries kept their view.
    pub fn build(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        previous: Option<(&Views, &Same<'_>)>,
    ) -> (Views, Vec<bool>) {
        let related = Arc::new(related::compute(site));
        Self::build_where(site, services, bodies, previous, related, &|_| true)
    }

    /// Builds the views the pages of language `lang` show: its entries',
    /// sections' and cards' (with `related` from [`related::compute`],
    /// shared by every language). Another language's entry, asked for by
    /// a template (`get_page` with `lang`), has its view built on demand:
    /// equal, only slower. Lists, pagers and term pages show entries of
    /// their own language only.
    pub fn of_language(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        related: &Arc<Vec<Vec<EntryId>>>,
        lang: &str,
    ) -> Views {
        let wanted = |id: EntryId| site.entries[id].lang == lang;
        Self::build_where(site, services, bodies, None, related.clone(), &wanted).0
    }

    /// Related pages of every entry, for [`Views::of_language`].
    pub fn related(site: &Site) -> Arc<Vec<Vec<EntryId>>> {
        Arc::new(related::compute(site))
    }

    fn build_where(
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        previous: Option<(&Views, &Same<'_>)>,
        related: Arc<Vec<Vec<EntryId>>>,
        wanted: &Wanted<'_>,
    ) -> (Views, Vec<bool>) {
        let mut views = Views {
            related,
            ..Views::default()
        };
        let (entries, kept, kept_cards) = {
            let input = Input {
                site,
                services,
                bodies,
                views: &views,
            };
            let cards = match previous {
                Some(_) => cards::Cards::none(),
                None => cards::Cards::all(&input, wanted),
            };
            let (entries, kept): (Vec<Option<Value>>, Vec<bool>) = (0..site.entries.len())
                .into_par_iter()
                .map(|i| {
                    if !wanted(i) {
                        return (None, false);
                    }
                    match previous.and_then(|(old, same)| old.entries[same(&input, i)?].as_ref()) {
                        Some(view) => (Some(view.clone()), true),
                        None => (Some(context::item_view(&input, &cards, i)), false),
                    }
                })
                .unzip();
            (entries, kept, cards.into_kept())
        };
        views.entries = entries;
        views.cards = kept_cards;
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
        (views, kept)
    }

    /// Each section's view with its pages' views.
    fn section_views(
        &self,
        site: &Site,
        services: &Services,
        bodies: &Bodies,
        wanted: &Wanted<'_>,
    ) -> Vec<Option<Value>> {
        let input = Input {
            site,
            services,
            bodies,
            views: self,
        };
        (0..site.entries.len())
            .into_par_iter()
            .map(|i| (site.entries[i].is_section() && wanted(i)).then(|| context::section_view(&input, i)))
            .collect()
    }

    /// Builds the views of `ids` again, and those of the sections listing
    /// them (`serve`, after their bodies were rendered again and their
    /// front matter did not change).
    pub fn refresh_entries(&mut self, site: &Site, services: &Services, bodies: &Bodies, ids: &[EntryId]) {
        let fresh: Vec<Value> = {
            let input = Input {
                site,
                services,
                bodies,
                views: self,
            };
            let cards = cards::Cards::none();
            ids.par_iter()
                .map(|&id| context::item_view(&input, &cards, id))
                .collect()
        };
        for (&id, view) in ids.iter().zip(fresh) {
            self.entries[id] = Some(view);
        }
        // Their cards show their summary and cover.
        let mut kept = std::mem::take(&mut self.cards);
        kept.refresh(
            &Input {
                site,
                services,
                bodies,
                views: self,
            },
            ids,
        );
        self.cards = kept;
        // A section's view holds its pages' views: rebuild those listing a
        // refreshed entry (and refreshed sections themselves).
        let mut sections: Vec<EntryId> = ids
            .iter()
            .flat_map(|&id| [Some(id), site.entries[id].parent])
            .flatten()
            .filter(|&s| site.entries[s].is_section())
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
            self.sections[s] = Some(view);
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
        let titles = languages
            .iter()
            .map(|l| context::site_title(site, services, &l.code))
            .collect();
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
