//! Restarts and durability, against the real `scanport` binary (a child
//! process) and a sandbox upstream in this process, which outlives the
//! server and so counts every launch across a crash:
//!
//! - `kill -9` while a launch waits on the cloud and while more launches
//!   write their audit rows: after a restart the SQLite database passes
//!   `integrity_check`, every launch the cloud received has an audit row
//!   (closed as failed/interrupted, none left pending), and a retry with
//!   the same `Idempotency-Key` is refused rather than sent again;
//! - SIGTERM: the request in flight finishes, live streams end cleanly,
//!   and the process exits with success.

#![cfg(unix)]

#[path = "support/streams.rs"]
mod streams;
use streams::ends_within;

use reqwest::StatusCode;
use scanport_portal::{Db, Role, tokens, users};
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AK: &str = "RESTARTTESTAK0001";
const SK: &str = "restart-test-sk-not-a-real-secret";
/// What the sandbox's `/__sandbox/*` controls need.
const CONTROL_TOKEN: &str = "restart-test-control-token";
const ACCOUNT: &str = "hw-restart";
const UP_BATCH_SCAN: &str = "POST /v5/{project_id}/image/batch-scan";
const UP_IMAGES: &str = "GET /v5/{project_id}/image/swr-repository";
const UP_TASKS: &str = "GET /v5/{project_id}/image/tasks";
const TC_ACCOUNT: &str = "tc-replicas";
const TC_SECRET_ID: &str = "RESTARTTESTSECRETID0001";
const TC_SECRET_KEY: &str = "restart-test-secret-key-not-real";
const UP_TC_IMAGES: &str = "tcss DescribeAssetImageRegistryList";

/// A sandbox, a data dir and a config file; servers come and go on them.
struct Site {
    dir: tempfile::TempDir,
    config: PathBuf,
    sandbox: String,
    http: reqwest::Client,
    token: String,
}

impl Site {
    /// A Huawei account whose calls nothing limits.
    async fn new() -> Self {
        Self::build(false).await
    }

    /// Also a Tencent account ([`TC_ACCOUNT`]) under TCSS's limit (20
    /// calls a second per action), which the sandbox enforces as the
    /// service does. Its budget is 12 a second, so a call sent up to two
    /// thirds of a second late (a busy CI machine) still fits the
    /// service's window. No read cache, so every read
    /// is a call.
    async fn with_tencent_limits() -> Self {
        Self::build(true).await
    }

    async fn build(tencent_limits: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut sandbox_config = SandboxConfig::new(
            vec![HuaweiKey {
                ak: AK.into(),
                sk: SK.into(),
            }],
            vec![TencentKey {
                secret_id: TC_SECRET_ID.into(),
                secret_key: TC_SECRET_KEY.into(),
            }],
        );
        sandbox_config.rate_limits = tencent_limits;
        sandbox_config.control_token = CONTROL_TOKEN.to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind sandbox");
        let sandbox = scanport_sandbox::spawn(listener, sandbox_config)
            .expect("spawn sandbox")
            .endpoint();

        let creds = dir.path().join("hw.toml");
        std::fs::write(&creds, format!("ak = \"{AK}\"\nsk = \"{SK}\"\n")).expect("creds");
        owner_only(&creds);
        let data = dir.path().join("data");
        let config = dir.path().join("scanport.toml");
        let mut toml = format!(
            "listen = \"127.0.0.1:0\"\n\
             data_dir = {data:?}\n\
             site_root = {site:?}\n\
             [http]\ntimeout_secs = 30\nread_cache_secs = {read_cache}\n\
             [live]\nbusy_secs = 1\nidle_secs = 2\n\
             [overview]\nenabled = false\n\
             [[accounts]]\nid = \"{ACCOUNT}\"\nprovider = \"huawei\"\n\
             region = \"ap-southeast-1\"\nproject_id = \"proj-restart\"\n\
             endpoint = \"{sandbox}\"\ncredentials_file = {creds:?}\n\
             max_calls_per_minute = 60000\n",
            site = dir.path().join("site"),
            read_cache = if tencent_limits { 0 } else { 20 },
        );
        if tencent_limits {
            let tc_creds = dir.path().join("tc.toml");
            std::fs::write(
                &tc_creds,
                format!("secret_id = \"{TC_SECRET_ID}\"\nsecret_key = \"{TC_SECRET_KEY}\"\n"),
            )
            .expect("tencent creds");
            owner_only(&tc_creds);
            toml.push_str(&format!(
                "[[accounts]]\nid = \"{TC_ACCOUNT}\"\nprovider = \"tencent\"\n\
                 region = \"ap-guangzhou\"\nendpoint = \"{sandbox}\"\n\
                 credentials_file = {tc_creds:?}\n\
                 max_calls_per_minute = 720\n"
            ));
        }
        std::fs::write(&config, toml).expect("config");

        // An operator and its token, written before any server runs.
        // Owner-only, as Scanport requires of a data dir it did not create.
        std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&data)
            .expect("data dir");
        let db = Db::connect(&Db::sqlite_url(&data)).await.expect("open db");
        users::add(&db, "ops", "restart-password-1", Role::Operator, None)
            .await
            .expect("add user");
        let (_, token) = tokens::create(&db, "ops", "restarts", None, None)
            .await
            .expect("token");
        db.pool().close().await;

        Self {
            dir,
            config,
            sandbox,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            token,
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    async fn set_faults(&self, faults: Value) {
        self.http
            .put(format!("{}/__sandbox/faults", self.sandbox))
            .header(scanport_sandbox::CONTROL_HEADER, CONTROL_TOKEN)
            .json(&faults)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("set faults");
    }

    async fn upstream_calls(&self, api: &str) -> u64 {
        let stats: Value = self
            .http
            .get(format!("{}/__sandbox/stats", self.sandbox))
            .header(scanport_sandbox::CONTROL_HEADER, CONTROL_TOKEN)
            .send()
            .await
            .expect("stats")
            .json()
            .await
            .expect("stats json");
        stats[api].as_u64().unwrap_or(0)
    }

    /// Polls until the upstream has received `n` calls of `api`.
    async fn wait_for_calls(&self, api: &str, n: u64) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.upstream_calls(api).await < n {
            assert!(Instant::now() < deadline, "{api} never reached {n} calls");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn launch(&self, base: &str, namespace: &str, key: &str) -> reqwest::RequestBuilder {
        self.launch_as(&self.token, base, namespace, key)
    }

    /// A scan of `namespace`'s private images, launched with `token`.
    fn launch_as(
        &self,
        token: &str,
        base: &str,
        namespace: &str,
        key: &str,
    ) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{base}/api/v1/hss/batch-scan"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&json!({
                "account": ACCOUNT,
                "request": {"image_type": "private_image", "operate_all": true, "namespace": namespace}
            }))
    }
}

/// Credentials files must be readable by their owner only.
fn owner_only(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
}

/// A running `scanport` child.
struct Server {
    child: Child,
    base: String,
    /// Its standard output, line by line, from its start: the lines read
    /// while waiting for its address, then the rest as they come.
    early: std::cell::RefCell<std::collections::VecDeque<String>>,
    log: std::sync::mpsc::Receiver<String>,
}

/// The `http://…` address in a "Scanport listening on" line, text or JSON.
fn listen_address(line: &str) -> Option<String> {
    let at = line.find("Scanport listening on http://")? + "Scanport listening on ".len();
    let addr: String = line[at + "http://".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || ".:[]".contains(*c))
        .collect();
    Some(format!("http://{addr}"))
}

impl Server {
    fn start(site: &Site) -> Self {
        Self::start_with(site, &[])
    }

    /// Starts `scanport serve` on the site's config with `env` added, and
    /// waits until it says where it listens.
    fn start_with(site: &Site, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scanport"))
            .arg("--config")
            .arg(&site.config)
            .arg("serve")
            .env("NO_COLOR", "1")
            .env("SCANPORT_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start scanport");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, log) = std::sync::mpsc::channel();
        // Reads the log to its end, so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut early = std::collections::VecDeque::new();
        let base = loop {
            let line = log
                .recv_timeout(Duration::from_secs(60))
                .expect("the server says where it listens");
            let addr = listen_address(&line);
            early.push_back(line);
            if let Some(addr) = addr {
                break addr;
            }
        };
        Self {
            child,
            base,
            early: early.into(),
            log,
        }
    }

    /// The next line of its log, from its first (waits up to 30 s).
    fn next_log_line(&self) -> String {
        if let Some(line) = self.early.borrow_mut().pop_front() {
            return line;
        }
        self.log
            .recv_timeout(Duration::from_secs(30))
            .expect("a log line")
    }

    fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    fn sigterm(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }

    /// Waits for the process to exit; `None` if it is still running.
    fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sqlite_pragma(data: &Path, pragma: &str) -> String {
    use sqlx::Row;
    let db = Db::connect(&Db::sqlite_url(data)).await.expect("open db");
    let row = sqlx::query(&format!("PRAGMA {pragma}"))
        .fetch_one(db.pool())
        .await
        .expect("pragma");
    let value: String = row.try_get(0).expect("text");
    db.pool().close().await;
    value
}

async fn launch_rows(data: &Path) -> Vec<(String, String, String)> {
    use sqlx::Row;
    let db = Db::connect(&Db::sqlite_url(data)).await.expect("open db");
    let rows = sqlx::query(
        "SELECT request, outcome, COALESCE(detail, '') FROM audit_log WHERE action = 'hss/batch-scan'",
    )
    .fetch_all(db.pool())
    .await
    .expect("audit rows");
    db.pool().close().await;
    rows.iter()
        .map(|r| {
            (
                r.try_get::<Option<String>, _>(0)
                    .expect("request")
                    .unwrap_or_default(),
                r.try_get(1).expect("outcome"),
                r.try_get(2).expect("detail"),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_launch_keeps_its_audit_and_never_launches_twice() {
    let site = Site::new().await;
    // Slow upstream: every launch is still waiting on the cloud at the kill.
    site.set_faults(json!({"latency_ms": 5000})).await;
    let server = Server::start(&site);

    let first = tokio::spawn(
        site.launch(&server.base, "crash-first", "crash-key-1")
            .send(),
    );
    site.wait_for_calls(UP_BATCH_SCAN, 1).await;

    // More launches, one every few milliseconds, so audit rows are being
    // written when the kill lands.
    let writers = tokio::spawn({
        let site_http = site.http.clone();
        let base = server.base.clone();
        let token = site.token.clone();
        async move {
            let mut sent = Vec::new();
            for i in 0..1000 {
                let request = site_http
                    .post(format!("{base}/api/v1/hss/batch-scan"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("writer-{i}"))
                    .json(&json!({
                        "account": ACCOUNT,
                        "request": {"image_type": "private_image", "operate_all": true,
                                    "namespace": format!("writer-{i}")}
                    }))
                    .send();
                sent.push(tokio::spawn(request));
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            sent
        }
    });
    site.wait_for_calls(UP_BATCH_SCAN, 20).await;
    server.kill_9();
    writers.abort();
    assert!(
        first.await.expect("task").is_err(),
        "the first launch was cut by the kill"
    );

    site.set_faults(json!({})).await;
    let sent_upstream = site.upstream_calls(UP_BATCH_SCAN).await;
    let server = Server::start(&site);

    assert_eq!(sqlite_pragma(&site.data(), "integrity_check").await, "ok");
    assert_eq!(sqlite_pragma(&site.data(), "journal_mode").await, "wal");

    let rows = launch_rows(&site.data()).await;
    assert!(
        rows.len() as u64 >= sent_upstream,
        "every launch the cloud received has an audit row: {} rows, {sent_upstream} sent",
        rows.len()
    );
    assert!(
        rows.iter().all(|(_, outcome, _)| outcome != "pending"),
        "a restart closes what the crash left pending"
    );
    println!(
        "kill -9 mid-launch: {sent_upstream} launches had reached the cloud, {} audit rows, \
         all closed as failed/interrupted; integrity_check ok",
        rows.len()
    );
    let (_, outcome, detail) = rows
        .iter()
        .find(|(request, _, _)| request.contains("crash-first"))
        .expect("the launch in flight at the kill is in the audit log");
    assert_eq!(outcome, "failed");
    assert!(detail.contains("interrupted"), "{detail}");

    // The same key again: refused, not sent a second time.
    let retry = site
        .launch(&server.base, "crash-first", "crash-key-1")
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), StatusCode::CONFLICT);
    let body: Value = retry.json().await.expect("json");
    assert_eq!(body["error"]["kind"], "conflict", "{body}");
    assert_eq!(site.upstream_calls(UP_BATCH_SCAN).await, sent_upstream);

    // A new key launches as usual on the restarted server.
    let fresh = site
        .launch(&server.base, "payments", "after-restart-1")
        .send()
        .await
        .expect("fresh launch");
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(site.upstream_calls(UP_BATCH_SCAN).await, sent_upstream + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_and_ends_live_streams() {
    let site = Site::new().await;
    let mut server = Server::start(&site);

    // A live stream, with its first snapshot read.
    let stream = site
        .http
        .get(format!(
            "{}/api/v1/events/tasks?account={ACCOUNT}&type=image_scan",
            server.base
        ))
        .bearer_auth(&site.token)
        .send()
        .await
        .expect("open the stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let mut events = stream;
    let first = tokio::time::timeout(Duration::from_secs(20), events.chunk())
        .await
        .expect("a first snapshot")
        .expect("stream open")
        .expect("bytes");
    assert!(String::from_utf8_lossy(&first).contains("event: tasks"));

    // A read that takes a while upstream, in flight at the signal.
    site.set_faults(json!({"latency_ms": 1500})).await;
    let before = site.upstream_calls(UP_IMAGES).await;
    let in_flight = tokio::spawn(
        site.http
            .post(format!("{}/api/v1/hss/images", server.base))
            .bearer_auth(&site.token)
            .json(&json!({"account": ACCOUNT, "request": {"image_type": "private_image"}}))
            .send(),
    );
    site.wait_for_calls(UP_IMAGES, before + 1).await;
    let signalled = Instant::now();
    server.sigterm();

    let answer = in_flight
        .await
        .expect("task")
        .expect("the request in flight gets its answer");
    assert_eq!(answer.status(), StatusCode::OK);
    let body: Value = answer.json().await.expect("json body");
    assert!(body.is_object(), "{body}");

    // The stream ends with a clean end of body, not a cut connection.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while events.chunk().await?.is_some() {}
        Ok::<(), reqwest::Error>(())
    })
    .await
    .expect("the live stream ends at shutdown");
    ended.expect("the stream ends cleanly");

    let status = tokio::task::spawn_blocking(move || {
        let status = server.wait_exit(Duration::from_secs(10));
        (status, server)
    })
    .await
    .expect("wait");
    let exit = status.0.expect("the server exits after draining");
    assert!(exit.success(), "exit status {exit}");
    println!(
        "SIGTERM: request in flight answered 200, live stream ended, exit {exit} after {:?}",
        signalled.elapsed()
    );
    assert!(
        signalled.elapsed() < Duration::from_secs(15),
        "shutdown took {:?}",
        signalled.elapsed()
    );
}

/// With `log.format = "json"` every log line is one JSON object, and a
/// request's access line carries its request id in its span.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line_with_the_request_id() {
    let site = Site::new().await;
    let server = Server::start_with(&site, &[("SCANPORT_LOG__FORMAT", "json")]);
    let base = &server.base;
    let object = |line: &str| -> Value {
        serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"))
    };
    let answer = site
        .http
        .get(format!("{base}/login"))
        .header("X-Request-Id", "json-log-check-1")
        .send()
        .await
        .expect("the sign-in page");
    assert!(answer.status().is_success());
    let access = loop {
        let line = object(&server.next_log_line());
        if line["target"] == "scanport::access" {
            break line;
        }
    };
    assert_eq!(access["span"]["id"], "json-log-check-1", "{access}");
    assert_eq!(access["fields"]["path"], "/login", "{access}");
    assert_eq!(access["fields"]["status"], 200, "{access}");
    server.kill_9();
}

/// Held by each test that runs several replicas: they are the heaviest
/// here (up to three servers and 200 streams), and their timings mean
/// something only when they do not run beside each other.
static REPLICA_TESTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A fresh PostgreSQL database on the test cluster
/// (`SCANPORT_TEST_POSTGRES_URL`, which scripts/test.sh sets), dropped
/// when the test passes; `None`, after saying so, when no cluster is set.
struct TestPostgres {
    admin: String,
    name: String,
    url: String,
}

impl TestPostgres {
    async fn create() -> Option<Self> {
        let Some(admin) = std::env::var("SCANPORT_TEST_POSTGRES_URL")
            .ok()
            .filter(|v| !v.is_empty())
        else {
            eprintln!("SCANPORT_TEST_POSTGRES_URL is not set: replica test skipped");
            return None;
        };
        use sqlx::{Connection, Executor};
        // Unique per test: the tests of this binary run at once.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "scanport_replicas_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("the test PostgreSQL answers");
        conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .expect("drop a leftover");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE");
        // The admin URL with its database (the path) replaced.
        let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
        let authority = base.find("://").map_or(0, |i| i + 3);
        let path = base[authority..]
            .find('/')
            .map_or(base.len(), |i| authority + i);
        let mut url = format!("{}/{name}", &base[..path]);
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        Some(Self { admin, name, url })
    }

    /// A user of `role` with an API token, written before any replica
    /// starts; answers the token.
    async fn user_with_token(&self, name: &str, role: Role) -> String {
        let db = Db::connect(&self.url).await.expect("open PostgreSQL");
        users::add(&db, name, &format!("{name}-replica-password"), role, None)
            .await
            .expect("add user");
        let (_, token) = tokens::create(&db, name, "replicas", None, None)
            .await
            .expect("user token");
        db.pool().close().await;
        token
    }

    /// What a replica on this database needs in its environment.
    fn env(&self) -> [(&'static str, &str); 1] {
        [("SCANPORT_DATABASE_URL", self.url.as_str())]
    }

    async fn drop_database(self) {
        use sqlx::{Connection, Executor};
        let mut conn = sqlx::PgConnection::connect(&self.admin)
            .await
            .expect("the test PostgreSQL answers");
        conn.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .expect("DROP DATABASE");
    }
}

/// Two replicas on one PostgreSQL database: a token revoked through one
/// of them, or with the admin CLI, ends that token's live stream on the
/// other within 2 s, though nothing else happens there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_the_other_replicas_streams_within_two_seconds() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::new().await;
    let db = Db::connect(&pg.url).await.expect("open PostgreSQL");
    users::add(&db, "boss", "replica-password-1", Role::Admin, None)
        .await
        .expect("add admin");
    users::add(&db, "watcher", "replica-password-2", Role::Viewer, None)
        .await
        .expect("add viewer");
    let (_, admin) = tokens::create(&db, "boss", "replicas", None, None)
        .await
        .expect("admin token");
    let mut watching = Vec::new();
    for label in ["by-api", "by-cli"] {
        watching.push(
            tokens::create(&db, "watcher", label, None, None)
                .await
                .expect("viewer token"),
        );
    }
    db.pool().close().await;

    let env = [("SCANPORT_DATABASE_URL", pg.url.as_str())];
    let first = Server::start_with(&site, &env);
    let second = Server::start_with(&site, &env);
    // Its listener connects on its own time (a revocation before that
    // counts once it is up, but not within the 2 s asked here).
    while !second
        .next_log_line()
        .contains("following other replicas' revocations")
    {}
    let mut streams = Vec::new();
    for (_, token) in &watching {
        let mut stream = site
            .http
            .get(format!(
                "{}/api/v1/events/tasks?account={ACCOUNT}&type=image_scan",
                second.base
            ))
            .bearer_auth(token)
            .send()
            .await
            .expect("open the stream");
        assert_eq!(stream.status(), StatusCode::OK);
        let first_chunk = tokio::time::timeout(Duration::from_secs(20), stream.chunk()).await;
        assert!(matches!(first_chunk, Ok(Ok(Some(_)))), "the stream starts");
        streams.push(stream);
    }

    // Revoked through the first replica's API.
    let revoked = site
        .http
        .post(format!("{}/api/v1/admin/tokens/revoke", first.base))
        .bearer_auth(&admin)
        .json(&json!({"id": watching[0].0.id}))
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    let at = Instant::now();
    assert!(
        ends_within(&mut streams[0], Duration::from_secs(2)).await,
        "the other replica's stream outlived the revocation by 2 s"
    );
    eprintln!(
        "revoked on one replica, the stream on the other ended {} ms later",
        at.elapsed().as_millis()
    );

    // Revoked from the shell, by neither replica.
    let cli = Command::new(env!("CARGO_BIN_EXE_scanport"))
        .args(["--config"])
        .arg(&site.config)
        .args(["token", "revoke", &watching[1].0.id])
        .env("SCANPORT_DATABASE_URL", &pg.url)
        .output()
        .expect("scanport token revoke");
    assert!(cli.status.success(), "{cli:?}");
    assert!(
        ends_within(&mut streams[1], Duration::from_secs(2)).await,
        "the stream outlived the CLI's revocation by 2 s"
    );
    drop(streams);
    first.kill_9();
    second.kill_9();
    pg.drop_database().await;
}

/// Two replicas on one PostgreSQL database share each account's call
/// spacing: 30 image-list reads on each at once, 60 calls of one TCSS
/// action, go out at the account's 12 a second in all, so none is refused
/// by the service's 20 a second (which the sandbox applies as TCSS does)
/// and every reader gets the list. Alone, each replica would send its 30
/// within 2.5 s and the two together would draw refusals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_together_stay_inside_the_clouds_call_limit() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::with_tencent_limits().await;
    let token = pg.user_with_token("reader", Role::Viewer).await;
    let env = pg.env();
    let replicas = [
        Server::start_with(&site, &env),
        Server::start_with(&site, &env),
    ];
    let before = site.upstream_calls(UP_TC_IMAGES).await;
    let started = Instant::now();
    let reads = replicas.iter().flat_map(|replica| {
        (0..30).map(|i| {
            site.http
                .post(format!("{}/api/v1/tcss/images", replica.base))
                .bearer_auth(&token)
                .json(&json!({"account": TC_ACCOUNT, "request": {"Limit": 10, "Offset": i}}))
                .send()
        })
    });
    let answers = futures::future::join_all(reads).await;
    let took = started.elapsed();
    for answer in answers {
        let answer = answer.expect("an answer");
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let calls = site.upstream_calls(UP_TC_IMAGES).await - before;
    eprintln!("60 reads on two replicas: {calls} upstream calls in {took:?}");
    // Exactly one call each: none refused and retried.
    assert_eq!(
        calls, 60,
        "the cloud refused some calls, which were sent again"
    );
    // 60 calls, one every 83.3 ms, need 4.9 s.
    assert!(took >= Duration::from_millis(4850), "{took:?}");
    for replica in replicas {
        replica.kill_9();
    }
    pg.drop_database().await;
}

/// One snapshot as a live stream delivered it.
#[derive(Debug, Clone, Copy)]
struct Delivered {
    /// Which stream.
    stream: usize,
    arrived: Instant,
    /// How long after the upstream answered it arrived (wall clock, ms).
    lag_ms: i64,
    fetched_at_ms: i64,
    tasks: i64,
    failed: bool,
}

/// Every snapshot the watched streams delivered, in order of arrival.
type Deliveries = std::sync::Arc<std::sync::Mutex<Vec<Delivered>>>;

/// Opens `count` image-scan streams on `replica`, numbered from `first`,
/// recording each snapshot they deliver until they end or are aborted.
async fn watch_tasks(
    site: &Site,
    replica: &Server,
    token: &str,
    first: usize,
    count: usize,
    seen: &Deliveries,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut watchers = Vec::with_capacity(count);
    for stream_no in first..first + count {
        let mut stream = site
            .http
            .get(format!(
                "{}/api/v1/events/tasks?account={ACCOUNT}&type=image_scan",
                replica.base
            ))
            .bearer_auth(token)
            .send()
            .await
            .expect("open the stream");
        assert_eq!(stream.status(), StatusCode::OK);
        let seen = std::sync::Arc::clone(seen);
        watchers.push(tokio::spawn(async move {
            let mut buffer = String::new();
            while let Ok(Some(chunk)) = stream.chunk().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) else {
                        continue;
                    };
                    let snapshot: Value = serde_json::from_str(data).expect("a snapshot");
                    let fetched_at_ms = snapshot["fetched_at_ms"].as_i64().unwrap_or(0);
                    if fetched_at_ms == 0 {
                        continue;
                    }
                    seen.lock().expect("seen").push(Delivered {
                        stream: stream_no,
                        arrived: Instant::now(),
                        lag_ms: scanport_wire::clock::now_ms() - fetched_at_ms,
                        fetched_at_ms,
                        tasks: snapshot["answer"]["total_num"].as_i64().unwrap_or(0),
                        failed: !snapshot["error"].is_null(),
                    });
                }
            }
        }));
    }
    watchers
}

/// Task-list calls the upstream receives over `window`.
async fn task_list_calls_over(site: &Site, window: Duration) -> u64 {
    let before = site.upstream_calls(UP_TASKS).await;
    tokio::time::sleep(window).await;
    site.upstream_calls(UP_TASKS).await - before
}

/// Replicas on one PostgreSQL database, 200 viewers watching the scan
/// tasks: with three replicas the cloud is asked for the task lists as
/// often as with one; every viewer gets each snapshot within 2 s of the
/// cloud's answer, and none shows an error; a launch on one replica shows
/// on another's streams within seconds; and when a replica is killed, the
/// viewers of the others keep getting fresh answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_poll_the_task_lists_as_one_and_show_the_same_progress() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::new().await;
    let viewer = pg.user_with_token("watcher", Role::Viewer).await;
    let operator = pg.user_with_token("launcher", Role::Operator).await;
    let env = pg.env();
    let seen: Deliveries = Deliveries::default();
    let window = Duration::from_secs(10);

    // One replica, 100 viewers: the site's idle pace is a refresh every
    // 2 s per list, two lists.
    let a = Server::start_with(&site, &env);
    let mut watchers = watch_tasks(&site, &a, &viewer, 0, 100, &seen).await;
    let alone = task_list_calls_over(&site, window).await;

    // Two more replicas, 50 viewers each: 200 in all.
    let (b, c) = (
        Server::start_with(&site, &env),
        Server::start_with(&site, &env),
    );
    watchers.extend(watch_tasks(&site, &b, &viewer, 100, 50, &seen).await);
    let on_c = watch_tasks(&site, &c, &viewer, 150, 50, &seen).await;
    let three = task_list_calls_over(&site, window).await;
    let per_minute = |calls: u64| calls as f64 * 60.0 / window.as_secs_f64();
    eprintln!(
        "task-list calls a minute, 200 viewers: one replica {:.0}, three replicas {:.0}",
        per_minute(alone),
        per_minute(three)
    );
    assert!(
        three <= alone + alone / 4 + 1,
        "three replicas made {three} calls in {window:?}, one made {alone}"
    );
    {
        let seen = seen.lock().expect("seen");
        let mut first_of = std::collections::HashSet::new();
        // A stream's first snapshot is the one current when it opened.
        let later: Vec<&Delivered> = seen.iter().filter(|d| !first_of.insert(d.stream)).collect();
        let worst = later.iter().map(|d| d.lag_ms).max().unwrap_or(0);
        eprintln!(
            "{} snapshots delivered after the first of each stream; the slowest arrived {worst} ms after the cloud's answer",
            later.len()
        );
        assert_eq!(first_of.len(), 200, "every viewer got snapshots");
        assert!(
            worst <= 2000,
            "a snapshot arrived {worst} ms after the poll"
        );
        assert!(
            seen.iter().all(|d| !d.failed),
            "a snapshot carried an error"
        );
        // The viewers of the three replicas saw the very same answers.
        let answers_of = |streams: std::ops::Range<usize>| -> std::collections::BTreeSet<i64> {
            later
                .iter()
                .filter(|d| streams.contains(&d.stream))
                .map(|d| d.fetched_at_ms)
                .collect()
        };
        let (on_a, on_b) = (answers_of(0..100), answers_of(100..150));
        assert!(
            on_a.intersection(&on_b).count() >= 3,
            "A showed {on_a:?}, B showed {on_b:?}"
        );
    }

    // A launch on B shows on C's streams.
    let tasks_before = seen.lock().expect("seen").last().map_or(0, |d| d.tasks);
    let launched = site
        .launch_as(&operator, &b.base, "payments", "replica-feeds-1")
        .send()
        .await
        .expect("launch");
    let status = launched.status();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        launched.text().await.unwrap_or_default()
    );
    let at = Instant::now();
    let shown = loop {
        let shown = seen
            .lock()
            .expect("seen")
            .iter()
            .find(|d| d.stream >= 150 && d.arrived > at && d.tasks > tasks_before)
            .map(|d| d.arrived - at);
        if let Some(shown) = shown {
            break shown;
        }
        assert!(
            at.elapsed() < Duration::from_secs(5),
            "the launch on B never showed on C"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    eprintln!("launched on B, shown on C after {} ms", shown.as_millis());

    // Kill A and B, whichever was polling: C's viewers keep getting fresh
    // answers.
    a.kill_9();
    b.kill_9();
    for watcher in watchers {
        watcher.abort();
    }
    let killed = Instant::now();
    let fresh = loop {
        let fresh = seen
            .lock()
            .expect("seen")
            .iter()
            .find(|d| d.stream >= 150 && d.arrived > killed + Duration::from_millis(100))
            .map(|d| d.arrived - killed);
        if let Some(fresh) = fresh {
            break fresh;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(20),
            "C's viewers saw no fresh answer within 20 s of the others' death"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    eprintln!(
        "A and B killed, C's viewers got a fresh answer after {} ms",
        fresh.as_millis()
    );
    for watcher in on_c {
        watcher.abort();
    }
    c.kill_9();
    pg.drop_database().await;
}

/// Two replicas on one PostgreSQL database, the cloud slower than a turn's
/// 15 s hold: the replica refreshing the feed keeps its turn (it renews
/// it), so the other never takes a second one meanwhile; killed
/// mid-refresh, it loses the turn, and the other's viewers get a fresh
/// answer within 20 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_refresh_hands_the_feed_over_within_twenty_seconds() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::new().await;
    let viewer = pg.user_with_token("watcher", Role::Viewer).await;
    // Kept open: the test reads who holds the feed.
    let db = Db::connect(&pg.url).await.expect("open PostgreSQL");
    let env = pg.env();
    let replicas = [
        Server::start_with(&site, &env),
        Server::start_with(&site, &env),
    ];
    let seen: Deliveries = Deliveries::default();
    let mut watchers = watch_tasks(&site, &replicas[0], &viewer, 0, 5, &seen).await;
    watchers.extend(watch_tasks(&site, &replicas[1], &viewer, 5, 5, &seen).await);
    let opened = Instant::now();
    let answered = |seen: &Deliveries| {
        let seen = seen.lock().expect("seen");
        seen.iter()
            .map(|d| d.stream)
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    while answered(&seen) < 10 {
        assert!(
            opened.elapsed() < Duration::from_secs(20),
            "the viewers got no first answer"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The cloud now answers after 20 s: the next refresh's holder waits.
    site.set_faults(json!({"latency_ms": 20_000})).await;
    let now_ms = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
    let slowed: i64 = sqlx::query_scalar(&format!("SELECT {now_ms}"))
        .fetch_one(db.pool())
        .await
        .expect("the database's clock");
    // (holder, claimed_at) of the image-scan feed's running refresh.
    let turn = || async {
        sqlx::query_as::<_, (String, i64)>(&format!(
            "SELECT holder, claimed_at FROM live_feeds \
             WHERE account = $1 AND feed = 'image_scan' AND claimed_until > {now_ms}"
        ))
        .bind(ACCOUNT)
        .fetch_optional(db.pool())
        .await
        .expect("read the feed")
    };
    let waiting = Instant::now();
    let (holder, claimed_at) = loop {
        if let Some((holder, claimed_at)) = turn().await.filter(|(_, at)| *at >= slowed) {
            break (holder, claimed_at);
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "no replica began a refresh after the cloud slowed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let pid = holder.split('/').next().unwrap_or_default();
    let holding = replicas
        .iter()
        .position(|r| r.child.id().to_string() == pid)
        .expect("the holder is one of the replicas");

    // Past one hold, the turn is still the same replica's.
    tokio::time::sleep(Duration::from_secs(17)).await;
    assert_eq!(
        turn().await,
        Some((holder.clone(), claimed_at)),
        "17 s into a 20 s refresh, its replica still holds the turn"
    );

    // Killed mid-refresh: the other replica takes the turn over.
    let [first, second] = replicas;
    let (dead, survivor, survivors) = if holding == 0 {
        (first, second, 5..10)
    } else {
        (second, first, 0..5)
    };
    dead.kill_9();
    site.set_faults(json!({})).await;
    let killed = Instant::now();
    let fresh = loop {
        let fresh = seen
            .lock()
            .expect("seen")
            .iter()
            .find(|d| survivors.contains(&d.stream) && d.arrived > killed)
            .map(|d| d.arrived - killed);
        if let Some(fresh) = fresh {
            break fresh;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(20),
            "no fresh answer on the other replica within 20 s of the holder's death"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    eprintln!(
        "the holder killed 17 s into its refresh; the other replica's viewers got a fresh answer after {} ms",
        fresh.as_millis()
    );
    for watcher in watchers {
        watcher.abort();
    }
    survivor.kill_9();
    db.pool().close().await;
    pg.drop_database().await;
}

/// Two replicas on one PostgreSQL database, the cloud refusing the key
/// (Huawei locks it after five refusals from all its callers together):
/// the refusals on both count as one run, so both pause after two in all
/// and answer `account_paused` without a call; a Retry on one lets the
/// other call again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_count_key_refusals_together_and_a_retry_on_one_resumes_both() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::new().await;
    let token = pg.user_with_token("keeper", Role::Operator).await;
    let env = pg.env();
    let replicas = [
        Server::start_with(&site, &env),
        Server::start_with(&site, &env),
    ];
    for replica in &replicas {
        while !replica
            .next_log_line()
            .contains("following other replicas' key refusals")
        {}
    }
    // An image list read: (status, error kind).
    let read = |replica: &Server| {
        let request = site
            .http
            .post(format!("{}/api/v1/hss/images", replica.base))
            .bearer_auth(&token)
            .json(&json!({"account": ACCOUNT, "request": {"image_type": "private_image"}}));
        async move {
            let answer = request.send().await.expect("read");
            let status = answer.status();
            let body: Value = answer.json().await.unwrap_or_default();
            (status, body["error"]["kind"].as_str().map(str::to_owned))
        }
    };

    site.set_faults(json!({"refuse_auth": true})).await;
    let before = site.upstream_calls(UP_IMAGES).await;
    let mut last = Vec::new();
    for i in 0..12 {
        last.push(read(&replicas[i % 2]).await);
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let reached = site.upstream_calls(UP_IMAGES).await - before;
    eprintln!(
        "12 reads across two replicas while the key was refused: {reached} reached the cloud"
    );
    assert!(
        reached <= 3,
        "{reached} refused calls: the replicas did not pause together (alone each would send 2)"
    );
    let paused = (
        StatusCode::SERVICE_UNAVAILABLE,
        Some("account_paused".to_owned()),
    );
    assert_eq!(last[10..], [paused.clone(), paused], "both replicas paused");

    // The key is fixed; a Retry on the second replica resumes the first.
    site.set_faults(json!({})).await;
    let retried = site
        .http
        .post(format!("{}/api/v1/accounts/retry", replicas[1].base))
        .bearer_auth(&token)
        .header("Idempotency-Key", "replica-keys-retry-1")
        .json(&json!({"account": ACCOUNT}))
        .send()
        .await
        .expect("retry");
    assert_eq!(retried.status(), StatusCode::OK);
    let deadline = Instant::now() + Duration::from_secs(2);
    while read(&replicas[0]).await.0 != StatusCode::OK {
        assert!(
            Instant::now() < deadline,
            "the first replica still paused 2 s after a Retry on the second"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let [a, b] = replicas;
    a.kill_9();
    b.kill_9();
    pg.drop_database().await;
}

/// Two replicas on one PostgreSQL database, each with its read cache: a
/// launch on one empties the other's cache too, so a viewer there sees
/// the list as the cloud has it now, not as it was before the launch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_replica_empties_the_others_read_cache() {
    let _alone = REPLICA_TESTS.lock().await;
    let Some(pg) = TestPostgres::create().await else {
        return;
    };
    let site = Site::new().await;
    let token = pg.user_with_token("launcher", Role::Operator).await;
    let env = pg.env();
    let (a, b) = (
        Server::start_with(&site, &env),
        Server::start_with(&site, &env),
    );
    while !b
        .next_log_line()
        .contains("following other replicas' changes")
    {}
    let read = || async {
        let answer = site
            .http
            .post(format!("{}/api/v1/hss/images", b.base))
            .bearer_auth(&token)
            .json(&json!({"account": ACCOUNT, "request": {"image_type": "private_image"}}))
            .send()
            .await
            .expect("read");
        assert_eq!(answer.status(), StatusCode::OK);
    };
    read().await;
    let cached = site.upstream_calls(UP_IMAGES).await;
    read().await;
    assert_eq!(
        site.upstream_calls(UP_IMAGES).await,
        cached,
        "a reread within 20 s comes from B's cache"
    );
    let launched = site
        .launch_as(&token, &a.base, "payments", "replica-reads-1")
        .send()
        .await
        .expect("launch");
    assert_eq!(launched.status(), StatusCode::OK);
    // Word travels by NOTIFY; B's next read after it asks the cloud.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        read().await;
        if site.upstream_calls(UP_IMAGES).await > cached {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "B still answers from its cache 2 s after A's launch"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.kill_9();
    b.kill_9();
    pg.drop_database().await;
}
