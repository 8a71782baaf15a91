//! What changed in a site, by the part of it each file touches
//! ([`Changes`]): the input of an incremental rebuild, whether the files
//! come from `serve`'s watcher or from the build cache's record of the
//! last build. [`classify`] is a pure function, unit-tested with the
//! watcher's events (`serve/watch/tests.rs`).

use std::collections::{BTreeMap, BTreeSet};

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

    /// True when Fluent files changed, and besides them static files at
    /// most.
    pub fn fluent_alone(&self) -> bool {
        !self.locales.is_empty()
            && Changes {
                locales: BTreeSet::new(),
                static_files: BTreeSet::new(),
                ..self.clone()
            }
            .is_empty()
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
        if let Some(lang) = fluent_language(path) {
            changes.locales.insert(lang.to_string());
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

/// The language of a Fluent file of one language, the site's or a
/// theme's (`locales/<lang>/….ftl`), if `path` is one.
pub(crate) fn fluent_language(path: &str) -> Option<&str> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["locales", lang, .., file] | ["themes", _, "locales", lang, .., file] if file.ends_with(".ftl") => {
            Some(lang)
        }
        _ => None,
    }
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
