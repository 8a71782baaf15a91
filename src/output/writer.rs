//! Writes a built site so that readers never see half of it: everything goes
//! to a temporary folder beside the output, which replaces the output only
//! once every file is written. A failed build leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::sink::{Sink, lock};
use super::{FileContent, OutputFile};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
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
    files: AtomicUsize,
    bytes: AtomicU64,
    /// The first write that failed: reported by `commit`.
    error: Mutex<Option<io::Error>>,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        Ok(Staging {
            output: output.to_path_buf(),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
            dir,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            error: Mutex::new(None),
        })
    }

    fn write(&self, file: &OutputFile) -> io::Result<u64> {
        let target = self.dir.path().join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        match &file.content {
            FileContent::Bytes(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
            FileContent::Copy(source) => fs::copy(source, &target),
        }
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

    /// Replaces the output with the staged files, unless a write failed.
    pub fn commit(self) -> io::Result<WriteReport> {
        if let Some(e) = lock(&self.error).take() {
            return Err(e);
        }
        let report = WriteReport {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        let (output, old) = (&self.output, &self.old);
        let had_output = output.exists();
        if had_output {
            fs::rename(output, old)?;
        }
        let staged = self.dir.keep();
        if let Err(e) = fs::rename(&staged, output) {
            if had_output {
                // Put the previous site back before reporting the failure.
                let _ = fs::rename(old, output);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        if had_output {
            fs::remove_dir_all(old)?;
        }
        Ok(report)
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) {
        self.record(self.write(&file));
    }

    fn duplicate(&self, from: &str, to: &str) {
        let source = self.dir.path().join(from);
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
