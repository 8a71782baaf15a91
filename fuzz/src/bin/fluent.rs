//! Fuzz target: see [`vitrine_fuzz::fluent`].
fn main() {
    vitrine_fuzz::run(vitrine_fuzz::fluent);
}
