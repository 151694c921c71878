"""What one ``netplan run`` produced: every stage's result objects, timings and files.

The command line fills a :class:`RunResults` stage by stage; the report writers (the HTML page,
the Markdown index) only read it. A stage that failed or was skipped leaves its fields None and
says so in its :class:`StageRecord`, so a report can be marked incomplete instead of silently
leaving a section out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from netplan.errors import Issue
from netplan.model.scenario import Scenario

__all__ = ["StageRecord", "RunResults", "STAGES"]

#: The stages of a full run, in order.
STAGES = ("topology", "migration", "capacity", "simulation")


@dataclass
class StageRecord:
    """One stage of a run: whether it finished, how long it took, what it wrote.

    Attributes
    ----------
    name : str
        One of :data:`STAGES`.
    status : {"done", "failed", "skipped"}
        ``skipped`` carries its reason in ``error`` (e.g. no inventory in the scenario).
    seconds : float
        Wall time of the stage.
    files : list of str
        Paths of the files it wrote, relative to the output folder.
    error : str or None
        The error that stopped it, or why it was skipped.
    """

    name: str
    status: Literal["done", "failed", "skipped"]
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class RunResults:
    """Everything a run computed, for the report writers.

    Attributes
    ----------
    scenario : Scenario
    source : str
        The scenario file as given on the command line.
    warnings : list of Issue
        The scenario's warnings (they did not stop the run).
    topology, summary, reach, surv
        :class:`~netplan.topology.Topology`, its summary, reachability and survivability.
    plan : netplan.migration.plan.MigrationPlan or None
    capacity : netplan.capacity.CapacityPlan or None
    validation : netplan.simulation.InterconnectValidation or None
        On the network upgraded by the capacity plan when there is one.
    before : InterconnectValidation or None
        On the provisioned network, when the upgraded one was simulated too.
    cutovers : netplan.simulation.CutoverValidation or None
    timeline : object or None
        The policy timeline judged against the plan (``to_frame()``).
    quarterly : object or None
        The quarterly progress report (``to_frame()``).
    stages : list of StageRecord
        In run order; a failed stage is the last one.
    """

    scenario: Scenario
    source: str = ""
    warnings: list[Issue] = field(default_factory=list)
    topology: object | None = None
    summary: object | None = None
    reach: object | None = None
    surv: object | None = None
    plan: object | None = None
    capacity: object | None = None
    validation: object | None = None
    before: object | None = None
    cutovers: object | None = None
    timeline: object | None = None
    quarterly: object | None = None
    stages: list[StageRecord] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no stage failed (skipped stages are not failures)."""
        return all(s.status != "failed" for s in self.stages)

    def stage(self, name: str) -> StageRecord | None:
        """The record of stage ``name``, or None when it did not run."""
        return next((s for s in self.stages if s.name == name), None)

    def files(self) -> list[str]:
        """Every file written, relative to the output folder, in stage order."""
        return [f for s in self.stages for f in s.files]

    def timings_frame(self) -> pd.DataFrame:
        """One row per stage: name, status, seconds."""
        return pd.DataFrame([{"stage": s.name, "status": s.status, "seconds": round(s.seconds, 2)}
                             for s in self.stages], columns=["stage", "status", "seconds"])

    def picture(self, out_dir: Path, name: str) -> Path | None:
        """The path of a written picture whose file name is ``name``, or None."""
        for f in self.files():
            if Path(f).name == name:
                return Path(out_dir) / f
        return None
