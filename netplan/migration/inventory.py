"""The system inventory (政务信息系统情况清单): one validated record per government IT system.

A :class:`System` holds what the policy documents ask every department to list (name, function,
usage scope and frequency, approval, funding, builder and operator, network used) plus what a
migration plan needs (resources, data to move, dependencies, effort) and what the zombie triage
(:mod:`netplan.migration.triage`) judges by (last use, last O&M update, idle share, replacement).

An :class:`Inventory` is a frozen tuple of systems whose cross-references (``depends_on``,
``replaceable_by``) are checked when it is built; every problem is reported at once.
:func:`dependency_groups` turns dependency cycles into move groups that cut over together.

Files are read and written by :mod:`netplan.io.inventory_io`; nothing here touches a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated, Literal

import networkx as nx
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from netplan.errors import Issue, ScenarioError

__all__ = [
    "System",
    "Inventory",
    "dependency_groups",
    "dependency_graph",
    "check_systems",
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

    model_config = ConfigDict(frozen=True, extra="forbid")

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


def _default_locate(index: int, column: str) -> str:
    return f"systems[{index}].{column}"


def _close(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else ""


def check_systems(systems: Iterable[System], *,
                  locate: Callable[[int, str], str] | None = None,
                  known_ids: Iterable[str] = ()) -> list[Issue]:
    """Every cross-reference problem of a list of systems, one issue each.

    Checks: duplicate ids; a ``depends_on`` or ``replaceable_by`` id that is not in the list
    (the message names both systems and the hint suggests close ids); a system depending on or
    replaced by itself; systems naming each other as replacement in a cycle.

    Parameters
    ----------
    systems : iterable of System
    locate : callable, optional
        ``locate(index, field) -> str``: where system ``index``'s ``field`` is written, used as
        each issue's path (a reader passes ``"systems.csv row 7, column 依赖系统"``); default
        ``"systems[7].depends_on"``.
    known_ids : iterable of str
        Ids that exist but whose systems could not be built (bad rows already reported);
        references to them are not reported again.

    Returns
    -------
    list of Issue
        Empty when the systems are consistent.

    Examples
    --------
    >>> a = System(name="人口信息管理系统", department="市公安局")
    >>> b = System(name="警务综合平台", department="市公安局",
    ...            depends_on=("市公安局/人口信息系统",))
    >>> str(check_systems([a, b])[0])  # doctest: +NORMALIZE_WHITESPACE
    'systems[1].depends_on: system "市公安局/警务综合平台" depends on "市公安局/人口信息系统",
     which is not in the inventory; did you mean 市公安局/人口信息管理系统?'
    """
    systems = tuple(systems)
    where = locate or _default_locate
    issues: list[Issue] = []
    first: dict[str, int] = {}
    for i, s in enumerate(systems):
        if s.system_id in first:
            issues.append(Issue(where(i, "system_id"),
                                f'system id "{s.system_id}" is used twice (first at '
                                f'{where(first[s.system_id], "system_id")})',
                                "give every system its own id (or a distinct name in its "
                                "department)"))
        else:
            first[s.system_id] = i
    ids = set(first) | set(known_ids)
    for i, s in enumerate(systems):
        for dep in s.depends_on:
            if dep == s.system_id:
                issues.append(Issue(where(i, "depends_on"),
                                    f'system "{s.system_id}" depends on itself',
                                    "remove its own id from its dependencies"))
            elif dep not in ids:
                issues.append(Issue(where(i, "depends_on"),
                                    f'system "{s.system_id}" depends on "{dep}", which is not in '
                                    "the inventory",
                                    _close(dep, set(first) - {s.system_id})
                                    or "check the id or add the system"))
        rep = s.replaceable_by
        if rep is None:
            continue
        if rep == s.system_id:
            issues.append(Issue(where(i, "replaceable_by"),
                                f'system "{s.system_id}" names itself as its replacement',
                                "name another system, or leave it empty"))
        elif rep not in ids:
            issues.append(Issue(where(i, "replaceable_by"),
                                f'system "{s.system_id}" is replaceable by "{rep}", which is not '
                                "in the inventory",
                                _close(rep, set(first) - {s.system_id})
                                or "check the id or add the system"))
    issues.extend(_replacement_cycles(systems, first, where))
    return issues


def _replacement_cycles(systems: tuple[System, ...], index: dict[str, int],
                        where: Callable[[int, str], str]) -> Iterator[Issue]:
    g = nx.DiGraph()
    g.add_edges_from((s.system_id, s.replaceable_by) for s in systems
                     if s.replaceable_by in index and s.replaceable_by != s.system_id)
    for comp in sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1):
        chain = " → ".join([*comp, comp[0]])
        yield Issue(where(index[comp[0]], "replaceable_by"),
                    f"systems name each other as replacement in a cycle: {chain}",
                    "keep the replacement on the system that goes away only")


@dataclass(frozen=True)
class Inventory:
    """A validated, frozen inventory: a tuple of :class:`System` with unique ids.

    Parameters
    ----------
    systems : tuple of System
        In the order given (a list is turned into a tuple).
    name : str
        A label, e.g. the file it came from; not compared.

    Raises
    ------
    ScenarioError
        With one :class:`~netplan.errors.Issue` per problem found by :func:`check_systems`.

    Examples
    --------
    >>> inv = Inventory([System(name="A", department="市民政局"),
    ...                  System(name="B", department="市民政局", depends_on=("市民政局/A",))])
    >>> len(inv), inv.by_id["市民政局/B"].depends_on
    (2, ('市民政局/A',))
    """

    systems: tuple[System, ...]
    name: str = field(default="", compare=False)
    _index: Mapping[str, System] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        systems = tuple(self.systems)
        for i, s in enumerate(systems):
            if not isinstance(s, System):
                raise TypeError(f"systems[{i}] is a {type(s).__name__}, not a System")
        object.__setattr__(self, "systems", systems)
        issues = check_systems(systems)
        if issues:
            raise ScenarioError(issues, self.name or None)
        object.__setattr__(self, "_index",
                           MappingProxyType({s.system_id: s for s in systems}))

    @property
    def by_id(self) -> Mapping[str, System]:
        """Read-only mapping from system id to :class:`System`, in inventory order."""
        return self._index

    @property
    def ids(self) -> tuple[str, ...]:
        """System ids in inventory order."""
        return tuple(self._index)

    def __len__(self) -> int:
        return len(self.systems)

    def __iter__(self) -> Iterator[System]:
        return iter(self.systems)

    def __contains__(self, system_id: object) -> bool:
        return system_id in self._index

    def to_frame(self) -> pd.DataFrame:
        """One row per system, indexed by ``system_id``, one column per :class:`System` field.

        Dates are :class:`datetime.date` (or None), ``depends_on`` a tuple of ids, unknown
        ``idle_pct`` NaN. ``attrs["units"]`` maps numeric columns to their units.
        """
        columns = [f for f in System.model_fields if f != "system_id"]
        rows = [s.model_dump() for s in self.systems]
        df = pd.DataFrame(rows, columns=["system_id", *columns]).set_index("system_id")
        if not rows:
            df = df.astype({c: "int64" for c in ("vcpu", "criticality", "risk",
                                                   "migration_weeks")})
        df["idle_pct"] = df["idle_pct"].astype(float)
        df.attrs["units"] = dict(SYSTEM_UNITS)
        df.attrs["name"] = self.name or "inventory"
        return df

    def __str__(self) -> str:
        by_tier = {t: sum(s.tier == t for s in self.systems) for t in SYSTEM_TIERS}
        depts = len({s.department for s in self.systems})
        label = f"{self.name}: " if self.name else ""
        return (f"{label}{len(self)} systems of {depts} departments "
                f"({by_tier['city']} city, {by_tier['county']} county)")


def dependency_graph(inventory: Inventory) -> nx.DiGraph:
    """The dependency graph: an edge ``a → b`` when system ``a`` depends on ``b``."""
    g = nx.DiGraph()
    g.add_nodes_from(inventory.ids)
    g.add_edges_from((s.system_id, d) for s in inventory for d in s.depends_on)
    return g


def dependency_groups(inventory: Inventory, *, min_size: int = 1) -> list[tuple[str, ...]]:
    """The strongly connected components of the ``depends_on`` graph.

    Systems that depend on each other in a cycle cannot move one at a time: each component of
    more than one system is a *move group* that cuts over together. Every system is in exactly
    one component (a system outside any cycle is a group of one).

    Parameters
    ----------
    inventory : Inventory
    min_size : int
        Leave out components smaller than this; ``min_size=2`` gives only the move groups.

    Returns
    -------
    list of tuple of str
        Each group's ids sorted; the groups in dependency order (a group comes after every group
        it depends on), ties broken by the group's first id, so the order is deterministic.

    Examples
    --------
    >>> inv = Inventory([System(name="A", department="D", depends_on=("D/B",)),
    ...                  System(name="B", department="D", depends_on=("D/A",)),
    ...                  System(name="C", department="D", depends_on=("D/A",))])
    >>> dependency_groups(inv)
    [('D/A', 'D/B'), ('D/C',)]
    >>> dependency_groups(inv, min_size=2)
    [('D/A', 'D/B')]
    """
    cond = nx.condensation(dependency_graph(inventory))
    members = {c: tuple(sorted(cond.nodes[c]["members"])) for c in cond}
    # Edges point from a dependant to what it needs; reverse them to list needs first.
    order = nx.lexicographical_topological_sort(cond.reverse(copy=False),
                                                key=lambda c: members[c][0])
    return [members[c] for c in order if len(members[c]) >= min_size]

