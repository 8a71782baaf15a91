//! The stream of one run of pages' terms: each page's distinct term ids
//! with their weights, in page order, which [`super::postings`] sorts into
//! each term's list of pages.
//!
//! A large language's stream is written out as it is made, a block of
//! pages at a time, to an unnamed file in the site's `.vitrine-cache/`
//! (gone when the build ends, even when killed), and read back a block at
//! a time while the postings are sorted: the postings are then the only
//! list of every posting in memory. Held whole beside its postings,
//! Chinese's stream (5 bytes a posting against the postings' 4) made the
//! search index stage of a 200,000-article × 5 build peak 1,289 MiB over
//! what the build held; written out, 885 MiB (8d276fa). A small
//! stream, or one whose folder cannot be written, stays in memory; so
//! does a block that cannot be written (nothing is lost).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Weights are stored in one byte: past this, more occurrences say nothing
/// more about relevance.
pub const MAX_WEIGHT: u32 = 255;

/// Postings a stream holds in memory before it writes them out: 20 MiB,
/// one block read back at a time.
const BLOCK: usize = 4 << 20;

/// The distinct term ids of each page, in page order, with their weights:
/// one entry per posting.
#[derive(Debug, Default)]
pub struct Stream {
    /// The entries not written out, from entry `written` on.
    terms: Vec<u32>,
    weights: Vec<u8>,
    /// Where each page's ids end, counted from the stream's first entry.
    page_ends: Vec<usize>,
    /// Where each term of the current page is in `terms`: a term may come
    /// several times on a page (in the title and the body, or as "Huế" and
    /// "huë"), and its weights are then added.
    on_page: FxHashMap<u32, usize>,
    /// Where full blocks go, when the stream may write them out.
    spill: Option<Spill>,
    /// The entries written out.
    written: usize,
    /// The numbers of another vocabulary for the term ids written out
    /// ([`Stream::renumber`]), applied as they are read back.
    numbers: Option<Vec<u32>>,
}

/// The file a stream's full blocks are written to, and where each is.
#[derive(Debug)]
struct Spill {
    /// Made at the first block written.
    file: Option<File>,
    /// The folder to make it in.
    dir: PathBuf,
    /// Postings a block holds ([`BLOCK`]).
    block: usize,
    /// Each block written: its place in the file, its first page and its
    /// pages.
    blocks: Vec<Written>,
    end: u64,
}

#[derive(Debug, Clone, Copy)]
struct Written {
    at: u64,
    first_page: usize,
    pages: usize,
}

/// A stretch of a stream's pages, read back or in memory.
pub struct Stretch<'a> {
    /// The stretch's first page, counted in its stream.
    pub first_page: u32,
    /// Where each of its pages' entries end in `terms`.
    ends: Vec<usize>,
    pub terms: Cow<'a, [u32]>,
    weights: Cow<'a, [u8]>,
}

impl Stretch<'_> {
    /// Each page's distinct `(term, weight)`, pages in order, numbered in
    /// the stream.
    pub fn pages(&self) -> impl Iterator<Item = (u32, impl Iterator<Item = (usize, u8)> + '_)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        (self.first_page..)
            .zip(starts.zip(&self.ends))
            .map(|(page, (start, &end))| {
                let terms = self.terms[start..end].iter().map(|&t| t as usize);
                (page, terms.zip(self.weights[start..end].iter().copied()))
            })
    }
}

impl Stream {
    /// A stream of about `postings` entries, kept in memory: room is
    /// reserved, not filled, as a `Vec` grown by doubling copies its lists
    /// each time into new memory.
    pub fn with_capacity(postings: usize) -> Stream {
        Stream {
            terms: Vec::with_capacity(postings),
            weights: Vec::with_capacity(postings),
            ..Stream::default()
        }
    }

    /// A stream of about `postings` entries that writes its blocks out to
    /// a file made in `dir` when it holds more than one.
    pub fn spilling(postings: usize, dir: PathBuf) -> Stream {
        Self::spilling_by(postings, dir, BLOCK)
    }

    /// [`Stream::spilling`] in blocks of `block` postings.
    pub(crate) fn spilling_by(postings: usize, dir: PathBuf, block: usize) -> Stream {
        if postings <= block {
            return Stream::with_capacity(postings);
        }
        let mut stream = Stream::with_capacity(block + block / 8);
        stream.spill = Some(Spill {
            file: None,
            dir,
            block,
            blocks: Vec::new(),
            end: 0,
        });
        stream
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

    /// Closes the current page, and writes the pages held out when they
    /// fill a block.
    pub fn end_page(&mut self) {
        self.page_ends.push(self.written + self.terms.len());
        self.on_page.clear();
        if self.spill.as_ref().is_some_and(|s| self.terms.len() >= s.block) {
            self.write_out();
        }
    }

    /// How many pages the stream holds.
    pub fn pages(&self) -> usize {
        self.page_ends.len()
    }

    /// Gives each term its number in another vocabulary: `numbers[t]` for
    /// term `t` ([`super::vocabulary::Vocabulary::absorb`]). The entries
    /// written out take theirs as they are read back.
    pub fn renumber(&mut self, numbers: &[u32]) {
        self.terms
            .par_iter_mut()
            .for_each(|term| *term = numbers[*term as usize]);
        if self.written > 0 {
            self.numbers = Some(match self.numbers.take() {
                Some(before) => before.iter().map(|&t| numbers[t as usize]).collect(),
                None => numbers.to_vec(),
            });
        }
    }

    /// Writes the entries held to the spill file. On failure they stay in
    /// memory, and so do the entries after them (the blocks written before
    /// are read back as any).
    fn write_out(&mut self) {
        let Some(spill) = &mut self.spill else {
            return;
        };
        let first_page = spill.blocks.last().map_or(0, |b| b.first_page + b.pages);
        let block = Written {
            at: spill.end,
            first_page,
            pages: self.page_ends.len() - first_page,
        };
        let mut bytes = Vec::with_capacity(self.terms.len() * 5);
        bytes.extend(self.terms.iter().flat_map(|t| t.to_le_bytes()));
        bytes.extend_from_slice(&self.weights);
        let at = spill.end;
        let written = spill.file().and_then(|mut file| {
            file.seek(SeekFrom::Start(at))?;
            file.write_all(&bytes)
        });
        if written.is_err() {
            // The blocks written before stay where they are; this one and
            // the rest stay in memory.
            spill.block = usize::MAX;
            return;
        }
        spill.end += bytes.len() as u64;
        spill.blocks.push(block);
        self.written += self.terms.len();
        self.terms.clear();
        self.weights.clear();
    }

    /// Calls `each` with the stream's stretches in order: each block read
    /// back, then the entries held in memory. A block that cannot be read
    /// back is an error.
    pub fn for_each_stretch(&self, mut each: impl FnMut(&Stretch<'_>)) -> io::Result<()> {
        let blocks = self.spill.as_ref().map_or(&[][..], |s| &s.blocks[..]);
        for (i, block) in blocks.iter().enumerate() {
            each(&self.read_back(block, blocks.get(i + 1))?);
        }
        let first_page = blocks.last().map_or(0, |b| b.first_page + b.pages);
        each(&Stretch {
            first_page: first_page as u32,
            ends: self.ends_of(first_page, self.page_ends.len() - first_page),
            terms: Cow::Borrowed(&self.terms),
            weights: Cow::Borrowed(&self.weights),
        });
        Ok(())
    }

    /// Block `block` read back from the file, its terms renumbered.
    fn read_back(&self, block: &Written, next: Option<&Written>) -> io::Result<Stretch<'static>> {
        let spill = self
            .spill
            .as_ref()
            .ok_or_else(|| io::Error::other("no spill file"))?;
        let file = spill
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("no spill file"))?;
        let len = next.map_or(spill.end, |n| n.at) - block.at;
        let mut bytes = vec![0u8; len as usize];
        let mut file = file;
        file.seek(SeekFrom::Start(block.at))?;
        file.read_exact(&mut bytes)?;
        let ends = self.ends_of(block.first_page, block.pages);
        let entries = ends.last().copied().unwrap_or(0);
        if entries * 5 != bytes.len() {
            return Err(io::Error::other(
                "a block of search terms read back is not the size written",
            ));
        }
        let (terms, weights) = bytes.split_at(entries * 4);
        let renumbered = |t: u32| self.numbers.as_ref().map_or(t, |n| n[t as usize]);
        let terms: Vec<u32> = terms
            .chunks_exact(4)
            .map(|b| renumbered(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect();
        Ok(Stretch {
            first_page: block.first_page as u32,
            ends,
            terms: Cow::Owned(terms),
            weights: Cow::Owned(weights.to_vec()),
        })
    }

    /// The ends of `pages` pages from `first_page`, counted from the first
    /// page's first entry.
    fn ends_of(&self, first_page: usize, pages: usize) -> Vec<usize> {
        let start = first_page.checked_sub(1).map_or(0, |p| self.page_ends[p]);
        self.page_ends[first_page..first_page + pages]
            .iter()
            .map(|end| end - start)
            .collect()
    }
}

impl Spill {
    /// The file, made at the first call.
    fn file(&mut self) -> io::Result<&File> {
        if self.file.is_none() {
            std::fs::create_dir_all(&self.dir)?;
            self.file = Some(tempfile::tempfile_in(&self.dir)?);
        }
        self.file
            .as_ref()
            .ok_or_else(|| io::Error::other("no spill file"))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    /// The stretches of a stream as `(page, [(term, weight)])`.
    fn read(stream: &Stream) -> Vec<(u32, Vec<(usize, u8)>)> {
        let mut pages = Vec::new();
        stream
            .for_each_stretch(|stretch| {
                pages.extend(stretch.pages().map(|(page, entries)| (page, entries.collect())));
            })
            .expect("read back");
        pages
    }

    #[test]
    fn a_stream_written_out_reads_back_as_it_was_made_and_renumbered() {
        let dir = tempfile::tempdir().expect("a folder");
        // Blocks of 1,000 postings, pages of 300: a block closes on every
        // fourth page, and the last three pages stay in memory.
        let page = |p: u32, t: u32| (t * 7 + p) % 1_009;
        let (pages, per_page) = (15u32, 300u32);
        let mut spilled = Stream::spilling_by(4_500, dir.path().to_path_buf(), 1_000);
        let mut held = Stream::with_capacity(0);
        for p in 0..pages {
            for t in 0..per_page {
                spilled.push(page(p, t), p % 3 + 1);
                held.push(page(p, t), p % 3 + 1);
            }
            spilled.end_page();
            held.end_page();
        }
        let spill = spilled.spill.as_ref().expect("spilling");
        assert_eq!(spill.blocks.len(), 3, "three blocks of four pages written");
        assert!(spilled.written > 0 && !spilled.terms.is_empty());
        assert!(
            std::fs::read_dir(dir.path())
                .expect("the folder")
                .next()
                .is_none(),
            "the file has no name"
        );
        assert_eq!(read(&spilled), read(&held));
        // Renumbered, the written entries as the held ones.
        let numbers: Vec<u32> = (0..1_009u32).map(|t| 1_008 - t).collect();
        spilled.renumber(&numbers);
        held.renumber(&numbers);
        assert_eq!(read(&spilled), read(&held));
        assert_eq!(read(&spilled)[0].1[0].0, 1_008);
        // Renumbered twice, the two numberings in turn.
        let shifted: Vec<u32> = (0..1_009u32).map(|t| (t + 5) % 1_009).collect();
        spilled.renumber(&shifted);
        held.renumber(&shifted);
        assert_eq!(read(&spilled), read(&held));
    }

    /// A block that cannot be written (the disk full, say) stays in memory
    /// with the pages after it; the blocks written before are read back.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_block_that_cannot_be_written_stays_in_memory_after_those_written() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().expect("a folder");
        let page = |p: u32, t: u32| (t * 7 + p) % 1_009;
        let mut spilled = Stream::spilling_by(4_500, dir.path().to_path_buf(), 1_000);
        let mut held = Stream::with_capacity(0);
        for p in 0..15u32 {
            if p == 5 {
                // The same file, open for reading only from now on.
                let spill = spilled.spill.as_mut().expect("spilling");
                let fd = spill.file.as_ref().expect("a block written").as_raw_fd();
                spill.file = Some(File::open(format!("/proc/self/fd/{fd}")).expect("reopened"));
            }
            for t in 0..300u32 {
                spilled.push(page(p, t), 1);
                held.push(page(p, t), 1);
            }
            spilled.end_page();
            held.end_page();
        }
        assert_eq!(spilled.spill.as_ref().expect("spilling").blocks.len(), 1);
        assert_eq!(spilled.terms.len(), 11 * 300);
        assert_eq!(read(&spilled), read(&held));
    }

    #[test]
    fn a_stream_whose_folder_cannot_be_written_keeps_its_entries() {
        let dir = tempfile::tempdir().expect("a folder");
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "not a folder").expect("a file");
        let mut stream = Stream::spilling_by(5_000, blocked.join("cache"), 1_000);
        for p in 0..3u32 {
            for t in 0..1_000u32 {
                stream.push(t, p + 1);
            }
            stream.end_page();
        }
        let spill = stream.spill.as_ref().expect("still a stream that spills");
        assert!(spill.blocks.is_empty() && spill.file.is_none() && stream.written == 0);
        let pages = read(&stream);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].1.len(), 1_000);
        assert_eq!(pages[2].1[999], (999, 3));
    }
}
