"""Cloud node capacity: occupancy, utilisation, expansion, 缩容 and hosts, checked by hand."""

import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from netplan.capacity.cloud import cloud_capacity, hosts_needed  # noqa: E402
from netplan.errors import ScenarioError, UnknownNodeError  # noqa: E402
from netplan.examples import TINY_SCENARIO, tiny_migration  # noqa: E402
from netplan.migration.build import build_migration_project  # noqa: E402
from netplan.migration.inventory import Inventory, System  # noqa: E402
from netplan.migration.project import Schedule, SolveStatus, check_schedule  # noqa: E402
from netplan.migration.result import MigrationPlan  # noqa: E402
from netplan.model.capacity import HostType  # noqa: E402
from netplan.model.scenario import CloudExpansion, Scenario  # noqa: E402

CITY = {"tier": "city", "site": "甲市"}
A = "市公安局/A"
B = "市民政局/B"
C = "市卫生健康局/C"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scenario(floor=65.0, ceiling=85.0, shrink_idle=True, **cloud):
    """The tiny scenario with a 12-week migration and a small cloud node (100 vCPU ...)."""
    data = dict(TINY_SCENARIO)
    node = {"name": "政务云", "vcpu": 100, "memory_gb": 400, "storage_tb": 10,
            "uplink": "100M", "links": 2}
    node.update(cloud)
    data["cloud"] = [node]
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1}
    data["targets"] = dict(data["targets"], cloud_utilisation_min_pct=floor)
    data["capacity"] = {"cloud": {"ceiling_pct": ceiling, "shrink_idle": shrink_idle}}
    return Scenario.model_validate(data)


def _inventory(idle_b=96.0):
    """A on the cloud already; B (1 week) and C (2 weeks) to migrate; C's idle share unknown."""
    return Inventory((
        System(name="A", department="市公安局", vcpu=40, memory_gb=160, storage_tb=4,
               traffic_mbps=50, idle_pct=50, on_cloud=True, migration_weeks=2, **CITY),
        System(name="B", department="市民政局", vcpu=30, memory_gb=120, storage_tb=3,
               traffic_mbps=60, idle_pct=idle_b, migration_weeks=1, **CITY),
        System(name="C", department="市卫生健康局", vcpu=20, memory_gb=80, storage_tb=2,
               traffic_mbps=80, migration_weeks=2, **CITY),
    ))


def _plan(scenario, inventory):
    """B in week 0 (cut over at its end), C in weeks 1-2 (cut over at the end of week 2)."""
    mp = build_migration_project(scenario, inventory)
    index = {g.systems: k for k, g in enumerate(mp.groups)}
    starts = np.zeros(len(mp.groups), dtype=np.int64)
    starts[index[(B,)]] = 0
    starts[index[(C,)]] = 1
    check_schedule(mp.project, starts)
    return MigrationPlan(SolveStatus.FEASIBLE, Schedule(starts, SolveStatus.FEASIBLE, None,
                                                        None, 0.0, "hand"), mp)


@pytest.fixture(scope="module")
def hand():
    scenario, inventory = _scenario(), _inventory()
    return scenario, _plan(scenario, inventory)


def test_weekly_allocated_used_by_hand(hand):
    scenario, plan = hand
    df = cloud_capacity(scenario, plan).weekly
    assert len(df) == 12 and df["week"].tolist() == list(range(12))
    assert str(df["date"].iloc[0]) == "2020-01-12" and str(df["date"].iloc[-1]) == "2020-03-29"
    assert df["systems"].tolist() == [2, 2] + [3] * 10
    # weeks 0-1: A + B; A half idle, B 96 % idle -> used 20 + 1.2 vCPU
    assert df["vcpu_allocated"].tolist() == [70, 70] + [90] * 10
    assert df["vcpu_used"].iloc[0] == pytest.approx(21.2)
    assert df["memory_gb_used"].iloc[0] == pytest.approx(84.8)
    assert df["storage_tb_used"].iloc[0] == pytest.approx(2.12)
    assert df["vcpu_utilisation_pct"].iloc[0] == pytest.approx(100 * 21.2 / 70, abs=1e-4)
    # from week 2: + C, idle unknown = not idle -> used 41.2 of 90
    assert df["vcpu_used"].iloc[2] == pytest.approx(41.2)
    assert df["utilisation_pct"].iloc[-1] == pytest.approx(100 * 41.2 / 90, abs=1e-4)
    assert df["network_mbps_allocated"].tolist() == [110, 110] + [190] * 10
    assert df["network_mbps_capacity"].iloc[0] == 200  # 100M x 2 links
    assert df["vcpu_occupancy_pct"].tolist() == [70, 70] + [90] * 10
    assert df["occupancy_pct"].iloc[-1] == 95  # the network, 190 / 200


def test_expansion_week_and_amount_by_hand(hand):
    scenario, plan = hand
    e = cloud_capacity(scenario, plan).expansion.set_index("resource")
    # every resource is at 90 % (network 95 %) from week 2, over the 85 % ceiling
    assert e["week"].tolist() == [2, 2, 2, 2]
    assert str(e.loc["vcpu", "expand_by"]) == "2020-01-20"  # Monday of week 2
    # capacity needed = peak / 0.85, rounded up: 90 / .85 = 105.9 -> 106
    assert (e.loc["vcpu", "capacity_needed"], e.loc["vcpu", "added"]) == (106, 6)
    assert (e.loc["memory_gb", "capacity_needed"], e.loc["memory_gb", "added"]) == (424, 24)
    assert e.loc["storage_tb", "capacity_needed"] == pytest.approx(10.59)  # 10.588 up
    assert e.loc["storage_tb", "added"] == pytest.approx(0.59)
    assert (e.loc["network_mbps", "capacity_needed"], e.loc["network_mbps", "added"]) \
        == (224, 24)


def test_expansion_respects_planned_expansions_and_exact_ceiling():
    # 90 vCPU at an exact 90 % ceiling of 100: not over; memory 360 of 400 = 90 % too
    scenario = _scenario(ceiling=90, uplink="1G")
    cc = cloud_capacity(scenario, _plan(scenario, _inventory()))
    assert cc.expansion.empty
    # a planned expansion of 20 vCPU from week 1: 90 of 120 = 75 %, no vCPU row at 85 %
    scenario = _scenario(uplink="1G", memory_gb=1000, storage_tb=100)
    policy = scenario.migration.model_copy(update={"expansions": [
        CloudExpansion(date="2020-01-13", vcpu=20)]})
    scenario = scenario.model_copy(update={"migration": policy})
    cc = cloud_capacity(scenario, _plan(scenario, _inventory()))
    assert cc.weekly["vcpu_capacity"].tolist() == [100] + [120] * 11
    assert cc.expansion.empty


def test_shrink_revokes_the_idlest_first_by_hand(hand):
    scenario, plan = hand
    cc = cloud_capacity(scenario, plan)
    assert cc.floor_pct == 65 and cc.ceiling_pct == 85 and cc.shrink_target_pct == 75
    s = cc.shrink
    # B is 96 % idle (>= 95): revoked; then A + C use 40 of 60 = 66.7 % >= 65: stop
    assert s["system_id"].tolist() == [B]
    assert s["action"].tolist() == ["revoke"]
    assert s.iloc[0][["vcpu_freed", "memory_gb_freed", "storage_tb_freed"]].tolist() \
        == [30, 120, 3]
    assert cc.utilisation_pct == pytest.approx(100 * 41.2 / 90)
    assert cc.utilisation_after_shrink_pct == pytest.approx(100 * 40 / 60)
    assert {x.system_id for x in cc.shrunk_systems()} == {A, C}


def test_shrink_resizes_to_used_over_target_by_hand():
    scenario = _scenario()
    cc = cloud_capacity(scenario, _plan(scenario, _inventory(idle_b=90)))
    s = cc.shrink
    # B uses 3 vCPU, 12 GB, 0.3 TB; sized for 75 %: 4 vCPU, 16 GB, 0.4 TB
    assert s["action"].tolist() == ["shrink"]
    row = s.iloc[0]
    assert (row["vcpu_used"], row["vcpu_proposed"], row["vcpu_freed"]) == (3, 4, 26)
    assert (row["memory_gb_proposed"], row["memory_gb_freed"]) == (16, 104)
    assert row["storage_tb_proposed"] == pytest.approx(0.4)
    # 20 + 3 + 20 used of 40 + 4 + 20 allocated
    assert cc.utilisation_after_shrink_pct == pytest.approx(100 * 43 / 64)
    shrunk = {x.system_id: x for x in cc.shrunk_systems()}
    assert (shrunk[B].vcpu, shrunk[B].memory_gb) == (4, 16)


def test_shrink_goes_on_until_the_floor():
    # floor 70 -> target 80: B revoked (66.7 % < 70), then A (50 % idle) -> 20 / .8 = 25 vCPU
    scenario = _scenario(floor=70)
    cc = cloud_capacity(scenario, _plan(scenario, _inventory()))
    assert cc.shrink_target_pct == 80
    assert cc.shrink["system_id"].tolist() == [B, A]
    assert cc.shrink["vcpu_proposed"].tolist() == [0, 25]
    assert cc.shrink["memory_gb_proposed"].tolist() == [0, 100]
    assert cc.utilisation_after_shrink_pct == pytest.approx(100 * 40 / 45)


def test_violations_and_summary(hand):
    scenario, plan = hand
    cc = cloud_capacity(scenario, plan)
    v = cc.violations()
    assert list(v.columns) == ["where", "rule", "required", "provisioned", "shortfall",
                               "failure_state", "year"]
    assert sorted(v["rule"].value_counts().items()) == [("cloud_ceiling", 4),
                                                        ("cloud_utilisation", 3)]
    assert set(v["failure_state"]) == {"normal"} and set(v["year"]) == {2020}
    u = v[(v["rule"] == "cloud_utilisation") & v["where"].str.endswith("vCPU")].iloc[0]
    assert u["required"] == 65 and u["provisioned"] == pytest.approx(45.78)
    assert u["shortfall"] == pytest.approx(19.22)
    text = "\n".join(cc.summary())
    assert "扩容" in text and "week 2 (2020-01-20)" in text and "add 6" in text
    assert "缩容 of 1 systems (1 revoked)" in text and "66.7%" in text
    assert "1 of the 3 systems" in text  # C's idle share is unknown
    assert str(cc).startswith("Cloud capacity of 政务云")


def test_no_floor_no_shrink_and_shrink_idle_off():
    scenario = _scenario(floor=None)
    cc = cloud_capacity(scenario, _plan(scenario, _inventory()))
    assert cc.floor_pct is None and cc.shrink.empty
    assert (cc.violations()["rule"] == "cloud_utilisation").sum() == 0
    scenario = _scenario(shrink_idle=False)
    cc = cloud_capacity(scenario, _plan(scenario, _inventory()))
    assert cc.shrink.empty and cc.utilisation_after_shrink_pct == cc.utilisation_pct
    assert (cc.violations()["rule"] == "cloud_utilisation").sum() == 3
    assert any("no 缩容 proposed" in line for line in cc.summary())


def test_today_without_a_plan():
    scenario = _scenario()
    cc = cloud_capacity(scenario, inventory=_inventory())
    assert len(cc.weekly) == 1 and cc.weekly["date"].iloc[0] is None
    last = cc.final()
    assert (last["systems"], last["vcpu_allocated"], last["vcpu_used"]) == (1, 40, 20)
    assert cc.utilisation_pct == 50
    # A alone, 50 % idle: shrunk to 20 / .75 = 26.67 -> 27 vCPU, 80 / .75 -> 107 GB
    assert cc.shrink["vcpu_proposed"].tolist() == [27]
    assert cc.shrink["memory_gb_proposed"].tolist() == [107]
    assert cc.utilisation_after_shrink_pct == pytest.approx(100 * 20 / 27)
    with pytest.raises(ScenarioError, match="no migration plan"):
        cloud_capacity(scenario)
    with pytest.raises(UnknownNodeError, match="did you mean 政务云"):
        cloud_capacity(scenario, inventory=_inventory(), node="政务云x")
    assert cloud_capacity(scenario, inventory=_inventory(), node="政务云").node == "政务云"


# --------------------------------------------------------------------------- hosts


def _min_bins_by_enumeration(sizes, capacity):
    """Fewest bins over every assignment of items to bins 0..n-1 (tiny n only)."""
    n = len(sizes)
    best = n
    for assign in itertools.product(range(n), repeat=n):
        if assign[0] != 0 or max(assign) + 1 >= best:
            continue
        loads = np.zeros((n, len(capacity)))
        for i, b in enumerate(assign):
            loads[b] += sizes[i]
        if np.all(loads <= np.asarray(capacity) + 1e-9):
            best = max(assign) + 1
    return best


HOST_SYSTEMS = [("a", 40, 64), ("b", 30, 128), ("c", 20, 64), ("d", 30, 96), ("e", 10, 200),
                ("f", 24, 32)]


def _systems(rows, storage=None):
    return [System(name=n, department="市政务服务数据管理局", vcpu=v, memory_gb=m,
                   storage_tb=(storage or {}).get(n, 0.0)) for n, v, m in rows]


def test_hosts_needed_matches_enumeration():
    pytest.importorskip("netplan.capacity.binpack")
    host = HostType(vcpu=64, memory_gb=256)
    systems = _systems(HOST_SYSTEMS)
    sizes = np.array([[v, m] for _, v, m in HOST_SYSTEMS], dtype=float)
    want = _min_bins_by_enumeration(sizes, [64, 256])
    hp = hosts_needed(systems, host, time_limit_s=5)
    assert hp.n_hosts == want == 3
    assert hp.lower_bound <= hp.n_hosts and hp.status in (SolveStatus.OPTIMAL,
                                                          SolveStatus.FEASIBLE)
    # the tables agree with the assignment, and no host is over
    a = hp.assignment
    assert sorted(a["system_id"]) == sorted(s.system_id for s in systems)
    for h in hp.hosts.itertuples():
        on = a[a["host"] == h.host]
        assert (h.vcpu_used, h.memory_gb_used) == (on["vcpu"].sum(), on["memory_gb"].sum())
        assert h.vcpu_used <= 64 and h.memory_gb_used <= 256
    assert hp.to_frame()["n_systems"].sum() == len(systems)
    from netplan.capacity.binpack import check_packing

    check_packing(sizes, [64, 256], hp.packing)  # the packer's own certificate too
    assert "storage_tb_used" not in hp.hosts


def test_hosts_with_local_storage_and_errors():
    pytest.importorskip("netplan.capacity.binpack")
    # by storage alone each host holds one of these: 3 hosts, though vCPU/memory need 1
    rows = [("a", 4, 8), ("b", 4, 8), ("c", 4, 8)]
    systems = _systems(rows, storage={"a": 3, "b": 3, "c": 3})
    assert hosts_needed(systems, HostType(vcpu=64, memory_gb=256)).n_hosts == 1
    hp = hosts_needed(systems, HostType(vcpu=64, memory_gb=256, storage_tb=5))
    assert hp.n_hosts == 3 and "storage_tb_util_pct" in hp.hosts
    with pytest.raises(ScenarioError) as err:
        hosts_needed(_systems([("big", 80, 8), ("ok", 4, 8), ("fat", 4, 300)]),
                     HostType(vcpu=64, memory_gb=256))
    text = str(err.value)
    assert "市政务服务数据管理局/big" in text and "vCPU 80 > 64" in text
    assert "市政务服务数据管理局/fat" in text and "capacity.cloud.host" in text
    assert "/ok" not in text
    assert hosts_needed([], HostType(vcpu=64, memory_gb=256)).n_hosts == 0


# --------------------------------------------------------------------------- plots


def _lines(ax):
    """Every line of the figure (occupancy above, utilisation below)."""
    return [line for a in ax.figure.axes for line in a.lines]


def _hlines(ax, gid):
    return [line.get_ydata()[0] for line in _lines(ax) if line.get_gid() == gid]


def test_plot_cloud_utilisation_draws_the_result(hand):
    from netplan.plot.capacity import plot_cloud_utilisation

    scenario, plan = hand
    cc = cloud_capacity(scenario, plan)
    ax = plot_cloud_utilisation(cc)
    assert _hlines(ax, "ceiling") == [85] and _hlines(ax, "floor") == [65]
    occ = next(line for line in _lines(ax) if line.get_gid() == "occupancy:vcpu")
    assert occ.get_ydata().tolist() == cc.weekly["vcpu_occupancy_pct"].tolist()
    star = next(line for line in _lines(ax) if line.get_gid() == "after_shrink")
    assert star.get_ydata()[0] == pytest.approx(100 * 40 / 60)
    ax = plot_cloud_utilisation(cloud_capacity(_scenario(floor=None), plan))
    assert _hlines(ax, "floor") == []


@pytest.mark.parametrize("floor", [70.0, None])
def test_weekly_load_floor_follows_the_scenario(floor):
    from netplan.migration.plan import plan_migration
    from netplan.plot.migration import plot_weekly_load

    scenario, inventory = tiny_migration()
    targets = scenario.targets.model_copy(update={"cloud_utilisation_min_pct": floor})
    scenario = scenario.model_copy(update={"targets": targets})
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=5)
    axes = plot_weekly_load(plan, floor_pct=scenario.targets.cloud_utilisation_min_pct)
    assert _hlines(axes[1], "floor") == ([] if floor is None else [70.0])
    assert 65 not in [line.get_ydata()[0] for line in axes[1].lines
                      if len(set(line.get_ydata())) == 1 and line.get_gid() != "floor"]


# --------------------------------------------------------------------------- Meizhou


def test_meizhou_against_the_plan_and_inventory():
    from netplan.examples import meizhou_2020
    from netplan.io.inventory_io import read_inventory
    from netplan.migration.plan import plan_migration
    from netplan.migration.project import landing_use

    scenario = meizhou_2020()
    path = Path(scenario.inventory.path)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    inventory = read_inventory(path, encoding=scenario.inventory.encoding)
    plan = plan_migration(scenario, inventory)
    cc = cloud_capacity(scenario, plan)
    df = cc.weekly
    # every system on the cloud at the end: already there, or migrated by the plan
    on = {s.system_id for s in inventory.systems if s.on_cloud}
    on |= set(plan.to_frame()["system_id"])
    assert {s.system_id for s in cc.systems} == on
    by_id = inventory.by_id
    assert df["vcpu_allocated"].iloc[-1] == sum(by_id[i].vcpu for i in on)
    used = sum(by_id[i].memory_gb * (1 - (by_id[i].idle_pct or 0) / 100) for i in on)
    assert df["memory_gb_used"].iloc[-1] == pytest.approx(used)
    # the migration planner's landing use counts a system from the week after its cutover
    p = plan.shown_mp.project
    landed = landing_use(p, plan.starts)[0]
    already = sum(by_id[i].vcpu for i in plan.mp.already_on_cloud)
    assert np.allclose(df["vcpu_allocated"].to_numpy()[:-1] - already, landed[1:])
    # utilisation is below the 65 % floor; the 缩容 reaches it, idlest first
    assert cc.floor_pct == 65 and cc.utilisation_pct < 65 <= cc.utilisation_after_shrink_pct
    assert cc.shrink["idle_pct"].is_monotonic_decreasing
    assert (cc.shrink.loc[cc.shrink["action"] == "revoke", "idle_pct"] >= 95).all()
    assert cc.expansion.empty  # 2,600 of 6,000 vCPU
