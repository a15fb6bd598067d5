//! Cross-site request refusal. A state-changing request (anything but GET,
//! HEAD and OPTIONS) from a browser must come from the console's own
//! origin: `Sec-Fetch-Site` says so in current browsers, `Origin` in older
//! ones. Requests with neither header come from scripts, which carry no
//! ambient cookie a third-party page could abuse.

use super::refuse;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The origin browsers must send: the configured public origin, or else
/// the request's own `Host`.
#[derive(Debug, Clone)]
pub struct OwnOrigin(pub Arc<Option<String>>);

pub async fn same_origin_only(State(own): State<OwnOrigin>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(&req, own.0.as_deref())
    {
        return next.run(req).await;
    }
    refuse(
        StatusCode::FORBIDDEN,
        "forbidden",
        "Cross-site request refused: state-changing requests must come from the console's own pages.",
    )
}

fn is_same_origin(req: &Request, own: Option<&str>) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: the user's own action (typed address, bookmark).
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    match own {
        Some(own) => origin.eq_ignore_ascii_case(own),
        None => {
            // Compare host[:port] with the Host the browser addressed.
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/api/v1/hss/batch-scan");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn browsers_must_be_same_origin() {
        let own = Some("https://scan.example.com");
        assert!(is_same_origin(
            &request(&[("sec-fetch-site", "same-origin")]),
            own
        ));
        assert!(!is_same_origin(
            &request(&[("sec-fetch-site", "cross-site")]),
            own
        ));
        assert!(!is_same_origin(
            &request(&[("sec-fetch-site", "same-site")]),
            own
        ));
        assert!(is_same_origin(
            &request(&[("origin", "https://scan.example.com")]),
            own
        ));
        assert!(!is_same_origin(
            &request(&[("origin", "https://evil.example")]),
            own
        ));
        assert!(!is_same_origin(&request(&[("origin", "null")]), own));
    }

    #[test]
    fn without_a_public_origin_the_host_decides() {
        let r = request(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(is_same_origin(&r, None));
        let r = request(&[("origin", "http://evil.test"), ("host", "127.0.0.1:3000")]);
        assert!(!is_same_origin(&r, None));
    }

    #[test]
    fn scripts_send_neither_header() {
        assert!(is_same_origin(&request(&[]), None));
    }
}
