//! Keeps the build cache from growing without end. Each output folder a
//! build wrote has a record and what it kept beside it, some 300 MB at
//! 10,000 articles × 5 languages; builds into many folders (a test or CI
//! folder each time, one per `serve` address) would pile them up. After a
//! build is recorded, the sets of other folders that no longer exist are
//! removed, and so are, once nothing has touched them for a day, records
//! of another layout (another vitrine's, which this one never reads) and
//! files no record owns (left by a build killed midway: a build in
//! progress writes its files before its record).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long files no record owns are left alone: a build in progress has
/// no record yet.
const ORPHANS_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// What [`prune`] removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// The sets of files removed, each a record and what was kept beside
    /// it, or what a build left without a record.
    pub sets: usize,
    pub bytes: u64,
}

/// Removes, from the folder of the record `current`, the files of other
/// records whose output folder no longer exists, and records of another
/// layout and files of no record untouched for [`ORPHANS_AFTER`]. What
/// cannot be read or removed is left.
pub fn prune(current: &Path) -> Pruned {
    let Some(dir) = current.parent() else {
        return Pruned::default();
    };
    let Some(own) = stem(current) else {
        return Pruned::default();
    };
    let mut pruned = Pruned::default();
    let now = SystemTime::now();
    for (set, files) in sets(dir).into_iter().filter(|(set, _)| *set != own) {
        let record = super::record_file_named(dir, &set);
        let gone = match output_folder(&record) {
            Some(output) => !Path::new(&output).exists(),
            None => files.iter().all(|f| untouched_since(f, now, ORPHANS_AFTER)),
        };
        if gone {
            let bytes = files
                .iter()
                .filter_map(|f| f.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>();
            if files.iter().all(|f| super::remove_if_there(f).is_ok()) {
                pruned.sets += 1;
                pruned.bytes += bytes;
            }
        }
    }
    pruned
}

/// The files of the cache folder by set: the record's name up to its
/// first dot (`0123abcd.record`, `0123abcd.store.new`).
fn sets(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut sets: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return sets;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_file())
            && let Some(set) = stem(&path)
        {
            sets.entry(set).or_default().push(path);
        }
    }
    sets
}

/// The set a cache file belongs to: the hex name before its first dot
/// ([`super::record_file`] names a record so).
fn stem(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    let (stem, _) = name.split_once('.')?;
    (stem.len() == 16 && stem.bytes().all(|b| b.is_ascii_hexdigit())).then(|| stem.to_string())
}

/// The output folder the record at `record` names, when it is a record of
/// this layout; read from its first bytes (a record is tens of megabytes;
/// its layout and folder are its first fields, see [`super::Record`]),
/// unchecked: a damaged record at worst leaves a set for the day rule.
fn output_folder(record: &Path) -> Option<String> {
    use std::io::Read;
    /// The first fields of [`super::Record`], in its order.
    #[derive(serde::Deserialize)]
    struct Head {
        format: u32,
        _vitrine: String,
        output: String,
    }
    let mut head = Vec::new();
    std::fs::File::open(record)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let packed = head.strip_prefix(super::MAGIC)?.get(16..)?;
    let (head, _) = postcard::take_from_bytes::<Head>(packed).ok()?;
    (head.format == super::FORMAT && Path::new(&head.output).is_absolute()).then_some(head.output)
}

fn untouched_since(file: &Path, now: SystemTime, age: Duration) -> bool {
    file.metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d >= age))
}
