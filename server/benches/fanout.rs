//! Live fan-out: opens many Server-Sent-Events streams on one account of a
//! running console and reports what they cost (bench/fanout.sh starts the
//! console and the sandbox, then runs this).
//!
//! - upstream task-list polls per minute with one stream and with N (the
//!   sandbox's `/__sandbox/stats`): they must be equal;
//! - server memory per stream: (RSS with N − RSS with 0) / N, from
//!   `/proc/<pid>/status`;
//! - delivery: for each poll seen while N streams are open, the time from
//!   the poll's answer (`fetched_at_ms` in the event) to the event's arrival
//!   on each stream; the 99th percentile of each poll, worst poll reported.
//!
//! Settings come from the environment (cargo passes its own arguments):
//! `FANOUT_URL`, `FANOUT_SANDBOX`, `FANOUT_TOKEN`, `FANOUT_ACCOUNT`,
//! `FANOUT_PID`, and optionally `FANOUT_STREAMS` (10000) and
//! `FANOUT_WINDOW_SECS` (30).

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use memchr::memmem;
use scanport_wire::clock::now_ms;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc};

/// The sandbox's name for the call the hub makes.
const LIST_TASKS: &str = "GET /v5/{project_id}/image/tasks";
/// Streams being opened at once.
const OPENING: usize = 256;
/// How long after the window an event still counts as delivered.
const LATE: Duration = Duration::from_secs(5);

struct Settings {
    url: String,
    sandbox: String,
    token: String,
    account: String,
    pid: u32,
    streams: usize,
    window: Duration,
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("set {name} (see bench/fanout.sh)"))
}

impl Settings {
    fn from_env() -> Self {
        let number = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .map_or(default, |v| v.parse().expect("a whole number"))
        };
        Self {
            url: env("FANOUT_URL"),
            sandbox: env("FANOUT_SANDBOX"),
            token: env("FANOUT_TOKEN"),
            account: env("FANOUT_ACCOUNT"),
            pid: env("FANOUT_PID").parse().expect("a process id"),
            streams: usize::try_from(number("FANOUT_STREAMS", 10_000)).expect("fits"),
            window: Duration::from_secs(number("FANOUT_WINDOW_SECS", 30)),
        }
    }
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server runs");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

async fn upstream_polls(http: &reqwest::Client, sandbox: &str) -> u64 {
    let stats: BTreeMap<String, serde_json::Value> = http
        .get(format!("{sandbox}/__sandbox/stats"))
        .header(
            scanport_sandbox::CONTROL_HEADER,
            env(scanport_sandbox::CONTROL_TOKEN_ENV),
        )
        .send()
        .await
        .expect("sandbox stats")
        .json()
        .await
        .expect("stats JSON");
    stats
        .get(LIST_TASKS)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// One event as a stream received it: the poll it carries and when it
/// arrived (both ms since the epoch).
struct Arrival {
    fetched_at_ms: i64,
    received_ms: i64,
}

/// `fetched_at_ms` of an event's data, found from the end without parsing
/// the whole snapshot (ten thousand parses per poll would slow the reader,
/// not the server).
fn fetched_at(event: &[u8]) -> Option<i64> {
    const KEY: &[u8] = b"\"fetched_at_ms\":";
    let at = memmem::rfind(event, KEY)? + KEY.len();
    let digits = event[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    std::str::from_utf8(&event[at..at + digits])
        .ok()?
        .parse()
        .ok()
}

/// Opens one stream; reports when it is open (its first event), then every
/// event's arrival while `record` is set. It reads bytes, not text, and
/// copies each only once: ten thousand readers share the server's cores,
/// and a slow reader would be counted as slow delivery.
async fn follow(
    http: reqwest::Client,
    url: String,
    token: String,
    opened: mpsc::UnboundedSender<()>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    record: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut response = match http.get(&url).bearer_auth(&token).send().await {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => panic!("stream refused: {}", r.status()),
        Err(e) => panic!("stream failed to open: {e}"),
    };
    let event_end = memmem::Finder::new(b"\n\n");
    let mut pending: Vec<u8> = Vec::new();
    // Where the search for the next event's end resumes.
    let mut from = 0;
    let mut first = true;
    while let Ok(Some(chunk)) = response.chunk().await {
        let received_ms = now_ms();
        pending.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(at) = event_end.find(&pending[from..]) {
            let end = from + at + 2;
            let event = &pending[start..end];
            (start, from) = (end, end);
            if !event.starts_with(b"event: tasks") {
                continue;
            }
            if first {
                first = false;
                let _ = opened.send(());
            } else if record.load(std::sync::atomic::Ordering::Relaxed)
                && let Some(fetched_at_ms) = fetched_at(event)
            {
                arrivals.lock().expect("not poisoned").push(Arrival {
                    fetched_at_ms,
                    received_ms,
                });
            }
        }
        pending.drain(..start);
        // The last byte may be the first half of an event's end.
        from = pending.len().saturating_sub(1);
    }
}

/// Polls per minute seen by the sandbox over `window`.
async fn polls_per_minute(http: &reqwest::Client, sandbox: &str, window: Duration) -> f64 {
    let before = upstream_polls(http, sandbox).await;
    tokio::time::sleep(window).await;
    let after = upstream_polls(http, sandbox).await;
    #[allow(clippy::cast_precision_loss)]
    let per_minute = (after - before) as f64 * 60.0 / window.as_secs_f64();
    per_minute
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((p / 100.0) * (sorted.len() as f64)).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let settings = Settings::from_env();
    let stream_url = format!(
        "{}/api/v1/events/tasks?account={}&type=image_scan",
        settings.url, settings.account
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("http client");
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (opened_tx, mut opened_rx) = mpsc::unbounded_channel();
    let open = |n: usize| {
        let gate = Arc::new(Semaphore::new(OPENING));
        let mut tasks = FuturesUnordered::new();
        for _ in 0..n {
            let (http, url, token) = (http.clone(), stream_url.clone(), settings.token.clone());
            let (opened, arrivals, record, gate) = (
                opened_tx.clone(),
                arrivals.clone(),
                record.clone(),
                gate.clone(),
            );
            tasks.push(tokio::spawn(async move {
                // Hold a permit until the stream is open, so connects are paced.
                let permit = gate.acquire_owned().await.expect("open");
                let (tx, mut rx) = mpsc::unbounded_channel();
                let follower = tokio::spawn(follow(http, url, token, tx, arrivals, record));
                if rx.recv().await.is_some() {
                    let _ = opened.send(());
                }
                drop(permit);
                let _ = follower.await;
            }));
        }
        tokio::spawn(async move { while tasks.next().await.is_some() {} })
    };

    let rss_zero = rss_kib(settings.pid);

    // One stream.
    let _one = open(1);
    opened_rx.recv().await.expect("the first stream opens");
    let one_per_minute = polls_per_minute(&http, &settings.sandbox, settings.window).await;
    println!("polls per minute, 1 stream: {one_per_minute:.1}");

    // N streams in all.
    let started = Instant::now();
    let _rest = open(settings.streams - 1);
    for _ in 1..settings.streams {
        tokio::time::timeout(Duration::from_secs(300), opened_rx.recv())
            .await
            .expect("streams open within 5 minutes")
            .expect("open");
    }
    println!(
        "{} streams open in {:.1} s",
        settings.streams,
        started.elapsed().as_secs_f64()
    );
    // Let the allocator settle before reading memory.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_n = rss_kib(settings.pid);
    let window_start = now_ms();
    record.store(true, std::sync::atomic::Ordering::Relaxed);
    let n_per_minute = polls_per_minute(&http, &settings.sandbox, settings.window).await;
    let window_end = now_ms();
    // Late arrivals of the window's last poll still count.
    tokio::time::sleep(LATE).await;
    record.store(false, std::sync::atomic::Ordering::Relaxed);
    println!(
        "polls per minute, {} streams: {n_per_minute:.1}",
        settings.streams
    );

    #[allow(clippy::cast_precision_loss)]
    let per_stream = (rss_n.saturating_sub(rss_zero) as f64) * 1024.0 / settings.streams as f64;
    println!(
        "server RSS: {rss_zero} KiB with 0 streams, {rss_n} KiB with {}: {:.1} KB per stream",
        settings.streams,
        per_stream / 1000.0
    );

    // Delivery of each poll answered inside the window: a stream it never
    // reached counts as slower than any that it did.
    let arrivals = std::mem::take(&mut *arrivals.lock().expect("not poisoned"));
    let mut by_poll: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for a in arrivals
        .into_iter()
        .filter(|a| (window_start..=window_end).contains(&a.fetched_at_ms))
    {
        by_poll
            .entry(a.fetched_at_ms)
            .or_default()
            .push(a.received_ms - a.fetched_at_ms);
    }
    let needed = (settings.streams * 99).div_ceil(100).max(1);
    let mut worst_p99: Option<i64> = None;
    let mut missed = false;
    for (poll, mut delays) in by_poll {
        delays.sort_unstable();
        let reached = delays.len();
        let p99 = (reached >= needed).then(|| delays[needed.min(reached) - 1]);
        println!(
            "poll at {poll}: reached {reached} of {} streams, p50 {} ms, p99 {}, max {} ms",
            settings.streams,
            percentile(&delays, 50.0),
            p99.map_or_else(|| "not reached".to_owned(), |v| format!("{v} ms")),
            delays.last().copied().unwrap_or_default()
        );
        match p99 {
            Some(v) => worst_p99 = Some(worst_p99.map_or(v, |w| w.max(v))),
            None => missed = true,
        }
    }
    let p99 = match (worst_p99, missed) {
        (Some(v), false) => v.to_string(),
        _ => "none".to_owned(),
    };
    println!(
        "FANOUT_RESULT polls_1={one_per_minute:.1} polls_n={n_per_minute:.1} kb_per_stream={:.1} p99_ms={p99}",
        per_stream / 1000.0
    );
    std::process::exit(0);
}
