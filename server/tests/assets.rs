//! The `/pkg` bundle service: precompressed variants by Accept-Encoding,
//! and a year-long immutable cache only for hashed names. Runs on a small
//! fake bundle, so no site build is needed.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use scanport::assets::{CachePolicy, service};
use tower::ServiceExt;

const WASM: &[u8] = b"\0asm plain bytes";
const WASM_BR: &[u8] = b"brotli bytes";
const WASM_GZ: &[u8] = b"gzip bytes";

/// A bundle dir with a hashed WASM file and its precompressed copies, and a
/// stylesheet with no copies.
fn bundle() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.path().join(name), bytes).expect("write bundle file")
    };
    write("scanport.Ab3x.wasm", WASM);
    write("scanport.Ab3x.wasm.br", WASM_BR);
    write("scanport.Ab3x.wasm.gz", WASM_GZ);
    write("scanport.Ab3x.css", b"body{}");
    dir
}

struct Answer {
    status: StatusCode,
    encoding: Option<String>,
    cache: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

async fn get(dir: &tempfile::TempDir, cache: CachePolicy, path: &str, accept: &str) -> Answer {
    let mut request = Request::get(path);
    if !accept.is_empty() {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = service(dir.path(), cache)
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii header").to_owned())
    };
    Answer {
        status: response.status(),
        encoding: header(header::CONTENT_ENCODING),
        cache: header(header::CACHE_CONTROL),
        content_type: header(header::CONTENT_TYPE),
        body: to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body")
            .to_vec(),
    }
}

#[tokio::test]
async fn brotli_is_sent_to_browsers_that_accept_it_with_a_year_long_cache() {
    let dir = bundle();
    let answer = get(
        &dir,
        CachePolicy::Immutable,
        "/scanport.Ab3x.wasm",
        "gzip, deflate, br, zstd",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.encoding.as_deref(), Some("br"));
    assert_eq!(answer.body, WASM_BR);
    // The type of the file, not of its compressed copy: browsers stream-
    // compile WASM only when it is served as application/wasm.
    assert_eq!(answer.content_type.as_deref(), Some("application/wasm"));
    assert_eq!(
        answer.cache.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn gzip_and_plain_are_the_fallbacks() {
    let dir = bundle();
    let gzip = get(&dir, CachePolicy::Immutable, "/scanport.Ab3x.wasm", "gzip").await;
    assert_eq!(gzip.encoding.as_deref(), Some("gzip"));
    assert_eq!(gzip.body, WASM_GZ);

    let plain = get(&dir, CachePolicy::Immutable, "/scanport.Ab3x.wasm", "").await;
    assert_eq!(plain.encoding, None);
    assert_eq!(plain.body, WASM);

    // No precompressed copy: the file as it is.
    let css = get(&dir, CachePolicy::Immutable, "/scanport.Ab3x.css", "br").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.encoding, None);
    assert_eq!(css.body, b"body{}");
}

#[tokio::test]
async fn plain_names_must_be_revalidated() {
    let dir = bundle();
    let answer = get(&dir, CachePolicy::Revalidate, "/scanport.Ab3x.wasm", "br").await;
    assert_eq!(answer.encoding.as_deref(), Some("br"));
    assert_eq!(answer.cache.as_deref(), Some("no-cache"));
}

#[tokio::test]
async fn a_missing_file_is_a_404_that_is_not_cached() {
    let dir = bundle();
    let answer = get(&dir, CachePolicy::Immutable, "/scanport.Zz9.wasm", "br").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.cache, None);
}
