//! What `vitrine check` adds to the build's checks: the Fluent lint,
//! the language policy (required translations, their age),
//! coverage thresholds (`--min-coverage en=100,fr=80`) and `--strict`,
//! which makes every warning an error.

use serde::Serialize;

use crate::build::BuildOptions;
use crate::build::load_model;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::translation::{coverage, lint, policy};

/// A minimum page coverage for one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub lang: String,
    pub percent: f64,
}

/// The thresholds of one `--min-coverage` option.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thresholds(pub Vec<Threshold>);

/// Parses `en=100,fr=80`; the error is a message for the command line,
/// where it is bad usage (exit 2).
pub fn parse_thresholds(text: &str) -> Result<Thresholds, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let (lang, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` should be LANG=PERCENT, such as fr=80"))?;
            let percent: f64 = value
                .trim()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| format!("`{value}` is not a percentage"))?;
            if !(0.0..=100.0).contains(&percent) {
                return Err(format!("`{value}` is not between 0 and 100"));
            }
            Ok(Threshold {
                lang: lang.trim().to_string(),
                percent,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Thresholds)
}

/// How one language fared against its threshold.
#[derive(Debug, Clone, Serialize)]
pub struct ThresholdResult {
    pub language: String,
    pub required: f64,
    pub coverage_pages: f64,
    pub ok: bool,
}

/// The lint's findings and the thresholds' results, added to `diagnostics`
/// (deduplicated: the build reports Fluent syntax errors too). Returns an
/// error message for thresholds naming unknown languages (bad usage).
pub fn extend(
    options: &BuildOptions,
    thresholds: &[Threshold],
    strict: bool,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<ThresholdResult>, String> {
    let mut results = Vec::new();
    if let Ok(config) = Config::load(&options.root) {
        for t in thresholds {
            if !config.is_language(&t.lang) {
                return Err(format!(
                    "--min-coverage names `{}`, which is not a language of the site",
                    t.lang
                ));
            }
        }
        for d in lint::lint(&config) {
            if !diagnostics.iter().any(|known| *known == d) {
                diagnostics.push(d);
            }
        }
        let wanted = !thresholds.is_empty() || !config.language_policy.is_empty();
        if wanted && let Ok(site) = load_model(options) {
            let coverage = coverage::compute(&site, &options.root);
            let now = chrono::Utc::now().fixed_offset();
            diagnostics.extend(policy::diagnostics(&policy::findings(&site, &coverage, now)));
            for t in thresholds {
                let actual = coverage.totals.get(&t.lang).map_or(0.0, |c| c.coverage_pages);
                let ok = actual >= t.percent;
                if !ok {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "`{}` covers {actual:.1}% of the pages, below the required {}%",
                            t.lang, t.percent
                        ))
                        .with_hint(format!(
                            "`vitrine i18n status --lang {}` lists what is missing",
                            t.lang
                        )),
                    );
                }
                results.push(ThresholdResult {
                    language: t.lang.clone(),
                    required: t.percent,
                    coverage_pages: actual,
                    ok,
                });
            }
        }
    }
    if strict {
        let mut escalated = Diagnostics::new();
        for mut d in std::mem::take(diagnostics) {
            d.severity = Severity::Error;
            escalated.push(d);
        }
        *diagnostics = escalated;
    }
    diagnostics.sort();
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_thresholds_and_rejects_nonsense() {
        let t = parse_thresholds("en=100, fr=80%").expect("valid");
        assert_eq!(
            t.0[1],
            Threshold {
                lang: "fr".into(),
                percent: 80.0
            }
        );
        assert!(parse_thresholds("fr").is_err());
        assert!(parse_thresholds("fr=eighty").is_err());
        assert!(parse_thresholds("fr=180").is_err());
    }
}
