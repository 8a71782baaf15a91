//! The terms of one language's index, numbered as its pages are read, and
//! the table both it and the [`Lexicon`](super::Lexicon) find CJK grams in.
//! A word as written is folded into its term only the first time it is
//! met; a CJK unigram is found by its code point in a table rather than
//! hashed.

use rustc_hash::FxHashMap;

use super::normalize::{self, Term, Token};

/// Unigrams of the Basic Multilingual Plane (every common Han, Kana and
/// Hangul character) are looked up in a table this long.
const TABLE: usize = 0x1_0000;
/// Not met yet (in tables of numbers), or no term (a word of marks alone).
pub const NONE: u32 = u32::MAX;

/// A CJK gram as one number: a unigram is its code point, a bigram its two
/// code points (21 bits each), which puts it past every unigram.
pub fn gram_key(first: char, second: Option<char>) -> u64 {
    match second {
        Some(second) => (u64::from(first) << 21) | u64::from(second),
        None => u64::from(first),
    }
}

/// The text of the gram `key`.
fn gram_text(key: u64) -> String {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32);
    match key >> 21 {
        0 => char_at(0).into_iter().collect(),
        _ => char_at(21).into_iter().chain(char_at(0)).collect(),
    }
}

/// Numbers by CJK gram.
#[derive(Default)]
pub struct GramTable {
    /// BMP unigram by code point → number, or [`NONE`]; made at the first.
    unigrams: Vec<u32>,
    /// The other grams (bigrams, and unigrams past the BMP) → number.
    others: FxHashMap<u64, u32>,
}

impl GramTable {
    /// The number of gram `key`, from `make` the first time it is asked.
    pub fn number(&mut self, key: u64, make: impl FnOnce() -> u32) -> u32 {
        let code = key as usize;
        if code < TABLE {
            if self.unigrams.is_empty() {
                self.unigrams = vec![NONE; TABLE];
            }
            if self.unigrams[code] == NONE {
                self.unigrams[code] = make();
            }
            return self.unigrams[code];
        }
        *self.others.entry(key).or_insert_with(make)
    }
}

/// The distinct terms of one language, each folded once.
#[derive(Default)]
pub struct Vocabulary {
    /// Words as written → term, or [`NONE`] for marks alone.
    words: FxHashMap<Box<str>, u32>,
    grams: GramTable,
    by_term: FxHashMap<Term, u32>,
    /// The terms by number.
    pub terms: Vec<Term>,
}

impl Vocabulary {
    /// The term of a token.
    pub fn token(&mut self, token: Token<&str>) -> Option<u32> {
        match token {
            Token::Word(word) => self.word(word),
            Token::Gram(gram) => {
                let mut chars = gram.chars();
                let first = chars.next()?;
                Some(self.gram(gram_key(first, chars.next())))
            }
        }
    }

    /// The term of a word as written, if it is more than marks.
    pub fn word(&mut self, word: &str) -> Option<u32> {
        let id = match self.words.get(word) {
            Some(&id) => id,
            None => {
                let id = normalize::word_term(word).map_or(NONE, |term| self.number(term));
                self.words.insert(word.into(), id);
                id
            }
        };
        (id != NONE).then_some(id)
    }

    /// The term of the gram `key` ([`gram_key`]).
    pub fn gram(&mut self, key: u64) -> u32 {
        let Vocabulary {
            grams,
            by_term,
            terms,
            ..
        } = self;
        grams.number(key, || {
            number(by_term, terms, normalize::cjk_term(&gram_text(key)))
        })
    }

    /// The number of `term`, given now if it has none.
    fn number(&mut self, term: Term) -> u32 {
        number(&mut self.by_term, &mut self.terms, term)
    }
}

fn number(by_term: &mut FxHashMap<Term, u32>, terms: &mut Vec<Term>, term: Term) -> u32 {
    if let Some(&id) = by_term.get(&term) {
        return id;
    }
    let id = terms.len() as u32;
    by_term.insert(term.clone(), id);
    terms.push(term);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gram_is_known_by_its_key() {
        let mut vocabulary = Vocabulary::default();
        for gram in ["首", "首都", "𠀀", "内𠀀"] {
            let id = vocabulary.token(Token::Gram(gram)).expect("a gram has a term");
            assert_eq!(vocabulary.terms[id as usize].exact, gram);
            let mut chars = gram.chars();
            let key = gram_key(chars.next().unwrap_or_default(), chars.next());
            assert_eq!(vocabulary.gram(key), id);
        }
        assert_eq!(vocabulary.terms.len(), 4);
    }

    #[test]
    fn words_of_one_term_share_its_number() {
        let mut vocabulary = Vocabulary::default();
        let hue = vocabulary.word("Huế");
        assert_eq!(vocabulary.word("huế"), hue);
        assert_ne!(vocabulary.word("Hue"), hue);
        assert_eq!(vocabulary.word("\u{0651}"), None);
        assert_eq!(vocabulary.terms.len(), 2);
    }
}
