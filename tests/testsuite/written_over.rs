//! A change that reaches every page (a template, `site.yaml`) renders
//! every page again, and the build writes over the
//! last build's output: files whose bytes come out the same stay untouched
//! on disk (times kept), those that differ are written, those no longer
//! made are removed. The result is byte for byte a clean build's; a build
//! that fails leaves the output as it was.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::build_cache::{rebuilds_as_clean, times};
use crate::site_test::{SiteTest, read_tree};

/// The serve fixture with precompressed siblings, built once.
fn built() -> SiteTest {
    let t = SiteTest::new("serve-site").edit_config(|c| format!("{c}compress: [gz, br]\n"));
    let first = t.rebuild();
    assert!(
        first.written_over.is_none(),
        "a first build has nothing to write over"
    );
    t
}

fn edit(t: &SiteTest, file: &str, from: &str, to: &str) {
    let text = t.read_source(file);
    assert!(text.contains(from), "{file}: `{from}`");
    std::fs::write(t.root.join(file), text.replacen(from, to, 1)).expect("edit");
}

/// The names beside the output folder, where builds stage their files.
fn beside(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().expect("a parent"))
        .expect("list the parent")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The output's files and their times and inodes, before a change.
struct Before {
    files: BTreeMap<String, Vec<u8>>,
    stamps: BTreeMap<String, (SystemTime, u64)>,
}

/// Each output file's modification time and inode.
fn stamps(t: &SiteTest) -> BTreeMap<String, (SystemTime, u64)> {
    times(&t.out)
        .into_iter()
        .map(|(path, time)| {
            let meta = std::fs::metadata(t.out.join(&path)).expect("an output file");
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            (path, (time, inode))
        })
        .collect()
}

impl Before {
    fn of(t: &SiteTest) -> Before {
        let before = Before {
            files: read_tree(&t.out),
            stamps: stamps(t),
        };
        // Long enough for any rewrite to show in modification times.
        std::thread::sleep(Duration::from_millis(20));
        before
    }

    /// The files that differ now (or are new), after checking that every
    /// file that did not change kept its time and inode: it is the same
    /// file on disk, not written again.
    fn changed(&self, t: &SiteTest) -> Vec<String> {
        let now = stamps(t);
        let mut changed = Vec::new();
        for (path, bytes) in read_tree(&t.out) {
            match self.files.get(&path) == Some(&bytes) {
                true => assert_eq!(self.stamps[&path], now[&path], "{path} was written again"),
                false => changed.push(path),
            }
        }
        changed
    }
}

#[test]
fn a_template_change_showing_on_french_pages_rewrites_only_their_files() {
    let t = built();
    let before = Before::of(&t);
    let page = "themes/plain/templates/page.html";
    edit(
        &t,
        page,
        "{{ t(key=\"read-more\") }}",
        "{{ t(key=\"read-more\") }}{% if lang == \"fr\" %} !{% endif %}",
    );
    let report = rebuilds_as_clean(&t, "a template change French pages show");
    let (written, removed) = report.written_over.expect("written over the last output");
    let changed = before.changed(&t);
    assert!(
        changed.len() > 2,
        "the French pages show the message: {changed:?}"
    );
    assert!(
        changed.iter().all(|p| p.starts_with("fr/")),
        "only French files change: {changed:?}"
    );
    assert!(
        changed.iter().any(|p| p.ends_with(".html.br")),
        "siblings too: {changed:?}"
    );
    assert_eq!((written, removed), (changed.len(), 0), "what the report says");
    assert!(before.files.len() > 40, "{} files", before.files.len());
    assert!(t.rebuild().reused, "the record holds the output as written");
}

#[test]
fn files_no_longer_made_go_with_their_siblings_and_emptied_folders() {
    let t = built();
    let names = beside(&t.out);
    let before = Before::of(&t);
    // Ten to a page: the pagers' second pages go, and their folders.
    let paged = "news/page/2/index.html";
    assert!(t.exists(paged), "the fixture pages its news two by two");
    let t = t.edit_config(|c| c.replace("paginate_by: 2\ntheme", "paginate_by: 10\ntheme"));
    let report = rebuilds_as_clean(&t, "fewer pages to a pager");
    let (_, removed) = report.written_over.expect("written over the last output");
    assert!(removed > 0, "the pagers' pages were removed");
    t.assert_missing(paged);
    assert!(!t.out.join("news/page").exists(), "an emptied folder stays");
    before.changed(&t);
    assert_eq!(beside(&t.out), names, "nothing is left beside the output");
    let t = t.edit_config(|c| c.replace("paginate_by: 10\ntheme", "paginate_by: 2\ntheme"));
    rebuilds_as_clean(&t, "the pagers' pages back");
    t.assert_exists(paged);
}

#[test]
fn other_siblings_or_an_output_changed_by_hand_are_not_written_over() {
    let t = built();
    let t = t.edit_config(|c| c.replace("compress: [gz, br]", "compress: [gz]"));
    let report = rebuilds_as_clean(&t, "other precompressed siblings");
    assert!(
        report.written_over.is_none(),
        "siblings of other formats are not left"
    );
    assert!(!t.exists("index.html.br") && t.exists("index.html.gz"));
    // A page edited by hand, and a template changed: that page must not be
    // taken for the last build's.
    std::fs::write(t.out.join("fr/index.html"), "edited by hand").expect("edit the output");
    edit(
        &t,
        "themes/plain/templates/page.html",
        "<p class=\"ui\">",
        "<p class=\"ui more\">",
    );
    let report = rebuilds_as_clean(&t, "a template, with the output changed by hand");
    assert!(
        report.written_over.is_none(),
        "an output changed by hand is replaced whole"
    );
}

#[test]
fn a_failed_full_build_leaves_the_output_and_its_times_as_they_were() {
    let t = built();
    let names = beside(&t.out);
    let before = Before::of(&t);
    let template = "themes/plain/templates/page.html";
    let original = t.read_source(template);
    // Fails as each page renders, once others are written already.
    edit(
        &t,
        template,
        "<p class=\"ui\">",
        "<p class=\"ui\">{{ not_a_variable.field }}",
    );
    t.expect_error();
    assert!(before.changed(&t).is_empty(), "a failed build changed the output");
    assert_eq!(
        beside(&t.out),
        names,
        "a failed build left files beside the output"
    );
    std::fs::write(t.root.join(template), original).expect("mend it");
    assert!(t.rebuild().reused, "the output and its record are as they were");
}

/// A larger site, most of its files changed: those that come out the
/// same are still the same files on disk.
#[test]
fn a_template_change_leaves_the_files_it_does_not_change_untouched() {
    let t = SiteTest::corpus(300).edit_config(|c| format!("{c}compress: [gz]\n"));
    t.rebuild();
    let before = Before::of(&t);
    // Every HTML page extends the base template; feeds, the sitemap and
    // the search index do not.
    edit(
        &t,
        "themes/default/templates/base.html",
        "<body",
        "<body data-edited",
    );
    let report = rebuilds_as_clean(&t, "the base template");
    let (written, _) = report.written_over.expect("written over the last output");
    let changed = before.changed(&t);
    assert!(written > 1_000, "{written} files written");
    assert_eq!(written, changed.len());
    assert!(changed.len() < before.files.len(), "some files stay as they were");
    assert!(t.rebuild().reused, "the record holds the output as written");
}
