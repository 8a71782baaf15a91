//! Text → search terms, the same way for the index (here) and for queries
//! (`themes/default/static/search.js` mirrors these rules step by step).
//!
//! One pipeline serves every language, because pages quote other scripts (a
//! French page naming Huế or 越南 must be found by both): words are runs of
//! letters, digits and marks; Han, Kana and Hangul runs become character
//! bigrams (and, in the index, a run's last character on its own: with the
//! bigrams it starts, it is what a one-character query reads); every
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

/// What the terms are for: the index keeps a CJK run's bigrams and the
/// unigram of its last character; a query uses bigrams, or the unigram when
/// it is one character long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

/// Splits `text` into terms, in reading order: what the index keeps of a
/// text, or what a query looks up. The index cuts page text with the same
/// two steps ([`for_each_piece`], [`for_each_gram`]) but numbers the
/// pieces instead of making terms of them (`super::lexicon`).
pub fn terms(text: &str, mode: Mode) -> Vec<Term> {
    let mut out = Vec::new();
    for_each_piece(text, |piece, cjk| {
        if cjk {
            for_each_gram(piece, mode, |c, d| out.push(cjk_term(c, d)));
        } else {
            out.extend(word_term(piece));
        }
    });
    out
}

/// Calls `emit` with the grams of a CJK run (text all of whose characters
/// are CJK), as their first character and the second if any: each
/// character's bigram with the next one, and the last character alone (in
/// the index, or when the run is one character long). A character's other
/// unigrams are not kept: the bigrams it starts hold the same pages, and
/// the script reads them for a one-character query. The run is walked
/// once: a Chinese page's body is mostly such runs.
#[inline]
pub fn for_each_gram(run: &str, mode: Mode, mut emit: impl FnMut(char, Option<char>)) {
    let mut chars = run.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if next.is_some() || mode == Mode::Index || first {
            emit(c, next);
        }
        first = false;
    }
}

/// Calls `emit` with every word and every CJK run of `text` (a run starts
/// with a CJK character, a word never holds one), and whether it is a run.
/// Returns the text's word count by the rule of reading times
/// (`markdown::text::WordCounter`): the same scan serves both, so a body
/// indexed for search is read once.
///
/// Pieces are given as they are found: every page's body goes through
/// here, and a list of them would be one more allocation per text.
#[inline(always)]
pub fn for_each_piece<'a>(text: &'a str, mut emit: impl FnMut(&'a str, bool)) -> usize {
    let table = &**CLASSES;
    let bytes = text.as_bytes();
    // The piece being read: where it starts, and its kind (`WORD`, `CJK`,
    // or 0 between pieces).
    let (mut start, mut open) = (0, 0);
    // The reading-time count: a word starts at a letter or digit after
    // white space; each CJK character is a word of its own.
    let (mut words, mut in_word) = (0, false);
    let mut at = 0;
    while at < bytes.len() {
        let (class, len) = class_at(table, bytes, at);
        // Without branches: this runs for every character but the rest of
        // a word's (below).
        let alnum = class & ALNUM != 0;
        words += usize::from(class & CJK != 0) + usize::from(alnum && !in_word);
        in_word = (in_word || alnum) && class & (SPACE | CJK) == 0;
        let kind = class & (WORD | CJK);
        if kind != open {
            if open != 0 {
                emit(&text[start..at], open == CJK);
            }
            (start, open) = (at, kind);
        }
        at += len;
        // The rest of a CJK run: each character is one more word.
        if class == CJK {
            while at < bytes.len() {
                let (class, len) = class_at(table, bytes, at);
                if class != CJK {
                    break;
                }
                words += 1;
                at += len;
            }
        }
        // The rest of a word: letters and digits that follow one change
        // nothing above, so they are only stepped over.
        if class == WORD | ALNUM {
            while let Some(&b) = bytes.get(at) {
                let len = if b < 0x80 {
                    // ASCII letters and digits, the most frequent case.
                    if table[usize::from(b)] != WORD | ALNUM {
                        break;
                    }
                    1
                } else {
                    let (class, len) = class_at(table, bytes, at);
                    if class != WORD | ALNUM {
                        break;
                    }
                    len
                };
                at += len;
            }
        }
    }
    if open != 0 {
        emit(&text[start..], open == CJK);
    }
    words
}

/// The class of the character at `at` in `bytes` (valid UTF-8), and its
/// length. Decoded by hand: most characters of most pages are ASCII,
/// classified from their byte.
#[inline(always)]
fn class_at(table: &[u8], bytes: &[u8], at: usize) -> (u8, usize) {
    let b = bytes[at];
    let (code, len) = match b {
        0..0x80 => return (table[usize::from(b)], 1),
        0x80..0xE0 => (u32::from(b & 0x1F) << 6 | continuation(bytes, at + 1), 2),
        0xE0..0xF0 => (
            u32::from(b & 0x0F) << 12 | continuation(bytes, at + 1) << 6 | continuation(bytes, at + 2),
            3,
        ),
        _ => (
            u32::from(b & 0x07) << 18
                | continuation(bytes, at + 1) << 12
                | continuation(bytes, at + 2) << 6
                | continuation(bytes, at + 3),
            4,
        ),
    };
    let class = match table.get(code as usize) {
        Some(&class) => class,
        None => char::from_u32(code).map_or(0, class_of),
    };
    (class, len)
}

/// The low six bits of a UTF-8 continuation byte.
fn continuation(bytes: &[u8], at: usize) -> u32 {
    bytes.get(at).map_or(0, |&b| u32::from(b & 0x3F))
}

// What the scan needs to know of a character, as bits: at most one of
// `WORD` and `CJK`, and `ALNUM` never with `CJK`.

/// Part of a search word: a letter, digit or mark (JavaScript:
/// `[\p{L}\p{N}\p{M}]`), not CJK.
const WORD: u8 = 1;
/// Han, Kana or Hangul ([`is_cjk`]): cut into grams, and a word of the
/// reading-time count on its own.
const CJK: u8 = 2;
/// Starts a word of the reading-time count ([`char::is_alphanumeric`]),
/// not CJK.
const ALNUM: u8 = 4;
/// Ends one ([`char::is_whitespace`]).
const SPACE: u8 = 8;

/// The bits of every character of the Basic Multilingual Plane (ASCII,
/// Vietnamese, Arabic, Cyrillic, Han, …), made once from the Unicode data:
/// every character of every page's body is looked up. Kept as part of the
/// one scan the script's rules are mirrored from; that scan, this table
/// included, is 1.4% of a 10,000-article build's CPU time (profile,
/// 2026-12-02).
static CLASSES: LazyLock<Box<[u8]>> = LazyLock::new(|| {
    (0..0x1_0000u32)
        .map(|code| char::from_u32(code).map_or(0, class_of))
        .collect()
});

/// The bits of `c`.
#[cfg(test)]
fn class(c: char) -> u8 {
    CLASSES.get(c as usize).copied().unwrap_or_else(|| class_of(c))
}

/// The bits of `c`, from the Unicode data.
fn class_of(c: char) -> u8 {
    if is_cjk(c) {
        return CJK;
    }
    let word = if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        has_word_category(c)
    };
    let mut class = 0;
    if word {
        class |= WORD;
    }
    if c.is_alphanumeric() {
        class |= ALNUM;
    }
    if c.is_whitespace() {
        class |= SPACE;
    }
    class
}

/// The term of one word, or none for a run of marks alone (stray harakat).
pub fn word_term(word: &str) -> Option<Term> {
    // ASCII has no marks, no letter variants and nothing to compose: both
    // forms are the lowercase (most English and French words).
    if word.is_ascii() {
        let lower = word.to_ascii_lowercase();
        return (!lower.is_empty()).then(|| Term {
            exact: lower.clone(),
            fold: lower,
        });
    }
    let fold = fold(word);
    (!fold.is_empty()).then(|| Term {
        exact: exact(word),
        fold,
    })
}

/// The term of a CJK unigram or bigram (its first character and the
/// second if any): no case, no diacritics.
pub fn cjk_term(first: char, second: Option<char>) -> Term {
    let gram: String = std::iter::once(first).chain(second).collect();
    Term {
        exact: gram.clone(),
        fold: gram,
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
#[cfg(test)]
fn is_word_char(c: char) -> bool {
    class(c) & (WORD | CJK) != 0
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
pub use vitrine_markdown::is_cjk;

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
