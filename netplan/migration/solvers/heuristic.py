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

Speed: the SGS keeps the binding renewable capacities packed in blocks of about 2,000 bits
(at least two longest durations of periods), skips the full periods of a resource that
activities queue for, and keeps the slack of each landing resource only where its capacity
steps, so one schedule costs time in proportion to the activities and their durations, not
the horizon. Measured with
``python benchmarks/heuristic_speed.py --reference <the previous heuristic.py>`` on a shared
2-core machine with other jobs running (figures per CPU second of the process, one core; wall
rates were 30-50 % lower): PSPLIB j30 (20 instances, 5,000 passes each) about 26,000 schedules
per second, as with the previous single-integer SGS; the Meizhou migration project (175
activities, 113 weeks, 3,000 passes) about 1,800-2,000 against 88 before; a synthetic
2,000-system inventory (1,500 activities, 104 weeks) about 75 over 1,000 passes, where the
genetic search's own steps that grow with the square of the activities (sampling the first
population's lists, the local search's list of all insertion moves) take most of the time
(20 passes: 24 against 1.3 before).
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
