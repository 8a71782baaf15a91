//! Unit tests of event classification: what each kind of file change means,
//! and editors' save patterns.

use std::path::{Path, PathBuf};

use notify_debouncer_full::DebouncedEvent;
use notify_debouncer_full::notify::Event;
use notify_debouncer_full::notify::event::{
    CreateKind, DataChange, EventKind, ModifyKind, RemoveKind, RenameMode,
};

use super::*;
use crate::changes::classify;

fn written(path: &str) -> FileEvent {
    FileEvent {
        path: path.to_string(),
        change: FileChange::Written,
    }
}

fn removed(path: &str) -> FileEvent {
    FileEvent {
        path: path.to_string(),
        change: FileChange::Removed,
    }
}

fn debounced(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
    let mut event = Event::new(kind);
    event.paths = paths.iter().map(PathBuf::from).collect();
    DebouncedEvent::new(event, std::time::Instant::now())
}

#[test]
fn sorts_each_part_of_the_site() {
    let changes = classify(&[
        written("content/news/visit.en.md"),
        written("content/culture/hue/citadel.jpg"),
        written("locales/fr/main.ftl"),
        written("themes/default/locales/ar/theme.ftl"),
        written("themes/default/templates/page.html"),
        written("static/css/site.css"),
        written("themes/default/static/js/menu.js"),
    ]);
    assert!(!changes.config && !changes.data && !changes.content_tree);
    assert_eq!(
        changes.content.into_iter().collect::<Vec<_>>(),
        vec![("news/visit.en.md".to_string(), FileChange::Written)]
    );
    assert_eq!(changes.locales.into_iter().collect::<Vec<_>>(), vec!["ar", "fr"]);
    assert!(changes.templates);
    assert_eq!(
        changes.static_files.into_iter().collect::<Vec<_>>(),
        vec![
            "content/culture/hue/citadel.jpg",
            "static/css/site.css",
            "themes/default/static/js/menu.js"
        ]
    );
}

#[test]
fn config_and_data_rebuild_everything() {
    assert!(classify(&[written("site.yaml")]).config);
    assert!(classify(&[written("data/provinces.yaml")]).data);
    assert!(classify(&[removed("content/culture")]).content_tree);
}

#[test]
fn ignores_hidden_backup_and_output_files() {
    let changes = classify(&[
        written(".git/index"),
        written("content/news/.visit.md.swp"),
        written("content/news/visit.md~"),
        written("content/news/#visit.md#"),
        written("content/news/4913"),
        written("public/en/index.html"),
        written("notes.txt"),
    ]);
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn the_last_event_of_a_path_wins() {
    // Vim without `backupcopy`: rename the original away, write a new file,
    // delete the backup.
    let changes = classify(&[
        removed("content/news/visit.md"),
        written("content/news/visit.md~"),
        written("content/news/visit.md"),
        removed("content/news/visit.md~"),
    ]);
    assert_eq!(
        changes.content.into_iter().collect::<Vec<_>>(),
        vec![("news/visit.md".to_string(), FileChange::Written)]
    );
    let deleted = classify(&[written("content/a.md"), removed("content/a.md")]);
    assert_eq!(deleted.content.get("a.md"), Some(&FileChange::Removed));
}

#[test]
fn renames_become_a_removal_and_a_write() {
    let root = Path::new("/site");
    let events = file_events(
        root,
        &[
            debounced(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/site/content/old.md", "/site/content/new.md"],
            ),
            debounced(EventKind::Create(CreateKind::File), &["/site/content/fresh.md"]),
            debounced(
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                &["/site/site.yaml"],
            ),
            debounced(EventKind::Remove(RemoveKind::File), &["/site/static/x.css"]),
            debounced(EventKind::Create(CreateKind::File), &["/elsewhere/y.md"]),
        ],
    );
    assert_eq!(
        events,
        vec![
            removed("content/old.md"),
            written("content/new.md"),
            written("content/fresh.md"),
            written("site.yaml"),
            removed("static/x.css"),
        ]
    );
    // A save by writing a temporary file and renaming it over the page.
    let save = file_events(
        root,
        &[
            debounced(EventKind::Create(CreateKind::File), &["/site/content/.a.md.tmp"]),
            debounced(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/site/content/.a.md.tmp", "/site/content/a.md"],
            ),
        ],
    );
    let changes = classify(&save);
    assert_eq!(changes.content.get("a.md"), Some(&FileChange::Written));
    assert_eq!(changes.content.len(), 1);
}

#[test]
fn only_stylesheets_reload_in_place() {
    assert!(classify(&[written("static/site.css")]).css_only());
    assert!(!classify(&[written("static/site.css"), written("static/menu.js")]).css_only());
    assert!(!classify(&[written("static/site.css"), written("content/a.md")]).css_only());
    assert!(!classify(&[written("content/a.md")]).css_only());
}

#[test]
fn summarises_in_a_few_words() {
    let changes = classify(&[written("content/a.md"), removed("content/b.md")]);
    assert_eq!(changes.summary(), "content/a.md, content/b.md (removed)");
}

#[test]
fn a_notice_is_not_a_page_and_asks_for_every_page() {
    let changes = classify(&[written("content/_notices/typhoon.en.md")]);
    assert!(changes.notices);
    assert!(changes.content.is_empty(), "{changes:?}");
    let removed = classify(&[removed("content/_notices/typhoon.md")]);
    assert!(removed.notices && removed.content.is_empty());
}
