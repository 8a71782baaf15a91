//! Internal links: `@/culture/ao-dai.md` written in Markdown or passed to
//! `url_for` resolves to the same page in the current language.

use crate::markdown::LinkResolver;
use crate::model::Site;

/// Resolves `@/` links from an entry shown in `lang`.
pub struct EntryLinks<'a> {
    pub site: &'a Site,
    pub lang: &'a str,
}

impl LinkResolver for EntryLinks<'_> {
    fn resolve(&self, path: &str) -> Result<String, String> {
        resolve(self.site, path, self.lang)
    }
}

/// The permalink of the content at `target` (after `@/`) shown in `lang`.
pub fn resolve(site: &Site, target: &str, lang: &str) -> Result<String, String> {
    match site.resolve_content_link(target, lang) {
        Some(entry) => Ok(site.permalink(&site.entries[entry].path)),
        None => {
            let file = format!("content/{}", target.trim_start_matches('/'));
            if std::path::Path::new(&site.config.root).join(&file).exists() {
                Err(format!(
                    "content/{target} is not built in `{lang}` (draft, scheduled, expired or untranslated)"
                ))
            } else {
                Err(format!("no page at {file}"))
            }
        }
    }
}
