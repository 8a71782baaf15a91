//! The template functions and filters that page templates (render) and
//! shortcode templates (shortcodes) share: `t`, `asset_url`, `format_date`
//! and `format_number`, registered on both Tera instances from here only,
//! so a theme's template behaves the same wherever it is called. Functions
//! that need the linked site (`url_for`, `get_page`…) are render's.
//!
//! Bad input is a template error that names the function and the argument:
//! a value that is not a date, text that is not a number, a `lang` that is
//! not a language of the site. An empty or unformatted value on the page
//! would hide the mistake from the editor.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, Value};

use vitrine_load::config::Config;
use vitrine_load::content::dates::parse_date;
use vitrine_load::i18n::{Cldr, MessageArg, Messages, parse_length};

/// What the shared functions read: built once per set of templates and
/// shared by every closure.
struct Registry {
    /// Each site language's fallback chain, by code.
    chains: BTreeMap<String, Vec<String>>,
    messages: Arc<Messages>,
    cldr: Arc<Cldr>,
    base_url: String,
}

/// Registers the shared functions and filters on `tera`.
pub fn register(tera: &mut Tera, config: &Config, messages: Arc<Messages>, cldr: Arc<Cldr>) {
    let registry = Arc::new(Registry {
        chains: config
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.chain.clone()))
            .collect(),
        messages,
        cldr,
        base_url: config.base_url.clone(),
    });
    let r = registry.clone();
    tera.register_function("t", move |kwargs: Kwargs, state: &State| r.t(&kwargs, state));
    let r = registry.clone();
    // A theme or `static/` file at the site's root, under any base path.
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> Result<String, Error> {
            let path: String = kwargs.must_get("path")?;
            Ok(vitrine_model::rooted_path(&r.base_url, &path))
        },
    );
    let r = registry.clone();
    tera.register_filter(
        "format_date",
        move |value: &Value, kwargs: Kwargs, state: &State| r.format_date(value, &kwargs, state),
    );
    tera.register_filter(
        "format_number",
        move |value: &Value, kwargs: Kwargs, state: &State| registry.format_number(value, &kwargs, state),
    );
}

/// The language a call is for: its `lang=` argument, else the template's
/// `lang` variable (Tera 2 components see only their parameters, hence the
/// argument).
pub fn lang_of(kwargs: &Kwargs, state: &State) -> Result<String, Error> {
    if let Some(lang) = kwargs.get::<String>("lang")? {
        return Ok(lang);
    }
    state
        .get::<String>("lang")?
        .ok_or_else(|| Error::message("no `lang` here: pass lang=\"…\""))
}

impl Registry {
    /// [`lang_of`], which must be a language of the site, and its chain.
    fn site_lang(
        &self,
        function: &str,
        kwargs: &Kwargs,
        state: &State,
    ) -> Result<(String, &[String]), Error> {
        let lang = lang_of(kwargs, state).map_err(|e| Error::message(format!("`{function}`: {e}")))?;
        if let Some(chain) = self.chains.get(&lang) {
            return Ok((lang, chain));
        }
        let known: Vec<&str> = self.chains.keys().map(String::as_str).collect();
        Err(Error::message(format!(
            "`{function}`: `lang` is `{lang}`, which is not a language of the site ({})",
            known.join(", ")
        )))
    }

    /// `t(key=…, lang=…, <args>)`: the Fluent message through the language's
    /// fallback chain. Numbers stay numbers, so plural rules pick the variant.
    fn t(&self, kwargs: &Kwargs, state: &State) -> Result<String, Error> {
        let key: String = kwargs.must_get("key")?;
        let (_, chain) = self.site_lang("t", kwargs, state)?;
        let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
        let args: Vec<(&str, MessageArg)> = kwargs
            .iter()
            .filter(|(k, _)| k.as_str() != Some("key") && k.as_str() != Some("lang"))
            .filter_map(|(k, v)| {
                let arg = match v.as_f64() {
                    Some(n) if v.is_number() => MessageArg::Number(n),
                    _ => MessageArg::Str(v.as_str().map_or_else(|| v.to_string(), str::to_string)),
                };
                Some((k.as_str()?, arg))
            })
            .collect();
        self.messages
            .format(&chain, &key, &args)
            .map_err(|e| Error::message(e.to_string()))
    }

    /// `format_date(length=…, lang=…)`: a date (`2025-09-02`, or with a time)
    /// as CLDR writes it in the language.
    fn format_date(&self, value: &Value, kwargs: &Kwargs, state: &State) -> Result<String, Error> {
        let length: String = kwargs.get("length")?.unwrap_or_else(|| "long".to_string());
        let length = parse_length(&length).ok_or_else(|| {
            Error::message(format!(
                "`format_date`: length `{length}` is not short, medium, long or full"
            ))
        })?;
        let (lang, _) = self.site_lang("format_date", kwargs, state)?;
        let date = value.as_str().and_then(parse_date).ok_or_else(|| {
            Error::message(format!(
                "`format_date`: `{}` is not a date (write 2025-09-02)",
                shown(value)
            ))
        })?;
        Ok(self.cldr.format_date(&lang, date.date_naive(), length))
    }

    /// `format_number(lang=…)`: a number, or text that is one (`"7.09"`, as
    /// a shortcode argument may be quoted), with the language's digits and
    /// separators.
    fn format_number(&self, value: &Value, kwargs: &Kwargs, state: &State) -> Result<String, Error> {
        let (lang, _) = self.site_lang("format_number", kwargs, state)?;
        let number = match value.as_str() {
            Some(text) => text.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            None if value.is_number() => value.as_f64(),
            None => None,
        };
        let n = number
            .ok_or_else(|| Error::message(format!("`format_number`: `{}` is not a number", shown(value))))?;
        Ok(self.cldr.format_number(&lang, n))
    }
}

/// A value as an editor wrote it: text without its quotes.
fn shown(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}
