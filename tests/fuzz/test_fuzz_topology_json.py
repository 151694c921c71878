"""Fuzz node-link JSON topologies (dangling links, self-loops, duplicate ids, wrong types): a valid
result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.JSON_TOPOLOGY` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, JSON_TOPOLOGY, check


@FUZZ
@given(case=JSON_TOPOLOGY.cases)
def test_topology_json_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(JSON_TOPOLOGY, case, workdir)
