//! A new model after front matter edits and new, renamed or deleted pages,
//! without the full pipeline: only the changed files are read, spliced into
//! the documents the served site was built from, the model is linked again
//! (a fraction of a second even at 50,000 pages), and every entry whose
//! Markdown cannot have changed takes its rendered body from the previous
//! bodies, and every entry whose view cannot have changed its view.
//!
//! An entry's Markdown depends on its file and the language it is shown in,
//! and on the URLs of the pages its `@/` links name. Bodies are therefore
//! reused by (file, language), not by entry id (ids shift when pages come
//! and go), unless the file changed or the body names a content path whose
//! URL moved.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::Basis;
use crate::changes::FileChange;
use crate::options::BuildOptions;
use std::sync::Arc;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_load::content::{self, CONTENT_DIR, Document, DocumentKind, Filter};
use vitrine_model::{self as model, EntryId, Site};
use vitrine_render::render::{Bodies, Prepared, Views};

/// Past this many moved content paths, every body with an `@/` link is
/// rendered again rather than searched for each path.
const MOVED_SEARCH_LIMIT: usize = 32;

/// What the new model was rendered from, and what changed to make it.
pub(super) struct Renewed {
    pub basis: Basis,
    /// The entries whose view is the previous one, as their inputs show.
    pub kept_views: Vec<bool>,
    /// Warnings of the changed files.
    pub diagnostics: Diagnostics,
    /// The files (`content/…`) read again, removed or added.
    pub changed: BTreeSet<String>,
    /// Content paths (kind, path) whose URL in some language moved or went.
    pub moved: BTreeSet<(DocumentKind, String)>,
    /// Markdown bodies rendered (the rest were reused).
    pub rendered: usize,
    /// The languages whose search index changes ([`search_reach`]).
    pub search_reach: BTreeSet<String>,
}

/// Builds the model, bodies and views of the site after `content` changed
/// (paths relative to `content/`). `tree`: folders came or went, so the
/// folder is listed again to find files that appeared or disappeared with
/// them. On error, `old` is untouched.
pub(super) fn renew(
    old: &Basis,
    options: &BuildOptions,
    content: &BTreeMap<String, FileChange>,
    tree: bool,
) -> Result<Renewed, Diagnostics> {
    let config = &old.site().config;
    let mut paths = content.clone();
    // Synthesized sections (folders without `_index`) are the model's own
    // addition: it adds them again.
    // Documents are shared with the old model, not copied.
    let mut docs: Vec<Arc<Document>> = old
        .site()
        .documents
        .iter()
        .filter(|d| !d.synthesized)
        .cloned()
        .collect();
    if tree {
        let (listed, problems) = content::files(config);
        if problems.has_errors() {
            return Err(problems);
        }
        let listed: BTreeSet<String> = listed.into_iter().collect();
        let known: BTreeSet<String> = docs
            .iter()
            .filter_map(|d| d.file.strip_prefix(&format!("{CONTENT_DIR}/")))
            .map(str::to_string)
            .collect();
        for path in listed.difference(&known) {
            paths.entry(path.clone()).or_insert(FileChange::Written);
        }
        for path in known.difference(&listed) {
            paths.insert(path.clone(), FileChange::Removed);
        }
    }
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let mut errors = Diagnostics::new();
    let mut changed = BTreeSet::new();
    for (path, change) in &paths {
        let file = format!("{CONTENT_DIR}/{path}");
        if let Some(at) = docs.iter().position(|d| d.file == file) {
            docs.remove(at);
        }
        changed.insert(file);
        // A save by delete-and-rename may be seen half done: what counts
        // is whether the file is there now.
        let exists = config.root.join(CONTENT_DIR).join(path).is_file();
        if *change == FileChange::Removed || !exists {
            continue;
        }
        match content::read_one(config, &filter, path) {
            Ok(Some(doc)) => {
                let at = docs.partition_point(|d| content::file_order(&d.file, &doc.file).is_lt());
                docs.insert(at, Arc::new(doc));
            }
            // A draft, scheduled or expired page: not built.
            Ok(None) => {}
            Err(e) => errors.extend(e),
        }
    }
    if errors.has_errors() {
        errors.sort();
        return Err(errors);
    }
    let services = old.prepared.services.clone();
    let collate = |lang: &str, a: &str, b: &str| services.cldr.compare(lang, a, b);
    let mut site = model::build(config.clone(), docs, old.site().data.clone(), &collate)?;
    // Notices change only by a full rebuild (see `Rebuilder::rebuild`).
    site.notices = old.site().notices.clone();
    site.next_change = old.site().next_change;
    let moved = moved_paths(old.site(), &site);
    let reuse = reusable_bodies((old.site(), &old.prepared.bodies), &site, &changed, &moved);
    let rendered = reuse.iter().filter(|r| r.is_none()).count();
    let (bodies, diagnostics) = Bodies::render(&site, &services, Some((&old.prepared.bodies, &reuse)));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let related = Views::related(&site);
    let kept_views: Vec<bool> = (0..site.entries.len())
        .into_par_iter()
        .map(|id| same_view(old.site(), &old.views.related, (&site, &related), &reuse, id))
        .collect();
    let prepared = Prepared {
        site: Arc::new(site),
        services,
        bodies: Arc::new(bodies),
    };
    let search_reach = search_reach(&old.prepared, &prepared, &reuse);
    let basis = Basis::holding_none(prepared, related);
    Ok(Renewed {
        basis,
        kept_views,
        diagnostics,
        changed,
        moved,
        rendered,
        search_reach,
    })
}

/// The languages whose search index differs between `old` and `new`:
/// those with an indexed page whose Markdown was rendered again (its
/// terms and excerpt may differ; `reuse` says which), and those whose
/// index outline changed ([`vitrine_search::index::outline`]: a page
/// came, went or moved, its title, date or translations changed). A new
/// article leaves the other languages' indexes as they are.
fn search_reach(old: &Prepared, new: &Prepared, reuse: &[Option<EntryId>]) -> BTreeSet<String> {
    let site = &new.site;
    let mut langs: BTreeSet<String> = site
        .entries
        .iter()
        .zip(reuse)
        .filter(|(e, reused)| reused.is_none() && vitrine_search::indexed(site, e))
        .map(|(e, _)| e.lang.clone())
        .collect();
    let (before, after) = (old.search_input(), new.search_input());
    let others: Vec<&str> = site
        .config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|code| !langs.contains(*code))
        .collect();
    let outline = vitrine_search::index::outline;
    let changed: Vec<&str> = others
        .into_par_iter()
        .filter(|lang| outline(&before, lang) != outline(&after, lang))
        .collect();
    langs.extend(changed.into_iter().map(str::to_string));
    langs
}

/// Where each content path leads in each language: the URL an `@/` link
/// to it resolves to.
fn resolutions(site: &Site) -> HashMap<(DocumentKind, &str, &str), &str> {
    let mut map = HashMap::new();
    for ((kind, path), &group) in &site.by_content_path {
        for (lang, &id) in &site.groups[group].entries {
            map.insert(
                (*kind, path.as_str(), lang.as_str()),
                site.entries[id].path.as_str(),
            );
        }
    }
    map
}

/// Content paths whose URL in some language differs in `new` or is gone.
/// Paths that only appeared cannot change a link that resolved before.
fn moved_paths(old: &Site, new: &Site) -> BTreeSet<(DocumentKind, String)> {
    let before = resolutions(old);
    let after = resolutions(new);
    before
        .iter()
        .filter(|(key, url)| after.get(*key) != Some(*url))
        .map(|((kind, path, _), _)| (*kind, (*path).to_string()))
        .collect()
}

/// Whether a body may link to one of the moved content paths.
fn links_to_moved(body: &str, moved: &BTreeSet<(DocumentKind, String)>) -> bool {
    if moved.is_empty() || !body.contains("@/") {
        return false;
    }
    moved.len() > MOVED_SEARCH_LIMIT
        || moved.iter().any(|(_, path)| {
            if path.is_empty() {
                body.contains("_index")
            } else {
                body.contains(path.as_str())
            }
        })
}

/// For each entry of `new`, the entry of `old` whose rendered Markdown it
/// can take over: same file shown in the same language, the file not
/// changed, and no link in it to a page that moved.
fn reusable_bodies(
    (old, old_bodies): (&Site, &Bodies),
    new: &Site,
    changed: &BTreeSet<String>,
    moved: &BTreeSet<(DocumentKind, String)>,
) -> Vec<Option<EntryId>> {
    let by_key: HashMap<(&str, &str), EntryId> = old
        .entries
        .iter()
        .enumerate()
        .map(|(id, e)| ((old.doc(e).file.as_str(), e.lang.as_str()), id))
        .collect();
    // On all cores: after a move, every file that may link is read.
    new.entries
        .par_iter()
        .map(|e| {
            let doc = new.doc(e);
            if changed.contains(&doc.file) {
                return None;
            }
            let kept = by_key.get(&(doc.file.as_str(), e.lang.as_str())).copied()?;
            // The Markdown is read (from the file, where the load left it)
            // only when a page moved and it may link to one. One that
            // cannot be read is rendered again, which reports why.
            if !moved.is_empty() && old_bodies[kept].may_link {
                match doc.read_body(&new.config.root) {
                    Ok(body) if !links_to_moved(&body, moved) => {}
                    _ => return None,
                }
            }
            Some(kept)
        })
        .collect()
}

/// Whether the template view of `new`'s entry `id` is the view its entry
/// in `old` had: the same URL, text (file, Markdown) and place (parent,
/// neighbours, related pages), and none of the pages it shows a title or
/// summary of changed. Sections count as changed (few, and they show page
/// counts). `related` gives each model's related pages.
fn same_view(
    os: &Site,
    related_before: &[Vec<EntryId>],
    (ns, related_now): (&Site, &[Vec<EntryId>]),
    reuse: &[Option<EntryId>],
    id: EntryId,
) -> bool {
    let e = &ns.entries[id];
    let Some(o) = reuse[id] else {
        return false;
    };
    let before = &os.entries[o];
    if e.is_section() || before.path != e.path || before.is_fallback != e.is_fallback {
        return false;
    }
    // Whether a page this one links to (title, summary, date) is as before.
    let same = |a: Option<EntryId>, b: Option<EntryId>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => reuse[b].is_some_and(|r| r == a) && os.entries[a].path == ns.entries[b].path,
        _ => false,
    };
    let same_ancestors = {
        let (mut a, mut b) = (before.parent, e.parent);
        loop {
            if !same(a, b) {
                break false;
            }
            match (a, b) {
                (Some(x), Some(y)) => (a, b) = (os.entries[x].parent, ns.entries[y].parent),
                _ => break true,
            }
        }
    };
    let (related_before, related) = (&related_before[o], &related_now[id]);
    same_ancestors
        && same(before.previous, e.previous)
        && same(before.next, e.next)
        && related_before.len() == related.len()
        && related_before
            .iter()
            .zip(related)
            .all(|(&a, &b)| same(Some(a), Some(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodies_naming_a_moved_path_are_rendered_again() {
        let moved: BTreeSet<(DocumentKind, String)> =
            [(DocumentKind::Page, "news/summit".to_string())].into();
        assert!(links_to_moved("See [it](@/news/summit.md).", &moved));
        assert!(!links_to_moved("See [it](@/news/visit.md).", &moved));
        assert!(!links_to_moved("No links to news/summit here.", &moved));
        assert!(!links_to_moved("See [it](@/news/summit.md).", &BTreeSet::new()));
    }
}
