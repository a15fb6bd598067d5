//! The public TCSS endpoints, `POST /api/v1/tcss/…`: each takes
//! `{"account": ID, "request": {…upstream request…}}` and answers the
//! upstream response.

mod findings;
mod registries;
mod registry;
mod schedule;
mod vulnerabilities;

pub use findings::*;
pub use registries::*;
pub use registry::*;
pub use schedule::*;
pub use vulnerabilities::*;
