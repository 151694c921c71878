"""Heuristic scheduler: serial schedule generation, double justification and a genetic algorithm.

This module gathers the public names of three modules, each usable on its own:

- :mod:`~netplan.migration.solvers.sgs` — :func:`serial_sgs`, the serial schedule generation
  scheme (time-varying capacities, demand profiles, landing resources, release dates, hard
  deadlines and horizon), and :func:`double_justify`, forward-backward improvement;
- :mod:`~netplan.migration.solvers.bounds` — :func:`lower_bound` (critical path and resource
  energy) and :func:`priority_list` (latest finish first, WSPT);
- :mod:`~netplan.migration.solvers.genetic` — :class:`GeneticSearch` and
  :func:`solve_heuristic`, a genetic algorithm on activity lists (Hartmann 1998) with
  double justification, resumable and deterministic for a seed and a schedule cap.

Speed: the SGS keeps one packed integer of every binding renewable resource per period and
the slack of each landing resource at the end of each run of equal capacity only, so one
schedule costs time in proportion to the activities and their durations, not the horizon.
Measured with ``python benchmarks/heuristic_speed.py`` on a shared machine with other jobs
running (figures vary by tens of percent): about 30,000 schedules per second on PSPLIB j30
(20 instances), about 1,500 on the Meizhou migration project (175 activities, 113 weeks) and
about 90 on a synthetic 2,000-system inventory (1,500 activities, 104 weeks), one core.
"""

from __future__ import annotations

from netplan.migration.solvers.bounds import lower_bound, priority_list
from netplan.migration.solvers.genetic import GeneticSearch, solve_heuristic
from netplan.migration.solvers.sgs import double_justify, serial_sgs

__all__ = [
    "GeneticSearch",
    "serial_sgs",
    "double_justify",
    "lower_bound",
    "priority_list",
    "solve_heuristic",
]
