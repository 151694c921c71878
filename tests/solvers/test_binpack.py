"""Bin packing (cloud hosts) when the solver runs out of time, is missing, fails or meets bad
numbers.

Every packing :func:`~netplan.capacity.binpack.pack` returns has passed
:func:`~netplan.capacity.binpack.check_packing`; here it is checked again, and its status
against its bound: ``optimal`` exactly when the hosts used equal a proven lower bound.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from netplan.capacity.binpack import check_packing, pack
from netplan.errors import InfeasiblePlanError, SolverUnavailableError
from tests.solvers.fakes import MissingSolver, RaisingSolver, UndefinedSolver


def triplets(m: int, seed: int = 1, cap: int = 1000) -> np.ndarray:
    """``3 m`` items that fill ``m`` hosts exactly, three each (Falkenauer's hard class)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(m):
        q, h = cap // 4, cap // 2
        a = int(rng.integers(q, h))
        b = int(rng.integers(q, min(h, cap - a - q) + 1))
        out += [a, b, cap - a - b]
    return np.array(out)


def assert_honest(p, sizes, capacity) -> None:
    check_packing(sizes, capacity, p)
    s = np.asarray(sizes, dtype=float).reshape(len(p.bin_of), -1)
    trivial = max(math.ceil(t - 1e-9) for t in s.sum(axis=0) / np.asarray(capacity, float))
    assert trivial <= p.lower_bound <= p.n_bins
    assert (p.status == "optimal") == (p.n_bins == p.lower_bound)


@pytest.mark.parametrize("solver", [None, "HiGHS"])
def test_time_limit_gives_a_checked_packing(solver):
    s = triplets(40)  # 40 hosts are enough, and hard to find in 0.3 s
    p = pack(s, [1000], time_limit_s=0.3, solver=solver)
    assert_honest(p, s, [1000])
    assert p.lower_bound == 40  # the items fill 40 hosts exactly: sum / capacity
    if p.status == "feasible":
        assert p.n_bins > 40


def test_missing_solver(monkeypatch):
    s = [[8, 16], [8, 48], [4, 40], [12, 20]]
    with pytest.raises(SolverUnavailableError, match="SOMETHING_NOT_INSTALLED"):
        pack(s, [16, 64], solver="SOMETHING_NOT_INSTALLED")
    with pytest.raises(SolverUnavailableError, match="GUROBI.*not available"):
        pack(s, [16, 64], solver=MissingSolver())
    # without highspy the HiGHS models are skipped, said; CP-SAT and the heuristics remain
    monkeypatch.setitem(sys.modules, "highspy", None)
    hard = np.random.default_rng(0).integers(20, 60, (14, 2))
    p = pack(hard, [100, 100], time_limit_s=1)
    assert_honest(p, hard, [100, 100])
    assert any("cannot be imported" in line and "pulp[highs]" in line for line in p.log)


@pytest.mark.parametrize("broken", [RaisingSolver, UndefinedSolver])
def test_failing_solver_keeps_the_heuristic_packing(broken):
    """14 items whose sizes sum to 560 x 562 (6 hosts at least); 7 is optimal (HiGHS and
    CP-SAT prove it), the first-fit heuristic finds 7. With the exact model failing nothing
    proves 7: it is reported feasible with bound 6."""
    s = np.random.default_rng(0).integers(20, 60, (14, 2))
    assert s.sum(axis=0).tolist() == [560, 562]
    p = pack(s, [100, 100], time_limit_s=1, solver=broken())
    assert_honest(p, s, [100, 100])
    assert (p.n_bins, p.lower_bound, p.status) == (7, 6, "feasible")
    assert any(line.startswith("exact model failed") and broken.name in line for line in p.log)


def test_item_larger_than_any_host_is_named():
    with pytest.raises(InfeasiblePlanError,
                       match=r"item 1 \(大数据平台\) needs 900 in dimension 0 but a host has "
                             r"only 96 .*use a larger host, or split"):
        pack([[8, 16], [900, 64]], [96, 512], names=["门户", "大数据平台"])


# An excess must be larger than the solvers' feasibility tolerances (HiGHS: 1e-7 on a row,
# relative to its scale) to be a fact: 1e6 + 1e-6 against 1e6 is a difference of 1e-12 of the
# row, which a solver may round either way (an xdist run packed it into one host). So the
# excesses below are 1e-6 of the host (1 in 1e6) or on a host of the items' own scale.
@pytest.mark.parametrize(("sizes", "capacity", "hosts"), [
    # 1e6 + 1 fills the host exactly; the second 1 needs a second one
    ([1e6, 1, 1], [1e6 + 1], 2),
    ([1e6, 1, 1], [1e6 + 2], 1),
    # tiny items on a tiny host: two of 1e-6 fill 2e-6, the third needs a second host
    ([1e-6, 1e-6, 1e-6], [2e-6], 2),
    # any two of these exceed 1e6 in some dimension (1e6 + 1, or 1.5e6): three hosts
    ([[1e6, 1], [1, 1e6], [5e5, 5e5]], [1e6, 1e6], 3),
])
def test_sizes_from_1e_minus_6_to_1e6(sizes, capacity, hosts):
    p = pack(sizes, capacity, time_limit_s=1)
    assert_honest(p, sizes, capacity)
    assert (p.n_bins, p.status) == (hosts, "optimal")


def test_cloud_hosts_needed_under_a_short_time_limit():
    from netplan.capacity.cloud import hosts_needed
    from netplan.migration.inventory import System
    from netplan.migration.project import SolveStatus
    from netplan.model.capacity import HostType

    sizes = triplets(20, seed=2, cap=96)  # vCPU triples that fill 96-vCPU hosts exactly
    systems = [System(name=f"s{i}", department="市政务服务数据管理局", vcpu=int(v),
                      memory_gb=8) for i, v in enumerate(sizes)]
    hp = hosts_needed(systems, HostType(vcpu=96, memory_gb=512), time_limit_s=0.2)
    assert hp.lower_bound == 20 and hp.n_hosts >= 20
    assert (hp.status is SolveStatus.OPTIMAL) == (hp.n_hosts == 20)
    assert sorted(hp.assignment["host"].value_counts().index) == list(range(1, hp.n_hosts + 1))
    assert (hp.hosts["vcpu_used"] <= 96).all()
    assert hp.hosts["vcpu_used"].sum() == sizes.sum()
