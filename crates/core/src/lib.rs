//! The foundations every layer of vitrine shares and that know nothing of a
//! site: [`diagnostics`] (errors with file, line, column and what to do),
//! [`slug`] (URL segments from titles in any script), [`safe_url`] (which
//! links a page may carry) and [`security`] (the headers and policies that
//! keep hostile content harmless), [`by_name::ByName`] (the few
//! name-keyed values every page carries) and [`shared::Shared`] (one
//! string for a text many pages hold).

pub mod by_name;
pub mod diagnostics;
pub mod safe_url;
pub mod security;
pub mod shared;
pub mod slug;
