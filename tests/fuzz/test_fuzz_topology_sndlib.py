"""Fuzz SNDlib network files (edited tokens and lines, self-loops, dangling links): a valid result
or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.SNDLIB` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, SNDLIB, check


@FUZZ
@given(case=SNDLIB.cases)
def test_topology_sndlib_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(SNDLIB, case, workdir)
