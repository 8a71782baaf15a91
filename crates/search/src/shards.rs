//! Writes one language's index as small static files, so a reader downloads
//! only what a query needs:
//!
//! - `meta.json`: the number of pages, each page's section (as runs), the
//!   sections, the first term of each shard and of each stem shard: its
//!   size grows with the number of shards, not of pages;
//! - `s/<n>.json`: a run of consecutive terms (sorted by folded form, in
//!   UTF-16 order as JavaScript compares strings), closed when it passes
//!   [`SHARD_BYTES`]: a query word is found by binary search on the first
//!   terms, and a word being typed reads the few shards its prefix spans;
//! - `w/<n>.json`: runs of the stem table, `{stem: [folded terms]}`, when
//!   the language stems ([`super::stem`]); `stem.js` is its stemmer;
//! - `x/<t>.json`: the postings of term number `t` past its [`HEAD`]
//!   heaviest, for a term on more pages than that (read only for several
//!   words, a section filter or results past the head);
//! - `p/<n>.json`: what results show of pages `n·CHUNK ..` (path, title,
//!   section, date, excerpt text, translation group and languages),
//!   fetched only for the results on screen.
//!
//! A term's entry is `{exact form: [page delta, weight, …]}`, or the bare
//! list when its only exact form is the folded one.

use std::ops::Range;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::index::{IndexedPage, IndexedTerm, SearchIndex};
use super::postings::unpack;
use vitrine_output::{OutputFile, Sink};

/// A shard is closed once it holds this many bytes (uncompressed JSON);
/// gzipped, that is a few kilobytes.
const SHARD_BYTES: usize = 16 * 1024;
/// Postings a term keeps in its shard: a term on more pages keeps its
/// heaviest there and the rest in a file of its own, so that a one-word
/// query reads the same few kilobytes at any size of site.
pub const HEAD: usize = 1000;
/// Pages per excerpt file.
pub const CHUNK: usize = 5;
/// The format version, read by `search.js`.
const VERSION: u32 = 2;

/// Terms encoded per task: enough to spread the work over the cores, few
/// enough buffers to allocate.
const TERMS_PER_TASK: usize = 1024;
/// Terms encoded before their members go into shards: the terms' JSON is
/// larger than the index's packed postings, and held whole it added
/// 34 MiB to the peak of a 50,000-article × 5 build (1,226 → 1,192 MiB
/// at the search index's end, `--timings`).
const TERMS_PER_BATCH: usize = 16 * TERMS_PER_TASK;

/// Puts the files of one language's index under `<dir>` (`search/en/`)
/// into `sink`, each as soon as it is made: a build holds the index and
/// a batch of its terms' JSON, not every file of it.
pub fn put(index: &SearchIndex, dir: &str, sink: &dyn Sink) {
    let firsts = term_shards(index, dir, sink);
    let stem_firsts = stem_shards(index, dir, sink);
    index.pages.par_chunks(CHUNK).enumerate().for_each(|(n, chunk)| {
        sink.put(OutputFile::bytes(
            format!("{dir}p/{n}.json"),
            page_fragments(chunk),
        ));
    });
    if let Some(forms) = &index.word_forms {
        sink.put(OutputFile::bytes(format!("{dir}stem.js"), forms.script));
    }
    let sections: Vec<Value> = index
        .sections
        .iter()
        .map(|s| json!([s.name, s.title, s.path]))
        .collect();
    let meta = json!({
        "version": VERSION,
        "lang": index.lang,
        "chunk": CHUNK,
        "pages": index.pages.len(),
        "shards": firsts,
        "stemmer": index.word_forms.is_some(),
        "stems": stem_firsts,
        "sections": sections,
        "section_runs": section_runs(&index.pages),
    });
    sink.put(OutputFile::bytes(format!("{dir}meta.json"), meta.to_string()));
}

/// Consecutive JSON members gathered into objects of about
/// [`SHARD_BYTES`], `<prefix><n>.json`, each put as soon as it is closed;
/// keeps the first key of each for `meta.json`.
struct Shards<'a> {
    sink: &'a dyn Sink,
    prefix: String,
    open: Vec<u8>,
    firsts: Vec<&'a str>,
}

impl<'a> Shards<'a> {
    fn new(sink: &'a dyn Sink, prefix: String) -> Self {
        Shards {
            sink,
            prefix,
            open: Vec::new(),
            firsts: Vec::new(),
        }
    }

    /// Adds the member of `key` to the open shard, or closes it and opens
    /// the next when it would pass the size.
    fn push(&mut self, key: &'a str, member: &[u8]) {
        if !self.open.is_empty() && self.open.len() + member.len() <= SHARD_BYTES {
            self.open.push(b',');
            self.open.extend_from_slice(member);
            return;
        }
        self.close();
        self.firsts.push(key);
        self.open.reserve(SHARD_BYTES + 1);
        self.open.push(b'{');
        self.open.extend_from_slice(member);
    }

    fn close(&mut self) {
        if self.open.is_empty() {
            return;
        }
        let mut shard = std::mem::take(&mut self.open);
        shard.push(b'}');
        let n = self.firsts.len() - 1;
        self.sink
            .put(OutputFile::bytes(format!("{}{n}.json", self.prefix), shard));
    }

    /// Closes the last shard; the first key of each.
    fn finish(mut self) -> Vec<&'a str> {
        self.close();
        self.firsts
    }
}

/// Writes the terms as `s/<n>.json` shards, a batch of terms at a time,
/// and returns the first term of each shard. Each term's `"key":value`
/// member is encoded on all cores (Chinese has five times the terms of
/// other languages and would finish last), in runs whose buffers are then
/// copied into shards in the order in which the script compares strings.
fn term_shards<'a>(index: &'a SearchIndex, dir: &str, sink: &'a dyn Sink) -> Vec<&'a str> {
    type Run = (Vec<u8>, Vec<usize>);
    let mut shards = Shards::new(sink, format!("{dir}s/"));
    for (b, batch) in index.terms.chunks(TERMS_PER_BATCH).enumerate() {
        let runs: Vec<Run> = batch
            .par_chunks(TERMS_PER_TASK)
            .enumerate()
            .map(|(n, terms)| {
                let first = b * TERMS_PER_BATCH + n * TERMS_PER_TASK;
                let mut members = Vec::new();
                let mut ends = Vec::with_capacity(terms.len());
                for (i, term) in terms.iter().enumerate() {
                    let t = first + i;
                    if let Some(tail) = push_member(&mut members, t, term, &index.postings) {
                        sink.put(OutputFile::bytes(format!("{dir}x/{t}.json"), tail));
                    }
                    ends.push(members.len());
                }
                (members, ends)
            })
            .collect();
        let members = runs.iter().flat_map(|(members, ends)| {
            let starts = std::iter::once(0).chain(ends.iter().copied());
            starts.zip(ends).map(|(start, &end)| &members[start..end])
        });
        for (term, member) in batch.iter().zip(members) {
            shards.push(&term.fold, member);
        }
    }
    shards.finish()
}

/// Writes the stem table as `w/<n>.json` runs like the term shards
/// (`{"constitut":["constitution","constitutions"]}`), and returns the
/// first stem of each.
fn stem_shards<'a>(index: &'a SearchIndex, dir: &str, sink: &'a dyn Sink) -> Vec<&'a str> {
    let mut shards = Shards::new(sink, format!("{dir}w/"));
    for (stem, terms) in &index.stems {
        let mut member = Vec::with_capacity(stem.len() + 16 * terms.len());
        push_string(&mut member, stem);
        member.extend_from_slice(b":[");
        for (i, &t) in terms.iter().enumerate() {
            if i > 0 {
                member.push(b',');
            }
            push_string(&mut member, &index.terms[t as usize].fold);
        }
        member.push(b']');
        shards.push(stem, &member);
    }
    shards.finish()
}

/// What results show of pages `chunk`, one array each: `[path, title,
/// section (or -1), date (or ""), excerpt text, translation group, [other
/// languages with their own text]]`.
fn page_fragments(chunk: &[IndexedPage]) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        chunk
            .iter()
            .map(|p| p.text.len() + p.title.len() + p.path.len() + 48)
            .sum::<usize>()
            + 2,
    );
    out.push(b'[');
    for (i, page) in chunk.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_string(&mut out, &page.path);
        out.push(b',');
        push_string(&mut out, &page.title);
        out.push(b',');
        let section = page.section.map_or(-1, |s| s as i64);
        out.extend_from_slice(itoa::Buffer::new().format(section).as_bytes());
        out.push(b',');
        push_string(&mut out, page.date.as_deref().unwrap_or(""));
        out.push(b',');
        push_string(&mut out, &page.text);
        out.push(b',');
        out.extend_from_slice(itoa::Buffer::new().format(page.group).as_bytes());
        out.extend_from_slice(b",[");
        for (j, lang) in page.translations.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            push_string(&mut out, lang);
        }
        out.extend_from_slice(b"]]");
    }
    out.push(b']');
    out
}

/// Each page's section as runs of consecutive pages, `[[section (or -1),
/// pages], …]`: the section filter reads it without the pages' fragments,
/// and pages of one section mostly follow each other.
fn section_runs(pages: &[IndexedPage]) -> Vec<[i64; 2]> {
    let mut runs: Vec<[i64; 2]> = Vec::new();
    for page in pages {
        let section = page.section.map_or(-1, |s| s as i64);
        match runs.last_mut() {
            Some(run) if run[0] == section => run[1] += 1,
            _ => runs.push([section, 1]),
        }
    }
    runs
}

/// Appends a term's `"key":value` member, written directly: postings are
/// most of the index and go through no intermediate `Value`, nor through
/// `fmt`. A term on more than [`HEAD`] pages keeps only its heaviest
/// postings here, with `"": [term number, postings, pages]`; the rest is
/// returned,
/// as the body of `x/<term number>.json` (see [`split_head`]).
fn push_member(out: &mut Vec<u8>, t: usize, term: &IndexedTerm, postings: &[u32]) -> Option<Vec<u8>> {
    let (fold, variants) = (&term.fold, &term.variants);
    let postings_len: usize = variants.iter().map(|(_, r)| r.len()).sum();
    push_string(out, fold);
    out.push(b':');
    if postings_len > HEAD {
        let (heads, tails) = split_head(variants, postings);
        out.push(b'{');
        for ((exact, _), head) in variants.iter().zip(&heads) {
            push_string(out, exact);
            out.push(b':');
            push_postings(out, head.iter().copied());
            out.push(b',');
        }
        out.extend_from_slice(b"\"\":[");
        for (i, n) in [t, postings_len, pages(&heads, &tails)].into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
        out.extend_from_slice(b"]}");
        let mut tail = Vec::with_capacity((postings_len - HEAD) * 6 + 16);
        tail.push(b'{');
        for (i, ((exact, _), list)) in variants.iter().zip(&tails).enumerate() {
            if i > 0 {
                tail.push(b',');
            }
            push_string(&mut tail, exact);
            tail.push(b':');
            push_postings(&mut tail, list.iter().copied());
        }
        tail.push(b'}');
        return Some(tail);
    }
    // Room for the usual posting (a small page delta and weight) up front.
    out.reserve(postings_len * 6 + fold.len() + 16);
    match variants.iter().next() {
        Some((exact, range)) if variants.len() == 1 && exact == fold => {
            push_postings(out, postings[range.clone()].iter().copied());
        }
        _ => {
            out.push(b'{');
            for (i, (exact, range)) in variants.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_string(out, exact);
                out.push(b':');
                push_postings(out, postings[range.clone()].iter().copied());
            }
            out.push(b'}');
        }
    }
    None
}

/// A large term's postings cut in two, per exact form, each part in page
/// order: the [`HEAD`] heaviest (ties to the lower page, as the script
/// breaks ties), which rank first for a one-word query and are all it
/// reads, and the rest, read for several words, a section filter or more
/// results than the head holds. Weights are small numbers: the weight
/// where the head ends is found by counting, and only the postings of that
/// weight are sorted (by page), so that the cut costs a pass over the
/// postings rather than a sort of them.
fn split_head(variants: &[(String, Range<usize>)], postings: &[u32]) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let lists = || variants.iter().map(|(_, range)| &postings[range.clone()]);
    let mut by_weight = [0usize; 256];
    for list in lists() {
        for &p in list {
            by_weight[unpack(p).1 as usize & 0xFF] += 1;
        }
    }
    // The lightest weight the head reaches, and how many postings of that
    // weight it takes (the rest of the head is heavier).
    let (mut edge, mut heavier) = (0usize, 0usize);
    for weight in (0..256).rev() {
        if heavier + by_weight[weight] >= HEAD {
            edge = weight;
            break;
        }
        heavier += by_weight[weight];
    }
    let mut ties: Vec<u32> = lists()
        .flatten()
        .filter(|&&p| unpack(p).1 as usize == edge)
        .map(|&p| unpack(p).0)
        .collect();
    ties.sort_unstable();
    // Pages of the edge weight that make the head: the lowest ones.
    let last_tie = ties.get(HEAD - heavier - 1).copied().unwrap_or(u32::MAX);
    let mut heads = Vec::with_capacity(variants.len());
    let mut tails = Vec::with_capacity(variants.len());
    for list in lists() {
        let (head, tail): (Vec<u32>, Vec<u32>) = list.iter().partition(|&&p| {
            let (page, weight) = unpack(p);
            weight as usize > edge || (weight as usize == edge && page <= last_tie)
        });
        heads.push(head);
        tails.push(tail);
    }
    (heads, tails)
}

/// The distinct pages of a term's postings (a page may hold several of its
/// exact forms): the number of results a query of that word has.
fn pages(heads: &[Vec<u32>], tails: &[Vec<u32>]) -> usize {
    let mut pages: Vec<u32> = heads
        .iter()
        .chain(tails)
        .flatten()
        .map(|&p| unpack(p).0)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages.len()
}

/// Appends packed postings (pages ascending) as `[page gap, weight, …]`.
fn push_postings(out: &mut Vec<u8>, postings: impl Iterator<Item = u32>) {
    let mut previous = 0;
    let mut separator = b'[';
    let mut number = itoa::Buffer::new();
    for posting in postings {
        let (page, weight) = unpack(posting);
        out.push(separator);
        out.extend_from_slice(number.format(page - previous).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(weight).as_bytes());
        separator = b',';
        previous = page;
    }
    if separator == b'[' {
        out.push(b'[');
    }
    out.push(b']');
}

/// Appends `text` as a JSON string.
fn push_string(out: &mut Vec<u8>, text: &str) {
    // Serializing a string into memory cannot fail.
    let _ = serde_json::to_writer(out, text);
}

#[cfg(test)]
mod tests {
    use super::HEAD;
    use crate::index::IndexedTerm;
    use crate::postings::{pack, unpack};

    /// (page, weight) of each posting of `list` (`[gap, weight, …]`).
    fn read(list: &serde_json::Value) -> Vec<(u32, u32)> {
        let numbers: Vec<u32> = list
            .as_array()
            .expect("list")
            .iter()
            .map(|n| n.as_u64().expect("number") as u32)
            .collect();
        let mut page = 0;
        numbers
            .chunks(2)
            .map(|p| {
                page += p[0];
                (page, p[1])
            })
            .collect()
    }

    #[test]
    fn a_frequent_term_keeps_its_heaviest_postings_in_its_shard() {
        // Two exact forms on 1,500 pages each, weights 1..=12.
        let weight = |page: u32| 1 + (page * 7) % 12;
        let postings: Vec<u32> = (0..2)
            .flat_map(|v| (0..1500u32).map(move |page| pack(page * 2 + v, weight(page * 2 + v))))
            .collect();
        let term = IndexedTerm {
            fold: "hue".into(),
            variants: vec![("huế".into(), 0..1500), ("huệ".into(), 1500..3000)],
        };
        let mut out = Vec::new();
        let tail = super::push_member(&mut out, 42, &term, &postings).expect("a tail");
        let member: serde_json::Value =
            serde_json::from_slice(&[b"{", &out[..], b"}"].concat()).expect("json");
        let head = &member["hue"];
        assert_eq!(head[""], serde_json::json!([42, 3000, 3000]));
        let tail: serde_json::Value = serde_json::from_slice(&tail).expect("json");
        let mut all = Vec::new();
        let mut lightest_head = u32::MAX;
        let mut heaviest_tail = 0;
        for form in ["huế", "huệ"] {
            let (h, t) = (read(&head[form]), read(&tail[form]));
            lightest_head = h.iter().map(|p| p.1).min().unwrap_or(u32::MAX).min(lightest_head);
            heaviest_tail = t.iter().map(|p| p.1).max().unwrap_or(0).max(heaviest_tail);
            all.extend(h);
            all.extend(t);
        }
        assert_eq!(
            all.len() - read(&tail["huế"]).len() - read(&tail["huệ"]).len(),
            HEAD
        );
        assert!(
            lightest_head >= heaviest_tail,
            "{lightest_head} < {heaviest_tail}"
        );
        all.sort_unstable();
        let expected: Vec<(u32, u32)> = {
            let mut e: Vec<(u32, u32)> = postings.iter().map(|&p| unpack(p)).collect();
            e.sort_unstable();
            e
        };
        assert_eq!(all, expected, "every posting in the head or the tail, once");
    }

    #[test]
    fn a_term_on_few_pages_is_written_whole() {
        let postings: Vec<u32> = (0..10).map(|page| pack(page * 3, 2)).collect();
        let term = IndexedTerm {
            fold: "pho".into(),
            variants: vec![("pho".into(), 0..10)],
        };
        let mut out = Vec::new();
        assert!(super::push_member(&mut out, 0, &term, &postings).is_none());
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\"pho\":[0,2,3,2,3,2,3,2,3,2,3,2,3,2,3,2,3,2,3,2]"
        );
    }
    #[test]
    fn terms_encoded_in_batches_make_the_shards_of_every_term_in_order() {
        use crate::index::SearchIndex;
        use vitrine_output::{Collect, FileContent};
        // Three batches, the last partial; a frequent term in each, whose
        // tail file is named by its number across the batches.
        let count = 2 * super::TERMS_PER_BATCH + 500;
        let frequent = [5, super::TERMS_PER_BATCH + 7, 2 * super::TERMS_PER_BATCH + 3];
        let mut index = SearchIndex::default();
        for t in 0..count {
            let start = index.postings.len();
            let pages = if frequent.contains(&t) { HEAD as u32 + 5 } else { 1 };
            index.postings.extend((0..pages).map(|page| pack(page, 1)));
            let fold = format!("t{t:06}");
            let variants = vec![(fold.clone(), start..index.postings.len())];
            index.terms.push(IndexedTerm { fold, variants });
        }
        let sink = Collect::default();
        let firsts: Vec<String> = super::term_shards(&index, "search/xx/", &sink)
            .into_iter()
            .map(str::to_string)
            .collect();
        let files = sink.into_files();
        let bytes = |path: &str| match &files.iter().find(|f| f.path == path).expect(path).content {
            FileContent::Bytes(b) => b.clone(),
            FileContent::Copy(_) => panic!("{path} is a copy"),
        };
        let mut keys = Vec::new();
        for (n, first) in firsts.iter().enumerate() {
            let shard = bytes(&format!("search/xx/s/{n}.json"));
            let _: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&shard).expect("a shard is a JSON object");
            // The shard's own keys in the order written (a parsed map
            // sorts them): the `"t` strings at depth one (no string here
            // holds a bracket).
            let text = String::from_utf8(shard).expect("UTF-8");
            let mut depth = 0;
            let mut written = Vec::new();
            for (at, c) in text.char_indices() {
                match c {
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth -= 1,
                    '"' if depth == 1 && text[at + 1..].starts_with('t') => {
                        written.push(text[at + 1..at + 8].to_string());
                    }
                    _ => {}
                }
            }
            assert_eq!(
                written.first(),
                Some(first),
                "shard {n} starts with its first term"
            );
            keys.extend(written);
        }
        let folds: Vec<&str> = index.terms.iter().map(|t| t.fold.as_str()).collect();
        assert_eq!(keys, folds, "every term once, in order");
        let tails: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with("search/xx/x/"))
            .collect();
        let expected: Vec<String> = frequent.iter().map(|t| format!("search/xx/x/{t}.json")).collect();
        let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(tails, expected);
    }

    #[test]
    fn strings_are_escaped_only_when_json_needs_it() {
        let mut out = Vec::new();
        for text in ["huế", "越南", "a\"b\\c\u{1}"] {
            super::push_string(&mut out, text);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\"huế\" \"越南\" \"a\\\"b\\\\c\\u0001\" "
        );
    }
}
