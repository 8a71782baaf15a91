//! Fuzz target: see [`vitrine_fuzz::feed`].
fn main() {
    vitrine_fuzz::run_bytes(vitrine_fuzz::feed);
}
