//! API tokens as scripts and their admins meet them: shown once, revoked
//! at once, expiring after the console's default unless made not to, sent
//! with any case of `Bearer`; and service users with tokens limited to a
//! role and to some accounts, which work within that, and everywhere else
//! get a 403 naming the limit, with nothing sent to the cloud and the
//! refused change in the audit log under the token's id.

use crate::common::*;
use reqwest::Method;
use reqwest::header;
use scanport_portal::{AuditQuery, Outcome};
use serde_json::{Value, json};

/// Makes `bot` (a service user, operator) and a token for it as `scope`
/// says; answers the token and its id.
async fn scoped_token(h: &Harness, admin: &Auth, scope: Value) -> (Auth, String) {
    let mut body = json!({"user": "ci-bot", "label": "pipeline", "expires_days": 30});
    body.as_object_mut()
        .expect("object")
        .extend(scope.as_object().expect("scope object").clone());
    let made = h.call(admin, "admin/tokens/create", &body).await;
    made.expect_ok();
    let made = made.json();
    let id = made["info"]["id"].as_str().expect("token id").to_owned();
    let token = made["token"].as_str().expect("the token, once").to_owned();
    (Auth::Bearer(token), id)
}

fn out_of_scope(reply: &Reply, limit: &str) {
    reply.expect_error(403, "out_of_scope");
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        message,
        format!("This token is limited to {limit}."),
        "{reply:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scoped_token_acts_only_within_its_role_and_accounts() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let added = h
        .call(
            &admin,
            "admin/users/add",
            &json!({"name": "ci-bot", "role": "operator", "service": true}),
        )
        .await;
    added.expect_ok();
    assert_eq!(added.json()["service"], json!(true));
    // A service user cannot sign in, whatever it is sent.
    for password in ["", PASSWORD] {
        let login = h.login("ci-bot", password).await;
        let cookie = login.headers.get(reqwest::header::SET_COOKIE);
        assert!(cookie.is_none(), "signed in: {login:?}");
    }

    let (viewer, viewer_id) =
        scoped_token(&h, &admin, json!({"role": "viewer", "accounts": [HW]})).await;

    // Within its scope: it reads the one account, and sees only it.
    h.call(
        &viewer,
        "hss/images",
        &json!({"account": HW, "request": {"image_type": "private_image"}}),
    )
    .await
    .expect_ok();
    let listed = h.get(&viewer, "/api/v1/accounts").await;
    let ids: Vec<Value> = listed
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, [json!(HW)], "the account list shows only its account");
    let overview = h.call(&viewer, "ui/overview", &json!({})).await;
    let ids: Vec<Value> = overview
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["account"].clone())
        .collect();
    assert_eq!(ids, [json!(HW)], "so does the overview");

    // Another account, by API, by stream and by export: refused, and
    // nothing reaches the cloud.
    let before = h.upstream().await;
    let limit = format!("the account {HW}");
    out_of_scope(
        &h.call(
            &viewer,
            "tcss/images",
            &json!({"account": TC, "request": {"Limit": 10}}),
        )
        .await,
        &limit,
    );
    out_of_scope(
        &h.get(&viewer, &format!("/api/v1/events/tasks?account={TC}"))
            .await,
        &limit,
    );
    out_of_scope(
        &h.get(
            &viewer,
            &format!("/api/v1/export/vulnerabilities.csv?account={TC}"),
        )
        .await,
        &limit,
    );
    assert_eq!(h.upstream().await, before, "no call for a refused account");

    // A change beyond its role: refused naming the role, not sent, and
    // recorded as denied under the token.
    let mutations = h.upstream_mutations().await;
    let scan = json!({"account": HW, "request": batch_scan_all("payments")});
    out_of_scope(
        &h.call(&viewer, "hss/batch-scan", &scan).await,
        "the viewer role",
    );
    assert_eq!(h.upstream_mutations().await, mutations, "nothing launched");
    let rows = scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            action: Some("hss/batch-scan".to_owned()),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("audit")
    .0;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].actor.as_str(), rows[0].via.clone(), rows[0].outcome),
        ("ci-bot", format!("token:{viewer_id}"), Outcome::Denied),
        "the row names the token"
    );
    assert_eq!(
        rows[0].detail.as_deref(),
        Some("This token is limited to the viewer role.")
    );

    // An operator token on the other account launches there, and only
    // there.
    let (operator, _) =
        scoped_token(&h, &admin, json!({"role": "operator", "accounts": [HW]})).await;
    h.call(&operator, "hss/batch-scan", &scan).await.expect_ok();
    out_of_scope(
        &h.call(
            &operator,
            "tcss/sync",
            &json!({"account": TC, "request": {"All": true}}),
        )
        .await,
        &limit,
    );
    assert_eq!(
        h.upstream_calls(UP_BATCH_SCAN).await,
        mutations.get(UP_BATCH_SCAN).copied().unwrap_or(0) + 1
    );

    // The token's own refusals: above its user's role, an account the
    // console does not serve; a service user with a password.
    for (scope, field) in [
        (json!({"role": "admin"}), "role"),
        (json!({"accounts": ["staging"]}), "accounts"),
        (json!({"accounts": []}), "accounts"),
    ] {
        let mut body = json!({"user": "ci-bot", "label": "x"});
        body.as_object_mut()
            .expect("object")
            .extend(scope.as_object().expect("o").clone());
        let refused = h.call(&admin, "admin/tokens/create", &body).await;
        refused.expect_error(400, "invalid_input");
        assert_eq!(refused.field().as_deref(), Some(field), "{refused:?}");
    }
    let refused = h
        .call(
            &admin,
            "admin/users/add",
            &json!({"name": "bot-2", "role": "viewer", "service": true, "password": PASSWORD}),
        )
        .await;
    refused.expect_error(400, "invalid_input");
    assert_eq!(refused.field().as_deref(), Some("password"));
    let listed = h.call(&admin, "admin/tokens", &json!({})).await.json();
    let scoped: Vec<(Value, Value)> = listed
        .as_array()
        .expect("tokens")
        .iter()
        .filter(|t| t["user"] == "ci-bot")
        .map(|t| (t["role"].clone(), t["accounts"].clone()))
        .collect();
    assert_eq!(
        scoped,
        [
            (json!("operator"), json!([HW])),
            (json!("viewer"), json!([HW]))
        ],
        "two tokens, newest first, each with its limits"
    );
    h.assert_no_secret_leaked();
}

/// 6c. Tokens made through the API: shown once, never listed or logged,
/// acting with their user's role, and dead as soon as they are revoked.
/// Passwords never reach the audit log either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_are_shown_once_and_revoked_at_once() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let created = h
        .call(
            &admin,
            "admin/tokens/create",
            &json!({"user": OPERATOR, "label": "ci pipeline", "expires_days": 7}),
        )
        .await;
    created.expect_ok();
    let raw = created.json()["token"]
        .as_str()
        .expect("the token, this once")
        .to_owned();
    let id = created.json()["info"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert!(raw.starts_with("spt_"), "{raw}");
    let token = Auth::Bearer(raw.clone());
    assert_eq!(
        h.call(&token, "auth/me", &json!({})).await.json(),
        json!({"name": OPERATOR, "role": "operator"})
    );
    h.call(
        &token,
        "hss/batch-scan",
        &json!({"account": HW, "request": batch_scan_all("payments")}),
    )
    .await
    .expect_ok();
    h.call(&token, "admin/users", &json!({}))
        .await
        .expect_error(403, "forbidden");

    let secret_password = "Sw0rdfish-only-in-the-request";
    h.call(
        &admin,
        "admin/users/add",
        &json!({"name": "newcomer", "password": secret_password, "role": "viewer"}),
    )
    .await
    .expect_ok();

    let listing = h.call(&admin, "admin/tokens", &json!({})).await;
    listing.expect_ok();
    let audit = h
        .call(&admin, "admin/audit", &json!({"query": {"limit": 100}}))
        .await;
    audit.expect_ok();
    // The creation row names the token made; the token's own calls name
    // it too, so what a token did can be traced to who made it.
    let entries = audit.json()["entries"].clone();
    let row = |action: &str| {
        entries
            .as_array()
            .and_then(|l| l.iter().find(|e| e["action"] == action))
            .cloned()
            .unwrap_or_else(|| panic!("no {action} row: {entries}"))
    };
    let created_row = row("admin/tokens/create");
    assert!(
        created_row["request"]
            .as_str()
            .is_some_and(|r| r.contains(&id)),
        "{created_row}"
    );
    assert_eq!(row("hss/batch-scan")["via"], json!(format!("token:{id}")));
    let csv = h.get(&admin, "/api/v1/admin/audit.csv").await;
    csv.expect_ok();
    for reply in [&listing, &audit, &csv] {
        assert!(!reply.body.contains(&raw), "{} shows the token", reply.what);
        assert!(
            !reply.body.contains(&raw[4..]),
            "{} shows the token's secret part",
            reply.what
        );
        assert!(
            !reply.body.contains(secret_password),
            "{} shows a password",
            reply.what
        );
    }
    assert!(listing.body.contains(&id), "{}", listing.body);
    assert!(csv.body.contains("admin/tokens/create"), "{}", csv.body);

    h.call(&admin, "admin/tokens/revoke", &json!({"id": id}))
        .await
        .expect_ok();
    h.call(
        &token,
        "hss/tasks",
        &json!({"account": HW, "request": {"type": "image_scan"}}),
    )
    .await
    .expect_error(401, "unauthenticated");
    let listing = h.call(&admin, "admin/tokens", &json!({})).await;
    let revoked = listing
        .json()
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["id"] == json!(id))
        .cloned()
        .expect("still listed");
    assert_eq!(revoked["revoked"], json!(true));
    h.assert_no_secret_leaked();
}

/// 6c'. A token made without an expiry lives the console's default (90
/// days); one that never expires is asked for by name, and not with a
/// figure beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_expire_after_the_default_unless_asked_never_to() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let create = |extra: Value| {
        let mut body = json!({"user": OPERATOR, "label": "bot"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        body
    };
    let lifetime_days = |reply: &Reply| {
        let info = &reply.json()["info"];
        info["expires_at_ms"]
            .as_i64()
            .map(|at| (at - info["created_at_ms"].as_i64().expect("created")) / 86_400_000)
    };
    let default = h
        .call(&admin, "admin/tokens/create", &create(json!({})))
        .await;
    default.expect_ok();
    assert_eq!(lifetime_days(&default), Some(90), "{default:?}");
    let never = h
        .call(
            &admin,
            "admin/tokens/create",
            &create(json!({"no_expiry": true})),
        )
        .await;
    never.expect_ok();
    assert_eq!(lifetime_days(&never), None, "{never:?}");
    let tokens_before = h.call(&admin, "admin/tokens", &json!({})).await.json();
    let refused = h
        .call(
            &admin,
            "admin/tokens/create",
            &create(json!({"no_expiry": true, "expires_days": 5})),
        )
        .await;
    refused.expect_error(400, "invalid_input");
    assert_eq!(
        refused.field().as_deref(),
        Some("expires_days"),
        "{refused:?}"
    );
    assert_eq!(
        h.call(&admin, "admin/tokens", &json!({})).await.json(),
        tokens_before,
        "a refused request made no token"
    );
}

/// `Authorization` schemes are case-insensitive (RFC 9110 §11.1): a script
/// sending `bearer spt_…` is the token's user, not anonymous.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bearer_scheme_is_case_insensitive() {
    let h = Harness::start().await;
    let (_, token) = h.token(VIEWER).await;
    let Auth::Bearer(raw) = token else {
        panic!("a token")
    };
    for scheme in ["bearer", "BEARER"] {
        let reply = h
            .send(
                format!("{scheme} scheme"),
                h.request(Method::POST, "/api/v1/hss/tasks")
                    .header(header::AUTHORIZATION, format!("{scheme} {raw}"))
                    .json(&json!({"account": HW, "request": {"type": "image_scan"}})),
            )
            .await;
        reply.expect_ok();
    }
    h.assert_no_secret_leaked();
}
