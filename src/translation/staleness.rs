//! Staleness without git: a translation records the content hash of the
//! source it was made from (`source_hash`), and a snapshot of that source's
//! paragraphs is kept in `.vitrine/i18n/<hash>.txt` so that the report can
//! show which paragraphs changed since. Whitespace is normalised before
//! hashing, so reflowing a paragraph never makes its translations stale.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use similar::{Algorithm, DiffOp};

use crate::content::Document;

/// Where stamped source snapshots live, relative to the site root.
pub const SNAPSHOT_DIR: &str = ".vitrine/i18n";

/// What a translator translates of a source document, one normalised
/// paragraph per item: the translatable front matter fields, then the body
/// split on blank lines with whitespace runs collapsed to one space.
pub fn paragraphs(doc: &Document) -> Vec<String> {
    let mut out = vec![format!("title: {}", normalise(&doc.front.title))];
    if let Some(d) = &doc.front.description {
        out.push(format!("description: {}", normalise(d)));
    }
    if let Some(s) = &doc.front.summary {
        out.push(format!("summary: {}", normalise(s)));
    }
    out.extend(body_paragraphs(&doc.body));
    out
}

fn body_paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&normalise(line));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The content hash of a source version: the first 16 hex digits of the
/// SHA-256 of its normalised paragraphs (64 bits: collisions between two
/// versions of one page are not a practical concern).
pub fn hash(paragraphs: &[String]) -> String {
    let digest = Sha256::digest(paragraphs.join("\n\n").as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The current content hash of a source document.
pub fn source_hash(doc: &Document) -> String {
    hash(&paragraphs(doc))
}

/// The snapshot file of a stamped version.
pub fn snapshot_path(root: &Path, hash: &str) -> PathBuf {
    root.join(SNAPSHOT_DIR).join(format!("{hash}.txt"))
}

/// Saves the paragraphs of a source version so a later report can diff them.
pub fn save_snapshot(root: &Path, paragraphs: &[String]) -> std::io::Result<String> {
    let hash = hash(paragraphs);
    let path = snapshot_path(root, &hash);
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, paragraphs.join("\n\n") + "\n")?;
    }
    Ok(hash)
}

/// The paragraphs of a stamped version, when its snapshot was kept.
pub fn load_snapshot(root: &Path, hash: &str) -> Option<Vec<String>> {
    // A hash comes from user-edited front matter: never let it name a path.
    if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let text = std::fs::read_to_string(snapshot_path(root, hash)).ok()?;
    Some(text.trim_end().split("\n\n").map(str::to_string).collect())
}

/// How one paragraph of the source differs from the stamped version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParagraphChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// 1-based index in the current source (for `removed`: where it was).
    pub paragraph: usize,
    /// The start of the paragraph's current text (old text for `removed`).
    pub text: String,
}

/// The paragraph-level diff from the stamped version to the current one.
pub fn diff(old: &[String], new: &[String]) -> Vec<ParagraphChange> {
    let mut changes = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => changes.extend((old_index..old_index + old_len).map(|i| ParagraphChange {
                change: "removed",
                paragraph: new_index + 1,
                text: excerpt(&old[i]),
            })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => changes.extend((new_index..new_index + new_len).map(|i| ParagraphChange {
                change: "added",
                paragraph: i + 1,
                text: excerpt(&new[i]),
            })),
            DiffOp::Replace {
                old_len,
                new_index,
                new_len,
                ..
            } => {
                // Pairs read as edits; the surplus on either side as adds/removes.
                for i in 0..new_len {
                    let change = if i < old_len { "changed" } else { "added" };
                    changes.push(ParagraphChange {
                        change,
                        paragraph: new_index + i + 1,
                        text: excerpt(&new[new_index + i]),
                    });
                }
                for _ in new_len..old_len {
                    changes.push(ParagraphChange {
                        change: "removed",
                        paragraph: new_index + new_len + 1,
                        text: String::new(),
                    });
                }
            }
        }
    }
    changes
}

fn excerpt(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(body: &str) -> Vec<String> {
        body_paragraphs(body)
    }

    #[test]
    fn whitespace_only_edits_keep_the_hash() {
        let a = paras("One  line\nwrapped here.\n\nSecond.\n");
        let b = paras("\nOne line wrapped\n   here.\n\n\n\nSecond.   \n\n");
        assert_eq!(a, b);
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&paras("One line wrapped here.\n\nSecond!")));
        assert_eq!(hash(&a).len(), 16);
    }

    #[test]
    fn diff_names_changed_added_and_removed_paragraphs() {
        let old = paras("A.\n\nB.\n\nC.\n\nD.");
        let new = paras("A.\n\nB2.\n\nC.\n\nE.\n\nF.");
        let changes = diff(&old, &new);
        let kinds: Vec<(&str, usize)> = changes.iter().map(|c| (c.change, c.paragraph)).collect();
        assert_eq!(kinds, vec![("changed", 2), ("changed", 4), ("added", 5)]);
        let removed = diff(&old, &paras("A.\n\nC.\n\nD."));
        assert_eq!(removed[0].change, "removed");
        assert_eq!(removed[0].text, "B.");
    }
}
