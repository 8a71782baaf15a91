//! The language policy (`language_policy:` in `site.yaml`): per section or
//! content type, which languages a page must have (`required`), may have
//! (`optional`) and must not be published in (`withheld`), and how old a
//! required translation may grow behind its source (`max_stale_days`).
//! This module owns the declaration and which rule applies to a page;
//! `model` leaves withheld languages out and `translation` checks the rest.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::config_error;
use vitrine_core::diagnostics::Diagnostics;

/// One rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    #[serde(default)]
    pub section: Option<Spanned<String>>,
    #[serde(default, rename = "type")]
    pub content_type: Option<Spanned<String>>,
    #[serde(default)]
    pub languages: RawPolicyLanguages,
    #[serde(default)]
    pub max_stale_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicyLanguages {
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    #[serde(default)]
    pub optional: Vec<Spanned<String>>,
    #[serde(default)]
    pub withheld: Vec<Spanned<String>>,
}

/// What a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyScope {
    /// A section folder (`news`, `culture/festivals`) and everything below.
    Section(String),
    /// Pages of a content type (`type: document`), wherever they are.
    Type(String),
}

/// A validated rule of the language policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguagePolicy {
    pub scope: PolicyScope,
    pub required: Vec<String>,
    pub optional: Vec<String>,
    pub withheld: Vec<String>,
    pub max_stale_days: Option<u32>,
}

impl LanguagePolicy {
    /// How `i18n status` and `check` name the rule.
    pub fn describe(&self) -> String {
        match &self.scope {
            PolicyScope::Section(s) => format!("section `{s}`"),
            PolicyScope::Type(t) => format!("type `{t}`"),
        }
    }
}

/// The rule for a page at `content_path` of `content_type`: a rule for its
/// type wins over one for its sections, and a deeper section over a
/// shallower one.
pub fn policy_for<'a>(
    policies: &'a [LanguagePolicy],
    content_path: &str,
    content_type: Option<&str>,
) -> Option<&'a LanguagePolicy> {
    let by_type = content_type.and_then(|t| {
        policies
            .iter()
            .find(|p| matches!(&p.scope, PolicyScope::Type(name) if name == t))
    });
    by_type.or_else(|| {
        policies
            .iter()
            .filter_map(|p| match &p.scope {
                PolicyScope::Section(s)
                    if content_path == s || content_path.starts_with(&format!("{s}/")) =>
                {
                    Some((s.len(), p))
                }
                _ => None,
            })
            .max_by_key(|(depth, _)| *depth)
            .map(|(_, p)| p)
    })
}

/// Checks every rule: one scope each, declared languages and types, no
/// language both required and withheld, the default language never
/// withheld (every other language falls back to it).
pub fn validate(
    raw: Vec<RawPolicy>,
    languages: &[&str],
    default_language: &str,
    type_names: &[&str],
    errors: &mut Diagnostics,
) -> Vec<LanguagePolicy> {
    let mut policies = Vec::new();
    for rule in raw {
        let scope = match (&rule.section, &rule.content_type) {
            (Some(s), None) => PolicyScope::Section(s.value.trim_matches('/').to_string()),
            (None, Some(t)) => {
                if !type_names.contains(&t.value.as_str()) {
                    errors.push(config_error(
                        format!(
                            "the language policy names type `{}`, which is not declared",
                            t.value
                        ),
                        &t.referenced,
                        "declare it under `types:` or fix the name",
                    ));
                }
                PolicyScope::Type(t.value.clone())
            }
            (Some(s), Some(_)) => {
                errors.push(config_error(
                    "a language policy rule names both a section and a type".to_string(),
                    &s.referenced,
                    "write one rule per section and one per type",
                ));
                continue;
            }
            (None, None) => {
                errors.push(config_error(
                    "a language policy rule names neither a section nor a type".to_string(),
                    &serde_saphyr::Location::UNKNOWN,
                    "start the rule with `section: news` or `type: document`",
                ));
                continue;
            }
        };
        let mut codes = |list: &[Spanned<String>]| -> Vec<String> {
            for code in list.iter().filter(|c| !languages.contains(&c.value.as_str())) {
                errors.push(config_error(
                    format!(
                        "the language policy names `{}`, which is not a language of the site",
                        code.value
                    ),
                    &code.referenced,
                    "use one of the codes listed under `languages:`",
                ));
            }
            list.iter().map(|c| c.value.clone()).collect()
        };
        let required = codes(&rule.languages.required);
        let optional = codes(&rule.languages.optional);
        let withheld = codes(&rule.languages.withheld);
        for code in &rule.languages.withheld {
            if required.contains(&code.value) || code.value == default_language {
                errors.push(config_error(
                    format!("`{}` cannot be withheld here", code.value),
                    &code.referenced,
                    if code.value == default_language {
                        "the default language is where every page falls back; it cannot be withheld"
                    } else {
                        "a language is either required or withheld, not both"
                    },
                ));
            }
        }
        policies.push(LanguagePolicy {
            scope,
            required,
            optional,
            withheld,
            max_stale_days: rule.max_stale_days,
        });
    }
    policies
}
