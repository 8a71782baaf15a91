//! An incremental build: the last build's output, changed only where the
//! changed input files reach. It is `serve`'s engine run once. The model
//! of the site that output shows is made again from the texts the last
//! build kept ([`crate::cache`]); the changes are applied to it by the
//! [`Rebuilder`], as `serve` applies an editor's saves (its tests compare
//! every step with a full build); and the files it renders and removes are
//! written into the output, the rest left untouched on disk.
//!
//! A Fluent change renders the pages of the languages it concerns and
//! those the last build noted showing their messages beyond their own
//! language (its record's [`MessagesShown`]). Changes that reach every
//! page (`site.yaml`, `data/`, templates, shortcodes, notices, a site
//! title that is a message), files of page bundles, images of
//! the static folders, relative URLs, sites whose pages show processed
//! images (a clean build writes those some page asks for: a patch does
//! not see every page ask), changes with errors (a full build reports
//! every error at once) and changes that put two outputs at one path are
//! left to a full build ([`Patch::Full`]). Nothing is
//! written until every page is rendered, so a failed build leaves the
//! output as it was; the caller removes the record before writing and
//! writes it after, so a build killed in between leaves none to trust.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cache::Changed;
use crate::changes::{self, Changes, FileChange, FileEvent};
use crate::incremental::{MessagesRebuilt, RENDERED_APART_AT_MOST, Rebuilder, Rebuilt, SearchWork, Update};
use crate::options::BuildOptions;
use crate::pipeline::{ContentFrom, Markdown, Timings, check_collisions, load_with};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_load::config::Config;
use vitrine_load::content::AsBefore;
use vitrine_output::{FileContent, OutputFile};
use vitrine_render::render::{MessagesShown, TemplateReads};

/// What an incremental build can do with a change.
pub(crate) enum Patch {
    /// The output was patched.
    Done(Box<Patched>),
    /// A full build is needed, and why.
    Full(String),
}

/// An output patched in place.
pub(crate) struct Patched {
    /// The files written, with their sizes, and those removed.
    pub written: Vec<(String, u64)>,
    /// Every output path written or removed, precompressed siblings
    /// included: the record checks only those again.
    pub touched: Vec<String>,
    pub removed: Vec<String>,
    /// The formats of the precompressed siblings text files have.
    pub compress: Vec<vitrine_load::config::publish::Compression>,
    /// What the patched output's pages show of the messages: the last
    /// build's, with the notes of the pages rendered again, if known.
    pub shown: Option<MessagesShown>,
    /// HTML pages rendered.
    pub rendered: usize,
    /// The site's pages and languages.
    pub pages: usize,
    pub languages: usize,
    pub next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The warnings of the rebuild (the unchanged files' are the record's).
    pub diagnostics: Diagnostics,
    /// The Markdown records and documents of the patched site, kept for
    /// the next build, or why there are none.
    pub kept: Result<crate::cache::Keep, String>,
    /// The patched site's model, when asked for ([`ToPatch::keep_model`]).
    pub model: Option<vitrine_render::render::Prepared>,
}

/// What to patch an output for.
pub(crate) struct ToPatch<'a> {
    /// The input files changed since the build of its record.
    pub changed: &'a Changed,
    /// The earlier texts of the content files changed since, `None` for
    /// new ones ([`Changed::new_pages`]).
    pub before: &'a BTreeMap<String, Option<String>>,
    /// The documents the last build loaded, by path under `content/`.
    pub documents: std::collections::HashMap<String, Box<vitrine_load::content::Document>>,
    /// The files of `content/` now, by path under it, as the build cache
    /// found them.
    pub content_files: Vec<String>,
    /// The related pages of the last build's entries, if it kept them.
    pub related: Option<crate::cache::Related>,
    /// Where the last build's Markdown records come from.
    pub markdown: Markdown,
    /// The digest of the inputs now, which the records kept for the next
    /// build carry.
    pub digest: &'a str,
    /// Whether text files get the precompressed siblings `compress:` asks
    /// for (`serve`'s folder has none).
    pub compress: bool,
    /// Whether the patched model is handed back ([`Patched::model`]):
    /// `serve` goes on from it.
    pub keep_model: bool,
}

/// What the rebuild renders and removes, by output path (`None`: removed).
type Outcome = BTreeMap<String, Option<OutputFile>>;

/// What the rebuild made, before it is written.
struct Made {
    outcome: Outcome,
    rendered: usize,
    diagnostics: Diagnostics,
}

/// Patches `output` for the input files changed since the build of its
/// record ([`ToPatch`]). `before_writing` runs
/// once every file is rendered, before the output is touched (the caller
/// removes the record there). On error the output is as it was.
pub(crate) fn patch(
    options: &BuildOptions,
    output: &Path,
    to_patch: ToPatch<'_>,
    timings: &mut Timings,
    before_writing: impl FnOnce() -> std::io::Result<()>,
) -> Result<Patch, Diagnostics> {
    let ToPatch {
        changed,
        before,
        documents,
        content_files,
        related,
        markdown,
        digest,
        compress,
        keep_model,
    } = to_patch;
    let events = events_of(changed);
    if let Some(why) = beyond_content(options, changed, &events) {
        return Ok(Patch::Full(why));
    }
    let Ok((prepared, _, _)) = load_with(
        options,
        ContentFrom::AsBefore(AsBefore {
            files: Some(content_files),
            before,
            kept: documents,
        }),
        markdown,
        timings,
    ) else {
        return Ok(Patch::Full("the last build's site does not load again".into()));
    };
    let compress = if compress {
        prepared.site.config.compress.clone()
    } else {
        Vec::new()
    };
    let static_gone = static_gone(changed, &prepared.site.config.theme);
    let paths: Vec<String> = changed.record.outputs().map(str::to_string).collect();
    let related_kept = related.is_some();
    let mut rebuilder = Rebuilder::of_output(options.clone(), prepared, related, &paths, &static_gone);
    timings.mark(match related_kept && rebuilder.took_related() {
        true => "incremental: the last build's model, its related pages kept",
        false => "incremental: the last build's model",
    });
    let mut made = Made {
        outcome: Outcome::new(),
        rendered: 0,
        diagnostics: Diagnostics::new(),
    };
    let changes = changes::classify(&events);
    let search = match rebuild(
        &mut rebuilder,
        &changes,
        changed.record.shown(),
        &mut made,
        timings,
    ) {
        Ok(search) => search,
        Err(why) => return Ok(Patch::Full(why)),
    };
    // The patched site's Markdown records and documents, for the next
    // build, packed while the search index is made (one language's index
    // is mostly one core's work) and the outputs' paths are listed.
    let related = rebuilder.related();
    let keep = |p: &vitrine_render::render::Prepared| {
        crate::cache::Keep::of(
            p,
            related.as_deref().map(Vec::as_slice),
            p.services.lexicon.pack(),
            digest,
        )
    };
    let ((searched, kept), paths) = rayon::join(
        || rayon::join(|| search.map(SearchWork::run), || rebuilder.prepared().map(keep)),
        || rebuilder.page_alias_and_static_paths(),
    );
    if let Some(done) = searched {
        let last = rebuilder.searched(done).map(Ok);
        if let Err(why) = follow(&mut rebuilder, last, &mut made, timings) {
            return Ok(Patch::Full(why));
        }
    }
    let Some((pages, languages, next_change)) = rebuilder.summary() else {
        return Ok(Patch::Full("the rebuild kept no model".into()));
    };
    let Some(kept) = kept else {
        return Ok(Patch::Full("the rebuild kept no model".into()));
    };
    let Some((site_titles, digests)) = rebuilder
        .prepared()
        .map(|p| (p.site_titles(), p.services.messages.digests()))
    else {
        return Ok(Patch::Full("the rebuild kept no model".into()));
    };
    let noted = rebuilder.take_noted();
    let shown = changed.record.shown().map(|last| {
        let mut foreign = last.foreign.clone();
        foreign.update(made.outcome.keys().map(String::as_str), noted);
        MessagesShown {
            digests,
            site_titles,
            foreign,
        }
    });
    if let Some(why) = rebuilder.prepared().and_then(|p| p.bodies.failure()) {
        return Ok(Patch::Full(format!(
            "the last build's Markdown records do not read back ({why})"
        )));
    }
    let mut paths = paths.unwrap_or_default();
    let mut collisions = Diagnostics::new();
    check_collisions(&mut paths, &mut collisions);
    if collisions.has_errors() {
        return Ok(Patch::Full("two outputs are written to one path".into()));
    }
    // A build lets the model go, on a thread of its own (freeing 50,000
    // pages' takes 0.1 s) while it writes, or not at all when the process
    // ends after it ([`BuildOptions::ends_process`]); `serve` keeps it.
    let model = if keep_model {
        rebuilder.into_model()
    } else if options.ends_process {
        std::mem::forget(rebuilder);
        None
    } else {
        std::thread::spawn(move || drop(rebuilder));
        None
    };
    let (files, removed) = split(made.outcome, changed);
    let fail = |e: std::io::Error| {
        Diagnostics::from(vec![
            Diagnostic::error(format!("cannot write the site to {}: {e}", output.display()))
                .with_hint("check that the output folder is writable; the next build renders everything"),
        ])
    };
    // The output was checked while the rebuild ran ([`cache::OutputCheck`]).
    if !changed.output_check.holds() {
        return Ok(Patch::Full(crate::cache::OUTPUT_CHANGED.into()));
    }
    before_writing().map_err(fail)?;
    let vitrine_output::Patched { written, touched } =
        vitrine_output::patch(output, files, &removed, &compress).map_err(fail)?;
    timings.mark("incremental: write");
    Ok(Patch::Done(Box::new(Patched {
        written,
        touched,
        removed,
        compress,
        shown,
        rendered: made.rendered,
        pages,
        languages,
        next_change,
        diagnostics: made.diagnostics,
        kept,
        model,
    })))
}

/// The changed files as the file events `serve`'s watcher would report.
fn events_of(changed: &Changed) -> Vec<FileEvent> {
    changed
        .files
        .iter()
        .map(|(path, went)| FileEvent {
            path: path.clone(),
            change: if *went {
                FileChange::Removed
            } else {
                FileChange::Written
            },
        })
        .collect()
}

/// Runs the rebuild and the follow-ups it leaves before the search index,
/// as `serve` runs them one after another, into `made`; returns the search
/// index still due. `Err(why)` when a full build must run instead.
fn rebuild(
    rebuilder: &mut Rebuilder,
    changes: &Changes,
    shown: Option<&MessagesShown>,
    made: &mut Made,
    timings: &mut Timings,
) -> Result<Option<SearchWork>, String> {
    let first = match shown {
        // What the pages showed is known: only the pages showing a changed
        // message are rendered.
        Some(shown) if changes.fluent_alone() => match rebuilder.rebuild_messages(shown, changes) {
            Ok(MessagesRebuilt::Rendered(rebuilt)) => Ok(rebuilt),
            Ok(MessagesRebuilt::Everything(why)) => return Err(why.to_string()),
            Err(diagnostics) => Err(diagnostics),
        },
        _ => rebuilder.rebuild(changes),
    };
    let first = Some(first);
    follow(rebuilder, first, made, timings)?;
    Ok(rebuilder.search_work())
}

/// Takes `step` into `made`, then each follow-up but the search index.
fn follow(
    rebuilder: &mut Rebuilder,
    mut step: Option<Result<Rebuilt, Diagnostics>>,
    made: &mut Made,
    timings: &mut Timings,
) -> Result<(), String> {
    while let Some(rebuilt) = step {
        // A full build reports every error of every stage in one run.
        let rebuilt = rebuilt
            .ok()
            .filter(|r| !r.diagnostics.has_errors())
            .ok_or("the change has errors")?;
        made.diagnostics.extend(rebuilt.diagnostics);
        made.rendered += rebuilt.pages;
        timings.note(format!(
            "incremental: {} ({} pages)",
            rebuilt.scope, rebuilt.pages
        ));
        let Update::Patch { files, removed } = rebuilt.update else {
            return Err("the change reaches every page".into());
        };
        made.outcome
            .extend(files.into_iter().map(|f| (f.path.clone(), Some(f))));
        made.outcome.extend(removed.into_iter().map(|path| (path, None)));
        step = rebuilder.follow_up_before_search();
    }
    Ok(())
}

/// The files to write, and the files of the last build to remove. A file
/// the last build wrote with the same bytes is left untouched (a search
/// shard the change did not reach, rendered again with its language).
fn split(outcome: Outcome, changed: &Changed) -> (Vec<OutputFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut removed = Vec::new();
    for (path, file) in outcome {
        match file {
            Some(file) if !matches!(&file.content, FileContent::Bytes(b) if changed.record.wrote(&path, b)) => {
                files.push(file)
            }
            Some(_) => {}
            None if changed.record.len_of(&path).is_some() => removed.push(path),
            None => {}
        }
    }
    (files, removed)
}

/// The output paths of the static files deleted since the last build.
fn static_gone(changed: &Changed, theme: &str) -> Vec<String> {
    let theme_static = format!("themes/{theme}/static/");
    changed
        .files
        .iter()
        .filter(|(_, went)| *went)
        .filter_map(|(path, _)| {
            path.strip_prefix("static/")
                .or_else(|| path.strip_prefix(&theme_static))
        })
        .map(str::to_string)
        .collect()
}

/// Why the changed files need a full build, if they do: files outside
/// `content/`'s pages and the static folders, files `serve` does not
/// watch, relative URLs (rewritten per page as a build writes it), a
/// theme reading any page, or processed images (a clean build writes
/// those some page asks for, and a patch does not see every page ask).
fn beyond_content(options: &BuildOptions, changed: &Changed, events: &[FileEvent]) -> Option<String> {
    if changed
        .record
        .outputs()
        .any(|p| p.starts_with("processed_images/"))
    {
        return Some("the site's pages show processed images".into());
    }
    let Ok(config) = Config::load(&options.root) else {
        return Some("site.yaml does not load".into());
    };
    if options.relative || config.relative_urls {
        return Some("relative URLs are written by a full build".into());
    }
    let reads = TemplateReads::of(&config);
    if reads.reads_any_page || reads.reads_taxonomies {
        return Some("the theme's templates read pages beyond those each output shows".into());
    }
    let theme_static = format!("themes/{}/static/", config.theme);
    let reach = |path: &str| {
        let page = path
            .strip_prefix("content/")
            .is_some_and(vitrine_load::content::is_content_page);
        // Pages may show an image of the static folders, processed.
        let static_file = (path.starts_with("static/") || path.starts_with(&theme_static)) && !is_image(path);
        // Fluent files, when the record says which pages show which messages.
        let fluent = changes::fluent_language(path).is_some() && changed.record.shown().is_some();
        (page || static_file || fluent) && !changes::is_ignored(path)
    };
    let other = events.iter().find(|e| !reach(&e.path));
    if let Some(other) = other {
        return Some(format!("{} changed, which may reach every page", other.path));
    }
    // A changed message reaches at least its language's pages: past what
    // a patch holds, the model is not even loaded.
    if !events.iter().any(|e| changes::fluent_language(&e.path).is_some()) {
        return None;
    }
    let pages = changed.record.outputs().filter(|p| p.ends_with(".html")).count();
    let per_language = pages / config.languages.len().max(1);
    (per_language > RENDERED_APART_AT_MOST).then(|| {
        format!("a Fluent change reaches a language's {per_language} pages, more than a patch holds")
    })
}

/// Whether a file is an image that pages or templates may process.
fn is_image(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    [
        "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "tif", "tiff", "bmp",
    ]
    .contains(&ext.as_str())
}
