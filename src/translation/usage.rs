//! Which Fluent messages the theme's templates use: literal keys of
//! `t(key="…")`, prefixes of built keys (`t(key="lang-" ~ code)`), and,
//! when a template passes a non-literal key (`t(key=taxonomy.name)`), the
//! site's taxonomy names. vitrine itself asks for a few messages too.

use std::collections::BTreeSet;
use std::path::Path;

use walkdir::WalkDir;

use crate::config::Config;

/// Messages vitrine formats itself, whatever the templates do.
const BUILT_IN_KEYS: &[&str] = &[
    "site-title",
    "not-found-title",
    "changes-feed",
    "updated-on",
    "corrected-on",
];

#[derive(Debug, Default)]
pub struct TemplateUsage {
    keys: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

impl TemplateUsage {
    /// Scans every file under `<theme_dir>/templates`.
    pub fn scan(theme_dir: &Path, config: &Config) -> TemplateUsage {
        let mut usage = TemplateUsage::default();
        usage.keys.extend(BUILT_IN_KEYS.iter().map(|k| k.to_string()));
        let mut dynamic = false;
        for entry in WalkDir::new(theme_dir.join("templates")).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            dynamic |= usage.add_template(&text);
        }
        if dynamic {
            usage
                .keys
                .extend(config.taxonomies.iter().map(|t| t.name.clone()));
        }
        usage
    }

    /// Records the keys of one template; true when some key is not literal.
    fn add_template(&mut self, text: &str) -> bool {
        let mut dynamic = false;
        for (i, _) in text.match_indices("t(") {
            // `t(` inside a longer name (`get_t(`) is another function.
            if text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let args = text[i + 2..].trim_start();
            let Some(value) = args
                .strip_prefix("key")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
            else {
                continue;
            };
            let value = value.trim_start();
            let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                dynamic = true;
                continue;
            };
            let Some(end) = value[1..].find(quote) else {
                continue;
            };
            let literal = &value[1..1 + end];
            if value[2 + end..].trim_start().starts_with('~') {
                self.prefixes.insert(literal.to_string());
            } else {
                self.keys.insert(literal.to_string());
            }
        }
        dynamic
    }

    /// Whether a template may ask for message `id`.
    pub fn uses(&self, id: &str) -> bool {
        self.keys.contains(id) || self.prefixes.iter().any(|p| id.starts_with(p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_literal_keys_prefixes_and_dynamic_keys() {
        let mut usage = TemplateUsage::default();
        let dynamic = usage.add_template(
            r#"{{ t(key="read-more") }} {{ t( key = 'toc', lang=lang) }} {{ t(key="lang-" ~ code) }} {{ get_t(key="nope") }}"#,
        );
        assert!(!dynamic);
        assert!(usage.uses("read-more") && usage.uses("toc") && usage.uses("lang-fr"));
        assert!(!usage.uses("nope") && !usage.uses("lang"));
        assert!(usage.add_template("{{ t(key=taxonomy.name) }}"));
    }
}
