//! What changed: turns file-system events into [`Changes`], the input of an
//! incremental rebuild. [`file_events`] and [`classify`] are pure functions
//! (unit-tested below); only [`watch`] touches the file system. Removals are
//! changes too, and an editor's save by delete-and-rename ends as a plain
//! change of the saved file, since the last event of a path wins.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{ModifyKind, RenameMode};
use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, NoCache};

/// How long the watcher waits for a burst of events to settle. Short: the
/// goal is a page served within 50 ms of the save.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// What happened to one path, relative to the site root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    /// Created or modified (its current content is what counts).
    Written,
    Removed,
}

/// One file event, with its path relative to the site root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEvent {
    pub path: String,
    pub change: FileChange,
}

/// What a batch of events changed, by the part of the site it touches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.yaml`: everything is rebuilt.
    pub config: bool,
    /// `data/`: templates may read any of it.
    pub data: bool,
    /// A folder of `content/` appeared or went away (names without an
    /// extension): the content tree is reloaded.
    pub content_tree: bool,
    /// An urgent notice (`content/_notices/`): every page shows it.
    pub notices: bool,
    /// Markdown files, relative to `content/`.
    pub content: BTreeMap<String, FileChange>,
    /// Language codes whose Fluent files changed (site's or theme's).
    pub locales: BTreeSet<String>,
    /// Any file of a theme's `templates/` but its shortcodes.
    pub templates: bool,
    /// A shortcode template (`templates/shortcodes/`): bodies calling it
    /// are rendered with it, in the Markdown pass.
    pub shortcodes: bool,
    /// Static files and bundle assets, relative to the site root.
    pub static_files: BTreeSet<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// True when only stylesheets changed: browsers can swap them in place.
    pub fn css_only(&self) -> bool {
        !self.static_files.is_empty()
            && self.static_files.iter().all(|p| p.ends_with(".css"))
            && Changes {
                static_files: BTreeSet::new(),
                ..self.clone()
            }
            .is_empty()
    }

    /// A short description for the terminal: `content/news/a.md changed`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.config {
            parts.push("site.yaml".to_string());
        }
        if self.data {
            parts.push("data/".to_string());
        }
        if self.content_tree {
            parts.push("content folders".to_string());
        }
        for (path, change) in &self.content {
            let verb = if *change == FileChange::Removed {
                " (removed)"
            } else {
                ""
            };
            parts.push(format!("content/{path}{verb}"));
        }
        for lang in &self.locales {
            parts.push(format!("{lang} Fluent"));
        }
        if self.templates {
            parts.push("templates".to_string());
        }
        if self.shortcodes {
            parts.push("shortcodes".to_string());
        }
        parts.extend(self.static_files.iter().cloned());
        if parts.len() > 4 {
            let more = parts.len() - 3;
            parts.truncate(3);
            parts.push(format!("{more} more"));
        }
        parts.join(", ")
    }
}

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

/// Sorts file events (paths relative to the site root) into [`Changes`].
/// Hidden files, editors' backup and swap files and the output folder are
/// ignored.
pub fn classify(events: &[FileEvent]) -> Changes {
    let mut last: BTreeMap<&str, FileChange> = BTreeMap::new();
    for event in events {
        last.insert(&event.path, event.change);
    }
    let mut changes = Changes::default();
    for (path, change) in last {
        if is_ignored(path) {
            continue;
        }
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["site.yaml"] => changes.config = true,
            ["content", vitrine_load::content::NOTICES_DIR, ..] => changes.notices = true,
            ["content", ..] if path.ends_with(".md") => {
                changes
                    .content
                    .insert(path["content/".len()..].to_string(), change);
            }
            ["content", .., name] if !name.contains('.') => changes.content_tree = true,
            ["content", ..] => {
                changes.static_files.insert(path.to_string());
            }
            ["data", ..] => changes.data = true,
            ["locales", lang, .., file] | ["themes", _, "locales", lang, .., file]
                if file.ends_with(".ftl") =>
            {
                changes.locales.insert((*lang).to_string());
            }
            ["locales", _] | ["themes", _, "locales", _] => changes.config = true,
            ["themes", _, "templates", "shortcodes", ..] => changes.shortcodes = true,
            ["themes", _, "templates", ..] => changes.templates = true,
            ["static", ..] | ["themes", _, "static", ..] => {
                changes.static_files.insert(path.to_string());
            }
            _ => {}
        }
    }
    changes
}

/// Hidden files and folders (`.git`, `.page.md.swp`), editors' backups
/// (`page.md~`, `#page.md#`), Vim's write probe `4913`, and the output folder.
pub(crate) fn is_ignored(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|part| part.starts_with('.'))
        || path == "public"
        || path.starts_with("public/")
        || name.ends_with('~')
        || name.starts_with('#')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".bak"].iter().any(|s| name.ends_with(s))
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
