"""The model's own logic: version names, and what a feature looks like in a release."""

from __future__ import annotations

import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.model import Version

from .helpers import THREE_RELEASES


@pytest.mark.parametrize("text", ["1.0", "1.0.0", "v1.0", "V1.0.0", " 1.0 "])
def test_spellings_of_one_release_are_equal(text: str) -> None:
    assert Version.parse(text) == Version(1, 0, 0)
    assert str(Version.parse(text)) == "1.0"


@pytest.mark.parametrize("text", ["", "1", "one", "1.x", "1.0.0.0", "v", "1..0"])
def test_non_versions_are_rejected(text: str) -> None:
    assert Version.parse(text) is None


def test_versions_order_numerically() -> None:
    assert Version.parse("1.10") > Version.parse("1.9")
    assert str(Version.parse("1.0.1")) == "1.0.1"


def test_presence_and_apis_follow_the_history() -> None:
    model = load_releases(THREE_RELEASES)
    features = {f.id: f for f in model.features}
    v10, v11, v12 = (Version.parse(v) for v in ("1.0", "1.1", "1.2"))

    script = features["jit.script"]
    assert [str(api) for api in script.apis_in(v10)] == ["torch.jit.script"]
    assert [str(api) for api in script.apis_in(v12)] == ["torch.jit.script", "torch.jit.Attribute"]

    old = features["api.old"]  # first statement is a deprecation: it predates 1.1
    assert old.existed_before
    assert [old.present_in(v) for v in (v10, v11, v12)] == [True, True, False]
    assert old.apis_in(v12) == ()

    legacy = features["breaking.legacy"]  # removed in the first release
    assert [legacy.present_in(v) for v in (v10, v11)] == [False, False]
