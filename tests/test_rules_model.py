"""The model's rules as pure functions: versions, API names, and what a history says of a release."""

from __future__ import annotations

import pytest

from pytorch_diff.model import BEFORE_MODEL, Api, Feature, Statement, Version, api_introductions

V10, V11, V12, V13 = Version(1, 0), Version(1, 1), Version(1, 2), Version(1, 3)


def feature(*history: Statement, ident: str = "f") -> Feature:
    return Feature(ident, "api", "Title", "Summary.", tuple(history), ("s",))


def fn(name: str) -> Api:
    return Api("function", name)


def names(apis: tuple[Api, ...]) -> list[str]:
    return [str(api) for api in apis]


# -- versions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2", Version(1, 2, 0)),
        ("1.0.3", Version(1, 0, 3)),
        ("  v2.10.1\n", Version(2, 10, 1)),
        ("123456.0", Version(123456, 0, 0)),
    ],
)
def test_a_version_is_read_number_by_number(text: str, expected: Version) -> None:
    assert Version.parse(text) == expected
    assert tuple(Version.parse(text)) == tuple(expected)  # the exact numbers, patch included


@pytest.mark.parametrize("text", ["1234567.0", "1.0.", "x1.0", "1.0 beta", "١.٠"])
def test_what_is_not_a_version(text: str) -> None:
    assert Version.parse(text) is None


def test_a_version_is_written_as_pytorch_writes_it() -> None:
    assert str(Version(1, 0, 0)) == "1.0"
    assert str(Version(1, 0, 2)) == "1.0.2"
    assert str(Version(2, 13)) == "2.13"
    assert f"{Version(0, 4, 1)}" == "0.4.1"


# -- API names --------------------------------------------------------------------------


def test_each_kind_of_api_name_is_written_as_code_would_use_it() -> None:
    assert str(Api("function", "torch.solve")) == "torch.solve"
    assert str(Api("module", "torch.legacy")) == "torch.legacy"
    assert str(Api("keyword", "find_unused_parameters", of="torch.nn.DDP")) == "torch.nn.DDP(find_unused_parameters=)"
    value = Api("value", "tcp", of="torch.distributed.init_process_group", argument="backend", position=0)
    assert str(value) == "torch.distributed.init_process_group(backend='tcp')"
    assert [Api(k, "x").importable for k in ("module", "function", "class", "attribute", "keyword", "value")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]


# -- a feature's history ------------------------------------------------------------------


def test_the_statement_of_a_release_is_that_release_s_only() -> None:
    added, changed = Statement(V10, "added", ""), Statement(V12, "changed", "More.")
    item = feature(added, changed)
    assert item.statement_in(V10) is added
    assert item.statement_in(V12) is changed
    assert item.statement_in(V11) is None  # a release that did nothing to it
    assert item.statement_in(V13) is None


def test_presence_is_decided_by_the_latest_statement_up_to_the_release() -> None:
    item = feature(Statement(V11, "added", ""), Statement(V12, "changed", "c"), Statement(V13, "removed", "r"))
    assert not item.existed_before
    assert [item.present_in(v) for v in (V10, V11, V12, V13, Version(2, 0))] == [False, True, True, False, False]


def test_a_feature_that_predates_the_model_is_present_before_its_first_statement() -> None:
    item = feature(Statement(V11, "deprecated", "d"), Statement(V12, "changed", "c"))
    assert item.existed_before
    assert [item.present_in(v) for v in (V10, V11, V12)] == [True, True, True]
    gone = feature(Statement(V11, "removed", "r"))
    assert [gone.present_in(v) for v in (V10, V11, V12)] == [True, False, False]


def test_names_accumulate_release_by_release() -> None:
    item = feature(
        Statement(V10, "added", "", (fn("torch.a"),)),
        Statement(V11, "changed", "c", (fn("torch.b"), fn("torch.a"))),
        Statement(V12, "deprecated", "d", (fn("torch.c"),)),
    )
    assert names(item.apis_in(Version(0, 9))) == []
    assert names(item.apis_in(V10)) == ["torch.a"]  # the release's own statement counts
    assert names(item.apis_in(V11)) == ["torch.a", "torch.b"]  # oldest first, each once
    assert names(item.apis_in(V12)) == ["torch.a", "torch.b", "torch.c"]  # a deprecation keeps them
    assert names(item.apis_in(V13)) == ["torch.a", "torch.b", "torch.c"]


def test_a_removal_that_names_apis_removes_only_those() -> None:
    item = feature(
        Statement(V10, "added", "", (fn("torch.a"), fn("torch.b"))),
        Statement(V11, "removed", "r", (fn("torch.a"), fn("torch.never_listed"))),
    )
    assert names(item.apis_in(V10)) == ["torch.a", "torch.b"]
    assert names(item.apis_in(V11)) == ["torch.b"]  # a name never listed is no error


def test_a_removal_without_names_removes_every_name() -> None:
    item = feature(
        Statement(V10, "added", "", (fn("torch.a"), fn("torch.b"))),
        Statement(V11, "changed", "c", (Api("keyword", "k", of="torch.a"),)),
        Statement(V12, "removed", "Gone."),
    )
    assert names(item.apis_in(V11)) == ["torch.a", "torch.b", "torch.a(k=)"]
    assert item.apis_in(V12) == ()
    assert item.apis_in(V13) == ()


def test_every_name_a_history_mentions_once_in_its_first_form() -> None:
    first = Api("function", "torch.a")
    item = feature(
        Statement(V10, "added", "", (first,)),
        Statement(V11, "deprecated", "d", (Api("function", "torch.a", replaced_by=("torch.b",)), fn("torch.b"))),
    )
    assert item.all_apis == (first, fn("torch.b"))


# -- when a name first appears ----------------------------------------------------------


def test_a_name_appears_in_the_first_release_that_lists_it() -> None:
    features = [
        feature(Statement(V12, "added", "", (fn("torch.a"),)), ident="late"),
        feature(
            Statement(V10, "added", "", (fn("torch.b"),)),
            Statement(V11, "changed", "c", (fn("torch.a"), fn("torch.b"))),
            ident="early",
        ),
    ]
    assert api_introductions(features) == {"torch.a": V11, "torch.b": V10}
    assert api_introductions(tuple(reversed(features))) == {"torch.a": V11, "torch.b": V10}


def test_names_of_a_feature_older_than_the_model_predate_it() -> None:
    old = feature(
        Statement(V11, "changed", "c", (fn("torch.old"),)),
        Statement(V12, "deprecated", "d", (fn("torch.newer"),)),
    )
    assert api_introductions([old]) == {"torch.old": BEFORE_MODEL, "torch.newer": V12}
    # a feature added in the model: its first statement's names come with that release
    assert api_introductions([feature(Statement(V11, "added", "", (fn("torch.x"),)))]) == {"torch.x": V11}


def test_a_removal_introduces_no_name_and_does_not_end_the_history() -> None:
    item = feature(
        Statement(V10, "removed", "r", (fn("torch.gone"),)),
        Statement(V11, "changed", "c", (fn("torch.back"),)),  # out of rule, but the function reads on
    )
    assert api_introductions([item]) == {"torch.back": V11}
