"""The cache's JSON codec is generic: any record built from the supported types round-trips.

The records here are not the model's: they stand for fields and record types the model
may gain, so that a new ``NamedTuple`` or field needs no change to ``cache.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal, NamedTuple, Optional

import pytest

from pytorch_diff import typed_json
from pytorch_diff.model import Version


class Leaf(NamedTuple):
    when: dt.date
    ratio: float
    tags: tuple[str, ...] = ()


class Branch(NamedTuple):
    name: str
    number: int
    flag: bool
    leaf: Leaf
    maybe: Leaf | None
    old_style: Optional[int]  # noqa: UP045 - the typing spelling must work too
    by_version: dict[Version, tuple[Leaf, ...]]
    by_name: dict[str, dict[str, int]]
    pair: tuple[int, str]
    kind: Literal["a", "b", 3]
    leaves: tuple[Leaf, ...] = ()


LEAF = Leaf(dt.date(2019, 5, 1), 0.5, ("x", "y"))
BRANCH = Branch(
    name="branch",
    number=3,
    flag=True,
    leaf=LEAF,
    maybe=None,
    old_style=7,
    by_version={Version(1, 1): (LEAF,), Version(1, 0, 2): ()},
    by_name={"gloo": {"cpu": 1}, "empty": {}},
    pair=(1, "one"),
    kind=3,
    leaves=(LEAF, LEAF._replace(tags=())),
)


def round_trip(value: object, hint: object) -> object:
    codec = typed_json.codec(hint)
    return codec.decode(json.loads(json.dumps(codec.encode(value))))


def test_any_record_of_supported_types_round_trips() -> None:
    back = round_trip(BRANCH, Branch)
    assert back == BRANCH and repr(back) == repr(BRANCH)
    other = BRANCH._replace(maybe=LEAF, old_style=None, by_version={}, kind="a")
    assert repr(round_trip(other, Branch)) == repr(other)


def test_the_json_names_no_types() -> None:
    text = json.dumps(typed_json.codec(Branch).encode(BRANCH))
    assert "Leaf" not in text and "Version" not in text and "date" not in text


def edit(path: tuple[Any, ...], value: object) -> Any:
    """The encoded BRANCH with the value at ``path`` replaced (or deleted, for ``...``)."""
    doc = json.loads(json.dumps(typed_json.codec(Branch).encode(BRANCH)))
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


BAD = {
    "bool for int": (("number",), True),
    "float for int": (("number",), 3.0),
    "int for bool": (("flag",), 1),
    "int for float": (("leaf", "ratio"), 1),
    "str for date": (("leaf", "when"), "yesterday"),
    "int for date": (("leaf", "when"), 20190501),
    "None for a record": (("leaf",), None),
    "list for a record": (("leaf",), ["2019-05-01", 0.5, []]),
    "missing field": (("leaf", "tags"), ...),
    "extra field": (("leaf", "extra"), 1),
    "int in tuple[str, ...]": (("leaf", "tags", 0), 1),
    "object for tuple": (("leaves",), {}),
    "short fixed tuple": (("pair",), [1]),
    "wrong type in fixed tuple": (("pair", 1), 1),
    "pair of one": (("by_version", 0), [{"major": 1, "minor": 1, "patch": 0}]),
    "str key for Version": (("by_version", 0, 0), "1.1"),
    "list for dict[str, ...]": (("by_name",), []),
    "wrong value in dict": (("by_name", "gloo", "cpu"), "1"),
    "literal not allowed": (("kind",), "c"),
    "literal of the wrong type": (("kind",), "3"),
    "str for Optional[int]": (("old_style",), "7"),
}


@pytest.mark.parametrize("path, value", BAD.values(), ids=BAD.keys())
def test_a_value_of_the_wrong_type_is_a_mismatch(path: tuple[Any, ...], value: object) -> None:
    with pytest.raises(typed_json.Mismatch):
        typed_json.codec(Branch).decode(edit(path, value))


def test_a_key_given_twice_is_a_mismatch() -> None:
    doc = edit(("by_version", 1, 0), {"major": 1, "minor": 1, "patch": 0})
    with pytest.raises(typed_json.Mismatch):
        typed_json.codec(Branch).decode(doc)


def test_true_is_not_the_literal_1() -> None:
    codec = typed_json.codec(Literal[1, "a"])
    assert codec.decode(1) == 1
    with pytest.raises(typed_json.Mismatch):
        codec.decode(True)


@pytest.mark.parametrize(
    "value",
    [
        BRANCH._replace(number=True),
        BRANCH._replace(leaf=tuple(LEAF)),  # type: ignore[arg-type]  # the point of the test
        BRANCH._replace(leaf=LEAF._replace(when=dt.datetime(2019, 5, 1))),
        BRANCH._replace(by_name={1: {}}),  # type: ignore[dict-item]
        BRANCH._replace(kind="z"),  # type: ignore[arg-type]
    ],
    ids=["bool for int", "plain tuple for record", "datetime for date", "int key", "literal"],
)
def test_a_value_of_the_wrong_type_is_not_written(value: object) -> None:
    with pytest.raises(typed_json.Mismatch):
        typed_json.codec(Branch).encode(value)


@pytest.mark.parametrize("hint", [set[str], int | str, list[int], object, bytes], ids=repr)
def test_a_type_the_cache_cannot_store_is_refused_up_front(hint: object) -> None:
    with pytest.raises(TypeError):
        typed_json.codec(hint)
