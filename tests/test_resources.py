"""The resource estimate: exact counts, monotone in size, and the early failure."""

from __future__ import annotations

import pytest

from netplan.errors import NetplanError
from netplan.examples import TINY_SCENARIO, tiny_scenario
from netplan.model.scenario import Scenario
from netplan.resources import (
    MEMORY_ENV,
    STAGES,
    _cgroup_available_mib,
    _meminfo_available_mib,
    available_memory_mib,
    check_resources,
    estimate_run_resources,
    scenario_size,
)
from netplan.topology import build_topology


def _synthetic(villages: int = 20, towns: int = 9) -> Scenario:
    """The tiny scenario's extranet over a generated two-province region."""
    data = dict(TINY_SCENARIO)
    data["region"] = {"name": "合成", "synthetic": {
        "provinces": 2, "cities": 3, "counties": 5, "towns": towns, "villages": villages,
        "seed": 3}}
    tiers = dict(data["extranet"]["tiers"])
    tiers["province"] = {"uplink": "10G", "carriers": 2}
    data["extranet"] = dict(data["extranet"], tiers=tiers)
    data.pop("inventory", None)
    data.pop("migration", None)
    return Scenario.model_validate(data)


def test_tiny_counts_by_hand():
    # examples.TINY_SCENARIO is documented as 25 nodes and 35 links, 6 villages
    size = scenario_size(tiny_scenario())
    assert (size.nodes, size.links, size.villages) == (25, 35, 6)


@pytest.mark.parametrize("make", [tiny_scenario, _synthetic], ids=["listed", "synthetic"])
def test_counts_match_the_built_topology(make):
    scenario = make()
    size = scenario_size(scenario)
    topo = build_topology(scenario)
    kinds = topo.nodes["kind"].value_counts()
    assert size.nodes == topo.n_nodes
    assert size.links == topo.n_links
    assert size.villages == int(kinds.get("village", 0))
    assert size.towns == int(kinds.get("town", 0))
    assert size.departments == int(kinds.get("department", 0))
    assert size.carriers == len(topo.carriers)
    # capacity: normal, each carrier down, each single line down
    assert size.failure_states == 1 + len(topo.carriers) + topo.n_links
    assert scenario_size(scenario, single_links=False).failure_states == 1 + len(topo.carriers)


def test_the_estimate_grows_with_the_region():
    small, large = _synthetic(villages=20), _synthetic(villages=20_000, towns=400)
    for stages in (["topology"], ["capacity"], ["simulation"], STAGES):
        a = estimate_run_resources(small, stages=stages, workers=1)
        b = estimate_run_resources(large, stages=stages, workers=1)
        assert b.peak_memory_mib > a.peak_memory_mib, stages
        assert b.seconds > a.seconds, stages
    # more stages never cost less
    one = estimate_run_resources(large, stages=["topology"], workers=1)
    every = estimate_run_resources(large, workers=1)
    assert every.peak_memory_mib >= one.peak_memory_mib
    assert every.seconds > one.seconds


def test_the_tiny_estimate_is_small():
    # one simulation worker: the estimate does not depend on this machine's CPUs
    est = estimate_run_resources(tiny_scenario(), workers=1)
    assert est.command == "netplan run"
    assert 0 < est.peak_memory_mib < 1024
    assert 0 < est.seconds < 120
    topo = estimate_run_resources(tiny_scenario(), stages=["topology"])
    assert topo.peak_memory_mib < 300  # a bare process with the stack imported: ~250 MiB
    # each simulation worker is a process of its own
    two = estimate_run_resources(tiny_scenario(), workers=2)
    assert two.peak_memory_mib > est.peak_memory_mib


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage"):
        estimate_run_resources(tiny_scenario(), stages=["topology", "topolgy"])


def test_check_raises_before_anything_runs_naming_the_figures():
    est = estimate_run_resources(tiny_scenario(), workers=1)
    assert est.peak_memory_mib < 1024  # said in MiB
    check_resources(est, available_mib=est.peak_memory_mib + 1)  # fits: nothing raised
    with pytest.raises(NetplanError) as info:
        check_resources(est, available_mib=10)
    text = str(info.value)
    assert text.startswith("tiny: netplan run needs about ")
    assert f"{est.peak_memory_mib:,.0f} MiB of memory" in text
    assert "this machine has 10 MiB available" in text
    assert "6 villages" in text and "35 links" in text
    assert MEMORY_ENV in text


def test_check_names_the_stages_that_fit():
    est = estimate_run_resources(_synthetic(villages=20_000, towns=400), workers=1)
    topology_mib = estimate_run_resources(_synthetic(villages=20_000, towns=400),
                                          stages=["topology"]).peak_memory_mib
    assert topology_mib < est.peak_memory_mib
    with pytest.raises(NetplanError, match="netplan topology"):
        check_resources(est, available_mib=(topology_mib + est.peak_memory_mib) / 2)


def test_environment_overrides_the_memory(monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "12")
    assert available_memory_mib() == (12.0, f"${MEMORY_ENV}")
    with pytest.raises(NetplanError, match=r"12 MiB available \(\$NETPLAN_MEMORY_MIB\)"):
        check_resources(estimate_run_resources(tiny_scenario(), workers=1))
    monkeypatch.setenv(MEMORY_ENV, "lots")
    with pytest.raises(NetplanError, match="NETPLAN_MEMORY_MIB='lots' is not a positive"):
        available_memory_mib()


def test_meminfo_and_cgroup_are_read(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683520 kB\nMemAvailable:    2097152 kB\n")
    assert _meminfo_available_mib(str(meminfo)) == 2048.0
    assert _meminfo_available_mib(str(tmp_path / "absent")) is None
    (tmp_path / "memory.max").write_text("max\n")
    assert _cgroup_available_mib(str(tmp_path)) is None
    (tmp_path / "memory.max").write_text(f"{4 * 1024**3}\n")
    (tmp_path / "memory.current").write_text(f"{1024**3}\n")
    assert _cgroup_available_mib(str(tmp_path)) == 3072.0
