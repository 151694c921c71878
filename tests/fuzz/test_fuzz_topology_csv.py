"""Fuzz site and link CSV tables (dangling links, self-loops, duplicate ids, bad numbers): a valid
result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.CSV_TOPOLOGY` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import CSV_TOPOLOGY, FUZZ, check


@FUZZ
@given(case=CSV_TOPOLOGY.cases)
def test_topology_csv_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(CSV_TOPOLOGY, case, workdir)
