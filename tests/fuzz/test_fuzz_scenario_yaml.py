"""Fuzz scenario YAML files (mutated shipped scenarios, alias bombs, tags, encodings): a valid
result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.SCENARIO_YAML` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, SCENARIO_YAML, check


@FUZZ
@given(case=SCENARIO_YAML.cases)
def test_scenario_yaml_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(SCENARIO_YAML, case, workdir)
