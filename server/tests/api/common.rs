//! A real Scanport server on a loopback port, for the API tests: a temp
//! SQLite data dir, a real sandbox upstream (no rate limits) with one
//! Huawei and one Tencent account whose canary credentials come from
//! owner-only credentials files, one user of each role, and every response
//! the tests receive kept so they can check no secret ever leaks.

use reqwest::header::{self, HeaderMap};
use reqwest::{Method, RequestBuilder, StatusCode};
use scanport::config::{AccountConfig, Config, ProviderName};
use scanport::router::{WebPolicy, app, leptos_options};
use scanport_app::state::{AppState, Hubs};
use scanport_portal::{Db, Role, TokenInfo, tokens, users};
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The account ids the console is configured with.
pub const HW: &str = "hw-test";
pub const TC: &str = "tc-test";

/// The canary credentials: distinctive strings that must never appear in
/// anything the console answers.
pub const HW_AK: &str = "CANARYHWAK7Q2X9Z4M1PLEAK";
pub const HW_SK: &str = "canary-hw-sk-Zebra-Quokka-0xDEADBEEF-must-not-leak";
pub const TC_ID: &str = "AKIDCanaryTencentId5EC2E7LEAK";
pub const TC_KEY: &str = "canary-tc-key-Narwhal-Ocelot-0xFEEDFACE-must-not-leak";
/// The wrong secrets of the `*-badkey` accounts (see [`Options::fault_accounts`]).
pub const HW_BAD_SK: &str = "wrong-hw-sk-Iguana-Marmot-0xBADC0FFEE-must-not-leak";
pub const TC_BAD_KEY: &str = "wrong-tc-key-Okapi-Tapir-0xBADF00D-must-not-leak";
pub const CANARIES: [&str; 6] = [HW_AK, HW_SK, TC_ID, TC_KEY, HW_BAD_SK, TC_BAD_KEY];

/// With [`Options::fault_accounts`]: accounts whose endpoint is a closed
/// port, and accounts whose secret the sandbox does not know.
pub const HW_DOWN: &str = "hw-down";
pub const TC_DOWN: &str = "tc-down";
pub const HW_BADKEY: &str = "hw-badkey";
pub const TC_BADKEY: &str = "tc-badkey";

/// The users every harness has, one per role, plus a spare to act on.
pub const VIEWER: &str = "vera";
pub const OPERATOR: &str = "oscar";
pub const ADMIN: &str = "ada";
pub const SPARE: &str = "spare";
pub const PASSWORD: &str = "correct-horse-battery-1";

/// `web.max_body_bytes` of the test server.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The sandbox's names for the upstream APIs (see its `/__sandbox/stats`).
pub const UP_IMAGES: &str = "GET /v5/{project_id}/image/swr-repository";
pub const UP_BATCH_SCAN: &str = "POST /v5/{project_id}/image/batch-scan";
pub const UP_SCAN_TASKS: &str = "POST /v5/{project_id}/image/image-scan/tasks";
pub const UP_STOP: &str = "PUT /v5/{project_id}/image/image-scan/tasks/{task_id}/stop";
pub const UP_SYNCHRONIZE: &str = "POST /v5/{project_id}/image/synchronize";
pub const UP_IMAGE_SYNC: &str = "POST /v5/{project_id}/image/image-sync/tasks";
pub const UP_SCAN_POLICY: &str = "PUT /v5/{project_id}/image/scanner-policies";
pub const UP_TC_UPDATE_SCHEDULE: &str = "tcss UpdateImageRegistryTimingScanTask";
pub const UP_TC_SCAN: &str = "tcss CreateAssetImageRegistryScanTaskOneKey";
pub const UP_TC_STOP: &str = "tcss ModifyAssetImageRegistryScanStopOneKey";
pub const UP_TC_SYNC: &str = "tcss SyncAssetImageRegistryAsset";
/// What a TCSS account's live monitor polls.
pub const UP_TC_SCAN_STATUS: &str = "tcss DescribeAssetImageRegistryScanStatusOneKey";

/// How a request proves who sends it.
#[derive(Debug, Clone)]
pub enum Auth {
    Anonymous,
    /// The value of the `scanport_session` cookie.
    Cookie(String),
    /// An API token (`spt_…`, or anything a caller might send).
    Bearer(String),
}

impl Auth {
    pub fn apply(&self, builder: RequestBuilder) -> RequestBuilder {
        match self {
            Auth::Anonymous => builder,
            Auth::Cookie(id) => builder.header(header::COOKIE, format!("scanport_session={id}")),
            Auth::Bearer(token) => builder.bearer_auth(token),
        }
    }
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Reply {
    pub what: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{}: body is not JSON ({e}): {}", self.what, self.body))
    }

    /// `error.kind` of an error body.
    pub fn kind(&self) -> Option<String> {
        let value: Value = serde_json::from_str(&self.body).ok()?;
        value["error"]["kind"].as_str().map(str::to_owned)
    }

    /// `error.field` of an error body.
    pub fn field(&self) -> Option<String> {
        let value: Value = serde_json::from_str(&self.body).ok()?;
        value["error"]["field"].as_str().map(str::to_owned)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Panics unless the status is `status` and, for an error, the body is
    /// the public error shape with `kind`.
    pub fn expect_error(&self, status: u16, kind: &str) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}: expected {status} {kind}, got {} {}",
            self.what,
            self.status,
            self.body
        );
        assert_eq!(
            self.kind().as_deref(),
            Some(kind),
            "{}: expected kind {kind}: {}",
            self.what,
            self.body
        );
        let ct = self.header("content-type").unwrap_or_default();
        assert!(
            ct.starts_with("application/json"),
            "{}: an error must be JSON, got content-type {ct:?}",
            self.what
        );
        let message = self.json()["error"]["message"].as_str().map(str::len);
        assert!(
            message.is_some_and(|n| n > 0),
            "{}: the error has no message: {}",
            self.what,
            self.body
        );
        self
    }

    pub fn expect_ok(&self) -> &Self {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "{}: expected 200, got {} {}",
            self.what,
            self.status,
            self.body
        );
        self
    }
}

/// How a harness differs from the usual one.
#[derive(Debug, Clone)]
pub struct Options {
    /// Create the four users before the portal starts (else the portal
    /// starts empty and makes a setup token).
    pub users: bool,
    /// `web.public_origin`.
    pub public_origin: Option<String>,
    /// Keep the shipped sign-in limits (`auth.login_attempts_per_*`)
    /// instead of the tests' generous ones.
    pub shipped_login_limits: bool,
    /// `http.timeout_secs` (10 s unless set).
    pub http_timeout_secs: Option<f64>,
    /// Also configure [`HW_DOWN`], [`TC_DOWN`], [`HW_BADKEY`], [`TC_BADKEY`].
    pub fault_accounts: bool,
    /// The live hub polls hourly instead of every 0.5 s / 2 s, for tests
    /// that count every upstream call of an API the hub also calls.
    pub quiet_hub: bool,
    /// `enterprise_project_id` of the [`HW`] account.
    pub hw_enterprise_project_id: Option<String>,
    /// `web.trusted_proxies` (the tests connect from 127.0.0.1).
    pub trusted_proxies: Vec<String>,
    /// `auth.hashing_concurrency` and `auth.hashing_queue`.
    pub hashing: Option<(usize, usize)>,
    /// `max_calls_per_minute` of the [`HW`] account (else unlimited).
    pub hw_calls_per_minute: Option<u32>,
    /// `web.metrics_allow`.
    pub metrics_allow: Vec<String>,
    /// `http.read_cache_secs`. Off unless set: most tests count the
    /// upstream calls their reads make.
    pub read_cache_secs: Option<f64>,
    /// Gather the accounts' overviews in the background, as `serve` does.
    /// Off unless set: it calls the cloud on its own.
    pub overview: bool,
    /// How long the sandbox takes per image of a scan (100 ms unless set;
    /// zero: every scan is over at once, so nothing changes under a test).
    pub sandbox_pace: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            users: true,
            public_origin: None,
            shipped_login_limits: false,
            http_timeout_secs: None,
            fault_accounts: false,
            quiet_hub: false,
            hw_enterprise_project_id: None,
            trusted_proxies: Vec::new(),
            hashing: None,
            hw_calls_per_minute: None,
            metrics_allow: Vec::new(),
            read_cache_secs: None,
            overview: false,
            sandbox_pace: None,
        }
    }
}

pub struct Harness {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub sandbox: String,
    /// What the sandbox's `/__sandbox/*` controls need.
    pub sandbox_token: String,
    /// The closed port the `*-down` accounts point at (with
    /// [`Options::fault_accounts`]); a test may start an upstream there.
    pub down_addr: Option<SocketAddr>,
    pub db: Db,
    /// The server's sign-in state (its setup token, its hashing gate).
    pub sign_in: scanport::auth::SignIn,
    pub http: reqwest::Client,
    /// Every response the tests received through the harness.
    log: Mutex<Vec<Reply>>,
    sessions: tokio::sync::Mutex<BTreeMap<String, String>>,
    _dir: tempfile::TempDir,
}

fn write_private(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).expect("write credentials file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    }
}

fn account(
    id: &str,
    provider: ProviderName,
    endpoint: &str,
    creds: std::path::PathBuf,
) -> AccountConfig {
    AccountConfig {
        id: id.to_owned(),
        provider,
        region: match provider {
            ProviderName::Huawei => "ap-southeast-1".to_owned(),
            ProviderName::Tencent => "ap-guangzhou".to_owned(),
        },
        project_id: (provider == ProviderName::Huawei).then(|| "proj-test-0001".to_owned()),
        enterprise_project_id: None,
        endpoint: Some(endpoint.to_owned()),
        credentials_file: Some(creds),
        // The sandbox runs without rate limits; so does our own budget.
        max_calls_per_minute: Some(60_000),
        ak_env: None,
        sk_env: None,
        security_token_env: None,
        secret_id_env: None,
        secret_key_env: None,
        token_env: None,
    }
}

/// Accounts that cannot work: one pair at a port nothing listens on, one
/// pair with a secret the sandbox does not know.
fn fault_accounts(
    dir: &std::path::Path,
    sandbox: &str,
    hw_creds: &std::path::Path,
    tc_creds: &std::path::Path,
) -> (Vec<AccountConfig>, SocketAddr) {
    // Bound and dropped at once: nothing listens there afterwards.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let down = format!("http://{closed}");
    let hw_bad = dir.join("hw-bad-credentials.toml");
    write_private(
        &hw_bad,
        &format!("ak = \"{HW_AK}\"\nsk = \"{HW_BAD_SK}\"\n"),
    );
    let tc_bad = dir.join("tc-bad-credentials.toml");
    write_private(
        &tc_bad,
        &format!("secret_id = \"{TC_ID}\"\nsecret_key = \"{TC_BAD_KEY}\"\n"),
    );
    let accounts = vec![
        account(HW_DOWN, ProviderName::Huawei, &down, hw_creds.to_owned()),
        account(TC_DOWN, ProviderName::Tencent, &down, tc_creds.to_owned()),
        account(HW_BADKEY, ProviderName::Huawei, sandbox, hw_bad),
        account(TC_BADKEY, ProviderName::Tencent, sandbox, tc_bad),
    ];
    (accounts, closed)
}

impl Harness {
    /// Starts the sandbox and the server; creates the users.
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    /// Starts the sandbox and the server as `options` say.
    pub async fn start_with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");

        // The upstream.
        let mut sandbox_config = SandboxConfig::new(
            vec![HuaweiKey {
                ak: HW_AK.into(),
                sk: HW_SK.into(),
            }],
            vec![TencentKey {
                secret_id: TC_ID.into(),
                secret_key: TC_KEY.into(),
            }],
        );
        sandbox_config.rate_limits = false;
        // Fast, but a scan of many images still runs long enough to stop.
        sandbox_config.pace = options.sandbox_pace.unwrap_or(Duration::from_millis(100));
        let sandbox_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind sandbox");
        let running =
            scanport_sandbox::spawn(sandbox_listener, sandbox_config).expect("spawn sandbox");
        let sandbox = running.endpoint();

        // The credentials, owner-only files.
        let hw_creds = dir.path().join("hw-credentials.toml");
        write_private(&hw_creds, &format!("ak = \"{HW_AK}\"\nsk = \"{HW_SK}\"\n"));
        let tc_creds = dir.path().join("tc-credentials.toml");
        write_private(
            &tc_creds,
            &format!("secret_id = \"{TC_ID}\"\nsecret_key = \"{TC_KEY}\"\n"),
        );

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind server");
        let addr = listener.local_addr().expect("local addr");

        let mut config = Config {
            listen: addr,
            site_root: dir.path().join("site"),
            data_dir: dir.path().join("data"),
            accounts: vec![
                account(HW, ProviderName::Huawei, &sandbox, hw_creds.clone()),
                account(TC, ProviderName::Tencent, &sandbox, tc_creds.clone()),
            ],
            ..Config::default()
        };
        config.accounts[0].enterprise_project_id = options.hw_enterprise_project_id.clone();
        if let Some(calls) = options.hw_calls_per_minute {
            config.accounts[0].max_calls_per_minute = Some(calls);
        }
        config.web.max_body_bytes = MAX_BODY_BYTES;
        config.http.timeout_secs = options.http_timeout_secs.unwrap_or(10.0);
        config.http.read_cache_secs = options.read_cache_secs.unwrap_or(0.0);
        let mut down_addr = None;
        if options.fault_accounts {
            let (accounts, closed) = fault_accounts(dir.path(), &sandbox, &hw_creds, &tc_creds);
            config.accounts.extend(accounts);
            down_addr = Some(closed);
        }
        (config.live.busy_secs, config.live.idle_secs) = if options.quiet_hub {
            (3600.0, 3600.0)
        } else {
            (0.5, 2.0)
        };
        if !options.shipped_login_limits {
            config.auth.login_attempts_per_name = 1000;
            config.auth.login_attempts_per_address = 1000;
            config.auth.login_attempts_per_name_anywhere = 1000;
        }
        config.web.trusted_proxies = options.trusted_proxies.clone();
        config.web.metrics_allow = options.metrics_allow.clone();
        if let Some((concurrency, queue)) = options.hashing {
            config.auth.hashing_concurrency = concurrency;
            config.auth.hashing_queue = queue;
        }
        config.web.public_origin = options.public_origin.clone();

        // The users exist before the portal starts: no setup token
        // (without them, the portal makes one, as at a first start).
        let db = scanport::portal::open_db(&config)
            .await
            .expect("open the database");
        let roles = [
            (VIEWER, Role::Viewer),
            (OPERATOR, Role::Operator),
            (ADMIN, Role::Admin),
            (SPARE, Role::Viewer),
        ];
        for (name, role) in roles.into_iter().filter(|_| options.users) {
            users::add(&db, name, PASSWORD, role, None)
                .await
                .expect("add user");
        }
        let (portal, sign_in) = scanport::portal::start(&config, db.clone())
            .await
            .expect("start the portal");
        let accounts = scanport::accounts::build(&config, &portal.db)
            .await
            .expect("build the accounts");
        let hubs = Hubs::start(&accounts, scanport::router::live_pace(&config));
        let state = AppState {
            accounts: Arc::new(accounts),
            hubs: Arc::new(hubs),
            portal,
        };
        if options.overview {
            scanport::overview::spawn(&state);
        }
        let router = app(
            state,
            sign_in.clone(),
            leptos_options(&config),
            WebPolicy::from_config(&config),
        );
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });

        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        Self {
            base: format!("http://{addr}"),
            sandbox,
            sandbox_token: running.control_token,
            down_addr,
            db,
            sign_in,
            http,
            log: Mutex::new(Vec::new()),
            sessions: tokio::sync::Mutex::new(BTreeMap::new()),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// Sends, reads the whole answer, and keeps it for the leak check.
    pub async fn send(&self, what: impl Into<String>, builder: RequestBuilder) -> Reply {
        let what = what.into();
        let response = builder
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("{what}: cannot read the body: {e}"));
        let reply = Reply {
            what,
            status,
            headers,
            body,
        };
        self.log.lock().expect("log").push(reply.clone());
        reply
    }

    /// `POST /api/v1/{endpoint}` with a JSON body.
    pub async fn call(&self, auth: &Auth, endpoint: &str, body: &Value) -> Reply {
        let builder = auth.apply(
            self.request(Method::POST, &format!("/api/v1/{endpoint}"))
                .json(body),
        );
        self.send(format!("POST {endpoint} as {}", describe(auth)), builder)
            .await
    }

    /// `GET path`.
    pub async fn get(&self, auth: &Auth, path: &str) -> Reply {
        let builder = auth.apply(self.request(Method::GET, path));
        self.send(format!("GET {path} as {}", describe(auth)), builder)
            .await
    }

    /// Opens a stream (SSE) and reads until the first complete event or
    /// `wait` passes; a non-200 answer is read whole.
    pub async fn open_stream(&self, auth: &Auth, path: &str, wait: Duration) -> Reply {
        let what = format!("GET {path} (stream) as {}", describe(auth));
        let mut response = auth
            .apply(self.request(Method::GET, path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = String::new();
        if status == StatusCode::OK {
            let deadline = tokio::time::Instant::now() + wait;
            while !body.contains("\n\n") {
                match tokio::time::timeout_at(deadline, response.chunk()).await {
                    Ok(Ok(Some(chunk))) => body.push_str(&String::from_utf8_lossy(&chunk)),
                    _ => break,
                }
            }
        } else {
            body = response.text().await.unwrap_or_default();
        }
        let reply = Reply {
            what,
            status,
            headers,
            body,
        };
        self.log.lock().expect("log").push(reply.clone());
        reply
    }

    /// Opens a stream and hands it over unread; what is read from it
    /// goes through [`Harness::next_event`].
    pub async fn raw_stream(&self, auth: &Auth, path: &str) -> reqwest::Response {
        auth.apply(self.request(Method::GET, path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The next complete event of `stream`, or None when the stream ends
    /// (or fails) or `wait` passes first.
    pub async fn next_event(
        &self,
        stream: &mut reqwest::Response,
        wait: Duration,
    ) -> Option<String> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut text = String::new();
        loop {
            match tokio::time::timeout_at(deadline, stream.chunk()).await {
                Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
            // Keep-alive comments (`:`) are not events.
            if text.contains("\n\n") && text.lines().any(|l| l.starts_with("data:")) {
                self.log.lock().expect("log").push(Reply {
                    what: format!("event on {}", stream.url().path()),
                    status: stream.status(),
                    headers: stream.headers().clone(),
                    body: text.clone(),
                });
                return Some(text);
            }
        }
    }

    /// Signs in through the form, as a browser does.
    pub async fn login(&self, name: &str, password: &str) -> Reply {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let form = format!(
            "name={}&password={}&next={}",
            enc(name),
            enc(password),
            enc("/")
        );
        let builder = self
            .request(Method::POST, "/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        self.send(format!("POST /login as {name}"), builder).await
    }

    /// `POST path` with a URL-encoded form body, as an HTML form sends it,
    /// plus `headers` (`Origin`, `Cookie`, …).
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let form = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut builder = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        self.send(format!("POST {path} ({})", names.join(", ")), builder)
            .await
    }

    /// The setup token the portal holds now (None once spent, or when
    /// users existed at start).
    pub fn setup_token(&self) -> Option<String> {
        self.sign_in
            .setup_token
            .lock()
            .expect("setup token lock")
            .clone()
    }

    /// A fresh session of `name`: the cookie value `/login` set.
    pub async fn new_session(&self, name: &str) -> String {
        let reply = self.login(name, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "sign-in of {name}: {}",
            reply.body
        );
        let cookie = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("scanport_session="))
            .and_then(|v| v.split(';').next())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| panic!("sign-in of {name} set no session cookie: {reply:?}"));
        cookie.to_owned()
    }

    /// `name`'s session, signing in on first use.
    pub async fn session(&self, name: &str) -> Auth {
        let mut sessions = self.sessions.lock().await;
        if let Some(id) = sessions.get(name) {
            return Auth::Cookie(id.clone());
        }
        let id = self.new_session(name).await;
        sessions.insert(name.to_owned(), id.clone());
        Auth::Cookie(id)
    }

    /// A new API token of `name`.
    pub async fn token(&self, name: &str) -> (TokenInfo, Auth) {
        let (info, raw) = tokens::create(&self.db, name, "integration test", Some(30), None)
            .await
            .expect("create token");
        (info, Auth::Bearer(raw))
    }

    /// A request to one of the sandbox's `/__sandbox/*` controls.
    /// (Through the harness's one client: building a client loads the
    /// system's root certificates, which cost the hostile test minutes.)
    pub fn sandbox_control(&self, method: Method, control: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/__sandbox/{control}", self.sandbox))
            .header(scanport_sandbox::CONTROL_HEADER, &self.sandbox_token)
    }

    /// Calls per upstream API so far.
    pub async fn upstream(&self) -> BTreeMap<String, u64> {
        self.sandbox_control(Method::GET, "stats")
            .send()
            .await
            .expect("sandbox stats")
            .json()
            .await
            .expect("stats JSON")
    }

    /// The calls the sandbox received, oldest first (its latest 2000).
    pub async fn upstream_requests(&self) -> Vec<Value> {
        let response = self
            .sandbox_control(Method::GET, "requests")
            .send()
            .await
            .expect("sandbox request log");
        let status = response.status();
        let text = response.text().await.expect("request log body");
        serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("request log of {}: {status} {e}: {text:.300}", self.sandbox)
        })
    }

    /// Waits (up to 5 s) until the sandbox gets no call for 300 ms: what
    /// the server does on its own after a request (a refresh) is done.
    pub async fn wait_for_quiet_upstream(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let mut last = self.upstream().await;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let now = self.upstream().await;
            if now == last {
                return;
            }
            last = now;
        }
        panic!("the sandbox kept getting calls for 5 s: {last:?}");
    }

    pub async fn upstream_calls(&self, api: &str) -> u64 {
        self.upstream().await.get(api).copied().unwrap_or(0)
    }

    /// Every state-changing upstream call so far (HSS POST/PUT, TCSS
    /// update/create/sync actions).
    pub async fn upstream_mutations(&self) -> BTreeMap<String, u64> {
        self.upstream()
            .await
            .into_iter()
            .filter(|(api, _)| is_mutation(api))
            .collect()
    }

    /// Switches the sandbox's faults (`{}` for none).
    pub async fn set_faults(&self, faults: Value) {
        let response = self
            .sandbox_control(Method::PUT, "faults")
            .json(&faults)
            .send()
            .await
            .expect("set faults");
        assert!(response.status().is_success(), "faults refused: {faults}");
    }

    /// How many responses the harness has seen.
    pub fn responses_seen(&self) -> usize {
        self.log.lock().expect("log").len()
    }

    /// Panics if any canary credential appears in any response (status
    /// line, header or body) received so far.
    pub fn assert_no_secret_leaked(&self) {
        let log = self.log.lock().expect("log");
        let mut leaks = Vec::new();
        for reply in log.iter() {
            for canary in CANARIES {
                if reply.body.contains(canary) {
                    leaks.push(format!("{}: body contains {canary}", reply.what));
                }
                for (name, value) in &reply.headers {
                    if String::from_utf8_lossy(value.as_bytes()).contains(canary) {
                        leaks.push(format!("{}: header {name} contains {canary}", reply.what));
                    }
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "credentials leaked:\n{}",
            leaks.join("\n")
        );
        eprintln!(
            "no canary credential in any of the {} responses received",
            log.len()
        );
    }
}

fn is_mutation(api: &str) -> bool {
    api.starts_with("POST ")
        || api.starts_with("PUT ")
        || api.starts_with("DELETE ")
        || [UP_TC_UPDATE_SCHEDULE, UP_TC_SCAN, UP_TC_STOP, UP_TC_SYNC].contains(&api)
}

pub fn describe(auth: &Auth) -> String {
    match auth {
        Auth::Anonymous => "anonymous".to_owned(),
        Auth::Cookie(_) => "session".to_owned(),
        Auth::Bearer(t) if t.starts_with("spt_") && t.len() == 68 => "token".to_owned(),
        Auth::Bearer(t) => format!("bearer {t:?}"),
    }
}

/// A valid `hss/scan-policy/update` request: weekly, vulnerabilities
/// only, on the sandbox's Harbor registry.
pub fn scan_policy_update(rate_limit: i64) -> Value {
    json!({"enabled": true, "scan_cycle": 7, "scan_scope": 0x0f0000, "rate_limit": rate_limit,
        "time_scope": 0, "registry_info": [
            {"registry_id": "reg-harbor", "registry_name": "Harbor (corp)", "registry_type": "Harbor"}]})
}

/// A valid `hss/batch-scan` request: every private image of a namespace.
pub fn batch_scan_all(namespace: &str) -> Value {
    json!({"image_type": "private_image", "operate_all": true, "namespace": namespace})
}

/// A valid `hss/batch-scan` request for one listed image.
pub fn batch_scan_one(version: &str) -> Value {
    json!({
        "image_type": "private_image",
        "image_info_list": [
            {"namespace": "payments", "image_name": "checkout", "image_version": version}
        ]
    })
}

/// A `hss/scan-tasks` request of `n` images: at the sandbox's pace it
/// runs for `n` × 100 ms, long enough to stop.
pub fn long_scan_task(n: usize, tag: &str) -> Value {
    let images: Vec<Value> = (0..n)
        .map(|i| {
            json!({"namespace": "stoppable", "image_name": tag, "image_version": format!("v{i}")})
        })
        .collect();
    json!({ "image_info": images })
}

/// The ids of the image sync tasks, newest first.
pub async fn sync_task_ids(h: &Harness, auth: &Auth) -> Vec<String> {
    let reply = h
        .call(
            auth,
            "hss/tasks",
            &json!({"account": HW, "request": {"type": "image_sync", "limit": 200}}),
        )
        .await;
    reply.expect_ok();
    reply.json()["data_list"]
        .as_array()
        .expect("data_list")
        .iter()
        .filter_map(|t| t["task_id"].as_str().map(str::to_owned))
        .collect()
}

/// The ids of the running, stoppable manual scan tasks named by
/// `image_name` = `tag` (one per call to [`long_scan_task`] with `tag`).
pub async fn running_tasks(h: &Harness, auth: &Auth, total: i64) -> Vec<String> {
    let reply = h
        .call(
            auth,
            "hss/tasks",
            &json!({"account": HW, "request": {"type": "image_scan", "task_type": "manual", "limit": 200}}),
        )
        .await;
    reply.expect_ok();
    let mut ids: Vec<String> = reply.json()["data_list"]
        .as_array()
        .expect("data_list")
        .iter()
        .filter(|t| {
            t["task_id"]
                .as_str()
                .is_some_and(|id| id.contains("-live-"))
                && t["total_num"].as_i64() == Some(total)
                && t["task_status"]
                    .as_i64()
                    .is_some_and(|s| (0..100).contains(&s))
        })
        .filter_map(|t| t["task_id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// The body of an HSS launch on the test account.
pub fn launch(request: Value) -> Value {
    json!({"account": HW, "request": request})
}

/// The audit rows of `action`, newest first.
pub async fn audit_rows(h: &Harness, action: &str) -> Vec<scanport_portal::AuditEntry> {
    scanport_portal::audit::list(
        &h.db,
        &scanport_portal::AuditQuery {
            action: Some(action.to_owned()),
            limit: Some(500),
            ..scanport_portal::AuditQuery::default()
        },
    )
    .await
    .expect("audit list")
    .0
}
