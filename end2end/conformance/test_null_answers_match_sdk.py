"""The member lists of `cloud/tests/tcss_null_answers.rs`, held against the
official SDK's models.

That Rust test answers every TCSS action Scanport calls with every member
`null` (at the top and in each list's items) and decodes the answers through
Scanport's own client. Its member lists are written out in Rust; this test
reads them back and fails when one differs from the SDK's model, or when the
client calls an action the table lacks, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

from tencentcloud.tcss.v20201101 import models as tcss_models

from model_check import _tc_fields

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "cloud" / "tests" / "tcss_null_answers.rs"
CLIENT = ROOT / "cloud" / "src" / "tcss.rs"


def _constants(source: str) -> dict[str, list[str]]:
    """`const NAME: &[&str] = &["A", "B"];` → {NAME: [A, B]}."""
    found = {}
    for name, body in re.findall(r"const (\w+): &\[&str\] = &\[(.*?)\];", source, re.S):
        found[name] = re.findall(r'"(\w+)"', body)
    return found


def _table(source: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """The `answers()` rows: action → (members constant, [(list, item constant)])."""
    body = source[source.index("fn answers()") :]
    body = body[: body.index("\n}\n")]
    rows = {}
    for action, members, lists in re.findall(r'\(\s*"(\w+)",\s*(\w+),\s*vec!\[(.*?)\]\s*,?\s*\)', body, re.S):
        rows[action] = (members, re.findall(r'\("(\w+)",\s*(\w+)\)', lists))
    return rows


def _sdk_members(model: str) -> list[str]:
    klass = getattr(tcss_models, model)
    return [name[1:] for name in vars(klass())]


def test_every_action_the_client_calls_has_a_row():
    called = set(re.findall(r'"((?:Describe|Create|Modify|Update|Sync)\w+)"', CLIENT.read_text()))
    assert called, "no TCSS actions found in the client"
    rows = _table(TABLE.read_text())
    assert sorted(called - rows.keys()) == [], "actions the null-answer test does not cover"


def test_the_member_lists_are_the_sdk_models():
    source = TABLE.read_text()
    constants = _constants(source)
    rows = _table(source)
    assert len(rows) >= 13, rows
    problems = []
    for action, (members, lists) in rows.items():
        response = f"{action}Response"
        if constants[members] != _sdk_members(response):
            problems.append(f"{action}: {members} is {constants[members]}, the SDK's {response} has {_sdk_members(response)}")
        declared = _tc_fields(getattr(tcss_models, response))
        for member, item in lists:
            kind = declared.get(member, "")
            if not kind.startswith("list of "):
                problems.append(f"{action}.{member}: the SDK declares {kind!r}, not a list of models")
                continue
            model = kind[len("list of ") :]
            if constants[item] != _sdk_members(model):
                problems.append(f"{action}.{member}: {item} is {constants[item]}, the SDK's {model} has {_sdk_members(model)}")
    assert problems == []
