pub mod drawn_once;
pub mod idempotency;
pub mod moment;
