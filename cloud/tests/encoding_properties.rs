//! Property tests for the percent-encoding and canonical forms the signers
//! use. Image names, namespaces, tags and task names reach query strings and
//! paths, so every canonical form is checked against an independent oracle
//! written here (byte-wise over UTF-8, never calling the crate's `encode`).

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::sample::select;
use scanport_cloud::signing::{encode, huawei, tencent};
use scanport_cloud::{HuaweiCredentials, TencentCredentials};
use std::fmt::Write as _;

// ---------------------------------------------------------------- oracle --

/// Keeps ASCII alphanumerics and `-_.~`; every other UTF-8 byte is `%XX`
/// with upper-case hex.
fn oracle_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The official SDKs' canonical query (`huaweicloudsdkcore` signer.py
/// `process_canonical_query_string`, APIG Go signer `CanonicalQueryString`):
/// sort the RAW (name, value) pairs, then encode.
fn oracle_query_sdk_order(query: &[(String, String)]) -> String {
    let mut pairs = query.to_vec();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", oracle_encode(k), oracle_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn oracle_request_path(segments: &[&str]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", oracle_encode(s)))
        .collect()
}

/// "/" + encoded segments joined by "/" + trailing "/" — except that a path
/// already ending in "/" (no segments, or an empty last segment) gets no
/// second one. That exception is the official SDK's rule
/// (`huaweicloudsdkcore` `process_canonical_uri`: `if url_path[-1] != '/':
/// url_path += '/'`) and what the gateway computes from the path it receives
/// (`request_path`), so it is the correct canonical form, not a weakening.
fn oracle_canonical_uri(segments: &[&str]) -> String {
    // The SDK and the gateway decode the sent path whole, split it on "/",
    // and encode each part; decoding `request_path` gives back the raw
    // segments joined by "/".
    let raw: String = segments.iter().map(|s| format!("/{s}")).collect();
    let mut uri = raw
        .split('/')
        .map(oracle_encode)
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

// ------------------------------------------------------------ strategies --

const SPECIAL: &[char] = &[
    ' ', '/', ':', '@', '%', '+', '~', '*', '&', '=', '?', '#', '.', '-', '_', '\n', '\r', '\t',
    '\0', '\\', '{', '}', '[', ']', '"', '\'', '!', '$', ',', ';', '|', '^', '`', '<', '>', 'a',
    'z', 'A', 'Z', '0', '9', 'é', 'ß', '同', '步', '😀', '\u{7f}', '\u{a0}', '\u{feff}',
];

const TRICKY: &[&str] = &[
    "",
    ".",
    "..",
    "../..",
    "%2F",
    "%2f",
    "%252F",
    "a/b",
    "/",
    "//",
    "\n",
    "a b",
    "a+b",
    "%",
    "%%",
    "%zz",
    "~",
    "*",
    "name=value",
    "a&b=c",
    "?x#y",
    "nginx:1.25",
    "library/nginx@sha256:abc",
    "同步 任务~*",
];

/// Query names: a small pool (so duplicates are common) with names whose
/// raw and encoded sort orders differ.
const NAMES: &[&str] = &[
    "type",
    "limit",
    "task_name",
    "Type",
    "a",
    "a b",
    "a+b",
    "z",
    "{",
    "é",
    "",
];

/// Segments that try to escape their place in the path.
const PATH_TRICKY: &[&str] = &[
    "/", "..", ".", "%2F", "%2f", "\n", "a/../b", "..%2F..", "\\", "?", "#",
];

fn special_char() -> impl Strategy<Value = char> {
    select(SPECIAL)
}

/// Arbitrary Unicode, strings built from the characters that matter, mixes
/// of both, the empty string and hand-picked tricky values.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        3 => prop::collection::vec(special_char(), 0..12)
            .prop_map(|cs| cs.into_iter().collect::<String>()),
        2 => prop::collection::vec(prop_oneof![special_char(), any::<char>()], 0..12)
            .prop_map(|cs| cs.into_iter().collect::<String>()),
        1 => select(TRICKY).prop_map(str::to_owned),
        1 => Just(String::new()),
    ]
}

/// Query names: often from a small pool so duplicates are common.
fn query_name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(NAMES).prop_map(str::to_owned),
        1 => text(),
    ]
}

fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((query_name(), text()), 0..8)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Keep the shared tree clean; minimal failures are pinned as tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// --------------------------------------------------------------- helpers --

fn huawei_credentials() -> HuaweiCredentials {
    HuaweiCredentials::new(
        "HPUAEXAMPLEAK0000000",
        "exampleSecretKey0000000000000000000000000",
    )
}

fn huawei_authorization(segments: &[&str], query: &[(String, String)]) -> String {
    let credentials = huawei_credentials();
    let headers = huawei::base_headers(
        &credentials,
        "hss.cn-north-4.myhuaweicloud.com",
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "20260101T120000Z",
    );
    huawei::sign(
        &credentials,
        &huawei::RequestParts {
            method: "GET",
            segments,
            query,
            headers: &headers,
            body: b"",
        },
    )
    .authorization
}

fn tencent_authorization(body: &[u8]) -> String {
    let credentials = TencentCredentials::new(
        "AKIDEXAMPLEsecretid000000000000000",
        "exampleSecretKey00000000000000000",
    );
    tencent::sign(
        &credentials,
        &tencent::RequestParts {
            host: "tcss.tencentcloudapi.com",
            service: "tcss",
            action: "UpdateImageRegistryTimingScanTask",
            version: "2020-11-01",
            region: "ap-guangzhou",
            timestamp: 1_767_268_800,
            body,
        },
    )
    .authorization
}

const SEGMENTS_HEAD: [&str; 4] = ["v5", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "image", "tasks"];

// ------------------------------------------------------------ properties --

proptest! {
    #![proptest_config(config())]

    /// (a) `encode` is exactly the byte-wise oracle, and its output only
    /// uses the unreserved set plus well-formed upper-case `%XX`.
    #[test]
    fn encode_matches_oracle(s in text()) {
        let encoded = encode(&s);
        prop_assert_eq!(&encoded, &oracle_encode(&s));
        let bytes = encoded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'%' {
                prop_assert!(i + 2 < bytes.len(), "truncated escape");
                let hex = &bytes[i + 1..i + 3];
                prop_assert!(hex.iter().all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)));
                i += 3;
            } else {
                let unreserved = b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
                prop_assert!(unreserved, "byte {:#x} left unescaped", b);
                i += 1;
            }
        }
    }

    /// (b) `canonical_query` = sort the raw (name, value) pairs, encode,
    /// join `k=v` with `&`, as the official SDK does — including empty
    /// values, duplicate names and reserved or non-ASCII characters.
    #[test]
    fn canonical_query_matches_oracle(q in query()) {
        let canonical = huawei::canonical_query(&q);
        prop_assert_eq!(&canonical, &oracle_query_sdk_order(&q));
        // Never reorders a pair's name and value, never loses a pair.
        let n = if q.is_empty() { 0 } else { canonical.split('&').count() };
        prop_assert_eq!(n, q.len());
        // Input order does not matter.
        let mut reversed = q.clone();
        reversed.reverse();
        prop_assert_eq!(huawei::canonical_query(&reversed), canonical);
    }

    /// (c) `request_path` = "/" + encoded segments joined by "/";
    /// `canonical_uri` is the same plus a trailing "/".
    #[test]
    fn paths_match_oracle(segments in prop::collection::vec(text(), 0..6)) {
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        prop_assert_eq!(huawei::request_path(&segs), oracle_request_path(&segs));
        prop_assert_eq!(huawei::canonical_uri(&segs), oracle_canonical_uri(&segs));
    }

    /// (c) No segment — whatever it holds (`/`, `..`, `%2F`, `\n`, …) — can
    /// introduce an extra segment into the path sent: the number of
    /// unescaped `/` is the number of segments.
    #[test]
    fn segments_never_split(
        tail in prop::collection::vec(
            prop_oneof![
                select(PATH_TRICKY).prop_map(str::to_owned),
                text(),
            ],
            0..4,
        )
    ) {
        let segs = with_head(&tail);
        let path = huawei::request_path(&segs);
        prop_assert_eq!(path.matches('/').count(), segs.len());
        prop_assert!(!path.contains(['\n', '\r', '?', '#', '\\']));
        // Splitting the path on "/" gives back exactly the segments.
        let decoded: Vec<String> = path
            .split('/')
            .skip(1)
            .map(|p| percent_decode_str(p).decode_utf8().map(|c| c.into_owned()))
            .collect::<Result<_, _>>()
            .expect("request_path is valid percent-encoded UTF-8");
        prop_assert_eq!(&decoded, &segs);
        // The canonical URI follows the SDK (a raw "/" inside a segment
        // counts as a separator there); the validators refuse ids with "/".
        prop_assert!(huawei::canonical_uri(&segs).ends_with('/'));
    }

    /// (d) Percent-decoding `encode(s)` gives back `s`.
    #[test]
    fn encode_round_trips(s in text()) {
        let encoded = encode(&s);
        let decoded = percent_decode_str(&encoded).decode_utf8().expect("valid UTF-8");
        prop_assert_eq!(decoded.as_ref(), s.as_str());
    }

    /// (e) The Huawei signature changes when any one query value changes.
    #[test]
    fn huawei_signature_covers_every_query_value(
        q in prop::collection::vec((query_name(), text()), 1..6),
        index in any::<prop::sample::Index>(),
        replacement in text(),
    ) {
        let i = index.index(q.len());
        prop_assume!(q[i].1 != replacement);
        let mut changed = q.clone();
        changed[i].1 = replacement;
        let before = huawei_authorization(&SEGMENTS_HEAD, &q);
        prop_assert_eq!(&before, &huawei_authorization(&SEGMENTS_HEAD, &q), "not deterministic");
        prop_assert_ne!(before, huawei_authorization(&SEGMENTS_HEAD, &changed));
    }

    /// (f) The Tencent signature is deterministic and changes when the body
    /// changes by one byte (overwritten, appended or removed).
    #[test]
    fn tencent_signature_covers_every_body_byte(
        body in prop::collection::vec(any::<u8>(), 0..256),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        extra in any::<u8>(),
    ) {
        let original = tencent_authorization(&body);
        prop_assert_eq!(&original, &tencent_authorization(&body));

        let mut appended = body.clone();
        appended.push(extra);
        prop_assert_ne!(&original, &tencent_authorization(&appended));

        if !body.is_empty() {
            let i = index.index(body.len());
            let mut overwritten = body.clone();
            overwritten[i] ^= flip;
            prop_assert_ne!(&original, &tencent_authorization(&overwritten));

            let mut removed = body.clone();
            removed.remove(i);
            prop_assert_ne!(&original, &tencent_authorization(&removed));
        }
    }
}

/// The HSS list-tasks prefix followed by arbitrary segments.
fn with_head(tail: &[String]) -> Vec<&str> {
    SEGMENTS_HEAD
        .iter()
        .copied()
        .chain(tail.iter().map(String::as_str))
        .collect()
}

// ------------------------------------------------- pinned edge cases --

/// The two places where "always ending in `/`" and "one `/` per segment plus a
/// trailing one" disagree; the SDK (and the gateway) never double the slash.
#[test]
fn canonical_uri_edge_cases() {
    assert_eq!(huawei::request_path(&[]), "");
    assert_eq!(huawei::canonical_uri(&[]), "/");
    assert_eq!(huawei::request_path(&["v5", ""]), "/v5/");
    assert_eq!(huawei::canonical_uri(&["v5", ""]), "/v5/");
    assert_eq!(huawei::canonical_uri(&["v5", "", "x"]), "/v5//x/");
    assert_eq!(
        huawei::canonical_uri(&["a/b", "..", "%2F", "\n"]),
        "/a/b/../%252F/%0A/"
    );
}

// ------------------------------------------------------ URL normalising --
proptest! {
    #![proptest_config(config())]

    /// The path `hss.rs` hands to `Url::set_path` must come out unchanged, or
    /// the request goes somewhere other than what was signed. `.` and `..`
    /// are unreserved, so a segment that is exactly `.` or `..` would be
    /// removed by URL normalisation: the validators refuse such task and
    /// project ids, and every segment they accept survives.
    #[test]
    fn request_path_survives_url_normalisation(
        tail in prop::collection::vec(
            prop_oneof![select(&["a.b", "...", ".x", "x."][..]).prop_map(str::to_owned), text()],
            0..4,
        )
    ) {
        prop_assume!(tail.iter().all(|s| s != "." && s != ".."));
        let segs = with_head(&tail);
        let path = huawei::request_path(&segs);
        let mut url = reqwest::Url::parse("https://hss.cn-north-4.myhuaweicloud.com/")
            .expect("valid base");
        url.set_path(&path);
        prop_assert_eq!(url.path(), path.as_str());
    }
}

#[test]
fn dot_segments_are_refused_where_ids_enter_a_path() {
    assert!(scanport_wire::hss::validate_task_id(".").is_err());
    assert!(scanport_wire::hss::validate_task_id("..").is_err());
    let settings = scanport_cloud::HttpSettings::default();
    for project in [".", ".."] {
        let client = scanport_cloud::hss::HssClient::new(
            "https://hss.ap-southeast-1.myhuaweicloud.com",
            project,
            huawei_credentials(),
            scanport_cloud::http_client(&settings).expect("client"),
            settings,
            std::sync::Arc::new(scanport_cloud::budget::RateBudget::huawei_default()),
        );
        assert!(client.is_err(), "{project:?} accepted");
    }
}

#[test]
fn canonical_query_duplicate_names_sort_by_raw_value() {
    // Raw order (SDK): "a.b" < "a/b"; encoded order (signer): "a%2Fb" < "a.b".
    let q = vec![
        ("tag".to_owned(), "a/b".to_owned()),
        ("tag".to_owned(), "a.b".to_owned()),
    ];
    assert_eq!(huawei::canonical_query(&q), "tag=a.b&tag=a%2Fb");
}
