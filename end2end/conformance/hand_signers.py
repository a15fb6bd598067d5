"""Small hand-written signers for the requests the official SDKs cannot be
made to send (a stale X-Sdk-Date, a limit the SDK might refuse, a raw body to
inspect). They follow shared/spec/API.md and are checked byte for byte
against shared/vectors/signing.json in test_signers.py, so a refusal they
provoke is the sandbox's verdict on a correctly signed request, not a bug here.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence
from urllib.parse import quote

import requests

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _enc(value: str) -> str:
    # Unreserved set A-Za-z0-9-_.~ ; everything else (space included) as %XX.
    return quote(value, safe="~")


def _plain(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --------------------------------------------------------------------------
# Huawei SDK-HMAC-SHA256
# --------------------------------------------------------------------------


@dataclass
class HuaweiSigned:
    canonical_request: str
    string_to_sign: str
    authorization: str
    request_uri: str


def huawei_sign(
    ak: str,
    sk: str,
    method: str,
    path: str,
    query: Sequence[tuple[str, object]],
    headers: Mapping[str, str],
    body: str | bytes = b"",
) -> HuaweiSigned:
    if isinstance(body, str):
        body = body.encode("utf-8")
    segments = [_enc(s) for s in path.split("/")[1:]]
    canonical_uri = "/" + "/".join(segments)
    if not canonical_uri.endswith("/"):
        canonical_uri += "/"
    # Sorted by raw name, then raw value, and only then encoded (as the SDK does).
    pairs = sorted((str(k), _plain(v)) for k, v in query)
    canonical_query = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs)
    signed = sorted(
        (name.lower(), value.strip())
        for name, value in headers.items()
        if "_" not in name
    )
    canonical_headers = "".join(f"{n}:{v}\n" for n, v in signed)
    signed_headers = ";".join(n for n, _ in signed)
    canonical_request = "\n".join(
        [
            method.upper(),
            canonical_uri,
            canonical_query,
            canonical_headers,
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    date = next(v for k, v in headers.items() if k.lower() == "x-sdk-date")
    string_to_sign = "\n".join(
        [
            "SDK-HMAC-SHA256",
            date,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )
    signature = hmac.new(
        sk.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    authorization = (
        f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={signed_headers}, "
        f"Signature={signature}"
    )
    request_uri = path
    if query:
        request_uri += "?" + "&".join(
            f"{_enc(str(k))}={_enc(_plain(v))}" for k, v in query
        )
    return HuaweiSigned(canonical_request, string_to_sign, authorization, request_uri)


def sdk_date(when: _dt.datetime) -> str:
    return when.astimezone(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def huawei_request(
    endpoint: str,
    ak: str,
    sk: str,
    project_id: str,
    method: str,
    path: str,
    query: Iterable[tuple[str, object]] = (),
    body: object | None = None,
    date: _dt.datetime | None = None,
    timeout: float = 10,
) -> requests.Response:
    """Signs and sends one HSS request; `endpoint` is `http://host:port`."""
    host = endpoint.split("://", 1)[1].rstrip("/")
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "Host": host,
        "X-Sdk-Date": sdk_date(date or _dt.datetime.now(_dt.timezone.utc)),
        "X-Project-Id": project_id,
    }
    query = list(query)
    signed = huawei_sign(ak, sk, method, path, query, headers, data)
    headers["Authorization"] = signed.authorization
    return requests.request(
        method,
        endpoint.rstrip("/") + signed.request_uri,
        headers=headers,
        data=data,
        timeout=timeout,
    )


# --------------------------------------------------------------------------
# Tencent TC3-HMAC-SHA256
# --------------------------------------------------------------------------


@dataclass
class TencentSigned:
    canonical_request: str
    string_to_sign: str
    authorization: str


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_sign(
    secret_id: str,
    secret_key: str,
    host: str,
    timestamp: int,
    body: str | bytes,
    service: str = "tcss",
) -> TencentSigned:
    if isinstance(body, str):
        body = body.encode("utf-8")
    canonical_request = (
        "POST\n/\n\n"
        f"content-type:application/json\nhost:{host}\n\n"
        "content-type;host\n" + hashlib.sha256(body).hexdigest()
    )
    date = _dt.datetime.fromtimestamp(timestamp, _dt.timezone.utc).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    k_signing = _hmac(k_service, "tc3_request")
    signature = hmac.new(
        k_signing, string_to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    authorization = (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )
    return TencentSigned(canonical_request, string_to_sign, authorization)


def tc3_request(
    endpoint: str,
    secret_id: str,
    secret_key: str,
    action: str,
    params: Mapping[str, object],
    timestamp: int,
    region: str = "ap-guangzhou",
    version: str = "2020-11-01",
    timeout: float = 10,
) -> requests.Response:
    """Signs and sends one TCSS action; `endpoint` is `http://host:port`."""
    host = endpoint.split("://", 1)[1].rstrip("/")
    body = json.dumps(dict(params)).encode("utf-8")
    signed = tc3_sign(secret_id, secret_key, host, timestamp, body)
    headers = {
        "Content-Type": "application/json",
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Region": region,
        "Authorization": signed.authorization,
    }
    return requests.post(endpoint.rstrip("/") + "/", headers=headers, data=body, timeout=timeout)
