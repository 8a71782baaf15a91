//! The plan of outputs: every file a build writes, by kind, where it goes
//! and what it reads. One owner of "which outputs exist, where, and from
//! what": `build` renders the whole plan; `serve` asks it which outputs a
//! change reaches and renders only those:
//! - [`pages_showing`]: the pages showing an entry whose body changed;
//! - [`rerender`]: the outputs a new model changes, compared with the
//!   previous one (front matter, new and deleted pages), and the files it
//!   no longer has;
//! - [`TemplateReads`]: what the theme's templates read beyond their own
//!   page, which bounds both.
//!
//! Pages are [`Job`]s (one HTML file each, its path from [`job_file`]).
//! The other outputs are [`Other`]s, each made whole from the model and
//! the Markdown pass. The search index, images and static files are made
//! after the pages by their own stages (search, the image store, output's
//! static files), whose paths are known only once made.

mod diff;
mod reads;
mod showing;

pub use diff::{Rerender, rerender};
pub use reads::TemplateReads;
pub use showing::{pages_showing, term_pages_showing};

use super::pages::{Job, job_file, jobs};
use super::{Prepared, Templates, changes, feeds};
use vitrine_model::Site;
use vitrine_output::{self as output, OutputFile};

/// Every output of a site.
pub struct Plan {
    /// The HTML pages.
    pub pages: Vec<Job>,
    /// The files other than pages, made from the model.
    pub others: Vec<Other>,
    /// Files the host must also find at a second path: (from, to).
    pub copies: Vec<(String, String)>,
}

/// A kind of output other than a page, made whole from the model and the
/// Markdown pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Other {
    /// The Atom feeds of every language, section and term.
    Feeds,
    /// The feed of change notes of every language.
    ChangesFeeds,
    /// `next-change.json`.
    NextChange,
    /// `sitemap.xml` (an index and its numbered parts past 10,000 URLs).
    Sitemap,
    Robots,
    /// A redirect page per `aliases:` entry.
    Aliases,
    /// The root page sending readers to their language.
    LanguagePicker,
    /// The host's configuration files (`_headers`, `_redirects`…).
    HostFiles,
}

impl Plan {
    /// The outputs of `site` rendered with `templates`.
    pub fn of(site: &Site, templates: &Templates) -> Plan {
        let config = &site.config;
        let mut others = vec![Other::Feeds, Other::ChangesFeeds, Other::NextChange];
        if config.sitemap {
            others.push(Other::Sitemap);
        }
        others.extend([
            Other::Robots,
            Other::Aliases,
            Other::LanguagePicker,
            Other::HostFiles,
        ]);
        // Static hosts look for /404.html: with every language under a
        // prefix, the default language's 404 page is served there too.
        let mut copies = Vec::new();
        if !config.default_language_at_root && templates.has("404.html") {
            copies.push((
                format!("{}/404.html", config.default_language),
                "404.html".to_string(),
            ));
        }
        Plan {
            pages: jobs(site, templates),
            others,
            copies,
        }
    }

    /// The paths of the pages, relative to the output folder.
    pub fn page_paths(&self, site: &Site) -> Vec<String> {
        self.pages.iter().map(|job| job_file(site, job)).collect()
    }
}

impl Other {
    /// Makes the files of this output.
    pub fn make(self, prepared: &Prepared) -> Vec<OutputFile> {
        let site = &prepared.site;
        match self {
            Other::Feeds => feeds::feeds(prepared),
            Other::ChangesFeeds => changes::changes_feeds(prepared),
            Other::NextChange => vec![output::next_change_file(site)],
            Other::Sitemap => output::sitemap(site),
            Other::Robots => vec![output::robots(site)],
            Other::Aliases => output::aliases(site),
            Other::LanguagePicker => output::language_picker(site),
            Other::HostFiles => output::host_files(&site.config),
        }
    }

    /// Makes the files of this output and hands them to `sink`; the
    /// sitemap's numbered files one by one, as each is made.
    pub fn put(self, prepared: &Prepared, sink: &dyn output::Sink) {
        match self {
            Other::Sitemap => output::put_sitemap(&prepared.site, sink),
            _ => self.make(prepared).into_iter().for_each(|f| sink.put(f)),
        }
    }

    /// Makes the files of this output that concern the languages `wanted`
    /// accepts; outputs that are not by language are made whole.
    pub fn make_in(self, prepared: &Prepared, wanted: impl Fn(&str) -> bool) -> Vec<OutputFile> {
        match self {
            Other::Feeds => feeds::feeds_in(prepared, wanted),
            Other::ChangesFeeds => changes::changes_feeds_in(prepared, wanted),
            _ => self.make(prepared),
        }
    }

    /// The paths this output writes, without making the files where that
    /// is costly (feeds, the sitemap).
    pub fn paths(self, prepared: &Prepared) -> Vec<String> {
        match self {
            Other::Feeds => feeds::feed_paths(prepared),
            Other::Sitemap => output::sitemap_files(&prepared.site),
            _ => self.make(prepared).into_iter().map(|f| f.path).collect(),
        }
    }

    /// Whether pages' front matter, or pages coming and going, can change
    /// this output (the rest follow `site.yaml` alone).
    pub fn shows_content(self) -> bool {
        match self {
            Other::Feeds | Other::ChangesFeeds | Other::Sitemap | Other::Aliases => true,
            // Scheduled pages and notices change only with a full rebuild
            // while serving.
            Other::NextChange | Other::Robots | Other::LanguagePicker | Other::HostFiles => false,
        }
    }
}
