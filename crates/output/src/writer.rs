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

use super::sink::{Sink, lock};
use super::{FileContent, OutputFile};
use vitrine_load::config::publish::Compression;

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
    /// Top-level names of the old output to carry over.
    keep: Vec<String>,
    compress: Vec<Compression>,
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
            keep: Vec::new(),
            compress: Vec::new(),
        })
    }

    /// Removes the staging folders and previous outputs that writers of
    /// `output` stopped mid-build left beside it (killed, or the machine
    /// went down). Only for a caller that no other writer of `output` can
    /// be running beside (`serve` owns its folder): it would pull a running
    /// build's folder from under it.
    pub fn remove_leftovers(output: &Path) {
        let (parent, name) = beside(output);
        let Ok(entries) = fs::read_dir(&parent) else {
            return;
        };
        let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with(&new) || file.starts_with(&old) {
                let _ = fs::remove_dir_all(entry.path());
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

    fn write(&self, file: &OutputFile) -> io::Result<u64> {
        let target = self.dir.path().join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let written = match &file.content {
            FileContent::Bytes(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
            FileContent::Copy(source) => fs::copy(source, &target),
        }?;
        readable(&target, false)?;
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
                    readable(&sibling, false)?;
                }
            }
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
        for dir in walkdir::WalkDir::new(self.dir.path()).into_iter().flatten() {
            if dir.file_type().is_dir() {
                readable(dir.path(), true)?;
            }
        }
        let kept = self.carry_over()?;
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
            fs::remove_dir_all(old)?;
        }
        Ok(report)
    }
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

/// The precompressed sibling of `target` in `format`: `index.html.gz`.
pub(crate) fn sibling(target: &Path, format: Compression) -> PathBuf {
    target.with_file_name(format!(
        "{}.{}",
        target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        format.extension()
    ))
}

/// The text file whose precompressed sibling in one of `formats` the
/// output path `path` would be (`index.html.gz` gives `index.html`).
pub fn precompressed_of<'a>(path: &'a str, formats: &[Compression]) -> Option<&'a str> {
    formats.iter().find_map(|format| {
        let of = path.strip_suffix(format.extension())?.strip_suffix('.')?;
        super::is_text(of).then_some(of)
    })
}

/// Gives a written file mode 0644 and a folder 0755 (Unix).
pub(crate) fn readable(path: &Path, folder: bool) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if folder { 0o755 } else { 0o644 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, folder);
    Ok(())
}

/// Compresses at levels that pay for themselves on a static host: the
/// files are compressed once and served many times, but a build of tens
/// of thousands of pages must not wait minutes (Brotli 11 would).
pub(crate) fn compress(bytes: &[u8], format: Compression) -> io::Result<Vec<u8>> {
    use std::io::Write;
    match format {
        Compression::Gz => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes)?;
            encoder.finish()
        }
        Compression::Br => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
            Ok(out)
        }
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
    fn leftovers_of_a_stopped_writer_go_and_nothing_else() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("site");
        write_atomically(&out, &[OutputFile::bytes("index.html", "kept")])?;
        // What a writer killed mid-build leaves: a staging folder with
        // files, and a previous output it was swapping out.
        let staging = Staging::new(&out)?;
        staging.put(OutputFile::bytes("index.html", "half"));
        let left = staging.dir.keep();
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
        assert_eq!(mode("processed_images")?, 0o755);
        assert_eq!(mode("")?, 0o755);
        assert_eq!(fs::read_to_string(out.join(".git/HEAD"))?, "ref");
        // A file the build makes wins over the kept one.
        assert_eq!(fs::read_to_string(out.join("CNAME"))?, "new.example.org");
        assert!(!out.join("stale.html").exists());
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
