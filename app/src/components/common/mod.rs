pub mod idempotency;
pub mod moment;
