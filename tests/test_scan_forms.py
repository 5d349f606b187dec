"""``ptdiff scan``: each form of use in tests/fixtures/scan/, with its exact findings.

The rules come from tests/fixtures/scan_model.yaml (its header lists them), for an upgrade
from 1.0 to 1.3.  A finding is written (line, column, code, api), columns 1-based in
characters; guarded ones are listed apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.model import Version
from pytorch_diff.scan.check import check_file, check_python
from pytorch_diff.scan.resolve import Resolver
from pytorch_diff.scan.rules import RuleTable, build_rules
from pytorch_diff.scan.runner import scan_files

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "scan"
MODEL = FIXTURES / "scan_model.yaml"

GESV = "torch.gesv"
TRTRS = "torch.trtrs"
REDUCE_OP = "torch.distributed.reduce_op"
LEGACY = "torch.legacy"
SOLVE = "torch.solve"
TCP = "torch.distributed.init_process_group(backend='tcp')"
DDP = "torch.nn.parallel.DistributedDataParallel"


@pytest.fixture(scope="module")
def rules() -> RuleTable:
    return build_rules(load_releases(str(MODEL)), Version(1, 0), Version(1, 3))


def found(path: Path, rules: RuleTable, guarded: bool = False) -> list[tuple[int, int, str, str]]:
    return [
        (f.start.line, f.start.column, f.code, f.api)
        for f in sorted(check_file(str(path), rules), key=lambda f: f.sort_key)
        if f.guarded == guarded
    ]


def source(text: str, rules: RuleTable) -> list[tuple[int, int, str, str]]:
    return [(f.start.line, f.start.column, f.code, f.api) for f in check_python("x.py", text.encode(), rules)]


def test_every_import_form_and_alias(rules: RuleTable) -> None:
    assert found(SCAN / "aliases.py", rules) == [
        (6, 19, "PTD101", GESV),  # from torch import gesv
        (7, 19, "PTD101", TRTRS),  # from torch import trtrs as tr
        (8, 31, "PTD102", REDUCE_OP),  # from torch.distributed import reduce_op as ro
        (12, 1, "PTD101", GESV),  # torch.gesv
        (13, 1, "PTD101", GESV),  # th.gesv
        (14, 1, "PTD101", GESV),  # gesv
        (15, 1, "PTD101", TRTRS),  # tr
        (16, 1, "PTD102", REDUCE_OP),  # ro.SUM
        (17, 1, "PTD102", REDUCE_OP),  # dist.reduce_op.SUM: once, at the start of the chain
        (18, 1, "PTD102", REDUCE_OP),  # torch.distributed.reduce_op.MAX
        # a relative import and `import numpy as torch_like` resolve to nothing
    ]


def test_attribute_chains_and_references_without_a_call(rules: RuleTable) -> None:
    assert found(SCAN / "attributes.py", rules) == [
        (2, 8, "PTD101", LEGACY),  # import torch.legacy.nn: a module inside a removed one
        (3, 26, "PTD101", LEGACY),  # from torch.legacy import nn as legacy_nn
        (5, 6, "PTD101", GESV),  # fn = torch.gesv
        (6, 12, "PTD101", GESV),
        (6, 24, "PTD101", TRTRS),
        (7, 10, "PTD201", "torch.utils.tensorboard.SummaryWriter"),
        (8, 1, "PTD103", "torch.optim.lr_scheduler"),  # a module the model says changed, breaking
        (9, 7, "PTD101", LEGACY),
        (10, 1, "PTD101", LEGACY),  # legacy_nn.Linear
        (11, 14, "PTD201", SOLVE),  # `torch.gesv = torch.solve` defines torch.gesv: only the right side is a use
        (12, 6, "PTD101", GESV),  # a chain over two lines
    ]


def test_keywords_of_a_known_callable_under_any_alias(rules: RuleTable) -> None:
    assert found(SCAN / "keywords.py", rules) == [
        (5, 12, "PTD201", f"{DDP}(find_unused_parameters=)"),
        (6, 50, "PTD102", f"{DDP}(check_reduction=)"),
        (7, 52, "PTD102", f"{DDP}(check_reduction=)"),
        (8, 19, "PTD201", "torch.randn(names=)"),
        # other(find_unused_parameters=...) and DDP(**options) name no known keyword
    ]


def test_string_values_by_keyword_and_by_position(rules: RuleTable) -> None:
    assert found(SCAN / "strings.py", rules) == [
        (4, 25, "PTD101", TCP),  # positional, at the model's position 0
        (5, 33, "PTD101", TCP),  # backend='tcp'
        (6, 50, "PTD101", TCP),  # from-imported callable
        # "gloo", a starred argument before the position, another keyword's value, another callable: nothing
    ]


def test_shadowing_by_parameters_assignments_loops_comprehensions_and_defs(rules: RuleTable) -> None:
    assert found(SCAN / "shadowing.py", rules) == [
        (1, 19, "PTD101", GESV),
        (24, 12, "PTD101", GESV),  # a function that does not shadow it
        (32, 16, "PTD101", GESV),  # a method: class attributes are not in its scope
        (47, 23, "PTD101", TRTRS),  # an import inside a function
        (49, 12, "PTD101", TRTRS),
        # `torch = None` at the end: function bodies see the module's final names, and so
        # does the last line; `uses_torch(torch)` takes torch as a parameter
    ]


def test_guarded_uses_are_reported_as_guarded(rules: RuleTable) -> None:
    path = SCAN / "guards.py"
    assert found(path, rules, guarded=True) == [
        (4, 23, "PTD201", SOLVE),  # try: from torch import solve / except ImportError
        (6, 23, "PTD101", GESV),  # the fallback in the handler
        (11, 5, "PTD101", LEGACY),  # except (AttributeError, RuntimeError)
        (21, 5, "PTD201", SOLVE),  # if torch.__version__ >= "1.1"
        (23, 5, "PTD101", GESV),  # ... else
        (26, 5, "PTD201", SOLVE),  # if hasattr(torch, "solve")
        (28, 5, "PTD201", SOLVE),  # a conditional expression
        (28, 49, "PTD101", GESV),
    ]
    # `solve(a, b)` after the try is either name: nothing; except ValueError and a plain if guard nothing
    assert found(path, rules) == [(16, 5, "PTD101", GESV), (31, 5, "PTD101", GESV)]


def test_noqa_silences_its_line_for_all_codes_or_the_codes_it_names(rules: RuleTable) -> None:
    assert found(SCAN / "noqa.py", rules) == [
        (5, 1, "PTD101", GESV),  # its noqa names PTD102, another code
        (8, 13, "PTD101", GESV),  # its noqa names PTD201: torch.solve only
        (9, 1, "PTD101", GESV),  # its noqa names E501
    ]


def test_notebook_cells_share_one_namespace_and_report_the_cell(rules: RuleTable) -> None:
    findings = sorted(check_file(str(SCAN / "notebook.ipynb"), rules), key=lambda f: f.sort_key)
    assert [(f.cell, f.start.line, f.start.column, f.code, f.api) for f in findings] == [
        (2, 3, 5, "PTD101", GESV),  # after a %magic line, which is blanked
        (4, 4, 5, "PTD101", TRTRS),  # torch imported in cell 2; !shell lines blanked, indented ones too
        (5, 1, 5, "PTD201", SOLVE),  # a noqa for PTD102 does not silence it; the bare noqa of line 2 does
    ]
    # cell 3 does not parse and is skipped; the markdown cell is not code
    assert findings[0].where == f"{SCAN / 'notebook.ipynb'}:cell 2:3:5"


def test_python_2_code_is_one_ptd900_finding(rules: RuleTable) -> None:
    findings = check_file(str(SCAN / "py2.py"), rules)
    assert [(f.start.line, f.start.column, f.code) for f in findings] == [(3, 1, "PTD900")]
    assert "Python 2" in findings[0].summary


def test_columns_count_characters_not_bytes(rules: RuleTable) -> None:
    assert found(SCAN / "unicode.py", rules) == [(2, 18, "PTD101", GESV)]
    assert found(SCAN / "latin1.py", rules) == [(3, 12, "PTD101", GESV)]  # decoded by its coding cookie


def test_a_file_without_torch_has_no_finding(rules: RuleTable) -> None:
    assert found(SCAN / "clean.py", rules) == []


def test_rename_fixes_keep_the_alias_and_the_quotes(rules: RuleTable) -> None:
    fixes = {
        (path, f.start.line, f.start.column): (f.fix.replace, f.fix.with_, f.fix.start.column, f.fix.end.column)
        for path in ("aliases.py", "keywords.py", "strings.py")
        for f in check_file(str(SCAN / path), rules)
        if f.fix is not None
    }
    # from torch import gesv: the uses of `gesv` keep working after the fix
    assert fixes["aliases.py", 6, 19] == ("gesv", "solve as gesv", 19, 23)
    assert fixes["aliases.py", 13, 1] == ("th.gesv", "th.solve", 1, 8)
    assert fixes["aliases.py", 17, 1] == ("dist.reduce_op", "dist.ReduceOp", 1, 15)
    assert fixes["keywords.py", 6, 50] == ("check_reduction", "find_unused_parameters", 50, 65)
    assert fixes["strings.py", 5, 33] == ("'tcp'", "'gloo'", 33, 38)
    assert fixes["strings.py", 4, 25] == ('"tcp"', '"gloo"', 25, 30)
    assert len(fixes) == 11


def test_no_fix_where_the_model_gives_no_rename(rules: RuleTable) -> None:
    findings = check_file(str(SCAN / "aliases.py"), rules)
    trtrs = [f for f in findings if f.api == TRTRS]
    assert trtrs and all(
        f.fix is None and not f.safe_fix and f.replacement == ("torch.triangular_solve",) for f in trtrs
    )
    # a from-imported name used bare gets no fix of its own: the fix is on the import
    assert [f.fix for f in findings if f.start == (14, 1)] == [None]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # class bodies see their own names; comprehensions at class level do not
        ("import torch\nclass A:\n    torch = 1\n    torch.gesv\n", []),
        (
            "from torch import gesv\nclass A:\n    gesv = 1\n    x = [gesv for _ in ()]\n",
            [(1, 19, "PTD101", GESV), (4, 10, "PTD101", GESV)],
        ),
        # global declarations: the module's name
        ("import torch\ndef f():\n    global torch\n    torch.gesv\n", [(4, 5, "PTD101", GESV)]),
        # lambdas: parameters shadow, the body sees the module
        (
            "from torch import gesv\nf = lambda gesv: gesv\ng = lambda: gesv\n",
            [(1, 19, "PTD101", GESV), (3, 13, "PTD101", GESV)],
        ),
        # walrus, with, except-as, del, match captures
        ("import torch\n(torch := 1)\ntorch.gesv\n", []),
        ("import torch\nwith open(p) as torch:\n    torch.gesv\n", []),
        ("import torch\ntry:\n    pass\nexcept E as torch:\n    torch.gesv\n", []),
        ("import torch\ndel torch\ntorch.gesv\n", []),
        ("import torch\nmatch x:\n    case [torch]:\n        torch.gesv\n", []),
        # an import in only one branch of an if keeps its meaning after it
        ("if x:\n    from torch import gesv\ngesv()\n", [(2, 23, "PTD101", GESV), (3, 1, "PTD101", GESV)]),
        # from torch import * makes the model's names visible
        ("from torch import *\ngesv(a, b)\nsolve\n", [(3, 1, "PTD201", SOLVE), (2, 1, "PTD101", GESV)]),
        # relative imports never resolve, whatever the name
        ("from .torch import gesv\ngesv()\n", []),
        # a subscript, a call result and a string are not names
        ("import torch\ntorch.ops['gesv']\nget().gesv\n'torch.gesv'\n", []),
    ],
)
def test_scopes_and_bindings(code: str, expected: list[tuple[int, int, str, str]], rules: RuleTable) -> None:
    assert sorted(source(code, rules)) == sorted(expected)


def test_deeply_nested_code_is_checked_never_a_crash(rules: RuleTable, tmp_path: Path) -> None:
    path = tmp_path / "deep.py"
    path.write_text("import torch\nx = " + " + ".join(["1"] * 3000) + " + torch.gesv(a, b)\n")
    assert [(p, [(f.start, f.code) for f in found]) for p, found in scan_files([str(path)], rules)] == [
        (str(path), [((2, 5 + 3000 * 4), "PTD101")])
    ]


def test_a_resolver_can_be_driven_tree_by_tree(rules: RuleTable) -> None:
    resolver = Resolver(rules)
    resolver.run(ast.parse("import torch as t\n"), ["import torch as t", ""], cell=1)
    resolver.run(ast.parse("t.gesv\n"), ["t.gesv", ""], cell=2)
    hits = resolver.finish()
    assert [(h.cell, h.line, h.col, h.rule.api) for h in hits] == [(2, 1, 0, GESV)]


def test_a_breaking_change_is_named_by_the_first_sentence_of_its_statement() -> None:
    from pytorch_diff.scan.findings import BREAKING, Finding, Position, message

    at = Position(1, 1)
    summary = "Call step() after optimizer.step(); see torch.optim. The 1.1.0 page shows it (e.g. in examples)."
    finding = Finding("t.py", None, at, at, BREAKING, "torch.optim.lr_scheduler", "1.1", "changed", summary)
    assert message(finding, "1.0") == (
        "torch.optim.lr_scheduler changed in 1.1 in a way that breaks code: "
        "Call step() after optimizer.step(); see torch.optim."
    )
    assert message(finding._replace(summary="One sentence only."), "1.0").endswith("breaks code: One sentence only.")
