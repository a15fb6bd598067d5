//! Tencent `TC3-HMAC-SHA256`: the signature equals the one derived step by
//! step from the documented signing key, whatever was signed before (the
//! signer caches derived keys per thread, so interleaved secrets, days
//! and services must never mix); any timestamp gives a valid date; the
//! `Authorization` header parses back; outside input never panics.

#![no_main]

use arbitrary::Arbitrary;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use scanport_cloud::TencentCredentials;
use scanport_cloud::signing::tencent::{self, RequestParts};
use sha2::Sha256;

#[derive(Debug, Arbitrary)]
struct Call {
    secret_id: Vec<u8>,
    secret_key: String,
    service: Vec<u8>,
    timestamp: i64,
    body: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    calls: Vec<Call>,
    host: String,
    authorization: String,
}

fn reference_signature(call: &Call, service: &str, string_to_sign: &str) -> String {
    let date = tencent::utc_date(call.timestamp);
    let key = tencent::signing_key(&call.secret_key, &date, service);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fuzz_target!(|input: Input| {
    let _ = tencent::parse_authorization(&input.authorization);
    for call in input.calls.iter().take(8) {
        let date = tencent::utc_date(call.timestamp);
        assert!(
            date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
            "{} gave {date:?}",
            call.timestamp
        );
        // Ids and service names are alphanumeric; make them of the bytes.
        let secret_id = format!("AKID{}", hex::encode(&call.secret_id));
        let service: String = call
            .service
            .iter()
            .map(|b| char::from(b'a' + b % 26))
            .collect();
        let credentials = TencentCredentials::new(secret_id.clone(), call.secret_key.clone());
        let parts = RequestParts {
            host: &input.host,
            service: &service,
            action: "DescribeAssetImageRegistryList",
            version: "2020-11-01",
            region: "ap-guangzhou",
            timestamp: call.timestamp,
            body: &call.body,
        };
        let signature = tencent::sign(&credentials, &parts);
        assert_eq!(
            signature.canonical_request,
            tencent::canonical_request(&input.host, &call.body)
        );
        let parsed = tencent::parse_authorization(&signature.authorization)
            .expect("our own Authorization header parses");
        assert_eq!(parsed.secret_id, secret_id);
        assert_eq!(parsed.date, date);
        assert_eq!(parsed.service, service);
        assert_eq!(parsed.signed_headers, tencent::SIGNED_HEADERS);
        assert_eq!(
            parsed.signature,
            reference_signature(call, &service, &signature.string_to_sign),
            "the cached signing key is this call's"
        );
    }
});
