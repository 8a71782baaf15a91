//! Fuzz target: see [`vitrine_fuzz::exchange`].
fn main() {
    vitrine_fuzz::run_bytes(vitrine_fuzz::exchange);
}
