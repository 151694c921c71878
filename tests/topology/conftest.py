import pytest

from netplan.examples import tiny_scenario
from netplan.topology import build_topology


@pytest.fixture(scope="session")
def tiny():
    return build_topology(tiny_scenario())
