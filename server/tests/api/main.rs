//! The public API against a real server: a loopback Scanport with a temp
//! SQLite database and a real sandbox upstream (see `common`). One test
//! binary for all of it, so it is built and linked once.
//!
//! - `access`: sign-in required, roles, cross-site refusal, GET never
//!   changes anything.
//! - `hostile`: generated malformed, mistyped, huge, deep and oversize
//!   bodies on every POST endpoint; path tricks in ids.
//! - `docs_examples`: every `curl` example in docs/API.md, run as written.
//! - `hardening`: `Cache-Control: no-store` on the API, `Host` names, a
//!   readable 413 for a client that sends its whole body first, security
//!   headers, public health checks, JSON 404s.
//! - `faults`: the fault matrix (down, slow, hanging, 5xx, throttled,
//!   malformed, refused keys, clock skew) and the live stream under faults.
//! - `findings`: an image's findings, served from the findings cache.
//! - `launch`: idempotency, the audit log, input checks, no credential in
//!   an answer.
//! - `bodies`: oversize (announced or streamed) and malformed bodies.
//! - `tcss_scans`: a TCSS scan stopped and audited, followed live.
//! - `metrics`: `/metrics` names every measure, for admins and allowed
//!   addresses only.
//! - `registry_images`: HSS registry images and a sync task's registries:
//!   filters, a chosen Harbor image scanned, checks.
//! - `scan_policy`: the HSS scan policy: roles, audit, idempotency, checks.
//! - `tokens`: API tokens shown once, revoked and expired; service users
//!   and tokens limited to a role and to some accounts.
//! - `revocation`: a disabled user, a changed role or a revoked credential
//!   counts on the next request and ends open streams.
//! - `sign_in`: first-admin setup, sign-in throttling, session cookies,
//!   signing out, and where `next` may lead.
//!
//! Every test also checks that no response carried the accounts' canary
//! credentials. Run with `--nocapture` to see the role × endpoint table.

mod access;
mod bodies;
mod common;
mod docs_examples;
mod faults;
mod findings;
mod hardening;
mod hostile;
mod launch;
mod metrics;
mod overview;
mod registry_images;
mod revocation;
mod scan_policy;
mod sign_in;
mod tcss_registries;
mod tcss_scans;
mod tokens;
mod vulnerabilities;
// Shared with the `restarts` binary.
#[path = "../support/streams.rs"]
mod streams;
