"""Session fixtures: two sandbox processes (one without rate limits for the
general tests, one with the services' limits for the rate-limit tests) and the
official SDK clients pointed at them."""

import pytest

from harness import HssHarness, Sandbox, TcssHarness


def _start(request, rate_limits: bool) -> Sandbox:
    sandbox = Sandbox(rate_limits=rate_limits).start()
    request.addfinalizer(sandbox.close)
    return sandbox


@pytest.fixture(scope="session")
def sandbox(request) -> Sandbox:
    return _start(request, rate_limits=False)


@pytest.fixture(scope="session")
def limited_sandbox(request) -> Sandbox:
    return _start(request, rate_limits=True)


@pytest.fixture(scope="session")
def hss(sandbox) -> HssHarness:
    return HssHarness(sandbox)


@pytest.fixture(scope="session")
def tcss(sandbox) -> TcssHarness:
    return TcssHarness(sandbox)


@pytest.fixture(scope="session")
def hss_limited(limited_sandbox) -> HssHarness:
    return HssHarness(limited_sandbox)


def pytest_report_header(config):
    from harness import PACE_MS, binary_path

    return f"sandbox binary: {binary_path()} (--pace-ms {PACE_MS} when supported)"
