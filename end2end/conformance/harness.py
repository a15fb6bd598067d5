"""Starting the sandbox and wrapping the official SDK clients.

Every SDK call made through `HssHarness.call` / `TcssHarness.call` is also
checked field by field against the SDK's model (model_check.py), and a
failure names the call, what the SDK sent and what the sandbox answered.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkhss.v5 import HssClient
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tcss.v20201101 import models as tcss_models
from tencentcloud.tcss.v20201101 import tcss_client

from model_check import check_hss, check_tcss

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHARED_DIR = Path(os.environ.get("SCANPORT_SHARED_DIR") or (ROOT.parent / "shared")).resolve()
PROJECT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
REGION = "ap-guangzhou"
# Milliseconds per image scanned, so scans finish within the suite's budget.
PACE_MS = int(os.environ.get("CONFORMANCE_PACE_MS", "20"))


def binary_path() -> Path:
    configured = os.environ.get("SCANPORT_BIN", "target/release/scanport")
    path = Path(configured)
    return path if path.is_absolute() else (ROOT / path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    """One `scanport sandbox` process on a free loopback port."""

    def __init__(self, rate_limits: bool, pace_ms: int | None = PACE_MS, seed: int = 1,
                 extra_args: tuple[str, ...] = ()):
        self.rate_limits = rate_limits
        self.extra_args = list(extra_args)
        self.pace_ms = pace_ms
        self.seed = seed
        self.huawei_ak = "CONFAK" + secrets.token_hex(8).upper()
        self.huawei_sk = secrets.token_hex(20)
        self.tencent_secret_id = "AKIDCONF" + secrets.token_hex(10)
        self.tencent_secret_key = secrets.token_hex(16)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.pace_supported = False
        self.log_path: Path | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hostport(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _args(self, with_pace: bool) -> list[str]:
        args = [
            str(binary_path()),
            "sandbox",
            "--listen",
            self.hostport,
            "--huawei-ak",
            self.huawei_ak,
            "--huawei-sk",
            self.huawei_sk,
            "--tencent-secret-id",
            self.tencent_secret_id,
            "--tencent-secret-key",
            self.tencent_secret_key,
            "--seed",
            str(self.seed),
        ]
        if not self.rate_limits:
            args.append("--no-rate-limits")
        if with_pace and self.pace_ms is not None:
            args += ["--pace-ms", str(self.pace_ms)]
        return args + self.extra_args

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def start(self) -> "Sandbox":
        binary = binary_path()
        if not binary.exists():
            raise RuntimeError(
                f"sandbox binary {binary} not found: build it with "
                "`cargo build --release -p scanport` or set SCANPORT_BIN"
            )
        attempts = [True, False] if self.pace_ms is not None else [False]
        for with_pace in attempts:
            self.port = _free_port()
            fd, name = tempfile.mkstemp(prefix="scanport-sandbox-", suffix=".log")
            self.log_path = Path(name)
            with os.fdopen(fd, "w") as log:
                # The keys are passed on the command line as the CLI asks;
                # they are random per run and never printed by the suite.
                self.proc = subprocess.Popen(
                    self._args(with_pace),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=ROOT,
                )
            if self._wait_ready():
                self.pace_supported = with_pace
                return self
            output = self.log_tail()
            self.close()
            if with_pace and "--pace-ms" in output:
                continue  # this build predates --pace-ms: start without it
            raise RuntimeError(f"sandbox did not start:\n{output}")
        raise RuntimeError("sandbox did not start")

    def _wait_ready(self, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def close(self) -> None:
        """Stops the process and removes its log."""
        self.stop()
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)


def _lines(problems: list[str], most: int = 15) -> str:
    shown = problems[:most]
    if len(problems) > most:
        shown.append(f"... and {len(problems) - most} more")
    return "\n".join(shown)


# --------------------------------------------------------------------------
# Huawei
# --------------------------------------------------------------------------


def hss_client(endpoint: str, ak: str, sk: str, project_id: str = PROJECT_ID,
               handler: HttpHandler | None = None) -> HssClient:
    config = HttpConfig.get_default_config()
    config.timeout = (5, 30)
    config.retry_times = 0
    builder = (
        HssClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project_id))
        .with_endpoints([endpoint])
    )
    if handler is not None:
        builder = builder.with_http_handler(handler)
    return builder.build()


class HssHarness:
    def __init__(self, sandbox: Sandbox, ak: str | None = None, sk: str | None = None):
        self.sandbox = sandbox
        self.ak = ak or sandbox.huawei_ak
        self.sk = sk or sandbox.huawei_sk
        self.last_request = None
        self.last_response = None
        handler = HttpHandler()
        handler.add_request_handler(self._on_request)
        handler.add_response_handler(self._on_response)
        self.client = hss_client(sandbox.endpoint, self.ak, self.sk, handler=handler)

    def _on_request(self, **kwargs):
        self.last_request = kwargs.get("request")

    def _on_response(self, **kwargs):
        self.last_response = kwargs.get("response")

    def describe_exchange(self) -> str:
        req, resp = self.last_request, self.last_response
        sent = "(nothing sent)"
        if req is not None:
            body = req.body
            if body is not None and not isinstance(body, (str, bytes)):
                body = json.dumps(body)
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            sent = f"{req.method} {req.url}"
            if body:
                sent += f" body={body[:400]}"
        got = "(no answer)"
        if resp is not None:
            got = f"HTTP {resp.status_code} {resp.text[:600]}"
        return f"SDK sent: {sent}\nsandbox answered: {got}"

    def call(self, method: str, request):
        """Calls `client.<method>(request)` and checks the raw answer against
        the SDK's response model; returns the SDK's parsed response."""
        self.last_request = self.last_response = None
        response_type = type(request).__name__.replace("Request", "Response")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                response = getattr(self.client, method)(request)
        except (ValueError, TypeError, AttributeError, KeyError) as err:
            problems = self._problems(response_type)
            raise AssertionError(
                f"{method}: the SDK could not parse the sandbox's answer into "
                f"{response_type} ({type(err).__name__}: {err})\n"
                + _lines(problems)
                + "\n"
                + self.describe_exchange()
            ) from err
        problems = self._problems(response_type)
        assert not problems, (
            f"{method}: the answer does not match the SDK model {response_type}:\n"
            + _lines(problems)
            + "\n"
            + self.describe_exchange()
        )
        return response

    def _problems(self, response_type: str) -> list[str]:
        resp = self.last_response
        if resp is None:
            return []
        text = resp.text
        if not text.strip():
            return []
        try:
            raw = json.loads(text)
        except ValueError:
            return [f"{response_type}: the body is not JSON: {text[:200]!r}"]
        return check_hss(raw, response_type)


# --------------------------------------------------------------------------
# Tencent
# --------------------------------------------------------------------------


def tcss_client_for(hostport: str, secret_id: str, secret_key: str,
                    region: str = REGION) -> tcss_client.TcssClient:
    http_profile = HttpProfile(protocol="http", endpoint=hostport, reqTimeout=30)
    profile = ClientProfile(httpProfile=http_profile)
    return tcss_client.TcssClient(credential.Credential(secret_id, secret_key), region, profile)


class TcssHarness:
    def __init__(self, sandbox: Sandbox, secret_id: str | None = None,
                 secret_key: str | None = None):
        self.sandbox = sandbox
        self.client = tcss_client_for(
            sandbox.hostport,
            secret_id or sandbox.tencent_secret_id,
            secret_key or sandbox.tencent_secret_key,
        )
        self.last_body = None
        self.last_params = None
        original = self.client.call

        def capturing_call(action, params, options=None, headers=None):
            self.last_params = params
            self.last_body = None
            body = original(action, params, options, headers)
            self.last_body = body
            return body

        self.client.call = capturing_call

    def call(self, action: str, params: dict | None = None):
        """Builds the SDK's `<action>Request` from `params`, calls the SDK and
        checks the raw `Response` against `<action>Response`."""
        request = getattr(tcss_models, action + "Request")()
        request.from_json_string(json.dumps(params or {}))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            response = getattr(self.client, action)(request)
        raw = json.loads(self.last_body)["Response"]
        problems = check_tcss(raw, action + "Response")
        assert not problems, (
            f"{action}: the answer does not match the SDK model {action}Response:\n"
            + _lines(problems)
            + f"\nSDK sent: {json.dumps(self.last_params)[:400]}"
            + f"\nsandbox answered: {json.dumps(raw)[:600]}"
        )
        return response
