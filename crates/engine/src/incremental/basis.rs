//! What `serve` renders from between edits ([`Basis`]): the model with
//! its Markdown pass and the template views of one language, and how a
//! rebuild's pages are rendered from it a language at a time.

use std::sync::Arc;

use vitrine_core::diagnostics::Diagnostics;
use vitrine_model::EntryId;
use vitrine_output::OutputFile;
use vitrine_render::render::{self, ForeignMessages, Input, Job, Prepared, Views};

/// What the served site was rendered from: the model with its Markdown
/// pass, and the template views of one language built from them. `serve`
/// holds one language's views, as a build does (every language's would be
/// most of its memory): the language last edited. Another language's are
/// built when a render shows its sections or home (each lists many of its
/// pages), and held from then on; an entry's view not held is built when
/// a page shows it.
#[derive(Clone)]
pub(super) struct Basis {
    pub(super) prepared: Prepared,
    pub(super) views: Arc<Views>,
    /// Its related pages were given, not computed ([`Basis::of_default_language`]).
    pub(super) took_related: bool,
}

impl Basis {
    /// The model, holding no entry's views yet: the first render that
    /// shows a language's lists builds that language's (a rebuild after a
    /// page came or went shows every language's, one after the other).
    pub(super) fn holding_none(prepared: Prepared, related: Arc<Vec<Vec<EntryId>>>) -> Basis {
        let (site, services, bodies) = (&prepared.site, &prepared.services, &prepared.bodies);
        let views = Arc::new(Views::of_no_entry(site, services, bodies, &related));
        Basis {
            prepared,
            views,
            took_related: false,
        }
    }

    /// The model, with the default language's views; `related`: its
    /// entries' related pages, when a build kept them for exactly this
    /// model (they are computed otherwise).
    pub(super) fn of_default_language(prepared: Prepared, related: Option<Arc<Vec<Vec<EntryId>>>>) -> Basis {
        let given = related.filter(|r| r.len() == prepared.site.entries.len());
        let took_related = given.is_some();
        let related = given.unwrap_or_else(|| Views::related(&prepared.site));
        let lang = prepared.site.config.default_language.clone();
        let mut basis = Basis::holding_none(prepared, related);
        basis.hold(&lang);
        basis.took_related = took_related;
        basis
    }

    pub(super) fn input(&self) -> Input<'_> {
        self.prepared.input(&self.views)
    }

    pub(super) fn site(&self) -> &vitrine_model::Site {
        &self.prepared.site
    }

    /// Holds the views of language `lang` (built unless already held).
    pub(super) fn hold(&mut self, lang: &str) {
        if self.views.language.as_deref() != Some(lang) {
            let related = self.views.related.clone();
            let (site, services, bodies) = (
                &self.prepared.site,
                &self.prepared.services,
                &self.prepared.bodies,
            );
            self.views = Arc::new(Views::of_language(site, services, bodies, &related, lang));
        }
    }

    /// Renders `jobs` a language at a time. A language whose jobs show a
    /// section (its page, a pager, a home: each lists many pages) is
    /// rendered from its own views, then held; other jobs take the views
    /// held, building the few entry views they show. `last` (the edited
    /// page's language) is rendered last, so its views stay held.
    pub(super) fn render_jobs(
        &mut self,
        jobs: &[Job],
        last: Option<&str>,
        noted: &mut ForeignMessages,
    ) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
        let site = self.prepared.site.clone();
        let mut by_language: Vec<Vec<Job>> = vec![Vec::new(); site.languages.len()];
        for job in jobs {
            by_language[job.language(&site)].push(*job);
        }
        let mut order: Vec<usize> = (0..site.languages.len()).collect();
        order.sort_by_key(|&l| Some(site.languages[l].code.as_str()) == last);
        let (mut files, mut diagnostics) = (Vec::new(), Diagnostics::new());
        for l in order.into_iter().filter(|&l| !by_language[l].is_empty()) {
            let jobs = &by_language[l];
            if jobs.iter().any(|job| shows_a_section(&site, job)) {
                self.hold(&site.languages[l].code);
            }
            let templates = render::load_templates(&self.prepared, &self.views)?;
            let rendered = render::render_jobs(&self.input(), &templates, jobs);
            files.extend(rendered.files);
            diagnostics.extend(rendered.diagnostics);
            noted.extend(rendered.foreign);
        }
        Ok((files, diagnostics))
    }
}

/// Whether `job` shows a section: its page (a home's too) or a pager.
pub(super) fn shows_a_section(site: &vitrine_model::Site, job: &Job) -> bool {
    match *job {
        Job::Entry(id) => site.entries[id].is_section(),
        Job::SectionPage(..) => true,
        _ => false,
    }
}
