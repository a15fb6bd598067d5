//! No cache keeps an API answer, only known `Host` names are answered, an
//! oversize body gets a 413 the client can read, every answer carries the
//! security headers, health checks are public, and unknown API paths get
//! a JSON 404.

use crate::common::*;
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Every `/api/` answer is `Cache-Control: no-store`: reads, CSV exports,
/// a new token (shown once), errors of every layer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_answer_is_no_store() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let admin = h.session(ADMIN).await;
    let read = json!({"account": HW, "request": {"type": "image_scan"}});
    let oversize = json!({"account": HW, "padding": "x".repeat(MAX_BODY_BYTES)});
    let replies = [
        h.get(&viewer, "/api/v1/accounts").await,
        h.call(&viewer, "hss/tasks", &read).await,
        h.call(&Auth::Anonymous, "hss/tasks", &read).await,
        h.call(
            &viewer,
            "hss/batch-scan",
            &json!({"account": HW, "request": batch_scan_all("payments")}),
        )
        .await,
        h.call(&viewer, "hss/tasks", &json!({"account": HW, "typo": 1}))
            .await,
        h.call(&viewer, "hss/tasks", &oversize).await,
        h.get(
            &viewer,
            "/api/v1/export/tasks.csv?type=image_scan&account=hw-test",
        )
        .await,
        h.get(&admin, "/api/v1/admin/audit.csv").await,
        h.call(
            &admin,
            "admin/tokens/create",
            &json!({"user": VIEWER, "label": "cache test"}),
        )
        .await,
        h.get(&viewer, "/api/v1/no-such-endpoint").await,
        h.send(
            "GET batch-scan (405)",
            viewer.apply(h.request(Method::GET, "/api/v1/hss/batch-scan")),
        )
        .await,
    ];
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses,
        [200, 200, 401, 403, 400, 413, 200, 200, 200, 404, 405],
        "{replies:#?}"
    );
    assert!(replies[8].body.contains("spt_"), "{}", replies[8].body);
    for reply in &replies {
        assert_eq!(
            reply.header("cache-control"),
            Some("no-store"),
            "{}",
            reply.what
        );
    }
    let stream = h
        .raw_stream(
            &viewer,
            "/api/v1/events/tasks?account=hw-test&type=image_scan",
        )
        .await;
    assert_eq!(
        stream
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "the live stream"
    );
    h.assert_no_secret_leaked();
}

/// A request addressed to a name the console was not told about (a DNS-
/// rebinding page) gets 421 without a public origin; loopback names, the
/// listen address and health checks pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_host_names_are_refused_without_a_public_origin() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let port = h.base.rsplit(':').next().expect("port").to_owned();
    for host in ["evil.test", &format!("evil.test:{port}"), "10.1.2.3"] {
        for path in ["/api/v1/accounts", "/login", "/"] {
            let reply = h
                .send(
                    format!("GET {path} with Host {host}"),
                    viewer.apply(h.request(Method::GET, path).header("host", host)),
                )
                .await;
            reply.expect_error(421, "wrong_host");
            let message = reply.json()["error"]["message"].to_string();
            assert!(message.contains("web.allowed_hosts"), "{message}");
            assert_eq!(reply.header("x-frame-options"), Some("DENY"));
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_owned(),
    ] {
        let reply = h
            .send(
                format!("GET accounts with Host {host}"),
                viewer.apply(
                    h.request(Method::GET, "/api/v1/accounts")
                        .header("host", &host),
                ),
            )
            .await;
        reply.expect_ok();
    }
    let health = h
        .send(
            "healthz with a foreign Host",
            h.request(Method::GET, "/healthz")
                .header("host", "lb.internal"),
        )
        .await;
    health.expect_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_origin_leaves_the_host_to_the_proxy() {
    let h = Harness::start_with(Options {
        public_origin: Some("http://scan.example.com".to_owned()),
        ..Options::default()
    })
    .await;
    let reply = h
        .send(
            "healthz-free page with Host scan.example.com",
            h.request(Method::GET, "/login")
                .header("host", "scan.example.com"),
        )
        .await;
    reply.expect_ok();
}

/// A client that writes its whole oversize body before reading (Python's
/// urllib does) reads the 413, not a connection reset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_3_mib_before_reading_gets_a_readable_413() {
    let h = Harness::start().await;
    let (_, token) = h.token(OPERATOR).await;
    let Auth::Bearer(token) = token else {
        unreachable!()
    };
    let addr = h.base.trim_start_matches("http://").to_owned();
    let body = vec![b'x'; 3 * 1024 * 1024];
    let head = format!(
        "POST /api/v1/hss/batch-scan HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let mut answer = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(20), async {
        stream
            .write_all(head.as_bytes())
            .await
            .expect("send the head");
        // The server has the head and could answer from the length alone
        // (it waits 250 ms for the body); a server that answered and
        // closed would reset the writes below.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        stream
            .write_all(&body)
            .await
            .expect("the server reads the whole body");
        stream
            .read_to_end(&mut answer)
            .await
            .expect("read the answer, not a reset");
    })
    .await
    .expect("answered within 20 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("connection: close"), "{answer}");
    assert!(lower.contains("cache-control: no-store"), "{answer}");
    let (_, json) = answer.split_once("\r\n\r\n").expect("a body");
    let json: serde_json::Value = serde_json::from_str(json).expect("a JSON error");
    assert_eq!(json["error"]["kind"], "too_large", "{json}");
    let message = json["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("web.max_body_bytes"), "{message}");
    assert!(
        h.upstream_mutations().await.is_empty(),
        "nothing sent upstream"
    );
}

/// A client that sends only the head and waits gets its 413 too: at once
/// with `Expect: 100-continue`, after the server's short wait for a body
/// without it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_waits_before_sending_gets_its_413_soon() {
    let h = Harness::start().await;
    let addr = h.base.trim_start_matches("http://").to_owned();
    for expect in ["Expect: 100-continue\r\n", ""] {
        let head = format!(
            "POST /api/v1/hss/batch-scan HTTP/1.1\r\nHost: {addr}\r\n{expect}\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            3 * 1024 * 1024
        );
        let started = std::time::Instant::now();
        let mut stream = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        stream
            .write_all(head.as_bytes())
            .await
            .expect("send the head");
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(3),
            stream.read_to_end(&mut answer),
        )
        .await
        .unwrap_or_else(|_| panic!("{expect:?}: no answer within 3 s"))
        .expect("read the answer");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{expect:?}: {answer}");
        let waited = started.elapsed();
        assert!(
            waited < std::time::Duration::from_secs(2),
            "{expect:?}: {waited:?}"
        );
    }
}

/// Issue 22: every answer, errors included, names its request id (the
/// one in its log lines): a proxy's plain `X-Request-Id` is kept, anything
/// else replaced by a new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_its_request_id() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let read = json!({"account": HW, "request": {"type": "image_scan"}});
    let fresh = [
        h.get(&viewer, "/api/v1/accounts").await,
        h.call(&Auth::Anonymous, "hss/tasks", &read).await,
        h.call(&viewer, "hss/tasks", &json!({"account": HW, "typo": 1}))
            .await,
        h.get(&viewer, "/").await,
    ];
    let mut seen = std::collections::BTreeSet::new();
    for reply in &fresh {
        let id = reply.header("x-request-id").unwrap_or_default().to_owned();
        assert!(
            id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{}: {id:?}",
            reply.what
        );
        seen.insert(id);
    }
    assert_eq!(seen.len(), fresh.len(), "one id per request");

    let with = |id: &str| {
        viewer.apply(
            h.request(Method::POST, "/api/v1/hss/tasks")
                .header("x-request-id", id)
                .json(&read),
        )
    };
    let kept = h.send("a proxy's id", with("lb-7f3c.1")).await;
    assert_eq!(kept.header("x-request-id"), Some("lb-7f3c.1"));
    let replaced = h.send("an id with a quote", with("x\"y")).await;
    let id = replaced.header("x-request-id").unwrap_or_default();
    assert!(id.len() == 16 && !id.contains('"'), "{id:?}");
}

/// A viewer looping reads of an account spends only their fair share of
/// its call budget once someone else needs it: they are refused
/// (`rate_limited`, with `Retry-After`) while another user's read of the
/// same API goes through, and the cloud never sees more than the budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_looping_reads_is_refused_for_themself_while_others_keep_working() {
    // 12 calls a minute, one every 5 s; the hub does not poll this API,
    // so people share all 12: one person alone may take them all, two
    // get 6 each.
    let h = Harness::start_with(Options {
        hw_calls_per_minute: Some(12),
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let looper = h.session(VIEWER).await;
    let other = h.session(SPARE).await;
    let read = json!({"account": HW, "request": {"image_type": "private_image"}});
    let before = h.upstream_calls(UP_IMAGES).await;
    for _ in 0..6 {
        h.call(&looper, "hss/images", &read).await.expect_ok();
    }
    // Another viewer needs a call (their read waits for the next slot, up
    // to 5 s away) while the looper asks for a seventh.
    let started = std::time::Instant::now();
    let (theirs, looped) = tokio::join!(h.call(&other, "hss/images", &read), async {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        h.call(&looper, "hss/images", &read).await
    });
    theirs.expect_ok();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(7),
        "the other viewer waited {:?}",
        started.elapsed()
    );
    looped.expect_error(429, "rate_limited");
    let retry: u64 = looped
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    // The looper's first read ages out a minute after it was made, about
    // 26 s before they asked again.
    assert!((20..=40).contains(&retry), "retry after {retry} s");
    assert_eq!(h.upstream_calls(UP_IMAGES).await - before, 7);
}

/// A list read again within `http.read_cache_secs` is answered from
/// memory: no cloud call and no budget slot (on this account, a call every
/// 2 s; ten calls would take 20 s). Another question is another call; a
/// launch through the console empties the cache, so the next read shows
/// what it changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reread_list_costs_the_cloud_nothing_until_a_launch_changes_it() {
    let h = Harness::start_with(Options {
        read_cache_secs: Some(60.0),
        hw_calls_per_minute: Some(30),
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let viewer = h.session(VIEWER).await;
    let operator = h.session(OPERATOR).await;
    let read = json!({"account": HW, "request": {"image_type": "private_image"}});
    let before = h.upstream_calls(UP_IMAGES).await;
    let first = h.call(&viewer, "hss/images", &read).await;
    first.expect_ok();
    let started = std::time::Instant::now();
    for _ in 0..10 {
        let again = h.call(&viewer, "hss/images", &read).await;
        again.expect_ok();
        assert_eq!(again.json(), first.json(), "the same answer");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "cached reads wait for no budget slot: {:?}",
        started.elapsed()
    );
    assert_eq!(h.upstream_calls(UP_IMAGES).await, before + 1);
    let (_, admin) = h.token(ADMIN).await;
    let metrics = h.get(&admin, "/metrics").await;
    let hits = crate::metrics::sample(
        &metrics.body,
        "scanport_read_cache_hits_total",
        &[r#"provider="huawei""#, r#"api="list_images""#],
    );
    assert!(hits.is_some_and(|n| n >= 10.0), "{}", metrics.body);

    let other = json!({"account": HW, "request": {"image_type": "private_image", "limit": 20}});
    h.call(&viewer, "hss/images", &other).await.expect_ok();
    assert_eq!(
        h.upstream_calls(UP_IMAGES).await,
        before + 2,
        "another question"
    );

    let launch = json!({"account": HW, "request": batch_scan_all("payments")});
    h.call(&operator, "hss/batch-scan", &launch)
        .await
        .expect_ok();
    let after = h.call(&viewer, "hss/images", &read).await;
    after.expect_ok();
    assert_eq!(
        h.upstream_calls(UP_IMAGES).await,
        before + 3,
        "the launch emptied the cache"
    );
    assert_ne!(
        after.json(),
        first.json(),
        "the launched images show as scanning"
    );
}

/// The same on Tencent: the schedule read again comes from the cache; an
/// edit through the console empties it, so the next read shows the edit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reread_tcss_schedule_is_cached_until_it_is_edited() {
    const UP_TC_SCHEDULE: &str = "tcss DescribeImageRegistryTimingScanTask";
    let h = Harness::start_with(Options {
        read_cache_secs: Some(60.0),
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let operator = h.session(OPERATOR).await;
    let read = json!({"account": TC, "request": {}});
    let before = h.upstream_calls(UP_TC_SCHEDULE).await;
    for _ in 0..3 {
        h.call(&operator, "tcss/timing-scan", &read)
            .await
            .expect_ok();
    }
    assert_eq!(h.upstream_calls(UP_TC_SCHEDULE).await, before + 1);

    let edit = json!({"account": TC, "request": {
        "ScanPeriod": 3, "Enable": true, "ScanTime": "04:30:00", "ScanType": ["CVE"]
    }});
    h.call(&operator, "tcss/timing-scan/update", &edit)
        .await
        .expect_ok();
    let after = h.call(&operator, "tcss/timing-scan", &read).await;
    after.expect_ok();
    assert_eq!(h.upstream_calls(UP_TC_SCHEDULE).await, before + 2);
    assert!(
        after.body.contains("04:30:00"),
        "the edit shows: {}",
        after.body
    );
}

/// 9. Health checks answer without sign-in; pages send a signed-out
/// browser to the sign-in page, remembering where it was going.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_checks_are_public_and_pages_redirect_to_sign_in() {
    let h = Harness::start().await;
    let health = h.get(&Auth::Anonymous, "/healthz").await;
    health.expect_ok();
    assert_eq!(health.body, "ok");
    let ready = h.get(&Auth::Anonymous, "/readyz").await;
    ready.expect_ok();
    assert_eq!(ready.body, "ready");

    for (path, next) in [
        ("/", "%2F"),
        ("/tasks?tab=sync", "%2Ftasks%3Ftab%3Dsync"),
        ("/admin", "%2Fadmin"),
    ] {
        for auth in [
            Auth::Anonymous,
            Auth::Cookie("ab".repeat(32)),
            Auth::Bearer("spt_nope".into()),
        ] {
            let reply = h.get(&auth, path).await;
            assert!(
                reply.status.is_redirection(),
                "GET {path} as {}: {reply:?}",
                describe(&auth)
            );
            assert_eq!(
                reply.header("location"),
                Some(format!("/login?next={next}").as_str()),
                "GET {path}"
            );
        }
    }
    // Signed in, the page renders; the sign-in page renders for anyone.
    let viewer = h.session(VIEWER).await;
    let page = h.get(&viewer, "/").await;
    page.expect_ok();
    assert!(page.body.contains("<html"), "{}", page.body);
    let login = h.get(&Auth::Anonymous, "/login").await;
    login.expect_ok();
    assert!(login.body.contains("<form"), "{}", login.body);
    h.assert_no_secret_leaked();
}

fn csp_nonce(csp: &str) -> Option<String> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let rest = &csp[start..];
    Some(rest[..rest.find('\'')?].to_owned())
}

/// 10. Security headers on API answers (successful or not) and on the
/// sign-in page, whose script policy rests on a per-request nonce.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_api_answers_and_the_sign_in_page() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let read = json!({"account": HW, "request": {"type": "image_scan"}});
    let api = [
        h.call(&viewer, "hss/tasks", &read).await,
        h.call(&Auth::Anonymous, "hss/tasks", &read).await,
        h.call(
            &viewer,
            "hss/batch-scan",
            &json!({"account": HW, "request": batch_scan_all("payments")}),
        )
        .await,
        h.get(&viewer, "/api/v1/accounts").await,
    ];
    for reply in &api {
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{}",
            reply.what
        );
        assert_eq!(
            reply.header("x-frame-options"),
            Some("DENY"),
            "{}",
            reply.what
        );
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{}: CSP {csp:?}",
            reply.what
        );
        assert!(
            reply.header("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
    }
    assert!(
        api[0]
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{:?}",
        api[0].headers
    );

    let mut nonces = Vec::new();
    for _ in 0..2 {
        let page = h.get(&Auth::Anonymous, "/login").await;
        page.expect_ok();
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
        let csp = page
            .header("content-security-policy")
            .expect("the page has a CSP")
            .to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap_or_default();
        assert!(
            !script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"),
            "{csp}"
        );
        let nonce = csp_nonce(&csp).unwrap_or_else(|| panic!("no nonce in {csp}"));
        assert!(nonce.len() >= 16, "a nonce worth its name: {nonce}");
        assert!(
            page.body.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry the header's nonce"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per page");

    // The session cookie is out of scripts' and other sites' reach.
    let login = h.login(VIEWER, PASSWORD).await;
    let cookie = login.header("set-cookie").unwrap_or_default();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    h.assert_no_secret_leaked();
}

/// An unknown `/api/…` path is an API answer too: JSON 404, not the
/// console's HTML page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_api_paths_answer_a_json_404() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    h.get(&viewer, "/api/v1/hss/nope")
        .await
        .expect_error(404, "not_found");
    h.call(&viewer, "hss/nope", &json!({}))
        .await
        .expect_error(404, "not_found");
    h.assert_no_secret_leaked();
}
