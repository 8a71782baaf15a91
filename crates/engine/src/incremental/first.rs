//! The first part of a structural rebuild, published at once: the edited
//! pages themselves. Linking the model again takes a second or more on a
//! national portal, and the editor is looking at the page they changed.
//! So before it, a page whose front matter changed (its URL kept) is
//! rendered from the served model with its new text, and a deleted page
//! that has no translations is taken down; the structural rebuild
//! ([`super::restructure`]) follows at once, in [`Rebuilder::follow_up`],
//! and brings the lists, feeds, neighbours and the page itself up to date.
//!
//! What is published first shows the page's own text at once; what it
//! shows of other pages (its neighbours, related pages, latest lists) may
//! lag for the second until the rebuild, which renders the page again.
//! The served model is given back exactly as it was: that rebuild finds
//! what to render by comparing the new model with the one the other served
//! files were rendered from, so its result is exactly a clean build's.

use super::{Rebuilder, Rebuilt, Rest, Served, Update};
use crate::changes::{Changes, FileChange};
use crate::options::BuildOptions;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_load::content::{self as content_files, Document, DocumentKind, Filter};
use vitrine_model::{self as model, DocId, EntryId, Site};
use vitrine_output::OutputFile;
use vitrine_render::render::{self, Bodies, ForeignMessages, Job, Prepared, Views};

/// What publishing a changed file first means.
enum First {
    /// A page's new text, at the URL it had: render its entries with it.
    Edited { doc: DocId, text: Box<Document> },
    /// A page that was not in the site.
    New { text: Box<Document> },
    /// A page gone (deleted, now a draft or scheduled) with no translation
    /// to fall back to: its entries' pages are taken down.
    Gone { doc: DocId },
    /// A new page published first, gone before the model took it in.
    Unpublished { file: String },
}

/// The files of a new page published first, which the model lacks.
#[derive(Debug, Clone)]
pub(super) struct Preview {
    pub paths: Vec<String>,
    /// No other page shares its translation group: taking it down leaves
    /// no fallback copy to show in its place.
    alone: bool,
}

impl Rebuilder {
    /// Publishes the pages a structural change edits or removes, when every
    /// changed file allows it, and leaves the structural rebuild to
    /// follow. `None`: the change needs the model linked first (a new page,
    /// a section, a changed URL, folders), or the page does not render (the
    /// structural rebuild then reports why).
    pub(super) fn own_pages_first(&mut self, changes: &Changes) -> Option<Rebuilt> {
        // Saves made before the structural rebuild of the last ones ran
        // are published first too; that rebuild then takes them all.
        let pending = matches!(self.served, Served::FollowUp(Rest::Structure(_)));
        let settled = self.unapplied.is_empty()
            && matches!(self.served, Served::Fresh | Served::FollowUp(Rest::SearchIn(_)));
        let quiet = !changes.content_tree && !changes.templates && changes.static_files.is_empty();
        if !(quiet && (pending || settled)) {
            return None;
        }
        let site = self.basis.as_ref()?.site();
        let firsts = changes
            .content
            .iter()
            .map(|(path, change)| first(site, &self.options, &self.previewed, path, *change))
            .collect::<Option<Vec<First>>>()?;
        let rebuilt = self.publish_first(firsts)?;
        self.unapplied
            .extend(changes.content.iter().map(|(p, c)| (p.clone(), *c)));
        // The structural rebuild follows, then the search indexes it
        // reaches and those still owed.
        let owed = match std::mem::replace(&mut self.served, Served::Fresh) {
            Served::FollowUp(Rest::SearchIn(owed) | Rest::Structure(owed)) => owed,
            _ => Default::default(),
        };
        self.served = Served::FollowUp(Rest::Structure(owed));
        Some(rebuilt)
    }

    /// Renders the edited pages with their new text and lists the gone
    /// pages' files, then gives the served model its previous text back.
    fn publish_first(&mut self, firsts: Vec<First>) -> Option<Rebuilt> {
        let basis = self.basis.as_mut()?;
        let prepared = &mut basis.prepared;
        let mut removed = Vec::new();
        let mut previous: Vec<(DocId, Arc<Document>)> = Vec::new();
        let mut new = Vec::new();
        for first in firsts {
            match first {
                First::New { text } => new.push(*text),
                First::Gone { doc } => {
                    let site = &prepared.site;
                    removed.extend(entries_of(site, doc).map(|e| render::job_file(site, &Job::Entry(e))));
                }
                First::Unpublished { file } => {
                    removed.extend(self.previewed.remove(&file).into_iter().flat_map(|p| p.paths));
                }
                First::Edited { doc, text } => {
                    let site = Arc::make_mut(&mut prepared.site);
                    previous.push((doc, std::mem::replace(&mut site.documents[doc], Arc::new(*text))));
                }
            }
        }
        let ids: Vec<EntryId> = previous
            .iter()
            .flat_map(|(doc, _)| entries_of(&prepared.site, *doc))
            .collect();
        let kept = prepared.bodies.of(&ids);
        let rendered = (|| -> Result<_, Diagnostics> {
            let bodies = Arc::make_mut(&mut prepared.bodies);
            bodies.refresh(&prepared.site, &prepared.services, &ids)?;
            Arc::make_mut(&mut basis.views).refresh_entries(&prepared.site, &prepared.services, bodies, &ids);
            let templates = render::load_templates(prepared, &basis.views)?;
            let jobs: Vec<Job> = ids.iter().map(|&e| Job::Entry(e)).collect();
            let rendered = render::render_jobs(&prepared.input(&basis.views), &templates, &jobs);
            if rendered.diagnostics.has_errors() {
                return Err(rendered.diagnostics);
            }
            Ok(rendered)
        })();
        // The previous text back, and what was made from it (not rendered
        // again: the file holds the new text now).
        let site = Arc::make_mut(&mut prepared.site);
        for (doc, text) in previous {
            site.documents[doc] = text;
        }
        let bodies = Arc::make_mut(&mut prepared.bodies);
        bodies.put_back(&ids, kept);
        Arc::make_mut(&mut basis.views).refresh_entries(&prepared.site, &prepared.services, bodies, &ids);
        let rendered = rendered.ok()?;
        let (mut files, mut diagnostics) = (rendered.files, rendered.diagnostics);
        self.noted.extend(rendered.foreign);
        if !new.is_empty() {
            let (previews, notes, previewed, foreign) = preview_new(prepared, new)?;
            self.noted.extend(foreign);
            files.extend(previews);
            diagnostics.extend(notes);
            for (file, preview) in previewed {
                // Saved again with another slug: the old address goes.
                let old = self.previewed.insert(file, preview.clone());
                let stale = old.into_iter().flat_map(|p| p.paths);
                removed.extend(stale.filter(|p| !preview.paths.contains(p)));
            }
        }
        Some(Rebuilt {
            pages: files.len(),
            update: Update::Patch { files, removed },
            scope: "own pages first",
            detail: Some("lists follow".to_string()),
            diagnostics,
        })
    }
}

/// How the file at `path` (relative to `content/`) can be published
/// first, if it can.
fn first(
    site: &Site,
    options: &BuildOptions,
    previewed: &BTreeMap<String, Preview>,
    path: &str,
    change: FileChange,
) -> Option<First> {
    let file = format!("{}/{path}", content_files::CONTENT_DIR);
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let exists = site.config.root.join(&file).is_file();
    let text = if change == FileChange::Removed || !exists {
        None
    } else {
        content_files::read_one(&site.config, &filter, path).ok()?
    };
    let Some(doc) = site.documents.iter().position(|d| d.file == file) else {
        return match text {
            // A new page (a new section or term changes lists and URLs).
            Some(text) => (text.kind == DocumentKind::Page).then(|| First::New { text: Box::new(text) }),
            None => previewed
                .get(&file)
                .filter(|p| p.alone)
                .map(|_| First::Unpublished { file }),
        };
    };
    let before = &site.documents[doc];
    if before.kind != DocumentKind::Page {
        return None;
    }
    match text {
        // Same file, so same language, section and stem: same URL unless
        // the slug changed.
        Some(text) if text.kind == before.kind && text.front.slug == before.front.slug => {
            Some(First::Edited {
                doc,
                text: Box::new(text),
            })
        }
        Some(_) => None,
        // Its translations would take its place by fallback.
        None if has_translations(site, doc) => None,
        None => Some(First::Gone { doc }),
    }
}

/// The entries showing document `doc`: its own and its fallback copies.
fn entries_of(site: &Site, doc: DocId) -> impl Iterator<Item = EntryId> + '_ {
    (0..site.entries.len()).filter(move |&e| site.entries[e].doc == doc)
}

/// Whether another document shares `doc`'s translation group.
fn has_translations(site: &Site, doc: DocId) -> bool {
    entries_of(site, doc)
        .flat_map(|e| site.groups[site.entries[e].group].entries.values())
        .any(|&e| site.entries[e].doc != doc)
}

/// Renders new pages from a small model: the site's sections and terms,
/// the new pages and their translations. Their URLs, sections, ancestors
/// and translations are as the full model will have them; their
/// neighbours and related pages are not, until the structural rebuild.
/// `None` when that model does not link (the rebuild reports why) or a new
/// page would take the URL of a served one. Also says which files each new
/// page wrote.
fn preview_new(prepared: &Prepared, texts: Vec<Document>) -> Option<Previewed> {
    let site = &prepared.site;
    let group = |d: &Document| match &d.front.rare().translation_key {
        Some(key) => (d.kind, format!("key:{key}")),
        None => (d.kind, format!("path:{}", d.content_path)),
    };
    let groups: HashSet<_> = texts.iter().map(group).collect();
    let new_files: HashSet<String> = texts.iter().map(|d| d.file.clone()).collect();
    let mut docs: Vec<Arc<Document>> = site
        .documents
        .iter()
        .filter(|d| !d.synthesized && (d.kind != DocumentKind::Page || groups.contains(&group(d))))
        .cloned()
        .map(|mut d| {
            // Featured pages are mostly missing here; sections' lists are
            // not what is previewed.
            if !d.front.rare().featured.is_empty() {
                Arc::make_mut(&mut d).front.rare_mut().featured.clear();
            }
            d
        })
        .collect();
    for text in texts {
        let at = docs.partition_point(|d| content_files::file_order(&d.file, &text.file).is_lt());
        docs.insert(at, Arc::new(text));
    }
    let services = prepared.services.clone();
    let collate = |lang: &str, a: &str, b: &str| services.cldr.compare(lang, a, b);
    let mut small = model::build(site.config.clone(), docs, site.data.clone(), &collate).ok()?;
    small.notices = site.notices.clone();
    small.next_change = site.next_change;
    let ids: Vec<EntryId> = (0..small.entries.len())
        .filter(|&e| new_files.contains(&small.doc(&small.entries[e]).file))
        .collect();
    let served: HashSet<&str> = site.entries.iter().map(|e| e.path.as_str()).collect();
    if ids
        .iter()
        .any(|&e| served.contains(small.entries[e].path.as_str()))
    {
        return None;
    }
    let (bodies, mut diagnostics) = Bodies::render(&small, &services, None);
    if diagnostics.has_errors() {
        return None;
    }
    let views = Arc::new(Views::build(&small, &services, &bodies));
    let small = Prepared {
        site: Arc::new(small),
        services,
        bodies: Arc::new(bodies),
    };
    let templates = render::load_templates(&small, &views).ok()?;
    let jobs: Vec<Job> = ids.iter().map(|&e| Job::Entry(e)).collect();
    let rendered = render::render_jobs(&small.input(&views), &templates, &jobs);
    diagnostics.extend(rendered.diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    Some((
        rendered.files,
        diagnostics,
        previews(&small.site, &ids),
        rendered.foreign,
    ))
}

/// The files of new pages rendered first, with their content files, and
/// those showing other languages' messages.
type Previewed = (
    Vec<OutputFile>,
    Diagnostics,
    Vec<(String, Preview)>,
    ForeignMessages,
);

/// Which files each new page's entries (`ids`, in the small model) wrote,
/// by content file, and whether the page is alone in its group.
fn previews(small: &Site, ids: &[EntryId]) -> Vec<(String, Preview)> {
    let mut by_file: BTreeMap<String, Preview> = BTreeMap::new();
    for &e in ids {
        let entry = &small.entries[e];
        let preview = by_file.entry(small.doc(entry).file.clone()).or_insert(Preview {
            paths: Vec::new(),
            alone: true,
        });
        preview.paths.push(render::job_file(small, &Job::Entry(e)));
        let group = small.groups[entry.group].entries.values();
        preview.alone &= group
            .into_iter()
            .all(|&other| small.entries[other].doc == entry.doc);
    }
    by_file.into_iter().collect()
}
