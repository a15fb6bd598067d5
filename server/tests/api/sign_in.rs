//! Signing in, out and up, as a browser does it: HTML form posts answered
//! with 303 redirects. The first start hands out a one-time setup token
//! that makes exactly one admin; sign-in is throttled per name and per
//! address without telling which names exist; the session cookie is out of
//! scripts' reach (and `__Host-`/`Secure` behind HTTPS); every sign-in gets
//! a fresh session id and signing out ends it; `next` never leaves the site.
//! Only failed sign-ins count, per name and address (through trusted
//! proxies only), so a stranger cannot lock a user out; hashing is bounded;
//! setup closes for good once a user exists; the last admin stays.

use crate::common::*;
use reqwest::header;
use reqwest::{StatusCode, Url};
use scanport::config::AuthConfig;
use scanport_portal::{AuditEntry, AuditQuery, Outcome, Role, users};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The `public_origin` of the HTTPS tests.
const PUBLIC_ORIGIN: &str = "https://scanport.example";
const PLAIN_COOKIE: &str = "scanport_session";
const HOST_COOKIE: &str = "__Host-scanport_session";

/// The first admin of the setup tests.
const ROOT: &str = "root-admin";
const ROOT_PASSWORD: &str = "first-admin-Pass-42";

/// Where a redirect sends the browser.
fn location(reply: &Reply) -> &str {
    reply.header("location").unwrap_or_default()
}

/// Panics unless `reply` is `303 See Other` to exactly `to`.
fn expect_redirect(reply: &Reply, to: &str) {
    assert_eq!(
        (reply.status, location(reply)),
        (StatusCode::SEE_OTHER, to),
        "{}: expected 303 to {to}: {reply:?}",
        reply.what
    );
}

fn set_cookies(reply: &Reply) -> Vec<&str> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

fn expect_no_cookie(reply: &Reply) {
    assert!(
        set_cookies(reply).is_empty(),
        "{}: no cookie expected: {:?}",
        reply.what,
        set_cookies(reply)
    );
}

/// The one `Set-Cookie` of `reply`, split into the value of cookie `name`
/// and the attributes after it (`"; Path=/; …"`).
fn the_cookie<'r>(reply: &'r Reply, name: &str) -> (&'r str, &'r str) {
    let cookies = set_cookies(reply);
    assert_eq!(cookies.len(), 1, "{}: one cookie: {cookies:?}", reply.what);
    let rest = cookies[0]
        .strip_prefix(name)
        .and_then(|r| r.strip_prefix('='))
        .unwrap_or_else(|| panic!("{}: not a {name} cookie: {}", reply.what, cookies[0]));
    rest.split_at(rest.find(';').unwrap_or(rest.len()))
}

/// The session id a successful sign-in set as cookie `name`: 256 random
/// bits, in hex.
fn session_id(reply: &Reply, name: &str) -> String {
    let (id, _) = the_cookie(reply, name);
    assert!(
        id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{}: a 256-bit session id: {id:?}",
        reply.what
    );
    id.to_owned()
}

/// The `/login` form, sent with `headers`.
async fn login_form(
    h: &Harness,
    name: &str,
    password: &str,
    next: &str,
    headers: &[(&str, &str)],
) -> Reply {
    h.post_form(
        "/login",
        &[("name", name), ("password", password), ("next", next)],
        headers,
    )
    .await
}

/// `auth/me` with cookie `name` = `id`: the caller, or null.
async fn me(h: &Harness, name: &str, id: &str, headers: &[(&str, &str)]) -> Value {
    let mut builder = h
        .request(reqwest::Method::POST, "/api/v1/auth/me")
        .header(header::COOKIE, format!("{name}={id}"))
        .json(&json!({}));
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let reply = h
        .send(format!("POST auth/me with cookie {name}"), builder)
        .await;
    reply.expect_ok();
    reply.json()
}

/// `GET /api/v1/accounts` with cookie `name` = `id`.
async fn accounts(h: &Harness, name: &str, id: &str) -> Reply {
    let builder = h
        .request(reqwest::Method::GET, "/api/v1/accounts")
        .header(header::COOKIE, format!("{name}={id}"));
    h.send(format!("GET accounts with cookie {name}"), builder)
        .await
}

async fn audit(h: &Harness, query: AuditQuery) -> Vec<AuditEntry> {
    scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            limit: Some(500),
            ..query
        },
    )
    .await
    .expect("audit list")
    .0
}

async fn user_names(h: &Harness) -> Vec<(String, Role)> {
    users::list(&h.db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| (u.name, u.role))
        .collect()
}

fn empty_console() -> Options {
    Options {
        users: false,
        ..Options::default()
    }
}

/// 1. First start: every page leads to `/setup`; a wrong token creates
/// nobody; the right one makes one admin, signs them in, and is spent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_leads_to_setup_and_the_token_makes_one_admin() {
    let h = Harness::start_with(empty_console()).await;
    let token = h.setup_token().expect("a setup token at first start");
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token:?}"
    );

    for path in ["/", "/tasks", "/tasks?tab=sync", "/admin"] {
        expect_redirect(&h.get(&Auth::Anonymous, path).await, "/setup");
    }
    // The API is no way around it.
    h.get(&Auth::Anonymous, "/api/v1/accounts")
        .await
        .expect_error(401, "unauthenticated");

    // Wrong tokens: back to the form, nobody created, the token kept.
    let wrong = [
        String::new(),
        "0".repeat(32),
        token[..31].to_owned(),
        format!("{token}0"),
        // One character off.
        format!(
            "{}{}",
            &token[..31],
            if token.ends_with('0') { '1' } else { '0' }
        ),
    ];
    for bad in &wrong {
        let reply = h
            .post_form(
                "/setup",
                &[("token", bad), ("name", ROOT), ("password", ROOT_PASSWORD)],
                &[],
            )
            .await;
        expect_redirect(&reply, "/setup?error=token");
        expect_no_cookie(&reply);
    }
    assert_eq!(users::count(&h.db).await.expect("count"), 0);
    assert_eq!(h.setup_token().as_deref(), Some(token.as_str()));

    // The right token: an admin, signed in at once.
    let made = h
        .post_form(
            "/setup",
            &[
                ("token", &token),
                ("name", ROOT),
                ("password", ROOT_PASSWORD),
            ],
            &[],
        )
        .await;
    expect_redirect(&made, "/");
    let id = session_id(&made, PLAIN_COOKIE);
    assert_eq!(
        me(&h, PLAIN_COOKIE, &id, &[]).await,
        json!({"name": ROOT, "role": "admin"})
    );
    accounts(&h, PLAIN_COOKIE, &id).await.expect_ok();
    assert_eq!(user_names(&h).await, vec![(ROOT.to_owned(), Role::Admin)]);

    // Spent: the same token again (or any) creates nobody and points to
    // the sign-in page.
    assert_eq!(h.setup_token(), None, "the token is spent");
    for (t, name) in [(token.as_str(), "second-admin"), (token.as_str(), ROOT)] {
        let again = h
            .post_form(
                "/setup",
                &[("token", t), ("name", name), ("password", ROOT_PASSWORD)],
                &[],
            )
            .await;
        expect_redirect(&again, "/login");
        expect_no_cookie(&again);
    }
    assert_eq!(users::count(&h.db).await.expect("count"), 1);

    // Pages now lead to the sign-in page, where the new admin gets in.
    expect_redirect(&h.get(&Auth::Anonymous, "/").await, "/login?next=%2F");
    let login = login_form(&h, ROOT, ROOT_PASSWORD, "/", &[]).await;
    expect_redirect(&login, "/");
    let again = session_id(&login, PLAIN_COOKIE);
    assert_eq!(me(&h, PLAIN_COOKIE, &again, &[]).await["role"], "admin");

    // One audit row, via setup, without the password.
    let rows = audit(
        &h,
        AuditQuery {
            action: Some("admin/users/add".into()),
            ..AuditQuery::default()
        },
    )
    .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(
        (row.actor.as_str(), row.via.as_str(), row.outcome),
        (ROOT, "setup", Outcome::Ok),
        "{row:?}"
    );
    let request: Value =
        serde_json::from_str(row.request.as_deref().unwrap_or("null")).expect("request JSON");
    assert_eq!(request, json!({"name": ROOT, "role": "admin"}));
    let all = audit(&h, AuditQuery::default()).await;
    assert!(
        !format!("{all:?}").contains(ROOT_PASSWORD) && !format!("{all:?}").contains(&token),
        "no password or setup token in the audit log: {all:?}"
    );
    h.assert_no_secret_leaked();
}

/// 1b. A weak password or a bad name sends the form back with the reason,
/// creates nobody and keeps the token for the next try.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_refuses_a_weak_password_or_a_bad_name_and_keeps_the_token() {
    let h = Harness::start_with(empty_console()).await;
    let token = h.setup_token().expect("a setup token at first start");
    let min = users::PASSWORD_MIN_CHARS;
    assert_eq!(min, 8);
    let seven = "Abcde12";
    assert_eq!(seven.chars().count(), min - 1);
    let too_long = "p".repeat(users::PASSWORD_MAX_CHARS + 1);
    let cases: [(&str, &str, &str, &str); 6] = [
        (&token, ROOT, seven, "/setup?error=password"),
        (&token, ROOT, "", "/setup?error=password"),
        (&token, ROOT, &too_long, "/setup?error=password"),
        (&token, "has space", ROOT_PASSWORD, "/setup?error=name"),
        (&token, "", ROOT_PASSWORD, "/setup?error=name"),
        // The token is checked first: a guesser learns nothing else.
        (
            "0123456789abcdef0123456789abcdef",
            "has space",
            seven,
            "/setup?error=token",
        ),
    ];
    for (t, name, password, to) in cases {
        let reply = h
            .post_form(
                "/setup",
                &[("token", t), ("name", name), ("password", password)],
                &[],
            )
            .await;
        expect_redirect(&reply, to);
        expect_no_cookie(&reply);
        assert_eq!(users::count(&h.db).await.expect("count"), 0, "{to}");
    }
    assert_eq!(h.setup_token().as_deref(), Some(token.as_str()));
    expect_redirect(&h.get(&Auth::Anonymous, "/tasks").await, "/setup");
    assert!(
        audit(&h, AuditQuery::default()).await.is_empty(),
        "nothing happened"
    );

    // Eight characters do.
    let eight = "Abcde123";
    assert_eq!(eight.chars().count(), min);
    let made = h
        .post_form(
            "/setup",
            &[("token", &token), ("name", ROOT), ("password", eight)],
            &[],
        )
        .await;
    expect_redirect(&made, "/");
    session_id(&made, PLAIN_COOKIE);
    assert_eq!(user_names(&h).await, vec![(ROOT.to_owned(), Role::Admin)]);
    h.assert_no_secret_leaked();
}

/// 1c. The token makes one admin even when several forms are sent with it
/// at the same moment (a leaked token racing the rightful admin).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_token_makes_one_admin_even_when_raced() {
    let h = Harness::start_with(empty_console()).await;
    let token = h.setup_token().expect("a setup token at first start");
    let names = ["racer-a", "racer-b", "racer-c", "racer-d"];
    let hr = &h;
    let replies = futures::future::join_all(names.iter().map(|&name| {
        let token = token.clone();
        async move {
            hr.post_form(
                "/setup",
                &[("token", &token), ("name", name), ("password", PASSWORD)],
                &[],
            )
            .await
        }
    }))
    .await;
    let made: Vec<&Reply> = replies.iter().filter(|r| location(r) == "/").collect();
    let admins = user_names(&h).await;
    assert_eq!(
        admins.len(),
        1,
        "one setup token, one admin; got {admins:?}; answers {:?}",
        replies
            .iter()
            .map(|r| (
                r.status.as_u16(),
                location(r).to_owned(),
                set_cookies(r).len()
            ))
            .collect::<Vec<_>>()
    );
    assert_eq!(made.len(), 1, "one form succeeds: {replies:?}");
    for reply in &replies {
        if location(reply) != "/" {
            expect_redirect(reply, "/login");
            expect_no_cookie(reply);
        }
    }
    let rows = audit(
        &h,
        AuditQuery {
            action: Some("admin/users/add".into()),
            ..AuditQuery::default()
        },
    )
    .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    h.assert_no_secret_leaked();
}

fn shipped_limits() -> Options {
    Options {
        shipped_login_limits: true,
        ..Options::default()
    }
}

/// Panics unless `reply` refused a sign-in with `error`, setting no
/// cookie.
fn expect_refused(reply: &Reply, error: &str) {
    expect_redirect(reply, &format!("/login?error={error}&next=%2F"));
    expect_no_cookie(reply);
}

/// 2. Five wrong passwords for one name within a minute: the sixth try
/// is throttled even with the right password; other names still get in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_throttle_the_name_even_for_the_right_password() {
    let limits = AuthConfig::default();
    assert_eq!(
        (
            limits.login_attempts_per_name,
            limits.login_attempts_per_address
        ),
        (5, 20),
        "the shipped limits"
    );
    let h = Harness::start_with(shipped_limits()).await;
    let started = Instant::now();
    for i in 0..limits.login_attempts_per_name {
        let reply = login_form(&h, VIEWER, &format!("wrong-password-{i}"), "/", &[]).await;
        expect_refused(&reply, "credentials");
    }
    let right = login_form(&h, VIEWER, PASSWORD, "/", &[]).await;
    let elapsed = started.elapsed();
    // One attempt comes back every 12 s; the test needs the six within.
    assert!(
        elapsed < Duration::from_secs(12),
        "too slow to test the limit: {elapsed:?}"
    );
    expect_refused(&right, "throttled");
    // Not by changing the name's case or padding it either.
    for variant in [VIEWER.to_uppercase(), format!("  {VIEWER} ")] {
        expect_refused(
            &login_form(&h, &variant, PASSWORD, "/", &[]).await,
            "throttled",
        );
    }

    // Another name from the same address still gets in.
    let other = login_form(&h, OPERATOR, PASSWORD, "/", &[]).await;
    expect_redirect(&other, "/");
    let id = session_id(&other, PLAIN_COOKIE);
    assert_eq!(me(&h, PLAIN_COOKIE, &id, &[]).await["name"], OPERATOR);

    // An unknown name is throttled the same way: the answers tell
    // nothing about which names exist.
    for i in 0..limits.login_attempts_per_name {
        expect_refused(
            &login_form(&h, "nobody-here", &format!("guess-{i}"), "/", &[]).await,
            "credentials",
        );
    }
    expect_refused(
        &login_form(&h, "nobody-here", "guess-6", "/", &[]).await,
        "throttled",
    );

    // The audit log shows the refused attempts.
    let denied = audit(
        &h,
        AuditQuery {
            action: Some("login".into()),
            actor: Some(VIEWER.into()),
            outcome: Some(Outcome::Denied),
            ..AuditQuery::default()
        },
    )
    .await;
    assert!(!denied.is_empty(), "a denied sign-in is audited");
    assert!(
        denied
            .iter()
            .all(|r| r.detail.as_deref() == Some("too many attempts") && r.via == "session"),
        "{denied:?}"
    );
    let failed = audit(
        &h,
        AuditQuery {
            action: Some("login".into()),
            actor: Some(VIEWER.into()),
            outcome: Some(Outcome::Failed),
            ..AuditQuery::default()
        },
    )
    .await;
    assert_eq!(failed.len(), 5, "{failed:?}");
    assert!(
        !format!("{failed:?}{denied:?}").contains("wrong-password"),
        "no typed password in the audit log"
    );
    h.assert_no_secret_leaked();
}

/// Sign-in attempts with ever new names from one address.
struct Spray {
    started: Instant,
    /// Attempts a minute per address.
    limit: u32,
    /// Attempts so far (of any kind).
    attempts: u32,
}

impl Spray {
    /// Tries unknown names until the address is throttled. One attempt
    /// comes back every 60/`limit` s, so on a slow machine a few more
    /// than `limit` may pass.
    async fn until_throttled(&mut self, h: &Harness) {
        loop {
            self.attempts += 1;
            let name = format!("guess-{}", self.attempts);
            let reply = login_form(h, &name, "wrong-password", "/", &[]).await;
            if location(&reply).starts_with("/login?error=throttled") {
                expect_refused(&reply, "throttled");
                return;
            }
            expect_refused(&reply, "credentials");
            let elapsed = self.started.elapsed();
            let slack = u32::try_from(elapsed.as_secs() * u64::from(self.limit) / 60)
                .unwrap_or(u32::MAX)
                + 1;
            assert!(
                self.attempts <= self.limit.saturating_add(slack),
                "{} attempts from one address in {elapsed:?}, none throttled",
                self.attempts
            );
        }
    }
}

/// 2b. Twenty attempts a minute from one address, whatever the names:
/// then every name is throttled there, even with the right password.
/// Sessions already signed in keep working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_names_from_one_address_throttle_every_name() {
    let limits = AuthConfig::default();
    let h = Harness::start_with(shipped_limits()).await;
    let started = Instant::now();
    let signed_in = session_id(
        &login_form(&h, ADMIN, PASSWORD, "/", &[]).await,
        PLAIN_COOKIE,
    );
    let mut spray = Spray {
        started,
        limit: limits.login_attempts_per_address,
        attempts: 1,
    };
    spray.until_throttled(&h).await;
    let attempts = spray.attempts;
    assert!(
        attempts > limits.login_attempts_per_address,
        "throttled after only {attempts} attempts"
    );
    eprintln!(
        "address throttled at attempt {attempts}, {:?} after the first",
        started.elapsed()
    );

    // A real user with the right password is throttled too. (Should an
    // attempt have come back meanwhile, use it up and try again.)
    let mut refused = false;
    for _ in 0..3 {
        let right = login_form(&h, VIEWER, PASSWORD, "/", &[]).await;
        if location(&right) == "/" {
            spray.until_throttled(&h).await;
            continue;
        }
        expect_refused(&right, "throttled");
        refused = true;
        break;
    }
    assert!(refused, "the right password got in past the address limit");

    // Who is signed in stays signed in.
    assert_eq!(
        me(&h, PLAIN_COOKIE, &signed_in, &[]).await["name"],
        json!(ADMIN)
    );
    accounts(&h, PLAIN_COOKIE, &signed_in).await.expect_ok();
    let denied = audit(
        &h,
        AuditQuery {
            action: Some("login".into()),
            outcome: Some(Outcome::Denied),
            ..AuditQuery::default()
        },
    )
    .await;
    // Audited once per throttled burst (the right password's refusal
    // fell in the spray's burst), not once per refused attempt.
    assert!(
        !denied.is_empty() && denied.len() <= 3,
        "one row per burst: {denied:?}"
    );
    assert!(
        denied
            .iter()
            .all(|r| r.detail.as_deref() == Some("too many attempts")),
        "{denied:?}"
    );
    h.assert_no_secret_leaked();
}

/// 2c. A wrong password, an unknown name, a disabled user and an
/// absurdly long password all get the same answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_errors_never_reveal_whether_a_name_exists() {
    let h = Harness::start().await;
    users::set_disabled(&h.db, SPARE, true, None)
        .await
        .expect("disable");
    let long = "x".repeat(users::PASSWORD_MAX_CHARS + 1);
    let tries = [
        ("wrong password", VIEWER, "not-the-password"),
        ("unknown name", "nobody-here", "not-the-password"),
        ("unknown name, the password", "nobody-here", PASSWORD),
        ("disabled user, right password", SPARE, PASSWORD),
        ("too long a password", VIEWER, long.as_str()),
        ("empty name", "", PASSWORD),
    ];
    for next in ["/", "/tasks?tab=sync"] {
        let mut answers = Vec::new();
        for (label, name, password) in tries {
            let reply = login_form(&h, name, password, next, &[]).await;
            expect_no_cookie(&reply);
            answers.push((label, reply));
        }
        let (_, first) = &answers[0];
        assert!(
            location(first).starts_with("/login?error=credentials"),
            "{first:?}"
        );
        for (label, reply) in &answers {
            assert_eq!(
                (reply.status, location(reply), reply.body.as_str()),
                (first.status, location(first), first.body.as_str()),
                "{label} answered differently from a wrong password (next {next})"
            );
        }
    }
    h.assert_no_secret_leaked();
}

/// 3. Over plain HTTP the session cookie is `HttpOnly`, `SameSite=Strict`,
/// for the whole site, as long as a session may last, and not `Secure`
/// (a browser would drop it); there is no HSTS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_plain_http_the_session_cookie_is_strict_and_http_only() {
    let h = Harness::start().await;
    let login = login_form(&h, VIEWER, PASSWORD, "/", &[]).await;
    expect_redirect(&login, "/");
    let (_, attributes) = the_cookie(&login, PLAIN_COOKIE);
    let max_age = AuthConfig::default().absolute_hours * 3600;
    assert_eq!(max_age, 43_200);
    assert_eq!(
        attributes,
        format!("; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}")
    );
    let id = session_id(&login, PLAIN_COOKIE);
    assert!(login.header("strict-transport-security").is_none());
    let api = accounts(&h, PLAIN_COOKIE, &id).await;
    api.expect_ok();
    assert!(api.header("strict-transport-security").is_none());
    // The `__Host-` name is not read over plain HTTP.
    assert_eq!(me(&h, HOST_COOKIE, &id, &[]).await, Value::Null);
    h.assert_no_secret_leaked();
}

/// 3b. Behind HTTPS (`web.public_origin = https://…`) the cookie is
/// `__Host-` and `Secure`, the plain name is not accepted, every answer
/// carries HSTS, and posts must come from the public origin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_cookie_is_host_prefixed_and_secure_with_hsts() {
    let h = Harness::start_with(Options {
        public_origin: Some(PUBLIC_ORIGIN.to_owned()),
        ..Options::default()
    })
    .await;
    let browser = [("origin", PUBLIC_ORIGIN)];
    let hsts = |reply: &Reply| {
        let value = reply
            .header("strict-transport-security")
            .unwrap_or_default();
        let max_age = value
            .split(';')
            .find_map(|d| d.trim().strip_prefix("max-age="))
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
        assert!(
            max_age >= 180 * 24 * 3600,
            "{}: HSTS of at least half a year: {value:?}",
            reply.what
        );
    };

    let login = login_form(&h, VIEWER, PASSWORD, "/", &browser).await;
    expect_redirect(&login, "/");
    hsts(&login);
    let (_, attributes) = the_cookie(&login, HOST_COOKIE);
    assert_eq!(
        attributes,
        "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure"
    );
    let id = session_id(&login, HOST_COOKIE);

    // API answers, signed in or not, carry HSTS.
    let api = accounts(&h, HOST_COOKIE, &id).await;
    api.expect_ok();
    hsts(&api);
    let anonymous = h.get(&Auth::Anonymous, "/api/v1/accounts").await;
    anonymous.expect_error(401, "unauthenticated");
    hsts(&anonymous);
    assert_eq!(
        me(&h, HOST_COOKIE, &id, &browser).await,
        json!({"name": VIEWER, "role": "viewer"})
    );
    // A cookie without the prefix (which any subdomain or plain-HTTP
    // page could plant) is not a session.
    assert_eq!(me(&h, PLAIN_COOKIE, &id, &browser).await, Value::Null);
    accounts(&h, PLAIN_COOKIE, &id)
        .await
        .expect_error(401, "unauthenticated");

    // Posts from the server's own host name are cross-site now: only the
    // public origin counts.
    let own_host = login_form(&h, VIEWER, PASSWORD, "/", &[("origin", &h.base)]).await;
    own_host.expect_error(403, "forbidden");
    expect_no_cookie(&own_host);

    // Signing out clears the `__Host-` cookie, `Secure` like the one set.
    let logout = h
        .post_form(
            "/logout",
            &[],
            &[
                ("origin", PUBLIC_ORIGIN),
                ("cookie", &format!("{HOST_COOKIE}={id}")),
            ],
        )
        .await;
    expect_redirect(&logout, "/login?error=signed_out");
    hsts(&logout);
    let (value, attributes) = the_cookie(&logout, HOST_COOKIE);
    assert_eq!(value, "");
    assert_eq!(
        attributes,
        "; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
    );
    accounts(&h, HOST_COOKIE, &id)
        .await
        .expect_error(401, "unauthenticated");
    h.assert_no_secret_leaked();
}

/// 3c. Signing out clears the cookie and ends the session on the server:
/// the old id is worth nothing afterwards. Other sessions of the same
/// user (another browser) are not touched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_clears_the_cookie_and_ends_the_session() {
    let h = Harness::start().await;
    let id = h.new_session(OPERATOR).await;
    let other_browser = h.new_session(OPERATOR).await;
    accounts(&h, PLAIN_COOKIE, &id).await.expect_ok();

    let logout = h
        .post_form(
            "/logout",
            &[],
            &[("cookie", &format!("{PLAIN_COOKIE}={id}"))],
        )
        .await;
    expect_redirect(&logout, "/login?error=signed_out");
    let (value, attributes) = the_cookie(&logout, PLAIN_COOKIE);
    assert_eq!(value, "");
    assert_eq!(attributes, "; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");

    // The old id, replayed: 401 on the API, null from auth/me, and the
    // pages send it to the sign-in page.
    accounts(&h, PLAIN_COOKIE, &id)
        .await
        .expect_error(401, "unauthenticated");
    h.call(
        &Auth::Cookie(id.clone()),
        "hss/tasks",
        &json!({"account": HW, "request": {"type": "image_scan"}}),
    )
    .await
    .expect_error(401, "unauthenticated");
    assert_eq!(me(&h, PLAIN_COOKIE, &id, &[]).await, Value::Null);
    expect_redirect(
        &h.get(&Auth::Cookie(id.clone()), "/").await,
        "/login?next=%2F",
    );
    // Signing out again with it changes nothing and still clears.
    let again = h
        .post_form(
            "/logout",
            &[],
            &[("cookie", &format!("{PLAIN_COOKIE}={id}"))],
        )
        .await;
    expect_redirect(&again, "/login?error=signed_out");
    assert_eq!(the_cookie(&again, PLAIN_COOKIE).0, "");

    assert_eq!(
        me(&h, PLAIN_COOKIE, &other_browser, &[]).await["name"],
        json!(OPERATOR)
    );
    let rows = audit(
        &h,
        AuditQuery {
            action: Some("logout".into()),
            actor: Some(OPERATOR.into()),
            ..AuditQuery::default()
        },
    )
    .await;
    assert_eq!(rows.len(), 1, "one sign-out was real: {rows:?}");
    h.assert_no_secret_leaked();
}

/// 3d. Every sign-in gets a new session id; an id the browser already
/// had (planted by someone else, or its own) is never taken over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sign_in_gets_a_fresh_session_id() {
    let h = Harness::start().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(h.new_session(VIEWER).await);
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");

    // Session fixation: an id chosen before sign-in stays worthless.
    let planted = "ab".repeat(32);
    let login = login_form(
        &h,
        VIEWER,
        PASSWORD,
        "/",
        &[("cookie", &format!("{PLAIN_COOKIE}={planted}"))],
    )
    .await;
    expect_redirect(&login, "/");
    let fresh = session_id(&login, PLAIN_COOKIE);
    assert_ne!(fresh, planted);
    accounts(&h, PLAIN_COOKIE, &planted)
        .await
        .expect_error(401, "unauthenticated");
    accounts(&h, PLAIN_COOKIE, &fresh).await.expect_ok();

    // Signing in with a live session (as someone else, even) replaces it.
    let login = login_form(
        &h,
        OPERATOR,
        PASSWORD,
        "/",
        &[("cookie", &format!("{PLAIN_COOKIE}={fresh}"))],
    )
    .await;
    let switched = session_id(&login, PLAIN_COOKIE);
    assert!(!ids.contains(&switched) && switched != fresh);
    assert_eq!(
        me(&h, PLAIN_COOKIE, &switched, &[]).await,
        json!({"name": OPERATOR, "role": "operator"})
    );
    // ... and ends it: one browser, one session.
    assert_eq!(me(&h, PLAIN_COOKIE, &fresh, &[]).await, Value::Null);
    accounts(&h, PLAIN_COOKIE, &fresh)
        .await
        .expect_error(401, "unauthenticated");
    h.assert_no_secret_leaked();
}

/// Where a browser goes when it follows `reply`'s redirect from the site.
fn followed(h: &Harness, reply: &Reply) -> Url {
    Url::parse(&h.base)
        .expect("base URL")
        .join(location(reply))
        .unwrap_or_else(|e| panic!("{}: bad Location {:?}: {e}", reply.what, location(reply)))
}

/// 4. `next` (where the sign-in page was reached from) is followed after
/// sign-in only when it is a path on this site.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_stays_on_this_site() {
    let h = Harness::start().await;
    let site = Url::parse(&h.base).expect("base URL");
    for hostile in [
        "//evil.example/x",
        "https://evil.example",
        "http://evil.example/login",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ] {
        let login = login_form(&h, VIEWER, PASSWORD, hostile, &[]).await;
        expect_redirect(&login, "/");
        session_id(&login, PLAIN_COOKIE);
        // A refused sign-in keeps only a safe `next` too.
        let refused = login_form(&h, VIEWER, "wrong-password", hostile, &[]).await;
        expect_redirect(&refused, "/login?error=credentials&next=%2F");
    }
    for (kept, encoded) in [
        ("/images?namespace=a", "%2Fimages%3Fnamespace%3Da"),
        ("/tasks?tab=sync", "%2Ftasks%3Ftab%3Dsync"),
        ("/admin", "%2Fadmin"),
    ] {
        let login = login_form(&h, VIEWER, PASSWORD, kept, &[]).await;
        expect_redirect(&login, kept);
        let url = followed(&h, &login);
        assert_eq!(url.origin(), site.origin(), "{url}");
        let refused = login_form(&h, VIEWER, "wrong-password", kept, &[]).await;
        expect_redirect(
            &refused,
            &format!("/login?error=credentials&next={encoded}"),
        );
    }
    h.assert_no_secret_leaked();
}

/// 4b. Browsers drop tabs and newlines from a URL before resolving it, so
/// `/<TAB>/evil.example` is `//evil.example` to them; such a `next` must
/// not lead off the site either, nor break the sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_with_a_tab_or_newline_stays_on_this_site() {
    let h = Harness::start().await;
    let site = Url::parse(&h.base).expect("base URL");
    let mut problems = Vec::new();
    for hostile in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\t\\evil.example",
        "\t//evil.example",
    ] {
        let login = login_form(&h, VIEWER, PASSWORD, hostile, &[]).await;
        if login.status != StatusCode::SEE_OTHER {
            problems.push(format!(
                "next {hostile:?}: {} {:?} instead of a redirect (cookie set: {})",
                login.status,
                login.body,
                !set_cookies(&login).is_empty()
            ));
            continue;
        }
        let url = followed(&h, &login);
        if url.origin() != site.origin() {
            problems.push(format!(
                "next {hostile:?}: Location {:?} takes the browser to {url}",
                location(&login)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    h.assert_no_secret_leaked();
}

/// Sign-ins through the trusted proxy at 127.0.0.1 (the tests' peer),
/// with the shipped limits.
fn behind_proxy() -> Options {
    Options {
        shipped_login_limits: true,
        trusted_proxies: vec!["127.0.0.1/32".to_owned(), "::1/128".to_owned()],
        ..Options::default()
    }
}

fn via(addr: &str) -> [(&'static str, &str); 1] {
    [("x-forwarded-for", addr)]
}

/// 5. A stranger's failures from address A do not stop the right password
/// from address B: only failures count, strictly per name and address.
/// IPv6 counts per /64; in a proxy chain the rightmost untrusted hop is
/// the client, whatever the client wrote left of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_failures_do_not_lock_the_user_out_elsewhere() {
    let h = Harness::start_with(behind_proxy()).await;
    let stranger = via("203.0.113.7");
    for i in 0..8 {
        let reply = login_form(&h, ADMIN, &format!("guess-{i}"), "/", &stranger).await;
        let want = if i < 5 { "credentials" } else { "throttled" };
        expect_refused(&reply, want);
    }
    expect_refused(
        &login_form(&h, ADMIN, PASSWORD, "/", &stranger).await,
        "throttled",
    );
    // The admin, elsewhere, gets in.
    let admin = login_form(&h, ADMIN, PASSWORD, "/", &via("198.51.100.20")).await;
    expect_redirect(&admin, "/");
    session_id(&admin, PLAIN_COOKIE);

    for i in 0..5 {
        expect_refused(
            &login_form(
                &h,
                VIEWER,
                &format!("guess-{i}"),
                "/",
                &via("2001:db8:1:2::1"),
            )
            .await,
            "credentials",
        );
    }
    // The same /64 is the same place; the next /64 another.
    expect_refused(
        &login_form(&h, VIEWER, PASSWORD, "/", &via("2001:db8:1:2:ffff::9")).await,
        "throttled",
    );
    expect_refused(
        &login_form(
            &h,
            VIEWER,
            PASSWORD,
            "/",
            &via("198.51.100.99, 2001:db8:1:2::1, 127.0.0.1"),
        )
        .await,
        "throttled",
    );
    expect_redirect(
        &login_form(&h, VIEWER, PASSWORD, "/", &via("2001:db8:1:3::1")).await,
        "/",
    );
    h.assert_no_secret_leaked();
}

/// 5b. Forwarding headers from a peer that is not a trusted proxy are not
/// believed: claiming another address escapes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarding_headers_from_untrusted_peers_are_ignored() {
    let h = Harness::start_with(shipped_limits()).await;
    for i in 0..5 {
        expect_refused(
            &login_form(&h, VIEWER, &format!("guess-{i}"), "/", &via("203.0.113.7")).await,
            "credentials",
        );
    }
    expect_refused(
        &login_form(&h, VIEWER, PASSWORD, "/", &via("198.51.100.20")).await,
        "throttled",
    );
    expect_refused(
        &login_form(
            &h,
            VIEWER,
            PASSWORD,
            "/",
            &[("forwarded", "for=198.51.100.21")],
        )
        .await,
        "throttled",
    );
    h.assert_no_secret_leaked();
}

/// 5c. A name longer than any user's is refused at once, like a wrong
/// password: it is neither throttled (so not counted against the
/// address), nor hashed, nor audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_names_are_refused_before_throttling_or_hashing() {
    let h = Harness::start_with(shipped_limits()).await;
    let long = "n".repeat(users::NAME_MAX_CHARS + 1);
    for _ in 0..AuthConfig::default().login_attempts_per_address + 5 {
        expect_refused(
            &login_form(&h, &long, "whatever-password", "/", &[]).await,
            "credentials",
        );
    }
    expect_redirect(&login_form(&h, VIEWER, PASSWORD, "/", &[]).await, "/");
    let rows = audit(
        &h,
        AuditQuery {
            action: Some("login".into()),
            ..AuditQuery::default()
        },
    )
    .await;
    assert!(rows.iter().all(|r| r.outcome == Outcome::Ok), "{rows:?}");
    h.assert_no_secret_leaked();
}

/// 5d. A burst of throttled attempts is one audit row, not one each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_burst_is_one_audit_row() {
    let h = Harness::start_with(shipped_limits()).await;
    for i in 0..5 {
        expect_refused(
            &login_form(&h, OPERATOR, &format!("guess-{i}"), "/", &[]).await,
            "credentials",
        );
    }
    for i in 0..15 {
        expect_refused(
            &login_form(&h, OPERATOR, &format!("more-{i}"), "/", &[]).await,
            "throttled",
        );
    }
    let denied = audit(
        &h,
        AuditQuery {
            action: Some("login".into()),
            outcome: Some(Outcome::Denied),
            ..AuditQuery::default()
        },
    )
    .await;
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert_eq!(denied[0].actor, OPERATOR);
    h.assert_no_secret_leaked();
}

/// 5e. Password hashing is bounded: past the running hashes and the
/// queue, a sign-in is told 503 with `Retry-After` at once, so a flood
/// cannot take the blocking pool; afterwards sign-in works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flood_gets_503_with_retry_after() {
    let h = Harness::start_with(Options {
        hashing: Some((1, 0)),
        ..Options::default()
    })
    .await;
    let hr = &h;
    let replies = futures::future::join_all(
        (0..16).map(|_| async move { login_form(hr, VIEWER, PASSWORD, "/", &[]).await }),
    )
    .await;
    let busy = replies
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(busy > 0, "no sign-in was turned away: {replies:?}");
    for reply in &replies {
        if reply.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(reply.header("retry-after"), Some("5"), "{reply:?}");
            expect_no_cookie(reply);
        } else {
            expect_redirect(reply, "/");
        }
    }
    expect_redirect(&login_form(&h, VIEWER, PASSWORD, "/", &[]).await, "/");
    h.assert_no_secret_leaked();
}

/// 6. A user made another way (the CLI) while the setup token is live
/// closes setup for good: the token makes nobody, `/setup` leads to the
/// sign-in page and so does every page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_is_gone_once_any_user_exists() {
    let h = Harness::start_with(empty_console()).await;
    let token = h.setup_token().expect("a setup token at first start");
    expect_redirect(&h.get(&Auth::Anonymous, "/").await, "/setup");
    users::add(&h.db, ROOT, ROOT_PASSWORD, Role::Admin, None)
        .await
        .expect("add, as `scanport user add` does");
    let late = h
        .post_form(
            "/setup",
            &[
                ("token", &token),
                ("name", "intruder"),
                ("password", ROOT_PASSWORD),
            ],
            &[],
        )
        .await;
    expect_redirect(&late, "/login");
    expect_no_cookie(&late);
    assert_eq!(user_names(&h).await, vec![(ROOT.to_owned(), Role::Admin)]);
    assert_eq!(h.setup_token(), None, "spent");
    expect_redirect(&h.get(&Auth::Anonymous, "/setup").await, "/login");
    expect_redirect(&h.get(&Auth::Anonymous, "/").await, "/login?next=%2F");
    h.assert_no_secret_leaked();
}

/// 7. The last active admin can be neither demoted nor disabled from the
/// admin UI: 409 with a clear message. A disabled admin does not count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_stays() {
    let h = Harness::start().await;
    let admin = Auth::Cookie(h.new_session(ADMIN).await);
    let demote = |name: &str| json!({"name": name, "role": "operator"});
    let reply = h.call(&admin, "admin/users/role", &demote(ADMIN)).await;
    reply.expect_error(409, "conflict");
    assert!(reply.body.contains("last active admin"), "{reply:?}");
    assert!(
        user_names(&h)
            .await
            .contains(&(ADMIN.to_owned(), Role::Admin))
    );

    // A second admin; the first, disabled, no longer counts.
    h.call(
        &admin,
        "admin/users/role",
        &json!({"name": SPARE, "role": "admin"}),
    )
    .await
    .expect_ok();
    let spare = Auth::Cookie(h.new_session(SPARE).await);
    h.call(
        &spare,
        "admin/users/disable",
        &json!({"name": ADMIN, "disabled": true}),
    )
    .await
    .expect_ok();
    h.call(&spare, "admin/users/role", &demote(SPARE))
        .await
        .expect_error(409, "conflict");
    h.assert_no_secret_leaked();
}

/// 5f. A flood of 1,000 sign-ins (200 in flight at a time, wrong
/// passwords, the shipped hashing bounds: 4 hashing, 32 waiting) never
/// holds more than the bounds; the rest are refused at once with 503 and
/// `Retry-After`. Run with `--nocapture` for the figures
/// (docs/RELIABILITY.md, Security).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_1000_sign_ins_stays_within_the_hashing_bounds() {
    use futures::StreamExt;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let h = Harness::start().await;
    let gate = h.sign_in.hashing.clone();
    let (running, peak) = (
        std::sync::Arc::new(AtomicBool::new(true)),
        std::sync::Arc::new(AtomicUsize::new(0)),
    );
    let sampler = {
        let (running, peak, gate) = (running.clone(), peak.clone(), gate.clone());
        tokio::spawn(async move {
            while running.load(Ordering::SeqCst) {
                peak.fetch_max(gate.inside(), Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        })
    };
    let started = std::time::Instant::now();
    let hr = &h;
    let replies: Vec<Reply> = futures::stream::iter(0..1000)
        .map(|i| async move {
            let name = format!("flood-{i}");
            login_form(hr, &name, "wrong-password-for-a-flood", "/", &[]).await
        })
        .buffer_unordered(200)
        .collect()
        .await;
    let took = started.elapsed();
    running.store(false, Ordering::SeqCst);
    sampler.await.expect("sampler");
    let mut by_status = std::collections::BTreeMap::new();
    for reply in &replies {
        *by_status.entry(reply.status.as_u16()).or_insert(0usize) += 1;
        if reply.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(reply.header("retry-after"), Some("5"), "{reply:?}");
            expect_no_cookie(reply);
        } else {
            assert!(!reply.status.is_server_error(), "{reply:?}");
        }
    }
    let peak = peak.load(Ordering::SeqCst);
    eprintln!(
        "sign-in flood: 1000 attempts in {took:?}; answers by status {by_status:?}; \
         peak hashing + waiting {peak} (bound 36)"
    );
    assert!(peak <= 36, "the gate held {peak}");
    assert!(
        by_status.get(&503).copied().unwrap_or(0) > 0,
        "{by_status:?}"
    );
    assert_eq!(gate.inside(), 0, "every place came back");
    h.assert_no_secret_leaked();
}
