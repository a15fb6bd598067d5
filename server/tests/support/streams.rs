//! Live-stream helpers shared by the test binaries (`api`, `restarts`).

use std::time::Duration;

/// Whether `stream` ends (the server closes it) within `wait`; keep-alive
/// comments and events before the end do not count.
pub async fn ends_within(stream: &mut reqwest::Response, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None) | Err(_)) => return true,
            Err(_) => return false,
        }
    }
}
