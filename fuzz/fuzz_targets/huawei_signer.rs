//! Huawei `SDK-HMAC-SHA256`: the canonical request a client signs must be
//! the one the gateway recomputes from what it receives, whatever the
//! path segments, query and headers hold; the `Authorization` header
//! parses back; outside input to the parsers never panics.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scanport_cloud::HuaweiCredentials;
use scanport_cloud::signing::huawei::{self, RequestParts};

#[derive(Debug, Arbitrary)]
struct Input {
    method: u8,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    ak: Vec<u8>,
    sk: String,
    /// Arbitrary text fed to the parsers of what arrives from outside.
    date: String,
    authorization: String,
}

/// RFC 9110 `tchar`: what a header name may be made of.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn is_canonical_text(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.~%&=".contains(&b))
}

fuzz_target!(|input: Input| {
    let _ = huawei::parse_authorization(&input.authorization);
    if let Some(at) = huawei::parse_sdk_date(&input.date) {
        let written = huawei::sdk_date(at);
        assert_eq!(
            huawei::parse_sdk_date(&written),
            Some(at),
            "a date we write parses back to the same instant"
        );
    }

    let method = ["GET", "POST", "PUT", "DELETE"][usize::from(input.method % 4)];
    let segments: Vec<&str> = input.segments.iter().map(String::as_str).collect();

    // What the client signs is what the gateway computes from the sent path.
    let sent = huawei::request_path(&segments);
    assert_eq!(
        huawei::canonical_uri(&segments),
        huawei::canonical_uri_of_path(&sent),
        "segments {segments:?} sent as {sent:?}"
    );
    // Each segment stays one segment: nothing in it adds a `/`.
    assert_eq!(sent.matches('/').count(), segments.len());

    let query = huawei::canonical_query(&input.query);
    assert!(
        is_canonical_text(&query),
        "query not fully encoded: {query:?}"
    );

    // Access keys are alphanumeric; make one of the bytes.
    let ak = hex::encode(&input.ak);
    let credentials = HuaweiCredentials::new(ak.clone(), input.sk.clone());
    let parts = RequestParts {
        method,
        segments: &segments,
        query: &input.query,
        headers: &input.headers,
        body: &input.body,
    };
    let signature = huawei::sign(&credentials, &parts);
    assert_eq!(
        signature,
        huawei::sign(&credentials, &parts),
        "signing is deterministic"
    );

    let mut lines = signature.canonical_request.split('\n');
    assert_eq!(lines.next(), Some(method));
    assert_eq!(
        lines.next(),
        Some(huawei::canonical_uri(&segments).as_str())
    );
    assert_eq!(lines.next(), Some(query.as_str()));

    if !ak.is_empty() && input.headers.iter().all(|(name, _)| is_token(name)) {
        let parsed = huawei::parse_authorization(&signature.authorization)
            .expect("our own Authorization header parses");
        assert_eq!(parsed.access, ak);
        assert_eq!(parsed.signature.len(), 64);
        assert!(parsed.signature.bytes().all(|b| b.is_ascii_hexdigit()));
        let expected = input
            .headers
            .iter()
            .filter(|(name, _)| !name.contains('_'))
            .count();
        let signed = parsed
            .signed_headers
            .iter()
            .filter(|h| !h.is_empty())
            .count();
        assert_eq!(signed, expected, "every header without `_` is signed");
    }
});
