"""Example scenarios shipped with netplan, loaded by name (never by a relative path).

Examples
--------
>>> from netplan.examples import list_scenarios
>>> "meizhou-2020" in list_scenarios()
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from netplan.model.scenario import Scenario

__all__ = [
    "list_scenarios",
    "scenario_path",
    "load_example",
    "meizhou_2020",
    "guangdong_2020",
    "national_synthetic",
    "tiny_scenario",
    "tiny_migration",
    "TINY_SCENARIO",
]


def _folder() -> Path:
    return Path(str(resources.files("netplan") / "data" / "scenarios"))


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios (sweep grids, ``*-sweep.yaml``, beside them are not)."""
    return sorted(p.stem for p in _folder().glob("*.yaml") if not p.stem.endswith("-sweep"))


def scenario_path(name: str) -> Path:
    """Path of a bundled scenario file, e.g. ``scenario_path("meizhou-2020")``."""
    path = _folder() / f"{name}.yaml"
    if not path.is_file():
        raise FileNotFoundError(
            f"no bundled scenario {name!r}; available: {', '.join(list_scenarios())}"
        )
    return path


def load_example(name: str) -> Scenario:
    """Load a bundled scenario by name."""
    from netplan.io.scenario_yaml import load_scenario

    return load_scenario(scenario_path(name))


def meizhou_2020() -> Scenario:
    """Meizhou (梅州市) 2020: 8 counties, ~110 towns, ~2,200 villages; the 2020 targets."""
    return load_example("meizhou-2020")


def guangdong_2020() -> Scenario:
    """Guangdong province (广东省): its 21 prefecture-level cities, for province-scale work."""
    return load_example("guangdong-2020")


def national_synthetic() -> Scenario:
    """A national-scale synthetic region (~2,800 counties, ~38,000 towns, ~490,000 villages)."""
    return load_example("national-synthetic")


#: A tiny scenario small enough to count by hand (25 nodes, 35 links); see the tests.
TINY_SCENARIO: dict = {
    "name": "tiny",
    "region": {
        "name": "甲市",
        "provinces": [
            {
                "name": "测试省",
                "cities": [
                    {
                        "name": "甲市",
                        "counties": [
                            {"name": "A县", "towns": [{"name": "A镇1", "villages": 3},
                                                     {"name": "A镇2", "villages": 2}]},
                            {"name": "B区", "towns": [{"name": "B街道", "villages": 1}]},
                        ],
                    }
                ],
            }
        ],
    },
    "extranet": {
        "carriers": ["电信", "联通"],
        "tiers": {
            "city": {"uplink": "1G", "carriers": 2, "latency_ms": 5},
            "county": {"uplink": "1G", "carriers": 2, "latency_ms": 2},
            "town": {"uplink": "200M", "carriers": 2, "latency_ms": 1},
            "village": {"uplink": "20M", "carriers": 1, "latency_ms": 1},
        },
        "departments": {
            "city": {"names": ["公安局", "卫生健康局"], "access": "100M", "carriers": 2},
            "county": {"count": 1, "access": "100M"},
            "town": {"count": 1, "access": "100M"},
        },
        "internet_egress": {"capacity": "10G", "carriers": 2},
    },
    "cloud": [{"name": "政务云", "vcpu": 1000, "memory_gb": 4000, "storage_tb": 100,
               "uplink": "10G"}],
    "exchange_platform": {"name": "共享交换平台", "uplink": "1G"},
    "targets": {"internet_egress": "10G", "backbone": "1G", "department_access": "100M"},
}


def tiny_scenario() -> Scenario:
    """The tiny hand-countable scenario :data:`TINY_SCENARIO`, validated."""
    return Scenario.model_validate(TINY_SCENARIO)


def tiny_migration():
    """The tiny scenario with a migration policy and an 8-system inventory, countable by hand.

    One team from Monday 2020-01-06 for 12 weeks; targets: 3 systems on the cloud by
    2020-02-02 (end of week 3) and all by 2020-03-29. Systems: 人口库 (2 weeks) and 警务通
    (1 week, depends on 人口库); 低保 and 救助 depend on each other (a move group, 1 week
    each); 旧OA is a zombie (idle, unused, unmaintained); 档案 is classified; 门户 is already
    on the cloud; 县医保 (A县, 1 week, 3 TB to move over the county's uplinks).

    Returns
    -------
    (Scenario, Inventory)
    """
    import datetime as dt

    from netplan.migration.inventory import Inventory, System

    data = dict(TINY_SCENARIO)
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1}
    data["targets"] = dict(data["targets"], systems_on_cloud=[
        {"by": "2020-02-02", "systems": 3}, {"by": "2020-03-29", "systems": "all"}])
    old = dt.date(2017, 1, 1)
    city = {"tier": "city", "site": "甲市"}
    systems = (
        System(name="人口库", department="市公安局", migration_weeks=2, vcpu=16, memory_gb=64,
               storage_tb=2, data_tb=1, criticality=5, **city),
        System(name="警务通", department="市公安局", migration_weeks=1, vcpu=8, memory_gb=16,
               storage_tb=0.5, depends_on=("市公安局/人口库",), criticality=4, **city),
        System(name="低保", department="市民政局", migration_weeks=1, vcpu=4, memory_gb=8,
               depends_on=("市民政局/救助",), **city),
        System(name="救助", department="市民政局", migration_weeks=1, vcpu=4, memory_gb=8,
               depends_on=("市民政局/低保",), **city),
        System(name="旧OA", department="市民政局", migration_weeks=1, idle_pct=95,
               last_used=old, last_update=old, **city),
        System(name="档案", department="市档案馆", migration_weeks=1, classified=True, **city),
        System(name="门户", department="市政务服务数据管理局", migration_weeks=1, on_cloud=True,
               vcpu=8, platform_connected=True, **city),
        System(name="县医保", department="A县医疗保障局", migration_weeks=1, vcpu=8, data_tb=3,
               tier="county", site="A县"),
    )
    return Scenario.model_validate(data), Inventory(systems)
