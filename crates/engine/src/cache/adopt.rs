//! A build's record taken up by `serve`. `serve` renders the site as a
//! build of the same options does (under the site's own `base_url`), so a
//! `vitrine build` whose output is still as it left it can start a server
//! that has no folder of its own yet: the build's files are linked (or
//! copied) into the served folder, but for the precompressed siblings a
//! served folder has none of, and its record and what it kept (texts,
//! Markdown records, documents) become the folder's. The next steps are
//! those of any `serve` start: nothing changed, or a patch.
//!
//! Nothing is trusted that a build would not trust: the record must be
//! whole, of this vitrine and these options, and the build's output as it
//! was recorded, file by file.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{CACHE_DIR, FORMAT, Record, Written};
use crate::options::BuildOptions;
use vitrine_load::config::publish::Compression;

/// A build's record a server can start from, and where it lives.
pub struct Adoptable {
    /// The site's root.
    root: PathBuf,
    /// The record's file.
    file: PathBuf,
    output: PathBuf,
    record: Record,
}

impl Adoptable {
    /// The newest record under the site's build cache of a build made by
    /// this vitrine with `options` (but for where it wrote), into a folder
    /// other than `served` that is still as the build left it (but for the
    /// top-level names it keeps, `keep`).
    pub fn newest(options: &BuildOptions, served: &Path, keep: &[String]) -> Option<Adoptable> {
        let wanted = super::options_key(options);
        // Newest first, each read only when the ones after it did not do:
        // a record weighs megabytes on a large site.
        let mut files: Vec<(std::time::SystemTime, PathBuf)> =
            std::fs::read_dir(options.root.join(CACHE_DIR))
                .ok()?
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|e| e == super::RECORD_EXTENSION))
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .collect();
        files.sort_by(|a, b| b.cmp(a));
        files.into_iter().find_map(|(_, file)| {
            let record = super::read_record(&file)?;
            let fits = record.format == FORMAT
                && record.options == wanted
                && super::stamp::of_this_vitrine(Some(&record)).0 == record.vitrine;
            let output = Path::new(&record.output)
                .canonicalize()
                .ok()
                .filter(|o| fits && o.is_dir() && o != served)?;
            super::output_unchanged(&output, keep, &record, super::Check::Parallel).then(|| Adoptable {
                root: options.root.clone(),
                file,
                output,
                record,
            })
        })
    }

    /// The build's output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The build's record.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Makes `into` hold the build's files but for the precompressed
    /// siblings it wrote in `compressed` formats, and makes the build's
    /// record (and what it kept) the record of `into`. The folder is made
    /// beside `into` and put in its place whole; the record is written
    /// last, so a server stopped midway leaves no record to trust.
    /// Returns how many files it holds.
    pub fn adopt(self, into: &Path, compressed: &[Compression]) -> std::io::Result<usize> {
        let target = super::record_file(&self.root, into);
        super::remove_if_there(&target)?;
        let staging = into.with_extension("adopting");
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        let outputs: std::collections::BTreeMap<String, Written> = self
            .record
            .outputs
            .iter()
            .filter(|(path, _)| {
                !vitrine_output::precompressed_of(path, compressed)
                    .is_some_and(|of| self.record.outputs.contains_key(of))
            })
            .map(|(path, written)| (path.clone(), written.clone()))
            .collect();
        outputs
            .par_iter()
            .map(|(path, written)| link_or_copy(&self.output.join(path), &staging.join(path), written))
            .collect::<std::io::Result<()>>()?;
        if into.exists() {
            std::fs::remove_dir_all(into)?;
        }
        std::fs::rename(&staging, into)?;
        for kept in ["texts", "bodies", "store", "documents", "related"] {
            let from = self.file.with_extension(kept);
            let to = target.with_extension(kept);
            super::remove_if_there(&to)?;
            if from.exists() {
                // Copied, not linked: the store is appended to by the
                // model that reads it.
                std::fs::copy(&from, &to)?;
            }
        }
        let folders = super::outputs::folders_of(into, outputs.keys().map(String::as_str))?;
        let record = Record {
            output: into.display().to_string(),
            outputs,
            folders,
            ..self.record
        };
        super::write_record(&target, &record)?;
        Ok(record.outputs.len())
    }
}

/// `to` as a second name of `from`, or a copy of it with the recorded
/// modification time (a folder on another file system).
fn link_or_copy(from: &Path, to: &Path, written: &Written) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)?;
    let time =
        std::time::UNIX_EPOCH + std::time::Duration::from_nanos(u64::try_from(written.modified).unwrap_or(0));
    std::fs::File::options().write(true).open(to)?.set_modified(time)
}
