//! The terms of one language's index, numbered as its pages are read, and
//! the table both it and the [`Lexicon`](super::Lexicon) find CJK grams in.
//! A word as written is folded into its term only the first time it is
//! met.

use rustc_hash::FxHashMap;

use super::normalize::{self, Term};
use super::words::Words;

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

/// Numbers by CJK gram: every CJK character of every page body is looked
/// up here. Open addressing with linear probing, at most half full, keyed
/// by the gram's number itself (never 0, the mark of a free slot): most
/// lookups read one slot, with no hashing of bytes (see `words.rs`).
#[derive(Default)]
pub struct GramTable {
    /// A power of two in length (or empty, before the first gram).
    keys: Vec<u64>,
    numbers: Vec<u32>,
    used: usize,
}

impl GramTable {
    /// The number of gram `key`, from `make` the first time it is asked.
    #[inline]
    pub fn number(&mut self, key: u64, make: impl FnOnce() -> u32) -> u32 {
        if self.keys.is_empty() {
            self.keys = vec![0; 1024];
            self.numbers = vec![NONE; 1024];
        }
        let at = self.slot(key);
        if self.keys[at] == key {
            return self.numbers[at];
        }
        let number = make();
        (self.keys[at], self.numbers[at]) = (key, number);
        self.used += 1;
        if self.used * 2 > self.keys.len() {
            let size = self.keys.len() * 2;
            let keys = std::mem::replace(&mut self.keys, vec![0; size]);
            let numbers = std::mem::replace(&mut self.numbers, vec![NONE; size]);
            for (key, number) in keys.into_iter().zip(numbers).filter(|&(k, _)| k != 0) {
                let at = self.slot(key);
                (self.keys[at], self.numbers[at]) = (key, number);
            }
        }
        number
    }

    /// Where `key` is, or the free slot where it goes.
    fn slot(&self, key: u64) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mask = self.keys.len() - 1;
        // The top bits of the product, the best mixed.
        let mut at = (key.wrapping_mul(K) >> (64 - self.keys.len().trailing_zeros())) as usize;
        while self.keys[at] != key && self.keys[at] != 0 {
            at = (at + 1) & mask;
        }
        at
    }
}

/// The distinct terms of one language, each folded once.
#[derive(Default)]
pub struct Vocabulary {
    /// Words as written → term, or [`NONE`] for marks alone.
    words: Words,
    grams: GramTable,
    by_term: FxHashMap<Term, u32>,
    /// The terms by number.
    pub terms: Vec<Term>,
}

impl Vocabulary {
    /// The term of a word as written, if it is more than marks.
    pub fn word(&mut self, word: &str) -> Option<u32> {
        let Vocabulary {
            words,
            by_term,
            terms,
            ..
        } = self;
        let id = words.number(word, |_| {
            normalize::word_term(word).map_or(NONE, |term| number(by_term, terms, term))
        })?;
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
        grams.number(key, || number(by_term, terms, gram_term(key)))
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
        let mut table = GramTable::default();
        let keys: Vec<u64> = (0x4E00..0x4E00 + 5000)
            .map(|c| gram_key(char::from_u32(c).unwrap_or('一'), Some('都')))
            .collect();
        for (n, &key) in keys.iter().enumerate() {
            assert_eq!(table.number(key, || n as u32), n as u32);
        }
        for (n, &key) in keys.iter().enumerate().rev() {
            assert_eq!(table.number(key, || unreachable!("known")), n as u32);
        }
        assert_eq!(table.number(gram_key('首', None), || 7), 7);
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
