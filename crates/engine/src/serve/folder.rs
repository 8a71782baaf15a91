//! The served folder, `.vitrine-cache/serve/`: the files `serve` serves,
//! kept on disk rather than in memory (a national portal's pages weigh
//! hundreds of megabytes), with a build cache record beside them
//! ([`crate::cache`]) so that the next `serve` of an unchanged site starts
//! serving them within seconds instead of rendering everything, and the
//! next `serve` of a site whose pages changed meanwhile patches them as
//! `build` patches its output ([`ServedFolder::reuse`]). The files are
//! rendered as a build of the same options renders them (links are
//! rebased as they are sent, [`super::rebase`]), so a folder with no
//! record of its own starts from a build's output and record instead
//! ([`crate::cache::Adoptable`]).
//!
//! The record is trusted as a build trusts its own: same vitrine, options
//! (each address has a folder of its own) and input contents, the folder as it
//! was recorded. It is removed before the folder first changes, and
//! written again when `serve` stops (Ctrl+C) with the served files matching
//! what the site's files hold: a `serve` that is killed, or stopped while a
//! save was still being rebuilt, leaves none, and the next one renders
//! everything.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vitrine_load::config::Config;
use vitrine_output::{FileContent, OutputFile, Sink};

use super::watch::DEBOUNCE;
use crate::cache;
use crate::incremental::Update;
use crate::options::BuildOptions;
use crate::pipeline::Markdown;
use vitrine_render::render::Prepared;

/// The served folders, under the site root: one per address and options,
/// so two servers of one site (one showing drafts) keep their own.
pub const SERVE_DIR: &str = ".vitrine-cache/serve";

/// What a previous `serve` left that the next one starts from
/// ([`ServedFolder::reuse`]).
pub(crate) struct Reused {
    /// The served files, as copies of the folder's.
    pub files: Vec<OutputFile>,
    /// The site's input files as found.
    pub inputs: cache::Inputs,
    /// Where the model's Markdown records come from.
    pub markdown: Markdown,
    /// The model the files were just patched from, if they were: taken
    /// as it is rather than loaded again.
    pub model: Option<Box<Prepared>>,
}

impl Reused {
    /// The files of `dir` that `record` names, the Markdown records kept
    /// with them, and `model` if they were just patched from it.
    fn of(dir: &Path, inputs: cache::Inputs, record: &cache::Record, model: Option<Box<Prepared>>) -> Reused {
        let files = record
            .outputs()
            .map(|path| OutputFile::copy(path, dir.join(path)))
            .collect();
        let markdown = inputs
            .kept_bodies(record)
            .map_or(Markdown::Render, Markdown::Kept);
        Reused {
            files,
            inputs,
            markdown,
            model,
        }
    }
}

pub struct ServedFolder {
    dir: PathBuf,
    /// Whether the folder can be written: a site folder that cannot (a
    /// read-only mount) is served from memory, as before.
    usable: bool,
    /// The server's build options, writing into `dir`.
    options: BuildOptions,
}

impl ServedFolder {
    /// The folder of the server at `address` (`http://127.0.0.1:1111`)
    /// building with `options`.
    pub fn new(options: &BuildOptions, address: &str) -> ServedFolder {
        let key = format!(
            "{address} {:?} drafts={} future={}",
            options.base_url, options.drafts, options.future
        );
        let name = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
        let parent = options.root.join(SERVE_DIR);
        let dir = parent.join(&name);
        let usable = std::fs::create_dir_all(&parent).is_ok() && tempfile::tempfile_in(&parent).is_ok();
        // A killed server's staging folders: a server that adopts a
        // build and then only patches never stages, so builds' own
        // cleanup ([`vitrine_output::Staging::new`]) would not reach them.
        if usable {
            vitrine_output::Staging::remove_leftovers(&dir);
        }
        ServedFolder {
            usable,
            options: BuildOptions {
                output: Some(dir.clone()),
                ..options.clone()
            },
            dir,
        }
    }

    /// The folder, when it can be written.
    pub fn dir(&self) -> Option<&Path> {
        self.usable.then_some(self.dir.as_path())
    }

    /// Hashes the site's input files, as the record names them.
    pub fn inputs(&self) -> Option<cache::Inputs> {
        let config = Config::load(&self.options.root).ok()?;
        cache::Inputs::read(&self.options, &config.theme, &self.dir)
    }

    /// The files a previous `serve` left, brought up to date as `build`
    /// brings its output ([`crate::build::from_cache`]): kept as they are
    /// when no input changed since, patched where changed inputs reach
    /// otherwise. Returns them with the inputs found and the Markdown
    /// records kept with them, and how they were brought up to date; or
    /// why everything must be rendered.
    pub(crate) fn reuse(&self) -> Result<(Reused, String), String> {
        if !self.usable {
            return Err(format!(
                "{SERVE_DIR} cannot be written; the site is served from memory"
            ));
        }
        self.reuse_own(true)
    }

    /// Takes up the output and record of the newest build of the same
    /// options whose output is as it left it ([`cache::Adoptable`]), but
    /// for its precompressed siblings. Says which, if one was taken.
    fn adopt_a_build(&self) -> Option<String> {
        let config = Config::load(&self.options.root).ok()?;
        let build = cache::Adoptable::newest(&self.options, &self.dir, &config.keep_in_output)?;
        let from = build.output().display().to_string();
        match build.adopt(&self.dir, &config.compress) {
            Ok(files) => Some(format!("started from the files built in {from} ({files} files)")),
            Err(e) => {
                eprintln!("warning: the build in {from} could not be taken up ({e}); rendering everything");
                None
            }
        }
    }

    /// [`ServedFolder::reuse`] of the folder a `serve` left, or, when it
    /// left none that can be trusted and `or_a_build`, of a build's.
    fn reuse_own(&self, or_a_build: bool) -> Result<(Reused, String), String> {
        let mut inputs = self
            .inputs()
            .ok_or_else(|| "the site's files cannot all be read".to_string())?;
        let now = chrono::Utc::now().fixed_offset();
        let since = match inputs.since(&self.dir, &[], now) {
            Err(why) if or_a_build => match self.adopt_a_build() {
                Some(build) => {
                    let (reused, how) = self.reuse_own(false)?;
                    return Ok((reused, format!("{build}; {how}")));
                }
                None => return Err(why),
            },
            since => since?,
        };
        let changed = match since {
            cache::Since::Unchanged(record) => {
                let how = "nothing changed since the last serve".to_string();
                return Ok((Reused::of(&self.dir, inputs, &record, None), how));
            }
            cache::Since::Changed(changed) => changed,
        };
        let mut timings = crate::pipeline::Timings::default();
        let target = crate::build::Target::served();
        let started = std::time::Instant::now();
        let patched = crate::build::patch_changed(
            &self.options,
            &self.dir,
            &target,
            inputs,
            changed,
            started,
            &mut timings,
        );
        let (how, model) = match patched {
            Ok(crate::build::FromCache::Done(report, model)) => {
                let (pages, written, removed) = report.patched.unwrap_or_default();
                let how = format!(
                    "inputs changed since the last serve, patched as a build would ({pages} pages rendered, {written} files written, {removed} removed)"
                );
                (how, model)
            }
            Ok(crate::build::FromCache::Render { why, .. }) => return Err(why),
            Err(_) => return Err("the changes could not be patched in".into()),
        };
        // The record was just written: the inputs are taken again to tell
        // whether a file is saved while the model loads.
        let inputs = self
            .inputs()
            .ok_or_else(|| "the site's files cannot all be read".to_string())?;
        let record = inputs
            .recorded()
            .ok_or_else(|| "a file was saved meanwhile".to_string())?;
        Ok((Reused::of(&self.dir, inputs, &record, model), how))
    }

    /// Removes the record: the folder is about to change.
    pub fn forget(&self) -> io::Result<()> {
        cache::remove_if_there(&cache::record_file(&self.options.root, &self.dir))
    }

    /// Writes the files of `update` into the folder (each replaced whole,
    /// so a reader gets the old file or the new one) and removes the
    /// removed ones. Returns the update with every file a copy of the one
    /// in the folder. The files of a full render are there already.
    pub fn write(&self, update: Update) -> io::Result<Update> {
        if !self.usable {
            return Ok(update);
        }
        self.forget()?;
        match update {
            Update::Replace(files) => {
                let (inside, outside): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| self.holds(f));
                if outside.is_empty() {
                    return Ok(Update::Replace(inside));
                }
                // Rendered into memory: written as a build would write them.
                let staging = vitrine_output::Staging::new(&self.dir)?;
                inside.into_iter().chain(outside).for_each(|f| staging.put(f));
                staging.commit()?;
                Ok(Update::Replace(self.files_now()))
            }
            Update::Patch { files, removed } => {
                for path in &removed {
                    cache::remove_if_there(&self.dir.join(path))?;
                }
                let files = files
                    .into_par_iter()
                    .map(|f| self.put(f))
                    .collect::<io::Result<Vec<_>>>()?;
                Ok(Update::Patch { files, removed })
            }
        }
    }

    /// Whether `file` is a copy of the file at its path in the folder.
    fn holds(&self, file: &OutputFile) -> bool {
        matches!(&file.content, FileContent::Copy(source) if *source == self.dir.join(&file.path))
    }

    /// Writes one file into the folder, through a temporary file renamed
    /// over the previous one.
    fn put(&self, file: OutputFile) -> io::Result<OutputFile> {
        if self.holds(&file) {
            return Ok(file);
        }
        let target = self.dir.join(&file.path);
        let parent = target.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let mut temp = tempfile::NamedTempFile::new_in(parent)?;
        match &file.content {
            FileContent::Bytes(bytes) => io::Write::write_all(&mut temp, bytes)?,
            FileContent::Copy(source) => {
                io::copy(&mut std::fs::File::open(source)?, &mut temp)?;
            }
        }
        temp.persist(&target).map_err(|e| e.error)?;
        Ok(OutputFile::copy(file.path, target))
    }

    /// Every file in the folder, as copies.
    fn files_now(&self) -> Vec<OutputFile> {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.dir).ok()?;
                let path = rel.to_string_lossy().replace('\\', "/");
                Some(OutputFile::copy(path, e.path().to_path_buf()))
            })
            .collect()
    }

    /// Records the folder as what the site's files give, so the next
    /// `serve` starts from it. The inputs are hashed, then the watcher is
    /// given time to report any save made before: if `saved_meanwhile`
    /// finds one, the served files may lag behind it and nothing is
    /// recorded.
    ///
    /// `served` is the model of the served files: its Markdown records
    /// are kept with them when they are in a kept file.
    pub fn remember(
        &self,
        saved_meanwhile: impl FnOnce() -> bool,
        next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
        served: Option<&Prepared>,
    ) -> io::Result<bool> {
        if !self.usable {
            return Ok(false);
        }
        let inputs = self
            .inputs()
            .ok_or_else(|| io::Error::other("the site's files cannot all be read"))?;
        std::thread::sleep(DEBOUNCE * 20);
        if saved_meanwhile() {
            return Ok(false);
        }
        let kept = served
            .ok_or_else(|| "no model".to_string())
            .and_then(|p| cache::Keep::of(p, None, p.services.lexicon.pack(), &inputs.digest()));
        let recording = cache::Recording {
            kept,
            next_change,
            summary: cache::Summary::default(),
            warnings: Vec::new(),
            earlier: None,
            // Its folder was written edit after edit: read back.
            written: None,
            // Nothing serves precompressed siblings.
            compress: &[],
            // Its pages were rendered edit after edit, some in full.
            shown: None,
            // The next `serve` patches the folder from the texts, read
            // again: its folder was written edit after edit.
            packed_texts: None,
        };
        inputs.remember(&self.dir, &[], recording)?;
        Ok(true)
    }
}
