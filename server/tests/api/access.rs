//! Who may reach what, against a real server on loopback: sign-in is
//! required everywhere on `/api/v1`, roles decide what each caller may do,
//! cross-site requests are refused before they reach the cloud, and a GET
//! never changes anything. No response ever contains a credential.

use crate::common::*;
use reqwest::header;
use reqwest::{Method, StatusCode};
use scanport_portal::{AuditQuery, Role, users};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// The least role an endpoint needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Viewer,
    Operator,
    Admin,
}

impl Need {
    fn allows(self, role: Role) -> bool {
        role.allows(match self {
            Need::Viewer => Role::Viewer,
            Need::Operator => Role::Operator,
            Need::Admin => Role::Admin,
        })
    }
}

/// How an endpoint is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    /// A server function: `POST /api/v1/{name}` with a JSON body.
    Post,
    /// `GET` of this path.
    Get(&'static str),
    /// `GET` of this path, a Server-Sent Events stream.
    Stream(&'static str),
}

struct Endpoint {
    name: &'static str,
    need: Need,
    call: Call,
    /// The upstream API a successful call reaches (mutations only).
    upstream: Option<&'static str>,
}

const fn ep(
    name: &'static str,
    need: Need,
    call: Call,
    upstream: Option<&'static str>,
) -> Endpoint {
    Endpoint {
        name,
        need,
        call,
        upstream,
    }
}

/// Every `/api/v1` endpoint.
const ENDPOINTS: &[Endpoint] = &[
    // Reads.
    ep(
        "accounts",
        Need::Viewer,
        Call::Get("/api/v1/accounts"),
        None,
    ),
    ep("hss/tasks", Need::Viewer, Call::Post, None),
    ep("hss/images", Need::Viewer, Call::Post, None),
    ep("hss/registries", Need::Viewer, Call::Post, None),
    ep("hss/scan-policy", Need::Viewer, Call::Post, None),
    ep("hss/image-vulnerabilities", Need::Viewer, Call::Post, None),
    ep("tcss/image-vulnerabilities", Need::Viewer, Call::Post, None),
    ep("hss/image-malware", Need::Viewer, Call::Post, None),
    ep("hss/image-sensitive", Need::Viewer, Call::Post, None),
    ep("hss/image-risk-configs", Need::Viewer, Call::Post, None),
    ep("tcss/image-viruses", Need::Viewer, Call::Post, None),
    ep("tcss/image-risks", Need::Viewer, Call::Post, None),
    ep("hss/vulnerabilities", Need::Viewer, Call::Post, None),
    ep("hss/vulnerability-images", Need::Viewer, Call::Post, None),
    ep("tcss/vulnerabilities", Need::Viewer, Call::Post, None),
    ep("tcss/web-vulnerabilities", Need::Viewer, Call::Post, None),
    ep("tcss/vulnerability-images", Need::Viewer, Call::Post, None),
    ep("hss/registry-images", Need::Viewer, Call::Post, None),
    ep(
        "hss/image-sync-tasks/registries",
        Need::Viewer,
        Call::Post,
        None,
    ),
    ep("tcss/timing-scan", Need::Viewer, Call::Post, None),
    ep("tcss/images", Need::Viewer, Call::Post, None),
    ep("tcss/scan-status", Need::Viewer, Call::Post, None),
    ep("tcss/registries", Need::Viewer, Call::Post, None),
    ep("tcss/sync-status", Need::Viewer, Call::Post, None),
    ep("tcss/namespaces", Need::Viewer, Call::Post, None),
    ep("live/tasks", Need::Viewer, Call::Post, None),
    ep("live/tcss-scan", Need::Viewer, Call::Post, None),
    ep("ui/registries", Need::Viewer, Call::Post, None),
    ep("ui/image-vulnerabilities", Need::Viewer, Call::Post, None),
    ep("ui/image-findings", Need::Viewer, Call::Post, None),
    ep("ui/vulnerabilities", Need::Viewer, Call::Post, None),
    ep("ui/vulnerability-images", Need::Viewer, Call::Post, None),
    ep("ui/overview", Need::Viewer, Call::Post, None),
    ep("auth/me", Need::Viewer, Call::Post, None),
    ep(
        "events/tasks",
        Need::Viewer,
        Call::Stream("/api/v1/events/tasks?account=hw-test&type=image_scan"),
        None,
    ),
    // Mutations.
    ep(
        "hss/batch-scan",
        Need::Operator,
        Call::Post,
        Some(UP_BATCH_SCAN),
    ),
    ep(
        "hss/scan-tasks",
        Need::Operator,
        Call::Post,
        Some(UP_SCAN_TASKS),
    ),
    ep("hss/tasks/stop", Need::Operator, Call::Post, Some(UP_STOP)),
    ep(
        "hss/synchronize",
        Need::Operator,
        Call::Post,
        Some(UP_SYNCHRONIZE),
    ),
    ep(
        "hss/image-sync-tasks",
        Need::Operator,
        Call::Post,
        Some(UP_IMAGE_SYNC),
    ),
    ep(
        "hss/scan-policy/update",
        Need::Operator,
        Call::Post,
        Some(UP_SCAN_POLICY),
    ),
    ep(
        "tcss/timing-scan/update",
        Need::Operator,
        Call::Post,
        Some(UP_TC_UPDATE_SCHEDULE),
    ),
    ep("tcss/scan", Need::Operator, Call::Post, Some(UP_TC_SCAN)),
    ep(
        "tcss/scan/stop",
        Need::Operator,
        Call::Post,
        Some(UP_TC_STOP),
    ),
    ep("tcss/sync", Need::Operator, Call::Post, Some(UP_TC_SYNC)),
    // Resumes a paused account; reaches the cloud only through the task
    // monitor, and only when the account was paused.
    ep("accounts/retry", Need::Operator, Call::Post, None),
    // Administration.
    ep("admin/users", Need::Admin, Call::Post, None),
    ep("admin/users/add", Need::Admin, Call::Post, None),
    ep("admin/users/role", Need::Admin, Call::Post, None),
    ep("admin/users/disable", Need::Admin, Call::Post, None),
    ep("admin/tokens", Need::Admin, Call::Post, None),
    ep("admin/tokens/create", Need::Admin, Call::Post, None),
    ep("admin/tokens/revoke", Need::Admin, Call::Post, None),
    ep("admin/audit", Need::Admin, Call::Post, None),
    ep(
        "admin/audit.csv",
        Need::Admin,
        Call::Get("/api/v1/admin/audit.csv"),
        None,
    ),
];

/// What varies between calls of the same endpoint.
struct Ctx {
    /// Running scan tasks, one per successful stop.
    stoppable: Vec<String>,
    /// Whether the caller may stop one (a refused call spends none).
    may_stop: bool,
    /// A token of the spare user, for revoke.
    spare_token_id: String,
    /// Makes names unique per caller.
    tag: String,
    /// A sync task whose registries can be read.
    sync_task: String,
}

/// The role matrix above is written by hand, apart from the code; it must
/// name every endpoint of the app's catalogue with the role declared there
/// (and a server function missing from the catalogue fails the app's own
/// catalogue test), so no endpoint escapes these tests.
#[test]
fn the_role_matrix_covers_the_endpoint_catalogue() {
    use scanport_app::endpoints::{ALL, Kind};
    for declared in ALL {
        let tested = ENDPOINTS
            .iter()
            .find(|t| t.name == declared.path)
            .unwrap_or_else(|| panic!("{} is not in the role matrix", declared.path));
        if let Some(role) = declared.role {
            let need = match role {
                Role::Viewer => Need::Viewer,
                Role::Operator => Need::Operator,
                Role::Admin => Need::Admin,
            };
            assert_eq!(tested.need, need, "{}", declared.path);
        }
        if tested.upstream.is_some() {
            assert_ne!(
                declared.kind,
                Kind::Read,
                "{} reaches the cloud's launch API",
                declared.path
            );
        }
    }
    for tested in ENDPOINTS.iter().filter(|t| t.call == Call::Post) {
        assert!(
            scanport_app::endpoints::find(tested.name).is_some(),
            "{} is tested but not in the catalogue",
            tested.name
        );
    }
}

/// A valid body for `name`.
fn body(name: &str, ctx: &mut Ctx) -> Value {
    match name {
        "hss/tasks" => json!({"account": HW, "request": {"type": "image_scan"}}),
        "hss/images" => json!({"account": HW, "request": {"image_type": "private_image"}}),
        "hss/registries" => json!({"account": HW, "request": {}}),
        "hss/scan-policy" => json!({"account": HW, "request": {"type": "cycle"}}),
        "hss/image-vulnerabilities" => json!({"account": HW, "request": {
            "image_id": "sha256:0123456789ab", "image_type": "private_image",
            "namespace": "payments", "image_name": "checkout", "tag_name": "v1"}}),
        "tcss/image-vulnerabilities" => json!({"account": TC, "request": {"Id": 3}}),
        "hss/image-malware" => json!({"account": HW, "request": {
            "image_id": "sha256:0123456789ab", "image_type": "private_image",
            "namespace": "payments", "image_name": "checkout", "tag_name": "v1"}}),
        "hss/image-sensitive" => json!({"account": HW, "request": {
            "image_id": "sha256:0123456789ab", "image_type": "private_image",
            "namespace": "payments", "image_name": "checkout", "image_version": "v1"}}),
        "hss/image-risk-configs" => json!({"account": HW, "request": {
            "image_id": "sha256:0123456789ab", "image_type": "private_image"}}),
        "tcss/image-viruses" => json!({"account": TC, "request": {"Id": 3}}),
        "tcss/image-risks" => json!({"account": TC, "request": {"Id": 3}}),
        "hss/vulnerabilities" => json!({"account": HW, "request": {"type": "app_vul",
            "handle_status": "unhandled", "image_type": "registry", "limit": 10}}),
        "hss/vulnerability-images" => {
            json!({"account": HW, "request": {"vul_id": "CVE-2024-3094"}})
        }
        "tcss/vulnerabilities" => json!({"account": TC, "request": {"Limit": 10}}),
        "tcss/web-vulnerabilities" => json!({"account": TC, "request": {"Limit": 10}}),
        "tcss/vulnerability-images" => json!({"account": TC, "request": {"PocID": "pcmgr-1"}}),
        "ui/vulnerabilities" => json!({"account": TC, "filter": {"search": "CVE-2024-3094"}}),
        "ui/vulnerability-images" => json!({"account": HW, "query": {"key": "CVE-2024-3094"}}),
        "ui/overview" => json!({}),
        "hss/registry-images" => json!({"account": HW, "request": {"image_type": "harbor"}}),
        "hss/image-sync-tasks/registries" => {
            json!({"account": HW, "request": {"task_id": ctx.sync_task}})
        }
        "hss/scan-policy/update" => json!({"account": HW, "request": scan_policy_update(100)}),
        "tcss/timing-scan" => json!({"account": TC, "request": {}}),
        "tcss/images" => json!({"account": TC, "request": {"Limit": 10}}),
        "tcss/scan-status" => json!({"account": TC, "request": {}}),
        "tcss/registries" => json!({"account": TC, "request": {"Limit": 10}}),
        "tcss/sync-status" => json!({"account": TC, "request": {}}),
        "tcss/namespaces" => json!({"account": TC, "request": {"Limit": 100}}),
        "live/tasks" => json!({"account": HW, "list": "image_scan"}),
        "live/tcss-scan" => json!({"account": TC}),
        "ui/registries" => json!({"account": HW}),
        "ui/image-vulnerabilities" => json!({"account": TC, "image": {"cloud": "tcss", "id": 3}}),
        "ui/image-findings" => {
            json!({"account": TC, "image": {"cloud": "tcss", "id": 3}, "kind": "malware"})
        }
        "auth/me" => json!({}),
        "hss/batch-scan" => json!({"account": HW, "request": batch_scan_all("payments")}),
        "hss/scan-tasks" => json!({"account": HW, "request": {"image_info": [
            {"namespace": "payments", "image_name": "checkout", "image_version": "v1"}
        ]}}),
        "hss/tasks/stop" => {
            let task_id = if !ctx.may_stop || ctx.stoppable.is_empty() {
                "no-running-task-left".to_owned()
            } else {
                ctx.stoppable.remove(0)
            };
            json!({"account": HW, "request": {"task_id": task_id}})
        }
        "hss/synchronize" => json!({"account": HW, "request": {"image_type": "private_image"}}),
        "hss/image-sync-tasks" => {
            json!({"account": HW, "request": {"sync_all_registries": true}})
        }
        "tcss/timing-scan/update" => json!({"account": TC, "request": {
            "ScanPeriod": 3, "Enable": true, "ScanTime": "04:30:00", "ScanType": ["CVE"]
        }}),
        "tcss/scan" => json!({"account": TC, "request": {"All": true, "ScanType": ["CVE"]}}),
        "tcss/scan/stop" => json!({"account": TC, "request": {"All": true}}),
        "tcss/sync" => json!({"account": TC, "request": {"All": true}}),
        "accounts/retry" => json!({"account": HW}),
        "admin/users" | "admin/tokens" => json!({}),
        "admin/users/add" => json!({
            "name": format!("new-{}", ctx.tag), "password": PASSWORD, "role": "viewer"
        }),
        "admin/users/role" => json!({"name": SPARE, "role": "viewer"}),
        "admin/users/disable" => json!({"name": SPARE, "disabled": true}),
        "admin/tokens/create" => json!({"user": SPARE, "label": format!("made by {}", ctx.tag)}),
        "admin/tokens/revoke" => json!({"id": ctx.spare_token_id}),
        "admin/audit" => json!({"query": {"limit": 5}}),
        other => panic!("no body for {other}"),
    }
}

async fn call(h: &Harness, auth: &Auth, endpoint: &Endpoint, ctx: &mut Ctx) -> Reply {
    match endpoint.call {
        Call::Post => h.call(auth, endpoint.name, &body(endpoint.name, ctx)).await,
        Call::Get(path) => h.get(auth, path).await,
        Call::Stream(path) => h.open_stream(auth, path, Duration::from_secs(20)).await,
    }
}

fn mutation_delta(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .filter_map(|(api, n)| {
            let d = n - before.get(api).copied().unwrap_or(0);
            (d > 0).then(|| (api.clone(), d))
        })
        .collect()
}

/// 1. Without a live identity, every endpoint answers 401 with the JSON
/// error (except `auth/me`, public by design, which answers `null`), and
/// nothing reaches the cloud.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_refuses_callers_without_a_live_identity() {
    let h = Harness::start().await;
    let (revoked, revoked_auth) = h.token(OPERATOR).await;
    scanport_portal::tokens::revoke(&h.db, &revoked.id, None)
        .await
        .expect("revoke");
    let (expired, expired_auth) = h.token(OPERATOR).await;
    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE id = $2")
        .bind(scanport_portal::now_ms() - 1000)
        .bind(&expired.id)
        .execute(h.db.pool())
        .await
        .expect("age the token");
    // A session that was signed out.
    let ended = h.new_session(OPERATOR).await;
    let logout = h
        .send(
            "POST /logout",
            Auth::Cookie(ended.clone()).apply(h.request(Method::POST, "/logout")),
        )
        .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER, "{logout:?}");

    let callers: Vec<(&str, Auth)> = vec![
        ("no credentials", Auth::Anonymous),
        ("garbage token", Auth::Bearer("not-a-token".into())),
        (
            "unknown spt_ token",
            Auth::Bearer(format!("spt_{}", "0".repeat(64))),
        ),
        ("revoked token", revoked_auth),
        ("expired token", expired_auth),
        ("garbage cookie", Auth::Cookie("garbage;<script>".into())),
        ("unknown session", Auth::Cookie("ab".repeat(32))),
        ("signed-out session", Auth::Cookie(ended)),
    ];
    let before = h.upstream_mutations().await;
    let mut ctx = Ctx {
        stoppable: Vec::new(),
        may_stop: false,
        spare_token_id: "0".into(),
        tag: "anon".into(),
        sync_task: "sync-0001".into(),
    };
    let mut checked = 0;
    for (label, auth) in &callers {
        for endpoint in ENDPOINTS {
            let reply = call(&h, auth, endpoint, &mut ctx).await;
            if endpoint.name == "auth/me" {
                // Public: the sign-in page asks who is signed in.
                reply.expect_ok();
                assert_eq!(reply.json(), Value::Null, "{label}: auth/me");
            } else {
                assert_eq!(
                    (reply.status.as_u16(), reply.kind().as_deref()),
                    (401, Some("unauthenticated")),
                    "{label}: {}: {}",
                    endpoint.name,
                    reply.body
                );
                reply.expect_error(401, "unauthenticated");
            }
            checked += 1;
        }
    }
    eprintln!(
        "{checked} calls ({} callers × {} endpoints): 401 unauthenticated (auth/me: null)",
        callers.len(),
        ENDPOINTS.len()
    );
    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing may reach the cloud"
    );
    let (rows, _) = scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            action: Some("hss/batch-scan".into()),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("audit");
    assert!(rows.is_empty(), "no launch was attempted: {rows:?}");
    h.assert_no_secret_leaked();
}

/// 2. The role × endpoint table, with sessions and with tokens: viewers
/// read, operators also launch, admins also administer. A refused call is
/// 403 `forbidden` and never reaches the cloud; an allowed one does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_decide_what_each_caller_may_do() {
    let h = Harness::start().await;
    let (_, launcher) = h.token(ADMIN).await;
    // Four long scans, for the four callers allowed to stop one.
    for _ in 0..4 {
        h.call(
            &launcher,
            "hss/scan-tasks",
            &json!({"account": HW, "request": long_scan_task(500, "roles")}),
        )
        .await
        .expect_ok();
    }
    let stoppable = running_tasks(&h, &launcher, 500).await;
    assert_eq!(stoppable.len(), 4, "four running tasks: {stoppable:?}");
    let (spare_token, _) = h.token(SPARE).await;

    let mut callers = Vec::new();
    for (name, role) in [
        (VIEWER, Role::Viewer),
        (OPERATOR, Role::Operator),
        (ADMIN, Role::Admin),
    ] {
        callers.push((format!("{role}/session"), role, h.session(name).await));
        callers.push((format!("{role}/token"), role, h.token(name).await.1));
    }

    let mut ctx = Ctx {
        stoppable,
        may_stop: false,
        spare_token_id: spare_token.id,
        tag: String::new(),
        sync_task: sync_task_ids(&h, &launcher).await.remove(0),
    };
    // (endpoint, caller) -> status
    let mut table: BTreeMap<(usize, usize), Reply> = BTreeMap::new();
    let mut problems = Vec::new();
    for (c, (label, role, auth)) in callers.iter().enumerate() {
        ctx.tag = label.replace('/', "-");
        ctx.may_stop = role.allows(Role::Operator);
        let before = h.upstream_mutations().await;
        for (e, endpoint) in ENDPOINTS.iter().enumerate() {
            let reply = call(&h, auth, endpoint, &mut ctx).await;
            let allowed = endpoint.need.allows(*role);
            let fine = if allowed {
                reply.status == StatusCode::OK
            } else {
                reply.status == StatusCode::FORBIDDEN
                    && reply.kind().as_deref() == Some("forbidden")
            };
            if !fine {
                problems.push(format!(
                    "{} as {label}: expected {}, got {} {}",
                    endpoint.name,
                    if allowed { "200" } else { "403 forbidden" },
                    reply.status,
                    reply.body.chars().take(300).collect::<String>()
                ));
            } else if !allowed {
                reply.expect_error(403, "forbidden");
            }
            table.insert((e, c), reply);
        }
        // The upstream saw exactly the mutations this caller may make.
        let delta = mutation_delta(&before, &h.upstream_mutations().await);
        let expected: BTreeMap<String, u64> = ENDPOINTS
            .iter()
            .filter(|e| e.need.allows(*role))
            .filter_map(|e| e.upstream.map(|api| (api.to_owned(), 1)))
            .collect();
        if delta != expected {
            problems.push(format!(
                "{label}: upstream mutations {delta:?}, expected {expected:?}"
            ));
        }
    }

    // The table, for --nocapture.
    let width = ENDPOINTS.iter().map(|e| e.name.len()).max().unwrap_or(10) + 2;
    let mut out = format!("{:width$}{:>8}", "endpoint", "needs");
    for (label, _, _) in &callers {
        out.push_str(&format!("  {label:>18}"));
    }
    out.push('\n');
    for (e, endpoint) in ENDPOINTS.iter().enumerate() {
        out.push_str(&format!(
            "{:width$}{:>8}",
            endpoint.name,
            format!("{:?}", endpoint.need).to_lowercase()
        ));
        for c in 0..callers.len() {
            let reply = &table[&(e, c)];
            let cell = match reply.kind() {
                Some(kind) => format!("{} {kind}", reply.status.as_u16()),
                None => reply.status.as_u16().to_string(),
            };
            out.push_str(&format!("  {cell:>18}"));
        }
        out.push('\n');
    }
    eprintln!("role × endpoint (status [error kind]):\n{out}");

    // auth/me names the caller, with the role read from the database.
    for (c, (label, role, _)) in callers.iter().enumerate() {
        let me = table[&(
            ENDPOINTS
                .iter()
                .position(|e| e.name == "auth/me")
                .unwrap_or(0),
            c,
        )]
            .json();
        assert_eq!(me["role"], json!(role.as_str()), "auth/me as {label}");
    }
    // The stream is a real event stream.
    let stream = ENDPOINTS
        .iter()
        .position(|e| e.name == "events/tasks")
        .unwrap_or(0);
    for c in 0..callers.len() {
        let reply = &table[&(stream, c)];
        assert!(
            reply
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/event-stream")),
            "{reply:?}"
        );
        assert!(reply.body.contains("event: tasks"), "{}", reply.body);
    }
    assert!(
        problems.is_empty(),
        "role table mismatches:\n{}",
        problems.join("\n")
    );
    h.assert_no_secret_leaked();
}

/// Extra request headers, by name.
type Headers<'a> = Vec<(&'a str, &'a str)>;

/// 3. A state-changing request from another site is refused before it
/// reaches the cloud, whatever its form; one from the console's own pages
/// (or from a script) goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_are_refused_before_reaching_the_cloud() {
    let h = Harness::start().await;
    let session = h.session(OPERATOR).await;
    let (_, token) = h.token(OPERATOR).await;
    let launch = json!({"account": HW, "request": batch_scan_all("payments")});
    let before = h.upstream_mutations().await;

    let attempts: Vec<(&str, Auth, Headers)> = vec![
        (
            "Origin: evil, session",
            session.clone(),
            vec![("origin", "https://evil.example")],
        ),
        (
            "Origin: evil, token",
            token.clone(),
            vec![("origin", "https://evil.example")],
        ),
        (
            "Sec-Fetch-Site: cross-site",
            session.clone(),
            vec![("sec-fetch-site", "cross-site")],
        ),
        (
            "Sec-Fetch-Site: same-site (a sibling subdomain)",
            session.clone(),
            vec![("sec-fetch-site", "same-site")],
        ),
        (
            "Origin: null (sandboxed frame)",
            session.clone(),
            vec![("origin", "null")],
        ),
        (
            "cross-site header wins over a matching Origin",
            session.clone(),
            vec![("sec-fetch-site", "cross-site"), ("origin", &h.base)],
        ),
    ];
    for (label, auth, headers) in &attempts {
        let mut builder = auth.apply(
            h.request(Method::POST, "/api/v1/hss/batch-scan")
                .json(&launch),
        );
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        h.send(*label, builder).await.expect_error(403, "forbidden");
    }

    // A classic CSRF form post: urlencoded, no preflight.
    let form = format!(
        "account={HW}&request={}",
        percent_encoding::utf8_percent_encode(
            &batch_scan_all("payments").to_string(),
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    let builder = session
        .apply(h.request(Method::POST, "/api/v1/hss/batch-scan"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .body(form);
    h.send("cross-site form post", builder)
        .await
        .expect_error(403, "forbidden");

    // Nor may another site sign a browser in or out.
    let builder = h
        .request(Method::POST, "/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(format!("name={OPERATOR}&password={PASSWORD}&next=%2F"));
    let login = h.send("cross-site sign-in", builder).await;
    login.expect_error(403, "forbidden");
    assert!(login.headers.get(header::SET_COOKIE).is_none());
    let builder = session
        .apply(h.request(Method::POST, "/logout"))
        .header("origin", "https://evil.example");
    h.send("cross-site sign-out", builder)
        .await
        .expect_error(403, "forbidden");
    h.call(&session, "auth/me", &json!({})).await.expect_ok();
    assert_eq!(
        h.call(&session, "auth/me", &json!({})).await.json()["name"],
        json!(OPERATOR),
        "the session survived the cross-site sign-out"
    );

    assert_eq!(
        h.upstream_mutations().await,
        before,
        "no refused request may reach the cloud"
    );
    let (rows, total) = scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            action: Some("hss/batch-scan".into()),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("audit");
    assert_eq!(total, 0, "refused requests start no launch: {rows:?}");

    // The console's own pages, as browsers mark them.
    let own: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "same-origin fetch",
            vec![("sec-fetch-site", "same-origin"), ("origin", &h.base)],
        ),
        (
            "matching Origin only (older browser)",
            vec![("origin", &h.base)],
        ),
        ("a script (neither header)", vec![]),
    ];
    for (i, (label, headers)) in own.iter().enumerate() {
        let calls = h.upstream_calls(UP_BATCH_SCAN).await;
        let mut builder = session.apply(
            h.request(Method::POST, "/api/v1/hss/batch-scan")
                .json(&launch),
        );
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        h.send(*label, builder).await.expect_ok();
        assert_eq!(
            h.upstream_calls(UP_BATCH_SCAN).await,
            calls + 1,
            "{label} (#{i}) reached the cloud once"
        );
    }
    h.assert_no_secret_leaked();
}

/// 3b. `GET` on a state-changing endpoint performs nothing: not found or
/// not allowed, never 200, and the cloud is not called.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_never_performs_a_mutation() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    let before = h.upstream_mutations().await;
    let mutations = [
        "hss/batch-scan",
        "hss/scan-tasks",
        "hss/tasks/stop",
        "hss/synchronize",
        "hss/image-sync-tasks",
        "hss/scan-policy/update",
        "tcss/timing-scan/update",
        "tcss/scan",
        "tcss/scan/stop",
        "tcss/sync",
        "accounts/retry",
        "admin/users/add",
        "admin/users/role",
        "admin/users/disable",
        "admin/tokens/create",
        "admin/tokens/revoke",
    ];
    let query = format!(
        "account={HW}&request=%7B%22image_type%22%3A%22private_image%22%2C%22operate_all%22%3Atrue%7D\
         &name={SPARE}&disabled=true&role=admin&user={SPARE}&label=x&password={PASSWORD}"
    );
    let mut seen = Vec::new();
    for endpoint in mutations {
        for path in [
            format!("/api/v1/{endpoint}"),
            format!("/api/v1/{endpoint}?{query}"),
        ] {
            let reply = h.get(&admin, &path).await;
            assert!(
                reply.status.is_client_error(),
                "GET {path}: expected 4xx, got {} {}",
                reply.status,
                reply.body
            );
            seen.push(reply.status.as_u16());
        }
    }
    seen.sort_unstable();
    seen.dedup();
    eprintln!(
        "GET on {} mutating endpoints answered {seen:?}",
        mutations.len()
    );
    assert_eq!(h.upstream_mutations().await, before, "no upstream call");
    let spare = users::list(&h.db)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.name == SPARE)
        .expect("spare");
    assert!(
        !spare.disabled && spare.role == Role::Viewer,
        "GET changed a user: {spare:?}"
    );
    assert_eq!(
        users::count(&h.db).await.expect("count"),
        4,
        "GET added a user"
    );
    assert!(
        scanport_portal::tokens::list(&h.db)
            .await
            .expect("tokens")
            .is_empty(),
        "GET created a token"
    );
    h.assert_no_secret_leaked();
}

/// 6c''. An admin change and its audit row commit together: when the
/// row cannot be written, the change does not happen either (no unaudited
/// role change, no token nobody can trace).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_change_whose_audit_row_fails_does_not_happen() {
    let h = Harness::start().await;
    let admin = h.session(ADMIN).await;
    sqlx::query(
        "CREATE TRIGGER audit_unavailable BEFORE INSERT ON audit_log \
         WHEN NEW.action IN ('admin/users/role', 'admin/tokens/create') \
         BEGIN SELECT RAISE(ABORT, 'the audit log is unavailable'); END",
    )
    .execute(h.db.pool())
    .await
    .expect("trigger");
    let tokens_before = h.call(&admin, "admin/tokens", &json!({})).await.json();

    let role = h
        .call(
            &admin,
            "admin/users/role",
            &json!({"name": VIEWER, "role": "operator"}),
        )
        .await;
    let token = h
        .call(
            &admin,
            "admin/tokens/create",
            &json!({"user": OPERATOR, "label": "untraceable"}),
        )
        .await;
    for reply in [&role, &token] {
        assert!(reply.status.is_server_error(), "{reply:?}");
    }
    let users = h.call(&admin, "admin/users", &json!({})).await.json();
    let viewer = users
        .as_array()
        .and_then(|l| l.iter().find(|u| u["name"] == VIEWER))
        .cloned()
        .expect("the viewer");
    assert_eq!(viewer["role"], json!("viewer"), "the role did not change");
    assert_eq!(
        h.call(&admin, "admin/tokens", &json!({})).await.json(),
        tokens_before,
        "no token was made"
    );
}
