//! The terms of one language's index, numbered as its pages are read.
//! Every page's words and CJK grams come through here, so lookups are kept
//! cheap: a word as written is folded into its term only the first time it
//! is met, and a CJK unigram is found by its code point in a table rather
//! than hashed (a Chinese page has about 900 characters, each a unigram and
//! the start of a bigram).

use rustc_hash::FxHashMap;

use super::normalize::{self, Term, Token};

/// Unigrams of the Basic Multilingual Plane (every common Han, Kana and
/// Hangul character) are looked up in a table this long.
const TABLE: usize = 0x1_0000;
/// Not met yet (in the unigram table), or no term (a word of marks alone).
const NONE: u32 = u32::MAX;

/// The distinct terms of one language, each folded once.
#[derive(Default)]
pub struct Vocabulary {
    /// Words as written → term, or [`NONE`] for marks alone.
    words: FxHashMap<Box<str>, u32>,
    /// BMP unigram by code point → term, or [`NONE`]; made at the first
    /// CJK character.
    unigrams: Vec<u32>,
    /// The other grams (bigrams, and unigrams past the BMP) by their
    /// characters packed in a number (21 bits each).
    grams: FxHashMap<u64, u32>,
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
                Some(match chars.next() {
                    Some(second) => self.bigram(first, second, gram),
                    None => self.unigram(first, gram),
                })
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

    /// Calls `emit` with the terms of a CJK run as the index keeps it
    /// (`normalize::for_each_gram` in index mode): each character's
    /// unigram, and its bigram with the next.
    pub fn run(&mut self, run: &str, mut emit: impl FnMut(u32)) {
        let mut chars = run.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            emit(self.unigram(c, &run[at..at + c.len_utf8()]));
            if let Some(&(next, d)) = chars.peek() {
                emit(self.bigram(c, d, &run[at..next + d.len_utf8()]));
            }
        }
    }

    /// The term of the unigram `c`, written `text`.
    fn unigram(&mut self, c: char, text: &str) -> u32 {
        let code = c as usize;
        if code >= TABLE {
            return self.gram(u64::from(c), text);
        }
        if self.unigrams.is_empty() {
            self.unigrams = vec![NONE; TABLE];
        }
        match self.unigrams[code] {
            NONE => {
                let id = self.number(normalize::cjk_term(text));
                self.unigrams[code] = id;
                id
            }
            id => id,
        }
    }

    /// The term of the bigram `a b`, written `text`. Its key is past every
    /// unigram's, which is a single code point.
    fn bigram(&mut self, a: char, b: char, text: &str) -> u32 {
        self.gram((u64::from(a) << 21) | u64::from(b), text)
    }

    fn gram(&mut self, key: u64, text: &str) -> u32 {
        if let Some(&id) = self.grams.get(&key) {
            return id;
        }
        let id = self.number(normalize::cjk_term(text));
        self.grams.insert(key, id);
        id
    }

    /// The number of `term`, given now if it has none.
    fn number(&mut self, term: Term) -> u32 {
        if let Some(&id) = self.by_term.get(&term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.by_term.insert(term.clone(), id);
        self.terms.push(term);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::normalize::{Mode, for_each_gram};

    #[test]
    fn a_run_gives_the_grams_the_index_keeps() {
        let run = "首都河内𠀀";
        let mut vocabulary = Vocabulary::default();
        let mut ids = Vec::new();
        vocabulary.run(run, |id| ids.push(id));
        let by_run: Vec<String> = ids.iter().map(|&id| vocabulary_term(&vocabulary, id)).collect();
        let mut by_token = Vec::new();
        for_each_gram(run, Mode::Index, |token| {
            let id = vocabulary.token(token).expect("a gram has a term");
            by_token.push(vocabulary_term(&vocabulary, id));
        });
        assert_eq!(by_run, by_token);
        assert_eq!(by_run.len(), 9);
        assert!(by_run.contains(&"𠀀".to_string()) && by_run.contains(&"内𠀀".to_string()));
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

    fn vocabulary_term(vocabulary: &Vocabulary, id: u32) -> String {
        vocabulary.terms[id as usize].exact.clone()
    }
}
