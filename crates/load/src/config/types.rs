//! Content types declared under `types:` in `site.yaml`: named sets of typed
//! front matter fields (a `document` has a number, a kind, an issuing
//! body…). This module owns their declaration and its validation; checking
//! a page's values against a type is `content::types`' job.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::policy::{RawPolicy, RawPolicyLanguages};
use super::{RESERVED_FIELDS, config_error};
use vitrine_core::diagnostics::Diagnostics;

/// A content type as written in `site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContentType {
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, RawField>,
    /// The type's language policy, as a `language_policy` rule would say.
    #[serde(default)]
    pub languages: Option<RawPolicyLanguages>,
    #[serde(default)]
    pub max_stale_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    /// The allowed values of an `enum` field.
    #[serde(default)]
    pub values: Vec<String>,
}

/// The type of a field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    String,
    /// Longer text; rendered by templates with the `markdown` filter if wanted.
    Text,
    /// A date as in `date:` (`2025-07-01`, RFC 3339…).
    Date,
    Number,
    Bool,
    /// A list of strings.
    List,
    /// One of the listed values.
    Enum(Vec<String>),
}

impl FieldKind {
    /// How the type is written in `site.yaml`, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            FieldKind::String => "string",
            FieldKind::Text => "text",
            FieldKind::Date => "date",
            FieldKind::Number => "number",
            FieldKind::Bool => "bool",
            FieldKind::List => "list",
            FieldKind::Enum(_) => "enum",
        }
    }
}

/// One typed field of a content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
    pub required: bool,
}

/// A validated content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    pub name: String,
    /// The template its pages use unless they name another.
    pub template: Option<String>,
    /// In name order (as `site.yaml` maps are read).
    pub fields: Vec<FieldSpec>,
}

impl ContentType {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const KINDS: &str = "string, text, date, number, bool, list, enum";

/// Checks the declared types: known field types, enums with values, field
/// names that do not shadow built-in fields or taxonomies.
pub fn validate(
    raw: BTreeMap<String, RawContentType>,
    taxonomies: &[String],
    errors: &mut Diagnostics,
) -> Vec<ContentType> {
    let mut types = Vec::new();
    for (name, raw_type) in raw {
        let mut fields = Vec::new();
        for (field_name, field) in raw_type.fields {
            let at = &field.kind.referenced;
            if RESERVED_FIELDS.contains(&field_name.as_str()) || taxonomies.contains(&field_name) {
                errors.push(config_error(
                    format!("field `{field_name}` of type `{name}` shadows a built-in field or a taxonomy"),
                    at,
                    "rename the field, e.g. `issued` instead of `date`",
                ));
                continue;
            }
            let kind = match field.kind.value.as_str() {
                "string" => FieldKind::String,
                "text" => FieldKind::Text,
                "date" => FieldKind::Date,
                "number" => FieldKind::Number,
                "bool" => FieldKind::Bool,
                "list" => FieldKind::List,
                "enum" if field.values.is_empty() => {
                    errors.push(config_error(
                        format!("enum field `{field_name}` of type `{name}` lists no values"),
                        at,
                        "add `values: [first, second]`",
                    ));
                    continue;
                }
                "enum" => FieldKind::Enum(field.values.clone()),
                other => {
                    errors.push(config_error(
                        format!("`{other}` is not a field type"),
                        at,
                        &format!("use one of {KINDS}"),
                    ));
                    continue;
                }
            };
            if !field.values.is_empty() && !matches!(kind, FieldKind::Enum(_)) {
                errors.push(config_error(
                    format!("field `{field_name}` has `values` but is not an enum"),
                    at,
                    "write `type: enum` or remove `values`",
                ));
            }
            fields.push(FieldSpec {
                name: field_name,
                kind,
                required: field.required,
            });
        }
        types.push(ContentType {
            name,
            template: raw_type.template,
            fields,
        });
    }
    types
}

/// The language policy rules written inside the content types'
/// declarations (`types: {document: {languages: …, max_stale_days: …}}`),
/// taken out of them as `language_policy` rules for each type.
pub fn policy_rules(types: &mut BTreeMap<String, RawContentType>) -> Vec<RawPolicy> {
    let mut rules = Vec::new();
    for (name, t) in types.iter_mut() {
        if t.languages.is_none() && t.max_stale_days.is_none() {
            continue;
        }
        let unknown = serde_saphyr::Location::UNKNOWN;
        rules.push(RawPolicy {
            section: None,
            content_type: Some(Spanned::new(name.clone(), unknown, unknown)),
            languages: t.languages.take().unwrap_or_default(),
            max_stale_days: t.max_stale_days.take(),
        });
    }
    rules
}
