pub mod admin;
pub mod images;
pub mod login;
pub mod not_found;
pub mod registries;
pub mod schedule;
pub mod setup;
pub mod tasks;
