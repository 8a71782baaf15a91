//! The git plumbing the history walk needs, and nothing else: the commits
//! touching the site, the content files of a commit (`ls-tree` once, then
//! `diff-tree` from one sample to the next) and file contents through one
//! long-lived `git cat-file --batch`. No checkout, no write to the
//! repository. Paths are given with the `:(top)` magic so the site may be a
//! sub-folder of its repository.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// Runs git in `root` and returns what it printed.
pub fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .current_dir(root)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git printed bytes that are not UTF-8: {e}"))
}

/// The content files of the site at one commit: path below `content/` → blob id.
pub type ContentTree = HashMap<String, String>;

/// Markdown files that may be pages: `_index` files are sections (the walk
/// skips them later), other `_` folders (notices) are not pages.
fn wanted(relative: &str) -> bool {
    relative.ends_with(".md")
        && !relative
            .split('/')
            .any(|c| c.starts_with('_') && !c.starts_with("_index"))
}

/// Where content lives, as a path from the top of the repository.
pub struct ContentDir {
    /// `site/content/` for a site in the `site/` folder of its repository.
    from_top: String,
}

impl ContentDir {
    pub fn find(root: &Path) -> Result<ContentDir, String> {
        let prefix = git(root, &["rev-parse", "--show-prefix"])?;
        Ok(ContentDir {
            from_top: format!("{}content/", prefix.trim_end_matches('\n')),
        })
    }

    fn pathspec(&self) -> String {
        format!(":(top){}", self.from_top)
    }

    /// Every content file at `commit`.
    pub fn list(&self, root: &Path, commit: &str) -> Result<ContentTree, String> {
        let listing = git(
            root,
            &["ls-tree", "-r", "-z", "--full-tree", commit, "--", &self.from_top],
        )?;
        let mut files = ContentTree::new();
        for record in listing.split('\0') {
            // `<mode> blob <oid>\t<path>`
            let Some((meta, path)) = record.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split(' ');
            let (Some(_), Some("blob"), Some(oid)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            if let Some(relative) = path.strip_prefix(&self.from_top).filter(|r| wanted(r)) {
                files.insert(relative.to_string(), oid.to_string());
            }
        }
        Ok(files)
    }

    /// Moves `files` from commit `from` to commit `to`; returns the paths
    /// added or changed.
    pub fn advance(
        &self,
        root: &Path,
        files: &mut ContentTree,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, String> {
        let diff = git(
            root,
            &[
                "diff-tree",
                "-r",
                "-z",
                "--no-renames",
                from,
                to,
                "--",
                &self.pathspec(),
            ],
        )?;
        let mut changed = Vec::new();
        let mut records = diff.split('\0');
        // `:<old mode> <new mode> <old oid> <new oid> <status>` then the path.
        while let Some(meta) = records.next() {
            let Some(meta) = meta.strip_prefix(':') else {
                continue;
            };
            let Some(path) = records.next() else { break };
            let fields: Vec<&str> = meta.split(' ').collect();
            let Some(relative) = path.strip_prefix(&self.from_top).filter(|r| wanted(r)) else {
                continue;
            };
            match fields.as_slice() {
                [_, _, _, _, status] if status.starts_with('D') => {
                    files.remove(relative);
                }
                [_, new_mode, _, oid, _] if new_mode.starts_with("100") => {
                    files.insert(relative.to_string(), oid.to_string());
                    changed.push(relative.to_string());
                }
                _ => {
                    files.remove(relative);
                }
            }
        }
        Ok(changed)
    }
}

/// One `git cat-file --batch` for the whole walk.
pub struct BlobReader {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl BlobReader {
    pub fn start(root: &Path) -> Result<BlobReader, String> {
        let mut child = Command::new("git")
            .args(["cat-file", "--batch"])
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git cat-file: {e}"))?;
        let input = child.stdin.take().ok_or("git cat-file has no input")?;
        let output = BufReader::new(child.stdout.take().ok_or("git cat-file has no output")?);
        Ok(BlobReader {
            child,
            input: Some(input),
            output,
        })
    }

    /// The contents of `oids`, in order. The ids are written by a thread
    /// while this one reads, so neither pipe can fill up and block the other.
    pub fn read_all(&mut self, oids: &[&str], mut each: impl FnMut(usize, &[u8])) -> Result<(), String> {
        let input = self.input.as_mut().ok_or("git cat-file was closed")?;
        let (output, child) = (&mut self.output, &mut self.child);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let mut buffered = std::io::BufWriter::new(input);
                for oid in oids {
                    writeln!(buffered, "{oid}")?;
                }
                buffered.flush()
            });
            let read = read_blobs(output, oids.len(), &mut each);
            if read.is_err() {
                // Unblocks the writer: its next write fails instead of waiting.
                let _ = child.kill();
            }
            let written = writer
                .join()
                .map_err(|_| "git cat-file: the writer stopped".to_string())?;
            read?;
            written.map_err(|e| format!("git cat-file failed: {e}"))
        })
    }
}

fn read_blobs(
    output: &mut BufReader<ChildStdout>,
    count: usize,
    each: &mut impl FnMut(usize, &[u8]),
) -> Result<(), String> {
    let broken = |e: std::io::Error| format!("git cat-file failed: {e}");
    let mut blob = Vec::new();
    for i in 0..count {
        let mut header = String::new();
        output.read_line(&mut header).map_err(broken)?;
        // `<oid> blob <size>`, or `<oid> missing`.
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer `{}`", header.trim()))?;
        blob.resize(size + 1, 0);
        output.read_exact(&mut blob).map_err(broken)?;
        each(i, &blob[..size]);
    }
    Ok(())
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // Closing its input ends `git cat-file`; wait so no zombie is left.
        drop(self.input.take());
        let _ = self.child.wait();
    }
}
