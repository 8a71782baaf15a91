//! What the theme's templates read beyond their own page, found in their
//! source text: it decides how far a change to one page can reach, so an
//! incremental render never differs from a full build. The reading is
//! deliberately coarse: a word that might mean "reads more" counts as
//! reading more, and unreadable templates count as reading everything.

use vitrine_load::config::Config;

#[derive(Debug, Clone)]
pub struct TemplateReads {
    /// `get_page`/`get_section`: any page can show any other.
    pub reads_any_page: bool,
    /// A section's `pages` (every page, in each pager), not only
    /// `paginator.pages`.
    pub lists_all_pages: bool,
    /// `get_taxonomy`: any page can show any term and its page count.
    pub reads_taxonomies: bool,
    /// `terms` outside `taxonomy.html` (a term page showing every term of
    /// its taxonomy): a term's page count shows on every term page.
    pub reads_all_terms: bool,
    /// `url_for` or the `markdown` filter: templates resolve `@/` links.
    pub resolves_links: bool,
    /// The text after each `"@/` in the templates, up to the closing quote:
    /// the content paths templates name literally (empty when built from
    /// variables, as in `"@/" ~ s.name ~ "/_index.md"`).
    pub link_literals: Vec<String>,
}

impl Default for TemplateReads {
    fn default() -> Self {
        TemplateReads {
            reads_any_page: true,
            lists_all_pages: true,
            reads_taxonomies: true,
            reads_all_terms: true,
            resolves_links: true,
            link_literals: Vec::new(),
        }
    }
}

impl TemplateReads {
    pub fn of(config: &Config) -> Self {
        let dir = config.theme_dir().join("templates");
        let mut theme = TemplateReads {
            reads_any_page: false,
            lists_all_pages: false,
            reads_taxonomies: false,
            reads_all_terms: false,
            resolves_links: false,
            link_literals: Vec::new(),
        };
        let files = walkdir::WalkDir::new(dir).into_iter().flatten();
        for file in files.filter(|e| e.file_type().is_file()) {
            let Ok(text) = std::fs::read_to_string(file.path()) else {
                return TemplateReads::default();
            };
            theme.reads_any_page |= text.contains("get_page") || text.contains("get_section");
            let rest = text.replace("paginator.pages", "").replace("total_pages", "");
            theme.lists_all_pages |= rest.contains("pages");
            theme.reads_taxonomies |= text.contains("get_taxonomy");
            theme.reads_all_terms |= file.file_name() != "taxonomy.html" && text.contains("terms");
            theme.resolves_links |= text.contains("url_for") || text.contains("markdown");
            theme.link_literals.extend(literals_after(&text, "@/"));
        }
        theme
    }
}

/// The text between each `marker` and the next quote.
fn literals_after(text: &str, marker: &str) -> Vec<String> {
    text.match_indices(marker)
        .map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            let end = rest.find(['"', '\'']).unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn literal_link_targets_are_found() {
        let text = r#"{{ url_for(path="@/news/visit.md") }} {{ url_for(path="@/" ~ s ~ "/_index.md") }}"#;
        assert_eq!(super::literals_after(text, "@/"), ["news/visit.md", ""]);
    }
}
