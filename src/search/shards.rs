//! Writes one language's index as small static files, so a reader downloads
//! only what a query needs:
//!
//! - `meta.json`: the page table (path, title, section, date), the sections
//!   and the list of shard keys;
//! - `s/<key>.json`: the terms whose folded form starts with `<key>` (the
//!   first two characters, one for CJK), split one character deeper while a
//!   shard is larger than [`SHARD_BYTES`]; the file name is the key's UTF-8
//!   bytes in hex so any script is a safe URL;
//! - `t/<n>.json`: excerpt text of pages `n·CHUNK ..`, fetched only for the
//!   results on screen.
//!
//! A term's entry is `{exact form: [page delta, weight, …]}`, or the bare
//! list when its only exact form is the folded one.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::index::SearchIndex;
use super::normalize::is_cjk;
use crate::output::OutputFile;

/// A shard above this many bytes (uncompressed JSON) is split deeper.
const SHARD_BYTES: usize = 24 * 1024;
/// Keys never grow past this many characters.
const MAX_KEY_CHARS: usize = 5;
/// Pages per excerpt file.
pub const CHUNK: usize = 5;
/// The format version, read by `search.js`.
const VERSION: u32 = 1;

/// The files of one language's index under `<dir>` (`search/en/`).
pub fn files(index: &SearchIndex, dir: &str) -> Vec<OutputFile> {
    // Each term as its `"key":value` JSON member, serialized once.
    let encoded: Vec<(&str, String)> = index
        .terms
        .iter()
        .map(|(fold, variants)| {
            let key = Value::from(fold.as_str()).to_string();
            (fold.as_str(), format!("{key}:{}", encode_term(fold, variants)))
        })
        .collect();
    let mut shards: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let all: Vec<usize> = (0..encoded.len()).collect();
    split(&encoded, &all, 0, &mut shards);
    let mut files = Vec::with_capacity(shards.len() + 2);
    for (key, members) in &shards {
        let body: Vec<&str> = members.iter().map(|&i| encoded[i].1.as_str()).collect();
        files.push(OutputFile::bytes(
            format!("{dir}s/{}.json", hex(key)),
            format!("{{{}}}", body.join(",")),
        ));
    }
    for (n, chunk) in index.pages.chunks(CHUNK).enumerate() {
        let texts: Vec<&str> = chunk.iter().map(|p| p.text.as_str()).collect();
        files.push(OutputFile::bytes(
            format!("{dir}t/{n}.json"),
            json!(texts).to_string(),
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
        "shards": shards.keys().collect::<Vec<_>>(),
        "sections": sections,
        "pages": pages,
    });
    files.push(OutputFile::bytes(format!("{dir}meta.json"), meta.to_string()));
    files
}

/// A term's JSON value, written directly: postings are most of the
/// index and go through no intermediate `Value`.
fn encode_term(fold: &str, variants: &BTreeMap<String, Vec<(u32, u32)>>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let postings = |out: &mut String, list: &[(u32, u32)]| {
        out.push('[');
        let mut previous = 0;
        for (i, &(page, weight)) in list.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            let _ = write!(out, "{comma}{},{weight}", page - previous);
            previous = page;
        }
        out.push(']');
    };
    match variants.iter().next() {
        Some((exact, list)) if variants.len() == 1 && exact == fold => postings(&mut out, list),
        _ => {
            out.push('{');
            for (i, (exact, list)) in variants.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(exact.as_str()).to_string());
                out.push(':');
                postings(&mut out, list);
            }
            out.push('}');
        }
    }
    out
}

/// Groups `members` by their first `depth` characters (one more than
/// their parent's key), starting at two (one for CJK), and splits a group
/// deeper while it is too large.
fn split(
    terms: &[(&str, String)],
    members: &[usize],
    depth: usize,
    shards: &mut BTreeMap<String, Vec<usize>>,
) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in members {
        let term = terms[i].0;
        let first = term.chars().next().is_some_and(is_cjk);
        let chars = if depth == 0 {
            if first { 1 } else { 2 }
        } else {
            depth
        };
        groups
            .entry(term.chars().take(chars).collect())
            .or_default()
            .push(i);
    }
    for (key, group) in groups {
        let key_chars = key.chars().count();
        let size: usize = group.iter().map(|&i| terms[i].1.len()).sum();
        let deeper: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| terms[i].0.chars().count() > key_chars)
            .collect();
        if size > SHARD_BYTES && key_chars < MAX_KEY_CHARS && !deeper.is_empty() {
            // Terms exactly as long as the key stay in its shard; longer
            // ones move to shards one character deeper.
            let stay: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&i| terms[i].0.chars().count() <= key_chars)
                .collect();
            if !stay.is_empty() {
                shards.insert(key.clone(), stay);
            }
            split(terms, &deeper, key_chars + 1, shards);
        } else {
            shards.insert(key, group);
        }
    }
}

/// Lowercase hex of the UTF-8 bytes: `hu` → `6875`.
pub fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}
