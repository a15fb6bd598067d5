//! Huawei Cloud `SDK-HMAC-SHA256` (APIG AK/SK signing), as the official
//! `huaweicloudsdkcore` computes it.

use super::{Signature, encode, hmac_sha256, sha256_hex};
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
    let t = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
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
    segments.iter().fold(String::new(), |mut path, s| {
        path.push('/');
        path.push_str(&encode(s));
        path
    })
}

/// The canonical URI of the path segments a client sends.
pub fn canonical_uri(segments: &[&str]) -> String {
    canonical_uri_of_path(&request_path(segments))
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
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signed header names: all of them, lower-cased and sorted, except names
/// with `_` (which gateways may drop).
fn signed_header_lines(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    lines.sort();
    lines
}

/// Signs a request. The date signed is the request's `X-Sdk-Date` header.
pub fn sign(credentials: &HuaweiCredentials, parts: &RequestParts<'_>) -> Signature {
    let lines = signed_header_lines(parts.headers);
    let canonical_headers: String = lines.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = lines
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let date = lines
        .iter()
        .find(|(n, _)| n == "x-sdk-date")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method,
        canonical_uri(parts.segments),
        canonical_query(parts.query),
        canonical_headers,
        signed_headers,
        sha256_hex(parts.body),
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hex::encode(hmac_sha256(
        credentials.sk().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let authorization = format!(
        "{ALGORITHM} Access={}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.ak()
    );
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
