//! The texts of the content files a build read, kept beside its record
//! (`<record>.texts`): the next build models the site that build saw from
//! them, to find what a change reaches and render only that
//! ([`crate::patch`]). The files of `content/` change under it, so it
//! cannot read them again.
//!
//! The texts are spread over [`BUCKETS`] buckets by a hash of their path,
//! each LZ4-compressed on its own (the Markdown of 10,000 articles × 5
//! languages, 150 MB, takes about 85 MB). So a build reads back only the
//! buckets holding the files that changed, and writes again only the
//! buckets whose files changed: the others are copied from the previous
//! file as they are. Nothing in it is trusted: every text is checked
//! against the record's hash of its file before use
//! ([`super::Inputs::texts_of`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use rayon::prelude::*;

/// How many buckets the texts are spread over.
const BUCKETS: usize = 256;

/// Marks the layout of the file: another layout reads as absent.
const MAGIC: &[u8; 8] = b"vtexts01";

/// The bucket of a file, by path under `content/`.
pub(super) fn bucket(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % BUCKETS as u64) as usize
}

/// A digest of each bucket's files and their hashes (`hashes`: by path
/// under `content/`): a bucket whose digest did not change holds the
/// same texts.
pub(super) fn digests<'a>(hashes: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u128> {
    let mut parts = vec![Vec::new(); BUCKETS];
    for (rel, hash) in hashes {
        parts[bucket(rel)].push((rel, hash));
    }
    parts
        .into_iter()
        .map(|mut files| {
            files.sort_unstable();
            let mut text = String::new();
            for (rel, hash) in files {
                text.push_str(rel);
                text.push('\0');
                text.push_str(hash);
                text.push('\n');
            }
            xxhash_rust::xxh3::xxh3_128(text.as_bytes())
        })
        .collect()
}

/// Writes the texts of the files `files` (path under `content/` and
/// content hash) to `file`, through a temporary file renamed over it.
/// Buckets whose digest is as in `before` (the digests of the texts
/// already in `file`) are copied from it; the others are read from
/// `root`'s `content/`, and each file must hash to its hash (`hash_of`) or
/// nothing is written: it changed since the build read it.
pub(super) fn write(
    file: &Path,
    root: &Path,
    files: &[(&str, &str)],
    before: Option<&[u128]>,
    hash_of: impl Fn(&[u8]) -> String + Sync,
) -> io::Result<()> {
    let now = digests(files.iter().copied());
    let old = before.and_then(|_| layout(file));
    let mut by_bucket = vec![Vec::new(); BUCKETS];
    for &(rel, hash) in files {
        by_bucket[bucket(rel)].push((rel, hash));
    }
    let packed = by_bucket
        .into_par_iter()
        .enumerate()
        .map(|(b, mut files)| {
            let same = before.is_some_and(|d| d.get(b) == Some(&now[b]));
            if let (true, Some(old)) = (same, &old) {
                return raw_bucket(file, old, b);
            }
            files.sort_unstable();
            let mut plain = Vec::new();
            for (rel, hash) in files {
                let bytes = std::fs::read(root.join("content").join(rel))?;
                if hash_of(&bytes) != hash {
                    return Err(io::Error::other(format!(
                        "content/{rel} changed while it was built"
                    )));
                }
                put(&mut plain, rel.as_bytes());
                put(&mut plain, &bytes);
            }
            Ok(lz4_flex::compress_prepend_size(&plain))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = io::BufWriter::new(&mut temp);
        out.write_all(MAGIC)?;
        for bucket in &packed {
            out.write_all(&(bucket.len() as u64).to_le_bytes())?;
        }
        for bucket in &packed {
            out.write_all(bucket)?;
        }
        out.flush()?;
    }
    temp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// Where each bucket starts in `file` and its length.
fn layout(file: &Path) -> Option<Vec<(u64, u64)>> {
    let mut f = std::fs::File::open(file).ok()?;
    let mut head = vec![0u8; MAGIC.len() + 8 * BUCKETS];
    f.read_exact(&mut head).ok()?;
    if &head[..MAGIC.len()] != MAGIC {
        return None;
    }
    let mut at = head.len() as u64;
    let size = f.metadata().ok()?.len();
    let mut spans = Vec::with_capacity(BUCKETS);
    for b in 0..BUCKETS {
        let i = MAGIC.len() + 8 * b;
        let len = u64::from_le_bytes(head[i..i + 8].try_into().ok()?);
        spans.push((at, len));
        at = at.checked_add(len)?;
    }
    (at == size).then_some(spans)
}

/// The compressed bytes of bucket `b`.
fn raw_bucket(file: &Path, spans: &[(u64, u64)], b: usize) -> io::Result<Vec<u8>> {
    let (at, len) = spans[b];
    let mut f = std::fs::File::open(file)?;
    f.seek(io::SeekFrom::Start(at))?;
    let mut bytes = vec![0; usize::try_from(len).map_err(io::Error::other)?];
    f.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The texts of the files `wanted` (paths under `content/`) found in
/// `file`; `None` when the file is missing or damaged.
pub(super) fn read(file: &Path, wanted: &BTreeSet<&str>) -> Option<BTreeMap<String, String>> {
    let spans = layout(file)?;
    let buckets: BTreeSet<usize> = wanted.iter().map(|rel| bucket(rel)).collect();
    let found = buckets
        .into_par_iter()
        .map(|b| {
            let packed = raw_bucket(file, &spans, b).ok()?;
            let plain = lz4_flex::decompress_size_prepended(&packed).ok()?;
            let mut texts = Vec::new();
            let mut rest = plain.as_slice();
            while !rest.is_empty() {
                let (rel, after) = take(rest)?;
                let (text, after) = take(after)?;
                let rel = std::str::from_utf8(rel).ok()?;
                if wanted.contains(rel) {
                    texts.push((rel.to_string(), String::from_utf8(text.to_vec()).ok()?));
                }
                rest = after;
            }
            Some(texts)
        })
        .collect::<Option<Vec<_>>>()?;
    Some(found.into_iter().flatten().collect())
}

/// Appends `bytes` with their length before them.
fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The bytes [`put`] wrote at the start of `from`, and what follows them.
fn take(from: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = from.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    Some((rest.get(..len)?, rest.get(len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(b: &[u8]) -> String {
        format!("{:x}", xxhash_rust::xxh3::xxh3_64(b))
    }

    #[test]
    fn texts_read_back_as_written_buckets_carry_over_and_a_cut_file_reads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/news")).expect("content");
        let names: Vec<String> = (0..1200).map(|i| format!("news/a-{i}.md")).collect();
        let write_all = |suffix: &str| -> Vec<String> {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let text = format!("---\ntitle: {i}\n---\nText {i} ✓{suffix}\n");
                    std::fs::write(root.join("content").join(name), &text).expect("write");
                    hash(text.as_bytes())
                })
                .collect()
        };
        let hashes = write_all("");
        let files: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(hashes.iter().map(String::as_str))
            .collect();
        let file = root.join("cache/x.texts");
        write(&file, root, &files, None, hash).expect("written");
        let wanted: BTreeSet<&str> = ["news/a-7.md", "news/a-1100.md"].into();
        let texts = read(&file, &wanted).expect("read back");
        assert_eq!(texts.len(), 2);
        assert_eq!(texts["news/a-7.md"], "---\ntitle: 7\n---\nText 7 ✓\n");

        // One file changed: its bucket is read again, the rest copied.
        let before = digests(files.iter().copied());
        std::fs::write(root.join("content/news/a-7.md"), "changed").expect("change");
        let mut files2 = files.clone();
        let new_hash = hash(b"changed");
        files2[7].1 = &new_hash;
        // A bucket that should be copied is not read from disk: make its
        // files unreadable to prove it.
        let other = names
            .iter()
            .find(|n| bucket(n) != bucket("news/a-7.md"))
            .expect("another bucket");
        std::fs::remove_file(root.join("content").join(other)).expect("remove");
        write(&file, root, &files2, Some(&before), hash).expect("written again");
        let texts = read(&file, &[other.as_str(), "news/a-7.md"].into()).expect("read");
        assert_eq!(texts["news/a-7.md"], "changed");
        assert!(texts[other.as_str()].starts_with("---\ntitle:"), "copied bucket");

        let whole = std::fs::read(&file).expect("file");
        std::fs::write(&file, &whole[..whole.len() - 10]).expect("cut");
        assert!(read(&file, &wanted).is_none(), "a cut file must not read");

        // A file changed since its hash was taken: nothing is written.
        std::fs::remove_file(&file).expect("remove");
        assert!(write(&file, root, &files, None, hash).is_err());
        assert!(!file.exists());
    }
}
