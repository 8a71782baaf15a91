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

use std::sync::LazyLock;

use icu::normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use icu::properties::CodePointMapData;
use icu::properties::props::{GeneralCategory, GeneralCategoryGroup};

/// One search term in its two forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    for_each_token(text, mode, |token| {
        let term = match token {
            Token::Word(word) => word_term(word),
            Token::Gram(gram) => Some(cjk_term(gram)),
        };
        out.extend(term);
    });
    out
}

/// What a term is made from: a word as written, or a CJK unigram or bigram
/// (`S` is `&str` while reading text, `String` when kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token<S> {
    Word(S),
    Gram(S),
}

/// A piece of text: a word (letters, digits, marks) or a CJK run.
enum Piece<'a> {
    Word(&'a str),
    Cjk(&'a str),
}

/// Calls `emit` with every token of `text`, as slices of it: the index
/// turns each distinct token into a term once (most words of a site recur,
/// and folding is the costly part).
pub fn for_each_token<'a>(text: &'a str, mode: Mode, mut emit: impl FnMut(Token<&'a str>)) {
    pieces(text, |piece| match piece {
        Piece::Word(word) => emit(Token::Word(word)),
        Piece::Cjk(run) => for_each_gram(run, mode, &mut emit),
    });
}

/// Calls `emit` with the grams of a CJK run (text all of whose characters
/// are CJK): each character's unigram (in the index, or when the run is one
/// character long) followed by its bigram with the next character. The run
/// is walked once, with no list of character bounds: a Chinese page's body
/// is mostly such runs.
fn for_each_gram<'a>(run: &'a str, mode: Mode, mut emit: impl FnMut(Token<&'a str>)) {
    let unigrams = mode == Mode::Index || run.chars().nth(1).is_none();
    let mut chars = run.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = at + c.len_utf8();
        if unigrams {
            emit(Token::Gram(&run[at..end]));
        }
        if let Some(&(next, d)) = chars.peek() {
            emit(Token::Gram(&run[at..next + d.len_utf8()]));
        }
    }
}

/// Calls `emit` with every word and every CJK run of `text` (a run starts
/// with a CJK character, a word never holds one), and whether it is a run.
pub fn for_each_piece<'a>(text: &'a str, mut emit: impl FnMut(&'a str, bool)) {
    pieces(text, |piece| match piece {
        Piece::Word(word) => emit(word, false),
        Piece::Cjk(run) => emit(run, true),
    });
}

/// Calls `emit` with the words and CJK runs of `text`, in order (as they
/// are found: every page's body goes through here, and a list of them
/// would be one more allocation per text).
fn pieces<'a>(text: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    // (start, is_cjk) of the piece being read.
    let mut open: Option<(usize, bool)> = None;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most characters of most pages are ASCII: those are classified
        // from their byte, without decoding a character.
        let (kind, len) = match bytes[at] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric().then_some(false), 1),
            _ => {
                let c = text[at..].chars().next().unwrap_or_default();
                let kind = if is_cjk(c) {
                    Some(true)
                } else if is_word_char(c) {
                    Some(false)
                } else {
                    None
                };
                (kind, c.len_utf8())
            }
        };
        match (open, kind) {
            (Some((start, cjk)), Some(k)) if cjk != k => {
                emit(piece(&text[start..at], cjk));
                open = Some((at, k));
            }
            (Some(_), Some(_)) => {}
            (Some((start, cjk)), None) => {
                emit(piece(&text[start..at], cjk));
                open = None;
            }
            (None, Some(k)) => open = Some((at, k)),
            (None, None) => {}
        }
        at += len;
    }
    if let Some((start, cjk)) = open {
        emit(piece(&text[start..], cjk));
    }
}

fn piece(text: &str, cjk: bool) -> Piece<'_> {
    if cjk { Piece::Cjk(text) } else { Piece::Word(text) }
}

/// The term of one word, or none for a run of marks alone (stray harakat).
pub fn word_term(word: &str) -> Option<Term> {
    let fold = fold(word);
    (!fold.is_empty()).then(|| Term {
        exact: exact(word),
        fold,
    })
}

/// The term of a CJK unigram or bigram: no case, no diacritics.
pub fn cjk_term(gram: &str) -> Term {
    Term {
        exact: gram.to_string(),
        fold: gram.to_string(),
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
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Every character of every page's body is asked: for the Basic
    // Multilingual Plane (Vietnamese, Arabic, Cyrillic, …) the answer is
    // read from a table of bits made once from the Unicode data.
    static BMP: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 0x1_0000 / 64];
        for code in 0..0x1_0000u32 {
            if char::from_u32(code).is_some_and(has_word_category) {
                bits[code as usize / 64] |= 1 << (code % 64);
            }
        }
        bits
    });
    let code = c as usize;
    match BMP.get(code / 64) {
        Some(word) => word & (1 << (code % 64)) != 0,
        None => has_word_category(c),
    }
}

fn has_word_category(c: char) -> bool {
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    GeneralCategoryGroup::Letter.contains(category)
        || GeneralCategoryGroup::Number.contains(category)
        || GeneralCategoryGroup::Mark.contains(category)
}

fn is_mark(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Scripts written without spaces between words: Han, Kana, Hangul.
pub use crate::markdown::is_cjk;

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
