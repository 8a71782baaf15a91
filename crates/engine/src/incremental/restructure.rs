//! The rebuild after a structural content change (front matter, new,
//! renamed or deleted pages): a new model from the changed files
//! ([`super::content`]), the outputs it changes ([`render::rerender`]) rendered,
//! then the other outputs that show pages (feeds, sitemap, aliases). The
//! pagers past the first page of their list follow, a language at a time
//! ([`LaterPages`]), then the search index, in [`Rebuilder::follow_up`].
//! The previous model stays in place until the new one rendered without
//! error.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{Basis, LaterPages, Rebuilder, Rebuilt, Update, content};
use crate::changes::Changes;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_model::Site;
use vitrine_render::render::{self, Job};

impl Rebuilder {
    /// Rebuilds the model from the changed content files and renders what
    /// the change reaches. On error the served model is kept and the files
    /// are remembered for the next rebuild.
    pub(super) fn restructure(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let Some(old) = self.basis.clone() else {
            return self.full();
        };
        let mut files = std::mem::take(&mut self.unapplied);
        files.extend(changes.content.iter().map(|(p, c)| (p.clone(), *c)));
        let result = self.publish_renewed(&old, &files, changes);
        if result.is_err() {
            self.unapplied = files;
        }
        // Freeing the previous model takes a second on a large site: not
        // while the editor waits.
        std::thread::spawn(move || drop(old));
        result
    }

    fn publish_renewed(
        &mut self,
        old: &Basis,
        files: &BTreeMap<String, super::FileChange>,
        changes: &Changes,
    ) -> Result<Rebuilt, Diagnostics> {
        let renewed = content::renew(old, &self.options, files, changes.content_tree)?;
        let mut new = renewed.basis;
        let mut diagnostics = renewed.diagnostics;
        let prepared = &new.prepared;
        let templates = render::load_templates(prepared, &new.views)?;
        let plan = render::rerender(
            &old.input(),
            &new.input(),
            &renewed.changed,
            &renewed.moved,
            &renewed.kept_views,
            &self.reads,
            &templates,
        );
        if plan.everything || self.served.lags() || changes.templates {
            drop(templates);
            let (files, diagnostics) = self.render_all(prepared, diagnostics)?;
            self.basis = Some(new);
            self.served = super::Served::Fresh;
            let mut rebuilt = self.replace(files, "content, every page", diagnostics);
            rebuilt.detail = Some(format!(
                "model rebuilt, Markdown of {} entries rendered",
                renewed.rendered
            ));
            return Ok(rebuilt);
        }
        // Pages owed by the last rebuild are rendered with this one's; the
        // pagers past the first follow it ([`LaterPages`]).
        let owed = self.later.files(old.site());
        let all = render::Plan::of(&prepared.site, &templates);
        drop(templates);
        let (later, now) = match self.at_once {
            true => (Vec::new(), plan.jobs),
            false => seen_first(plan.jobs, &all.pages, &owed, &prepared.site),
        };
        let others = all.others;
        // The edited pages' language last: its views stay held.
        let site = new.prepared.site.clone();
        let edited = site
            .entries
            .iter()
            .find(|e| !e.is_fallback && renewed.changed.contains(&site.doc(e).file))
            .map_or(new.views.language.clone(), |e| Some(e.lang.clone()));
        // The other outputs that show pages (feeds, sitemap, aliases) read
        // the model, not the views: made while the pages render, which
        // leaves a core idle as each language's views are built. Each is
        // made again (by language where it is), and those of the previous
        // model that are gone are removed.
        let langs = &plan.langs;
        let model = new.prepared.clone();
        let (rendered, made) = rayon::join(
            || new.render_jobs(&now, edited.as_deref(), &mut self.noted),
            || {
                let made = others.into_iter().filter(|o| o.shows_content()).map(|other| {
                    let files = other.make_in(&model, |lang| langs.contains(lang));
                    (files, gone(other.paths(&old.prepared), other.paths(&model)))
                });
                made.collect::<Vec<_>>()
            },
        );
        let (mut out, render_diags) = rendered?;
        diagnostics.extend(render_diags);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let pages = out.len();
        let mut removed = plan.removed;
        for (files, gone) in made {
            out.extend(files);
            removed.extend(gone);
        }
        let prepared = &new.prepared;
        // Images a new or changed page asked for (the store keeps every
        // request of the session).
        let (images, _) = prepared.services.images.finish(false)?;
        out.extend(images);
        let bundles = renewed.changed.iter().any(|f| is_bundle_file(f));
        // The indexes the change reaches: a translation added or removed
        // changes every language whose page lists it, a new article its
        // own language's only.
        self.served.search_follows(renewed.search_reach);
        self.later = LaterPages::of(later, edited.as_deref());
        self.basis = Some(new);
        if bundles
            && let Update::Patch {
                files: copies,
                removed: gone,
            } = self.restatic().update
        {
            out.extend(copies);
            removed.extend(gone);
        }
        // New pages published first and gone since: their files go.
        if let Some(basis) = self.basis.as_ref().filter(|_| !self.previewed.is_empty()) {
            let site = basis.site();
            let kept: BTreeSet<String> = (0..site.entries.len())
                .map(|e| render::job_file(site, &render::Job::Entry(e)))
                .collect();
            let previewed = std::mem::take(&mut self.previewed);
            removed.extend(
                previewed
                    .into_values()
                    .flat_map(|p| p.paths)
                    .filter(|p| !kept.contains(p)),
            );
        }
        // A path both removed and written (an alias now a page) stays.
        let written: BTreeSet<&str> = out.iter().map(|f| f.path.as_str()).collect();
        removed.retain(|p| !written.contains(p.as_str()));
        let removed_count = removed.len();
        Ok(Rebuilt {
            update: Update::Patch { files: out, removed },
            pages,
            scope: "content",
            detail: Some(format!(
                "model rebuilt, Markdown of {} entries rendered, {} removed",
                renewed.rendered, removed_count
            )),
            diagnostics,
        })
    }
}

/// The jobs of a structural rebuild split in two: the pagers past the first
/// page of their list, rendered after the rest (a reader opens a list at
/// its first page, and a new page shifts every pager of its section and
/// terms: at 10,000 articles × 5 languages, some 1,800 pagers), and the
/// rest. `owed` names pages an earlier rebuild left to follow it: those the
/// model still has join them.
fn seen_first(jobs: Vec<Job>, every: &[Job], owed: &BTreeSet<String>, site: &Site) -> (Vec<Job>, Vec<Job>) {
    let mut jobs = jobs;
    if !owed.is_empty() {
        let planned: HashSet<Job> = jobs.iter().copied().collect();
        jobs.extend(
            every
                .iter()
                .filter(|j| !planned.contains(j) && owed.contains(&render::job_file(site, j))),
        );
    }
    jobs.into_iter().partition(
        |job| matches!(job, Job::SectionPage(_, number) | Job::TermPage { number, .. } if *number > 1),
    )
}

/// `before` without the paths in `after`.
fn gone(before: impl IntoIterator<Item = String>, after: impl IntoIterator<Item = String>) -> Vec<String> {
    let after: BTreeSet<String> = after.into_iter().collect();
    before.into_iter().filter(|p| !after.contains(p)).collect()
}

/// `content/a/b/index.en.md`: the page of a bundle, whose other files are
/// published beside it.
fn is_bundle_file(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or_default();
    name == "index.md" || (name.starts_with("index.") && name.ends_with(".md"))
}
