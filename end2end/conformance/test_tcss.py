"""Tencent Cloud TCSS (2020-11-01) image-registry actions, driven with the
official Python SDK (tencentcloud-sdk-python-tcss) against the sandbox."""

from __future__ import annotations

import re
import threading
import time

import pytest
from tencentcloud.common import abstract_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.tcss.v20201101 import models

from hand_signers import tc3_request
from harness import TcssHarness

SCAN_TYPES = {"CVE", "VIRUS", "RISK"}
# RegistryType is an open set (tcr, ccr, harbor, quay, jfrog, aws, azure,
# other-tcr, …); the sandbox's images use these.
SANDBOX_REGISTRY_TYPES = {"tcr", "ccr", "harbor"}
SCAN_RESULTS = {"Success", "InsufficientLicense", "ImageNeedIsEmpty", "InternalError"}
SCAN_STATES = {"NOT_SCAN", "SCANNING", "SCANNED", "SCAN_ERR", "CANCELED"}
# Tencent's examples are HH:MM ("18:10"); answers may carry seconds.
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
PROGRESS_TIMEOUT_S = 30


def expect_tc_error(call, code: str) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as caught:
        call()
    err = caught.value
    assert err.code == code, f"expected {code}, got {err.code}: {err.message}"
    assert err.message, "empty error Message"
    assert err.requestId, "no RequestId on the error"
    return err


def registry_images(tcss: TcssHarness, limit=10, offset=0, **extra):
    return tcss.call("DescribeAssetImageRegistryList", {"Limit": limit, "Offset": offset, **extra})


# --------------------------------------------------------------------------
# the schedule
# --------------------------------------------------------------------------


def check_schedule(resp) -> None:
    assert isinstance(resp.Enable, bool)
    assert resp.ScanTime and CLOCK.match(resp.ScanTime), f"ScanTime {resp.ScanTime!r}"
    if resp.ScanEndTime:
        assert CLOCK.match(resp.ScanEndTime), f"ScanEndTime {resp.ScanEndTime!r}"
    assert isinstance(resp.ScanPeriod, int) and resp.ScanPeriod >= 0, resp.ScanPeriod
    assert set(resp.ScanType or []) <= SCAN_TYPES, resp.ScanType
    assert all(isinstance(k, str) and k for k in resp.RegistryType or []), resp.RegistryType
    assert resp.ScanScope in (None, 0, 1, 2), resp.ScanScope
    assert resp.ScanResult in (None, "") or resp.ScanResult in SCAN_RESULTS, resp.ScanResult
    if resp.LastScanTime:
        assert DATETIME.match(resp.LastScanTime), f"LastScanTime {resp.LastScanTime!r}"
    assert resp.RequestId


def test_describe_timing_scan_task(tcss):
    check_schedule(tcss.call("DescribeImageRegistryTimingScanTask"))


def test_update_timing_scan_task_reads_back(tcss):
    original = tcss.call("DescribeImageRegistryTimingScanTask")
    try:
        ids = [i.Id for i in registry_images(tcss, limit=3).List or []][:2]
    except (TencentCloudSDKException, AssertionError):
        ids = []  # the list is tested on its own; the schedule should not depend on it
    ids = ids or [1, 2]
    wanted = {
        "ScanPeriod": 3,
        "Enable": not bool(original.Enable),
        "ScanTime": "04:35",
        "ScanEndTime": "05:10:30",
        "ScanType": ["CVE", "RISK"],
        "All": False,
        "Id": ids,
        "Latest": True,
        "ContainerRunning": True,
        "ScanScope": 1,
        "RegistryType": ["tcr", "harbor", "quay"],
    }
    tcss.call("UpdateImageRegistryTimingScanTask", wanted)
    after = tcss.call("DescribeImageRegistryTimingScanTask")
    check_schedule(after)
    for field, value in wanted.items():
        got = getattr(after, field)
        if isinstance(value, list):
            assert sorted(got or []) == sorted(value), f"{field}: wrote {value}, read back {got}"
        else:
            assert got == value, f"{field}: wrote {value!r}, read back {got!r}"

    # Put the schedule back as it was, for anything that runs after.
    restore = {
        "ScanPeriod": original.ScanPeriod,
        "Enable": original.Enable,
        "ScanTime": original.ScanTime,
    }
    for field in ("ScanType", "All", "Id", "Latest", "ContainerRunning", "ScanScope",
                  "RegistryType", "Namespace", "ExcludeImageAssetIds"):
        if getattr(original, field) is not None:
            restore[field] = getattr(original, field)
    tcss.call("UpdateImageRegistryTimingScanTask", restore)
    again = tcss.call("DescribeImageRegistryTimingScanTask")
    assert (again.ScanPeriod, again.Enable, again.ScanTime) == (
        original.ScanPeriod, original.Enable, original.ScanTime)


# --------------------------------------------------------------------------
# registry images, scans, sync
# --------------------------------------------------------------------------


def test_registry_image_list_and_paging(tcss):
    first = registry_images(tcss, limit=10, offset=0)
    total = first.TotalCount
    assert total is not None and total > 0, "the sandbox has no registry images"
    assert len(first.List) == min(10, total)
    second = registry_images(tcss, limit=10, offset=10)
    assert second.TotalCount == total
    assert len(second.List or []) == max(0, min(10, total - 10))
    a = [i.Id for i in first.List]
    b = [i.Id for i in second.List or []]
    assert all(isinstance(i, int) for i in a + b), "image asset Id must be an int"
    assert len(set(a + b)) == len(a) + len(b), f"pages overlap: {sorted(set(a) & set(b))}"
    for image in first.List:
        assert image.ImageName, image
        if image.RegistryType:
            assert image.RegistryType in SANDBOX_REGISTRY_TYPES, image.RegistryType
        assert image.ScanStatus in SCAN_STATES, image.ScanStatus
        if image.ScanTime:
            assert DATETIME.match(image.ScanTime), image.ScanTime
        levels = [image.CriticalLevelVulCnt, image.HighLevelVulCnt,
                  image.MediumLevelVulCnt, image.LowLevelVulCnt]
        assert all(isinstance(n, int) and n >= 0 for n in levels), levels
        assert sum(levels) == image.VulCnt, (levels, image.VulCnt)
        assert isinstance(image.HasNeedFixVul, bool)
        assert image.IsAuthorized in (0, 1), image.IsAuthorized


def test_registry_image_list_order_and_documented_filters(tcss):
    ascending = registry_images(tcss, limit=100, By="Id", Order="asc").List
    descending = registry_images(tcss, limit=100, By="Id", Order="desc").List
    assert [i.Id for i in descending] == [i.Id for i in reversed(ascending)]
    every = {"Name": "IsAuthorized", "Values": ["all"]}
    everything = registry_images(
        tcss, limit=100,
        Filters=[every] + [{"Name": n, "Values": ["all"]} for n in ("ScanStatus", "RepoType", "SecurityRisk")],
    )
    assert everything.TotalCount == len(ascending)
    unauthorized = registry_images(tcss, limit=100, Filters=[{"Name": "IsAuthorized", "Values": ["0"]}])
    assert unauthorized.TotalCount and all(i.IsAuthorized == 0 for i in unauthorized.List)


def test_registry_image_scan_and_progress(tcss):
    images = registry_images(tcss, limit=10).List
    ids = [i.Id for i in images[:3]]
    created = tcss.call(
        "CreateAssetImageRegistryScanTaskOneKey",
        {"Id": ids, "ScanType": ["CVE", "VIRUS", "RISK"]},
    )
    assert created.RequestId
    query = {"TaskID": created.TaskID} if created.TaskID else {"Id": ids}

    deadline = time.monotonic() + PROGRESS_TIMEOUT_S
    last_schedule = -1
    while True:
        status = tcss.call("DescribeAssetImageRegistryScanStatusOneKey", query)
        total = status.ImageTotal
        assert total is not None and total >= 0
        assert 0 <= (status.ImageScanCnt or 0) <= total, (status.ImageScanCnt, total)
        assert 0 <= (status.SuccessCount or 0) <= total, (status.SuccessCount, total)
        assert (status.SuccessCount or 0) <= (status.ImageScanCnt or 0), (
            status.SuccessCount, status.ImageScanCnt)
        assert 0 <= (status.RiskCount or 0) <= total
        assert status.Schedule is not None and 0 <= status.Schedule <= 100, status.Schedule
        assert status.Schedule >= last_schedule, "Schedule went backwards"
        last_schedule = status.Schedule
        if created.TaskID:
            assert total == len(ids), f"ImageTotal {total} for a task of {len(ids)} images"
        assert status.Status in SCAN_STATES, status.Status
        for image in status.ImageStatus or []:
            assert image.ScanStatus in SCAN_STATES, image.ScanStatus
        if status.Schedule == 100 or (total and status.ImageScanCnt == total):
            assert status.Status == "SCANNED", status.Status
            break
        assert time.monotonic() < deadline, (
            f"scan of {len(ids)} images not finished after {PROGRESS_TIMEOUT_S}s: "
            f"Schedule {status.Schedule}, ImageScanCnt {status.ImageScanCnt}/{total}"
        )
        time.sleep(0.25)


    # The scanned images' own state moved on.
    after = {i.Id: i for i in registry_images(tcss, limit=100).List}
    for image_id in ids:
        assert after[image_id].ScanStatus in ("SCANNED", "SCAN_ERR"), after[image_id].ScanStatus
        assert DATETIME.match(after[image_id].ScanTime or ""), after[image_id].ScanTime


def test_a_running_one_key_scan_stops(tcss):
    created = tcss.call("CreateAssetImageRegistryScanTaskOneKey", {"ScanScope": 0})
    assert created.TaskID
    stopped = tcss.call("ModifyAssetImageRegistryScanStopOneKey", {"TaskID": created.TaskID})
    assert stopped.RequestId
    status = tcss.call("DescribeAssetImageRegistryScanStatusOneKey", {"TaskID": created.TaskID})
    # The sandbox's pace may finish a scan before the stop arrives.
    assert status.Status in ("CANCELED", "SCANNED"), status.Status
    if status.Status == "CANCELED":
        assert status.ImageScanCnt < status.ImageTotal
        assert any(i.ScanStatus == "CANCELED" for i in status.ImageStatus)
    expect_tc_error(
        lambda: tcss.call("ModifyAssetImageRegistryScanStopOneKey", {"TaskID": 987654321}),
        "ResourceNotFound",
    )


def test_sync_registry_assets(tcss):
    resp = tcss.call("SyncAssetImageRegistryAsset", {"All": True})
    assert resp.RequestId


def registry_list(tcss: TcssHarness):
    return tcss.call("DescribeAssetImageRegistryRegistryList", {"Limit": 100})


def wait_for_sync(tcss: TcssHarness):
    """The sync status once no sync runs (`doing` → `success` or `failed`)."""
    deadline = time.monotonic() + PROGRESS_TIMEOUT_S
    status = tcss.call("DescribeAssetImageRegistryAssetStatus", {})
    while status.Status == "doing" and time.monotonic() < deadline:
        time.sleep(0.05)
        status = tcss.call("DescribeAssetImageRegistryAssetStatus", {})
    return status


def test_registry_list_has_the_sdk_shapes(tcss):
    wait_for_sync(tcss)
    resp = registry_list(tcss)
    assert resp.TotalCount == len(resp.List) == 3
    for r in resp.List:
        assert isinstance(r.RegistryId, int) and r.Name and r.Url
        assert r.RegistryType in SANDBOX_REGISTRY_TYPES, r.RegistryType
        assert r.RegistryRegion and r.SyncStatus in ("doing", "success", "failed"), r.SyncStatus
        assert DATETIME.match(r.LatestSyncTime or ""), r.LatestSyncTime
        assert r.ConnDetectDetail and r.ConnDetectDetail[0].ConnDetectStatus
    failed = [r for r in resp.List if r.SyncStatus == "failed"]
    assert failed and all(r.SyncFailReason for r in failed)
    # Paging and order.
    page = tcss.call("DescribeAssetImageRegistryRegistryList", {"Limit": 1, "Offset": 1, "By": "Name", "Order": "desc"})
    assert page.TotalCount == 3 and len(page.List) == 1
    assert page.List[0].Name == sorted((r.Name for r in resp.List), reverse=True)[1]


def test_a_registry_sync_runs_and_reports_success_or_the_failure(tcss):
    ids = {r.Name: r.RegistryId for r in registry_list(tcss).List}
    tcss.call("SyncAssetImageRegistryAsset", {"RegistryIds": [ids["tcr-prod"]]})
    status = wait_for_sync(tcss)
    assert status.Status == "success", (status.Status, status.Err)
    assert DATETIME.match(status.LatestSyncSuccessTime or ""), status.LatestSyncSuccessTime
    tcss.call("SyncAssetImageRegistryAsset", {"All": True})
    status = wait_for_sync(tcss)
    assert status.Status == "failed" and status.Err, (status.Status, status.Err)
    expect_tc_error(
        lambda: tcss.call("SyncAssetImageRegistryAsset", {"RegistryIds": [999]}),
        "InvalidParameterValue",
    )


def test_namespaces_of_the_registry_images(tcss):
    images = registry_images(tcss, limit=100)
    expected = sorted({i.Namespace for i in images.List})
    resp = tcss.call("DescribeImageRegistryNamespaceList", {"Limit": 100})
    assert resp.NamespaceList == expected and resp.TotalCount == len(expected)
    for detail in resp.NamespaceDetail:
        assert detail.ImageCnt == sum(1 for i in images.List if i.Namespace == detail.Namespace)
    one = tcss.call(
        "DescribeImageRegistryNamespaceList",
        {"Filters": [{"Name": "Namespace", "Values": [expected[0]], "ExactMatch": True}]},
    )
    assert one.NamespaceList == [expected[0]]


# --------------------------------------------------------------------------
# refusals
# --------------------------------------------------------------------------


def test_wrong_secret_key_is_refused(sandbox):
    bad = TcssHarness(sandbox, secret_key=sandbox.tencent_secret_key[:-4] + "0000")
    expect_tc_error(lambda: bad.call("DescribeImageRegistryTimingScanTask"),
                    "AuthFailure.SignatureFailure")


def test_unknown_secret_id_is_refused(sandbox):
    bad = TcssHarness(sandbox, secret_id="AKIDUNKNOWN000000000000000")
    expect_tc_error(lambda: bad.call("DescribeImageRegistryTimingScanTask"),
                    "AuthFailure.SecretIdNotFound")


class _ShiftedTime:
    """Stands in for the `time` module inside the SDK's signer."""

    def __init__(self, offset: float):
        self.offset = offset

    def time(self):
        return time.time() + self.offset

    def __getattr__(self, name):
        return getattr(time, name)


@pytest.mark.parametrize("offset_s", [-600, 600])
def test_skewed_timestamp_from_the_sdk_is_refused(tcss, monkeypatch, offset_s):
    monkeypatch.setattr(abstract_client, "time", _ShiftedTime(offset_s))
    expect_tc_error(lambda: tcss.call("DescribeImageRegistryTimingScanTask"),
                    "AuthFailure.SignatureExpire")


def _raw(sandbox, action, params, offset_s=0):
    return tc3_request(
        sandbox.endpoint, sandbox.tencent_secret_id, sandbox.tencent_secret_key,
        action, params, int(time.time()) + offset_s,
    )


def test_errors_are_http_200_with_response_error(sandbox):
    ok = _raw(sandbox, "DescribeImageRegistryTimingScanTask", {})
    assert ok.status_code == 200
    # The SDK only looks for Response.Error when Content-Type is exactly this.
    assert ok.headers.get("Content-Type") == "application/json", ok.headers.get("Content-Type")
    assert "Error" not in ok.json()["Response"], ok.text

    expired = _raw(sandbox, "DescribeImageRegistryTimingScanTask", {}, offset_s=-600)
    assert expired.status_code == 200, expired.status_code
    assert expired.headers.get("Content-Type") == "application/json"
    body = expired.json()["Response"]
    assert body["Error"]["Code"] == "AuthFailure.SignatureExpire", body
    assert body["Error"]["Message"] and body["RequestId"], body


def test_schedule_with_invalid_time_is_refused(tcss):
    expect_tc_error(
        lambda: tcss.call(
            "UpdateImageRegistryTimingScanTask",
            {"ScanPeriod": 1, "Enable": True, "ScanTime": "25:00:00"},
        ),
        "InvalidParameterValue",
    )


@pytest.mark.parametrize("limit", [1000, 101, 0])
def test_registry_list_limit_out_of_range_is_refused(tcss, limit):
    expect_tc_error(lambda: registry_images(tcss, limit=limit), "InvalidParameterValue")


def test_progress_of_an_unknown_task_is_refused(tcss):
    expect_tc_error(
        lambda: tcss.call("DescribeAssetImageRegistryScanStatusOneKey", {"TaskID": 987654321}),
        "ResourceNotFound",
    )


# --------------------------------------------------------------------------
# rate limit (second sandbox, limits on)
# --------------------------------------------------------------------------


def test_more_than_20_calls_a_second_are_throttled(limited_sandbox):
    burst = 30
    clients = [TcssHarness(limited_sandbox) for _ in range(burst)]
    barrier = threading.Barrier(burst)
    outcomes: list[str] = [""] * burst

    def worker(n: int) -> None:
        barrier.wait(timeout=10)
        try:
            clients[n].client.DescribeImageRegistryTimingScanTask(
                models.DescribeImageRegistryTimingScanTaskRequest()
            )
            outcomes[n] = "ok"
        except TencentCloudSDKException as err:
            outcomes[n] = err.code
        except Exception as err:  # noqa: BLE001 - reported below
            outcomes[n] = f"{type(err).__name__}: {err}"

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(burst)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    elapsed = time.monotonic() - started
    ok = outcomes.count("ok")
    limited = outcomes.count("RequestLimitExceeded")
    assert ok + limited == burst, f"unexpected outcomes: {outcomes}"
    assert limited >= 1, f"{burst} calls in {elapsed:.2f}s and none was throttled"
    assert ok >= 1, f"all {burst} calls throttled"
    if elapsed < 1.0:  # the whole burst fell inside one window
        assert ok <= 20, f"{ok} of {burst} calls accepted within {elapsed:.2f}s"

    # The limit is per action: another action still goes through at once.
    other = TcssHarness(limited_sandbox)
    assert other.call("DescribeAssetImageRegistryList", {"Limit": 10}).RequestId
    # And the window slides: a second later the first action works again.
    time.sleep(1.1)
    assert other.call("DescribeImageRegistryTimingScanTask").RequestId


# --------------------------------------------------------------------------
# findings
# --------------------------------------------------------------------------

VUL_LEVELS = {"CRITICAL", "HIGH", "MEDIUM", "LOW"}


def test_image_vulnerabilities_match_the_counts_by_level(tcss):
    images = registry_images(tcss, limit=100).List
    image = max(images, key=lambda i: i.VulCnt or 0)
    assert image.VulCnt and image.VulCnt > 10, image
    first = tcss.call("DescribeAssetImageRegistryVulList", {"Id": image.Id, "Limit": 100})
    assert first.TotalCount == image.VulCnt
    assert len(first.List) == min(100, image.VulCnt)
    for v in first.List:
        assert v.CVEID and v.CVEID.startswith("CVE-"), v
        assert v.Level in VUL_LEVELS, v
        assert v.Component and v.Version, v
        if "CanBeFixed" in (v.Tag or []):
            assert v.FixedVersions, v
    high = tcss.call(
        "DescribeAssetImageRegistryVulList",
        {"Id": image.Id, "Limit": 100, "Filters": [{"Name": "Level", "Values": ["HIGH"]}]},
    )
    assert high.TotalCount == image.HighLevelVulCnt
    assert all(v.Level == "HIGH" for v in high.List)


def test_image_vulnerabilities_of_an_unknown_image_are_refused(tcss):
    expect_tc_error(
        lambda: tcss.call("DescribeAssetImageRegistryVulList", {"Id": 999999}),
        "ResourceNotFound",
    )


# Registry-image views grade with digits, "1" (low) to "4" (most severe).
RISK_LEVELS = {"1", "2", "3", "4"}
MD5 = re.compile(r"^[0-9a-f]{32}$")


def test_image_viruses_match_the_count_and_filter_by_level(tcss):
    images = registry_images(tcss, limit=100).List
    image = max(images, key=lambda i: i.VirusCnt or 0)
    assert image.VirusCnt, image
    listed = tcss.call("DescribeAssetImageRegistryVirusList", {"Id": image.Id, "Limit": 100})
    assert listed.TotalCount == image.VirusCnt
    assert len(listed.List) == min(100, image.VirusCnt)
    for v in listed.List:
        assert v.RiskLevel in RISK_LEVELS, v
        assert v.VirusName and v.Desc and v.Solution, v
        assert v.FileName and v.Path and v.Path.endswith("/" + v.FileName), v
        assert v.FileMd5 and MD5.match(v.FileMd5), v
        assert isinstance(v.FileSize, int) and v.FileSize >= 0, v
        assert v.LatestScanTime and DATETIME.match(v.LatestScanTime), v
    level = listed.List[0].RiskLevel
    # The filter Tencent's own example sends: RiskLevel, with "all" for any.
    same = tcss.call(
        "DescribeAssetImageRegistryVirusList",
        {"Id": image.Id, "Limit": 100, "Filters": [{"Name": "RiskLevel", "Values": [level]}]},
    )
    assert same.TotalCount == sum(1 for v in listed.List if v.RiskLevel == level)
    assert all(v.RiskLevel == level for v in same.List)
    everything = tcss.call(
        "DescribeAssetImageRegistryVirusList",
        {"Id": image.Id, "Limit": 10, "Offset": 0,
         "Filters": [{"Name": "RiskLevel", "Values": ["all"], "ExactMatch": False}]},
    )
    assert everything.TotalCount == image.VirusCnt
    clean = min(images, key=lambda i: i.VirusCnt or 0)
    assert not clean.VirusCnt
    assert tcss.call("DescribeAssetImageRegistryVirusList", {"Id": clean.Id}).TotalCount == 0


def test_image_risks_match_the_count_page_and_sort(tcss):
    images = registry_images(tcss, limit=100).List
    image = max(images, key=lambda i: i.RiskCnt or 0)
    assert image.RiskCnt and image.RiskCnt > 1, image
    listed = tcss.call("DescribeAssetImageRegistryRiskInfoList", {"Id": image.Id, "Limit": 100})
    assert listed.TotalCount == image.RiskCnt
    assert len(listed.List) == image.RiskCnt
    for r in listed.List:
        assert isinstance(r.Behavior, int) and isinstance(r.Type, int), r
        assert r.Level in RISK_LEVELS, r
        assert r.Desc and r.InstructionContent, r
    # Tencent's own example: Level, Behavior and Type, each "all".
    everything = tcss.call(
        "DescribeAssetImageRegistryRiskInfoList",
        {"Id": image.Id, "Offset": 0, "Limit": 10, "Filters": [
            {"Name": name, "Values": ["all"], "ExactMatch": False}
            for name in ("Level", "Behavior", "Type")]},
    )
    assert everything.TotalCount == image.RiskCnt
    second = tcss.call("DescribeAssetImageRegistryRiskInfoList",
                       {"Id": image.Id, "Limit": 1, "Offset": 1})
    assert second.TotalCount == image.RiskCnt and len(second.List) == 1
    worst_first = tcss.call(
        "DescribeAssetImageRegistryRiskInfoList",
        {"Id": image.Id, "Limit": 100, "By": "Level", "Order": "DESC"},
    )
    levels = [int(r.Level) for r in worst_first.List]
    assert levels == sorted(levels, reverse=True), levels
    level = listed.List[0].Level
    same = tcss.call(
        "DescribeAssetImageRegistryRiskInfoList",
        {"Id": image.Id, "Filters": [{"Name": "Level", "Values": [level]}]},
    )
    assert same.TotalCount == sum(1 for r in listed.List if r.Level == level)


@pytest.mark.parametrize(
    "action", ["DescribeAssetImageRegistryVirusList", "DescribeAssetImageRegistryRiskInfoList"]
)
def test_image_viruses_and_risks_of_an_unknown_image_are_refused(tcss, action):
    expect_tc_error(lambda: tcss.call(action, {"Id": 999999}), "ResourceNotFound")


# --------------------------------------------------------------------------
# vulnerabilities across images
# --------------------------------------------------------------------------


def images_listing(tcss: TcssHarness, cve: str) -> set[int]:
    """The registry images whose own vulnerability list has `cve`."""
    found = set()
    for image in registry_images(tcss, limit=100).List:
        own = tcss.call("DescribeAssetImageRegistryVulList", {"Id": image.Id, "Limit": 100})
        assert own.TotalCount <= 100, "one page holds every vulnerability here"
        if any(v.CVEID == cve for v in own.List):
            found.add(image.Id)
    return found


def test_system_vulnerabilities_agree_with_the_per_image_lists(tcss):
    listed = tcss.call("DescribeSystemVulList", {"Limit": 10})
    assert listed.TotalCount > 10 and len(listed.List) == 10
    for v in listed.List:
        assert v.CVEID and v.CVEID.startswith("CVE-") and v.PocID, v
        assert v.Level in VUL_LEVELS and isinstance(v.CVSSV3Score, float), v
        assert v.RegistryImageCount >= 1 and v.ID > 0, v
        assert DATETIME.match(v.FoundTime) and v.FoundTime <= v.LatestFoundTime, v
    counts = [v.RegistryImageCount for v in listed.List]
    assert counts == sorted(counts, reverse=True), "most images first"

    top = listed.List[0]
    named = tcss.call("DescribeVulRegistryImageList", {"PocID": top.PocID, "Limit": 100})
    assert named.TotalCount == top.RegistryImageCount == len(named.List)
    assert {i.ImageAssetId for i in named.List} == images_listing(tcss, top.CVEID)
    for image in named.List:
        own = tcss.call("DescribeAssetImageRegistryVulList", {"Id": image.ImageAssetId, "Limit": 100})
        [vul] = [v for v in own.List if v.CVEID == top.CVEID]
        assert vul.POCID == top.PocID
        assert image.ImageID and image.ImageID.startswith("sha256:"), image
        assert [c.Name for c in image.ComponentList] == [vul.Component], image


def test_system_vulnerabilities_filter_and_sort(tcss):
    everything = tcss.call("DescribeSystemVulList", {"Limit": 100})
    high = tcss.call("DescribeSystemVulList", {
        "Limit": 100, "Filters": [{"Name": "Level", "Values": ["HIGH"]}]})
    assert 0 < high.TotalCount < everything.TotalCount
    assert all(v.Level == "HIGH" for v in high.List)
    cve = everything.List[0].CVEID
    one = tcss.call("DescribeSystemVulList", {
        "Filters": [{"Name": "CVEID", "Values": [cve], "ExactMatch": True}]})
    assert [v.CVEID for v in one.List] == [cve]
    by_score = tcss.call("DescribeSystemVulList", {
        "Limit": 100, "By": "CVSSV3Score", "Order": "asc"})
    scores = [v.CVSSV3Score for v in by_score.List]
    assert scores == sorted(scores)


def test_web_vulnerabilities_are_the_applications_and_lead_to_their_images(tcss):
    """`DescribeWebVulList` answers what `DescribeSystemVulList` does, for
    applications' packages: the two lists never share a CVE."""
    web = tcss.call("DescribeWebVulList", {"Limit": 100})
    system = tcss.call("DescribeSystemVulList", {"Limit": 100})
    assert web.TotalCount > 0 and system.TotalCount > 0
    assert not {v.CVEID for v in web.List} & {v.CVEID for v in system.List}
    top = web.List[0]
    named = tcss.call("DescribeVulRegistryImageList", {"PocID": top.PocID, "Limit": 100})
    assert named.TotalCount == top.RegistryImageCount
    for image in named.List[:3]:
        own = tcss.call("DescribeAssetImageRegistryVulList", {"Id": image.ImageAssetId, "Limit": 100})
        assert any(v.CVEID == top.CVEID and v.Category == "web" for v in own.List), image


def test_vulnerable_registry_images_filter(tcss):
    top = tcss.call("DescribeSystemVulList", {"Limit": 1}).List[0]
    params = {"PocID": top.PocID, "Limit": 100}
    every = tcss.call("DescribeVulRegistryImageList", params)
    newest = tcss.call("DescribeVulRegistryImageList", {
        **params, "Filters": [{"Name": "OnlyAffectedNewestImage", "Values": ["true"]}]})
    assert 0 < newest.TotalCount < every.TotalCount
    assert all(i.IsLatestImage for i in newest.List)
    unknown = tcss.call("DescribeVulRegistryImageList", {"PocID": "pcmgr-0"})
    assert unknown.TotalCount == 0 and not unknown.List


@pytest.mark.parametrize("action,params,code", [
    ("DescribeSystemVulList", {"Limit": 101}, "InvalidParameterValue"),
    ("DescribeWebVulList", {"Filters": [{"Name": "Severity", "Values": ["HIGH"]}]},
     "InvalidParameterValue"),
    ("DescribeVulRegistryImageList", {"PocID": "pcmgr-1", "Limit": 101}, "InvalidParameterValue"),
    ("DescribeVulRegistryImageList", {"Limit": 10}, "MissingParameter"),
])
def test_vulnerability_lists_refuse_bad_requests(tcss, action, params, code):
    expect_tc_error(lambda: tcss.call(action, params), code)
