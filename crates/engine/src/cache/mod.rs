//! The build cache, `.vitrine-cache/build/`: what the last successful build
//! of an output folder read and wrote, so the next build can tell that
//! nothing changed and leave the output exactly as it is.
//!
//! Each output folder has one record ([`Record`]): the vitrine that built it
//! and the options, a content hash of every input file (`site.yaml`,
//! `content/`, `data/`, `locales/`, `static/` and the theme's folder), the
//! size and modification time of every file written (and the time of every
//! folder), the time the site next changes by itself (a scheduled page, a
//! notice) and the warnings to show again. A build reuses the output only
//! when all of it still holds.
//!
//! Inputs are compared by content, never by modification time: a fresh
//! clone with a restored cache (every file new to the file system) still
//! finds its inputs unchanged. Outputs are compared by size and
//! modification time, which vitrine alone sets, and by content where the
//! time differs (an archive restored by CI may keep times to the second
//! only), and a file added or removed changes its folder's time: a file
//! edited, added or removed by hand makes the build run again.
//!
//! A record is trusted only whole: it carries a checksum of its own bytes,
//! so a truncated, hand-edited or foreign record (another vitrine, another
//! format) reads as absent. It is packed (postcard), not JSON: at 10,000
//! articles × 5 it holds 200,000 paths and hashes, and JSON took 0.24 s
//! of a one-paragraph patch to write and 0.13 s to read. It is removed
//! before a build swaps its output in and written (to a temporary file,
//! then renamed) after, so a build killed at any point leaves either no
//! record or one that matches the output.
//!
//! Beside its record, a build keeps the texts of the content files it read
//! (`texts.rs`): when inputs changed, the next build models the site the
//! output shows from them and renders only what the change reaches
//! ([`crate::patch`]). It keeps its Markdown pass's records too
//! (`bodies.rs`): the next build takes them rather than rendering the
//! last build's pages again, and the documents it loaded
//! (`documents.rs`): the next build takes the unchanged files' rather than
//! parsing their front matter again.
//!
//! What a record holds of the output folder, and whether the folder is
//! still as it says, is `outputs.rs`. A `serve` with no served folder yet
//! takes up a build's record, its output and what it kept (`adopt.rs`). What was kept for output folders
//! that are gone is removed after each build (`prune.rs`).

mod adopt;
pub use adopt::Adoptable;
mod bodies;
pub use bodies::{Keep, new_store};
mod documents;
mod outputs;
use outputs::{Check, Folders, output_unchanged};
pub use outputs::{OUTPUT_CHANGED, OutputCheck};
mod prune;
pub use prune::Pruned;
mod related;
pub use related::Related;
mod stamp;
mod texts;
pub use texts::Packer as TextsPacker;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use vitrine_core::diagnostics::Diagnostic;
use vitrine_load::config::publish::Compression;
use vitrine_render::render::MessagesShown;

use crate::options::BuildOptions;

/// The folder of the build records, under the site root.
pub const CACHE_DIR: &str = ".vitrine-cache/build";

/// The version of the record's layout: a record of another layout is
/// ignored.
const FORMAT: u32 = 12;

/// The extension of a record's file (`<set>.record`).
const RECORD_EXTENSION: &str = "record";

/// The first bytes of a record file; then a checksum of the rest
/// ([`checksum`]) and the record, packed.
const MAGIC: &[u8; 8] = b"vrecord\n";

/// The folders and files of the site root a build reads, besides the
/// theme's folder.
const INPUTS: [&str; 5] = ["site.yaml", "content", "data", "locales", "static"];

/// What the last successful build of one output folder read and wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    format: u32,
    /// The vitrine that built it: its version and its executable's
    /// content hash ([`stamp`]).
    vitrine: String,
    /// The output folder it wrote, as an absolute path: a `serve` finds
    /// it there ([`Adoptable`]). The record's file is named after the
    /// folder as the build was given it (a restored CI cache may sit in a
    /// clone at another path), so this is not compared.
    output: String,
    /// What the file system said of the executable that built it when
    /// its hash was taken (after `output`: the cache's pruning reads the
    /// first three fields alone).
    vitrine_stat: Option<Stat>,
    /// The build options that change the output, besides where it goes:
    /// a `serve` takes up a build's record of the same options
    /// ([`Inputs::adopt`]).
    options: String,
    /// Content hash of each input file, by path under the root.
    inputs: BTreeMap<String, String>,
    /// What the file system said of each input file when it was hashed.
    stats: BTreeMap<String, Stat>,
    /// When the inputs were hashed, in nanoseconds since the epoch.
    hashed_at: i64,
    /// Each file of the output folder, by path under it.
    outputs: BTreeMap<String, Written>,
    /// Each folder of the output folder (itself as `""`) with its
    /// modification time: a file added or removed changes its folder's
    /// ([`outputs`]).
    folders: Folders,
    /// The formats of the precompressed siblings its text files have
    /// (`br`, `gz`), in order: a build writing over this output leaves a
    /// file that comes out the same with its siblings only when its own
    /// formats are these ([`LastOutput`]).
    compress: Vec<String>,
    /// What its pages showed of the messages (the site titles, the pages
    /// showing other languages'): after a Fluent change, the next build
    /// renders only the pages it reaches. Unknown for a `serve`'s folder.
    shown: Option<Box<MessagesShown>>,
    /// When the built site next changes by itself.
    pub next_change: Option<DateTime<FixedOffset>>,
    /// What the build reported, shown again when it is reused.
    pub summary: Summary,
    /// Kept as JSON text inside the packed record: a diagnostic's fields
    /// are flattened, which only a self-describing format reads back.
    #[serde(with = "json_text")]
    pub warnings: Vec<Diagnostic>,
}

/// A value stored as its JSON text.
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, to: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
        to.serialize_str(&text)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(from: D) -> Result<T, D::Error> {
        let text = String::deserialize(from)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

impl Record {
    /// What its pages showed of the messages, if known.
    pub fn shown(&self) -> Option<&MessagesShown> {
        self.shown.as_deref()
    }

    /// The files of the output folder, by path under it.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        self.outputs.keys().map(String::as_str)
    }

    /// Whether the build wrote exactly `bytes` at `path` (by content hash).
    pub fn wrote(&self, path: &str, bytes: &[u8]) -> bool {
        self.outputs
            .get(path)
            .is_some_and(|w| w.len == bytes.len() as u64 && w.hash == content_hash(bytes))
    }

    /// Whether the build read the input file at `path` (under the root).
    pub fn had_input(&self, path: &str) -> bool {
        self.inputs.contains_key(path)
    }

    /// The size of the output file at `path`, if the build wrote one.
    pub fn len_of(&self, path: &str) -> Option<u64> {
        self.outputs.get(path).map(|w| w.len)
    }
}

/// A file of the output folder as the build left it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Written {
    len: u64,
    /// Modification time, in nanoseconds since the epoch.
    modified: i64,
    /// Content hash ([`content_hash`]), read when the time differs (an
    /// archive restored by CI may keep times to the second only). A number,
    /// not the hex text inputs are recorded with: at 95,000 output files,
    /// that is 95,000 strings fewer to read and free in every build.
    hash: u128,
}

/// Size, modification time, change time (both in nanoseconds since the
/// epoch) and inode of an input file, in that order. When
/// all four are as recorded and the file changed well before its hash
/// was taken, the hash is taken as it is rather than read again (as git's
/// index does): any write since would have moved the change time, which
/// no tool sets back. A file changed within a second before the hashing
/// is read again (the clock may not have moved between two writes). A
/// fresh clone has new times everywhere: every file is read and hashed,
/// and its content decides.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
struct Stat(u64, i64, i64, u64);

impl Stat {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        Some(Stat(
            meta.size(),
            ns(meta.mtime(), meta.mtime_nsec()),
            ns(meta.ctime(), meta.ctime_nsec()),
            meta.ino(),
        ))
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<Stat> {
        None
    }

    fn changed(&self) -> i64 {
        self.2
    }
}

/// The figures of a build, kept to report a reused one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub languages: usize,
}

/// How the inputs stand against the last build's record ([`Inputs::since`]).
pub enum Since {
    /// Nothing the output depends on changed.
    Unchanged(Record),
    /// Some input files changed, appeared or went.
    Changed(Changed),
}

/// The input files that differ from the record of the last build.
pub struct Changed {
    pub record: Arc<Record>,
    /// Paths under the root, with `true` for a file that went.
    pub files: Vec<(String, bool)>,
    /// What that build kept for the next one.
    pub kept: Kept,
    /// Whether the output folder is as that build left it: a patch asks
    /// before it writes ([`OutputCheck::holds`]).
    pub output_check: OutputCheck,
}

impl Changed {
    /// The content pages among `files` new since the build of `record`,
    /// by path under `content/`.
    pub fn new_pages(&self) -> BTreeSet<&str> {
        pages_in(&self.record, &self.files).1
    }

    /// `3 input files changed or appeared, 1 went`.
    pub fn summary(&self) -> String {
        let gone = self.files.iter().filter(|(_, went)| *went).count();
        format!(
            "{} input files changed or appeared, {gone} went",
            self.files.len() - gone
        )
    }
}

/// The output of the last build, as its record gives it, for a build that
/// renders everything again and writes over it
/// ([`vitrine_output::Staging::over`]): files that come out the same are
/// left as they are.
pub struct LastOutput {
    record: Arc<Record>,
    check: OutputCheck,
}

impl LastOutput {
    /// The output that the inputs `changed` since its build was made of.
    pub fn of(changed: Changed) -> LastOutput {
        LastOutput {
            record: changed.record,
            check: changed.output_check,
        }
    }

    /// Each file's size and hash, when a build with precompressed
    /// siblings in `compress` can write over the output: it is as its
    /// record gives it, with the same siblings. Waits for the check of
    /// the output ([`Changed::output_check`]); the record is let go of.
    pub fn present(self, compress: &[Compression]) -> Option<vitrine_output::Present> {
        let formats = compress.iter().map(|f| f.extension());
        let same = self.record.compress.iter().map(String::as_str).eq(formats);
        (same && self.check.holds()).then(|| {
            let files = self.record.outputs.iter();
            vitrine_output::Present::of(files.map(|(path, w)| (path.as_str(), w.len, w.hash)))
        })
    }
}

/// What a record keeps of the build that just wrote its output.
pub struct Recording<'a> {
    pub next_change: Option<DateTime<FixedOffset>>,
    pub summary: Summary,
    pub warnings: Vec<Diagnostic>,
    /// The record this build started from and the output paths it
    /// wrote or removed, if it patched that build's output.
    pub earlier: Option<(&'a Record, &'a [String])>,
    /// The size and content hash of the files the build wrote from bytes
    /// (a full build's): those are not read back.
    pub written: Option<vitrine_output::Hashes>,
    /// The formats of the precompressed siblings its text files got.
    pub compress: &'a [Compression],
    /// What its pages showed of the messages, if known.
    pub shown: Option<MessagesShown>,
    /// The texts of the content files as the load read them
    /// ([`Inputs::texts_packer`]); without them, those changed since the
    /// texts kept are read again from `content/`.
    pub packed_texts: Option<TextsPacker>,
    /// The Markdown pass's records and the loaded documents to keep
    /// ([`Inputs::kept_of`]), or why there are none.
    pub kept: Result<bodies::Keep, String>,
}

/// What the last build kept for the next one ([`Inputs::kept_of`]).
#[derive(Default)]
pub struct Kept {
    /// The earlier texts of the content files changed since, if all are kept.
    pub texts: Option<BTreeMap<String, String>>,
    /// Its Markdown records, if whole and of its inputs.
    pub bodies: Option<vitrine_render::render::KeptBodies>,
    /// The documents it loaded, by path under `content/` (none when they
    /// are not whole or not of its inputs).
    pub documents: std::collections::HashMap<String, Box<vitrine_load::content::Document>>,
    /// The related pages of its site's entries, if whole and of its inputs.
    pub related: Option<Related>,
}

/// The content pages among `files`, by path under `content/`: those the
/// build of `record` read (changed or removed since), and those new since.
fn pages_in<'a>(record: &Record, files: &'a [(String, bool)]) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
    let mut earlier = BTreeSet::new();
    let mut new = BTreeSet::new();
    for (path, _) in files {
        let Some(rel) = path
            .strip_prefix("content/")
            .filter(|rel| vitrine_load::content::is_content_page(rel))
        else {
            continue;
        };
        if record.had_input(path) {
            earlier.insert(rel);
        } else {
            new.insert(rel);
        }
    }
    (earlier, new)
}

/// The pages the content load reads among `inputs`, by path under
/// `content/`, with their hashes.
fn content_pages(inputs: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    use std::ops::Bound;
    let from: (Bound<&str>, Bound<&str>) = (Bound::Included("content/"), Bound::Unbounded);
    let content: Vec<(&str, &String)> = inputs
        .range::<str, _>(from)
        .map_while(|(path, hash)| Some((path.strip_prefix("content/")?, hash)))
        .collect();
    content
        .into_par_iter()
        .filter(|(rel, _)| vitrine_load::content::is_content_page(rel))
        .map(|(rel, hash)| (rel, hash.as_str()))
        .collect()
}

/// The input files whose hash differs between `now` and `before`, in path
/// order, each with whether it went: one walk of both sorted maps side by
/// side, rather than a lookup of each path in the other map.
fn changed_files(now: &BTreeMap<String, String>, before: &BTreeMap<String, String>) -> Vec<(String, bool)> {
    use std::cmp::Ordering;
    let (mut now, mut before) = (now.iter().peekable(), before.iter().peekable());
    let mut files = Vec::new();
    loop {
        let order = match (now.peek(), before.peek()) {
            (None, None) => return files,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((path, _)), Some((was, _))) => path.cmp(was),
        };
        match order {
            Ordering::Less => files.extend(now.next().map(|(path, _)| (path.clone(), false))),
            Ordering::Greater => files.extend(before.next().map(|(path, _)| (path.clone(), true))),
            Ordering::Equal => {
                if let (Some((path, hash)), Some((_, was))) = (now.next(), before.next())
                    && hash != was
                {
                    files.push((path.clone(), false));
                }
            }
        }
    }
}

/// What a build knows about its inputs before it runs: enough to find its
/// record and to write the next one.
pub struct Inputs {
    /// The site's root.
    root: PathBuf,
    file: PathBuf,
    vitrine: String,
    vitrine_stat: Option<Stat>,
    output: String,
    options: String,
    hashes: BTreeMap<String, String>,
    stats: BTreeMap<String, Stat>,
    hashed_at: i64,
    /// How many input files were read to hash them (the others were
    /// untouched since the previous record).
    read: usize,
    /// The record of the previous build of this output, read once.
    previous: Option<Record>,
    /// The digests of the kept texts' buckets, as that record gives them
    /// ([`texts::digests`]).
    texts_before: Option<Vec<u128>>,
}

impl Inputs {
    /// Hashes every input file of the site at `options.root` built with
    /// the theme `theme` into `output`, or takes its hash from the previous
    /// record where the file is untouched since ([`Stat`]). `None` when an
    /// input cannot be read (the build then runs and reports it).
    pub fn read(options: &BuildOptions, theme: &str, output: &Path) -> Option<Inputs> {
        let root = &options.root;
        let file = record_file(root, output);
        let hashed_at = nanos(std::time::SystemTime::now());
        // The record is read while the input files are listed: a 10,000
        // × 5 site's takes 0.1 s to parse, as long as the listing.
        let (previous, files) = rayon::join(
            // `--clean` trusts nothing of the previous build.
            || read_record(&file).filter(|r| r.format == FORMAT && !options.clean),
            || input_files(root, theme),
        );
        let files = files?;
        let (vitrine, vitrine_stat) = stamp::of_this_vitrine(previous.as_ref());
        // The recorded hash of a file untouched since it was taken.
        let known = |rel: &str, stat: Option<Stat>| {
            let record = previous.as_ref()?;
            let stat = stat.filter(|s| s.changed() < record.hashed_at - 1_000_000_000)?;
            if record.stats.get(rel) != Some(&stat) {
                return None;
            }
            record.inputs.get(rel).cloned()
        };
        let mut found = files
            .into_par_iter()
            .map(|(rel, meta)| {
                let stat = Stat::of(&meta);
                let (hash, read) = match known(&rel, stat) {
                    Some(hash) => (hash, false),
                    None => (hash_of(&std::fs::read(root.join(&rel)).ok()?), true),
                };
                Some((rel, hash, stat, read))
            })
            .collect::<Option<Vec<_>>>()?;
        // Sorted first, the maps are built in one pass each (inserted one
        // by one, they were a tenth of a patch's wait); the hashes are
        // moved into theirs, not copied.
        found.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let read = found.iter().filter(|f| f.3).count();
        let stats: BTreeMap<String, Stat> = found
            .iter()
            .filter_map(|(rel, _, stat, _)| Some((rel.clone(), (*stat)?)))
            .collect();
        let hashes: BTreeMap<String, String> = found.into_iter().map(|(rel, hash, ..)| (rel, hash)).collect();
        Some(Inputs {
            root: root.clone(),
            file,
            vitrine,
            vitrine_stat,
            output: std::path::absolute(output)
                .unwrap_or_else(|_| output.to_path_buf())
                .display()
                .to_string(),
            options: options_key(options),
            hashes,
            stats,
            hashed_at,
            read,
            previous,
            texts_before: None,
        })
    }

    /// What finding the inputs took, for `--timings`.
    pub fn summary(&self) -> String {
        format!(
            "{} input files, {} read and hashed, the others untouched since the last build",
            self.hashes.len(),
            self.read
        )
    }

    /// The files of `content/` as this build found them, by path under
    /// it.
    pub fn content_files(&self) -> Vec<String> {
        self.hashes
            .range("content/".to_string()..)
            .map_while(|(path, _)| path.strip_prefix("content/"))
            .map(str::to_string)
            .collect()
    }

    /// How the inputs stand against the record of the last build of
    /// `output`, when that build was made by this vitrine with the same
    /// options and no scheduled change fell due since, and its output
    /// folder is as it left it (when inputs changed, that is found while
    /// the patch runs: [`Changed::output_check`]). Otherwise, why the
    /// record is of no use.
    pub fn since(
        &mut self,
        output: &Path,
        keep: &[String],
        now: DateTime<FixedOffset>,
    ) -> Result<Since, String> {
        let Some(record) = self.previous.take() else {
            return Err("no record of a previous build (or a damaged one)".to_string());
        };
        if record.format != FORMAT || record.vitrine != self.vitrine {
            return Err("the previous build was made by another vitrine".to_string());
        }
        if record.options != self.options {
            return Err("the previous build had other options".to_string());
        }
        let (texts_before, files) = rayon::join(
            || texts::digests(&content_pages(&record.inputs)),
            || changed_files(&self.hashes, &record.inputs),
        );
        self.texts_before = Some(texts_before);
        if let Some(due) = record.next_change.filter(|t| *t <= now) {
            return Err(format!("a scheduled change was due at {}", due.to_rfc3339()));
        }
        if files.is_empty() {
            return match output_unchanged(output, keep, &record, Check::Parallel) {
                true => Ok(Since::Unchanged(record)),
                false => Err(OUTPUT_CHANGED.to_string()),
            };
        }
        // The output is checked while the patch runs, and asked before it
        // writes; once what the last build kept is read, which takes every
        // core.
        let record = Arc::new(record);
        let kept = self.kept_of(&record, &pages_in(&record, &files).0);
        let output_check = OutputCheck::start(output, keep, record.clone());
        Ok(Since::Changed(Changed {
            record,
            files,
            kept,
            output_check,
        }))
    }

    /// The texts of the content files `wanted` (paths under `content/`) as
    /// the build of `record` read them, if they were kept and each has the
    /// hash the record gives its file.
    fn texts_of(&self, record: &Record, wanted: &BTreeSet<&str>) -> Option<BTreeMap<String, String>> {
        let texts = texts::read(&self.file.with_extension("texts"), wanted)?;
        let all_known = texts.iter().all(|(rel, text)| {
            record.inputs.get(&format!("content/{rel}")) == Some(&hash_of(text.as_bytes()))
        });
        (all_known && texts.len() == wanted.len()).then_some(texts)
    }

    /// What the build of `record` kept for the next one, read side by
    /// side: its texts of the content files `earlier` ([`Inputs::texts_of`]),
    /// its Markdown records, its documents and its related pages.
    fn kept_of(&self, record: &Record, earlier: &BTreeSet<&str>) -> Kept {
        let digest = record.digest();
        let ((texts, related), (bodies, documents)) = rayon::join(
            || rayon::join(|| self.texts_of(record, earlier), || self.related_of(&digest)),
            || rayon::join(|| self.bodies_of(&digest), || self.documents_of(&digest)),
        );
        Kept {
            texts,
            bodies,
            documents,
            related,
        }
    }

    /// Something to take the content files' texts as the load reads them
    /// ([`TextsPacker`]), when no texts are kept to start from (a first
    /// or `--clean` build, or one after another vitrine's): otherwise
    /// only those that changed are read again once the build is written.
    pub fn texts_packer(&self) -> Option<TextsPacker> {
        if self.texts_before.is_some() {
            return None;
        }
        TextsPacker::new(&self.file.with_extension("texts")).ok()
    }

    /// The record of the last build of the output, when it was made from
    /// exactly these inputs (by this vitrine, with these options).
    pub fn recorded(&self) -> Option<Record> {
        let record = read_record(&self.file)?;
        let same = record.format == FORMAT
            && record.vitrine == self.vitrine
            && record.options == self.options
            && record.inputs == self.hashes;
        same.then_some(record)
    }

    /// Whether `other` found every input file as this one did.
    pub fn same_files(&self, other: &Inputs) -> bool {
        self.hashes == other.hashes
    }

    /// Removes the record: called before a build replaces the output, so
    /// a build that dies midway leaves no record to trust.
    /// The kept texts stay: they are checked against the next record.
    pub fn forget(&self) -> std::io::Result<()> {
        remove_if_there(&self.file)
    }

    /// Records the build that just wrote `output`. After a patch
    /// (`build.earlier`), only the paths it touched are read again. Then
    /// the cache is rid of what no build can use any more ([`prune`]).
    pub fn remember(
        mut self,
        output: &Path,
        keep: &[String],
        build: Recording<'_>,
    ) -> std::io::Result<Pruned> {
        let Recording {
            next_change,
            summary,
            warnings,
            earlier,
            written,
            compress,
            shown,
            packed_texts,
            kept,
        } = build;
        // The output's files and, when the load did not take them
        // ([`TextsPacker`]), the content's changed texts are read again
        // ([`reading_pool`]), one after the other: such texts are packed
        // whole before they are written, and were they packed while the
        // output is listed, the two would make the build's highest point
        // (1,028 MiB at 50,000 × 5, over 958 while rendering).
        let (outputs, folders) = reading_pool(|| match earlier {
            Some((record, touched)) => outputs::patched_outputs(output, record, touched),
            None => outputs::written_outputs(output, keep, written.as_ref()),
        })?;
        let record = Record {
            format: FORMAT,
            vitrine: std::mem::take(&mut self.vitrine),
            vitrine_stat: self.vitrine_stat,
            output: std::mem::take(&mut self.output),
            options: std::mem::take(&mut self.options),
            inputs: std::mem::take(&mut self.hashes),
            stats: std::mem::take(&mut self.stats),
            hashed_at: self.hashed_at,
            outputs,
            folders,
            compress: compress.iter().map(|f| f.extension().to_string()).collect(),
            shown: shown.map(Box::new),
            next_change,
            summary,
            warnings,
        };
        // The record, the texts and the Markdown records are written side
        // by side: the texts are checked against the record's hashes when
        // read, and the Markdown records and documents carry the digest of
        // its inputs, so whichever a build killed midway leaves is refused
        // if it does not match.
        let (kept, recorded) = reading_pool(|| {
            rayon::join(
                || {
                    self.keep_texts(&record.inputs, packed_texts);
                    self.keep_records(kept)
                },
                || write_record(&self.file, &record),
            )
        });
        kept.and(recorded)?;
        Ok(prune::prune(&self.file))
    }

    /// Keeps the texts of the content files among `inputs` (as hashed
    /// for the record) for the next build: those `packed` as the load
    /// read them, or those changed since the texts kept, read again.
    fn keep_texts(&self, inputs: &BTreeMap<String, String>, packed: Option<TextsPacker>) {
        let texts_file = self.file.with_extension("texts");
        let pages = content_pages(inputs);
        let written = match packed {
            Some(packer) => packer.finish(&self.root, &pages, hash_of),
            None => texts::write(
                &texts_file,
                &self.root,
                &pages,
                self.texts_before.as_deref(),
                hash_of,
            ),
        };
        if written.is_err() {
            // Texts that do not match the record are refused when read;
            // none at all is plainer.
            let _ = std::fs::remove_file(&texts_file);
        }
    }
}

/// Runs `reads` on a pool of [`READERS`] threads. Recording a build reads
/// back what it wrote and read (every output file's size and time, the
/// content files' texts the load did not take), and on a disk those reads
/// wait on it, not on the cores: reading 200,000 content files of the
/// 200,000 × 5 corpus, out of the page cache, took 19 s one at a time and
/// 7 s eight at a time, and the whole recording of that build went from
/// 110.6 to 71.9 s (`--timings`, corpus and output on disk; the load
/// takes the texts since, 41.8 s). Runs on the build's own pool
/// when another cannot be made.
fn reading_pool<T: Send>(reads: impl FnOnce() -> T + Send) -> T {
    // Made for each use, not kept: its threads' memory goes with them.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .thread_name(|i| format!("vitrine-reader-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(reads),
        Err(_) => reads(),
    }
}

/// How many reads of the disk [`reading_pool`] makes at once.
const READERS: usize = 8;

/// Every input file of the site at `root` built with the theme `theme`,
/// with its metadata, by path under the root; `None` when one cannot be
/// read.
fn input_files(root: &Path, theme: &str) -> Option<Vec<(String, std::fs::Metadata)>> {
    let theme_dir = format!("themes/{theme}");
    let mut files = Vec::new();
    for top in INPUTS.iter().copied().chain([theme_dir.as_str()]) {
        let path = root.join(top);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_file() {
            files.push((top.to_string(), meta));
        } else if meta.is_dir() {
            files.extend(files_in(&path, top, &[], false).ok()?.files);
        }
    }
    Some(files)
}

/// Where the record of the builds of `output` from the site at `root` is
/// kept: one file per output folder, named by a hash of its path.
pub fn record_file(root: &Path, output: &Path) -> PathBuf {
    let key = output.display().to_string();
    let set = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
    record_file_named(&root.join(CACHE_DIR), &set)
}

/// The record of the set `set` (its files' shared name, before the first
/// dot) in the cache folder `dir`.
fn record_file_named(dir: &Path, set: &str) -> PathBuf {
    dir.join(format!("{set}.{RECORD_EXTENSION}"))
}

/// Removes `file`; one already gone is no error.
pub fn remove_if_there(file: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn hash_of(bytes: &[u8]) -> String {
    format!("{:032x}", content_hash(bytes))
}

/// The content hash of a file.
pub(crate) fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The files under a folder with their metadata, and when asked, its
/// folders with their modification times ([`files_in`]).
#[derive(Default)]
struct Listing {
    files: Vec<(String, std::fs::Metadata)>,
    folders: Vec<(String, i64)>,
}

/// Every file under `dir` with its metadata (and every folder with its
/// time, `with_folders`), by path under `dir` joined with `/` after
/// `prefix`, except the top-level names `skip`. Each folder's entries are
/// read from the folder itself (`DirEntry::metadata` looks a name up in
/// its folder, not a whole path) and subfolders are read in parallel:
/// path lookups were three quarters of a rebuild with nothing changed at
/// 95,000 output files, when each was read.
fn files_in(dir: &Path, prefix: &str, skip: &[String], with_folders: bool) -> std::io::Result<Listing> {
    let mut listing = Listing::default();
    let mut below = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefix.is_empty() && skip.contains(&name) {
            continue;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if with_folders {
                listing
                    .folders
                    .push((rel.clone(), nanos(entry.metadata()?.modified()?)));
            }
            below.push((entry.path(), rel));
        } else if kind.is_file() {
            listing.files.push((rel, entry.metadata()?));
        }
    }
    let nested = below
        .into_par_iter()
        .map(|(path, rel)| files_in(&path, &rel, &[], with_folders))
        .collect::<std::io::Result<Vec<_>>>()?;
    for inner in nested {
        listing.files.extend(inner.files);
        listing.folders.extend(inner.folders);
    }
    Ok(listing)
}

/// A modification time in nanoseconds since the epoch.
fn nanos(time: std::time::SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// The options that change what a build writes.
fn options_key(options: &BuildOptions) -> String {
    format!(
        "base_url={:?} drafts={} future={} relative={}",
        options.base_url, options.drafts, options.future, options.relative
    )
}

fn checksum(bytes: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// The packed record in the bytes of a record file, when its checksum
/// holds.
fn packed_record(bytes: &[u8]) -> Option<&[u8]> {
    let (sum, packed) = bytes.strip_prefix(MAGIC)?.split_at_checked(16)?;
    (checksum(packed) == sum).then_some(packed)
}

/// The record at `file`, if it is whole and of this format.
fn read_record(file: &Path) -> Option<Record> {
    let bytes = std::fs::read(file).ok()?;
    postcard::from_bytes(packed_record(&bytes)?).ok()
}

/// Writes `record` to a temporary file beside `file`, then renames it.
fn write_record(file: &Path, record: &Record) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let packed = postcard::to_stdvec(record).map_err(std::io::Error::other)?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + 16 + packed.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&checksum(&packed));
    bytes.extend_from_slice(&packed);
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, &bytes)?;
    temp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(path, hash)| (path.to_string(), hash.to_string()))
            .collect()
    }

    /// Files changed, new and gone, in path order, each once; files with
    /// the same hash are not listed, wherever they fall in either map.
    #[test]
    fn changed_files_are_found_in_one_walk_of_both_records() {
        let before = map(&[
            ("content/a.md", "1"),
            ("content/b.md", "2"),
            ("content/c.md", "3"),
            ("locales/vi.ftl", "4"),
            ("site.yaml", "5"),
        ]);
        let now = map(&[
            ("content/a.md", "1"),
            ("content/b.md", "2b"),
            ("content/bb.md", "9"),
            ("locales/vi.ftl", "4"),
            ("site.yaml", "5"),
            ("static/x.css", "6"),
        ]);
        let files = super::changed_files(&now, &before);
        let files: Vec<(&str, bool)> = files.iter().map(|(p, went)| (p.as_str(), *went)).collect();
        assert_eq!(
            files,
            [
                ("content/b.md", false),
                ("content/bb.md", false),
                ("content/c.md", true),
                ("static/x.css", false),
            ]
        );
        assert!(super::changed_files(&now, &now).is_empty());
        let all_went = super::changed_files(&BTreeMap::new(), &before);
        assert_eq!(all_went.len(), before.len());
        assert!(all_went.iter().all(|(_, went)| *went));
    }

    /// Only the content pages of the inputs, by path under `content/`.
    #[test]
    fn content_pages_are_the_pages_under_content() {
        let inputs = map(&[
            ("content/_index.md", "1"),
            ("content/news/a.vi.md", "2"),
            ("content/news/photo.jpg", "3"),
            ("data/x.yaml", "4"),
            ("site.yaml", "5"),
        ]);
        let pages = super::content_pages(&inputs);
        assert_eq!(pages, [("_index.md", "1"), ("news/a.vi.md", "2")]);
    }
}
