use std::fs;
use std::path::Path;

use super::*;
use vitrine_core::diagnostics::Severity;

const PLURALS: &str = "articles-count = { $count ->
    [zero] zero
    [one] one
    [two] two
    [few] few
    [many] many
   *[other] other
}
";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    fs::write(path, text).expect("write file");
}

/// A site at `<tmp>/site` with its theme at `<tmp>/site/themes/t`.
fn setup(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let theme = site.join("themes/t");
    fs::create_dir_all(&theme).expect("create dir");
    for (rel, text) in files {
        write(&site, rel, text);
    }
    (dir, site, theme)
}

fn count(n: f64) -> Vec<(&'static str, MessageArg)> {
    vec![("count", MessageArg::Number(n))]
}

#[test]
fn messages_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Messages>();
}

#[test]
fn plural_categories_follow_cldr() {
    let langs = ["vi", "en", "fr", "ar"];
    let files: Vec<(String, &str)> = langs
        .iter()
        .map(|l| (format!("locales/{l}/main.ftl"), PLURALS))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let (_tmp, site, theme) = setup(&files);
    let (messages, diags) = Messages::load(&site, &theme, &langs);
    assert!(diags.is_empty(), "{diags:?}");

    let counts = [0.0, 1.0, 2.0, 5.0, 11.0, 100.0];
    let expected: [(&str, [&str; 6]); 4] = [
        ("vi", ["other", "other", "other", "other", "other", "other"]),
        ("en", ["other", "one", "other", "other", "other", "other"]),
        ("fr", ["one", "one", "other", "other", "other", "other"]),
        ("ar", ["zero", "one", "two", "few", "many", "other"]),
    ];
    for (lang, cats) in expected {
        for (n, cat) in counts.iter().zip(cats) {
            let got = messages
                .format(&[lang], "articles-count", &count(*n))
                .expect("formats");
            assert_eq!(got, cat, "{lang} with {n}");
        }
    }
}

#[test]
fn exact_number_variant_wins_over_category() {
    let ftl = "items = { $count ->\n    [0] none\n    [one] one item\n   *[other] { $count } items\n}\n";
    let (_tmp, site, theme) = setup(&[("locales/en/a.ftl", ftl)]);
    let (messages, _) = Messages::load(&site, &theme, &["en"]);
    assert_eq!(
        messages.format(&["en"], "items", &count(0.0)).expect("formats"),
        "none"
    );
    assert_eq!(
        messages.format(&["en"], "items", &count(1.0)).expect("formats"),
        "one item"
    );
    assert_eq!(
        messages.format(&["en"], "items", &count(7.0)).expect("formats"),
        "7 items"
    );
}

#[test]
fn site_overrides_theme_and_theme_fills_gaps() {
    let (_tmp, site, theme) = setup(&[
        ("locales/en/ui.ftl", "read-more = Keep reading\n-brand = Site\n"),
        (
            "themes/t/locales/en/ui.ftl",
            "read-more = Read more\nhome = Home\n-brand = Theme\nabout = About { -brand }\n",
        ),
    ]);
    let (messages, diags) = Messages::load(&site, &theme, &["en"]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        messages.format(&["en"], "read-more", &[]).expect("formats"),
        "Keep reading"
    );
    assert_eq!(messages.format(&["en"], "home", &[]).expect("formats"), "Home");
    // The site's term is used even inside a theme message.
    assert_eq!(
        messages.format(&["en"], "about", &[]).expect("formats"),
        "About Site"
    );
    assert_eq!(messages.message_ids("en"), ["about", "home", "read-more"]);
}

#[test]
fn fallback_chain_and_missing() {
    let (_tmp, site, theme) = setup(&[
        ("locales/en/ui.ftl", "home = Home\nonly-en = English only\n"),
        ("locales/vi/ui.ftl", "home = Trang chủ\n"),
    ]);
    let (messages, _) = Messages::load(&site, &theme, &["vi", "en"]);
    assert_eq!(
        messages.format(&["vi", "en"], "home", &[]).expect("formats"),
        "Trang chủ"
    );
    assert_eq!(
        messages.format(&["vi", "en"], "only-en", &[]).expect("formats"),
        "English only"
    );
    match messages.format(&["vi", "en"], "nope", &[]) {
        Err(MessageError::Missing { key, chain }) => {
            assert_eq!(key, "nope");
            assert_eq!(chain, ["vi", "en"]);
        }
        other => panic!("expected Missing, got {other:?}"),
    }
    assert!(messages.has_message("vi", "home"));
    assert!(!messages.has_message("vi", "only-en"));
    assert!(!messages.has_message("de", "home"));
    assert!(messages.message_ids("de").is_empty());
}

#[test]
fn attributes_variables_and_no_isolation_marks() {
    let (_tmp, site, theme) = setup(&[(
        "locales/en/ui.ftl",
        "search = Search\n    .placeholder = Search { $site }\nhello = Hello, { $name }!\n",
    )]);
    let (messages, _) = Messages::load(&site, &theme, &["en"]);
    let args = [("site", MessageArg::Str("Việt Nam".into()))];
    assert_eq!(
        messages
            .format(&["en"], "search.placeholder", &args)
            .expect("formats"),
        "Search Việt Nam"
    );
    let args = [("name", MessageArg::Str("Ana".into()))];
    let text = messages.format(&["en"], "hello", &args).expect("formats");
    assert_eq!(text, "Hello, Ana!");
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'));
    assert!(messages.has_message("en", "search.placeholder"));
    assert!(!messages.has_message("en", "search.nothing"));
}

#[test]
fn resolver_errors_are_reported() {
    let (_tmp, site, theme) = setup(&[(
        "locales/en/ui.ftl",
        "hello = Hello, { $name }!\nbroken = See { missing-message }\n",
    )]);
    let (messages, _) = Messages::load(&site, &theme, &["en"]);
    match messages.format(&["en"], "hello", &[]) {
        Err(MessageError::Resolve { key, lang, detail }) => {
            assert_eq!((key.as_str(), lang.as_str()), ("hello", "en"));
            assert!(detail.contains("$name"), "{detail}");
        }
        other => panic!("expected Resolve, got {other:?}"),
    }
    let err = messages.format(&["en"], "broken", &[]).expect_err("should fail");
    assert!(err.to_string().contains("missing-message"), "{err}");
}

#[test]
fn syntax_errors_become_diagnostics_and_good_parts_load() {
    let ftl = "good = Fine\n\nbad entry here\nalso-good = Also fine\n";
    let (_tmp, site, theme) = setup(&[("locales/en/ui.ftl", ftl)]);
    let (messages, diags) = Messages::load(&site, &theme, &["en"]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.file.as_deref(), Some(Path::new("locales/en/ui.ftl")));
    assert_eq!(d.location.map(|l| l.line), Some(3));
    assert!(d.message.starts_with("Fluent syntax error: "), "{}", d.message);
    assert!(d.hint.is_some());
    assert_eq!(messages.format(&["en"], "good", &[]).expect("formats"), "Fine");
    assert_eq!(
        messages.format(&["en"], "also-good", &[]).expect("formats"),
        "Also fine"
    );
}

#[test]
fn files_load_in_sorted_order_and_duplicates_warn() {
    let (_tmp, site, theme) = setup(&[
        ("locales/en/b.ftl", "title = From b\n"),
        ("locales/en/a.ftl", "title = From a\n"),
        ("locales/en/notes.txt", "title = ignored\n"),
    ]);
    let (messages, diags) = Messages::load(&site, &theme, &["en"]);
    assert_eq!(messages.format(&["en"], "title", &[]).expect("formats"), "From a");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].file.as_deref(), Some(Path::new("locales/en/b.ftl")));
}

#[test]
fn missing_folders_and_odd_numbers_are_fine() {
    let (_tmp, site, theme) = setup(&[("locales/en/a.ftl", "n = { $count }\n")]);
    let (messages, diags) = Messages::load(&site, &theme, &["en", "xx-not valid"]);
    assert!(diags.is_empty());
    assert_eq!(
        messages.format(&["en"], "n", &count(f64::NAN)).expect("formats"),
        "NaN"
    );
    assert_eq!(
        messages.format(&["en"], "n", &count(2.5)).expect("formats"),
        "2.5"
    );
}

#[test]
fn number_options_asking_for_endless_digits_are_capped() {
    // The `fluent` fuzz target's crash: fluent-bundle padded with as many
    // zeros as asked and aborted on a capacity overflow.
    let ftl = "huge = { NUMBER($count, minimumFractionDigits: 2222222222222222222222222) }\n\
               big = { NUMBER($count, minimumFractionDigits: 5000) }\n\
               two = { NUMBER($count, minimumFractionDigits: 2) }\n";
    let (_dir, site, theme) = setup(&[("locales/vi/main.ftl", ftl)]);
    let (messages, diagnostics) = Messages::load(&site, &theme, &["vi"]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let capped = format!("3.{}", "0".repeat(MAX_NUMBER_DIGITS));
    assert_eq!(
        messages.format(&["vi"], "huge", &count(3.0)).expect("huge"),
        capped
    );
    assert_eq!(messages.format(&["vi"], "big", &count(3.0)).expect("big"), capped);
    assert_eq!(messages.format(&["vi"], "two", &count(3.0)).expect("two"), "3.00");
}

#[test]
fn a_render_notes_each_message_it_consults_in_each_language() {
    let (_dir, site, theme) = setup(&[
        ("locales/fr/main.ftl", "home = Accueil\n"),
        ("locales/en/main.ftl", "home = Home\nmore = More\n"),
    ]);
    let (messages, _) = Messages::load(&site, &theme, &["en", "fr", "de"]);
    let noted = |chain: &[&str], key: &str| {
        let (_, consulted) = super::super::noting_messages(|| messages.format(chain, key, &[]));
        consulted
            .into_iter()
            .flat_map(|(lang, ids)| ids.into_iter().map(move |id| format!("{lang}:{id}")))
            .collect::<Vec<_>>()
    };
    // Found in the first: a later language is not consulted.
    assert_eq!(noted(&["fr", "en"], "home"), ["fr:home"]);
    // Fallen back on: each language up to the one having it.
    assert_eq!(noted(&["fr", "en"], "more"), ["en:more", "fr:more"]);
    // Missing everywhere: the whole chain (adding it anywhere changes it);
    // an attribute is noted as its message.
    assert_eq!(noted(&["de", "fr"], "none.title"), ["de:none", "fr:none"]);
    // Nested notes are their own; the outer ones are kept.
    let ((_, inner), outer) = super::super::noting_messages(|| {
        let _ = messages.format(&["en"], "home", &[]);
        super::super::noting_messages(|| messages.format(&["de", "fr"], "home", &[]))
    });
    assert_eq!(inner.keys().collect::<Vec<_>>(), ["de", "fr"]);
    assert_eq!(outer.keys().collect::<Vec<_>>(), ["en"]);
    assert!(super::super::noting_messages(|| ()).1.is_empty());
}

#[test]
fn digests_change_with_what_a_message_reads_as() {
    let files = |fr: &str| {
        let (dir, site, theme) = setup(&[("locales/fr/main.ftl", fr)]);
        let (messages, problems) = Messages::load(&site, &theme, &["fr"]);
        assert!(problems.is_empty(), "{problems:?}");
        drop(dir);
        messages.digests()
    };
    let base =
        "-brand = Vitrine\nhome = Accueil\nabout = { home } et plus\nnamed = { -brand }\nplain = Texte\n";
    let changed = |other: &str| {
        let changed = super::super::changed_messages(&files(base), &files(other));
        changed
            .get("fr")
            .map(|ids| ids.iter().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert!(changed(base).is_empty(), "the same files");
    // A comment is not what a message reads as.
    assert!(changed(&format!("# A note\n{base}")).is_empty());
    // A message, and the one using it.
    assert_eq!(changed(&base.replace("Accueil", "Portail")), ["about", "home"]);
    // A term, and the messages using one.
    assert_eq!(changed(&base.replace("Vitrine", "Portail")), ["named"]);
    // Added and removed.
    assert_eq!(changed(&format!("{base}new = Neuf\n")), ["new"]);
    assert_eq!(changed(&base.replace("plain = Texte\n", "")), ["plain"]);
}
