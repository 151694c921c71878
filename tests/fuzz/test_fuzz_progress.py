"""Fuzz progress files (unknown ids and events, odd dates, with and without an inventory and as-of
date): a valid result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.PROGRESS` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, PROGRESS, check


@FUZZ
@given(case=PROGRESS.cases)
def test_progress_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(PROGRESS, case, workdir)
