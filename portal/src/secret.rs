//! Random secrets and the hashes they are stored as.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits as hex, from the thread's CSPRNG (seeded by the OS).
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How session ids and API tokens are stored. They are 256-bit random
/// values, so a fast hash is enough: there is nothing to guess.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// A time-ordered unique id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
