//! The sandbox's limits as the services document them, seen through the
//! typed clients over real HTTP: HSS's 5 calls per minute per user (AK)
//! and per IP address and 600 per API in total, each refusal counting
//! against no other limit and saying when to come back (`Retry-After`);
//! TCSS's 20 calls per second per action for each SecretId; the AK
//! lockout after signature failures in a row; the gateway's 12 MB body.

mod support;

use scanport_cloud::budget::RateBudget;
use scanport_cloud::hss::HssClient;
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{CloudError, HttpSettings, HuaweiCredentials, TencentCredentials};
use scanport_sandbox::{HuaweiKey, Lockout, SandboxConfig, TencentKey};
use scanport_wire::hss::{
    BatchScanImage, BatchScanRequest, ImageType, ListTasksRequest, TaskListType,
};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;
use support::spawn_sandbox;

const SK: &str = "limits-sk-0000000000000000000000000001";
const SECRET_KEY: &str = "limits-secret-key-000000000000001";

fn ak(n: usize) -> String {
    format!("LIMITSAK{n:06}")
}

fn secret_id(n: usize) -> String {
    format!("AKIDLIMITS{n:06}")
}

/// A sandbox with its limits on, `keys` Huawei and Tencent key pairs.
async fn start(keys: usize, lockout: Lockout) -> String {
    let mut config = SandboxConfig::new(
        (0..keys)
            .map(|n| HuaweiKey {
                ak: ak(n),
                sk: SK.into(),
            })
            .collect(),
        (0..keys)
            .map(|n| TencentKey {
                secret_id: secret_id(n),
                secret_key: SECRET_KEY.into(),
            })
            .collect(),
    );
    config.rate_limits = true;
    config.lockout = lockout;
    spawn_sandbox(config).await
}

fn settings() -> HttpSettings {
    // Each call is one request: the counts below are the sandbox's.
    support::settings(0)
}

fn unlimited() -> Arc<RateBudget> {
    support::budget(600_000)
}

/// An HSS client of key `key` whose calls come from 127.0.0.`host`
/// (every 127.0.0.0/8 address is loopback on Linux).
fn hss_from(endpoint: &str, key: usize, sk: &str, host: u8) -> HssClient {
    let s = settings();
    let http = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
        .timeout(s.timeout)
        .build()
        .expect("client");
    HssClient::new(
        endpoint,
        "proj-limits",
        HuaweiCredentials::new(ak(key), sk),
        http,
        s,
        unlimited(),
    )
    .expect("hss client")
}

fn tcss(endpoint: &str, key: usize) -> TcssClient {
    let s = settings();
    TcssClient::new(
        endpoint,
        "ap-guangzhou",
        TencentCredentials::new(secret_id(key), SECRET_KEY),
        scanport_cloud::http_client(&s).expect("client"),
        s,
        unlimited(),
    )
    .expect("tcss client")
}

fn tasks() -> ListTasksRequest {
    ListTasksRequest::new(TaskListType::ImageScan)
}

/// The throttling refusal's code and `Retry-After` wait.
fn throttled(result: Result<impl std::fmt::Debug, CloudError>) -> (String, Duration) {
    match result {
        Err(CloudError::RateLimited {
            upstream_code: Some(code),
            retry_after,
            ..
        }) => (code, retry_after),
        other => panic!("expected the service's rate limit, got {other:?}"),
    }
}

#[tokio::test]
async fn hss_limits_a_user_and_an_address_separately_and_a_refusal_counts_against_neither() {
    let endpoint = start(2, Lockout::default()).await;
    let first = hss_from(&endpoint, 0, SK, 2);
    for n in 0..5 {
        first
            .list_tasks(&tasks())
            .await
            .unwrap_or_else(|e| panic!("call {n} of 5: {e}"));
    }
    // The user's sixth call in the minute: refused, with the wait.
    let (code, wait) = throttled(first.list_tasks(&tasks()).await);
    assert_eq!(code, "APIGW.0308");
    assert!(
        wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
        "Retry-After {wait:?}"
    );

    // Another user from the same address: the address is over its limit.
    let neighbour = hss_from(&endpoint, 1, SK, 2);
    for _ in 0..3 {
        throttled(neighbour.list_tasks(&tasks()).await);
    }
    // The same user from another address: the refusals above did not count
    // against the user, who has all five calls.
    let moved = hss_from(&endpoint, 1, SK, 3);
    for n in 0..5 {
        moved
            .list_tasks(&tasks())
            .await
            .unwrap_or_else(|e| panic!("call {n} of 5 after the refusals: {e}"));
    }
    throttled(moved.list_tasks(&tasks()).await);
    // Other APIs have limits of their own.
    first
        .list_registries(&Default::default())
        .await
        .expect("another API");
}

#[tokio::test]
async fn hss_limits_each_api_to_600_calls_a_minute_in_total() {
    // 120 users from 120 addresses, 5 calls each: every user and address
    // within its limit, the API at its total.
    let endpoint = start(121, Lockout::default()).await;
    let clients: Vec<HssClient> = (0..120)
        .map(|n| hss_from(&endpoint, n, SK, u8::try_from(n + 10).expect("host")))
        .collect();
    let req = tasks();
    for round in 0..5 {
        let calls = clients.iter().map(|c| c.list_tasks(&req));
        for (n, result) in in_turn(calls).await.into_iter().enumerate() {
            result.unwrap_or_else(|e| panic!("round {round}, user {n}: {e}"));
        }
    }
    // A fresh user from a fresh address: only the total is over.
    let fresh = hss_from(&endpoint, 120, SK, 200);
    let (code, _) = throttled(fresh.list_tasks(&tasks()).await);
    assert_eq!(code, "APIGW.0308");
    fresh
        .list_registries(&Default::default())
        .await
        .expect("another API's total is its own");
}

/// Runs the calls one after another (the sandbox's windows see them all
/// inside the minute either way).
async fn in_turn<F: std::future::Future>(calls: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    for call in calls {
        out.push(call.await);
    }
    out
}

#[tokio::test]
async fn tcss_counts_20_calls_per_second_per_action_for_each_secret_id() {
    let endpoint = start(2, Lockout::default()).await;
    let first = tcss(&endpoint, 0);
    let mut refused = None;
    // Within one second: 20 go through, then the SecretId is refused.
    for n in 0..21 {
        match first.describe_timing_scan().await {
            Ok(_) => assert!(n < 20, "call {n} went through"),
            Err(err) => {
                refused = Some(err);
                break;
            }
        }
    }
    let (code, _) = throttled(refused.map_or(Ok(()), Err));
    assert_eq!(code, "RequestLimitExceeded");
    // Another account's SecretId has its own 20.
    let second = tcss(&endpoint, 1);
    for n in 0..10 {
        second
            .describe_timing_scan()
            .await
            .unwrap_or_else(|e| panic!("second key, call {n}: {e}"));
    }
}

#[tokio::test]
async fn five_signature_failures_in_a_row_lock_the_ak_for_the_configured_time() {
    let lockout = Lockout {
        after: 5,
        duration: Duration::from_secs(2),
    };
    let endpoint = start(1, lockout).await;
    let good = hss_from(&endpoint, 0, SK, 2);
    // Four failures, then a good call: the count starts again.
    for _ in 0..4 {
        let wrong = hss_from(&endpoint, 0, "wrong-secret", 2);
        assert!(matches!(
            wrong.list_tasks(&tasks()).await,
            Err(CloudError::AuthRejected { .. })
        ));
    }
    good.list_tasks(&tasks()).await.expect("not locked yet");
    // Five in a row lock the AK: its right signature is refused too.
    for _ in 0..5 {
        // A fresh client each time: one client would pause after two.
        let wrong = hss_from(&endpoint, 0, "wrong-secret", 3);
        assert!(matches!(
            wrong.list_tasks(&tasks()).await,
            Err(CloudError::AuthRejected { .. })
        ));
    }
    match hss_from(&endpoint, 0, SK, 4).list_tasks(&tasks()).await {
        Err(CloudError::AuthRejected { code, message, .. }) => {
            assert_eq!(code, "APIGW.0301");
            assert!(message.contains("locked"), "{message}");
        }
        other => panic!("expected the locked AK's refusal, got {other:?}"),
    }
    tokio::time::sleep(lockout.duration + Duration::from_millis(200)).await;
    hss_from(&endpoint, 0, SK, 5)
        .list_tasks(&tasks())
        .await
        .expect("the lock ends");
}

#[tokio::test]
async fn one_console_client_stops_after_two_refusals_and_never_locks_the_ak() {
    let endpoint = start(1, Lockout::default()).await;
    let wrong = hss_from(&endpoint, 0, "wrong-secret", 2);
    for _ in 0..2 {
        assert!(matches!(
            wrong.list_tasks(&tasks()).await,
            Err(CloudError::AuthRejected { .. })
        ));
    }
    for _ in 0..10 {
        assert!(matches!(
            wrong.list_tasks(&tasks()).await,
            Err(CloudError::AccountPaused { .. })
        ));
    }
    // Two failures reached the sandbox, not five: the right key still works.
    hss_from(&endpoint, 0, SK, 3)
        .list_tasks(&tasks())
        .await
        .expect("the AK is not locked");
}

#[tokio::test]
async fn a_full_batch_of_10241_images_fits_the_gateway_body_limit() {
    let endpoint = start(1, Lockout::default()).await;
    let images: Vec<BatchScanImage> = (0..scanport_wire::hss::MAX_BATCH_IMAGES)
        .map(|n| BatchScanImage {
            namespace: format!("{n:0>64}"),
            image_name: format!("{n:x>128}"),
            image_version: format!("{n:v>128}"),
            instance_id: None,
            instance_url: None,
        })
        .collect();
    let request = BatchScanRequest::images(ImageType::PrivateImage, images);
    let size = serde_json::to_vec(&request).expect("json").len();
    assert!(size > 2 * 1024 * 1024, "over axum's default limit: {size}");
    hss_from(&endpoint, 0, SK, 2)
        .batch_scan(&request)
        .await
        .expect("a full batch is accepted");

    // Over 12 MB the gateway refuses before reading on.
    let big = vec![b' '; 12 * 1024 * 1024 + 1];
    let answer = reqwest::Client::new()
        .post(format!("{endpoint}/v5/proj-limits/image/batch-scan"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 413);
    let body: serde_json::Value = answer.json().await.expect("a JSON error");
    assert_eq!(body["error_code"], "APIGW.0201");
}
