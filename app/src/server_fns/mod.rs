//! Server functions, one per file, grouped by domain. Each body runs only
//! on the server: it authorises, validates and calls a cloud client.

pub mod accounts;
pub mod registries;
pub mod tasks;
