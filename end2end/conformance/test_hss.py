"""Huawei Cloud HSS (API v5) image calls, driven with the official Python SDK
(huaweicloudsdkhss) against the sandbox."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import quote

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkhss.v5 import (
    BatchScanPrivateImageRequestInfo,
    BatchScanSwrImageInfo,
    BatchScanSwrImageRequest,
    CreateImageSynchronizeTaskRequest,
    CreateImageSynchronizeTaskRequestInfo,
    CreateImageSynchronizeTaskRequestInfoRegistryInfo,
    CreateManualImageScanTaskReqInfo,
    CreateManualImageScanTaskReqInfoImageInfo,
    CreateManualImageScanTaskRequest,
    CycleImageScanPolicyReqInfo,
    CycleImageScanPolicyReqInfoRegistryInfo,
    ListAssociateRegistriesRequest,
    ListGeneralImageVulsRequest,
    ListImageMalwareRequest,
    ListImageRiskConfigsRequest,
    ListImageScanPolicyRequest,
    ListImageScanTaskRequest,
    ListImageSensitiveRequest,
    ListImageVulnerabilitiesRequest,
    ListRegistryImagesRequest,
    ListRegistryRequest,
    ListSwrImageRepositoryRequest,
    ListVulRepoImageRequest,
    ModifyImageScanPolicyRequest,
    RunImageSynchronizeRequest,
    RunImageSynchronizeRequestInfo,
    StopImageScanTaskRequest,
)

from harness import PROJECT_ID, HssHarness, Sandbox
from hand_signers import huawei_request

TASKS_PATH = f"/v5/{PROJECT_ID}/image/tasks"
SCAN_TIMEOUT_S = 60
ALL_SCOPES = 0x7FFFFFFF

TASK_TYPES = {"cycle", "manual", "autoSync", "manualSync"}
SCAN_STATUSES = {
    "unscan", "success", "scanning", "failed", "waiting_for_scan",
    "download_failed", "image_oversized",
}
SCAN_FAILED_DESC = {
    "unknown_error", "authentication_failed", "download_failed", "image_over_sized",
    "image_oversized", "failed_to_scan_vulnerability", "failed_to_scan_file",
    "failed_to_scan_software", "failed_to_check_sensitive_information",
    "failed_to_check_baseline", "failed_to_check_software_compliance",
    "failed_to_query_basic_image_information", "response_timed_out",
    "database_error", "failed_to_send_the_scan_request",
}
REGISTRY_TYPES = {"SwrPrivate", "SwrShared", "SwrEnterprise", "Harbor", "Jfrog", "Other"}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def list_tasks(hss: HssHarness, **kwargs):
    return hss.call("list_image_scan_task", ListImageScanTaskRequest(**kwargs))


def task_ids(hss: HssHarness, list_type: str, task_type: str | None = None) -> set[str]:
    ids: set[str] = set()
    offset = 0
    for _ in range(50):  # bounded: 50 pages of 200
        page = list_tasks(hss, type=list_type, task_type=task_type, offset=offset, limit=200)
        ids |= {t.task_id for t in page.data_list or []}
        offset += 200
        if offset >= (page.total_num or 0) or not page.data_list:
            break
    return ids


def find_task(hss: HssHarness, list_type: str, task_id: str):
    page = list_tasks(hss, type=list_type, task_id=task_id, limit=10)
    matches = [t for t in page.data_list or [] if t.task_id == task_id]
    assert len(matches) == 1, (
        f"list_image_scan_task(type={list_type}, task_id={task_id}) returned "
        f"{len(matches)} matching tasks (total_num={page.total_num})"
    )
    return matches[0]


def wait_new_task(hss: HssHarness, list_type: str, before: set[str], what: str,
                  task_type: str | None = None, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        new = task_ids(hss, list_type, task_type) - before
        if new:
            assert len(new) == 1, f"{what} created {len(new)} tasks: {sorted(new)}"
            return find_task(hss, list_type, new.pop())
        if time.monotonic() > deadline:
            pytest.fail(
                f"{what} answered 200 but no new task appeared in "
                f"list_image_scan_task(type={list_type}, task_type={task_type}) within {timeout}s"
            )
        time.sleep(0.2)


def swr_images(hss: HssHarness, **kwargs):
    kwargs.setdefault("image_type", "private_image")
    kwargs.setdefault("limit", 200)
    return hss.call("list_swr_image_repository", ListSwrImageRepositoryRequest(**kwargs))


def scannable(images):
    return [i for i in images if i.scannable is not False]


def batch_info(image) -> BatchScanSwrImageInfo:
    info = BatchScanSwrImageInfo(
        namespace=image.namespace,
        image_name=image.image_name,
        image_version=image.image_version,
    )
    if image.instance_id:
        info.instance_id = image.instance_id
    if image.instance_url:
        info.instance_url = image.instance_url
    return info


def check_task_invariants(task, where: str) -> None:
    assert task.task_type in TASK_TYPES, f"{where}: task_type {task.task_type!r}"
    assert task.image_type in (None, "local", "registry"), f"{where}: image_type {task.image_type!r}"
    assert task.task_status is not None and (
        0 <= task.task_status <= 100 or task.task_status in (-1, -2, -3)
    ), f"{where}: task_status {task.task_status!r}"
    total = task.total_num or 0
    done = (task.success_num or 0) + (task.failed_num or 0)
    assert done <= total, f"{where}: success_num + failed_num = {done} > total_num {total}"
    if task.rate_limit is not None:
        assert 0 <= task.rate_limit <= 1000, f"{where}: rate_limit {task.rate_limit}"


def expect_hss_error(call, status: int, code_prefix: str | None = None,
                     code: str | None = None) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as caught:
        call()
    err = caught.value
    assert err.status_code == status, f"expected HTTP {status}, got {err.status_code}: {err}"
    if code is not None:
        assert err.error_code == code, f"expected {code}, got {err.error_code}: {err.error_msg}"
    if code_prefix is not None:
        assert err.error_code and err.error_code.startswith(code_prefix), err
    assert err.error_msg, "error_msg is empty"
    return err


def assert_error_body(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, f"expected HTTP {status}, got {resp.status_code}: {resp.text}"
    body = resp.json()
    assert set(body) >= {"error_code", "error_msg"}, f"Huawei error body expected, got {body}"
    assert isinstance(body["error_code"], str) and isinstance(body["error_msg"], str), body
    # The cloud-service gateway spells its codes APIGW (spec/API.md, Corrections).
    assert body["error_code"].startswith(("HSS.", "APIGW.")), body
    if code is not None:
        assert body["error_code"] == code, body
    if body.get("request_id"):
        assert resp.headers.get("X-Request-Id") == body["request_id"], (
            f"X-Request-Id header {resp.headers.get('X-Request-Id')!r} "
            f"!= body request_id {body['request_id']!r}"
        )
    return body


# --------------------------------------------------------------------------
# list tasks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("list_type", ["image_scan", "image_sync"])
def test_list_tasks_parses(hss, list_type):
    page = list_tasks(hss, type=list_type, limit=10)
    assert page.status_code == 200
    assert page.total_num is not None and page.total_num >= len(page.data_list or [])
    assert len(page.data_list or []) == min(10, page.total_num)
    for task in page.data_list or []:
        check_task_invariants(task, f"{list_type} task {task.task_id}")
        if task.failed_images is not None and task.task_status == 100:
            assert len(task.failed_images) <= (task.failed_num or 0)


def test_list_tasks_paging_is_consistent(hss):
    first = list_tasks(hss, type="image_scan", offset=0, limit=10)
    second = list_tasks(hss, type="image_scan", offset=10, limit=10)
    total = first.total_num
    assert second.total_num == total, f"total_num changed between pages: {total} vs {second.total_num}"
    a = [t.task_id for t in first.data_list or []]
    b = [t.task_id for t in second.data_list or []]
    assert len(a) == min(10, total) and len(b) == max(0, min(10, total - 10))
    assert len(set(a)) == len(a) and len(set(b)) == len(b), "duplicate task_id inside a page"
    assert not set(a) & set(b), f"pages overlap: {sorted(set(a) & set(b))}"
    beyond = list_tasks(hss, type="image_scan", offset=total + 5, limit=10)
    assert beyond.total_num == total and not beyond.data_list


def test_list_tasks_filters(hss):
    manual = list_tasks(hss, type="image_scan", task_type="manual", limit=200)
    assert all(t.task_type == "manual" for t in manual.data_list or [])
    scanning = list_tasks(hss, type="image_scan", task_status="scanning", limit=200)
    assert all(0 <= t.task_status < 100 for t in scanning.data_list or [])
    finished = list_tasks(hss, type="image_scan", task_status="finished", limit=200)
    assert all(not 0 <= t.task_status < 100 for t in finished.data_list or [])


@pytest.mark.parametrize(
    "extra",
    [
        {"task_name": "同步 任务~*"},
        {"task_name": "Manual scan: data/worker"},
        {"enterprise_project_id": "all_granted_eps"},
        {"global_image_type": "registry", "scan_scope": 0x000F0000},
        {"create_time": 0, "end_time": 4070880000000},
    ],
    ids=["unicode", "reserved-chars", "all-eps", "bitmask", "time-range"],
)
def test_sdk_query_encodings_verify(hss, extra):
    # The SDK percent-encodes and sorts these its own way; the sandbox must
    # verify the signature it computed and answer 200.
    page = list_tasks(hss, type="image_scan", limit=10, **extra)
    assert page.status_code == 200


def test_sdk_boolean_query_and_region_header_verify(hss):
    page = swr_images(hss, latest_version=True, has_vul=False, region="ap-southeast-1", limit=10)
    assert page.status_code == 200
    assert all(i.latest_version for i in page.data_list), "latest_version=true filter ignored"


def test_project_id_is_path_escaped_as_the_sdk_signs_it(sandbox):
    # huaweicloudsdkcore quotes path parameters (safe=''), then signs the
    # canonical URI by unquoting the whole path and re-encoding each
    # '/'-separated piece. A project id with reserved characters must verify.
    from harness import hss_client

    for project_id in ("proj id:x", "proj/x"):
        client = hss_client(sandbox.endpoint, sandbox.huawei_ak, sandbox.huawei_sk, project_id)
        try:
            client.list_image_scan_task(ListImageScanTaskRequest(type="image_sync", limit=10))
        except ClientRequestException as err:
            assert err.status_code != 401, (
                f"project_id {project_id!r}: the SDK sent "
                f"/v5/{quote(project_id, safe='')}/image/tasks, signed with canonical URI "
                f"/v5/{'/'.join(quote(p, safe='~') for p in project_id.split('/'))}/image/tasks/; "
                f"the sandbox refused it: {err.status_code} {err.error_code} {err.error_msg}"
            )


def test_project_id_longer_than_256_is_refused(sandbox):
    project_id = "a" * 257
    resp = huawei_request(
        sandbox.endpoint, sandbox.huawei_ak, sandbox.huawei_sk, project_id,
        "GET", f"/v5/{project_id}/image/tasks", [("type", "image_scan")],
    )
    assert 400 <= resp.status_code < 500, (
        f"project_id of 257 characters (spec: 1..256) answered {resp.status_code}"
    )


# --------------------------------------------------------------------------
# SWR images and registries
# --------------------------------------------------------------------------


def test_list_swr_images_paging_and_filters(hss):
    small = swr_images(hss, limit=10)
    total = small.total_num
    assert total and total > 0, "the sandbox inventory has no private images"
    assert len(small.data_list) == min(10, total)
    big = swr_images(hss, limit=200)
    assert big.total_num == total and len(big.data_list) == min(200, total)
    for image in big.data_list:
        assert image.image_type in (None, "private_image"), image.image_type
        assert image.scan_status in SCAN_STATUSES, f"scan_status {image.scan_status!r}"
        if image.scan_failed_desc:
            assert image.scan_failed_desc in SCAN_FAILED_DESC, image.scan_failed_desc

    namespace = big.data_list[0].namespace
    by_ns = swr_images(hss, namespace=namespace)
    assert 0 < by_ns.total_num <= total
    assert all(namespace in i.namespace for i in by_ns.data_list), "namespace filter ignored"

    status = big.data_list[0].scan_status
    by_status = swr_images(hss, scan_status=status)
    assert 0 < by_status.total_num <= total
    assert all(i.scan_status == status for i in by_status.data_list), "scan_status filter ignored"


def test_list_registries(hss):
    page = hss.call("list_registry", ListRegistryRequest(limit=10))
    assert page.total_num is not None and page.total_num >= len(page.data_list or [])
    assert len(page.data_list or []) == min(10, page.total_num)
    for registry in page.data_list or []:
        assert registry.id and registry.registry_name
        assert registry.registry_type in REGISTRY_TYPES, registry.registry_type
        assert registry.status in (None, "success", "fail", "accessing"), registry.status
        # RegistryInfo's documented values.
        if registry.fail_reason:
            assert registry.fail_reason in ("CREATE_JOB_FAILED", "REQUEST_API_ERROR", "SERVER_ERROR"), (
                registry.fail_reason
            )
        assert registry.protocol in (None, "http", "https"), registry.protocol
        assert registry.api_version in (None, "V1", "V2"), registry.api_version
        assert registry.get_scan_image_channel in (None, "Swr", "Other"), registry.get_scan_image_channel
    third_party = [r for r in page.data_list or [] if r.registry_type in ("Harbor", "Jfrog", "Other")]
    assert third_party and all(r.connect_cluster_id for r in third_party), "third-party registries name their cluster"
    addr = third_party[0].registry_addr
    by_addr = hss.call("list_registry", ListRegistryRequest(registry_addr=addr))
    assert by_addr.total_num >= 1 and all(addr in r.registry_addr for r in by_addr.data_list), (
        "registry_addr filter ignored"
    )


def test_shared_and_multi_arch_images(hss):
    shared = swr_images(hss, image_type="shared_image").data_list
    assert shared and all(i.domain_name for i in shared), "a shared image names its owner"
    assert {i.shared_status for i in shared} <= {"effective", "expired"}
    multi = [i for i in swr_images(hss).data_list if i.association_images]
    assert multi, "the sandbox has multi-arch images"
    for image in multi:
        for arch in image.association_images:
            assert arch.image_name == image.image_name and arch.image_digest.startswith("sha256:")


def test_list_registry_images_filters_sorting_and_paging(hss):
    everything = hss.call("list_registry_images", ListRegistryImagesRequest(limit=200))
    assert everything.total_num and everything.total_num > len(everything.data_list)
    kinds = {i.registry_type for i in everything.data_list}
    assert kinds <= REGISTRY_TYPES, kinds
    harbor = hss.call(
        "list_registry_images",
        ListRegistryImagesRequest(registry_name="Harbor (corp)", limit=200),
    )
    assert 0 < harbor.total_num < everything.total_num
    for image in harbor.data_list:
        assert image.registry_name == "Harbor (corp)" and image.registry_type == "Harbor"
        assert image.image_type == "harbor", image.image_type
        assert image.scan_status in SCAN_STATUSES, image.scan_status
        assert image.severity_level in (None, "Security", "Low", "Medium", "High")
        if image.severity_level:
            assert image.scan_status == "success", "a level only once scanned"
    jfrog = hss.call("list_registry_images", ListRegistryImagesRequest(image_type="jfrog", limit=200))
    assert jfrog.data_list and all(i.registry_type == "Jfrog" for i in jfrog.data_list)
    enterprise = hss.call(
        "list_registry_images", ListRegistryImagesRequest(image_type="instance_image", limit=10)
    )
    assert enterprise.data_list and all(i.registry_type == "SwrEnterprise" for i in enterprise.data_list)

    high = hss.call(
        "list_registry_images",
        ListRegistryImagesRequest(registry_name="Harbor (corp)", severity_level="High", limit=200),
    )
    assert 0 < high.total_num < harbor.total_num
    assert all(i.severity_level == "High" for i in high.data_list)
    calm = hss.call(
        "list_registry_images",
        ListRegistryImagesRequest(registry_name="Harbor (corp)", risky=False, limit=200),
    )
    assert 0 < calm.total_num < harbor.total_num
    assert all(
        not (i.vul_num or i.malicious_file_num or i.unsafe_setting_num) for i in calm.data_list
    )
    newest_first = hss.call(
        "list_registry_images",
        ListRegistryImagesRequest(
            registry_name="Harbor (corp)", sort_key="latest_scan_time", sort_dir="desc", limit=200
        ),
    )
    times = [i.latest_scan_time or 0 for i in newest_first.data_list]
    assert times == sorted(times, reverse=True)
    page = hss.call(
        "list_registry_images",
        ListRegistryImagesRequest(
            registry_name="Harbor (corp)", sort_key="latest_scan_time", sort_dir="desc",
            offset=3, limit=3,
        ),
    )
    assert [i.id for i in page.data_list] == [i.id for i in newest_first.data_list[3:6]]


@pytest.mark.parametrize(
    "field,value",
    [("limit", 0), ("limit", 201), ("image_version", "v" * 65), ("severity_level", "high"),
     ("scan_status", "download_failed"), ("sort_key", "image_name")],
)
def test_registry_images_outside_the_sdks_ranges_are_refused(hss, field, value):
    expect_hss_error(
        lambda: hss.call("list_registry_images", ListRegistryImagesRequest(**{field: value})),
        400, "HSS.0001",
    )


def test_a_sync_tasks_registries_name_the_failed_harbors_reason(hss):
    # A seeded sync of every registry (not one a test launched).
    task_id = next(
        t.task_id for t in list_tasks(hss, type="image_sync", limit=200).data_list
        if "-live-" not in t.task_id
    )
    answer = hss.call(
        "list_associate_registries", ListAssociateRegistriesRequest(task_id=task_id, limit=200)
    )
    assert answer.total_num == len(answer.data_list) >= 6
    for registry in answer.data_list:
        assert registry.registry_type in REGISTRY_TYPES, registry.registry_type
        assert registry.sync_status in ("finished", "running", "failed"), registry.sync_status
        assert bool(registry.failed_reason) == (registry.sync_status == "failed"), registry
    failed_harbors = [
        r for r in answer.data_list if r.registry_type == "Harbor" and r.sync_status == "failed"
    ]
    assert failed_harbors and all(r.failed_reason for r in failed_harbors)
    failed = hss.call(
        "list_associate_registries",
        ListAssociateRegistriesRequest(task_id=task_id, sync_status="failed"),
    )
    assert failed.data_list and all(r.sync_status == "failed" for r in failed.data_list)
    assert failed.total_num < answer.total_num
    harbors = hss.call(
        "list_associate_registries",
        ListAssociateRegistriesRequest(task_id=task_id, registry_type="Harbor,Jfrog"),
    )
    assert {r.registry_type for r in harbors.data_list} == {"Harbor", "Jfrog"}


def test_registries_of_an_unknown_or_malformed_sync_task_are_refused(hss):
    expect_hss_error(
        lambda: hss.call(
            "list_associate_registries", ListAssociateRegistriesRequest(task_id="no-such-task")
        ),
        400, "HSS.0011",
    )
    expect_hss_error(
        lambda: hss.call(
            "list_associate_registries", ListAssociateRegistriesRequest(task_id="t" * 65)
        ),
        400, "HSS.0001",
    )
    expect_hss_error(
        lambda: hss.call(
            "list_associate_registries", ListAssociateRegistriesRequest(task_id="t", limit=5)
        ),
        400, "HSS.0001",
    )


# --------------------------------------------------------------------------
# launching scans and syncs
# --------------------------------------------------------------------------


def test_batch_scan_selected_images_runs_to_completion(hss):
    images = scannable(swr_images(hss, limit=50).data_list)[:3]
    assert len(images) == 3, "need three scannable private images"
    before = task_ids(hss, "image_scan", "manual")
    body = BatchScanPrivateImageRequestInfo(
        image_type="private_image", image_info_list=[batch_info(i) for i in images]
    )
    resp = hss.call("batch_scan_swr_image", BatchScanSwrImageRequest(body=body))
    assert resp.status_code == 200

    task = wait_new_task(hss, "image_scan", before, "batch_scan_swr_image", "manual")
    assert task.task_type == "manual"
    assert task.total_num == 3, f"total_num {task.total_num} for 3 selected images"
    assert task.image_type in (None, "registry"), task.image_type

    deadline = time.monotonic() + SCAN_TIMEOUT_S
    while task.task_status != 100:
        check_task_invariants(task, f"batch-scan task {task.task_id}")
        assert task.task_status >= 0, f"task ended with task_status {task.task_status}"
        assert time.monotonic() < deadline, (
            f"batch-scan task {task.task_id} still at task_status {task.task_status} "
            f"after {SCAN_TIMEOUT_S}s (sandbox started with --pace-ms: "
            f"{hss.sandbox.pace_supported})"
        )
        time.sleep(0.25)
        task = find_task(hss, "image_scan", task.task_id)
    assert task.success_num + task.failed_num == task.total_num, task
    assert len(task.failed_images or []) == task.failed_num, (
        f"failed_num {task.failed_num} but {len(task.failed_images or [])} failed_images"
    )
    assert task.end_time and task.end_time >= (task.begin_time or 0), "finished task without end_time"


def test_batch_scan_all_with_namespace_filter(hss):
    first = swr_images(hss, limit=200).data_list
    namespace = first[-1].namespace
    count = swr_images(hss, namespace=namespace, limit=10).total_num
    assert count > 0
    before = task_ids(hss, "image_scan", "manual")
    body = BatchScanPrivateImageRequestInfo(
        image_type="private_image", operate_all=True, namespace=namespace
    )
    resp = hss.call("batch_scan_swr_image", BatchScanSwrImageRequest(body=body))
    assert resp.status_code == 200
    task = wait_new_task(hss, "image_scan", before, "batch_scan_swr_image(operate_all)", "manual")
    assert task.total_num == count, (
        f"operate_all + namespace={namespace!r}: task total_num {task.total_num}, "
        f"list_swr_image_repository(namespace={namespace!r}).total_num {count}"
    )


def test_run_image_synchronize(hss):
    resp = hss.call(
        "run_image_synchronize",
        RunImageSynchronizeRequest(body=RunImageSynchronizeRequestInfo(image_type="private_image")),
    )
    assert resp.status_code == 200
    assert resp.error_code == 0, f"error_code {resp.error_code}: {resp.error_description}"


def test_create_image_synchronize_task_all_registries(hss):
    before = task_ids(hss, "image_sync")
    resp = hss.call(
        "create_image_synchronize_task",
        CreateImageSynchronizeTaskRequest(
            body=CreateImageSynchronizeTaskRequestInfo(sync_all_registries=True)
        ),
    )
    assert resp.status_code == 200
    task = wait_new_task(hss, "image_sync", before, "create_image_synchronize_task")
    assert task.task_type == "manualSync", f"task_type {task.task_type!r}"
    check_task_invariants(task, f"sync task {task.task_id}")


def test_create_image_synchronize_task_chosen_registries(hss):
    registries = hss.call("list_registry", ListRegistryRequest(limit=10)).data_list or []
    assert registries, "the sandbox has no registries"
    info = [
        CreateImageSynchronizeTaskRequestInfoRegistryInfo(
            registry_id=r.id, registry_type=r.registry_type
        )
        for r in registries[:2]
    ]
    resp = hss.call(
        "create_image_synchronize_task",
        CreateImageSynchronizeTaskRequest(
            body=CreateImageSynchronizeTaskRequestInfo(sync_all_registries=False, registry_info=info)
        ),
    )
    assert resp.status_code == 200


# --------------------------------------------------------------------------
# scan policy
# --------------------------------------------------------------------------


def scan_policy(hss: HssHarness, policy_type: str = "cycle"):
    return hss.call("list_image_scan_policy", ListImageScanPolicyRequest(type=policy_type))


def modify_policy(hss: HssHarness, **fields):
    return hss.call(
        "modify_image_scan_policy",
        ModifyImageScanPolicyRequest(body=CycleImageScanPolicyReqInfo(**fields)),
    )


def test_scan_policy_parses_with_the_sdks_enumerations(hss):
    policy = scan_policy(hss)
    assert policy.scan_cycle in (3, 7, 14), policy
    assert policy.time_scope in (0, 1, 3, 7), policy
    assert policy.rate_limit is not None and policy.rate_limit >= 0, policy
    assert isinstance(policy.enabled, bool) and isinstance(policy.is_all, bool), policy
    assert policy.total_registry_num == len(policy.registry_list or [])
    for r in policy.registry_list or []:
        assert r.registry_type in REGISTRY_TYPES, r
        assert isinstance(r.is_selected, bool) and r.registry_id and r.registry_name, r
    manual = scan_policy(hss, "manual")
    assert manual.enabled is False, manual


def test_a_modified_scan_policy_reads_back(hss):
    registries = scan_policy(hss).registry_list or []
    harbor = next(r for r in registries if r.registry_type == "Harbor")
    resp = modify_policy(
        hss,
        enabled=True,
        scan_cycle=3,
        scan_scope=0x000F0000 | 0x000000F0,
        rate_limit=25,
        time_scope=3,
        registry_info=[CycleImageScanPolicyReqInfoRegistryInfo(
            registry_id=harbor.registry_id, registry_name=harbor.registry_name,
            registry_type=harbor.registry_type)],
    )
    assert resp.status_code == 200
    after = scan_policy(hss)
    assert (after.enabled, after.scan_cycle, after.scan_scope, after.rate_limit, after.time_scope) == (
        True, 3, 0x0F00F0, 25, 3), after
    assert [r.registry_id for r in after.registry_list if r.is_selected] == [harbor.registry_id]
    # "All" goes in as 0x7fffffff and reads back as the answer spells it.
    modify_policy(hss, enabled=False, scan_cycle=7, scan_scope=ALL_SCOPES, rate_limit=0,
                  time_scope=0, registry_info=[])
    after = scan_policy(hss)
    assert (after.enabled, after.scan_scope) == (False, 0x0FFFFF), after
    assert not any(r.is_selected for r in after.registry_list)


@pytest.mark.parametrize(
    "field, value",
    [("scan_cycle", 5), ("scan_scope", 0x1), ("rate_limit", -1), ("time_scope", 2)],
)
def test_a_scan_policy_outside_the_sdks_enumerations_is_refused(hss, field, value):
    fields = dict(enabled=False, scan_cycle=7, scan_scope=ALL_SCOPES, rate_limit=0,
                  time_scope=0, registry_info=[])
    fields[field] = value
    err = expect_hss_error(lambda: modify_policy(hss, **fields), 400, code="HSS.0001")
    assert field in err.error_msg, err.error_msg


def test_the_policy_type_is_required(sandbox):
    assert_error_body(_raw(sandbox, path=f"/v5/{PROJECT_ID}/image/scanner-policies", query=[]), 400, "HSS.0001")


def test_manual_scan_task_can_be_stopped(hss):
    images = scannable(swr_images(hss, limit=200).data_list)
    assert len(images) >= 20, "need a task long enough to stop"
    info = []
    for image in images:
        item = CreateManualImageScanTaskReqInfoImageInfo(
            id=image.id,
            image_id=image.image_id,
            image_digest=image.image_digest,
            namespace=image.namespace,
            image_name=image.image_name,
            image_version=image.image_version,
            registry_type="SwrPrivate",
        )
        if image.instance_id:
            item.instance_id = image.instance_id
        if image.instance_url:
            item.instance_url = image.instance_url
        info.append(item)
    before = task_ids(hss, "image_scan", "manual")
    body = CreateManualImageScanTaskReqInfo(
        scan_scope=ALL_SCOPES, rate_limit=0, is_all=False, image_info=info
    )
    resp = hss.call("create_manual_image_scan_task", CreateManualImageScanTaskRequest(body=body))
    assert resp.status_code == 200
    task = wait_new_task(hss, "image_scan", before, "create_manual_image_scan_task", "manual")
    assert task.task_type == "manual"
    assert task.total_num == len(info), f"total_num {task.total_num} for {len(info)} images"
    assert 0 <= task.task_status < 100, (
        f"task {task.task_id} is not running (task_status {task.task_status}); cannot test stop"
    )

    stop = hss.call("stop_image_scan_task", StopImageScanTaskRequest(task_id=task.task_id))
    assert stop.status_code == 200
    deadline = time.monotonic() + 5
    while True:
        task = find_task(hss, "image_scan", task.task_id)
        if task.task_status == -1:
            break
        assert time.monotonic() < deadline, (
            f"stopped task {task.task_id} shows task_status {task.task_status}, expected -1"
        )
        time.sleep(0.2)
    check_task_invariants(task, f"stopped task {task.task_id}")


# --------------------------------------------------------------------------
# refusals
# --------------------------------------------------------------------------


def test_wrong_secret_key_is_refused(sandbox):
    bad = HssHarness(sandbox, sk=sandbox.huawei_sk[:-4] + "0000")
    err = expect_hss_error(
        lambda: bad.client.list_image_scan_task(ListImageScanTaskRequest(type="image_scan")),
        401, code="APIGW.0301",
    )
    assert_error_body(bad.last_response, 401, "APIGW.0301")
    assert err.request_id, "no X-Request-Id on the refusal"


def test_five_signature_failures_in_a_row_lock_the_access_key():
    # A sandbox of its own: a locked AK would fail every later test.
    box = Sandbox(rate_limits=False,
                  extra_args=("--ak-lockout-after", "5", "--ak-lockout-secs", "2")).start()
    try:
        request = ListImageScanTaskRequest(type="image_scan")
        bad = HssHarness(box, sk=box.huawei_sk[:-4] + "0000")
        good = HssHarness(box)
        for _ in range(4):
            expect_hss_error(lambda: bad.client.list_image_scan_task(request), 401, code="APIGW.0301")
        good.client.list_image_scan_task(request)  # a success starts the count again
        for _ in range(5):
            expect_hss_error(lambda: bad.client.list_image_scan_task(request), 401, code="APIGW.0301")
        err = expect_hss_error(lambda: good.client.list_image_scan_task(request), 401, code="APIGW.0301")
        assert "locked" in err.error_msg, err.error_msg
        time.sleep(2.5)
        good.client.list_image_scan_task(request)  # the lock ends
    finally:
        box.close()


def test_unknown_access_key_is_refused(sandbox):
    bad = HssHarness(sandbox, ak="UNKNOWNAK0000000000")
    expect_hss_error(
        lambda: bad.client.list_image_scan_task(ListImageScanTaskRequest(type="image_scan")),
        401, code="APIGW.0301",
    )


def _raw(sandbox, path=TASKS_PATH, query=(("type", "image_scan"),), method="GET",
         body=None, date=None):
    return huawei_request(
        sandbox.endpoint, sandbox.huawei_ak, sandbox.huawei_sk, PROJECT_ID,
        method, path, list(query), body=body, date=date,
    )


def test_hand_signed_request_is_accepted(sandbox):
    # The control for the stale-date test: the same signer, a fresh date.
    resp = _raw(sandbox)
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("minutes", [-20, 20])
def test_stale_sdk_date_is_refused(sandbox, minutes):
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    assert_error_body(_raw(sandbox, date=when), 401, "APIGW.0301")


@pytest.mark.parametrize("limit", [5, 201])
def test_list_tasks_limit_out_of_range(hss, sandbox, limit):
    expect_hss_error(lambda: list_tasks(hss, type="image_scan", limit=limit), 400)
    assert_error_body(_raw(sandbox, query=[("type", "image_scan"), ("limit", limit)]), 400)


def test_list_tasks_unknown_enumeration(hss, sandbox):
    expect_hss_error(lambda: list_tasks(hss, type="image_bogus"), 400)
    assert_error_body(_raw(sandbox, query=[("type", "image_bogus")]), 400)


def test_list_tasks_type_is_required(sandbox):
    # HSS's error table: HSS.0001 invalid parameter (HSS.1001 means "no agent").
    assert_error_body(_raw(sandbox, query=[("limit", 10)]), 400, "HSS.0001")


@pytest.mark.parametrize(
    "path, query",
    [
        ("tasks", [("type", "image_scan"), ("task_type", "bogus")]),
        ("tasks", [("type", "image_scan"), ("task_status", "bogus")]),
        ("tasks", [("type", "image_scan"), ("global_image_type", "bogus")]),
        ("tasks", [("type", "image_scan"), ("offset", 2000001)]),
        ("tasks", [("type", "image_scan"), ("create_time", 4070880000001)]),
        ("tasks", [("type", "image_scan"), ("task_name", "x" * 257)]),
        ("tasks", [("type", "image_scan"), ("enterprise_project_id", "")]),
        ("swr-repository", [("image_type", "bogus")]),
        ("swr-repository", [("image_type", "private_image"), ("scan_status", "bogus")]),
        ("registries", [("limit", 5)]),
        ("registries", [("status", "bogus")]),
        ("registries", [("registry_type", "Bogus")]),
    ],
    ids=lambda v: v if isinstance(v, str) else "&".join(f"{k}={str(x)[:12]}" for k, x in v),
)
def test_out_of_contract_queries_are_refused(sandbox, path, query):
    assert_error_body(_raw(sandbox, path=f"/v5/{PROJECT_ID}/image/{path}", query=query), 400)


def test_stopping_an_unknown_task_is_refused(hss):
    with pytest.raises(ClientRequestException) as caught:
        hss.client.stop_image_scan_task(StopImageScanTaskRequest(task_id="no-such-task"))
    # HSS's error table: HSS.0011 resource not found, answered with 400.
    assert caught.value.status_code == 400, caught.value
    assert_error_body(hss.last_response, 400, "HSS.0011")


def test_batch_scan_unknown_image_type(hss):
    body = BatchScanPrivateImageRequestInfo(image_type="bogus_image", operate_all=True)
    expect_hss_error(lambda: hss.client.batch_scan_swr_image(BatchScanSwrImageRequest(body=body)), 400)
    assert_error_body(hss.last_response, 400)


def test_batch_scan_needs_a_list_or_operate_all(hss):
    body = BatchScanPrivateImageRequestInfo(image_type="private_image", operate_all=False)
    expect_hss_error(lambda: hss.client.batch_scan_swr_image(BatchScanSwrImageRequest(body=body)), 400)


def test_synchronize_unknown_image_type(hss):
    body = RunImageSynchronizeRequestInfo(image_type="instance_image")
    expect_hss_error(
        lambda: hss.client.run_image_synchronize(RunImageSynchronizeRequest(body=body)), 400
    )


def test_image_sync_task_unknown_registry_type(hss):
    body = CreateImageSynchronizeTaskRequestInfo(
        sync_all_registries=False,
        registry_info=[CreateImageSynchronizeTaskRequestInfoRegistryInfo(
            registry_id="reg-x", registry_type="Dockerhub")],
    )
    expect_hss_error(
        lambda: hss.client.create_image_synchronize_task(
            CreateImageSynchronizeTaskRequest(body=body)), 400
    )


# --------------------------------------------------------------------------
# rate limits (second sandbox, limits on)
# --------------------------------------------------------------------------


def test_sixth_list_call_in_a_minute_is_throttled(limited_sandbox, hss_limited):
    # Raw signed calls, so the answer's body can be read: the SDK's urllib3
    # retry layer turns a 429 into error_code "429" and drops the body.
    for n in range(1, 6):
        resp = _raw(limited_sandbox)
        assert resp.status_code == 200, f"call {n} of 5 refused: {resp.status_code} {resp.text}"
    throttled = _raw(limited_sandbox)
    assert_error_body(throttled, 429, "APIGW.0308")
    # It says when to come back: delta-seconds, within the minute.
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60, throttled.headers
    # And the SDK sees HTTP 429 too.
    expect_hss_error(
        lambda: hss_limited.client.list_image_scan_task(ListImageScanTaskRequest(type="image_scan")),
        429,
    )


# --------------------------------------------------------------------------
# findings
# --------------------------------------------------------------------------

REPAIR_NECESSITY = {"immediate_repair", "delay_repair", "not_needed_repair"}


def image_vulnerabilities(hss: HssHarness, image, **kwargs):
    return hss.call(
        "list_image_vulnerabilities",
        ListImageVulnerabilitiesRequest(
            image_id=image.image_id, image_type="private_image", namespace=image.namespace,
            image_name=image.image_name, tag_name=image.image_version, **kwargs),
    )


def test_image_vulnerabilities_match_the_image_and_page(hss):
    images = swr_images(hss, scan_status="success").data_list
    image = max(images, key=lambda i: i.vul_num or 0)
    assert image.vul_num and image.vul_num > 10, image
    first = image_vulnerabilities(hss, image, limit=10, offset=0)
    assert first.total_num == image.vul_num, (first.total_num, image.vul_num)
    assert len(first.data_list) == 10
    rest = image_vulnerabilities(hss, image, limit=200, offset=10)
    ids = [v.vul_id for v in first.data_list + rest.data_list]
    assert len(ids) == image.vul_num and len(set(ids)) == len(ids), "pages overlap or miss"
    for v in first.data_list:
        assert v.vul_id and v.vul_id.startswith("CVE-"), v
        assert v.repair_necessity in REPAIR_NECESSITY, v
        assert v.app_name and v.version, v
        assert v.solution and len(v.solution) <= 256, v
    urgent = image_vulnerabilities(hss, image, limit=200, repair_necessity="immediate_repair")
    assert 0 < urgent.total_num < image.vul_num
    assert all(v.repair_necessity == "immediate_repair" for v in urgent.data_list)


def test_image_vulnerabilities_refuse_a_page_below_ten(hss):
    image = swr_images(hss, scan_status="success").data_list[0]
    expect_hss_error(lambda: image_vulnerabilities(hss, image, limit=5), 400)


SENSITIVE_SEVERITIES = {"critical", "high", "medium", "low"}
BASELINE_SEVERITIES = {"Security", "Low", "Medium", "High"}
BASELINE_STANDARDS = {"hw_standard", "cn_standard"}


def image_malware(hss: HssHarness, image, **kwargs):
    return hss.call(
        "list_image_malware",
        ListImageMalwareRequest(
            image_id=image.image_id, image_type="private_image", namespace=image.namespace,
            image_name=image.image_name, tag_name=image.image_version, **kwargs),
    )


def image_sensitive(hss: HssHarness, image, **kwargs):
    # The tag is `image_version` here, not `tag_name` as for malware.
    return hss.call(
        "list_image_sensitive",
        ListImageSensitiveRequest(
            image_id=image.image_id, image_type="private_image", namespace=image.namespace,
            image_name=image.image_name, image_version=image.image_version, **kwargs),
    )


def image_risk_configs(hss: HssHarness, image, **kwargs):
    # No image_id path segment: the image is named in the query.
    return hss.call(
        "list_image_risk_configs",
        ListImageRiskConfigsRequest(
            image_type="private_image", image_id=image.image_id, namespace=image.namespace,
            image_name=image.image_name, image_version=image.image_version, **kwargs),
    )


def test_image_malware_matches_the_image_and_filters(hss):
    images = swr_images(hss, scan_status="success").data_list
    image = max(images, key=lambda i: i.malicious_file_num or 0)
    assert image.malicious_file_num, image
    listed = image_malware(hss, image, limit=10, offset=0)
    assert listed.total_num == image.malicious_file_num, (listed.total_num, image.malicious_file_num)
    assert len(listed.data_list) == min(10, image.malicious_file_num)
    for m in listed.data_list:
        assert m.file_name and m.file_path and m.file_path.endswith("/" + m.file_name), m
        assert m.size is not None and 0 <= m.size <= 65535, m
        assert m.description and len(m.description) <= 256, m
    first = listed.data_list[0].file_name
    named = image_malware(hss, image, file_name=first[1:].upper())
    assert named.total_num >= 1 and any(m.file_name == first for m in named.data_list)
    assert image_malware(hss, image, file_name="no-such-file").total_num == 0
    clean = min(images, key=lambda i: i.malicious_file_num or 0)
    assert not clean.malicious_file_num
    nothing = image_malware(hss, clean)
    assert nothing.total_num == 0 and not nothing.data_list


def test_image_sensitive_information_pages_and_filters(hss):
    images = swr_images(hss, scan_status="success").data_list[:20]
    found = [(image, image_sensitive(hss, image, limit=10)) for image in images]
    for _, answer in found:
        assert 0 <= answer.total_num <= 4 and len(answer.data_list) == answer.total_num, answer
    image, listed = max(found, key=lambda pair: pair[1].total_num)
    assert listed.total_num >= 2, "no scanned image among the first 20 has sensitive information"
    for s in listed.data_list:
        assert s.sensitive_info_id and s.name and s.file_path and s.content, s
        assert s.severity in SENSITIVE_SEVERITIES, s
        assert s.handle_status in {"unhandled", "handled"}, s
        assert s.operate_accept in {"ignore", "do_not_ignore"}, s
        assert isinstance(s.latest_scan_time, int), s
        for text in (s.name, s.description, s.position, s.file_path, s.content):
            assert text is None or len(text) <= 128, s
    rest = image_sensitive(hss, image, limit=10, offset=1)
    assert rest.total_num == listed.total_num and len(rest.data_list) == listed.total_num - 1
    severity = listed.data_list[0].severity
    same = image_sensitive(hss, image, severity=severity)
    assert same.total_num == sum(1 for s in listed.data_list if s.severity == severity)
    assert all(s.severity == severity for s in same.data_list)
    unhandled = image_sensitive(hss, image, handle_status="unhandled")
    assert unhandled.total_num == sum(1 for s in listed.data_list if s.handle_status == "unhandled")
    path = listed.data_list[0].file_path
    assert image_sensitive(hss, image, file_path=path).total_num >= 1


def test_image_risk_configs_add_up_to_the_unsafe_settings(hss):
    images = swr_images(hss, scan_status="success").data_list
    image = max(images, key=lambda i: i.unsafe_setting_num or 0)
    assert image.unsafe_setting_num, image
    listed = image_risk_configs(hss, image, limit=10)
    assert listed.total_num == len(listed.data_list) > 0, listed
    # unsafe_setting_num counts failed checks over all the image's baselines.
    assert sum(b.failed_rule_num for b in listed.data_list) == image.unsafe_setting_num
    for b in listed.data_list:
        assert b.check_name and b.check_type and b.check_type_desc, b
        assert b.severity in BASELINE_SEVERITIES, b
        assert b.standard in BASELINE_STANDARDS, b
        assert 0 <= b.failed_rule_num <= b.check_rule_num, b
        assert (b.severity == "Security") == (b.failed_rule_num == 0), b
    hw = image_risk_configs(hss, image, standard="hw_standard")
    assert 0 < hw.total_num < listed.total_num
    assert all(b.standard == "hw_standard" for b in hw.data_list)
    ssh = image_risk_configs(hss, image, check_name="SSH")
    assert [b.check_name for b in ssh.data_list] == ["SSH"]
    failing = [b for b in listed.data_list if b.failed_rule_num]
    severity = failing[0].severity
    same = image_risk_configs(hss, image, severity=severity)
    assert same.total_num == sum(1 for b in listed.data_list if b.severity == severity)


def test_malware_sensitive_and_risk_configs_of_an_unscanned_image_are_empty(hss):
    image = swr_images(hss, scan_status="unscan").data_list[0]
    assert image_malware(hss, image).total_num == 0
    assert image_sensitive(hss, image).total_num == 0
    assert image_risk_configs(hss, image).total_num == 0


@pytest.mark.parametrize("call", [image_malware, image_sensitive, image_risk_configs])
def test_image_findings_refuse_a_page_below_ten(hss, call):
    image = swr_images(hss, scan_status="success").data_list[0]
    expect_hss_error(lambda: call(hss, image, limit=5), 400)


# --------------------------------------------------------------------------
# vulnerabilities across images
# --------------------------------------------------------------------------

SEVERITY_LEVELS = ["Critical", "High", "Medium", "Low"]


def general_vuls(hss: HssHarness, **kwargs):
    # The SDK's model requires these three.
    kwargs.setdefault("type", "linux_vul")
    kwargs.setdefault("handle_status", "unhandled")
    kwargs.setdefault("image_type", "registry")
    return hss.call("list_general_image_vuls", ListGeneralImageVulsRequest(**kwargs))


def vul_repo_images(hss: HssHarness, vul_id: str, **kwargs):
    return hss.call("list_vul_repo_image", ListVulRepoImageRequest(vul_id=vul_id, **kwargs))


def lists_vul(hss: HssHarness, image_id: str, namespace: str, image_name: str, tag: str,
              vul_id: str) -> bool:
    """Whether the image's own list has `vul_id`."""
    own = hss.call(
        "list_image_vulnerabilities",
        ListImageVulnerabilitiesRequest(
            image_id=image_id, image_type="private_image", namespace=namespace,
            image_name=image_name, tag_name=tag, vul_id=vul_id, limit=10),
    )
    return any(v.vul_id == vul_id for v in own.data_list or [])


def test_general_vulnerabilities_agree_with_the_per_image_lists(hss):
    listed = general_vuls(hss, limit=10)
    assert listed.total_num > 10 and len(listed.data_list) == 10, listed.total_num
    for v in listed.data_list:
        assert v.vul_id and v.vul_id.startswith("CVE-"), v
        assert v.severity_level in SEVERITY_LEVELS, v
        assert (v.type, v.image_type) == ("linux_vul", "registry"), v
        assert [c.cve_id for c in v.cve_list] == [v.vul_id], v
        assert isinstance(v.max_cvss_score, float) and v.image_num >= 1, v
        assert v.url and v.solution_detail and v.description, v
    counts = [v.image_num for v in listed.data_list]
    assert counts == sorted(counts, reverse=True), "most images first"

    top = listed.data_list[0]
    repos = vul_repo_images(hss, top.vul_id, limit=200)
    tags = [(r, t) for r in repos.data_list for t in r.data_list]
    assert len(tags) == top.image_num, (len(tags), top.image_num)
    for repo, tag in tags:
        assert repo.tag_count == len(repo.data_list) and repo.image_id == repo.data_list[0].tag_id
        assert lists_vul(hss, tag.tag_id, repo.namespace, repo.image_name, tag.tag_name,
                         top.vul_id), (top.vul_id, tag)
    # And the other way: a scanned image whose own list has it is named.
    named = {t.tag_id for _, t in tags}
    for image in swr_images(hss, scan_status="success", limit=30).data_list:
        has = lists_vul(hss, image.image_id, image.namespace, image.image_name,
                        image.image_version, top.vul_id)
        assert has == (image.image_id in named), (top.vul_id, image.image_id)


def test_general_vulnerabilities_filter_and_page(hss):
    everything = general_vuls(hss, limit=200)
    critical = general_vuls(hss, limit=200, severity_level="Critical")
    assert 0 < critical.total_num < everything.total_num
    assert all(v.severity_level == "Critical" for v in critical.data_list)
    one = general_vuls(hss, cve_id=critical.data_list[0].vul_id.lower()[2:])
    assert [v.vul_id for v in one.data_list] == [critical.data_list[0].vul_id]
    apps = general_vuls(hss, type="app_vul", limit=200)
    assert apps.total_num and all(v.type == "app_vul" for v in apps.data_list)
    assert general_vuls(hss, image_type="local").total_num == 0
    second = general_vuls(hss, limit=10, offset=10)
    assert [v.vul_id for v in second.data_list] == [
        v.vul_id for v in everything.data_list[10:20]
    ]


def test_vulnerable_repositories_filter(hss):
    top = general_vuls(hss).data_list[0]
    repos = vul_repo_images(hss, top.vul_id, limit=200)
    assert repos.total_num > 1
    namespace = repos.data_list[0].namespace
    same = vul_repo_images(hss, top.vul_id, limit=200, namespace=namespace)
    assert 0 < same.total_num < repos.total_num
    assert all(r.namespace == namespace for r in same.data_list)
    tag = repos.data_list[0].data_list[-1].tag_id
    assert vul_repo_images(hss, top.vul_id, image_id=tag).total_num == 1
    assert vul_repo_images(hss, "CVE-1999-0001").total_num == 0


@pytest.mark.parametrize("call", [
    lambda hss: general_vuls(hss, limit=5),
    lambda hss: vul_repo_images(hss, "CVE-2024-3094", limit=5),
], ids=["general", "repositories"])
def test_vulnerability_lists_refuse_a_page_below_ten(hss, call):
    err = expect_hss_error(lambda: call(hss), 400, code="HSS.0001")
    assert "limit" in err.error_msg
