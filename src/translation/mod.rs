//! The translators' loop: page coverage per language and section
//! ([`coverage`]), staleness of translations without git ([`staleness`],
//! [`stamp`]), the Fluent lint ([`lint`]) and the reports that show them
//! ([`report`]), and the round trip of page text through translators' tools
//! ([`exchange`]). Everything else here reads the site; `stamp` writes only
//! the `source_hash` line of a translation, `exchange` whole translations.

pub mod check;
pub mod commands;
pub mod coverage;
pub mod exchange;
mod ftl;
pub mod lint;
pub mod policy;
pub mod report;
pub mod staleness;
pub mod stamp;
mod usage;

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostics;

/// What `vitrine i18n status` reports.
#[derive(Debug)]
pub struct Status {
    pub coverage: coverage::Coverage,
    pub fluent: Diagnostics,
    /// Where the pages fall short of the language policy.
    pub policy: Vec<policy::Finding>,
    /// Language names by code, for the reports.
    pub names: Vec<(String, String)>,
    /// Drafts and imported pages by language, counted even when the
    /// report leaves drafts out.
    pub unpublished: std::collections::BTreeMap<String, crate::import::Census>,
}

impl Status {
    pub fn load(options: &BuildOptions) -> Result<Status, Diagnostics> {
        let site = crate::build::load_model(options)?;
        let coverage = coverage::compute(&site, &options.root);
        let policy = policy::findings(&site, &coverage, chrono::Utc::now().fixed_offset());
        let fluent = lint::lint(&site.config);
        let names = site
            .config
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.name.clone()))
            .collect();
        Ok(Status {
            coverage,
            fluent,
            policy,
            names,
            unpublished: crate::import::census(&options.root),
        })
    }

    /// Keeps only `lang` (and the source language, which rows refer to).
    pub fn only_language(&mut self, lang: &str) {
        let keep = |code: &str| code == lang;
        self.names.retain(|(c, _)| keep(c));
        self.coverage.language_codes.retain(|c| keep(c));
        self.coverage.totals.retain(|c, _| keep(c));
        for by_lang in self.coverage.sections.values_mut() {
            by_lang.retain(|c, _| keep(c));
        }
        for row in &mut self.coverage.rows {
            row.languages.retain(|c, _| keep(c));
        }
        self.policy.retain(|f| keep(&f.language));
        let mut kept = Diagnostics::new();
        for d in self.fluent.iter() {
            let file = d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/"));
            let about_lang = d.message.contains(&format!("`{lang}`"))
                || file.is_some_and(|f| f.contains(&format!("locales/{lang}/")));
            if about_lang {
                kept.push(d.clone());
            }
        }
        self.fluent = kept;
    }
}
