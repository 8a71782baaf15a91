//! The load stage: reads a site folder into plain values and checks them.
//! [`config`] reads `site.yaml`, [`content`] walks `content/` and parses
//! front matter, [`i18n`] loads Fluent bundles and CLDR formatting, and
//! [`notices`] reads urgent notices. Nothing here links documents together
//! (that is the model's) or renders anything.

pub mod config;
pub mod content;
pub mod i18n;
pub mod notices;
