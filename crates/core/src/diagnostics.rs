//! Diagnostics: every problem found in a site is a [`Diagnostic`] value that
//! keeps its file, line and column as data, so a build can collect all of them
//! and print them once, like a compiler, with the offending source line.
//!
//! Nothing here decides *what* is wrong; the stages that find problems build
//! diagnostics and this module only carries and renders them.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::{Deserialize, Serialize};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(line: usize, column: usize) -> Self {
        Location {
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The location of a byte offset in `source`.
    ///
    /// ```
    /// use vitrine_core::diagnostics::Location;
    /// let text = "title: x\nđề: y\n";
    /// assert_eq!(Location::from_offset(text, text.find('y').unwrap_or(0)), Location::new(2, 5));
    /// ```
    pub fn from_offset(source: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        Location { line, column }
    }

    /// This location shifted down by `lines` lines (for text embedded in a
    /// file, such as front matter after the opening `---`).
    pub fn offset_lines(self, lines: usize) -> Self {
        Location {
            line: self.line + lines,
            column: self.column,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in the site: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file, relative to the site root where possible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A short note shown under the offending source line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the user can do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            location: None,
            label: None,
            hint: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_line(self, line: usize, column: usize) -> Self {
        self.at(Location::new(line, column))
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders this diagnostic like a compiler error. `root` is where relative
    /// file paths are read from to show the offending line.
    pub fn render(&self, root: &Path, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.as_ref().map(|p| p.display().to_string());
        let source = match (&self.file, self.location) {
            (Some(file), Some(loc)) => std::fs::read_to_string(root.join(file))
                .ok()
                .and_then(|text| source_line(&text, loc)),
            _ => None,
        };
        let title = level.primary_title(self.message.as_str());
        let mut group = Group::with_title(title);
        match (&path, &source, self.location) {
            (Some(path), Some((line_text, span)), Some(loc)) => {
                let annotation = AnnotationKind::Primary
                    .span(span.clone())
                    .label(self.label.as_deref());
                group = group.element(
                    Snippet::source(line_text.as_str())
                        .line_start(loc.line)
                        .path(path.as_str())
                        .annotation(annotation),
                );
            }
            (Some(path), _, location) => {
                let mut origin = Origin::path(path.as_str());
                if let Some(loc) = location {
                    origin = origin.line(loc.line).char_column(loc.column);
                }
                group = group.element(origin);
            }
            _ => {}
        }
        let mut groups = vec![group];
        if let Some(hint) = &self.hint {
            groups.push(Group::with_title(Level::HELP.secondary_title(hint.as_str())));
        }
        renderer.render(&groups)
    }
}

/// The text of the line at `loc` and the byte span of the annotated part
/// (from the column to the end of the word, at least one character).
fn source_line(text: &str, loc: Location) -> Option<(String, std::ops::Range<usize>)> {
    let line = text.lines().nth(loc.line.checked_sub(1)?)?.to_string();
    let start = line
        .char_indices()
        .nth(loc.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let word = rest
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    Some((line.clone(), start..start + word))
}

impl fmt::Display for Diagnostic {
    /// A one-line form: `file:line:col: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(loc) = self.location {
                write!(f, ":{}:{}", loc.line, loc.column)?;
            }
            write!(f, ": ")?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.message)
    }
}

/// All the problems a stage or a whole build found, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then position, and drops exact duplicates, so output
    /// does not depend on the order parallel stages finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.location, a.severity, &a.message).cmp(&(&b.file, b.location, b.severity, &b.message))
        });
        self.0.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl Diagnostics {
    /// Prints every diagnostic to stderr, coloured when stderr is a
    /// terminal. `root` is where relative file paths are read from.
    pub fn print(&self, root: &Path) {
        use std::io::Write;
        let styled = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut err = anstream::stderr();
        for d in &self.0 {
            let _ = writeln!(err, "{}\n", d.render(root, &renderer));
        }
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "a: 1\nđề: x\n";
        assert_eq!(Location::from_offset(text, 0), Location::new(1, 1));
        let x = text.find('x').unwrap_or_default();
        assert_eq!(Location::from_offset(text, x), Location::new(2, 5));
    }

    #[test]
    fn display_names_file_line_and_column() {
        let d = Diagnostic::error("unknown field `titel`")
            .in_file("content/a.md")
            .at_line(2, 1);
        assert_eq!(d.to_string(), "content/a.md:2:1: error: unknown field `titel`");
    }
}
