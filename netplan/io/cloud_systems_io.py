"""The systems on the cloud in a simulated period, read from the scenario's inventory file.

The traffic simulation (:mod:`netplan.simulation`) never reads files; its entry points take a
:class:`~netplan.simulation.traffic.CloudSystems`. This edge helper resolves the scenario's
``simulation.systems_on_cloud`` setting (``today``, ``planned`` or a date) against its
inventory, so that ``netplan simulate``, ``netplan run`` and the Python API load the same
systems.
"""

from __future__ import annotations

import datetime as dt

from netplan.model.scenario import Scenario
from netplan.simulation.traffic import CloudSystems, cloud_systems

__all__ = ["systems_on_cloud"]


def systems_on_cloud(scenario: Scenario, setting: str | dt.date | None = None, *, plan=None,
                     inventory=None) -> CloudSystems:
    """The systems on the cloud for the busy hour, per ``simulation.systems_on_cloud``.

    Parameters
    ----------
    scenario : Scenario
        Its ``inventory`` file is read (unless ``inventory`` is given) and its
        ``simulation.systems_on_cloud`` is the default setting.
    setting : {"today", "planned"}, datetime.date or ISO date string, optional
        Overrides the scenario's setting (the CLI's ``--systems``).
    plan : netplan.migration.plan.MigrationPlan, optional
        Needed for ``planned`` and dates.
    inventory : netplan.migration.inventory.Inventory, optional
        Already read (the file is then not read again).

    Returns
    -------
    CloudSystems
        Setting ``none`` with no systems when the scenario has no inventory.

    Raises
    ------
    NetplanError
        ``planned`` or a date without a plan; an unreadable setting.

    Examples
    --------
    >>> from netplan.examples import meizhou_2020
    >>> c = systems_on_cloud(meizhou_2020())
    >>> c.setting, len(c.systems)
    ('today', 12)
    """
    chosen = scenario.simulation.systems_on_cloud if setting is None else setting
    if inventory is None and plan is not None:
        inventory = plan.mp.inventory
    if inventory is None:
        if scenario.inventory is None:
            return CloudSystems("none", ())
        from netplan.io.inventory_io import read_inventory

        inventory = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    return cloud_systems(inventory, chosen, plan=plan)
