//! Where rendered files go as they are made. A build streams each page to
//! its staging folder the moment it is rendered ([`super::Staging`]), so a
//! large site is never held in memory whole; `serve` keeps its files in
//! memory ([`Collect`]); `check` keeps only their paths ([`Discard`]).

use std::sync::Mutex;

use super::{FileContent, OutputFile};

/// Takes the files of a site, from any thread.
pub trait Sink: Sync {
    /// Takes one file. Write errors are kept by the sink and reported by its
    /// owner when the build ends, so rendering threads need not stop.
    fn put(&self, file: OutputFile);

    /// Publishes at `to` a copy of the file already put at `from` (nothing
    /// if there is none).
    fn duplicate(&self, from: &str, to: &str);
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) {
        lock(&self.0).push(file);
    }

    fn duplicate(&self, from: &str, to: &str) {
        let mut files = lock(&self.0);
        if let Some(content) = files.iter().find(|f| f.path == from).map(|f| f.content.clone()) {
            files.push(OutputFile {
                path: to.to_string(),
                content,
            });
        }
    }
}

/// Keeps nothing: `vitrine check` renders every page for its errors only.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) {}
    fn duplicate(&self, _: &str, _: &str) {}
}

/// Passes files on to another sink, noting each path and size: the build
/// checks the paths for collisions and reports the count and bytes.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    seen: Mutex<Seen>,
}

/// The paths put so far, end to end in one string: a build notes every
/// file it writes while it renders, and a million paths held as strings
/// of their own took half as much again (each its own allocation and
/// 24-byte header) when the build holds most.
#[derive(Default)]
struct Seen {
    paths: String,
    /// Where each path ends in `paths`.
    ends: Vec<usize>,
    bytes: u64,
}

impl Seen {
    fn push(&mut self, path: &str) {
        self.paths.push_str(path);
        self.ends.push(self.paths.len());
    }
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// Every path put so far (repeats included), and the bytes of the
    /// files rendered in memory.
    pub fn into_seen(self) -> (Vec<String>, u64) {
        let seen = self.seen.into_inner().unwrap_or_else(|e| e.into_inner());
        let starts = std::iter::once(0).chain(seen.ends.iter().copied());
        let paths = starts
            .zip(&seen.ends)
            .map(|(start, &end)| seen.paths[start..end].to_string())
            .collect();
        (paths, seen.bytes)
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, file: OutputFile) {
        {
            let mut seen = lock(&self.seen);
            seen.push(&file.path);
            if let FileContent::Bytes(b) = &file.content {
                seen.bytes += b.len() as u64;
            }
        }
        self.inner.put(file);
    }

    fn duplicate(&self, from: &str, to: &str) {
        lock(&self.seen).push(to);
        self.inner.duplicate(from, to);
    }
}

/// A poisoned lock only means another thread panicked while pushing; the
/// list itself is still whole.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorder_gives_back_every_path_in_order_with_the_bytes() {
        let recorder = Recorder::new(&Discard);
        recorder.put(OutputFile::bytes("vi/index.html", "xin chào"));
        recorder.put(OutputFile::bytes("", ""));
        recorder.duplicate("vi/index.html", "vi/trang/1/index.html");
        recorder.put(OutputFile::bytes("vi/index.html", "again"));
        recorder.put(OutputFile::bytes("zh/文化/index.html", "文"));
        let (paths, bytes) = recorder.into_seen();
        assert_eq!(
            paths,
            [
                "vi/index.html",
                "",
                "vi/trang/1/index.html",
                "vi/index.html",
                "zh/文化/index.html"
            ]
        );
        assert_eq!(bytes, ("xin chào".len() + "again".len() + "文".len()) as u64);
    }
}
