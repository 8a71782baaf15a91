//! Structured data for templates: every `data/*.yaml` file, keyed by its
//! file stem (`data/key_figures.yaml` → `site.data.key_figures`).

use std::path::Path;

use crate::config::yaml_error;
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};

pub const DATA_DIR: &str = "data";

pub fn load(root: &Path) -> (serde_json::Value, Diagnostics) {
    let mut map = serde_json::Map::new();
    let mut diagnostics = Diagnostics::new();
    let Ok(dir) = std::fs::read_dir(root.join(DATA_DIR)) else {
        return (serde_json::Value::Object(map), diagnostics);
    };
    let mut paths: Vec<_> = dir.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !path.is_file() || !matches!(ext, "yaml" | "yml") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let file = format!(
            "{DATA_DIR}/{}",
            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        );
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_saphyr::from_str::<serde_json::Value>(&text) {
                Ok(value) => {
                    map.insert(stem.to_string(), value);
                }
                Err(e) => diagnostics.push(yaml_error(&e, &file, 0, &text)),
            },
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!("cannot read the data file: {e}")).in_file(file))
            }
        }
    }
    (serde_json::Value::Object(map), diagnostics)
}
