//! The endpoint runners: every cloud endpoint declared in
//! [`crate::endpoints`] runs through [`read`] or [`change`], which check the
//! declared role, validate the request, pick the account's client and make
//! the call. A change also takes the one path every state-changing call
//! takes ([`mutate`]): the `Idempotency-Key` is claimed, the audit row
//! written as pending under the endpoint's path, the call made (once, never
//! retried), the outcome recorded before the answer goes back, and the live
//! task list the declaration names refreshed.

use crate::endpoints::{Endpoint, Kind};
use crate::error::AppError;
use crate::state::AppState;
use scanport_cloud::CloudError;
use scanport_cloud::hss::HssClient;
use scanport_cloud::tcss::TcssClient;
use scanport_portal::audit::{self, Finish, NewEntry};
use scanport_portal::idempotency::{self, Claim};
use scanport_portal::{Outcome, Principal};
use scanport_wire::findings::ImageFindingsRequest;
use scanport_wire::validate::Validate;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The header scripts send; the UI sends the same value in the body's
/// `idempotency_key`, one per confirmation.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// A client an account can have: how to find this account's.
pub trait AccountClient: Sized {
    fn of<'s>(state: &'s AppState, account: &str) -> Result<&'s Self, AppError>;
}

impl AccountClient for HssClient {
    fn of<'s>(state: &'s AppState, account: &str) -> Result<&'s Self, AppError> {
        state.hss(Some(account))
    }
}

impl AccountClient for TcssClient {
    fn of<'s>(state: &'s AppState, account: &str) -> Result<&'s Self, AppError> {
        state.tcss(Some(account))
    }
}

/// Checks the caller against the endpoint's declared role; `None` for an
/// endpoint open to anyone.
pub fn authorize(endpoint: &Endpoint) -> Result<Option<Principal>, AppError> {
    endpoint.role.map(crate::auth::require).transpose()
}

/// The caller of an endpoint that needs a role, checked against it. A
/// change refused because the caller's token is limited records a
/// `denied` row naming the token.
pub async fn caller_for(endpoint: &Endpoint) -> Result<Principal, AppError> {
    let checked = authorize(endpoint).and_then(|c| c.ok_or(AppError::Unauthenticated));
    if let Err(err) = &checked {
        record_beyond_scope(endpoint, None, err).await;
    }
    checked
}

/// Writes the `denied` audit row of a change refused for its token's
/// scope: who tried what, with which token, and the limit. Reads are not
/// recorded, as no read is.
pub async fn record_beyond_scope(endpoint: &Endpoint, account: Option<&str>, err: &AppError) {
    if endpoint.kind == Kind::Read || !matches!(err, AppError::OutOfScope { .. }) {
        return;
    }
    let (Some(caller), Ok(state)) = (crate::auth::caller(), crate::state::app_state()) else {
        return;
    };
    let entry = NewEntry {
        actor: &caller.name,
        via: &caller.via_label(),
        action: endpoint.path,
        account,
        request: None,
    };
    let detail = err.to_string();
    let finish = Finish {
        detail: Some(&detail),
        upstream_request_id: None,
    };
    if let Err(e) = audit::record(&state.portal.db, entry, Outcome::Denied, finish).await {
        tracing::error!(error = %e, action = endpoint.path, "cannot record a denied change");
    }
}

/// Runs a read endpoint: role, validation, then `call` with the account's
/// client.
pub async fn read<C, R, T>(
    endpoint: &Endpoint,
    account: &str,
    request: &R,
    call: impl AsyncFnOnce(&C, &R) -> Result<T, CloudError>,
) -> Result<T, AppError>
where
    C: AccountClient,
    R: Validate,
{
    debug_assert_eq!(endpoint.kind, Kind::Read, "{}", endpoint.path);
    authorize(endpoint)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = C::of(&state, account)?;
    Ok(as_caller(call(client, request)).await?)
}

/// Runs `work` with its cloud calls counted against the signed-in
/// caller's fair share of the account's call budget (see
/// [`scanport_cloud::budget`]); without a caller, against the shared one.
pub async fn as_caller<F: Future>(work: F) -> F::Output {
    match crate::auth::caller() {
        Some(caller) => scanport_cloud::budget::on_behalf_of(&caller.user_id, work).await,
        None => work.await,
    }
}

/// How long findings fetched without knowing the image's scan time are
/// trusted (a caller that says the scan time gets them until the image is
/// scanned again).
pub const UNKNOWN_SCAN_TTL_MS: i64 = 10 * 60 * 1000;

/// Which cached list a findings read wants.
#[derive(Debug, Clone, Copy)]
pub struct FindingsKey<'a> {
    /// The list and the upstream filters it was fetched with.
    pub kind: &'a str,
    pub image: &'a str,
    /// The image's last scan time as the caller saw it in an image list.
    pub scanned_at: Option<&'a str>,
}

/// What the findings cache holds for one image: every finding of one kind.
#[derive(Serialize, serde::Deserialize)]
struct CachedList<T> {
    items: Vec<T>,
    complete: bool,
}

/// A findings read, for a caller already checked: the request validated,
/// then the image's whole list from the findings cache, or from `fetch`
/// (every page, then stored) when the cache has none for this scan of the
/// image. Answers the list, whether it is complete, and when it was
/// fetched; the caller filters and pages it, as the service would have.
pub async fn cached_list<C, R, T>(
    state: &AppState,
    account: &str,
    request: &R,
    key: FindingsKey<'_>,
    fetch: impl AsyncFnOnce(&C, &R) -> Result<(Vec<T>, bool), CloudError>,
) -> Result<(Vec<T>, bool, i64), AppError>
where
    C: AccountClient,
    R: Validate,
    T: Serialize + DeserializeOwned,
{
    use scanport_portal::findings;
    request.validate()?;
    scanport_wire::findings::validate_scanned_at(key.scanned_at.unwrap_or(""))?;
    let client = C::of(state, account)?;
    let db = &state.portal.db;
    let cache_key = findings::Key {
        account,
        kind: key.kind,
        image: key.image,
        scanned_at: key.scanned_at.unwrap_or(""),
    };
    if let Some(hit) = findings::get(db, cache_key, UNKNOWN_SCAN_TTL_MS).await?
        && let Ok(list) = serde_json::from_str::<CachedList<T>>(&hit.body)
    {
        return Ok((list.items, list.complete, hit.fetched_at_ms));
    }
    let (items, complete) = as_caller(fetch(client, request)).await?;
    let list = CachedList { items, complete };
    let body = serde_json::to_string(&list).map_err(|e| AppError::Internal {
        message: format!("cannot encode findings: {e}"),
    })?;
    let fetched_at_ms = findings::put(db, cache_key, &body).await?;
    Ok((list.items, list.complete, fetched_at_ms))
}

/// An image's whole list of one kind of findings, keyed as the request
/// says ([`ImageFindingsRequest`]), from the cache or `fetch`.
pub async fn image_findings<C, R>(
    state: &AppState,
    account: &str,
    request: &R,
    scanned_at: Option<&str>,
    fetch: impl AsyncFnOnce(&C, &R) -> Result<(Vec<R::Item>, bool), CloudError>,
) -> Result<(Vec<R::Item>, bool, i64), AppError>
where
    C: AccountClient,
    R: ImageFindingsRequest + Validate,
    R::Item: Serialize + DeserializeOwned,
{
    let kind = request.cache_kind();
    let image = request.cache_image();
    let key = FindingsKey {
        kind: &kind,
        image: &image,
        scanned_at: scanned_at.filter(|s| !s.is_empty()),
    };
    cached_list(state, account, request, key, fetch).await
}

/// What a public findings endpoint (`hss/image-malware`, …) answers of the
/// image's whole list: filtered and paged as the service would have.
pub fn findings_page<R: ImageFindingsRequest>(
    request: &R,
    (all, complete, fetched_at_ms): (Vec<R::Item>, bool, i64),
) -> FindingsPage<R::Item> {
    let matching: Vec<_> = all.into_iter().filter(|i| request.matches(i)).collect();
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    let (offset, limit) = request.window();
    FindingsPage {
        items: page(matching, offset, limit, 10),
        total,
        complete,
        fetched_at_ms,
    }
}

/// What [`findings_page`] answers; each endpoint wraps it in its cloud's
/// answer shape.
pub struct FindingsPage<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub complete: bool,
    pub fetched_at_ms: i64,
}

/// One page of `items` as the service pages: from `offset` (0 if none),
/// `limit` items (`default_limit` if none).
pub fn page<T>(
    items: Vec<T>,
    offset: Option<i64>,
    limit: Option<i64>,
    default_limit: i64,
) -> Vec<T> {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(limit.unwrap_or(default_limit)).unwrap_or(0);
    items.into_iter().skip(offset).take(limit).collect()
}

/// Runs a change endpoint: role, validation, then `call` through
/// [`mutate`], then the refresh the declaration names. `call` answers the
/// upstream response and, where the service gives one, its request id.
pub async fn change<C, R, T>(
    endpoint: &Endpoint,
    account: &str,
    request: &R,
    idempotency_key: Option<String>,
    call: impl AsyncFnOnce(&C, &R) -> Result<(T, Option<String>), CloudError>,
) -> Result<T, AppError>
where
    C: AccountClient,
    R: Validate + Serialize,
    T: Serialize + DeserializeOwned,
{
    debug_assert_ne!(endpoint.kind, Kind::Read, "{}", endpoint.path);
    let refresh = match endpoint.kind {
        Kind::Change { refresh } => refresh,
        Kind::Read => None,
    };
    let caller = caller_for(endpoint).await?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = match C::of(&state, account) {
        Ok(client) => client,
        Err(err) => {
            record_beyond_scope(endpoint, Some(account), &err).await;
            return Err(err);
        }
    };
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: endpoint.path,
            account,
            request,
            idempotency_key,
        },
        || async { Ok(call(client, request).await?) },
    )
    .await;
    if let Some(feed) = refresh {
        state.refresh_after(account, feed, &answer);
    }
    answer
}

/// A state-changing call about to be made.
pub struct Mutation<'a, R: Serialize> {
    pub state: &'a AppState,
    pub caller: &'a Principal,
    /// The public endpoint, e.g. `hss/batch-scan`; also the audit action.
    pub action: &'static str,
    pub account: &'a str,
    pub request: &'a R,
    /// From the body; the header wins when both are given.
    pub idempotency_key: Option<String>,
}

/// Runs `call` as described in the module comment. `call` answers the
/// upstream response and, where the service gives one, its request id.
pub async fn mutate<R, T, F, Fut>(m: Mutation<'_, R>, call: F) -> Result<T, AppError>
where
    R: Serialize,
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(T, Option<String>), AppError>>,
{
    let db = &m.state.portal.db;
    let request_json = serde_json::to_string(m.request).map_err(|e| AppError::Internal {
        message: format!("cannot encode the request: {e}"),
    })?;
    let key = crate::auth::header(IDEMPOTENCY_HEADER).or(m.idempotency_key);
    if let Some(key) = &key {
        let fingerprint = idempotency::fingerprint(m.action, m.account, &request_json);
        match idempotency::claim(db, &m.caller.user_id, key, &fingerprint).await? {
            Claim::Fresh => {}
            Claim::Replay { status, body } => return replay(status, &body),
            Claim::Mismatch => {
                return Err(AppError::Conflict {
                    message: "This Idempotency-Key was already used for a different request; \
                              use a new key for a new request."
                        .to_owned(),
                });
            }
            Claim::InFlight => {
                return Err(AppError::Conflict {
                    message: "The first request with this Idempotency-Key has not finished \
                              (or the server stopped during it); check the task list before \
                              sending it again with a new key."
                        .to_owned(),
                });
            }
        }
    }

    let audit_id = audit::begin(
        db,
        NewEntry {
            actor: &m.caller.name,
            via: &m.caller.via_label(),
            action: m.action,
            account: Some(m.account),
            request: Some(request_json),
        },
    )
    .await;
    let audit_id = match audit_id {
        Ok(id) => id,
        Err(err) => {
            // Nothing was sent: the key is free for a retry.
            if let Some(key) = &key {
                idempotency::release(db, &m.caller.user_id, key).await?;
            }
            return Err(err.into());
        }
    };

    let result = scanport_cloud::budget::on_behalf_of(&m.caller.user_id, call()).await;

    let (outcome, detail, request_id) = match &result {
        Ok((_, request_id)) => (Outcome::Ok, None, request_id.clone()),
        Err(err) => (
            Outcome::Failed,
            Some(err.to_string()),
            err.request_id().map(str::to_owned),
        ),
    };
    // The cloud has answered: a failure to record it must not turn a
    // launch that happened into an error (a retry would launch again).
    // The row stays pending and is closed as interrupted later.
    if let Err(err) = audit::finish(
        db,
        &audit_id,
        outcome,
        Finish {
            detail: detail.as_deref(),
            upstream_request_id: request_id.as_deref(),
        },
    )
    .await
    {
        tracing::error!(error = %err, audit_id, action = m.action, "cannot finish an audit row");
    }

    let result = result.map(|(answer, _)| answer);
    if let Some(key) = &key
        && let Err(err) = remember(m.state, &m.caller.user_id, key, &result).await
    {
        // Same reason: the answer stands; a retry with this key is told
        // the first request has not finished, never launched twice.
        tracing::error!(error = %err, action = m.action, "cannot store an idempotent answer");
    }
    result
}

/// Stores the answer for the key, or frees the key when the cloud surely
/// did not act (it refused before doing anything), so a retry may go.
async fn remember<T: Serialize>(
    state: &AppState,
    user_id: &str,
    key: &str,
    result: &Result<T, AppError>,
) -> Result<(), AppError> {
    let db = &state.portal.db;
    let (status, body) = match result {
        Ok(answer) => (200, serde_json::to_string(answer).unwrap_or_default()),
        Err(
            AppError::RateLimited { .. }
            | AppError::InvalidInput { .. }
            | AppError::AuthRejected { .. }
            | AppError::ClockSkew { .. }
            | AppError::AccountPaused { .. },
        ) => {
            idempotency::release(db, user_id, key).await?;
            return Ok(());
        }
        Err(err) => (err.status(), serde_json::to_string(err).unwrap_or_default()),
    };
    idempotency::complete(db, user_id, key, status, &body).await?;
    Ok(())
}

fn replay<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, AppError> {
    let broken = |e: serde_json::Error| AppError::Internal {
        message: format!("the stored answer for this Idempotency-Key is unreadable: {e}"),
    };
    if status == 200 {
        serde_json::from_str(body).map_err(broken)
    } else {
        Err(serde_json::from_str(body).map_err(broken)?)
    }
}
