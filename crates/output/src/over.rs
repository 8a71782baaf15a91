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
//! swapped in whole; or, when one file at most differs or goes, makes
//! that one change in place ([`MOVED_AT_MOST`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::files::{folder, make_folders, remove, remove_empty_folders};
use super::sink::lock;
use vitrine_load::config::publish::Compression;

/// The output folder as the last build left it, as the caller knows it
/// (a build's record of its output, checked to still hold).
pub trait Present: Send + Sync {
    /// The size and content hash (as [`super::Staging::hashing`] takes
    /// it) of the file at `path` (under the output).
    fn file(&self, path: &str) -> Option<(u64, u128)>;

    /// Every file the last build wrote there, precompressed siblings
    /// included, by path under the output.
    fn files(&self) -> Vec<String>;
}

/// At most this many files written or removed are changed in the output
/// in place: one rename or removal is atomic, but a build killed while
/// it moves two or more (some 20 ms for 1,000) would leave some new and
/// others not. Beyond, so that no kill leaves a mix, the files that are
/// already there are linked into the staging folder (each the same file
/// on disk, its time kept), which is swapped in whole, as a build that
/// renders everything always swapped its output.
const MOVED_AT_MOST: usize = 1;

/// What writing over the output changed in it, by path under it,
/// precompressed siblings included.
#[derive(Debug, Default)]
pub struct Overwritten {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// The staging folder, the files already there linked into it, was
    /// swapped in whole ([`MOVED_AT_MOST`]): every folder is new.
    pub swapped: bool,
}

/// What a [`super::Staging`] writing over the output knows of it.
pub(crate) struct Over {
    present: Box<dyn Present>,
    hash: fn(&[u8]) -> u128,
    /// A key of each path this build makes, whether it is staged or
    /// already there ([`key`]): every other file of the output goes.
    made: Mutex<HashSet<u128>>,
    /// The paths written into the staging folder, siblings included.
    staged: Mutex<Vec<String>>,
}

/// A path's key: 128 bits, so that two of the million paths of a large
/// site never share one (a shared key would keep a file that should go).
fn key(path: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_bytes())
}

impl Over {
    pub(crate) fn new(present: Box<dyn Present>, hash: fn(&[u8]) -> u128) -> Over {
        Over {
            present,
            hash,
            made: Mutex::new(HashSet::new()),
            staged: Mutex::new(Vec::new()),
        }
    }

    /// Notes `path` as made with `bytes`, and whether the output holds it
    /// already: then its precompressed siblings in `formats` (which the
    /// last build wrote with the same formats) are as they should be too.
    pub(crate) fn already(&self, path: &str, bytes: &[u8], formats: &[Compression]) -> bool {
        let holds = self.present.file(path) == Some((bytes.len() as u64, (self.hash)(bytes)));
        let mut keys = vec![key(path)];
        if holds && super::is_text(path) {
            keys.extend(formats.iter().map(|f| key(&format!("{path}.{}", f.extension()))));
        }
        lock(&self.made).extend(keys);
        holds
    }

    /// Notes `paths` as written into the staging folder.
    pub(crate) fn staged(&self, paths: Vec<String>) {
        lock(&self.made).extend(paths.iter().map(|p| key(p)));
        lock(&self.staged).extend(paths);
    }

    /// Whether this build made `path`, staged or already there.
    pub(crate) fn made(&self, path: &str) -> bool {
        lock(&self.made).contains(&key(path))
    }

    /// Changes `output` into what this build made, the files staged in
    /// `staging` and those already there. When more than one file differs
    /// or goes, links those already there into `staging`, for the caller
    /// to swap in whole, and returns their paths, sizes and hashes;
    /// otherwise makes that one change in place.
    pub(crate) fn finish(self, staging: &Path, output: &Path) -> io::Result<(Overwritten, Linked)> {
        let made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        let staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let (kept, gone): (Vec<String>, Vec<String>) = self
            .present
            .files()
            .into_iter()
            .partition(|path| made.contains(&key(path)));
        let swapped = staged.len() + gone.len() > MOVED_AT_MOST;
        let linked = match swapped {
            true => link(&*self.present, kept, &staged, staging, output)?,
            false => {
                in_place(&staged, &gone, staging, output)?;
                Vec::new()
            }
        };
        let written = Overwritten {
            written: staged,
            removed: gone,
            swapped,
        };
        Ok((written, linked))
    }
}

/// Links the files `kept` in `output`, but those `staged` anew, into
/// `staging`, each the same file on disk (copied where the file system
/// has no links).
fn link(
    present: &dyn Present,
    kept: Vec<String>,
    staged: &[String],
    staging: &Path,
    output: &Path,
) -> io::Result<Linked> {
    let staged: HashSet<u128> = staged.iter().map(|p| key(p)).collect();
    kept.into_par_iter()
        .filter(|path| !staged.contains(&key(path)))
        .map(|path| {
            let (from, to) = (output.join(&path), staging.join(&path));
            folder(to.parent().unwrap_or(staging))?;
            fs::hard_link(&from, &to).or_else(|_| fs::copy(&from, &to).map(drop))?;
            let (len, hash) = present.file(&path).unwrap_or_default();
            Ok((path, len, hash))
        })
        .collect()
}

/// Removes the files `gone` from `output`, with folders left empty, then
/// moves those `staged` over their targets: those removed go first, so
/// that a file may take the place of a folder that went, or the reverse.
fn in_place(staged: &[String], gone: &[String], staging: &Path, output: &Path) -> io::Result<()> {
    gone.par_iter().try_for_each(|path| remove(&output.join(path)))?;
    // Deepest first, so a folder holding only emptied folders goes too.
    let emptied: BTreeSet<&Path> = gone.iter().filter_map(|p| Path::new(p).parent()).collect();
    for folder in emptied.into_iter().rev().map(|f| output.join(f)) {
        // Gone already, with an emptied folder it held.
        if folder.is_dir() {
            remove_empty_folders(output, Some(&folder))?;
        }
    }
    staged.par_iter().try_for_each(|path| {
        let target = output.join(path);
        make_folders(output, target.parent().unwrap_or(output))?;
        fs::rename(staging.join(path), &target)
    })
}

/// The files linked into the staging folder, with their sizes and hashes.
pub(crate) type Linked = Vec<(String, u64, u128)>;

#[cfg(test)]
mod tests {
    use super::super::{OutputFile, Sink, Staging};
    use super::*;

    /// The output as a test wrote it: each file's size and hash.
    struct Listed(Vec<(String, u64, u128)>);

    impl Present for Listed {
        fn file(&self, path: &str) -> Option<(u64, u128)> {
            let (_, len, hash) = self.0.iter().find(|(p, ..)| p == path)?;
            Some((*len, *hash))
        }

        fn files(&self) -> Vec<String> {
            self.0.iter().map(|(p, ..)| p.clone()).collect()
        }
    }

    fn hash(bytes: &[u8]) -> u128 {
        xxhash_rust::xxh3::xxh3_128(bytes)
    }

    /// Writes `files` under `out` and lists them as a build's record would.
    fn output(out: &Path, files: &[(&str, &str)]) -> io::Result<Listed> {
        let mut listed = Vec::new();
        for (path, text) in files {
            let target = out.join(path);
            fs::create_dir_all(target.parent().unwrap_or(out))?;
            fs::write(&target, text)?;
            listed.push((path.to_string(), text.len() as u64, hash(text.as_bytes())));
        }
        Ok(Listed(listed))
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
        let staging = Staging::new(&out)?.hashing(hash).over(Box::new(listed));
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
        let mut removed = over.removed.clone();
        removed.sort();
        assert_eq!(removed, ["deep/down/gone.html", "dir/index.html", "file"]);
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
    fn one_change_is_made_in_place() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let listed = output(&out, &[("same.html", "same"), ("news/changed.html", "old")])?;
        let (same, folder) = (stamp(&out.join("same.html"))?, stamp(&out)?);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let staging = Staging::new(&out)?.hashing(hash).over(Box::new(listed));
        staging.put(OutputFile::bytes("same.html", "same"));
        staging.put(OutputFile::bytes("news/changed.html", "new"));
        let over = staging.commit()?.over.expect("written over");
        assert!(!over.swapped, "one rename is atomic");
        assert_eq!(over.written, ["news/changed.html"]);
        assert_eq!(fs::read_to_string(out.join("news/changed.html"))?, "new");
        assert_eq!(stamp(&out.join("same.html"))?, same);
        assert_eq!(stamp(&out)?.1, folder.1, "the output folder is the same");
        assert_eq!(beside(dir.path())?, ["public"], "the staging folder is gone");
        // Then one file goes, and the folder it leaves empty.
        let listed = output(&out, &[("same.html", "same"), ("news/changed.html", "new")])?;
        let staging = Staging::new(&out)?.hashing(hash).over(Box::new(listed));
        staging.put(OutputFile::bytes("same.html", "same"));
        let over = staging.commit()?.over.expect("written over");
        assert!(!over.swapped && over.written.is_empty(), "one removal is atomic");
        assert_eq!(over.removed, ["news/changed.html"]);
        assert!(!out.join("news").exists(), "the emptied folder goes");
        assert_eq!(stamp(&out)?.1, folder.1, "the output folder is the same");
        Ok(())
    }
}
