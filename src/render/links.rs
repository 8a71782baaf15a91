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
    // A page withheld from `lang` is linked in the first language of the
    // chain that publishes it: the link still leads somewhere readable.
    let found = site.resolve_content_link(target, lang).or_else(|| {
        let placement = crate::content::place(target.trim_start_matches('/'));
        if placement.lang.is_some() || !site.is_withheld(placement.kind, &placement.content_path, lang) {
            return None;
        }
        let chain = &site.config.language(lang)?.chain;
        chain.iter().find_map(|l| site.resolve_content_link(target, l))
    });
    match found {
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
