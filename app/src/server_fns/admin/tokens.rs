use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::portal::{Role, TokenInfo};
use serde::{Deserialize, Serialize};

/// A token just created: shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: String,
    pub info: TokenInfo,
}

/// `admin/tokens`: every API token, without the tokens themselves (admin).
#[server(prefix = "/api/v1", endpoint = "admin/tokens", input = Json)]
pub async fn list_tokens() -> Result<Vec<TokenInfo>, AppError> {
    crate::ops::authorize(&crate::endpoints::ADMIN_TOKENS)?;
    let state = crate::state::app_state()?;
    Ok(scanport_portal::tokens::list(&state.portal.db).await?)
}

/// `admin/tokens/create`: a token acting as `user` (admin). It expires
/// after `expires_days`, by default the console's `auth.token_expiry_days`,
/// or never with `no_expiry`. With `role` it may do at most that (never
/// more than its user), with `accounts` only on those accounts.
#[server(prefix = "/api/v1", endpoint = "admin/tokens/create", input = Json)]
pub async fn create_token(
    user: String,
    label: String,
    #[server(default)] expires_days: Option<u32>,
    #[server(default)] no_expiry: bool,
    #[server(default)] role: Option<Role>,
    #[server(default)] accounts: Option<Vec<String>>,
) -> Result<NewToken, AppError> {
    let endpoint = &crate::endpoints::ADMIN_TOKENS_CREATE;
    let caller = crate::ops::caller_for(endpoint).await?;
    let state = crate::state::app_state()?;
    let lifetime = match (expires_days, no_expiry) {
        (Some(_), true) => {
            return Err(AppError::invalid(
                "expires_days",
                "cannot be given with no_expiry: true",
            ));
        }
        (days, false) => Some(days.unwrap_or(state.portal.token_expiry_days)),
        (None, true) => None,
    };
    let scope = scanport_portal::Scope { role, accounts };
    scanport_portal::tokens::validate_scope(&scope)?;
    if let Some(unknown) = scope
        .accounts
        .iter()
        .flatten()
        .find(|name| !state.accounts.iter().any(|a| &a.info.id == *name))
    {
        return Err(AppError::invalid(
            "accounts",
            format!("no account is named {unknown:?}"),
        ));
    }
    // The store adds the new token's `id` to the row, so its later calls
    // (`token:<id>`) lead back to who made it.
    let row = super::ChangeRow::new(
        &caller,
        endpoint.path,
        serde_json::json!({
            "user": user,
            "label": label,
            "expires_days": lifetime,
            "role": scope.role,
            "accounts": scope.accounts,
        }),
    );
    let created = scanport_portal::tokens::create_scoped(
        &state.portal.db,
        &user,
        label.trim(),
        lifetime,
        &scope,
        Some(&row.entry()),
    )
    .await;
    row.record_if_failed(&state, &created).await?;
    let (info, token) = created?;
    Ok(NewToken { token, info })
}

/// `admin/tokens/revoke`: the token stops working at once (admin).
#[server(prefix = "/api/v1", endpoint = "admin/tokens/revoke", input = Json)]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    let endpoint = &crate::endpoints::ADMIN_TOKENS_REVOKE;
    let caller = crate::ops::caller_for(endpoint).await?;
    let state = crate::state::app_state()?;
    let row = super::ChangeRow::new(&caller, endpoint.path, serde_json::json!({ "id": id }));
    let done = scanport_portal::tokens::revoke(&state.portal.db, &id, Some(&row.entry())).await;
    if done.is_ok() {
        state.portal.note_revocation();
    }
    row.record_if_failed(&state, &done).await?;
    Ok(done?)
}
