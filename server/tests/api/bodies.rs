//! Request bodies a server must survive: oversize ones, announced or
//! streamed in chunks, get a 413 the client can read; malformed, mistyped
//! and odd ones get a clear 4xx, never a crash or an upstream call.

use crate::common::*;
use reqwest::header;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::Duration;

/// Sends a chunked body of `total` bytes over a raw connection (no
/// Content-Length, so the limit must apply while reading); returns the
/// status and the raw answer.
fn send_chunked(addr: &str, token: &str, total: usize) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let head = format!(
        "POST /api/v1/hss/batch-scan HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let mut body = format!(
        "{{\"account\":\"{HW}\",\"request\":{{\"image_type\":\"private_image\",\"image_info_list\":["
    );
    while body.len() < total {
        body.push_str(
            "{\"namespace\":\"payments\",\"image_name\":\"checkout\",\"image_version\":\"v1\"},",
        );
    }
    body.push_str("{\"namespace\":\"a\",\"image_name\":\"b\",\"image_version\":\"c\"}]}}");
    for chunk in body.as_bytes().chunks(4096) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break; // the server answered and closed early
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// A chunked body twice the cap, over a raw connection.
async fn chunked_oversize(h: &Harness, token: &Auth) -> (u16, String) {
    let Auth::Bearer(raw) = token else {
        panic!("a token is needed")
    };
    let addr = h.base.trim_start_matches("http://").to_owned();
    let raw = raw.clone();
    let (status, answer) =
        tokio::task::spawn_blocking(move || send_chunked(&addr, &raw, 2 * MAX_BODY_BYTES))
            .await
            .expect("chunked");
    for canary in CANARIES {
        assert!(!answer.contains(canary), "{answer}");
    }
    (status, answer)
}

/// 7c. A body over the cap is 413 however it is sent: with a length, or
/// streamed in chunks without one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_oversize_body_is_413_too() {
    let h = Harness::start().await;
    let (_, token) = h.token(ADMIN).await;
    let before = h.upstream_mutations().await;
    let (status, answer) = chunked_oversize(&h, &token).await;
    assert_eq!(status, 413, "chunked oversize body: {answer}");
    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing sent upstream"
    );
}

/// 7b. Bodies that are too large or not JSON at all: 413 and 400, never a
/// server error, never an upstream call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_and_malformed_bodies_are_client_errors() {
    let h = Harness::start().await;
    let (_, token) = h.token(ADMIN).await;
    let before = h.upstream_mutations().await;

    // Valid JSON, a valid request even, just too large.
    let images: Vec<Value> = (0..2000)
        .map(|i| json!({"namespace": "payments", "image_name": "checkout", "image_version": format!("v{i}")}))
        .collect();
    let big = launch(json!({"image_type": "private_image", "image_info_list": images}));
    assert!(big.to_string().len() > MAX_BODY_BYTES);
    let reply = h.call(&token, "hss/batch-scan", &big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{reply:?}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let reply = h.call(&Auth::Anonymous, "hss/batch-scan", &big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{reply:?}");

    // Streamed without a length: refused while reading, and never sent
    // (413 is its own test below).
    let (status, answer) = chunked_oversize(&h, &token).await;
    assert!(
        (400..500).contains(&status),
        "chunked oversize body: {answer}"
    );

    // Not JSON, or not the shape.
    let malformed: Vec<(&str, Vec<u8>)> = vec![
        (
            "truncated JSON",
            br#"{"account": "hw-test", "request": {"#.to_vec(),
        ),
        ("empty body", Vec::new()),
        ("null", b"null".to_vec()),
        ("an array", b"[]".to_vec()),
        ("a string", br#""batch-scan""#.to_vec()),
        ("a number", b"42".to_vec()),
        (
            "wrong types",
            br#"{"account": 7, "request": "all"}"#.to_vec(),
        ),
        (
            "invalid UTF-8",
            b"{\"account\": \"\xff\xfe\", \"request\": {}}".to_vec(),
        ),
        ("deep nesting", "[".repeat(30_000).into_bytes()),
        (
            "trailing garbage",
            br#"{"account": "hw-test", "request": {}} xx"#.to_vec(),
        ),
    ];
    for endpoint in [
        "hss/batch-scan",
        "tcss/timing-scan/update",
        "admin/users/add",
        "hss/tasks",
    ] {
        for (label, body) in &malformed {
            let reply = h
                .send(
                    format!("{endpoint}: {label}"),
                    token.apply(
                        h.request(Method::POST, &format!("/api/v1/{endpoint}"))
                            .header(header::CONTENT_TYPE, "application/json")
                            .body(body.clone()),
                    ),
                )
                .await;
            reply.expect_error(400, "invalid_input");
        }
    }
    // Another content type is not a way around the checks.
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let reply = h
            .send(
                format!("batch-scan as {content_type}"),
                token.apply(
                    h.request(Method::POST, "/api/v1/hss/batch-scan")
                        .header(header::CONTENT_TYPE, content_type)
                        .body(launch(json!({"image_type": "private_image"})).to_string()),
                ),
            )
            .await;
        assert!(
            reply.status.is_client_error(),
            "{content_type}: {} {}",
            reply.status,
            reply.body
        );
    }
    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing sent upstream"
    );
    h.assert_no_secret_leaked();
}
