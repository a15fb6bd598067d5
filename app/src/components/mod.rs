pub mod common;
pub mod error_notice;
pub mod layout;
pub mod registries;
pub mod tasks;
