//! Server functions answer every error with status 500 and the error body;
//! the public API promises a status that fits the error (400, 401, 403,
//! 404, 409, 429, 502, 504). This layer reads the body's `kind` and sets
//! the status it stands for. When the body did not decode, it also names
//! the field serde choked on (see [`super::field_path`]), which needs the
//! request body: API calls' bodies are kept (they are capped in size).

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scanport_app::error::AppError;

/// Error bodies are ours and small (they quote at most a short piece of
/// the request); this bound only guards the buffering.
const MAX_ERROR_BODY: usize = 1024 * 1024;

pub async fn fit_status(req: Request, next: Next) -> Response {
    let (req, sent) = match keep_api_body(req).await {
        Ok(kept) => kept,
        Err(response) => return response,
    };
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(mut err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        parts.headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        );
        // Scripts and proxies honour the header, not our body's field.
        if let AppError::RateLimited {
            retry_after_secs, ..
        }
        | AppError::TooManyAttempts { retry_after_secs } = &err
        {
            parts
                .headers
                .insert(axum::http::header::RETRY_AFTER, (*retry_after_secs).into());
        }
        if let (AppError::InvalidInput { field, message }, Some(sent)) = (&mut err, &sent)
            && field == "request"
            && let Some(named) = super::field_path::field_of(sent, message)
        {
            *field = named;
            if let Ok(json) = serde_json::to_vec(&err) {
                parts.headers.remove(axum::http::header::CONTENT_LENGTH);
                return Response::from_parts(parts, Body::from(json));
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Reads a `POST /api/…` body whole (the body-size layer outside caps it)
/// and hands the request on with the same bytes; other requests pass as
/// they are. A body over the cap is answered 413 here, and one with an
/// array where the API takes an object 400 (see [`super::body_shape`]).
async fn keep_api_body(req: Request) -> Result<(Request, Option<Bytes>), Response> {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    match to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if let Some((field, message)) = super::body_shape::problem(&bytes) {
                let refusal = AppError::invalid(&field, message);
                return Err((StatusCode::BAD_REQUEST, axum::Json(refusal)).into_response());
            }
            Ok((
                Request::from_parts(parts, Body::from(bytes.clone())),
                Some(bytes),
            ))
        }
        Err(err) => {
            let message = err.to_string();
            let refusal = if message.contains("length limit") {
                AppError::TooLarge { message }
            } else {
                AppError::invalid("request", format!("the body could not be read: {message}"))
            };
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            Err((status, axum::Json(refusal)).into_response())
        }
    }
}

/// Every `/api/` error is JSON in the public shape, also those that layers
/// and extractors outside the server functions answer in plain text (the
/// body-size cap's 413, a query string that does not parse, 405).
pub async fn json_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = to_bytes(body, MAX_ERROR_BODY)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut error = serde_json::json!({"kind": plain_kind(status), "message": message});
    if status == StatusCode::BAD_REQUEST || status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        error["field"] = named_parameter(&message).unwrap_or("request").into();
    }
    let json = serde_json::to_vec(&serde_json::json!({ "error": error })).unwrap_or_default();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}

/// The parameter an extractor's message names: in backticks, or as
/// "query string: NAME: why".
fn named_parameter(message: &str) -> Option<&str> {
    if let Some(name) = message.split('`').nth(1).filter(|n| !n.is_empty()) {
        return Some(name);
    }
    let (name, _) = message.split_once("query string: ")?.1.split_once(':')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// The public `kind` of a status some layer answered with.
fn plain_kind(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 411 | 415 | 422 => "invalid_input",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "too_large",
        429 => "rate_limited",
        s if s >= 500 => "internal",
        _ => "invalid_input",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::{get, post};
    use tower::ServiceExt;

    async fn answer(app: Router, req: Request) -> (StatusCode, serde_json::Value) {
        let response = app
            .layer(axum::middleware::from_fn(json_errors))
            .oneshot(req)
            .await
            .expect("answer");
        let status = response.status();
        let body = to_bytes(response.into_body(), MAX_ERROR_BODY)
            .await
            .expect("body");
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }

    #[tokio::test]
    async fn plain_text_api_errors_become_json() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            n: u8,
        }
        let app = Router::new()
            .route("/api/q", get(|_: axum::extract::Query<Q>| async { "ok" }))
            .route("/api/p", post(|| async { "ok" }))
            .layer(tower_http::limit::RequestBodyLimitLayer::new(8));
        let get_req = |uri: &str| Request::get(uri).body(Body::empty()).expect("request");
        let (status, json) = answer(app.clone(), get_req("/api/q?n=x")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(json["error"]["kind"], "invalid_input");
        assert_eq!(json["error"]["field"], "n", "{json}");
        let (status, json) = answer(app.clone(), get_req("/api/p")).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(json["error"]["kind"], "method_not_allowed");
        let big = Request::post("/api/p")
            .header("content-length", "100")
            .body(Body::from(vec![b'x'; 100]))
            .expect("request");
        let (status, json) = answer(app.clone(), big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(json["error"]["kind"], "too_large");
        // Pages keep their own answers.
        let (status, json) = answer(app, get_req("/nope")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(json.is_null());
    }
}
