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

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from netplan.errors import Issue, ScenarioError
from netplan.model.system import (  # defined in the model layer, re-exported here
    ID_SEPARATORS,
    NETWORKS,
    SYSTEM_TIERS,
    SYSTEM_UNITS,
    USAGE_FREQUENCIES,
    USAGE_SCOPES,
    System,
    default_migration_weeks,
    default_system_id,
)

if TYPE_CHECKING:  # imported where used: reading files starts fast
    import networkx as nx
    import pandas as pd

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
    import graphlib

    edges = [(s.system_id, s.replaceable_by) for s in systems
             if s.replaceable_by in index and s.replaceable_by != s.system_id]
    try:  # the common case, no cycle, without importing networkx (netplan validate is fast)
        graphlib.TopologicalSorter({a: {b} for a, b in edges}).prepare()
        return
    except graphlib.CycleError:
        pass
    import networkx as nx

    g = nx.DiGraph()
    g.add_edges_from(edges)
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
        import pandas as pd

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
    import networkx as nx

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
    import networkx as nx

    cond = nx.condensation(dependency_graph(inventory))
    members = {c: tuple(sorted(cond.nodes[c]["members"])) for c in cond}
    # Edges point from a dependant to what it needs; reverse them to list needs first.
    order = nx.lexicographical_topological_sort(cond.reverse(copy=False),
                                                key=lambda c: members[c][0])
    return [members[c] for c in order if len(members[c]) >= min_size]

