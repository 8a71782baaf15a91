//! Rebuilds with the build cache after the changes that move, add or
//! remove more than one page's text: shortcodes, bundle files and the
//! images Markdown resizes, whole sections renamed, moved or deleted,
//! Fluent and data files that come and go, a sitemap growing past one file
//! and back. After each, the output must be byte for byte what a clean
//! build of the same input makes.

use image::{ImageEncoder, Rgb, RgbImage};

use crate::build_cache::rebuilds_as_clean;
use crate::site_test::SiteTest;

/// A PNG of `width` × `height` whose pixels depend on `seed`.
fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, seed])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("encode a PNG");
    out
}

fn remove(t: &SiteTest, path: &str) {
    let path = t.root.join(path);
    if path.is_dir() {
        std::fs::remove_dir_all(&path).expect("remove a folder");
    } else {
        std::fs::remove_file(&path).expect("remove a file");
    }
}

fn rename(t: &SiteTest, from: &str, to: &str) {
    std::fs::rename(t.root.join(from), t.root.join(to)).expect("rename");
}

#[test]
fn shortcodes_bundle_files_and_their_images_build_again_as_a_clean_build_would() {
    let t = SiteTest::portal();
    let bundle = "content/culture/hue-citadel";
    let t = t
        .write_bytes(&format!("{bundle}/gate.png"), png(1600, 900, 10))
        .write(&format!("{bundle}/plan.txt"), "The citadel's plan.\n");
    let t = t.replace(
        &format!("{bundle}/index.md"),
        "## Tham quan",
        "![Cổng Ngọ Môn](gate.png)\n\n## Tham quan",
    );
    assert!(!t.rebuild().reused, "a first build has nothing to reuse");

    let t = t.replace(
        "themes/default/templates/shortcodes/key_figure.html",
        "<p class=\"sc-kf-label\">",
        "<p class=\"sc-kf-label\" data-edited>",
    );
    rebuilds_as_clean(&t, "a shortcode's template");
    std::fs::write(t.root.join(bundle).join("gate.png"), png(1200, 1000, 200)).expect("replace");
    rebuilds_as_clean(&t, "a bundle's image replaced (other size and pixels)");
    std::fs::write(t.root.join(bundle).join("plan.txt"), "The plan, revised.\n").expect("edit");
    rebuilds_as_clean(&t, "a bundle's other file edited");
    let t = t.write(&format!("{bundle}/map.txt"), "A map.\n");
    rebuilds_as_clean(&t, "a file added to a bundle");
    remove(&t, &format!("{bundle}/plan.txt"));
    rebuilds_as_clean(&t, "a file removed from a bundle");
    let t = t.replace(
        "static/images/covers/bowl.svg",
        "width=\"1200\" height=\"630\"",
        "width=\"1000\" height=\"500\"",
    );
    rebuilds_as_clean(&t, "an SVG a shortcode shows, resized");
    remove(&t, &format!("{bundle}/gate.png"));
    let t = t.replace(&format!("{bundle}/index.md"), "![Cổng Ngọ Môn](gate.png)\n\n", "");
    rebuilds_as_clean(&t, "the image and its use removed");
    assert!(t.rebuild().reused, "after the last change, nothing changed");
}

#[test]
fn sections_renamed_moved_or_deleted_build_again_as_a_clean_build_would() {
    let t = SiteTest::portal();
    assert!(!t.rebuild().reused, "a first build has nothing to reuse");

    let t = t.replace("content/culture/_index.md", "title: \"", "title: \"Mới: ");
    rebuilds_as_clean(&t, "a section's title (menus and breadcrumbs show it)");
    rename(&t, "content/culture/tet.md", "content/history/tet.md");
    rebuilds_as_clean(&t, "a page moved to another section, its translations left");
    let t = t
        .write("content/economy/_index.md", "---\ntitle: \"Kinh tế\"\n---\nKinh tế.\n")
        .write("content/economy/_index.fr.md", "---\ntitle: \"Économie\"\n---\nL'économie.\n")
        .write(
            "content/economy/rice.md",
            "---\ntitle: \"Lúa gạo\"\ndate: 2025-09-01T08:00:00+07:00\ntags: [\"nông nghiệp\"]\n---\nXuất khẩu gạo.\n",
        )
        .write(
            "content/economy/rice.en.md",
            "---\ntitle: \"Rice\"\ndate: 2025-09-01T08:00:00+07:00\ntags: [\"farming\"]\n---\nRice exports.\n",
        )
        .write(
            "content/economy/coffee.md",
            "---\ntitle: \"Cà phê\"\ndate: 2025-08-01T08:00:00+07:00\n---\nXem [phở](@/culture/pho.md).\n",
        );
    rebuilds_as_clean(&t, "a new section with pages and translations");
    rename(&t, "content/economy", "content/kinh-te");
    rebuilds_as_clean(&t, "a whole section renamed");
    remove(&t, "content/kinh-te/_index.fr.md");
    rebuilds_as_clean(&t, "a section's translation removed");
    let t = t.write(
        "content/kinh-te/_index.fr.md",
        "---\ntitle: \"Économie du pays\"\n---\nL'économie.\n",
    );
    rebuilds_as_clean(&t, "a section's translation added");
    remove(&t, "content/kinh-te");
    rebuilds_as_clean(&t, "a whole section deleted");
    assert!(t.rebuild().reused, "after the last change, nothing changed");
}

#[test]
fn fluent_and_data_files_that_come_and_go_build_again_as_a_clean_build_would() {
    let t = SiteTest::portal();
    assert!(!t.rebuild().reused, "a first build has nothing to reuse");

    let t = t.write("locales/fr/extra.ftl", "extra-note = Une note.\n");
    rebuilds_as_clean(&t, "a Fluent file added");
    remove(&t, "locales/fr/extra.ftl");
    rebuilds_as_clean(&t, "a Fluent file removed");
    let t = t.write("data/partners.yaml", "- name: \"A\"\n- name: \"B\"\n");
    rebuilds_as_clean(&t, "a data file added");
    remove(&t, "data/partners.yaml");
    rebuilds_as_clean(&t, "a data file removed");
    remove(&t, "locales/ru");
    rebuilds_as_clean(&t, "a language's Fluent folder removed (its pages fall back)");
    assert!(t.rebuild().reused, "after the last change, nothing changed");
}

/// A site that grows past 10,000 URLs, then falls back under, each time
/// by patching the output: the sitemap becomes an index of numbered files
/// and then one file again, as a clean build makes it, and the numbered
/// files a patch no longer makes are removed.
#[test]
fn a_sitemap_crossing_10000_urls_either_way_builds_again_as_a_clean_build_would() {
    let note = |i: usize| {
        (
            format!("content/notes/n{i:05}.md"),
            format!("---\ntitle: N{i}\ndate: 2024-01-01\n---\nNote {i}.\n"),
        )
    };
    let mut t = SiteTest::new("minimal");
    for i in 0..9_990 {
        let (path, text) = note(i);
        t = t.write(&path, &text);
    }
    let t = t.build();
    let urls = t.read("sitemap.xml").matches("<loc>").count();
    assert!(
        urls <= 10_000 && !t.exists("sitemap-1.xml"),
        "one file for {urls} URLs"
    );
    // Just past the limit.
    let added: Vec<usize> = (9_990..9_990 + 10_001 - urls).collect();
    for &i in &added {
        let (path, text) = note(i);
        std::fs::write(t.root.join(path), text).expect("add a note");
    }
    let report = rebuilds_as_clean(&t, "notes added past 10,000 URLs");
    assert!(report.patched.is_some(), "the growth was not patched");
    t.assert_exists("sitemap-1.xml").assert_exists("sitemap-2.xml");
    t.assert_file_contains("sitemap.xml", "<sitemapindex");
    // And back under it.
    for &i in &added {
        std::fs::remove_file(t.root.join(note(i).0)).expect("remove a note");
    }
    let report = rebuilds_as_clean(&t, "notes removed under 10,000 URLs");
    assert!(report.patched.is_some(), "the shrinking was not patched");
    t.assert_missing("sitemap-1.xml").assert_missing("sitemap-2.xml");
    assert_eq!(t.read("sitemap.xml").matches("<loc>").count(), urls);
}
