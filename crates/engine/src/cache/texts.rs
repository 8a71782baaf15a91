//! The texts of the content files a build read, kept beside its record
//! (`<record>.texts`): the next build models the site that build saw from
//! them, to find what a change reaches and render only that
//! ([`crate::patch`]). The files of `content/` change under it, so it
//! cannot read them again.
//!
//! The texts are spread over [`BUCKETS`] buckets by a hash of their path,
//! each held in one or more LZ4-compressed chunks (the Markdown of 10,000
//! articles × 5 languages, 150 MB, takes about 85 MB). So a build reads
//! back only the buckets holding the files that changed, and writes only
//! the buckets whose files changed: it appends them to the file, with a
//! new table of where each bucket's chunks are, and leaves the others
//! where they are. Copying the whole file took 0.13 s of a one-paragraph
//! patch at 10,000 × 5. Once the chunks no table points to outweigh the
//! others, the file is written afresh.
//!
//! A build with no texts to start from takes them as its load reads them
//! ([`Packer`]) rather than reading `content/` again once the output is
//! written: on a disk, at 200,000 × 5, that second read of a million files
//! (3.2 GB) waited 48 s for files the output had pushed out of memory.
//!
//! Nothing in it is trusted: every text is checked against the record's
//! hash of its file before use ([`super::Inputs::texts_of`]). A table is
//! read only when its checksum holds, so an append cut short by a crash
//! reads as no texts at all (the next build then renders everything).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

/// How many buckets the texts are spread over.
const BUCKETS: usize = 256;

/// Marks the layout of the file: another layout reads as absent.
const MAGIC: &[u8; 8] = b"vtexts03";

/// The end of the file: the table of where each bucket's chunks are
/// (for each bucket, how many, then each one's offset and length), its
/// length and checksum, then this mark.
const END: &[u8; 8] = b"vtexts.\n";

/// What follows the table, in bytes: its length, its checksum, [`END`].
const TRAILER: usize = 8 + 16 + END.len();

/// How much plain text [`Packer`] gathers for a bucket before it
/// compresses it as a chunk: about 16 MB waits in all, while the load
/// runs (with chunks of 128 KB, the 10,000 × 5 build's highest point rose
/// by 44 MiB, to 309).
const CHUNK: usize = 32 * 1024;

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
    let packed = by_bucket(files)
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
    let Some(old) = old else {
        let mut writing = Writing::new(file)?;
        for (b, chunk) in packed.into_iter().enumerate() {
            writing.chunk(b, &chunk.unwrap_or_default())?;
        }
        return writing.finish(file);
    };
    let kept: u64 = (0..BUCKETS)
        .filter(|&b| same[b])
        .flat_map(|b| &old.chunks[b])
        .map(|&(_, len)| len)
        .sum();
    let appended: u64 = packed.iter().flatten().map(|p| p.len() as u64).sum();
    // Appended to while at least half of the file is still in use.
    if 2 * (kept + appended) >= old.size + appended {
        return append(file, &old, packed);
    }
    let mut writing = Writing::new(file)?;
    for (b, chunk) in packed.into_iter().enumerate() {
        match chunk {
            Some(bytes) => writing.chunk(b, &bytes)?,
            None => {
                for &span in &old.chunks[b] {
                    writing.chunk(b, &raw_chunk(file, span)?)?;
                }
            }
        }
    }
    writing.finish(file)
}

/// `files` (path and hash) sorted into their buckets.
fn by_bucket<'a>(files: &[(&'a str, &'a str)]) -> Vec<Vec<(&'a str, &'a str)>> {
    let mut buckets = vec![Vec::new(); BUCKETS];
    for &(rel, hash) in files {
        buckets[bucket(rel)].push((rel, hash));
    }
    buckets
}

/// The texts of `files` (path under `content/` and hash) read from
/// `root`'s `content/`, each checked against its hash, compressed.
fn pack(root: &Path, mut files: Vec<(&str, &str)>, hash_of: impl Fn(&[u8]) -> String) -> io::Result<Vec<u8>> {
    files.sort_unstable();
    let mut plain = Vec::new();
    for (rel, hash) in files {
        let bytes = std::fs::read(root.join("content").join(rel))?;
        if hash_of(&bytes) != hash {
            return Err(changed_while_built(rel));
        }
        put(&mut plain, rel.as_bytes());
        put(&mut plain, &bytes);
    }
    Ok(compressed(&plain))
}

/// `plain` compressed as a chunk; nothing for nothing (a bucket with no
/// files has no chunk).
fn compressed(plain: &[u8]) -> Vec<u8> {
    if plain.is_empty() {
        return Vec::new();
    }
    lz4_flex::compress_prepend_size(plain)
}

fn changed_while_built(rel: &str) -> io::Error {
    io::Error::other(format!("content/{rel} changed while it was built"))
}

/// A texts file being written: `<record>.texts.new` beside it, renamed
/// over it once whole ([`Writing::finish`]), removed if left unfinished.
/// Named for its record, not at random: one left by a build killed
/// midway is written over by the next, or pruned with its set
/// ([`super::prune`]).
struct Writing {
    out: io::BufWriter<std::fs::File>,
    /// The file being written, until it is renamed.
    new: Option<PathBuf>,
    /// Where the next chunk goes.
    at: u64,
    /// Where each bucket's chunks went.
    chunks: Vec<Vec<(u64, u64)>>,
}

impl Writing {
    /// A new texts file, to be renamed to `file`.
    fn new(file: &Path) -> io::Result<Writing> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let new = file.with_extension("texts.new");
        let mut out = io::BufWriter::new(std::fs::File::create(&new)?);
        out.write_all(MAGIC)?;
        Ok(Writing {
            out,
            new: Some(new),
            at: MAGIC.len() as u64,
            chunks: vec![Vec::new(); BUCKETS],
        })
    }

    /// Writes a compressed chunk of bucket `b`; an empty one is left out.
    fn chunk(&mut self, b: usize, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.out.write_all(bytes)?;
        self.chunks[b].push((self.at, bytes.len() as u64));
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Writes the table and renames the file to `file`.
    fn finish(mut self, file: &Path) -> io::Result<()> {
        let table = table(&self.chunks);
        self.out.write_all(&table)?;
        self.out.flush()?;
        if let Some(new) = &self.new {
            std::fs::rename(new, file)?;
        }
        self.new = None;
        Ok(())
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if let Some(new) = self.new.take() {
            let _ = std::fs::remove_file(new);
        }
    }
}

/// Gathers the texts of the content files as the build's load reads them
/// ([`Packer::take`]), compressing each bucket's in chunks into a new
/// texts file, so recording the build need not read `content/` again.
/// [`Packer::finish`] checks what it took against the record and reads
/// from `content/` only the buckets where the two differ.
pub struct Packer {
    file: PathBuf,
    writing: Mutex<io::Result<Writing>>,
    buckets: Vec<Mutex<Gathered>>,
}

/// A bucket's texts taken and not yet compressed, and a digest of every
/// file taken into it.
#[derive(Default)]
struct Gathered {
    plain: Vec<u8>,
    /// The wrapping sum of [`taken`] over its files: their order does
    /// not count, as the load reads on all cores.
    digest: u128,
}

/// The digest of one file taken, by path and content hash.
fn taken(rel: &str, hash: u128) -> u128 {
    let mut key = Vec::with_capacity(rel.len() + 17);
    key.extend_from_slice(rel.as_bytes());
    key.push(0);
    key.extend_from_slice(&hash.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&key)
}

impl Packer {
    /// A packer for the texts file `file`, written afresh.
    pub(super) fn new(file: &Path) -> io::Result<Packer> {
        Ok(Packer {
            file: file.to_path_buf(),
            writing: Mutex::new(Ok(Writing::new(file)?)),
            buckets: (0..BUCKETS).map(|_| Mutex::default()).collect(),
        })
    }

    /// Takes the text of the content file `rel` (path under `content/`),
    /// as the load read it.
    pub fn take(&self, rel: &str, text: &str) {
        if !vitrine_load::content::is_content_page(rel) {
            return;
        }
        let b = bucket(rel);
        let hash = super::content_hash(text.as_bytes());
        let full = {
            let mut gathered = self.buckets[b].lock().unwrap_or_else(|e| e.into_inner());
            put(&mut gathered.plain, rel.as_bytes());
            put(&mut gathered.plain, text.as_bytes());
            gathered.digest = gathered.digest.wrapping_add(taken(rel, hash));
            (gathered.plain.len() >= CHUNK).then(|| std::mem::take(&mut gathered.plain))
        };
        if let Some(plain) = full {
            self.write_chunk(b, &compressed(&plain));
        }
    }

    /// Compresses and writes what every bucket gathered: called once the
    /// load is done, so that it is not held while the build goes on.
    pub fn flush(&self) {
        let chunks: Vec<(usize, Vec<u8>)> = self
            .buckets
            .par_iter()
            .enumerate()
            .map(|(b, gathered)| {
                let plain = std::mem::take(&mut gathered.lock().unwrap_or_else(|e| e.into_inner()).plain);
                (b, compressed(&plain))
            })
            .collect();
        for (b, bytes) in chunks {
            self.write_chunk(b, &bytes);
        }
    }

    /// Writes a chunk of bucket `b`; the first error is kept for
    /// [`Packer::finish`].
    fn write_chunk(&self, b: usize, bytes: &[u8]) {
        let mut writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(w) = writing.as_mut()
            && let Err(e) = w.chunk(b, bytes)
        {
            *writing = Err(e);
        }
    }

    /// Writes the texts file for the content files `files` (path under
    /// `content/` and content hash, as recorded). A bucket whose files
    /// differ from those taken (one changed after it was hashed, one the
    /// load did not read) is read again from `root`'s `content/`, each
    /// file checked against its hash (`hash_of`) as [`write`] does.
    pub(super) fn finish(
        self,
        root: &Path,
        files: &[(&str, &str)],
        hash_of: impl Fn(&[u8]) -> String + Sync,
    ) -> io::Result<()> {
        let Packer {
            file,
            writing,
            buckets,
        } = self;
        let mut writing = writing.into_inner().unwrap_or_else(|e| e.into_inner())?;
        let gathered: Vec<Gathered> = buckets
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let rest = by_bucket(files)
            .into_par_iter()
            .zip(gathered)
            .map(|(files, gathered)| {
                let expected = files.iter().try_fold(0u128, |sum, &(rel, hash)| {
                    let hash = u128::from_str_radix(hash, 16).ok()?;
                    Some(sum.wrapping_add(taken(rel, hash)))
                });
                if expected == Some(gathered.digest) {
                    return Ok((false, compressed(&gathered.plain)));
                }
                pack(root, files, &hash_of).map(|bytes| (true, bytes))
            })
            .collect::<io::Result<Vec<_>>>()?;
        for (b, (refused, bytes)) in rest.into_iter().enumerate() {
            if refused {
                writing.chunks[b].clear();
            }
            writing.chunk(b, &bytes)?;
        }
        writing.finish(&file)
    }
}

/// Appends the buckets of `packed` that are `Some` to `file`, laid out as
/// `old`, and a table pointing to them and to `old`'s other buckets. A
/// new texts file a killed build left half-written ([`Writing`]) goes:
/// builds that append would never write over it.
fn append(file: &Path, old: &Layout, packed: Vec<Option<Vec<u8>>>) -> io::Result<()> {
    super::remove_if_there(&file.with_extension("texts.new"))?;
    let mut f = std::fs::OpenOptions::new().append(true).open(file)?;
    let mut out = io::BufWriter::new(&mut f);
    let mut at = old.size;
    let mut chunks = old.chunks.clone();
    for (b, bucket) in packed.into_iter().enumerate() {
        if let Some(bytes) = bucket {
            out.write_all(&bytes)?;
            chunks[b].clear();
            if !bytes.is_empty() {
                chunks[b].push((at, bytes.len() as u64));
            }
            at += bytes.len() as u64;
        }
    }
    out.write_all(&table(&chunks))?;
    out.flush()
}

/// The table of `chunks` (each bucket's chunks' offsets and lengths),
/// its length, its checksum and the end mark.
fn table(chunks: &[Vec<(u64, u64)>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for bucket in chunks {
        bytes.extend_from_slice(&(bucket.len() as u64).to_le_bytes());
        for (at, len) in bucket {
            bytes.extend_from_slice(&at.to_le_bytes());
            bytes.extend_from_slice(&len.to_le_bytes());
        }
    }
    let sum = xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes();
    bytes.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&sum);
    bytes.extend_from_slice(END);
    bytes
}

/// Where each bucket's chunks of a texts file are, and the file's size.
struct Layout {
    chunks: Vec<Vec<(u64, u64)>>,
    size: u64,
}

/// The layout of `file`, read from its last table; `None` when the file
/// is of another layout, or its end is not a whole table.
fn layout(file: &Path) -> Option<Layout> {
    let mut f = std::fs::File::open(file).ok()?;
    let size = f.metadata().ok()?.len();
    let mut magic = [0u8; 8];
    f.read_exact(&mut magic).ok()?;
    if &magic != MAGIC {
        return None;
    }
    let trailer_at = size.checked_sub(TRAILER as u64)?;
    let mut trailer = [0u8; TRAILER];
    f.seek(io::SeekFrom::Start(trailer_at)).ok()?;
    f.read_exact(&mut trailer).ok()?;
    let (len, rest) = trailer.split_first_chunk::<8>()?;
    let (sum, end) = rest.split_first_chunk::<16>()?;
    let start = trailer_at.checked_sub(u64::from_le_bytes(*len))?;
    if end != END || start < MAGIC.len() as u64 {
        return None;
    }
    let mut entries = vec![0u8; usize::try_from(trailer_at - start).ok()?];
    f.seek(io::SeekFrom::Start(start)).ok()?;
    f.read_exact(&mut entries).ok()?;
    if xxhash_rust::xxh3::xxh3_128(&entries).to_le_bytes() != *sum {
        return None;
    }
    let chunks = parse_table(&entries, start)?;
    Some(Layout { chunks, size })
}

/// The chunks of each bucket in a table's `entries`, each inside the
/// file before `start` (where the table begins).
fn parse_table(entries: &[u8], start: u64) -> Option<Vec<Vec<(u64, u64)>>> {
    if !entries.len().is_multiple_of(8) {
        return None;
    }
    let mut words = entries
        .chunks_exact(8)
        .map(|w| Some(u64::from_le_bytes(w.try_into().ok()?)));
    let mut chunks = Vec::with_capacity(BUCKETS);
    for _ in 0..BUCKETS {
        let count = words.next()??;
        let mut bucket = Vec::new();
        for _ in 0..count {
            let (at, len) = (words.next()??, words.next()??);
            let inside = at >= MAGIC.len() as u64 && at.checked_add(len).is_some_and(|e| e <= start);
            if !inside {
                return None;
            }
            bucket.push((at, len));
        }
        chunks.push(bucket);
    }
    words.next().is_none().then_some(chunks)
}

/// The compressed bytes of the chunk at `span` (offset and length).
fn raw_chunk(file: &Path, (at, len): (u64, u64)) -> io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(file)?;
    f.seek(io::SeekFrom::Start(at))?;
    let mut bytes = vec![0; usize::try_from(len).map_err(io::Error::other)?];
    f.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The texts of the files `wanted` (paths under `content/`) found in
/// `file`; `None` when the file is missing or damaged.
pub(super) fn read(file: &Path, wanted: &BTreeSet<&str>) -> Option<BTreeMap<String, String>> {
    let chunks = layout(file)?.chunks;
    let buckets: BTreeSet<usize> = wanted.iter().map(|rel| bucket(rel)).collect();
    let found = buckets
        .into_par_iter()
        .flat_map_iter(|b| chunks[b].iter().copied())
        .map(|span| {
            let packed = raw_chunk(file, span).ok()?;
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

    /// A file's hash as the record writes it.
    fn recorded_hash(b: &[u8]) -> String {
        format!("{:032x}", super::super::content_hash(b))
    }

    /// Each of `names` with its hash in `hashes`.
    fn listed<'a>(names: &'a [String], hashes: &'a [String]) -> Vec<(&'a str, &'a str)> {
        names
            .iter()
            .map(String::as_str)
            .zip(hashes.iter().map(String::as_str))
            .collect()
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
        let files = listed(&names, &hashes);
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
        let left = file.with_extension("texts.new");
        std::fs::write(&left, "half of a file a killed build was writing").expect("left");
        write(&file, root, &files2, Some(&before), hash).expect("written again");
        assert!(!left.exists(), "a killed build's unfinished file goes");
        let texts = read(&file, &[other.as_str(), "news/a-7.md"].into()).expect("read");
        assert_eq!(texts["news/a-7.md"], "changed");
        assert!(texts[other.as_str()].starts_with("---\ntitle:"), "kept bucket");
        #[cfg(unix)]
        assert_eq!(inode(&file), first_inode, "appended to, not written afresh");
        let grown = size(&file) - first_size;
        let largest_table = (8 * BUCKETS + 16 * (BUCKETS + 1) + TRAILER) as u64;
        assert!(
            grown < largest_table + first_size / 16,
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
            let all = listed(&names, &hashes);
            write(&file, root, &all, Some(&before), hash).expect("written");
            let texts = read(&file, &wanted).expect("read");
            assert!(texts["news/a-7.md"].ends_with(&format!(" round {round}\n")));
            assert!(
                size(&file) < 2 * first_size + largest_table,
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

    #[test]
    fn texts_taken_as_loaded_read_back_and_a_bucket_that_differs_is_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/news")).expect("content");
        // Long texts, so that a bucket takes several chunks.
        let text_of = |i: usize| {
            format!(
                "---\ntitle: {i}\n---\n{}\n",
                format!("Word {i} ✓ ").repeat(i * 10)
            )
        };
        let names: Vec<String> = (0..600).map(|i| format!("news/a-{i}.md")).collect();
        let mut hashes = Vec::new();
        for (i, name) in names.iter().enumerate() {
            std::fs::write(root.join("content").join(name), text_of(i)).expect("write");
            hashes.push(recorded_hash(text_of(i).as_bytes()));
        }
        let files = listed(&names, &hashes);
        let file = root.join("cache/x.texts");
        let packer = Packer::new(&file).expect("packer");
        // The load reads every page but two: one it read before an edit
        // (its text is not the recorded one), one it never read. A file
        // that is not a page is not kept, nor does it make its bucket be
        // read again.
        let (stale, unread) = ("news/a-5.md", "news/a-9.md");
        let others = [bucket(stale), bucket(unread), bucket("news/a-7.md")];
        let (photo, kept) = (0..)
            .map(|k| format!("news/photo-{k}.jpg"))
            .find_map(|photo| {
                let kept = names
                    .iter()
                    .find(|n| bucket(n) == bucket(&photo) && !others.contains(&bucket(n)))?;
                Some((photo, kept))
            })
            .expect("a photo in the bucket of a page of another bucket");
        names
            .par_iter()
            .enumerate()
            .for_each(|(i, name)| match name.as_str() {
                n if n == stale => packer.take(n, "an older text"),
                n if n == unread => {}
                n => packer.take(n, &text_of(i)),
            });
        packer.take(&photo, "not a page");
        let several = (0..BUCKETS).filter(|&b| {
            let w = packer.writing.lock().expect("lock");
            w.as_ref().is_ok_and(|w| w.chunks[b].len() > 1)
        });
        assert!(several.count() > 0, "some bucket went out in several chunks");
        // A page of a bucket that matches (the photo's) is gone from the
        // folder: its text comes from what the load read, not the folder.
        std::fs::remove_file(root.join("content").join(kept)).expect("remove");
        packer.finish(root, &files, recorded_hash).expect("written");
        let unfinished = file.with_extension("texts.new");
        assert!(!unfinished.exists(), "renamed once whole");
        let dropped = Packer::new(&file).expect("packer");
        dropped.take("news/a-1.md", "text");
        assert!(unfinished.exists());
        drop(dropped);
        assert!(!unfinished.exists(), "a packer not finished leaves nothing");

        let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let texts = read(&file, &wanted).expect("read back");
        assert_eq!(texts.len(), names.len(), "every page, and nothing else");
        for (i, name) in names.iter().enumerate() {
            assert_eq!(texts[name.as_str()], text_of(i), "{name}");
        }
        assert!(
            !read(&file, &[photo.as_str()].into())
                .expect("read")
                .contains_key(&photo)
        );

        // A later patch appends to the file the packer wrote, and reads
        // again only the bucket that changed (`kept` is still missing).
        let before = digests(&files);
        std::fs::write(root.join("content/news/a-7.md"), "changed").expect("change");
        let changed_hash = recorded_hash(b"changed");
        let mut files2 = files.clone();
        files2[7].1 = &changed_hash;
        write(&file, root, &files2, Some(&before), recorded_hash).expect("appended");
        let texts = read(&file, &wanted).expect("read back");
        assert_eq!(texts["news/a-7.md"], "changed");
        assert_eq!(texts["news/a-8.md"], text_of(8));
        assert_eq!(
            texts[kept.as_str()],
            text_of(names.iter().position(|n| n == kept).expect("index"))
        );
    }
}
