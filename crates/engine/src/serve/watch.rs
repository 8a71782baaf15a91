//! Watching the site: turns file-system events into [`FileEvent`]s, which
//! [`crate::changes::classify`] makes the input of an incremental rebuild.
//! [`file_events`] is a pure function (unit-tested below, with
//! classification); only [`watch`] touches the file system. Removals are
//! changes too, and an editor's save by delete-and-rename ends as a plain
//! change of the saved file, since the last event of a path wins.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{ModifyKind, RenameMode};
use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, NoCache};

use crate::changes::{FileChange, FileEvent};

/// How long the watcher waits for a burst of events to settle. Short: the
/// goal is a page served within 50 ms of the save.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// Debounced watcher events as file events relative to `root`, renames split
/// into a removal and a write. Paths outside `root` are dropped.
pub fn file_events(root: &Path, events: &[DebouncedEvent]) -> Vec<FileEvent> {
    let mut out = Vec::new();
    let mut push = |path: &Path, change| {
        if let Some(path) = relative(root, path) {
            out.push(FileEvent { path, change });
        }
    };
    for event in events {
        let paths = &event.paths;
        match event.kind {
            EventKind::Access(_) => {}
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                paths.iter().for_each(|p| push(p, FileChange::Removed));
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) if paths.len() == 2 => {
                push(&paths[0], FileChange::Removed);
                push(&paths[1], FileChange::Written);
            }
            _ => paths.iter().for_each(|p| push(p, FileChange::Written)),
        }
    }
    out
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What the watcher sends: the events of one burst of changes, or what
/// went wrong watching.
pub type Batch = DebounceEventResult;

/// The running watcher; dropping it stops watching.
pub enum Watcher {
    Native(
        notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>,
    ),
    Poll(notify_debouncer_full::Debouncer<PollWatcher, NoCache>),
}

/// The folders of the site root that serve reacts to, watched with all
/// they hold. The rest of the root is watched alone, not its folders: the
/// output (`public/`) and the caches (`.vitrine-cache/`, where serve keeps
/// the files it serves) hold tens of thousands of folders on a national
/// portal, more than the system lets a process watch.
pub const WATCHED_FOLDERS: [&str; 5] = ["content", "data", "locales", "static", "themes"];

/// Watches the site at `root` (its top level, and [`WATCHED_FOLDERS`] with
/// everything in them) and sends every debounced batch to `events`.
/// `poll` compares modification times instead of using OS events (network
/// and container file systems where events do not arrive).
pub fn watch(root: &Path, poll: bool, events: Sender<DebounceEventResult>) -> notify::Result<Watcher> {
    let root: PathBuf = root.to_path_buf();
    let mut watcher = if poll {
        // Modification times are compared in whole seconds: without the
        // contents, two saves within a second would go unseen.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Watcher::Poll(
            notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, NoCache>(
                DEBOUNCE, None, events, NoCache, config,
            )?,
        )
    } else {
        Watcher::Native(notify_debouncer_full::new_debouncer(DEBOUNCE, None, events)?)
    };
    watcher.add(&root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED_FOLDERS {
        watcher.watch_folder(&root, folder)?;
    }
    Ok(watcher)
}

impl Watcher {
    fn add(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watches `folder` of the site root with all it holds, if it exists.
    fn watch_folder(&mut self, root: &Path, folder: &str) -> notify::Result<()> {
        let path = root.join(folder);
        if path.is_dir() {
            self.add(&path, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    /// Starts watching the folders of [`WATCHED_FOLDERS`] that `events`
    /// created (a `data/` folder added while serving).
    pub fn follow_new_folders(&mut self, root: &Path, events: &[FileEvent]) -> notify::Result<()> {
        for event in events.iter().filter(|e| e.change != FileChange::Removed) {
            if let Some(folder) = WATCHED_FOLDERS.iter().find(|f| **f == event.path) {
                self.watch_folder(root, folder)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
