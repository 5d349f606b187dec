"""ptdiff on a real terminal (a pseudo-terminal): colour, hyperlinks, width, the pager, progress.

Each test starts ptdiff as a real process on a pty of a known size, as a person's
terminal would run it, and reads everything it drew.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from .helpers import FIXTURES, THREE_RELEASES  # noqa: E402

SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b\]8;[^;]*;([^\x1b\x07]*)(?:\x1b\\|\x07)")


def on_terminal(*args: str, rows: int = 50, cols: int = 100, **env: str | None) -> str:
    """What ``ptdiff ARGS`` draws on a ``rows`` × ``cols`` terminal (stdout and stderr together).

    ``env`` adds variables, or removes those given as None.
    """
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER")}
    base.update({"TERM": "xterm-256color", "PTDIFF_PAGER": ""})
    for name, value in env.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    child = pexpect.spawn(
        sys.executable, ["-m", "pytorch_diff", *args], env=base, dimensions=(rows, cols), encoding="utf-8", timeout=60
    )
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before).replace("\r\n", "\n")


def test_colour_on_a_terminal_and_none_with_no_color() -> None:
    text = on_terminal("show", "1.2", "--data", str(THREE_RELEASES))
    assert SGR.search(text)
    assert re.search(r"\x1b\[[0-9;]*31m(\x1b\[[0-9;]*m)*removed, breaking", text)  # in red
    plain = on_terminal("show", "1.2", "--data", str(THREE_RELEASES), NO_COLOR="1")
    assert "\x1b" not in plain
    assert "\x1b" not in on_terminal("show", "1.2", "--data", str(THREE_RELEASES), "--color", "never")


def test_tables_follow_the_terminal_width() -> None:
    for cols in (60, 80, 120):
        text = SGR.sub("", on_terminal("compare", "1.0", "1.1", "--no-pager", cols=cols))
        assert max(len(line) for line in text.splitlines() if "https://" not in line) <= cols


def test_hyperlinks_on_a_terminal_that_shows_them_and_full_urls_elsewhere() -> None:
    text = on_terminal("tools", FORCE_HYPERLINK="1")
    assert [url for url in OSC8.findall(text) if url][:2] == ["https://ax.dev", "https://botorch.org"]
    visible = OSC8.sub("", SGR.sub("", text))
    assert "ax.dev" in visible and "https://ax.dev" not in visible  # short text; the link holds the URL
    text = on_terminal("tools", FORCE_HYPERLINK="0")
    assert "\x1b]8;" not in text and "https://ax.dev" in text


def test_hyperlinks_carry_only_urls_the_loader_checked(tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text(
        THREE_RELEASES.read_text(encoding="utf-8").replace('"https://ax.dev"', '"https://ax.dev/\\e]8;;x\\a"'),
        encoding="utf-8",
    )
    text = on_terminal("tools", "--data", str(data), FORCE_HYPERLINK="1")
    assert "]8;;x" not in text  # refused by the loader: a control character in a URL
    assert "[control-character]" in text


def test_a_hostile_file_name_never_reaches_the_terminal_raw() -> None:
    text = on_terminal("show", "1.0", "--data", "/tmp/\x1b]0;pwned\x07\x1b[2J.yaml")
    assert "\x1b]0;" not in text and "\x1b[2J" not in text
    assert "\\x1b]0;pwned\\x07\\x1b[2J.yaml" in text


def test_output_taller_than_the_terminal_goes_through_the_pager() -> None:
    pager = "sed s/^/PAGED:/"
    text = on_terminal("show", "1.0", rows=20, PTDIFF_PAGER=pager)
    assert all(line.startswith("PAGED:") for line in text.splitlines() if line.strip())
    assert "PAGED:" not in on_terminal("show", "1.0", "--no-pager", rows=20, PTDIFF_PAGER=pager)
    assert "PAGED:" not in on_terminal("--no-pager", "show", "1.0", rows=20, PTDIFF_PAGER=pager)
    assert "PAGED:" not in on_terminal("versions", rows=60, PTDIFF_PAGER=pager)  # it fits: no pager
    assert "PAGED:" not in on_terminal("show", "1.0", rows=20, PTDIFF_PAGER="")  # an empty pager: none
    text = on_terminal("show", "1.0", rows=20, PAGER=pager, PTDIFF_PAGER=None)
    assert "PAGED:" in text


def test_validate_is_coloured_like_a_compiler(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        THREE_RELEASES.read_text(encoding="utf-8")
        .replace("area: jit\n", "area: jat\n")
        .replace('"https://example.org/b"', '"http://example.org/b"'),
        encoding="utf-8",
    )
    text = on_terminal("validate", str(bad))
    assert f"\x1b[1m{bad}:29:5:\x1b[0m \x1b[1;31merror\x1b[0m [unknown-value]" in text
    assert "\x1b[1;33mwarning\x1b[0m [insecure-url]" in text


def test_doctor_shows_progress_on_a_terminal_and_erases_it() -> None:
    fake = Path(__file__).parent / "fake_torch"
    env = {"PYTHONPATH": str(fake)}
    text = on_terminal("doctor", "--data", str(FIXTURES / "doctor.yaml"), "--no-pager", cols=200, **env)
    assert "ptdiff: importing torch 1.1.0+cpu to check 13 names…\r\x1b[K" in text
    assert "Summary: 13 names checked" in SGR.sub("", text)
