//! The one clock the server side reads: milliseconds since the Unix
//! epoch, the time format of the portal, the live snapshots and the
//! sandbox. Not in the browser build, where `SystemTime` does not exist
//! (the browser asks JavaScript's `Date`, `app/src/dates.rs`).

/// Now, in milliseconds since the Unix epoch (0 before it, `i64::MAX`
/// past what fits).
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}
