//! Incremental builds: after a content or static change, `vitrine build`
//! patches the last build's output, rendering only what the change
//! reaches, and the result is byte for byte what a clean build makes.
//! Changes it cannot follow (templates, images of the static folder) and
//! kept texts it cannot trust make a full build, still exact.

use std::time::Duration;

use crate::build_cache::{rebuilds_as_clean, times};
use crate::serve::article;
use crate::site_test::SiteTest;

/// The serve fixture with precompressed siblings, built once.
fn built() -> SiteTest {
    let t = SiteTest::new("serve-site").edit_config(|c| format!("{c}compress: [gz, br]\n"));
    let first = t.rebuild();
    assert!(first.patched.is_none(), "a first build has nothing to patch");
    t
}

fn write(t: &SiteTest, file: &str, text: &str) {
    let path = t.root.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn edit(t: &SiteTest, file: &str, from: &str, to: &str) {
    let text = t.read_source(file);
    assert!(text.contains(from), "{file}: `{from}`");
    write(t, file, &text.replacen(from, to, 1));
}

/// Builds; the output must equal a clean build's and, when `patched`,
/// have been patched rather than rendered whole.
fn check(t: &SiteTest, change: &str, patched: bool) {
    let report = rebuilds_as_clean(t, change);
    assert_eq!(
        report.patched.is_some(),
        patched,
        "{change}: patched {:?}; timings: {:?}",
        report.patched,
        report
            .timings
            .stages()
            .iter()
            .map(|s| &s.name)
            .collect::<Vec<_>>()
    );
}

/// Does something by hand to an output folder.
type Damage = fn(&std::path::Path);

/// With inputs changed, the output is checked while the patch runs: what
/// was done to it by hand is still found, and the build renders
/// everything rather than patch around it.
#[test]
fn an_output_changed_by_hand_is_found_while_an_edit_is_patched() {
    // A page the edit below does not reach.
    const UNTOUCHED: &str = "fr/news/visit/index.html";
    let cases: [(&str, Damage); 5] = [
        ("an output file edited by hand", |out| {
            std::fs::write(out.join(UNTOUCHED), "edited by hand").expect("edit an output file")
        }),
        ("a stray file in the output", |out| {
            std::fs::write(out.join("stray.html"), "left by someone").expect("add a file")
        }),
        // Found by the time of the folder it was put in.
        ("a stray file deep in a page's folder", |out| {
            std::fs::write(out.join("fr/news/visit/stray.html"), "left by someone").expect("add a file")
        }),
        ("a stray folder in a page's folder", |out| {
            let folder = out.join("fr/news/visit/left/behind");
            std::fs::create_dir_all(&folder).expect("add folders");
            std::fs::write(folder.join("index.html"), "left by someone").expect("add a file")
        }),
        ("an output file removed", |out| {
            std::fs::remove_file(out.join(UNTOUCHED)).expect("remove an output file")
        }),
    ];
    let t = built();
    let harvest = "content/news/harvest.md";
    let modified = |t: &SiteTest| {
        std::fs::metadata(t.out.join(UNTOUCHED))
            .and_then(|m| m.modified())
            .expect("the page's time")
    };
    for (i, (case, damage)) in cases.into_iter().enumerate() {
        // The edit alone is patched, and leaves that page as it was.
        let before = modified(&t);
        std::fs::write(
            t.root.join(harvest),
            t.read_source(harvest) + &format!("\nEdit {i}.\n"),
        )
        .expect("edit");
        check(&t, &format!("{case}: the edit alone"), true);
        assert_eq!(modified(&t), before, "{case}: the edit reached {UNTOUCHED}");
        std::fs::write(
            t.root.join(harvest),
            t.read_source(harvest) + &format!("\nEdit {i} again.\n"),
        )
        .expect("edit");
        damage(&t.out);
        check(&t, case, false);
    }
}

#[test]
fn every_content_change_patches_the_output_as_a_clean_build_would() {
    let t = built();
    let harvest = "content/news/harvest.md";
    edit(&t, harvest, "Rice harvest", "Record rice harvest");
    check(&t, "title", true);
    edit(&t, "content/news/visit.md", "2025-09-02", "2025-06-01");
    check(&t, "date (the page moves to another pager)", true);
    edit(&t, harvest, "\"farming\"", "\"agriculture\", \"rice\"");
    check(&t, "tags", true);
    edit(
        &t,
        harvest,
        "---\n",
        "---\nchanges:\n  - date: 2025-09-20\n    note: \"Figures updated.\"\n",
    );
    check(&t, "change note", true);
    let festival = "content/news/festival.md";
    edit(&t, festival, "---\n", "---\ndraft: true\n");
    check(&t, "draft", true);
    edit(&t, festival, "draft: true\n", "");
    check(&t, "draft removed", true);
    write(
        &t,
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    check(&t, "new page", true);
    write(
        &t,
        "content/news/festival.fr.md",
        "---\ntitle: \"Fête des lanternes\"\ndate: 2025-07-01T09:00:00+07:00\ntags: [\"fête\"]\n---\nDes lanternes.\n",
    );
    check(&t, "new translation", true);
    std::fs::rename(
        t.root.join("content/news/summit.md"),
        t.root.join("content/news/summit-2025.md"),
    )
    .expect("rename");
    check(&t, "renamed page", true);
    std::fs::remove_file(t.root.join("content/news/visit.fr.md")).expect("remove");
    check(&t, "deleted translation: French falls back to English", true);
    std::fs::remove_file(t.root.join(festival)).expect("remove");
    check(&t, "deleted page", true);
    write(
        &t,
        "content/culture/ao-dai.md",
        &article("Ao dai", "2025-05-01", "A long tunic."),
    );
    check(&t, "new folder with a page", true);
    write(
        &t,
        "content/news/tunic-week.md",
        &article(
            "Tunic week",
            "2025-05-02",
            "See [the tunic](@/culture/ao-dai.md).",
        ),
    );
    check(&t, "a page linking to another", true);
    edit(
        &t,
        "content/culture/ao-dai.md",
        "---\n",
        "---\nslug: long-tunic\n",
    );
    check(&t, "slug: the linking page follows", true);
    assert!(
        t.read("news/tunic-week/index.html")
            .contains("/culture/long-tunic/")
    );
    edit(
        &t,
        "content/culture/ao-dai.md",
        "A long tunic.",
        "A long silk tunic.",
    );
    check(&t, "body", true);
    std::fs::remove_file(t.root.join("content/news/_index.fr.md")).expect("remove");
    rebuilds_as_clean(&t, "a section's translation deleted");
    edit(&t, "static/site.css", "{", "{ ");
    check(&t, "static file", true);
    write(&t, "static/extra.js", "let x = 1;\n");
    check(&t, "new static file", true);
    std::fs::remove_file(t.root.join("static/extra.js")).expect("remove");
    check(&t, "deleted static file", true);
    // What a patch cannot follow is built in full, still exact.
    edit(&t, "themes/plain/templates/page.html", "<", "<!-- edited --><");
    check(&t, "template", false);
    edit(&t, "locales/fr/main.ftl", "=", "= ");
    check(&t, "Fluent file", true);
    edit(
        &t,
        "content/news/harvest.md",
        "Record rice harvest",
        "Rice harvest",
    );
    edit(
        &t,
        "site.yaml",
        "title: \"Serve fixture\"",
        "title: \"Serve fixture 2\"",
    );
    check(&t, "site.yaml and a page together", false);
    assert!(t.rebuild().reused, "after the last change, nothing changed");
}

#[test]
fn a_patched_build_leaves_every_other_file_untouched() {
    let t = built();
    let before = times(&t.out);
    std::thread::sleep(Duration::from_millis(20));
    edit(
        &t,
        "content/news/visit.md",
        "\n---\n",
        "\n---\nAn added first line.\n",
    );
    let report = t.rebuild();
    let (_, written, _) = report.patched.expect("patched");
    let after = times(&t.out);
    let touched: Vec<&String> = after
        .iter()
        .filter(|(path, time)| {
            before
                .iter()
                .find(|(p, _)| p == path)
                .is_none_or(|(_, t)| t != time)
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        touched.iter().any(|p| *p == "news/visit/index.html"),
        "{touched:?}"
    );
    assert!(
        !touched.iter().any(|p| p.starts_with("news/harvest/")),
        "{touched:?}"
    );
    assert!(
        touched.len() < before.len() / 2 && written > 0,
        "{} of {} files rewritten",
        touched.len(),
        before.len()
    );
    // The record of a patched output matches it: nothing to do next.
    assert!(
        t.rebuild().reused,
        "the output of a patch does not match its record"
    );
    let said = String::from_utf8_lossy(
        &t.cmd(&["build", "--output", t.out.to_str().expect("UTF-8")])
            .stderr,
    )
    .into_owned();
    assert!(said.contains("Built "), "{said}");
}

#[test]
fn a_failed_patch_leaves_the_output_and_its_record() {
    let t = built();
    let before = crate::site_test::read_tree(&t.out);
    edit(&t, "content/news/visit.md", "title:", "title: [unclosed");
    t.expect_error();
    assert!(
        crate::site_test::read_tree(&t.out) == before,
        "a failed build changed the output"
    );
    edit(&t, "content/news/visit.md", "title: [unclosed", "title:");
    assert!(
        t.rebuild().reused,
        "the record of the last good build still holds"
    );
}

#[test]
fn kept_texts_that_are_damaged_or_do_not_match_are_not_trusted() {
    let t = built();
    let texts = cache_file(&t, "texts");
    let whole = std::fs::read(&texts).expect("texts");
    std::fs::write(&texts, &whole[..whole.len() / 2]).expect("cut");
    edit(&t, "content/news/visit.md", "title:", "title: Edited");
    check(&t, "texts cut in half", false);
    // Texts of an older build: those of files unchanged since are still
    // right, and used; one that differs from the record is refused.
    let older = std::fs::read(&texts).expect("texts");
    edit(
        &t,
        "content/news/visit.md",
        "title: Edited",
        "title: Edited again",
    );
    check(&t, "an edit, texts kept", true);
    std::fs::write(&texts, &older).expect("older texts");
    edit(&t, "content/news/harvest.md", "Rice harvest", "Rice harvest 2025");
    check(&t, "another file, whose older text is still right", true);
    edit(
        &t,
        "content/news/visit.md",
        "title: Edited again",
        "title: Edited once more",
    );
    check(&t, "the file whose kept text is older than the record", false);
    check_after_full(&t);
}

/// After a full build, the kept texts are whole again: the next change
/// patches.
fn check_after_full(t: &SiteTest) {
    edit(
        t,
        "content/news/visit.md",
        "title: Edited once more",
        "title: Edited",
    );
    check(t, "after a full build", true);
}

/// Whether a build took the last build's Markdown records rather than
/// rendering every page's Markdown again.
fn took_kept_markdown(report: &vitrine::build::BuildReport) -> bool {
    report
        .timings
        .stages()
        .iter()
        .any(|s| s.name == "markdown: the last build's records, kept")
}

/// The file of the build cache with this extension beside the record of
/// `t.out` (the clean builds compared with keep records of their own).
fn cache_file(t: &SiteTest, extension: &str) -> std::path::PathBuf {
    let path = vitrine::cache::record_file(&t.root, &t.out).with_extension(extension);
    assert!(path.is_file(), "no {} in the build cache", path.display());
    path
}

#[test]
fn kept_markdown_records_are_taken_and_never_trusted_when_damaged() {
    let t = built();
    let visit = "content/news/visit.md";
    edit(&t, visit, "title:", "title: Edited");
    let report = rebuilds_as_clean(&t, "a title, the Markdown kept");
    assert!(report.patched.is_some() && took_kept_markdown(&report));
    // Patched twice in a row: the records the patch kept are taken too.
    edit(&t, "content/news/harvest.md", "Rice harvest", "Rice harvest 2025");
    let report = rebuilds_as_clean(&t, "another page, the Markdown kept by a patch");
    assert!(report.patched.is_some() && took_kept_markdown(&report));

    // Every byte of the store changed: a new page renders its neighbours
    // from the last build's bodies, which read as damaged, and the build
    // renders everything.
    let store = cache_file(&t, "store");
    let damaged: Vec<u8> = std::fs::read(&store)
        .expect("store")
        .iter()
        .map(|b| b ^ 0x5a)
        .collect();
    std::fs::write(&store, damaged).expect("damage");
    write(
        &t,
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    let report = rebuilds_as_clean(&t, "a damaged store");
    assert!(report.patched.is_none(), "a damaged store is not patched from");

    // Records cut short are ignored: the last build's Markdown is rendered
    // again, and the output patched all the same.
    let records = cache_file(&t, "bodies");
    let whole = std::fs::read(&records).expect("records");
    std::fs::write(&records, &whole[..whole.len() / 2]).expect("cut");
    edit(&t, visit, "title: Edited", "title: Edited again");
    let report = rebuilds_as_clean(&t, "records cut short");
    assert!(report.patched.is_some() && !took_kept_markdown(&report));
    // That patch kept records of its own: the next one takes them.
    edit(&t, visit, "title: Edited again", "title: Edited");
    let report = rebuilds_as_clean(&t, "after records were rendered again");
    assert!(report.patched.is_some() && took_kept_markdown(&report));
}

/// A patch keeps its Markdown records for the next one, packing again only
/// the runs of records that changed. A body edited in a later run, then
/// its page patched again from the kept records (a title edit renders it
/// without its Markdown), shows the edited body: a run kept as the last
/// build packed it would give the old one.
#[test]
fn kept_markdown_records_follow_every_edit_however_many_pages() {
    let t = built();
    // Enough entries for several runs of records (512 a run).
    for n in 0..700 {
        let text = article(&format!("Brief {n}"), "2025-01-01", &format!("Brief number {n}."));
        write(&t, &format!("content/news/brief-{n:03}.md"), &text);
    }
    rebuilds_as_clean(&t, "many new pages");
    let brief = "content/news/brief-650.md";
    edit(&t, brief, "Brief number 650.", "Brief number 650, edited.");
    check(&t, "a body in a later run", true);
    edit(&t, brief, "title: \"Brief 650\"", "title: \"Brief 650 again\"");
    let report = rebuilds_as_clean(&t, "its title, its body from the kept records");
    assert!(report.patched.is_some() && took_kept_markdown(&report));
    let page = t.read("news/brief-650/index.html");
    assert!(page.contains("Brief number 650, edited.") && page.contains("Brief 650 again"));
}

/// Whether a patch took the last build's related pages rather than
/// computing them again.
fn took_kept_related(report: &vitrine::build::BuildReport) -> bool {
    report
        .timings
        .stages()
        .iter()
        .any(|s| s.name == "incremental: the last build's model, its related pages kept")
}

#[test]
fn kept_related_pages_are_taken_and_never_trusted_when_damaged() {
    // The fixture's pages list their related pages.
    let t = SiteTest::new("serve-site");
    let template = "themes/plain/templates/page.html";
    let related_list = "</main>\n<ul>{% for r in page.related %}<li>{{ r.title }}</li>{% endfor %}</ul>";
    let t = t.replace(template, "</main>", related_list);
    assert!(
        t.rebuild().patched.is_none(),
        "a first build has nothing to patch"
    );
    let (visit, harvest) = ("content/news/visit.md", "content/news/harvest.md");
    // Kept by a full build, then by each patch: a new page and new tags
    // change which pages are related, and the next patch takes the new.
    edit(&t, visit, "title:", "title: Edited");
    let report = rebuilds_as_clean(&t, "a title, the related pages kept");
    assert!(report.patched.is_some() && took_kept_related(&report));
    write(
        &t,
        "content/news/summit.md",
        "---\ntitle: \"Regional summit\"\ndate: 2025-09-10T09:00:00+07:00\ntags: [\"diplomacy\"]\n---\nLeaders met.\n",
    );
    rebuilds_as_clean(&t, "a new page");
    assert!(
        t.read("news/visit/index.html")
            .contains("<li>Regional summit</li>"),
        "the new page is related to one sharing its tag"
    );
    assert!(t.read("news/visit/index.html").contains("<li>Rice harvest</li>"));
    edit(&t, harvest, "\"diplomacy\", \"farming\"", "\"farming\"");
    let report = rebuilds_as_clean(&t, "a tag gone, the related pages a patch kept");
    assert!(report.patched.is_some() && took_kept_related(&report));
    assert!(
        !t.read("news/visit/index.html").contains("<li>Rice harvest</li>"),
        "a page sharing no tag is not related"
    );
    // A body edit renders its page from the related pages taken.
    edit(
        &t,
        visit,
        "welcomed the delegation",
        "welcomed the delegation warmly",
    );
    let report = rebuilds_as_clean(&t, "a body, after the tags changed");
    assert!(report.patched.is_some() && took_kept_related(&report));

    // One byte changed, another build's, or cut short: not taken, and
    // the output patched all the same.
    let related = cache_file(&t, "related");
    let older = std::fs::read(&related).expect("related");
    let mut bytes = older.clone();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&related, &bytes).expect("damage");
    edit(&t, visit, "title: Edited", "title: Edited again");
    let report = rebuilds_as_clean(&t, "related pages damaged");
    assert!(report.patched.is_some() && !took_kept_related(&report));
    std::fs::write(&related, &older).expect("another build's");
    edit(&t, visit, "title: Edited again", "title: Edited");
    let report = rebuilds_as_clean(&t, "another build's related pages");
    assert!(report.patched.is_some() && !took_kept_related(&report));
    let whole = std::fs::read(&related).expect("related");
    std::fs::write(&related, &whole[..whole.len() / 2]).expect("cut");
    edit(&t, visit, "title: Edited", "title: Edited again");
    let report = rebuilds_as_clean(&t, "related pages cut short");
    assert!(report.patched.is_some() && !took_kept_related(&report));
}

/// How many documents of the last build a build took rather than reading
/// their files again (`None`: it did not patch).
fn kept_documents(report: &vitrine::build::BuildReport) -> Option<usize> {
    report.timings.stages().iter().find_map(|s| {
        s.name
            .strip_prefix("build cache: the last build's documents, ")?
            .strip_suffix(" kept")?
            .parse()
            .ok()
    })
}

#[test]
fn kept_documents_are_taken_and_never_trusted_when_damaged() {
    let t = built();
    let visit = "content/news/visit.md";
    edit(&t, visit, "title:", "title: Edited");
    let report = rebuilds_as_clean(&t, "a title, the documents kept");
    let all = kept_documents(&report).expect("patched");
    assert!(all > 5, "{all} documents kept");
    // A page added and one removed: the documents a patch kept are taken.
    write(
        &t,
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    let report = rebuilds_as_clean(&t, "a new page, the documents kept by a patch");
    // The edited page is read again: its document held its text.
    assert_eq!(kept_documents(&report), Some(all - 1));
    std::fs::remove_file(t.root.join("content/news/summit.md")).expect("remove");
    let report = rebuilds_as_clean(&t, "a page removed");
    assert!(kept_documents(&report).is_some_and(|n| n >= all - 1));

    // One byte changed, or cut short: nothing is taken, every file is read,
    // and the output is patched all the same.
    let documents = cache_file(&t, "documents");
    let mut bytes = std::fs::read(&documents).expect("documents");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&documents, &bytes).expect("damage");
    edit(&t, visit, "title: Edited", "title: Edited again");
    let report = rebuilds_as_clean(&t, "documents damaged");
    assert_eq!(kept_documents(&report), Some(0));
    let documents = cache_file(&t, "documents");
    let whole = std::fs::read(&documents).expect("documents");
    std::fs::write(&documents, &whole[..whole.len() - 1]).expect("cut");
    edit(&t, visit, "title: Edited again", "title: Edited");
    let report = rebuilds_as_clean(&t, "documents cut short");
    assert_eq!(kept_documents(&report), Some(0));
    // That patch kept documents of its own: the next one takes them.
    edit(&t, "content/news/harvest.md", "Rice harvest", "Rice harvest 2025");
    let report = rebuilds_as_clean(&t, "after documents were read again");
    assert!(kept_documents(&report).is_some_and(|n| n >= all - 2));
}

/// A language without dated pages of its own says the site's newest date
/// in its feeds without entries: another language's page moves it, and a
/// patch follows.
#[test]
fn feeds_of_a_language_without_dated_pages_follow_another_languages_newest_page() {
    let t = SiteTest::new("serve-site");
    for english in ["harvest.md", "festival.md", "visit.md"] {
        std::fs::remove_file(t.root.join("content/news").join(english)).expect("remove");
    }
    t.rebuild();
    edit(&t, "content/news/visit.fr.md", "2025-09-02", "2025-10-05");
    check(&t, "the French page's date, English having none", true);
    assert!(
        t.read("news/atom.xml")
            .contains("<updated>2025-10-05T09:00:00+07:00</updated>"),
        "the English news feed says the site's newest date"
    );
    write(
        &t,
        "content/news/silk.fr.md",
        "---\ntitle: \"Soie\"\ndate: 2025-11-01T09:00:00+07:00\n---\nDe la soie.\n",
    );
    check(&t, "a newer French page", true);
    assert!(
        t.read("atom.xml")
            .contains("<updated>2025-11-01T09:00:00+07:00</updated>")
    );
    edit(
        &t,
        "content/news/silk.fr.md",
        "---\n",
        "---\nupdated: 2025-12-01T09:00:00+07:00\n",
    );
    check(&t, "the French page updated, its place in lists kept", true);
    assert!(
        t.read("atom.xml")
            .contains("<updated>2025-12-01T09:00:00+07:00</updated>")
    );
}
