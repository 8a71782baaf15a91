//! A page's typed fields: the front matter values of a page with `type:`,
//! checked against the content type `site.yaml` declares (required fields
//! present, values of the declared type, enum values known). Templates get
//! the checked values as `page.fields`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::dates::parse_date;
use crate::config::types::{ContentType, FieldKind};
use vitrine_core::diagnostics::{Diagnostic, Location};

/// Checks `values` (field name → value as written, with its location)
/// against `content_type`. Returns the fields for templates, or every error.
pub fn check(
    content_type: &ContentType,
    values: BTreeMap<String, (Value, Option<Location>)>,
    type_location: Option<Location>,
    file: &str,
) -> Result<BTreeMap<String, Value>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut fields = BTreeMap::new();
    for spec in &content_type.fields {
        match values.get(&spec.name) {
            Some((value, location)) => match checked(&spec.kind, value) {
                Ok(v) => {
                    fields.insert(spec.name.clone(), v);
                }
                Err((message, hint)) => {
                    let mut d = Diagnostic::error(format!("field `{}`: {message}", spec.name))
                        .in_file(file)
                        .with_hint(hint);
                    if let Some(l) = location {
                        d = d.at(*l);
                    }
                    errors.push(d);
                }
            },
            None if spec.required => {
                let mut d = Diagnostic::error(format!(
                    "a page of type `{}` needs the field `{}`",
                    content_type.name, spec.name
                ))
                .in_file(file)
                .with_hint(format!(
                    "add `{}: …` ({}) to the front matter",
                    spec.name,
                    spec.kind.name()
                ));
                if let Some(l) = type_location {
                    d = d.at(l);
                }
                errors.push(d);
            }
            // Every declared field is present for templates, so that
            // `{% if page.fields.status %}` works whether or not it was written.
            None => {
                fields.insert(spec.name.clone(), Value::Null);
            }
        }
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// The value as templates get it, or what is wrong and how to fix it.
fn checked(kind: &FieldKind, value: &Value) -> Result<Value, (String, String)> {
    let wrong = |expected: &str, example: &str| {
        Err((
            format!("expected {expected}, found {}", describe(value)),
            format!("write it as {example}"),
        ))
    };
    match (kind, value) {
        (FieldKind::String | FieldKind::Text, Value::String(_)) => Ok(value.clone()),
        // YAML reads `number: 15` as a number; for a string field that is fine.
        (FieldKind::String, Value::Number(n)) => Ok(Value::String(n.to_string())),
        (FieldKind::String, _) => wrong("a string", "\"…\""),
        (FieldKind::Text, _) => wrong("text", "a quoted string or a `|` block"),
        (FieldKind::Number, Value::Number(_)) => Ok(value.clone()),
        (FieldKind::Number, _) => wrong("a number", "42 or 3.5"),
        (FieldKind::Bool, Value::Bool(_)) => Ok(value.clone()),
        (FieldKind::Bool, _) => wrong("true or false", "true"),
        (FieldKind::Date, Value::String(s)) if parse_date(s).is_some() => {
            Ok(Value::String(s.trim().to_string()))
        }
        (FieldKind::Date, _) => wrong("a date", "2025-07-01"),
        (FieldKind::List, Value::Array(items)) if items.iter().all(|i| i.is_string() || i.is_number()) => {
            Ok(value.clone())
        }
        (FieldKind::List, _) => wrong("a list", "[\"first\", \"second\"]"),
        (FieldKind::Enum(values), Value::String(s)) if values.contains(s) => Ok(value.clone()),
        (FieldKind::Enum(values), Value::String(s)) => Err((
            format!("`{s}` is not one of the allowed values"),
            format!("use one of {}", values.join(", ")),
        )),
        (FieldKind::Enum(values), _) => Err((
            format!("expected one of the allowed values, found {}", describe(value)),
            format!("use one of {}", values.join(", ")),
        )),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text `{s}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a map".to_string(),
    }
}
