//! Front matter: the YAML between `---` lines at the top of a content file,
//! validated field by field. Unknown fields are errors (typos must not pass
//! silently); taxonomy fields are the ones `site.yaml` declares.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::dates::parse_date;
use crate::config::sources::SourceCanonical;
use crate::config::{Config, RESERVED_FIELDS, yaml_error};
use vitrine_core::diagnostics::{Diagnostic, Location};
use vitrine_core::safe_url::is_web_url;

mod rare;
mod written;
use rare::Rare;
pub use rare::RareFields;
pub use written::{TermList, WrittenTerms};

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Date,
    Weight,
    Title,
}

/// One dated entry of a page's public log of corrections.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub date: String,
    pub text: String,
}

/// One public change note (`changes:`): a major change, which moves the
/// page's public "updated" date. A minor edit (a typo) adds none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    date: Spanned<String>,
    note: String,
}

/// A change note with its date checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub date: DateTime<FixedOffset>,
    pub note: String,
}

fn rfc3339<S: serde::Serializer>(date: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&date.to_rfc3339())
}

/// [`rfc3339`] read back (the build cache keeps front matter).
fn from_rfc3339<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let text = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
}

/// Who translated a page, and how far the translation can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationInfo {
    pub status: TranslationStatus,
    #[serde(default)]
    pub by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    Machine,
    Draft,
    Reviewed,
}

/// Where an imported page came from (`vitrine import`): credited on the
/// page, in lists and in feeds, and the page's canonical URL unless the
/// source lets us republish as our own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    /// The source's name as readers see it ("Vietnam News Agency").
    pub name: String,
    /// The original article.
    pub url: String,
    /// The feed the page was imported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// The item's identity in its feed: how a new import finds this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// `self`: the page's own URL is its canonical; `original` (default):
    /// the original article is.
    #[serde(default)]
    pub canonical: SourceCanonical,
    /// The hash of the page as imported: a page whose text no longer
    /// matches it was edited, and a new import leaves it alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// The front matter as written, before dates and taxonomies are checked.
/// (No `deny_unknown_fields`: serde cannot combine it with `flatten`, so
/// unknown fields land in `other` and are reported by `parse`.)
#[derive(Debug, Deserialize)]
struct RawFrontMatter {
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    updated: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    expiry_date: Option<Spanned<String>>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    weight: Option<i64>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    translation_key: Option<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    image_alt: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    extra: Option<serde_json::Value>,
    #[serde(default)]
    corrections: Vec<Correction>,
    #[serde(default)]
    changes: Vec<RawChange>,
    #[serde(default)]
    withheld: Vec<Spanned<String>>,
    #[serde(default)]
    translation: Option<TranslationInfo>,
    #[serde(default)]
    source_hash: Option<String>,
    #[serde(default)]
    source_language: Option<String>,
    #[serde(default)]
    source: Option<SourceRecord>,
    #[serde(default)]
    search: Option<bool>,
    #[serde(default, rename = "type")]
    content_type: Option<String>,
    #[serde(default)]
    sort_by: Option<SortBy>,
    #[serde(default)]
    paginate_by: Option<usize>,
    #[serde(default)]
    transparent: bool,
    #[serde(default)]
    featured: Vec<String>,
    #[serde(default)]
    renamed_from: Vec<String>,
    /// Everything else: taxonomies if `site.yaml` declares them, else errors.
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

/// Validated front matter of a page or section: the fields most pages
/// write (and lists, feeds and the search index read) inline, the rest
/// behind [`FrontMatter::rare`]. Serde reads and writes it as the build
/// cache keeps it, once checked; editors' YAML is read by [`parse`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    pub expiry_date: Option<DateTime<FixedOffset>>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    /// Terms by taxonomy name, in the order written, with where each is
    /// written (so the model can point at a term it cannot resolve).
    pub taxonomies: WrittenTerms,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub author: Option<String>,
    pub search: bool,
    /// The fields few pages write, boxed and left out when none is: every
    /// document holds its front matter for the whole build, and inline
    /// they doubled it (1,024 bytes a document). Boxing them cut a
    /// 10,000-article × 5 build's peak by about 9% (410–425 → 375–383
    /// thousand KB, measured before the other savings of that change).
    rare: Rare,
}

/// A content file split into its front matter and body.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
}

impl FrontMatter {
    /// The fields few pages write: their defaults when the page wrote none.
    pub fn rare(&self) -> &RareFields {
        self.rare.fields()
    }

    /// The fields few pages write, to change them.
    pub fn rare_mut(&mut self) -> &mut RareFields {
        self.rare.fields_mut()
    }

    /// Sets the fields few pages write, holding none when all are defaults.
    pub fn set_rare(&mut self, rare: RareFields) {
        self.rare = Rare::new(rare);
    }

    /// The public "updated" date: `updated`, moved forward by the newest
    /// change note. Minor edits touch neither, so no public date moves.
    pub fn public_updated(&self) -> Option<DateTime<FixedOffset>> {
        self.rare().changes.first().map(|c| c.date).max(self.updated)
    }
}

/// Splits `---\n<yaml>\n---\n<body>`. A file without front matter is an
/// error: every page needs at least a title.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || {
        Diagnostic::error("the file does not start with front matter")
            .at_line(1, 1)
            .with_hint("start the file with a `---` line, then `title: \"…\"`, then another `---` line")
    };
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let yaml_lines = yaml.matches('\n').count();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line: 3 + yaml_lines,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("the front matter is not closed")
        .at_line(1, 1)
        .with_hint("end the front matter with a line holding only `---`"))
}

/// Parses and validates front matter. Errors carry file lines, not YAML lines.
pub fn parse(split: &Split<'_>, config: &Config, file: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    let line_offset = split.yaml_line - 1;
    let raw: RawFrontMatter = if split.yaml.trim().is_empty() {
        return Err(vec![missing_title(file, 1)]);
    } else {
        serde_saphyr::from_str(split.yaml).map_err(|e| vec![yaml_error(&e, file, line_offset, split.yaml)])?
    };
    let mut errors = Vec::new();
    let at_key = |key: &str| key_location(split.yaml, key).map(|l| l.offset_lines(line_offset));
    let mut date_field = |value: &Option<Spanned<String>>, name: &str| {
        let v = value.as_ref()?;
        match parse_date(&v.value) {
            Some(d) => Some(d),
            None => {
                let mut d = Diagnostic::error(format!("`{name}` is not a date: `{}`", v.value))
                    .in_file(file)
                    .with_hint("write a date as 2025-09-02 or 2025-09-02T09:00:00+07:00");
                if let Some(l) = spanned(&v.referenced, line_offset).or_else(|| at_key(name)) {
                    d = d.at(l);
                }
                errors.push(d);
                None
            }
        }
    };
    let date = date_field(&raw.date, "date");
    let updated = date_field(&raw.updated, "updated");
    let expiry_date = date_field(&raw.expiry_date, "expiry_date");
    let mut changes: Vec<Change> = raw
        .changes
        .iter()
        .filter_map(|c| {
            let date = date_field(&Some(c.date.clone()), "changes.date")?;
            Some(Change {
                date,
                note: c.note.clone(),
            })
        })
        .collect();
    changes.sort_by_key(|c| std::cmp::Reverse(c.date));
    let mut taxonomies = Vec::new();
    let featured_at = match raw.featured.is_empty() {
        true => Vec::new(),
        false => item_locations(split.yaml, "featured", &raw.featured, line_offset),
    };
    let content_type = match raw.content_type.as_deref() {
        None => None,
        Some(name) => match config.content_type(name) {
            Some(t) => Some(t),
            None => {
                let mut d = Diagnostic::error(format!("`{name}` is not a content type of the site"))
                    .in_file(file)
                    .with_hint(unknown_type_hint(config));
                if let Some(l) = at_key("type") {
                    d = d.at(l);
                }
                errors.push(d);
                None
            }
        },
    };
    let mut typed_values = BTreeMap::new();
    for (key, value) in raw.other {
        let location = at_key(&key);
        if content_type.is_some_and(|t| t.field(&key).is_some()) {
            typed_values.insert(key, (value, location));
            continue;
        }
        if config.taxonomy(&key).is_none() {
            let mut d = Diagnostic::error(format!("unknown field `{key}`"))
                .in_file(file)
                .with_hint(unknown_field_hint(config, &key));
            if let Some(l) = location {
                d = d.at(l);
            }
            errors.push(d);
            continue;
        }
        match terms(&value) {
            Some(list) => {
                let at = item_locations(split.yaml, &key, &list, line_offset);
                taxonomies.push(TermList::new(&key, list, at));
            }
            None => {
                let mut d = Diagnostic::error(format!("`{key}` must be a list of terms"))
                    .in_file(file)
                    .with_hint(format!("write it as {key}: [\"first\", \"second\"]"));
                if let Some(l) = location {
                    d = d.at(l);
                }
                errors.push(d);
            }
        }
    }
    if let Some(code) = raw.source_language.as_deref().filter(|c| !config.is_language(c)) {
        let mut d = Diagnostic::error(format!(
            "`source_language` names `{code}`, which is not a language of the site"
        ))
        .in_file(file)
        .with_hint("use one of the codes listed under `languages:` in site.yaml");
        if let Some(l) = at_key("source_language") {
            d = d.at(l);
        }
        errors.push(d);
    }
    if let Some(source) = &raw.source {
        errors.extend(check_source(source, file, at_key("source")));
    }
    for code in raw
        .withheld
        .iter()
        .filter(|c| !config.is_language(&c.value) || c.value == config.default_language)
    {
        let (message, hint) = if config.is_language(&code.value) {
            (
                format!("`withheld` names the default language `{}`", code.value),
                "every page falls back to the default language; it cannot be withheld",
            )
        } else {
            (
                format!(
                    "`withheld` names `{}`, which is not a language of the site",
                    code.value
                ),
                "use one of the codes listed under `languages:` in site.yaml",
            )
        };
        let mut d = Diagnostic::error(message).in_file(file).with_hint(hint);
        if let Some(l) = spanned(&code.referenced, line_offset).or_else(|| at_key("withheld")) {
            d = d.at(l);
        }
        errors.push(d);
    }
    if let Some(image) = raw.image.as_deref()
        && let Err(e) = vitrine_core::safe_url::SafeUrl::parse(image, &config.urls)
    {
        let mut d = Diagnostic::error(format!("`image`: {e}"))
            .in_file(file)
            .with_hint(e.hint());
        if let Some(l) = at_key("image") {
            d = d.at(l);
        }
        errors.push(d);
    }
    let mut fields = BTreeMap::new();
    if let Some(t) = content_type {
        match super::types::check(t, typed_values, at_key("type"), file) {
            Ok(f) => fields = f,
            Err(e) => errors.extend(e),
        }
    }
    let title = match raw.title {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            errors.push(missing_title(file, split.yaml_line));
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut front = FrontMatter {
        title,
        description: raw.description,
        summary: raw.summary,
        date,
        updated,
        draft: raw.draft,
        expiry_date,
        slug: raw.slug,
        weight: raw.weight,
        taxonomies: WrittenTerms::new(taxonomies),
        image: raw.image,
        image_alt: raw.image_alt,
        author: raw.author,
        search: raw.search.unwrap_or(true),
        rare: Rare::default(),
    };
    front.set_rare(RareFields {
        aliases: raw.aliases,
        template: raw
            .template
            .or_else(|| content_type.and_then(|t| t.template.clone())),
        translation_key: raw.translation_key,
        extra: raw.extra.unwrap_or(serde_json::Value::Object(Default::default())),
        corrections: raw.corrections,
        changes,
        withheld: raw.withheld.into_iter().map(|c| c.value).collect(),
        translation: raw.translation,
        source_hash: raw.source_hash,
        source_language: raw.source_language,
        source: raw.source,
        content_type: raw.content_type,
        fields,
        sort_by: raw.sort_by.unwrap_or_default(),
        paginate_by: raw.paginate_by.filter(|n| *n > 0),
        transparent: raw.transparent,
        featured: raw.featured,
        featured_at,
        renamed_from: raw.renamed_from,
    });
    Ok(front)
}

/// A source must name itself and link to an http(s) original: the link is
/// shown to readers and may become the page's canonical URL.
fn check_source(source: &SourceRecord, file: &str, at: Option<Location>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut error = |message: String, hint: &str| {
        let mut d = Diagnostic::error(message).in_file(file).with_hint(hint);
        if let Some(l) = at {
            d = d.at(l);
        }
        errors.push(d);
    };
    if source.name.trim().is_empty() {
        error(
            "`source.name` is empty".to_string(),
            "name the source as readers should see it, such as `name: \"Vietnam News Agency\"`",
        );
    }
    for (field, value) in [("url", Some(&source.url)), ("feed", source.feed.as_ref())] {
        if let Some(value) = value.filter(|v| !is_web_url(v)) {
            error(
                format!("`source.{field}` is not an http or https URL: `{value}`"),
                "write the full address of the original, such as `https://example.org/news/1`",
            );
        }
    }
    errors
}

fn missing_title(file: &str, line: usize) -> Diagnostic {
    Diagnostic::error("the front matter has no `title`")
        .in_file(file)
        .at_line(line, 1)
        .with_hint("add a line such as `title: \"Áo dài\"`")
}

fn unknown_type_hint(config: &Config) -> String {
    if config.types.is_empty() {
        "declare it under `types:` in site.yaml, or remove `type:`".to_string()
    } else {
        let names: Vec<&str> = config.types.iter().map(|t| t.name.as_str()).collect();
        format!(
            "the site's types are {}; declare new ones under `types:` in site.yaml",
            names.join(", ")
        )
    }
}

fn unknown_field_hint(config: &Config, key: &str) -> String {
    let taxonomies: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let closest = RESERVED_FIELDS
        .iter()
        .chain(&taxonomies)
        .map(|known| (strsim::damerau_levenshtein(key, known), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min();
    if let Some((_, known)) = closest {
        return format!("did you mean `{known}`? Free data belongs under `extra:`");
    }
    if taxonomies.is_empty() {
        "check the spelling; free data belongs under `extra:`".to_string()
    } else {
        format!(
            "check the spelling; the site's taxonomies are {}; free data belongs under `extra:`",
            taxonomies.join(", ")
        )
    }
}

fn spanned(loc: &serde_saphyr::Location, line_offset: usize) -> Option<Location> {
    (loc.line() > 0)
        .then(|| Location::new(loc.line() as usize, loc.column() as usize).offset_lines(line_offset))
}

/// Where a top-level `key:` is written in the YAML text (serde's flattened
/// map loses positions, so find the key by its line).
fn key_location(yaml: &str, key: &str) -> Option<Location> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start()
            .starts_with(':')
            .then(|| Location::new(i + 1, 1))
    })
}

/// Where each of `items` of the list `key:` is written: searched in order
/// from the key's line, quoted or bare (serde's flattened map loses
/// positions). An item not found is placed at its key.
fn item_locations(yaml: &str, key: &str, items: &[String], line_offset: usize) -> Vec<Location> {
    let Some(start) = key_location(yaml, key) else {
        return Vec::new();
    };
    let lines: Vec<&str> = yaml.lines().collect();
    // The key's block: its line and the indented or `-` lines below it.
    let end = (start.line..lines.len())
        .find(|&i| lines[i].starts_with(|c: char| !c.is_whitespace() && c != '-'))
        .unwrap_or(lines.len());
    let mut cursor = (start.line - 1, key.len() + 1);
    items
        .iter()
        .map(|item| {
            let found = (cursor.0..end).find_map(|i| {
                let from = if i == cursor.0 {
                    cursor.1.min(lines[i].len())
                } else {
                    0
                };
                let at = lines[i].get(from..)?.find(item.as_str())? + from;
                Some((i, at))
            });
            match found {
                Some((i, at)) => {
                    cursor = (i, at + item.len());
                    let column = lines[i][..at].chars().count() + 1;
                    Location::new(i + 1, column).offset_lines(line_offset)
                }
                None => start.offset_lines(line_offset),
            }
        })
        .collect()
}

fn terms(value: &serde_json::Value) -> Option<Vec<String>> {
    match value {
        serde_json::Value::String(s) => Some(vec![s.clone()]),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        serde_json::Value::Null => Some(Vec::new()),
        _ => None,
    }
}
