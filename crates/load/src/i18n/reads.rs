//! Which messages a render reads, and whether they changed: so an
//! incremental build renders again, after a Fluent file changed, only the
//! pages showing a message that reads otherwise now.
//!
//! - [`noting_messages`] runs a render (one page) and returns every
//!   message it consulted, by language: each language of a chain up to
//!   the one that has the message (a message added to an earlier one would
//!   change the text), the whole chain when none has it.
//! - [`Messages::digests`](super::Messages::digests) gives each message a
//!   digest of what it reads as: two builds' digests differ where a
//!   message's text, or a message or term it uses, changed.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement};

/// Message ids by language.
pub type Consulted = BTreeMap<String, BTreeSet<String>>;

/// Each language's messages' digests, by language and id.
pub type Digests = BTreeMap<String, BTreeMap<String, u64>>;

thread_local! {
    /// The messages consulted on this thread since [`noting_messages`]
    /// began, if it did.
    static CONSULTED: RefCell<Option<Consulted>> = const { RefCell::new(None) };
}

/// Runs `render`, noting the messages that every message it formats on
/// this thread consults (see the module's comment). Nested calls each note
/// their own: a render that waits on another thread may run another
/// page's render meanwhile.
pub fn noting_messages<R>(render: impl FnOnce() -> R) -> (R, Consulted) {
    /// Puts the outer notes back should `render` unwind.
    struct Outer(Option<Option<Consulted>>);
    impl Drop for Outer {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                CONSULTED.with(|c| *c.borrow_mut() = outer);
            }
        }
    }
    let mut outer = Outer(Some(CONSULTED.with(|c| c.replace(Some(Consulted::new())))));
    let result = render();
    let back = outer.0.take().flatten();
    let noted = CONSULTED.with(|c| c.replace(back));
    (result, noted.unwrap_or_default())
}

/// Notes that message `id` of `lang` is consulted, while
/// [`noting_messages`].
pub(super) fn consulted(lang: &str, id: &str) {
    CONSULTED.with(|c| {
        let mut noted = c.borrow_mut();
        let Some(noted) = noted.as_mut() else {
            return;
        };
        match noted.get_mut(lang) {
            Some(ids) if ids.contains(id) => {}
            Some(ids) => {
                ids.insert(id.to_string());
            }
            None => {
                noted.insert(lang.to_string(), BTreeSet::from([id.to_string()]));
            }
        }
    });
}

/// The messages that changed between two builds' digests: those whose
/// digest differs, that one has and the other lacks.
pub fn changed_messages(before: &Digests, now: &Digests) -> Consulted {
    let mut changed = Consulted::new();
    let langs: BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    let none = BTreeMap::new();
    for lang in langs {
        let (was, is) = (before.get(lang).unwrap_or(&none), now.get(lang).unwrap_or(&none));
        let ids: BTreeSet<&String> = was.keys().chain(is.keys()).collect();
        let differ: BTreeSet<String> = ids
            .into_iter()
            .filter(|id| was.get(*id) != is.get(*id))
            .cloned()
            .collect();
        if !differ.is_empty() {
            changed.insert(lang.clone(), differ);
        }
    }
    changed
}

/// A digest of `value` (std's hasher, fixed keys: the same for the same
/// vitrine).
pub(super) fn digest_of(value: &impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What a message's patterns refer to.
#[derive(Default)]
pub(super) struct References<'a> {
    /// Other messages, by id.
    pub messages: Vec<&'a str>,
    /// Whether a term.
    pub terms: bool,
}

impl<'a> References<'a> {
    pub fn of_pattern(&mut self, pattern: &'a Pattern<&'a str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.of_expression(expression);
            }
        }
    }

    fn of_expression(&mut self, expression: &'a Expression<&'a str>) {
        match expression {
            Expression::Inline(inline) => self.of_inline(inline),
            Expression::Select { selector, variants } => {
                self.of_inline(selector);
                for variant in variants {
                    self.of_pattern(&variant.value);
                }
            }
        }
    }

    fn of_inline(&mut self, inline: &'a InlineExpression<&'a str>) {
        match inline {
            InlineExpression::MessageReference { id, .. } => self.messages.push(id.name),
            InlineExpression::TermReference { .. } => self.terms = true,
            InlineExpression::FunctionReference { arguments, .. } => {
                let named = arguments.named.iter().map(|n| &n.value);
                for argument in arguments.positional.iter().chain(named) {
                    self.of_inline(argument);
                }
            }
            InlineExpression::Placeable { expression } => self.of_expression(expression),
            InlineExpression::StringLiteral { .. }
            | InlineExpression::NumberLiteral { .. }
            | InlineExpression::VariableReference { .. } => {}
        }
    }
}
