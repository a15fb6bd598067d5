//! Tencent Cloud `TC3-HMAC-SHA256`, as `tencentcloud-sdk-python-common`
//! computes it for a JSON POST.

use super::{Signature, hmac_sha256, sha256_hex};
use crate::credentials::TencentCredentials;

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
pub const CONTENT_TYPE: &str = "application/json";
pub const SIGNED_HEADERS: &str = "content-type;host";

/// The parts of a TCSS call that the signature covers or names.
pub struct RequestParts<'a> {
    pub host: &'a str,
    pub service: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    pub region: &'a str,
    /// Unix seconds.
    pub timestamp: i64,
    pub body: &'a [u8],
}

/// `YYYY-MM-DD` (UTC) of a unix timestamp.
pub fn utc_date(timestamp: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The signing key for one secret, service and day.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> Vec<u8> {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// The canonical request for a JSON POST to `/`.
pub fn canonical_request(host: &str, body: &[u8]) -> String {
    format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\n{SIGNED_HEADERS}\n{}",
        sha256_hex(body)
    )
}

/// The string to sign for a canonical request at a timestamp.
pub fn string_to_sign(timestamp: i64, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Signs a request.
pub fn sign(credentials: &TencentCredentials, parts: &RequestParts<'_>) -> Signature {
    let date = utc_date(parts.timestamp);
    let scope = format!("{date}/{}/tc3_request", parts.service);
    let canonical_request = canonical_request(parts.host, parts.body);
    let string_to_sign = string_to_sign(parts.timestamp, &scope, &canonical_request);
    let key = signing_key(credentials.secret_key(), &date, parts.service);
    let signature = hex::encode(hmac_sha256(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
        credentials.secret_id()
    );
    Signature {
        canonical_request,
        string_to_sign,
        authorization,
    }
}

/// Every header a signed TCSS call carries, `Authorization` included.
pub fn headers(
    credentials: &TencentCredentials,
    parts: &RequestParts<'_>,
    signature: &Signature,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Authorization".to_owned(), signature.authorization.clone()),
        ("Content-Type".to_owned(), CONTENT_TYPE.to_owned()),
        ("Host".to_owned(), parts.host.to_owned()),
        ("X-TC-Action".to_owned(), parts.action.to_owned()),
        ("X-TC-Timestamp".to_owned(), parts.timestamp.to_string()),
        ("X-TC-Version".to_owned(), parts.version.to_owned()),
        ("X-TC-Region".to_owned(), parts.region.to_owned()),
    ];
    if let Some(token) = credentials.token() {
        headers.push(("X-TC-Token".to_owned(), token.to_owned()));
    }
    headers
}

/// The parts of an `Authorization: TC3-HMAC-SHA256 …` header.
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorizationHeader<'a> {
    pub secret_id: &'a str,
    pub date: &'a str,
    pub service: &'a str,
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

/// Parses an `Authorization` header; `None` if malformed.
pub fn parse_authorization(value: &str) -> Option<AuthorizationHeader<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => return None,
        }
    }
    let mut scope = credential?.splitn(4, '/');
    let secret_id = scope.next()?;
    let date = scope.next()?;
    let service = scope.next()?;
    if scope.next()? != "tc3_request" {
        return None;
    }
    Some(AuthorizationHeader {
        secret_id,
        date,
        service,
        signed_headers: signed?,
        signature: signature?,
    })
}
