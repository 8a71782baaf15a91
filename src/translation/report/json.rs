//! The JSON report: a stable document for CI dashboards. Its schema is
//! documented in the README; `version` changes when a field changes
//! meaning or disappears (new fields may be added within a version).

use serde_json::{Value, json};

use crate::translation::Status;

pub const VERSION: u32 = 1;

pub fn render(status: &Status) -> Value {
    let c = &status.coverage;
    let languages: Vec<Value> = status
        .names
        .iter()
        .filter_map(|(code, name)| {
            let counts = c.totals.get(code)?;
            let mut v = serde_json::to_value(counts).ok()?;
            v["code"] = json!(code);
            v["name"] = json!(name);
            Some(v)
        })
        .collect();
    let sections: Vec<Value> = c
        .sections
        .iter()
        .map(|(section, by_lang)| json!({ "section": section, "languages": by_lang }))
        .collect();
    json!({
        "version": VERSION,
        "default_language": c.default_language,
        "languages": languages,
        "sections": sections,
        "pages": c.rows,
        "unpublished": status.unpublished,
        "policy": status.policy,
        "fluent": {
            "errors": status.fluent.error_count(),
            "warnings": status.fluent.warning_count(),
            "diagnostics": status.fluent,
        },
    })
}
