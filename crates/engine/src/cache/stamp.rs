//! Which vitrine made a build: its version and a content hash of its
//! executable. A rebuilt vitrine of the same version may render
//! differently, so a record made by any other executable is not trusted;
//! the same executable installed again (a CI job that installs vitrine in
//! every run, a copy, a restored cache) still reuses its records, since
//! the hash, not the file's time, decides.
//!
//! Hashing the executable takes tens of milliseconds (a release binary
//! weighs over 100 MB with its line tables), so, as for input files, the
//! hash a record gives is taken as it is while the executable's size,
//! times and inode are as recorded ([`Stat`]), and is made at most once
//! per process otherwise.

use std::io::Read;
use std::sync::OnceLock;

use super::{Record, Stat};

/// This vitrine's stamp, and what the file system says of its executable
/// (recorded for the next build). Taken from `previous` when its
/// executable is untouched since that record was made.
pub(super) fn of_this_vitrine(previous: Option<&Record>) -> (String, Option<Stat>) {
    let stat = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|meta| Stat::of(&meta));
    let untouched = previous.filter(|record| {
        stat.is_some_and(|s| s.changed() < record.hashed_at - 1_000_000_000)
            && record.vitrine_stat == stat
            && record.vitrine.starts_with(&version_prefix())
    });
    match untouched {
        Some(record) => (record.vitrine.clone(), stat),
        None => (hashed().to_string(), stat),
    }
}

/// `"<version> "`, which every stamp of this version starts with.
fn version_prefix() -> String {
    format!("{} ", env!("CARGO_PKG_VERSION"))
}

/// The stamp made from the executable's bytes, once per process. An
/// executable that cannot be read gets a stamp no record holds (its
/// time, to the nanosecond), so nothing is reused rather than anything
/// trusted.
fn hashed() -> &'static str {
    static STAMP: OnceLock<String> = OnceLock::new();
    STAMP.get_or_init(|| match executable_hash() {
        Ok(hash) => format!("{}{hash:032x}", version_prefix()),
        Err(e) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            format!("{}unreadable ({e}) {now}", version_prefix())
        }
    })
}

/// The content hash of the running executable, read in 1 MiB pieces.
fn executable_hash() -> std::io::Result<u128> {
    let mut file = std::fs::File::open(std::env::current_exe()?)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut piece = vec![0; 1 << 20];
    loop {
        match file.read(&mut piece)? {
            0 => return Ok(hasher.digest128()),
            n => hasher.update(&piece[..n]),
        }
    }
}
