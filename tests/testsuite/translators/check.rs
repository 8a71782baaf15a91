//! The Fluent lint and `vitrine check --strict --min-coverage`.

use serde_json::Value;

use crate::site_test::SiteTest;

/// Runs `vitrine check --format json` and returns (exit code, json).
pub fn check(site: &SiteTest, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = site.cmd(&args);
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}

/// `(severity, file:line, message)` of every diagnostic.
pub fn findings(json: &Value) -> Vec<(String, String, String)> {
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
    let site = SiteTest::new("translators-site");
    let (code, json) = check(&site, &["--strict"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["warnings"], 0);
    assert!(findings(&json).is_empty());
}

#[test]
fn each_fluent_problem_is_found_at_its_line() {
    let site = SiteTest::new("translators-site");
    let site = site.write(
        "locales/fr/main.ftl",
        "-brand = Manuel\n\
         welcome = Bienvenue dans { -marque }\n\
         read-more = Lire la suite\n\
         items = { $cuont ->\n    [one] une page\n   *[other] { $cuont } pages\n}\n\
         machine-notice = Traduit par une machine.\n    .title = Machine\n\
         only-in-french = Seulement ici\n",
    );
    let site = site.write(
        "locales/ru/main.ftl",
        "-brand = Справочник\n\
         welcome = Добро пожаловать в { -brand }\n\
         read-more = Читать далее\n    .title = Читать всю страницу\n\
         items = { $count ->\n    [one] { $count } страница\n   *[other] { $count } страницы\n}\n\
         machine-notice = Эта страница переведена машиной.\n",
    );
    let site = site.write(
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
    let site = SiteTest::new("translators-site");
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
    let site = site.write("locales/en/extra.ftl", "unused-message = Nobody asks for me\n");
    let site = site.write("locales/fr/extra.ftl", "unused-message = Personne\n");
    let site = site.write("locales/ru/extra.ftl", "unused-message = Никто\n");
    let (code, json) = check(&site, &[]);
    assert_eq!((code, json["warnings"].as_u64()), (Some(0), Some(1)), "{json:#}");
    let (code, json) = check(&site, &["--strict"]);
    assert_eq!((code, json["errors"].as_u64()), (Some(1), Some(1)));
}
