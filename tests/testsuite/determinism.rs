//! The same input gives byte-identical output.

use crate::site_test::{SiteTest, read_tree};

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
