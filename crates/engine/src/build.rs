//! A build of an output folder: from the build cache ([`crate::cache`]),
//! the output left as it is, patched where a change reaches
//! ([`crate::patch`]), or rendered whole by the stages of
//! [`crate::pipeline`] into a staging folder swapped in at the end; the
//! files that come out as the last build's record gives them are not
//! written again but linked into it ([`cache::LastOutput`]).
//! Nothing is written unless there is no error.

use std::time::Instant;

use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_load::config::Config;
use vitrine_load::content::PageText;
use vitrine_output::{self as output, Sink};
use vitrine_render::render::Prepared;

use crate::cache;
pub use crate::options::BuildOptions;
use crate::patch::{self, Patch, Patched};
use crate::pipeline::{ContentFrom, Markdown, Rendered, ViewsFrom, load_timed, load_with, render_into};
pub use crate::pipeline::{
    InMemory, Stage, Timings, load, load_model, render_prepared, render_prepared_to, render_site,
};

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub languages: usize,
    pub seconds: f64,
    /// Image work done and reused.
    pub images: vitrine_images::ImageStats,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    /// When the built site will next differ by itself (see `next-change.json`).
    pub next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Nothing the output depends on changed since the last build: the
    /// output was left as it was, and the figures are that build's.
    pub reused: bool,
    /// The output of the last build was patched: pages rendered, files
    /// written and files removed (the rest untouched).
    pub patched: Option<(usize, usize, usize)>,
    /// Everything was rendered again and written over the output of the
    /// last build: files written and files removed, precompressed
    /// siblings included (the rest left as they were, the same files on
    /// disk).
    pub written_over: Option<(usize, usize)>,
}

/// Builds the site. On any error, returns every diagnostic and writes nothing.
///
/// Pages are written to a staging folder as they are rendered, so memory
/// does not grow with the size of the output; the folder replaces the
/// output only when the whole build succeeded. When the build cache shows
/// that nothing the output depends on changed since the last build of the
/// same folder, the output is left exactly as it is ([`crate::cache`]).
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let mut timings = Timings::default();
    timings.start();
    let Some(output) = options.output.as_ref() else {
        let (prepared, diagnostics) =
            load_timed(options, ContentFrom::Folder(PageText::InFiles), &mut timings)?;
        let rendered = render_into(
            &prepared,
            ViewsFrom::Build,
            diagnostics,
            &output::Discard,
            &mut timings,
        )?;
        return Ok(report(&prepared, rendered, start, timings));
    };
    let output = if output.is_absolute() {
        output.clone()
    } else {
        options.root.join(output)
    };
    let target = Target::build(options);
    let (inputs, last) = match from_cache(options, &output, &target, start, &mut timings)? {
        FromCache::Done(report, _) => return Ok(report),
        FromCache::Render { inputs, last, .. } => (inputs.map(|i| *i), last),
    };
    if let Some(tell) = options.on_render_everything {
        tell();
    }
    // The Markdown pass's records go to a file kept for the next build,
    // and the content's texts as the load reads them.
    let markdown = inputs
        .as_ref()
        .and_then(cache::Inputs::new_store)
        .map_or(Markdown::Render, Markdown::RenderInto);
    let packed_texts = inputs.as_ref().and_then(cache::Inputs::texts_packer);
    let from = match &packed_texts {
        Some(packer) => ContentFrom::FolderSeen(&|rel, text| packer.take(rel, text)),
        None => ContentFrom::Folder(PageText::InFiles),
    };
    let (prepared, diagnostics, _) = load_with(options, from, markdown, &mut timings)?;
    if let Some(packer) = &packed_texts {
        packer.flush();
    }
    let (mut rendered, over) = write_site(
        &prepared,
        options,
        &output,
        (inputs.as_ref(), last),
        diagnostics,
        &mut timings,
    )?;
    let words = rendered.words.take();
    let written = rendered.hashes.take();
    let shown = std::mem::take(&mut rendered.shown);
    let kept = match (&inputs, words) {
        (Some(inputs), Some(words)) => {
            let related = rendered.related.take();
            cache::Keep::of(
                &prepared,
                related.as_deref().map(Vec::as_slice),
                words,
                &inputs.digest(),
            )
        }
        _ => Err("no build cache".to_string()),
    };
    let mut report = report(&prepared, rendered, start, timings);
    report.written_over = over.map(|o| (o.written.len(), o.removed));
    // The record reads the output folder, not the model: the model goes
    // first, so the record is not made on top of it.
    let config = prepared.site.config.clone();
    drop(prepared);
    if let Some(inputs) = inputs {
        let summary = cache::Summary {
            pages: report.pages,
            files: report.files,
            bytes: report.bytes,
            languages: report.languages,
        };
        let recording = cache::Recording {
            next_change: report.next_change,
            summary,
            warnings: report.diagnostics.iter().cloned().collect(),
            earlier: None,
            written,
            compress: &config.compress,
            shown: Some(shown),
            packed_texts,
            kept,
        };
        let remembered = inputs.remember(&output, &config.keep_in_output, recording);
        recorded(&mut report, remembered, start);
    }
    Ok(report)
}

/// The build's time and stages include recording it (`remembered`): the
/// next build waits for that too.
fn recorded(report: &mut BuildReport, remembered: std::io::Result<cache::Pruned>, start: Instant) {
    report.timings.mark("recorded for the next build");
    match remembered {
        Ok(pruned) if pruned.sets > 0 => report.timings.note(format!(
            "build cache: removed {} sets of files no build can use any more ({:.1} MB)",
            pruned.sets,
            pruned.bytes as f64 / 1e6
        )),
        Ok(_) => {}
        Err(e) => report.diagnostics.push(not_recorded(e)),
    }
    report.seconds = start.elapsed().as_secs_f64();
}

fn not_recorded(e: std::io::Error) -> Diagnostic {
    Diagnostic::warning(format!(
        "cannot record this build in {}: {e}; the next build will run in full",
        cache::CACHE_DIR
    ))
}

/// How an output folder is written: a build's output, or `serve`'s folder,
/// which keeps nothing of its own beside the site's files and has no
/// precompressed siblings (nothing serves them).
pub(crate) struct Target {
    /// Names in the output that are not the build's, kept (`keep_in_output:`).
    keep: Vec<String>,
    /// Whether text files get the precompressed siblings `compress:` asks for.
    compress: bool,
    /// Whether a patch hands back the model it patched from
    /// ([`FromCache::Done`]): `serve` goes on from it.
    keep_model: bool,
}

impl Target {
    /// A build's output, as `site.yaml` asks for it.
    fn build(options: &BuildOptions) -> Target {
        let keep = Config::load(&options.root)
            .map(|c| c.keep_in_output)
            .unwrap_or_default();
        Target {
            keep,
            compress: true,
            keep_model: false,
        }
    }

    /// `serve`'s folder.
    pub(crate) fn served() -> Target {
        Target {
            keep: Vec::new(),
            compress: false,
            keep_model: true,
        }
    }
}

/// What the build cache makes of a build.
pub(crate) enum FromCache {
    /// The output was left as it was, or patched: the report, and the
    /// patched model when the target keeps it.
    Done(BuildReport, Option<Box<Prepared>>),
    /// Everything must be rendered, and why; the inputs to record after
    /// (`None` without a cache), and the last build's output to write
    /// over, when its record is of these options and this vitrine.
    Render {
        inputs: Option<Box<cache::Inputs>>,
        why: String,
        last: Option<Box<cache::LastOutput>>,
    },
}

/// What the build cache makes of a build of `output` written as `target`
/// says: the report of an output left as it was or patched
/// ([`crate::patch`]), or why everything must be rendered.
/// `--clean` ignores the record but writes a new one.
pub(crate) fn from_cache(
    options: &BuildOptions,
    output: &std::path::Path,
    target: &Target,
    start: Instant,
    timings: &mut Timings,
) -> Result<FromCache, Diagnostics> {
    let render = |inputs: Option<cache::Inputs>, why: String| FromCache::Render {
        inputs: inputs.map(Box::new),
        why,
        last: None,
    };
    let Some(mut inputs) = cache_of(options, output) else {
        return Ok(render(
            None,
            "no build cache: the site's files cannot all be read".into(),
        ));
    };
    if options.clean {
        return Ok(render(Some(inputs), "--clean".into()));
    }
    timings.note(format!("build cache: {}", inputs.summary()));
    let now = chrono::Utc::now().fixed_offset();
    let changed = match inputs.since(output, &target.keep, now) {
        Ok(cache::Since::Unchanged(record)) => {
            timings.mark("build cache: nothing changed, the output is kept");
            let report = reused(record, start, std::mem::take(timings));
            return Ok(FromCache::Done(report, None));
        }
        Ok(cache::Since::Changed(changed)) => changed,
        Err(why) => {
            timings.note(format!("build cache: {why}; rendering everything"));
            return Ok(render(Some(inputs), why));
        }
    };
    patch_changed(options, output, target, inputs, changed, start, timings)
}

/// Patches `output` for the inputs `changed` since its record, as
/// [`from_cache`] found them: the report, or why everything must be
/// rendered.
pub(crate) fn patch_changed(
    options: &BuildOptions,
    output: &std::path::Path,
    target: &Target,
    inputs: cache::Inputs,
    changed: cache::Changed,
    start: Instant,
    timings: &mut Timings,
) -> Result<FromCache, Diagnostics> {
    let render = |inputs: cache::Inputs, why: String, changed: cache::Changed| FromCache::Render {
        inputs: Some(Box::new(inputs)),
        why,
        last: Some(Box::new(cache::LastOutput::of(changed))),
    };
    let mut changed = changed;
    let cache::Kept {
        texts,
        bodies,
        documents,
        related,
    } = std::mem::take(&mut changed.kept);
    let new = changed.new_pages();
    let Some(texts) = texts else {
        let why = format!("{}, and the last build's texts are not kept", changed.summary());
        timings.note(format!("build cache: {why}; rendering everything"));
        return Ok(render(inputs, why, changed));
    };
    let before: std::collections::BTreeMap<String, Option<String>> = texts
        .into_iter()
        .map(|(rel, text)| (rel, Some(text)))
        .chain(new.iter().map(|rel| (rel.to_string(), None)))
        .collect();
    timings.note(format!("build cache: {}; patching the output", changed.summary()));
    // The last build's Markdown records, or a new file for this build's.
    let markdown = match bodies {
        Some(kept) => Markdown::Kept(kept),
        None => inputs.new_store().map_or(Markdown::Render, Markdown::RenderInto),
    };
    let digest = inputs.digest();
    timings.note(format!(
        "build cache: the last build's documents, {} kept",
        documents.len()
    ));
    let to_patch = patch::ToPatch {
        changed: &changed,
        before: &before,
        documents,
        content_files: inputs.content_files(),
        related,
        markdown,
        digest: &digest,
        compress: target.compress,
        keep_model: target.keep_model,
    };
    match patch::patch(options, output, to_patch, timings, || inputs.forget())? {
        Patch::Full(why) => {
            timings.note(format!("build cache: {why}; rendering everything"));
            Ok(render(inputs, why, changed))
        }
        Patch::Done(mut patched) => {
            let touched = std::mem::take(&mut patched.touched);
            let compress = std::mem::take(&mut patched.compress);
            let shown = std::mem::take(&mut patched.shown);
            let kept = std::mem::replace(&mut patched.kept, Err(String::new()));
            let model = patched.model.take().map(Box::new);
            let report = patched_report(&changed, *patched, start, std::mem::take(timings));
            let recording = cache::Recording {
                next_change: report.next_change,
                summary: cache::Summary {
                    pages: report.pages,
                    files: report.files,
                    bytes: report.bytes,
                    languages: report.languages,
                },
                warnings: report.diagnostics.iter().cloned().collect(),
                earlier: Some((&changed.record, &touched)),
                written: None,
                compress: &compress,
                shown,
                packed_texts: None,
                kept,
            };
            let mut report = report;
            let remembered = inputs.remember(output, &target.keep, recording);
            recorded(&mut report, remembered, start);
            Ok(FromCache::Done(report, model))
        }
    }
}

/// The report of a build that patched the output of the build of
/// `changed.record`: that build's figures, changed by the files written
/// and removed; its warnings, less those about the changed files, and the
/// rebuild's.
fn patched_report(
    changed: &cache::Changed,
    patched: Patched,
    start: Instant,
    timings: Timings,
) -> BuildReport {
    let record = &changed.record;
    let (mut files, mut bytes) = (record.summary.files, record.summary.bytes);
    for (path, len) in &patched.written {
        match record.len_of(path) {
            Some(old) => bytes = bytes.saturating_sub(old) + len,
            None => (files, bytes) = (files + 1, bytes + len),
        }
    }
    for old in patched.removed.iter().filter_map(|p| record.len_of(p)) {
        (files, bytes) = (files.saturating_sub(1), bytes.saturating_sub(old));
    }
    let touched: std::collections::BTreeSet<&std::path::Path> = changed
        .files
        .iter()
        .map(|(p, _)| std::path::Path::new(p.as_str()))
        .collect();
    let mut diagnostics: Diagnostics = record
        .warnings
        .iter()
        .filter(|d| d.file.as_deref().is_none_or(|f| !touched.contains(f)))
        .cloned()
        .collect::<Vec<_>>()
        .into();
    diagnostics.extend(patched.diagnostics);
    diagnostics.sort();
    BuildReport {
        pages: patched.pages,
        files,
        bytes,
        languages: patched.languages,
        seconds: start.elapsed().as_secs_f64(),
        images: vitrine_images::ImageStats::default(),
        diagnostics,
        timings,
        next_change: patched.next_change,
        reused: false,
        patched: Some((patched.rendered, patched.written.len(), patched.removed.len())),
        written_over: None,
    }
}

/// The inputs of a build of `output`, for the build cache; `None` when
/// `site.yaml` or an input cannot be read (the build then runs and
/// reports why).
fn cache_of(options: &BuildOptions, output: &std::path::Path) -> Option<cache::Inputs> {
    let config = Config::load(&options.root).ok()?;
    cache::Inputs::read(options, &config.theme, output)
}

/// Renders the site into a staging folder that replaces `output` once
/// every file is written; given the `last` build's output, still as that
/// build left it, only the files that differ from it are written there,
/// the others linked in ([`output::Staging::over`]). The build's cache
/// record is removed first,
/// so a build that dies after the swap leaves none to trust.
fn write_site(
    prepared: &Prepared,
    options: &BuildOptions,
    output: &std::path::Path,
    (inputs, last): (Option<&cache::Inputs>, Option<Box<cache::LastOutput>>),
    diagnostics: Diagnostics,
    timings: &mut Timings,
) -> Result<(Rendered, Option<output::Overwritten>), Diagnostics> {
    let fail = |e: std::io::Error, mut diagnostics: Diagnostics| {
        diagnostics.push(
            Diagnostic::error(format!("cannot write the site to {}: {e}", output.display()))
                .with_hint("check that the output folder's parent exists and is writable"),
        );
        diagnostics.sort();
        diagnostics
    };
    let config = prepared.site.config.clone();
    let mut staging = output::Staging::new(output)
        .map_err(|e| fail(e, diagnostics.clone()))?
        .keeping(&config.keep_in_output)
        .compressing(&config.compress);
    // The record of the output takes the hashes of what was written.
    if inputs.is_some() {
        staging = staging.hashing(cache::content_hash);
        if let Some(present) = last.and_then(|last| last.present(&config.compress)) {
            staging = staging.over(present);
        }
    }
    let relative =
        (options.relative || config.relative_urls).then(|| output::Relative::new(&staging, &config.base_url));
    let sink: &dyn Sink = match &relative {
        Some(r) => r,
        None => &staging,
    };
    // On error the staging folder is dropped, and removed with it.
    let mut done = render_into(prepared, ViewsFrom::Build, diagnostics, sink, timings)?;
    drop(relative);
    if let Some(inputs) = inputs {
        inputs.forget().map_err(|e| fail(e, done.diagnostics.clone()))?;
    }
    let written = staging.commit().map_err(|e| fail(e, done.diagnostics.clone()))?;
    timings.mark(match written.over {
        Some(_) => "written over the last output where it differs",
        None => "swap into place",
    });
    done.bytes = written.bytes;
    done.hashes = Some(written.hashes);
    Ok((done, written.over))
}

/// The report of a build that rendered everything.
fn report(prepared: &Prepared, rendered: Rendered, start: Instant, timings: Timings) -> BuildReport {
    let Rendered {
        mut diagnostics,
        files,
        bytes,
        images,
        ..
    } = rendered;
    // Only a complete build knows every image in use.
    if let Err(e) = prepared.services.images.prune() {
        diagnostics.push(Diagnostic::warning(format!(
            "cannot prune the image cache {}: {e}",
            vitrine_images::CACHE_DIR
        )));
    }
    diagnostics.sort();
    BuildReport {
        pages: prepared.site.entries.len(),
        files,
        bytes,
        languages: prepared.site.languages.len(),
        seconds: start.elapsed().as_secs_f64(),
        images,
        diagnostics,
        timings,
        next_change: prepared.site.next_change,
        reused: false,
        patched: None,
        written_over: None,
    }
}

/// The report of a build whose output was left as the last build wrote
/// it: that build's figures and warnings.
fn reused(record: cache::Record, start: Instant, timings: Timings) -> BuildReport {
    let summary = record.summary;
    BuildReport {
        pages: summary.pages,
        files: summary.files,
        bytes: summary.bytes,
        languages: summary.languages,
        seconds: start.elapsed().as_secs_f64(),
        images: vitrine_images::ImageStats::default(),
        diagnostics: Diagnostics::from(record.warnings),
        timings,
        next_change: record.next_change,
        reused: true,
        patched: None,
        written_over: None,
    }
}
