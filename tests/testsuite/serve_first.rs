//! While serving, a structural edit publishes the page it concerns first
//! (edited in place, new, or deleted without translations), then the
//! model is linked again and the lists, feeds and search index follow.
//! Checked in the library, on a copy of tests/fixtures/serve-site/: what
//! the first update holds, and that after the follow-ups the served files
//! equal a full build byte for byte.

use std::collections::BTreeSet;

use vitrine::changes::{FileChange, FileEvent, classify};
use vitrine::incremental::{Update, apply};
use vitrine::output::FileContent;

use crate::serve::{Session, article, assert_same};
use crate::site_test::SiteTest;

/// What the first update of a rebuild published.
struct First {
    scope: &'static str,
    written: BTreeSet<String>,
    removed: BTreeSet<String>,
}

/// Runs the rebuild for `events` and applies its first update only.
fn first(session: &mut Session, events: &[(&str, FileChange)]) -> First {
    let events: Vec<FileEvent> = events
        .iter()
        .map(|(path, change)| FileEvent {
            path: (*path).to_string(),
            change: *change,
        })
        .collect();
    let rebuilt = session
        .rebuilder
        .rebuild(&classify(&events))
        .expect("first update");
    let (written, removed) = match &rebuilt.update {
        Update::Patch { files, removed } => (
            files.iter().map(|f| f.path.clone()).collect(),
            removed.iter().cloned().collect(),
        ),
        Update::Replace(files) => (files.iter().map(|f| f.path.clone()).collect(), BTreeSet::new()),
    };
    apply(&mut session.served, rebuilt.update);
    First {
        scope: rebuilt.scope,
        written,
        removed,
    }
}

/// Applies every follow-up, then compares with a full build.
fn follow_and_compare(session: &mut Session, step: &str) {
    while let Some(rest) = session.rebuilder.follow_up() {
        apply(&mut session.served, rest.expect(step).update);
    }
    assert_same(&session.served, &session.options, step, "");
}

fn served_text(session: &Session, path: &str) -> String {
    match session.served.get(path) {
        Some(FileContent::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("{path} is not served as a page: {other:?}"),
    }
}

fn write(site: &SiteTest, file: &str, text: &str) {
    std::fs::write(site.root.join(file), text).expect("write");
}

fn edit(site: &SiteTest, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root.join(file)).expect("read");
    assert!(text.contains(from), "{file}: {from}");
    write(site, file, &text.replacen(from, to, 1));
}

/// The fixture's theme, its pages also showing their neighbours' titles:
/// a title edit then changes the pages beside it, which the structural
/// rebuild must find by comparing with the model they were rendered from.
fn start(site: &SiteTest) -> Session {
    edit(
        site,
        "themes/plain/templates/page.html",
        "</main>",
        "</main><nav>{% if page.previous %}{{ page.previous.title }}{% endif %} | \
         {% if page.next %}{{ page.next.title }}{% endif %}</nav>",
    );
    Session::start(&site.root)
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[test]
fn a_title_edit_is_published_on_its_page_before_the_lists() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    let list_before = served_text(&session, "tags/farming/index.html");
    edit(
        &site,
        "content/news/harvest.md",
        "Rice harvest",
        "Record rice harvest",
    );
    let rebuilt = first(&mut session, &[("content/news/harvest.md", FileChange::Written)]);
    assert_eq!(rebuilt.scope, "own pages first");
    // Its page and its fallback copy in French, nothing else yet.
    let (written, removed) = (&rebuilt.written, &rebuilt.removed);
    assert_eq!(
        *written,
        set(&["news/harvest/index.html", "fr/news/harvest/index.html"])
    );
    assert!(removed.is_empty(), "{removed:?}");
    assert!(served_text(&session, "news/harvest/index.html").contains("Record rice harvest"));
    assert!(served_text(&session, "fr/news/harvest/index.html").contains("Record rice harvest"));
    assert_eq!(served_text(&session, "tags/farming/index.html"), list_before);
    // The lists follow, and everything equals a full build.
    follow_and_compare(&mut session, "title edit");
    assert!(served_text(&session, "tags/farming/index.html").contains("Record rice harvest"));
    // The next edit of the same page starts from the linked model.
    edit(&site, "content/news/harvest.md", "2025-08-20", "2025-09-30");
    let rebuilt = first(&mut session, &[("content/news/harvest.md", FileChange::Written)]);
    assert_eq!(rebuilt.scope, "own pages first");
    follow_and_compare(&mut session, "date edit after a title edit");
}

#[test]
fn a_new_page_is_served_before_the_lists() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    write(
        &site,
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    let rebuilt = first(&mut session, &[("content/news/summit.md", FileChange::Written)]);
    assert_eq!(rebuilt.scope, "own pages first");
    let (written, removed) = (&rebuilt.written, &rebuilt.removed);
    assert_eq!(
        *written,
        set(&["news/summit/index.html", "fr/news/summit/index.html"])
    );
    assert!(removed.is_empty(), "{removed:?}");
    let page = served_text(&session, "news/summit/index.html");
    assert!(
        page.contains("Regional summit") && page.contains("Leaders met."),
        "{page}"
    );
    // Its section and alternates are those of the linked model.
    assert!(page.contains("hreflang=\"fr\""), "{page}");
    follow_and_compare(&mut session, "new page");
}

#[test]
fn a_deleted_page_without_translations_goes_at_once() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    std::fs::remove_file(site.root.join("content/news/festival.md")).expect("remove");
    let rebuilt = first(&mut session, &[("content/news/festival.md", FileChange::Removed)]);
    assert_eq!(rebuilt.scope, "own pages first");
    let (written, removed) = (&rebuilt.written, &rebuilt.removed);
    assert!(written.is_empty(), "{written:?}");
    assert_eq!(
        *removed,
        set(&["news/festival/index.html", "fr/news/festival/index.html"])
    );
    assert!(!session.served.contains_key("news/festival/index.html"));
    follow_and_compare(&mut session, "deleted page");
}

#[test]
fn changes_that_move_urls_wait_for_the_model() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    // French falls back to English: the URL stays, with other text.
    std::fs::remove_file(site.root.join("content/news/visit.fr.md")).expect("remove");
    let rebuilt = first(&mut session, &[("content/news/visit.fr.md", FileChange::Removed)]);
    assert_eq!(rebuilt.scope, "content");
    follow_and_compare(&mut session, "deleted translation");
    // A new slug: the page moves.
    edit(&site, "content/news/harvest.md", "---\n", "---\nslug: rice\n");
    let rebuilt = first(&mut session, &[("content/news/harvest.md", FileChange::Written)]);
    assert_eq!(rebuilt.scope, "content");
    assert!(session.served.contains_key("news/rice/index.html"));
    assert!(!session.served.contains_key("news/harvest/index.html"));
    follow_and_compare(&mut session, "slug");
}

#[test]
fn a_new_page_taking_a_served_url_is_refused_and_the_page_kept() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    let before = served_text(&session, "news/harvest/index.html");
    write(
        &site,
        "content/news/meeting.md",
        "---\ntitle: \"Meeting\"\nslug: harvest\n---\nMet.\n",
    );
    let events = [FileEvent {
        path: "content/news/meeting.md".to_string(),
        change: FileChange::Written,
    }];
    assert!(session.rebuilder.rebuild(&classify(&events)).is_err());
    assert_eq!(served_text(&session, "news/harvest/index.html"), before);
    // The fix is published, and the rest follows.
    write(
        &site,
        "content/news/meeting.md",
        "---\ntitle: \"Meeting\"\n---\nMet.\n",
    );
    let rebuilt = first(&mut session, &[("content/news/meeting.md", FileChange::Written)]);
    assert_eq!(rebuilt.scope, "content");
    follow_and_compare(&mut session, "fixed");
    assert!(served_text(&session, "news/meeting/index.html").contains("Met."));
}

#[test]
fn saves_made_before_the_lists_follow_are_published_first_too() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    edit(
        &site,
        "content/news/harvest.md",
        "Rice harvest",
        "Record rice harvest",
    );
    let harvest = first(&mut session, &[("content/news/harvest.md", FileChange::Written)]);
    assert_eq!(harvest.scope, "own pages first");
    // The structural rebuild of the first save has not run yet.
    write(
        &site,
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    let summit = first(&mut session, &[("content/news/summit.md", FileChange::Written)]);
    assert_eq!(summit.scope, "own pages first");
    assert!(
        summit.written.contains("news/summit/index.html"),
        "{:?}",
        summit.written
    );
    edit(&site, "content/news/harvest.md", "record rice", "bumper rice");
    let again = first(&mut session, &[("content/news/harvest.md", FileChange::Written)]);
    assert_eq!(again.scope, "own pages first");
    let page = served_text(&session, "news/harvest/index.html");
    assert!(
        page.contains("Record rice harvest") && page.contains("bumper rice"),
        "{page}"
    );
    // One structural rebuild takes all three.
    follow_and_compare(&mut session, "three saves, then the lists");
}

#[test]
fn a_new_page_renamed_then_deleted_before_the_lists_follow_leaves_nothing() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    let file = "content/news/summit.md";
    write(
        &site,
        file,
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    let new = first(&mut session, &[(file, FileChange::Written)]);
    assert_eq!(new.scope, "own pages first");
    // A new slug before the model took the page in: the old address goes.
    edit(&site, file, "---\n", "---\nslug: summit-2025\n");
    let renamed = first(&mut session, &[(file, FileChange::Written)]);
    assert_eq!(renamed.scope, "own pages first");
    assert!(renamed.written.contains("news/summit-2025/index.html"));
    assert_eq!(
        renamed.removed,
        set(&["news/summit/index.html", "fr/news/summit/index.html"])
    );
    // Deleted: its files go at once, and the lists never show it.
    std::fs::remove_file(site.root.join(file)).expect("remove");
    let gone = first(&mut session, &[(file, FileChange::Removed)]);
    assert_eq!(gone.scope, "own pages first");
    assert_eq!(
        gone.removed,
        set(&["news/summit-2025/index.html", "fr/news/summit-2025/index.html"])
    );
    follow_and_compare(&mut session, "new page renamed, then deleted");
}

#[test]
fn a_new_page_deleted_by_a_save_the_lists_wait_for_is_removed_by_them() {
    let site = SiteTest::new("serve-site");
    let mut session = start(&site);
    let file = "content/news/summit.md";
    write(
        &site,
        file,
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    assert_eq!(
        first(&mut session, &[(file, FileChange::Written)]).scope,
        "own pages first"
    );
    // Deleted together with a change that needs the model linked: the
    // structural rebuild must take the page's files down itself.
    std::fs::remove_file(site.root.join(file)).expect("remove");
    edit(&site, "content/news/harvest.md", "---\n", "---\nslug: rice\n");
    let both = first(
        &mut session,
        &[
            (file, FileChange::Removed),
            ("content/news/harvest.md", FileChange::Written),
        ],
    );
    assert_eq!(both.scope, "content");
    assert!(
        both.removed.contains("news/summit/index.html"),
        "{:?}",
        both.removed
    );
    follow_and_compare(&mut session, "new page deleted with a slug change");
}
