//! The Fluent files of one language as the lint sees them: every message
//! and term with where it is defined, its attributes, the variables it
//! uses, the messages and terms it references, and its plural selectors.
//! fluent-syntax's AST carries no positions, so lines are found in the text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{self, Expression, InlineExpression, PatternElement, VariantKey};

use crate::diagnostics::{Diagnostic, Location};
use crate::i18n::locale_files;

/// A message (`id`) or term (`-id`) as defined in one language.
#[derive(Debug, Clone, Default)]
pub struct Definition {
    pub file: String,
    pub line: usize,
    pub has_value: bool,
    /// Attribute name → line.
    pub attributes: BTreeMap<String, usize>,
    /// Variables (`$name`) used anywhere in the value or attributes.
    pub variables: BTreeSet<String>,
    /// Referenced messages (`id`, `id.attr` reduced to `id`) and terms (`-id`).
    pub references: BTreeSet<String>,
    /// Each select on a number: its variant keys. (A select without a default
    /// variant is a syntax error, reported by the parser.)
    pub selects: Vec<Select>,
}

#[derive(Debug, Clone, Default)]
pub struct Select {
    pub keys: BTreeSet<String>,
    pub line: usize,
}

/// All definitions of one language; the site's win over the theme's.
#[derive(Debug, Default)]
pub struct Locale {
    /// Messages by id and terms by `-id`.
    pub definitions: BTreeMap<String, Definition>,
    pub syntax_errors: Vec<Diagnostic>,
}

impl Locale {
    /// Parses `locales/<lang>/*.ftl` of the site, then of the theme.
    pub fn load(site_root: &Path, theme_dir: &Path, lang: &str) -> Locale {
        let mut locale = Locale::default();
        for (path, shown) in locale_files(site_root, theme_dir, lang) {
            // Unreadable files are reported by the build's loader.
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            locale.add_file(&text, &shown.to_string_lossy().replace('\\', "/"));
        }
        locale
    }

    fn add_file(&mut self, text: &str, shown: &str) {
        let resource = match fluent_syntax::parser::parse(text) {
            Ok(r) => r,
            Err((r, errors)) => {
                for err in &errors {
                    self.syntax_errors
                        .push(crate::i18n::syntax_diagnostic(err, text, Path::new(shown)));
                }
                r
            }
        };
        let finder = LineFinder::new(text);
        for entry in &resource.body {
            let (key, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref(), &m.attributes),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
                _ => continue,
            };
            if self.definitions.contains_key(&key) {
                continue;
            }
            let line = finder.definition_line(&key);
            let mut def = Definition {
                file: shown.to_string(),
                line,
                has_value: value.is_some(),
                ..Definition::default()
            };
            let mut walker = Walker {
                def: &mut def,
                finder: &finder,
                from_line: line,
            };
            if let Some(v) = value {
                walker.pattern(v);
            }
            for attr in attributes {
                walker.pattern(&attr.value);
            }
            for attr in attributes {
                let attr_line = finder.attribute_line(line, attr.id.name);
                def.attributes.insert(attr.id.name.to_string(), attr_line);
            }
            self.definitions.insert(key, def);
        }
    }
}

struct Walker<'a> {
    def: &'a mut Definition,
    finder: &'a LineFinder<'a>,
    from_line: usize,
}

impl Walker<'_> {
    fn pattern(&mut self, pattern: &ast::Pattern<&str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &Expression<&str>) {
        match expression {
            Expression::Inline(inline) => self.inline(inline),
            Expression::Select { selector, variants } => {
                self.inline(selector);
                if is_numeric_selector(selector) {
                    self.def.selects.push(Select {
                        keys: variants.iter().map(|v| key_name(&v.key)).collect(),
                        line: self.finder.select_line(self.from_line),
                    });
                }
                for v in variants {
                    self.pattern(&v.value);
                }
            }
        }
    }

    fn inline(&mut self, inline: &InlineExpression<&str>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                self.def.variables.insert(id.name.to_string());
            }
            InlineExpression::MessageReference { id, .. } => {
                self.def.references.insert(id.name.to_string());
            }
            InlineExpression::TermReference { id, arguments, .. } => {
                self.def.references.insert(format!("-{}", id.name));
                if let Some(args) = arguments {
                    self.arguments(args);
                }
            }
            InlineExpression::FunctionReference { arguments, .. } => self.arguments(arguments),
            InlineExpression::Placeable { expression } => self.expression(expression),
            InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn arguments(&mut self, args: &ast::CallArguments<&str>) {
        for a in &args.positional {
            self.inline(a);
        }
        for a in &args.named {
            self.inline(&a.value);
        }
    }
}

/// `{ $count -> …}` and `{ NUMBER($n) -> …}` choose by plural category;
/// `{ -term.gender -> …}` and string selectors do not.
fn is_numeric_selector(selector: &InlineExpression<&str>) -> bool {
    match selector {
        InlineExpression::VariableReference { .. } => true,
        InlineExpression::FunctionReference { id, .. } => id.name == "NUMBER",
        _ => false,
    }
}

fn key_name(key: &VariantKey<&str>) -> String {
    match key {
        VariantKey::Identifier { name } => name.to_string(),
        VariantKey::NumberLiteral { value } => value.to_string(),
    }
}

/// Finds the lines of definitions in a file's text.
struct LineFinder<'a> {
    lines: Vec<&'a str>,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str) -> Self {
        LineFinder {
            lines: text.lines().collect(),
        }
    }

    /// The 1-based line of `id =` at the start of a line.
    fn definition_line(&self, id: &str) -> usize {
        self.lines
            .iter()
            .position(|l| {
                l.strip_prefix(id)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 1)
    }

    /// The line of `.attr =` after the definition at `from`.
    fn attribute_line(&self, from: usize, attr: &str) -> usize {
        self.lines
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, l)| {
                l.trim_start()
                    .strip_prefix('.')
                    .and_then(|r| r.strip_prefix(attr))
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or(from, |(i, _)| i + 1)
    }

    /// The first line holding `->` at or after the definition at `from`.
    fn select_line(&self, from: usize) -> usize {
        self.lines
            .iter()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains("->"))
            .map_or(from, |(i, _)| i + 1)
    }
}

/// A diagnostic at a definition's line.
pub fn at(def_file: &str, line: usize, diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.in_file(def_file).at(Location::new(line, 1))
}
