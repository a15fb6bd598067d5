mod list_registries;
pub use list_registries::*;
