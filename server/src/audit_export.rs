//! `GET /api/v1/admin/audit.csv?actor=&action=&account=&outcome=&from_ms=&to_ms=`:
//! the audit log as CSV (admin), newest first, at most 50,000 rows.

use crate::security::refuse;
use axum::Extension;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use scanport_app::state::AppState;
use scanport_portal::{AuditQuery, Principal, Role, audit};

const MAX_ROWS: u32 = 50_000;

pub async fn audit_csv(
    Extension(state): Extension<AppState>,
    caller: Option<Extension<Principal>>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(Extension(caller)) = caller else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Please sign in.",
        );
    };
    if !caller.role.allows(Role::Admin) {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this.",
        );
    }
    let Ok(Query(mut query)) = query else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "filters: actor, action, account, outcome (pending|ok|failed|denied), from_ms, to_ms",
        );
    };
    let mut rows = Vec::new();
    query.offset = Some(0);
    query.limit = Some(audit::MAX_PAGE);
    loop {
        match audit::list(&state.portal.db, &query).await {
            Ok((page, total)) => {
                let done = page.len() < audit::MAX_PAGE as usize;
                rows.extend(page);
                if done || rows.len() as i64 >= total || rows.len() >= MAX_ROWS as usize {
                    break;
                }
                query.offset = Some(rows.len() as u32);
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot read the audit log");
                return refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The console's database is unavailable.",
                );
            }
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"scanport-audit.csv\"",
            ),
        ],
        audit::to_csv(&rows),
    )
        .into_response()
}
