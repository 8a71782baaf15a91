//! The words and CJK grams of every page body, numbered as the parallel
//! Markdown pass meets them, so that a page keeps its body as numbers with
//! counts ([`super::BodyTerms`]) and a language's index reads them by array
//! index: each number is folded into a term once per language, and no
//! page's words are hashed a second time.
//!
//! Each worker thread numbers tokens in a part of its own, which no other
//! thread writes, so the pass takes no shared lock per word; a page's
//! numbers are those of the part it was counted in. Numbers are never
//! taken back: while `serve` runs, the pages it keeps and the pages it
//! renders again share one lexicon.

use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use rustc_hash::FxHashMap;

use super::normalize;
use super::vocabulary::{GramTable, NONE, gram_key};

/// Every token counted so far, by thread and language.
pub struct Lexicon {
    /// One per worker thread of the pool, and a last one for any other
    /// thread (`serve`'s loop, tests).
    parts: Box<[RwLock<Part>]>,
}

/// One thread's tokens.
#[derive(Default)]
pub struct Part {
    /// By language code: a page's words are looked up among those of its
    /// language only, a table small enough to stay in the processor's cache.
    languages: Vec<(Box<str>, Tokens)>,
}

/// A token as kept: a word as written, or a CJK gram by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    Word(Box<str>),
    Gram(u64),
}

/// One thread's tokens of one language.
#[derive(Default)]
pub struct Tokens {
    words: FxHashMap<Box<str>, u32>,
    grams: GramTable,
    /// The tokens by number.
    kept: Vec<Kept>,
    /// For each number, where it is in the list of the page being counted
    /// (valid only if that list holds the number there): a sparse set, so
    /// that no table is cleared or allocated per page.
    slot: Vec<u32>,
}

/// A page's distinct tokens and their counts, as counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// The part the numbers belong to.
    pub part: usize,
    pub tokens: Vec<u32>,
    /// Occurrences, capped at 255: a term's weight is capped there anyway.
    pub counts: Vec<u8>,
}

impl Default for Lexicon {
    fn default() -> Lexicon {
        let parts = rayon::current_num_threads() + 1;
        Lexicon {
            parts: (0..parts).map(|_| RwLock::default()).collect(),
        }
    }
}

impl Lexicon {
    /// Counts the tokens of `text`, in language `lang`, numbering new ones.
    pub fn count(&self, text: &str, lang: &str) -> Counted {
        let last = self.parts.len() - 1;
        let part = rayon::current_thread_index().map_or(last, |i| i.min(last));
        // Held only while counting: nothing here calls into rayon, so no
        // task stolen meanwhile can ask for it again.
        let mut guard = self.parts[part].write().unwrap_or_else(PoisonError::into_inner);
        let tokens = guard.tokens_mut(lang);
        let mut counted = Counted {
            part,
            ..Counted::default()
        };
        normalize::for_each_piece(text, |piece, cjk| {
            if cjk {
                let mut chars = piece.chars().peekable();
                while let Some(c) = chars.next() {
                    let unigram = tokens.gram(gram_key(c, None));
                    tokens.add(unigram, &mut counted);
                    if let Some(&d) = chars.peek() {
                        let bigram = tokens.gram(gram_key(c, Some(d)));
                        tokens.add(bigram, &mut counted);
                    }
                }
            } else {
                let word = tokens.word(piece);
                tokens.add(word, &mut counted);
            }
        });
        // Kept until the index is built: without the room grown for more.
        counted.tokens.shrink_to_fit();
        counted.counts.shrink_to_fit();
        counted
    }

    /// Every part, to read (once the pages are counted).
    pub fn read(&self) -> Vec<RwLockReadGuard<'_, Part>> {
        self.parts
            .iter()
            .map(|p| p.read().unwrap_or_else(PoisonError::into_inner))
            .collect()
    }
}

impl Part {
    /// The tokens of language `lang`, if a page of it was counted here.
    pub fn tokens(&self, lang: &str) -> Option<&Tokens> {
        self.languages.iter().find(|(l, _)| &**l == lang).map(|(_, t)| t)
    }

    fn tokens_mut(&mut self, lang: &str) -> &mut Tokens {
        let at = match self.languages.iter().position(|(l, _)| &**l == lang) {
            Some(at) => at,
            None => {
                self.languages.push((lang.into(), Tokens::default()));
                self.languages.len() - 1
            }
        };
        &mut self.languages[at].1
    }
}

impl Tokens {
    /// How many tokens are numbered.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The token numbered `number`.
    pub fn kept(&self, number: u32) -> Option<&Kept> {
        self.kept.get(number as usize)
    }

    fn word(&mut self, word: &str) -> u32 {
        if let Some(&number) = self.words.get(word) {
            return number;
        }
        let number = self.kept.len() as u32;
        self.kept.push(Kept::Word(word.into()));
        self.words.insert(word.into(), number);
        number
    }

    fn gram(&mut self, key: u64) -> u32 {
        let Tokens { grams, kept, .. } = self;
        grams.number(key, || {
            kept.push(Kept::Gram(key));
            (kept.len() - 1) as u32
        })
    }

    /// Counts one occurrence of `number` on the page being counted.
    #[inline]
    fn add(&mut self, number: u32, page: &mut Counted) {
        let i = number as usize;
        if self.slot.len() <= i {
            self.slot.resize(i + 1, NONE);
        }
        let at = self.slot[i] as usize;
        if page.tokens.get(at) == Some(&number) {
            page.counts[at] = page.counts[at].saturating_add(1);
        } else {
            self.slot[i] = page.tokens.len() as u32;
            page.tokens.push(number);
            page.counts.push(1);
        }
    }
}

/// The tokens `normalize` finds, for tests: what [`Lexicon::count`] counts.
#[cfg(test)]
pub(super) fn counted_text(lexicon: &Lexicon, counted: &Counted, lang: &str) -> Vec<(String, u8)> {
    let parts = lexicon.read();
    let tokens = parts[counted.part].tokens(lang);
    let mut out: Vec<(String, u8)> = counted
        .tokens
        .iter()
        .zip(&counted.counts)
        .map(|(&n, &count)| {
            let text = match tokens.and_then(|t| t.kept(n)) {
                Some(Kept::Word(w)) => w.to_string(),
                Some(Kept::Gram(key)) => {
                    let mut vocabulary = super::vocabulary::Vocabulary::default();
                    let id = vocabulary.gram(*key);
                    vocabulary.terms[id as usize].exact.clone()
                }
                None => String::new(),
            };
            (text, count)
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_token_once_per_page() {
        let lexicon = Lexicon::default();
        let counted = lexicon.count("Huế, huế và 首都 Huế 首都。河", "vi");
        assert_eq!(
            counted_text(&lexicon, &counted, "vi"),
            [
                ("Huế".to_string(), 2),
                ("huế".to_string(), 1),
                ("và".to_string(), 1),
                ("河".to_string(), 1),
                ("都".to_string(), 2),
                ("首".to_string(), 2),
                ("首都".to_string(), 2),
            ]
        );
        // The counts of one page do not leak into the next.
        let counted = lexicon.count("và Hue", "vi");
        assert_eq!(
            counted_text(&lexicon, &counted, "vi"),
            [("Hue".to_string(), 1), ("và".to_string(), 1)]
        );
    }

    #[test]
    fn each_language_numbers_its_own_tokens() {
        let lexicon = Lexicon::default();
        let vi = lexicon.count("Hà Nội", "vi");
        let fr = lexicon.count("Nội Hà", "fr");
        assert_eq!(vi.tokens, [0, 1]);
        assert_eq!(fr.tokens, [0, 1]);
        assert_eq!(counted_text(&lexicon, &fr, "fr")[0].0, "Hà");
    }
}
