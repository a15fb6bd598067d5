mod list_accounts;
pub use list_accounts::*;
