//! `vitrine i18n stamp`: records in a translation's front matter which
//! version of its source it follows. Only the `source_hash:` line is
//! written (replaced, or added before the closing `---`); every other byte
//! of the file stays as the translator left it.

use std::io::Write;
use std::path::Path;

/// Returns `text` with its front matter's `source_hash` set to `hash`, or
/// `None` when the file does not start with closed front matter.
pub fn set_source_hash(text: &str, hash: &str) -> Option<String> {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let rest = &text[bom.len()..];
    let first = rest.split_inclusive('\n').next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let newline = if first.ends_with("\r\n") { "\r\n" } else { "\n" };
    let new_line = format!("source_hash: \"{hash}\"{newline}");
    let mut offset = bom.len() + first.len();
    for line in rest[first.len()..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            // No `source_hash` yet: add it as the last front matter line.
            return Some(format!("{}{new_line}{}", &text[..offset], &text[offset..]));
        }
        if is_hash_line(line) {
            // Keep the line's own ending (a last line may lack one).
            let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
            let replaced = format!("source_hash: \"{hash}\"{ending}");
            return Some(format!(
                "{}{replaced}{}",
                &text[..offset],
                &text[offset + line.len()..]
            ));
        }
        offset += line.len();
    }
    None
}

/// A top-level `source_hash:` key (indented ones belong to other mappings).
fn is_hash_line(line: &str) -> bool {
    line.strip_prefix("source_hash")
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// Writes `text` to `path` through a temporary file in the same folder, so
/// an interrupted stamp never leaves half a translation.
///
/// The file gets the mode a plain write would give it, as editors, `sed -i`
/// and git do: a replaced file keeps its own mode, a new one gets 0666 less
/// the umask (0644 usually). A temporary file alone would be 0600, and the
/// translations and exchange files it writes are shared with translators,
/// the build and the web server.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let kept = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode given at creation is narrowed by the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    if let Some(mode) = kept {
        // Set after creation, so the umask does not narrow a mode the
        // owner chose.
        tmp.as_file().set_permissions(mode)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_hash_line() {
        let text = "---\ntitle:  \"Áo dài\"   # keep me\nsource_hash: \"old\"\nweight: 2\n---\nBody  text\n";
        let out = set_source_hash(text, "abc").expect("front matter");
        assert_eq!(
            out,
            "---\ntitle:  \"Áo dài\"   # keep me\nsource_hash: \"abc\"\nweight: 2\n---\nBody  text\n"
        );
    }

    #[test]
    fn adds_the_hash_before_the_closing_line_keeping_crlf() {
        let text = "\u{feff}---\r\ntitle: T\r\n---\r\nBody\r\n";
        let out = set_source_hash(text, "abc").expect("front matter");
        assert_eq!(
            out,
            "\u{feff}---\r\ntitle: T\r\nsource_hash: \"abc\"\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn ignores_nested_keys_and_refuses_files_without_front_matter() {
        let text = "---\nextra:\n  source_hash: x\n---\n";
        let out = set_source_hash(text, "h").expect("front matter");
        assert_eq!(out, "---\nextra:\n  source_hash: x\nsource_hash: \"h\"\n---\n");
        assert_eq!(set_source_hash("no front matter", "h"), None);
        assert_eq!(set_source_hash("---\ntitle: open\n", "h"), None);
    }
}
