pub mod error_notice;
pub mod layout;
pub mod tasks;
