pub mod not_found;
pub mod registries;
pub mod tasks;
