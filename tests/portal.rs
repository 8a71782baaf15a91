//! Tests of the sample portal and of what it needs from the generator:
//! content types, shortcodes, related articles, the documents filter, and the
//! built portal itself (languages, hreflang, RTL, notices, key figures).
//! Browser checks (Nu HTML checker, axe-core) live in `portal_browser.rs`.

use std::path::{Path, PathBuf};

use vitrine::build::{BuildOptions, build};
use vitrine::diagnostics::Diagnostic;

/// A copy of `tests/fixtures/<name>` in a temporary folder, so that a test
/// may change files before building.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in walkdir::WalkDir::new(&source).into_iter().flatten() {
            let rel = entry.path().strip_prefix(&source).expect("below the fixture");
            let target = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
        Fixture { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    fn build(&self) -> Result<PathBuf, Vec<Diagnostic>> {
        let out = self.root().join("public");
        build(&BuildOptions {
            root: self.root().to_path_buf(),
            output: Some(out.clone()),
            ..Default::default()
        })
        .map(|_| out)
        .map_err(|d| d.into_vec())
    }

    fn built(&self) -> PathBuf {
        match self.build() {
            Ok(out) => out,
            Err(errors) => panic!("the build failed: {errors:#?}"),
        }
    }

    fn errors(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("the build should fail"),
            Err(errors) => errors,
        }
    }
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn error_at<'a>(errors: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    errors
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no error mentioning `{needle}` in {errors:#?}"))
}

const DOC_HEAD: &str = "---\ntitle: \"Bad\"\ntype: document\n";

#[test]
fn typed_fields_reach_the_template_and_pick_the_type_template() {
    let site = Fixture::new("portal-types");
    let out = site.built();
    let html = read(&out, "documents/law-1/index.html");
    assert!(html.contains(r#"<p class="type">document</p>"#), "{html}");
    assert!(html.contains(r#"<p class="number">61/2020/QH14</p>"#));
    assert!(html.contains(r#"<p class="kind">law</p>"#));
    assert!(html.contains(r#"<p class="issued">June 17, 2020</p>"#), "{html}");
    assert!(html.contains(r#"<p class="pages">78</p>"#));
    assert!(html.contains(r#"<p class="public">true</p>"#));
    assert!(html.contains(r#"<p class="keywords">investment,business</p>"#));
    let list = read(&out, "documents/index.html");
    assert!(list.contains(r#"<li data-kind="law">Law one</li>"#), "{list}");
    assert!(list.contains(r#"<li data-kind="">Related page</li>"#), "{list}");
}

#[test]
fn a_missing_required_field_is_an_error_at_the_type_line() {
    let site = Fixture::new("portal-types");
    site.write(
        "content/documents/bad.md",
        &format!("{DOC_HEAD}number: \"1\"\nkind: law\n---\n"),
    );
    let errors = site.errors();
    let d = error_at(&errors, "needs the field `issued`");
    assert_eq!(d.file.as_deref(), Some(Path::new("content/documents/bad.md")));
    assert_eq!(d.location.map(|l| l.line), Some(3));
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("issued: …")),
        "{d:?}"
    );
}

#[test]
fn wrong_types_and_unknown_enum_values_are_errors_at_their_lines() {
    let site = Fixture::new("portal-types");
    site.write(
        "content/documents/bad.md",
        &format!("{DOC_HEAD}number: \"1\"\nkind: treaty\nissued: yesterday\npages: many\npublic: \"yes\"\nkeywords: 3\n---\n"),
    );
    let errors = site.errors();
    let kind = error_at(&errors, "`treaty` is not one of the allowed values");
    assert_eq!(kind.location.map(|l| l.line), Some(5));
    assert!(kind.hint.as_deref().is_some_and(|h| h.contains("law, decree")));
    assert_eq!(
        error_at(&errors, "field `issued`: expected a date")
            .location
            .map(|l| l.line),
        Some(6)
    );
    assert_eq!(
        error_at(&errors, "field `pages`: expected a number")
            .location
            .map(|l| l.line),
        Some(7)
    );
    assert_eq!(
        error_at(&errors, "field `public`: expected true or false")
            .location
            .map(|l| l.line),
        Some(8)
    );
    assert_eq!(
        error_at(&errors, "field `keywords`: expected a list")
            .location
            .map(|l| l.line),
        Some(9)
    );
    assert_eq!(errors.len(), 5, "every error is listed once: {errors:#?}");
}

#[test]
fn an_undeclared_type_and_a_field_of_no_type_are_errors() {
    let site = Fixture::new("portal-types");
    site.write("content/documents/a.md", "---\ntitle: \"A\"\ntype: treaty\n---\n");
    site.write(
        "content/documents/b.md",
        "---\ntitle: \"B\"\nnumber: \"1\"\n---\n",
    );
    let errors = site.errors();
    let d = error_at(&errors, "`treaty` is not a content type");
    assert_eq!(d.location.map(|l| l.line), Some(3));
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("document")));
    assert_eq!(
        error_at(&errors, "unknown field `number`")
            .location
            .map(|l| l.line),
        Some(3)
    );
}

#[test]
fn bad_type_declarations_in_site_yaml_are_errors() {
    let site = Fixture::new("portal-types");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    let yaml = yaml
        .replace("pages: { type: number }", "pages: { type: integer }")
        .replace(
            "public: { type: bool }",
            "date: { type: bool }\n      state: { type: enum }",
        );
    site.write("site.yaml", &yaml);
    let errors = site.errors();
    assert!(
        error_at(&errors, "`integer` is not a field type")
            .location
            .is_some()
    );
    error_at(
        &errors,
        "field `date` of type `document` shadows a built-in field",
    );
    error_at(&errors, "enum field `state` of type `document` lists no values");
}

#[test]
fn shortcodes_render_with_theme_templates_in_the_page_language() {
    let site = Fixture::new("portal-types");
    let out = site.built();
    let html = read(&out, "documents/law-1/index.html");
    assert!(
        html.contains(r#"<figure><img src="/x.svg" alt="A &lt;map&gt;"><figcaption>Caption &amp; more <span>Photo: Studio</span></figcaption></figure>"#),
        "arguments are escaped, the block is not wrapped in <p>: {html}"
    );
    assert!(!html.contains("<p><figure>"));
    assert!(
        html.contains(r#"Figure inline: <strong class="kf">331,345.5</strong> km²."#),
        "{html}"
    );
    assert!(
        html.contains("<blockquote class=\"q\"><p>We <em>welcome</em> investors.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ figure(src=\"not-a-call\") }}"),
        "code is left alone: {html}"
    );
    // An Arabic translation gets Arabic labels; a fallback copy shows English
    // text, so its shortcodes speak English too.
    let ar = read(&out, "ar/documents/law-1/index.html");
    assert!(ar.contains("الصورة: استوديو"), "{ar}");
    let fallback = read(&out, "ar/documents/other/index.html");
    assert!(!fallback.contains("الصورة"), "{fallback}");
}

#[test]
fn shortcode_mistakes_are_errors_at_the_content_line() {
    let site = Fixture::new("portal-types");
    site.write(
        "content/documents/other.md",
        "---\ntitle: \"Related page\"\n---\nText.\n\n{{ gallery(dir=\"x\") }}\n",
    );
    site.write(
        "content/documents/third.md",
        "---\ntitle: \"Third\"\n---\n\n\n\n\n{{ figure(src=x y) }}\n",
    );
    let errors = site.errors();
    let unknown = error_at(&errors, "unknown shortcode `gallery`");
    assert_eq!(
        unknown.file.as_deref(),
        Some(Path::new("content/documents/other.md"))
    );
    assert_eq!(unknown.location.map(|l| l.line), Some(6));
    assert!(
        unknown
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("figure, kf, quote"))
    );
    let syntax = error_at(&errors, "is not a value for `src`");
    assert_eq!(
        syntax.file.as_deref(),
        Some(Path::new("content/documents/third.md"))
    );
    assert_eq!(syntax.location.map(|l| l.line), Some(8));
}

#[test]
fn a_shortcode_missing_an_argument_names_the_template() {
    let site = Fixture::new("portal-types");
    site.write(
        "content/documents/other.md",
        "---\ntitle: \"R\"\n---\n\n{{ figure(src=\"/a.svg\") }}\n",
    );
    let errors = site.errors();
    let d = error_at(&errors, "the shortcode `figure` failed");
    assert_eq!(d.location.map(|l| l.line), Some(5));
    assert!(
        d.label
            .as_deref()
            .is_some_and(|l| l.contains("shortcodes/figure.html")),
        "{d:?}"
    );
}

#[test]
fn related_pages_share_terms() {
    let site = Fixture::new("portal-types");
    let out = site.built();
    let html = read(&out, "documents/other/index.html");
    assert!(
        html.contains(r#"<ul class="related"><li>Law one (1 min)</li></ul>"#),
        "{html}"
    );
}

// ---------------------------------------------------------------------------
// The sample portal at the repository root.

static PORTAL: std::sync::OnceLock<(tempfile::TempDir, usize)> = std::sync::OnceLock::new();

/// The sample portal, built once for all the tests below.
fn portal() -> &'static Path {
    let (dir, _) = PORTAL.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = build(&BuildOptions {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            output: Some(dir.path().to_path_buf()),
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("the sample portal does not build: {d:#?}"));
        (dir, report.diagnostics.len())
    });
    dir.path()
}

fn portal_pages() -> Vec<(String, String)> {
    walkdir::WalkDir::new(portal())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(portal())
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).expect("read"))
        })
        .collect()
}

const LANGS: &[&str] = &["vi", "en", "fr", "zh", "ar", "ru"];

#[test]
fn the_portal_builds_without_warnings_in_every_language() {
    portal();
    let warnings = PORTAL.get().map(|(_, w)| *w);
    assert_eq!(warnings, Some(0));
    for lang in LANGS {
        let home = if *lang == "vi" {
            "index.html".to_string()
        } else {
            format!("{lang}/index.html")
        };
        let html = read(portal(), &home);
        let dir = if *lang == "ar" { "rtl" } else { "ltr" };
        assert!(
            html.contains(&format!(r#"<html lang="{lang}" dir="{dir}">"#)),
            "{home}"
        );
        assert!(
            portal()
                .join(if *lang == "vi" {
                    "404.html".to_string()
                } else {
                    format!("{lang}/404.html")
                })
                .is_file()
        );
        assert!(
            portal()
                .join(if *lang == "vi" {
                    "atom.xml".to_string()
                } else {
                    format!("{lang}/atom.xml")
                })
                .is_file()
        );
    }
}

#[test]
fn the_portal_has_the_content_the_issue_asks_for() {
    let count = |suffix: &str| {
        walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
            .into_iter()
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                !name.starts_with("_index")
                    && name.ends_with(suffix)
                    && (suffix != ".md" || name.matches('.').count() == 1)
            })
            .count()
    };
    assert!(count(".md") >= 30, "Vietnamese pages: {}", count(".md"));
    assert!(count(".en.md") >= 25, "English pages: {}", count(".en.md"));
    for lang in ["fr", "zh", "ar", "ru"] {
        assert!(count(&format!(".{lang}.md")) >= 3, "{lang} has some pages");
    }
}

#[test]
fn every_page_has_lang_dir_and_reciprocal_hreflang() {
    let pages = portal_pages();
    assert!(pages.len() > 250);
    let re_alt = |html: &str| -> Vec<(String, String)> {
        html.lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix(r#"<link rel="alternate" hreflang=""#)?;
                let (lang, rest) = rest.split_once('"')?;
                let href = rest.split_once(r#"href=""#)?.1.split_once('"')?.0;
                let href = percent_encoding::percent_decode_str(href)
                    .decode_utf8_lossy()
                    .into_owned();
                Some((lang.to_string(), href))
            })
            .collect()
    };
    let base = "https://portal.example.org/";
    let by_url: std::collections::HashMap<String, &String> = pages
        .iter()
        .map(|(rel, html)| (format!("{base}{}", rel.trim_end_matches("index.html")), html))
        .collect();
    let mut checked = 0;
    for (rel, html) in &pages {
        assert!(
            html.contains(r#"<html lang=""#) && html.contains(r#"" dir=""#),
            "{rel} has <html lang dir>"
        );
        // Fallback copies are `noindex` and point at the original: they
        // are not alternates themselves.
        if html.contains(r#"<meta name="robots" content="noindex"#) {
            continue;
        }
        for (lang, href) in re_alt(html) {
            if lang == "x-default" {
                continue;
            }
            let Some(target) = by_url.get(&href) else {
                panic!("{rel}: hreflang {lang} points to a missing page {href}")
            };
            let self_url = format!("{base}{}", rel.trim_end_matches("index.html"));
            assert!(
                re_alt(target).iter().any(|(_, h)| *h == self_url),
                "{href} does not link back to {self_url}"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "hreflang links checked: {checked}");
}

#[test]
fn fallback_and_machine_translation_notices_appear_where_they_should() {
    // Not translated into Arabic: the Vietnamese/English text, marked with its language.
    let html = read(portal(), "ar/culture/pho/index.html");
    assert!(
        html.contains(r#"class="notice notice-fallback""#),
        "fallback notice"
    );
    assert!(
        html.contains(r#"lang="en" dir="ltr""#),
        "the fallback text carries its language"
    );
    // The language switcher says which languages show fallback text.
    assert!(html.contains(r#"class="is-fallback""#));
    // Translated pages carry no fallback notice.
    assert!(!read(portal(), "en/culture/pho/index.html").contains("notice-fallback"));
    // Machine translations are marked.
    let ru = read(portal(), "ru/country/ekonomika/index.html");
    assert!(
        ru.contains("notice-machine") && ru.contains("Эта страница переведена автоматически"),
        "{ru}"
    );
    assert!(read(portal(), "en/history/doi-moi/index.html").contains("notice-machine"));
    assert!(!read(portal(), "country/kinh-te/index.html").contains("notice-machine"));
}

#[test]
fn key_figures_are_formatted_for_each_language() {
    let expected = [
        ("country/tong-quan/index.html", "331.212"),
        ("en/country/at-a-glance/index.html", "331,212"),
        ("fr/country/en-bref/index.html", "331\u{202f}212"),
        ("ru/country/v-tsifrakh/index.html", "331\u{a0}212"),
        ("zh/country/overview/index.html", "331,212"),
    ];
    for (file, area) in expected {
        let html = read(portal(), file);
        assert!(
            html.contains(&format!(r#"<span class="num">{area}</span>"#)),
            "{file}: area as {area:?}"
        );
    }
    let en = read(portal(), "en/country/at-a-glance/index.html");
    assert!(en.contains("July 1, 2025"), "dates are localized too");
    assert!(
        read(portal(), "country/tong-quan/index.html").contains("1 tháng 7, 2025")
            || read(portal(), "country/tong-quan/index.html").contains("tháng 7")
    );
    // The key-figure shortcode formats per language as well.
    assert!(read(portal(), "country/kinh-te/index.html").contains(r#"<span class="num">7,09</span>"#));
    assert!(read(portal(), "en/country/economy/index.html").contains(r#"<span class="num">7.09</span>"#));
}

#[test]
fn the_documents_list_is_filterable_by_kind_and_year() {
    let html = read(portal(), "documents/index.html");
    for kind in ["constitution", "law", "resolution", "decree"] {
        assert!(html.contains(&format!(r#"id="kind-{kind}""#)), "a {kind} filter");
        assert!(html.contains(&format!(
            r#".doc-browser:has(#kind-{kind}:checked) .doc-item:not([data-kind="{kind}"])"#
        )));
    }
    for year in ["2013", "2020", "2023", "2024", "2025"] {
        assert!(html.contains(&format!(r#"id="year-{year}""#)), "a {year} filter");
    }
    assert!(html.contains(r#"data-kind="law" data-year="2020""#));
    assert_eq!(html.matches(r#"class="doc-item""#).count(), 7);
    assert!(!html.contains("<script src"), "no JavaScript needed");
    let doc = read(portal(), "en/documents/luat-dau-tu-2020/index.html");
    assert!(doc.contains(r#"<bdi dir="ltr">61/2020/QH14</bdi>"#));
    assert!(doc.contains("January 1, 2021"));
}

#[test]
fn articles_share_without_scripts_and_embed_video_without_third_party_requests() {
    let html = read(portal(), "en/culture/ha-long-bay/index.html");
    assert!(html.contains("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fportal%2Eexample%2Eorg%2Fen%2Fculture%2Fha%2Dlong%2Dbay%2F"));
    assert!(html.contains(r#"class="sc-video""#));
    assert!(
        !html.contains("<iframe"),
        "the video is a link until the reader follows it"
    );
    assert!(html.contains(r#"href="https://whc.unesco.org/en/list/672/video/""#));
    assert!(html.contains(r#"<section class="related""#));
    // Related cards carry a reading time like every other card.
    let related = html
        .split(r#"<section class="related""#)
        .nth(1)
        .expect("related section");
    assert!(related.matches(" min read").count() >= 2, "{related}");
    for (i, _) in related.match_indices(" min read") {
        assert!(
            related[..i].ends_with(|c: char| c.is_ascii_digit()),
            "a reading time without minutes"
        );
    }
    assert!(html.contains(r#"<link rel="stylesheet" href="/print.css" media="print">"#));
    for (rel, page) in portal_pages() {
        assert!(!page.contains("<script src"), "{rel} loads a script");
    }
}

#[test]
fn the_quote_shortcode_shows_an_official_with_a_localized_date() {
    let en = read(portal(), "en/history/independence-1945/index.html");
    assert!(
        en.contains(r#"<span class="sc-quote-by">Hồ Chí Minh</span>"#),
        "{en}"
    );
    assert!(en.contains(r#"<time class="sc-quote-date" datetime="1945-09-02">September 2, 1945</time>"#));
    let vi = read(portal(), "history/doc-lap-1945/index.html");
    assert!(vi.contains(r#"datetime="1945-09-02">2 tháng 9 1945</time>"#));
}

#[test]
fn corrections_and_covers_with_alt_text_are_shown() {
    let html = read(portal(), "country/dan-so/index.html");
    assert!(html.contains(r#"id="corrections-title""#) && html.contains("Cập nhật dân số năm 2024"));
    let ar = read(portal(), "ar/history/independence-1945/index.html");
    assert!(ar.contains(r#"alt="رسم توضيحي: بوابة قلعة حمراء بسقف أصفر.""#));
    assert!(portal().join("images/covers/citadel.svg").is_file());
}
