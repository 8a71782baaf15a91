//! The template views: what Tera sees of each entry (`page`, a list item),
//! of each section with its pages, of the site and of its taxonomies. Built
//! by one function, [`Views::build`], from the model, the services and the
//! Markdown pass, once per render; dropped with the render that made them.
//! The same card inside thousands of views is shared, not copied
//! ([`super::cards`]).

use rayon::prelude::*;
use tera::Value;

use super::{Env, cards, context, lists, related};
use crate::model::EntryId;

/// Which entry of the previous model has the same view as entry `id` of
/// the new one, if any.
pub type Same<'a> = dyn Fn(&Env, EntryId) -> Option<EntryId> + Sync + 'a;

/// Every view a render shows, by entry and by language.
#[derive(Clone, Default)]
pub struct Views {
    /// Related pages by entry (`page.related`).
    pub related: Vec<Vec<EntryId>>,
    /// The view of each entry (`page` / list item).
    pub entries: Vec<Value>,
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
}

impl Views {
    /// Builds every view of `env`'s site into `env.views`: related pages
    /// first (entry views show them), then entries, sections, the site
    /// and the taxonomies.
    ///
    /// With `previous`, an entry for which `same` (asked once related pages
    /// are known) names an entry of the previous views takes that entry's
    /// view (`serve` keeps the views of entries whose inputs did not
    /// change), and cards are built on demand rather than ahead. Returns
    /// which entries kept their view.
    pub fn build(env: &mut Env, previous: Option<(&Views, &Same<'_>)>) -> Vec<bool> {
        env.views = Views {
            related: related::compute(&env.site),
            ..Views::default()
        };
        let (entries, kept): (Vec<Value>, Vec<bool>) = {
            let env = &*env;
            let cards = match previous {
                Some(_) => cards::Cards::none(),
                None => cards::Cards::all(env),
            };
            (0..env.site.entries.len())
                .into_par_iter()
                .map(
                    |i| match previous.and_then(|(views, same)| Some(&views.entries[same(env, i)?])) {
                        Some(view) => (view.clone(), true),
                        None => (context::entry_view(env, &cards, i), false),
                    },
                )
                .unzip()
        };
        env.views.entries = entries;
        env.views.sections = Views::sections(env);
        env.refresh_site_views();
        let env_ref = &*env;
        let taxonomies = env_ref
            .site
            .languages
            .iter()
            .map(|l| {
                l.taxonomies
                    .iter()
                    .map(|t| lists::taxonomy_value(env_ref, t))
                    .collect()
            })
            .collect();
        env.views.taxonomies = taxonomies;
        kept
    }

    /// Each section's view with its pages' views.
    pub(super) fn sections(env: &Env) -> Vec<Option<Value>> {
        (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| {
                env.site.entries[i]
                    .is_section()
                    .then(|| context::section_view(env, i))
            })
            .collect()
    }
}
