//! Text → search terms, the same way for the index (here) and for queries
//! (`themes/default/static/search.js` mirrors these rules step by step).
//!
//! One pipeline serves every language, because pages quote other scripts (a
//! French page naming Huế or 越南 must be found by both): words are runs of
//! letters, digits and marks; Han, Kana and Hangul runs become character
//! bigrams (plus unigrams in the index, so one-character queries work); every
//! term has an `exact` form (lowercase, NFC) and a `fold` form that drops
//! diacritics (Vietnamese tones, French accents, Arabic harakat and hamza
//! seats), unifies Arabic letter variants and removes tatweel. The index is
//! keyed by `fold`, so "Da Nang" finds "Đà Nẵng"; `exact` lets a query typed
//! with the right diacritics rank those pages first.

use icu::normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use icu::properties::CodePointMapData;
use icu::properties::props::{GeneralCategory, GeneralCategoryGroup};

/// One search term in its two forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    /// Lowercase NFC, diacritics kept: `huế`.
    pub exact: String,
    /// Diacritics and letter variants folded: `hue`.
    pub fold: String,
}

/// What the terms are for: the index keeps CJK unigrams beside bigrams; a
/// query uses bigrams, or the unigram when it is one character long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

/// Splits `text` into terms, in reading order.
pub fn terms(text: &str, mode: Mode) -> Vec<Term> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_cjk(c) {
            push_word(&mut word, &mut out);
            cjk.push(c);
        } else if is_word_char(c) {
            push_cjk(&mut cjk, mode, &mut out);
            word.push(c);
        } else {
            push_word(&mut word, &mut out);
            push_cjk(&mut cjk, mode, &mut out);
        }
    }
    push_word(&mut word, &mut out);
    push_cjk(&mut cjk, mode, &mut out);
    out
}

fn push_word(word: &mut String, out: &mut Vec<Term>) {
    if word.is_empty() {
        return;
    }
    let fold = fold(word);
    // A run of marks alone (stray harakat) folds to nothing.
    if !fold.is_empty() {
        out.push(Term {
            exact: exact(word),
            fold,
        });
    }
    word.clear();
}

fn push_cjk(run: &mut Vec<char>, mode: Mode, out: &mut Vec<Term>) {
    let unigrams = mode == Mode::Index || run.len() == 1;
    for (i, &c) in run.iter().enumerate() {
        if unigrams {
            out.push(cjk_term(String::from(c)));
        }
        if let Some(&next) = run.get(i + 1) {
            out.push(cjk_term([c, next].iter().collect()));
        }
    }
    run.clear();
}

fn cjk_term(text: String) -> Term {
    Term {
        exact: text.clone(),
        fold: text,
    }
}

/// Lowercase, NFC: the form a reader typed, diacritics kept.
pub fn exact(word: &str) -> String {
    ComposingNormalizerBorrowed::new_nfc()
        .normalize(word)
        .to_lowercase()
        .replace(TATWEEL, "")
}

const TATWEEL: char = '\u{0640}';

/// Lowercase, decomposed, marks dropped, letter variants unified: `Đà Nẵng`
/// → `da nang`, `Élysée` → `elysee`, `الْقُرْآن` → `القران`.
pub fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(&lower);
    let mut out = String::with_capacity(decomposed.len());
    for c in decomposed.chars() {
        if is_mark(c) {
            continue;
        }
        match c {
            'đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            // Arabic: alef wasla to bare alef (the hamza forms decompose
            // into alef + a mark above), alef maqsura to ya, ta marbuta to
            // ha, Persian kaf and ya to their Arabic letters, no tatweel.
            'ٱ' => out.push('ا'),
            'ى' | 'ی' => out.push('ي'),
            'ة' => out.push('ه'),
            'ک' => out.push('ك'),
            TATWEEL => {}
            c => out.push(c),
        }
    }
    out
}

/// Letters, digits and marks make words (JavaScript: `[\p{L}\p{N}\p{M}]`).
fn is_word_char(c: char) -> bool {
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    GeneralCategoryGroup::Letter.contains(category)
        || GeneralCategoryGroup::Number.contains(category)
        || GeneralCategoryGroup::Mark.contains(category)
}

fn is_mark(c: char) -> bool {
    GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Scripts written without spaces between words: Han, Kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
