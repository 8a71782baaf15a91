//! The output folder as a record holds it: each file with its size,
//! modification time and content hash, and each folder (the output folder
//! itself as `""`) with its modification time; made after a build has
//! written ([`written_outputs`], or [`patched_outputs`] after a patch) and
//! checked before the next trusts it ([`output_unchanged`]). A build that
//! finds nothing changed checks on every core; a patch checks on a thread
//! of its own while it models and renders ([`OutputCheck`]), and asks
//! before it writes.
//!
//! A file added, removed or renamed anywhere in the folder changes the
//! time of the folder holding it, and a file edited in place changes its
//! own: so the check looks up each recorded file and folder by its path
//! and reads a folder only where its time differs (an output restored by
//! CI from an archive may have every folder's time new, or to the second
//! only: each such folder is read, and must hold only what the record
//! gives it). Reading every folder (80,000 at 10,000 articles ×
//! 5, a page being a folder) was 0.36 s of one core's time, the lookups
//! are 0.21 s. Each lookup starts from the opened output folder
//! ([`Opened`]): from the root of the file system, the kernel walked the
//! output folder's own path again each time, and a build that found
//! nothing changed took 0.40 s rather than 0.36 s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Record, Written, content_hash, files_in, nanos};

/// Why a record's output cannot be patched or reused.
pub const OUTPUT_CHANGED: &str = "the output folder changed since the previous build";

/// The folders of an output folder with their modification times, by
/// path under it (itself as `""`).
pub(super) type Folders = BTreeMap<String, i64>;

/// Whether the output folder is as the last build left it
/// ([`output_unchanged`]), found on a thread of its own while a patch
/// models and renders: the lookups are most of them time in the kernel,
/// and checked first, they made a one-paragraph patch 0.2 s longer.
pub struct OutputCheck {
    verdict: Mutex<Verdict>,
    /// Set when the check is no longer wanted: it stops early.
    stop: Arc<AtomicBool>,
}

enum Verdict {
    Running(std::thread::JoinHandle<bool>),
    Known(bool),
}

impl OutputCheck {
    pub(super) fn start(output: &Path, keep: &[String], record: Arc<Record>) -> OutputCheck {
        let stop = Arc::new(AtomicBool::new(false));
        let (output, keep, halt) = (output.to_path_buf(), keep.to_vec(), stop.clone());
        let check = move || output_unchanged(&output, &keep, &record, Check::Beside(&halt));
        let verdict = match std::thread::Builder::new()
            .name("output check".into())
            .spawn(check)
        {
            Ok(running) => Verdict::Running(running),
            // Not known to hold: the build renders everything.
            Err(_) => Verdict::Known(false),
        };
        OutputCheck {
            verdict: Mutex::new(verdict),
            stop,
        }
    }

    /// Whether the output folder is as the last build left it, once the
    /// check is done.
    pub fn holds(&self) -> bool {
        let mut verdict = self.verdict.lock().unwrap_or_else(|e| e.into_inner());
        let holds = match std::mem::replace(&mut *verdict, Verdict::Known(false)) {
            Verdict::Running(running) => running.join().unwrap_or(false),
            Verdict::Known(holds) => holds,
        };
        *verdict = Verdict::Known(holds);
        holds
    }
}

impl Drop for OutputCheck {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// How [`output_unchanged`] runs.
#[derive(Clone, Copy)]
pub(super) enum Check<'a> {
    /// On every core.
    Parallel,
    /// On the calling thread alone, leaving the cores' pool to the patch
    /// running beside it (run in the pool, the check slowed each stage of
    /// the patch as much as it saved); given up once the flag is set.
    Beside(&'a AtomicBool),
}

/// Whether the output folder holds the files and folders `record` gives
/// it, and no other (but for the top-level names a build keeps, `keep`):
/// each file of the recorded size, and of the recorded modification time
/// or, where the time differs, the recorded content; each folder of the
/// recorded time or, where it differs, holding only recorded files and
/// folders.
pub(super) fn output_unchanged(output: &Path, keep: &[String], record: &Record, check: Check<'_>) -> bool {
    let opened = Opened::open(output);
    let folder_same = |(rel, time): (&String, &i64)| {
        let now = match rel.as_str() {
            // The output folder itself may be a link to a folder: followed.
            "" => folder_time(output, rel).ok().flatten(),
            _ => opened
                .look(rel)
                .filter(|found| found.is_folder)
                .map(|found| found.modified),
        };
        now.is_some_and(|now| now == *time || holds_only_recorded(output, keep, record, rel))
    };
    let file_same = |(rel, w): (&String, &Written)| {
        opened.look(rel).is_some_and(|found| {
            found.is_file
                && found.len == w.len
                && (found.modified == w.modified
                    || std::fs::read(output.join(rel)).is_ok_and(|bytes| content_hash(&bytes) == w.hash))
        })
    };
    match check {
        Check::Parallel => {
            record.folders.par_iter().all(folder_same) && record.outputs.par_iter().all(file_same)
        }
        Check::Beside(stop) => {
            let wanted = || !stop.load(Ordering::Relaxed);
            record.folders.iter().all(|f| wanted() && folder_same(f))
                && record.outputs.iter().all(|f| wanted() && file_same(f))
        }
    }
}

/// The output folder, opened once: each recorded path is looked up from it
/// rather than from the root of the file system, so the kernel does not
/// walk the output folder's own path again for each of them (175,000
/// lookups at 10,000 articles × 5).
struct Opened<'a> {
    output: &'a Path,
    #[cfg(unix)]
    folder: Option<std::fs::File>,
}

/// What a lookup found at a path, not following a link there.
struct Found {
    is_file: bool,
    is_folder: bool,
    len: u64,
    /// Modification time, as [`nanos`] counts it.
    modified: i64,
}

impl<'a> Opened<'a> {
    fn open(output: &'a Path) -> Opened<'a> {
        Opened {
            output,
            #[cfg(unix)]
            folder: std::fs::File::open(output).ok(),
        }
    }

    /// What is at `rel` under the output folder; `None` when nothing is,
    /// or it cannot be looked at.
    #[cfg(unix)]
    fn look(&self, rel: &str) -> Option<Found> {
        use rustix::fs::{AtFlags, FileType, statat};
        let Some(folder) = &self.folder else {
            return self.look_by_path(rel);
        };
        let stat = statat(folder, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        let kind = FileType::from_raw_mode(stat.st_mode);
        // The fields' types differ between targets (32-bit seconds on some).
        #[allow(clippy::useless_conversion)]
        let (secs, nanos) = (i64::from(stat.st_mtime), i64::try_from(stat.st_mtime_nsec).ok()?);
        Some(Found {
            is_file: kind == FileType::RegularFile,
            is_folder: kind == FileType::Directory,
            len: u64::try_from(stat.st_size).ok()?,
            modified: secs.saturating_mul(1_000_000_000).saturating_add(nanos),
        })
    }

    #[cfg(not(unix))]
    fn look(&self, rel: &str) -> Option<Found> {
        self.look_by_path(rel)
    }

    fn look_by_path(&self, rel: &str) -> Option<Found> {
        let meta = std::fs::symlink_metadata(self.output.join(rel)).ok()?;
        Some(Found {
            is_file: meta.is_file(),
            is_folder: meta.is_dir(),
            len: meta.len(),
            modified: nanos(meta.modified().ok()?),
        })
    }
}

/// Whether the folder `rel` of `output` holds only files and folders the
/// record gives it (those it gives and are missing fail their own
/// lookup), but for the top-level names kept (`keep`).
fn holds_only_recorded(output: &Path, keep: &[String], record: &Record, rel: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(output.join(rel)) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        let Ok(entry) = entry else {
            return false;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if rel.is_empty() && keep.contains(&name) {
            return true;
        }
        let path = match rel {
            "" => name,
            _ => format!("{rel}/{name}"),
        };
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => record.folders.contains_key(&path),
            Ok(kind) if kind.is_file() => record.outputs.contains_key(&path),
            _ => false,
        }
    })
}

/// The modification time of the folder `rel` of `output` (`""`: the
/// output folder itself, which may be a link to a folder); `None` when it
/// is not there or not a folder.
fn folder_time(output: &Path, rel: &str) -> std::io::Result<Option<i64>> {
    let meta = match rel {
        "" => std::fs::metadata(output),
        _ => std::fs::symlink_metadata(output.join(rel)),
    };
    match meta {
        Ok(meta) if meta.is_dir() => Ok(Some(nanos(meta.modified()?))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Every file and folder of the output folder as written, except the
/// top-level names a build carries over (`keep_in_output`): each file with
/// the hash the writer `noted` of it, or read and hashed when it noted
/// none of that size.
pub(super) fn written_outputs(
    output: &Path,
    keep: &[String],
    noted: Option<&vitrine_output::Hashes>,
) -> std::io::Result<(BTreeMap<String, Written>, Folders)> {
    let listing = files_in(output, "", keep, true)?;
    let mut folders: Folders = listing.folders.into_iter().collect();
    let root = folder_time(output, "")?.ok_or_else(|| std::io::Error::other("the output folder is gone"))?;
    folders.insert(String::new(), root);
    let files = listing
        .files
        .into_par_iter()
        .map(|(rel, meta)| {
            let (len, modified) = (meta.len(), nanos(meta.modified()?));
            match noted.and_then(|n| n.of(&rel)).filter(|(known, _)| *known == len) {
                Some((_, hash)) => Ok((rel, Written { len, modified, hash })),
                None => written(output, rel, len, modified),
            }
        })
        .collect::<std::io::Result<_>>()?;
    Ok((files, folders))
}

/// The files and folders of the output folder after a patch: as `record`
/// gives them, with the paths `touched` and the folders holding them
/// looked at again (written, or gone).
pub(super) fn patched_outputs(
    output: &Path,
    record: &Record,
    touched: &[String],
) -> std::io::Result<(BTreeMap<String, Written>, Folders)> {
    let looked: Vec<(String, Option<Written>)> = touched
        .par_iter()
        .map(|rel| match std::fs::symlink_metadata(output.join(rel)) {
            Ok(meta) => {
                let modified = nanos(meta.modified()?);
                written(output, rel.clone(), meta.len(), modified).map(|(rel, w)| (rel, Some(w)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((rel.clone(), None)),
            Err(e) => Err(e),
        })
        .collect::<std::io::Result<_>>()?;
    let mut outputs = record.outputs.clone();
    for (rel, now) in looked {
        match now {
            Some(w) => outputs.insert(rel, w),
            None => outputs.remove(&rel),
        };
    }
    let mut folders = record.folders.clone();
    for (rel, now) in folders_holding(output, touched.iter().map(String::as_str))? {
        match now {
            Some(time) => {
                folders.insert(rel, time);
            }
            // A folder the patch removed goes with every folder it held.
            None => {
                let below = format!("{rel}/");
                let held: Vec<String> = folders
                    .range(below.clone()..)
                    .map(|(held, _)| held)
                    .take_while(|held| held.starts_with(&below))
                    .cloned()
                    .collect();
                for held in held.iter().chain([&rel]) {
                    folders.remove(held);
                }
            }
        }
    }
    Ok((outputs, folders))
}

/// The folders of `output` holding `files` (paths under it), each with
/// its modification time now.
pub(super) fn folders_of<'a>(
    output: &Path,
    files: impl Iterator<Item = &'a str>,
) -> std::io::Result<Folders> {
    let holding = folders_holding(output, files)?;
    Ok(holding
        .into_iter()
        .filter_map(|(rel, time)| Some((rel, time?)))
        .collect())
}

/// Every folder holding one of `files`, however deep, with its time now
/// (`None` when it is not there).
fn folders_holding<'a>(
    output: &Path,
    files: impl Iterator<Item = &'a str>,
) -> std::io::Result<Vec<(String, Option<i64>)>> {
    let mut holding = BTreeSet::from([""]);
    for file in files {
        let mut rel = file;
        while let Some(end) = rel.rfind('/') {
            rel = &rel[..end];
            if !holding.insert(rel) {
                break;
            }
        }
    }
    holding
        .into_par_iter()
        .map(|rel| Ok((rel.to_string(), folder_time(output, rel)?)))
        .collect()
}

/// The record of the output file `rel`, its bytes read and hashed.
fn written(output: &Path, rel: String, len: u64, modified: i64) -> std::io::Result<(String, Written)> {
    let hash = content_hash(&std::fs::read(output.join(&rel))?);
    Ok((rel, Written { len, modified, hash }))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    /// A lookup from the opened folder says what the path's own metadata
    /// says, times to the nanosecond (before 1970 too): a time read
    /// otherwise would send every file of a check to be read and hashed.
    #[test]
    fn a_lookup_from_the_opened_folder_agrees_with_the_files_metadata() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("vi/news")).expect("folders");
        let page = dir.path().join("vi/news/index.html");
        std::fs::write(&page, "<p>Tin tức</p>").expect("a page");
        let opened = Opened::open(dir.path());
        let times = [
            UNIX_EPOCH + Duration::new(1_733_500_000, 123_456_789),
            UNIX_EPOCH - Duration::new(1, 500_000_000),
        ];
        for time in times {
            std::fs::File::options()
                .write(true)
                .open(&page)
                .and_then(|f| f.set_modified(time))
                .expect("set the time");
            let found = opened.look("vi/news/index.html").expect("the page is found");
            assert!(found.is_file && !found.is_folder);
            assert_eq!(found.len, "<p>Tin tức</p>".len() as u64);
            assert_eq!(found.modified, nanos(time), "{time:?}");
        }
        let folder = opened.look("vi/news").expect("the folder is found");
        assert!(folder.is_folder && !folder.is_file);
        let meta = std::fs::metadata(dir.path().join("vi/news")).expect("metadata");
        assert_eq!(folder.modified, nanos(meta.modified().expect("a time")));
        assert!(opened.look("vi/gone.html").is_none());
    }

    /// A link where the record has a file is not that file.
    #[cfg(unix)]
    #[test]
    fn a_lookup_does_not_follow_a_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("real.html"), "x").expect("a file");
        std::os::unix::fs::symlink("real.html", dir.path().join("link.html")).expect("a link");
        let found = Opened::open(dir.path())
            .look("link.html")
            .expect("the link is found");
        assert!(!found.is_file && !found.is_folder);
    }
}
