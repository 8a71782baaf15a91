//! Changes an output folder in place, for an incremental build: the files
//! a change reaches are replaced and those it removed are deleted, the
//! rest stay untouched on disk. Every new file (and its precompressed
//! siblings) is written beside its target first; only when all are
//! written are they renamed over their targets, so a write that fails
//! (a full disk) leaves the output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::files::{compress, make_folders, readable, remove, remove_empty_folders, sibling};
use super::{FileContent, OutputFile};
use vitrine_load::config::publish::Compression;

/// A file written beside its target, renamed over it by [`patch`].
struct Pending {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
}

/// What [`patch`] did to the output.
#[derive(Debug, Default, PartialEq)]
pub struct Patched {
    /// Each file written, with its size (siblings not counted).
    pub written: Vec<(String, u64)>,
    /// Every path written or removed, siblings included.
    pub touched: Vec<String>,
}

/// Writes `files` into `output` and removes the files `removed` (paths
/// under it) with their compressed siblings, and folders left empty.
/// Text files get siblings in the `compress` formats, as a build writes
/// them.
pub fn patch(
    output: &Path,
    files: Vec<OutputFile>,
    removed: &[String],
    compress: &[Compression],
) -> io::Result<Patched> {
    let staged = files
        .into_par_iter()
        .map(|file| stage(output, &file, compress).map(|pending| (file.path, pending)))
        .collect::<io::Result<Vec<_>>>()?;
    let mut done = Patched::default();
    let under = |target: &Path| {
        let rel = target.strip_prefix(output).unwrap_or(target);
        rel.to_string_lossy().replace('\\', "/")
    };
    for (path, pending) in staged {
        let mut size = 0;
        for (i, p) in pending.into_iter().enumerate() {
            match p {
                Ok(p) => {
                    let file = p.temp.persist(&p.target).map_err(|e| e.error)?;
                    if i == 0 {
                        size = file.metadata()?.len();
                    }
                    done.touched.push(under(&p.target));
                }
                // A sibling no smaller than its file is not kept.
                Err(stale) => {
                    remove(&stale)?;
                    done.touched.push(under(&stale));
                }
            }
        }
        done.written.push((path, size));
    }
    for path in removed {
        let target = output.join(path);
        remove(&target)?;
        done.touched.push(path.clone());
        for format in [Compression::Gz, Compression::Br] {
            let sibling = sibling(&target, format);
            remove(&sibling)?;
            done.touched.push(under(&sibling));
        }
        remove_empty_folders(output, target.parent())?;
    }
    Ok(done)
}

/// Writes `file` and its siblings beside their targets: the file first,
/// then each sibling, or `Err(path)` for a sibling that must not exist.
fn stage(
    output: &Path,
    file: &OutputFile,
    formats: &[Compression],
) -> io::Result<Vec<Result<Pending, PathBuf>>> {
    let target = output.join(&file.path);
    let parent = target.parent().unwrap_or(output);
    make_folders(output, parent)?;
    let bytes = match &file.content {
        FileContent::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
        FileContent::Copy(source) => std::borrow::Cow::Owned(fs::read(source)?),
    };
    let write = |bytes: &[u8], target: PathBuf| -> io::Result<Pending> {
        let mut temp = tempfile::NamedTempFile::new_in(parent)?;
        io::Write::write_all(&mut temp, bytes)?;
        readable(temp.path(), false)?;
        Ok(Pending { temp, target })
    };
    let mut pending = vec![Ok(write(&bytes, target.clone())?)];
    if super::is_text(&file.path) {
        for format in formats {
            let packed = compress(&bytes, *format)?;
            let at = sibling(&target, *format);
            pending.push(if packed.len() < bytes.len() {
                Ok(write(&packed, at)?)
            } else {
                Err(at)
            });
        }
    }
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_removes_and_compresses_in_place() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path();
        fs::create_dir_all(out.join("news/gone"))?;
        fs::write(out.join("news/gone/index.html"), "old")?;
        fs::write(out.join("news/gone/index.html.gz"), "old packed")?;
        fs::write(out.join("kept.html"), "kept")?;
        let page = "<p>".repeat(400);
        let written = patch(
            out,
            vec![
                OutputFile::bytes("news/new/index.html", page.clone()),
                OutputFile::bytes("tiny.html", "a"),
            ],
            &["news/gone/index.html".to_string()],
            &[Compression::Gz],
        )?;
        assert_eq!(
            written.written,
            vec![
                ("news/new/index.html".to_string(), 1200),
                ("tiny.html".to_string(), 1)
            ]
        );
        for path in [
            "news/new/index.html",
            "news/new/index.html.gz",
            "tiny.html.gz",
            "news/gone/index.html.gz",
        ] {
            assert!(
                written.touched.iter().any(|p| p == path),
                "{path}: {:?}",
                written.touched
            );
        }
        assert_eq!(fs::read_to_string(out.join("news/new/index.html"))?, page);
        assert!(out.join("news/new/index.html.gz").is_file());
        assert!(
            !out.join("tiny.html.gz").exists(),
            "a sibling no smaller is not kept"
        );
        assert!(!out.join("news/gone").exists(), "an emptied folder stays");
        assert_eq!(fs::read_to_string(out.join("kept.html"))?, "kept");
        let names: Vec<_> = fs::read_dir(out.join("news"))?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "a temporary file was left: {names:?}");
        Ok(())
    }
}
