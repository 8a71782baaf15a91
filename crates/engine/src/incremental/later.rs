//! Pages a rebuild left to follow it, rendered a language at a time in
//! [`Rebuilder::follow_up`]: the pagers past the first page of each list
//! after a structural edit ([`super::restructure`]), and the other
//! languages' pages after a body edit whose page has fallback copies. The
//! reader looks at the edited page and at the first page of its lists;
//! each language's pages need that language's views built (about 0.13 s
//! at 10,000 articles), so those wait. A save made meanwhile goes first:
//! it waits for one language's pages, not every language's, and the next
//! rebuild takes in the pages still owed.

use std::collections::BTreeSet;

use super::{Rebuilder, Rebuilt, Served, Update};
use vitrine_core::diagnostics::Diagnostics;
use vitrine_model::Site;
use vitrine_render::render::{self, Job};

/// Pages of the kept model that a rebuild left to follow it: the served
/// ones lag behind until they are rendered.
#[derive(Debug, Default)]
pub(super) struct LaterPages {
    jobs: Vec<Job>,
    /// The language rendered last (its code): its views stay held for
    /// the next edit (the edited page's).
    last: Option<String>,
}

impl LaterPages {
    /// `jobs` to follow, the language `last` rendered last.
    pub(super) fn of(jobs: Vec<Job>, last: Option<&str>) -> LaterPages {
        LaterPages {
            jobs,
            last: last.map(str::to_string),
        }
    }

    /// Adds `jobs` (of the same model) to those owed.
    pub(super) fn add(&mut self, jobs: Vec<Job>, last: Option<&str>) {
        let owed = std::mem::take(&mut self.jobs);
        *self = LaterPages::of(jobs, last);
        self.jobs.extend(owed);
        self.jobs.sort_unstable();
        self.jobs.dedup();
    }

    pub(super) fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Their files, as `site` (the model they were planned from) names
    /// them.
    pub(super) fn files(&self, site: &Site) -> BTreeSet<String> {
        self.jobs.iter().map(|j| render::job_file(site, j)).collect()
    }

    /// Takes the pages of the next language to render, and its code.
    fn next_language(&mut self, site: &Site) -> (Vec<Job>, String) {
        let last = self.last.as_deref();
        let next = self
            .jobs
            .iter()
            .map(|j| j.language(site))
            .min_by_key(|&l| (Some(site.languages[l].code.as_str()) == last, l));
        let (now, later) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| Some(j.language(site)) == next);
        self.jobs = later;
        let code = next.map_or_else(String::new, |l| site.languages[l].code.clone());
        (now, code)
    }
}

impl Rebuilder {
    /// Renders the next language's pages that a rebuild left to follow it.
    pub(super) fn render_later(&mut self) -> Result<Rebuilt, Diagnostics> {
        let Some(basis) = self.basis.as_mut() else {
            return self.full();
        };
        let site = basis.prepared.site.clone();
        let (now, lang) = self.later.next_language(&site);
        let (files, diagnostics) = match basis.render_jobs(&now, None, &mut self.noted) {
            Ok(done) if !done.1.has_errors() => done,
            Ok((_, diagnostics)) | Err(diagnostics) => {
                self.served = Served::Stale;
                return Err(diagnostics);
            }
        };
        // The edited page's language is held again for the next edit.
        if let Some(last) = self.later.last.as_deref().filter(|_| self.later.is_empty()) {
            basis.hold(last);
        }
        Ok(Rebuilt {
            pages: files.len(),
            update: Update::Patch {
                files,
                removed: Vec::new(),
            },
            scope: "later pages",
            detail: Some(format!("in {lang}")),
            diagnostics,
        })
    }
}
