//! The public HSS endpoints, `POST /api/v1/hss/…`: each takes
//! `{"account": ID, "request": {…upstream request…}}` and answers the
//! upstream response.

mod findings;
mod image_findings;
mod launch;
mod policy;
mod read;
mod registry_images;
mod sync;
mod vulnerabilities;

pub use findings::*;
pub use image_findings::*;
pub use launch::*;
pub use policy::*;
pub use read::*;
pub use registry_images::*;
pub use sync::*;
pub use vulnerabilities::*;
