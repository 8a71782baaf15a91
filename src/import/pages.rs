//! Items → page files, idempotently. An item is known by its source and
//! guid, found in the front matter of the pages already in its section;
//! a page is written only when its text would change, and never when an
//! editor changed it since the import (the `source.hash` it was written
//! with no longer matches). Writes are atomic: a temporary file beside the
//! page, renamed over it. Fetching and cleaning feeds are done before.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::parse::Item;
use crate::config::sources::SourceCanonical;
use crate::config::sources::SourceConfig;
use crate::content::CONTENT_DIR;

/// The pages already in a source's section, and the site's terms.
#[derive(Default)]
pub struct Existing {
    /// Imported pages by (source name, guid): path relative to the root.
    by_guid: HashMap<(String, String), ExistingPage>,
    /// File stems in use in the section folder (any language).
    stems: HashSet<String>,
    /// The site's terms in the source's language: slug → (taxonomy, name).
    terms: HashMap<String, (String, String)>,
    /// The site has a `tags` taxonomy: categories matching no term go there.
    has_tags: bool,
}

struct ExistingPage {
    path: String,
    text: String,
    date: Option<String>,
}

#[derive(Deserialize)]
struct LightFront {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    source: Option<LightSource>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct LightSource {
    name: String,
    #[serde(default)]
    guid: Option<String>,
}

/// What importing one item does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create {
        path: String,
        text: String,
    },
    Update {
        path: String,
        text: String,
    },
    Unchanged {
        path: String,
    },
    /// The page was edited since the import: left as it is.
    Kept {
        path: String,
    },
}

/// Reads the pages of `content/` in the source's language: imported ones
/// by guid, and every term of the site's taxonomies.
pub fn existing(
    root: &Path,
    source: &SourceConfig,
    default_language: &str,
    taxonomies: &[String],
) -> Existing {
    let content = root.join(CONTENT_DIR);
    let section = content.join(&source.section);
    let mut found = Existing {
        has_tags: taxonomies.iter().any(|t| t == "tags"),
        ..Existing::default()
    };
    if let Ok(entries) = std::fs::read_dir(&section) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let stem = name.strip_suffix(".md").unwrap_or(&name);
            found
                .stems
                .insert(stem.split('.').next().unwrap_or(stem).to_string());
        }
    }
    for entry in walkdir::WalkDir::new(&content).into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file()
            || language_of(path, default_language) != Some(source.language.as_str())
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(front) = light_front(&text) else {
            continue;
        };
        for (key, value) in &front.other {
            if !taxonomies.contains(key) {
                continue;
            }
            for name in value.as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                found
                    .terms
                    .entry(crate::slug::slugify(name))
                    .or_insert_with(|| (key.clone(), name.to_string()));
            }
        }
        let in_section = path.starts_with(&section);
        if let (
            true,
            Some(LightSource {
                name,
                guid: Some(guid),
            }),
        ) = (in_section, front.source)
        {
            let relative = path.strip_prefix(root).unwrap_or(path);
            found.by_guid.entry((name, guid)).or_insert(ExistingPage {
                path: relative.to_string_lossy().replace('\\', "/"),
                text,
                date: front.date,
            });
        }
    }
    found
}

/// The language of a content file from its suffix, `None` for other files.
fn language_of<'a>(path: &'a Path, default_language: &'a str) -> Option<&'a str> {
    let name = path.file_name()?.to_str()?.strip_suffix(".md")?;
    Some(match name.rsplit_once('.') {
        Some((_, lang)) => lang,
        None => default_language,
    })
}

fn light_front(text: &str) -> Option<LightFront> {
    let split = crate::content::front_matter::split(text).ok()?;
    serde_saphyr::from_str(split.yaml).ok()
}

impl Existing {
    /// Where an earlier import put the page of `guid`, and whether it is
    /// still as that import wrote it; `None` for an item never imported.
    pub fn imported(&self, source: &str, guid: &str) -> Option<(&str, bool)> {
        self.by_guid
            .get(&(source.to_string(), guid.to_string()))
            .map(|p| (p.path.as_str(), is_pristine(&p.text)))
    }
}

/// The folder of a page bundle (`news/a/index.vi.md` → `news/a`), `None`
/// for a page that is a file of its own.
pub fn bundle_of(page: &str) -> Option<&str> {
    let (folder, file) = page.rsplit_once('/')?;
    (file == "index.md" || (file.starts_with("index.") && file.ends_with(".md"))).then_some(folder)
}

/// What importing `item` does. The page's date is the item's, else the one
/// an earlier import gave it, else `now` (the caller warns). A new page is
/// made a bundle (`<slug>/index.<lang>.md`) when `bundle` says so, to hold
/// its images; a page already written stays where it is.
pub fn decide(
    item: &Item,
    source: &SourceConfig,
    feed: &str,
    existing: &mut Existing,
    now: &str,
    bundle: bool,
) -> Action {
    let key = (source.name.clone(), item.guid.clone());
    let page = existing.by_guid.get(&key);
    let date = item
        .published
        .or(item.updated)
        .map(|d| d.to_rfc3339())
        .or_else(|| page.and_then(|p| p.date.clone()))
        .unwrap_or_else(|| now.to_string());
    let terms = terms(item, source, existing);
    let text = page_text(item, source, feed, &date, &terms);
    match page {
        Some(p) if p.text == text => Action::Unchanged { path: p.path.clone() },
        Some(p) if is_pristine(&p.text) => Action::Update {
            path: p.path.clone(),
            text,
        },
        Some(p) => Action::Kept { path: p.path.clone() },
        None => {
            let stem = free_stem(item, &existing.stems);
            existing.stems.insert(stem.clone());
            let path = if bundle {
                format!(
                    "{CONTENT_DIR}/{}/{stem}/index.{}.md",
                    source.section, source.language
                )
            } else {
                format!("{CONTENT_DIR}/{}/{stem}.{}.md", source.section, source.language)
            };
            existing.by_guid.insert(
                key,
                ExistingPage {
                    path: path.clone(),
                    text: text.clone(),
                    date: Some(date),
                },
            );
            Action::Create { path, text }
        }
    }
}

/// The item gives no date: its page is dated when it was first fetched.
pub fn has_no_date(item: &Item) -> bool {
    item.published.is_none() && item.updated.is_none()
}

/// A file stem no page of the section uses in any language (a shared stem
/// would make the new page a translation of another).
fn free_stem(item: &Item, taken: &HashSet<String>) -> String {
    let mut slug = crate::slug::slugify(&item.title);
    if slug.chars().count() > 80 {
        let cut: String = slug.chars().take(80).collect();
        slug = cut
            .rsplit_once('-')
            .map_or(cut.clone(), |(head, _)| head.to_string());
    }
    if slug.is_empty() {
        slug = format!("item-{}", &hex_hash(item.guid.as_bytes())[..8]);
    }
    let mut stem = slug.clone();
    let mut n = 2;
    while taken.contains(&stem) || stem.starts_with('_') {
        stem = format!("{slug}-{n}");
        n += 1;
    }
    stem
}

/// The source's default terms, then the item's categories: onto the
/// site's term of the same slug when there is one, else as tags.
fn terms(item: &Item, source: &SourceConfig, existing: &Existing) -> BTreeMap<String, Vec<String>> {
    let mut terms = source.terms.clone();
    for category in &item.categories {
        let (taxonomy, name) = match existing.terms.get(&crate::slug::slugify(category)) {
            Some((taxonomy, name)) => (taxonomy.clone(), name.clone()),
            None if existing.has_tags => ("tags".to_string(), category.clone()),
            None => continue,
        };
        let list = terms.entry(taxonomy).or_default();
        if !list.contains(&name) {
            list.push(name);
        }
    }
    terms
}

/// The page file for an item, its `source.hash` included.
fn page_text(
    item: &Item,
    source: &SourceConfig,
    feed: &str,
    date: &str,
    terms: &BTreeMap<String, Vec<String>>,
) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    let mut yaml = String::with_capacity(512 + item.body.len());
    let _ = writeln!(yaml, "---\ntitle: {}\ndate: {}", q(&item.title), q(date));
    if let Some(updated) = item.updated.map(|d| d.to_rfc3339()).filter(|u| u != date) {
        let _ = writeln!(yaml, "updated: {}", q(&updated));
    }
    if let Some(summary) = &item.summary {
        let _ = writeln!(yaml, "summary: {}", q(&shorten(summary, 400)));
    }
    if let Some(author) = &item.author {
        let _ = writeln!(yaml, "author: {}", q(author));
    }
    if !source.publish {
        yaml.push_str("draft: true\n");
    }
    for (taxonomy, names) in terms.iter().filter(|(_, n)| !n.is_empty()) {
        let list: Vec<String> = names.iter().map(|n| q(n)).collect();
        let _ = writeln!(yaml, "{taxonomy}: [{}]", list.join(", "));
    }
    let original = item.link.as_deref().unwrap_or(feed);
    let _ = writeln!(
        yaml,
        "source:\n  name: {}\n  url: {}",
        q(&source.name),
        q(original)
    );
    if crate::safe_url::is_web_url(feed) {
        let _ = writeln!(yaml, "  feed: {}", q(feed));
    }
    let _ = writeln!(yaml, "  guid: {}", q(&item.guid));
    if let Some(license) = &source.license {
        let _ = writeln!(yaml, "  license: {}", q(license));
    }
    if source.canonical == SourceCanonical::Own {
        yaml.push_str("  canonical: self\n");
    }
    let rest = format!("---\n\n{}\n", item.body);
    let hash = hex_hash(format!("{yaml}{rest}").as_bytes());
    format!("{yaml}{HASH_LINE}\"{}\"\n{rest}", &hash[..32])
}

/// The line that holds the import's hash, as written.
const HASH_LINE: &str = "  hash: ";

/// The page is as the import wrote it: its hash matches its text.
fn is_pristine(text: &str) -> bool {
    let Some(start) = text.find(&format!("\n{HASH_LINE}\"")) else {
        return false;
    };
    let line_start = start + 1;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |e| line_start + e + 1);
    let value = text[line_start + HASH_LINE.len()..line_end]
        .trim()
        .trim_matches('"');
    let without = format!("{}{}", &text[..line_start], &text[line_end..]);
    hex_hash(without.as_bytes()).get(..32) == Some(value)
}

fn hex_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed over it: a reader sees the old file or the new one, never half.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    let mut file = tempfile::NamedTempFile::new_in(&dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_data()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_knows_whether_it_was_edited() {
        let item = Item {
            guid: "g1".into(),
            title: "Title".into(),
            link: Some("https://example.org/1".into()),
            published: None,
            updated: None,
            summary: None,
            body: "Body".into(),
            categories: vec![],
            author: None,
        };
        let source = SourceConfig {
            name: "Agency".into(),
            url: "https://example.org/rss".into(),
            language: "en".into(),
            section: "news".into(),
            license: None,
            publish: false,
            canonical: SourceCanonical::Original,
            terms: BTreeMap::new(),
            images: Default::default(),
        };
        let text = page_text(
            &item,
            &source,
            "https://example.org/rss",
            "2025-01-01T00:00:00+00:00",
            &BTreeMap::new(),
        );
        assert!(is_pristine(&text), "{text}");
        assert!(!is_pristine(&text.replace("Body", "Body, edited")));
    }
}
