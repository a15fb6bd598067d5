//! Who is signed in. Signing in and out are plain form posts handled by the
//! server (`/login`, `/logout`, `/setup`), so they work without JavaScript.

mod me;

pub use me::*;
