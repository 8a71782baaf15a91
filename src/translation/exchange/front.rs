//! Editing a translation's front matter line by line: a key's whole entry
//! (its line and the indented lines under it) is replaced or added before
//! the closing `---`; every other line stays as the translator wrote it.

use crate::content::TranslationStatus;

/// A YAML double-quoted scalar.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Sets the top-level `key` of `yaml` (front matter lines, without the
/// `---` lines) to `entry` (one or more lines, without a final newline).
pub fn set(yaml: &str, key: &str, entry: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + entry.len() + 2);
    let mut replaced = false;
    let mut skipping = false;
    for line in yaml.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            skipping = false;
        }
        if top_level && is_key(line, key) {
            if !replaced {
                out.push_str(entry);
                out.push('\n');
                replaced = true;
            }
            skipping = true;
            continue;
        }
        if skipping && !top_level {
            continue;
        }
        out.push_str(line);
    }
    if !replaced {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(entry);
        out.push('\n');
    }
    out
}

/// Removes a top-level key's entry.
pub fn remove(yaml: &str, key: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    let mut skipping = false;
    for line in yaml.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            skipping = is_key(line, key);
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

fn is_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The `translation:` entry.
pub fn translation_entry(status: TranslationStatus, by: Option<&str>) -> String {
    let status = match status {
        TranslationStatus::Machine => "machine",
        TranslationStatus::Draft => "draft",
        TranslationStatus::Reviewed => "reviewed",
    };
    match by {
        Some(by) => format!("translation:\n  status: {status}\n  by: {}", yaml_string(by)),
        None => format!("translation:\n  status: {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_whole_entry_and_keeps_the_rest() {
        let yaml = "title: Old\ndescription: |\n  two\n  lines\nweight: 3 # mine\n";
        let out = set(yaml, "description", "description: \"New\"");
        assert_eq!(out, "title: Old\ndescription: \"New\"\nweight: 3 # mine\n");
        let out = set(&out, "summary", "summary: \"S\"");
        assert!(out.ends_with("weight: 3 # mine\nsummary: \"S\"\n"));
        assert_eq!(
            remove("a: 1\ntranslation:\n  status: machine\nb: 2\n", "translation"),
            "a: 1\nb: 2\n"
        );
        assert_eq!(yaml_string("a \"b\"\\"), "\"a \\\"b\\\"\\\\\"");
    }
}
