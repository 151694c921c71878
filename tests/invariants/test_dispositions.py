"""Nothing lost in triage and scheduling: one disposition per system, one row per move."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from netplan.examples import tiny_migration
from netplan.io.inventory_io import read_inventory
from netplan.migration.build import build_migration_project
from netplan.migration.inventory import Inventory, System
from netplan.migration.plan import plan_migration
from netplan.migration.synthetic import synthetic_inventory
from netplan.migration.triage import triage
from netplan.testing import check_dispositions
from tests.invariants.generators import INVARIANTS

AS_OF = dt.date(2020, 6, 30)
OLD, NEW = dt.date(2017, 1, 1), dt.date(2020, 6, 1)


def test_tiny_plan():
    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    # by hand (see tiny_migration): 旧OA retired; 档案 (classified) and 门户 (on the cloud) kept
    assert check_dispositions(inventory, plan.mp.triage, plan) == {
        "retire": 1, "integrate": 0, "migrate": 5, "keep": 2}
    assert len(plan.to_frame()) == 5


def test_meizhou_inventory_and_move_groups(meizhou):
    scenario, topology = meizhou
    inventory = read_inventory(scenario.inventory.path)
    mp = build_migration_project(scenario, inventory, topology=topology)
    counts = check_dispositions(inventory, mp.triage, mp)
    assert sum(counts.values()) == len(inventory) == 236


@INVARIANTS
@given(st.integers(1, 90), st.integers(0, 10_000))
def test_synthetic_inventories(n, seed):
    inventory = synthetic_inventory(n, seed=seed)
    check_dispositions(inventory, triage(inventory, as_of=AS_OF))


@st.composite
def inventories(draw) -> Inventory:
    """Systems of one department with any mix of the criteria, replacements and dependencies.

    Replacements point to later systems only (the inventory forbids their cycles);
    dependencies go anywhere (cycles become move groups).
    """
    n = draw(st.integers(1, 9))
    names = [f"S{i}" for i in range(n)]
    systems = []
    for i in range(n):
        later = names[i + 1:]
        systems.append(System(
            name=names[i], department="市民政局", migration_weeks=1,
            idle_pct=draw(st.sampled_from([None, 10.0, 95.0])),
            last_used=draw(st.sampled_from([None, OLD, NEW])),
            last_update=draw(st.sampled_from([None, OLD, NEW])),
            replaceable_by=("市民政局/" + draw(st.sampled_from(later))
                            if later and draw(st.integers(0, 3)) == 0 else None),
            depends_on=tuple(sorted({"市民政局/" + d for d in draw(
                st.lists(st.sampled_from([x for x in names if x != names[i]] or ["-"]),
                         max_size=2)) if d != "-"})),
            classified=draw(st.integers(0, 6)) == 0, on_cloud=draw(st.integers(0, 4)) == 0))
    return Inventory(tuple(systems))


@INVARIANTS
@given(inventories())
def test_generated_inventories_and_their_move_groups(inventory):
    scenario, _ = tiny_migration()
    result = triage(inventory, as_of=AS_OF)
    check_dispositions(inventory, result)
    mp = build_migration_project(scenario, inventory)
    check_dispositions(inventory, mp.triage, mp)
