//! One `Idempotency-Key` per confirmed action: a double click, or a
//! request the browser retries, reaches the cloud once.

/// A key unique to this action (browser clock and randomness; uniqueness,
/// not secrecy, is what matters).
pub fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        format!(
            "ui-{:x}-{:x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e15) as u64
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
