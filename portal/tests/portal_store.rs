//! The portal's storage as a user meets it: every scenario runs against a
//! fresh SQLite file and, when `SCANPORT_TEST_POSTGRES_URL` is set, a fresh
//! PostgreSQL database (tests `sqlite::*` and `postgres::*`).
//!
//! PostgreSQL isolation: the variable names a database that a role allowed
//! to `CREATE DATABASE` can connect to (scripts/test.sh starts a throwaway
//! cluster and sets it). Each test creates its own `scanport_test_<uuid>`
//! through that connection, runs the migrations there and drops it again
//! when it passes. So tests run in parallel without seeing each other's
//! rows, and a rerun starts clean whatever an earlier run left behind: a
//! failed test's database stays for inspection, and names never repeat.
//! A database per test rather than a schema per test: the migrations and
//! `_sqlx_migrations` then need no `search_path` tricks.
//!
//! Unset (or empty), the PostgreSQL tests pass after saying they were
//! skipped; set but unreachable, they fail, so CI cannot skip silently.
//!
//! Times are moved by backdating rows with SQL; one 0.3 s sleep checks a
//! caller-chosen tiny `SessionPolicy`.

use scanport_portal::audit::{self, Finish, NewEntry};
use scanport_portal::idempotency::{self, Claim};
use scanport_portal::live_feeds::{self, Turn};
use scanport_portal::sessions::{self, SessionPolicy};
use scanport_portal::throttle::LoginThrottle;
use scanport_portal::{
    AuditEntry, AuditQuery, Db, Outcome, PortalError, Role, Scope, Via, now_ms, tokens, users,
};
use scanport_portal::{call_slots, findings, overviews};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor, Row};
use std::io::Write;
use std::net::IpAddr;
use std::time::{Duration, Instant};

const PG_ENV: &str = "SCANPORT_TEST_POSTGRES_URL";
const PASSWORD: &str = "correct horse battery";

// ---- one fresh database per test ----

struct Target {
    db: Db,
    url: String,
    /// Keeps the SQLite file until the test ends.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the admin URL and the database to drop afterwards.
    pg: Option<(String, String)>,
}

impl Target {
    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = Db::sqlite_url(dir.path());
        let db = Db::connect(&url).await.expect("open SQLite");
        let _dir = Some(dir);
        Self {
            db,
            url,
            _dir,
            pg: None,
        }
    }

    async fn postgres() -> Option<Self> {
        let Some(admin) = std::env::var(PG_ENV).ok().filter(|v| !v.is_empty()) else {
            static SAID: std::sync::Once = std::sync::Once::new();
            // Straight to stderr: the harness hides what passing tests print.
            // One write, so the harness's own lines do not split it.
            SAID.call_once(|| {
                let line = format!("\n{PG_ENV} is not set: PostgreSQL portal tests skipped\n");
                let _ = std::io::stderr().write_all(line.as_bytes());
            });
            return None;
        };
        let name = format!("scanport_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = pg_admin(&admin).await;
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE (does the role have CREATEDB?)");
        conn.close().await.ok();
        let url = with_database(&admin, &name);
        let db = Db::connect(&url).await.expect("open PostgreSQL");
        let pg = Some((admin, name));
        Some(Self {
            db,
            url,
            _dir: None,
            pg,
        })
    }

    /// Closes the pool and drops a PostgreSQL test database (reached only
    /// when the test passed).
    async fn cleanup(self) {
        self.db.pool().close().await;
        if let Some((admin, name)) = self.pg {
            let mut conn = pg_admin(&admin).await;
            conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .expect("DROP DATABASE");
        }
    }
}

async fn pg_admin(url: &str) -> sqlx::PgConnection {
    let connect = sqlx::PgConnection::connect(url);
    match tokio::time::timeout(Duration::from_secs(30), connect).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => panic!("{PG_ENV} is set but PostgreSQL refused: {e}"),
        Err(_) => panic!("{PG_ENV} is set but PostgreSQL did not answer within 30 s"),
    }
}

/// `url` with its database (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    let mut out = format!("{}/{name}", &base[..path]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Generates `sqlite::<scenario>` and `postgres::<scenario>` tests.
macro_rules! on_each_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let target = super::Target::sqlite().await;
                    super::$scenario(&target).await;
                    target.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let Some(target) = super::Target::postgres().await else { return };
                    super::$scenario(&target).await;
                    target.cleanup().await;
                }
            )*
        }
    };
}

on_each_backend!(
    users_add_and_verify,
    users_duplicate_name_conflicts,
    users_name_and_password_rules,
    users_role_change_applies_to_next_request,
    users_disable_ends_sessions_and_tokens,
    users_new_password_ends_sessions,
    users_last_active_admin_stays,
    users_first_admin_only_while_nobody_exists,
    sessions_authenticate_with_current_role,
    sessions_reject_malformed_and_unknown_ids,
    sessions_idle_expiry,
    sessions_absolute_expiry,
    sessions_end_by_hash,
    sessions_purge_expired,
    tokens_create_and_authenticate,
    tokens_revoke,
    tokens_expiry,
    tokens_input_rules,
    tokens_scoped_to_a_role_and_accounts,
    service_users_act_only_through_tokens,
    secrets_are_stored_hashed,
    audit_begin_then_finish,
    audit_filters_pages_and_order,
    audit_close_interrupted_only_old_pending,
    audit_prune_drops_only_old_finished_rows,
    backup_copies_sqlite_and_points_postgres_at_pg_dump,
    idempotency_lifecycle,
    idempotency_key_rules,
    idempotency_users_are_independent,
    idempotency_keys_expire_after_a_day,
    idempotency_concurrent_claims,
    migrations_run_twice,
    findings_follow_the_scan_time,
    overviews_one_gathering_at_a_time,
    call_slots_keep_replicas_apart,
    live_feeds_one_refresh_at_a_time,
    throttle_limits_each_name,
    throttle_limits_each_address,
    throttle_shared_by_replicas,
);

// ---- small helpers ----

fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

fn policy() -> SessionPolicy {
    SessionPolicy::default()
}

fn policy_ms() -> (i64, i64) {
    let ms = |d: Duration| i64::try_from(d.as_millis()).expect("ms");
    (ms(policy().idle), ms(policy().absolute))
}

/// Adds a user with [`PASSWORD`] and returns their id.
async fn user(db: &Db, name: &str, role: Role) -> String {
    users::add(db, name, PASSWORD, role, None)
        .await
        .expect("add user");
    users::id_of(db, name).await.expect("id_of")
}

async fn session_ok(db: &Db, raw: &str) -> bool {
    let found = sessions::authenticate(db, raw, policy()).await;
    found.expect("session auth").is_some()
}

async fn token_ok(db: &Db, raw: &str) -> bool {
    tokens::authenticate(db, raw)
        .await
        .expect("token auth")
        .is_some()
}

async fn password_ok(db: &Db, name: &str, password: &str) -> bool {
    let found = users::verify(db, name, password).await;
    found.expect("verify").is_some()
}

async fn new_session(db: &Db, user_id: &str) -> String {
    sessions::create(db, user_id).await.expect("session")
}

async fn new_token(db: &Db, user: &str, label: &str, days: Option<u32>) -> (String, String) {
    let (info, raw) = tokens::create(db, user, label, days, None)
        .await
        .expect("token");
    (info.id, raw)
}

/// `UPDATE <table> SET <column> = value WHERE <key> = key_value`.
async fn set_i64(db: &Db, table: &str, column: &str, value: i64, key: &str, key_value: &str) {
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2");
    let done = sqlx::query(&sql)
        .bind(value)
        .bind(key_value)
        .execute(db.pool())
        .await
        .expect("update");
    assert_eq!(done.rows_affected(), 1, "{sql} with {key_value}");
}

/// Backdates one session's column by its cookie.
async fn set_session(db: &Db, raw: &str, column: &str, value: i64) {
    set_i64(db, "sessions", column, value, "id_hash", &sha256_hex(raw)).await;
}

async fn count(db: &Db, sql: &str, bind: &str) -> i64 {
    let row = sqlx::query(sql).bind(bind).fetch_one(db.pool()).await;
    row.expect("count").try_get(0).expect("count column")
}

async fn sessions_of(db: &Db, user_id: &str) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
        user_id,
    )
    .await
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T, PortalError>, field: &str) {
    match result {
        Err(PortalError::Invalid { field: f, .. }) if f == field => {}
        other => panic!("expected Invalid({field}), got {other:?}"),
    }
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, PortalError>) {
    assert!(
        matches!(result, Err(PortalError::NotFound(_))),
        "{result:?}"
    );
}

// ---- users ----

async fn users_add_and_verify(t: &Target) {
    let db = &t.db;
    let info = users::add(db, "alice", PASSWORD, Role::Operator, None).await;
    let info = info.expect("add");
    assert_eq!(info.name, "alice");
    assert_eq!((info.role, info.disabled), (Role::Operator, false));
    assert!((now_ms() - info.created_at_ms).abs() < 60_000);

    let found = users::verify(db, "alice", PASSWORD).await.expect("verify");
    let found = found.expect("the right password signs in");
    assert_eq!((found.name.as_str(), found.role), ("alice", Role::Operator));
    assert_eq!(found.id, users::id_of(db, "alice").await.expect("id"));

    assert!(!password_ok(db, "alice", "correct horse battery!").await);
    assert!(!password_ok(db, "alice", "").await);
    assert!(!password_ok(db, "mallory", PASSWORD).await, "unknown name");
    // Names match exactly, on both backends.
    assert!(!password_ok(db, "ALICE", PASSWORD).await);

    assert_eq!(users::count(db).await.expect("count"), 1);
    assert_eq!(users::list(db).await.expect("list"), vec![info]);
    assert_not_found(users::id_of(db, "mallory").await);
}

async fn users_duplicate_name_conflicts(t: &Target) {
    let db = &t.db;
    user(db, "bob", Role::Viewer).await;
    let again = users::add(db, "bob", "another password", Role::Admin, None).await;
    assert!(matches!(again, Err(PortalError::Conflict(_))), "{again:?}");
    assert_eq!(users::count(db).await.expect("count"), 1);
    // The first bob is untouched.
    let bob = users::verify(db, "bob", PASSWORD).await.expect("verify");
    assert_eq!(bob.expect("bob").role, Role::Viewer);
}

async fn users_name_and_password_rules(t: &Target) {
    let db = &t.db;
    let add =
        async |name: &str, password: &str| users::add(db, name, password, Role::Viewer, None).await;
    // Refused before any hashing or writing.
    assert_invalid(add("p7", &"x".repeat(7)).await, "password");
    assert_invalid(add("p129", &"x".repeat(129)).await, "password");
    assert_invalid(add("", PASSWORD).await, "name");
    assert_invalid(add(&"n".repeat(65), PASSWORD).await, "name");
    for bad in ["has space", "semi;colon", "ünïcode", "quote'", "slash/"] {
        assert_invalid(add(bad, PASSWORD).await, "name");
    }
    assert_eq!(users::count(db).await.expect("count"), 0);

    // The bounds themselves are accepted, and those passwords work.
    let (p8, p128) = ("x".repeat(8), "y".repeat(128));
    let long_name = format!("{}.-_@", "n".repeat(60));
    add("p8", &p8).await.expect("8 chars");
    add(&long_name, &p128)
        .await
        .expect("128 chars, 64-char name");
    assert!(password_ok(db, "p8", &p8).await);
    assert!(password_ok(db, &long_name, &p128).await);
    // Characters, not bytes: 8 two-byte letters are 8 characters.
    assert!(users::validate_password(&"é".repeat(8)).is_ok());
    assert!(users::validate_password(&"é".repeat(7)).is_err());
    assert!(users::validate_password(&"é".repeat(128)).is_ok());
}

async fn users_role_change_applies_to_next_request(t: &Target) {
    let db = &t.db;
    // Another admin, so carol is never the last one (see
    // users_last_active_admin_stays).
    user(db, "root", Role::Admin).await;
    let id = user(db, "carol", Role::Viewer).await;
    let cookie = new_session(db, &id).await;
    let (_, token) = new_token(db, "carol", "ci", None).await;
    let roles = async || {
        let s = sessions::authenticate(db, &cookie, policy()).await;
        let k = tokens::authenticate(db, &token).await;
        let s = s.expect("auth").expect("session live");
        (s.role, k.expect("auth").expect("token live").role)
    };
    assert_eq!(roles().await, (Role::Viewer, Role::Viewer));
    users::set_role(db, "carol", Role::Admin, None)
        .await
        .expect("role");
    assert_eq!(roles().await, (Role::Admin, Role::Admin));
    users::set_role(db, "carol", Role::Operator, None)
        .await
        .expect("role");
    assert_eq!(roles().await, (Role::Operator, Role::Operator));
    assert_not_found(users::set_role(db, "nobody", Role::Admin, None).await);
}

async fn users_disable_ends_sessions_and_tokens(t: &Target) {
    let db = &t.db;
    let id = user(db, "dave", Role::Operator).await;
    let other = user(db, "erin", Role::Operator).await;
    let s1 = new_session(db, &id).await;
    let s2 = new_session(db, &id).await;
    let erin = new_session(db, &other).await;
    let (_, token) = new_token(db, "dave", "ci", None).await;
    assert!(token_ok(db, &token).await);

    users::set_disabled(db, "dave", true, None)
        .await
        .expect("disable");
    assert!(!session_ok(db, &s1).await && !session_ok(db, &s2).await);
    assert_eq!(sessions_of(db, &id).await, 0, "deleted, not just refused");
    assert!(!token_ok(db, &token).await);
    assert!(!password_ok(db, "dave", PASSWORD).await);
    let listed = users::list(db).await.expect("list");
    assert!(listed.iter().any(|u| u.name == "dave" && u.disabled));
    assert!(session_ok(db, &erin).await, "other users are untouched");

    // Enabling again: sign-in and the token work (by design the token
    // was only refused, not revoked); the old sessions stay ended.
    users::set_disabled(db, "dave", false, None)
        .await
        .expect("enable");
    assert!(password_ok(db, "dave", PASSWORD).await);
    assert!(token_ok(db, &token).await);
    assert!(!session_ok(db, &s1).await);
    assert_not_found(users::set_disabled(db, "nobody", true, None).await);
}

fn assert_last_admin<T: std::fmt::Debug>(result: Result<T, PortalError>) {
    match result {
        Err(PortalError::Conflict(message)) => {
            assert!(message.contains("last active admin"), "{message}");
        }
        other => panic!("expected the last-admin conflict, got {other:?}"),
    }
}

/// The last enabled admin can be neither demoted nor disabled (the admin
/// UI and the CLI both go through these), whoever asks.
async fn users_last_active_admin_stays(t: &Target) {
    let db = &t.db;
    user(db, "ada", Role::Admin).await;
    user(db, "bob", Role::Viewer).await;
    assert_last_admin(users::set_role(db, "ada", Role::Operator, None).await);
    assert_last_admin(users::set_disabled(db, "ada", true, None).await);
    // A second admin, disabled, does not count.
    user(db, "cy", Role::Admin).await;
    users::set_disabled(db, "cy", true, None)
        .await
        .expect("disable cy");
    assert_last_admin(users::set_role(db, "ada", Role::Viewer, None).await);
    // Enabled, it does: now ada may go, and then cy is the last.
    users::set_disabled(db, "cy", false, None)
        .await
        .expect("enable cy");
    users::set_role(db, "ada", Role::Viewer, None)
        .await
        .expect("demote ada");
    assert_last_admin(users::set_disabled(db, "cy", true, None).await);
    // Harmless changes still work: admin to admin, others, enabling.
    users::set_role(db, "cy", Role::Admin, None)
        .await
        .expect("same role");
    users::set_disabled(db, "bob", true, None)
        .await
        .expect("disable bob");
    let admins: Vec<_> = users::list(db)
        .await
        .expect("list")
        .into_iter()
        .filter(|u| u.role == Role::Admin && !u.disabled)
        .map(|u| u.name)
        .collect();
    assert_eq!(admins, vec!["cy".to_owned()]);
}

/// The setup path: one admin while there is no user, racing or not;
/// nothing once any user exists.
async fn users_first_admin_only_while_nobody_exists(t: &Target) {
    let db = &t.db;
    let (a, b, c, d) = tokio::join!(
        users::add_first_admin(db, "r1", PASSWORD),
        users::add_first_admin(db, "r2", PASSWORD),
        users::add_first_admin(db, "r3", PASSWORD),
        users::add_first_admin(db, "r4", PASSWORD),
    );
    let made: Vec<_> = [a, b, c, d]
        .into_iter()
        .map(|r| r.expect("no error"))
        .filter_map(|u| u.map(|u| u.name))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(users::count(db).await.expect("count"), 1);
    assert!(
        users::add_first_admin(db, "later", PASSWORD)
            .await
            .expect("no error")
            .is_none()
    );
    assert_eq!(users::count(db).await.expect("count"), 1);
}

async fn users_new_password_ends_sessions(t: &Target) {
    let db = &t.db;
    let id = user(db, "frank", Role::Viewer).await;
    let cookie = new_session(db, &id).await;

    // A refused password changes nothing.
    assert_invalid(users::set_password(db, "frank", "short").await, "password");
    assert!(session_ok(db, &cookie).await);

    let new = "a brand new secret";
    users::set_password(db, "frank", new)
        .await
        .expect("set_password");
    assert!(
        !session_ok(db, &cookie).await,
        "a new password ends sessions"
    );
    assert!(!password_ok(db, "frank", PASSWORD).await);
    assert!(password_ok(db, "frank", new).await);
    assert_not_found(users::set_password(db, "nobody", "long enough").await);
}

// ---- sessions ----

async fn sessions_authenticate_with_current_role(t: &Target) {
    let db = &t.db;
    let id = user(db, "gina", Role::Operator).await;
    let a = new_session(db, &id).await;
    let b = new_session(db, &id).await;
    assert_ne!(a, b, "every sign-in gets a fresh id");
    assert_eq!(a.len(), 64);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));

    let p = sessions::authenticate(db, &a, policy())
        .await
        .expect("auth");
    let p = p.expect("live session");
    assert_eq!((p.user_id.as_str(), p.name.as_str()), (id.as_str(), "gina"));
    assert_eq!(p.role, Role::Operator);
    assert_eq!(
        p.via,
        Via::Session {
            id_hash: sha256_hex(&a)
        }
    );
    assert_eq!(
        (p.via_label().as_str(), p.me().name.as_str()),
        ("session", "gina")
    );
    let again = sessions::authenticate(db, &a, policy()).await;
    assert_eq!(again.expect("auth"), Some(p), "keeps working");
}

async fn sessions_reject_malformed_and_unknown_ids(t: &Target) {
    let db = &t.db;
    let id = user(db, "hank", Role::Viewer).await;
    let real = new_session(db, &id).await;
    let (_, token) = new_token(db, "hank", "", None).await;
    let candidates = [
        String::new(),
        "short".into(),
        real[..63].to_owned(),
        format!("{real}0"),
        format!(" {}", &real[1..]),
        "z".repeat(64),
        "0".repeat(64),
        real.to_uppercase(),
        // What is stored is not a way in.
        sha256_hex(&real),
        token,
    ];
    for raw in candidates {
        assert!(!session_ok(db, &raw).await, "{raw:?} must not authenticate");
    }
    assert!(session_ok(db, &real).await);
}

async fn sessions_idle_expiry(t: &Target) {
    let db = &t.db;
    let id = user(db, "ivan", Role::Viewer).await;
    let (idle_ms, _) = policy_ms();

    // Last used a minute inside the idle limit: still live, and this use
    // counts (last_seen_at moves to now).
    let live = new_session(db, &id).await;
    set_session(db, &live, "last_seen_at", now_ms() - idle_ms + 60_000).await;
    assert!(session_ok(db, &live).await, "within the idle limit");
    let seen: i64 = sqlx::query("SELECT last_seen_at FROM sessions WHERE id_hash = $1")
        .bind(sha256_hex(&live))
        .fetch_one(db.pool())
        .await
        .expect("row")
        .get(0);
    assert!(now_ms() - seen < 60_000, "a use refreshes last_seen_at");

    // Idle a second too long: ended and deleted.
    let stale = new_session(db, &id).await;
    set_session(db, &stale, "last_seen_at", now_ms() - idle_ms - 1_000).await;
    assert!(!session_ok(db, &stale).await, "an idle session ends");
    assert_eq!(sessions_of(db, &id).await, 1, "and its row is gone");

    // A short policy of the caller's choosing is honoured too.
    let brief = SessionPolicy {
        idle: Duration::from_millis(200),
        absolute: Duration::from_secs(3600),
    };
    let quick = new_session(db, &id).await;
    let found = sessions::authenticate(db, &quick, brief).await;
    assert!(found.expect("auth").is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let found = sessions::authenticate(db, &quick, brief).await;
    assert!(found.expect("auth").is_none());
    assert!(
        session_ok(db, &live).await,
        "the other session is unaffected"
    );
}

async fn sessions_absolute_expiry(t: &Target) {
    let db = &t.db;
    let id = user(db, "judy", Role::Viewer).await;
    let (_, absolute_ms) = policy_ms();
    // In use a second ago, but signed in too long ago.
    let old = new_session(db, &id).await;
    set_session(db, &old, "created_at", now_ms() - absolute_ms - 1_000).await;
    set_session(db, &old, "last_seen_at", now_ms() - 1_000).await;
    assert!(!session_ok(db, &old).await, "ends even an active session");
    assert_eq!(sessions_of(db, &id).await, 0);

    // Just inside the limit still works.
    let fresh = new_session(db, &id).await;
    set_session(db, &fresh, "created_at", now_ms() - absolute_ms + 60_000).await;
    assert!(session_ok(db, &fresh).await);
}

async fn sessions_end_by_hash(t: &Target) {
    let db = &t.db;
    let id = user(db, "kate", Role::Viewer).await;
    let a = new_session(db, &id).await;
    let b = new_session(db, &id).await;
    let p = sessions::authenticate(db, &a, policy())
        .await
        .expect("auth");
    let Some(Via::Session { id_hash }) = p.map(|p| p.via) else {
        panic!("a session principal")
    };
    sessions::end_by_hash(db, &id_hash).await.expect("sign out");
    assert!(!session_ok(db, &a).await);
    assert!(session_ok(db, &b).await, "other browsers stay signed in");
    sessions::end_by_hash(db, &id_hash)
        .await
        .expect("ending twice is fine");
}

async fn sessions_purge_expired(t: &Target) {
    let db = &t.db;
    let id = user(db, "liam", Role::Viewer).await;
    let (idle_ms, absolute_ms) = policy_ms();
    let live = new_session(db, &id).await;
    let idle = new_session(db, &id).await;
    let old = new_session(db, &id).await;
    set_session(db, &idle, "last_seen_at", now_ms() - idle_ms - 1_000).await;
    set_session(db, &old, "created_at", now_ms() - absolute_ms - 1_000).await;

    assert_eq!(
        sessions::purge_expired(db, policy()).await.expect("purge"),
        2
    );
    assert_eq!(sessions_of(db, &id).await, 1);
    assert!(session_ok(db, &live).await);
    assert_eq!(
        sessions::purge_expired(db, policy()).await.expect("purge"),
        0
    );
}

// ---- API tokens ----

async fn tokens_create_and_authenticate(t: &Target) {
    let db = &t.db;
    let id = user(db, "mia", Role::Operator).await;
    let made = tokens::create(db, "mia", "nightly sync", None, None).await;
    let (info, raw) = made.expect("token");
    let hex_part = raw.strip_prefix("spt_").expect("spt_ prefix");
    assert_eq!(hex_part.len(), 64, "{raw}");
    assert!(
        hex_part
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    );
    assert_eq!(
        (info.user.as_str(), info.label.as_str()),
        ("mia", "nightly sync")
    );
    assert_eq!((info.expires_at_ms, info.last_used_at_ms), (None, None));
    assert!(!info.revoked);

    let (dated, _) = tokens::create(db, "mia", "", Some(30), None)
        .await
        .expect("token");
    let thirty_days = 30 * 86_400_000;
    assert_eq!(dated.expires_at_ms, Some(dated.created_at_ms + thirty_days));

    let p = tokens::authenticate(db, &raw).await.expect("auth");
    let p = p.expect("live token");
    assert_eq!((p.user_id.as_str(), p.name.as_str()), (id.as_str(), "mia"));
    assert_eq!(p.role, Role::Operator);
    assert_eq!(
        p.via,
        Via::Token {
            id: info.id.clone()
        }
    );
    assert_eq!(
        p.via_label(),
        format!("token:{}", info.id),
        "names the token"
    );

    let listed = tokens::list(db).await.expect("list");
    let ids: Vec<&str> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [dated.id.as_str(), info.id.as_str()], "newest first");
    assert!(listed[1].last_used_at_ms.is_some(), "a use is recorded");
    assert_eq!(listed[0].last_used_at_ms, None);
}

async fn tokens_revoke(t: &Target) {
    let db = &t.db;
    user(db, "noah", Role::Operator).await;
    let (old, raw) = new_token(db, "noah", "old", None).await;
    let (_, other) = new_token(db, "noah", "new", None).await;
    tokens::revoke(db, &old, None).await.expect("revoke");
    assert!(!token_ok(db, &raw).await);
    assert!(token_ok(db, &other).await, "the user's other token works");
    let listed = tokens::list(db).await.expect("list");
    assert!(listed.iter().any(|i| i.id == old && i.revoked));
    assert!(listed.iter().any(|i| i.label == "new" && !i.revoked));
    tokens::revoke(db, &old, None)
        .await
        .expect("revoking twice is fine");
    assert_not_found(tokens::revoke(db, "no-such-token", None).await);
}

async fn tokens_expiry(t: &Target) {
    let db = &t.db;
    user(db, "olga", Role::Viewer).await;
    let (id, raw) = new_token(db, "olga", "", Some(1)).await;
    assert!(token_ok(db, &raw).await);
    set_i64(db, "api_tokens", "expires_at", now_ms() - 1, "id", &id).await;
    assert!(!token_ok(db, &raw).await, "expired");
    set_i64(db, "api_tokens", "expires_at", now_ms() + 60_000, "id", &id).await;
    assert!(token_ok(db, &raw).await);
}

async fn tokens_input_rules(t: &Target) {
    let db = &t.db;
    user(db, "pete", Role::Viewer).await;
    let create =
        async |label: &str, days: Option<u32>| tokens::create(db, "pete", label, days, None).await;
    assert_invalid(create("", Some(0)).await, "expires_days");
    assert_invalid(create("", Some(3651)).await, "expires_days");
    assert_invalid(create(&"l".repeat(101), None).await, "label");
    assert_not_found(tokens::create(db, "nobody", "", None, None).await);
    assert!(
        tokens::list(db).await.expect("list").is_empty(),
        "none written"
    );
    create("", Some(1)).await.expect("1 day");
    create("", Some(3650)).await.expect("3650 days");
    create(&"l".repeat(100), None)
        .await
        .expect("100-char label");

    let bogus = [
        String::new(),
        "spt_".into(),
        format!("spt_{}", "a".repeat(63)),
        format!("xyz_{}", "a".repeat(64)),
        format!("spt_{}", "a".repeat(64)),
        "a".repeat(64),
    ];
    for raw in bogus {
        assert!(!token_ok(db, &raw).await, "{raw:?}");
    }
}

async fn tokens_scoped_to_a_role_and_accounts(t: &Target) {
    let db = &t.db;
    user(db, "rita", Role::Operator).await;
    let scope = Scope {
        role: Some(Role::Viewer),
        accounts: Some(vec!["prod-hss".to_owned(), "prod-tcss".to_owned()]),
    };
    let (info, raw) = tokens::create_scoped(db, "rita", "dashboards", Some(30), &scope, None)
        .await
        .expect("scoped token");
    assert_eq!(info.role, Some(Role::Viewer));
    assert_eq!(info.accounts, scope.accounts);
    let p = tokens::authenticate(db, &raw).await.expect("auth");
    let p = p.expect("live token");
    assert_eq!(
        p.role,
        Role::Viewer,
        "the token's cap, below its user's role"
    );
    assert_eq!(p.scope, scope);
    assert!(p.allows_account("prod-tcss"));
    assert!(!p.allows_account("staging-hss"));
    let listed = tokens::list(db).await.expect("list");
    assert_eq!(
        (listed[0].role, listed[0].accounts.clone()),
        (Some(Role::Viewer), scope.accounts.clone()),
        "the listing shows the scope"
    );

    // A cap above the user's role is refused; demoting the user later
    // lowers the token with them.
    let above = Scope {
        role: Some(Role::Admin),
        accounts: None,
    };
    let refused = tokens::create_scoped(db, "rita", "", None, &above, None).await;
    assert_invalid(refused, "role");
    let operator = Scope {
        role: Some(Role::Operator),
        accounts: None,
    };
    let (_, capped) = tokens::create_scoped(db, "rita", "", None, &operator, None)
        .await
        .expect("a cap equal to the user's role");
    users::set_role(db, "rita", Role::Viewer, None)
        .await
        .expect("demote");
    let p = tokens::authenticate(db, &capped).await.expect("auth");
    assert_eq!(p.expect("live").role, Role::Viewer, "never above its user");

    // The account list's own shape.
    let with_accounts = |accounts: Vec<&str>| Scope {
        role: None,
        accounts: Some(accounts.into_iter().map(str::to_owned).collect()),
    };
    for bad in [vec![], vec![""], vec!["a", "a"], vec!["x"; 101]] {
        let refused = tokens::create_scoped(db, "rita", "", None, &with_accounts(bad), None).await;
        assert_invalid(refused, "accounts");
    }
    assert_eq!(
        tokens::list(db).await.expect("list").len(),
        2,
        "none written"
    );
}

async fn service_users_act_only_through_tokens(t: &Target) {
    let db = &t.db;
    let bot = users::add_service(db, "ci-bot", Role::Operator, None)
        .await
        .expect("service user");
    assert!(bot.service);
    assert!(
        !password_ok(db, "ci-bot", "").await,
        "no password signs it in"
    );
    assert_invalid(users::set_password(db, "ci-bot", PASSWORD).await, "name");
    assert!(!password_ok(db, "ci-bot", PASSWORD).await);
    let (_, raw) = new_token(db, "ci-bot", "pipeline", Some(30)).await;
    let p = tokens::authenticate(db, &raw).await.expect("auth");
    assert_eq!(p.expect("its token works").role, Role::Operator);
    let listed = users::list(db).await.expect("list");
    assert!(listed.iter().any(|u| u.name == "ci-bot" && u.service));
    assert!(matches!(
        users::add_service(db, "ci-bot", Role::Viewer, None).await,
        Err(PortalError::Conflict(_))
    ));

    // A service admin is not a person who can sign in: the last person
    // who is an admin stays one.
    user(db, "root", Role::Admin).await;
    users::add_service(db, "admin-bot", Role::Admin, None)
        .await
        .expect("service admin");
    assert!(matches!(
        users::set_role(db, "root", Role::Viewer, None).await,
        Err(PortalError::Conflict(_))
    ));
}

async fn secrets_are_stored_hashed(t: &Target) {
    let db = &t.db;
    let id = user(db, "quinn", Role::Admin).await;
    let mut raws = vec![new_session(db, &id).await];
    for label in ["a", "b", "c"] {
        let (_, raw) = new_token(db, "quinn", label, Some(7)).await;
        assert!(token_ok(db, &raw).await);
        raws.push(raw);
    }
    // Every text column of the tables that hold them.
    let text_columns = [
        ("api_tokens", "id, token_hash, user_id, label"),
        ("sessions", "id_hash, user_id"),
        ("users", "id, name, password_hash, role"),
    ];
    let mut seen = 0;
    for (table, columns) in text_columns {
        let sql = format!("SELECT {columns} FROM {table}");
        let rows = sqlx::query(&sql)
            .fetch_all(db.pool())
            .await
            .expect("select");
        for row in rows {
            for i in 0..row.len() {
                let value: String = row.get(i);
                seen += 1;
                for raw in &raws {
                    let secret = raw.trim_start_matches("spt_");
                    assert!(!value.contains(secret), "{table} holds a raw secret");
                }
            }
        }
    }
    assert_eq!(seen, 3 * 4 + 2 + 4, "every row was looked at");
}

// ---- audit log ----

fn entry<'a>(actor: &'a str, action: &'a str, account: Option<&'a str>) -> NewEntry<'a> {
    let request = Some(format!(r#"{{"action":"{action}"}}"#));
    NewEntry {
        actor,
        via: "session",
        action,
        account,
        request,
    }
}

async fn all(db: &Db, query: AuditQuery) -> (Vec<AuditEntry>, i64) {
    audit::list(db, &query).await.expect("audit list")
}

async fn audit_begin_then_finish(t: &Target) {
    let db = &t.db;
    let begun = audit::begin(db, entry("alice", "scan.launch", Some("acct-1"))).await;
    let id = begun.expect("begin");
    let (rows, total) = all(db, AuditQuery::default()).await;
    assert_eq!(total, 1);
    let row = &rows[0];
    assert_eq!(
        (row.id.as_str(), row.outcome),
        (id.as_str(), Outcome::Pending)
    );
    assert_eq!(row.request.as_deref(), Some(r#"{"action":"scan.launch"}"#));
    assert_eq!((row.actor.as_str(), row.via.as_str()), ("alice", "session"));
    assert_eq!(row.account.as_deref(), Some("acct-1"));
    assert_eq!(row.upstream_request_id, None);

    let detail = Some("task 42 started");
    let done = Finish {
        detail,
        upstream_request_id: Some("req-abc-123"),
    };
    audit::finish(db, &id, Outcome::Ok, done)
        .await
        .expect("finish");
    let (rows, _) = all(db, AuditQuery::default()).await;
    assert_eq!(rows[0].outcome, Outcome::Ok);
    assert_eq!(rows[0].upstream_request_id.as_deref(), Some("req-abc-123"));
    assert_eq!(rows[0].detail.as_deref(), detail);
    assert_eq!(rows[0].at_ms, row.at_ms, "finishing keeps the start time");

    let denied = Finish {
        detail: Some("needs operator"),
        upstream_request_id: None,
    };
    let login = NewEntry {
        request: None,
        ..entry("who?", "login", None)
    };
    audit::record(db, login, Outcome::Denied, denied)
        .await
        .expect("record");
    let (rows, total) = all(db, AuditQuery::default()).await;
    assert_eq!(total, 2);
    assert_eq!(
        (rows[0].action.as_str(), rows[0].outcome),
        ("login", Outcome::Denied)
    );
    assert_eq!(
        (rows[0].account.as_deref(), rows[0].request.as_deref()),
        (None, None)
    );
}

async fn audit_filters_pages_and_order(t: &Target) {
    let db = &t.db;
    // (actor, action, account, outcome), written in this order: the
    // newest is last.
    let plan = [
        ("alice", "scan.launch", Some("a1"), Outcome::Ok),
        ("bob", "scan.launch", Some("a2"), Outcome::Failed),
        ("alice", "sync", Some("a1"), Outcome::Ok),
        ("alice", "login", None, Outcome::Denied),
        ("bob", "sync", Some("a1"), Outcome::Ok),
        ("carol", "scan.launch", Some("a2"), Outcome::Ok),
        ("alice", "scan.launch", Some("a2"), Outcome::Pending),
    ];
    let mut ids = Vec::new();
    for (i, (actor, action, account, outcome)) in (0..).zip(plan) {
        let new = entry(actor, action, account);
        let id = match outcome {
            Outcome::Pending => audit::begin(db, new).await,
            _ => audit::record(db, new, outcome, Finish::default()).await,
        };
        let id = id.expect("write");
        // Distinct, increasing times for the time filters.
        set_i64(
            db,
            "audit_log",
            "occurred_at",
            1_000_000 + 1_000 * i,
            "id",
            &id,
        )
        .await;
        ids.push(id);
    }
    let pick = |which: &[usize]| which.iter().map(|&i| ids[i].clone()).collect::<Vec<_>>();
    let ids_of = |rows: &[AuditEntry]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let newest_first = pick(&[6, 5, 4, 3, 2, 1, 0]);

    let (rows, total) = all(db, AuditQuery::default()).await;
    assert_eq!(
        (ids_of(&rows), total),
        (newest_first.clone(), 7),
        "newest first"
    );
    assert!(rows.windows(2).all(|w| w[0].at_ms > w[1].at_ms));

    fn text(s: &str) -> Option<String> {
        Some(s.to_owned())
    }
    let by = |f: fn(&mut AuditQuery)| {
        let mut query = AuditQuery::default();
        f(&mut query);
        query
    };
    let cases: [(AuditQuery, &[usize]); 10] = [
        (by(|q| q.actor = text("alice")), &[6, 3, 2, 0]),
        (by(|q| q.action = text("sync")), &[4, 2]),
        (by(|q| q.account = text("a2")), &[6, 5, 1]),
        (by(|q| q.outcome = Some(Outcome::Ok)), &[5, 4, 2, 0]),
        (by(|q| q.outcome = Some(Outcome::Pending)), &[6]),
        (by(|q| q.from_ms = Some(1_004_000)), &[6, 5, 4]),
        (by(|q| q.to_ms = Some(1_001_000)), &[1, 0]),
        (by(|q| q.actor = text("nobody")), &[]),
        (
            by(|q| {
                q.actor = text("alice");
                q.action = text("scan.launch");
                q.from_ms = Some(1_000_000);
                q.to_ms = Some(1_005_000);
            }),
            &[0],
        ),
        // Empty text filters mean "any".
        (by(|q| q.actor = text("")), &[6, 5, 4, 3, 2, 1, 0]),
    ];
    for (query, want) in cases {
        let (rows, total) = all(db, query.clone()).await;
        assert_eq!(ids_of(&rows), pick(want), "{query:?}");
        assert_eq!(
            total,
            i64::try_from(want.len()).expect("small"),
            "{query:?}"
        );
    }

    // Pages: the total counts every match, a page only its rows.
    let mut paged = Vec::new();
    for offset in [0, 3, 6, 9] {
        let query = AuditQuery {
            limit: Some(3),
            offset: Some(offset),
            ..by(|_| {})
        };
        let (rows, total) = all(db, query).await;
        assert_eq!(total, 7);
        assert!(rows.len() <= 3);
        paged.extend(ids_of(&rows));
    }
    assert_eq!(paged, newest_first, "pages cover every row once, in order");
    let page = AuditQuery {
        limit: Some(2),
        offset: Some(1),
        ..by(|q| q.actor = text("alice"))
    };
    let (rows, total) = all(db, page).await;
    assert_eq!((ids_of(&rows), total), (pick(&[3, 2]), 4));
    // A zero limit still returns a row rather than nothing.
    let (rows, _) = all(
        db,
        AuditQuery {
            limit: Some(0),
            ..by(|_| {})
        },
    )
    .await;
    assert_eq!(rows.len(), 1);
}

async fn audit_close_interrupted_only_old_pending(t: &Target) {
    let db = &t.db;
    let write = async |actor: &str, outcome: Outcome| match outcome {
        Outcome::Pending => audit::begin(db, entry(actor, "scan.launch", None)).await,
        _ => audit::record(db, entry(actor, "sync", None), outcome, Finish::default()).await,
    };
    let old_pending = write("alice", Outcome::Pending).await.expect("write");
    let old_ok = write("alice", Outcome::Ok).await.expect("write");
    let new_pending = write("bob", Outcome::Pending).await.expect("write");
    let ten_minutes_ago = now_ms() - 600_000;
    for id in [&old_pending, &old_ok] {
        set_i64(db, "audit_log", "occurred_at", ten_minutes_ago, "id", id).await;
    }

    assert_eq!(
        audit::close_interrupted(db, 300_000).await.expect("close"),
        1
    );
    let (rows, _) = all(db, AuditQuery::default()).await;
    let by_id = |id: &str| rows.iter().find(|r| r.id == id).expect("row").clone();
    let closed = by_id(&old_pending);
    assert_eq!(closed.outcome, Outcome::Failed);
    assert!(closed.detail.expect("detail").starts_with("interrupted"));
    assert_eq!(
        (by_id(&old_ok).outcome, by_id(&old_ok).detail),
        (Outcome::Ok, None)
    );
    assert_eq!(
        by_id(&new_pending).outcome,
        Outcome::Pending,
        "still in flight"
    );
    assert_eq!(
        audit::close_interrupted(db, 300_000).await.expect("close"),
        0
    );
}

async fn audit_prune_drops_only_old_finished_rows(t: &Target) {
    let db = &t.db;
    let old_ok = audit::record(
        db,
        entry("alice", "sync", None),
        Outcome::Ok,
        Finish::default(),
    )
    .await
    .expect("write");
    let old_failed = audit::record(
        db,
        entry("alice", "sync", None),
        Outcome::Failed,
        Finish::default(),
    )
    .await
    .expect("write");
    let old_pending = audit::begin(db, entry("bob", "scan.launch", None))
        .await
        .expect("write");
    let recent = audit::record(
        db,
        entry("carol", "sync", None),
        Outcome::Ok,
        Finish::default(),
    )
    .await
    .expect("write");
    let forty_days_ago = now_ms() - 40 * 86_400_000;
    for id in [&old_ok, &old_failed, &old_pending] {
        set_i64(db, "audit_log", "occurred_at", forty_days_ago, "id", id).await;
    }

    let thirty_days_ago = now_ms() - 30 * 86_400_000;
    assert_eq!(audit::prune(db, thirty_days_ago).await.expect("prune"), 2);
    let (rows, total) = all(db, AuditQuery::default()).await;
    let mut left: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    left.sort_unstable();
    let mut kept = vec![old_pending.as_str(), recent.as_str()];
    kept.sort_unstable();
    assert_eq!(
        (left, total),
        (kept, 2),
        "the in-flight row and the recent one stay"
    );
    assert_eq!(audit::prune(db, thirty_days_ago).await.expect("prune"), 0);
}

async fn backup_copies_sqlite_and_points_postgres_at_pg_dump(t: &Target) {
    let db = &t.db;
    user(db, "alice", Role::Operator).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("backup.db");
    match db.backend() {
        scanport_portal::db::Backend::Postgres => {
            let err = db
                .backup_to(&file)
                .await
                .expect_err("PostgreSQL has pg_dump");
            assert!(err.to_string().contains("pg_dump"), "{err}");
            assert!(!file.exists());
        }
        scanport_portal::db::Backend::Sqlite => {
            db.backup_to(&file).await.expect("backup");
            // The copy is a database of its own, with the user in it.
            let copy = Db::connect(&format!("sqlite://{}", file.display()))
                .await
                .expect("open the backup");
            let names: Vec<String> = users::list(&copy)
                .await
                .expect("users of the backup")
                .into_iter()
                .map(|u| u.name)
                .collect();
            assert_eq!(names, ["alice"]);
            copy.pool().close().await;
            let err = db.backup_to(&file).await.expect_err("never overwrites");
            assert!(err.to_string().contains("exists already"), "{err}");
        }
    }
}

#[test]
fn audit_csv_quotes_and_defuses() {
    let row = |actor: &str, detail: Option<&str>, request: Option<&str>| AuditEntry {
        id: "0190-id".into(),
        at_ms: 1_700_000_000_000,
        actor: actor.into(),
        via: "session".into(),
        action: "scan.launch".into(),
        account: None,
        request: request.map(Into::into),
        outcome: Outcome::Ok,
        detail: detail.map(Into::into),
        upstream_request_id: Some("req-1".into()),
    };
    let csv = audit::to_csv(&[
        row("alice", None, Some(r#"{"a":1,"b":"x"}"#)),
        row("=HYPERLINK(\"http://evil\")", Some("line1\nline2"), None),
        row("+1", Some("-2"), Some("@SUM(A1)")),
        row("\tcmd", Some("\r=1"), Some("plain")),
    ]);
    let lines: Vec<&str> = csv.split_inclusive('\n').collect();
    let header = "id,time_ms,actor,via,action,account,outcome,upstream_request_id,detail,request\n";
    assert_eq!(lines[0], header);
    let json = r#""{""a"":1,""b"":""x""}""#;
    let first = format!("0190-id,1700000000000,alice,session,scan.launch,,ok,req-1,,{json}\n");
    assert_eq!(lines[1], first);
    // A formula gets a leading ' and, as it holds quotes, is quoted.
    assert!(
        csv.contains(r#","'=HYPERLINK(""http://evil"")",session,"#),
        "{csv}"
    );
    // A newline stays inside its quoted field.
    assert!(csv.contains(",\"line1\nline2\",\n"), "{csv}");
    assert!(csv.contains(",'+1,session,"), "{csv}");
    assert!(csv.contains(",'-2,'@SUM(A1)\n"), "{csv}");
    // Tab and carriage return also lead into formulas in some spreadsheets.
    assert!(csv.contains(",'\tcmd,session,"), "{csv}");
    assert!(csv.contains(",\"'\r=1\",plain\n"), "{csv}");
    assert_eq!(audit::to_csv(&[]), header, "header only");
}

// ---- idempotency keys ----

async fn idempotency_lifecycle(t: &Target) {
    let db = &t.db;
    let id = user(db, "rita", Role::Operator).await;
    let fp = idempotency::fingerprint;
    let h = fp("scan.launch", "acct-1", r#"{"image":"a"}"#);
    let other = fp("scan.launch", "acct-1", r#"{"image":"b"}"#);
    assert_eq!(h, fp("scan.launch", "acct-1", r#"{"image":"a"}"#), "stable");
    assert_ne!(h, other);
    assert_ne!(h, fp("scan.launch", "acct-2", r#"{"image":"a"}"#));
    assert_ne!(h, fp("sync", "acct-1", r#"{"image":"a"}"#));

    let claim =
        async |key: &str, hash: &str| idempotency::claim(db, &id, key, hash).await.expect("claim");
    assert_eq!(claim("k-1", &h).await, Claim::Fresh);
    assert_eq!(claim("k-1", &h).await, Claim::InFlight, "not finished yet");
    assert_eq!(claim("k-1", &other).await, Claim::Mismatch);
    let body = r#"{"task_id":"t-9","note":"ünïcode ok"}"#;
    idempotency::complete(db, &id, "k-1", 202, body)
        .await
        .expect("complete");
    let replay = Claim::Replay {
        status: 202,
        body: body.to_owned(),
    };
    assert_eq!(claim("k-1", &h).await, replay);
    assert_eq!(claim("k-1", &h).await, replay, "replays every time");
    assert_eq!(claim("k-1", &other).await, Claim::Mismatch);

    // A refused request releases its key for a corrected retry.
    assert_eq!(claim("k-2", &h).await, Claim::Fresh);
    idempotency::release(db, &id, "k-2").await.expect("release");
    assert_eq!(claim("k-2", &other).await, Claim::Fresh);
    assert_eq!(claim("k-1", &h).await, replay, "other keys stay");
}

async fn idempotency_key_rules(t: &Target) {
    let db = &t.db;
    let id = user(db, "sam", Role::Operator).await;
    let h = idempotency::fingerprint("e", "a", "{}");
    let claim = async |key: &str| idempotency::claim(db, &id, key, &h).await;
    let bad = [
        String::new(),
        "k".repeat(256),
        "a\nb".into(),
        "a\tb".into(),
        "a\u{7f}".into(),
        "a b".into(),
        "ключ".into(),
    ];
    for key in bad {
        assert_invalid(claim(&key).await, "Idempotency-Key");
    }
    let sql = "SELECT COUNT(*) FROM idempotency_keys WHERE user_id = $1";
    assert_eq!(count(db, sql, &id).await, 0, "refused keys are not stored");
    let good = [
        "k".repeat(255),
        "550e8400-e29b-41d4-a716-446655440000".into(),
        "~!#$%^&*()".into(),
    ];
    for key in good {
        assert_eq!(claim(&key).await.expect("claim"), Claim::Fresh, "{key:?}");
    }
}

async fn idempotency_users_are_independent(t: &Target) {
    let db = &t.db;
    let a = user(db, "tara", Role::Operator).await;
    let b = user(db, "uma", Role::Operator).await;
    let ha = idempotency::fingerprint("scan.launch", "x", "{\"n\":1}");
    let hb = idempotency::fingerprint("scan.launch", "y", "{\"n\":2}");
    let claim = async |user: &str, hash: &str| {
        idempotency::claim(db, user, "same", hash)
            .await
            .expect("claim")
    };
    let replay = |status, body: &str| Claim::Replay {
        status,
        body: body.into(),
    };
    assert_eq!(claim(&a, &ha).await, Claim::Fresh);
    assert_eq!(claim(&b, &hb).await, Claim::Fresh, "same key, other user");
    idempotency::complete(db, &a, "same", 200, "for a")
        .await
        .expect("complete");
    assert_eq!(
        claim(&b, &hb).await,
        Claim::InFlight,
        "a's answer is not b's"
    );
    idempotency::complete(db, &b, "same", 201, "for b")
        .await
        .expect("complete");
    assert_eq!(claim(&a, &ha).await, replay(200, "for a"));
    assert_eq!(claim(&b, &hb).await, replay(201, "for b"));
    idempotency::release(db, &a, "same").await.expect("release");
    assert_eq!(claim(&b, &hb).await, replay(201, "for b"));
}

async fn idempotency_keys_expire_after_a_day(t: &Target) {
    let db = &t.db;
    let a = user(db, "vera", Role::Operator).await;
    let h = idempotency::fingerprint("scan.launch", "x", "{}");
    let other = idempotency::fingerprint("scan.launch", "x", "{\"again\":true}");
    let claim =
        async |key: &str, hash: &str| idempotency::claim(db, &a, key, hash).await.expect("claim");
    let backdate = async |key: &str, at: i64| {
        let done = sqlx::query(
            "UPDATE idempotency_keys SET created_at = $1 WHERE user_id = $2 AND idem_key = $3",
        )
        .bind(at)
        .bind(&a)
        .bind(key)
        .execute(db.pool())
        .await;
        assert_eq!(done.expect("backdate").rows_affected(), 1);
    };
    for key in ["old", "recent"] {
        assert_eq!(claim(key, &h).await, Claim::Fresh);
        idempotency::complete(db, &a, key, 200, "done")
            .await
            .expect("complete");
    }
    backdate("old", now_ms() - idempotency::KEEP_MS - 1_000).await;
    backdate("recent", now_ms() - idempotency::KEEP_MS + 60_000).await;
    assert_eq!(
        claim("old", &other).await,
        Claim::Fresh,
        "a day-old key is forgotten"
    );
    assert_eq!(
        claim("recent", &other).await,
        Claim::Mismatch,
        "a younger one is not"
    );
}

async fn idempotency_concurrent_claims(t: &Target) {
    let db = &t.db;
    let id = user(db, "walt", Role::Operator).await;
    let h = idempotency::fingerprint("scan.launch", "x", "{}");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (db, id, h) = (db.clone(), id.clone(), h.clone());
            tokio::spawn(async move { idempotency::claim(&db, &id, "double-click", &h).await })
        })
        .collect();
    let mut fresh = 0;
    for task in tasks {
        match task.await.expect("join").expect("claim") {
            Claim::Fresh => fresh += 1,
            Claim::InFlight => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        fresh, 1,
        "exactly one of simultaneous requests goes upstream"
    );
}

// ---- schema ----

async fn migrations_run_twice(t: &Target) {
    let first = &t.db;
    user(first, "xena", Role::Admin).await;
    // More pools on the same database while the first is open: another
    // replica, or a restart.
    let second = Db::connect(&t.url).await.expect("connect again");
    assert!(second.ping().await);
    assert_eq!(users::count(&second).await.expect("count"), 1, "data kept");
    let third = Db::connect(&t.url).await.expect("connect a third time");
    assert!(password_ok(&third, "xena", PASSWORD).await);
    let applied = sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(first.pool())
        .await;
    // Each migration applied once, however many pools opened the database.
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .expect("migrations dir")
        .filter(|f| {
            f.as_ref()
                .is_ok_and(|f| f.path().extension().is_some_and(|e| e == "sql"))
        })
        .count();
    assert_eq!(
        applied.expect("migrations table").get::<i64, _>(0),
        i64::try_from(files).expect("few")
    );
    second.pool().close().await;
    third.pool().close().await;
}

#[tokio::test]
async fn connect_refuses_other_databases() {
    for url in ["mysql://localhost/db", "", "file.db"] {
        let got = Db::connect(url).await;
        assert!(matches!(got, Err(PortalError::Invalid { .. })), "{url}");
    }
}

#[test]
fn postgres_url_gets_the_test_database() {
    let cases = [
        (
            "postgres://u:p@127.0.0.1:55432/scanport",
            "postgres://u:p@127.0.0.1:55432/t1",
        ),
        (
            "postgres://u@h:1/db?sslmode=disable",
            "postgres://u@h:1/t1?sslmode=disable",
        ),
        ("postgresql://h", "postgresql://h/t1"),
        (
            "postgres://h:5432/?host=/tmp",
            "postgres://h:5432/t1?host=/tmp",
        ),
    ];
    for (admin, want) in cases {
        assert_eq!(with_database(admin, "t1"), want);
    }
}

// ---- sign-in throttle ----

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

/// Only failures count; strictly per name and address.
async fn throttle_limits_each_name(t: &Target) {
    let throttle = LoginThrottle::default().shared(&t.db);
    let addr = Some(ip("192.0.2.1"));
    for i in 0..5 {
        assert!(throttle.check("alice", addr).await.is_ok(), "attempt {i}");
        throttle.failed("alice", addr).await;
    }
    let refused = throttle
        .check("alice", addr)
        .await
        .expect_err("6th attempt");
    assert!(
        refused.wait > Duration::ZERO && refused.wait <= Duration::from_secs(60),
        "{refused:?}"
    );
    // The same name in other letters, from there: still alice.
    assert!(throttle.check("ALICE", addr).await.is_err());
    // From an address with no failures: a stranger cannot lock alice out.
    assert!(
        throttle
            .check("Alice", Some(ip("198.51.100.7")))
            .await
            .is_ok()
    );
    // Another name is unaffected.
    assert!(throttle.check("bob", addr).await.is_ok());
    assert!(throttle.check("bob", None).await.is_ok());
    // Checking counts nothing.
    for _ in 0..50 {
        assert!(throttle.check("carol", addr).await.is_ok());
    }
    throttle.shrink().await;
    assert!(
        throttle.check("alice", addr).await.is_err(),
        "shrink keeps live limits"
    );
}

async fn throttle_limits_each_address(t: &Target) {
    let throttle = LoginThrottle::default().shared(&t.db);
    let addr = Some(ip("203.0.113.9"));
    for i in 0..20 {
        let name = format!("user{i}");
        assert!(throttle.check(&name, addr).await.is_ok(), "attempt {i}");
        throttle.failed(&name, addr).await;
    }
    let refused = throttle
        .check("fresh-name", addr)
        .await
        .expect_err("21st from one address");
    assert!(refused.wait > Duration::ZERO);
    let v6 = Some(ip("2001:db8::1"));
    assert!(
        throttle.check("fresh-name", v6).await.is_ok(),
        "another address"
    );
    assert!(
        throttle.check("other-name", None).await.is_ok(),
        "no address known"
    );

    let tight = LoginThrottle::new(100, 2, 100).shared(&t.db);
    let elsewhere = Some(ip("203.0.113.10"));
    tight.failed("a", elsewhere).await;
    assert!(tight.check("c", elsewhere).await.is_ok());
    tight.failed("b", elsewhere).await;
    assert!(tight.check("c", elsewhere).await.is_err());
}

#[tokio::test]
async fn sqlite_data_dir_may_hold_url_characters() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("scan port #1 ?50%");
    std::fs::create_dir(&dir).expect("data dir");
    let db = Db::connect(&Db::sqlite_url(&dir))
        .await
        .expect("open SQLite");
    user(&db, "yara", Role::Viewer).await;
    db.pool().close().await;
    assert!(
        dir.join("scanport.db").is_file(),
        "the file is in the data dir"
    );
}

// ---- findings cache ----

async fn overviews_one_gathering_at_a_time(t: &Target) {
    let hold = Duration::from_secs(60);
    let later = Duration::from_secs(600);
    assert!(overviews::all(&t.db).await.expect("all").is_empty());
    // The first replica takes the first gathering; the second may not.
    assert!(
        overviews::take_turn(&t.db, "acct", "a", hold)
            .await
            .expect("a")
    );
    assert!(
        !overviews::take_turn(&t.db, "acct", "b", hold)
            .await
            .expect("b")
    );
    // Nothing is shown until it publishes; another's publication is refused.
    assert!(overviews::all(&t.db).await.expect("all").is_empty());
    assert!(
        !overviews::publish(&t.db, "acct", "b", "{}", later)
            .await
            .expect("b")
    );
    assert!(
        overviews::publish(&t.db, "acct", "a", r#"{"n":1}"#, later)
            .await
            .expect("a")
    );
    let shown = overviews::all(&t.db).await.expect("all");
    assert_eq!(shown.len(), 1);
    assert_eq!(
        (shown[0].account.as_str(), shown[0].body.as_str()),
        ("acct", r#"{"n":1}"#)
    );
    assert!(shown[0].fetched_at_ms > 0);
    // Not due again for ten minutes, for anyone, unless wanted.
    assert!(
        !overviews::take_turn(&t.db, "acct", "a", hold)
            .await
            .expect("a")
    );
    assert!(
        !overviews::take_turn(&t.db, "acct", "b", hold)
            .await
            .expect("b")
    );
    overviews::want(&t.db, "acct").await.expect("want");
    assert!(
        overviews::take_turn(&t.db, "acct", "b", hold)
            .await
            .expect("b")
    );
    // A lapsed turn passes on, and its holder's late publication is fenced off.
    assert!(
        overviews::publish(&t.db, "acct", "b", r#"{"n":2}"#, Duration::ZERO)
            .await
            .expect("b")
    );
    assert!(
        overviews::take_turn(&t.db, "acct", "a", Duration::ZERO)
            .await
            .expect("a")
    );
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert!(
        overviews::take_turn(&t.db, "acct", "b", hold)
            .await
            .expect("b again")
    );
    assert!(
        !overviews::publish(&t.db, "acct", "a", r#"{"n":3}"#, later)
            .await
            .expect("a late")
    );
    let shown = overviews::all(&t.db).await.expect("all");
    assert_eq!(shown[0].body, r#"{"n":2}"#);
}

async fn findings_follow_the_scan_time(t: &Target) {
    let key = |scanned_at| findings::Key {
        account: "acct",
        kind: "hss/vulnerabilities",
        image: "sha256:1",
        scanned_at,
    };
    let day = 86_400_000;
    assert_eq!(
        findings::get(&t.db, key("t1"), day).await.expect("get"),
        None,
        "nothing yet"
    );
    let at = findings::put(&t.db, key("t1"), "[1]").await.expect("put");
    let hit = findings::get(&t.db, key("t1"), day)
        .await
        .expect("get")
        .expect("cached");
    assert_eq!((hit.body.as_str(), hit.fetched_at_ms), ("[1]", at));
    // Scanned again: the old findings no longer answer.
    assert_eq!(
        findings::get(&t.db, key("t2"), day).await.expect("get"),
        None
    );
    findings::put(&t.db, key("t2"), "[1,2]")
        .await
        .expect("replace");
    let hit = findings::get(&t.db, key("t2"), day)
        .await
        .expect("get")
        .expect("cached");
    assert_eq!(hit.body, "[1,2]");
    // No scan time known: trusted only while young.
    assert!(
        findings::get(&t.db, key(""), day)
            .await
            .expect("get")
            .is_some()
    );
    assert!(
        findings::get(&t.db, key(""), 0)
            .await
            .expect("get")
            .is_none()
    );
    // Another account's rows are its own; forgetting one leaves the other.
    let other = findings::Key {
        account: "other",
        ..key("t2")
    };
    findings::put(&t.db, other, "[9]").await.expect("put other");
    assert_eq!(
        findings::forget_account(&t.db, "acct")
            .await
            .expect("forget"),
        1
    );
    assert!(
        findings::get(&t.db, key("t2"), day)
            .await
            .expect("get")
            .is_none()
    );
    assert!(
        findings::get(&t.db, other, day)
            .await
            .expect("get")
            .is_some()
    );
}

// ---- call slots shared by replicas ----

async fn call_slots_keep_replicas_apart(t: &Target) {
    if !call_slots::supported(&t.db) {
        // One process on a SQLite file: its budget stays in memory.
        assert!(t.pg.is_none());
        return;
    }
    // A slot a second apart: reserving waits for nothing, so a long
    // interval costs no time, and it dwarfs a busy machine's jitter.
    let interval = Duration::from_secs(1);
    // Eight callers at once, as from several replicas: each gets its own
    // slot, a second after the one before, by the database's clock. What is
    // compared is when each may go (its answer, plus the wait it was
    // told): on a busy machine the callers reach the database at different
    // moments, so their waits alone say little, but the moments they go
    // are a slot apart.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let db = t.db.clone();
            tokio::spawn(async move {
                let wait =
                    call_slots::reserve(&db, "acct", "list", interval, Duration::from_secs(10))
                        .await;
                let answered = Instant::now();
                wait.map(|w| w.map(|w| (w, answered + w)))
            })
        })
        .collect();
    let (mut waits, mut goes) = (Vec::new(), Vec::new());
    for task in tasks {
        let reserved = task.await.expect("join").expect("reserve");
        let (wait, go) = reserved.expect("a slot within 10 s");
        waits.push(wait);
        goes.push(go);
    }
    waits.sort();
    goes.sort();
    assert!(waits[0] < interval, "the first goes at once: {waits:?}");
    // A little under a second allows for the answer's trip back from the
    // database's clock.
    let gaps: Vec<Duration> = goes.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(900)),
        "each goes a slot after the one before: {gaps:?}"
    );
    // One that cannot wait is refused, told when the next slot is free,
    // and takes nothing.
    let refused = call_slots::reserve(&t.db, "acct", "list", interval, Duration::ZERO)
        .await
        .expect("reserve");
    let free_in = refused.expect_err("no slot free now");
    assert!(free_in >= Duration::from_secs(5), "{free_in:?}");
    let again = call_slots::reserve(&t.db, "acct", "list", interval, Duration::ZERO)
        .await
        .expect("reserve")
        .expect_err("still none");
    assert!(
        again <= free_in,
        "a refusal took no slot: {again:?} > {free_in:?}"
    );
    // Another API, or another account, has its own spacing.
    for (account, api) in [("acct", "other"), ("elsewhere", "list")] {
        let wait = call_slots::reserve(&t.db, account, api, interval, Duration::ZERO)
            .await
            .expect("reserve")
            .expect("free");
        assert!(wait.is_zero(), "{account} {api}: {wait:?}");
    }
}

async fn live_feeds_one_refresh_at_a_time(t: &Target) {
    if !call_slots::supported(&t.db) {
        return;
    }
    let db = &t.db;
    let minute = Duration::from_secs(60);
    // Whose turn, and what is newer (without when the next is due).
    let turn = |holder: &'static str, seen: i64, hold: Duration| {
        let db = db.clone();
        async move {
            match live_feeds::take_turn(&db, "acct", "image_scan", holder, seen, hold)
                .await
                .expect("take a turn")
            {
                Turn::Mine => Turn::Mine,
                Turn::Theirs(newer, _) => Turn::Theirs(newer, Duration::ZERO),
            }
        }
    };
    let publish = |holder: &'static str, body: &'static str, next_in: Duration| {
        let db = db.clone();
        async move {
            live_feeds::publish(&db, "acct", "image_scan", holder, body, next_in)
                .await
                .expect("publish")
        }
    };
    // The first replica to look refreshes; the other waits for its answer.
    assert_eq!(turn("a", 0, minute).await, Turn::Mine);
    assert_eq!(
        turn("b", 0, minute).await,
        Turn::Theirs(None, Duration::ZERO)
    );
    assert_eq!(publish("a", "{\"n\":1}", minute).await, Some(1));
    assert_eq!(
        turn("b", 0, minute).await,
        Turn::Theirs(Some((1, "{\"n\":1}".to_owned())), Duration::ZERO)
    );
    // Nothing due for a minute, nothing new: nobody asks the cloud, and
    // each knows when to look again.
    match live_feeds::take_turn(db, "acct", "image_scan", "b", 1, minute)
        .await
        .expect("take a turn")
    {
        Turn::Theirs(None, due_in) => assert!(
            due_in > Duration::from_secs(50) && due_in <= minute,
            "{due_in:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        turn("a", 1, minute).await,
        Turn::Theirs(None, Duration::ZERO)
    );
    // A launch on any replica makes it due at once.
    live_feeds::want_refresh(db, "acct", "image_scan")
        .await
        .expect("want");
    assert_eq!(turn("b", 1, minute).await, Turn::Mine);
    assert_eq!(
        turn("a", 1, minute).await,
        Turn::Theirs(None, Duration::ZERO)
    );
    // Only the holder publishes.
    assert_eq!(publish("a", "{\"n\":0}", minute).await, None);
    assert_eq!(publish("b", "{\"n\":2}", Duration::ZERO).await, Some(2));
    // A replica that dies holding its turn loses it when the hold ends.
    assert_eq!(turn("a", 2, Duration::ZERO).await, Turn::Mine);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(turn("b", 2, minute).await, Turn::Mine);
    assert_eq!(publish("a", "{\"n\":0}", minute).await, None, "fenced off");
    // A refresh wanted while one runs is served by the next, not by it.
    live_feeds::want_refresh(db, "acct", "image_scan")
        .await
        .expect("want");
    assert_eq!(publish("b", "{\"n\":3}", minute).await, Some(3));
    assert_eq!(turn("a", 3, minute).await, Turn::Mine);
    // The holder renews its turn while its refresh runs, so it outlasts
    // one hold; only the holder can, and not once the turn has lapsed.
    let renew = |holder: &'static str, hold: Duration| {
        let db = db.clone();
        async move {
            live_feeds::renew(&db, "acct", "image_scan", holder, hold)
                .await
                .expect("renew")
        }
    };
    let hold = Duration::from_secs(1);
    assert!(renew("a", hold).await);
    assert!(!renew("b", minute).await, "only the holder renews");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(renew("a", hold).await);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        turn("b", 3, minute).await,
        Turn::Theirs(None, Duration::ZERO),
        "renewed 1.2 s after its one-second hold began: still a's"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(!renew("a", minute).await, "lapsed: not taken back");
    assert_eq!(turn("b", 3, minute).await, Turn::Mine);
}

/// Replicas on one PostgreSQL count failures together: a guesser who
/// spreads attempts over two replicas is stopped as soon as on one.
async fn throttle_shared_by_replicas(t: &Target) {
    if !call_slots::supported(&t.db) {
        return;
    }
    let other = Db::connect(&t.url).await.expect("a second replica's pool");
    let replicas = [
        LoginThrottle::default().shared(&t.db),
        LoginThrottle::default().shared(&other),
    ];
    let addr = Some(ip("192.0.2.44"));
    for i in 0..5 {
        let replica = &replicas[i % 2];
        assert!(replica.check("dave", addr).await.is_ok(), "attempt {i}");
        replica.failed("dave", addr).await;
    }
    let first = replicas[0]
        .check("dave", addr)
        .await
        .expect_err("the 6th, on either replica");
    assert!(first.first_of_burst, "{first:?}");
    let again = replicas[1].check("dave", addr).await.expect_err("refused");
    assert!(!again.first_of_burst, "one audit row per burst: {again:?}");
    // The right password on one replica forgives that name there, on both.
    replicas[1].succeeded("dave", addr).await;
    assert!(replicas[0].check("dave", addr).await.is_ok());
    other.pool().close().await;
}
