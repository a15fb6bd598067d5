//! The two request signers. Both are small and written by hand because they
//! must reproduce the official SDKs byte for byte (`shared/vectors/signing.json`).
//!
//! They run once per upstream call (and once per request the sandbox
//! checks), so they build each string in one pre-sized buffer, keep digests
//! and hex on the stack, and never go through `format!`.

pub mod huawei;
pub mod tencent;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Which bytes `push_encoded` keeps as they are; every other byte is
/// percent-encoded (space becomes `%20`, never `+`).
#[derive(Clone, Copy)]
pub(crate) enum Keep {
    /// The unreserved set `A-Za-z0-9-_.~`.
    Unreserved,
    /// The unreserved set and `/`.
    UnreservedAndSlash,
}

impl Keep {
    fn keeps(self, byte: u8) -> bool {
        match self {
            Keep::Unreserved => KEPT[usize::from(byte)],
            Keep::UnreservedAndSlash => byte == b'/' || KEPT[usize::from(byte)],
        }
    }
}

/// The unreserved bytes, as a table: encoding looks up every byte.
const KEPT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

/// Percent-encodes a path segment, query name or query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_encoded(&mut out, value, Keep::Unreserved);
    out
}

/// Appends `value` percent-encoded with `set`, copying runs of kept bytes
/// whole (a byte loop; the crate's iterator costs more per call here).
pub(crate) fn push_encoded(out: &mut String, value: &str, keep: Keep) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = value.as_bytes();
    let mut run_start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if keep.keeps(byte) {
            continue;
        }
        // Kept bytes are ASCII, so a non-empty run starts and ends on
        // character boundaries.
        if run_start < i {
            out.push_str(&value[run_start..i]);
        }
        out.push('%');
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
        run_start = i + 1;
    }
    if run_start < bytes.len() {
        out.push_str(&value[run_start..]);
    }
}

/// A SHA-256 digest as 64 lower-case hex digits, on the stack.
pub(crate) struct Hex([u8; 64]);

impl Hex {
    pub(crate) fn of(digest: &[u8; 32]) -> Self {
        let mut buf = [0u8; 64];
        hex::encode_to_slice(digest, &mut buf).expect("64 digits hold 32 bytes");
        Self(buf)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-256 of the empty body (every GET), known in advance.
const EMPTY_SHA256_HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Appends the hex SHA-256 of a request body.
pub(crate) fn push_body_hash(out: &mut String, body: &[u8]) {
    if body.is_empty() {
        out.push_str(EMPTY_SHA256_HEX);
    } else {
        out.push_str(Hex::of(&sha256(body)).as_str());
    }
}

pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// What a signer produced: the intermediate strings (for tests and
/// diagnostics) and the `Authorization` header value.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub authorization: String,
}

// The Authorization header is a credential for as long as the date is fresh,
// so it never appears in a debug print.
impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signature([redacted])")
    }
}
