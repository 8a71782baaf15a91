//! UI strings from Fluent: one bundle per language, built from the site's
//! `locales/<lang>/*.ftl` and the theme's, with the site's messages winning.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use fluent_syntax::parser::ParserError;
use unic_langid::LanguageIdentifier;

use super::reads::{self, Digests, consulted};

use vitrine_core::diagnostics::{Diagnostic, Location};

/// A value passed to a Fluent message as a variable (`$name`).
#[derive(Debug, Clone, PartialEq)]
pub enum MessageArg {
    Str(String),
    /// Numbers stay numbers so that Fluent selects plural variants with the
    /// language's CLDR rules.
    Number(f64),
}

/// Why a message could not be formatted.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    /// No language of the chain defines the message (or the attribute).
    #[error("Fluent message `{key}` is missing in `{}` (looked in {})", chain.first().map_or("", String::as_str), chain.join(", "))]
    Missing { key: String, chain: Vec<String> },
    /// The message exists but resolving it failed (unknown variable, unknown
    /// message or term reference, cycle, ...).
    #[error("Fluent message `{key}` in `{lang}` could not be resolved: {detail}")]
    Resolve {
        key: String,
        lang: String,
        detail: String,
    },
}

/// Everything Fluent knows about one language.
struct LangBundle {
    bundle: FluentBundle<FluentResource>,
    /// Message ids (not terms), kept because the bundle does not expose them.
    message_ids: BTreeSet<String>,
    /// A digest of every term's text: a message using a term changes
    /// with any ([`Messages::digests`]).
    terms: u64,
}

/// The UI strings of every site language, ready to format from any thread.
pub struct Messages {
    bundles: HashMap<String, LangBundle>,
}

/// Where a resource came from; decides precedence and how duplicates are told.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Site,
    Theme,
}

impl Messages {
    /// Loads `<site_root>/locales/<lang>/*.ftl` and
    /// `<theme_dir>/locales/<lang>/*.ftl` for each code in `languages`.
    ///
    /// Files are read in sorted order so results are deterministic. A message
    /// or term defined by the site overrides the theme's one with the same id.
    /// Missing folders are fine. Syntax errors become error diagnostics (with
    /// the path relative to `site_root`), and the parts of a file that parsed
    /// are kept. An id defined twice by the same side (site or theme) is a
    /// warning; the first definition wins.
    pub fn load(site_root: &Path, theme_dir: &Path, languages: &[&str]) -> (Messages, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut bundles = HashMap::new();
        for &lang in languages {
            let langid: LanguageIdentifier = lang.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Results go into attributes, URLs and <title>, where invisible
            // bidi isolation marks would only do harm.
            bundle.set_use_isolating(false);
            // Only fails when a function is already registered; the bundle is new.
            let _ = bundle.add_function("NUMBER", bounded_number);
            let mut lang_bundle = LangBundle {
                bundle,
                message_ids: BTreeSet::new(),
                terms: 0,
            };
            for (file, shown) in locale_files(site_root, theme_dir, lang) {
                let origin = if file.starts_with(theme_dir) {
                    Origin::Theme
                } else {
                    Origin::Site
                };
                match std::fs::read_to_string(&file) {
                    Ok(text) => lang_bundle.add_source(text, origin, &shown, &mut diagnostics),
                    Err(err) => diagnostics.push(
                        Diagnostic::error(format!("cannot read Fluent file: {err}"))
                            .in_file(shown)
                            .with_hint("check that the file exists, is readable and is UTF-8"),
                    ),
                }
            }
            bundles.insert(lang.to_string(), lang_bundle);
        }
        (Messages { bundles }, diagnostics)
    }

    /// Formats message `key` (or `key.attribute`) in the first language of
    /// `chain` whose bundle has it.
    pub fn format(
        &self,
        chain: &[&str],
        key: &str,
        args: &[(&str, MessageArg)],
    ) -> Result<String, MessageError> {
        let (id, attribute) = split_key(key);
        for &lang in chain {
            consulted(lang, id);
            let Some(lb) = self.bundles.get(lang) else {
                continue;
            };
            let Some(message) = lb.bundle.get_message(id) else {
                continue;
            };
            let pattern = match attribute {
                Some(attr) => message.get_attribute(attr).map(|a| a.value()),
                None => message.value(),
            };
            // A message with only attributes (or without this attribute) does
            // not answer the request: fall through to the next language.
            let Some(pattern) = pattern else {
                continue;
            };
            let fluent_args = to_fluent_args(args);
            let mut errors = Vec::new();
            let text = lb.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                let detail = errors.iter().map(describe_error).collect::<Vec<_>>().join("; ");
                return Err(MessageError::Resolve {
                    key: key.to_string(),
                    lang: lang.to_string(),
                    detail,
                });
            }
            return Ok(text.into_owned());
        }
        Err(MessageError::Missing {
            key: key.to_string(),
            chain: chain.iter().map(|l| l.to_string()).collect(),
        })
    }

    /// Whether `lang`'s bundle defines message `key` (or `key.attribute`).
    pub fn has_message(&self, lang: &str, key: &str) -> bool {
        let (id, attribute) = split_key(key);
        consulted(lang, id);
        let Some(message) = self.bundles.get(lang).and_then(|lb| lb.bundle.get_message(id)) else {
            return false;
        };
        match attribute {
            Some(attr) => message.get_attribute(attr).is_some(),
            None => message.value().is_some(),
        }
    }

    /// A digest of each message of each language, by language and id:
    /// its value and attributes as parsed (not its comments), and the
    /// digests of the messages it references, and of the language's terms
    /// if it references one. A message whose digest differs from the last
    /// build's reads otherwise ([`reads`]).
    pub fn digests(&self) -> Digests {
        self.bundles
            .iter()
            .map(|(lang, lb)| {
                let of = lb
                    .message_ids
                    .iter()
                    .map(|id| (id.clone(), lb.digest(id, &mut Vec::new())));
                (lang.clone(), of.collect())
            })
            .collect()
    }

    /// Ids of all messages defined for a language (site and theme), sorted.
    pub fn message_ids(&self, lang: &str) -> Vec<String> {
        self.bundles
            .get(lang)
            .map(|lb| lb.message_ids.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl LangBundle {
    /// The digest of message `id` ([`Messages::digests`]); `within`, the
    /// messages whose digest is being made (a cycle is a resolve error).
    fn digest(&self, id: &str, within: &mut Vec<String>) -> u64 {
        let Some(message) = self
            .bundle
            .get_message(id)
            .filter(|_| !within.iter().any(|w| w == id))
        else {
            return reads::digest_of(&id);
        };
        within.push(id.to_string());
        let value = message.value();
        let attributes: Vec<_> = message.attributes().map(|a| (a.id(), a.value())).collect();
        let mut references = reads::References::default();
        value
            .into_iter()
            .chain(attributes.iter().map(|a| a.1))
            .for_each(|p| references.of_pattern(p));
        let referenced: Vec<u64> = references
            .messages
            .iter()
            .map(|m| self.digest(m, within))
            .collect();
        let terms = references.terms.then_some(self.terms);
        within.pop();
        reads::digest_of(&(format!("{value:?}{attributes:?}"), referenced, terms))
    }

    /// Parses one file's text and adds it, reporting syntax errors and
    /// same-side duplicates.
    fn add_source(&mut self, text: String, origin: Origin, shown: &Path, diagnostics: &mut Vec<Diagnostic>) {
        let resource = match FluentResource::try_new(text) {
            Ok(res) => res,
            // The resource still holds every entry that parsed.
            Err((res, errors)) => {
                for err in &errors {
                    diagnostics.push(syntax_diagnostic(err, res.source(), shown));
                }
                res
            }
        };
        for entry in resource.entries() {
            match entry {
                ast::Entry::Message(msg) => {
                    self.message_ids.insert(msg.id.name.to_string());
                }
                ast::Entry::Term(term) => self.terms = reads::digest_of(&(self.terms, format!("{term:?}"))),
                _ => {}
            }
        }
        // Site resources are added before the theme's and `add_resource`
        // keeps the first definition of an id, so the site always wins.
        if let Err(errors) = self.bundle.add_resource(resource) {
            for err in errors {
                if let (FluentError::Overriding { kind, id }, Origin::Site) = (&err, origin) {
                    diagnostics.push(
                        Diagnostic::warning(format!("Fluent {kind} `{id}` is defined more than once"))
                            .in_file(shown.to_path_buf())
                            .with_hint(
                                "the first definition (in file name order) is used; remove the others",
                            ),
                    );
                }
                // Theme duplicates are expected (the site overrides them) and
                // a theme's own repeats are the theme author's concern.
            }
        }
    }
}

/// The most digits a `NUMBER()` option may ask for: ECMA-402's limit for
/// fraction digits (`Intl.NumberFormat` refuses more), and more than any
/// integer or significant-digit count it allows.
const MAX_NUMBER_DIGITS: usize = 100;

/// Fluent's `NUMBER()`, with its digit options capped at
/// [`MAX_NUMBER_DIGITS`]: fluent-bundle pads with as many zeros as a file
/// asks for, so `minimumFractionDigits: 99999999999999999999` in a
/// translator's file made it abort on a capacity overflow (found by the
/// `fluent` fuzz target), and a merely large value made every page carry
/// megabytes of zeros.
#[allow(non_snake_case)]
fn bounded_number<'a>(positional: &[FluentValue<'a>], named: &FluentArgs) -> FluentValue<'a> {
    let Some(FluentValue::Number(n)) = positional.first() else {
        return FluentValue::Error;
    };
    let mut n = n.clone();
    n.options.merge(named);
    let options = &mut n.options;
    for digits in [
        &mut options.minimum_integer_digits,
        &mut options.minimum_fraction_digits,
        &mut options.maximum_fraction_digits,
        &mut options.minimum_significant_digits,
        &mut options.maximum_significant_digits,
    ] {
        *digits = digits.map(|d| d.min(MAX_NUMBER_DIGITS));
    }
    FluentValue::Number(n)
}

/// `key.attr` -> (`key`, Some(`attr`)).
fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((id, attr)) => (id, Some(attr)),
        None => (key, None),
    }
}

fn to_fluent_args<'a>(args: &'a [(&'a str, MessageArg)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value = match value {
            MessageArg::Str(s) => FluentValue::from(s.as_str()),
            // Fluent panics when computing plural operands of NaN or infinity,
            // so such values are passed as plain text.
            MessageArg::Number(n) if !n.is_finite() => FluentValue::from(n.to_string()),
            MessageArg::Number(n) => FluentValue::from(*n),
        };
        out.set(*name, value);
    }
    out
}

fn describe_error(err: &FluentError) -> String {
    match err {
        FluentError::ResolverError(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// A syntax error as a diagnostic pointing at the line and column.
pub fn syntax_diagnostic(err: &ParserError, source: &str, shown: &Path) -> Diagnostic {
    // The parser often notices an unclosed `{` only at the next entry; the
    // entry it was reading (`slice`) is where the mistake is.
    let stopped = Location::from_offset(source, err.pos.start);
    let entry = err.slice.as_ref().map(|s| Location::from_offset(source, s.start));
    let (loc, note) = match entry {
        Some(e) if e.line < stopped.line => (e, format!(" (the parser stopped at line {})", stopped.line)),
        _ => (stopped, String::new()),
    };
    Diagnostic::error(format!("Fluent syntax error: {}{note}", readable_kind(err)))
        .in_file(shown.to_path_buf())
        .at(loc)
        .with_hint(
            "messages look like `key = Text { $variable }`; continuation lines must be indented. \
             The rest of the file was still loaded",
        )
}

/// fluent-syntax's messages start with a capital and quote tokens oddly;
/// lower-case the first letter so it reads well after our prefix.
fn readable_kind(err: &ParserError) -> String {
    let text = err.kind.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// A language's Fluent files, the site's (`<site_root>/locales/<lang>/`)
/// before the theme's, each with its path and its path as shown to users
/// (relative to the site root). The order decides precedence.
pub fn locale_files(site_root: &Path, theme_dir: &Path, lang: &str) -> Vec<(PathBuf, PathBuf)> {
    [site_root, theme_dir]
        .iter()
        .flat_map(|base| ftl_files(&base.join("locales").join(lang)))
        .map(|file| {
            let shown = relative_to(&file, site_root);
            (file, shown)
        })
        .collect()
}

/// The `.ftl` files directly in `dir`, sorted; none if `dir` is missing.
fn ftl_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "ftl"))
        .collect();
    files.sort();
    files
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
#[path = "messages_tests.rs"]
mod tests;
