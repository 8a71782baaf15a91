//! Postings of one language's index in flat arrays: every term's list of
//! `(page, weight)` in one `Vec<u32>`, built by counting sort from the
//! streams of term ids its pages produced (one a run of pages, numbered
//! on its own core).
//!
//! Growing one `Vec` per term, page by page, reallocated and copied each
//! list many times (Chinese has about 29,000 terms on a 1,000-page corpus)
//! and left up to half of every list unused; counting first gives each
//! term its exact slot, and a posting packed in a `u32` takes half the room
//! of a `(u32, u32)` pair. The sort is 0.4% of a 10,000-article build's
//! CPU time (profile, 2026-12-02); kept, as its postings are the index's
//! largest data.

use std::io;
use std::ops::Range;

use rayon::prelude::*;

use super::stream::Stretch;
pub use super::stream::{MAX_WEIGHT, Stream};

/// Pages per language a posting can number: the page takes the bits above
/// the weight's byte.
pub const MAX_PAGES: usize = 1 << 24;

/// A page and its weight in one number: page in the high 24 bits, weight in
/// the low 8, so a list sorted by page is sorted as numbers too.
pub fn pack(page: u32, weight: u32) -> u32 {
    (page << 8) | weight.min(MAX_WEIGHT)
}

/// The `(page, weight)` of a packed posting.
pub fn unpack(posting: u32) -> (u32, u32) {
    (posting >> 8, posting & 0xFF)
}

/// Every term's postings, pages ascending, one page at most once per term.
#[derive(Debug, Default)]
pub struct Postings {
    /// Packed postings ([`pack`]) of term 0, then term 1, …
    pub flat: Vec<u32>,
    /// Where each term's postings start in `flat`, and where the last ends.
    starts: Vec<u32>,
}

impl Postings {
    /// Counts each term's pages, gives each term its slot, then fills the
    /// slots in a second pass over the streams (pages in order, numbered
    /// on from one stream to the next; a page comes at most once per term).
    /// The terms are cut into ranges filled on all cores, each core
    /// reading the whole stream and writing its own range's slots. Each
    /// stream is dropped once read, before the next is read. Fails when a
    /// stream written out cannot be read back.
    pub fn build(terms: usize, streams: Vec<Stream>) -> io::Result<Postings> {
        let pages: usize = streams.iter().map(Stream::pages).sum();
        assert!(
            pages <= MAX_PAGES,
            "a search index holds at most {MAX_PAGES} pages per language"
        );
        let mut starts = vec![0u32; terms + 1];
        for stream in &streams {
            stream.for_each_stretch(|stretch| {
                for &term in stretch.terms.iter() {
                    starts[term as usize + 1] += 1;
                }
            })?;
        }
        for t in 0..terms {
            starts[t + 1] += starts[t];
        }
        let mut flat = vec![0u32; starts[terms] as usize];
        let mut ranges = Filling::split(&starts, &mut flat);
        let mut first_page = 0;
        for stream in streams {
            stream.for_each_stretch(|stretch| {
                ranges
                    .par_iter_mut()
                    .for_each(|range| range.fill(stretch, first_page))
            })?;
            first_page += stream.pages() as u32;
        }
        Ok(Postings { flat, starts })
    }

    /// Where term `term`'s postings are in `flat`.
    pub fn range(&self, term: usize) -> Range<usize> {
        self.starts[term] as usize..self.starts[term + 1] as usize
    }
}

/// The slots of a range of terms, filled by one core.
struct Filling<'a> {
    /// The range's first term.
    first: usize,
    /// The slots of the range's terms, from the first term's first.
    slots: &'a mut [u32],
    /// The next free slot of each term of the range, in `slots`.
    next: Vec<u32>,
}

impl<'a> Filling<'a> {
    /// Cuts the terms into ranges of about the same number of postings, one
    /// or a few per core.
    fn split(starts: &[u32], mut flat: &'a mut [u32]) -> Vec<Filling<'a>> {
        let terms = starts.len() - 1;
        let total = starts[terms] as usize;
        let cores = rayon::current_num_threads();
        let mut out = Vec::with_capacity(cores);
        let mut first = 0;
        for n in 1..=cores {
            // The first term whose postings start at or past n/cores of all.
            let end = if n == cores {
                terms
            } else {
                let goal = (total * n / cores) as u32;
                starts[..terms].partition_point(|&s| s < goal).max(first)
            };
            let base = starts[first];
            let (slots, rest) = flat.split_at_mut((starts[end] - base) as usize);
            flat = rest;
            out.push(Filling {
                first,
                slots,
                next: starts[first..end].iter().map(|&s| s - base).collect(),
            });
            first = end;
        }
        out
    }

    /// Writes this range's postings of the pages of `stretch`, its stream's
    /// pages numbered from `first_page`.
    fn fill(&mut self, stretch: &Stretch<'_>, first_page: u32) {
        for (page, entries) in stretch.pages() {
            for (term, weight) in entries {
                if let Some(next) = term.checked_sub(self.first).and_then(|t| self.next.get_mut(t)) {
                    self.slots[*next as usize] = pack(first_page + page, u32::from(weight));
                    *next += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_met_twice_on_a_page_adds_its_weights_up_to_the_cap() {
        let mut stream = Stream::default();
        // Page 0: term 1 twice, term 0 once; page 1: nothing; page 2:
        // term 1 at the cap and once more.
        stream.push(1, 10);
        stream.push(0, 3);
        stream.push(1, 2);
        stream.end_page();
        stream.end_page();
        stream.push(1, 300);
        stream.push(1, 1);
        stream.push(2, 1);
        stream.end_page();
        let postings = Postings::build(3, vec![stream]).expect("postings");
        let list = |t: usize| -> Vec<(u32, u32)> {
            postings.flat[postings.range(t)]
                .iter()
                .map(|&p| unpack(p))
                .collect()
        };
        assert_eq!(list(0), [(0, 3)]);
        assert_eq!(list(1), [(0, 12), (2, 255)]);
        assert_eq!(list(2), [(2, 1)]);
    }

    /// Pages of terms from a small generator: some terms on most pages,
    /// some on few, some on none.
    fn pages(count: u32, terms: u32) -> Vec<Vec<(u32, u32)>> {
        let mut seed = 7u32;
        (0..count)
            .map(|_| {
                let mut page: Vec<(u32, u32)> = Vec::new();
                for _ in 0..12 {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let term = (seed >> 8) % terms;
                    // Term 5 never comes; low terms come often.
                    let term = term.min(term % 7 + term / 40);
                    let term = if term == 5 { 6 } else { term };
                    page.push((term, (seed >> 4) % 20 + 1));
                }
                page
            })
            .collect()
    }

    fn stream_of(pages: &[Vec<(u32, u32)>]) -> Stream {
        fill(Stream::default(), pages)
    }

    fn fill(mut stream: Stream, pages: &[Vec<(u32, u32)>]) -> Stream {
        for page in pages {
            for &(term, weight) in page {
                stream.push(term, weight);
            }
            stream.end_page();
        }
        stream
    }

    #[test]
    fn streams_filled_on_several_cores_make_the_postings_of_one_stream() {
        let (terms, pages) = (200, pages(900, 200));
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a thread pool");
        let whole = one
            .install(|| Postings::build(terms, vec![stream_of(&pages)]))
            .expect("postings");
        for cores in [2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(cores)
                .build()
                .expect("a thread pool");
            let streams = vec![
                stream_of(&pages[..250]),
                stream_of(&pages[250..251]),
                stream_of(&pages[251..]),
            ];
            let cut = pool
                .install(|| Postings::build(terms, streams))
                .expect("postings");
            assert_eq!(cut.flat, whole.flat, "{cores} cores");
            assert_eq!(cut.starts, whole.starts, "{cores} cores");
            // Written out in blocks of 1,000 postings (about 90 pages), read
            // back: the same postings.
            let dir = tempfile::tempdir().expect("a folder");
            let spilling = || Stream::spilling_by(5_000, dir.path().to_path_buf(), 1_000);
            let streams = vec![
                fill(spilling(), &pages[..250]),
                stream_of(&pages[250..251]),
                fill(spilling(), &pages[251..]),
            ];
            let spilled = pool
                .install(|| Postings::build(terms, streams))
                .expect("postings");
            assert_eq!(spilled.flat, whole.flat, "{cores} cores, written out");
        }
        // Postings of every term, page ascending, weights summed.
        for term in 0..terms {
            let mut expected: Vec<(u32, u32)> = Vec::new();
            for (page, entries) in pages.iter().enumerate() {
                let weight: u32 = entries.iter().filter(|e| e.0 as usize == term).map(|e| e.1).sum();
                if weight > 0 {
                    expected.push((page as u32, weight.min(MAX_WEIGHT)));
                }
            }
            let got: Vec<(u32, u32)> = whole.flat[whole.range(term)].iter().map(|&p| unpack(p)).collect();
            assert_eq!(got, expected, "term {term}");
        }
        assert!(whole.range(5).is_empty());
    }

    #[test]
    fn pages_numbered_in_two_vocabularies_and_merged_make_the_same_postings() {
        use super::super::vocabulary::Vocabulary;
        let words = [
            "Huế", "huế", "sông", "Hương", "cầu", "Tràng", "Tiền", "núi", "Ngự", "Bình",
        ];
        let pages: Vec<Vec<&str>> = (0..40)
            .map(|p| {
                (0..4)
                    .map(|i| words[(p * 3 + i * i + p / 5) % words.len()])
                    .collect()
            })
            .collect();
        let number = |vocabulary: &mut Vocabulary, pages: &[Vec<&str>]| {
            let mut stream = Stream::default();
            for page in pages {
                for word in page {
                    if let Some(term) = vocabulary.word(word) {
                        stream.push(term, 1);
                    }
                }
                stream.end_page();
            }
            stream
        };
        let by_text = |vocabulary: &Vocabulary, postings: &Postings| {
            let mut lists: Vec<(String, Vec<u32>)> = (0..vocabulary.terms.len())
                .map(|t| {
                    (
                        vocabulary.terms[t].exact.clone(),
                        postings.flat[postings.range(t)].to_vec(),
                    )
                })
                .collect();
            lists.sort();
            lists
        };
        let mut one = Vocabulary::default();
        let stream = number(&mut one, &pages);
        let whole = by_text(
            &one,
            &Postings::build(one.terms.len(), vec![stream]).expect("postings"),
        );

        // The second run meets words in another order: its numbers differ.
        let (mut first, mut second) = (Vocabulary::default(), Vocabulary::default());
        let head = number(&mut first, &pages[..12]);
        let mut tail = number(&mut second, &pages[12..]);
        assert_ne!(first.terms[0].exact, second.terms[0].exact);
        let numbers = first.absorb(second);
        tail.renumber(&numbers);
        let merged = Postings::build(first.terms.len(), vec![head, tail]).expect("postings");
        assert_eq!(first.terms.len(), one.terms.len());
        assert_eq!(by_text(&first, &merged), whole);
    }
}
