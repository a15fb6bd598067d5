pub mod moment;
pub mod idempotency;
