//! Server rendering of the Tasks page with 200 tasks in the snapshot, of
//! an image page with 500 vulnerabilities in the findings cache, and of the
//! Overview with 10 accounts' overviews in the database: the
//! whole router in-process (security layers, bearer-token check, Leptos
//! SSR), driven with `tower::ServiceExt::oneshot`, no socket on the way in.
//!
//! The snapshot is filled once from a fake HSS upstream answering 200
//! tasks; the hub then waits an hour before its next poll, so what is timed
//! never reaches the upstream.
//!
//! `cargo bench -p scanport --features scanport-app/ssr --bench ssr_tasks`

use axum::body::Body;
use axum::extract::{ConnectInfo, Query};
use axum::http::{Request, StatusCode, header};
use criterion::{Criterion, criterion_group, criterion_main};
use scanport::config::{AccountConfig, Config, ProviderName};
use scanport::router::{WebPolicy, app, leptos_options};
use scanport_app::state::{AppState, Hubs};
use scanport_cloud::hub::Pace;
use scanport_portal::{Role, overviews, tokens, users};
use scanport_wire::hss::{
    ImageScanTaskInfo, ImageVulnerabilities, ImageVulnerability, ListTasksResponse, TaskListType,
};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

const TASKS: usize = 200;
const ACCOUNT: &str = "hw-bench";
/// Accounts on the Overview: [`ACCOUNT`] and nine more.
const ACCOUNTS: usize = 10;

fn account_id(i: usize) -> String {
    if i == 0 {
        ACCOUNT.to_owned()
    } else {
        format!("hw-bench-{i}")
    }
}

/// An overview as a gathering publishes it: figures of every kind, five
/// CVEs, an HSS account still filling in.
fn gathered(i: usize) -> String {
    use scanport_app::server_fns::overview::gather::Gathered;
    use scanport_wire::findings::Severity;
    use scanport_wire::overview::{AccountOverview, ImageCounts, SeverityCounts};
    use scanport_wire::vulnerabilities::AccountVulnerability;
    let n = i64::try_from(i).expect("small");
    let top = (0..5)
        .map(|k| AccountVulnerability {
            key: format!("CVE-2024-{:04}", 3094 + k),
            id: format!("CVE-2024-{:04}", 3094 + k),
            title: "Backdoor in the xz compression library".to_owned(),
            severity: Severity::ALL[k % 4],
            level: "immediate_repair".to_owned(),
            images: 180 - i64::try_from(k).expect("small") * 7,
            cvss: Some(9.8),
            link: Some("https://nvd.nist.gov/vuln/detail/CVE-2024-3094".to_owned()),
        })
        .collect();
    let overview = AccountOverview {
        images: ImageCounts {
            total: 1200 + n,
            never_scanned: 40 + n,
            failed: 16,
            scanning: 3,
            severity: SeverityCounts {
                critical: 12,
                high: 117 + n,
                medium: 240,
                low: 7,
                none: 400,
                unknown: 9,
            },
        },
        running_tasks: n % 3,
        top_vulnerabilities: top,
        complete: i.is_multiple_of(2),
        error: None,
    };
    serde_json::to_string(&Gathered {
        overview,
        counted_at_ms: 1_767_225_600_000,
        pending: Vec::new(),
    })
    .expect("an overview encodes")
}

/// 200 tasks of every state the page draws: running, finished, stopped,
/// failed with a reason.
fn tasks() -> ListTasksResponse {
    let start = 1_767_225_600_000_i64;
    let data_list = (0..TASKS)
        .map(|i| {
            let n = i64::try_from(i).expect("small");
            let status = match i % 5 {
                0 => 40,
                1 | 2 => 100,
                3 => -1,
                _ => -3,
            };
            ImageScanTaskInfo {
                task_id: format!("task-{i:04}"),
                task_name: format!("nightly scan {i}"),
                begin_time: Some(start + n * 60_000),
                end_time: (status != 40).then_some(start + n * 60_000 + 300_000),
                task_type: Some(if i % 2 == 0 { "manual" } else { "cycle" }.to_owned()),
                image_type: Some("registry".to_owned()),
                task_status: status,
                failed_num: n % 7,
                success_num: 20 + n % 13,
                total_num: 20 + n % 13 + n % 7,
                risky_num: n % 4,
                failed_reason: (status == -3).then(|| "image pull timed out".to_owned()),
                ..ImageScanTaskInfo::default()
            }
        })
        .collect();
    ListTasksResponse {
        total_num: i64::try_from(TASKS).expect("small"),
        data_list,
    }
}

const VULNERABILITIES: usize = 500;
/// The image page timed: an image with [`VULNERABILITIES`].
const IMAGE_PAGE: &str = "/image?account=hw-bench&cloud=hss&image_id=sha256%3Abench&\
    image_type=private_image&namespace=payments&image=checkout&tag=v1&scanned=1767225600000";

/// 500 vulnerabilities of every urgency, a third of them in applications.
fn vulnerabilities() -> Vec<ImageVulnerability> {
    (0..VULNERABILITIES)
        .map(|i| ImageVulnerability {
            vul_id: Some(format!("CVE-2024-{i:05}")),
            repair_necessity: Some(
                ["immediate_repair", "delay_repair", "not_needed_repair"][i % 3].to_owned(),
            ),
            description: Some(format!("Heap overflow number {i} in a parser")),
            position: Some("sha256:layer".to_owned()),
            app_name: Some(format!("libexample{}", i % 40)),
            app_path: (i % 3 == 0).then(|| "/app/lib".to_owned()),
            version: Some("1.2.3-4".to_owned()),
            solution: Some(format!("Upgrade libexample{} to 1.2.4 or later.", i % 40)),
            url: Some(format!("https://nvd.nist.gov/vuln/detail/CVE-2024-{i:05}")),
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Paging {
    offset: Option<usize>,
    limit: Option<usize>,
}

/// A fake HSS that answers every task-list call with the same 200 tasks,
/// and one image's 500 vulnerabilities page by page (it does not check
/// signatures: the signers have tests of their own).
async fn fake_upstream() -> String {
    let body = serde_json::to_string(&tasks()).expect("tasks encode");
    let vuls = Arc::new(vulnerabilities());
    let router = axum::Router::new()
        .route(
            "/v5/{project}/image/tasks",
            axum::routing::get(move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body) }
            }),
        )
        .route(
            "/v5/{project}/image/{image}/vulnerabilities",
            axum::routing::get(move |Query(p): Query<Paging>| {
                let vuls = Arc::clone(&vuls);
                async move {
                    let page = ImageVulnerabilities {
                        total_num: i64::try_from(vuls.len()).expect("small"),
                        data_list: vuls
                            .iter()
                            .skip(p.offset.unwrap_or(0))
                            .take(p.limit.unwrap_or(10))
                            .cloned()
                            .collect(),
                    };
                    axum::Json(page)
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the fake upstream");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("fake upstream") });
    format!("http://{addr}")
}

fn write_private(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write credentials file");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
}

/// The router, a viewer's API token, and the temp dir they live in.
async fn console() -> (axum::Router, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let upstream = fake_upstream().await;
    let creds = dir.path().join("hw-credentials.toml");
    write_private(&creds, "ak = \"BENCHAK\"\nsk = \"bench-secret-key\"\n");
    let config = Config {
        site_root: dir.path().join("site"),
        data_dir: dir.path().join("data"),
        accounts: (0..ACCOUNTS)
            .map(|i| AccountConfig {
                id: account_id(i),
                provider: ProviderName::Huawei,
                region: "ap-southeast-1".to_owned(),
                project_id: Some("proj-bench-0001".to_owned()),
                enterprise_project_id: None,
                endpoint: Some(upstream.clone()),
                credentials_file: Some(creds.clone()),
                max_calls_per_minute: Some(60_000),
                ak_env: None,
                sk_env: None,
                security_token_env: None,
                secret_id_env: None,
                secret_key_env: None,
                token_env: None,
            })
            .collect(),
        ..Config::default()
    };
    let db = scanport::portal::open_db(&config).await.expect("database");
    users::add(&db, "vera", "correct-horse-battery-1", Role::Viewer, None)
        .await
        .expect("add user");
    let (_, token) = tokens::create(&db, "vera", "bench", Some(1), None)
        .await
        .expect("create token");
    // The overviews, as the background gathering would have left them.
    for i in 0..ACCOUNTS {
        let id = account_id(i);
        let hold = Duration::from_secs(60);
        assert!(
            overviews::take_turn(&db, &id, "bench", hold)
                .await
                .expect("turn")
        );
        let body = gathered(i);
        let next = Duration::from_secs(3600);
        assert!(
            overviews::publish(&db, &id, "bench", &body, next)
                .await
                .expect("publish")
        );
    }
    let (portal, sign_in) = scanport::portal::start(&config, db).await.expect("portal");
    let accounts = scanport::accounts::build(&config, &portal.db)
        .await
        .expect("accounts");
    // One poll fills the snapshot; the next is an hour away.
    let pace = Pace {
        busy: Duration::from_secs(3600),
        idle: Duration::from_secs(3600),
        ..Pace::default()
    };
    let hubs = Hubs::start(&accounts, pace);
    let snapshot = hubs.hss[ACCOUNT]
        .current(TaskListType::ImageScan, Duration::from_secs(20))
        .await
        .expect("the first poll answers");
    assert_eq!(snapshot.answer.data_list.len(), TASKS, "snapshot filled");
    let state = AppState {
        accounts: Arc::new(accounts),
        hubs: Arc::new(hubs),
        portal,
    };
    let router = app(
        state,
        sign_in,
        leptos_options(&config),
        WebPolicy::from_config(&config),
    );
    (router, token, dir)
}

/// One `GET path` through the whole router with the token, read to the end
/// as bytes (what a socket would carry; no text conversion on the timed path).
async fn fetch(router: &axum::Router, token: &str, path: &str) -> (StatusCode, axum::body::Bytes) {
    let mut request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .expect("request");
    // What `into_make_service_with_connect_info` adds for a real socket.
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, body)
}

/// The same, as text, for the checks before timing.
async fn get(router: &axum::Router, token: &str, path: &str) -> (StatusCode, String) {
    let (status, body) = fetch(router, token, path).await;
    (
        status,
        String::from_utf8(body.to_vec()).expect("UTF-8 page"),
    )
}

fn ssr_tasks(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (router, token, _dir) = rt.block_on(console());
    // The page must hold the tasks, or this measures an error page.
    let (status, page) = rt.block_on(get(&router, &token, "/tasks"));
    assert_eq!(status, StatusCode::OK, "{page}");
    // The page shows the snapshot's first page of tasks (the table pages
    // in the browser); the newest task must be on it.
    assert!(
        page.contains("nightly scan 0"),
        "the rendered page lists the first task"
    );
    let shown = (0..TASKS)
        .filter(|i| page.contains(&format!(">nightly scan {i}<")))
        .count();
    eprintln!("page: {} bytes of HTML, {shown} tasks shown", page.len());
    if let Some(path) = std::env::var_os("SSR_BENCH_PAGE") {
        std::fs::write(path, &page).expect("write the page");
    }
    c.bench_function("ssr_tasks_200", |b| {
        b.iter(|| rt.block_on(fetch(&router, &token, "/tasks")));
    });
    // The image page: the first look fills the findings cache; what is
    // timed reads it and draws the page (50 of the 500 per page).
    let (status, page) = rt.block_on(get(&router, &token, IMAGE_PAGE));
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("of 500 vulnerabilities"),
        "the image page counts its 500 vulnerabilities"
    );
    eprintln!("image page: {} bytes of HTML", page.len());
    c.bench_function("ssr_image_500", |b| {
        b.iter(|| rt.block_on(fetch(&router, &token, IMAGE_PAGE)));
    });
    // The Overview: every account's overview from the database.
    let (status, page) = rt.block_on(get(&router, &token, "/"));
    assert_eq!(status, StatusCode::OK, "{page}");
    let cards = page.matches("class=\"account-overview\"").count();
    assert_eq!(cards, ACCOUNTS, "the overview shows every account");
    assert!(page.contains("CVE-2024-3094"), "with its vulnerabilities");
    eprintln!("overview: {} bytes of HTML", page.len());
    c.bench_function("ssr_overview_10", |b| {
        b.iter(|| rt.block_on(fetch(&router, &token, "/")));
    });
    // The security layers and token check alone, for scale.
    c.bench_function("ssr_healthz", |b| {
        b.iter(|| rt.block_on(fetch(&router, &token, "/healthz")));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = ssr_tasks
}
criterion_main!(benches);
