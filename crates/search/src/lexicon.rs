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
//! renders again share one lexicon. Counting (the scan and the lookups) is
//! 4.3% of a 10,000-article build's CPU time (profile, 2026-12-02); the
//! parts were not measured against one shared lock.

use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use rustc_hash::FxHashMap;

use super::normalize::{self, Mode};
use super::vocabulary::{NONE, gram_key};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept<'a> {
    Word(&'a str),
    Gram(u64),
}

/// One thread's tokens of one language.
#[derive(Default)]
pub struct Tokens {
    /// Words as written → number.
    words: FxHashMap<Box<str>, u32>,
    /// CJK grams by [`gram_key`] → number.
    grams: FxHashMap<u64, u32>,
    /// How many tokens are numbered: the next number.
    len: u32,
    /// Where each token of the page being counted is in its list.
    on_page: FxHashMap<u32, u32>,
    /// The entries of the page being counted.
    page: Vec<u32>,
}

/// A page's distinct tokens and their counts, as counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// The part the numbers belong to.
    pub part: usize,
    /// Each token's number in the high 24 bits and its occurrences in the
    /// low 8 (capped at 255: a term's weight is capped there anyway), one
    /// number per token rather than two lists: pages hold these until the
    /// index is built. Packed, they save 3.9% of a 10,000-article build's
    /// peak memory against `(u32, u32)` pairs (56 MB; alternating builds,
    /// 2026-12-02).
    entries: Vec<u32>,
}

/// Tokens a part numbers per language: the number takes 24 bits of an
/// entry. Past it (a language with 16 million distinct words), new words
/// are left out of the index rather than mistaken for others.
const MAX_TOKENS: usize = 1 << 24;

impl Counted {
    /// Each distinct token's number and occurrences.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.entries.iter().map(|&e| (e >> 8, e & 0xFF))
    }

    /// How many distinct tokens.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The packed entries, for [`super::BodyTerms::pack`].
    pub(crate) fn entries(&self) -> &[u32] {
        &self.entries
    }

    /// Counts read back from [`Counted::entries`].
    pub(crate) fn from_entries(part: usize, entries: Vec<u32>) -> Counted {
        Counted { part, entries }
    }
}

impl Lexicon {
    /// Lets go of every token: the terms counted before can no longer be
    /// read. A build calls it once every index is built.
    pub fn clear(&self) {
        for part in &self.parts {
            *part.write().unwrap_or_else(PoisonError::into_inner) = Part::default();
        }
    }
}

/// A lexicon as kept for the next build ([`Lexicon::pack`]): each part's
/// tokens by language, with their numbers.
#[derive(serde::Serialize, serde::Deserialize)]
struct Packed {
    parts: Vec<Vec<PackedTokens>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PackedTokens {
    lang: String,
    len: u32,
    words: Vec<(String, u32)>,
    grams: Vec<(u64, u32)>,
}

impl Lexicon {
    /// Every token with its number, packed: the next build reads the
    /// terms this build's Markdown pass kept with [`Lexicon::unpack`].
    pub fn pack(&self) -> Vec<u8> {
        let parts = self
            .read()
            .iter()
            .map(|part| {
                part.languages
                    .iter()
                    .map(|(lang, tokens)| PackedTokens {
                        lang: lang.to_string(),
                        len: tokens.len,
                        words: tokens.words.iter().map(|(w, &n)| (w.to_string(), n)).collect(),
                        grams: tokens.grams.iter().map(|(&k, &n)| (k, n)).collect(),
                    })
                    .collect()
            })
            .collect();
        postcard::to_stdvec(&Packed { parts }).unwrap_or_default()
    }

    /// A lexicon packed by [`Lexicon::pack`], with at least a part per
    /// thread of this build's pool; `None` if `bytes` are not one (damaged,
    /// or numbers past a part's count).
    pub fn unpack(bytes: &[u8]) -> Option<Lexicon> {
        let packed: Packed = postcard::from_bytes(bytes).ok()?;
        let count = packed.parts.len().max(rayon::current_num_threads() + 1);
        let mut parts: Vec<Part> = (0..count).map(|_| Part::default()).collect();
        for (part, languages) in parts.iter_mut().zip(packed.parts) {
            for PackedTokens {
                lang,
                len,
                words,
                grams,
            } in languages
            {
                let fits = |n: u32| n < len;
                if len as usize > MAX_TOKENS
                    || !words.iter().all(|w| fits(w.1))
                    || !grams.iter().all(|g| fits(g.1))
                {
                    return None;
                }
                let tokens = Tokens {
                    words: words.into_iter().map(|(w, n)| (w.into_boxed_str(), n)).collect(),
                    grams: grams.into_iter().collect(),
                    len,
                    ..Tokens::default()
                };
                part.languages.push((lang.into_boxed_str(), tokens));
            }
        }
        Some(Lexicon {
            parts: parts.into_iter().map(RwLock::new).collect(),
        })
    }
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
    /// Also returns the text's word count by the rule of reading times
    /// ([`normalize::for_each_piece`]).
    pub fn count(&self, text: &str, lang: &str) -> (Counted, usize) {
        let last = self.parts.len() - 1;
        let part = rayon::current_thread_index().map_or(last, |i| i.min(last));
        // Held only while counting: nothing here calls into rayon, so no
        // task stolen meanwhile can ask for it again.
        let mut guard = self.parts[part].write().unwrap_or_else(PoisonError::into_inner);
        let tokens = guard.tokens_mut(lang);
        // Counted in the part's list, grown once for all pages, then copied
        // out at its exact length: pages keep these until the index is
        // built, and a list grown by doubling holds up to twice its length.
        let mut counted = Counted {
            part,
            entries: std::mem::take(&mut tokens.page),
        };
        counted.entries.clear();
        tokens.on_page.clear();
        let words = normalize::for_each_piece(text, |piece, cjk| {
            if cjk {
                normalize::for_each_gram(piece, Mode::Index, |c, d| {
                    let gram = tokens.gram(gram_key(c, d));
                    tokens.add(gram, &mut counted);
                });
            } else {
                let word = tokens.word(piece);
                tokens.add(word, &mut counted);
            }
        });
        let page = counted.entries.clone();
        tokens.page = std::mem::replace(&mut counted.entries, page);
        (counted, words)
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
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every token, by number: the tables read the other way round, once
    /// per index built.
    pub fn by_number(&self) -> Vec<Option<Kept<'_>>> {
        let mut out = vec![None; self.len()];
        for (word, &n) in &self.words {
            out[n as usize] = Some(Kept::Word(word));
        }
        for (&key, &n) in &self.grams {
            out[n as usize] = Some(Kept::Gram(key));
        }
        out
    }

    #[inline]
    fn word(&mut self, word: &str) -> u32 {
        if let Some(&number) = self.words.get(word) {
            return number;
        }
        let Some(number) = self.next() else {
            return NONE;
        };
        self.words.insert(word.into(), number);
        number
    }

    #[inline]
    fn gram(&mut self, key: u64) -> u32 {
        if let Some(&number) = self.grams.get(&key) {
            return number;
        }
        let Some(number) = self.next() else {
            return NONE;
        };
        self.grams.insert(key, number);
        number
    }

    /// A new token's number, if the part has room for one more.
    fn next(&mut self) -> Option<u32> {
        if self.len() >= MAX_TOKENS {
            return None;
        }
        self.len += 1;
        Some(self.len - 1)
    }

    /// Counts one occurrence of `number` on the page being counted.
    #[inline]
    fn add(&mut self, number: u32, page: &mut Counted) {
        if number == NONE {
            return;
        }
        let entries = &mut page.entries;
        let at = *self.on_page.entry(number).or_insert_with(|| {
            entries.push(number << 8);
            (entries.len() - 1) as u32
        });
        let entry = &mut entries[at as usize];
        if *entry & 0xFF < 0xFF {
            *entry += 1;
        }
    }
}

/// The tokens `normalize` finds, for tests: what [`Lexicon::count`] counts.
#[cfg(test)]
pub(super) fn counted_text(lexicon: &Lexicon, counted: &Counted, lang: &str) -> Vec<(String, u32)> {
    let parts = lexicon.read();
    let kept = parts[counted.part]
        .tokens(lang)
        .map(Tokens::by_number)
        .unwrap_or_default();
    let mut out: Vec<(String, u32)> = counted
        .iter()
        .map(|(n, count)| {
            let text = match kept.get(n as usize).copied().flatten() {
                Some(Kept::Word(w)) => w.to_string(),
                Some(Kept::Gram(key)) => super::vocabulary::gram_term(key).exact,
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
    fn a_packed_lexicon_reads_the_same_numbers_and_numbers_on() {
        let lexicon = Lexicon::default();
        let first = lexicon.count("Huế, huế và 首都", "vi").0;
        let english = lexicon.count("the capital", "en").0;
        let unpacked = Lexicon::unpack(&lexicon.pack()).expect("unpacks");
        assert_eq!(
            counted_text(&unpacked, &first, "vi"),
            counted_text(&lexicon, &first, "vi")
        );
        assert_eq!(
            counted_text(&unpacked, &english, "en"),
            counted_text(&lexicon, &english, "en")
        );
        // New words get new numbers: the old ones still read as before.
        let next = unpacked.count("và Sài Gòn", "vi").0;
        assert_eq!(counted_text(&unpacked, &next, "vi").len(), 3);
        assert_eq!(
            counted_text(&unpacked, &first, "vi"),
            counted_text(&lexicon, &first, "vi")
        );
        // Damaged or cut short, it is refused.
        let packed = lexicon.pack();
        assert!(Lexicon::unpack(&packed[..packed.len() / 2]).is_none());
        assert!(Lexicon::unpack(b"\xff\xff\xff").is_none());
    }

    #[test]
    fn counts_each_token_once_per_page() {
        let lexicon = Lexicon::default();
        let counted = lexicon.count("Huế, huế và 首都 Huế 首都。河", "vi").0;
        assert_eq!(
            counted_text(&lexicon, &counted, "vi"),
            [
                ("Huế".to_string(), 2),
                ("huế".to_string(), 1),
                ("và".to_string(), 1),
                ("河".to_string(), 1),
                ("都".to_string(), 2),
                ("首都".to_string(), 2),
            ]
        );
        // The counts of one page do not leak into the next.
        let counted = lexicon.count("và Hue", "vi").0;
        assert_eq!(
            counted_text(&lexicon, &counted, "vi"),
            [("Hue".to_string(), 1), ("và".to_string(), 1)]
        );
    }

    #[test]
    fn a_cleared_lexicon_holds_no_token() {
        let lexicon = Lexicon::default();
        let counted = lexicon.count("Huế và 首都", "vi").0;
        assert_eq!(counted_text(&lexicon, &counted, "vi").len(), 4);
        lexicon.clear();
        let parts = lexicon.read();
        assert!(parts.iter().all(|part| part.tokens("vi").is_none()));
        drop(parts);
        // Counting starts again from the first number.
        let again = lexicon.count("Huế", "vi").0;
        assert_eq!(again.iter().collect::<Vec<_>>(), [(0, 1)]);
    }

    #[test]
    fn a_cjk_run_is_counted_as_the_grams_the_index_keeps() {
        // The pass walks runs itself (by code point, not by slices of
        // text): it must give what `normalize` gives in index mode.
        let run = "首都河内首都𠀀";
        let lexicon = Lexicon::default();
        let counted = counted_text(&lexicon, &lexicon.count(run, "zh").0, "zh");
        let mut expected: Vec<(String, u32)> = Vec::new();
        for term in normalize::terms(run, normalize::Mode::Index) {
            match expected.iter_mut().find(|(t, _)| *t == term.exact) {
                Some((_, n)) => *n += 1,
                None => expected.push((term.exact, 1)),
            }
        }
        expected.sort();
        assert_eq!(counted, expected);
        assert!(counted.contains(&("首都".to_string(), 2)));
    }

    #[test]
    fn each_language_numbers_its_own_tokens() {
        let lexicon = Lexicon::default();
        let vi = lexicon.count("Hà Nội", "vi").0;
        let fr = lexicon.count("Nội Hà", "fr").0;
        let numbers = |c: &Counted| c.iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(numbers(&vi), [0, 1]);
        assert_eq!(numbers(&fr), [0, 1]);
        assert_eq!(counted_text(&lexicon, &fr, "fr")[0].0, "Hà");
    }
}
