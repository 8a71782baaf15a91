//! Rendering: Markdown bodies, then Tera templates, over the immutable site
//! model. Everything here is a pure function of [`Env`] that returns
//! [`OutputFile`]s; nothing is written to disk (that is `output`'s job).

mod body;
mod context;
mod links;
mod pages;
mod related;
mod seo;
mod templates;

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Cldr, Messages};
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::Site;
use crate::output::OutputFile;
use crate::shortcodes::Shortcodes;
pub use context::site_title;
pub use links::EntryLinks;
pub use templates::{Templates, load_templates};

/// Everything rendering reads, shared by all threads and template functions.
pub struct Env {
    pub site: Site,
    pub messages: Arc<Messages>,
    pub cldr: Arc<Cldr>,
    /// Rendered Markdown by entry.
    pub bodies: Vec<Rendered>,
    /// Related pages by entry (`page.related`).
    pub related: Vec<Vec<usize>>,
    /// The template view of each entry (`page` / list item), built once.
    pub views: Vec<tera::Value>,
    /// For sections: their view with `pages` (every page of the section),
    /// built once rather than for each of its paginated pages.
    pub section_views: Vec<Option<tera::Value>>,
    /// The `site` template variable per language, in `site.languages` order.
    pub site_views: Vec<tera::Value>,
}

impl Env {
    /// Renders Markdown and builds template views for every entry, in parallel.
    pub fn new(site: Site, messages: Messages, cldr: Cldr) -> (Env, Diagnostics) {
        let options = MarkdownOptions {
            allow_html: site.config.allow_html,
        };
        let (messages, cldr) = (Arc::new(messages), Arc::new(cldr));
        let mut diagnostics = Diagnostics::new();
        let shortcodes = Shortcodes::load(&site.config, messages.clone(), cldr.clone())
            .map_err(|d| diagnostics.extend(d))
            .ok();
        let results: Vec<Result<Rendered, Vec<Diagnostic>>> = site
            .entries
            .par_iter()
            .map(|entry| {
                let doc = site.doc(entry);
                let links = EntryLinks {
                    site: &site,
                    lang: &entry.lang,
                };
                body::render(
                    &doc.body,
                    doc.body_line,
                    // Shortcodes speak the language of the text around them,
                    // which differs from the entry's on fallback copies.
                    &doc.lang,
                    &options,
                    &links,
                    shortcodes.as_ref(),
                )
                .map_err(|errs| errs.into_iter().map(|d| d.in_file(&doc.file)).collect())
            })
            .collect();
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
            related: Vec::new(),
            views: Vec::new(),
            section_views: Vec::new(),
            site_views: Vec::new(),
        };
        env.related = related::compute(&env.site);
        env.views = (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| context::entry_view(&env, i))
            .collect();
        env.section_views = (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| {
                env.site.entries[i]
                    .is_section()
                    .then(|| context::section_view(&env, i))
            })
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
}

impl Env {
    /// A section's view with its pages (the entry's plain view for pages).
    pub fn section_view(&self, id: usize) -> tera::Value {
        self.section_views[id]
            .clone()
            .unwrap_or_else(|| self.views[id].clone())
    }
}

/// Renders every page, list, taxonomy page and 404 of every language.
pub fn render_all(env: &Arc<Env>, templates: &Templates) -> (Vec<OutputFile>, Diagnostics) {
    pages::render_all(env, templates)
}
