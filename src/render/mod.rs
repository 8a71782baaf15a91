//! Rendering: Markdown bodies, then Tera templates and Atom feeds (of pages
//! and of change notes), over the immutable site
//! model. Everything here is a pure function of [`Env`]; its files go to an
//! [`output::Sink`](crate::output::Sink), which keeps or writes them (that
//! is `output`'s job).

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

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::i18n::{Cldr, Messages};
use crate::images::{ImageStore, Variant};
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::{EntryId, Site};
use crate::output::Sink;
use crate::search::Lexicon;
use crate::shortcodes::Shortcodes;
pub use changes::{CHANGES_FILE, changes_feeds};
pub use context::site_title;
pub use feeds::{feed_paths, feeds, feeds_in};
pub use images::Cover;
pub use links::EntryLinks;
pub use pages::{Job, job_file, jobs, render_jobs, render_jobs_into, section_page_size};
pub use templates::{Templates, load_templates};

/// Everything rendering reads, shared by all threads and template functions.
pub struct Env {
    pub site: Site,
    pub messages: Arc<Messages>,
    pub cldr: Arc<Cldr>,
    /// Rendered Markdown by entry (shared with the next model while
    /// serving), without the body HTML: that is in `contents`.
    pub bodies: Vec<Arc<Rendered>>,
    /// The body HTML of each entry as a template value (`page.content`),
    /// held once and shared by every view, feed and model that shows it.
    pub contents: Vec<tera::Value>,
    /// What the search index keeps of each indexed entry's body (its
    /// distinct tokens and the start of its text), made in the Markdown pass.
    pub search: Vec<Option<Arc<crate::search::BodyTerms>>>,
    /// The numbers the terms in `search` are written with; shared with the
    /// next model of the site while serving, so kept bodies stay readable.
    pub lexicon: Arc<Lexicon>,
    /// Related pages by entry (`page.related`).
    pub related: Vec<Vec<usize>>,
    /// The template view of each entry (`page` / list item), built once.
    pub views: Vec<tera::Value>,
    /// For sections: their view with `pages` (every page of the section),
    /// built once rather than for each of its paginated pages.
    pub section_views: Vec<Option<tera::Value>>,
    /// The `site` template variable per language, in `site.languages` order.
    pub site_views: Vec<tera::Value>,
    /// The site title per language, in the same order: every page's
    /// `<title>` and JSON-LD show it, so its Fluent message is formatted
    /// once per language, not once per page.
    pub site_titles: Vec<String>,
    /// `taxonomy` (and `get_taxonomy`) by language, then taxonomy, in
    /// `site.languages` order: the same on every term page.
    pub taxonomy_views: Vec<Vec<tera::Value>>,
    /// Open Graph locale (`vi_VN`) by language code: the same on every page.
    pub og_locales: std::collections::HashMap<String, String>,
    /// Every image request of the build; processed after rendering.
    /// Shared with the next model of the site while serving.
    pub images: Arc<ImageStore>,
    /// The cover image of each entry (`image:` in front matter).
    pub covers: Vec<Option<Cover>>,
    /// The intrinsic size of each entry's SVG cover, published as it is.
    pub svg_covers: Vec<Option<(u32, u32)>>,
    /// The social image of pages without a cover (`images.social_default`).
    pub social_default: Option<Variant>,
    /// Set once the images are processed.
    pub image_stats: std::sync::OnceLock<crate::images::ImageStats>,
}

/// What a new model of the site takes over from the previous one while
/// serving (or makes afresh for a build).
struct Shared {
    messages: Arc<Messages>,
    cldr: Arc<Cldr>,
    images: Arc<ImageStore>,
    lexicon: Arc<Lexicon>,
}

impl Env {
    /// Renders Markdown and builds template views for every entry, in parallel.
    pub fn new(site: Site, messages: Messages, cldr: Cldr) -> (Env, Diagnostics) {
        let store = ImageStore::new(
            &site.config.root,
            &site.config.base_url,
            site.config.images.clone(),
        );
        let shared = Shared {
            messages: Arc::new(messages),
            cldr: Arc::new(cldr),
            images: Arc::new(store),
            lexicon: Arc::default(),
        };
        Env::assemble(site, shared, None)
    }

    /// An environment for a new model of the same site (`serve`, after
    /// pages were added, removed or their front matter changed): Fluent,
    /// CLDR and the image store are shared with `previous`, and an entry
    /// whose `reuse` is `Some(old)` takes the Markdown and cover of
    /// `previous`'s entry `old` instead of rendering them again. Likewise
    /// an entry for which `same_view` (asked once Markdown and related pages
    /// are known) names an entry of `previous` takes that entry's view.
    /// Returns which entries kept their view.
    pub fn renew(
        site: Site,
        previous: &Env,
        reuse: &[Option<EntryId>],
        same_view: &(dyn Fn(&Env, EntryId) -> Option<EntryId> + Sync),
    ) -> (Env, Vec<bool>, Diagnostics) {
        let shared = Shared {
            messages: previous.messages.clone(),
            cldr: previous.cldr.clone(),
            images: previous.images.clone(),
            lexicon: previous.lexicon.clone(),
        };
        let (mut env, diagnostics) = Env::assemble(site, shared, Some((previous, reuse)));
        let kept: Vec<Option<EntryId>> = (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| same_view(&env, i))
            .collect();
        let cards = cards::Cards::none();
        env.views = kept
            .par_iter()
            .enumerate()
            .map(|(i, old)| match old {
                Some(o) => previous.views[*o].clone(),
                None => context::entry_view(&env, &cards, i),
            })
            .collect();
        env.build_section_views();
        (env, kept.iter().map(Option::is_some).collect(), diagnostics)
    }

    fn assemble(
        site: Site,
        shared: Shared,
        previous: Option<(&Env, &[Option<EntryId>])>,
    ) -> (Env, Diagnostics) {
        let Shared {
            messages,
            cldr,
            images: store,
            lexicon,
        } = shared;
        let options = MarkdownOptions {
            allow_html: site.config.allow_html,
            urls: Some(&site.config.urls),
            ..MarkdownOptions::default()
        };
        let mut diagnostics = Diagnostics::new();
        let shortcodes = Shortcodes::load(&site.config, messages.clone(), cldr.clone())
            .map_err(|d| diagnostics.extend(d))
            .ok();
        let theme_static = site.config.theme_dir().join("static");
        // A reused body is shared, not copied: bodies are most of the memory.
        type Kept = (Arc<Rendered>, tera::Value, Option<Arc<crate::search::BodyTerms>>);
        // The pages of one language one after another: each worker's tables
        // of that language's words (`search::Lexicon`) stay in its cache,
        // where the site's order (each page in every language in turn) would
        // cycle through all languages' tables.
        let mut order: Vec<EntryId> = (0..site.entries.len()).collect();
        order.sort_by_cached_key(|&id| {
            let lang = &site.entries[id].lang;
            site.config.languages.iter().position(|l| &l.code == lang)
        });
        let mut results: Vec<(EntryId, (Option<Kept>, images::EntryOutput))> = order
            .par_iter()
            .map(|&id| {
                let entry = &site.entries[id];
                let kept = previous.and_then(|(env, reuse)| Some((env, reuse.get(id).copied()??)));
                let result = match kept {
                    Some((env, old)) => (
                        Some((
                            env.bodies[old].clone(),
                            env.contents[old].clone(),
                            env.search[old].clone(),
                        )),
                        images::EntryOutput {
                            body: Err(Vec::new()),
                            cover: env.covers[old].clone(),
                            svg_cover: env.svg_covers[old],
                            notes: Vec::new(),
                            search: None,
                        },
                    ),
                    None => (
                        None,
                        images::render_entry(
                            &site,
                            &store,
                            &theme_static,
                            &lexicon,
                            &options,
                            entry,
                            shortcodes.as_ref(),
                        ),
                    ),
                };
                (id, result)
            })
            .collect();
        results.sort_unstable_by_key(|&(id, _)| id);
        let social_default = match previous {
            Some((env, _)) => env.social_default.clone(),
            None => images::social_default(&store, &theme_static).unwrap_or_else(|d| {
                diagnostics.push(d);
                None
            }),
        };
        let mut covers = Vec::with_capacity(results.len());
        let mut svg_covers = Vec::with_capacity(results.len());
        let mut contents = Vec::with_capacity(results.len());
        let mut search = Vec::with_capacity(results.len());
        let bodies = results
            .into_iter()
            .map(|(_, (kept, out))| {
                covers.push(out.cover);
                svg_covers.push(out.svg_cover);
                diagnostics.extend(out.notes);
                let (body, content, terms) = kept.unwrap_or_else(|| {
                    let mut body = out.body.unwrap_or_else(|errs| {
                        diagnostics.extend(errs);
                        Rendered::default()
                    });
                    let content = content_value(&mut body);
                    (Arc::new(body), content, out.search.map(Arc::new))
                });
                contents.push(content);
                search.push(terms);
                body
            })
            .collect();
        let site_codes: Vec<String> = site.config.languages.iter().map(|l| l.code.clone()).collect();
        let mut env = Env {
            site,
            messages,
            cldr,
            bodies,
            contents,
            search,
            lexicon,
            related: Vec::new(),
            views: Vec::new(),
            section_views: Vec::new(),
            site_views: Vec::new(),
            site_titles: Vec::new(),
            taxonomy_views: Vec::new(),
            og_locales: site_languages_og(&site_codes),
            images: store,
            covers,
            svg_covers,
            social_default,
            image_stats: Default::default(),
        };
        env.related = related::compute(&env.site);
        if previous.is_none() {
            let cards = cards::Cards::all(&env);
            let views = (0..env.site.entries.len())
                .into_par_iter()
                .map(|i| context::entry_view(&env, &cards, i))
                .collect();
            drop(cards);
            env.views = views;
            env.build_section_views();
        }
        env.refresh_site_views();
        env.taxonomy_views = env
            .site
            .languages
            .iter()
            .map(|l| {
                l.taxonomies
                    .iter()
                    .map(|t| lists::taxonomy_value(&env, t))
                    .collect()
            })
            .collect();
        (env, diagnostics)
    }

    fn build_section_views(&mut self) {
        let env = &*self;
        let views = (0..env.site.entries.len())
            .into_par_iter()
            .map(|i| {
                env.site.entries[i]
                    .is_section()
                    .then(|| context::section_view(env, i))
            })
            .collect();
        self.section_views = views;
    }
}

impl Env {
    /// Re-renders the Markdown and rebuilds the views of `ids`, whose
    /// documents' bodies changed while their front matter did not (`serve`'s
    /// incremental path), and the views of the sections listing them. On
    /// error, nothing is changed.
    pub fn refresh_entries(&mut self, ids: &[EntryId]) -> Result<(), Diagnostics> {
        let options = MarkdownOptions {
            allow_html: self.site.config.allow_html,
            urls: Some(&self.site.config.urls),
            ..MarkdownOptions::default()
        };
        let mut diagnostics = Diagnostics::new();
        let shortcodes = Shortcodes::load(&self.site.config, self.messages.clone(), self.cldr.clone())
            .map_err(|d| diagnostics.extend(d))
            .ok();
        let theme_static = self.site.config.theme_dir().join("static");
        let mut refreshed = Vec::with_capacity(ids.len());
        for &id in ids {
            let entry = &self.site.entries[id];
            let out = images::render_entry(
                &self.site,
                &self.images,
                &theme_static,
                &self.lexicon,
                &options,
                entry,
                shortcodes.as_ref(),
            );
            diagnostics.extend(out.notes);
            match out.body {
                Ok(body) => refreshed.push((id, body, (out.cover, out.svg_cover), out.search)),
                Err(errs) => diagnostics.extend(errs),
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        for (id, mut body, (cover, svg_cover), search) in refreshed {
            self.contents[id] = content_value(&mut body);
            self.bodies[id] = Arc::new(body);
            self.covers[id] = cover;
            self.svg_covers[id] = svg_cover;
            self.search[id] = search.map(Arc::new);
        }
        for &id in ids {
            self.views[id] = context::entry_view(self, &cards::Cards::none(), id);
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
            self.section_views[s] = Some(context::section_view(self, s));
        }
        Ok(())
    }

    /// Builds the `site` variable and the site title of every language
    /// (again after a Fluent change: the title may come from a message).
    pub fn refresh_site_views(&mut self) {
        let languages = &self.site.config.languages;
        self.site_titles = languages
            .iter()
            .map(|l| context::site_title(self, &l.code))
            .collect();
        self.site_views = languages
            .iter()
            .map(|l| context::site_view(self, &l.code))
            .collect();
    }

    /// Drops the template views (entries, sections) once every page is
    /// rendered; later stages read the model only.
    pub fn release_views(&mut self) {
        self.views = Vec::new();
        self.section_views = Vec::new();
    }

    /// What search builds its index from: the model and what the Markdown
    /// pass kept of each body. Search gets only this, not the environment.
    pub fn search_input(&self) -> crate::search::Input<'_> {
        crate::search::Input {
            site: &self.site,
            lexicon: &self.lexicon,
            terms: &self.search,
            bodies: &self.bodies,
        }
    }

    /// The body HTML of an entry.
    pub fn content(&self, id: EntryId) -> &str {
        self.contents[id].as_str().unwrap_or_default()
    }

    /// The Open Graph locale of a language of the site.
    pub fn og_locale(&self, code: &str) -> String {
        self.og_locales
            .get(code)
            .cloned()
            .unwrap_or_else(|| seo::og_locale(code))
    }

    /// A section's view with its pages (the entry's plain view for pages).
    pub fn section_view(&self, id: usize) -> tera::Value {
        self.section_views[id]
            .clone()
            .unwrap_or_else(|| self.views[id].clone())
    }
}

/// Renders every page, list, taxonomy page and 404 of every language.
pub fn render_all(env: &Arc<Env>, templates: &Templates, sink: &dyn Sink) -> Diagnostics {
    pages::render_all(env, templates, sink)
}

/// Moves a body's HTML into a template value: the one copy the build keeps.
fn content_value(body: &mut Rendered) -> tera::Value {
    tera::Value::from(std::mem::take(&mut body.html))
}

fn site_languages_og(codes: &[String]) -> std::collections::HashMap<String, String> {
    codes.iter().map(|c| (c.clone(), seo::og_locale(c))).collect()
}
