//! The Scanport server as a library: the binary (`main.rs`) is a thin
//! wrapper, and integration tests build the same router it serves.

// Leptos views are deeply nested types; release builds need room to lay them out.
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin_cli;
pub mod assets;
pub mod audit_export;
pub mod auth;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod detach;
pub mod events;
pub mod findings_export;
pub mod metrics;
pub mod overview;
pub mod portal;
pub mod preferences;
pub mod replicas;
pub mod request_log;
pub mod router;
pub mod security;
pub mod shutdown;
pub mod sign_in;
pub mod task_export;
pub mod vulnerability_export;

/// mimalloc for the server, its tests and benches alike: server rendering
/// allocates many small, short-lived buffers, and renders the Tasks page
/// 25% faster with it. Built without transparent huge pages (Cargo.toml):
/// with them, 10,000 idle event streams held 31 KB each instead of 19
/// (BENCHMARKS.md), and rendering was no faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
