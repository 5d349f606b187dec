"""``ptdiff scan``: the rule table, built from the model for a --from/--to range.

tests/fixtures/scan_model.yaml holds every kind of statement; a few tests read the shipped
data, for what it says today about the 1.0/1.1 names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.model import Model, Version
from pytorch_diff.scan.check import check_python
from pytorch_diff.scan.rules import RuleTable, build_rules

MODEL = Path(__file__).parent / "fixtures" / "scan_model.yaml"
DDP = "torch.nn.parallel.DistributedDataParallel"
INIT = "torch.distributed.init_process_group"


@pytest.fixture(scope="module")
def model() -> Model:
    return load_releases(str(MODEL))


def codes(rules: RuleTable) -> dict[str, str]:
    """Every rule as {api: code}."""
    found = {rule.api: rule.code for rules_ in rules.names.values() for rule in rules_}
    for by_keyword in rules.keywords.values():
        found.update((rule.api, rule.code) for rules_ in by_keyword.values() for rule in rules_)
    for value_rules in rules.values.values():
        found.update((rule.api, rule.code) for value_rule in value_rules for rule in value_rule.rules)
    return found


def table(model: Model, start: str, end: str) -> dict[str, str]:
    return codes(build_rules(model, Version.parse(start) or Version(0, 0), Version.parse(end) or Version(0, 0)))


def test_the_whole_range(model: Model) -> None:
    assert table(model, "1.0", "1.3") == {
        "torch.gesv": "PTD101",  # deprecated in 1.1, removed (without names) in 1.3: the strongest
        "torch.trtrs": "PTD101",
        "torch.legacy": "PTD101",
        f"{INIT}(backend='tcp')": "PTD101",
        "torch.distributed.reduce_op": "PTD102",  # deprecated in 1.0 = --from: still reported
        f"{DDP}(check_reduction=)": "PTD102",
        "torch.optim.lr_scheduler": "PTD103",
        "torch.solve": "PTD201",
        "torch.triangular_solve": "PTD201",
        "torch.utils.tensorboard.SummaryWriter": "PTD201",
        f"{DDP}(find_unused_parameters=)": "PTD201",
        "torch.randn(names=)": "PTD201",
    }


def test_a_target_before_the_removal_reports_the_deprecation(model: Model) -> None:
    rules = table(model, "1.0", "1.2")
    assert rules["torch.gesv"] == "PTD102"
    assert rules[f"{INIT}(backend='tcp')"] == "PTD101"  # removed in 1.2, the target itself
    assert "torch.randn(names=)" not in rules  # added in 1.3, after the target


def test_changes_at_or_before_the_floor_are_not_upgrade_findings(model: Model) -> None:
    rules = table(model, "1.1", "1.3")
    assert "torch.legacy" not in rules  # removed in 1.1: code that runs on 1.1 cannot use it
    assert "torch.optim.lr_scheduler" not in rules  # its breaking change came with 1.1 itself
    assert "torch.solve" not in rules  # on the floor already
    assert rules["torch.gesv"] == "PTD101"
    assert rules["torch.distributed.reduce_op"] == "PTD102"


def test_a_floor_before_the_model_makes_every_removal_count(model: Model) -> None:
    rules = table(model, "0.4.1", "1.1")
    assert rules["torch.legacy"] == "PTD101"
    assert rules["torch.distributed.ReduceOp"] == "PTD201"  # added in 1.0, after 0.4.1
    assert "torch.distributed.init_process_group" not in rules  # predates the model


def test_the_same_release_at_both_ends_keeps_only_deprecations(model: Model) -> None:
    assert table(model, "1.1", "1.1") == {
        "torch.gesv": "PTD102",
        "torch.trtrs": "PTD102",
        "torch.distributed.reduce_op": "PTD102",
    }


def test_a_rule_carries_the_statement_its_replacement_and_its_sources(model: Model) -> None:
    rules = build_rules(model, Version(1, 0), Version(1, 3))
    (gesv,) = rules.names["torch.gesv"]
    assert (gesv.release, gesv.change, gesv.summary) == ("1.3", "removed", "Old LAPACK names removed.")
    # the removal names nothing: the replacement comes from the deprecation that preceded it
    assert (gesv.replacement, gesv.rename, gesv.new_name) == (("torch.solve",), True, "torch.solve")
    assert gesv.sources == ("https://example.org/1.3",)
    (tcp,) = rules.values[INIT]
    assert (tcp.argument, tcp.value, tcp.position) == ("backend", "tcp", 0)
    assert tcp.rules[0].replacement == (f"{INIT}(backend='gloo')",)
    assert tcp.rules[0].short_replacement == ("'gloo'",)
    (check_reduction,) = rules.keywords[DDP]["check_reduction"]
    assert check_reduction.short_replacement == ("find_unused_parameters=",)
    assert rules.roots == frozenset({"torch"})


def test_an_empty_range_has_no_rules(model: Model) -> None:
    rules = build_rules(model, Version(1, 3), Version(1, 3))
    assert [r.api for found in rules.names.values() for r in found] == ["torch.distributed.reduce_op"]
    assert not build_rules(model._replace(features=()), Version(1, 0), Version(1, 3)).names


# -- the shipped data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Model:
    return load_releases()


def test_shipped_data_torch_gesv_is_deprecated_in_1_1_with_its_rename(shipped: Model) -> None:
    rules = build_rules(shipped, Version(1, 0), Version(1, 1))
    (gesv,) = rules.names["torch.gesv"]
    assert (gesv.code, gesv.release) == ("PTD102", "1.1")
    assert "torch.solve" in gesv.replacement
    assert all(url.startswith("https://") for url in gesv.sources) and gesv.sources
    findings = check_python("train.py", b"import torch\nx, lu = torch.gesv(b, A)\n", rules)
    assert [(f.start.line, f.start.column, f.code, f.api) for f in findings] == [(2, 9, "PTD102", "torch.gesv")]
    if gesv.rename:
        assert findings[0].fix is not None and findings[0].fix.with_ == "torch.solve"


def test_shipped_data_reduce_op_and_the_1_1_keyword(shipped: Model) -> None:
    rules = build_rules(shipped, Version(1, 0), Version(1, 1))
    code = (
        b"import torch.distributed as dist\n"
        b"from torch.nn.parallel import DistributedDataParallel as DDP\n"
        b"dist.all_reduce(t, op=dist.reduce_op.SUM)\n"
        b"DDP(model, find_unused_parameters=True)\n"
    )
    found = {(f.start.line, f.start.column, f.code, f.api) for f in check_python("t.py", code, rules)}
    assert (3, 23, "PTD102", "torch.distributed.reduce_op") in found
    assert (4, 12, "PTD201", f"{DDP}(find_unused_parameters=)") in found


def test_shipped_data_the_tcp_backend_counts_from_a_floor_before_1_0(shipped: Model) -> None:
    code = b"import torch.distributed as dist\ndist.init_process_group('tcp')\n"
    before = build_rules(shipped, Version(0, 4, 1), Version(1, 1))
    assert [(f.code, f.api) for f in check_python("t.py", code, before)] == [("PTD101", f"{INIT}(backend='tcp')")]
    assert check_python("t.py", code, build_rules(shipped, Version(1, 0), Version(1, 1))) == []


def test_shipped_data_changes_of_behaviour_flag_no_ordinary_call(shipped: Model) -> None:
    # Multicast tcp:// (removed in 1.0), force_reload by position and TORCH_HUB_DIR (1.1) are
    # recorded without API names: calling the functions the usual way is not a finding.
    code = (
        b"import torch\nimport torch.distributed as dist\n"
        b"dist.init_process_group('gloo', init_method='env://')\n"
        b"torch.hub.load('pytorch/vision', 'resnet18', force_reload=True)\n"
        b"torch.hub.set_dir('/tmp/hub')\n"
    )
    assert check_python("t.py", code, build_rules(shipped, Version(1, 0), Version(1, 3))) == []
    before = build_rules(shipped, Version(0, 4, 1), Version(1, 3))  # only what 0.4.1 lacks
    assert {(f.code, f.api) for f in check_python("t.py", code, before)} == {
        ("PTD201", "torch.hub.load"),
        ("PTD201", "torch.hub.set_dir"),
    }
