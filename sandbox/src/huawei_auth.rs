//! `SDK-HMAC-SHA256` verification as the Huawei API gateway does it.

use super::{HuaweiKey, faults::Clock, hss_api::hss_error};
use axum::http::{StatusCode, request::Parts};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use scanport_cloud::credentials::HuaweiCredentials;
use scanport_cloud::signing::huawei;
use std::time::Duration;

/// The gateway refuses an `X-Sdk-Date` further than this from its clock.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// The gateway's answer to a request that fails verification.
pub(crate) fn rejection(reason: &str) -> Response {
    hss_error(
        StatusCode::UNAUTHORIZED,
        "APIGW.0301",
        &format!("Incorrect IAM authentication information: {reason}"),
    )
}

/// Why verification failed, and whether it was a signature failure of a
/// known AK (what the AK lockout counts; a stale date is checked first and
/// is not one).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub reason: &'static str,
    pub failed_ak: Option<String>,
}

// Verification fails with a reason; the caller turns it into the answer.
fn reject(reason: &'static str) -> Refusal {
    Refusal {
        reason,
        failed_ak: None,
    }
}

fn decode(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

/// Checks the request's signature; returns the caller's AK.
pub(crate) fn verify(keys: &[HuaweiKey], parts: &Parts, body: &[u8]) -> Result<String, Refusal> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let auth = header("authorization")
        .and_then(huawei::parse_authorization)
        .ok_or_else(|| reject("Authorization header is missing or malformed"))?;
    let key = keys
        .iter()
        .find(|k| k.ak == auth.access)
        .ok_or_else(|| reject("verify aksk signature fail"))?;
    if !auth.signed_headers.contains(&"x-sdk-date") {
        return Err(reject("x-sdk-date must be signed"));
    }
    let date = header("x-sdk-date")
        .and_then(huawei::parse_sdk_date)
        .ok_or_else(|| reject("x-sdk-date is missing or malformed"))?;
    let skew = (Clock::of(&parts.extensions) - date).unsigned_abs();
    if skew > MAX_SKEW {
        return Err(reject("the request date is more than 15 minutes off"));
    }

    let mut signed = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let value = header(name).ok_or_else(|| reject("a signed header is missing"))?;
        signed.push(((*name).to_owned(), value.to_owned()));
    }
    let raw_segments: Vec<String> = parts.uri.path().split('/').skip(1).map(decode).collect();
    let segments: Vec<&str> = raw_segments.iter().map(String::as_str).collect();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();

    let expected = huawei::sign(
        &HuaweiCredentials::new(&key.ak, &key.sk),
        &huawei::RequestParts {
            method: parts.method.as_str(),
            segments: &segments,
            query: &query,
            headers: &signed,
            body,
        },
    );
    let expected_sig = huawei::parse_authorization(&expected.authorization)
        .map(|a| a.signature.to_owned())
        .unwrap_or_default();
    if expected_sig != auth.signature {
        return Err(Refusal {
            reason: "verify aksk signature fail",
            failed_ak: Some(key.ak.clone()),
        });
    }
    Ok(key.ak.clone())
}
