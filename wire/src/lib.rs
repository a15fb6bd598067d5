//! Wire types for the two upstream services, named exactly as the services
//! name them (snake_case for Huawei HSS, PascalCase for Tencent TCSS) so they
//! can be held against the official references, plus the validation rules
//! from `spec/API.md`. This crate has no dependencies beyond serde, so the
//! browser can validate a form with the very rules the server enforces.

mod macros;

pub mod accounts;
#[cfg(not(target_arch = "wasm32"))]
pub mod clock;
pub mod findings;
pub mod hss;
pub mod live;
pub mod overview;
pub mod portal;
pub mod query;
pub mod tcss;
pub mod upstream;
pub mod validate;
pub mod vulnerabilities;

pub use validate::FieldError;
