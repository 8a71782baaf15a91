//! The texts of the content files a build read, kept beside its record
//! (`<record>.texts`): the next build models the site that build saw from
//! them, to find what a change reaches and render only that
//! ([`crate::patch`]). The files of `content/` change under it, so it
//! cannot read them again.
//!
//! The texts are spread over [`BUCKETS`] buckets by a hash of their path,
//! each LZ4-compressed on its own (the Markdown of 10,000 articles × 5
//! languages, 150 MB, takes about 85 MB). So a build reads back only the
//! buckets holding the files that changed, and writes only the buckets
//! whose files changed: it appends them to the file, with a new table of
//! where each bucket is, and leaves the others where they are. Copying
//! the whole file took 0.13 s of a one-paragraph patch at 10,000 × 5. Once
//! the buckets no table points to outweigh the others, the file is
//! written afresh.
//!
//! Nothing in it is trusted: every text is checked against the record's
//! hash of its file before use ([`super::Inputs::texts_of`]). A table is
//! read only when its checksum holds, so an append cut short by a crash
//! reads as no texts at all (the next build then renders everything).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use rayon::prelude::*;

/// How many buckets the texts are spread over.
const BUCKETS: usize = 256;

/// Marks the layout of the file: another layout reads as absent.
const MAGIC: &[u8; 8] = b"vtexts02";

/// The end of the file: the table of where each bucket is ([`BUCKETS`]
/// offsets and lengths), its checksum, then this mark.
const END: &[u8; 8] = b"vtexts.\n";

/// The table and what follows it, in bytes.
const TABLE: usize = 16 * BUCKETS + 16 + END.len();

/// The bucket of a file, by path under `content/`.
pub(super) fn bucket(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % BUCKETS as u64) as usize
}

/// A digest of each bucket's files and their hashes (`files`: path under
/// `content/` and hash): a bucket whose digest did not change holds the
/// same texts. On all cores: a patch waits for it, with 50,000 pages at
/// 10,000 × 5.
pub(super) fn digests(files: &[(&str, &str)]) -> Vec<u128> {
    let mut keyed: Vec<(usize, &str, &str)> = files
        .par_iter()
        .map(|&(rel, hash)| (bucket(rel), rel, hash))
        .collect();
    keyed.par_sort_unstable();
    (0..BUCKETS)
        .into_par_iter()
        .map(|b| {
            let start = keyed.partition_point(|k| k.0 < b);
            let end = keyed.partition_point(|k| k.0 <= b);
            let mut text = String::new();
            for &(_, rel, hash) in &keyed[start..end] {
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
/// content hash) to `file`. Buckets whose digest is as in `before` (the
/// digests of the texts already in `file`) stay where they are; the
/// others are read from `root`'s `content/`, and each file must hash to
/// its hash (`hash_of`) or nothing is written: it changed since the build
/// read it. They are appended to `file` with a new table, or, when it has
/// no table to keep or too little of it is still pointed to, written to a
/// temporary file renamed over it.
pub(super) fn write(
    file: &Path,
    root: &Path,
    files: &[(&str, &str)],
    before: Option<&[u128]>,
    hash_of: impl Fn(&[u8]) -> String + Sync,
) -> io::Result<()> {
    let now = digests(files);
    let old = before.and_then(|_| layout(file));
    let same: Vec<bool> = (0..BUCKETS)
        .map(|b| old.is_some() && before.is_some_and(|d| d.get(b) == Some(&now[b])))
        .collect();
    let mut by_bucket = vec![Vec::new(); BUCKETS];
    for &(rel, hash) in files {
        by_bucket[bucket(rel)].push((rel, hash));
    }
    let packed = by_bucket
        .into_par_iter()
        .enumerate()
        .map(|(b, files)| {
            if same[b] {
                Ok(None)
            } else {
                pack(root, files, &hash_of).map(Some)
            }
        })
        .collect::<io::Result<Vec<_>>>()?;
    if let Some(old) = old {
        let kept: u64 = (0..BUCKETS).filter(|&b| same[b]).map(|b| old.spans[b].1).sum();
        let appended: u64 = packed.iter().flatten().map(|p| p.len() as u64).sum();
        // Appended to while at least half of the file is still in use.
        if 2 * (kept + appended) >= old.size + appended {
            return append(file, &old, packed);
        }
        let mut whole = Vec::with_capacity(BUCKETS);
        for (b, bucket) in packed.into_iter().enumerate() {
            whole.push(match bucket {
                Some(bytes) => bytes,
                None => raw_bucket(file, &old.spans, b)?,
            });
        }
        return write_afresh(file, &whole);
    }
    let whole: Vec<Vec<u8>> = packed.into_iter().flatten().collect();
    write_afresh(file, &whole)
}

/// The texts of `files` (path under `content/` and hash) read from
/// `root`'s `content/`, each checked against its hash, compressed.
fn pack(root: &Path, mut files: Vec<(&str, &str)>, hash_of: impl Fn(&[u8]) -> String) -> io::Result<Vec<u8>> {
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
}

/// Writes every bucket (`packed`, in order) and their table to a
/// temporary file renamed over `file`.
fn write_afresh(file: &Path, packed: &[Vec<u8>]) -> io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = io::BufWriter::new(&mut temp);
        out.write_all(MAGIC)?;
        let mut at = MAGIC.len() as u64;
        let mut spans = Vec::with_capacity(BUCKETS);
        for bucket in packed {
            out.write_all(bucket)?;
            spans.push((at, bucket.len() as u64));
            at += bucket.len() as u64;
        }
        out.write_all(&table(&spans))?;
        out.flush()?;
    }
    temp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// Appends the buckets of `packed` that are `Some` to `file`, laid out as
/// `old`, and a table pointing to them and to `old`'s other buckets.
fn append(file: &Path, old: &Layout, packed: Vec<Option<Vec<u8>>>) -> io::Result<()> {
    let mut f = std::fs::OpenOptions::new().append(true).open(file)?;
    let mut out = io::BufWriter::new(&mut f);
    let mut at = old.size;
    let mut spans = old.spans.clone();
    for (b, bucket) in packed.into_iter().enumerate() {
        if let Some(bytes) = bucket {
            out.write_all(&bytes)?;
            spans[b] = (at, bytes.len() as u64);
            at += bytes.len() as u64;
        }
    }
    out.write_all(&table(&spans))?;
    out.flush()
}

/// The table of `spans` (each bucket's offset and length), its checksum
/// and the end mark.
fn table(spans: &[(u64, u64)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(TABLE);
    for (at, len) in spans {
        bytes.extend_from_slice(&at.to_le_bytes());
        bytes.extend_from_slice(&len.to_le_bytes());
    }
    let sum = xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes();
    bytes.extend_from_slice(&sum);
    bytes.extend_from_slice(END);
    bytes
}

/// Where each bucket of a texts file is, and the file's size.
struct Layout {
    spans: Vec<(u64, u64)>,
    size: u64,
}

/// The layout of `file`, read from its last table; `None` when the file
/// is of another layout, or its end is not a whole table.
fn layout(file: &Path) -> Option<Layout> {
    let mut f = std::fs::File::open(file).ok()?;
    let size = f.metadata().ok()?.len();
    let start = size.checked_sub((MAGIC.len() + TABLE) as u64)? + MAGIC.len() as u64;
    let mut magic = [0u8; 8];
    f.read_exact(&mut magic).ok()?;
    if &magic != MAGIC {
        return None;
    }
    let mut tail = vec![0u8; TABLE];
    f.seek(io::SeekFrom::Start(start)).ok()?;
    f.read_exact(&mut tail).ok()?;
    let (entries, rest) = tail.split_at(16 * BUCKETS);
    let (sum, end) = rest.split_at(16);
    if end != END || xxhash_rust::xxh3::xxh3_128(entries).to_le_bytes() != sum {
        return None;
    }
    let spans: Vec<(u64, u64)> = entries
        .chunks_exact(16)
        .filter_map(|e| {
            let (at, len) = e.split_first_chunk::<8>()?;
            Some((u64::from_le_bytes(*at), u64::from_le_bytes(len.try_into().ok()?)))
        })
        .collect();
    let inside = spans.len() == BUCKETS
        && spans
            .iter()
            .all(|&(at, len)| at >= MAGIC.len() as u64 && at.checked_add(len).is_some_and(|e| e <= start));
    inside.then_some(Layout { spans, size })
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
    let spans = layout(file)?.spans;
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
        let before = digests(&files);
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
        let size = |f: &Path| std::fs::metadata(f).expect("metadata").len();
        let first_size = size(&file);
        #[cfg(unix)]
        let inode = |f: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(f).expect("metadata"));
        #[cfg(unix)]
        let first_inode = inode(&file);
        write(&file, root, &files2, Some(&before), hash).expect("written again");
        let texts = read(&file, &[other.as_str(), "news/a-7.md"].into()).expect("read");
        assert_eq!(texts["news/a-7.md"], "changed");
        assert!(texts[other.as_str()].starts_with("---\ntitle:"), "kept bucket");
        #[cfg(unix)]
        assert_eq!(inode(&file), first_inode, "appended to, not written afresh");
        let grown = size(&file) - first_size;
        assert!(
            grown < TABLE as u64 + first_size / 16,
            "one bucket and a table appended, not the file again: {grown} of {first_size}"
        );
        // An append cut short (a crash) leaves no table at the end.
        let appended = std::fs::read(&file).expect("file");
        std::fs::write(&file, &appended[..first_size as usize + 100]).expect("cut");
        assert!(read(&file, &wanted).is_none(), "a cut append must not read");
        std::fs::write(&file, &appended).expect("restore");

        // Every file changed, again and again: the file is written afresh
        // rather than grown without end.
        std::fs::write(root.join("content").join(other), "back").expect("restore");
        let mut before = digests(&files2);
        for round in 0..4 {
            let hashes = write_all(&format!(" round {round}"));
            let all: Vec<(&str, &str)> = names
                .iter()
                .map(String::as_str)
                .zip(hashes.iter().map(String::as_str))
                .collect();
            write(&file, root, &all, Some(&before), hash).expect("written");
            let texts = read(&file, &wanted).expect("read");
            assert!(texts["news/a-7.md"].ends_with(&format!(" round {round}\n")));
            assert!(
                size(&file) < 2 * first_size + TABLE as u64,
                "round {round}: the file grew"
            );
            before = digests(&all);
        }

        let whole = std::fs::read(&file).expect("file");
        std::fs::write(&file, &whole[..whole.len() - 10]).expect("cut");
        assert!(read(&file, &wanted).is_none(), "a cut file must not read");

        // A file changed since its hash was taken: nothing is written.
        std::fs::remove_file(&file).expect("remove");
        assert!(write(&file, root, &files, None, hash).is_err());
        assert!(!file.exists());
    }
}
