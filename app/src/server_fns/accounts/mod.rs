mod list_accounts;
mod retry;
pub use list_accounts::*;
pub use retry::*;

/// The first account of `provider`, for pages opened without `?account=`.
pub async fn default_account(
    provider: crate::accounts::Provider,
) -> Result<String, crate::error::AppError> {
    list_accounts()
        .await?
        .into_iter()
        .find(|a| a.provider == provider)
        .map(|a| a.id)
        .ok_or_else(|| crate::error::AppError::NotFound {
            what: format!("A {} account", provider.label()),
        })
}

/// The account a page of `providers` shows: the one asked for, else the
/// first account of the first of `providers` that has one.
pub async fn page_account(
    asked: Option<String>,
    providers: &[crate::accounts::Provider],
) -> Result<crate::accounts::AccountInfo, crate::error::AppError> {
    let all = list_accounts().await?;
    let found = match &asked {
        Some(id) => all.into_iter().find(|a| &a.id == id),
        None => providers
            .iter()
            .find_map(|p| all.iter().find(|a| a.provider == *p))
            .cloned(),
    };
    found.ok_or_else(|| crate::error::AppError::NotFound {
        what: match asked {
            Some(id) => format!("Account {:?}", id.chars().take(64).collect::<String>()),
            None => "An account".to_owned(),
        },
    })
}
