"""Inventory records and triage thresholds as validated scenario objects.

:class:`System` is one government IT system of the inventory (政务信息系统情况清单);
:class:`TriagePolicy` holds the thresholds of the five zombie criteria (``migration.triage`` in a
scenario file). Both live in the model layer so that a scenario is validated in full, triage
thresholds included, before anything runs; :mod:`netplan.migration.inventory` and
:mod:`netplan.migration.triage` re-export them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "System",
    "TriagePolicy",
    "default_system_id",
    "default_migration_weeks",
    "USAGE_SCOPES",
    "USAGE_FREQUENCIES",
    "NETWORKS",
    "SYSTEM_TIERS",
    "ID_SEPARATORS",
    "SYSTEM_UNITS",
]

#: Usage scopes (使用范围), widest first.
USAGE_SCOPES = ("全市", "跨部门", "本部门", "内部科室")
#: Usage frequencies (使用频度), most frequent first.
USAGE_FREQUENCIES = ("每日", "每周", "每月", "每季", "每年", "很少")
#: Networks a system runs on (使用网络).
NETWORKS = ("政务外网", "互联网", "业务专网", "涉密网", "局域网")
#: Tiers a system belongs to: a city department's or a county department's.
SYSTEM_TIERS = ("city", "county")
#: Characters that separate system ids in a ``depends_on`` list; an id must not contain them
#: (``、`` may appear inside an id, see :func:`netplan.io.inventory_io.read_inventory`).
ID_SEPARATORS = (";", "；", ",", "，", "\n")

UsageScope = Literal["全市", "跨部门", "本部门", "内部科室"]
UsageFrequency = Literal["每日", "每周", "每月", "每季", "每年", "很少"]
Network = Literal["政务外网", "互联网", "业务专网", "涉密网", "局域网"]
Text = Annotated[str, Field(max_length=500)]


def default_system_id(department: str, name: str) -> str:
    """The id a system gets when none is given: ``"<department>/<name>"``.

    Examples
    --------
    >>> default_system_id("市公安局", "人口信息管理系统")
    '市公安局/人口信息管理系统'
    """
    return f"{department}/{name}"


def default_migration_weeks(*, data_tb: float, storage_tb: float, criticality: int) -> int:
    """Migration effort in weeks by the size rule used when ``migration_weeks`` is not given.

    One week to deploy and test on the cloud, plus one week per 2 TB of data to move and verify
    (rounded to the nearest week, halves up: 0.9 TB adds none, 1 TB one, 5 TB three), plus one
    week when the storage footprint exceeds 10 TB (rebuilding it), plus one week of parallel
    running before cutover for a critical system (criticality >= 4).

    Parameters
    ----------
    data_tb : float
        Data volume to move, TB.
    storage_tb : float
        Storage in use, TB.
    criticality : int
        1 (low) .. 5 (critical).

    Returns
    -------
    int
        Weeks, >= 1.

    Examples
    --------
    >>> default_migration_weeks(data_tb=0, storage_tb=0.5, criticality=2)
    1
    >>> default_migration_weeks(data_tb=4.5, storage_tb=12, criticality=5)
    5
    """
    return (1 + math.floor(max(data_tb, 0.0) / 2.0 + 0.5) + (1 if storage_tb > 10 else 0)
            + (1 if criticality >= 4 else 0))


class System(BaseModel):
    """One government information system (政务信息系统) of the inventory.

    ``system_id`` defaults to ``"<department>/<name>"`` and ``migration_weeks`` to
    :func:`default_migration_weeks` of the system's data, storage and criticality. Dates of last
    use, last update and the idle share may be unknown (``None``); the triage then does not
    count the criterion they feed.

    Examples
    --------
    >>> s = System(name="人口信息管理系统", department="市公安局", data_tb=3.2, criticality=4)
    >>> s.system_id, s.migration_weeks
    ('市公安局/人口信息管理系统', 4)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, allow_inf_nan=False)

    system_id: Text = Field(
        min_length=1,
        description="Unique id (系统编号); default '<department>/<name>'. Must not contain "
        "; , or a line break (they separate ids in lists).",
    )
    name: Text = Field(min_length=1, description="System name (系统名称), e.g. 人口信息管理系统.")
    department: Text = Field(
        min_length=1, description="Owning department (所属部门), e.g. 市公安局."
    )
    function: Text = Field("", description="Main function (主要功能), free text.")
    usage_scope: UsageScope = Field(
        "本部门", description="Usage scope (使用范围): 全市, 跨部门, 本部门 or 内部科室."
    )
    usage_frequency: UsageFrequency = Field(
        "每日", description="Usage frequency (使用频度): 每日, 每周, 每月, 每季, 每年 or 很少."
    )
    approving_department: Text = Field("", description="Approving department (审批部门).")
    approval_date: dt.date | None = Field(None, description="Approval date (审批时间), ISO date.")
    funding_source: Text = Field("", description="Funding source (经费来源), e.g. 财政预算.")
    builder: Text = Field("", description="Builder (承建单位).")
    operator: Text = Field("", description="Operator for O&M (运维单位).")
    network: Network = Field(
        "政务外网",
        description="Network used (使用网络): 政务外网, 互联网, 业务专网, 涉密网 or 局域网.",
    )
    tier: Literal["city", "county"] = Field(
        "city", description="Whose system: a city department's ('city') or a county's ('county')."
    )
    site: Text = Field(
        "", description="Division the system serves (服务区域), e.g. 梅州市 or 梅江区; '' unknown."
    )
    vcpu: int = Field(0, ge=0, description="Virtual CPUs it needs on the cloud (count).")
    memory_gb: float = Field(0.0, ge=0, description="Memory it needs, GB.")
    storage_tb: float = Field(0.0, ge=0, description="Storage it needs, TB.")
    data_tb: float = Field(0.0, ge=0, description="Data volume to move to the cloud, TB.")
    traffic_mbps: float = Field(0.0, ge=0, description="Busy-hour traffic to its users, Mbps.")
    criticality: int = Field(
        3, ge=1, le=5, description="Importance (重要程度), 1 low .. 5 critical."
    )
    risk: int = Field(3, ge=1, le=5, description="Migration risk (风险等级), 1 low .. 5 high.")
    depends_on: tuple[str, ...] = Field(
        (), description="Ids of the systems it needs (依赖系统); duplicates are dropped."
    )
    last_update: dt.date | None = Field(
        None, description="Last O&M update (最近更新), ISO date; None unknown."
    )
    last_used: dt.date | None = Field(
        None, description="Last real business use (最近使用), ISO date; None unknown."
    )
    idle_pct: float | None = Field(
        None, ge=0, le=100, description="Share of its resources idle (资源闲置率), %; None unknown."
    )
    replaceable_by: str | None = Field(
        None, description="Id of a system that can take over its function (可替代系统)."
    )
    classified: bool = Field(False, description="Classified (涉密): must stay where it is.")
    on_cloud: bool = Field(False, description="Already on the government cloud (已上云).")
    platform_connected: bool = Field(
        False, description="Already connected to the sharing/exchange platform (已接入共享平台)."
    )
    migration_weeks: int = Field(
        ge=1,
        description="Migration effort, weeks (迁移周数); default by default_migration_weeks().",
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if not data.get("system_id") and isinstance(data.get("department"), str) \
                and isinstance(data.get("name"), str):
            data["system_id"] = default_system_id(data["department"], data["name"])
        if data.get("migration_weeks") is None:
            try:
                data["migration_weeks"] = default_migration_weeks(
                    data_tb=float(data.get("data_tb", 0.0)),
                    storage_tb=float(data.get("storage_tb", 0.0)),
                    criticality=int(data.get("criticality", 3)),
                )
            except (TypeError, ValueError):
                data["migration_weeks"] = 1  # the bad field itself is reported by validation
        return data

    @field_validator("system_id")
    @classmethod
    def _id_has_no_separator(cls, v: str) -> str:
        bad = [c for c in ID_SEPARATORS if c in v]
        if bad or v != v.strip():
            shown = "a line break" if bad == ["\n"] else " ".join(repr(c) for c in bad)
            raise ValueError(
                f'system id "{v}" ' + (f"contains {shown}, which separate ids in lists"
                                       if bad else "has spaces at its ends")
                + "; give the system an id without them"
            )
        return v

    @field_validator("depends_on")
    @classmethod
    def _unique_ids(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not x.strip() for x in v):
            raise ValueError("depends_on holds an empty id")
        return tuple(dict.fromkeys(x.strip() for x in v))

    @field_validator("replaceable_by")
    @classmethod
    def _empty_is_none(cls, v: str | None) -> str | None:
        return (v.strip() or None) if v is not None else None


#: Unit of every numeric inventory column (``DataFrame.attrs["units"]`` of the tables).
SYSTEM_UNITS = {
    "vcpu": "vCPU",
    "memory_gb": "GB",
    "storage_tb": "TB",
    "data_tb": "TB",
    "traffic_mbps": "Mbps",
    "criticality": "1-5",
    "risk": "1-5",
    "idle_pct": "%",
    "migration_weeks": "weeks",
}



class TriagePolicy(BaseModel):
    """Thresholds of the five zombie criteria; every one has the default the docstring states.

    Examples
    --------
    >>> TriagePolicy().idle_pct_min, TriagePolicy(unused_months=6).unused_months
    (80.0, 6)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, allow_inf_nan=False)

    unused_months: int = Field(
        12, ge=1, description="Detached from the business process (与业务脱节) when the last "
        "real use is this many whole months or more before the reference date; months."
    )
    stale_months: int = Field(
        24, ge=1, description="O&M stopped (运维停止更新) when the last update is this many whole "
        "months or more before the reference date; months."
    )
    idle_pct_min: float = Field(
        80.0, ge=0, le=100, description="Resources idle (资源闲置) when idle_pct is at least "
        "this; %."
    )
    low_scopes: tuple[str, ...] = Field(
        ("内部科室",), description="Usage scopes that count as small (范围小)."
    )
    low_frequencies: tuple[str, ...] = Field(
        ("每年", "很少"), description="Usage frequencies that count as low (频度低)."
    )
    zombie_min_criteria: int = Field(
        2, ge=1, le=5, description="A system meeting at least this many of the five criteria "
        "is a zombie and is retired (count)."
    )

    @field_validator("low_scopes")
    @classmethod
    def _scopes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [x for x in v if x not in USAGE_SCOPES]
        if bad:
            raise ValueError(_not_in(bad, "usage scopes", USAGE_SCOPES))
        return v

    @field_validator("low_frequencies")
    @classmethod
    def _frequencies(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [x for x in v if x not in USAGE_FREQUENCIES]
        if bad:
            raise ValueError(_not_in(bad, "usage frequencies", USAGE_FREQUENCIES))
        return v


def _not_in(bad: list[str], what: str, allowed: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{v}"' for v in bad)
    return f"not {what}: {quoted}; use any of {', '.join(allowed)}"
