//! The image cache: processed files and source facts kept between builds in
//! `.vitrine-cache/images/` under the site root, named by the source's
//! content hash and the operation, so an unchanged image is never decoded
//! or encoded again. Deleting the folder is always safe. After a build,
//! whatever that build did not use is pruned, so the folder never grows
//! without bound.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::process::SourceInfo;

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".vitrine-cache/images";

/// Bump when the encoders or their settings change, so old files are not
/// reused under new rules.
const CACHE_VERSION: &str = "v1";

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A 128-bit content hash, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// The cache and output file name of one operation on one source: readable
/// prefix, then a hash of everything that decides the bytes.
pub fn variant_name(source_hash: &str, key: &str, size: (u32, u32), extension: &str) -> String {
    let digest = xxhash_rust::xxh3::xxh3_64(format!("{CACHE_VERSION}|{source_hash}|{key}").as_bytes());
    format!(
        "{}_{}x{}_{digest:016x}.{extension}",
        &source_hash[..16],
        size.0,
        size.1
    )
}

/// Source facts (and the dominant colour once computed), stored as JSON.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceRecord {
    #[serde(flatten)]
    pub info: SourceInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(CACHE_DIR),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.dir.join(name).is_file()
    }

    pub fn record_name(source_hash: &str) -> String {
        format!("{source_hash}.json")
    }

    pub fn read_record(&self, source_hash: &str) -> Option<SourceRecord> {
        let text = fs::read(self.dir.join(Self::record_name(source_hash))).ok()?;
        serde_json::from_slice(&text).ok()
    }

    pub fn write_record(&self, source_hash: &str, record: &SourceRecord) -> io::Result<()> {
        let json = serde_json::to_vec(record).map_err(io::Error::other)?;
        self.write(&Self::record_name(source_hash), &json)
    }

    /// Writes through a temporary file and a rename: an interrupted build
    /// never leaves a truncated file under a valid name.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir)?;
        io::Write::write_all(&mut temp, bytes)?;
        temp.persist(self.dir.join(name)).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes every file not in `used`; returns how many were removed.
    pub fn prune(&self, used: &BTreeSet<String>) -> io::Result<usize> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_file() && !used.contains(&name) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}
