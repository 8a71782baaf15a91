//! The translators' loop end to end: `vitrine i18n status` and `stamp`,
//! the Fluent lint, `vitrine check --strict --min-coverage`, `vitrine new`
//! and `vitrine init`, run as a user runs them on fixture sites copied into
//! temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/translators-site";

/// A copy of a fixture site in a temporary folder.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn fixture() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE), &root);
        Site { _dir: dir, root }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.to_str().expect("utf-8 path");
        // `new` and `stamp` take --root too; `init` is run by its own test.
        all.extend(["--root", root]);
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(&all)
            .output()
            .expect("run vitrine")
    }

    fn status_json(&self) -> Value {
        let out = self.run(&["i18n", "status", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join(file)).expect("read")
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn language<'a>(status: &'a Value, code: &str) -> &'a Value {
    status["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .find(|l| l["code"] == code)
        .expect("language")
}

fn page<'a>(status: &'a Value, content_path: &str) -> &'a Value {
    status["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .find(|p| p["content_path"] == content_path)
        .expect("page")
}

fn stale_files(status: &Value) -> Vec<String> {
    let mut files = Vec::new();
    for p in status["pages"].as_array().expect("pages") {
        for cell in p["languages"].as_object().expect("languages").values() {
            if cell.get("stale").is_some() {
                files.push(cell["file"].as_str().expect("file").to_string());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn coverage_counts_are_exact_per_language_and_section() {
    let site = Site::fixture();
    let status = site.status_json();
    let fr = language(&status, "fr");
    let expect = |v: &Value, key: &str, n: f64| assert_eq!(v[key].as_f64(), Some(n), "{key} in {v}");
    for (key, n) in [
        ("pages", 6.0),
        ("translated", 4.0),
        ("fallback", 2.0),
        ("missing", 0.0),
        ("stale", 1.0),
        ("reviewed", 1.0),
        ("machine", 0.0),
        ("words", 38.0),
        ("covered_words", 30.0),
        ("coverage_pages", 66.7),
        ("coverage_words", 78.9),
    ] {
        expect(fr, key, n);
    }
    let ru = language(&status, "ru");
    for (key, n) in [
        ("translated", 3.0),
        ("fallback", 3.0),
        ("machine", 1.0),
        ("coverage_pages", 50.0),
    ] {
        expect(ru, key, n);
    }
    expect(language(&status, "en"), "source", 6.0);
    let sections = status["sections"].as_array().expect("sections");
    let guide = sections.iter().find(|s| s["section"] == "guide").expect("guide");
    expect(&guide["languages"]["ru"], "pages", 3.0);
    expect(&guide["languages"]["ru"], "coverage_pages", 66.7);
    let news = sections.iter().find(|s| s["section"] == "news").expect("news");
    expect(&news["languages"]["fr"], "coverage_pages", 0.0);
    let install = page(&status, "guide/install");
    assert_eq!(install["languages"]["ru"]["status"], "machine");
    assert_eq!(install["languages"]["ru"]["by"], "MT engine");
    assert_eq!(
        page(&status, "news/launch")["languages"]["fr"]["fallback_language"],
        "en"
    );
}

#[test]
fn a_source_edit_makes_exactly_its_translations_stale() {
    let site = Site::fixture();
    assert_eq!(stale_files(&site.status_json()), ["content/guide/usage.fr.md"]);

    // A whitespace-only edit (reflowed, re-indented, blank lines) changes nothing.
    let install = site.read("content/guide/install.md");
    site.write(
        "content/guide/install.md",
        &install
            .replace("unpack it into", "unpack   it\ninto")
            .replace("\n\nDownload", "\n\n\n  Download"),
    );
    assert_eq!(stale_files(&site.status_json()), ["content/guide/usage.fr.md"]);

    // A real edit makes both its translations stale, and only them.
    let edited = install.replace("the archive", "the signed archive");
    site.write(
        "content/guide/install.md",
        &format!("{edited}\nCheck the checksum first.\n"),
    );
    let status = site.status_json();
    assert_eq!(
        stale_files(&status),
        [
            "content/guide/install.fr.md",
            "content/guide/install.ru.md",
            "content/guide/usage.fr.md"
        ]
    );
    // The stamped snapshot gives the paragraph-level diff, the mtime the date.
    let stale = &page(&status, "guide/install")["languages"]["fr"]["stale"];
    let changes: Vec<(&str, u64, &str)> = stale["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap_or_default(),
                c["paragraph"].as_u64().unwrap_or_default(),
                c["text"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "changed",
                2,
                "Download the signed archive and unpack it into a folder."
            ),
            ("added", 3, "Check the checksum first.")
        ]
    );
    assert!(stale["source_modified"].as_str().expect("date").contains('T'));
    // Without a snapshot (usage.fr.md's hash was never stamped here) only the date is known.
    let usage = &page(&status, "guide/usage")["languages"]["fr"]["stale"];
    assert!(usage["changes"].is_null());
    assert_eq!(usage["stamped_hash"], "0000000000000000");

    // Stamping catches the translations up again.
    let out = site.run(&["i18n", "stamp", "--all", "--lang", "fr"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stale_files(&site.status_json()), ["content/guide/install.ru.md"]);
}

#[test]
fn stamp_rewrites_only_the_hash_line() {
    let site = Site::fixture();
    let before = site.read("content/guide/usage.fr.md");
    let out = site.run(&["i18n", "stamp", "content/guide/usage.fr.md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = site.read("content/guide/usage.fr.md");
    let status = site.status_json();
    let hash = page(&status, "guide/usage")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert_eq!(after, before.replace("0000000000000000", &hash));

    // A file without the field gets one line before the closing `---`.
    let before = site.read("content/news/launch.ru.md");
    assert!(
        site.run(&["i18n", "stamp", "content/news/launch.ru.md"])
            .status
            .success()
    );
    let after = site.read("content/news/launch.ru.md");
    let launch = site.status_json();
    let hash = page(&launch, "news/launch")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert_eq!(
        after,
        before.replace(
            "  status: reviewed\n---",
            &format!("  status: reviewed\nsource_hash: \"{hash}\"\n---")
        )
    );

    // A source is not a translation; an unknown file is not content.
    let out = site.run(&["i18n", "stamp", "content/guide/usage.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the source of its page"));
    assert_eq!(site.run(&["i18n", "stamp", "nowhere.md"]).status.code(), Some(1));
}

/// Runs `vitrine check --format json` and returns (exit code, json).
fn check(site: &Site, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = site.run(&args);
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}

/// `(severity, file:line, message)` of every diagnostic.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or_default().to_string(),
                format!("{}:{}", d["file"].as_str().unwrap_or_default(), d["line"]),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], severity: &str, place: &str, message: &str) -> bool {
    found
        .iter()
        .any(|(s, p, m)| s == severity && p == place && m.contains(message))
}

#[test]
fn correct_bundles_give_no_fluent_problem() {
    let site = Site::fixture();
    let (code, json) = check(&site, &["--strict"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["warnings"], 0);
    assert!(findings(&json).is_empty());
}

#[test]
fn each_fluent_problem_is_found_at_its_line() {
    let site = Site::fixture();
    site.write(
        "locales/fr/main.ftl",
        "-brand = Manuel\n\
         welcome = Bienvenue dans { -marque }\n\
         read-more = Lire la suite\n\
         items = { $cuont ->\n    [one] une page\n   *[other] { $cuont } pages\n}\n\
         machine-notice = Traduit par une machine.\n    .title = Machine\n\
         only-in-french = Seulement ici\n",
    );
    site.write(
        "locales/ru/main.ftl",
        "-brand = Справочник\n\
         welcome = Добро пожаловать в { -brand }\n\
         read-more = Читать далее\n    .title = Читать всю страницу\n\
         items = { $count ->\n    [one] { $count } страница\n   *[other] { $count } страницы\n}\n\
         machine-notice = Эта страница переведена машиной.\n",
    );
    site.write(
        "locales/en/extra.ftl",
        "unused-message = Nobody asks for me\n-orphan = Never referenced\nbroken = { $count ->\n    [one] one\n     [other] many\n}\n",
    );
    let (_, json) = check(&site, &[]);
    let found = findings(&json);
    let fr = "locales/fr/main.ftl";
    // Missing attribute, unknown (misspelled) variable, variable the source uses
    // but the translation lacks, reference to an undefined term, unused message
    // and attribute.
    assert!(has(
        &found,
        "warning",
        &format!("{fr}:3"),
        "attribute `read-more.title` is missing in `fr`"
    ));
    assert!(has(
        &found,
        "error",
        &format!("{fr}:4"),
        "`items` in `fr` uses the unknown variable `$cuont`"
    ));
    assert!(has(
        &found,
        "warning",
        &format!("{fr}:4"),
        "`items` in `fr` does not use the variable `$count`"
    ));
    assert!(has(
        &found,
        "error",
        &format!("{fr}:2"),
        "references the term `-marque`, which is not defined"
    ));
    assert!(has(
        &found,
        "warning",
        &format!("{fr}:9"),
        "`machine-notice.title` exists in `fr` but not in the source"
    ));
    assert!(has(
        &found,
        "warning",
        &format!("{fr}:10"),
        "message `only-in-french` exists in `fr` but not in the source"
    ));
    // CLDR plural categories: Russian needs few and many; the select is on line 5.
    assert!(has(
        &found,
        "warning",
        "locales/ru/main.ftl:5",
        "no variant for the plural categories `few`, `many`"
    ));
    // Messages missing from a translation are shown at the source's line.
    assert!(has(
        &found,
        "warning",
        "locales/en/extra.ftl:1",
        "message `unused-message` is not translated to `fr`"
    ));
    assert!(has(
        &found,
        "warning",
        "locales/en/extra.ftl:2",
        "term `-orphan` is not translated to `ru`"
    ));
    // Messages no template uses, terms no message uses.
    assert!(has(
        &found,
        "warning",
        "locales/en/extra.ftl:1",
        "`unused-message` is not used by any template"
    ));
    assert!(has(
        &found,
        "warning",
        "locales/en/extra.ftl:2",
        "term `-orphan` is not used by any message"
    ));
    // A select without a default variant is a syntax error at its line.
    assert!(
        found.iter().any(|(s, p, m)| s == "error"
            && p.starts_with("locales/en/extra.ftl:")
            && m.contains("default variant")),
        "{found:#?}"
    );
    // Nothing is reported twice, and the build errors make the check fail.
    let mut unique = found.clone();
    unique.dedup();
    assert_eq!(unique.len(), found.len());
    assert_eq!(json["ok"], false);
}

#[test]
fn thresholds_and_strict_fail_and_pass_as_they_should() {
    let site = Site::fixture();
    let (code, json) = check(&site, &["--min-coverage", "en=100,fr=66,ru=50"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["coverage"][1]["coverage_pages"], 66.7);
    assert_eq!(json["coverage"][1]["ok"], true);

    let (code, json) = check(&site, &["--min-coverage", "fr=80"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["ok"], false);
    assert_eq!(json["coverage"][0]["ok"], false);
    assert!(
        findings(&json)
            .iter()
            .any(|(_, _, m)| m.contains("`fr` covers 66.7% of the pages, below the required 80%"))
    );

    // Bad usage: exit code 2.
    assert_eq!(check(&site, &["--min-coverage", "fr=eighty"]).0, Some(2));
    assert_eq!(check(&site, &["--min-coverage", "de=10"]).0, Some(2));

    // A warning passes, and fails with --strict.
    site.write("locales/en/extra.ftl", "unused-message = Nobody asks for me\n");
    site.write("locales/fr/extra.ftl", "unused-message = Personne\n");
    site.write("locales/ru/extra.ftl", "unused-message = Никто\n");
    let (code, json) = check(&site, &[]);
    assert_eq!((code, json["warnings"].as_u64()), (Some(0), Some(1)), "{json:#}");
    let (code, json) = check(&site, &["--strict"]);
    assert_eq!((code, json["errors"].as_u64()), (Some(1), Some(1)));
}

/// Every key of the JSON outputs, as documented in the README.
const STATUS_KEYS: &[&str] = &[
    "version",
    "default_language",
    "languages",
    "sections",
    "pages",
    "fluent",
];
const COUNT_KEYS: &[&str] = &[
    "pages",
    "source",
    "translated",
    "fallback",
    "missing",
    "stale",
    "unstamped",
    "machine",
    "draft",
    "reviewed",
    "words",
    "covered_words",
    "coverage_pages",
    "coverage_words",
];
const PAGE_KEYS: &[&str] = &[
    "kind",
    "content_path",
    "section",
    "source_language",
    "source_file",
    "title",
    "words",
    "source_hash",
    "languages",
];
const CELL_KEYS: &[&str] = &[
    "state",
    "file",
    "fallback_language",
    "status",
    "by",
    "unstamped",
    "stale",
];
const STALE_KEYS: &[&str] = &["stamped_hash", "source_modified", "changes"];

fn keys(v: &Value) -> Vec<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

#[test]
fn json_output_matches_the_documented_schema() {
    let site = Site::fixture();
    site.write(
        "content/guide/install.md",
        &(site.read("content/guide/install.md") + "\nNew.\n"),
    );
    site.run(&["i18n", "stamp", "content/guide/install.fr.md"]);
    site.write(
        "content/guide/install.md",
        &(site.read("content/guide/install.md") + "\nNewer.\n"),
    );
    let status = site.status_json();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let documented = |key: &str| {
        assert!(
            readme.contains(&format!("`{key}`")),
            "README does not document `{key}`"
        )
    };
    let within = |v: &Value, allowed: &[&str]| {
        for k in keys(v) {
            assert!(allowed.contains(&k.as_str()), "undocumented key `{k}` in {v}");
        }
    };
    assert_eq!(keys(&status).len(), STATUS_KEYS.len());
    within(&status, STATUS_KEYS);
    assert_eq!(status["version"], 1);
    for lang in status["languages"].as_array().expect("languages") {
        within(lang, &[COUNT_KEYS, &["code", "name"]].concat());
        assert!(COUNT_KEYS.iter().all(|k| lang[k].is_number()));
    }
    for section in status["sections"].as_array().expect("sections") {
        within(section, &["section", "languages"]);
        for counts in section["languages"].as_object().expect("by language").values() {
            within(counts, COUNT_KEYS);
        }
    }
    for page in status["pages"].as_array().expect("pages") {
        within(page, PAGE_KEYS);
        for cell in page["languages"].as_object().expect("cells").values() {
            within(cell, CELL_KEYS);
            assert!(
                ["source", "translated", "fallback", "missing"]
                    .contains(&cell["state"].as_str().expect("state"))
            );
            if let Some(stale) = cell.get("stale") {
                within(stale, STALE_KEYS);
            }
        }
    }
    let change = &page(&status, "guide/install")["languages"]["fr"]["stale"]["changes"][0];
    within(change, &["change", "paragraph", "text"]);
    within(&status["fluent"], &["errors", "warnings", "diagnostics"]);
    let (_, check) = check(&site, &["--min-coverage", "fr=10"]);
    within(&check, &["ok", "errors", "warnings", "diagnostics", "coverage"]);
    within(
        &check["coverage"][0],
        &["language", "required", "coverage_pages", "ok"],
    );
    for key in [STATUS_KEYS, COUNT_KEYS, PAGE_KEYS, CELL_KEYS, STALE_KEYS].concat() {
        documented(key);
    }
    for key in ["change", "paragraph", "required", "coverage", "severity"] {
        documented(key);
    }
}

#[test]
fn text_and_html_reports_show_coverage_and_what_to_do() {
    let site = Site::fixture();
    let out = site.run(&["i18n", "status"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let fr_line = text.lines().find(|l| l.starts_with("fr ")).expect("fr line");
    assert!(
        fr_line.contains("66.7%") && fr_line.contains("78.9%"),
        "{fr_line}"
    );
    assert!(text.contains("fr: stale: content/guide/usage.fr.md"));
    assert!(text.contains("ru: machine-translated by MT engine: content/guide/install.ru.md"));

    let out = site.run(&["i18n", "status", "--format", "html"]);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!doctype html>"));
    // Self-contained: no outside stylesheet, script or image.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    // The grid: news in French is 0 %, coloured red (hue 0).
    assert!(
        html.contains(
            "<td class=\"cov\" style=\"background:hsl(0,70%,80%)\" title=\"0 of 2 pages\">0.0</td>"
        ),
        "{html}"
    );
    assert!(html.contains("<a href=\"content/guide/usage.fr.md\">"));
    assert!(html.contains("<a href=\"content/news/launch.md\">"));

    // --lang narrows every part to one language; an unknown one is bad usage.
    let json: Value = serde_json::from_slice(
        &site
            .run(&["i18n", "status", "--format", "json", "--lang", "ru"])
            .stdout,
    )
    .expect("json");
    assert_eq!(json["languages"].as_array().map(Vec::len), Some(1));
    assert!(page(&json, "guide/install")["languages"].get("fr").is_none());
    assert_eq!(
        site.run(&["i18n", "status", "--lang", "de"]).status.code(),
        Some(2)
    );
}

#[test]
fn machine_translated_pages_show_the_notice_from_fluent() {
    let site = Site::fixture();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ru = site.read("public/ru/guide/install/index.html");
    assert!(
        ru.contains("<p class=\"machine-notice\">Эта страница переведена машиной.</p>"),
        "{ru}"
    );
    let fr = site.read("public/fr/guide/install/index.html");
    assert!(!fr.contains("machine-notice"));
}

#[test]
fn default_theme_shows_the_machine_translation_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("portal");
    let init = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("init")
        .arg(&root)
        .output()
        .expect("init");
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let page = root.join("content/about/welcome.fr.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        text.replace("status: reviewed", "status: machine\n  by: \"MT\""),
    )
    .expect("write");
    let build = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--root"])
        .arg(&root)
        .output()
        .expect("build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let html = std::fs::read_to_string(root.join("public/fr/about/welcome/index.html")).expect("page");
    let fr_ftl = std::fs::read_to_string(root.join("locales/fr/main.ftl")).expect("ftl");
    let notice = fr_ftl
        .lines()
        .find_map(|l| l.strip_prefix("machine-translation-notice = "))
        .expect("notice message");
    assert!(html.contains("class=\"notice notice-machine\""));
    // Tera escapes the apostrophe of "n'a pas".
    assert!(
        html.contains(&notice.replace('\'', "&#39;")),
        "the notice comes from Fluent: {html}"
    );
    assert!(html.contains("<span class=\"notice-by\">Traduction\u{a0}: MT</span>"));
    let en = std::fs::read_to_string(root.join("public/about/welcome/index.html")).expect("page");
    assert!(!en.contains("notice-machine"));
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_a_full_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("new-site");
    let vitrine = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(args)
            .output()
            .expect("vitrine")
    };
    let root_s = root.to_str().expect("utf-8");
    assert!(vitrine(&["init", root_s]).status.success());
    let build = vitrine(&["build", "--root", root_s]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for page in [
        "public/index.html",
        "public/fr/index.html",
        "public/about/welcome/index.html",
        "public/fr/about/welcome/index.html",
    ] {
        assert!(root.join(page).is_file(), "{page}");
    }
    // Two languages, one page each, the translation up to date.
    let status: Value =
        serde_json::from_slice(&vitrine(&["i18n", "status", "--format", "json", "--root", root_s]).stdout)
            .expect("json");
    assert_eq!(language(&status, "fr")["coverage_pages"], 100.0);
    assert_eq!(language(&status, "fr")["stale"], 0);
    assert_eq!(language(&status, "fr")["unstamped"], 2);
    assert_eq!(vitrine(&["init", root_s]).status.code(), Some(2));
}

#[test]
fn new_creates_pages_and_stamped_translations_that_build() {
    let site = Site::fixture();
    let out = site.run(&["new", "guide/faq"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let faq = site.read("content/guide/faq.md");
    assert!(faq.starts_with("---\ntitle: \"Faq\"\n") && faq.contains("draft: true\n"));

    let out = site.run(&["new", "news/launch", "--lang", "fr", "--translate-from", "en"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let launch = site.read("content/news/launch.fr.md");
    let status = site.status_json();
    let hash = page(&status, "news/launch")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert!(
        launch.starts_with("---\ntitle: \"Launch\"\ndate: 2025-02-01\ntranslation:\n  status: draft\n"),
        "{launch}"
    );
    assert!(launch.contains(&format!("source_hash: \"{hash}\"\n---\n")));
    assert!(
        !launch.contains("handbook is online"),
        "the body is left for the translator"
    );
    let cell = &page(&status, "news/launch")["languages"]["fr"];
    assert_eq!(
        (cell["state"].as_str(), cell["status"].as_str()),
        (Some("translated"), Some("draft"))
    );
    assert!(cell.get("stale").is_none() && cell["unstamped"] == false);

    let build = site.run(&["build", "--drafts"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.root.join("public/fr/news/launch/index.html").is_file());
    assert!(site.root.join("public/guide/faq/index.html").is_file());

    // Never overwrite; bad paths and languages are usage errors.
    assert_eq!(site.run(&["new", "guide/faq"]).status.code(), Some(1));
    assert_eq!(site.run(&["new", "../escape"]).status.code(), Some(2));
    assert_eq!(
        site.run(&["new", "guide/x", "--lang", "de"]).status.code(),
        Some(2)
    );
    assert_eq!(
        site.run(&["new", "guide/none", "--lang", "fr", "--translate-from", "en"])
            .status
            .code(),
        Some(1)
    );
}
