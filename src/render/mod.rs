//! Rendering: Markdown bodies, then Tera templates and Atom feeds (of pages
//! and of change notes), over the immutable site
//! model. Everything here is a pure function of [`Env`]; its files go to an
//! [`output::Sink`](crate::output::Sink), which keeps or writes them (that
//! is `output`'s job).

mod bodies;
mod body;
mod cards;
mod changes;
mod context;
mod feeds;
mod images;
mod links;
mod lists;
pub mod notices;
mod pages;
mod related;
mod seo;
mod templates;
mod terms;
mod views;

use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::i18n::{Cldr, Messages};
use crate::images::ImageStore;
use crate::model::{EntryId, Site};
use crate::output::Sink;
use crate::search::Lexicon;
pub use bodies::{Bodies, Body};
pub use changes::{CHANGES_FILE, changes_feeds};
pub use context::site_title;
pub use feeds::{feed_paths, feeds, feeds_in};
pub use images::Cover;
pub use links::EntryLinks;
pub use pages::{Job, job_file, jobs, render_jobs, render_jobs_into};
pub use templates::{Templates, load_templates};
pub use views::Views;

/// The services rendering calls on: Fluent messages, CLDR, the image store
/// and the search lexicon. Kept from one model of the site to the next
/// while serving.
#[derive(Clone)]
pub struct Services {
    pub messages: Arc<Messages>,
    pub cldr: Arc<Cldr>,
    /// Every image request of the build; processed after rendering.
    pub images: Arc<ImageStore>,
    /// The numbers the Markdown pass writes search terms with; shared with
    /// the next model of the site while serving, so kept bodies stay
    /// readable.
    pub lexicon: Arc<Lexicon>,
}

impl Services {
    /// The services of a first build of `site`.
    pub fn new(site: &Site, messages: Messages, cldr: Cldr) -> Services {
        Services {
            messages: Arc::new(messages),
            cldr: Arc::new(cldr),
            images: Arc::new(ImageStore::new(
                &site.config.root,
                &site.config.base_url,
                site.config.images.clone(),
            )),
            lexicon: Arc::default(),
        }
    }
}

/// What rendering reads, in the order the stages make it: the model, the
/// services, the Markdown pass's [`Bodies`], and the [`Views`] built from
/// them. Shared by all threads and template functions of one render.
#[derive(Clone)]
pub struct Env {
    pub site: Site,
    pub services: Services,
    pub bodies: Bodies,
    pub views: Views,
}

impl Env {
    /// Renders Markdown and builds template views for every entry, in parallel.
    pub fn new(site: Site, messages: Messages, cldr: Cldr) -> (Env, Diagnostics) {
        let services = Services::new(&site, messages, cldr);
        let (bodies, diagnostics) = Bodies::render(&site, &services, None);
        let mut env = Env {
            site,
            services,
            bodies,
            views: Views::default(),
        };
        Views::build(&mut env, None);
        (env, diagnostics)
    }

    /// An environment for a new model of the same site (`serve`, after
    /// pages were added, removed or their front matter changed): the
    /// services are shared with `previous`, and an entry whose `reuse` is
    /// `Some(old)` takes the body of `previous`'s entry `old` instead of
    /// rendering it again. Likewise an entry for which `same` (asked once
    /// bodies and related pages are known) names an entry of `previous`
    /// takes that entry's view. Returns which entries kept their view.
    pub fn renew(
        site: Site,
        previous: &Env,
        reuse: &[Option<EntryId>],
        same: &views::Same<'_>,
    ) -> (Env, Vec<bool>, Diagnostics) {
        let services = previous.services.clone();
        let (bodies, diagnostics) = Bodies::render(&site, &services, Some((&previous.bodies, reuse)));
        let mut env = Env {
            site,
            services,
            bodies,
            views: Views::default(),
        };
        let kept = Views::build(&mut env, Some((&previous.views, same)));
        (env, kept, diagnostics)
    }

    /// Renders the bodies of `ids` again and rebuilds their views and those
    /// of the sections listing them (`serve`, after their text changed and
    /// their front matter did not). On error, nothing is changed.
    pub fn refresh_entries(&mut self, ids: &[EntryId]) -> Result<(), Diagnostics> {
        self.bodies.refresh(&self.site, &self.services, ids)?;
        let views: Vec<tera::Value> = {
            use rayon::prelude::*;
            let cards = cards::Cards::none();
            ids.par_iter()
                .map(|&id| context::entry_view(self, &cards, id))
                .collect()
        };
        for (&id, view) in ids.iter().zip(views) {
            self.views.entries[id] = view;
        }
        // A section's view holds its pages' views: rebuild those listing a
        // refreshed entry (and refreshed sections themselves).
        let mut sections: Vec<EntryId> = ids
            .iter()
            .flat_map(|&id| [Some(id), self.site.entries[id].parent])
            .flatten()
            .filter(|&s| self.site.entries[s].is_section())
            .collect();
        sections.sort_unstable();
        sections.dedup();
        for s in sections {
            self.views.sections[s] = Some(context::section_view(self, s));
        }
        Ok(())
    }

    /// Builds the `site` variable and the site title of every language
    /// (again after a Fluent change: the title may come from a message).
    pub fn refresh_site_views(&mut self) {
        let languages = &self.site.config.languages;
        let titles = languages
            .iter()
            .map(|l| context::site_title(self, &l.code))
            .collect();
        let site = languages
            .iter()
            .map(|l| context::site_view(self, &l.code))
            .collect();
        self.views.site_titles = titles;
        self.views.site = site;
        self.views.og_locales = languages
            .iter()
            .map(|l| (l.code.clone(), seo::og_locale(&l.code)))
            .collect();
    }

    /// Drops the template views (entries, sections) once every page is
    /// rendered; later stages read the model only.
    pub fn release_views(&mut self) {
        self.views.entries = Vec::new();
        self.views.sections = Vec::new();
    }

    /// What search builds its index from: the model and what the Markdown
    /// pass kept of each body. Search gets only this, not the environment.
    pub fn search_input(&self) -> crate::search::Input<'_> {
        self.bodies.search_input(&self.site, &self.services)
    }

    /// The body HTML of an entry.
    pub fn content(&self, id: EntryId) -> &str {
        self.bodies[id].html()
    }

    /// The Open Graph locale of a language of the site.
    pub fn og_locale(&self, code: &str) -> String {
        self.views
            .og_locales
            .get(code)
            .cloned()
            .unwrap_or_else(|| seo::og_locale(code))
    }

    /// A section's view with its pages (the entry's plain view for pages).
    pub fn section_view(&self, id: usize) -> tera::Value {
        self.views.sections[id]
            .clone()
            .unwrap_or_else(|| self.views.entries[id].clone())
    }
}

/// Renders every page, list, taxonomy page and 404 of every language.
pub fn render_all(env: &Arc<Env>, templates: &Templates, sink: &dyn Sink) -> Diagnostics {
    pages::render_all(env, templates, sink)
}
