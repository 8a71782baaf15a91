//! Writes one language's index as small static files, so a reader downloads
//! only what a query needs:
//!
//! - `meta.json`: the page table (path, title, section, date), the sections
//!   and the first term of each shard;
//! - `s/<n>.json`: a run of consecutive terms (sorted by folded form, in
//!   UTF-16 order as JavaScript compares strings), closed when it passes
//!   [`SHARD_BYTES`]: a query word is found by binary search on the first
//!   terms, and a word being typed reads the few shards its prefix spans;
//! - `t/<n>.json`: excerpt text of pages `n·CHUNK ..`, fetched only for the
//!   results on screen.
//!
//! A term's entry is `{exact form: [page delta, weight, …]}`, or the bare
//! list when its only exact form is the folded one.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::index::{IndexedTerm, SearchIndex};
use super::postings::unpack;
use crate::output::OutputFile;

/// A shard is closed once it holds this many bytes (uncompressed JSON);
/// gzipped, that is a few kilobytes.
const SHARD_BYTES: usize = 16 * 1024;
/// Pages per excerpt file.
pub const CHUNK: usize = 5;
/// The format version, read by `search.js`.
const VERSION: u32 = 1;

/// The files of one language's index under `<dir>` (`search/en/`).
pub fn files(index: &SearchIndex, dir: &str) -> Vec<OutputFile> {
    // Each term as its `"key":value` JSON member, serialized once, in the
    // order in which the script compares strings; on all cores, as Chinese
    // has five times the terms of other languages and would finish last.
    let encoded: Vec<(&str, String)> = index
        .terms
        .par_iter()
        .map(|term| {
            let key = json_string(&term.fold);
            (
                term.fold.as_str(),
                format!("{key}:{}", encode_term(term, &index.postings)),
            )
        })
        .collect();
    let mut firsts: Vec<&str> = Vec::new();
    let mut shards: Vec<String> = Vec::new();
    for (term, member) in &encoded {
        match shards.last_mut() {
            Some(shard) if shard.len() + member.len() <= SHARD_BYTES => {
                shard.push(',');
                shard.push_str(member);
            }
            _ => {
                firsts.push(term);
                shards.push(format!("{{{member}"));
            }
        }
    }
    let mut files = Vec::with_capacity(shards.len() + index.pages.len() / CHUNK + 2);
    for (n, mut shard) in shards.into_iter().enumerate() {
        shard.push('}');
        files.push(OutputFile::bytes(format!("{dir}s/{n}.json"), shard));
    }
    for (n, chunk) in index.pages.chunks(CHUNK).enumerate() {
        let texts: Vec<&str> = chunk.iter().map(|p| p.text.as_str()).collect();
        files.push(OutputFile::bytes(
            format!("{dir}t/{n}.json"),
            serde_json::to_string(&texts).unwrap_or_default(),
        ));
    }
    let pages: Vec<Value> = index
        .pages
        .iter()
        .map(|p| {
            json!([
                p.path,
                p.title,
                p.section.map_or(-1, |s| s as i64),
                p.date.as_deref().unwrap_or("")
            ])
        })
        .collect();
    let sections: Vec<Value> = index
        .sections
        .iter()
        .map(|s| json!([s.name, s.title, s.path]))
        .collect();
    let meta = json!({
        "version": VERSION,
        "lang": index.lang,
        "chunk": CHUNK,
        "shards": firsts,
        "sections": sections,
        "pages": pages,
    });
    files.push(OutputFile::bytes(format!("{dir}meta.json"), meta.to_string()));
    files
}

/// A term's JSON value, written directly: postings are most of the
/// index and go through no intermediate `Value`, nor through `fmt`.
fn encode_term(term: &IndexedTerm, postings: &[u32]) -> String {
    let (fold, variants) = (&term.fold, &term.variants);
    // Room for the usual posting (a small page delta and weight) up front:
    // most terms' lists would otherwise be grown several times.
    let postings_len: usize = variants.iter().map(|(_, r)| r.len()).sum();
    let mut out = String::with_capacity(postings_len * 6 + 16);
    let list = |out: &mut String, range: &std::ops::Range<usize>| {
        out.push('[');
        let mut previous = 0;
        for (i, &posting) in postings[range.clone()].iter().enumerate() {
            let (page, weight) = unpack(posting);
            if i > 0 {
                out.push(',');
            }
            push_number(out, page - previous);
            out.push(',');
            push_number(out, weight);
            previous = page;
        }
        out.push(']');
    };
    match variants.iter().next() {
        Some((exact, range)) if variants.len() == 1 && exact == fold => list(&mut out, range),
        _ => {
            out.push('{');
            for (i, (exact, range)) in variants.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(exact));
                out.push(':');
                list(&mut out, range);
            }
            out.push('}');
        }
    }
    out
}

/// `text` as a JSON string.
fn json_string(text: &str) -> String {
    // Serializing a string cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

/// Appends `n` in decimal. The postings are millions of small numbers
/// (page gaps and weights, mostly under 100): those are written digit by
/// digit, and only larger ones go through `itoa`.
fn push_number(out: &mut String, n: u32) {
    let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
    if n < 10 {
        out.push(digit(n));
    } else if n < 100 {
        out.push(digit(n / 10));
        out.push(digit(n));
    } else {
        out.push_str(itoa::Buffer::new().format(n));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = String::new();
        for n in [0, 7, 10, 99, 100, 255, 4_294_967_295] {
            super::push_number(&mut out, n);
            out.push(' ');
        }
        assert_eq!(out, "0 7 10 99 100 255 4294967295 ");
    }
}
