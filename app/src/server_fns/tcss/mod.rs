//! The public TCSS endpoints, `POST /api/v1/tcss/…`: each takes
//! `{"account": ID, "request": {…upstream request…}}` and answers the
//! upstream response.

mod registry;
mod schedule;

pub use registry::*;
pub use schedule::*;
