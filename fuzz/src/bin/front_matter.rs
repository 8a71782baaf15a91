//! Fuzz target: see [`vitrine_fuzz::front_matter`].
fn main() {
    vitrine_fuzz::run(vitrine_fuzz::front_matter);
}
