//! Tencent Cloud `TC3-HMAC-SHA256`, as `tencentcloud-sdk-python-common`
//! computes it for a JSON POST.

use super::{Hex, Signature, hmac_sha256, push_body_hash, sha256};
use crate::credentials::TencentCredentials;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::cell::RefCell;
use std::fmt::Write as _;

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
    Date::of(timestamp).as_str().to_owned()
}

/// `YYYY-MM-DD` on the stack.
struct Date([u8; 10]);

impl Date {
    fn of(timestamp: i64) -> Self {
        let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .date();
        // Unix timestamps time accepts stay within years 0..=9999.
        let year = date.year().clamp(0, 9999).unsigned_abs();
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (month, day) = (u32::from(u8::from(date.month())), u32::from(date.day()));
        Self([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("digits and dashes are ASCII")
    }
}

/// The signing key for one secret, service and day.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> Vec<u8> {
    derive_key(secret_key, date, service).to_vec()
}

fn derive_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut tc3_secret = String::with_capacity(3 + secret_key.len());
    tc3_secret.push_str("TC3");
    tc3_secret.push_str(secret_key);
    let k_date = hmac_sha256(tc3_secret.as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// The last signing key derived on this thread, as a keyed HMAC. The key
/// depends only on the secret, the day and the service, so a day of calls
/// for one account derives it once per thread instead of three HMACs each.
/// The secret itself is not kept, only its digest to recognise it.
struct CachedKey {
    secret_digest: [u8; 32],
    date: [u8; 10],
    service: String,
    mac: Hmac<Sha256>,
}

thread_local! {
    static LAST_KEY: RefCell<Option<CachedKey>> = const { RefCell::new(None) };
}

/// HMAC-SHA256 of `message` under the signing key of `secret_key`, `date`, `service`.
fn sign_with_key(secret_key: &str, date: &Date, service: &str, message: &[u8]) -> [u8; 32] {
    let secret_digest = sha256(secret_key.as_bytes());
    LAST_KEY.with(|cell| {
        let mut cached = cell.borrow_mut();
        let hit = cached.as_ref().is_some_and(|c| {
            c.secret_digest == secret_digest && c.date == date.0 && c.service == service
        });
        if !hit {
            let key = derive_key(secret_key, date.as_str(), service);
            *cached = Some(CachedKey {
                secret_digest,
                date: date.0,
                service: service.to_owned(),
                mac: <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
                    .expect("HMAC accepts any key length"),
            });
        }
        let mut mac = cached
            .as_ref()
            .map(|c| c.mac.clone())
            .expect("filled just above");
        mac.update(message);
        mac.finalize().into_bytes().into()
    })
}

/// The canonical request for a JSON POST to `/`.
pub fn canonical_request(host: &str, body: &[u8]) -> String {
    let mut out = String::with_capacity(64 + host.len() + 64);
    out.push_str("POST\n/\n\ncontent-type:");
    out.push_str(CONTENT_TYPE);
    out.push_str("\nhost:");
    out.push_str(host);
    out.push_str("\n\n");
    out.push_str(SIGNED_HEADERS);
    out.push('\n');
    push_body_hash(&mut out, body);
    out
}

/// The string to sign for a canonical request at a timestamp.
pub fn string_to_sign(timestamp: i64, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 20 + scope.len() + 66);
    out.push_str(ALGORITHM);
    out.push('\n');
    // Writing to a String cannot fail.
    let _ = write!(out, "{timestamp}");
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    out.push_str(Hex::of(&sha256(canonical_request.as_bytes())).as_str());
    out
}

/// Signs a request.
pub fn sign(credentials: &TencentCredentials, parts: &RequestParts<'_>) -> Signature {
    let date = Date::of(parts.timestamp);
    let mut scope = String::with_capacity(10 + parts.service.len() + 13);
    scope.push_str(date.as_str());
    scope.push('/');
    scope.push_str(parts.service);
    scope.push_str("/tc3_request");
    let canonical_request = canonical_request(parts.host, parts.body);
    let string_to_sign = string_to_sign(parts.timestamp, &scope, &canonical_request);
    let signature = Hex::of(&sign_with_key(
        credentials.secret_key(),
        &date,
        parts.service,
        string_to_sign.as_bytes(),
    ));
    let secret_id = credentials.secret_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + secret_id.len() + scope.len() + SIGNED_HEADERS.len() + 100,
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(secret_id);
    authorization.push('/');
    authorization.push_str(&scope);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(SIGNED_HEADERS);
    authorization.push_str(", Signature=");
    authorization.push_str(signature.as_str());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-thread key is reused only for the same secret, day and
    /// service: switching any of them derives afresh.
    #[test]
    fn the_cached_key_follows_secret_day_and_service() {
        let (day1, day2) = (1_767_268_800, 1_767_268_800 + 86_400);
        let calls = [
            ("secret-a", day1, "tcss"),
            ("secret-b", day1, "tcss"),
            ("secret-a", day1, "tcss"),
            ("secret-a", day2, "tcss"),
            ("secret-a", day2, "cvm"),
            ("secret-a", day2, "cvm"),
        ];
        for (secret, timestamp, service) in calls {
            let date = Date::of(timestamp);
            let fresh = hmac_sha256(&derive_key(secret, date.as_str(), service), b"message");
            assert_eq!(
                sign_with_key(secret, &date, service, b"message"),
                fresh,
                "{secret} {} {service}",
                date.as_str()
            );
        }
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_767_268_799), "2026-01-01");
        assert_eq!(utc_date(1_767_225_600 - 1), "2025-12-31");
    }
}
