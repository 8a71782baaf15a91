//! What a deploy must do, decided without touching the network: the local
//! files (path, content hash, headers) against the manifest of what the
//! bucket holds. Nothing here reads files or talks to a server.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One file as deployed: its content hash and a fingerprint of its headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// xxh3 of the header lines, hex: a header change is a change too.
    pub headers: String,
}

/// The manifest object in the bucket: what the last deploy left there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Object keys relative to the target's prefix.
    pub files: BTreeMap<String, Entry>,
}

/// A local file ready to upload.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub path: String,
    pub entry: Entry,
    pub headers: BTreeMap<String, String>,
    pub size: u64,
}

/// Why a file is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    New,
    Changed,
    Headers,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::New => "new",
            Reason::Changed => "changed",
            Reason::Headers => "headers changed",
        }
    }
}

/// The order uploads go in, so that readers never meet a page whose
/// assets are missing, nor a sitemap or feed naming pages not yet there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Assets,
    Pages,
    Indexes,
}

impl Stage {
    pub fn of(path: &str) -> Stage {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.ends_with(".html") {
            Stage::Pages
        } else if name.ends_with(".xml") || name == "robots.txt" {
            Stage::Indexes
        } else {
            Stage::Assets
        }
    }
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub file: LocalFile,
    pub reason: Reason,
}

/// Everything a deploy does, in order.
#[derive(Debug, Default)]
pub struct Plan {
    /// Sorted by [`Stage`], then path.
    pub uploads: Vec<Upload>,
    /// Keys (relative to the prefix) to delete, after every upload.
    pub deletes: Vec<String>,
    pub unchanged: usize,
}

impl Plan {
    /// Compares the local files with what the bucket holds. `remote` is
    /// the manifest, or, on a first deploy into a used prefix, the keys
    /// listed there (with no hash, so every local file is uploaded).
    pub fn new(local: Vec<LocalFile>, remote: &Manifest, listed: &BTreeSet<String>) -> Plan {
        let mut plan = Plan::default();
        let mut present = BTreeSet::new();
        for file in local {
            present.insert(file.path.clone());
            let reason = match remote.files.get(&file.path) {
                None => Reason::New,
                Some(old) if old.sha256 != file.entry.sha256 => Reason::Changed,
                Some(old) if old.headers != file.entry.headers => Reason::Headers,
                Some(_) => {
                    plan.unchanged += 1;
                    continue;
                }
            };
            plan.uploads.push(Upload { file, reason });
        }
        plan.uploads.sort_by(|a, b| {
            (Stage::of(&a.file.path), &a.file.path).cmp(&(Stage::of(&b.file.path), &b.file.path))
        });
        let known = remote.files.keys().chain(listed.iter());
        let gone: BTreeSet<&String> = known.filter(|k| !present.contains(*k)).collect();
        plan.deletes = gone.into_iter().cloned().collect();
        plan
    }

    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.file.size).sum()
    }
}

/// The manifest after a deploy: the previous one, with every file that
/// reached the bucket and without every key deleted from it.
pub fn updated_manifest(old: &Manifest, uploaded: &[&LocalFile], deleted: &[String]) -> Manifest {
    let mut files = old.files.clone();
    for f in uploaded {
        files.insert(f.path.clone(), f.entry.clone());
    }
    for d in deleted {
        files.remove(d);
    }
    Manifest { version: 1, files }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, hash: &str) -> LocalFile {
        LocalFile {
            path: path.to_string(),
            entry: Entry {
                sha256: hash.to_string(),
                headers: "h".to_string(),
            },
            headers: BTreeMap::new(),
            size: 1,
        }
    }

    #[test]
    fn uploads_only_changes_in_safe_order_and_deletes_last() {
        let old = Manifest {
            version: 1,
            files: [
                ("index.html".to_string(), file("index.html", "1").entry),
                ("gone/index.html".to_string(), file("gone/index.html", "1").entry),
                ("style.css".to_string(), file("style.css", "1").entry),
            ]
            .into_iter()
            .collect(),
        };
        let local = vec![
            file("sitemap.xml", "1"),
            file("index.html", "2"),
            file("new/index.html", "1"),
            file("style.css", "1"),
            file("a.webp", "1"),
        ];
        let plan = Plan::new(local, &old, &BTreeSet::new());
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.file.path.as_str()).collect();
        assert_eq!(order, ["a.webp", "index.html", "new/index.html", "sitemap.xml"]);
        assert_eq!(plan.uploads[1].reason, Reason::Changed);
        assert_eq!(plan.uploads[2].reason, Reason::New);
        assert_eq!(plan.deletes, ["gone/index.html"]);
        assert_eq!(plan.unchanged, 1);
    }

    #[test]
    fn a_header_change_is_a_change() {
        let mut f = file("a.html", "1");
        let old = Manifest {
            version: 1,
            files: [("a.html".to_string(), f.entry.clone())].into_iter().collect(),
        };
        f.entry.headers = "other".to_string();
        let plan = Plan::new(vec![f], &old, &BTreeSet::new());
        assert_eq!(plan.uploads[0].reason, Reason::Headers);
    }

    #[test]
    fn listed_keys_without_a_manifest_are_deleted_and_local_files_uploaded() {
        let listed: BTreeSet<String> = ["old.html".to_string(), "a.html".to_string()].into();
        let plan = Plan::new(vec![file("a.html", "1")], &Manifest::default(), &listed);
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(plan.deletes, ["old.html"]);
    }
}
