//! Losing access counts at once: a disabled user, a changed role or a
//! revoked credential is refused on the very next request, and an open
//! event stream of that caller ends within two seconds.

use crate::common::*;
use crate::streams::ends_within;
use reqwest::header;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// 6. Disabling a user ends their session and silences their tokens on
/// the very next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_a_user_ends_their_access_at_once() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let session = h.session(OPERATOR).await;
    let (_, token) = h.token(OPERATOR).await;
    let read = json!({"account": HW, "request": {"type": "image_scan"}});
    let launch = json!({"account": HW, "request": batch_scan_all("payments")});
    for auth in [&session, &token] {
        h.call(auth, "hss/tasks", &read).await.expect_ok();
    }

    // Admins cannot lock themselves out.
    let me = h
        .call(
            &admin,
            "admin/users/disable",
            &json!({"name": ADMIN, "disabled": true}),
        )
        .await;
    me.expect_error(400, "invalid_input");
    assert_eq!(me.field().as_deref(), Some("name"));

    h.call(
        &admin,
        "admin/users/disable",
        &json!({"name": OPERATOR, "disabled": true}),
    )
    .await
    .expect_ok();

    let before = h.upstream_mutations().await;
    for auth in [&session, &token] {
        h.call(auth, "hss/tasks", &read)
            .await
            .expect_error(401, "unauthenticated");
        h.call(auth, "hss/batch-scan", &launch)
            .await
            .expect_error(401, "unauthenticated");
        h.get(auth, "/api/v1/accounts")
            .await
            .expect_error(401, "unauthenticated");
        h.open_stream(
            auth,
            "/api/v1/events/tasks?account=hw-test",
            Duration::from_secs(5),
        )
        .await
        .expect_error(401, "unauthenticated");
        assert_eq!(
            h.call(auth, "auth/me", &json!({})).await.json(),
            Value::Null
        );
    }
    assert_eq!(h.upstream_mutations().await, before);
    // The old cookie no longer opens pages, and signing in again fails.
    let page = h.get(&session, "/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{page:?}");
    let again = h.login(OPERATOR, PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(
        again
            .header("location")
            .is_some_and(|l| l.contains("error=credentials")),
        "{again:?}"
    );
    assert!(again.headers.get(header::SET_COOKIE).is_none());

    // Enabling again does not bring the ended session back.
    h.call(
        &admin,
        "admin/users/disable",
        &json!({"name": OPERATOR, "disabled": false}),
    )
    .await
    .expect_ok();
    h.call(&session, "hss/tasks", &read)
        .await
        .expect_error(401, "unauthenticated");
    let fresh = Auth::Cookie(h.new_session(OPERATOR).await);
    h.call(&fresh, "hss/tasks", &read).await.expect_ok();

    // Both changes are in the audit log, by the admin.
    let log = h
        .call(
            &admin,
            "admin/audit",
            &json!({"query": {"actor": ADMIN, "limit": 50}}),
        )
        .await;
    log.expect_ok();
    let actions: Vec<String> = log.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["outcome"] == json!("ok"))
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect();
    assert!(
        actions.contains(&"admin/users/disable".to_owned())
            && actions.contains(&"admin/users/enable".to_owned()),
        "{actions:?}"
    );
    h.assert_no_secret_leaked();
}

/// 6b. A role change counts on the caller's next request, for sessions
/// and tokens alike, in both directions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_counts_on_the_next_request() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let session = h.session(VIEWER).await;
    let (_, token) = h.token(VIEWER).await;
    let launch = json!({"account": HW, "request": batch_scan_all("payments")});
    let set_role = |role: &'static str| json!({"name": VIEWER, "role": role});

    for auth in [&session, &token] {
        h.call(auth, "hss/batch-scan", &launch)
            .await
            .expect_error(403, "forbidden");
    }
    h.call(&admin, "admin/users/role", &set_role("operator"))
        .await
        .expect_ok();
    for auth in [&session, &token] {
        let calls = h.upstream_calls(UP_BATCH_SCAN).await;
        h.call(auth, "hss/batch-scan", &launch).await.expect_ok();
        assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);
        assert_eq!(
            h.call(auth, "auth/me", &json!({})).await.json()["role"],
            json!("operator")
        );
        h.call(auth, "admin/users", &json!({}))
            .await
            .expect_error(403, "forbidden");
    }
    h.call(&admin, "admin/users/role", &set_role("admin"))
        .await
        .expect_ok();
    for auth in [&session, &token] {
        h.call(auth, "admin/users", &json!({})).await.expect_ok();
    }
    h.call(&admin, "admin/users/role", &set_role("viewer"))
        .await
        .expect_ok();
    let before = h.upstream_mutations().await;
    for auth in [&session, &token] {
        h.call(auth, "hss/batch-scan", &launch)
            .await
            .expect_error(403, "forbidden");
        h.call(auth, "admin/users", &json!({}))
            .await
            .expect_error(403, "forbidden");
        h.call(
            auth,
            "hss/tasks",
            &json!({"account": HW, "request": {"type": "image_scan"}}),
        )
        .await
        .expect_ok();
    }
    assert_eq!(h.upstream_mutations().await, before);
    // An unknown role is refused as input, not stored.
    let bad = h
        .call(
            &admin,
            "admin/users/role",
            &json!({"name": VIEWER, "role": "root"}),
        )
        .await;
    bad.expect_error(400, "invalid_input");
    h.assert_no_secret_leaked();
}

/// 6d. An event stream opened before its user was disabled stops
/// delivering the task list: disabling ends access "at once", not at the
/// next reconnect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_event_stream_stops_when_its_user_is_disabled() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let viewer = h.session(VIEWER).await;
    let (_, operator) = h.token(OPERATOR).await;
    let mut stream = h
        .raw_stream(
            &viewer,
            "/api/v1/events/tasks?account=hw-test&type=image_scan",
        )
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        h.next_event(&mut stream, Duration::from_secs(20))
            .await
            .is_some(),
        "the first snapshot"
    );
    h.call(
        &admin,
        "admin/users/disable",
        &json!({"name": VIEWER, "disabled": true}),
    )
    .await
    .expect_ok();
    // A change in the list, so the hub has news to send.
    h.call(
        &operator,
        "hss/batch-scan",
        &json!({"account": HW, "request": batch_scan_all("payments")}),
    )
    .await
    .expect_ok();
    let after = h.next_event(&mut stream, Duration::from_secs(8)).await;
    assert!(
        after.is_none(),
        "a disabled user still receives the task list: {after:?}"
    );
    h.assert_no_secret_leaked();
}

/// A revoked token's open stream ends within two seconds even when the
/// task list has no news to send (the hub is quiet), and a sign-out ends
/// that session's stream the same way; other callers' streams stay open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_ends_that_callers_open_stream_within_two_seconds() {
    let h = Harness::start_with(Options {
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let admin = h.session(ADMIN).await;
    let (info, token) = h.token(VIEWER).await;
    let signing_out = h.session(OPERATOR).await;
    let bystander = h.session(VIEWER).await;
    let path = format!("/api/v1/events/tasks?account={HW}&type=image_scan");
    let mut streams = Vec::new();
    for auth in [&token, &signing_out, &bystander] {
        let mut stream = h.raw_stream(auth, &path).await;
        assert_eq!(stream.status(), StatusCode::OK);
        assert!(
            h.next_event(&mut stream, Duration::from_secs(20))
                .await
                .is_some(),
            "the first snapshot"
        );
        streams.push(stream);
    }
    let [by_token, by_session, by_bystander] = &mut streams[..] else {
        unreachable!()
    };

    h.call(&admin, "admin/tokens/revoke", &json!({"id": info.id}))
        .await
        .expect_ok();
    let revoked_at = std::time::Instant::now();
    assert!(
        ends_within(by_token, Duration::from_secs(2)).await,
        "the revoked token's stream is still open 2 s later"
    );
    eprintln!(
        "revoked token's stream ended {} ms after the revocation",
        revoked_at.elapsed().as_millis()
    );

    let logout = h
        .send(
            "POST /logout",
            signing_out.apply(h.request(Method::POST, "/logout")),
        )
        .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER, "{logout:?}");
    assert!(
        ends_within(by_session, Duration::from_secs(2)).await,
        "the signed-out session's stream is still open 2 s later"
    );
    assert!(
        !ends_within(by_bystander, Duration::from_secs(1)).await,
        "another viewer's stream ended too"
    );
    h.assert_no_secret_leaked();
}
