pub mod admin;
pub mod common;
pub mod error_notice;
pub mod images;
pub mod layout;
pub mod registries;
pub mod schedule;
pub mod tasks;
