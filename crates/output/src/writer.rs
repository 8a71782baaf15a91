//! Writes a built site so that readers never see half of it: everything goes
//! to a temporary folder beside the output, which replaces the output only
//! once every file is written. A failed build leaves the old output as it was.
//! Files are made readable by everyone (0644, folders 0755) whatever the
//! umask or the modes of the files they are copied from, since a host
//! serving them runs as another user; names listed in `keep_in_output`
//! (`.git`, `CNAME`) are carried over from the old output; text files get
//! precompressed siblings when `compress:` asks for them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::files::{compress, folder, readable, sibling};
use super::over::{Over, Overwritten, Present};
use super::sink::{Sink, lock};
use super::{FileContent, OutputFile};
use vitrine_load::config::publish::Compression;

#[derive(Debug, Default)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
    /// The files written from bytes in hand, when asked for
    /// ([`Staging::hashing`]).
    pub hashes: Hashes,
    /// Written over the last output ([`Staging::over`]): what changed
    /// there.
    pub over: Option<Overwritten>,
}

/// The size and content hash of each file a [`Staging`] wrote from bytes
/// it had in hand (rendered pages, precompressed siblings), by a hash of
/// its path; files copied from elsewhere are not in it. A build's record
/// of its output takes them rather than reading back every file written
/// (its recording went from 1.67 s to 1.3 s at 10,000 × 5). Kept by path
/// hash, not path, sorted: 32 bytes a file, 15 MB at 50,000 × 5's 472,000
/// files. A record finding a size that differs reads the file.
#[derive(Debug, Default)]
pub struct Hashes(Vec<(u64, u64, u128)>);

impl Hashes {
    /// The size and content hash of the file written at `path` (under the
    /// output), when it was written once, from bytes: a path key noted
    /// twice (the file written twice, or two paths of one key) is not
    /// known.
    pub fn of(&self, path: &str) -> Option<(u64, u128)> {
        let key = path_key(path);
        let at = self.0.partition_point(|(k, ..)| *k < key);
        let (_, len, hash) = self.0.get(at).filter(|(k, ..)| *k == key)?;
        let twice = self.0.get(at + 1).is_some_and(|(k, ..)| *k == key);
        (!twice).then_some((*len, *hash))
    }

    fn of_written(mut written: Vec<(u64, u64, u128)>) -> Hashes {
        written.sort_unstable_by_key(|(key, ..)| *key);
        Hashes(written)
    }
}

fn path_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// Writes `files` into `output`, replacing what was there.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let staging = Staging::new(output)?;
    files.par_iter().for_each(|f| staging.put(f.clone()));
    staging.commit()
}

/// A folder beside the output that files are written into as they are
/// made; [`Staging::commit`] swaps it in. Dropped without a commit, it is
/// removed and the output is untouched.
pub struct Staging {
    output: PathBuf,
    /// Where the previous output waits during the swap.
    old: PathBuf,
    dir: tempfile::TempDir,
    /// The hold on `dir` while this build works in it ([`hold`]).
    _held: Option<fs::File>,
    /// Whether the folders [`folder`] makes come out readable by everyone
    /// under this process's umask (they do under the usual 022). When
    /// they do not, [`Staging::commit`] walks the staged tree to fix each.
    folders_readable: bool,
    /// Whether the files written from bytes come out readable by everyone
    /// (0644) under this process's umask: then their mode is left as made.
    files_readable: bool,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// The first write that failed: reported by `commit`.
    error: Mutex<Option<io::Error>>,
    /// Top-level names of the old output to carry over.
    keep: Vec<String>,
    compress: Vec<Compression>,
    /// The content hash to take of each file written from bytes, when
    /// asked for ([`Staging::hashing`]).
    hash: Option<fn(&[u8]) -> u128>,
    /// Path key, size and content hash of each file written from bytes.
    hashes: Mutex<Vec<(u64, u64, u128)>>,
    /// The output as the last build left it, when this build writes over
    /// it ([`Staging::over`]).
    over: Option<Over>,
}

/// The folder beside which `output`'s staging folders go, and its name.
fn beside(output: &Path) -> (PathBuf, String) {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let (parent, name) = beside(output);
        fs::create_dir_all(&parent)?;
        Staging::remove_leftovers(output);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        // The staging folder becomes the output: readable, whatever mode
        // the temporary folder was made with.
        readable(dir.path(), true)?;
        Ok(Staging {
            output: output.to_path_buf(),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
            folders_readable: umask_keeps_readable(dir.path(), true)?,
            files_readable: umask_keeps_readable(dir.path(), false)?,
            _held: hold(dir.path()),
            dir,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            error: Mutex::new(None),
            keep: Vec::new(),
            compress: Vec::new(),
            hash: None,
            hashes: Mutex::new(Vec::new()),
            over: None,
        })
    }

    /// Removes the staging folders and previous outputs that writers of
    /// `output` stopped mid-build left beside it (killed, or the machine
    /// went down): a killed build of a large site leaves gigabytes. Each
    /// build does this as it starts. A folder a running build holds
    /// ([`hold`]) is left to it.
    pub fn remove_leftovers(output: &Path) {
        let (parent, name) = beside(output);
        let Ok(entries) = fs::read_dir(&parent) else {
            return;
        };
        let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if (file.starts_with(&new) || file.starts_with(&old))
                && let Some(_held) = hold(&entry.path())
            {
                let _ = remove_tree(&entry.path());
            }
        }
    }

    /// Carries these top-level names of the old output over (unless the
    /// build makes a file of the same name).
    pub fn keeping(mut self, names: &[String]) -> Staging {
        self.keep = names.to_vec();
        self
    }

    /// Writes precompressed siblings (`.br`, `.gz`) beside text files.
    pub fn compressing(mut self, formats: &[Compression]) -> Staging {
        self.compress = formats.to_vec();
        self
    }

    /// Takes the content hash `hash` of each file written from bytes, for
    /// [`WriteReport::hashes`].
    pub fn hashing(mut self, hash: fn(&[u8]) -> u128) -> Staging {
        self.hash = Some(hash);
        self
    }

    /// Writes over the last output rather than afresh (`over.rs`): files
    /// the output holds already (`present`) are not written again; the
    /// others are staged, and [`Staging::commit`] links the first into
    /// the staging folder before swapping it in (or, for one file
    /// written and none gone, moves it in place). Files are compared by
    /// the hash [`Staging::hashing`] takes (none taken, nothing is
    /// written over).
    pub fn over(mut self, present: Present) -> Staging {
        self.over = self.hash.map(|hash| Over::new(present, hash));
        self
    }

    /// Notes the size and hash of `bytes`, written at `path`.
    fn note(&self, path: &str, bytes: &[u8]) {
        if let Some(hash) = self.hash {
            let known = (path_key(path), bytes.len() as u64, hash(bytes));
            lock(&self.hashes).push(known);
        }
    }

    fn write(&self, file: &OutputFile) -> io::Result<u64> {
        if let Some(over) = &self.over {
            let bytes = match &file.content {
                FileContent::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
                FileContent::Copy(source) => std::borrow::Cow::Owned(fs::read(source)?),
            };
            if over.already(&file.path, &bytes, &self.compress) {
                return Ok(bytes.len() as u64);
            }
        }
        let mut staged = vec![file.path.clone()];
        let target = self.dir.path().join(&file.path);
        if let Some(parent) = target.parent() {
            folder(parent)?;
        }
        let written = match &file.content {
            FileContent::Bytes(bytes) => {
                fs::write(&target, bytes)?;
                self.note(&file.path, bytes);
                Ok(bytes.len() as u64)
            }
            FileContent::Copy(source) => fs::copy(source, &target),
        }?;
        // A copy keeps its source's mode; a file made here has the
        // umask's, readable by everyone under the usual one.
        if !self.files_readable || matches!(file.content, FileContent::Copy(_)) {
            readable(&target, false)?;
        }
        if !self.compress.is_empty() && super::is_text(&file.path) {
            let bytes = match &file.content {
                FileContent::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
                FileContent::Copy(_) => std::borrow::Cow::Owned(fs::read(&target)?),
            };
            for format in &self.compress {
                let packed = compress(&bytes, *format)?;
                let sibling = sibling(&target, *format);
                // A sibling no smaller than the file is worth nothing to a reader.
                if packed.len() < bytes.len() {
                    fs::write(&sibling, &packed)?;
                    if !self.files_readable {
                        readable(&sibling, false)?;
                    }
                    let path = format!("{}.{}", file.path, format.extension());
                    self.note(&path, &packed);
                    staged.push(path);
                }
            }
        }
        if let Some(over) = &self.over {
            over.staged(staged);
        }
        Ok(written)
    }

    fn record(&self, written: io::Result<u64>) {
        match written {
            Ok(n) => {
                self.files.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => {
                lock(&self.error).get_or_insert(e);
            }
        }
    }

    /// Replaces the output with the staged files, unless a write failed;
    /// writing over it ([`Staging::over`]), with the files already there
    /// linked in too, or the one written moved in place.
    pub fn commit(mut self) -> io::Result<WriteReport> {
        if let Some(e) = lock(&self.error).take() {
            return Err(e);
        }
        let mut report = WriteReport {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            hashes: Hashes::of_written(std::mem::take(&mut *lock(&self.hashes))),
            over: None,
        };
        if let Some(over) = self.over.take() {
            let (over, kept) = over.finish(self.dir.path(), &self.output)?;
            // The files left as they were are known too: none is read back.
            let kept = kept
                .into_iter()
                .map(|(path, len, hash)| (path_key(&path), len, hash));
            let mut hashes = std::mem::take(&mut report.hashes.0);
            hashes.extend(kept);
            report.hashes = Hashes::of_written(hashes);
            let swap = over.swapped;
            report.over = Some(over);
            if !swap {
                return Ok(report);
            }
        }
        let (output, old) = (&self.output, &self.old);
        let had_output = output.exists();
        if !self.folders_readable {
            for dir in walkdir::WalkDir::new(self.dir.path()).into_iter().flatten() {
                if dir.file_type().is_dir() {
                    readable(dir.path(), true)?;
                }
            }
        }
        let kept = self.carry_over()?;
        // Held until it is removed, so that no other build takes the
        // previous output, once renamed, for a killed build's.
        let _old_held = had_output.then(|| hold(output)).flatten();
        if had_output {
            fs::rename(output, old)?;
        }
        let staged = self.dir.keep();
        if let Err(e) = fs::rename(&staged, output) {
            if had_output {
                // Put the previous site back before reporting the failure.
                let _ = fs::rename(old, output);
                for name in &kept {
                    let _ = fs::rename(staged.join(name), output.join(name));
                }
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        if had_output {
            remove_tree(old)?;
        }
        Ok(report)
    }
}

/// Whether a folder [`folder`] makes inside `dir` (`is_folder`), or a
/// file written there, comes out readable by everyone, as [`readable`]
/// would make it (0755, 0644): the umask is process-wide, so one probe
/// tells for every folder or file of the build. Walking a large site's
/// tree to set each folder's mode took a second for 10,000 pages × 5
/// languages; files written from bytes then need no change of mode each.
fn umask_keeps_readable(dir: &Path, is_folder: bool) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join(".mode-probe");
        match is_folder {
            true => folder(&probe)?,
            false => fs::write(&probe, "")?,
        }
        let mode = fs::metadata(&probe)?.permissions().mode() & 0o777;
        match is_folder {
            true => fs::remove_dir(&probe)?,
            false => fs::remove_file(&probe)?,
        }
        Ok(mode == if is_folder { 0o755 } else { 0o644 })
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, is_folder);
        Ok(true)
    }
}

/// A hold on the folder `dir` while a build works in it: an advisory lock
/// (`flock`) that the system lets go of when the process ends, however it
/// ends (`kill -9` included). A staging folder or previous output that no
/// one holds was left by a build that stopped midway. `None` when the
/// folder cannot be held (a file system without locks, or another process
/// holds it).
fn hold(dir: &Path) -> Option<fs::File> {
    let folder = fs::File::open(dir).ok()?;
    folder.try_lock().ok()?;
    Some(folder)
}

/// Removes the folder `dir` and everything in it, its subfolders side by
/// side: the previous output of a large site is hundreds of thousands of
/// files, and one thread unlinking them took two seconds for 10,000
/// pages × 5 languages. Symbolic links are removed, not followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

impl Staging {
    /// Moves the kept names from the old output into the staging folder;
    /// returns those moved.
    fn carry_over(&self) -> io::Result<Vec<String>> {
        let mut moved = Vec::new();
        for name in &self.keep {
            let (from, to) = (self.output.join(name), self.dir.path().join(name));
            if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
                fs::rename(&from, &to)?;
                moved.push(name.clone());
            }
        }
        Ok(moved)
    }
}

/// The text file whose precompressed sibling in one of `formats` the
/// output path `path` would be (`index.html.gz` gives `index.html`).
pub fn precompressed_of<'a>(path: &'a str, formats: &[Compression]) -> Option<&'a str> {
    formats.iter().find_map(|format| {
        let of = path.strip_suffix(format.extension())?.strip_suffix('.')?;
        super::is_text(of).then_some(of)
    })
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) {
        self.record(self.write(&file));
    }

    fn duplicate(&self, from: &str, to: &str) {
        let mut source = self.dir.path().join(from);
        // Written over the output, a file made as it was is there.
        if let Some(over) = &self.over
            && !source.is_file()
            && over.made(from)
        {
            source = self.output.join(from);
        }
        if source.is_file() {
            let copy = OutputFile::copy(to, source);
            self.record(self.write(&copy));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_output_and_leaves_no_staging() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("stale"))?;
        write_atomically(&out, &[OutputFile::bytes("a/index.html", "hi")])?;
        assert_eq!(fs::read_to_string(out.join("a/index.html"))?, "hi");
        assert!(!out.join("stale").exists());
        assert_eq!(fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn a_failed_write_keeps_the_old_output_and_no_staging() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        write_atomically(&out, &[OutputFile::bytes("index.html", "old")])?;
        let staging = Staging::new(&out)?;
        staging.put(OutputFile::bytes("a", "a file"));
        // `a` is a file, so nothing can be written under it.
        staging.put(OutputFile::bytes("a/index.html", "new"));
        assert!(staging.commit().is_err());
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "old");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "a staging folder was left");
        Ok(())
    }

    #[test]
    fn leftovers_of_a_stopped_writer_go_and_nothing_else() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        write_atomically(&out, &[OutputFile::bytes("index.html", "kept")])?;
        // What a writer killed mid-build leaves: a staging folder with
        // files, and a previous output it was swapping out.
        let staging = Staging::new(&out)?;
        staging.put(OutputFile::bytes("index.html", "half"));
        let left = staging.dir.keep();
        // Killed: the system lets go of its hold.
        drop(staging._held);
        fs::create_dir_all(dir.path().join(".site.old-4242/a"))?;
        // Another output's staging, and a name that only looks alike.
        fs::create_dir_all(dir.path().join(".other.new-xyz"))?;
        fs::create_dir_all(dir.path().join("site.new-notmine"))?;
        Staging::remove_leftovers(&out);
        assert!(!left.exists());
        assert!(!dir.path().join(".site.old-4242").exists());
        assert!(dir.path().join(".other.new-xyz").exists());
        assert!(dir.path().join("site.new-notmine").exists());
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "kept");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_running_writers_folder_is_left_to_it() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        write_atomically(&out, &[OutputFile::bytes("index.html", "old")])?;
        let running = Staging::new(&out)?;
        running.put(OutputFile::bytes("index.html", "first"));
        // Another build of the same output starts, and a server cleans up.
        let other = Staging::new(&out)?;
        Staging::remove_leftovers(&out);
        assert!(running.dir.path().join("index.html").exists());
        other.put(OutputFile::bytes("index.html", "second"));
        running.commit()?;
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "first");
        other.commit()?;
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "second");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "left beside the output");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn files_are_readable_by_everyone_and_kept_names_survive() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(".git"))?;
        fs::write(out.join(".git/HEAD"), "ref")?;
        fs::write(out.join("CNAME"), "old.example.org")?;
        fs::write(out.join("stale.html"), "x")?;
        let private = dir.path().join("cached.webp");
        fs::write(&private, "image")?;
        fs::set_permissions(&private, fs::Permissions::from_mode(0o600))?;
        let keep = [".git".to_string(), "CNAME".to_string(), ".nojekyll".to_string()];
        let staging = Staging::new(&out)?.keeping(&keep);
        staging.put(OutputFile::copy("processed_images/a.webp", private));
        staging.put(OutputFile::bytes("CNAME", "new.example.org"));
        staging.commit()?;
        let mode = |p: &str| fs::metadata(out.join(p)).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode("processed_images/a.webp")?, 0o644);
        assert_eq!(mode("CNAME")?, 0o644);
        assert_eq!(mode("processed_images")?, 0o755);
        assert_eq!(mode("")?, 0o755);
        assert_eq!(fs::read_to_string(out.join(".git/HEAD"))?, "ref");
        // A file the build makes wins over the kept one.
        assert_eq!(fs::read_to_string(out.join("CNAME"))?, "new.example.org");
        assert!(!out.join("stale.html").exists());
        Ok(())
    }

    /// Where the umask makes folders less than readable by everyone, the
    /// staged tree is walked and each folder made so before the swap.
    #[cfg(unix)]
    #[test]
    fn folders_a_strict_umask_made_are_made_readable() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let mut staging = Staging::new(&out)?;
        // As a 077 umask would make them.
        staging.folders_readable = false;
        let private = staging.dir.path().join("news/a");
        fs::create_dir_all(&private)?;
        for folder in ["news", "news/a"] {
            fs::set_permissions(staging.dir.path().join(folder), fs::Permissions::from_mode(0o700))?;
        }
        staging.put(OutputFile::bytes("news/a/index.html", "a"));
        staging.commit()?;
        let mode = |p: &str| fs::metadata(out.join(p)).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode("news")?, 0o755);
        assert_eq!(mode("news/a")?, 0o755);
        Ok(())
    }

    /// The previous output goes whole, however deep, and a symbolic link
    /// in it goes without what it points to.
    #[cfg(unix)]
    #[test]
    fn the_previous_output_goes_whole_and_links_are_not_followed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside)?;
        fs::write(outside.join("keep.txt"), "mine")?;
        let mut old: Vec<OutputFile> = (0..40)
            .map(|i| OutputFile::bytes(format!("vi/news/{i}/deep/er/index.html"), "old"))
            .collect();
        old.push(OutputFile::bytes("index.html", "old"));
        write_atomically(&out, &old)?;
        std::os::unix::fs::symlink(&outside, out.join("vi/link"))?;
        write_atomically(&out, &[OutputFile::bytes("index.html", "new")])?;
        assert_eq!(fs::read_to_string(out.join("index.html"))?, "new");
        assert!(!out.join("vi").exists());
        assert_eq!(fs::read_to_string(outside.join("keep.txt"))?, "mine");
        let beside: Vec<_> = fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(beside.len(), 2, "left beside the output: {beside:?}");
        Ok(())
    }

    #[test]
    fn a_sibling_name_tells_its_text_file() {
        let both = [Compression::Br, Compression::Gz];
        assert_eq!(
            precompressed_of("news/index.html.gz", &both),
            Some("news/index.html")
        );
        assert_eq!(precompressed_of("atom.xml.br", &both), Some("atom.xml"));
        assert_eq!(precompressed_of("atom.xml.br", &[Compression::Gz]), None);
        // Only text files get siblings; `gz` alone is no sibling.
        assert_eq!(precompressed_of("photo.webp.gz", &both), None);
        assert_eq!(precompressed_of("archive.gz", &both), None);
    }

    /// Each file written from bytes, sibling included, is known by the
    /// size and hash of what is on disk; a copied file, a file written
    /// twice and a path never written are not known (the record reads
    /// those).
    #[test]
    fn the_hashes_of_written_files_are_those_of_the_files_on_disk() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let source = dir.path().join("logo.svg");
        fs::write(&source, "<svg/>")?;
        let hash = |bytes: &[u8]| xxhash_rust::xxh3::xxh3_128(bytes);
        let staging = Staging::new(&out)?.compressing(&[Compression::Gz]).hashing(hash);
        staging.put(OutputFile::bytes("vi/index.html", "<p>Hà Nội</p>\n".repeat(100)));
        staging.put(OutputFile::bytes("search/vi/meta.json", "{}"));
        staging.put(OutputFile::copy("logo.svg", source));
        staging.put(OutputFile::bytes("twice.json", "[1]"));
        staging.put(OutputFile::bytes("twice.json", "[2]"));
        let hashes = staging.commit()?.hashes;
        for path in ["vi/index.html", "vi/index.html.gz", "search/vi/meta.json"] {
            let bytes = fs::read(out.join(path))?;
            assert_eq!(
                hashes.of(path),
                Some((bytes.len() as u64, hash(&bytes))),
                "{path}"
            );
        }
        assert_eq!(hashes.of("logo.svg"), None, "a copy is read back, not known");
        assert_eq!(hashes.of("vi/other.html"), None);
        assert_eq!(
            hashes.of("twice.json"),
            None,
            "which write is on disk is not known"
        );
        Ok(())
    }

    #[test]
    fn text_files_get_smaller_precompressed_siblings_only() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let staging = Staging::new(&out)?.compressing(&[Compression::Br, Compression::Gz]);
        let page = "<p>Việt Nam</p>\n".repeat(200);
        staging.put(OutputFile::bytes("index.html", page.clone()));
        staging.put(OutputFile::bytes("a.txt", "x"));
        staging.put(OutputFile::bytes("a.webp", page.clone()));
        staging.commit()?;
        let gz = fs::read(out.join("index.html.gz"))?;
        let mut unpacked = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unpacked)?;
        assert_eq!(unpacked, page);
        let br = fs::read(out.join("index.html.br"))?;
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unpacked)?;
        assert_eq!(unpacked, page.as_bytes());
        assert!(!out.join("a.txt.gz").exists(), "a sibling larger than its file");
        assert!(!out.join("a.webp.gz").exists(), "an image was compressed");
        Ok(())
    }

    #[test]
    fn duplicates_a_written_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        let staging = Staging::new(&out)?;
        staging.put(OutputFile::bytes("vi/404.html", "không thấy"));
        staging.duplicate("vi/404.html", "404.html");
        staging.duplicate("missing.html", "other.html");
        let report = staging.commit()?;
        assert_eq!(fs::read_to_string(out.join("404.html"))?, "không thấy");
        assert!(!out.join("other.html").exists());
        assert_eq!(report.files, 2);
        Ok(())
    }
}
