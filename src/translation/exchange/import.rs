//! Taking translators' files back: every file is read and every unit
//! checked (the page's source version, unit ids, placeholders) before
//! anything is written; then each page's `<slug>.<lang>.md` is written
//! atomically, rebuilt around the translated text, with its own front
//! matter kept, `source_hash` stamped and `translation.status` set from the
//! units' states.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::pieces::{self, Piece, to_marked};
use super::segment::{Field, Segmented, segment};
use super::{Exchange, PageWork, UnitState, front};
use crate::content::{Document, TranslationStatus, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::translation::{staleness, stamp};

/// A translation ready to be written.
#[derive(Debug)]
pub struct Planned {
    /// Relative to the site root.
    pub file: String,
    pub text: String,
    pub status: TranslationStatus,
    /// Units left in the source language (not translated in the file).
    pub untranslated: usize,
    source: usize,
    seg: Segmented,
    hash: String,
}

/// Reads and checks `files`; the translations to write, or every problem.
pub fn plan(site: &Site, root: &Path, files: &[PathBuf], force: bool) -> Result<Vec<Planned>, Diagnostics> {
    let mut errors = Diagnostics::new();
    let mut planned: Vec<Planned> = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::error(format!("cannot read the file: {e}")).in_file(&shown));
                continue;
            }
        };
        let exchange = match super::parse(&bytes) {
            Ok(x) => x,
            Err(e) => {
                errors.push(
                    Diagnostic::error(e.message)
                        .in_file(&shown)
                        .at_line(e.line.max(1), e.column.max(1))
                        .with_hint("the file is not valid XLIFF or PO: save it again from the translation tool, or export again"),
                );
                continue;
            }
        };
        for page in &exchange.pages {
            match plan_page(site, root, &exchange, page, force) {
                Ok(p) => planned.push(p),
                Err(d) => errors.push(d.in_file(&shown)),
            }
        }
    }
    let mut seen = HashSet::new();
    for p in &planned {
        if !seen.insert(p.file.clone()) {
            errors.push(
                Diagnostic::error(format!("`{}` is translated twice in these files", p.file))
                    .with_hint("import one file per page and language"),
            );
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    }
}

fn plan_page(
    site: &Site,
    root: &Path,
    ex: &Exchange,
    page: &PageWork,
    force: bool,
) -> Result<Planned, Diagnostic> {
    let lang = ex.target_language.as_str();
    if !site.config.is_language(lang) {
        return Err(Diagnostic::error(format!(
            "`{lang}` (the file's target language) is not a language of the site"
        ))
        .with_hint("set the target language to one of site.yaml's languages"));
    }
    let source_index = site
        .documents
        .iter()
        .position(|d| d.file == page.source_file)
        .ok_or_else(|| {
            Diagnostic::error(format!("`{}` is not a page of the site", page.source_file))
                .with_hint("was the page moved or renamed? export it again")
        })?;
    let source = &site.documents[source_index];
    if source.lang == lang {
        return Err(Diagnostic::error(format!(
            "`{}` is already written in `{lang}`",
            source.file
        )));
    }
    let seg = segment(source);
    let current = staleness::source_hash(source);
    let index: HashMap<&str, usize> = seg
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let mut targets: Vec<Option<Vec<Piece>>> = vec![None; seg.units.len()];
    let mut states = Vec::new();
    let mut all_matched = page.source_hash == current;
    for unit in &page.units {
        let at = |m: String| format!("unit `{}` of {}: {m}", unit.id, page.source_file);
        let Some(&i) = index.get(unit.id.as_str()) else {
            if force {
                all_matched = false;
                continue;
            }
            return Err(
                Diagnostic::error(at("the current source has no such unit".into()))
                    .with_hint("the source changed since the export: export again, or import with --force"),
            );
        };
        let unchanged = to_marked(&unit.source) == to_marked(&seg.units[i].source);
        if page.source_hash != current && !force {
            let what = if unchanged { "the page" } else { "this unit" };
            return Err(Diagnostic::error(at(format!(
                "the source changed since the export ({what}; exported from version {}, now {current})",
                page.source_hash
            )))
            .with_hint("export the page again and carry the translation over, or import with --force"));
        }
        if !unchanged {
            if !force {
                return Err(
                    Diagnostic::error(at("the source text in the file was edited".into()))
                        .with_hint("translate in the target only; export again for a fresh file"),
                );
            }
            all_matched = false;
        }
        let Some(target) = unit.target.as_ref().filter(|_| unit.state != UnitState::New) else {
            continue;
        };
        pieces::check(&seg.units[i].source, target).map_err(|e| {
            Diagnostic::error(at(e.to_string())).with_hint(
                "restore the tags of the source (<1>…</1>, <2/>, or the tool's inline tags) in the target",
            )
        })?;
        if seg.units[i].field().is_some() && target.iter().any(|p| !matches!(p, Piece::Text(_))) {
            return Err(Diagnostic::error(at("front matter text cannot hold tags".into())));
        }
        targets[i] = Some(pieces::normalise(target.clone()));
        states.push(unit.state);
    }
    let untranslated = targets.iter().filter(|t| t.is_none()).count();
    let status = if states.contains(&UnitState::Machine) {
        TranslationStatus::Machine
    } else if untranslated == 0 && states.iter().all(|s| *s == UnitState::Reviewed) {
        TranslationStatus::Reviewed
    } else {
        TranslationStatus::Draft
    };
    let existing = translation_of(site, source_index, lang);
    let file = existing.map_or_else(|| new_file_name(source, lang), |d| d.file.clone());
    let hash = if all_matched {
        current
    } else {
        page.source_hash.clone()
    };
    let text = compose(root, source, existing, &seg, &targets, status, &hash)?;
    Ok(Planned {
        file,
        text,
        status,
        untranslated,
        source: source_index,
        seg,
        hash,
    })
}

/// The existing translation of the source's page into `lang`.
fn translation_of<'a>(site: &'a Site, source: usize, lang: &str) -> Option<&'a Document> {
    let entry = site.entries.iter().find(|e| e.doc == source && !e.is_fallback)?;
    let &e = site.groups[entry.group].entries.get(lang)?;
    let e = &site.entries[e];
    (!e.is_fallback && site.documents[e.doc].lang == lang && site.documents[e.doc].file.ends_with(".md"))
        .then(|| &*site.documents[e.doc])
}

/// `content/culture/ao-dai.md` → `content/culture/ao-dai.fr.md` (and
/// `ao-dai.en.md` → `ao-dai.fr.md` for a page written in English).
fn new_file_name(source: &Document, lang: &str) -> String {
    let base = source.file.strip_suffix(".md").unwrap_or(&source.file);
    let base = base.strip_suffix(&format!(".{}", source.lang)).unwrap_or(base);
    format!("{base}.{lang}.md")
}

fn compose(
    root: &Path,
    source: &Document,
    existing: Option<&Document>,
    seg: &Segmented,
    targets: &[Option<Vec<Piece>>],
    status: TranslationStatus,
    hash: &str,
) -> Result<String, Diagnostic> {
    let read = |doc: &Document| {
        std::fs::read_to_string(root.join(&doc.file))
            .map_err(|e| Diagnostic::error(format!("cannot read the file: {e}")).in_file(&doc.file))
    };
    let raw = read(existing.unwrap_or(source))?;
    let split = front_matter::split(&raw).map_err(|d| d.in_file(&existing.unwrap_or(source).file))?;
    let mut yaml = split.yaml.replace("\r\n", "\n");
    if !yaml.is_empty() && !yaml.ends_with('\n') {
        yaml.push('\n');
    }
    if existing.is_none() {
        // The source's own bookkeeping is not the translation's.
        for key in ["source_hash", "translation", "source_language"] {
            yaml = front::remove(&yaml, key);
        }
    }
    for (unit, target) in seg.units.iter().zip(targets) {
        let (Some(field), Some(target)) = (unit.field(), target) else {
            continue;
        };
        let text = pieces::plain(target);
        let value = if field == Field::Slug {
            if *target == unit.source && existing.is_none() {
                continue;
            }
            crate::slug::slugify(&text)
        } else {
            text
        };
        if value.is_empty() {
            continue;
        }
        yaml = front::set(
            &yaml,
            field.key(),
            &format!("{}: {}", field.key(), front::yaml_string(&value)),
        );
    }
    let by = existing
        .and_then(|d| d.front.rare().translation.as_ref())
        .and_then(|t| t.by.as_deref());
    yaml = front::set(&yaml, "translation", &front::translation_entry(status, by));
    let text = format!("---\n{yaml}---\n{}", seg.render_body(targets));
    Ok(stamp::set_source_hash(&text, hash).unwrap_or(text))
}

/// Writes the planned translations, each atomically, and keeps the
/// snapshots of the source versions they were stamped with.
pub fn write(site: &Site, root: &Path, planned: &[Planned]) -> Result<(), Diagnostic> {
    for p in planned {
        let source = &site.documents[p.source];
        if p.hash == staleness::source_hash(source) {
            let saved = staleness::save_snapshot(root, &staleness::paragraphs(source))
                .and_then(|_| super::export::save_units(root, &p.hash, &p.seg));
            saved.map_err(|e| {
                Diagnostic::error(format!("cannot save the source snapshot: {e}"))
                    .with_hint(format!("check that {} is writable", staleness::SNAPSHOT_DIR))
            })?;
        }
        let path = root.join(&p.file);
        stamp::write_atomically(&path, &p.text)
            .map_err(|e| Diagnostic::error(format!("cannot write the translation: {e}")).in_file(&p.file))?;
    }
    Ok(())
}

/// The body of a Markdown file (after its front matter), for tests and checks.
pub fn body_of(text: &str) -> Option<&str> {
    front_matter::split(text).ok().map(|s| s.body)
}
