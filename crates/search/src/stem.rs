//! Word forms: the Snowball stemmer of a language (`rust-stemmers`) at
//! index time, and the same algorithm in JavaScript for the reader's query
//! (`stem/<lang>.js`, written beside the language's index and loaded only
//! by its search page).
//!
//! Both sides stem a word's exact form (lowercase, NFC: the stemmers read
//! accents, `й` and `ة`, which folding would lose) with `ё`, `ë` and `ï`
//! written `е`, `e` and `i` ([`light`]): on those three the Rust stemmers
//! and the JavaScript ones come from different Snowball releases, and
//! otherwise they agree word for word (the test `search_stems` runs both
//! over thousands of words per language). The stem is then folded
//! ([`WordForms::key`]), as the index's terms are, so that a word typed
//! without accents reaches the same stem in most cases.
//!
//! What a stem is used for (which terms share it) is [`super::index`]'s;
//! how the script combines them with exact forms is `search.js`'s.

use rust_stemmers::{Algorithm, Stemmer};

use super::normalize;

/// A language's stemmer: the algorithm for the index, its JavaScript twin
/// for the search page.
pub struct WordForms {
    stemmer: Stemmer,
    /// The ES module exporting `stemmer(word)`.
    pub script: &'static str,
}

impl WordForms {
    /// The stemmer of language `code` (by its primary subtag: `fr-CA` is
    /// French), or `None` for a language without one (Vietnamese and
    /// Chinese words do not inflect).
    pub fn of(code: &str) -> Option<WordForms> {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        let (algorithm, script) = match primary.to_ascii_lowercase().as_str() {
            "en" => (Algorithm::English, include_str!("stem/en.js")),
            "fr" => (Algorithm::French, include_str!("stem/fr.js")),
            "ru" => (Algorithm::Russian, include_str!("stem/ru.js")),
            "ar" => (Algorithm::Arabic, include_str!("stem/ar.js")),
            _ => return None,
        };
        Some(WordForms {
            stemmer: Stemmer::create(algorithm),
            script,
        })
    }

    /// The stem of a word in its [`light`] form.
    pub fn stem<'a>(&self, light: &'a str) -> std::borrow::Cow<'a, str> {
        self.stemmer.stem(light)
    }

    /// The key of the stem table for a word's exact form
    /// ([`normalize::exact`]): its stem, folded.
    pub fn key(&self, exact: &str) -> String {
        normalize::fold(&self.stem(&light(exact)))
    }
}

/// A word's exact form as both sides stem it: `ё`, `ë`, `ï` as `е`, `e`,
/// `i` (the script does the same).
pub fn light(exact: &str) -> String {
    exact
        .chars()
        .map(|c| match c {
            'ё' => 'е',
            'ë' => 'e',
            'ï' => 'i',
            _ => c,
        })
        .collect()
}

impl std::fmt::Debug for WordForms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WordForms")
    }
}

/// The languages that have a stemmer, by code.
pub const LANGUAGES: [&str; 4] = ["en", "fr", "ru", "ar"];

#[cfg(test)]
mod tests {
    use super::WordForms;

    /// The stem table's key of each word, as the index and the script
    /// compute it.
    fn stems(lang: &str, words: &[&str]) -> Vec<String> {
        let forms = WordForms::of(lang).expect("a stemmer");
        words
            .iter()
            .map(|w| forms.key(&crate::normalize::exact(w)))
            .collect()
    }

    fn all_same(lang: &str, words: &[&str]) {
        let stems = stems(lang, words);
        assert!(
            stems.iter().all(|s| *s == stems[0]),
            "{lang}: {words:?} → {stems:?}"
        );
    }

    #[test]
    fn russian_cases_share_a_stem() {
        all_same("ru", &["Экономика", "экономики", "экономику", "экономикой"]);
        all_same("ru", &["столица", "столицы", "столице"]);
        all_same("ru", &["зелёный", "зеленый", "зелёная"]);
    }

    #[test]
    fn english_plurals_and_derivations_share_a_stem() {
        all_same("en", &["constitution", "constitutions", "constitutional"]);
        all_same("en", &["economy", "economies"]);
    }

    #[test]
    fn french_forms_share_a_stem_with_or_without_accents() {
        all_same(
            "fr",
            &["géographie", "géographique", "geographiques", "Géographies"],
        );
        all_same("fr", &["région", "régions", "REGION"]);
    }

    #[test]
    fn arabic_articles_and_endings_are_removed() {
        all_same("ar", &["الاقتصاد", "اقتصاد", "الاقتصادية", "اقتصادي"]);
        all_same("ar", &["العاصمة", "عاصمة", "العَاصِمَة"]);
    }

    #[test]
    fn languages_without_inflection_have_no_stemmer() {
        for lang in ["vi", "zh", "ja", "ko"] {
            assert!(WordForms::of(lang).is_none(), "{lang}");
        }
        assert!(WordForms::of("fr-CA").is_some());
        assert!(WordForms::of("en_GB").is_some());
    }

    #[test]
    fn every_stemmer_ships_its_script() {
        for lang in super::LANGUAGES {
            let script = WordForms::of(lang).expect("a stemmer").script;
            assert!(script.contains("stemmer"), "{lang}");
        }
    }
}
