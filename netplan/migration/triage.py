"""Zombie-system triage (僵尸系统清理) and the three lists (三张清单) of the Meizhou 2020 plan.

The plan (梅市府办函〔2020〕61号, task 1) asks every department to integrate or clean up "zombie"
systems, judged by five criteria, and to hand in three lists: the system inventory, the systems
to integrate or clean up, and the systems to connect to the sharing/exchange platform.
:func:`triage` decides one disposition per system and records why; :func:`three_lists` turns the
decisions into the three tables. Nothing here reads or writes a file
(:func:`netplan.io.inventory_io.write_three_lists` writes them).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from netplan.migration.inventory import SYSTEM_UNITS, Inventory, System
from netplan.model.system import TriagePolicy  # defined in the model layer, re-exported here

if TYPE_CHECKING:  # imported where used: reading files starts fast
    import pandas as pd

__all__ = [
    "Disposition",
    "TriagePolicy",
    "TriageDecision",
    "TriageResult",
    "triage",
    "three_lists",
    "CRITERIA",
    "THREE_LISTS",
]

#: The five zombie criteria of the documents (000, 001, 002): key → the documents' wording.
CRITERIA = {
    "detached": "与实际业务流程长期脱节",
    "replaceable": "功能可被其他系统替代",
    "idle": "所占用资源长期处于空闲状态",
    "stale": "运行维护停止更新服务",
    "small_low": "使用范围小、频度低",
}

#: The three lists: key in :func:`three_lists`' result → the documents' title.
THREE_LISTS = {
    "inventory": "政务信息系统情况清单",
    "cleanup": "需整合和清理的系统清单",
    "platform": "接入共享交换平台的系统清单",
}


class Disposition(enum.StrEnum):
    """What happens to a system: exactly one per system."""

    RETIRE = "retire"  # 清理: switched off
    INTEGRATE = "integrate"  # 整合: its function moves into another system, then it is off
    MIGRATE = "migrate"  # 迁移上云: moved to the government cloud
    KEEP = "keep"  # 保留: stays where it is (classified, or already on the cloud)


@dataclass(frozen=True)
class TriageDecision:
    """The disposition of one system and the evidence for it.

    Attributes
    ----------
    system_id : str
    disposition : Disposition
    reason : str
        The rule that decided it, in a few words.
    criteria : tuple of str
        Keys of the :data:`CRITERIA` met, in that order.
    evidence : tuple of str
        One sentence per criterion met, quoting the value and the threshold
        (``"资源闲置率 92% ≥ 80%"``).
    target : str or None
        For ``integrate``: the system that takes over the function (the end of a replacement
        chain).
    notes : tuple of str
        What else the planner must know (dependants to repoint, a zombie kept because others
        need it, data not filled in).
    """

    system_id: str
    disposition: Disposition
    reason: str
    criteria: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    target: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TriageResult:
    """One :class:`TriageDecision` per system of the inventory, in inventory order."""

    decisions: tuple[TriageDecision, ...]
    as_of: dt.date
    policy: TriagePolicy
    _index: Mapping[str, TriageDecision] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index",
                           MappingProxyType({d.system_id: d for d in self.decisions}))

    @property
    def by_id(self) -> Mapping[str, TriageDecision]:
        """Read-only mapping from system id to its decision."""
        return self._index

    def ids(self, disposition: Disposition | str) -> tuple[str, ...]:
        """Ids of the systems with this disposition, in inventory order."""
        disposition = Disposition(disposition)
        return tuple(d.system_id for d in self.decisions if d.disposition == disposition)

    def counts(self) -> dict[str, int]:
        """Number of systems per disposition (every disposition present, possibly 0)."""
        return {x.value: sum(d.disposition == x for d in self.decisions) for x in Disposition}

    def to_frame(self) -> pd.DataFrame:
        """One row per system, indexed by ``system_id``.

        Columns: ``disposition`` (its value), ``reason``, ``n_criteria`` (count), ``criteria``
        (keys joined by ``;``), ``evidence`` (joined by ``；``), ``target`` (``""`` unless
        integrated), ``notes`` (joined by ``；``).
        """
        import pandas as pd

        rows = [{
            "system_id": d.system_id,
            "disposition": d.disposition.value,
            "reason": d.reason,
            "n_criteria": len(d.criteria),
            "criteria": ";".join(d.criteria),
            "evidence": "；".join(d.evidence),
            "target": d.target or "",
            "notes": "；".join(d.notes),
        } for d in self.decisions]
        df = pd.DataFrame(rows, columns=["system_id", "disposition", "reason", "n_criteria",
                                         "criteria", "evidence", "target", "notes"])
        df = df.set_index("system_id")
        df["n_criteria"] = df["n_criteria"].astype("int64")
        df.attrs["units"] = {"n_criteria": "count"}
        df.attrs["as_of"] = self.as_of.isoformat()
        return df

    def __str__(self) -> str:
        c = self.counts()
        parts = ", ".join(f"{c[x.value]} {x.value}" for x in Disposition)
        return f"triage of {len(self.decisions)} systems as of {self.as_of}: {parts}"


def _months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (negative when later is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def _num(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.4g}"


def _criteria(s: System, policy: TriagePolicy,
              as_of: dt.date) -> tuple[list[str], list[str], list[str]]:
    """Criteria met (keys), their evidence, and notes on data that is missing."""
    met: list[str] = []
    evidence: list[str] = []
    notes: list[str] = []
    if s.last_used is None:
        notes.append("未填写最近使用日期，未判断是否与业务脱节")
    else:
        m = _months_between(s.last_used, as_of)
        if m >= policy.unused_months:
            met.append("detached")
            evidence.append(f"最近使用 {s.last_used}，距评估日 {as_of} 已 {m} 个月 ≥ "
                            f"{policy.unused_months} 个月")
    if s.replaceable_by is not None:
        met.append("replaceable")
        evidence.append(f"功能可被 {s.replaceable_by} 替代")
    if s.idle_pct is None:
        notes.append("未填写资源闲置率，未判断资源是否闲置")
    elif s.idle_pct >= policy.idle_pct_min:
        met.append("idle")
        evidence.append(f"资源闲置率 {_num(s.idle_pct)}% ≥ {_num(policy.idle_pct_min)}%")
    if s.last_update is None:
        notes.append("未填写最近更新日期，未判断运维是否停止")
    else:
        m = _months_between(s.last_update, as_of)
        if m >= policy.stale_months:
            met.append("stale")
            evidence.append(f"最近更新 {s.last_update}，距评估日 {as_of} 已 {m} 个月 ≥ "
                            f"{policy.stale_months} 个月")
    if s.usage_scope in policy.low_scopes and s.usage_frequency in policy.low_frequencies:
        met.append("small_low")
        evidence.append(f"使用范围 {s.usage_scope}、使用频度 {s.usage_frequency}（范围小、频度低）")
    return met, evidence, notes


def _in_use(s: System) -> tuple[Disposition, str]:
    """The disposition of a system that stays in use."""
    if s.on_cloud:
        return Disposition.KEEP, "already on cloud"
    return Disposition.MIGRATE, "in use: migrate to the cloud"


def triage(inventory: Inventory, policy: TriagePolicy | None = None, *,
           as_of: dt.date) -> TriageResult:
    """Decide for every system: retire, integrate, migrate or keep, with the evidence.

    The five criteria of the documents are evaluated for every system (:data:`CRITERIA`):

    - **detached** (与业务脱节): ``last_used`` is ``policy.unused_months`` whole months or more
      before ``as_of``;
    - **replaceable** (功能可替代): ``replaceable_by`` names another system;
    - **idle** (资源闲置): ``idle_pct >= policy.idle_pct_min``;
    - **stale** (运维停止更新): ``last_update`` is ``policy.stale_months`` whole months or more
      before ``as_of``;
    - **small_low** (范围小、频度低): ``usage_scope`` in ``policy.low_scopes`` *and*
      ``usage_frequency`` in ``policy.low_frequencies``.

    An unknown date or idle share does not count (a note says so). Rules, first match wins:

    1. classified (``classified``, or on the 涉密网 network) → **keep**: it stays where it is;
    2. replaceable → **integrate** into ``replaceable_by`` (whatever else it meets: a duplicate
       function goes away even when the system is busy);
    3. at least ``policy.zombie_min_criteria`` criteria met → **retire**;
    4. already on the cloud → **keep** ("already on cloud");
    5. otherwise → **migrate**.

    Then, so that nothing still needed is switched off silently:

    6. an integration target is followed along its own replacements to the system that stays
       (A → B → C: A and B integrate into C);
    7. a system to retire that is an integration target, or that a system staying in use
       (migrate or keep) depends on, is kept in use instead (**migrate**, or **keep** when on
       the cloud) with a note naming who needs it; repeated until nothing changes, since what
       it depends on is then needed too;
    8. an integrated system that others depend on gets a note to repoint them to its target.

    Parameters
    ----------
    inventory : Inventory
    policy : TriagePolicy, optional
        Default ``TriagePolicy()`` (12 months unused, 24 months without update, 80 % idle, 内部科室
        with 每年/很少, 2 criteria).
    as_of : datetime.date
        Reference date the months are counted to, e.g. the list deadline 2020-06-30.

    Returns
    -------
    TriageResult
        One decision per system, in inventory order; every system in exactly one disposition.

    Examples
    --------
    >>> from netplan.migration.inventory import System, Inventory
    >>> inv = Inventory([
    ...     System(name="OA", department="市民政局", idle_pct=92, usage_scope="内部科室",
    ...            usage_frequency="很少"),
    ...     System(name="救助", department="市民政局", idle_pct=10)])
    >>> result = triage(inv, as_of=dt.date(2020, 6, 30))
    >>> result.by_id["市民政局/OA"].disposition.value, result.by_id["市民政局/OA"].evidence[0]
    ('retire', '资源闲置率 92% ≥ 80%')
    >>> result.counts()
    {'retire': 1, 'integrate': 0, 'migrate': 1, 'keep': 0}
    """
    policy = policy or TriagePolicy()
    systems = inventory.by_id
    met: dict[str, list[str]] = {}
    evidence: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    disposition: dict[str, Disposition] = {}
    reason: dict[str, str] = {}
    for sid, s in systems.items():
        met[sid], evidence[sid], notes[sid] = _criteria(s, policy, as_of)
        if s.classified or s.network == "涉密网":
            disposition[sid] = Disposition.KEEP
            reason[sid] = ("classified (涉密): stays where it is" if s.classified else
                           "on the classified network (涉密网): stays where it is")
        elif s.replaceable_by is not None:
            disposition[sid] = Disposition.INTEGRATE
            reason[sid] = "function replaceable: integrate into its replacement"
        elif len(met[sid]) >= policy.zombie_min_criteria:
            disposition[sid] = Disposition.RETIRE
            reason[sid] = (f"zombie: {len(met[sid])} of 5 criteria met "
                           f"(≥ {policy.zombie_min_criteria})")
        else:
            disposition[sid], reason[sid] = _in_use(s)

    # 6. Follow replacement chains to the system that stays (Inventory forbids cycles).
    target: dict[str, str] = {}
    for sid in systems:
        if disposition[sid] != Disposition.INTEGRATE:
            continue
        t = systems[sid].replaceable_by
        via = []
        while disposition[t] == Disposition.INTEGRATE:
            via.append(t)
            t = systems[t].replaceable_by
        target[sid] = t
        if via:
            notes[sid].append(f"{' → '.join(via)} 也将整合，功能最终并入 {t}")

    # 7. Keep in use whatever an integration target is, or whatever a system in use needs.
    dependants: dict[str, list[str]] = {sid: [] for sid in systems}
    for sid, s in systems.items():
        for dep in s.depends_on:
            dependants[dep].append(sid)
    absorbs: dict[str, list[str]] = {}
    for sid, t in target.items():
        absorbs.setdefault(t, []).append(sid)
    for t, sources in absorbs.items():
        if disposition[t] == Disposition.RETIRE:
            disposition[t], _ = _in_use(systems[t])
            reason[t] = "zombie criteria met, but kept as an integration target"
            notes[t].append(f"是 {'、'.join(sources)} 的整合目标，不予清理")
    staying = (Disposition.MIGRATE, Disposition.KEEP)
    changed = True
    while changed:
        changed = False
        for sid in systems:
            if disposition[sid] != Disposition.RETIRE:
                continue
            needers = [d for d in dependants[sid] if disposition[d] in staying]
            if needers:
                disposition[sid], _ = _in_use(systems[sid])
                reason[sid] = "zombie criteria met, but systems in use depend on it"
                notes[sid].append(f"被 {'、'.join(needers)} 依赖，暂不清理")
                changed = True

    # 8. Dependants of an integrated system must switch to its target.
    for sid, t in target.items():
        users = [d for d in dependants[sid] if disposition[d] != Disposition.INTEGRATE]
        if users:
            notes[sid].append(f"{'、'.join(users)} 依赖本系统，整合后改为依赖 {t}")

    decisions = tuple(
        TriageDecision(system_id=sid, disposition=disposition[sid], reason=reason[sid],
                       criteria=tuple(met[sid]), evidence=tuple(evidence[sid]),
                       target=target.get(sid), notes=tuple(notes[sid]))
        for sid in systems
    )
    # Nothing lost: every system of the inventory in exactly one disposition.
    decided = [d.system_id for d in decisions]
    if decided != list(inventory.ids) or len(set(decided)) != len(inventory):
        raise AssertionError("triage lost or duplicated systems")  # pragma: no cover
    return TriageResult(decisions=decisions, as_of=as_of, policy=policy)


def three_lists(result: TriageResult, inventory: Inventory) -> dict[str, pd.DataFrame]:
    """The three lists (三张清单) of the Meizhou 2020 plan, as tables.

    Parameters
    ----------
    result : TriageResult
        The triage of ``inventory``.
    inventory : Inventory

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed as :data:`THREE_LISTS`, every table indexed by ``system_id``:

        ``"inventory"`` (政务信息系统情况清单)
            :meth:`Inventory.to_frame`: every system.
        ``"cleanup"`` (需整合和清理的系统清单)
            The systems to retire or integrate: ``name``, ``department``, ``tier``, ``site``,
            ``disposition``, ``target`` (for integrate), ``criteria`` (the documents' wording
            of each criterion met, joined by ``、``), ``evidence`` and ``notes`` (joined by
            ``；``).
        ``"platform"`` (接入共享交换平台的系统清单)
            The systems that stay in use (migrate and keep, which include every integration
            target): ``name``, ``department``, ``tier``, ``site``, ``disposition``,
            ``on_cloud``, ``platform_connected`` (already connected), ``absorbs`` (ids of the
            systems integrated into it, joined by ``;``) and ``notes``.

        ``len(cleanup) + len(platform) == len(inventory)``.

    Raises
    ------
    ValueError
        When ``result`` is not a triage of ``inventory`` (other system ids).
    """
    import pandas as pd

    if [d.system_id for d in result.decisions] != list(inventory.ids):
        raise ValueError("the triage result is not a triage of this inventory: their system "
                         "ids differ; run triage(inventory, ...) again")
    absorbs: dict[str, list[str]] = {}
    for d in result.decisions:
        if d.target is not None:
            absorbs.setdefault(d.target, []).append(d.system_id)
    cleanup, platform = [], []
    for d in result.decisions:
        s = inventory.by_id[d.system_id]
        base = {"system_id": s.system_id, "name": s.name, "department": s.department,
                "tier": s.tier, "site": s.site, "disposition": d.disposition.value}
        if d.disposition in (Disposition.RETIRE, Disposition.INTEGRATE):
            cleanup.append({**base, "target": d.target or "",
                            "criteria": "、".join(CRITERIA[c] for c in d.criteria),
                            "evidence": "；".join(d.evidence), "notes": "；".join(d.notes)})
        else:
            note = list(d.notes)
            if s.classified or s.network == "涉密网":
                note.insert(0, "涉密系统：对接方式须经保密审查")
            platform.append({**base, "on_cloud": s.on_cloud,
                             "platform_connected": s.platform_connected,
                             "absorbs": ";".join(absorbs.get(s.system_id, [])),
                             "notes": "；".join(note)})
    base_cols = ["system_id", "name", "department", "tier", "site", "disposition"]
    cleanup_df = pd.DataFrame(cleanup, columns=[*base_cols, "target", "criteria", "evidence",
                                                "notes"]).set_index("system_id")
    platform_df = pd.DataFrame(platform, columns=[*base_cols, "on_cloud", "platform_connected",
                                                  "absorbs", "notes"]).set_index("system_id")
    platform_df = platform_df.astype({"on_cloud": bool, "platform_connected": bool})
    inventory_df = inventory.to_frame()
    for key, df in (("inventory", inventory_df), ("cleanup", cleanup_df),
                    ("platform", platform_df)):
        df.attrs["name"] = THREE_LISTS[key]
        df.attrs["as_of"] = result.as_of.isoformat()
    inventory_df.attrs["units"] = dict(SYSTEM_UNITS)
    return {"inventory": inventory_df, "cleanup": cleanup_df, "platform": platform_df}
