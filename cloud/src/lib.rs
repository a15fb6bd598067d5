//! Everything that talks to the clouds, compiled only into the server.
//!
//! - [`signing`]: Huawei `SDK-HMAC-SHA256` and Tencent `TC3-HMAC-SHA256`.
//! - [`hss`]: the typed Huawei HSS client.
//! - [`tcss`]: the typed Tencent TCSS client.
//! - [`sandbox`]: an HTTP server that speaks both services' wire protocols,
//!   used as the embedded default and as the tests' upstream.
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
pub mod sandbox;
pub mod signing;
pub mod tcss;
pub mod telemetry;
mod transport;

pub use credentials::{HuaweiCredentials, TencentCredentials};
pub use error::CloudError;
pub use transport::{HttpSettings, http_client};
