"""Fuzz GraphML topologies (dangling edges, duplicate nodes, DTDs, broken XML): a valid result or a
netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.GRAPHML` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, GRAPHML, check


@FUZZ
@given(case=GRAPHML.cases)
def test_topology_graphml_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(GRAPHML, case, workdir)
