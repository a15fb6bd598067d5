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
