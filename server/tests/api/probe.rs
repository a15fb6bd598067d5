use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe() {
    let h = Harness::start().await;
    let s = h.session(ADMIN).await;
    let (_, t) = h.token(ADMIN).await;
    let r = h.get(&s, "/api/v1/nope").await;
    eprintln!("GET nope: {} {:?} {}", r.status, r.header("content-type"), &r.body.chars().take(200).collect::<String>());
    let r = h.call(&s, "nope", &json!({})).await;
    eprintln!("POST nope: {} {:?} {}", r.status, r.header("content-type"), &r.body.chars().take(200).collect::<String>());
    let r = h.get(&Auth::Anonymous, "/api/v1/nope").await;
    eprintln!("GET nope anon: {} {}", r.status, r.body);
    let Auth::Bearer(raw) = &t else { panic!() };
    let r = h.send("lower bearer", h.request(Method::POST, "/api/v1/auth/me").header("authorization", format!("bearer {raw}")).json(&json!({}))).await;
    eprintln!("lower bearer: {} {}", r.status, r.body);
    let r = h.open_stream(&s, "/api/v1/events/tasks?account=tc-test", std::time::Duration::from_secs(3)).await;
    eprintln!("sse tc: {} {}", r.status, r.body);
    let r = h.open_stream(&s, "/api/v1/events/tasks?account=hw-test&type=bogus", std::time::Duration::from_secs(3)).await;
    eprintln!("sse bogus: {} {}", r.status, r.body);
    h.set_faults(json!({"throttle": true})).await;
    let b = json!({"account": HW, "request": batch_scan_all("payments")});
    let send = || t.apply(h.request(Method::POST, "/api/v1/hss/batch-scan").header("Idempotency-Key", "k1").json(&b));
    let r = h.send("throttled", send()).await;
    eprintln!("throttled: {} {}", r.status, r.body);
    h.set_faults(json!({})).await;
    let r = h.send("retry", send()).await;
    eprintln!("retry: {} {}", r.status, r.body);
    h.set_faults(json!({"fail_percent": 100})).await;
    let send2 = || t.apply(h.request(Method::POST, "/api/v1/hss/batch-scan").header("Idempotency-Key", "k2").json(&b));
    let r = h.send("failed", send2()).await;
    eprintln!("failed: {} {}", r.status, r.body);
    h.set_faults(json!({})).await;
    let r = h.send("retry2", send2()).await;
    eprintln!("retry after 5xx: {} {}", r.status, r.body);
    eprintln!("stats {:?}", h.upstream_mutations().await);
    for m in [Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE] {
        let r = h.send("m", s.apply(h.request(m.clone(), "/api/v1/hss/batch-scan").json(&b))).await;
        eprintln!("{m}: {} {}", r.status, r.body);
    }
    let r = h.send("html accept", t.apply(h.request(Method::POST, "/api/v1/hss/batch-scan").header("accept", "text/html").header("referer", "http://127.0.0.1/x").json(&json!({"account": HW, "request": {"image_type": "private_image"}})))).await;
    eprintln!("html accept: {} {:?} {}", r.status, r.header("location"), r.body);
    let r = h.call(&s, "admin/tokens/create", &json!({"user": SPARE, "label": "x", "expires_days": 1})).await;
    eprintln!("create: {} {}", r.status, r.body);
    let r = h.call(&s, "admin/tokens/revoke", &json!({"id": "nope"})).await;
    eprintln!("revoke nope: {} {}", r.status, r.body);
    let r = h.call(&s, "admin/users/role", &json!({"name": "nobody", "role": "admin"})).await;
    eprintln!("role nobody: {} {}", r.status, r.body);
    let r = h.call(&s, "admin/users/add", &json!({"name": VIEWER, "password": PASSWORD, "role": "admin"})).await;
    eprintln!("add dup: {} {}", r.status, r.body);
    let r = h.call(&s, "admin/tokens/create", &json!({"user": "nobody", "label": "x"})).await;
    eprintln!("token nobody: {} {}", r.status, r.body);
    let r = h.call(&s, "live/tasks", &json!({"account": TC, "list": "image_scan"})).await;
    eprintln!("live tc: {} {}", r.status, r.body);
    let r = h.call(&s, "hss/tasks/stop", &json!({"account": HW, "request": {"task_id": "a b?c#d%2F.."}})).await;
    eprintln!("stop weird: {} {}", r.status, r.body);
    let r = h.call(&s, "admin/audit", &json!({"query": {"limit": 100}})).await;
    eprintln!("audit: {}", r.body.chars().take(3000).collect::<String>());
}
