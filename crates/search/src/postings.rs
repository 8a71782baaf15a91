//! Postings of one language's index in flat arrays: every term's list of
//! `(page, weight)` in one `Vec<u32>`, built by counting sort from the
//! stream of term ids its pages produced.
//!
//! Growing one `Vec` per term, page by page, reallocated and copied each
//! list many times (Chinese has about 29,000 terms on a 1,000-page corpus)
//! and left up to half of every list unused; counting first gives each
//! term its exact slot, and a posting packed in a `u32` takes half the room
//! of a `(u32, u32)` pair. The sort is 0.4% of a 10,000-article build's
//! CPU time (profile, 2026-12-02); kept, as its postings are the index's
//! largest data.

use std::collections::hash_map::Entry;
use std::ops::Range;

use rustc_hash::FxHashMap;

/// Weights are stored in one byte: past this, more occurrences say nothing
/// more about relevance.
pub const MAX_WEIGHT: u32 = 255;
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

/// The distinct term ids of each page, in page order, with their weights:
/// one entry per posting, so that the stream and the postings sorted from
/// it take no more room than lists grown term by term did.
#[derive(Debug, Default)]
pub struct Stream {
    terms: Vec<u32>,
    weights: Vec<u8>,
    /// Where each page's ids end in `terms`.
    page_ends: Vec<usize>,
    /// Where each term of the current page is in `terms`: a term may come
    /// several times on a page (in the title and the body, or as "Huế" and
    /// "huế"), and its weights are then added.
    on_page: FxHashMap<u32, usize>,
}

impl Stream {
    /// A stream with room for `postings` entries, reserved (not filled):
    /// grown by doubling, its lists are copied each time into new memory.
    pub fn with_capacity(postings: usize) -> Stream {
        Stream {
            terms: Vec::with_capacity(postings),
            weights: Vec::with_capacity(postings),
            ..Stream::default()
        }
    }

    /// Adds an occurrence of `term` to the current page.
    #[inline]
    pub fn push(&mut self, term: u32, weight: u32) {
        match self.on_page.entry(term) {
            Entry::Occupied(at) => {
                // Each weight capped: min(min(a, 255) + b, 255) is min(a + b, 255).
                let kept = &mut self.weights[*at.get()];
                *kept = (u32::from(*kept) + weight).min(MAX_WEIGHT) as u8;
            }
            Entry::Vacant(at) => {
                if self.terms.len() == self.terms.capacity() {
                    grow(&mut self.terms, &mut self.weights);
                }
                at.insert(self.terms.len());
                self.terms.push(term);
                self.weights.push(weight.min(MAX_WEIGHT) as u8);
            }
        }
    }

    /// Closes the current page.
    pub fn end_page(&mut self) {
        self.page_ends.push(self.terms.len());
        self.on_page.clear();
    }

    /// Each page's distinct `(term, weight)`, pages in order.
    fn pages(&self) -> impl Iterator<Item = (u32, impl Iterator<Item = (usize, u8)> + '_)> + '_ {
        let starts = std::iter::once(0).chain(self.page_ends.iter().copied());
        (0u32..)
            .zip(starts.zip(&self.page_ends))
            .map(|(page, (start, &end))| {
                let terms = self.terms[start..end].iter().map(|&t| t as usize);
                (page, terms.zip(self.weights[start..end].iter().copied()))
            })
    }
}

/// Makes room in a full stream for an eighth more entries. A `Vec` full
/// doubles, holding old and new lists at once while it copies: a stream
/// that outgrew the room reserved for it (Chinese, whose titles make more
/// terms than a page's room for its fields) took three times its size,
/// and kept twice, while two languages' indexes were built at a build's
/// largest.
fn grow(terms: &mut Vec<u32>, weights: &mut Vec<u8>) {
    let more = (terms.capacity() / 8).max(1024);
    terms.reserve_exact(more);
    weights.reserve_exact(more);
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
    /// slots in a second pass over the stream (where a page comes at most
    /// once per term).
    pub fn build(terms: usize, stream: &Stream) -> Postings {
        assert!(
            stream.page_ends.len() <= MAX_PAGES,
            "a search index holds at most {MAX_PAGES} pages per language"
        );
        let mut starts = vec![0u32; terms + 1];
        for &term in &stream.terms {
            starts[term as usize + 1] += 1;
        }
        for t in 0..terms {
            starts[t + 1] += starts[t];
        }
        let mut flat = vec![0u32; starts[terms] as usize];
        // The next free slot of each term.
        let mut next: Vec<u32> = starts[..terms].to_vec();
        for (page, entries) in stream.pages() {
            for (term, weight) in entries {
                flat[next[term] as usize] = pack(page, u32::from(weight));
                next[term] += 1;
            }
        }
        Postings { flat, starts }
    }

    /// Where term `term`'s postings are in `flat`.
    pub fn range(&self, term: usize) -> Range<usize> {
        self.starts[term] as usize..self.starts[term + 1] as usize
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
        let postings = Postings::build(3, &stream);
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

    #[test]
    fn a_stream_past_its_room_grows_by_an_eighth_not_double() {
        let mut stream = Stream::with_capacity(16_000);
        let room = stream.terms.capacity();
        for term in 0..=room as u32 {
            stream.push(term, 1);
        }
        stream.end_page();
        let grown = stream.terms.capacity();
        assert!(
            grown > room && grown <= room + room / 8 + 64,
            "{room} grew to {grown}"
        );
        assert!(stream.weights.capacity() >= stream.terms.len());
        let postings = Postings::build(room + 1, &stream);
        assert_eq!(postings.flat.len(), room + 1);
    }
}
