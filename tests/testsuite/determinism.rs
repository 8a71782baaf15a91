//! The same input gives byte-identical output.

use crate::site_test::{SiteTest, read_tree};
use vitrine::build::render_site;
use vitrine::output::FileContent;

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    let t = SiteTest::new("multilingual").build();
    let again = t.build_into("public-again");
    // Another copy of the same site, in another folder: no absolute paths leak.
    let other = SiteTest::new("multilingual").build();
    let first = read_tree(&t.out);
    assert!(first.len() > 50, "too few files: {}", first.len());
    for (name, tree) in [
        ("a second build", read_tree(&again)),
        ("another copy", read_tree(&other.out)),
    ] {
        let names: Vec<&String> = first.keys().collect();
        assert_eq!(names, tree.keys().collect::<Vec<_>>(), "{name} made other files");
        for (path, bytes) in &first {
            assert!(tree[path] == *bytes, "{path} differs in {name}");
        }
    }
}

/// A build renders one language at a time, each from that language's
/// views only; `serve` renders from every language's views at once. Both
/// give the same files, fallback copies, term pages and feeds included.
#[test]
fn a_build_a_language_at_a_time_equals_one_from_every_languages_views() {
    let t = SiteTest::new("multilingual").build();
    let built = read_tree(&t.out);
    let whole = render_site(&t.options).expect("render with every language's views");
    assert!(whole.files.len() > 50, "too few files: {}", whole.files.len());
    let languages = ["en/", "fr/", "ar/", "zh/"];
    for lang in languages {
        assert!(
            whole.files.iter().any(|f| f.path.starts_with(lang)),
            "no {lang} pages"
        );
    }
    for file in whole.files {
        let bytes = match file.content {
            FileContent::Bytes(b) => b,
            FileContent::Copy(p) => std::fs::read(p).expect("copied file"),
        };
        assert!(
            built.get(&file.path) == Some(&bytes),
            "{} differs between the build and a render from every language's views",
            file.path
        );
    }
}
