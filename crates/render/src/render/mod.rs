//! Rendering, in stages that each own what they make: the Markdown pass
//! ([`Bodies`]), the template views built from it ([`Views`]), then Tera
//! templates and Atom feeds (of pages and of change notes), over the
//! immutable site model. Every page is a pure function of an [`Input`]; its
//! files go to an [`output::Sink`](vitrine_output::Sink), which keeps or
//! writes them (that is `output`'s job).

mod bodies;
mod body;
mod cards;
mod changes;
mod context;
mod feeds;
mod images;
mod kept;
mod links;
mod lists;
mod messages_shown;
pub mod notices;
mod pages;
mod pieces;
mod plan;
mod related;
mod seo;
mod templates;
mod terms;
mod views;

use std::sync::Arc;

pub use bodies::saved::KeptBodies;
pub use bodies::{Bodies, Body};
pub use changes::CHANGES_FILE;
pub use context::site_title;
pub use kept::Store;
pub use pieces::Pieces;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_images::ImageStore;
use vitrine_load::i18n::{Cldr, Messages};
use vitrine_model::{EntryId, Site};
use vitrine_search::Lexicon;

pub use images::Cover;
pub use links::EntryLinks;
pub use messages_shown::{ForeignMessages, MessagesShown, chain_reaches};
pub use pages::{Job, RenderedPages, job_file, render_jobs, render_jobs_into};
pub use plan::{Other, Plan, Rerender, TemplateReads, pages_showing, rerender, term_pages_showing};
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

/// The model and its Markdown pass, with the services both use: what a
/// build has made before its views, and what `serve` keeps between
/// rebuilds. Each part is shared by `Arc`, so `serve` replaces one and
/// keeps the others; feeds and search read only this.
#[derive(Clone)]
pub struct Prepared {
    pub site: Arc<Site>,
    pub services: Services,
    pub bodies: Arc<Bodies>,
}

impl Prepared {
    /// Renders the Markdown of every entry of `site`, in parallel.
    pub fn new(site: Site, messages: Messages, cldr: Cldr) -> (Prepared, Diagnostics) {
        let store = Store::new(&site.config.root);
        Prepared::new_in(site, messages, cldr, store)
    }

    /// [`Prepared::new`], keeping the bodies in `store`.
    pub fn new_in(
        site: Site,
        messages: Messages,
        cldr: Cldr,
        store: Option<Arc<Store>>,
    ) -> (Prepared, Diagnostics) {
        let services = Services::new(&site, messages, cldr);
        let (bodies, diagnostics) = Bodies::render_in(&site, &services, None, store);
        let prepared = Prepared {
            site: Arc::new(site),
            services,
            bodies: Arc::new(bodies),
        };
        (prepared, diagnostics)
    }

    /// The model with the bodies a build kept ([`Bodies::restore`])
    /// rather than rendered.
    pub fn with_bodies(
        site: Site,
        messages: Messages,
        cldr: Cldr,
        (bodies, lexicon): (Bodies, Lexicon),
    ) -> Prepared {
        let mut services = Services::new(&site, messages, cldr);
        services.lexicon = Arc::new(lexicon);
        Prepared {
            site: Arc::new(site),
            services,
            bodies: Arc::new(bodies),
        }
    }

    /// The template views of the site.
    pub fn views(&self) -> Views {
        Views::build(&self.site, &self.services, &self.bodies)
    }

    /// The template views one language's pages show
    /// ([`Views::of_language`]); `related` from [`Views::related`].
    pub fn views_of_language(&self, related: &Arc<Vec<Vec<EntryId>>>, lang: &str) -> Views {
        Views::of_language(&self.site, &self.services, &self.bodies, related, lang)
    }

    /// The site title of each language, as every page shows them
    /// ([`MessagesShown`]).
    pub fn site_titles(&self) -> Vec<String> {
        context::site_titles(&self.site, &self.services)
    }

    /// What one render reads: this and `views`.
    pub fn input<'a>(&'a self, views: &'a Views) -> Input<'a> {
        Input {
            site: &self.site,
            services: &self.services,
            bodies: &self.bodies,
            views,
        }
    }

    /// What search builds its index from: the model and what the Markdown
    /// pass kept of each body. Search gets only this.
    pub fn search_input(&self) -> vitrine_search::Input<'_> {
        self.bodies.search_input(&self.site, &self.services)
    }
}

/// What one render reads, borrowed from the stages that own it: the model,
/// the services, the Markdown pass's [`Bodies`] and the [`Views`] built
/// from them. Each is made and kept by its own stage (`build` drops the
/// views once pages are rendered; `serve` keeps them to refresh a few);
/// rendering only reads. Template functions do not borrow this: they hold
/// the `Arc` of what they need ([`load_templates`]).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    pub services: &'a Services,
    pub bodies: &'a Bodies,
    pub views: &'a Views,
}

impl<'a> Input<'a> {
    /// The Open Graph locale of a language of the site.
    pub fn og_locale(&self, code: &str) -> String {
        self.views
            .og_locales
            .get(code)
            .cloned()
            .unwrap_or_else(|| seo::og_locale(code))
    }

    /// What lists show of an entry: its kept view, or one built now for
    /// an entry the views leave out (another language's).
    pub fn entry_view(&self, id: EntryId) -> tera::Value {
        match &self.views.entries[id] {
            Some(view) => view.clone(),
            None => context::item_view(self, &cards::TermRefs::none(), id),
        }
    }

    /// A section's view with its pages (the entry's plain view for pages),
    /// kept or built now as [`Input::entry_view`] does.
    pub fn section_view(&self, id: EntryId) -> tera::Value {
        match self.views.sections.get(&id) {
            Some(view) => view.clone(),
            None if self.site.entries[id].is_section() => context::section_view(self, id),
            None => self.entry_view(id),
        }
    }
}
