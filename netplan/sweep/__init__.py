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

from netplan._lazy import lazy_exports

#: Imported on first use (PEP 562): ``netplan --help`` need not import Dask and pandas.
_LAZY = {
    "DEFAULT_STAGES": "netplan.sweep.grid",
    "STAGES": "netplan.sweep.grid",
    "SweepGrid": "netplan.sweep.grid",
    "Variant": "netplan.sweep.grid",
    "apply_variant": "netplan.sweep.grid",
    "parse_grid": "netplan.sweep.grid",
    "read_grid": "netplan.sweep.grid",
    "variant_scenarios": "netplan.sweep.grid",
    "SweepResult": "netplan.sweep.run",
    "evaluate_variant": "netplan.sweep.run",
    "run_sweep": "netplan.sweep.run",
    "WALL_CLOCK_COLUMNS": "netplan.sweep.run",
}

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

__getattr__, __dir__ = lazy_exports("netplan.sweep", globals(), _LAZY)
