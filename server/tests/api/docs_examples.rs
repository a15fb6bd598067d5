//! Every `curl` example in docs/API.md, run as written against a real
//! console and sandbox: a reader who copies one gets an answer, not an
//! error. The examples name accounts `prod-huawei` / `prod-tencent` and a
//! task id `1f0c…`; the test puts the harness's accounts and a running
//! task in their place, and nothing else.

use crate::common::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// docs/API.md documents every endpoint of the app's catalogue, and a
/// section heading names the role the catalogue declares.
#[test]
fn the_api_docs_name_every_endpoint_with_its_role() {
    use scanport_app::endpoints::{ACCOUNTS, ALL};
    use scanport_portal::Role;
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/API.md"))
            .expect("docs/API.md");
    for endpoint in ALL {
        let method = if *endpoint == ACCOUNTS { "GET" } else { "POST" };
        let name = format!("`{method} /api/v1/{}", endpoint.path);
        let exact = |line: &str| line.contains(&format!("{name}`"));
        assert!(
            docs.lines().any(exact),
            "docs/API.md does not document {name}`"
        );
        let role = match endpoint.role {
            None => "anyone",
            Some(Role::Viewer) => "viewer",
            Some(Role::Operator) => "operator",
            Some(Role::Admin) => "admin",
        };
        for heading in docs.lines().filter(|l| l.starts_with("### ") && exact(l)) {
            assert!(
                heading.ends_with(&format!("({role})")),
                "{heading}: the catalogue says {role}"
            );
        }
    }
}

/// The `sh` blocks of a Markdown file that call `curl`, with the line each
/// starts on.
fn curl_examples(markdown: &str) -> Vec<(usize, String)> {
    let mut examples = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None if fence == "```sh" => current = Some((n + 1, String::new())),
            Some(_) if fence == "```" => {
                if let Some((start, text)) = current.take()
                    && text.contains("curl ")
                {
                    examples.push((start, text));
                }
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    examples
}

/// Runs before each example: curl fails on an HTTP error (keeping the
/// body for the report); a live stream (`-N`) is read for two seconds and
/// passes if it sent anything; `uuidgen` exists even where util-linux's
/// is not installed.
const PRELUDE: &str = r#"set -euo pipefail
curl() {
  local stream=0 rc=0 out
  for arg in "$@"; do case "$arg" in -*N*) [[ "$arg" != --* ]] && stream=1 ;; esac; done
  if [ "$stream" = 1 ]; then
    out=$(command curl --fail-with-body --max-time 2 "$@") || rc=$?
    printf '%s' "$out"
    if [ "$rc" = 28 ] && [ -n "$out" ]; then return 0; fi
    return "$rc"
  fi
  command curl --fail-with-body --max-time 20 "$@"
}
command -v uuidgen >/dev/null || uuidgen() { cat /proc/sys/kernel/random/uuid; }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_curl_example_in_the_api_docs_succeeds() {
    let h = Harness::start().await;
    let (_, admin) = h.token(ADMIN).await;
    let Auth::Bearer(token) = &admin else {
        unreachable!("token() gives a bearer token")
    };
    // The stop example needs a task that is running.
    h.call(
        &admin,
        "hss/scan-tasks",
        &serde_json::json!({"account": HW, "request": long_scan_task(600, "docs-example")}),
    )
    .await
    .expect_ok();
    let running = running_tasks(&h, &admin, 600).await;
    let task_id = running.first().expect("the long scan runs");

    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/API.md");
    let markdown = std::fs::read_to_string(&docs).expect("docs/API.md");
    let examples = curl_examples(&markdown);
    assert!(
        examples.len() >= 15,
        "found only {} curl examples in docs/API.md",
        examples.len()
    );
    let workdir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for (line, example) in &examples {
        let script = example
            .replace("prod-huawei", HW)
            .replace("prod-tencent", TC)
            .replace("1f0c…", task_id);
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!("{PRELUDE}{script}"))
            .current_dir(workdir.path())
            .env("SCANPORT", &h.base)
            .env("TOKEN", token)
            .output()
            .expect("run bash");
        if !output.status.success() {
            failures.push(format!(
                "docs/API.md line {line}: {}\n{script}stdout: {}\nstderr: {}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        // Launch examples share the sandbox; give its tasks a moment.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "{} of {} curl examples in docs/API.md succeeded",
        examples.len() - failures.len(),
        examples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    h.assert_no_secret_leaked();
}

#[test]
fn the_example_reader_finds_sh_blocks_with_curl_only() {
    let markdown = "text\n```sh\nexport A=1\n```\n```json\n{\"curl \": 1}\n```\n```sh\ncurl -s $X \\\n  -d '{}'\n```\n";
    let examples = curl_examples(markdown);
    assert_eq!(examples, vec![(8, "curl -s $X \\\n  -d '{}'\n".to_owned())]);
}
