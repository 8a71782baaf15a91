//! The engine: the one driver of the stages, load → model → render → write.
//! [`build`] runs them once into an output folder or into memory; [`serve`]
//! keeps what a build made, serves it over HTTP and, on every change, runs
//! the same stages again for what the change touches. [`cache`] keeps what
//! a build read and wrote, so the next one can leave an unchanged output,
//! and [`patch`] lets a build change only what its inputs' changes reach,
//! with `serve`'s engine.

pub mod build;
pub mod cache;
pub mod changes;
pub mod incremental;
mod options;
mod patch;
pub mod serve;
