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

/// How a record stands, from its first bytes.
enum Owner {
    /// A record of this layout, of the output folder named.
    Folder(String),
    /// A record of another layout, or none that reads.
    Unknown,
    /// No record.
    None,
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
        let gone = match owner(&dir.join(format!("{set}.json"))) {
            Owner::Folder(output) => !Path::new(&output).exists(),
            Owner::Unknown | Owner::None => files.iter().all(|f| untouched_since(f, now, ORPHANS_AFTER)),
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
/// first dot (`0123abcd.json`, `0123abcd.store.new`).
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

/// The set a cache file belongs to: the hex name before its first dot.
fn stem(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    let (stem, _) = name.split_once('.')?;
    (stem.len() == 16 && stem.bytes().all(|b| b.is_ascii_hexdigit())).then(|| stem.to_string())
}

/// How the record at `record` stands, read from its first bytes (a
/// record is tens of megabytes; its layout and folder come first).
fn owner(record: &Path) -> Owner {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(record) else {
        return Owner::None;
    };
    let mut head = Vec::new();
    if file.take(16 * 1024).read_to_end(&mut head).is_err() {
        return Owner::Unknown;
    }
    let head = String::from_utf8_lossy(&head);
    let field = |name: &str| {
        let key = format!("\"{name}\":");
        let at = head.find(&key)? + key.len();
        serde_json::Deserializer::from_str(&head[at..])
            .into_iter::<serde_json::Value>()
            .next()?
            .ok()
    };
    let format = field("format").and_then(|f| f.as_u64());
    let output = field("output").and_then(|o| o.as_str().map(str::to_string));
    match (format, output) {
        (Some(f), Some(output)) if f == u64::from(super::FORMAT) && Path::new(&output).is_absolute() => {
            Owner::Folder(output)
        }
        _ => Owner::Unknown,
    }
}

fn untouched_since(file: &Path, now: SystemTime, age: Duration) -> bool {
    file.metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d >= age))
}
