//! The admin page's parts (`/admin`): users, API tokens and the audit log.

pub mod add_user_form;
pub mod audit_filters;
pub mod audit_log;
pub mod create_token_form;
pub mod data;
pub mod feedback;
pub mod token_table;
pub mod user_table;
