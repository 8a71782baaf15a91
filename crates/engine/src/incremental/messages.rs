//! A Fluent change rendered where it shows, when what the pages showed of
//! the messages is known ([`MessagesShown`], a build's record): the
//! messages whose digest differs decide. The pages of the languages whose
//! fallback chain holds a changed message's language, the pages noted
//! showing a changed message beyond their chain (a 404 page listing every
//! language's "page not found"), and those languages' feeds. What
//! every page shows is compared instead: the site titles and the bodies
//! calling shortcodes (which may format messages); when either came out
//! otherwise, every output is rendered.

use std::collections::BTreeSet;

use super::{Rebuilder, Rebuilt, Served, Update};
use crate::changes::Changes;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_load::i18n::changed_messages;
use vitrine_output::{FileContent, OutputFile};
use vitrine_render::render::{self, Job, MessagesShown, Other, chain_reaches};

/// The most pages a Fluent change renders apart: a patch holds what it
/// renders until every page is made (some 10 KB a page), so past this a
/// build renders everything and writes over its output, streamed. At
/// 10,000 articles × 5, a French message reaches 16,000 pages when only
/// French pages show French messages, and 64,000 when a language menu
/// names each language in its own (917 MB held, against 270 MB).
pub const RENDERED_APART_AT_MOST: usize = 20_000;

/// What a Fluent change made.
pub enum MessagesRebuilt {
    /// The outputs it reaches, rendered.
    Rendered(Rebuilt),
    /// It reaches every page, or too many to hold (why): none is
    /// rendered, the build renders them all itself, streamed.
    Everything(&'static str),
}

impl Rebuilder {
    /// Renders what a Fluent change ([`Changes::fluent_alone`]) reaches,
    /// given what the pages showed before (`shown`): the messages whose
    /// digest differs decide.
    pub fn rebuild_messages(
        &mut self,
        shown: &MessagesShown,
        changes: &Changes,
    ) -> Result<MessagesRebuilt, Diagnostics> {
        let Some(basis) = &self.basis else {
            return Ok(MessagesRebuilt::Everything("the rebuild kept no model"));
        };
        let calling = super::calling_shortcodes(&basis.prepared);
        let before = basis.prepared.bodies.of(&calling);
        self.reload_messages()?;
        let Some(basis) = self.basis.as_mut() else {
            return Ok(MessagesRebuilt::Everything("the rebuild kept no model"));
        };
        let prepared = &basis.prepared;
        let same_bodies = before.iter().zip(prepared.bodies.of(&calling)).all(|(was, is)| {
            was.summary == is.summary && was.word_count == is.word_count && was.html() == is.html()
        });
        if !same_bodies {
            return Ok(MessagesRebuilt::Everything(
                "a shortcode's text in a body changed",
            ));
        }
        if prepared.site_titles() != shown.site_titles {
            return Ok(MessagesRebuilt::Everything("a site title changed"));
        }
        let changed = changed_messages(&shown.digests, &prepared.services.messages.digests());
        let site = basis.prepared.site.clone();
        let templates = render::load_templates(prepared, &basis.views)?;
        let plan = render::Plan::of(&site, &templates);
        drop(templates);
        let beyond = |job: &Job| shown.foreign.shows_any(&render::job_file(&site, job), &changed);
        let jobs: Vec<Job> = plan
            .pages
            .into_iter()
            .filter(|job| chain_reaches(&site, job.language(&site), &changed) || beyond(job))
            .collect();
        if jobs.len() > RENDERED_APART_AT_MOST {
            return Ok(MessagesRebuilt::Everything(
                "the messages changed show on too many pages to hold",
            ));
        }
        let (mut files, diagnostics) = basis.render_jobs(&jobs, None, &mut self.noted)?;
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let pages = files.len();
        copy_again(&mut files, &plan.copies);
        let reached: BTreeSet<&str> = (0..site.languages.len())
            .filter(|&l| chain_reaches(&site, l, &changed))
            .map(|l| site.languages[l].code.as_str())
            .collect();
        // The feeds show their language's messages (a source's credit, the
        // change notes' dates).
        for other in [Other::Feeds, Other::ChangesFeeds] {
            files.extend(other.make_in(&basis.prepared, |lang| reached.contains(lang)));
        }
        self.served = Served::Fresh;
        let removed = self.static_too(changes, &mut files);
        Ok(MessagesRebuilt::Rendered(Rebuilt {
            update: Update::Patch { files, removed },
            pages,
            scope: "languages",
            detail: Some(format!(
                "{} messages changed",
                changed.values().map(|ids| ids.len()).sum::<usize>()
            )),
            diagnostics,
        }))
    }
}

/// The files the host also finds at a second path (the default
/// language's 404 page at the root), again for those rendered.
fn copy_again(files: &mut Vec<OutputFile>, copies: &[(String, String)]) {
    for (from, to) in copies {
        let again = files
            .iter()
            .find(|f| &f.path == from)
            .and_then(|f| match &f.content {
                FileContent::Bytes(bytes) => Some(OutputFile::bytes(to.clone(), bytes.clone())),
                FileContent::Copy(_) => None,
            });
        files.extend(again);
    }
}
