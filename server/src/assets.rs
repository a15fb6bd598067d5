//! The browser bundle under `/pkg`: served from the build's precompressed
//! copies (`.br`, `.gz`, written by `cargo leptos build --precompress`)
//! when the browser accepts them, and cached for a year when the file
//! names carry content hashes.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::map_response;
use axum::response::Response;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

/// The file cargo-leptos writes next to the server binary when it names
/// assets by content hash; Leptos reads it to put those names in the HTML.
const HASH_FILE: &str = "hash.txt";

/// Whether this binary was built with hashed asset names: true when
/// cargo-leptos left its hash file beside the executable. Test binaries and
/// `cargo run` builds have none, and then get the plain names.
pub fn hashed_names() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)))
        .is_some_and(|file| file.is_file())
}

/// How long browsers may keep a bundle file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// Hashed names: a new build gets new names, so a file never changes.
    Immutable,
    /// Plain names: the browser must revalidate (ETag/Last-Modified).
    Revalidate,
}

impl CachePolicy {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Revalidate => "no-cache",
        })
    }
}

/// The `/pkg` directory of a site root.
pub fn pkg_dir(site_root: &str, site_pkg_dir: &str) -> PathBuf {
    Path::new(site_root).join(site_pkg_dir)
}

/// A router serving `dir`: precompressed variants first (brotli, then
/// gzip), a plain 404 for missing files.
pub fn service(dir: impl AsRef<Path>, cache: CachePolicy) -> Router {
    let files = ServeDir::new(dir.as_ref())
        .precompressed_br()
        .precompressed_gzip();
    Router::new().fallback_service(files).layer(map_response(
        move |mut response: Response| async move {
            // Only successful answers are cacheable; a 404 during a
            // deploy must not stick.
            if response.status().is_success() || response.status().as_u16() == 304 {
                let headers = response.headers_mut();
                headers.insert(header::CACHE_CONTROL, cache.header());
                // The body depends on Accept-Encoding: shared caches must
                // key on it.
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            response
        },
    ))
}
