"""Tests of netplan.capacity.binpack and netplan.io.binpack_io against independent references."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from netplan.capacity.binpack import (
    Packing,
    PackingViolation,
    check_packing,
    heuristic_packing,
    l2_bound,
    lower_bound,
    pack,
)
from netplan.errors import InfeasiblePlanError, InputFileError, ScenarioError
from netplan.io.binpack_io import read_binpack_csv, read_bpp, read_vbp

SHARED = Path("/work/shared/benchmarks/binpack")


def brute_force_bins(sizes: np.ndarray, capacity: np.ndarray) -> int:
    """Fewest bins by enumerating every set partition (restricted growth strings)."""
    n = len(sizes)
    best = n

    def grow(i: int, labels: list[int], loads: list[np.ndarray]):
        nonlocal best
        if len(loads) >= best:
            return
        if i == n:
            best = len(loads)
            return
        for b in range(len(loads)):
            if np.all(loads[b] + sizes[i] <= capacity):
                loads[b] = loads[b] + sizes[i]
                grow(i + 1, labels + [b], loads)
                loads[b] = loads[b] - sizes[i]
        grow(i + 1, labels + [len(loads)], loads + [sizes[i].copy()])

    grow(0, [], [])
    return best


@pytest.mark.parametrize("seed", range(6))
def test_pack_matches_brute_force_2d(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(10, 70, size=(7, 2))
    capacity = np.array([100, 100])
    expected = brute_force_bins(sizes, capacity)
    p = pack(sizes, capacity, time_limit_s=5, seed=0)
    check_packing(sizes, capacity, p)
    assert p.n_bins == expected
    assert p.lower_bound <= expected
    assert p.status == "optimal"  # 7 items: the exact model settles it


def test_pack_milp_fallback_proves_optimum():
    # first-fit decreasing needs 3 bins; 2 suffice (5+5 / 4+3+3) and volume proves 2
    sizes = np.array([[5], [4], [3], [3], [5]])
    expected = brute_force_bins(sizes, np.array([10]))
    p = pack(sizes, [10], time_limit_s=5, solver="HiGHS")
    check_packing(sizes, [10], p)
    assert expected == 2 and p.n_bins == 2 and p.status == "optimal"


def test_milp_proves_lower_bound_above_volume():
    # three items pairwise fit in each single dimension only: no two share a host
    sizes = np.array([[6, 1, 1], [1, 6, 6], [6, 6, 1], [1, 1, 6]])
    capacity = np.array([10, 10, 10])
    expected = brute_force_bins(sizes, capacity)
    for solver in (None, "HiGHS"):
        p = pack(sizes, capacity, time_limit_s=5, solver=solver)
        check_packing(sizes, capacity, p)
        assert p.n_bins == expected
        assert p.lower_bound == expected and p.status == "optimal"


def test_l2_bound_hand_example():
    # capacity 10: three 7s need a bin each; no 4 fits beside a 7 and the two 4s need one
    # more bin (L2 with K = 4: 3 + ceil(8 / 10) = 4); the volume bound is ceil(29/10) = 3
    sizes = [7, 7, 7, 4, 4]
    assert l2_bound(sizes, 10) == 4
    assert int(np.ceil(sum(sizes) / 10)) == 3
    assert brute_force_bins(np.array(sizes).reshape(-1, 1), np.array([10])) == 4
    assert lower_bound(np.array(sizes).reshape(-1, 1), [10]) == 4


def test_conflict_bound_vector():
    # every pair overflows some dimension (A+B, A+C in the first, B+C in the second), but
    # each dimension alone packs into 2 hosts, so volume and L2 say 2
    sizes = np.array([[6, 1], [5, 6], [5, 5]])
    assert max(l2_bound(sizes[:, k], 10) for k in range(2)) == 2
    assert brute_force_bins(sizes, np.array([10, 10])) == 3
    assert lower_bound(sizes, [10, 10]) == 3


def test_checker_catches_overfull_bin_and_bad_assignments():
    sizes = np.array([[6, 2], [5, 2], [3, 9]])
    cap = np.array([10, 10])
    with pytest.raises(PackingViolation, match="host 0 holds 11 in dimension 0"):
        check_packing(sizes, cap, [0, 0, 1])
    with pytest.raises(PackingViolation, match="dimension 1"):
        check_packing(sizes, cap, [0, 1, 1])
    with pytest.raises(PackingViolation, match="items"):
        check_packing(sizes, cap, [0, 1])
    bad = Packing(np.array([0, 1, 2]), 4, 3, "feasible", "test", 0.0, sizes, cap)
    with pytest.raises(PackingViolation, match="empty"):
        check_packing(sizes, cap, bad)
    check_packing(sizes, cap, [0, 1, 2])


def test_heuristic_and_to_frame():
    sizes = np.array([[8, 16], [8, 48], [4, 40], [12, 20]])
    bin_of, method = heuristic_packing(sizes, [16, 64])
    check_packing(sizes, [16, 64], bin_of)
    p = pack(sizes, [16, 64], names=["oa", "gis", "db", "web"])
    frame = p.to_frame()
    assert list(frame.columns) == ["items", "n_items", "load_0", "load_1", "util_0_pct",
                                   "util_1_pct"]
    assert frame["n_items"].sum() == 4
    assert frame["load_0"].sum() == 32 and frame["load_1"].sum() == 124
    assert set(",".join(frame["items"]).split(",")) == {"oa", "gis", "db", "web"}


def test_bad_input_raises_netplan_errors():
    with pytest.raises(InfeasiblePlanError, match="item 1 needs 12 in dimension 0"):
        pack([[3, 3], [12, 1]], [10, 10])
    with pytest.raises(ScenarioError, match="capacities"):
        pack([[3, 3]], [10, 10, 10])
    with pytest.raises(ScenarioError, match="negative"):
        pack([[3, -1]], [10, 10])
    p = pack(np.zeros((0, 2)), [10, 10])
    assert p.n_bins == 0 and p.status == "optimal"


def test_pack_deterministic_and_1d_shape():
    rng = np.random.default_rng(3)
    sizes = rng.integers(20, 100, size=40)
    a = pack(sizes, 150, time_limit_s=2, seed=1)
    b = pack(sizes, 150, time_limit_s=2, seed=1)
    check_packing(sizes, 150, a)
    assert a.n_bins == b.n_bins and a.lower_bound <= a.n_bins


def test_readers(tmp_path):
    bpp = tmp_path / "a.txt"
    bpp.write_text("3\n10\n4\n6\n5\n")
    inst = read_bpp(bpp)
    assert inst.sizes.ravel().tolist() == [4, 6, 5] and inst.capacity.tolist() == [10]
    vbp = tmp_path / "b.vbp"
    vbp.write_text("2\n10 8\n2\n4 3 2\n6 5 1\n")
    inst = read_vbp(vbp)
    assert inst.sizes.tolist() == [[4, 3], [4, 3], [6, 5]] and inst.capacity.tolist() == [10, 8]
    (tmp_path / "instances.csv").write_text(
        "instance,optimum,file\nA,2,a.txt\nB,,b.vbp\n")
    rows = read_binpack_csv(tmp_path / "instances.csv")
    assert [(r.name, r.optimum) for r in rows] == [("A", 2), ("B", None)]
    assert [r.name for r in read_binpack_csv(tmp_path / "instances.csv", only=["B"])] == ["B"]


def test_reader_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("3\n10\n4\nsix\n5\n")
    with pytest.raises(InputFileError, match=r"line 4: bad.txt: 'six' is not an integer"):
        read_bpp(bad)
    short = tmp_path / "short.vbp"
    short.write_text("2\n10 8\n2\n4 3 2\n")
    with pytest.raises(InputFileError, match="ends before"):
        read_vbp(short)
    with pytest.raises(InputFileError, match="not found"):
        read_bpp(tmp_path / "missing.txt")
    (tmp_path / "instances.csv").write_text("instance,optimum,file\nA,x,a.txt\n")
    with pytest.raises(InputFileError, match="row 1, column optimum"):
        read_binpack_csv(tmp_path / "instances.csv")


REAL = ["Falkenauer_u120_06", "panigrahy_class1_20_3_6", "panigrahy_class7_20_3_1"]


@pytest.mark.parametrize("name", REAL)
def test_real_instances_reach_optimum(name):
    csv = SHARED / "instances.csv"
    if not csv.exists():
        pytest.skip(f"{csv} not present")
    (inst,) = read_binpack_csv(csv, only=[name])
    p = pack(inst.sizes, inst.capacity, time_limit_s=6, seed=0)
    check_packing(inst.sizes, inst.capacity, p)
    assert p.n_bins == inst.optimum
    assert p.lower_bound <= inst.optimum


def test_brute_force_reference_itself():
    # the reference on a case small enough to reason about: 3 items of 6 in capacity 10
    assert brute_force_bins(np.array([[6], [6], [6]]), np.array([10])) == 3
    # and against an explicit enumeration of all assignments
    sizes = np.array([[4, 5], [5, 4], [6, 1], [2, 6]])
    cap = np.array([10, 10])
    best = min(
        len(set(a)) for a in itertools.product(range(4), repeat=4)
        if all(np.all(sizes[[i for i in range(4) if a[i] == b]].sum(axis=0) <= cap)
               for b in set(a)))
    assert brute_force_bins(sizes, cap) == best


def test_triplets_reach_volume_bound():
    # eight triplets that each fill a host exactly: the volume bound is 8 and the
    # construction packs 8, so 8 is the optimum; the constructive rules alone need 10
    rng = np.random.default_rng(7)
    items = []
    for _ in range(8):
        a = int(rng.integers(380, 491))
        b = int(rng.integers(250, (1000 - a) // 2 + 1))
        items += [a, b, 1000 - a - b]
    sizes = np.array(items)[rng.permutation(24)]
    assert sizes.sum() == 8 * 1000
    assert int(heuristic_packing(sizes, 1000)[0].max()) + 1 == 10
    p = pack(sizes, 1000, time_limit_s=8)
    check_packing(sizes, 1000, p)
    assert p.n_bins == 8 and p.status == "optimal"
