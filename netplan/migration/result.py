"""The result of migration planning: :class:`MigrationPlan`, what a project manager reports on.

A plan holds the schedule that meets every dated target, or — when there is none — the
*relaxed* plan: the same project without the dated targets, on a grid extended until every
system fits, so that the report can say when the migration would end and when each target's
count would be reached. Tables (:meth:`MigrationPlan.to_frame`, ``milestones``,
``weekly_load``, ``progress``) show the schedule when there is one, else the relaxed plan;
:meth:`MigrationPlan.summary` says plainly which one and whether the targets are met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netplan.migration.build import MigrationProject
from netplan.migration.project import Schedule, SolveStatus, landing_use, resource_use

if TYPE_CHECKING:
    from netplan.model.scenario import Scenario

__all__ = ["MigrationPlan"]


@dataclass(frozen=True)
class MigrationPlan:
    """A migration schedule with everything a project manager reports on.

    Attributes
    ----------
    status : SolveStatus
        Of the plan with the dated targets: ``INFEASIBLE`` when no plan can meet them (proven
        by a lower bound, by the solver, or a target larger than the inventory),
        ``NO_SOLUTION`` when the search found none without a proof.
    schedule : Schedule
        The scheduler's result (starts per move group, objective, bound, gap, runtime);
        ``starts`` is None when no plan meets the targets.
    mp : MigrationProject
        The project it solved and the mapping to systems.
    explanation : list of str
        Why the milestones cannot be met (empty when they are).
    relaxed : Schedule, optional
        When no plan meets the targets: a plan of every system without them (every other
        limit holds), on ``relaxed_mp``'s grid; None when even that does not exist (the cloud
        cannot hold every system), and then ``explanation`` says why.
    relaxed_mp : MigrationProject, optional
        The project ``relaxed`` solves: the same move groups, its grid extended until every
        system fits, no milestones.
    """

    status: SolveStatus
    schedule: Schedule
    mp: MigrationProject
    explanation: list[str] = field(default_factory=list)
    relaxed: Schedule | None = None
    relaxed_mp: MigrationProject | None = None

    @property
    def feasible(self) -> bool:
        """True when a schedule meeting every constraint and milestone was found."""
        return self.schedule.starts is not None

    @property
    def shown_mp(self) -> MigrationProject:
        """The project of the plan shown: ``mp``, or ``relaxed_mp`` for the relaxed plan."""
        if self.schedule.starts is None and self.relaxed is not None \
                and self.relaxed_mp is not None:
            return self.relaxed_mp
        return self.mp

    @property
    def starts(self) -> np.ndarray | None:
        """Start week per move group of the plan shown: the schedule, else the relaxed one."""
        if self.schedule.starts is not None:
            return self.schedule.starts
        return None if self.relaxed is None else self.relaxed.starts

    @property
    def finish_date(self) -> dt.date | None:
        """The Sunday the last system of the plan shown is on the cloud (None without a plan)."""
        days = self._cutover_days()
        return max(days) if days else None

    def infeasible_error(self):
        """The :class:`~netplan.errors.InfeasiblePlanError` of a plan that misses its targets.

        None when the plan meets them. Its message says whether that no plan exists is proven
        (``INFEASIBLE``) or only that the search found none, lists the reasons of
        :attr:`explanation` (which target, by how much) and what to change; with a relaxed
        plan, when the migration would be done without the dated targets.

        Examples
        --------
        >>> import datetime as dt
        >>> from netplan.examples import tiny_migration
        >>> from netplan.migration.plan import plan_migration
        >>> from netplan.model.scenario import CloudTarget
        >>> scenario, inventory = tiny_migration()
        >>> t = scenario.targets.model_copy(update={"systems_on_cloud": [
        ...     CloudTarget(by=dt.date(2020, 1, 26), systems="all")]})
        >>> plan = plan_migration(scenario.model_copy(update={"targets": t}), inventory,
        ...                       backend="heuristic", time_limit_s=2)
        >>> plan.infeasible_error().reasons[0].split(": ")[0]
        'all systems by 2020-01-26'
        """
        from netplan.errors import InfeasiblePlanError

        if self.feasible:
            return None
        s = self.schedule
        if self.status is SolveStatus.INFEASIBLE:
            head = f"no migration plan with {self.teams_text()} can meet every dated target"
        else:
            stop = f", stopped by its {s.stopped_by}" if s.stopped_by else ""
            head = (f"the {s.backend} search found no migration plan meeting every dated target "
                    f"in {s.runtime_s:.1f} s{stop} (that none exists is not proven)")
        hint = ("add teams, move the target dates later, lower the targets, or plan a cloud "
                "expansion, as the reasons say")
        finish = self.finish_date
        if self.relaxed is not None and finish is not None:
            hint += (f"; without the dated targets the last system would be on the cloud on "
                     f"{finish}")
        return InfeasiblePlanError(head, reasons=self.explanation, hint=hint)

    # ------------------------------------------------------------------ tables

    def to_frame(self) -> pd.DataFrame:
        """One row per system to migrate: group, weeks and dates of start and cutover."""
        rows = []
        starts = self.starts
        grid = self.mp.grid
        inv = self.mp.inventory.by_id
        for k, g in enumerate(self.mp.groups):
            s = None if starts is None else int(starts[k])
            for sid in g.systems:
                sys = inv[sid]
                rows.append({
                    "system_id": sid, "name": sys.name, "department": sys.department,
                    "tier": sys.tier, "group": "+".join(g.systems) if len(g.systems) > 1 else "",
                    "start_week": s,
                    "cutover_week": None if s is None else s + g.duration_weeks - 1,
                    "start_date": None if s is None else grid.monday(s),
                    "cutover_date": None if s is None else grid.sunday(s + g.duration_weeks - 1),
                    "duration_weeks": g.duration_weeks, "teams": g.teams, "data_tb": sys.data_tb,
                    "vcpu": sys.vcpu, "criticality": sys.criticality, "risk": sys.risk,
                })
        df = pd.DataFrame(rows)
        if len(df) and starts is not None:
            df = df.sort_values(["start_week", "department", "system_id"], kind="stable")
        df.attrs["unit"] = {"week": "weeks from " + str(grid.start)}
        return df.reset_index(drop=True)

    def milestones(self) -> pd.DataFrame:
        """Per dated target: systems required, on the cloud by then, met, slack, date reached.

        ``slack_weeks`` is how many weeks before the deadline the last system needed to reach
        the count cut over (negative when late); ``reached_on`` the Sunday the count is
        reached in the plan shown (None when it never is: a target larger than the inventory,
        or no plan at all).
        """
        already = len(self.mp.already_on_cloud) + len(self.mp.done)
        cut = sorted(self._cutover_days())
        start = self.mp.grid.start
        rows = []
        for name, day, want in self.mp.milestone_targets:
            on = already + sum(1 for d in cut if d <= day)
            slack, reached = None, None
            if want <= already:
                reached = start
            elif len(cut) >= want - already:
                reached = cut[want - already - 1]
                slack = (day - reached).days // 7
            rows.append({"milestone": name, "date": day, "required": want, "on_cloud": on,
                         "met": on >= want, "slack_weeks": slack, "reached_on": reached})
        return pd.DataFrame(rows, columns=["milestone", "date", "required", "on_cloud", "met",
                                           "slack_weeks", "reached_on"])

    def _cutover_days(self) -> list[dt.date]:
        if self.starts is None:
            return []
        days = []
        for k, g in enumerate(self.mp.groups):
            day = self.mp.grid.sunday(int(self.starts[k]) + g.duration_weeks - 1)
            days.extend([day] * len(g.systems))
        return days

    def weekly_load(self) -> pd.DataFrame:
        """Per week of the plan shown: resources used and available, cloud occupation.

        Teams, cutover slots and transfer GB per path, used and capacity; cloud vCPU, memory
        and storage occupied and capacity. Uses :func:`~netplan.migration.project.resource_use` and
        :func:`~netplan.migration.project.landing_use` (the same functions that check a
        schedule); all zero when there is no plan.
        """
        p = self.shown_mp.project
        H = p.horizon
        grid = self.shown_mp.grid
        df = pd.DataFrame({"week": np.arange(H), "monday": [grid.monday(w) for w in range(H)]})
        starts = self.starts
        use = (resource_use(p, starts) if starts is not None
               else np.zeros((p.n_resources, H), dtype=np.int64))
        landed = (landing_use(p, starts) if starts is not None
                  else np.zeros((p.landing_capacity.shape[0], H)))
        for r, name in enumerate(p.resource_names):
            unit = "" if r < 2 else "_gb"
            df[f"{name}{unit}_used"] = use[r]
            df[f"{name}{unit}_capacity"] = p.capacity[r]
        for k, name in enumerate(p.landing_names):
            df[f"cloud {name} used"] = landed[k]
            df[f"cloud {name} capacity"] = p.landing_capacity[k]
        return df

    def platform_connections(self, scenario: Scenario | None = None, *,
                             per_week: int | None = None,
                             start: dt.date | None = None) -> pd.DataFrame:
        """When each system in use connects to the exchange platform (共享交换平台接入).

        Every system in use must connect (``must_connect``: disposition migrate or keep;
        retired and integrated systems are switched off and need not). The rule, one line per
        system (``rule``):

        - connected already (``platform_connected`` in the inventory): no date needed;
        - to migrate: connects at its cutover (the Sunday it is on the cloud, in the plan
          shown); one migrated before the plan (``done``) by the plan start; none without a
          plan;
        - kept and not connected (it stays where it is): ``per_week`` of them connect per
          week, in order of criticality (highest first) then system id, from ``start``: week
          ``k``'s systems are connected on its last day, ``start + 7k + 6`` days. No team or
          window is scheduled for it.

        Parameters
        ----------
        scenario : Scenario, optional
            Gives the defaults of ``per_week`` (``exchange_platform.connections_per_week``)
            and ``start`` (the day after the earliest ``platform_upgrade`` timeline date).
        per_week : int, optional
            Kept systems connected per week (default from the scenario, else
            :data:`~netplan.model.scenario.DEFAULT_CONNECTIONS_PER_WEEK`).
        start : date, optional
            First day of the connections of kept systems; never before the plan start (the
            grid's first Monday), which is also the default without a platform upgrade date.

        Returns
        -------
        pandas.DataFrame
            Columns ``system_id``, ``name``, ``department``, ``disposition``,
            ``must_connect``, ``connected_already``, ``planned_date`` (None when connected
            already, not to connect, or no plan) and ``rule``; in inventory order.

        Examples
        --------
        >>> from netplan.examples import tiny_migration
        >>> from netplan.migration.plan import plan_migration
        >>> scenario, inventory = tiny_migration()
        >>> df = plan_migration(scenario, inventory).platform_connections(scenario)
        >>> kept = df[df["disposition"] == "keep"]
        >>> [(r.name, str(r.planned_date), r.rule[:5]) for r in kept.itertuples()]
        [('档案', '2020-01-12', 'kept:'), ('门户', 'None', 'conne')]
        """
        from netplan.model.scenario import DEFAULT_CONNECTIONS_PER_WEEK

        mp = self.mp
        first = mp.grid.start
        if per_week is None:
            platform = scenario.exchange_platform if scenario is not None else None
            per_week = (platform.connections_per_week if platform is not None
                        else DEFAULT_CONNECTIONS_PER_WEEK)
        if per_week < 1:
            raise ValueError(f"per_week={per_week} must be >= 1")
        if start is None and scenario is not None:
            ups = [t.date for t in scenario.targets.full_timeline()
                   if t.kind == "platform_upgrade"]
            start = min(ups) + dt.timedelta(days=1) if ups else None
        begin = max(start or first, first)
        disposition = {d.system_id: d.disposition.value for d in mp.triage.decisions}
        cut = dict(zip([s for g in mp.groups for s in g.systems], self._cutover_days(),
                       strict=False)) if self.starts is not None else {}
        done = set(mp.done)
        inv = mp.inventory
        queue = sorted((s for s in inv.systems if disposition[s.system_id] == "keep"
                        and not s.platform_connected),
                       key=lambda s: (-s.criticality, s.system_id))
        rank = {s.system_id: k for k, s in enumerate(queue)}
        queued = {i: begin + dt.timedelta(days=7 * (k // per_week) + 6) for i, k in rank.items()}
        rows = []
        for sys in inv.systems:
            sid = sys.system_id
            d = disposition[sid]
            must = d in ("migrate", "keep")
            when = None
            if not must:
                rule = f"{d}: switched off, not connected"
            elif sys.platform_connected:
                rule = "connected already"
            elif d == "migrate" and sid in done:
                when, rule = first, "migrated before the plan: connected by the plan start"
            elif d == "migrate":
                when = cut.get(sid)
                rule = "connects at its cutover" + ("" if when else " (no plan)")
            else:
                when = queued[sid]
                rule = (f"kept: {per_week} per week from {begin}, by criticality then id "
                        f"(#{rank[sid] + 1})")
            rows.append({"system_id": sid, "name": sys.name, "department": sys.department,
                         "disposition": d, "must_connect": must,
                         "connected_already": bool(sys.platform_connected),
                         "planned_date": when, "rule": rule})
        return pd.DataFrame(rows, columns=["system_id", "name", "department", "disposition",
                                           "must_connect", "connected_already",
                                           "planned_date", "rule"])

    def progress(self, report_dates: list[str] | None = None, *,
                 scenario: Scenario | None = None) -> pd.DataFrame:
        """Quarterly progress projection at the report dates (MM-DD).

        Columns: date, systems inventoried, on the cloud, the next dated target (systems and
        due date), connected to the exchange platform (systems in use that are connected, by
        :meth:`platform_connections`) and their share of the systems in use. The dates run
        from the plan start to the end of the plan shown, and on to the first report date by
        which every system in use is connected when the connections of kept systems end
        later.

        Parameters
        ----------
        report_dates : list of str, optional
            Default the scenario's ``targets.report_dates``, else 03-30, 06-30, 09-30, 12-30.
        scenario : Scenario, optional
            For the report dates and the connection rule of kept systems (see
            :meth:`platform_connections`); without it, 5 per week from the plan start.
        """
        mp = self.mp
        if report_dates is None:
            report_dates = (list(scenario.targets.report_dates) if scenario is not None
                            else ["03-30", "06-30", "09-30", "12-30"])
        conns = self.platform_connections(scenario)
        use = conns[conns["must_connect"]]
        n_use = len(use)
        connected0 = int(use["connected_already"].sum())
        planned = [d for d in use["planned_date"] if d is not None]
        cut = self._cutover_days()
        first = mp.grid.start
        last = self.shown_mp.grid.sunday(self.shown_mp.project.horizon - 1)
        last_conn = max(planned, default=None)
        # the report dates within the plan, then on to the first one after the last connection
        dates: list[dt.date] = []
        late = last_conn is not None and last_conn > last
        year = first.year
        while report_dates:
            for md in sorted(report_dates):
                d = dt.date.fromisoformat(f"{year}-{md}")
                if d >= first and (d <= last or (late and (not dates or dates[-1] < last_conn))):
                    dates.append(d)
            if year >= last.year and (not late or (dates and dates[-1] >= last_conn)):
                break
            year += 1
        already = len(mp.already_on_cloud) + len(mp.done)
        rows = []
        for d in dates:
            on = already + sum(1 for day in cut if day <= d)
            upcoming = [(day, want) for _, day, want in mp.milestone_targets if day >= d]
            due, target = min(upcoming) if upcoming else (None, None)
            conn = connected0 + sum(1 for day in planned if day <= d)
            rows.append({"date": d, "inventoried": len(mp.inventory.systems), "on_cloud": on,
                         "next_target": target, "next_target_due": due,
                         "platform_connected": conn,
                         "platform_connected_pct": round(100 * conn / max(n_use, 1), 1)})
        return pd.DataFrame(rows, columns=["date", "inventoried", "on_cloud", "next_target",
                                           "next_target_due", "platform_connected",
                                           "platform_connected_pct"])

    def triage_frame(self) -> pd.DataFrame:
        """The triage decisions, one row per system, saying which system each is.

        Columns ``system_id``, ``name``, ``department``, then those of
        :meth:`~netplan.migration.triage.TriageResult.to_frame`.
        """
        df = self.mp.triage.to_frame().reset_index()
        inv = self.mp.inventory.by_id
        df.insert(1, "name", [inv[i].name for i in df["system_id"]])
        df.insert(2, "department", [inv[i].department for i in df["system_id"]])
        df.attrs.update(self.mp.triage.to_frame().attrs)
        return df

    # ------------------------------------------------------------------ words

    def teams_text(self) -> str:
        """The team capacity of the plan in words: ``"2 teams"`` or ``"3 to 6 teams"``."""
        row = self.mp.project.capacity[0] if self.mp.project.n_resources else np.zeros(1)
        lo, hi = (int(row.min()), int(row.max())) if row.size else (0, 0)
        return f"{hi} team{'s' if hi != 1 else ''}" if lo == hi else f"{lo} to {hi} teams"

    def summary(self) -> list[str]:
        """The plain answer for the first lines of a report: targets met, and when done.

        When the targets are not met, the relaxed plan says when the migration would be done
        and when each target's count would be reached.
        """
        ms = self.milestones()
        finish = self.finish_date
        n = sum(len(g.systems) for g in self.mp.groups)
        s = self.schedule
        if self.feasible:
            met = "; ".join(f"{r.milestone} (reached {r.reached_on}"
                            + (f", {r.slack_weeks} weeks early)" if r.slack_weeks else ")")
                            for r in ms.itertuples())
            lines = [f"Targets met: every dated target is met with {self.teams_text()}"
                     + (f": {met}." if met else ".")]
            if finish is not None:
                lines.append(f"The last of the {n} systems to migrate is on the cloud on "
                             f"{finish}.")
            return lines
        if self.status is SolveStatus.INFEASIBLE:
            head = (f"Targets NOT met: no plan with {self.teams_text()} can meet every dated "
                    "target (proven; the reasons follow).")
        else:
            stop = f", stopped by its {s.stopped_by}" if s.stopped_by else ""
            head = (f"Targets NOT met by any plan found: the {s.backend} search found no plan "
                    f"meeting every dated target in {s.runtime_s:.1f} s{stop}; that none exists "
                    "is not proven.")
        lines = [head]
        if self.relaxed is None or self.starts is None:
            lines.append("No plan moves every system at all (see the reasons); the tables have "
                         "no dates.")
            return lines
        reached = []
        for r in ms.itertuples():
            if r.reached_on is None:
                reached.append(f"{r.milestone}: never (at most {self.mp.reachable} systems "
                               "can be on the cloud)")
            else:
                late = -(-(r.reached_on - r.date).days // 7)  # whole weeks, rounded up
                when = "in time" if r.met else f"{late} week{'s' if late != 1 else ''} late"
                reached.append(f"{r.required} systems on {r.reached_on} (target {r.date}, "
                               f"{when})")
        lines.append(f"Without the dated targets (every other limit holds), with "
                     f"{self.teams_text()} the last of the {n} systems is on the cloud on "
                     f"{finish}: " + "; ".join(reached) + ".")
        return lines

    def __str__(self) -> str:
        s = self.schedule
        lines = [f"Migration plan: {len(self.mp.groups)} move groups, "
                 f"{sum(len(g.systems) for g in self.mp.groups)} systems — {s}"]
        lines += [f"  {x}" for x in self.summary()]
        lines += [f"  cannot meet: {e}" for e in self.explanation]
        return "\n".join(lines)
