"""Fuzz --failure specs, parsed and checked against the tiny scenario: a valid result or a netplan
error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.FAILURE` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FAILURE, FUZZ, check


@FUZZ
@given(case=FAILURE.cases)
def test_failure_spec_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(FAILURE, case, workdir)
