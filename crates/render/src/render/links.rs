//! Internal links: `@/culture/ao-dai.md` written in Markdown or passed to
//! `url_for` resolves to the same page in the current language (with
//! `untranslated: skip`, in the nearest language of the fallback chain that
//! has it).

use vitrine_load::config::Untranslated;
use vitrine_markdown::LinkResolver;
use vitrine_model::Site;

/// Resolves `@/` links from an entry shown in `lang`.
pub struct EntryLinks<'a> {
    pub site: &'a Site,
    pub lang: &'a str,
}

impl LinkResolver for EntryLinks<'_> {
    fn resolve(&self, path: &str) -> Result<String, String> {
        resolve(self.site, path, self.lang)
    }

    fn language_of(&self, path: &str) -> Option<String> {
        resolve_in(self.site, path, self.lang).ok()?.1
    }
}

/// The permalink of the content at `target` (after `@/`) shown in `lang`.
pub fn resolve(site: &Site, target: &str, lang: &str) -> Result<String, String> {
    resolve_in(site, target, lang).map(|(url, _)| url)
}

/// [`resolve`], with the language of the page found when it is not `lang`.
/// A page missing in `lang` is linked in the nearest language of `lang`'s
/// fallback chain that has it when the site skips untranslated pages, or
/// when the page is withheld from `lang`: the link still leads somewhere
/// readable.
pub fn resolve_in(site: &Site, target: &str, lang: &str) -> Result<(String, Option<String>), String> {
    if let Some(entry) = site.resolve_content_link(target, lang) {
        return Ok((site.permalink(&site.entries[entry].path), None));
    }
    let withheld = || {
        let placement = vitrine_load::content::place(target.trim_start_matches('/'));
        placement.lang.is_none() && site.is_withheld(placement.kind, &placement.content_path, lang)
    };
    if site.config.untranslated == Untranslated::Skip || withheld() {
        let chain = site
            .config
            .language(lang)
            .map(|l| l.chain.as_slice())
            .unwrap_or_default();
        for other in chain.iter().filter(|c| *c != lang) {
            if let Some(entry) = site.resolve_content_link(target, other) {
                return Ok((site.permalink(&site.entries[entry].path), Some(other.clone())));
            }
        }
    }
    let file = format!("content/{}", target.trim_start_matches('/'));
    if std::path::Path::new(&site.config.root).join(&file).exists() {
        Err(format!(
            "content/{target} is not built in `{lang}` (draft, scheduled, expired or untranslated)"
        ))
    } else {
        Err(format!("no page at {file}"))
    }
}
