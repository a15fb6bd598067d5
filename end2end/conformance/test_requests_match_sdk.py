"""Every request Scanport sent during the Rust test run, held against the
official SDKs' models (sdk_requests.py).

`scripts/test.sh` sets `SCANPORT_SANDBOX_RECORD` for `cargo test`, so every
sandbox those tests start appends each call Scanport's own clients made to
that file; this test reads it back. A request the SDK would not recognise
(a path, a query name, a body field at any depth, a missing required field)
fails, naming the operation and the field.

Run alone (without the variable) only the checker's own tests run.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from sdk_requests import check_hss_request, check_recorded, check_tcss_request

RECORD = os.environ.get("SCANPORT_SANDBOX_RECORD")


def _recorded() -> list[dict]:
    path = Path(RECORD)
    assert path.is_file(), f"{path}: no record of the test run (did cargo test run with SCANPORT_SANDBOX_RECORD?)"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.skipif(not RECORD, reason="SCANPORT_SANDBOX_RECORD is not set (scripts/test.sh sets it)")
def test_every_recorded_request_is_one_the_sdk_would_make():
    entries = _recorded()
    seen: Counter[str] = Counter()
    problems: dict[str, int] = {}
    for entry in entries:
        operation, found = check_recorded(entry)
        seen[operation] += 1
        for problem in found:
            problems[problem] = problems.get(problem, 0) + 1
    summary = ", ".join(f"{op} ×{n}" for op, n in sorted(seen.items()))
    print(f"\n{len(entries)} recorded requests: {summary}")
    assert not problems, "requests the SDK would not make:\n" + "\n".join(
        f"  {p} (×{n})" for p, n in sorted(problems.items())
    )
    # The record must cover the calls Scanport makes, or this test proves
    # nothing: both clouds, launches as well as reads.
    for operation in [
        "list_image_scan_task",
        "list_swr_image_repository",
        "batch_scan_swr_image",
        "run_image_synchronize",
        "create_image_synchronize_task",
        "list_image_scan_policy",
        "list_image_vulnerabilities",
        "list_image_malware",
        "list_image_sensitive",
        "list_image_risk_configs",
        "list_general_image_vuls",
        "list_vul_repo_image",
        "modify_image_scan_policy",
        "list_registry_images",
        "list_associate_registries",
        "tcss DescribeImageRegistryTimingScanTask",
        "tcss UpdateImageRegistryTimingScanTask",
        "tcss DescribeAssetImageRegistryList",
        "tcss CreateAssetImageRegistryScanTaskOneKey",
        "tcss DescribeAssetImageRegistryScanStatusOneKey",
        "tcss ModifyAssetImageRegistryScanStopOneKey",
        "tcss SyncAssetImageRegistryAsset",
        "tcss DescribeAssetImageRegistryRegistryList",
        "tcss DescribeAssetImageRegistryAssetStatus",
        "tcss DescribeImageRegistryNamespaceList",
        "tcss DescribeAssetImageRegistryVulList",
        "tcss DescribeAssetImageRegistryVirusList",
        "tcss DescribeAssetImageRegistryRiskInfoList",
        "tcss DescribeSystemVulList",
        "tcss DescribeWebVulList",
        "tcss DescribeVulRegistryImageList",
    ]:
        assert seen[operation] > 0, f"the test run made no {operation} call: {summary}"


# The checker's own tests: each mistake a client could make is caught.


def test_a_sync_task_without_sync_all_registries_is_caught():
    op, problems = check_hss_request(
        "POST",
        "/v5/proj/image/image-sync/tasks",
        {"registry_info": [{"registry_id": "r1", "registry_type": "Harbor"}]},
    )
    assert op == "create_image_synchronize_task"
    assert any("sync_all_registries" in p and "required" in p for p in problems), problems
    _, problems = check_hss_request(
        "POST",
        "/v5/proj/image/image-sync/tasks",
        {"sync_all_registries": False, "registry_info": [{"registry_id": "r1", "registry_type": "Harbor"}]},
    )
    assert problems == []


def test_unknown_paths_query_names_and_nested_fields_are_caught():
    _, problems = check_hss_request("GET", "/v5/proj/image/no-such-thing", None)
    assert problems and "no operation" in problems[0]
    _, problems = check_hss_request("GET", "/v5/proj/image/tasks?type=image_scan&limt=10", None)
    assert any("'limt'" in p for p in problems), problems
    _, problems = check_hss_request("GET", "/v5/proj/image/tasks?limit=10", None)
    assert any("'type'" in p and "required" in p for p in problems), problems
    _, problems = check_hss_request(
        "POST",
        "/v5/proj/image/batch-scan",
        {"image_type": "private_image", "image_info_list": [{"namespace": "a", "image_nam": "b"}]},
    )
    assert any("image_info_list[0].image_nam" in p for p in problems), problems


def test_tcss_actions_and_fields_are_checked():
    _, problems = check_tcss_request("POST", "/", "DescribeNoSuchThing", {})
    assert problems and "no action" in problems[0]
    _, problems = check_tcss_request(
        "POST", "/", "DescribeAssetImageRegistryList", {"Limit": 10, "Ordr": "asc"}
    )
    assert any("Ordr" in p for p in problems), problems
    _, problems = check_tcss_request(
        "POST", "/", "UpdateImageRegistryTimingScanTask",
        {"ScanPeriod": 1, "Enable": True, "ScanTime": "03:00", "Images": [{"ImageNam": "x"}]},
    )
    assert any("Images[0].ImageNam" in p for p in problems), problems
