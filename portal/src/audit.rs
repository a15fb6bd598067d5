//! The audit log: who did what, when, on which account, with what result.
//! A cloud call's row is written as `pending` before the call and finished
//! after it, so a crash in between leaves a trace rather than nothing.

use crate::{AuditEntry, AuditQuery, Db, Outcome, PortalError, now_ms, secret};
use sqlx::Row;
use sqlx::any::AnyRow;

/// What is being done, by whom.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub actor: &'a str,
    pub via: &'a str,
    pub action: &'a str,
    pub account: Option<&'a str>,
    /// The request as it will be sent upstream (JSON, no secrets).
    pub request: Option<String>,
}

/// How an entry finished.
#[derive(Debug, Clone, Default)]
pub struct Finish<'a> {
    pub detail: Option<&'a str>,
    pub upstream_request_id: Option<&'a str>,
}

/// The most rows one page returns.
pub const MAX_PAGE: u32 = 500;

/// Writes a `pending` row; returns its id for [`finish`].
pub async fn begin(db: &Db, entry: NewEntry<'_>) -> Result<String, PortalError> {
    insert(db, entry, Outcome::Pending, Finish::default()).await
}

/// Writes a finished row in one go (logins, user changes).
pub async fn record(
    db: &Db,
    entry: NewEntry<'_>,
    outcome: Outcome,
    finish: Finish<'_>,
) -> Result<String, PortalError> {
    insert(db, entry, outcome, finish).await
}

/// Writes the `ok` row of a change inside the change's own transaction,
/// so the change and its row commit together or not at all.
pub async fn record_ok_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entry: &NewEntry<'_>,
) -> Result<(), PortalError> {
    insert_with(&mut **tx, entry.clone(), Outcome::Ok, Finish::default()).await?;
    Ok(())
}

async fn insert(
    db: &Db,
    entry: NewEntry<'_>,
    outcome: Outcome,
    finish: Finish<'_>,
) -> Result<String, PortalError> {
    insert_with(db.pool(), entry, outcome, finish).await
}

async fn insert_with<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    entry: NewEntry<'_>,
    outcome: Outcome,
    finish: Finish<'_>,
) -> Result<String, PortalError> {
    let id = secret::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO audit_log (id, occurred_at, actor, via, action, account, request, outcome, \
         detail, upstream_request_id, finished_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(now)
    .bind(entry.actor)
    .bind(entry.via)
    .bind(entry.action)
    .bind(entry.account)
    .bind(entry.request)
    .bind(outcome.as_str())
    .bind(finish.detail)
    .bind(finish.upstream_request_id)
    .bind((outcome != Outcome::Pending).then_some(now))
    .execute(executor)
    .await?;
    Ok(id)
}

/// Finishes a row written by [`begin`].
pub async fn finish(
    db: &Db,
    id: &str,
    outcome: Outcome,
    finish: Finish<'_>,
) -> Result<(), PortalError> {
    sqlx::query(
        "UPDATE audit_log SET outcome = $1, detail = $2, upstream_request_id = $3, \
         finished_at = $4 WHERE id = $5",
    )
    .bind(outcome.as_str())
    .bind(finish.detail)
    .bind(finish.upstream_request_id)
    .bind(now_ms())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Marks rows left `pending` for longer than `older_than_ms` as failed:
/// the server stopped while their cloud call was in flight. Run at start.
pub async fn close_interrupted(db: &Db, older_than_ms: i64) -> Result<u64, PortalError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE audit_log SET outcome = 'failed', finished_at = $1, \
         detail = 'interrupted: the server stopped before the cloud answered; check the task list' \
         WHERE outcome = 'pending' AND occurred_at < $2",
    )
    .bind(now)
    .bind(now - older_than_ms)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Deletes finished rows that occurred before `before_ms` (`audit.keep_days`);
/// answers how many went. A `pending` row stays whatever its age: its
/// launch may still be in flight, and [`close_interrupted`] finishes it.
pub async fn prune(db: &Db, before_ms: i64) -> Result<u64, PortalError> {
    let done = sqlx::query("DELETE FROM audit_log WHERE occurred_at < $1 AND outcome <> 'pending'")
        .bind(before_ms)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// One page of entries, newest first, and the total matching.
pub async fn list(db: &Db, query: &AuditQuery) -> Result<(Vec<AuditEntry>, i64), PortalError> {
    let mut conditions = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    let mut push = |sql: &str, bind: Bind| {
        binds.push(bind);
        conditions.push(format!("{sql} ${}", binds.len()));
    };
    if let Some(actor) = query.actor.as_ref().filter(|s| !s.is_empty()) {
        push("actor =", Bind::Text(actor.clone()));
    }
    if let Some(action) = query.action.as_ref().filter(|s| !s.is_empty()) {
        push("action =", Bind::Text(action.clone()));
    }
    if let Some(account) = query.account.as_ref().filter(|s| !s.is_empty()) {
        push("account =", Bind::Text(account.clone()));
    }
    if let Some(outcome) = query.outcome {
        push("outcome =", Bind::Text(outcome.as_str().to_owned()));
    }
    if let Some(from) = query.from_ms {
        push("occurred_at >=", Bind::Int(from));
    }
    if let Some(to) = query.to_ms {
        push("occurred_at <=", Bind::Int(to));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };

    let count_sql = format!("SELECT COUNT(*) FROM audit_log{filter}");
    let mut count = sqlx::query(&count_sql);
    for bind in &binds {
        count = bind.apply(count);
    }
    let total: i64 = count.fetch_one(db.pool()).await?.try_get(0)?;

    let limit = query.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let offset = query.offset.unwrap_or(0);
    let page_sql = format!(
        "SELECT id, occurred_at, actor, via, action, account, request, outcome, detail, \
         upstream_request_id FROM audit_log{filter} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    );
    let mut page = sqlx::query(&page_sql);
    for bind in &binds {
        page = bind.apply(page);
    }
    let rows = page.fetch_all(db.pool()).await?;
    let entries = rows.iter().map(entry).collect::<Result<_, _>>()?;
    Ok((entries, total))
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Bind {
    fn apply<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Bind::Text(s) => query.bind(s.clone()),
            Bind::Int(i) => query.bind(*i),
        }
    }
}

fn entry(row: &AnyRow) -> Result<AuditEntry, PortalError> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at_ms: row.try_get("occurred_at")?,
        actor: row.try_get("actor")?,
        via: row.try_get("via")?,
        action: row.try_get("action")?,
        account: row.try_get("account")?,
        request: row.try_get("request")?,
        outcome: row
            .try_get::<String, _>("outcome")?
            .parse()
            .unwrap_or(Outcome::Failed),
        detail: row.try_get("detail")?,
        upstream_request_id: row.try_get("upstream_request_id")?,
    })
}

/// The entries as CSV with a header row, for the admin page's export.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from(
        "id,time_ms,actor,via,action,account,outcome,upstream_request_id,detail,request\n",
    );
    for e in entries {
        let fields = [
            e.id.as_str(),
            &e.at_ms.to_string(),
            &e.actor,
            &e.via,
            &e.action,
            e.account.as_deref().unwrap_or(""),
            e.outcome.as_str(),
            e.upstream_request_id.as_deref().unwrap_or(""),
            e.detail.as_deref().unwrap_or(""),
            e.request.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// Quotes a CSV field, and defuses a leading formula character so a
/// spreadsheet does not run what a user typed. Tab and carriage return
/// count too: some spreadsheets skip them and then see the formula (OWASP).
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}
