//! The HSS scan policy through the public API: viewers read it, operators
//! change it (audited, once per `Idempotency-Key`), and input the SDK
//! would not take is refused with the field named before the cloud hears
//! of it.

use crate::common::*;
use reqwest::Method;
use scanport_portal::{AuditQuery, Outcome};
use serde_json::{Value, json};

const UP_READ: &str = "GET /v5/{project_id}/image/scanner-policies";

fn update(request: Value) -> Value {
    json!({"account": HW, "request": request})
}

async fn audit_rows(h: &Harness) -> Vec<scanport_portal::AuditEntry> {
    scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            action: Some("hss/scan-policy/update".to_owned()),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("audit list")
    .0
}

async fn read_policy(h: &Harness, auth: &Auth) -> Value {
    let reply = h
        .call(
            auth,
            "hss/scan-policy",
            &json!({"account": HW, "request": {"type": "cycle"}}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_read_the_policy_and_only_operators_change_it() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let (_, operator) = h.token(OPERATOR).await;

    let seeded = read_policy(&h, &viewer).await;
    assert_eq!(seeded["scan_cycle"], json!(7), "{seeded}");
    assert_eq!(seeded["enabled"], json!(true));
    assert!(
        seeded["registry_list"]
            .as_array()
            .is_some_and(|l| l.len() > 2)
    );

    let before = h.upstream_calls(UP_SCAN_POLICY).await;
    h.call(
        &viewer,
        "hss/scan-policy/update",
        &update(scan_policy_update(30)),
    )
    .await
    .expect_error(403, "forbidden");
    assert_eq!(h.upstream_calls(UP_SCAN_POLICY).await, before);
    assert!(
        audit_rows(&h).await.is_empty(),
        "a refused call is not audited"
    );

    h.call(
        &operator,
        "hss/scan-policy/update",
        &update(scan_policy_update(30)),
    )
    .await
    .expect_ok();
    assert_eq!(h.upstream_calls(UP_SCAN_POLICY).await, before + 1);
    // The viewer reads the change back.
    let changed = read_policy(&h, &viewer).await;
    assert_eq!(
        (
            &changed["scan_scope"],
            &changed["rate_limit"],
            &changed["time_scope"]
        ),
        (&json!(0x0f0000), &json!(30), &json!(0))
    );
    let chosen: Vec<&Value> = changed["registry_list"]
        .as_array()
        .expect("registries")
        .iter()
        .filter(|r| r["is_selected"] == json!(true))
        .collect();
    assert_eq!(chosen.len(), 1, "{changed}");
    assert_eq!(chosen[0]["registry_id"], json!("reg-harbor"));

    let rows = audit_rows(&h).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert_eq!(row.outcome, Outcome::Ok);
    assert_eq!(row.actor, OPERATOR);
    assert_eq!(row.account.as_deref(), Some(HW));
    let request: Value =
        serde_json::from_str(row.request.as_deref().expect("the request is kept")).expect("json");
    assert_eq!(request["rate_limit"], json!(30));
    h.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_idempotency_key_changes_the_policy_once() {
    let h = Harness::start().await;
    let (_, operator) = h.token(OPERATOR).await;
    let send = |key: &str, body: &Value| {
        operator.apply(
            h.request(Method::POST, "/api/v1/hss/scan-policy/update")
                .header("Idempotency-Key", key)
                .json(body),
        )
    };
    let body = update(scan_policy_update(40));
    let before = h.upstream_calls(UP_SCAN_POLICY).await;
    let first = h.send("policy #1", send("policy-0001", &body)).await;
    first.expect_ok();
    let again = h.send("policy #1 again", send("policy-0001", &body)).await;
    again.expect_ok();
    assert_eq!(first.body, again.body);
    assert_eq!(h.upstream_calls(UP_SCAN_POLICY).await, before + 1);
    h.send(
        "policy #1's key, other policy",
        send("policy-0001", &update(scan_policy_update(41))),
    )
    .await
    .expect_error(409, "conflict");
    assert_eq!(h.upstream_calls(UP_SCAN_POLICY).await, before + 1);
    assert_eq!(audit_rows(&h).await.len(), 1, "one row per upstream call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_the_sdk_refuses_is_refused_with_the_field_and_never_sent() {
    let h = Harness::start().await;
    let (_, operator) = h.token(OPERATOR).await;
    let with = |name: &str, value: Value| {
        let mut request = scan_policy_update(10);
        request[name] = value;
        update(request)
    };
    let mut missing = scan_policy_update(10);
    missing
        .as_object_mut()
        .expect("object")
        .remove("time_scope");
    let cases = [
        (with("scan_cycle", json!(5)), "scan_cycle"),
        (with("scan_scope", json!(0x1)), "scan_scope"),
        (with("rate_limit", json!(1001)), "rate_limit"),
        (with("time_scope", json!(2)), "time_scope"),
        (with("registry_info", json!([])), "registry_info"),
        (
            with(
                "registry_info",
                json!([{"registry_id": "", "registry_name": "x", "registry_type": "Harbor"}]),
            ),
            "registry_info[0].registry_id",
        ),
        (
            with(
                "registry_info",
                json!([{"registry_id": "r", "registry_name": "x", "registry_type": "Dockerhub"}]),
            ),
            "registry_info[0].registry_type",
        ),
        (update(missing), "time_scope"),
    ];
    let reads = h.upstream_calls(UP_READ).await;
    let before = h.upstream_mutations().await;
    for (body, field) in &cases {
        let reply = h.call(&operator, "hss/scan-policy/update", body).await;
        reply.expect_error(400, "invalid_input");
        assert_eq!(
            reply.field().as_deref(),
            Some(*field),
            "{body}: {}",
            reply.body
        );
    }
    // A read names its required `type` too.
    let reply = h
        .call(
            &operator,
            "hss/scan-policy",
            &json!({"account": HW, "request": {}}),
        )
        .await;
    reply.expect_error(400, "invalid_input");
    assert!(reply.body.contains("type"), "{}", reply.body);
    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing sent upstream"
    );
    assert_eq!(h.upstream_calls(UP_READ).await, reads);
    assert!(audit_rows(&h).await.is_empty());
    // A Tencent account has no such policy.
    let reply = h
        .call(
            &operator,
            "hss/scan-policy/update",
            &json!({"account": TC, "request": scan_policy_update(10)}),
        )
        .await;
    reply.expect_error(400, "invalid_input");
    assert_eq!(reply.field().as_deref(), Some("account"));
    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing sent upstream"
    );
}
