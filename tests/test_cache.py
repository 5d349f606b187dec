"""The parsed-model cache: keyed on content, never stale, and never in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytorch_diff import cache
from pytorch_diff.load import check_releases, load_releases

from .helpers import THREE_RELEASES, ptdiff


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text(THREE_RELEASES.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def entries() -> list[Path]:
    return sorted(cache._directory().glob("*.pickle"))


def test_second_load_comes_from_the_cache(data: Path) -> None:
    first = load_releases(data)
    assert len(entries()) == 1
    assert cache.get(data.read_bytes()) == first
    assert load_releases(data) == first


def test_an_edited_file_is_never_served_stale(data: Path) -> None:
    load_releases(data)
    data.write_text(data.read_text(encoding="utf-8").replace("title: Second", "title: Second, edited"), "utf-8")
    assert ptdiff("versions", "-f", "csv", "--data", str(data)).csv()[2][3] == "Second, edited"
    assert len(entries()) == 2


def test_a_corrupt_entry_falls_back_to_parsing(data: Path) -> None:
    expected = ptdiff("show", "1.2", "--data", str(data)).stdout
    (entry,) = entries()
    entry.write_bytes(b"not a pickle")
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")


def test_an_unwritable_cache_is_ignored(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache directory cannot be created
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.table_rows()[0] == ["changed", "Script compiler", "Compiles a subset of Python."]


def test_files_with_warnings_are_not_cached(data: Path) -> None:
    data.write_text(
        data.read_text(encoding="utf-8").replace('"https://example.org/b"', '"http://example.org/b"'), "utf-8"
    )
    _, problems = check_releases(data)
    assert [p.check for p in problems] == ["insecure-url"]
    assert entries() == []
    _, problems = check_releases(data)  # so the warning shows again
    assert [p.check for p in problems] == ["insecure-url"]


def test_no_cache_setting(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTDIFF_NO_CACHE", "1")
    load_releases(data)
    assert entries() == []
