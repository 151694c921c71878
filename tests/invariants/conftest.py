"""Shared, expensive inputs of the invariant tests (built once per session)."""

from __future__ import annotations

import pytest

from netplan.examples import meizhou_2020
from netplan.topology import build_topology


@pytest.fixture(scope="session")
def meizhou():
    """Meizhou's scenario and topology."""
    scenario = meizhou_2020()
    return scenario, build_topology(scenario)
