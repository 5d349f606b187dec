"""The parsed-model cache: keyed on content, never stale, never in the way, and never a way in.

An entry is plain JSON checked against the model's types; the directory and its entries
must be the user's own, private and plain files; the key covers everything that shapes
the model.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytorch_diff import cache, typed_json
from pytorch_diff.load import check_releases, load_releases
from pytorch_diff.model import Model

from .helpers import SHIPPED, THREE_RELEASES, ptdiff

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text(THREE_RELEASES.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def directory() -> Path:
    found = cache._directory()
    assert found is not None
    return found


def entries() -> list[Path]:
    return sorted(directory().glob("*.json"))


def entry_for(data: Path) -> Path:
    return directory() / (cache._key(data.read_bytes()) + cache.SUFFIX)


def uncached_show(data: Path) -> str:
    run = ptdiff("show", "1.2", "--data", str(data), env={"PTDIFF_NO_CACHE": "1"})
    assert run.exit_code == 0
    return run.stdout


def title_of_1_1(data: Path) -> str:
    """The title ``ptdiff versions`` prints for release 1.1."""
    run = ptdiff("versions", "-f", "csv", "--data", str(data))
    assert run.exit_code == 0
    header, *rows = run.csv()
    (title,) = [row[header.index("title")] for row in rows if row[0] == "1.1"]
    return title


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every name in ``folder`` with its mode, size and modification time: what a write would change."""
    return {p.name: (p.lstat().st_mode, p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# -- the cache does its job ---------------------------------------------------------


def test_second_load_comes_from_the_cache(data: Path) -> None:
    first = load_releases(str(data))
    assert len(entries()) == 1
    assert cache.get(data.read_bytes()) == first
    assert load_releases(str(data)) == first


def test_an_edited_file_is_never_served_stale(data: Path) -> None:
    load_releases(str(data))
    data.write_text(data.read_text(encoding="utf-8").replace("title: Second", "title: Second, edited"), "utf-8")
    assert title_of_1_1(data) == "Second, edited"
    assert len(entries()) == 2


@pytest.mark.parametrize("path", [THREE_RELEASES, SHIPPED], ids=["three_releases", "shipped"])
def test_the_cached_model_is_the_parsed_model(path: Path) -> None:
    model, problems = check_releases(str(path))
    assert model is not None and problems == []
    cache.put(path.read_bytes(), model)
    cached = cache.get(path.read_bytes())
    assert cached == model
    # repr shows every record's class, True against 1 and a date against a string too.
    assert repr(cached) == repr(model)


def test_a_corrupt_entry_falls_back_to_parsing(data: Path) -> None:
    expected = ptdiff("show", "1.2", "--data", str(data)).stdout
    (entry,) = entries()
    entry.write_bytes(b"not json")
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")
    assert json.loads(entry.read_bytes())["format"] == cache.FORMAT  # and the entry is written afresh


def test_an_unwritable_cache_is_ignored(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = uncached_show(data)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache directory cannot be created
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")


def test_files_with_warnings_are_not_cached(data: Path) -> None:
    data.write_text(
        data.read_text(encoding="utf-8").replace('"https://example.org/b"', '"http://example.org/b"'), "utf-8"
    )
    _, problems = check_releases(str(data))
    assert [p.check for p in problems] == ["insecure-url"]
    assert not directory().exists() or entries() == []
    _, problems = check_releases(str(data))  # so the warning shows again
    assert [p.check for p in problems] == ["insecure-url"]


def test_no_cache_setting(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTDIFF_NO_CACHE", "1")
    load_releases(str(data))
    assert not directory().exists()
    monkeypatch.delenv("PTDIFF_NO_CACHE")
    load_releases(str(data))
    monkeypatch.setenv("PTDIFF_NO_CACHE", "1")
    assert cache.get(data.read_bytes()) is None  # nor is an entry read


# -- nothing in the cache can run code or change the output -------------------------


class _Planted:
    """Unpickling this calls ``open(marker, "w")``: the marker file shows that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_no_module_that_can_run_code_is_used() -> None:
    tree = ast.parse(Path(cache.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"pickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "importlib", "pydoc"}


def test_a_planted_pickle_never_runs(data: Path, tmp_path: Path) -> None:
    expected = uncached_show(data)
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(_Planted(proof)))  # the payload is live: loading it does run code
    assert proof.exists()
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Planted(marker))
    load_releases(str(data))
    entry = entry_for(data)
    entry.write_bytes(payload)
    entry.with_suffix(".pickle").write_bytes(payload)  # where an older ptdiff kept it
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")
    assert not marker.exists()
    assert not entry.with_suffix(".pickle").exists()  # entries of the pickle format are removed


def _retitle(doc: Any) -> None:
    doc["model"]["releases"][1]["title"] = "Planted"


# Each edit of a good entry that must make it a miss.
MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "str for int": lambda d: d["model"]["releases"][0]["version"].update(major="1"),
    "bool for int": lambda d: d["model"]["releases"][0]["version"].update(major=True),
    "float for int": lambda d: d["model"]["releases"][0]["version"].update(major=1.0),
    "int for bool": lambda d: d["model"]["features"][1]["history"][1].update(breaking=1),
    "int for str": lambda d: d["model"]["releases"][0].update(title=7),
    "None for str": lambda d: d["model"]["releases"][0].update(title=None),
    "int for date": lambda d: d["model"]["releases"][0].update(date=20181207),
    "impossible date": lambda d: d["model"]["releases"][0].update(date="2018-13-45"),
    "object for tuple": lambda d: d["model"].update(releases={}),
    "list for record": lambda d: d["model"]["releases"].__setitem__(0, ["1.0"]),
    "list for str-keyed dict": lambda d: d["model"].update(areas=[]),
    "str in a tuple of str": lambda d: d["model"]["releases"][0].update(sources=["notes-a", 3]),
    "extra field": lambda d: d["model"]["releases"][0].update(extra="x"),
    "missing field": lambda d: d["model"]["releases"][0].pop("notes"),
    "a class name": lambda d: d["model"]["releases"][0].update(__class__="os.system"),
    "pair of three": lambda d: d["model"]["matrices"][0].append(1),
    "key given twice": lambda d: d["model"]["matrices"].append(d["model"]["matrices"][0]),
    "wrong schema marker": lambda d: d.update(format="ptdiff-model-cache/0"),
    "another key": lambda d: d.update(key="0" * 32),
    "no marker": lambda d: d.pop("format"),
    "extra top-level field": lambda d: d.update(code="import os"),
    "not an object": lambda d: [d],
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_planted_entry_with_wrong_types_is_a_miss(data: Path, mutation: Callable[[Any], Any]) -> None:
    expected = uncached_show(data)
    load_releases(str(data))
    entry = entry_for(data)
    doc = json.loads(entry.read_bytes())
    _retitle(doc)  # valid on its own, so only the mutation can make it a miss
    doc = mutation(doc) or doc
    entry.write_text(json.dumps(doc), encoding="utf-8")
    assert cache.get(data.read_bytes()) is None
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")


@pytest.mark.parametrize(
    "raw",
    [b"", b"\xff\xfe\x00", b'{"format":', b"[" * 100_000, b"NaN", b'{"format": 1e999}', b"\x00" * 64],
    ids=["empty", "not utf-8", "cut short", "deep", "NaN", "huge number", "zeros"],
)
def test_bad_json_is_a_miss(data: Path, raw: bytes) -> None:
    load_releases(str(data))
    entry_for(data).write_bytes(raw)
    assert cache.get(data.read_bytes()) is None


def test_the_retitled_entry_itself_is_used(data: Path) -> None:
    # The control for the mutation tests: an entry of the right shape is trusted, so
    # only the mutation made each of them a miss.
    _plant_retitled_entry(data)
    cached = cache.get(data.read_bytes())
    assert cached is not None and cached.releases[1].title == "Planted"


def test_a_model_that_breaks_its_own_types_is_not_written(data: Path) -> None:
    model = load_releases(str(data))
    wrong_title = model.releases[0]._replace(title=5)  # type: ignore[arg-type]  # the point of the test
    wrong = model._replace(releases=(wrong_title,) + model.releases[1:])
    cache.put(b"other data", wrong)
    assert [p.name for p in entries()] == [entry_for(data).name]


def test_every_record_type_of_the_model_can_be_stored() -> None:
    from pytorch_diff import model

    records = [
        v for v in vars(model).values() if isinstance(v, type) and issubclass(v, tuple) and hasattr(v, "_fields")
    ]
    assert Model in records and len(records) > 5
    for record in records:
        typed_json.codec(record)  # raises TypeError for a field type the cache cannot store


# -- permissions --------------------------------------------------------------------


def test_modes_are_private_whatever_the_umask(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_000: None
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(home))
    load_releases(str(data))
    assert directory() == home / ".cache" / "ptdiff"
    assert stat.S_IMODE((home / ".cache").lstat().st_mode) == 0o700
    assert stat.S_IMODE(directory().lstat().st_mode) == 0o700
    (entry,) = entries()
    assert stat.S_IMODE(entry.lstat().st_mode) == 0o600


def test_a_directory_an_older_ptdiff_made_is_made_private(data: Path) -> None:
    directory().mkdir(mode=0o755)
    directory().chmod(0o755)
    load_releases(str(data))
    assert stat.S_IMODE(directory().lstat().st_mode) == 0o700
    assert len(entries()) == 1


def _plant_retitled_entry(data: Path) -> Path:
    """A good entry that says 'Planted' for release 1.1: output shows whether it was read."""
    load_releases(str(data))
    entry = entry_for(data)
    doc = json.loads(entry.read_bytes())
    _retitle(doc)
    entry.write_text(json.dumps(doc), encoding="utf-8")
    return entry


@pytest.mark.parametrize("mode", [0o770, 0o702, 0o777, 0o720], ids=oct)
def test_a_directory_others_can_write_is_not_used(data: Path, mode: int) -> None:
    _plant_retitled_entry(data)
    os.chmod(directory(), mode)
    (directory() / "stale.tmp").write_text("")
    os.utime(directory() / "stale.tmp", (0, 0))
    data.write_text(data.read_text(encoding="utf-8") + "\n", "utf-8")  # a new key: put() will be tried
    before = snapshot(directory())
    assert cache.get(data.read_bytes()) is None
    data.write_text(data.read_text(encoding="utf-8")[:-1], "utf-8")  # the planted entry's key again
    assert cache.get(data.read_bytes()) is None
    assert title_of_1_1(data) == "Second"
    data.write_text(data.read_text(encoding="utf-8") + "\n", "utf-8")
    assert ptdiff("versions", "-f", "csv", "--data", str(data)).exit_code == 0
    assert snapshot(directory()) == before  # nothing written, removed or touched


def test_a_directory_of_another_user_is_not_used(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _plant_retitled_entry(data)
    before = snapshot(directory())
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    assert cache.get(data.read_bytes()) is None
    assert title_of_1_1(data) == "Second"
    cache.put(b"other data", load_releases(str(data)))
    assert snapshot(directory()) == before


def test_a_symlinked_directory_is_not_used(data: Path, tmp_path: Path) -> None:
    _plant_retitled_entry(data)
    elsewhere = tmp_path / "elsewhere"
    directory().rename(elsewhere)
    directory().symlink_to(elsewhere)
    before = snapshot(elsewhere)
    assert cache.get(data.read_bytes()) is None
    assert title_of_1_1(data) == "Second"
    assert snapshot(elsewhere) == before


def test_an_entry_others_can_write_is_a_miss(data: Path) -> None:
    entry = _plant_retitled_entry(data)
    os.chmod(entry, 0o620)
    assert cache.get(data.read_bytes()) is None
    os.chmod(entry, 0o600)
    assert cache.get(data.read_bytes()) is not None


def test_ownership_and_modes_are_checked_on_the_file_itself() -> None:
    def status(mode: int, uid: int) -> os.stat_result:
        return os.stat_result((mode, 0, 0, 1, uid, 0, 0, 0, 0, 0))

    me = os.getuid()
    assert cache._trusted(status(stat.S_IFREG | 0o600, me))
    assert cache._trusted(status(stat.S_IFREG | 0o644, me))
    assert not cache._trusted(status(stat.S_IFREG | 0o600, me + 1))
    assert not cache._trusted(status(stat.S_IFREG | 0o660, me))
    assert not cache._trusted(status(stat.S_IFREG | 0o602, me))


# -- where the cache lives ------------------------------------------------------------


def test_a_relative_xdg_cache_home_is_ignored(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert directory() == tmp_path / "home" / ".cache" / "ptdiff"
    load_releases(str(data))
    assert not (tmp_path / "relative-cache").exists()
    assert len(entries()) == 1


@pytest.mark.parametrize("home", [None, "", "relative/home"], ids=["unset", "empty", "relative"])
def test_without_an_absolute_home_there_is_no_cache(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: str | None
) -> None:
    expected = uncached_show(data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XDG_CACHE_HOME")
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    assert cache._directory() is None
    run = ptdiff("show", "1.2", "--data", str(data))
    assert (run.exit_code, run.stdout, run.stderr) == (0, expected, "")
    assert cache.get(data.read_bytes()) is None
    assert [p.name for p in tmp_path.iterdir()] == ["data.yaml"]  # nothing written below the working directory


# -- only regular files are opened ----------------------------------------------------


def test_a_fifo_planted_as_the_entry_does_not_hang(data: Path) -> None:
    command = [sys.executable, "-m", "pytorch_diff", "show", "1.2", "--data", str(data)]
    env = {**os.environ, "XDG_CACHE_HOME": str(directory().parent), "PYTHONPATH": str(ROOT)}
    expected = subprocess.run(command, env={**env, "PTDIFF_NO_CACHE": "1"}, capture_output=True, timeout=60)
    directory().mkdir(mode=0o700)
    entry = entry_for(data)
    os.mkfifo(entry, 0o600)
    # Opening a FIFO for reading without O_NONBLOCK waits for a writer: forever, here.
    run = subprocess.run(command, env=env, capture_output=True, timeout=20)
    assert (run.returncode, run.stdout, run.stderr) == (0, expected.stdout, b"")
    assert stat.S_ISREG(entry.lstat().st_mode)  # replaced by a real entry


def test_a_directory_planted_as_the_entry_is_a_miss(data: Path) -> None:
    directory().mkdir(mode=0o700)
    entry_for(data).mkdir()
    assert cache.get(data.read_bytes()) is None
    assert load_releases(str(data)).releases[1].title == "Second"


@pytest.mark.parametrize("target", ["entry", "/dev/zero"])
def test_a_symlink_planted_as_the_entry_is_not_followed(data: Path, tmp_path: Path, target: str) -> None:
    entry = _plant_retitled_entry(data)
    copy = tmp_path / "copy.json"
    shutil.copy(entry, copy)
    entry.unlink()
    entry.symlink_to(copy if target == "entry" else target)
    assert cache.get(data.read_bytes()) is None


# -- housekeeping ---------------------------------------------------------------------


def test_leftover_tmp_files_are_removed(data: Path) -> None:
    directory().mkdir(mode=0o700)
    stale, fresh = directory() / "abc.json.123.tmp", directory() / "def.json.456.tmp"
    stale.write_text("{")
    fresh.write_text("{")  # another process may be writing this one right now
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    load_releases(str(data))
    assert not stale.exists()
    assert fresh.exists()
    assert len(entries()) == 1


def test_a_failed_write_leaves_no_tmp_file(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    load_releases(str(data))
    assert list(directory().iterdir()) == []


def test_at_most_max_entries_are_kept(data: Path) -> None:
    model = load_releases(str(data))
    entries()[0].unlink()
    base = time.time() - 10_000

    def put(index: int) -> None:
        cache.put(b"data %d" % index, model)
        entry = directory() / (cache._key(b"data %d" % index) + cache.SUFFIX)
        os.utime(entry, (base + index, base + index))  # a clear order, whatever the clock's resolution

    for index in range(cache.MAX_ENTRIES + 4):
        put(index)
        assert len(entries()) == min(index + 1, cache.MAX_ENTRIES)
    kept = {p.name for p in entries()}
    assert kept == {cache._key(b"data %d" % i) + cache.SUFFIX for i in range(4, cache.MAX_ENTRIES + 4)}

    # A hit counts as use: the oldest entry, read once, outlives the next one.
    assert cache.get(b"data 4") == model
    put(cache.MAX_ENTRIES + 4)
    assert cache.get(b"data 4") == model
    assert cache.get(b"data 5") is None


# -- the key ----------------------------------------------------------------------------


def test_the_key_covers_the_data_and_the_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache._key(b"data")
    assert cache._key(b"data") == key
    assert cache._key(b"data!") != key
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache._key(b"data") != key
    monkeypatch.undo()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert cache._key(b"data") != key


def test_the_key_covers_every_module_of_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "pytorch_diff"
    shutil.copytree(cache._PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE_DIR", str(copy))
    key = cache._key(b"data")
    modules = sorted(copy.rglob("*.py"))
    names = {str(p.relative_to(copy)) for p in modules}
    assert {"__init__.py", "cache.py", "load.py", "model.py", "reader.py", "fields.py"} <= names
    assert any("/" in name for name in names)  # subpackages too
    for module in modules:
        original = module.read_bytes()
        module.write_bytes(original.replace(b"\n", b"\n ", 1) if original else b"#")  # one byte changed
        assert cache._key(b"data") != key, module
        module.write_bytes(original)
    assert cache._key(b"data") == key
    (copy / "new_module.py").write_text("")
    assert cache._key(b"data") != key


def test_validate_never_reads_the_cache(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_releases(str(data))  # an entry now exists for this file

    def refuse(_: bytes) -> None:
        raise AssertionError("validate read the cache")

    monkeypatch.setattr(cache, "get", refuse)
    run = ptdiff("validate", str(data))
    assert (run.exit_code, run.stdout) == (0, f"{data}: 0 errors, 0 warnings\n")
    with pytest.raises(AssertionError):
        load_releases(str(data))  # while every other command does
