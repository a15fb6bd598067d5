//! Every case in `shared/vectors/signing.json` (computed by the official
//! SDKs) must be reproduced byte for byte.

use scanport_cloud::signing::{huawei, tencent};
use scanport_cloud::{HuaweiCredentials, TencentCredentials};
use serde_json::Value;
use std::path::PathBuf;

fn vectors() -> Value {
    let path = std::env::var_os("SCANPORT_SHARED_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        )
        .join("vectors/signing.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("signing.json is JSON")
}

fn s<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {case}"))
}

#[test]
fn huawei_cases_match_the_official_sdk() {
    let all = vectors();
    let cases = all["huawei_sdk_hmac_sha256"].as_array().expect("cases");
    assert!(cases.len() >= 7);
    for case in cases {
        let name = s(case, "name");
        let creds = HuaweiCredentials::new(s(case, "ak"), s(case, "sk"));
        let segments: Vec<&str> = s(case, "path").split('/').skip(1).collect();
        let query: Vec<(String, String)> = case["query"]
            .as_array()
            .expect("query")
            .iter()
            .map(|pair| {
                let value = match &pair[1] {
                    Value::String(v) => v.clone(),
                    other => other.to_string(),
                };
                (pair[0].as_str().expect("name").to_owned(), value)
            })
            .collect();
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .expect("headers")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
            .collect();
        let body = s(case, "body");
        let sig = huawei::sign(
            &creds,
            &huawei::RequestParts {
                method: s(case, "method"),
                segments: &segments,
                query: &query,
                headers: &headers,
                body: body.as_bytes(),
            },
        );
        assert_eq!(
            sig.canonical_request,
            s(case, "canonical_request"),
            "{name}: canonical request"
        );
        assert_eq!(
            sig.string_to_sign,
            s(case, "string_to_sign"),
            "{name}: string to sign"
        );
        assert_eq!(
            sig.authorization,
            s(case, "authorization"),
            "{name}: authorization"
        );
        // What is sent must be what was signed.
        let query_string = huawei::canonical_query(&query);
        let uri = if query_string.is_empty() {
            huawei::request_path(&segments)
        } else {
            format!("{}?{query_string}", huawei::request_path(&segments))
        };
        assert_eq!(uri, s(case, "request_uri"), "{name}: request URI");
    }
}

#[test]
fn tencent_cases_match_the_official_sdk() {
    let all = vectors();
    let cases = all["tencent_tc3_hmac_sha256"].as_array().expect("cases");
    assert!(cases.len() >= 3);
    for case in cases {
        let name = s(case, "name");
        let mut creds = TencentCredentials::new(s(case, "secret_id"), s(case, "secret_key"));
        if let Some(token) = case["token"].as_str() {
            creds = creds.with_token(token);
        }
        let parts = tencent::RequestParts {
            host: s(case, "host"),
            service: s(case, "service"),
            action: s(case, "action"),
            version: s(case, "version"),
            region: s(case, "region"),
            timestamp: case["timestamp"].as_i64().expect("timestamp"),
            body: s(case, "body").as_bytes(),
        };
        let sig = tencent::sign(&creds, &parts);
        assert_eq!(
            sig.canonical_request,
            s(case, "canonical_request"),
            "{name}: canonical request"
        );
        assert_eq!(
            sig.string_to_sign,
            s(case, "string_to_sign"),
            "{name}: string to sign"
        );
        assert_eq!(
            sig.authorization,
            s(case, "authorization"),
            "{name}: authorization"
        );
        // Every header the SDK sends, we send with the same value.
        let ours = tencent::headers(&creds, &parts, &sig);
        for (k, v) in case["headers"].as_object().expect("headers") {
            let found = ours
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str());
            assert_eq!(found, v.as_str(), "{name}: header {k}");
        }
    }
}
