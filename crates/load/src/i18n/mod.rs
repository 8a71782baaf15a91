//! Internationalisation: the UI strings of themes and sites, from Fluent
//! (`locales/<lang>/*.ftl`, resolved through a language's fallback chain with
//! CLDR plural rules), and CLDR formatting through ICU4X: dates, numbers and
//! collation (alphabetical order) for each site language.
//!
//! Both [`Messages`] and [`Cldr`] are built once per build and are
//! `Send + Sync`, so rendering threads share them.

mod cldr;
mod messages;
mod reads;

pub use cldr::{Cldr, DateLength, parse_length};
pub use messages::{MessageArg, MessageError, Messages};
pub use messages::{locale_files, syntax_diagnostic};
pub use reads::{Consulted, Digests, changed_messages, noting_messages};
