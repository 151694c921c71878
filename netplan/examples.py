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
    "TINY_SCENARIO",
]


def _folder() -> Path:
    return Path(str(resources.files("netplan") / "data" / "scenarios"))


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios."""
    return sorted(p.stem for p in _folder().glob("*.yaml"))


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
