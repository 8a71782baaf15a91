//! The stages of a build, load (config, content, data, Fluent) → model →
//! render (Markdown, templates) → output (feeds, sitemap, static files),
//! into any sink: [`crate::build`] runs them into an output folder,
//! [`crate::incremental`] again for what a change reaches. Every stage's
//! diagnostics are collected so one run reports every problem.

use std::sync::Arc;
use std::time::Instant;

use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_load::config::Config;
use vitrine_load::content::{self, Filter, PageText};
use vitrine_load::i18n::{Cldr, Messages};
use vitrine_model as model;
use vitrine_output::{self as output, OutputFile, Recorder, Sink};
use vitrine_render::render::{self, Plan, Prepared, Views};

use crate::options::BuildOptions;

/// How long each stage of a build took, in order, and the memory held when
/// it ended (`vitrine build --timings`).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<Stage>,
    last: Option<Instant>,
}

/// One stage of [`Timings`].
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: std::borrow::Cow<'static, str>,
    pub seconds: f64,
    /// Resident memory at the end of the stage and the peak so far, in
    /// bytes, where the system tells (Linux's `/proc/self/status`).
    pub memory: Option<(u64, u64)>,
}

impl Timings {
    pub(crate) fn start(&mut self) {
        self.last = Some(Instant::now());
    }

    /// Records the time since the previous mark under `stage`.
    pub(crate) fn mark(&mut self, stage: &'static str) {
        self.note(stage);
    }

    /// Records the time since the previous mark under a stage named at
    /// run time (what the build cache found).
    pub(crate) fn note(&mut self, stage: impl Into<std::borrow::Cow<'static, str>>) {
        let now = Instant::now();
        let since = self.last.map_or(0.0, |t| (now - t).as_secs_f64());
        self.stages.push(Stage {
            name: stage.into(),
            seconds: since,
            memory: memory(),
        });
        self.last = Some(now);
    }

    /// The stages in the order they ran.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
}

/// `(resident, peak resident)` bytes of this process, on Linux.
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// A site rendered into memory (`serve`): every output file, what it was
/// rendered from (kept to render again after a change), and the warnings.
pub struct InMemory {
    pub files: Vec<OutputFile>,
    pub prepared: Prepared,
    pub views: Arc<Views>,
    pub diagnostics: Diagnostics,
}

/// Loads, models and renders the site into memory.
pub fn render_site(options: &BuildOptions) -> Result<InMemory, Diagnostics> {
    let mut timings = Timings::default();
    timings.start();
    let (prepared, diagnostics) = load_timed(options, ContentFrom::Folder(PageText::Kept), &mut timings)?;
    let views = Arc::new(prepared.views());
    let (files, diagnostics) = render_prepared(&prepared, Some(&views), diagnostics)?;
    Ok(InMemory {
        files,
        prepared,
        views,
        diagnostics,
    })
}

/// Loads the site's content into the model as a build would (same drafts
/// and scheduling filter), without Markdown, data files or templates: what
/// the translators' reports and the portal report read. Notices still to
/// come are kept (they are translators' work too).
pub fn load_model(options: &BuildOptions) -> Result<model::Site, Diagnostics> {
    let config = Arc::new(Config::load(&options.root)?);
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let (documents, diagnostics) = content::load(&config, &filter);
    let (mut notices, notice_diags) = vitrine_load::notices::load(&config);
    if diagnostics.has_errors() || notice_diags.has_errors() {
        let mut all = diagnostics;
        all.extend(notice_diags);
        return Err(all);
    }
    // Coverage does not depend on list order, so plain code-point order does.
    let collate = |_: &str, a: &str, b: &str| a.cmp(b);
    let mut site = model::build(
        config,
        documents.into_iter().map(Arc::new).collect(),
        serde_json::Value::Object(Default::default()),
        &collate,
    )?;
    notices.retain(|n| n.ends.is_none_or(|e| e > filter.now));
    site.notices = notices;
    Ok(site)
}

/// Loads the site folder and builds the model and the rendered Markdown
/// (`serve`). Pages' Markdown is left in their files, as a build leaves it:
/// what reads it again after an edit reads the file
/// ([`vitrine_load::content::Document::read_body`]). The returned
/// diagnostics may hold Markdown errors: [`render_prepared`] reports them
/// together with template errors.
pub fn load(options: &BuildOptions) -> Result<(Prepared, Diagnostics), Diagnostics> {
    let mut timings = Timings::default();
    timings.start();
    load_timed(options, ContentFrom::Folder(PageText::InFiles), &mut timings)
}

/// [`load`], with the Markdown from `markdown`; and whether the records
/// kept there were taken.
pub(crate) fn load_markdown(
    options: &BuildOptions,
    markdown: Markdown,
) -> Result<(Prepared, Diagnostics, bool), Diagnostics> {
    let mut timings = Timings::default();
    timings.start();
    let from = ContentFrom::Folder(PageText::InFiles);
    load_with(options, from, markdown, &mut timings)
}

/// Where a load takes the content files from.
pub(crate) enum ContentFrom<'a> {
    /// The site's folder, keeping pages' Markdown or leaving it in the
    /// files (a build: the Markdown pass reads each once).
    Folder(PageText),
    /// The site's folder, pages' Markdown left in the files, each file's
    /// text handed to this as it is read ([`content::load_seen`]).
    FolderSeen(content::Seen<'a>),
    /// The folder as an earlier build saw it ([`content::load_as_before`]).
    AsBefore(content::AsBefore<'a>),
}

/// Where the Markdown pass's records come from.
#[derive(Default)]
pub(crate) enum Markdown {
    /// Rendered, kept in an unnamed file.
    #[default]
    Render,
    /// Rendered, kept in this store for the next build.
    RenderInto(Arc<vitrine_render::render::Store>),
    /// The last build's, when they are this model's; rendered otherwise.
    Kept(vitrine_render::render::KeptBodies),
}

/// [`load`], timed, with the content files from `from`.
pub(crate) fn load_timed(
    options: &BuildOptions,
    from: ContentFrom<'_>,
    timings: &mut Timings,
) -> Result<(Prepared, Diagnostics), Diagnostics> {
    let (prepared, diagnostics, _) = load_with(options, from, Markdown::Render, timings)?;
    Ok((prepared, diagnostics))
}

/// [`load_timed`], with the Markdown from `markdown`; and whether the
/// records [`Markdown::Kept`] offers were taken (they are not when they
/// are not this model's: the Markdown is rendered then).
pub(crate) fn load_with(
    options: &BuildOptions,
    from: ContentFrom<'_>,
    markdown: Markdown,
    timings: &mut Timings,
) -> Result<(Prepared, Diagnostics, bool), Diagnostics> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        let base_url = base_url.trim_end_matches('/');
        vitrine_load::config::check_base_url(base_url).map_err(|message| {
            Diagnostics::from(vec![
                Diagnostic::error(format!("--base-url: {message}"))
                    .with_hint("write it as https://example.org or https://example.org/portal/"),
            ])
        })?;
        config.base_url = base_url.to_string();
    }
    let config = Arc::new(config);
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let mut diagnostics = Diagnostics::new();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let ((documents, scheduled, content_diags), ((data, data_diags), ((messages, fluent_diags), cldr))) =
        rayon::join(
            || match from {
                ContentFrom::Folder(text) => content::load_scheduled(&config, &filter, text),
                ContentFrom::FolderSeen(seen) => {
                    content::load_seen(&config, &filter, PageText::InFiles, seen)
                }
                ContentFrom::AsBefore(as_before) => content::load_as_before(&config, &filter, as_before),
            },
            || {
                rayon::join(
                    || content::data::load(&config.root),
                    || {
                        rayon::join(
                            || Messages::load(&config.root, &config.theme_dir(), &codes),
                            || Cldr::new(&codes),
                        )
                    },
                )
            },
        );
    let (mut notices, notice_diags) = vitrine_load::notices::load(&config);
    timings.mark("load (content, data, Fluent, CLDR)");
    diagnostics.extend(content_diags);
    diagnostics.extend(notice_diags);
    diagnostics.extend(data_diags);
    diagnostics.extend(fluent_diags);
    if diagnostics.has_errors() {
        return Err(with_markdown_errors(
            config,
            documents,
            data,
            messages,
            cldr,
            diagnostics,
        ));
    }
    let collate = |lang: &str, a: &str, b: &str| cldr.compare(lang, a, b);
    let documents = documents.into_iter().map(Arc::new).collect();
    let mut site = model::build(config.clone(), documents, data, &collate).map_err(|mut d| {
        d.extend(diagnostics.clone());
        d.sort();
        d
    })?;
    diagnostics.extend(vitrine_render::render::notices::render_texts(&site, &mut notices));
    site.next_change = notices
        .iter()
        .filter_map(|n| n.next_change(filter.now))
        .chain(scheduled)
        .min();
    notices.retain(|n| n.is_active(filter.now));
    site.notices = notices;
    timings.mark("model");
    let ((prepared, markdown_diags), kept) = match markdown {
        Markdown::Render => (Prepared::new(site, messages, cldr), false),
        Markdown::RenderInto(store) => (Prepared::new_in(site, messages, cldr, Some(store)), false),
        Markdown::Kept(kept) => match vitrine_render::render::Bodies::restore(&site, kept) {
            Some(bodies) => {
                timings.mark("markdown: the last build's records, kept");
                let prepared = Prepared::with_bodies(site, messages, cldr, bodies);
                ((prepared, Diagnostics::new()), true)
            }
            None => (Prepared::new(site, messages, cldr), false),
        },
    };
    timings.mark("markdown");
    diagnostics.extend(markdown_diags);
    Ok((prepared, diagnostics, kept))
}

/// The error of a search index whose terms, written out to
/// `.vitrine-cache/` while it was built, could not be read back.
pub(crate) fn search_failed(failed: &vitrine_search::Failed) -> Diagnostic {
    Diagnostic::error(failed.to_string())
        .with_hint("check the disk holding the site folder (space, errors), then build again")
}

/// After load errors (a file's YAML, a Fluent bundle), the files that did
/// load are still modelled and their Markdown rendered, so the same run
/// reports their broken links and unknown shortcodes too: an editor fixes
/// every file at once. A link to a file that failed to load is not reported
/// again: that file's own error says what to fix.
fn with_markdown_errors(
    config: Arc<Config>,
    documents: Vec<content::Document>,
    data: serde_json::Value,
    messages: Messages,
    cldr: Cldr,
    mut diagnostics: Diagnostics,
) -> Diagnostics {
    let failed: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.file.as_ref())
        .filter_map(|f| f.to_str()?.strip_prefix("content/").map(str::to_string))
        .collect();
    let about_failed = |d: &Diagnostic| {
        failed
            .iter()
            .any(|rel| d.message.contains(&format!("`@/{rel}`")) || d.message.contains(&format!("`@/{rel}#")))
    };
    let collate = |lang: &str, a: &str, b: &str| cldr.compare(lang, a, b);
    let documents = documents.into_iter().map(Arc::new).collect();
    match model::build(config, documents, data, &collate) {
        Ok(site) => {
            let (_, markdown_diags) = Prepared::new(site, messages, cldr);
            diagnostics.extend(markdown_diags.into_vec().into_iter().filter(|d| !about_failed(d)));
        }
        Err(model_diags) => diagnostics.extend(model_diags),
    }
    diagnostics.sort();
    diagnostics
}

/// Renders every output of a loaded site into memory, from `views` (every
/// language's, [`render_site`]) or a language at a time (`None`, as
/// `serve` does): templates, images, feeds, sitemap, robots.txt, aliases,
/// the language picker and static files.
pub fn render_prepared(
    prepared: &Prepared,
    views: Option<&Arc<Views>>,
    diagnostics: Diagnostics,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    let files = output::Collect::default();
    let from = views.map_or(ViewsFrom::ByLanguage, |v| ViewsFrom::Given(v.clone()));
    let rendered = render_into(prepared, from, diagnostics, &files, &mut Timings::default())?;
    Ok((files.into_files(), rendered.diagnostics))
}

/// Renders every output of a loaded site, as [`render_prepared`] does a
/// language at a time, into the folder `dir` (`serve`'s served folder):
/// streamed to a staging folder that replaces `dir` once complete, so
/// memory does not hold the site's files. Returns each file as a copy of
/// the one in `dir`.
pub fn render_prepared_to(
    prepared: &Prepared,
    diagnostics: Diagnostics,
    dir: &std::path::Path,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    let fail = |e: std::io::Error, mut diagnostics: Diagnostics| {
        diagnostics.push(Diagnostic::error(format!(
            "cannot write the served files to {}: {e}",
            dir.display()
        )));
        diagnostics
    };
    let staging = output::Staging::new(dir).map_err(|e| fail(e, diagnostics.clone()))?;
    let rendered = render_into(
        prepared,
        ViewsFrom::ByLanguage,
        diagnostics,
        &staging,
        &mut Timings::default(),
    )?;
    staging
        .commit()
        .map_err(|e| fail(e, rendered.diagnostics.clone()))?;
    let files = rendered
        .paths
        .into_iter()
        .map(|path| {
            let source = dir.join(&path);
            OutputFile::copy(path, source)
        })
        .collect();
    Ok((files, rendered.diagnostics))
}

/// Where [`render_into`] takes its views from.
pub(crate) enum ViewsFrom {
    /// A build: a language at a time, the search index made first (its
    /// largest work then runs while the build holds least) and the words
    /// the Markdown pass numbered let go once it is made.
    Build,
    /// A language at a time, the words kept (`serve` indexes again after
    /// each edit).
    ByLanguage,
    /// These views, every language's.
    Given(Arc<Views>),
}

/// What [`render_into`] did.
pub(crate) struct Rendered {
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Files written.
    pub files: usize,
    /// Bytes rendered (copies not counted), or written once committed.
    pub bytes: u64,
    pub images: vitrine_images::ImageStats,
    /// Every file's path, sorted.
    pub paths: Vec<String>,
    /// The words the Markdown pass numbered ([`vitrine_search::Lexicon::pack`]),
    /// when a build keeps its bodies for the next one.
    pub words: Option<Vec<u8>>,
    /// The related pages of each entry, when rendered a language at a
    /// time: a build keeps them for the next one.
    pub related: Option<Arc<Vec<Vec<model::EntryId>>>>,
    /// What the pages showed of the messages: a build keeps it for the
    /// next one, which renders after a Fluent change only what it reaches.
    pub shown: render::MessagesShown,
    /// The size and content hash of the files written from bytes, once
    /// committed, when a build keeps a record of its output.
    pub hashes: Option<output::Hashes>,
}

/// Renders every output of a loaded site into `sink`, from the views
/// given or a language at a time from that language's views
/// ([`render_by_language`]).
///
/// The views are dropped once the pages are rendered (unless the caller
/// keeps its own `Arc`): they are the largest thing a build holds, and the
/// stages after (feeds, sitemap) read the model and the bodies, not the
/// views.
pub(crate) fn render_into(
    prepared: &Prepared,
    from: ViewsFrom,
    mut diagnostics: Diagnostics,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<Rendered, Diagnostics> {
    let recorder = Recorder::new(sink);
    let sink = &recorder;
    let search_first = matches!(from, ViewsFrom::Build) && !diagnostics.has_errors();
    let mut words = None;
    if search_first {
        if let Err(failed) = vitrine_search::put_files(&prepared.search_input(), sink) {
            diagnostics.push(search_failed(&failed));
            diagnostics.sort();
            return Err(diagnostics);
        }
        let kept = prepared.bodies.store().is_some_and(|s| s.path().is_some());
        words = kept.then(|| prepared.services.lexicon.pack());
        // Only the indexes read the words the Markdown pass numbered.
        prepared.services.lexicon.clear();
        timings.mark("search index");
    }
    let site = &prepared.site;
    // Without views given, the first language's views load the templates.
    let given = match from {
        ViewsFrom::Given(views) => Some(views),
        ViewsFrom::Build | ViewsFrom::ByLanguage => None,
    };
    let by_language = given.is_none() && !site.languages.is_empty();
    let related = by_language.then(|| Views::related(site));
    let views = given.unwrap_or_else(|| {
        let views = Arc::new(match &related {
            Some(related) => prepared.views_of_language(related, &site.languages[0].code),
            None => prepared.views(),
        });
        timings.mark("views");
        views
    });
    let templates = match render::load_templates(prepared, &views) {
        Ok(t) => Some(t),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    let Some(templates) = templates else {
        return Err(diagnostics);
    };
    timings.mark("templates load");
    let plan = Plan::of(site, &templates);
    // Images requested by Markdown and covers are made while templates
    // render. Template functions hold the views: both go once rendered.
    let (pages, ()) = rayon::join(
        || match &related {
            Some(related) => render_by_language(prepared, related, (views, templates), &plan.pages, sink),
            None => render::render_jobs_into(&prepared.input(&views), &templates, &plan.pages, sink),
        },
        || prepared.services.images.process_pending(true),
    );
    timings.mark("templates render and images");
    diagnostics.extend(pages.diagnostics);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    // Otherwise the search index beside the feeds, sitemap and other small
    // files, which are written on one core.
    let (searched, ()) = rayon::join(
        || match search_first {
            true => Ok(()),
            false => vitrine_search::put_files(&prepared.search_input(), sink),
        },
        || {
            for other in &plan.others {
                other.put(prepared, sink);
            }
            for (from, to) in &plan.copies {
                sink.duplicate(from, to);
            }
        },
    );
    timings.mark(if search_first {
        "feeds, sitemap"
    } else {
        "search index, feeds, sitemap"
    });
    if let Err(failed) = searched {
        diagnostics.push(search_failed(&failed));
        diagnostics.sort();
        return Err(diagnostics);
    }
    // Pages and feeds have read every body they show.
    if let Some(why) = prepared.bodies.failure() {
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot read back the page bodies kept in .vitrine-cache/: {why}"
            ))
            .with_hint("check the disk holding the site folder (space, errors), then build again"),
        );
        diagnostics.sort();
        return Err(diagnostics);
    }
    let stats = match prepared.services.images.finish(true) {
        Ok((images, stats)) => {
            put_all(sink, images);
            stats
        }
        Err(d) => {
            diagnostics.extend(d);
            Default::default()
        }
    };
    timings.mark("images");
    // Bundle photos are published resized and without their EXIF (GPS)
    // data; their originals are not copied.
    let processed = prepared.services.images.processed_sources();
    let bundles = site.config.root.join(content::CONTENT_DIR);
    for file in output::static_files(site) {
        if !matches!(&file.content, output::FileContent::Copy(p) if p.starts_with(&bundles) && processed.contains(p))
        {
            sink.put(file);
        }
    }
    timings.mark("static files");
    let (mut paths, bytes) = recorder.into_seen();
    // Sorted by path: collisions are neighbours.
    check_collisions(&mut paths, &mut diagnostics);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(Rendered {
        diagnostics,
        files: paths.len(),
        bytes,
        images: stats,
        paths,
        words,
        related,
        hashes: None,
        shown: render::MessagesShown {
            digests: prepared.services.messages.digests(),
            site_titles: prepared.site_titles(),
            foreign: pages.foreign,
        },
    })
}

/// Renders `jobs` a language at a time: each language's pages from its
/// own views ([`Views::of_language`]) and templates loaded on them,
/// dropped before the next language's are built, so a build holds one
/// language's views rather than the whole site's (on the shared corpus,
/// a fifth of them). `first` holds the first language's, already built.
fn render_by_language(
    prepared: &Prepared,
    related: &Arc<Vec<Vec<model::EntryId>>>,
    first: (Arc<Views>, render::Templates),
    jobs: &[render::Job],
    sink: &dyn Sink,
) -> render::RenderedPages<()> {
    let site = &prepared.site;
    let mut by_language: Vec<Vec<render::Job>> = vec![Vec::new(); site.languages.len()];
    for job in jobs {
        by_language[job.language(site)].push(*job);
    }
    let mut diagnostics = Diagnostics::new();
    let mut foreign = render::ForeignMessages::default();
    let mut first = Some(first);
    for (language, jobs) in site.languages.iter().zip(&by_language) {
        let (views, templates) = match first.take() {
            Some(loaded) => loaded,
            None => {
                let views = Arc::new(prepared.views_of_language(related, &language.code));
                match render::load_templates(prepared, &views) {
                    Ok(templates) => (views, templates),
                    Err(d) => {
                        diagnostics.extend(d);
                        continue;
                    }
                }
            }
        };
        let rendered = render::render_jobs_into(&prepared.input(&views), &templates, jobs, sink);
        diagnostics.extend(rendered.diagnostics);
        foreign.extend(rendered.foreign);
    }
    render::RenderedPages {
        files: (),
        diagnostics,
        foreign,
    }
}

fn put_all(sink: &dyn Sink, files: impl IntoIterator<Item = OutputFile>) {
    files.into_iter().for_each(|f| sink.put(f));
}

/// Two outputs at one path (an alias over a page, a static file over a
/// rendered one) would silently lose one of them.
pub(crate) fn check_collisions(paths: &mut [String], diagnostics: &mut Diagnostics) {
    paths.sort_unstable();
    for pair in paths.windows(2) {
        if pair[0] == pair[1] {
            diagnostics.push(
                Diagnostic::error(format!("two outputs are written to `{}`", pair[0]))
                    .with_hint("an alias, a static file or a slug collides with another page; rename one"),
            );
        }
    }
}
