//! What the browser may know about a configured cloud account (declared in
//! `scanport_wire::accounts`, shared with the server's config).

pub use scanport_wire::accounts::{AccountInfo, Provider};
