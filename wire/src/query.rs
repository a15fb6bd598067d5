//! Building query strings from optional fields.

/// Collects `(name, value)` pairs, skipping absent values.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value` when `value` is present.
    #[must_use]
    pub fn opt<T: ToString>(mut self, name: &str, value: Option<T>) -> Self {
        if let Some(value) = value {
            self.0.push((name.to_owned(), value.to_string()));
        }
        self
    }

    /// Adds `name=value` unconditionally.
    #[must_use]
    pub fn put<T: ToString>(self, name: &str, value: T) -> Self {
        self.opt(name, Some(value))
    }

    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }
}
