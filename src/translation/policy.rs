//! The site's language policy (`language_policy:` in `site.yaml`) held
//! against its pages: each page missing a translation its rule requires,
//! or whose required translation has been stale for longer than the rule's
//! `max_stale_days`, and each translation written for a language the page
//! is withheld from (it is not published). `vitrine check` fails on the
//! first two; `i18n status` lists all three.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::coverage::Coverage;
use crate::content::DocumentKind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;

/// One page out of line with the policy in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The page's source file.
    pub file: String,
    pub language: String,
    /// The rule, as `section `news`` or `type `document``.
    pub rule: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    /// A required translation does not exist.
    Missing,
    /// A required translation follows an older version of its source.
    Stale { days: i64, max_stale_days: u32 },
    /// A translation exists for a language the page is withheld from.
    Unpublished { translation: String },
}

/// Every finding, in the order of the coverage rows (section, page).
pub fn findings(site: &Site, coverage: &Coverage, now: DateTime<FixedOffset>) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in coverage.rows.iter().filter(|r| r.kind != "notice") {
        let kind = if row.kind == "section" {
            DocumentKind::Section
        } else {
            DocumentKind::Page
        };
        let source = site
            .by_content_path
            .get(&(kind, row.content_path.clone()))
            .and_then(|&g| site.groups[g].entries.values().next())
            .map(|&e| site.doc(&site.entries[e]));
        let content_type = source.and_then(|d| d.front.rare().content_type.as_deref());
        let rule = site.config.policy(&row.content_path, content_type);
        for (language, translation) in translations_withheld(site, kind, &row.content_path) {
            out.push(Finding {
                file: row.source_file.clone(),
                language,
                rule: rule.map_or_else(|| "`withheld`".to_string(), |r| r.describe()),
                problem: Problem::Unpublished { translation },
            });
        }
        let Some(rule) = rule else {
            continue;
        };
        let finding = |language: &str, problem: Problem| Finding {
            file: row.source_file.clone(),
            language: language.to_string(),
            rule: rule.describe(),
            problem,
        };
        for lang in &rule.required {
            let Some(cell) = row.languages.get(lang) else {
                continue;
            };
            if !cell.is_covered() {
                out.push(finding(lang, Problem::Missing));
                continue;
            }
            let (Some(max), Some(stale)) = (rule.max_stale_days, &cell.stale) else {
                continue;
            };
            let since = stale
                .source_modified
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok());
            let days = since.map_or(0, |s| (now - s).num_days());
            if days > i64::from(max) {
                out.push(finding(
                    lang,
                    Problem::Stale {
                        days,
                        max_stale_days: max,
                    },
                ));
            }
        }
    }
    out
}

/// Translation files of a group for languages it is withheld from.
fn translations_withheld(site: &Site, kind: DocumentKind, content_path: &str) -> Vec<(String, String)> {
    let Some(&g) = site.by_content_path.get(&(kind, content_path.to_string())) else {
        return Vec::new();
    };
    let withheld = &site.groups[g].withheld;
    site.documents
        .iter()
        .filter(|d| d.kind == kind && d.content_path == content_path && withheld.contains(&d.lang))
        .map(|d| (d.lang.clone(), d.file.clone()))
        .collect()
}

/// The findings as `vitrine check` reports them: missing and stale
/// required translations are errors, unpublished ones warnings.
pub fn diagnostics(findings: &[Finding]) -> Diagnostics {
    let mut out = Diagnostics::new();
    for f in findings {
        let d = match &f.problem {
            Problem::Missing => Diagnostic::error(format!(
                "no `{}` translation, which the language policy for {} requires",
                f.language, f.rule
            ))
            .with_hint(format!(
                "add the `{}` translation of this page (`vitrine new … --lang {} --translate-from …`), or change `language_policy` in site.yaml",
                f.language, f.language
            )),
            Problem::Stale { days, max_stale_days } => Diagnostic::error(format!(
                "the `{}` translation has been stale for {days} days; the language policy for {} allows {max_stale_days}",
                f.language, f.rule
            ))
            .with_hint("update the translation, then `vitrine i18n stamp` it"),
            Problem::Unpublished { translation } => Diagnostic::warning(format!(
                "{translation} is not published: the page is withheld from `{}`",
                f.language
            ))
            .with_hint("remove the translation, or the language from `withheld`"),
        };
        out.push(d.in_file(&f.file));
    }
    out
}
