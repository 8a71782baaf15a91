//! The round trip of page text through translators' tools: `vitrine i18n
//! export` to XLIFF 1.2, XLIFF 2.0 and PO, `vitrine i18n import` back, on
//! the sample portal and on `tests/fixtures/exchange-site` (every kind of
//! Markdown, shortcodes). Files written by export are also read by the
//! third-party tools installed by `tools/test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::site_test::{SiteTest, code};
use vitrine::build::BuildOptions;
use vitrine::build::load_model;
use vitrine::translation::exchange::export::{Selection, exchange};
use vitrine::translation::exchange::import::{body_of, plan, write};
use vitrine::translation::exchange::pieces::{Piece, from_marked, to_marked};
use vitrine::translation::exchange::{self, Exchange, Format, UnitState, parse};

const FORMATS: [Format; 3] = [Format::Xliff, Format::Xliff2, Format::Po];

/// The site as translators' tools load it: drafts and future pages too.
fn options(t: &SiteTest) -> BuildOptions {
    BuildOptions {
        drafts: true,
        future: true,
        ..t.options.clone()
    }
}

fn export_all(t: &SiteTest, lang: &str) -> Exchange {
    let site = load_model(&options(t)).expect("the site loads");
    let all = Selection {
        all: true,
        ..Selection::default()
    };
    exchange(&site, &t.root, lang, all, None)
}

/// Every target set to its source, as a translator who changes nothing.
fn copy_sources(ex: &mut Exchange) {
    for unit in ex.pages.iter_mut().flat_map(|p| &mut p.units) {
        unit.target = Some(unit.source.clone());
        unit.state = UnitState::Translated;
    }
}

/// Writes `ex` in `format` to a file and returns its path.
fn save(dir: &Path, ex: &Exchange, format: Format, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.{}", format.extension()));
    std::fs::write(&path, exchange::write(ex, format)).expect("write the exchange file");
    path
}

#[test]
fn every_page_of_the_sample_portal_round_trips_in_every_format() {
    let t = SiteTest::portal();
    let root = t.root.as_path();
    let site = load_model(&options(&t)).expect("the sample portal loads");
    for lang in ["fr", "en"] {
        let mut ex = export_all(&t, lang);
        assert!(ex.pages.len() > 10, "{lang}: only {} pages", ex.pages.len());
        copy_sources(&mut ex);
        for format in FORMATS {
            let file = save(root, &ex, format, lang);
            let read = parse(&std::fs::read(&file).expect("read back")).expect("parses");
            assert_eq!(read.pages.len(), ex.pages.len());
            let planned = plan(&site, root, std::slice::from_ref(&file), false)
                .unwrap_or_else(|d| panic!("{format:?} {lang}: import refused: {d:?}"));
            assert_eq!(planned.len(), ex.pages.len());
            for (p, page) in planned.iter().zip(&ex.pages) {
                let source = site
                    .documents
                    .iter()
                    .find(|d| d.file == page.source_file)
                    .expect("the source document");
                assert_eq!(
                    body_of(&p.text),
                    Some(source.body.as_str()),
                    "{format:?} {lang}: the body of {} changed",
                    page.source_file
                );
            }
        }
    }
}

#[test]
fn every_kind_of_markdown_round_trips_and_offers_only_text() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    let markup = ex
        .pages
        .iter()
        .find(|p| p.source_file == "content/guide/markup.md")
        .expect("the markup page");
    let sources: Vec<String> = markup.units.iter().map(|u| to_marked(&u.source)).collect();
    let all = sources.join("\n");
    for offered in [
        "All the markup",
        "A cover with \"quotes\"",
        "Heading one",
        "Setext heading",
        "Nested item",
        "Nested quote.",
        "Column <",
        "The footnote's <",
        "A bowl of phở",
        "Beef phở, the \"classic\".",
        "Hồ Chí Minh",
        "Viet Nam has the right to be <",
        "Tiny",
        "Loose paragraph in an item.",
    ] {
        assert!(all.contains(offered), "`{offered}` is not offered:\n{all}");
    }
    for hidden in [
        "not offered",
        "/images/bowl.svg",
        "fn main",
        "HTML blocks",
        "{#first}",
    ] {
        assert!(!all.contains(hidden), "`{hidden}` is offered:\n{all}");
    }
    // Inline markup is placeholders: links, emphasis, code, footnote marks.
    let paragraph = markup
        .units
        .iter()
        .find(|u| to_marked(&u.source).starts_with("A paragraph with"))
        .expect("the paragraph");
    let marked = to_marked(&paragraph.source);
    assert!(marked.contains("<1>emphasis</1>"), "{marked}");
    assert!(!marked.contains("https://example.org"), "{marked}");
    assert!(
        paragraph.markup.values().any(|(open, _)| open == "[^note]"),
        "{:?}",
        paragraph.markup
    );
    assert!(
        paragraph
            .markup
            .values()
            .any(|(_, close)| close.as_deref() == Some("](https://example.org \"Title\")"))
    );
    // Context: the heading above.
    assert_eq!(paragraph.heading.as_deref(), Some("Heading one"));
    assert_eq!(markup.url, "/fr/guide/markup/");
    copy_sources(&mut ex);
    let site = load_model(&options(&t)).expect("loads");
    for format in FORMATS {
        let file = save(&t.root, &ex, format, "fr");
        let planned = plan(&site, &t.root, &[file], false).expect("import accepted");
        for p in &planned {
            let page = ex
                .pages
                .iter()
                .find(|pg| p.file.starts_with(pg.source_file.trim_end_matches(".md")))
                .expect("page");
            let source = site
                .documents
                .iter()
                .find(|d| d.file == page.source_file)
                .expect("source");
            assert_eq!(
                body_of(&p.text),
                Some(source.body.as_str()),
                "{format:?}: {}",
                p.file
            );
        }
    }
}

/// Replaces every text run of every target by `f(text)`.
fn translate(ex: &mut Exchange, f: &dyn Fn(&str) -> String) {
    for unit in ex.pages.iter_mut().flat_map(|p| &mut p.units) {
        let target = unit
            .source
            .iter()
            .map(|p| match p {
                Piece::Text(t) => Piece::Text(f(t)),
                other => other.clone(),
            })
            .collect();
        unit.target = Some(target);
        unit.state = UnitState::Translated;
    }
}

#[test]
fn a_translated_file_is_imported_as_a_buildable_translation() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    translate(&mut ex, &|s| format!("FR {s} *_[x]"));
    let file = save(&t.root, &ex, Format::Xliff, "fr");
    let out = t.cmd(&["i18n", "import", file.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = t.read_source("content/guide/markup.fr.md");
    assert!(text.contains("title: \"FR All the markup *_[x]\""), "{text}");
    assert!(text.contains("slug: \"fr-markup-x\""), "{text}");
    assert!(text.contains("translation:\n  status: draft"), "{text}");
    assert!(text.contains("source_hash: \""), "{text}");
    assert!(text.contains("image: /images/cover.svg"), "{text}");
    assert!(
        text.contains("```rust\nfn main() { println!(\"not offered\"); }\n```"),
        "{text}"
    );
    assert!(
        text.contains("[FR link \\*\\_\\[x\\]](https://example.org \"Title\")"),
        "{text}"
    );
    assert!(text.contains("alt=\"FR A bowl of phở *_[x]\""), "{text}");
    assert!(text.contains("{% quote(by=\"FR Hồ Chí Minh"), "{text}");
    let t = t.build();
    let html = t.read("fr/fr-guide-x/fr-markup-x/index.html");
    assert!(html.contains("FR A paragraph with"), "{html}");
    assert!(html.contains("<em>FR emphasis *_[x]\u{200b}</em>"), "{html}");
    assert!(
        html.contains("<strong>FR strong *_[x]\u{200b}</strong>"),
        "{html}"
    );
    // URLs are normalized on the way out (safe_url): the root path is written.
    assert!(html.contains("href=\"https://example.org/\""), "{html}");
    assert!(html.contains(">FR cell *_[x]<code>one</code></td>"), "{html}");
    assert!(html.contains(">FR cell | two *_[x]</td>"), "{html}");
    assert!(
        html.contains("<figcaption>FR Beef phở, the &quot;classic&quot;. *_[x]</figcaption>"),
        "{html}"
    );
    assert!(!html.contains("FR fn main"), "{html}");
    // The import stamped the source version: the page is not stale.
    let status = t.cmd(&["i18n", "status", "--format", "json", "--lang", "fr"]);
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert_eq!(json["languages"][0]["stale"], 0, "{json:#}");
}

#[test]
fn pseudo_translations_build_in_both_directions() {
    let t = SiteTest::new("exchange-site");
    for (lang, pseudo, needle) in [
        ("fr", "accented", "⟦ÀÀĺĺ ţĥéé ɱààŕķûûþ⟧"),
        ("ar", "rtl", "\u{202e}All the markup\u{202c}"),
    ] {
        let file = t.root.join(format!("{lang}.po"));
        let out = t.cmd(&[
            "i18n",
            "export",
            "--lang",
            lang,
            "--all",
            "--format",
            "po",
            "--pseudo",
            pseudo,
            "-o",
            file.to_str().expect("utf-8"),
        ]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let out = t.cmd(&["i18n", "import", file.to_str().expect("utf-8")]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let text = t.read_source(&format!("content/guide/markup.{lang}.md"));
        assert!(text.contains(needle), "{text}");
    }
    let t = t.build();
    let fr = t.read("fr/guide/markup/index.html");
    assert!(fr.contains("⟦Ĥééààđîîñĝ ööñéé⟧"), "{fr}");
    let ar = t.read("ar/guide/markup/index.html");
    assert!(ar.contains("dir=\"rtl\""), "{ar}");
}

/// Runs an import expected to fail; returns its stderr and checks that no
/// translation was written.
fn refused(t: &SiteTest, file: &Path, needle: &str) {
    let before = t.listing();
    let out = t.cmd(&["i18n", "import", file.to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(code(&out), 1, "expected `{needle}`: {err}");
    assert!(err.contains(needle), "`{needle}` not in:\n{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(t.listing(), before, "a file was written");
}

#[test]
fn import_refuses_stale_sources_broken_placeholders_and_malformed_files() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    copy_sources(&mut ex);
    // A lost placeholder, named by unit.
    let mut lost = ex.clone();
    let unit = lost
        .pages
        .iter_mut()
        .flat_map(|p| &mut p.units)
        .find(|u| to_marked(&u.source).starts_with("A paragraph with"))
        .expect("unit");
    let id = unit.id.clone();
    unit.target = Some(from_marked(
        &to_marked(&unit.source)
            .replacen("<1>", "", 1)
            .replacen("</1>", "", 1),
    ));
    for format in FORMATS {
        let file = save(&t.root, &lost, format, "lost");
        refused(
            &t,
            &file,
            &format!("unit `{id}` of content/guide/markup.md: the placeholder 1 of the source is missing"),
        );
    }
    // Pairs crossed.
    let mut crossed = ex.clone();
    let unit = crossed
        .pages
        .iter_mut()
        .flat_map(|p| &mut p.units)
        .find(|u| to_marked(&u.source).starts_with("A paragraph with"))
        .expect("unit");
    unit.target = Some(from_marked(
        &to_marked(&unit.source)
            .replacen("</1>", "", 1)
            .replacen("</2>", "</1></2>", 1),
    ));
    let file = save(&t.root, &crossed, Format::Po, "crossed");
    refused(&t, &file, "crosses another pair");
    // Malformed XML and PO: file, line and column.
    let good = exchange::write(&ex, Format::Xliff);
    let bad = good.replacen("</source>", "</sourc>", 1);
    let file = t.root.join("bad.xlf");
    std::fs::write(&file, bad).expect("write");
    refused(&t, &file, "bad.xlf:");
    let file = t.root.join("bad.po");
    std::fs::write(
        &file,
        exchange::write(&ex, Format::Po).replacen("msgstr \"", "msgstr \"\\q", 3),
    )
    .expect("write");
    refused(&t, &file, "unknown escape");
    // A source changed since the export: refused, then accepted with --force.
    let file = save(&t.root, &ex, Format::Xliff2, "before");
    let t = t.replace(
        "content/guide/plain.md",
        "Second paragraph, which will change.",
        "Second paragraph, changed.",
    );
    refused(&t, &file, "the source changed since the export");
    let out = t.cmd(&["i18n", "import", "--force", file.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    // The changed unit keeps the translation of the old text, and the
    // stamp stays the old version's: the page is still stale.
    let text = t.read_source("content/guide/plain.fr.md");
    assert!(
        text.contains("Second paragraph, which will change.\n\nThird paragraph."),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "source_hash: \"{}\"",
            ex.pages
                .iter()
                .find(|p| p.source_file == "content/guide/plain.md")
                .expect("page")
                .source_hash
        )),
        "{text}"
    );
}

#[test]
fn stale_pages_prefill_the_units_that_did_not_change() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    translate(&mut ex, &|s| format!("[fr] {s}"));
    let file = save(&t.root, &ex, Format::Po, "fr");
    assert_eq!(
        code(&t.cmd(&["i18n", "import", file.to_str().expect("utf-8")])),
        0
    );
    let t = t.replace(
        "content/guide/plain.md",
        "Second paragraph, which will change.",
        "A new second paragraph.",
    );
    let site = load_model(&options(&t)).expect("loads");
    let stale = Selection {
        stale: true,
        ..Selection::default()
    };
    let ex = exchange(&site, &t.root, "fr", stale, None);
    assert_eq!(ex.pages.len(), 1, "only the changed page is stale");
    let units: Vec<(String, Option<String>, bool)> = ex.pages[0]
        .units
        .iter()
        .map(|u| {
            (
                to_marked(&u.source),
                u.target.as_deref().map(to_marked),
                u.prefilled,
            )
        })
        .collect();
    assert!(
        units.contains(&(
            "First paragraph.".into(),
            Some("\\[fr\\] First paragraph.".replace('\\', "")),
            true
        )),
        "{units:?}"
    );
    assert!(
        units.contains(&("A new second paragraph.".into(), None, false)),
        "{units:?}"
    );
    assert!(
        units.contains(&(
            "Third paragraph.".into(),
            Some("[fr] Third paragraph.".into()),
            true
        )),
        "{units:?}"
    );
    // The missing selection no longer lists the translated pages.
    let missing = Selection {
        missing: true,
        ..Selection::default()
    };
    assert!(exchange(&site, &t.root, "fr", missing, None).pages.is_empty());
}

#[test]
fn translation_status_follows_the_units() {
    let t = SiteTest::new("exchange-site");
    let cases = [
        (UnitState::Machine, "machine"),
        (UnitState::Reviewed, "reviewed"),
        (UnitState::Translated, "draft"),
    ];
    for (format, (state, status)) in FORMATS.iter().zip(cases) {
        let mut ex = export_all(&t, "fr");
        ex.pages.retain(|p| p.source_file == "content/guide/plain.md");
        copy_sources(&mut ex);
        for unit in ex.pages.iter_mut().flat_map(|p| &mut p.units) {
            unit.state = state;
        }
        let file = save(&t.root, &ex, *format, "status");
        let read = parse(&std::fs::read(&file).expect("read")).expect("parse");
        assert!(read.pages[0].units.iter().all(|u| u.state == state), "{format:?}");
        let site = load_model(&options(&t)).expect("loads");
        let planned = plan(&site, &t.root, &[file], false).expect("accepted");
        write(&site, &t.root, &planned).expect("written");
        let text = t.read_source("content/guide/plain.fr.md");
        assert!(
            text.contains(&format!("translation:\n  status: {status}")),
            "{format:?}: {text}"
        );
    }
}

#[test]
fn export_writes_one_file_per_page_into_a_folder_and_a_fluent_skeleton() {
    let t = SiteTest::new("exchange-site");
    let dir = t.root.join("out");
    let out = t.cmd(&[
        "i18n",
        "export",
        "--lang",
        "fr",
        "--format",
        "xliff2",
        "--section",
        "guide",
        "-o",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("guide/markup.fr.xliff").is_file());
    assert!(dir.join("guide/_index.fr.xliff").is_file());
    assert!(
        !dir.join("_index.fr.xliff").exists(),
        "--section keeps to the section"
    );
    let out = t.cmd(&["i18n", "export", "--fluent", "--lang", "fr"]);
    assert_eq!(code(&out), 0);
    let ftl = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(ftl.contains("only-english = Only in English"), "{ftl}");
    assert!(
        ftl.contains("fallback-notice = This page is not translated yet.\n    .title = Not translated"),
        "{ftl}"
    );
    assert!(!ftl.contains("footer ="), "{ftl}");
    let resource = fluent_syntax::parser::parse(ftl.as_str());
    assert!(resource.is_ok(), "the skeleton is not valid Fluent");
    let out = t.cmd(&["i18n", "export", "--lang", "xx"]);
    assert_eq!(code(&out), 2);
}

/// The permission bits of a written file.
#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    meta.permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn exported_and_imported_files_get_the_mode_of_a_plain_write() {
    use std::os::unix::fs::PermissionsExt;
    let t = SiteTest::new("exchange-site");
    // What any tool's plain write gives a new file here: 0644 under the
    // usual umask 022, never the 0600 of a temporary file.
    let probe = t.root.join("probe");
    std::fs::write(&probe, "x").expect("write");
    let plain = mode(&probe);
    let (file, dir) = (t.root.join("fr.xlf"), t.root.join("out"));
    for target in [&file, &dir] {
        let to = target.to_str().expect("utf-8");
        let out = t.cmd(&["i18n", "export", "--lang", "fr", "--format", "xliff", "-o", to]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(mode(&file), plain, "{:o} instead of {plain:o}", mode(&file));
    let page = dir.join("guide/markup.fr.xlf");
    assert_eq!(mode(&page), plain, "{:o} instead of {plain:o}", mode(&page));
    let mut ex = export_all(&t, "fr");
    translate(&mut ex, &|s| format!("fr {s}"));
    let xlf = save(&t.root, &ex, Format::Xliff, "translated");
    let import = || {
        let out = t.cmd(&["i18n", "import", xlf.to_str().expect("utf-8")]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    };
    import();
    let translation = t.root.join("content/guide/markup.fr.md");
    assert_eq!(mode(&translation), plain, "a new translation");
    // A file its owner restricted stays so when import rewrites it.
    let private = std::fs::Permissions::from_mode(0o640);
    std::fs::set_permissions(&translation, private).expect("chmod");
    import();
    assert_eq!(mode(&translation), 0o640, "an updated translation");
}

#[test]
fn parse_never_panics_on_broken_input() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    copy_sources(&mut ex);
    for format in FORMATS {
        let text = exchange::write(&ex, format);
        let bytes = text.as_bytes();
        // Every prefix, on char boundaries and not, parses or errs.
        for cut in (0..bytes.len()).step_by(97) {
            let _ = parse(&bytes[..cut]);
        }
        assert!(parse(&[0xff, 0xfe, b'<']).is_err());
    }
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

fn require(name: &str, package: &str) {
    assert!(
        tool(name),
        "`{name}` is missing: run `tools/test` (it installs {package})"
    );
}

/// Validates `file` with xmllint against `schema`, one of the OASIS XLIFF
/// schemas that `tools/test` unpacks into `tests/xliff/schemas/`. The
/// catalog maps the W3C `xml.xsd` that XLIFF 1.2 imports by its web address
/// onto the local copy, and `--nonet` keeps the check offline.
fn schema_check(file: &Path, schema: &str) -> std::process::Output {
    require("xmllint", "libxml2-utils");
    let xliff = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xliff");
    let path = xliff.join("schemas").join(schema);
    assert!(
        path.is_file(),
        "the OASIS schema {schema} is missing: run `tools/test` (it unpacks the XLIFF \
         schemas from the Debian package php-symfony-translation into tests/xliff/schemas/)"
    );
    Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&path)
        .arg(file)
        .env("XML_CATALOG_FILES", xliff.join("catalog.xml"))
        .output()
        .expect("xmllint")
}

/// Asserts that `file` is valid against `schema`, with every import found
/// (xmllint only warns when one is not, and then checks less).
fn assert_schema_valid(file: &Path, schema: &str) {
    let out = schema_check(file, schema);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} against {schema}:\n{err}",
        file.display()
    );
    assert!(!err.contains("warning"), "{schema}: {err}");
}

const SCHEMAS: [(Format, &str); 2] = [
    (Format::Xliff, "xliff-core-1.2-strict.xsd"),
    (Format::Xliff2, "xliff_core_2.0.xsd"),
];

#[test]
fn exported_xliff_is_valid_against_the_oasis_schemas() {
    let portal = SiteTest::portal();
    let fixture = SiteTest::new("exchange-site");
    for (site, lang) in [(&portal, "fr"), (&portal, "en"), (&fixture, "fr")] {
        let mut ex = export_all(site, lang);
        assert!(!ex.pages.is_empty(), "{}: nothing to export", site.root.display());
        let name = format!("{lang}-{}", ex.pages.len());
        for (format, schema) in SCHEMAS {
            // Untranslated (sources only) and translated, as exported and
            // as a translator's tool hands it back.
            assert_schema_valid(&save(&site.root, &ex, format, &name), schema);
        }
        translate(&mut ex, &|s| format!("{lang} {s}"));
        for (format, schema) in SCHEMAS {
            assert_schema_valid(&save(&site.root, &ex, format, &format!("{name}-t")), schema);
        }
    }
}

#[test]
fn the_schema_check_rejects_an_invalid_file() {
    let t = SiteTest::new("exchange-site");
    let ex = export_all(&t, "fr");
    for ((format, schema), element) in SCHEMAS.into_iter().zip(["<trans-unit ", "<unit "]) {
        let file = save(&t.root, &ex, format, "fr");
        let text = std::fs::read_to_string(&file).expect("exported file");
        assert!(text.contains(element), "{text}");
        let broken = text.replacen(element, &format!("{element}vitrine-bogus=\"1\" "), 1);
        std::fs::write(&file, broken).expect("write");
        let out = schema_check(&file, schema);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{schema} accepted an unknown attribute");
        assert!(err.contains("vitrine-bogus"), "{err}");
    }
}

#[test]
fn third_party_tools_read_the_exported_files() {
    let t = SiteTest::new("exchange-site");
    let mut ex = export_all(&t, "fr");
    translate(&mut ex, &|s| format!("fr {s}"));
    let po = save(&t.root, &ex, Format::Po, "fr");
    let xlf = save(&t.root, &ex, Format::Xliff, "fr");
    let xliff2 = save(&t.root, &ex, Format::Xliff2, "fr");
    require("msgfmt", "gettext");
    let out = Command::new("msgfmt")
        .args(["--check", "-o", "/dev/null"])
        .arg(&po)
        .output()
        .expect("msgfmt");
    assert!(
        out.status.success(),
        "msgfmt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    require("pocount", "translate-toolkit");
    let out = Command::new("pocount").arg(&po).output().expect("pocount");
    let text = String::from_utf8_lossy(&out.stdout);
    let units = ex.pages.iter().map(|p| p.units.len()).sum::<usize>();
    assert!(
        text.contains("Translated:") && text.contains(&format!(" {units} (100%)")),
        "{text}"
    );
    let out = Command::new("pofilter")
        .args(["-t", "xmltags", "-t", "escapes", "-t", "newlines"])
        .arg(&po)
        .arg(t.root.join("filtered.po"))
        .output()
        .expect("pofilter");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found = std::fs::read_to_string(t.root.join("filtered.po")).unwrap_or_default();
    assert!(
        !found.contains("msgctxt"),
        "pofilter found broken placeholders:\n{found}"
    );
    let broken = t.root.join("broken.po");
    std::fs::write(
        &broken,
        std::fs::read_to_string(&po).expect("po").replacen(
            "msgstr \"fr A paragraph with <1>",
            "msgstr \"fr A paragraph with <1 ",
            1,
        ),
    )
    .expect("write");
    let _ = Command::new("pofilter")
        .args(["-t", "xmltags"])
        .arg(&broken)
        .arg(t.root.join("filtered2.po"))
        .output();
    let found = std::fs::read_to_string(t.root.join("filtered2.po")).unwrap_or_default();
    assert!(found.contains("msgctxt"), "pofilter misses a broken placeholder");
    require("xmllint", "libxml2-utils");
    for file in [&xlf, &xliff2] {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg(file)
            .output()
            .expect("xmllint");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let reader = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xliff");
    assert!(
        reader.join("node_modules/xliff").is_dir(),
        "run `tools/test` (it installs the npm package xliff), or `npm ci --prefix tests/xliff`"
    );
    for file in [&xlf, &xliff2] {
        let out = Command::new("node")
            .arg(reader.join("read.js"))
            .arg(file)
            .output()
            .expect("node");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains(&format!("units {units}")), "{text}");
        assert!(text.contains("targets ok"), "{text}");
    }
}
