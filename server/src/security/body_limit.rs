//! The body-size cap, with a 413 the client can read. A body announced
//! (`Content-Length`) over `web.max_body_bytes` is refused before it
//! reaches anything else; but a client that writes its whole body before
//! reading (Python's urllib, curl without `Expect`) would see the
//! connection reset instead of the answer if the server closed with the
//! body unread. So, like nginx's lingering close, a body that is on its
//! way (its first bytes come within [`FIRST_BYTES_WAIT`]) is read and
//! thrown away, up to [`DRAIN_BYTES`] and [`DRAIN_TIME`], then the 413 is
//! sent with `Connection: close`. A client that waits for the answer
//! before sending (with or without `Expect: 100-continue`) gets it at once,
//! or after that short wait. Bodies without a length (chunked) are capped
//! by the inner `RequestBodyLimitLayer` as they are read.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::time::Duration;

/// At most this much of a refused body is read and discarded; past it
/// the connection is closed (the client may then see a reset).
pub const DRAIN_BYTES: u64 = 8 * 1024 * 1024;
/// And for at most this long, so a slow sender cannot hold the task.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);
/// A body not started this long after the head is not coming before the
/// client reads: answer without draining.
pub const FIRST_BYTES_WAIT: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy)]
pub struct BodyCap(pub usize);

pub async fn refuse_oversize(State(cap): State<BodyCap>, req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let Some(length) = announced.filter(|&n| n > cap.0 as u64) else {
        return next.run(req).await;
    };
    // With `Expect: 100-continue` the client waits for our word before
    // sending: nothing to drain, and reading would invite the body.
    let expects = req
        .headers()
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if !expects && length <= DRAIN_BYTES {
        let _ = tokio::time::timeout(DRAIN_TIME, drain(req.into_body())).await;
    }
    let mut response = (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "The request body is {length} bytes; the limit is {} bytes (web.max_body_bytes).",
            cap.0
        ),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Reads the body to its end (or its first error), keeping nothing; gives
/// up at once if its first bytes do not come within [`FIRST_BYTES_WAIT`].
async fn drain(body: Body) {
    let mut stream = body.into_data_stream();
    let mut read: u64 = 0;
    match tokio::time::timeout(FIRST_BYTES_WAIT, stream.next()).await {
        Ok(Some(Ok(chunk))) => read += chunk.len() as u64,
        _ => return,
    }
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len() as u64;
        if read > DRAIN_BYTES {
            break;
        }
    }
}
