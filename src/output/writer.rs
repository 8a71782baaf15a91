//! Writes a built site so that readers never see half of it: everything goes
//! to a temporary folder beside the output, which replaces the output only
//! once every file is written. A failed build leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{FileContent, OutputFile};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `files` into `output`, replacing what was there.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)?;
    let report = write_all(staging.path(), files)?;
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_output = output.exists();
    if had_output {
        fs::rename(output, &old)?;
    }
    let staged = staging.keep();
    if let Err(e) = fs::rename(&staged, output) {
        if had_output {
            // Put the previous site back before reporting the failure.
            let _ = fs::rename(&old, output);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    if had_output {
        fs::remove_dir_all(&old)?;
    }
    Ok(report)
}

fn write_all(root: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir)?;
    }
    let sizes: Vec<u64> = files
        .par_iter()
        .map(|f| {
            let target = root.join(&f.path);
            match &f.content {
                FileContent::Bytes(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
                FileContent::Copy(source) => fs::copy(source, &target),
            }
        })
        .collect::<io::Result<_>>()?;
    Ok(WriteReport {
        files: files.len(),
        bytes: sizes.iter().sum(),
    })
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
}
