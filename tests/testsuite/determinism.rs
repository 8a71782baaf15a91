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

/// A template that walks a map (`{% for key, value in … %}`) sees its keys
/// in key order, as Hugo and Zola give them, the same in every build: the
/// front matter's `extra` (nested maps too), `site.extra`, `data/` files
/// and a page's `taxonomies`, whatever order their files write them in.
#[test]
fn maps_walked_by_a_template_come_in_key_order_in_every_build() {
    let keys = "zeta: 1\n  alpha: 2\n  mu: 3\n  beta: 4\n  omega: 5\n  kappa: 6\n  delta: 7\n  gamma: 8";
    let t = SiteTest::new("minimal")
        .edit_config(|c| format!("{c}\nextra:\n  {keys}\n"))
        .edit_config(|c| c.replace("  - name: tags", "  - name: tags\n  - name: topics\n  - name: places"))
        .write("data/figures.yaml", &format!("{}\n", keys.replace("\n  ", "\n")))
        .write(
            "content/notes/walk.md",
            &format!(
                "---\ntitle: \"Walk\"\ndate: 2024-03-01\ntemplate: walk.html\ntopics: [t]\nplaces: [p]\ntags: [g]\nextra:\n  {keys}\n  nested:\n    {}\n---\nBody.\n",
                keys.replace("\n  ", "\n    ")
            ),
        )
        .write(
            "themes/test/templates/walk.html",
            "<extra>{% for key, value in page.extra %}{{ key }},{% endfor %}</extra>\
             <nested>{% for key, value in page.extra.nested %}{{ key }},{% endfor %}</nested>\
             <site>{% for key, value in site.extra %}{{ key }},{% endfor %}</site>\
             <data>{% for key, value in site.data.figures %}{{ key }},{% endfor %}</data>\
             <terms>{% for key, value in page.taxonomies %}{{ key }},{% endfor %}</terms>",
        )
        .build();
    let sorted = "alpha,beta,delta,gamma,kappa,mu,omega,zeta,";
    let page = t.read("notes/walk/index.html");
    assert!(
        page.contains("<extra>alpha,beta,delta,gamma,kappa,mu,nested,omega,zeta,</extra>"),
        "{page}"
    );
    for part in ["nested", "site", "data"] {
        assert!(
            page.contains(&format!("<{part}>{sorted}</{part}>")),
            "{part}: {page}"
        );
    }
    assert!(page.contains("<terms>places,tags,topics,</terms>"), "{page}");
    let again = t.build_into("public-again");
    assert_eq!(
        std::fs::read_to_string(again.join("notes/walk/index.html")).expect("the page again"),
        page,
        "a second build walks the maps in another order"
    );
}
