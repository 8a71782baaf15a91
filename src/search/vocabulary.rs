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
/// up here. Open addressing with linear probing, at most half full: most
/// lookups read one slot, with no hashing of bytes (see `words.rs`).
///
/// A slot is one number, the gram's short key ([`short_key`]) in the high
/// half and its number in the low: a lookup reads one place in memory, and
/// the table of a Chinese corpus's grams stays small enough for the
/// processor's cache. The rare gram whose characters lie past U+FFFF has
/// no short key and is kept in `others`.
#[derive(Default)]
pub struct GramTable {
    /// A power of two in length (or empty, before the first gram); 0 marks
    /// a free slot (no short key is 0).
    slots: Vec<u64>,
    used: usize,
    others: FxHashMap<u64, u32>,
}

/// A gram's key in 32 bits: a unigram's code point, or a bigram's two
/// characters of the Basic Multilingual Plane as 16 bits each (their first
/// at least U+0011, so above every code point); `None` for any other.
fn short_key(key: u64) -> Option<u32> {
    let (first, second) = (key >> 21, key & 0x1F_FFFF);
    let short = match first {
        0 => second,
        0x11..=0xFFFF if second <= 0xFFFF => (first << 16) | second,
        _ => return None,
    };
    u32::try_from(short).ok().filter(|&k| k != 0)
}

impl GramTable {
    /// The number of gram `key` ([`gram_key`]), from `make` the first time
    /// it is asked.
    #[inline]
    pub fn number(&mut self, key: u64, make: impl FnOnce() -> u32) -> u32 {
        let Some(short) = short_key(key) else {
            return *self.others.entry(key).or_insert_with(make);
        };
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
        let at = self.slot(short);
        if self.slots[at] != 0 {
            return self.slots[at] as u32;
        }
        let number = make();
        self.slots[at] = (u64::from(short) << 32) | u64::from(number);
        self.used += 1;
        if self.used * 2 > self.slots.len() {
            let size = self.slots.len() * 2;
            let old = std::mem::replace(&mut self.slots, vec![0; size]);
            for slot in old.into_iter().filter(|&s| s != 0) {
                let at = self.slot((slot >> 32) as u32);
                self.slots[at] = slot;
            }
        }
        number
    }

    /// Where the gram of `short` key is, or the free slot where it goes.
    #[inline]
    fn slot(&self, short: u32) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mask = self.slots.len() - 1;
        // The top bits of the product, the best mixed.
        let mut at = (u64::from(short).wrapping_mul(K) >> (64 - self.slots.len().trailing_zeros())) as usize;
        loop {
            let slot = self.slots[at];
            if slot == 0 || (slot >> 32) as u32 == short {
                return at;
            }
            at = (at + 1) & mask;
        }
    }
}

/// The distinct terms of one language, each folded once.
#[derive(Default)]
pub struct Vocabulary {
    /// Words as written → term, or [`NONE`] for marks alone.
    words: Words,
    grams: GramTable,
    /// Terms by [`term_key`], numbered in `terms`: words written
    /// differently may share a term ("Huế" and "huế"), and the table keeps
    /// the keys' bytes in one buffer instead of a copy of each term.
    by_term: Words,
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
        let Vocabulary {
            words,
            by_term,
            key,
            terms,
            ..
        } = self;
        let id = words.number(word, |_| {
            normalize::word_term(word).map_or(NONE, |term| number(by_term, key, terms, term))
        })?;
        (id != NONE).then_some(id)
    }

    /// The term of the gram `key` ([`gram_key`]).
    pub fn gram(&mut self, key: u64) -> u32 {
        let Vocabulary {
            grams,
            by_term,
            key: scratch,
            terms,
            ..
        } = self;
        grams.number(key, || number(by_term, scratch, terms, gram_term(key)))
    }
}

/// The number of `term`, numbering it if new.
fn number(by_term: &mut Words, key: &mut String, terms: &mut Vec<Term>, term: Term) -> u32 {
    term_key(&term, key);
    let next = terms.len() as u32;
    match by_term.number(key, |_| next) {
        Some(id) if id != next => id,
        Some(_) => {
            terms.push(term);
            next
        }
        // Past 4 GiB of terms: left out of the index.
        None => NONE,
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
    fn grams_past_the_basic_plane_have_numbers_of_their_own() {
        // Each pair differs from the others only past U+FFFF, where short
        // keys would clash if they were cut to 16 bits.
        let grams = [
            ('𠀀', Some('都')),
            ('\u{10000}', Some('都')),
            ('首', Some('𠀀')),
            ('首', Some('\u{10000}')),
            ('𠀀', None),
            ('\u{10000}', None),
            ('首', Some('都')),
            ('首', None),
        ];
        let mut table = GramTable::default();
        for (n, &(c, d)) in grams.iter().enumerate() {
            assert_eq!(table.number(gram_key(c, d), || n as u32), n as u32);
        }
        for (n, &(c, d)) in grams.iter().enumerate() {
            assert_eq!(table.number(gram_key(c, d), || unreachable!("known")), n as u32);
        }
        assert_eq!(table.others.len(), 4);
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
