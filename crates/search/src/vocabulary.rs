//! The terms of one language's index, numbered as its pages are read, and
//! the key both it and the [`Lexicon`](super::Lexicon) know CJK grams by.
//! A word as written is folded into its term only the first time it is
//! met.

use rustc_hash::FxHashMap;

use super::normalize::{self, Term};

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

/// The term of the gram `key`.
pub(super) fn gram_term(key: u64) -> Term {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32).unwrap_or_default();
    match key >> 21 {
        0 => normalize::cjk_term(char_at(0), None),
        _ => normalize::cjk_term(char_at(21), Some(char_at(0))),
    }
}

/// The distinct terms of one language, each folded once.
#[derive(Default)]
pub struct Vocabulary {
    /// Words as written → term, or [`NONE`] for marks alone.
    words: FxHashMap<Box<str>, u32>,
    /// CJK grams by [`gram_key`] → term.
    grams: FxHashMap<u64, u32>,
    /// Terms by [`term_key`], numbered in `terms`: words written
    /// differently may share a term ("Huế" and "huế").
    by_term: FxHashMap<Box<str>, u32>,
    /// Where [`term_key`] is written, reused for every term.
    key: String,
    /// The terms by number.
    pub terms: Vec<Term>,
}

impl Vocabulary {
    /// A vocabulary with room for `terms` terms, reserved (not filled):
    /// grown by doubling, the list is copied each time into new memory.
    pub fn with_capacity(terms: usize) -> Vocabulary {
        Vocabulary {
            terms: Vec::with_capacity(terms),
            ..Vocabulary::default()
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
        if let Some(&id) = self.grams.get(&key) {
            return id;
        }
        let id = self.number(gram_term(key));
        self.grams.insert(key, id);
        id
    }

    /// Numbers here the terms of `other`, a vocabulary of other pages:
    /// what each of its numbers is here.
    pub fn absorb(&mut self, other: Vocabulary) -> Vec<u32> {
        other.terms.into_iter().map(|term| self.number(term)).collect()
    }

    /// The number of `term`, numbering it if new.
    fn number(&mut self, term: Term) -> u32 {
        term_key(&term, &mut self.key);
        if let Some(&id) = self.by_term.get(self.key.as_str()) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.by_term.insert(self.key.as_str().into(), id);
        self.terms.push(term);
        id
    }
}

/// A term as one string: its exact form, then (if different) a NUL and its
/// folded form. No term holds a NUL (a control character, in no word).
fn term_key(term: &Term, key: &mut String) {
    key.clear();
    key.push_str(&term.exact);
    if term.fold != term.exact {
        key.push('\0');
        key.push_str(&term.fold);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gram_is_known_by_its_key() {
        let mut vocabulary = Vocabulary::default();
        for gram in ["首", "首都", "𠀀", "内𠀀"] {
            let mut chars = gram.chars();
            let key = gram_key(chars.next().unwrap_or_default(), chars.next());
            let id = vocabulary.gram(key);
            assert_eq!(vocabulary.terms[id as usize].exact, gram);
            assert_eq!(vocabulary.gram(key), id);
        }
        assert_eq!(vocabulary.terms.len(), 4);
    }

    #[test]
    fn grams_keep_their_numbers_as_the_table_grows() {
        let mut vocabulary = Vocabulary::default();
        let keys: Vec<u64> = (0x4E00..0x4E00 + 5000)
            .map(|c| gram_key(char::from_u32(c).unwrap_or('一'), Some('都')))
            .chain([gram_key('𠀀', Some('都')), gram_key('\u{10000}', Some('都'))])
            .collect();
        for (n, &key) in keys.iter().enumerate() {
            assert_eq!(vocabulary.gram(key), n as u32);
        }
        for (n, &key) in keys.iter().enumerate().rev() {
            assert_eq!(vocabulary.gram(key), n as u32);
        }
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
