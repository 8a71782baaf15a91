//! The steps on files every writer of the output shares: folders made
//! and files given modes readable by everyone, precompressed siblings
//! named and made, files and emptied folders removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use vitrine_load::config::publish::Compression;

/// Makes `path` and the folders above it, each with mode 0755 as far as
/// the umask lets it.
pub(crate) fn folder(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o755);
    builder.create(path)
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

/// Makes `folder` and the folders above it up to `output`, each readable.
pub(crate) fn make_folders(output: &Path, folder: &Path) -> io::Result<()> {
    if folder.is_dir() {
        return Ok(());
    }
    if let Some(parent) = folder.parent().filter(|p| p.starts_with(output) && *p != folder) {
        make_folders(output, parent)?;
    }
    match fs::create_dir(folder) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    readable(folder, true)
}

pub(crate) fn remove(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes `folder` and the folders above it, inside `output`, while they
/// are empty: a clean build has no empty folders.
pub(crate) fn remove_empty_folders(output: &Path, mut folder: Option<&Path>) -> io::Result<()> {
    while let Some(dir) = folder.filter(|d| d.starts_with(output) && *d != output) {
        if fs::read_dir(dir)?.next().is_some() {
            break;
        }
        fs::remove_dir(dir)?;
        folder = dir.parent();
    }
    Ok(())
}
