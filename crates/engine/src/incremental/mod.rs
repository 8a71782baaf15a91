//! Incremental rebuilds: from [`Changes`] to the files that must be
//! replaced, doing as little of the build pipeline as stays correct.
//!
//! - an article whose body changed but not its front matter: its Markdown is
//!   rendered again, then only the pages that show it (its own page and
//!   fallback copies, its section's pagers, the homes, its term pages) and
//!   the feeds;
//! - Fluent files: the model and Markdown are kept; a build that knows
//!   what the pages showed of the messages (its record) renders the pages
//!   of the languages falling back on a changed message and those noted
//!   showing it ([`messages`]); `serve` publishes those languages' pages
//!   first, then every page;
//! - templates: the model and Markdown are kept, every page is rendered;
//! - static files: only the static outputs are listed again (their bytes
//!   are served from disk);
//! - front matter edits, new, renamed and deleted pages: the changed files
//!   are read alone and the model is linked again, keeping every other
//!   page's Markdown ([`content`]); the outputs whose inputs differ between
//!   the two models are rendered and those that no longer exist removed
//!   ([`render::rerender`]), with the feeds, sitemap and aliases. When
//!   the change edits pages in place (their URL kept) or deletes pages
//!   without translations, those pages are published first, before the
//!   model is linked ([`first`]);
//! - anything else (`site.yaml`, `data/`): the full pipeline.
//!
//! Templates can reach any page through `get_page`/`get_section`; a theme
//! that calls them gets full renders, so a partial render never differs
//! from a full build ([`render::TemplateReads`]).

mod basis;
mod content;
mod first;
mod later;
mod messages;
mod restructure;

pub use messages::{MessagesRebuilt, RENDERED_APART_AT_MOST};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use basis::Basis;
use later::LaterPages;

use crate::changes::{Changes, FileChange};
use crate::options::BuildOptions;
use crate::pipeline::{Markdown, load_markdown, render_prepared, render_prepared_to};
use vitrine_core::diagnostics::Diagnostics;
use vitrine_load::content::{self as content_files, Filter};
use vitrine_load::i18n::Messages;
use vitrine_model::{DocId, EntryId};
use vitrine_output::{self as output, FileContent, OutputFile};
use vitrine_render::render::{self, ForeignMessages, Job, Other, Prepared, TemplateReads};

/// How the served files change after a rebuild.
#[derive(Debug)]
pub enum Update {
    /// The whole site.
    Replace(Vec<OutputFile>),
    /// These files changed or appeared; the `removed` paths are gone.
    Patch {
        files: Vec<OutputFile>,
        removed: Vec<String>,
    },
}

/// The result of one rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    pub update: Update,
    /// HTML pages rendered.
    pub pages: usize,
    /// Which path the rebuild took: `full`, `render`, `content`, `pages`,
    /// `languages first`, `later pages`, `search index`, `static` or
    /// `none`.
    pub scope: &'static str,
    /// What else the rebuild did, for the summary line (`model rebuilt,
    /// Markdown of 2 entries`).
    pub detail: Option<String>,
    /// Warnings.
    pub diagnostics: Diagnostics,
}

/// How the served files stand against the kept model.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Served {
    /// They are what the model renders.
    Fresh,
    /// A first part of a rebuild is served; [`Rebuilder::follow_up`]
    /// renders the rest.
    FollowUp(Rest),
    /// A render failed after the model changed: the files lag behind the
    /// model, and the next rebuild renders everything.
    Stale,
}

/// What a follow-up renders.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rest {
    /// Every output (the pages of the languages a Fluent change concerns
    /// were served first).
    Everything,
    /// The search index of these languages, which lags behind an edited
    /// page served first.
    SearchIn(BTreeSet<String>),
    /// The model linked again with the content files in
    /// [`Rebuilder::unapplied`], whose pages were served first
    /// ([`first`]); then the search index of the languages it reaches and
    /// of these, owed from before.
    Structure(BTreeSet<String>),
}

impl Served {
    /// Whether a rebuild must render every output: the files lag behind
    /// the model, or will until the follow-up has run.
    fn lags(&self) -> bool {
        matches!(self, Served::Stale | Served::FollowUp(Rest::Everything))
    }

    /// The search index of `langs` is to follow.
    fn search_follows(&mut self, langs: impl IntoIterator<Item = String>) {
        match self {
            Served::FollowUp(Rest::SearchIn(pending)) => pending.extend(langs),
            Served::Fresh => *self = Served::FollowUp(Rest::SearchIn(langs.into_iter().collect())),
            // The structural rebuild that was to follow has just run.
            Served::FollowUp(Rest::Structure(owed)) => {
                let mut owed = std::mem::take(owed);
                owed.extend(langs);
                *self = Served::FollowUp(Rest::SearchIn(owed))
            }
            // A full render, which includes the index, is due anyway.
            Served::Stale | Served::FollowUp(Rest::Everything) => {}
        }
    }
}

/// Keeps what the last good build loaded, to rebuild from it. Its state is
/// the kept model (none after a failed full build: only a full build can
/// recover), how the served files stand against it ([`Served`]), and the
/// content files the model lacks after a structural change failed.
pub struct Rebuilder {
    options: BuildOptions,
    /// What the served site was rendered from.
    basis: Option<Basis>,
    served: Served,
    /// Content files (relative to `content/`) of a structural change whose
    /// rebuild failed: the model does not have them yet, so the next
    /// rebuild reads them again with its own.
    unapplied: BTreeMap<String, FileChange>,
    /// Paths of the static outputs (copied files) last served.
    static_paths: BTreeSet<String>,
    /// Paths of the search index files last served.
    search_paths: BTreeSet<String>,
    /// What the theme's templates read, to know which pages show a page.
    reads: TemplateReads,
    /// New pages published first ([`first`]) that the model does not have
    /// yet, by content file: the structural rebuild takes over their
    /// files, or removes them if the page is gone by then.
    previewed: BTreeMap<String, first::Preview>,
    /// Where full renders are written (`serve`'s served folder) instead of
    /// being held in memory.
    folder: Option<std::path::PathBuf>,
    /// A search index is being made off the serve loop ([`SearchWork`]).
    searching: bool,
    /// Pages of the kept model that a rebuild left to follow it
    /// ([`later`]): the served ones lag behind.
    later: LaterPages,
    /// Render a structural change's pagers with the rest, not after it:
    /// nobody reads a build's output before it ends, and each split
    /// builds a language's views twice.
    at_once: bool,
    /// The pages rendered since the model was taken that show other
    /// languages' messages.
    noted: ForeignMessages,
}

/// The search index of some languages, made from the model as it stood
/// when the work was taken. It runs beside the serve loop: a save made
/// meanwhile is published at once rather than waiting for the index
/// (about a second per language at 10,000 pages).
pub struct SearchWork {
    prepared: Prepared,
    langs: BTreeSet<String>,
}

/// A finished [`SearchWork`], for [`Rebuilder::searched`].
pub struct SearchDone {
    files: Result<Vec<OutputFile>, vitrine_search::Failed>,
    langs: BTreeSet<String>,
    /// The model it was made from.
    from: Prepared,
}

impl SearchWork {
    pub fn run(self) -> SearchDone {
        let langs = &self.langs;
        let files = vitrine_search::files_in(&self.prepared.search_input(), |lang| langs.contains(lang));
        SearchDone {
            files,
            langs: self.langs,
            from: self.prepared,
        }
    }
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder {
            options,
            basis: None,
            served: Served::Fresh,
            unapplied: BTreeMap::new(),
            static_paths: BTreeSet::new(),
            search_paths: BTreeSet::new(),
            reads: TemplateReads::default(),
            previewed: BTreeMap::new(),
            folder: None,
            searching: false,
            later: LaterPages::default(),
            at_once: false,
            noted: ForeignMessages::default(),
        }
    }

    /// A rebuilder of a build's output (an incremental `vitrine build`):
    /// `prepared` is the model the output at `paths` was rendered from;
    /// `static_gone`, the output paths of static files deleted since (the
    /// static folders are read as they are now).
    pub fn of_output(
        options: BuildOptions,
        prepared: Prepared,
        related: Option<crate::cache::Related>,
        paths: &[String],
        static_gone: &[String],
    ) -> Self {
        let mut rebuilder = Rebuilder::new(options);
        rebuilder.static_paths = output::static_files(&prepared.site)
            .into_iter()
            .map(|f| f.path)
            .chain(static_gone.iter().cloned())
            .collect();
        let search: BTreeSet<&str> = paths
            .iter()
            .map(String::as_str)
            .filter(|p| p.starts_with("search/"))
            .collect();
        // Precompressed siblings go and come with their files.
        let sibling = |p: &str| {
            [".gz", ".br"]
                .iter()
                .any(|ext| p.strip_suffix(ext).is_some_and(|file| search.contains(file)))
        };
        rebuilder.search_paths = search
            .iter()
            .filter(|p| !sibling(p))
            .map(|p| p.to_string())
            .collect();
        rebuilder.reads = TemplateReads::of(&prepared.site.config);
        rebuilder.basis = Some(Basis::of_default_language(prepared, related));
        rebuilder.at_once = true;
        rebuilder
    }

    /// The pages rendered since the model was taken that show other
    /// languages' messages, noted while they rendered.
    pub fn take_noted(&mut self) -> ForeignMessages {
        std::mem::take(&mut self.noted)
    }

    /// Writes full renders into `folder` as they are made, and returns
    /// their files as copies of the ones there: memory does not hold the
    /// whole site.
    pub fn rendering_into(mut self, folder: &std::path::Path) -> Self {
        self.folder = Some(folder.to_path_buf());
        self
    }

    /// The language whose template views are held between rebuilds (one
    /// at a time, as a build holds them), if a model is loaded.
    pub fn views_held(&self) -> Option<&str> {
        self.basis.as_ref()?.views.language.as_deref()
    }

    /// Whether the served files are what the site's files give: the model
    /// holds every change and nothing is left to follow.
    pub fn settled(&self) -> bool {
        self.basis.is_some()
            && self.served == Served::Fresh
            && self.unapplied.is_empty()
            && !self.searching
            && self.later.is_empty()
    }

    /// The paths of the pages, aliases and static files the model makes,
    /// with repeats (two outputs at one path are a build error).
    pub fn page_alias_and_static_paths(&self) -> Result<Vec<String>, Diagnostics> {
        let Some(basis) = &self.basis else {
            return Ok(Vec::new());
        };
        let site = basis.site();
        let templates = render::load_templates(&basis.prepared, &basis.views)?;
        let mut paths = render::Plan::of(site, &templates).page_paths(site);
        paths.extend(output::aliases(site).into_iter().map(|f| f.path));
        paths.extend(output::static_files(site).into_iter().map(|f| f.path));
        Ok(paths)
    }

    /// The model's pages and languages, and when the site next changes by
    /// itself, if a model is loaded.
    pub fn summary(&self) -> Option<(usize, usize, Option<chrono::DateTime<chrono::FixedOffset>>)> {
        let site = self.basis.as_ref()?.site();
        Some((site.entries.len(), site.languages.len(), site.next_change))
    }

    /// The model of the last rebuild, if one is loaded.
    pub fn prepared(&self) -> Option<&vitrine_render::render::Prepared> {
        self.basis.as_ref().map(|b| &b.prepared)
    }

    /// The related pages of the model's entries, if one is loaded.
    pub fn related(&self) -> Option<crate::cache::Related> {
        self.basis.as_ref().map(|b| b.views.related.clone())
    }

    /// Whether the model took the related pages it was given
    /// ([`Rebuilder::of_output`]) rather than computing them.
    pub fn took_related(&self) -> bool {
        self.basis.as_ref().is_some_and(|b| b.took_related)
    }

    /// When the served site next changes by itself (a scheduled page).
    pub fn next_change(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.basis.as_ref().and_then(|b| b.site().next_change)
    }

    /// The last rebuild's files could not be published: the served files
    /// lag behind the model, and the next rebuild renders everything.
    pub fn lost_update(&mut self) {
        self.served = Served::Stale;
    }

    /// Renders every output of `prepared` a language at a time, into the
    /// folder if there is one.
    fn render_all(
        &self,
        prepared: &Prepared,
        diagnostics: Diagnostics,
    ) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
        match &self.folder {
            Some(folder) => render_prepared_to(prepared, diagnostics, folder),
            None => render_prepared(prepared, None, diagnostics),
        }
    }

    /// Loads the model without rendering, for served files rendered from
    /// the same inputs earlier (`files`, a previous `serve`'s folder).
    /// `markdown`: the Markdown records kept with them, if any; whether
    /// they were taken is returned with the warnings.
    pub(crate) fn load(
        &mut self,
        files: &[OutputFile],
        markdown: Markdown,
    ) -> Result<(Diagnostics, bool), Diagnostics> {
        self.basis = None;
        self.unapplied.clear();
        let (prepared, diagnostics, kept) = load_markdown(&self.options, markdown)?;
        self.adopt(prepared, files);
        Ok((diagnostics, kept))
    }

    /// Takes `prepared` as the model of the served `files`: the model an
    /// incremental build patched them from ([`Rebuilder::into_model`]).
    pub(crate) fn adopt(&mut self, prepared: Prepared, files: &[OutputFile]) {
        self.unapplied.clear();
        self.basis = Some(Basis::of_default_language(prepared, None));
        self.served = Served::Fresh;
        self.later = LaterPages::default();
        self.remember_served(files);
    }

    /// The model, once every change is applied, for another rebuilder to
    /// adopt.
    pub(crate) fn into_model(self) -> Option<Prepared> {
        self.basis.map(|b| b.prepared)
    }

    /// Builds the whole site.
    pub fn full(&mut self) -> Result<Rebuilt, Diagnostics> {
        self.basis = None;
        self.unapplied.clear();
        // Rendering into a folder (`serve`'s), the Markdown records go to
        // a file kept beside its record, for the next `serve`.
        let markdown = self
            .folder
            .as_ref()
            .and_then(|dir| crate::cache::new_store(&self.options.root, dir))
            .map_or(Markdown::Render, Markdown::RenderInto);
        let (prepared, diagnostics, _) = load_markdown(&self.options, markdown)?;
        let (files, diagnostics) = self.render_all(&prepared, diagnostics)?;
        self.basis = Some(Basis::of_default_language(prepared, None));
        self.served = Served::Fresh;
        Ok(self.replace(files, "full", diagnostics))
    }

    /// Rebuilds after `changes`, as little as stays correct. On error the
    /// caller keeps serving the previous files.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        // A notice shows on every page: nothing less than everything. A
        // shortcode template is read by the Markdown pass of every body
        // calling it.
        if self.basis.is_none() || changes.config || changes.data || changes.notices || changes.shortcodes {
            return self.full();
        }
        let mut bodies = Vec::new();
        let mut structural = changes.content_tree || !self.unapplied.is_empty();
        for (path, change) in &changes.content {
            let Some(basis) = &self.basis else {
                return self.full();
            };
            if structural || *change == FileChange::Removed {
                structural = true;
                continue;
            }
            match changed_body(basis.site(), &self.options, path)? {
                Some(body) => bodies.push(body),
                None => structural = true,
            }
        }
        if structural {
            // Rare together, and Fluent changes re-render by language.
            if !changes.locales.is_empty() {
                return self.full();
            }
            if let Some(first) = self.own_pages_first(changes) {
                return Ok(first);
            }
            return self.restructure(changes);
        }
        if !changes.locales.is_empty() {
            self.reload_messages()?;
            if changes.content.is_empty() && !changes.templates {
                return self.render_languages_first(&changes.locales);
            }
        }
        if !bodies.is_empty() {
            let entries = self.refresh_bodies(bodies)?;
            if !self.served.lags() && !changes.templates && !self.reads.reads_any_page {
                return self.render_entries(&entries, changes);
            }
            self.served = Served::Stale;
        }
        if self.served.lags() || changes.templates {
            return self.render_everything();
        }
        if !changes.static_files.is_empty() {
            return Ok(self.restatic());
        }
        Ok(Rebuilt {
            update: Update::Patch {
                files: Vec::new(),
                removed: Vec::new(),
            },
            pages: 0,
            scope: "none",
            detail: None,
            diagnostics: Diagnostics::new(),
        })
    }

    /// Loads the Fluent files again into the services, then rebuilds the
    /// `site` views (the site title may be a message) and the bodies
    /// calling shortcodes (which format messages with `t`). Leaves the
    /// served files stale: the caller renders what shows the messages.
    fn reload_messages(&mut self) -> Result<(), Diagnostics> {
        let Some(basis) = self.basis.as_mut() else {
            return Ok(());
        };
        let config = &basis.prepared.site.config;
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let (messages, problems) = Messages::load(&config.root, &config.theme_dir(), &codes);
        let diagnostics = Diagnostics::from(problems);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let prepared = &mut basis.prepared;
        prepared.services.messages = Arc::new(messages);
        let views = Arc::make_mut(&mut basis.views);
        views.refresh_site(&prepared.site, &prepared.services, &prepared.bodies);
        self.served = Served::Stale;
        let site = &prepared.site;
        let calling = calling_shortcodes(prepared);
        let bodies = Arc::make_mut(&mut prepared.bodies);
        bodies.refresh(site, &prepared.services, &calling)?;
        views.refresh_entries(site, &prepared.services, bodies, &calling);
        Ok(())
    }

    /// Takes the new Markdown of documents whose front matter did not
    /// change: renders their entries' bodies again and rebuilds their
    /// views. Returns the entries refreshed; on error nothing changed.
    fn refresh_bodies(&mut self, changed: Vec<(DocId, String)>) -> Result<Vec<EntryId>, Diagnostics> {
        let Some(basis) = self.basis.as_mut() else {
            return Ok(Vec::new());
        };
        let prepared = &mut basis.prepared;
        let mut entries = Vec::new();
        for (doc, body) in changed {
            let site = Arc::make_mut(&mut prepared.site);
            // The new text is kept in the document: its file may change again
            // before the next rebuild reads it.
            let document = Arc::make_mut(&mut site.documents[doc]);
            let old = (
                std::mem::replace(&mut document.body, body),
                document.in_file.take(),
            );
            let ids: Vec<EntryId> = (0..site.entries.len())
                .filter(|&e| site.entries[e].doc == doc)
                .collect();
            let bodies = Arc::make_mut(&mut prepared.bodies);
            if let Err(d) = bodies.refresh(&prepared.site, &prepared.services, &ids) {
                let document = Arc::make_mut(&mut Arc::make_mut(&mut prepared.site).documents[doc]);
                (document.body, document.in_file) = old;
                return Err(d);
            }
            Arc::make_mut(&mut basis.views).refresh_entries(&prepared.site, &prepared.services, bodies, &ids);
            entries.extend(ids);
        }
        Ok(entries)
    }

    /// After a Fluent change: renders first the pages of the languages whose
    /// fallback chain holds a changed language, so they are served within
    /// seconds; the rest (pages of other languages may show a message of
    /// that language, such as its name) follows in [`Rebuilder::follow_up`].
    fn render_languages_first(&mut self, changed: &BTreeSet<String>) -> Result<Rebuilt, Diagnostics> {
        let Some(basis) = &self.basis else {
            return self.full();
        };
        let site = basis.site();
        let wanted: BTreeSet<&str> = site
            .config
            .languages
            .iter()
            .filter(|l| l.chain.iter().any(|c| changed.contains(c)))
            .map(|l| l.code.as_str())
            .collect();
        let prepared = &basis.prepared;
        let templates = render::load_templates(prepared, &basis.views)?;
        let plan = render::Plan::of(site, &templates);
        drop(templates);
        let jobs: Vec<Job> = plan
            .pages
            .into_iter()
            .filter(|job| {
                let lang = match *job {
                    Job::Entry(id) | Job::SectionPage(id, _) => site.entries[id].lang.as_str(),
                    Job::TaxonomyList { lang, .. }
                    | Job::TermPage { lang, .. }
                    | Job::NotFound(lang)
                    | Job::Search(lang) => site.languages[lang].code.as_str(),
                };
                wanted.contains(lang)
            })
            .collect();
        let wanted: BTreeSet<String> = wanted.into_iter().map(str::to_string).collect();
        let Some(basis) = self.basis.as_mut() else {
            return self.full();
        };
        let (mut files, diagnostics) = basis.render_jobs(&jobs, None, &mut self.noted)?;
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let pages = files.len();
        files.extend(Other::Feeds.make_in(&basis.prepared, |lang| wanted.contains(lang)));
        self.served = Served::FollowUp(Rest::Everything);
        Ok(Rebuilt {
            update: Update::Patch {
                files,
                removed: Vec::new(),
            },
            pages,
            scope: "languages first",
            detail: None,
            diagnostics,
        })
    }

    /// The rest of a rebuild whose first part was published, if any, the
    /// search index included (made here, not beside).
    pub fn follow_up(&mut self) -> Option<Result<Rebuilt, Diagnostics>> {
        if let Some(rest) = self.follow_up_before_search() {
            return Some(rest);
        }
        let work = self.search_work()?;
        self.searched(work.run()).map(Ok)
    }

    /// The rest of a rebuild whose first part was published, if any, but
    /// the search index, which is left to [`Rebuilder::search_work`].
    pub fn follow_up_before_search(&mut self) -> Option<Result<Rebuilt, Diagnostics>> {
        match &self.served {
            Served::FollowUp(Rest::Everything) => Some(self.render_everything()),
            Served::FollowUp(Rest::Structure(owed)) => {
                // On error the files stay in `unapplied` for the next save,
                // and the owed indexes stay due.
                self.served = match owed.is_empty() {
                    true => Served::Fresh,
                    false => Served::FollowUp(Rest::SearchIn(owed.clone())),
                };
                Some(self.restructure(&Changes::default()))
            }
            // A full render is due, which renders them.
            Served::Stale => None,
            Served::FollowUp(Rest::SearchIn(_)) | Served::Fresh => {
                (!self.later.is_empty()).then(|| self.render_later())
            }
        }
    }

    /// The search index due after an edit, to make beside the serve loop;
    /// `None` when none is due or one is being made.
    pub fn search_work(&mut self) -> Option<SearchWork> {
        let Served::FollowUp(Rest::SearchIn(langs)) = &self.served else {
            return None;
        };
        if self.searching {
            return None;
        }
        let work = SearchWork {
            prepared: self.basis.as_ref()?.prepared.clone(),
            langs: langs.clone(),
        };
        self.served = Served::Fresh;
        self.searching = true;
        Some(work)
    }

    /// Takes a finished search index: the files to publish when the model
    /// is still the one it was made from; otherwise its languages are due
    /// again (unless what changed the model renders them anyway).
    pub fn searched(&mut self, done: SearchDone) -> Option<Rebuilt> {
        self.searching = false;
        let current = self.basis.as_ref().is_some_and(|b| {
            Arc::ptr_eq(&b.prepared.site, &done.from.site)
                && Arc::ptr_eq(&b.prepared.bodies, &done.from.bodies)
        });
        // Possibly the last hold on a replaced model: freed off the serve
        // loop, as a structural rebuild frees its previous one.
        std::thread::spawn(move || drop(done.from));
        if !current {
            match &mut self.served {
                Served::FollowUp(Rest::SearchIn(pending) | Rest::Structure(pending)) => {
                    pending.extend(done.langs)
                }
                Served::Fresh => self.served = Served::FollowUp(Rest::SearchIn(done.langs)),
                // A full render writes the index.
                Served::FollowUp(Rest::Everything) | Served::Stale => {}
            }
            return None;
        }
        let files = match done.files {
            Ok(files) => files,
            // The index served stays as it was; the next edit of these
            // languages indexes them again.
            Err(failed) => {
                return Some(Rebuilt {
                    update: Update::Patch {
                        files: Vec::new(),
                        removed: Vec::new(),
                    },
                    pages: 0,
                    scope: "search index",
                    detail: None,
                    diagnostics: Diagnostics::from(vec![crate::pipeline::search_failed(&failed)]),
                });
            }
        };
        let fresh: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let dirs: Vec<String> = done.langs.iter().map(|l| vitrine_search::index_dir(l)).collect();
        let removed: Vec<String> = self
            .search_paths
            .iter()
            .filter(|p| dirs.iter().any(|d| p.starts_with(d.as_str())) && !fresh.contains(*p))
            .cloned()
            .collect();
        self.search_paths.retain(|p| !removed.contains(p));
        self.search_paths.extend(fresh);
        Some(Rebuilt {
            update: Update::Patch { files, removed },
            pages: 0,
            scope: "search index",
            detail: None,
            diagnostics: Diagnostics::new(),
        })
    }

    /// Renders every output from the kept model (templates or Fluent changed).
    fn render_everything(&mut self) -> Result<Rebuilt, Diagnostics> {
        let Some(basis) = &self.basis else {
            return self.full();
        };
        match self.render_all(&basis.prepared, Diagnostics::new()) {
            Ok((files, diagnostics)) => {
                self.served = Served::Fresh;
                Ok(self.replace(files, "render", diagnostics))
            }
            Err(diagnostics) => {
                self.served = Served::Stale;
                Err(diagnostics)
            }
        }
    }

    /// Renders the pages that show `entries` and the feeds.
    fn render_entries(&mut self, entries: &[EntryId], changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let Some(basis) = &self.basis else {
            return self.full();
        };
        let templates = render::load_templates(&basis.prepared, &basis.views)?;
        let jobs = render::pages_showing(basis.site(), &templates, entries, &self.reads);
        drop(templates);
        // The edited page's language last: its views stay held for the
        // next edit.
        let site = basis.prepared.site.clone();
        let edited = entries.iter().map(|&e| &site.entries[e]).find(|e| !e.is_fallback);
        let lang = edited.map(|e| e.lang.as_str());
        // Other languages' lists of its fallback copies follow ([`later`]):
        // each needs its language's views built.
        let (later, now): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|job| {
            Some(site.languages[job.language(&site)].code.as_str()) != lang
                && basis::shows_a_section(&site, job)
        });
        let Some(basis) = self.basis.as_mut() else {
            return self.full();
        };
        let (mut files, diagnostics) = basis.render_jobs(&now, lang, &mut self.noted)?;
        if diagnostics.has_errors() {
            self.served = Served::Stale;
            return Err(diagnostics);
        }
        let prepared = &basis.prepared;
        let pages = files.len();
        // Feeds carry a language's own pages only, never fallback copies.
        let langs: BTreeSet<&str> = entries
            .iter()
            .map(|&e| &prepared.site.entries[e])
            .filter(|e| !e.is_fallback)
            .map(|e| e.lang.as_str())
            .collect();
        files.extend(Other::Feeds.make_in(prepared, |lang| langs.contains(lang)));
        self.served.search_follows(langs.iter().map(|l| l.to_string()));
        self.later.add(later, lang);
        let removed = self.static_too(changes, &mut files);
        Ok(Rebuilt {
            update: Update::Patch { files, removed },
            pages,
            scope: "pages",
            detail: None,
            diagnostics,
        })
    }

    /// With pages rendered for `changes` (into `files`), the static files
    /// it changed too; returns the static outputs gone.
    fn static_too(&mut self, changes: &Changes, files: &mut Vec<OutputFile>) -> Vec<String> {
        if changes.static_files.is_empty() {
            return Vec::new();
        }
        match self.restatic().update {
            Update::Patch {
                files: copies,
                removed,
            } => {
                files.extend(copies);
                removed
            }
            Update::Replace(_) => Vec::new(),
        }
    }

    /// Lists the static outputs again: new ones appear, deleted ones go.
    fn restatic(&mut self) -> Rebuilt {
        let files = self
            .basis
            .as_ref()
            .map(|b| output::static_files(b.site()))
            .unwrap_or_default();
        let now: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let removed = self.static_paths.difference(&now).cloned().collect();
        self.static_paths = now;
        Rebuilt {
            update: Update::Patch { files, removed },
            pages: 0,
            scope: "static",
            detail: None,
            diagnostics: Diagnostics::new(),
        }
    }

    fn replace(&mut self, files: Vec<OutputFile>, scope: &'static str, diagnostics: Diagnostics) -> Rebuilt {
        self.remember_served(&files);
        self.later = LaterPages::default();
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        Rebuilt {
            update: Update::Replace(files),
            pages,
            scope,
            detail: None,
            diagnostics,
        }
    }
}

impl Rebuilder {
    /// Notes what the whole served site `files` holds besides pages.
    fn remember_served(&mut self, files: &[OutputFile]) {
        // Copied files; those rendered into the folder are copies too.
        let copies = files.iter().filter(|f| {
            matches!(&f.content, FileContent::Copy(source)
                if self.folder.as_ref().is_none_or(|dir| !source.starts_with(dir)))
        });
        self.static_paths = match (&self.folder, &self.basis) {
            (Some(_), Some(basis)) => output::static_files(basis.site())
                .into_iter()
                .map(|f| f.path)
                .collect(),
            _ => copies.map(|f| f.path.clone()).collect(),
        };
        self.search_paths = files
            .iter()
            .filter(|f| f.path.starts_with("search/"))
            .map(|f| f.path.clone())
            .collect();
        self.previewed.clear();
        self.reads = self.basis.as_ref().map_or_else(TemplateReads::default, |b| {
            TemplateReads::of(&b.prepared.site.config)
        });
    }
}

/// `Some((doc, new body))` when the file at `path` (relative to `content/`)
/// is a loaded document whose front matter did not change; `None` when the
/// model must be rebuilt.
fn changed_body(
    site: &vitrine_model::Site,
    options: &BuildOptions,
    path: &str,
) -> Result<Option<(DocId, String)>, Diagnostics> {
    let file = format!("{}/{path}", content_files::CONTENT_DIR);
    let Some(doc) = site.documents.iter().position(|d| d.file == file) else {
        return Ok(None);
    };
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let fresh = content_files::read_one(&site.config, &filter, path).map_err(Diagnostics::from)?;
    let old = &site.documents[doc];
    Ok(fresh
        .filter(|d| d.front == old.front && d.body_line == old.body_line && d.kind == old.kind)
        .map(|d| (doc, d.body)))
}

/// Applies an update to the served files (path → content).
pub fn apply(files: &mut HashMap<String, FileContent>, update: Update) {
    match update {
        Update::Replace(all) => {
            *files = all.into_iter().map(|f| (f.path, f.content)).collect();
        }
        Update::Patch { files: new, removed } => {
            for path in removed {
                files.remove(&path);
            }
            files.extend(new.into_iter().map(|f| (f.path, f.content)));
        }
    }
}

/// The entries whose Markdown may call a shortcode, which may format
/// messages: rendered again after a Fluent change.
fn calling_shortcodes(prepared: &Prepared) -> Vec<EntryId> {
    let bodies = &prepared.bodies;
    (0..prepared.site.entries.len())
        .filter(|&e| bodies[e].may_call_shortcodes)
        .collect()
}
