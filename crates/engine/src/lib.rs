//! The engine: the one driver of the stages, load → model → render → write.
//! From the bottom up: [`pipeline`] runs the stages into any sink;
//! [`changes`] says what a set of changed files touches; [`incremental`]
//! keeps a model and renders again only what a change reaches; [`cache`]
//! keeps what a build read and wrote; [`patch`] runs [`incremental`] once
//! on the last build's model to change only what a build's inputs'
//! changes reach; [`build`] builds an output folder (left as it is,
//! patched, or rendered whole); [`serve`] serves the site over HTTP and
//! runs [`incremental`] on every save.

pub mod build;
pub mod cache;
pub mod changes;
pub mod incremental;
mod options;
pub mod patch;
pub mod pipeline;
pub mod serve;
