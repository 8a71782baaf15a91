use super::*;

fn folds(text: &str, mode: Mode) -> Vec<String> {
    terms(text, mode).into_iter().map(|t| t.fold).collect()
}

#[test]
fn vietnamese_folds_tones_and_d_but_keeps_the_exact_form() {
    assert_eq!(folds("Đà Nẵng, Huế", Mode::Index), ["da", "nang", "hue"]);
    let hue = &terms("Huế", Mode::Query)[0];
    assert_eq!(hue.exact, "huế");
    assert_eq!(hue.fold, "hue");
    // Decomposed input (as some keyboards type it) folds and composes alike.
    let decomposed = "Hue\u{0302}\u{0301}";
    assert_eq!(terms(decomposed, Mode::Query)[0], hue.clone());
    assert_eq!(fold("Phở ĐƯỜNG"), "pho duong");
}

#[test]
fn latin_scripts_fold_case_accents_and_ligatures() {
    assert_eq!(
        folds("L'Élysée, Œuvre à Straße", Mode::Index),
        ["l", "elysee", "oeuvre", "a", "strasse"]
    );
    assert_eq!(fold("ÇA"), "ca");
}

#[test]
fn arabic_normalizes_alef_variants_tatweel_harakat_and_ta_marbuta() {
    assert_eq!(fold("أَحْمَد"), "احمد");
    assert_eq!(fold("إسلام"), "اسلام");
    assert_eq!(fold("آسيا"), "اسيا");
    assert_eq!(fold("ٱلله"), "الله");
    assert_eq!(fold("فيـــتنام"), "فيتنام");
    assert_eq!(fold("مدينة"), "مدينه");
    assert_eq!(fold("مستشفى"), "مستشفي");
    // Harakat are marks inside the word: they never split it.
    assert_eq!(folds("الْعَاصِمَة هانوي", Mode::Index), ["العاصمه", "هانوي"]);
    assert_eq!(exact("فيـــتنام"), "فيتنام");
}

#[test]
fn cjk_runs_become_bigrams_and_their_last_unigram_in_the_index() {
    assert_eq!(folds("越南首都", Mode::Query), ["越南", "南首", "首都"]);
    assert_eq!(folds("越南首", Mode::Index), ["越南", "南首", "首"]);
    assert_eq!(folds("越南首 河", Mode::Index), ["越南", "南首", "首", "河"]);
    // A one-character query is the character (search.js also reads the
    // bigrams it starts).
    assert_eq!(folds("河", Mode::Query), ["河"]);
    // Mixed scripts: Latin words and Han runs split at the boundary.
    assert_eq!(
        folds("Hà Nội是越南的首都", Mode::Query),
        ["ha", "noi", "是越", "越南", "南的", "的首", "首都"]
    );
}

#[test]
fn japanese_kana_and_korean_hangul_are_segmented_too() {
    assert_eq!(folds("ベトナム", Mode::Query), ["ベト", "トナ", "ナム"]);
    assert_eq!(folds("베트남", Mode::Query), ["베트", "트남"]);
}

#[test]
fn ascii_words_take_the_short_way_to_the_same_terms() {
    for word in ["Heritage", "ELYSEE", "x", "2025", "Hue"] {
        let term = word_term(word).expect("a term");
        assert_eq!(term.fold, fold(word), "{word}");
        assert_eq!(term.exact, exact(word), "{word}");
    }
}

#[test]
fn punctuation_and_stray_marks_make_no_terms() {
    assert!(terms(" — «» ; ", Mode::Index).is_empty());
    assert!(terms("\u{064E}", Mode::Index).is_empty());
    assert_eq!(folds("2025-09-02", Mode::Index), ["2025", "09", "02"]);
}

#[test]
fn the_table_of_characters_agrees_with_unicode() {
    // Every code point of the Basic Multilingual Plane, and a few past it.
    for code in (0..0x1_0000).chain([0x1_0000, 0x2_0000, 0x1_F600]) {
        if let Some(c) = char::from_u32(code) {
            let word = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                has_word_category(c)
            };
            let class = class(c);
            assert_eq!(class & WORD != 0, word && !is_cjk(c), "U+{code:04X}");
            assert_eq!(class & CJK != 0, is_cjk(c), "U+{code:04X}");
            assert_eq!(
                class & ALNUM != 0,
                c.is_alphanumeric() && !is_cjk(c),
                "U+{code:04X}"
            );
            assert_eq!(class & SPACE != 0, c.is_whitespace(), "U+{code:04X}");
        }
    }
    assert!(is_word_char('ế') && is_word_char('\u{0651}') && is_word_char('٣'));
    assert!(!is_word_char('،') && !is_word_char('—') && !is_word_char('😀'));
}
