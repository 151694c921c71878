"""Sweeps: many variants of one scenario, run in parallel on Dask, side by side in one table.

- :func:`read_grid` / :func:`parse_grid` — a grid file: dotted scenario paths and the values
  to try (their cross product, and/or a list of variants), the stages and seeds;
- :func:`variant_scenarios` — every variant applied to the scenario and validated up front;
- :func:`evaluate_variant` — one scenario's key figures (migration, capacity, simulation);
- :func:`run_sweep` — all variants on a local Dask cluster, an existing one, or in a loop,
  into a :class:`SweepResult` (``to_frame()``);
- ``netplan sweep`` (:mod:`netplan.sweep.cli`) and the trade-off plots of
  :mod:`netplan.plot.sweep`.
"""

from netplan.sweep.grid import (
    DEFAULT_STAGES,
    STAGES,
    SweepGrid,
    Variant,
    apply_variant,
    parse_grid,
    read_grid,
    variant_scenarios,
)
from netplan.sweep.run import WALL_CLOCK_COLUMNS, SweepResult, evaluate_variant, run_sweep

__all__ = [
    "DEFAULT_STAGES",
    "STAGES",
    "SweepGrid",
    "Variant",
    "apply_variant",
    "parse_grid",
    "read_grid",
    "variant_scenarios",
    "SweepResult",
    "evaluate_variant",
    "run_sweep",
    "WALL_CLOCK_COLUMNS",
]
