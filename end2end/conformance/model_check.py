"""Strict comparison of a raw JSON answer with the official SDK's model.

The SDKs' own deserialisers are lenient (the Huawei one casts or drops, the
Tencent one copies whatever it gets), so "the SDK parsed it" alone would hide
a field of the wrong type or a name the real service never sends. These
checkers walk the raw JSON next to the SDK's declared types and return one
precise line per difference: path, what the SDK model declares, what the
sandbox sent.
"""

from __future__ import annotations

import re

import huaweicloudsdkhss.v5.model as hss_models
from tencentcloud.tcss.v20201101 import models as tcss_models

_SCALARS = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
}


def _scalar_ok(kind: str, value) -> bool:
    if kind in ("int", "float") and isinstance(value, bool):
        return False
    return isinstance(value, _SCALARS[kind])


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------
# Huawei: types come from the models' `openapi_types` / `attribute_map`.
# --------------------------------------------------------------------------


def check_hss(raw, type_name: str, path: str = "") -> list[str]:
    path = path or type_name
    problems: list[str] = []
    if raw is None:
        return problems
    if type_name.startswith("list["):
        inner = type_name[5:-1]
        if not isinstance(raw, list):
            return [f"{path}: SDK declares {type_name}, sandbox sent {_show(raw)}"]
        for i, item in enumerate(raw):
            problems += check_hss(item, inner, f"{path}[{i}]")
        return problems
    if type_name.startswith("dict("):
        inner = re.match(r"dict\(([^,]*), (.*)\)", type_name).group(2)
        if not isinstance(raw, dict):
            return [f"{path}: SDK declares {type_name}, sandbox sent {_show(raw)}"]
        for key, item in raw.items():
            problems += check_hss(item, inner, f"{path}[{key!r}]")
        return problems
    if type_name in _SCALARS:
        if not _scalar_ok(type_name, raw):
            problems.append(
                f"{path}: SDK declares {type_name}, sandbox sent "
                f"{type(raw).__name__} {_show(raw)}"
            )
        return problems
    if type_name == "object":
        return problems
    klass = getattr(hss_models, type_name)
    if not isinstance(raw, dict):
        return [f"{path}: SDK declares object {type_name}, sandbox sent {_show(raw)}"]
    by_json = {json_name: attr for attr, json_name in klass.attribute_map.items()}
    for key, value in raw.items():
        attr = by_json.get(key)
        if attr is None:
            problems.append(
                f"{path}.{key}: not a field of the SDK model {type_name} "
                f"(sandbox sent {_show(value)})"
            )
            continue
        problems += check_hss(value, klass.openapi_types[attr], f"{path}.{key}")
    return problems


# --------------------------------------------------------------------------
# Tencent: types come from the models' `:type Name: ...` docstrings.
# --------------------------------------------------------------------------

_TC_CLASS = re.compile(r":class:`tencentcloud\.tcss\.v20201101\.models\.(\w+)`")


def _tc_fields(klass) -> dict[str, str]:
    doc = klass.__init__.__doc__ or ""
    fields = {}
    for name, declared in re.findall(r":type (\w+): (.*)", doc):
        declared = declared.strip()
        m = _TC_CLASS.match(declared)
        if m:
            declared = m.group(1)
        fields[name] = declared
    return fields


def check_tcss(raw, type_name: str, path: str = "") -> list[str]:
    path = path or type_name
    problems: list[str] = []
    if raw is None:
        return problems
    if type_name.startswith("list of "):
        inner = type_name[len("list of ") :]
        if not isinstance(raw, list):
            return [f"{path}: SDK declares {type_name}, sandbox sent {_show(raw)}"]
        for i, item in enumerate(raw):
            problems += check_tcss(item, inner, f"{path}[{i}]")
        return problems
    if type_name == "int non-negative":
        if not _scalar_ok("int", raw) or raw < 0:
            problems.append(f"{path}: SDK declares {type_name}, sandbox sent {_show(raw)}")
        return problems
    if type_name in _SCALARS:
        if not _scalar_ok(type_name, raw):
            problems.append(
                f"{path}: SDK declares {type_name}, sandbox sent "
                f"{type(raw).__name__} {_show(raw)}"
            )
        return problems
    klass = getattr(tcss_models, type_name, None)
    if klass is None:
        return problems  # a type the docstrings name loosely: not checked
    if not isinstance(raw, dict):
        return [f"{path}: SDK declares object {type_name}, sandbox sent {_show(raw)}"]
    fields = _tc_fields(klass)
    for key, value in raw.items():
        if key not in fields:
            problems.append(
                f"{path}.{key}: not a field of the SDK model {type_name} "
                f"(sandbox sent {_show(value)})"
            )
            continue
        problems += check_tcss(value, fields[key], f"{path}.{key}")
    return problems
