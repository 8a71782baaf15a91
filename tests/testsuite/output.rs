//! The rest of the output: internal links, page bundles, aliases,
//! robots.txt, 404 pages, static files and the root language picker.

use crate::site_test::SiteTest;

const BASE: &str = "https://portal.example.org";

#[test]
fn internal_links_resolve_to_the_same_page_in_the_current_language() {
    let t = SiteTest::new("multilingual").build();
    t.assert_file_contains(
        "culture/tet/index.html",
        &format!("<a href=\"{BASE}/culture/ao-dai/\">áo dài</a>"),
    )
    .assert_file_contains(
        "en/culture/tet/index.html",
        &format!("<a href=\"{BASE}/en/culture/ao-dai/\">ao dai</a>"),
    )
    // French shows the English text as a fallback; its link goes to the
    // French page, under its localised slug.
    .assert_file_contains(
        "fr/culture/tet/index.html",
        &format!("<a href=\"{BASE}/fr/culture/robe-ao-dai/\">ao dai</a>"),
    )
    .assert_file_not_contains("culture/tet/index.html", "@/");
}

#[test]
fn page_bundle_assets_are_copied_beside_each_language_of_the_page() {
    let t = SiteTest::new("multilingual").build();
    let source = std::fs::read(t.root.join("content/culture/hue-citadel/citadel.svg")).expect("source");
    for copy in [
        "culture/hue-citadel/citadel.svg",
        "en/culture/hue-citadel/citadel.svg",
        "fr/culture/hue-citadel/citadel.svg",
    ] {
        assert_eq!(t.read_bytes(copy), source, "{copy}");
    }
    // The relative image in the Markdown works from the page's folder.
    t.assert_file_contains("culture/hue-citadel/index.html", "src=\"citadel.svg\"")
        // Markdown files of the bundle are pages, not assets.
        .assert_missing("culture/hue-citadel/index.md")
        .assert_missing("en/culture/hue-citadel/index.en.md");
}

#[test]
fn aliases_become_redirect_pages() {
    let t = SiteTest::new("multilingual").build();
    let target = format!("{BASE}/culture/ao-dai/");
    t.assert_file_contains(
        "cu/ao-dai/index.html",
        &format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">"),
    )
    .assert_file_contains(
        "cu/ao-dai/index.html",
        &format!("<link rel=\"canonical\" href=\"{target}\">"),
    )
    .assert_file_contains("cu/ao-dai/index.html", "noindex");
}

#[test]
fn robots_txt_names_the_sitemap_and_static_files_are_copied() {
    let t = SiteTest::new("multilingual").build();
    t.assert_file_contains("robots.txt", &format!("Sitemap: {BASE}/sitemap.xml"))
        .assert_file_contains("robots.txt", "User-agent: *")
        .assert_file_contains("site.css", "body { color: black; }");
}

#[test]
fn every_language_has_a_404_page_in_its_language() {
    let t = SiteTest::new("multilingual").build();
    for (page, lang, text) in [
        ("404.html", "vi", "Không tìm thấy trang"),
        ("en/404.html", "en", "Page not found"),
        ("fr/404.html", "fr", "Page introuvable"),
        ("ar/404.html", "ar", "الصفحة غير موجودة"),
        ("zh/404.html", "zh", "找不到页面"),
    ] {
        t.assert_file_contains(page, &format!("<html lang=\"{lang}\""))
            .assert_file_contains(page, &format!("<h1 class=\"not-found\">{text}</h1>"));
    }
}

#[test]
fn without_the_default_language_at_root_the_root_lists_every_language() {
    let t = SiteTest::new("multilingual")
        .replace(
            "site.yaml",
            "default_language_at_root: true",
            "default_language_at_root: false",
        )
        .build();
    let root = t.read("index.html");
    for (code, name) in [
        ("vi", "Tiếng Việt"),
        ("en", "English"),
        ("fr", "Français"),
        ("ar", "العربية"),
        ("zh", "中文"),
    ] {
        let link = format!("<a href=\"{BASE}/{code}/\" hreflang=\"{code}\"");
        let at = root
            .find(&link)
            .unwrap_or_else(|| panic!("the root does not link {code}:\n{root}"));
        let close = at + root[at..].find("</a>").expect("</a>");
        assert!(
            root[at..close].ends_with(name),
            "the {code} link is not named {name}"
        );
    }
    t.assert_file_contains("vi/index.html", "<html lang=\"vi\" dir=\"ltr\">")
        .assert_file_contains("vi/index.html", "Trang chủ")
        .assert_exists("vi/culture/ao-dai/index.html")
        .assert_exists("vi/404.html")
        // Static hosts serve /404.html: the default language's page is there too.
        .assert_file_contains("404.html", "<html lang=\"vi\"")
        .assert_exists("vi/atom.xml")
        .assert_missing("culture/ao-dai/index.html")
        .assert_file_contains(
            "vi/culture/tet/index.html",
            &format!("<a href=\"{BASE}/vi/culture/ao-dai/\">"),
        )
        .assert_file_contains("sitemap.xml", &format!("<loc>{BASE}/vi/culture/ao-dai/</loc>"));
}

/// Past 10,000 URLs the sitemap is an index of numbered files: each lists
/// its share of the URLs, in order, and every URL is in one of them.
#[test]
fn a_large_site_s_sitemap_is_an_index_of_numbered_files() {
    let mut t = SiteTest::new("minimal");
    let notes = 10_050;
    for i in 0..notes {
        t = t.write(
            &format!("content/notes/n{i:05}.md"),
            &format!("---\ntitle: N{i}\ndate: 2024-01-01\n---\nNote {i}.\n"),
        );
    }
    let t = t.build();
    let base = "https://minimal.example.org";
    let locs = |file: &str| -> Vec<String> {
        t.read(file)
            .split("<loc>")
            .skip(1)
            .map(|rest| rest.split("</loc>").next().expect("a closed loc").to_string())
            .collect()
    };
    let index = t.read("sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    assert_eq!(
        locs("sitemap.xml"),
        [format!("{base}/sitemap-1.xml"), format!("{base}/sitemap-2.xml")]
    );
    let (first, second) = (locs("sitemap-1.xml"), locs("sitemap-2.xml"));
    assert_eq!(first.len(), 10_000, "a full first file");
    assert!(!second.is_empty(), "the rest in the second");
    let urls: Vec<&String> = first.iter().chain(&second).collect();
    let unique: std::collections::BTreeSet<&String> = urls.iter().copied().collect();
    assert_eq!(unique.len(), urls.len(), "a URL listed twice");
    for i in [0, 4_999, notes - 1] {
        let url = format!("{base}/notes/n{i:05}/");
        assert!(unique.contains(&url), "{url} is not in the sitemap");
    }
}

/// A host serves the output as another user, so every folder must be
/// 0755 and every file 0644 whatever umask the build ran under: under the
/// usual 022 the folders are made so, under a stricter one the staged
/// tree is walked and each folder fixed. Built twice, so the second build
/// also swaps out an output the first left.
#[cfg(unix)]
#[test]
fn every_output_folder_and_file_is_readable_by_everyone_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    for umask in ["022", "027", "077"] {
        let t = SiteTest::new("multilingual");
        for _ in 0..2 {
            let run = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("umask {umask} && exec \"$0\" build --clean"))
                .arg(env!("CARGO_BIN_EXE_vitrine"))
                .current_dir(&t.root)
                .env("NO_COLOR", "1")
                .output()
                .expect("run the vitrine binary");
            assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        }
        let out = t.root.join("public");
        let mut stack = vec![out.clone()];
        let (mut folders, mut files) = (0, 0);
        while let Some(folder) = stack.pop() {
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
            assert_eq!(mode(&folder), 0o755, "umask {umask}: {}", folder.display());
            folders += 1;
            for entry in std::fs::read_dir(&folder).expect("read the output").flatten() {
                let path = entry.path();
                if entry.file_type().expect("file type").is_dir() {
                    stack.push(path);
                } else {
                    assert_eq!(mode(&path), 0o644, "umask {umask}: {}", path.display());
                    files += 1;
                }
            }
        }
        assert!(
            folders > 10 && files > 20,
            "umask {umask}: {folders} folders, {files} files"
        );
        let beside: Vec<_> = std::fs::read_dir(&t.root)
            .expect("read the site folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public."))
            .collect();
        assert!(
            beside.is_empty(),
            "umask {umask}: left beside the output: {beside:?}"
        );
    }
}
