//! Huawei Cloud `SDK-HMAC-SHA256` (APIG AK/SK signing), as the official
//! `huaweicloudsdkcore` computes it.

use super::{Hex, Keep, Signature, encode, hmac_sha256, push_body_hash, push_encoded, sha256};
use crate::credentials::HuaweiCredentials;

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const DATE_HEADER: &str = "X-Sdk-Date";
pub const TOKEN_HEADER: &str = "X-Security-Token";

/// The parts of a request that the signature covers.
pub struct RequestParts<'a> {
    pub method: &'a str,
    /// Path segments, not yet encoded: `["v5", project_id, "image", "tasks"]`.
    pub segments: &'a [&'a str],
    /// Query parameters, not yet encoded, in any order.
    pub query: &'a [(String, String)],
    /// Every header the request will carry, including `Host` and `X-Sdk-Date`.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// `X-Sdk-Date` format: `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(now: time::OffsetDateTime) -> String {
    // Formatting into a String only fails for a year past 9999.
    now.to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default()
}

/// Parses an `X-Sdk-Date` value.
pub fn parse_sdk_date(value: &str) -> Option<time::OffsetDateTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(value, format)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// The request path as sent: each segment encoded, no trailing slash.
pub fn request_path(segments: &[&str]) -> String {
    let mut path = String::with_capacity(segments.iter().map(|s| s.len() + 1).sum());
    for segment in segments {
        path.push('/');
        push_encoded(&mut path, segment, Keep::Unreserved);
    }
    path
}

/// The canonical URI of the path segments a client sends.
pub fn canonical_uri(segments: &[&str]) -> String {
    let mut uri = String::with_capacity(segments.iter().map(|s| s.len() + 1).sum::<usize>() + 1);
    push_canonical_uri(&mut uri, segments);
    uri
}

/// Like `canonical_uri_of_path(&request_path(segments))` without the round
/// trip: decoding the sent path gives the raw segments back, and splitting
/// on `/` then encoding each part is encoding with `/` left as it is.
fn push_canonical_uri(out: &mut String, segments: &[&str]) {
    let start = out.len();
    for segment in segments {
        out.push('/');
        // `/` kept: it is the separator the gateway splits on.
        push_encoded(out, segment, Keep::UnreservedAndSlash);
    }
    if out.len() == start || !out.ends_with('/') {
        out.push('/');
    }
}

/// The canonical URI of a path as sent, computed as the official SDK and
/// the gateway do: percent-decode the whole path, split it on `/`, encode
/// each part, and end in `/`. (So an encoded `/` inside an id counts as a
/// separator; ids are validated never to contain one.)
pub fn canonical_uri_of_path(sent_path: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(sent_path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Sorted by raw name, then raw value, and only then encoded, as the
/// official SDK does (Python's code-point order is UTF-8 byte order). Also
/// the query string sent.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::with_capacity(query.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    push_canonical_query(&mut out, query);
    out
}

fn push_canonical_query(out: &mut String, query: &[(String, String)]) {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(out, name, Keep::Unreserved);
        out.push('=');
        push_encoded(out, value, Keep::Unreserved);
    }
}

/// Signed headers: all of them except names with `_` (which gateways may
/// drop), ordered by lower-cased name then trimmed value. Compared
/// lower-cased on the fly so no name is copied.
fn signed_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut lines: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.as_str(), value.trim()))
        .collect();
    lines.sort_unstable_by(|(a, av), (b, bv)| cmp_ignore_ascii_case(a, b).then_with(|| av.cmp(bv)));
    lines
}

/// Orders as the lower-cased strings would be ordered.
fn cmp_ignore_ascii_case(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let order = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Appends `name` lower-cased (ASCII only, so the text stays UTF-8).
fn push_lowercase(out: &mut String, name: &str) {
    let start = out.len();
    out.push_str(name);
    out[start..].make_ascii_lowercase();
}

/// Signs a request. The date signed is the request's `X-Sdk-Date` header.
pub fn sign(credentials: &HuaweiCredentials, parts: &RequestParts<'_>) -> Signature {
    let lines = signed_headers(parts.headers);
    let date = lines
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(DATE_HEADER))
        .map(|(_, v)| *v)
        .unwrap_or_default();

    let mut signed_headers = String::with_capacity(lines.iter().map(|(n, _)| n.len() + 1).sum());
    for (i, (name, _)) in lines.iter().enumerate() {
        if i > 0 {
            signed_headers.push(';');
        }
        push_lowercase(&mut signed_headers, name);
    }

    let estimate = parts.method.len()
        + parts
            .segments
            .iter()
            .map(|s| s.len() * 3 + 1)
            .sum::<usize>()
        + parts
            .query
            .iter()
            .map(|(k, v)| (k.len() + v.len()) * 3 + 2)
            .sum::<usize>()
        + lines
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
        + signed_headers.len()
        + 72;
    let mut canonical_request = String::with_capacity(estimate);
    canonical_request.push_str(parts.method);
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, parts.segments);
    canonical_request.push('\n');
    push_canonical_query(&mut canonical_request, parts.query);
    canonical_request.push('\n');
    // The names as lower-cased once, for `SignedHeaders`.
    for ((_, value), name) in lines.iter().zip(signed_headers.split(';')) {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(value);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    push_body_hash(&mut canonical_request, parts.body);

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + date.len() + 66);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(date);
    string_to_sign.push('\n');
    string_to_sign.push_str(Hex::of(&sha256(canonical_request.as_bytes())).as_str());

    let signature = Hex::of(&hmac_sha256(
        credentials.sk().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let ak = credentials.ak();
    let mut authorization =
        String::with_capacity(ALGORITHM.len() + ak.len() + signed_headers.len() + 108);
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Access=");
    authorization.push_str(ak);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    authorization.push_str(signature.as_str());
    Signature {
        canonical_request,
        string_to_sign,
        authorization,
    }
}

/// The headers a signed HSS request carries besides `Authorization`.
pub fn base_headers(
    credentials: &HuaweiCredentials,
    host: &str,
    project_id: &str,
    date: &str,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("Host".to_owned(), host.to_owned()),
        (DATE_HEADER.to_owned(), date.to_owned()),
        ("X-Project-Id".to_owned(), project_id.to_owned()),
    ];
    if let Some(token) = credentials.security_token() {
        headers.push((TOKEN_HEADER.to_owned(), token.to_owned()));
    }
    headers
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 …` header.
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorizationHeader<'a> {
    pub access: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

/// Parses an `Authorization` header as the gateway does; `None` if malformed.
pub fn parse_authorization(value: &str) -> Option<AuthorizationHeader<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Access" => access = Some(val),
            "SignedHeaders" => signed = Some(val.split(';').collect()),
            "Signature" => signature = Some(val),
            _ => return None,
        }
    }
    Some(AuthorizationHeader {
        access: access?,
        signed_headers: signed?,
        signature: signature?,
    })
}
