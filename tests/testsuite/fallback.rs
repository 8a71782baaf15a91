//! `untranslated: fallback` shows the text of the fallback language, marked
//! with its real `lang` and a notice in the reader's language;
//! `untranslated: skip` leaves the page out.

use crate::site_test::SiteTest;

const PUPPETS: &str = "fr/culture/mua-roi-nuoc/index.html";

#[test]
fn a_fallback_page_carries_the_source_text_its_lang_and_a_notice_in_french() {
    let t = SiteTest::new("multilingual").build();
    t.assert_file_contains(PUPPETS, "<html lang=\"fr\" dir=\"ltr\">")
        // The Vietnamese text, marked as Vietnamese.
        .assert_file_contains(PUPPETS, "<div class=\"content\" lang=\"vi\">")
        .assert_file_contains(
            PUPPETS,
            "Múa rối nước là nghệ thuật dân gian độc đáo của đồng bằng sông Hồng.",
        )
        // The notice is French and names the language shown, in French.
        .assert_file_contains(
            PUPPETS,
            "Cette page n&#39;est pas encore disponible en français ; elle est affichée en vietnamien.",
        );
    // The lang attribute wraps the text itself, not the notice.
    let html = t.read(PUPPETS);
    let notice = html.find("fallback-notice").expect("notice");
    let content = html.find("<div class=\"content\" lang=\"vi\">").expect("content");
    let text = html.find("Múa rối nước là").expect("text");
    assert!(
        notice < content && content < text,
        "notice, then lang=vi, then the text:\n{html}"
    );
    // The fallback follows the chain: fr → en → vi. Tết has English text, so fr shows it.
    t.assert_file_contains("fr/culture/tet/index.html", "<div class=\"content\" lang=\"en\">")
        .assert_file_contains("fr/culture/tet/index.html", "elle est affichée en anglais")
        .assert_file_contains("fr/culture/tet/index.html", "Tet is the biggest festival");
    // A page written in French has no notice and no foreign lang.
    t.assert_file_not_contains("fr/culture/robe-ao-dai/index.html", "fallback-notice")
        .assert_file_contains("fr/culture/robe-ao-dai/index.html", "<div class=\"content\">");
    // Fallback copies are listed in their section in the reader's language.
    t.assert_file_contains("fr/culture/index.html", "/fr/culture/mua-roi-nuoc/");
}

#[test]
fn with_skip_an_untranslated_page_is_left_out() {
    let t = SiteTest::new("multilingual")
        .replace("site.yaml", "untranslated: fallback", "untranslated: skip")
        .build();
    t.assert_missing(PUPPETS)
        .assert_missing("fr/culture/tet/index.html")
        .assert_missing("en/culture/mua-roi-nuoc/index.html")
        .assert_exists("culture/mua-roi-nuoc/index.html")
        .assert_exists("fr/culture/robe-ao-dai/index.html")
        .assert_file_not_contains("fr/culture/index.html", "mua-roi-nuoc")
        .assert_file_not_contains("fr/culture/index.html", "Múa rối nước")
        .assert_file_contains("fr/culture/index.html", "/fr/culture/robe-ao-dai/")
        .assert_file_not_contains(
            "culture/mua-roi-nuoc/index.html",
            "<link rel=\"alternate\" hreflang=\"fr\"",
        );
}

/// With `untranslated: skip`, a link to a page missing in the current
/// language leads to the page in the nearest language of the fallback chain
/// that has it, marked with `hreflang` and `lang`; links to pages that exist
/// in the language stay plain.
#[test]
fn with_skip_a_link_to_an_untranslated_page_goes_to_the_nearest_language() {
    let t = SiteTest::new("multilingual")
        .replace("site.yaml", "untranslated: fallback", "untranslated: skip")
        .replace(
            "content/culture/ao-dai.en.md",
            "The ao dai is",
            "See [the puppets](@/culture/mua-roi-nuoc.md \"Water puppets\") and [Tet](@/culture/tet.md#food). The ao dai is",
        )
        .replace(
            "content/culture/ao-dai.fr.md",
            "L'áo dài est",
            "Voir [le Têt](@/culture/tet.md). L'áo dài est",
        )
        .build();
    // English has no puppet page: its chain (en → vi) finds the Vietnamese one.
    t.assert_file_contains(
        "en/culture/ao-dai/index.html",
        "<a href=\"https://portal.example.org/culture/mua-roi-nuoc/\" hreflang=\"vi\" lang=\"vi\" title=\"Water puppets\">the puppets</a>",
    )
    .assert_file_contains(
        "en/culture/ao-dai/index.html",
        "<a href=\"https://portal.example.org/en/culture/tet/#food\">Tet</a>",
    )
    // French has no Tết page: its chain (fr → en → vi) finds the English one first.
    .assert_file_contains(
        "fr/culture/robe-ao-dai/index.html",
        "<a href=\"https://portal.example.org/en/culture/tet/\" hreflang=\"en\" lang=\"en\">le Têt</a>",
    );
}
