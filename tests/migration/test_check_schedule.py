"""check_schedule, the oracle of every solver test and of the PSPLIB benchmark: one hand-made
schedule per constraint it checks, each breaking that constraint only, and the message it must
give; plus the feasible schedule, which passes although several constraints are tight.

The project (periods 0..5, horizon 6)::

    activity  duration  teams  link (per period)  lands (vCPU)  release  deadline
    a         2         1, 1   0, 3               4             0        -
    b         1         1      0                  -             0        -        (after a)
    c         2         1, 1   2, 0               1             0        -
    d         1         -      -                  2             0        -
    e         1         -      -                  -             3        5

    teams capacity per period: 2, 3, 2, 2, 0, 2      (period 4 a blackout)
    link capacity: 3 in every period
    vCPU landing capacity: 5, 5, 5, 9, 9, 9           (an expansion from period 3)
    milestone "a by 2": a counted twice (a move group of two systems), 2 finished by period 2

The feasible schedule a=0, b=2, c=0, d=5, e=3, by hand:
teams 2, 2, 1, 0, 0, 0 (period 0 full: a and c); link 2 (c's first period), 3 (a's last: full),
0, ...; vCPU landed 0, 0, 5 (a 4 + c 1, full), 5, 5, 5 (d finishes at the horizon: it
occupies no period of it, but after it 4 + 1 + 2 = 7 <= 9, the last capacity); a finishes
at 2 (counts 2 for the milestone), b starts as a finishes, e within [3, 5].
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from netplan.migration.project import (
    Activity,
    Project,
    ProjectMilestone,
    ScheduleViolation,
    check_schedule,
)

PROJECT = Project(
    activities=(
        Activity("a", 2, (1, (0, 3)), landing=(4.0,)),
        Activity("b", 1, (1, 0)),
        Activity("c", 2, (1, (2, 0)), landing=(1.0,)),
        Activity("d", 1, (), landing=(2.0,)),
        Activity("e", 1, (), release=3, deadline=5),
    ),
    capacity=np.array([[2, 3, 2, 2, 0, 2], [3] * 6]),
    precedences=((0, 1),),
    horizon=6,
    landing_capacity=np.array([[5, 5, 5, 9, 9, 9]]),
    milestones=(ProjectMilestone("a by 2", period=2, count=2, activities=(0, 0)),),
    resource_names=("teams", "link"),
    landing_names=("vcpu",),
)
FEASIBLE = [0, 2, 0, 5, 3]


def test_the_feasible_schedule_passes():
    check_schedule(PROJECT, FEASIBLE)
    check_schedule(PROJECT, np.array(FEASIBLE, dtype=float))  # whole floats are whole periods


@pytest.mark.parametrize("starts", [
    [0, 3, 0, 5, 3],  # b one period later: period 3 has the team for it
    [0, 2, 0, 2, 3],  # d lands from period 3 (after the expansion): 5 + 2 = 7 <= 9
    [0, 2, 0, 5, 4],  # e finishing at its deadline 5
])
def test_other_feasible_schedules_pass(starts):
    check_schedule(PROJECT, starts)


VIOLATIONS = [
    # (what, starts, message)
    ("wrong length", [0, 2, 0, 5], "4 starts for 5 activities"),
    ("not whole periods", [0, 2, 0, 5, 3.5], "starts must be whole periods"),
    ("release", [0, 2, 0, 5, 2], "e starts at 2 before its release 3"),
    # e at 5 finishes at 6: within the horizon (6), past its deadline (5)
    ("deadline", [0, 2, 0, 5, 5], "e finishes at 6 after its deadline 5"),
    ("horizon", [0, 2, 0, 6, 3], "d finishes at 7 beyond the horizon 6"),
    # b at 1: team use in period 1 is a + b + c = 3 <= 3, only the precedence breaks
    ("precedence", [0, 1, 0, 5, 3], "precedence a -> b: b starts at 1 before a finishes at 2"),
    # b in period 4, the blackout (capacity 0): the same demand fits in period 3 (above)
    ("time-varying capacity", [0, 4, 0, 5, 3],
     "resource teams over capacity in period 4: 1 > 0"),
    # c one period later: its first-period 2 on the link meets a's last-period 3 in period 1
    # (5 > 3); with flat demands a would need 3 in period 0 too and FEASIBLE would fail
    ("demand profile", [0, 2, 1, 5, 3], "resource link over capacity in period 1: 5 > 3"),
    # d finishing at 2: a 4 + c 1 + d 2 = 7 vCPU from period 2, before the expansion (5)
    ("landing", [0, 2, 0, 1, 3], "landing resource vcpu over capacity in period 2: 7 > 5"),
    # a one period later (b after it): a finishes at 3, none of its 2 counts by period 2;
    # team use 1 (c), 2 (a, c), 1 (a), 1 (b): within capacity; link 2, 0, 3; vCPU 0, 0, 1, 5
    ("milestone", [1, 3, 0, 5, 3], "milestone a by 2: 0 finished by period 2, 2 required"),
]


@pytest.mark.parametrize(("what", "starts", "message"), VIOLATIONS,
                         ids=[v[0] for v in VIOLATIONS])
def test_each_violation_is_named(what, starts, message):
    with pytest.raises(ScheduleViolation, match=f"^{re.escape(message)}$"):
        check_schedule(PROJECT, starts)


def test_a_violation_is_an_assertion_error():
    # so that a bare `assert`-style test harness reports it as a failure, not an error
    assert issubclass(ScheduleViolation, AssertionError)


def test_an_activity_finishing_at_the_horizon_still_needs_room_on_the_cloud():
    # a and b land 3 vCPU each on a cloud of 5: both cannot be on it. b finishing at the
    # horizon (2) occupies no period of it, which used to let 3 + 3 = 6 > 5 pass
    p = Project((Activity("a", 1, (1,), landing=(3.0,)), Activity("b", 1, (1,), landing=(3.0,))),
                np.array([1]), (), horizon=2, landing_capacity=np.array([5.0]))
    with pytest.raises(ScheduleViolation,
                       match=r"^landing resource #0 over capacity after the horizon: "
                             r"6 landed in all > 5$"):
        check_schedule(p, [0, 1])
