//! The Markdown pass, the heart of a build: each entry's body rendered once
//! (shortcodes, links and images resolved), its cover, and what the search
//! index keeps of its text, in one record per entry ([`Body`]). [`Bodies`]
//! owns those records; views, pages, feeds and the search index read them
//! and nothing writes them after the pass. A build keeps them for the
//! next one ([`saved`]).

pub mod saved;

use std::ops::Index;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::Services;
use super::images::{self, Cover, EntryImages};
use super::kept::{KeptHtml, KeptTerms, Store};
use super::links::EntryLinks;
use crate::shortcodes::Shortcodes;
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_images::Variant;
use vitrine_markdown::{MarkdownOptions, Rendered};
use vitrine_model::{Entry, EntryId, Site};
use vitrine_search::BodyTerms;

/// What the Markdown pass made of one entry.
#[derive(Clone)]
pub struct Body {
    /// The text of the body's summary (its first paragraph, or up to
    /// `<!-- more -->`) for an entry whose front matter gives none
    /// (`summary:`); empty otherwise: lists, cards, feeds and the page's
    /// description all show that one first. Held for every entry until
    /// the build ends: the summary alone, not the Markdown pass's whole
    /// record (an `Arc` of mostly empty strings an entry). Measured at
    /// 50,000 articles × 5 (`--timings`): held after the Markdown pass
    /// 698 → 662 MiB, the build's peak 1,034 → 1,001 MiB.
    pub summary: Box<str>,
    /// Words; each Han, Kana or Hangul character counts as one.
    pub word_count: usize,
    /// The body HTML and headings, compressed and kept on disk
    /// ([`KeptHtml`]): only the entry's own page (and, for the HTML, the
    /// feeds showing it) read them. Shared by `serve`'s models.
    html: KeptHtml,
    /// What the search index keeps of the body, for the entries it
    /// indexes: kept on disk as the HTML is, read when its language's index
    /// is built.
    search: Option<KeptTerms>,
    /// The cover image (`image:` in front matter): boxed, as most entries
    /// have none and every entry holds the field until the build ends
    /// (12 MB of a 10,000-article × 5 build inline).
    pub cover: Option<Box<Cover>>,
    /// The intrinsic size of an SVG cover, published as it is.
    pub svg_cover: Option<(u32, u32)>,
    /// Whether the Markdown may call a shortcode ([`shortcodes::may_call`]):
    /// `serve` renders those bodies again after a Fluent edit, without
    /// reading every page's file to find them.
    ///
    /// [`shortcodes::may_call`]: crate::shortcodes::may_call
    pub may_call_shortcodes: bool,
    /// Whether the Markdown may link to another page (`@/`): after a page
    /// moved or went, `serve` reads again only the files of those bodies,
    /// to find the ones to render again. Reading every file takes about
    /// 0.8 s of a deletion's rebuild at 10,000 articles × 5 languages; the
    /// shared corpus links from every article, so it gains nothing there,
    /// but a portal where few pages link skips most of it.
    pub may_link: bool,
}

impl Body {
    /// Copies what the body keeps for the whole build (its summary)
    /// into memory of its own, from this thread. A worker made it among
    /// the pass's scratch text; once that is freed, the allocator cannot
    /// give back a page still holding one such record, and a
    /// 10,000-article × 5 build held 20 MB more for them.
    fn settle(&mut self) {
        if !self.summary.is_empty() {
            self.summary = Box::from(&*self.summary);
        }
    }

    /// The body HTML.
    pub fn html(&self) -> String {
        self.html.html()
    }

    /// The body HTML as a template value (`page.content`), and its
    /// headings, nested by level (`page.toc`): read together, once.
    pub fn content_and_toc(&self) -> (tera::Value, Vec<vitrine_markdown::Heading>) {
        let (html, toc) = self.html.page();
        (tera::Value::from(html), toc)
    }
}

/// Every entry's [`Body`], by entry, and the site's default social image.
#[derive(Clone)]
pub struct Bodies {
    entries: Vec<Body>,
    /// The social image of pages without a cover (`images.social_default`).
    pub social_default: Option<Variant>,
    /// Where the bodies' HTML is kept; `None`: in memory.
    store: Option<Arc<Store>>,
    /// The kept records these bodies were read from, packed, to keep again
    /// as they are where they are the same.
    packed: Option<Arc<saved::PackedRuns>>,
}

impl Index<EntryId> for Bodies {
    type Output = Body;
    fn index(&self, id: EntryId) -> &Body {
        &self.entries[id]
    }
}

/// What every entry's pass shares: options, shortcodes, the theme's static
/// folder.
struct Pass<'a> {
    site: &'a Site,
    services: &'a Services,
    options: MarkdownOptions<'a>,
    shortcodes: Option<Shortcodes>,
    theme_static: PathBuf,
    store: Option<&'a Arc<Store>>,
}

impl<'a> Pass<'a> {
    fn new(
        site: &'a Site,
        services: &'a Services,
        store: Option<&'a Arc<Store>>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let options = MarkdownOptions {
            allow_html: site.config.allow_html,
            urls: Some(&site.config.urls),
            ..MarkdownOptions::default()
        };
        let shortcodes = Shortcodes::load(&site.config, services.messages.clone(), services.cldr.clone())
            .map_err(|d| diagnostics.extend(d))
            .ok();
        Pass {
            site,
            services,
            options,
            shortcodes,
            theme_static: site.config.theme_dir().join("static"),
            store,
        }
    }
}

impl Bodies {
    /// Renders every entry's body in parallel. While serving, an entry whose
    /// `reuse` is `Some(old)` takes `previous`'s body `old` as it is
    /// (shared, not copied: bodies are most of a build's memory).
    pub fn render(
        site: &Site,
        services: &Services,
        previous: Option<(&Bodies, &[Option<EntryId>])>,
    ) -> (Bodies, Diagnostics) {
        // A model made after an edit keeps its bodies where the first did.
        let store = match previous {
            Some((bodies, _)) => bodies.store.clone(),
            None => Store::new(&site.config.root),
        };
        Bodies::render_in(site, services, previous, store)
    }

    /// [`Bodies::render`], keeping the HTML and terms in `store` (a build
    /// keeping them for the next one: [`Store::create`]).
    pub fn render_in(
        site: &Site,
        services: &Services,
        previous: Option<(&Bodies, &[Option<EntryId>])>,
        store: Option<Arc<Store>>,
    ) -> (Bodies, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let pass = Pass::new(site, services, store.as_ref(), &mut diagnostics);
        // The pages of one language one after another: each worker's tables
        // of that language's words (`search::Lexicon`) stay in its cache,
        // where the site's order (each page in every language in turn) would
        // cycle through all languages' tables.
        let mut order: Vec<EntryId> = (0..site.entries.len()).collect();
        order.sort_by_cached_key(|&id| {
            let lang = &site.entries[id].lang;
            site.config.languages.iter().position(|l| &l.code == lang)
        });
        let mut results: Vec<(EntryId, Body, Vec<Diagnostic>)> = order
            .par_iter()
            .map(|&id| {
                let kept =
                    previous.and_then(|(bodies, reuse)| Some(&bodies.entries[reuse.get(id).copied()??]));
                let (body, notes) = match kept {
                    Some(body) => (body.clone(), Vec::new()),
                    None => render_entry(&pass, &site.entries[id]),
                };
                (id, body, notes)
            })
            .collect();
        results.sort_unstable_by_key(|&(id, _, _)| id);
        let social_default = match previous {
            Some((bodies, _)) => bodies.social_default.clone(),
            None => images::social_default(&services.images, &pass.theme_static).unwrap_or_else(|d| {
                diagnostics.push(d);
                None
            }),
        };
        let fresh = previous.is_none();
        let entries = results
            .into_iter()
            .map(|(_, mut body, notes)| {
                diagnostics.extend(notes);
                if fresh {
                    body.settle();
                }
                body
            })
            .collect();
        drop(pass);
        let bodies = Bodies {
            entries,
            social_default,
            store,
            packed: previous.and_then(|(bodies, _)| bodies.packed.clone()),
        };
        (bodies, diagnostics)
    }

    /// Renders the bodies of `ids` again (`serve`, after their text changed
    /// and their front matter did not). On error, nothing is changed.
    pub fn refresh(&mut self, site: &Site, services: &Services, ids: &[EntryId]) -> Result<(), Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let pass = Pass::new(site, services, self.store.as_ref(), &mut diagnostics);
        // A Fluent edit renders again every body calling a shortcode: on
        // all cores, as a build does.
        let rendered: Vec<(Body, Vec<Diagnostic>)> = ids
            .par_iter()
            .map(|&id| render_entry(&pass, &site.entries[id]))
            .collect();
        let mut refreshed = Vec::with_capacity(ids.len());
        for (&id, (body, notes)) in ids.iter().zip(rendered) {
            diagnostics.extend(notes);
            refreshed.push((id, body));
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        for (id, body) in refreshed {
            self.entries[id] = body;
        }
        Ok(())
    }

    /// The bodies of `ids` as they are, to put back with
    /// [`Bodies::put_back`] (`serve` publishes an edited page first, then
    /// returns the model to the text it was made from: that text may be
    /// in a file already saved over).
    pub fn of(&self, ids: &[EntryId]) -> Vec<Body> {
        ids.iter().map(|&id| self.entries[id].clone()).collect()
    }

    /// Puts back bodies taken by [`Bodies::of`] for the same `ids`.
    pub fn put_back(&mut self, ids: &[EntryId], bodies: Vec<Body>) {
        for (&id, body) in ids.iter().zip(bodies) {
            self.entries[id] = body;
        }
    }

    /// Why a body's HTML could not be read back from disk, if one could
    /// not: a build must then fail rather than publish it empty.
    pub fn failure(&self) -> Option<&str> {
        self.store.as_ref().and_then(|s| s.failure())
    }

    /// What search builds its index from: the model and what this pass kept
    /// of each body. Search gets only this, not the bodies.
    pub fn search_input<'a>(&'a self, site: &'a Site, services: &'a Services) -> vitrine_search::Input<'a> {
        vitrine_search::Input {
            site,
            lexicon: &services.lexicon,
            bodies: self
                .entries
                .iter()
                .map(|body| vitrine_search::IndexedBody {
                    terms: body
                        .search
                        .as_ref()
                        .map(|t| t as &dyn vitrine_search::TermsSource),
                })
                .collect(),
        }
    }
}

/// Renders an entry's Markdown with its images resolved, and its cover.
/// A body that fails is empty; its errors are among the diagnostics.
fn render_entry(pass: &Pass<'_>, entry: &Entry) -> (Body, Vec<Diagnostic>) {
    let (site, store) = (pass.site, &*pass.services.images);
    let doc = site.doc(entry);
    let links = EntryLinks {
        site,
        lang: &entry.lang,
    };
    let mut notes = Vec::new();
    let root = &site.config.root;
    let cover = images::cover(store, root, &pass.theme_static, doc, &mut notes).unwrap_or_else(|d| {
        notes.push(d);
        None
    });
    let svg_cover = images::svg_cover_size(store, root, &pass.theme_static, doc).unwrap_or_else(|d| {
        notes.push(d);
        None
    });
    let resolver = EntryImages::new(
        store,
        &pass.theme_static,
        doc,
        !entry.is_fallback,
        cover.is_none(),
    );
    // The search index reads the body's text from this pass, and only its
    // terms are kept: the Markdown is not parsed a second time.
    let options = MarkdownOptions {
        plain_text: vitrine_search::indexed(site, entry),
        ..pass.options
    };
    // A build reads the page's Markdown here, from its file.
    let markdown = doc.read_body(root).unwrap_or_else(|d| {
        notes.push(d);
        std::borrow::Cow::Borrowed("")
    });
    let may_call_shortcodes = crate::shortcodes::may_call(&markdown);
    let may_link = markdown.contains("@/");
    // Shortcodes speak the language of the text around them, which differs
    // from the entry's on fallback copies.
    let rendered = super::body::render(
        &markdown,
        doc.body_line,
        &doc.lang,
        &options,
        &links,
        pass.shortcodes.as_ref(),
        Some(&resolver),
    );
    notes.extend(resolver.into_warnings());
    let mut rendered = rendered.unwrap_or_else(|errs| {
        notes.extend(errs.into_iter().map(|d| d.in_file(&doc.file)));
        Rendered::default()
    });
    let search = rendered.plain_text.take().map(|text| {
        let headings = vitrine_markdown::Heading::texts_in_order(&rendered.toc);
        let terms = BodyTerms::new(&text, &doc.lang, &pass.services.lexicon).with_headings(headings);
        // Counted in the same scan as the terms.
        rendered.word_count = terms.words();
        KeptTerms::keep(&terms, pass.store)
    });
    let toc = std::mem::take(&mut rendered.toc);
    let html = KeptHtml::keep(&std::mem::take(&mut rendered.html), &toc, pass.store);
    // Kept for every page until the build ends: the summary's text, and
    // only for pages whose front matter has none (no template shows the
    // summary's HTML).
    let summary = match doc.front.summary {
        Some(_) => Box::default(),
        None => rendered.summary.into_boxed_str(),
    };
    let body = Body {
        summary,
        word_count: rendered.word_count,
        html,
        search,
        cover: cover.map(Box::new),
        svg_cover,
        may_call_shortcodes,
        may_link,
    };
    (body, notes)
}
