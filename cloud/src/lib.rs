//! Everything that talks to the clouds, compiled only into the server.
//!
//! - [`signing`]: Huawei `SDK-HMAC-SHA256` and Tencent `TC3-HMAC-SHA256`.
//! - [`hss`]: the typed Huawei HSS client.
//! - [`tcss`]: the typed Tencent TCSS client.
//! - [`budget`], [`hub`], [`read_cache`]: per-account call budgets, the
//!   live task lists shared by every viewer, and the short read cache.
//!
//! The sandbox that imitates both services is its own crate,
//! `scanport-sandbox`, built on these signers.
//!
//! Credentials live in [`credentials`] types that are not `Serialize` and
//! print redacted, so they cannot reach the browser or a log by accident.

pub mod budget;
pub mod credentials;
pub mod decode;
pub mod error;
pub mod findings;
pub mod hss;
pub mod hub;
pub mod pause;
pub mod read_cache;
pub mod signing;
pub mod tcss;
pub mod telemetry;
mod transport;

pub use credentials::{HuaweiCredentials, TencentCredentials};
pub use error::CloudError;
pub use transport::{HttpSettings, http_client};
