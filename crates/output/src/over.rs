//! A full build written over the last build's output rather than afresh:
//! after a change that reaches every page (a Fluent file, a template,
//! `site.yaml`), most files come out as they were, and writing them all
//! again (641 MB at 10,000 articles × 5, each text file compressed twice)
//! leaves no file untouched on disk.
//!
//! The [`super::Staging`] folder still takes every file that differs as
//! it is rendered, so a build that fails, or is killed, leaves the output
//! as it was. Once all is rendered, [`Over::finish`] links the files that
//! came out the same into it (the same files on disk, times kept), to be
//! swapped in whole; or, when none goes and one at most differs, moves
//! that one in place ([`MOVED_AT_MOST`]). The caller's knowledge of the
//! output ([`Present`]) is each file's size and hash by its path: what the
//! build keeps of its own is the paths of the files that came out the
//! same, as they come.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::files::{folder, make_folders};
use super::sink::lock;
use vitrine_load::config::publish::Compression;

/// The output folder as the last build left it, as the caller knows it
/// (a build's record of its output, checked to still hold): each file's
/// size and content hash (as [`super::Staging::hashing`] takes it), by a
/// 128-bit key of its path, sorted. 40 bytes a file while every
/// page renders, where a map of the paths took some 300 (140 MB at 50,000
/// articles × 5).
pub struct Present(Vec<(u128, u64, u128)>);

impl Present {
    /// The output holding these files (path under it, size, hash),
    /// precompressed siblings included.
    pub fn of<'a>(files: impl Iterator<Item = (&'a str, u64, u128)>) -> Present {
        let mut files: Vec<_> = files
            .map(|(path, len, hash)| (path_key(path), len, hash))
            .collect();
        files.par_sort_unstable_by_key(|(key, ..)| *key);
        Present(files)
    }

    /// The size and content hash of the file at `path`, if there is one.
    fn file(&self, path: &str) -> Option<(u64, u128)> {
        let at = self.0.binary_search_by_key(&path_key(path), |(k, ..)| *k).ok()?;
        let (_, len, hash) = self.0[at];
        Some((len, hash))
    }
}

/// At most this many files written are changed in the output in place,
/// when none goes: one rename is atomic, but a build killed while it
/// moves two or more (some 20 ms for 1,000) would leave some new and
/// others not. Otherwise, so that no kill leaves a mix, the files that
/// are already there are linked into the staging folder (each the same
/// file on disk, its time kept), which is swapped in whole, as a build
/// that renders everything always swapped its output.
const MOVED_AT_MOST: usize = 1;

/// What writing over the output changed in it, precompressed siblings
/// included.
#[derive(Debug, Default)]
pub struct Overwritten {
    /// The files written, by path under the output.
    pub written: Vec<String>,
    /// How many files went.
    pub removed: usize,
    /// The staging folder, the files already there linked into it, was
    /// swapped in whole ([`MOVED_AT_MOST`]).
    pub swapped: bool,
}

/// What a [`super::Staging`] writing over the output knows of it.
pub(crate) struct Over {
    present: Present,
    hash: fn(&[u8]) -> u128,
    /// A key of each path this build makes, whether it is staged or
    /// already there ([`key`]): every other file of the output goes.
    made: Mutex<HashSet<u128>>,
    /// The paths written into the staging folder, siblings included.
    staged: Mutex<Vec<String>>,
    /// The files made as they are already there, siblings included, with
    /// their sizes and hashes.
    kept: Mutex<Kept>,
}

/// Files of the output, by path under it, with their sizes and hashes.
pub(crate) type Kept = Vec<(String, u64, u128)>;

/// A path's key: 128 bits, so that two of the million paths of a large
/// site never share one (a shared key would keep a file that should go).
/// Tables of the output's files keyed by it hold 16 bytes a path, not
/// the path.
pub fn path_key(path: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_bytes())
}

impl Over {
    pub(crate) fn new(present: Present, hash: fn(&[u8]) -> u128) -> Over {
        Over {
            present,
            hash,
            made: Mutex::new(HashSet::new()),
            staged: Mutex::new(Vec::new()),
            kept: Mutex::new(Vec::new()),
        }
    }

    /// Notes `path` as made with `bytes`, and whether the output holds it
    /// already: then its precompressed siblings in `formats` that are
    /// there (the last build wrote them with the same formats) are as
    /// they should be too.
    pub(crate) fn already(&self, path: &str, bytes: &[u8], formats: &[Compression]) -> bool {
        let there = self.present.file(path);
        // Not there: noted as made once staged ([`Over::staged`]).
        if there != Some((bytes.len() as u64, (self.hash)(bytes))) {
            return false;
        }
        let mut kept: Kept = there
            .map(|(len, hash)| (path.to_string(), len, hash))
            .into_iter()
            .collect();
        if super::is_text(path) {
            for format in formats {
                let sibling = format!("{path}.{}", format.extension());
                if let Some((len, hash)) = self.present.file(&sibling) {
                    kept.push((sibling, len, hash));
                }
            }
        }
        lock(&self.made).extend(kept.iter().map(|(p, ..)| path_key(p)));
        lock(&self.kept).extend(kept);
        true
    }

    /// Notes `paths` as written into the staging folder.
    pub(crate) fn staged(&self, paths: Vec<String>) {
        lock(&self.made).extend(paths.iter().map(|p| path_key(p)));
        lock(&self.staged).extend(paths);
    }

    /// Whether this build made `path`, staged or already there.
    pub(crate) fn made(&self, path: &str) -> bool {
        lock(&self.made).contains(&path_key(path))
    }

    /// Changes `output` into what this build made, the files staged in
    /// `staging` and those already there. When a file goes or more than
    /// one is written, links those already there into `staging`, for the
    /// caller to swap in whole; otherwise moves the one written (if any)
    /// over its target. Returns too the files already there, with their
    /// sizes and hashes.
    pub(crate) fn finish(self, staging: &Path, output: &Path) -> io::Result<(Overwritten, Kept)> {
        let staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        // The files of the output made again, staged or kept, each once.
        let mut again: HashSet<u128> = kept.iter().map(|(p, ..)| path_key(p)).collect();
        again.extend(
            staged
                .iter()
                .filter(|p| self.present.file(p).is_some())
                .map(|p| path_key(p)),
        );
        let removed = self.present.0.len().saturating_sub(again.len());
        let swapped = removed > 0 || staged.len() > MOVED_AT_MOST;
        match swapped {
            true => link(&kept, &staged, staging, output)?,
            false => staged.iter().try_for_each(|path| {
                let target = output.join(path);
                make_folders(output, target.parent().unwrap_or(output))?;
                fs::rename(staging.join(path), &target)
            })?,
        }
        let written = Overwritten {
            written: staged,
            removed,
            swapped,
        };
        Ok((written, kept))
    }
}

/// Links the files `kept` in `output`, but those `staged` anew, into
/// `staging`, each the same file on disk (copied where the file system
/// has no links).
fn link(kept: &Kept, staged: &[String], staging: &Path, output: &Path) -> io::Result<()> {
    let staged: HashSet<u128> = staged.iter().map(|p| path_key(p)).collect();
    kept.par_iter()
        .filter(|(path, ..)| !staged.contains(&path_key(path)))
        .try_for_each(|(path, ..)| {
            let (from, to) = (output.join(path), staging.join(path));
            folder(to.parent().unwrap_or(staging))?;
            fs::hard_link(&from, &to).or_else(|_| fs::copy(&from, &to).map(drop))
        })
}

#[cfg(test)]
mod tests {
    use super::super::{OutputFile, Sink, Staging};
    use super::*;

    fn hash(bytes: &[u8]) -> u128 {
        xxhash_rust::xxh3::xxh3_128(bytes)
    }

    /// Writes `files` under `out` and lists them as a build's record would.
    fn output(out: &Path, files: &[(&str, &str)]) -> io::Result<Present> {
        for (path, text) in files {
            let target = out.join(path);
            fs::create_dir_all(target.parent().unwrap_or(out))?;
            fs::write(&target, text)?;
        }
        let listed = files
            .iter()
            .map(|(path, text)| (*path, text.len() as u64, hash(text.as_bytes())));
        Ok(Present::of(listed))
    }

    /// The modification time and inode of the file at `path`.
    fn stamp(path: &Path) -> io::Result<(std::time::SystemTime, u64)> {
        let meta = fs::metadata(path)?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Ok((meta.modified()?, inode))
    }

    /// What is beside the output folder, in `dir`.
    fn beside(dir: &Path) -> io::Result<Vec<std::ffi::OsString>> {
        Ok(fs::read_dir(dir)?.flatten().map(|e| e.file_name()).collect())
    }

    #[test]
    fn many_changes_swap_a_folder_in_whole_the_same_files_linked_into_it() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let listed = output(
            &out,
            &[
                ("same.html", "same"),
                ("changed.html", "old"),
                ("deep/down/gone.html", "gone"),
                ("dir/index.html", "a folder before"),
                ("file", "a file before"),
            ],
        )?;
        let same = stamp(&out.join("same.html"))?;
        std::thread::sleep(std::time::Duration::from_millis(20));
        let staging = Staging::new(&out)?.hashing(hash).over(listed);
        for (path, text) in [
            ("same.html", "same"),
            ("changed.html", "new"),
            ("dir", "a file now"),
            ("file/index.html", "a folder now"),
        ] {
            staging.put(OutputFile::bytes(path, text));
        }
        staging.duplicate("same.html", "copy/same.html");
        let report = staging.commit()?;
        let over = report.over.expect("written over");
        assert!(over.swapped, "more than one change is swapped in whole");
        let mut written = over.written.clone();
        written.sort();
        assert_eq!(
            written,
            ["changed.html", "copy/same.html", "dir", "file/index.html"]
        );
        assert_eq!(over.removed, 3, "deep/down/gone.html, dir/index.html, file");
        assert!(!out.join("deep/down/gone.html").exists() && out.join("dir").is_file());
        assert_eq!(fs::read_to_string(out.join("dir"))?, "a file now");
        assert_eq!(fs::read_to_string(out.join("file/index.html"))?, "a folder now");
        assert_eq!(fs::read_to_string(out.join("copy/same.html"))?, "same");
        assert!(!out.join("deep").exists(), "emptied folders go, however deep");
        assert_eq!(
            stamp(&out.join("same.html"))?,
            same,
            "the same file is not the same on disk"
        );
        assert_eq!(
            report.hashes.of("same.html"),
            Some((4, hash(b"same"))),
            "a linked file's hash"
        );
        assert_eq!(
            beside(dir.path())?,
            ["public"],
            "the staging folder and old output are gone"
        );
        Ok(())
    }

    #[test]
    fn one_file_written_is_moved_in_place_and_one_gone_swapped() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let listed = output(&out, &[("same.html", "same"), ("news/changed.html", "old")])?;
        let (same, folder) = (stamp(&out.join("same.html"))?, stamp(&out)?);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let staging = Staging::new(&out)?.hashing(hash).over(listed);
        staging.put(OutputFile::bytes("same.html", "same"));
        staging.put(OutputFile::bytes("news/changed.html", "new"));
        let over = staging.commit()?.over.expect("written over");
        assert!(!over.swapped, "one rename is atomic");
        assert_eq!(over.written, ["news/changed.html"]);
        assert_eq!(fs::read_to_string(out.join("news/changed.html"))?, "new");
        assert_eq!(stamp(&out.join("same.html"))?, same);
        assert_eq!(stamp(&out)?.1, folder.1, "the output folder is the same");
        assert_eq!(beside(dir.path())?, ["public"], "the staging folder is gone");
        // Then one file goes: the folder is swapped, without it or the
        // folder it leaves empty.
        let listed = output(&out, &[("same.html", "same"), ("news/changed.html", "new")])?;
        let same = stamp(&out.join("same.html"))?;
        let staging = Staging::new(&out)?.hashing(hash).over(listed);
        staging.put(OutputFile::bytes("same.html", "same"));
        let over = staging.commit()?.over.expect("written over");
        assert!(over.swapped && over.written.is_empty(), "a removal is swapped in");
        assert_eq!(over.removed, 1);
        assert!(!out.join("news").exists(), "the emptied folder goes");
        assert_eq!(stamp(&out.join("same.html"))?, same);
        assert_eq!(beside(dir.path())?, ["public"], "nothing is left beside");
        Ok(())
    }
}
