"""The shipped data: valid, sourced, and complete for what the seed articles name."""

from __future__ import annotations

import re

import pytest

from pytorch_diff.load import check_releases
from pytorch_diff.model import Version

from .helpers import SHIPPED, ptdiff


@pytest.fixture(scope="module")
def model():
    model, problems = check_releases(SHIPPED)
    assert problems == []
    return model


def test_shipped_data_validates_without_findings() -> None:
    run = ptdiff("validate", str(SHIPPED))
    assert (run.exit_code, run.stdout) == (0, f"{SHIPPED}: 0 errors, 0 warnings\n")


def test_every_record_cites_known_sources(model) -> None:
    records = list(model.releases) + list(model.features) + list(model.projects) + list(model.matrices.values())
    records += [s for f in model.features for s in f.history]
    for record in records:
        assert record.sources, record
        assert set(record.sources) <= set(model.sources), record


def test_ids_are_unique_and_statements_name_known_releases() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)$", text, flags=re.M)  # top-level records of every list
    assert len(ids) == len(set(ids))


def test_releases_with_their_dates_and_builds(model) -> None:
    assert [(str(r.version), r.date and r.date.isoformat()) for r in model.releases] == [
        ("1.0", "2018-12-07"),
        ("1.0.1", None),  # no source that could be read gives its date
        ("1.1", "2019-05-01"),
        ("1.2", "2019-08-08"),
        ("1.3", "2019-10-10"),
        ("1.3.1", None),  # its docs only: the install page has no 1.3.x section
    ]
    assert [(r.builds.cuda, r.builds.torchvision) for r in model.releases if r.builds] == [
        (("8.0", "9.0", "10.0"), "0.2.1"),
        (("9.0", "10.0"), "0.2.2"),
        (("9.0", "10.0"), "0.3.0"),
        (("9.2", "10.0"), "0.4.0"),
    ]


def test_a_patch_release_has_its_own_entry_and_others_resolve_to_their_series() -> None:
    run = ptdiff("show", "1.0.1")
    assert run.stdout.splitlines()[:2] == ["PyTorch 1.0.1: Patch release of 1.0", "Released: date not recorded"]
    run = ptdiff("show", "1.0.2")
    assert "Note: 1.0.2 is not in the model; showing 1.0.1, the newest of its series" in run.stdout
    run = ptdiff("compare", "1.0", "1.1")
    assert "Builds: CUDA 8.0 dropped; torchvision 0.2.1 → 0.3.0" in run.stdout


SEED_FEATURES = {
    "jit.torchscript": "1.0",
    "distributed.c10d": "1.0",
    "distributed.ddp": "1.0",
    "distributed.gloo-cpu-ops": "1.0",
    "distributed.nccl-barrier": "1.0",
    "distributed.nccl-new-group": "1.0",
    "cpp.frontend": "1.0",
    "tensors.nd-empty": "1.0",
    "sparse.torch-sparse-functions": "1.0",
    "distributed.reduce-op": "1.0",
    "distributed.reduce-op-old-name": "1.0",
    "distributed.tcp-backend": "1.0",
    "visualization.tensorboard": "1.1",
    "api.bool-tensor": "1.1",
    "jit.custom-rnn-performance": "1.1",
}
SEED_PROJECTS = {
    "tool": {"Ax", "BoTorch", "idb", "Memscout", "mvfst"},
    "ecosystem": {"Horovod", "PyTorch Geometry", "tensorboardX", "Translate", "fast.ai", "DeOldify"},
    "cloud": {"SageMaker Neo", "Deep Learning VM", "Azure Machine Learning"},
    "course": {"Udacity"},
    "roadmap": {"fewer bits", "Named tensor"},
}


@pytest.mark.parametrize(("feature_id", "release"), SEED_FEATURES.items())
def test_seed_features_are_present(model, feature_id: str, release: str) -> None:
    feature = next(f for f in model.features if f.id == feature_id)
    assert str(feature.history[0].release) == release


@pytest.mark.parametrize("kind", SEED_PROJECTS)
def test_seed_projects_are_present(model, kind: str) -> None:
    text = " ".join(f"{p.name} {p.summary}" for p in model.projects if p.kind == kind).lower()
    for name in SEED_PROJECTS[kind]:
        assert name.lower() in text.replace("fastai", "fast.ai"), name


def test_jit_gains_dicts_classes_and_attributes_in_1_1(model) -> None:
    torchscript = next(f for f in model.features if f.id == "jit.torchscript")
    change = torchscript.statement_in(Version(1, 1))
    assert change.change == "changed"
    assert "torch.jit.Attribute" in [api.name for api in change.apis]
    assert all(word in change.summary for word in ("Dict", "classes", "attributes"))


def test_the_1_1_roadmap_shipped_in_1_3_as_its_features(model) -> None:
    roadmap = {p.id: p for p in model.projects if p.kind == "roadmap"}
    assert {(i, p.status, str(p.shipped_in), p.shipped_as) for i, p in roadmap.items()} == {
        ("roadmap.quantization", "shipped", "1.3", ("quantization.eager",)),
        ("roadmap.named-tensors", "shipped", "1.3", ("tensors.named",)),
    }
    features = {f.id: f for f in model.features}
    assert all(str(features[f].history[0].release) == "1.3" for p in roadmap.values() for f in p.shipped_as)


def test_compare_accumulates_through_1_3(model) -> None:
    run = ptdiff("compare", "1.0", "1.3", "-f", "json")
    added = {c["feature"]["id"] for c in run.json()["changes"] if c["kind"] == "added"}
    assert {"nn.transformer", "tensors.named", "quantization.eager", "mobile.pytorch-mobile"} <= added
    assert {"optim.cycliclr", "nn.multiheadattention"} <= added  # 1.1, in between


def test_every_release_has_the_documented_backend_matrix(model) -> None:
    assert sorted(map(str, model.matrices)) == ["1.0", "1.1", "1.2", "1.3"]
    for version in (Version(1, 0), Version(1, 1), Version(1, 2), Version(1, 3)):
        rows = {row.operation: row.support for row in model.matrices[version].rows}
        assert list(rows) == [
            "send",
            "recv",
            "broadcast",
            "all_reduce",
            "reduce",
            "all_gather",
            "gather",
            "scatter",
            "barrier",
        ]
        assert all(support["mpi"]["gpu"] == "depends" for support in rows.values())
        assert rows["barrier"]["nccl"] == {"cpu": "no", "gpu": "yes"}
        assert rows["send"]["gloo"] == {"cpu": "yes", "gpu": "no"}


def test_shipped_commands_answer(model) -> None:
    assert ptdiff("show", "1.0").exit_code == 0
    assert [row[0] for row in ptdiff("tools").table_rows() if row[0]] == [
        "Ax",
        "BoTorch",
        "idb (iOS Development Bridge)",
        "Memscout",
        "mvfst",
    ]
    summary = ptdiff("compare", "1.0", "1.1").stdout.splitlines()[1]
    # breaking: the scheduler order, torch.hub.load's force_reload, the hub directory's variable
    assert summary == "Summary: 11 added, 7 changed, 2 deprecated, 0 removed (3 breaking)"


def test_breaking_changes_are_statements_of_their_release_not_features_that_carry_over(model) -> None:
    breaking = {(f.id, str(s.release)) for f in model.features for s in f.history if s.breaking}
    assert ("distributed.tcp-backend", "1.0") in breaking
    assert ("api.legacy-removed", "1.0") in breaking
    assert "breaking" not in model.areas  # no area of placeholders
    assert not any(f.id.startswith("breaking.") for f in model.features)


def test_every_deprecated_or_removed_name_says_what_replaces_it_where_the_docs_do(model) -> None:
    replaced = {str(a): a.replaced_by for f in model.features for s in f.history for a in s.apis if a.replaced_by}
    assert replaced["torch.distributed.reduce_op"] == ("torch.distributed.ReduceOp",)
    assert replaced["torch.distributed.init_process_group(backend='tcp')"] == ("gloo", "mpi")
    assert replaced["torch.distributed.deprecated"] == ("torch.distributed",)


def test_the_backend_tables_of_1_2_and_1_3_are_those_of_1_0() -> None:
    run = ptdiff("matrix", "1.0", "1.3")
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:2] == ["Distributed backends: PyTorch 1.0 → 1.3", "Changed cells: 0"]


def test_what_1_2_and_1_3_removed_with_what_replaces_it(model) -> None:
    removed = {
        (str(s.release), a.name): a.replaced_by
        for f in model.features
        for s in f.history
        if s.change == "removed"
        for a in s.apis
    }
    assert removed[("1.2", "torch.gesv")] == ("torch.solve",)
    assert removed[("1.2", "torch.potrf")] == ("torch.cholesky",)
    assert removed[("1.2", "torch.distributed.deprecated")] == ("torch.distributed",)
    assert removed[("1.3", "torch.gels")] == ("torch.lstsq",)
    run = ptdiff("compare", "1.1", "1.2")
    assert run.stdout.splitlines()[1:3] == [
        "Summary: 11 added, 5 changed, 1 deprecated, 3 removed (3 breaking)",
        "Builds: CUDA 9.0 dropped; CUDA 9.2 added; torchvision 0.3.0 → 0.4.0",
    ]


def test_1_1_api_changes_an_upgrade_meets(model) -> None:
    statements = {(f.id, str(s.release)): s for f in model.features for s in f.history}
    c10d = statements[("distributed.c10d", "1.1")]
    assert {str(a) for a in c10d.apis} == {
        "torch.distributed.init_process_group(store=)",
        "torch.distributed.new_group(backend=)",
    }
    assert statements[("hub.load-force-reload-keyword", "1.1")].breaking
    assert statements[("hub.cache-dir-environment", "1.1")].breaking
    assert statements[("api.type-promotion", "1.3")].change == "added"
