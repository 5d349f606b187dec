"""The questions asked of a model, as pure functions: their exact results and messages."""

from __future__ import annotations

import pytest

from pytorch_diff.errors import UnknownNameError, UsageError
from pytorch_diff.model import Api, Version
from pytorch_diff.query import (
    backend_matrix,
    check_areas,
    check_kinds,
    compare_releases,
    deprecation_of,
    features_of,
    find_project,
    find_release,
    list_projects,
    list_releases,
    resolve_release,
    search,
    show_release,
)
from pytorch_diff.query.results import (
    ApiCheck,
    DoctorResult,
    FeatureChange,
    FeatureInRelease,
    MatrixCell,
    MatrixLine,
    ModelNote,
    ReleaseDiff,
    SearchHit,
)
from pytorch_diff.query.search import find_words

from .rules_helpers import AREAS, announced, feature, matrix, model, project, release, row, say, version

V10, V11, V12 = Version(1, 0), Version(1, 1), Version(1, 2)

JIT = feature("jit.a", "jit", say("1.0", "added", "", "torch.a"), say("1.2", "changed", "More."))
OLD = feature(
    "api.old",
    "api",
    say("1.1", "deprecated", "Use new.", Api("function", "torch.old", replaced_by=("torch.new",))),
    say("1.2", "removed", "Gone.", "torch.old", breaking=True, sources=("s2",)),
)
NEW = feature("api.new", "api", say("1.2", "added", "", "torch.new"))
GONE = feature("dist.gone", "dist", say("1.0", "removed", "No longer.", "torch.legacy"))
BRIEF = feature("dist.brief", "dist", say("1.1", "added"), say("1.2", "removed", "Dropped again."))
AX = project("ax", announced=announced("1.1"))
BO = project("bo", "ecosystem", mentioned_with=version("1.1"))
CL = project("cl", "cloud", name="Cloud Thing (big)", announced=announced("1.0"))
FEATURES = [GONE, NEW, OLD, JIT, BRIEF]  # not in area order: queries sort them
MODEL = model(features=FEATURES, projects=[AX, BO, CL])


# -- naming a release -----------------------------------------------------------------

SERIES = model(releases=[release(v) for v in ("1.0", "1.0.1", "1.0.3", "1.1")])


@pytest.mark.parametrize(
    ("name", "shown", "note"),
    [
        ("1.0", "1.0", ""),
        ("v1.0.0", "1.0", ""),
        ("1.0.1", "1.0.1", ""),
        ("1.1.0", "1.1", ""),
        ("latest", "1.1", ""),
        (" Latest ", "1.1", ""),
        ("1.0.2", "1.0.1", "1.0.2 is not in the model; showing 1.0.1, the newest of its series"),
        ("1.0.9", "1.0.3", "1.0.9 is not in the model; showing 1.0.3, the newest of its series"),
        ("1.1.4", "1.1", "1.1.4 is not in the model; showing 1.1, the newest of its series"),
    ],
)
def test_a_release_is_found_by_any_spelling_or_the_newest_of_its_series(name: str, shown: str, note: str) -> None:
    found, said = resolve_release(SERIES, name)
    assert (str(found.version), said) == (shown, note)
    assert find_release(SERIES, name) is found


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("1.2.1", "unknown release '1.2.1'; known: 1.0, 1.0.1, 1.0.3, 1.1, latest; did you mean '1.0.1'?"),
        ("1.2", "unknown release '1.2'; known: 1.0, 1.0.1, 1.0.3, 1.1, latest; did you mean '1.1'?"),
        ("x", "unknown release 'x'; known: 1.0, 1.0.1, 1.0.3, 1.1, latest"),
    ],
)
def test_an_unknown_release_lists_the_known_ones(name: str, message: str) -> None:
    with pytest.raises(UnknownNameError) as caught:
        resolve_release(SERIES, name)
    assert str(caught.value) == message


def test_latest_in_a_model_without_releases_is_unknown() -> None:
    with pytest.raises(UnknownNameError) as caught:
        resolve_release(model(releases=[]), "latest")
    assert str(caught.value) == "unknown release 'latest'; known: latest; did you mean 'latest'?"


def test_a_long_unknown_name_is_cut_in_the_message() -> None:
    with pytest.raises(UnknownNameError) as caught:
        resolve_release(SERIES, "z" * 200)
    assert str(caught.value) == "unknown release " + repr("z" * 200)[:60] + "; known: 1.0, 1.0.1, 1.0.3, 1.1, latest"


def test_versions_lists_every_release_oldest_first() -> None:
    assert [str(r.version) for r in list_releases(SERIES).releases] == ["1.0", "1.0.1", "1.0.3", "1.1"]


# -- areas and features ---------------------------------------------------------------


def test_areas_are_named_in_any_case_and_kept_once_in_the_order_given() -> None:
    assert check_areas(MODEL, [" DIST", "jit", "Jit"]) == ("dist", "jit")
    assert check_areas(MODEL, []) == ()
    with pytest.raises(UnknownNameError) as caught:
        check_areas(MODEL, ["jit", "jat"])
    assert str(caught.value) == "unknown area 'jat'; known: jit, api, dist; did you mean 'jit'?"


def test_only_the_first_hundred_characters_of_an_unknown_name_are_compared() -> None:
    close = "x" * 33 + "z"  # close to the whole name below, not to its first hundred characters
    data = model(areas={close: AREAS["jit"]})
    with pytest.raises(UnknownNameError) as caught:
        check_areas(data, ["x" * 100 + "z"])
    assert str(caught.value) == "unknown area " + repr("x" * 101)[:60] + f"; known: {close}"


def test_features_come_in_the_order_of_the_areas_registry() -> None:
    assert [f.id for f in features_of(MODEL)] == ["jit.a", "api.new", "api.old", "dist.gone", "dist.brief"]
    assert [f.id for f in features_of(MODEL, ("dist", "jit"))] == ["jit.a", "dist.gone", "dist.brief"]
    stray = feature("stray", "nowhere", say("1.0", "added"))
    odd = model(features=[stray, NEW, JIT])
    assert [f.id for f in features_of(odd)] == ["jit.a", "api.new", "stray"]  # an unlisted area comes last


# -- show -------------------------------------------------------------------------------


def test_show_lists_what_the_release_did_and_what_it_carried_over() -> None:
    view = show_release(MODEL, "1.1")
    assert view.release.version == V11
    assert (view.areas, view.note, view.everything) == ((), "", False)
    assert view.features == (
        FeatureInRelease(JIT, "carried over", None, (Api("function", "torch.a"),), None),
        FeatureInRelease(OLD, "deprecated", OLD.history[0], (OLD.history[0].apis[0],), OLD.history[0]),
        FeatureInRelease(BRIEF, "added", BRIEF.history[0], (), None),
    )
    assert view.projects == (AX, BO)  # announced with it, or named in its announcement


def test_show_keeps_a_feature_the_release_removed_and_drops_one_removed_before() -> None:
    view = show_release(MODEL, "1.2", everything=True)
    assert [(f.feature.id, f.status, f.statement) for f in view.features] == [
        ("jit.a", "changed", JIT.history[1]),
        ("api.new", "added", NEW.history[0]),
        ("api.old", "removed", OLD.history[1]),
        ("dist.brief", "removed", BRIEF.history[1]),
    ]
    assert [f.apis for f in view.features] == [(Api("function", "torch.a"),), (Api("function", "torch.new"),), (), ()]
    assert view.everything is True
    assert view.projects == ()
    first = show_release(MODEL, "1.0")
    assert [(f.feature.id, f.status) for f in first.features] == [
        ("jit.a", "added"),
        ("api.old", "carried over"),  # it predates the model
        ("dist.gone", "removed"),
    ]
    assert first.projects == (CL,)


def test_show_of_some_areas_leaves_out_what_came_with_the_release() -> None:
    view = show_release(MODEL, "1.1", ["API"])
    assert view.areas == ("api",)
    assert [f.feature.id for f in view.features] == ["api.old"]
    assert view.projects == ()


def test_show_says_how_a_patch_release_was_resolved() -> None:
    view = show_release(MODEL, "1.1.7")
    assert view.release.version == V11
    assert view.note == "1.1.7 is not in the model; showing 1.1, the newest of its series"


def test_the_deprecation_in_force_is_the_latest_until_a_removal() -> None:
    first, second = say("1.0", "deprecated", "Once."), say("1.1", "deprecated", "Twice.")
    item = feature("f", "api", first, second, say("1.2", "changed", "c"))
    assert deprecation_of(item, Version(0, 9)) is None
    assert deprecation_of(item, V10) is first
    assert deprecation_of(item, V11) is second
    assert deprecation_of(item, V12) is second
    assert deprecation_of(OLD, V11) is OLD.history[0]
    assert deprecation_of(OLD, V12) is None  # removed: nothing left to deprecate
    assert deprecation_of(JIT, V12) is None


# -- compare ----------------------------------------------------------------------------


def test_compare_accumulates_the_range_and_orders_by_kind_then_area() -> None:
    diff = compare_releases(MODEL, "1.0", "1.2")
    assert (diff.old.version, diff.new.version, diff.swapped, diff.areas, diff.notes) == (V10, V12, False, (), ())
    assert diff.changes == (
        FeatureChange(NEW, "added", False, NEW.history),
        FeatureChange(JIT, "changed", False, (JIT.history[1],)),
        FeatureChange(OLD, "removed", True, OLD.history),
    )  # dist.brief came and went in between: code on 1.0 never had it
    assert (diff.count("added"), diff.count("changed"), diff.count("deprecated"), diff.count("removed")) == (1, 1, 0, 1)
    assert diff.breaking == 1


def test_compare_of_one_step_names_a_deprecation() -> None:
    diff = compare_releases(MODEL, "1.0", "1.1")
    assert [(c.feature.id, c.kind, c.breaking) for c in diff.changes] == [
        ("dist.brief", "added", False),
        ("api.old", "deprecated", False),
    ]
    later = compare_releases(MODEL, "1.1", "1.2")
    assert [(c.feature.id, c.kind) for c in later.changes] == [
        ("api.new", "added"),
        ("jit.a", "changed"),
        ("api.old", "removed"),
        ("dist.brief", "removed"),
    ]


def test_compare_newer_first_is_the_same_range_swapped() -> None:
    diff = compare_releases(MODEL, "1.2", "1.0")
    assert (diff.old.version, diff.new.version, diff.swapped) == (V10, V12, True)
    assert diff.changes == compare_releases(MODEL, "1.0", "1.2").changes
    same = compare_releases(MODEL, "1.1", "1.1")
    assert (same.swapped, same.changes) == (False, ())


def test_compare_in_some_areas_with_resolved_names() -> None:
    diff = compare_releases(MODEL, "1.0.4", "1.2.9", ["Api"])
    assert diff.areas == ("api",)
    assert [c.feature.id for c in diff.changes] == ["api.new", "api.old"]
    assert diff.notes == (
        "1.0.4 is not in the model; showing 1.0, the newest of its series",
        "1.2.9 is not in the model; showing 1.2, the newest of its series",
    )
    assert compare_releases(MODEL, "1.0", "1.2.9").notes == (
        "1.2.9 is not in the model; showing 1.2, the newest of its series",
    )


def test_a_gate_fails_on_what_it_names() -> None:
    diff = compare_releases(MODEL, "1.0", "1.2")
    assert [c.feature.id for c in diff.failing("breaking")] == ["api.old"]
    assert [c.feature.id for c in diff.failing("removed")] == ["api.old"]
    assert [c.feature.id for c in diff.failing("deprecated")] == []
    assert [c.feature.id for c in diff.failing("any")] == ["api.new", "jit.a", "api.old"]
    step = compare_releases(MODEL, "1.0", "1.1")
    assert [c.feature.id for c in step.failing("deprecated")] == ["api.old"]
    assert step.failing("breaking") == ()
    assert ReleaseDiff(step.old, step.new, False, ()).failing("any") == ()


# -- projects -----------------------------------------------------------------------------


def test_project_kinds_in_any_case_each_once() -> None:
    assert check_kinds([" Tool", "cloud", "TOOL"]) == ("tool", "cloud")
    with pytest.raises(UnknownNameError) as caught:
        check_kinds(["tools"])
    assert str(caught.value) == (
        "unknown project kind 'tools'; known: tool, ecosystem, cloud, course, roadmap; did you mean 'tool'?"
    )


def test_projects_by_kind_and_by_release() -> None:
    assert list_projects(MODEL).projects == (AX, BO, CL)
    listing = list_projects(MODEL, ["Cloud", "tool"])
    assert (listing.kinds, listing.release, listing.projects) == (("cloud", "tool"), None, (AX, CL))
    with_11 = list_projects(MODEL, release="1.1")
    assert (with_11.kinds, with_11.release, with_11.projects) == ((), V11, (AX, BO))
    assert list_projects(MODEL, ["ecosystem"], "1.1").projects == (BO,)
    assert list_projects(MODEL, release="1.2").projects == ()


def test_a_project_is_found_by_id_name_or_first_word() -> None:
    assert find_project(MODEL, "AX") is AX
    assert find_project(MODEL, " bo ") is BO
    assert find_project(MODEL, "cloud thing (BIG)") is CL
    assert find_project(MODEL, "cloud") is CL  # the first word of its name
    assert find_project(MODEL, "cl", ["cloud"]) is CL
    with pytest.raises(UnknownNameError):
        find_project(MODEL, "clou")  # not a word of the name


def test_a_project_of_another_kind_says_where_it_is() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_project(MODEL, "Cl", ["tool", "course"])
    assert str(caught.value) == "'Cl' is not a tool or course: it is a cloud project; run 'ptdiff projects cl'"


def test_an_unknown_project_lists_the_candidates_of_the_kinds_asked_for() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_project(MODEL, "zz")
    assert str(caught.value) == "unknown project 'zz'; known: ax, bo, cl"
    with pytest.raises(UnknownNameError) as caught:
        find_project(MODEL, "bx", ["tool"])
    assert str(caught.value) == "unknown tool 'bx'; known: ax; did you mean 'ax'?"


def test_of_two_projects_with_one_name_the_kind_asked_for_wins() -> None:
    twin = project("twin", "course", name="Ax")
    both = model(projects=[AX, twin])
    assert find_project(both, "ax") is AX
    assert find_project(both, "ax", ["course"]) is twin


# -- backend matrices -----------------------------------------------------------------------

M10 = matrix("1.0", row("send", gloo=("yes", "no")), row("barrier", mpi=("yes", "depends")), notes="Old note.")
M12 = matrix(
    "1.2",
    row("allreduce", nccl=("no", "yes")),
    row("send", gloo=("yes", "yes")),
    sources=("s2", "s1"),
)
MATRICES = model(matrices=[M10, M12])


def cells(line: MatrixLine) -> list[tuple[str | None, str]]:
    return [(c.old, c.value) for c in line.cells]


def test_the_matrix_of_one_release() -> None:
    view = backend_matrix(MATRICES, "1.0")
    assert (view.old, view.new.version, view.swapped) == (None, V10, False)
    assert view.rows[0] == MatrixLine(
        "send",
        (
            MatrixCell("gloo", "cpu", None, "yes"),
            MatrixCell("gloo", "gpu", None, "no"),
            MatrixCell("mpi", "cpu", None, "no"),
            MatrixCell("mpi", "gpu", None, "no"),
            MatrixCell("nccl", "cpu", None, "no"),
            MatrixCell("nccl", "gpu", None, "no"),
        ),
    )
    assert [r.operation for r in view.rows] == ["send", "barrier"]
    assert cells(view.rows[1]) == [(None, "no"), (None, "no"), (None, "yes"), (None, "depends"), (None, "no")] + [
        (None, "no")
    ]
    assert (view.notes, view.sources) == (("Old note.",), ("s1",))
    assert view.changed_cells == 0


def test_two_matrices_carry_the_old_value_in_each_cell() -> None:
    view = backend_matrix(MATRICES, "1.0", "1.2")
    assert (view.old.version, view.new.version, view.swapped) == (V10, V12, False)
    assert [r.operation for r in view.rows] == ["allreduce", "send", "barrier"]  # the new order, then what went
    no = ("no", "no")
    assert cells(view.rows[0]) == [no, no, no, no, no, ("no", "yes")]  # new: it was not supported before
    assert cells(view.rows[1]) == [("yes", "yes"), ("no", "yes"), no, no, no, no]
    assert cells(view.rows[2]) == [no, no, ("yes", "no"), ("depends", "no"), no, no]  # gone: not supported now
    assert view.changed_cells == 4
    assert view.notes == ("Old note.",)
    assert view.sources == ("s1", "s2")
    swapped = backend_matrix(MATRICES, "1.2", "1.0")
    assert swapped.swapped is True
    assert swapped._replace(swapped=False) == view
    same = backend_matrix(MATRICES, "1.2", "1.2")
    assert (same.swapped, same.old.version, same.new.version) == (False, V12, V12)
    assert same.notes == ()


def test_a_release_without_a_matrix_names_those_with_one() -> None:
    with pytest.raises(UnknownNameError) as caught:
        backend_matrix(MATRICES, "1.1")
    assert str(caught.value) == "release 1.1 has no backend matrix in the data; releases with one: 1.0, 1.2"
    with pytest.raises(UnknownNameError) as caught:
        backend_matrix(MATRICES, "1.0", "1.1")
    assert str(caught.value) == "release 1.1 has no backend matrix in the data; releases with one: 1.0, 1.2"
    with pytest.raises(UnknownNameError) as caught:
        backend_matrix(model(), "1.0")
    assert str(caught.value) == "release 1.0 has no backend matrix in the data; releases with one: none"


# -- search ---------------------------------------------------------------------------------


def hits(text: str, data=MODEL) -> list[tuple[str, ...]]:
    return [(h.release, h.area, h.kind, h.id, h.field, h.excerpt) for h in search(data, text).hits]


def test_search_names_the_field_and_the_release_of_the_statement_that_matched() -> None:
    assert hits("MORE") == [("1.2", "jit", "feature", "jit.a", "1.2 changed", "More.")]
    assert hits("torch.old") == [("1.1", "api", "feature", "api.old", "apis", "torch.old")]
    assert hits("again") == [("1.2", "dist", "feature", "dist.brief", "1.2 removed", "Dropped again.")]
    assert hits("jit.a title") == [("1.0", "jit", "feature", "jit.a", "title", "jit.a title")]
    assert hits("core") == [("1.2", "api", "feature", "api.new", "area", "api Core API")] + [
        ("1.1", "api", "feature", "api.old", "area", "api Core API")
    ]
    result = search(MODEL, "More")
    assert (result.text, result.hits[0].title) == ("More", "jit.a title")


def test_search_finds_projects_in_each_of_their_fields() -> None:
    assert hits("relates") == [
        ("1.1", "tool", "project", "ax", "relation", "How ax relates."),
        ("1.1", "ecosystem", "project", "bo", "relation", "How bo relates."),
        ("1.0", "cloud", "project", "cl", "relation", "How cl relates."),
    ]
    assert hits("ecosystem") == [("1.1", "ecosystem", "project", "bo", "kind", "ecosystem")]
    assert hits("example.org/cl") == [("1.0", "cloud", "project", "cl", "url", "https://example.org/cl")]
    assert hits("what bo") == [("1.1", "ecosystem", "project", "bo", "summary", "What bo is.")]
    alone = model(projects=[project("solo", notes="A quiet note.")])
    assert hits("quiet", alone) == [("", "tool", "project", "solo", "notes", "A quiet note.")]
    assert hits("solo", alone) == [("", "tool", "project", "solo", "name", "Solo")]


def test_every_word_must_be_somewhere_and_the_field_with_most_of_them_is_shown() -> None:
    assert hits("more nothing-like-this") == []
    split = model(features=[feature("f", "jit", say("1.1", "changed", "Alpha beta."), title="Gamma alpha")])
    assert hits("beta ALPHA", split) == [("1.1", "jit", "feature", "f", "1.1 changed", "Alpha beta.")]
    assert hits("gamma beta", split) == [("1.1", "jit", "feature", "f", "title", "Gamma alpha")]  # the first of equals
    noted = model(features=[feature("f", "jit", say("1.1", "added"), notes="A rare remark.")])
    assert hits("remark", noted) == [("1.1", "jit", "feature", "f", "notes", "A rare remark.")]
    assert hits("JIT", noted) == [("1.1", "jit", "feature", "f", "area", "jit JIT")]
    bare = model(features=[feature("g", "elsewhere", summary="Only words.")], areas={})
    assert hits("only", bare) == [("", "elsewhere", "feature", "g", "summary", "Only words.")]
    assert hits("elsewhere", bare) == [("", "elsewhere", "feature", "g", "area", "elsewhere")]


def test_search_in_ids_and_api_names() -> None:
    data = model(
        features=[
            feature("zeta-9", "jit", say("1.1", "added", "", "torch.alpha", "torch.beta"), title="Zed", summary="S.")
        ],
        projects=[project("omega-3", name="Om", summary="S.", relation="R.")],
    )
    assert hits("zeta-9", data) == [("1.1", "jit", "feature", "zeta-9", "id", "zeta-9")]
    assert hits("omega-3", data) == [("", "tool", "project", "omega-3", "id", "omega-3")]
    assert hits("beta", data) == [("1.1", "jit", "feature", "zeta-9", "apis", "torch.alpha torch.beta")]


def test_an_empty_search_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        search(MODEL, "  \t ")
    assert str(caught.value) == "search needs some text to look for"


def test_words_are_found_through_case_folding_with_offsets_of_the_original() -> None:
    assert find_words("Die Straße, STRASSE", ["strasse"]) == [(4, 10), (12, 19)]
    assert find_words("İx", ["x"]) == [(1, 2)]  # "İ" folds to two characters
    assert find_words("abcabc", ["bc", "ab"]) == [(0, 6)]  # touching spans merge
    assert find_words("ab ab", ["b", "ab"]) == [(0, 2), (3, 5)]
    assert find_words("aaaa", ["aa"]) == [(0, 4)]
    assert find_words("ab ab ab", ["ab"]) == [(0, 2), (3, 5), (6, 8)]  # every occurrence, in turn
    assert find_words("xyz", ["q"]) == []
    assert find_words("one two three", ["three", "one"]) == [(0, 3), (8, 13)]


LONG = (
    "The first part of this sentence is long enough to need a cut before the word "
    "needle appears, and the rest of it goes on for quite a while after that word too."
)


def test_a_long_value_shows_an_excerpt_around_the_first_word_with_marks() -> None:
    data = model(features=[feature("f", "jit", say("1.1", "changed", LONG))])
    (hit,) = search(data, "needle").hits
    assert hit == SearchHit(
        "1.1",
        "jit",
        "feature",
        "f",
        "f title",
        "1.1 changed",
        "…need a cut before the word needle appears, and the rest of it goes on for quite a…",
        ((28, 34),),
    )
    assert hit.excerpt[hit.marks[0][0] : hit.marks[0][1]] == "needle"


def test_marks_outside_the_excerpt_are_dropped_and_the_start_has_no_ellipsis() -> None:
    text = "needle " + "x" * 100 + " needle"
    data = model(features=[feature("f", "jit", say("1.1", "changed", text))])
    (hit,) = search(data, "needle").hits
    assert hit.excerpt == "needle…"  # the run of x is one word: cut whole
    assert hit.marks == ((0, 6),)


def test_an_excerpt_keeps_words_whole_and_strips_spaces() -> None:
    text = "word " * 10 + "  needle  " + "tail " * 20
    data = model(features=[feature("f", "jit", say("1.1", "changed", text))])
    (hit,) = search(data, "needle").hits
    assert hit.excerpt == "…word word word word word   needle  tail tail tail tail tail tail tail tail tail tail…"
    start = hit.excerpt.index("needle")
    assert hit.marks == ((start, start + 6),)
    short = model(features=[feature("f", "jit", say("1.1", "changed", "  a needle "))])
    (hit,) = search(short, "needle").hits
    assert (hit.excerpt, hit.marks) == ("a needle", ((2, 8),))
    start_at_one = "y" * 31 + "needle"  # the window starts one character in, with no space to cut at
    data = model(features=[feature("f", "jit", say("1.1", "changed", start_at_one))])
    (hit,) = search(data, "needle").hits
    assert (hit.excerpt, hit.marks) == ("…" + "y" * 30 + "needle", ((31, 37),))
    space_at_two = "yy " + "z" * 28 + "needle"
    data = model(features=[feature("f", "jit", say("1.1", "changed", space_at_two))])
    (hit,) = search(data, "needle").hits
    assert (hit.excerpt, hit.marks) == ("…" + "z" * 28 + "needle", ((29, 35),))
    unbroken = "y" * 40 + "needle" + "z" * 80
    data = model(features=[feature("f", "jit", say("1.1", "changed", unbroken))])
    (hit,) = search(data, "needle").hits
    assert hit.excerpt == "…" + "y" * 30 + "needle" + "z" * 54 + "…"
    assert hit.marks == ((31, 37),)
    space_after = "y" * 40 + "needle tail"  # the only space is after the word: the start is not cut there
    data = model(features=[feature("f", "jit", say("1.1", "changed", space_after))])
    (hit,) = search(data, "needle").hits
    assert (hit.excerpt, hit.marks) == ("…" + "y" * 30 + "needle tail", ((31, 37),))


# -- small records ----------------------------------------------------------------------------


def test_what_the_model_says_of_a_name_reads_as_one_line() -> None:
    note = ModelNote("api.old", V11, "deprecated", "Use new.", ("torch.new", "torch.newer"), ("s1",))
    assert str(note) == "deprecated in 1.1; use torch.new, torch.newer"
    assert str(note._replace(replaced_by=(), change="removed", release=V12)) == "removed in 1.2"


def test_doctor_counts_each_status_in_report_order() -> None:
    def check(status: str) -> ApiCheck:
        return ApiCheck("torch.x", "api", ("f",), status, "", ())

    result = DoctorResult("1.1.0", V11, "1.1.0", "/t", (), tuple(map(check, ["present", "missing", "present"])))
    assert (result.count("present"), result.count("missing"), result.count("removed")) == (2, 1, 0)
    assert list(result.counts().items()) == [("missing", 1), ("present", 2)]
