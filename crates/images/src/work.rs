//! The pixel work of a build: requested files missing from the cache are
//! made in parallel, each source decoded once for all its files. Work can
//! start while templates are still rendering ([`ImageStore::process_pending`]
//! takes what was requested so far) and [`ImageStore::finish`] does the rest
//! and lists the files to publish.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use image::DynamicImage;
use rayon::prelude::*;

use super::cache::{CACHE_DIR, Cache};
use super::{ImageError, ImageStats, ImageStore, Job, Plan, process};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_output::OutputFile;
use vitrine_output::PROCESSED_IMAGES_DIR;

/// What processing has done so far in this build.
#[derive(Default)]
pub(super) struct Done {
    /// Every file name handled (made or found in the cache).
    names: BTreeSet<String>,
    stats: ImageStats,
    errors: Diagnostics,
}

type Group<'j> = Vec<(&'j String, &'j Job)>;

impl ImageStore {
    /// Makes what has been requested so far and is not yet handled.
    pub fn process_pending(&self, progress: bool) {
        let jobs = std::mem::take(&mut *self.jobs.lock().unwrap_or_else(|e| e.into_inner()));
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let jobs: BTreeMap<String, Job> = jobs
            .into_iter()
            .filter(|(n, _)| !done.names.contains(n))
            .collect();
        drop(done);
        let mut by_source: BTreeMap<&str, Group<'_>> = BTreeMap::new();
        for (name, job) in &jobs {
            by_source
                .entry(job.source.hash.as_str())
                .or_default()
                .push((name, job));
        }
        let mut cached = 0;
        let mut work: Vec<Group<'_>> = Vec::new();
        for group in by_source.into_values() {
            let (hit, missing): (Group<'_>, Group<'_>) =
                group.into_iter().partition(|(n, _)| self.cache.has(n));
            cached += hit.len();
            if !missing.is_empty() {
                work.push(missing);
            }
        }
        let bar = progress_bar(progress, &work);
        let results: Vec<Result<usize, Diagnostic>> = work
            .par_iter()
            .map(|group| {
                let made = self.make(group);
                bar.inc(1);
                made
            })
            .collect();
        bar.finish_and_clear();
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.stats.cached += cached;
        for r in results {
            match r {
                Ok(n) => {
                    done.stats.processed += n;
                    done.stats.decoded += 1;
                }
                Err(d) => done.errors.push(d),
            }
        }
        done.names.extend(jobs.into_keys());
    }

    /// Processes what is left and returns every file to publish, or the
    /// errors, each at the first reference of its image.
    pub fn finish(&self, progress: bool) -> Result<(Vec<OutputFile>, ImageStats), Diagnostics> {
        self.process_pending(progress);
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if done.errors.has_errors() {
            let mut errors = done.errors.clone();
            errors.sort();
            return Err(errors);
        }
        let mut stats = done.stats;
        stats.decoded += self.decoded.load(Ordering::Relaxed);
        let files = done
            .names
            .iter()
            .map(|name| OutputFile::copy(format!("{PROCESSED_IMAGES_DIR}/{name}"), self.cache.path(name)))
            .collect();
        Ok((files, stats))
    }

    /// Decodes one source and makes its missing files.
    fn make(&self, group: &[(&String, &Job)]) -> Result<usize, Diagnostic> {
        let Some((_, first)) = group.first() else {
            return Ok(0);
        };
        let source = &first.source;
        let referrer = group
            .iter()
            .map(|(_, j)| &j.referrer)
            .min()
            .unwrap_or(&first.referrer);
        let fail = |e: ImageError| e.diagnostic(referrer);
        let bytes = std::fs::read(&source.path)
            .map_err(|e| fail(ImageError::Io(source.name.clone(), e.to_string())))?;
        let image = process::decode(&bytes, self.config.max_pixels())
            .map_err(|e| fail(ImageError::Decode(source.name.clone(), e)))?;
        // WebP and JPEG of one size share one resize.
        let mut resized: HashMap<Plan, DynamicImage> = HashMap::new();
        for (name, job) in group {
            let made = match resized.entry(job.plan) {
                Entry::Occupied(e) => Ok(e.into_mut()),
                Entry::Vacant(e) => process::apply(&image, &job.plan).map(|out| e.insert(out)),
            }
            .and_then(|out| process::encode(out, job.format, job.quality))
            .map_err(|e| fail(ImageError::Operation((*name).clone(), e)))?;
            self.cache
                .write(name, &made)
                .map_err(|e| fail(ImageError::Io(format!("{CACHE_DIR}/{name}"), e.to_string())))?;
        }
        Ok(group.len())
    }

    /// Removes cached files this build did not use. Call only after a build
    /// that succeeded: a failed one may not have requested everything.
    pub fn prune(&self) -> std::io::Result<usize> {
        let mut used = self.done.lock().unwrap_or_else(|e| e.into_inner()).names.clone();
        let sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        used.extend(
            sources
                .values()
                .filter_map(|cell| cell.get()?.as_ref().ok().map(|s| Cache::record_name(&s.hash))),
        );
        self.cache.prune(&used)
    }

    /// Sources that the pipeline publishes itself, so the originals (with
    /// their EXIF and GPS data) are not copied from page bundles.
    pub fn processed_sources(&self) -> BTreeSet<PathBuf> {
        let sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        sources
            .values()
            .filter_map(|cell| cell.get()?.as_ref().ok().map(|s| s.path.clone()))
            .collect()
    }
}

fn progress_bar(wanted: bool, work: &[Group<'_>]) -> indicatif::ProgressBar {
    // Only worth showing past a few seconds: roughly 100 megapixels to decode.
    let pixels: u64 = work
        .iter()
        .filter_map(|g| g.first())
        .map(|(_, j)| u64::from(j.source.info.width) * u64::from(j.source.info.height))
        .sum();
    if !wanted || pixels < 100_000_000 {
        return indicatif::ProgressBar::hidden();
    }
    // indicatif draws nothing when stderr is not a terminal.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(work.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("images {bar:30} {pos}/{len} sources, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
