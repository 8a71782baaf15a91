//! Which pages a language needs, cut into units: the [`Exchange`] that
//! `vitrine i18n export` writes. Missing pages are all new work; for a
//! stale translation, the units whose source did not change since the
//! stamp are pre-filled with the existing translation (matched through the
//! unit snapshot kept at stamping), so only changed units are new work.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use similar::{Algorithm, DiffOp};

use super::pieces::{self, to_marked};
use super::segment::{Segmented, segment};
use super::{Exchange, PageWork, UnitState, WorkUnit};
use crate::content::{Document, TranslationStatus};
use crate::model::Site;
use crate::translation::coverage::{self, State};
use crate::translation::staleness;

/// Which pages to export.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    pub missing: bool,
    pub stale: bool,
    /// Every page that is not written in the language, translated ones too.
    pub all: bool,
}

impl Selection {
    /// Missing and stale, the work to do, when nothing is asked.
    pub fn or_default(self) -> Selection {
        if self.missing || self.stale || self.all {
            self
        } else {
            Selection {
                missing: true,
                stale: true,
                all: false,
            }
        }
    }
}

/// The pages of `lang` the selection asks for, in content order.
pub fn exchange(
    site: &Site,
    root: &Path,
    lang: &str,
    selection: Selection,
    section: Option<&str>,
) -> Exchange {
    let coverage = coverage::compute(site, root);
    let by_file: HashMap<&str, &Document> = site.documents.iter().map(|d| (d.file.as_str(), &**d)).collect();
    let mut pages = Vec::new();
    for row in &coverage.rows {
        let Some(cell) = row.languages.get(lang) else {
            continue;
        };
        if section.is_some_and(|s| s != row.section) || cell.state == State::Source {
            continue;
        }
        let missing = matches!(cell.state, State::Fallback | State::Missing);
        let stale = cell.stale.is_some();
        let wanted = selection.all || (selection.missing && missing) || (selection.stale && stale);
        let Some(source) = by_file.get(row.source_file.as_str()) else {
            continue;
        };
        if !wanted || !source.file.ends_with(".md") {
            continue;
        }
        let translation = if missing {
            None
        } else {
            cell.file.as_deref().and_then(|f| by_file.get(f)).copied()
        };
        let stamped = cell.stale.as_ref().map(|s| s.stamped_hash.as_str());
        pages.push(page_work(
            site,
            root,
            source,
            translation,
            stamped,
            lang,
            &row.source_hash,
            &row.section,
        ));
    }
    Exchange {
        source_language: pages_source_language(site, &coverage, lang),
        target_language: lang.to_string(),
        pages,
    }
}

/// The language most pages are translated from (XLIFF names one per file,
/// PO one per file too).
fn pages_source_language(site: &Site, coverage: &coverage::Coverage, lang: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &coverage.rows {
        if row.source_language != lang {
            *counts.entry(row.source_language.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or_else(|| site.config.default_language.clone(), |(l, _)| l.to_string())
}

#[allow(clippy::too_many_arguments)]
fn page_work(
    site: &Site,
    root: &Path,
    source: &Document,
    translation: Option<&Document>,
    stamped: Option<&str>,
    lang: &str,
    hash: &str,
    section: &str,
) -> PageWork {
    let seg = segment(source);
    let prefill = translation
        .map(|t| prefill(root, &seg, t, stamped))
        .unwrap_or_default();
    let prefilled_state = match translation
        .and_then(|t| t.front.rare().translation.as_ref())
        .map(|t| t.status)
    {
        Some(TranslationStatus::Reviewed) | None => UnitState::Reviewed,
        Some(TranslationStatus::Machine) => UnitState::Machine,
        Some(TranslationStatus::Draft) => UnitState::Translated,
    };
    let units = seg
        .units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let target = prefill.get(&i).cloned();
            WorkUnit {
                id: unit.id.clone(),
                source: unit.source.clone(),
                prefilled: target.is_some(),
                state: if target.is_some() {
                    prefilled_state
                } else {
                    UnitState::New
                },
                target,
                kind: unit.kind.clone(),
                heading: unit.heading.clone(),
                markup: seg.placeholders(i),
            }
        })
        .collect();
    PageWork {
        source_file: source.file.clone(),
        source_hash: hash.to_string(),
        url: url(site, source, lang),
        section: section.to_string(),
        units,
    }
}

/// Where readers of `lang` find the page (the source's address when the
/// language leaves it out).
fn url(site: &Site, source: &Document, lang: &str) -> String {
    let Some(entry) = site
        .entries
        .iter()
        .find(|e| std::ptr::eq(site.doc(e), source) && !e.is_fallback)
    else {
        return String::new();
    };
    site.groups[entry.group]
        .entries
        .get(lang)
        .map_or_else(|| entry.path.clone(), |&e| site.entries[e].path.clone())
}

/// Targets for the units unchanged since the translation's stamp (matched
/// through the stamped version's unit snapshot): unit index → the
/// translation's text of that unit.
fn prefill(
    root: &Path,
    seg: &Segmented,
    translation: &Document,
    stamped: Option<&str>,
) -> HashMap<usize, Vec<pieces::Piece>> {
    let theirs = segment(translation);
    let their_units: HashMap<&str, &super::segment::Unit> =
        theirs.units.iter().map(|u| (u.id.as_str(), u)).collect();
    // The stamped version's units, in the order the translation follows
    // (an import writes it unit for unit). A translation written by hand in
    // another shape, or without a snapshot, is not matched.
    let Some(old) = stamped
        .or(translation.front.rare().source_hash.as_deref())
        .and_then(|h| load_units(root, h))
    else {
        return HashMap::new();
    };
    let body_units = |ids: &mut dyn Iterator<Item = &str>| ids.filter(|id| id.starts_with('b')).count();
    if body_units(&mut old.iter().map(|(id, _)| id.as_str()))
        != body_units(&mut theirs.units.iter().map(|u| u.id.as_str()))
    {
        return HashMap::new();
    }
    let old_texts: Vec<&str> = old.iter().map(|(_, t)| t.as_str()).collect();
    let new_texts: Vec<String> = seg.units.iter().map(|u| to_marked(&u.source)).collect();
    let new_refs: Vec<&str> = new_texts.iter().map(String::as_str).collect();
    let mut old_ids = HashMap::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_texts, &new_refs) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                old_ids.insert(new_index + k, old[old_index + k].0.clone());
            }
        }
    }
    let mut out = HashMap::new();
    for (i, old_id) in old_ids {
        let Some(their) = their_units.get(old_id.as_str()) else {
            continue;
        };
        // A translation whose marks do not match its source's is not offered.
        if pieces::check(&seg.units[i].source, &their.source).is_ok() {
            out.insert(i, their.source.clone());
        }
    }
    out
}

/// The unit snapshot of a stamped source version: `(id, marked text)`.
fn units_path(root: &Path, hash: &str) -> PathBuf {
    root.join(staleness::SNAPSHOT_DIR)
        .join(format!("{hash}.units.json"))
}

/// Keeps the units of a source version, so a later export can tell which
/// units changed since a translation was stamped.
pub fn save_units(root: &Path, hash: &str, seg: &Segmented) -> std::io::Result<()> {
    let path = units_path(root, hash);
    if path.exists() {
        return Ok(());
    }
    let units: Vec<(&str, String)> = seg
        .units
        .iter()
        .map(|u| (u.id.as_str(), to_marked(&u.source)))
        .collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string_pretty(&units).map_err(std::io::Error::other)?;
    crate::translation::stamp::write_atomically(&path, &(json + "\n"))
}

fn load_units(root: &Path, hash: &str) -> Option<Vec<(String, String)>> {
    if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let text = std::fs::read_to_string(units_path(root, hash)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Where `--output DIR` puts a page's file: the source's path under
/// `content/`, with the language and the format's extension.
pub fn page_file(dir: &Path, page: &PageWork, lang: &str, extension: &str) -> PathBuf {
    let relative = page
        .source_file
        .strip_prefix("content/")
        .unwrap_or(&page.source_file);
    let stem = relative.strip_suffix(".md").unwrap_or(relative);
    dir.join(format!("{stem}.{lang}.{extension}"))
}
