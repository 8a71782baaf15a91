//! `vitrine i18n export --fluent`: the interface messages a language lacks
//! or lets fall out of step with the source (a missing value, attribute or
//! variable), as an `.ftl` skeleton that Pontoon, Weblate or an editor
//! opens. Each entry is the source's own text, copied line for line from
//! its file, under a comment saying why it is there. What is missing is the
//! lint's knowledge ([`crate::translation::ftl`]); this only writes it out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::translation::ftl::{Definition, Locale};

/// The skeleton for `lang`, and how many messages it holds.
pub fn skeleton(config: &Config, lang: &str) -> (String, usize) {
    let theme_dir = config.theme_dir();
    let source_lang = config.default_language.as_str();
    let source = Locale::load(&config.root, &theme_dir, source_lang);
    let target = Locale::load(&config.root, &theme_dir, lang);
    let mut missing = Vec::new();
    let mut stale = Vec::new();
    for (id, def) in &source.definitions {
        match target.definitions.get(id) {
            None => missing.push((id, def, String::new())),
            Some(tr) => {
                let reasons = out_of_step(def, tr);
                if !reasons.is_empty() {
                    stale.push((
                        id,
                        def,
                        format!("{} (now {}:{})", reasons.join("; "), tr.file, tr.line),
                    ));
                }
            }
        }
    }
    let mut files: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Interface messages missing or out of step in `{lang}`, copied from `{source_lang}`.\n# Translate the values; keep the ids, {{ $variables }}, {{ -terms }} and .attributes.\n"
    );
    for (title, list) in [("Missing", &missing), ("Out of step with the source", &stale)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        for (id, def, why) in list.iter() {
            let text = files
                .entry(def.file.clone())
                .or_insert_with(|| read(config, &def.file))
                .as_deref()
                .and_then(|t| entry_text(t, def.line));
            let Some(text) = text else {
                continue;
            };
            let where_ = format!("{}:{}", def.file, def.line);
            if why.is_empty() {
                let _ = writeln!(out, "# {id}: from {where_}");
            } else {
                let _ = writeln!(out, "# {id}: {why}; source at {where_}");
            }
            let _ = writeln!(out, "{}\n", text.trim_end());
        }
    }
    (out, missing.len() + stale.len())
}

fn out_of_step(src: &Definition, tr: &Definition) -> Vec<String> {
    let mut reasons = Vec::new();
    if src.has_value && !tr.has_value {
        reasons.push("no value".to_string());
    }
    for attr in src.attributes.keys().filter(|a| !tr.attributes.contains_key(*a)) {
        reasons.push(format!("attribute .{attr} missing"));
    }
    for var in src.variables.difference(&tr.variables) {
        reasons.push(format!("variable ${var} not used"));
    }
    reasons
}

fn read(config: &Config, shown: &str) -> Option<String> {
    let candidates = [config.root.join(shown), config.theme_dir().join(shown)];
    candidates.iter().find_map(|p| std::fs::read_to_string(p).ok())
}

/// The lines of the entry starting at 1-based `line`: it and the indented
/// or blank lines after it, up to the next entry or comment.
fn entry_text(text: &str, line: usize) -> Option<String> {
    let mut lines = text.lines().skip(line.checked_sub(1)?);
    let mut out = String::from(lines.next()?);
    out.push('\n');
    for l in lines {
        if !l.is_empty() && !l.starts_with([' ', '\t']) {
            break;
        }
        out.push_str(l);
        out.push('\n');
    }
    Some(out)
}
