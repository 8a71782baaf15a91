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

/// The Markdown pass's stand-ins for a site: no page links, and one picture
/// (`photo.jpg`) that becomes markup, as a processed image would.
mod scan_of_the_markdown_pass {
    use super::for_each_piece;
    use vitrine_core::diagnostics::Diagnostic;
    use vitrine_markdown::{
        ImageResolver, LinkResolver, MarkdownImage, MarkdownOptions, Resolved, render_with_images,
    };

    struct NoLinks;

    impl LinkResolver for NoLinks {
        fn resolve(&self, path: &str) -> Result<String, String> {
            Err(format!("no page at content/{path}"))
        }
    }

    struct Pictures;

    impl ImageResolver for Pictures {
        fn resolve_image(&self, image: &MarkdownImage<'_>) -> Result<Resolved, Diagnostic> {
            Ok(match image.src {
                "photo.jpg" => Resolved::Markup("<picture></picture>".to_string()),
                _ => Resolved::Plain(None),
            })
        }
    }

    #[test]
    fn words_counted_from_the_plain_text_are_those_the_pass_counts() {
        // With the plain text, the pass leaves counting to its reader (the
        // search index's scan): both must give the same count, or a page's
        // reading time would change with the site's search setting.
        let bodies = [
            "The Hue citadel — built in 1804.\n\nCôte d’Ivoire, **bo**ld and `code` words.",
            "# Heading one\n\nText under it.\n\n## 文化遗产\n\n文化 and heritage 越南。ひらがな",
            "- item\n  - nested\n- last\n\n1. one\n2. two\n\n> quote\n>\n> more",
            "A ![alt text here](photo.jpg) picture and ![plain alt](other.jpg).",
            "Raw <span>inline</span> html\n\n<div>block html</div>\n\nafter",
            "الْعَاصِمَة هانوي، فيـــتنام",
            "Line one\nline two  \nline three",
            "Circled Ⓐ, _under_score, 1,804 and 3.5, no\u{a0}break, wide\u{3000}space, x\u{0b}y",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nfoot[^1]\n\n[^1]: note text\n\n```\ncode block words\n```",
        ];
        for allow_html in [false, true] {
            for body in bodies {
                let counted = render_with_images(
                    body,
                    1,
                    &MarkdownOptions {
                        allow_html,
                        plain_text: false,
                        urls: None,
                    },
                    &NoLinks,
                    Some(&Pictures),
                )
                .expect("renders")
                .word_count;
                let rendered = render_with_images(
                    body,
                    1,
                    &MarkdownOptions {
                        allow_html,
                        plain_text: true,
                        urls: None,
                    },
                    &NoLinks,
                    Some(&Pictures),
                )
                .expect("renders");
                assert_eq!(rendered.word_count, 0, "left to the reader");
                let text = rendered.plain_text.expect("asked for");
                let scanned = for_each_piece(&text, |_, _| {});
                assert_eq!(scanned, counted, "{body:?} (allow_html: {allow_html})");
            }
        }
    }
}
