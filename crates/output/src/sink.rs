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
    seen: Mutex<(Vec<String>, u64)>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            seen: Mutex::new((Vec::new(), 0)),
        }
    }

    /// Every path put so far (repeats included), and the bytes of the
    /// files rendered in memory.
    pub fn into_seen(self) -> (Vec<String>, u64) {
        self.seen.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, file: OutputFile) {
        {
            let mut seen = lock(&self.seen);
            seen.0.push(file.path.clone());
            if let FileContent::Bytes(b) = &file.content {
                seen.1 += b.len() as u64;
            }
        }
        self.inner.put(file);
    }

    fn duplicate(&self, from: &str, to: &str) {
        lock(&self.seen).0.push(to.to_string());
        self.inner.duplicate(from, to);
    }
}

/// A poisoned lock only means another thread panicked while pushing; the
/// list itself is still whole.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
