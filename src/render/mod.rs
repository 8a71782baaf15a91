//! Rendering: Markdown bodies, then Tera templates, over the immutable site
//! model. Everything here is a pure function of [`Env`] that returns
//! [`OutputFile`]s; nothing is written to disk (that is `output`'s job).

mod context;
mod links;
mod pages;
mod seo;
mod templates;

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Cldr, Messages};
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::model::{EntryId, Site};
use crate::output::OutputFile;
pub use context::site_title;
pub use links::EntryLinks;
pub use pages::{Job, jobs, render_jobs, section_page_size};
pub use templates::{Templates, load_templates};

/// Everything rendering reads, shared by all threads and template functions.
pub struct Env {
    pub site: Site,
    pub messages: Messages,
    pub cldr: Cldr,
    /// Rendered Markdown by entry.
    pub bodies: Vec<Rendered>,
    /// The template view of each entry (`page` / list item), built once.
    pub views: Vec<tera::Value>,
    /// The `site` template variable per language, in `site.languages` order.
    pub site_views: Vec<tera::Value>,
}

impl Env {
    /// Renders Markdown and builds template views for every entry, in parallel.
    pub fn new(site: Site, messages: Messages, cldr: Cldr) -> (Env, Diagnostics) {
        let results: Vec<Result<Rendered, Vec<Diagnostic>>> = site
            .entries
            .par_iter()
            .enumerate()
            .map(|(id, _)| render_body(&site, id))
            .collect();
        let mut diagnostics = Diagnostics::new();
        let bodies = results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|errs| {
                    diagnostics.extend(errs);
                    Rendered::default()
                })
            })
            .collect();
        let mut env = Env {
            site,
            messages,
            cldr,
            bodies,
            views: Vec::new(),
            site_views: Vec::new(),
        };
        env.views = (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| context::entry_view(&env, i))
            .collect();
        env.site_views = env
            .site
            .config
            .languages
            .iter()
            .map(|l| context::site_view(&env, &l.code))
            .collect();
        (env, diagnostics)
    }

    /// Re-renders the Markdown and rebuilds the views of `ids`, whose
    /// documents' bodies changed while their front matter did not (`serve`'s
    /// incremental path). On error, nothing is changed.
    pub fn refresh_entries(&mut self, ids: &[EntryId]) -> Result<(), Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut bodies = Vec::with_capacity(ids.len());
        for &id in ids {
            match render_body(&self.site, id) {
                Ok(body) => bodies.push(body),
                Err(errs) => diagnostics.extend(errs),
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        for (&id, body) in ids.iter().zip(bodies) {
            self.bodies[id] = body;
        }
        for &id in ids {
            self.views[id] = context::entry_view(self, id);
        }
        Ok(())
    }

    /// Rebuilds the `site` variable of every language (after a Fluent change:
    /// the site title may come from a message).
    pub fn refresh_site_views(&mut self) {
        self.site_views = self
            .site
            .config
            .languages
            .iter()
            .map(|l| context::site_view(self, &l.code))
            .collect();
    }
}

/// The Markdown of one entry, with links resolved in the entry's language.
fn render_body(site: &Site, id: EntryId) -> Result<Rendered, Vec<Diagnostic>> {
    let options = MarkdownOptions {
        allow_html: site.config.allow_html,
    };
    let entry = &site.entries[id];
    let doc = site.doc(entry);
    let links = EntryLinks {
        site,
        lang: &entry.lang,
    };
    markdown::render(&doc.body, doc.body_line, &options, &links)
        .map_err(|errs| errs.into_iter().map(|d| d.in_file(&doc.file)).collect())
}

/// Renders every page, list, taxonomy page and 404 of every language.
pub fn render_all(env: &Arc<Env>, templates: &Templates) -> (Vec<OutputFile>, Diagnostics) {
    pages::render_all(env, templates)
}
