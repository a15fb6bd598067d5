"""The requests the official SDKs can make, read from the SDKs themselves,
and a checker that holds one recorded request against them.

Huawei: every `HssClient._<operation>_http_info` names its method, path
template and query parameters; its request model (`<Operation>Request`)
has a `body` attribute whose model lists the body fields, and a model's
`__init__` assigns its required attributes unconditionally. Tencent: every
action `X` has a model `XRequest` whose docstring lists the fields
(`:type Name: …`).

A recorded request (one line of the sandbox's record file, see
`sandbox/src/request_log.rs`) passes when the SDK has an operation
with its method and path, takes every query name it carries, and takes
every body field at every depth, with the fields the SDK requires present.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

import huaweicloudsdkhss.v5.model as hss_models
from huaweicloudsdkhss.v5 import HssClient
from tencentcloud.tcss.v20201101 import models as tcss_models

from model_check import _tc_fields


@dataclass
class HssOperation:
    name: str
    method: str
    template: str
    pattern: re.Pattern
    literal_segments: int
    query: set[str]
    request_model: str
    body_model: str | None
    required_query: set[str] = field(default_factory=set)


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def required_attrs(klass) -> set[str]:
    """Attributes a Huawei model's `__init__` sets without an `is not None`
    guard: the ones the SDK requires."""
    source = inspect.getsource(klass.__init__)
    lines = source.splitlines()
    required = set()
    for i, line in enumerate(lines):
        m = re.match(r"\s*self\.(\w+) = (\w+)\s*$", line)
        if not m or m.group(1) != m.group(2) or m.group(1) == "discriminator":
            continue
        guarded = i > 0 and re.match(rf"\s*if {m.group(1)} is not None:", lines[i - 1])
        if not guarded:
            required.add(m.group(1))
    return required


@lru_cache(maxsize=None)
def hss_operations() -> list[HssOperation]:
    ops = []
    for attr, fn in inspect.getmembers(HssClient):
        m = re.fullmatch(r"_(\w+)_http_info", attr)
        if not m:
            continue
        source = inspect.getsource(fn)
        method = re.search(r'"method": "(\w+)"', source).group(1)
        template = re.search(r'"resource_path": "([^"]+)"', source).group(1)
        query = set(re.findall(r"query_params\.append\(\('(\w+)'", source))
        request_model = _camel(m.group(1)) + "Request"
        klass = getattr(hss_models, request_model, None)
        if klass is None:
            continue
        body_model = klass.openapi_types.get("body")
        segments = template.strip("/").split("/")
        regex = "/".join(
            "[^/]+" if s.startswith("{") else re.escape(s) for s in segments
        )
        required_query = {
            klass.attribute_map[a] for a in required_attrs(klass) if klass.attribute_map[a] in query
        }
        ops.append(
            HssOperation(
                name=m.group(1),
                method=method,
                template=template,
                pattern=re.compile(f"/{regex}"),
                literal_segments=sum(1 for s in segments if not s.startswith("{")),
                query=query,
                request_model=request_model,
                body_model=body_model,
                required_query=required_query,
            )
        )
    return ops


def find_hss_operation(method: str, path: str) -> HssOperation | None:
    """The SDK operation for a method and (decoded) path; where several
    templates match, the one with the most literal segments wins, as a
    router would choose `/image/tasks` over `/image/{image_id}`."""
    matches = [
        op for op in hss_operations() if op.method == method and op.pattern.fullmatch(path)
    ]
    return max(matches, key=lambda op: op.literal_segments, default=None)


def check_hss_body(raw, type_name: str, path: str) -> list[str]:
    """Field names at every depth and required fields, by the SDK model."""
    if raw is None:
        return []
    if type_name.startswith("list["):
        inner = type_name[5:-1]
        if not isinstance(raw, list):
            return [f"{path}: the SDK declares {type_name}"]
        return [p for i, item in enumerate(raw) for p in check_hss_body(item, inner, f"{path}[{i}]")]
    klass = getattr(hss_models, type_name, None)
    if klass is None:
        return []  # a scalar
    if not isinstance(raw, dict):
        return [f"{path}: the SDK declares an object {type_name}"]
    by_json = {json_name: attr for attr, json_name in klass.attribute_map.items()}
    problems = []
    for key, value in raw.items():
        attr = by_json.get(key)
        if attr is None:
            problems.append(f"{path}.{key}: not a field of the SDK model {type_name}")
            continue
        problems += check_hss_body(value, klass.openapi_types[attr], f"{path}.{key}")
    for attr in sorted(required_attrs(klass)):
        if klass.attribute_map[attr] not in raw:
            problems.append(
                f"{path}.{klass.attribute_map[attr]}: required by the SDK model {type_name}, missing"
            )
    return problems


def check_hss_request(method: str, target: str, body) -> tuple[str, list[str]]:
    """(operation name, problems) for one recorded HSS request."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    op = find_hss_operation(method, path)
    if op is None:
        return f"{method} {path}", [f"{method} {path}: no operation of the SDK has this method and path"]
    problems = []
    names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    for name in sorted(names - op.query):
        problems.append(f"{op.name}: query parameter {name!r} is not one the SDK sends")
    for name in sorted(op.required_query - names):
        problems.append(f"{op.name}: query parameter {name!r} is required by the SDK, missing")
    if op.body_model is None:
        if body not in (None, {}):
            problems.append(f"{op.name}: the SDK sends no body, Scanport sent one")
    else:
        if body is None and "body" in required_attrs(getattr(hss_models, op.request_model)):
            problems.append(f"{op.name}: the SDK requires a body, Scanport sent none")
        problems += check_hss_body(body, op.body_model, f"{op.name} body")
    return op.name, problems


def check_tcss_body(raw, type_name: str, path: str) -> list[str]:
    if raw is None:
        return []
    if type_name.startswith("list of "):
        inner = type_name[len("list of ") :]
        if not isinstance(raw, list):
            return [f"{path}: the SDK declares {type_name}"]
        return [p for i, item in enumerate(raw) for p in check_tcss_body(item, inner, f"{path}[{i}]")]
    klass = getattr(tcss_models, type_name, None)
    if klass is None:
        return []  # a scalar
    if not isinstance(raw, dict):
        return [f"{path}: the SDK declares an object {type_name}"]
    fields = _tc_fields(klass)
    problems = []
    for key, value in raw.items():
        if key not in fields:
            problems.append(f"{path}.{key}: not a field of the SDK model {type_name}")
            continue
        problems += check_tcss_body(value, fields[key], f"{path}.{key}")
    return problems


def check_tcss_request(method: str, target: str, action: str | None, body) -> tuple[str, list[str]]:
    if not action:
        return "tcss ?", [f"{method} {target}: a TCSS call without X-TC-Action"]
    name = f"tcss {action}"
    if method != "POST" or urlsplit(target).path != "/":
        return name, [f"{name}: the SDK posts to /, Scanport sent {method} {target}"]
    if getattr(tcss_models, f"{action}Request", None) is None:
        return name, [f"{name}: the SDK has no action of this name"]
    if not isinstance(body, dict):
        return name, [f"{name}: the SDK sends a JSON object body"]
    return name, check_tcss_body(body, f"{action}Request", name)


def check_recorded(entry: dict) -> tuple[str, list[str]]:
    """(operation, problems) for one line of the sandbox's record file."""
    if entry.get("action"):
        return check_tcss_request(entry["method"], entry["target"], entry["action"], entry["body"])
    return check_hss_request(entry["method"], entry["target"], entry["body"])
