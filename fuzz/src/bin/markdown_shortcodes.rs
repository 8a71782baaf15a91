//! Fuzz target: see [`vitrine_fuzz::markdown_shortcodes`].
fn main() {
    vitrine_fuzz::run(vitrine_fuzz::markdown_shortcodes);
}
