"""Bandwidths written by people, parsed once at the boundary into whole Mbps."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netplan.units import BANDWIDTH_HINT, format_bandwidth, parse_bandwidth_mbps


@pytest.mark.parametrize(
    ("text", "mbps"),
    [
        ("10G", 10_000),
        ("1Gbps", 1_000),
        ("100M", 100),
        ("100 Mbps", 100),
        ("2.5 Gb/s", 2_500),
        (200, 200),  # a plain number is Mbps already
        (200.0, 200),
        ("千兆", 1_000),
        ("万兆", 10_000),
        ("百兆", 100),
        (" 1G ", 1_000),
        ("1g", 1_000),
        ("0M", 0),
        ("1T", 1_000_000),
        ("1000k", 1),
        ("100 bit/s", 100),
    ],
)
def test_accepts(text: object, mbps: int) -> None:
    got = parse_bandwidth_mbps(text)
    assert got == mbps
    assert type(got) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1 Gbs", f'"1 Gbs" is not a bandwidth; {BANDWIDTH_HINT}'),
        ("fast", f'"fast" is not a bandwidth; {BANDWIDTH_HINT}'),
        ("", f'"" is not a bandwidth; {BANDWIDTH_HINT}'),
        ("-5M", f'"-5M" is not a bandwidth; {BANDWIDTH_HINT}'),
        (True, f"True is not a bandwidth; {BANDWIDTH_HINT}"),
        (None, f"None is not a bandwidth; {BANDWIDTH_HINT}"),
        ([1], f"[1] is not a bandwidth; {BANDWIDTH_HINT}"),
        (-5, "-5 is not a bandwidth: it must be a finite amount >= 0"),
        (float("inf"), "inf is not a bandwidth: it must be a finite amount >= 0"),
        (float("nan"), "nan is not a bandwidth: it must be a finite amount >= 0"),
    ],
)
def test_rejects_with_a_message_quoting_the_value(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_bandwidth_mbps(value)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["100MB", "1GB", "100 MB/s", "1 GBps"])
def test_rejects_bytes(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_bandwidth_mbps(text)
    message = str(info.value)
    assert message.startswith(f'"{text}" is in bytes, not bits')
    assert BANDWIDTH_HINT in message
    assert "1 MB/s = 8 Mbps" in message


@pytest.mark.parametrize(
    ("value", "start", "suggestion"),
    [
        ("0.5M", '"0.5M" is 0.5 Mbps, not a whole number of Mbps', "e.g. 1 Mbps"),
        ("512k", '"512k" is 0.512 Mbps, not a whole number of Mbps', "e.g. 1 Mbps"),
        ("2.0004G", '"2.0004G" is 2000.4 Mbps, not a whole number of Mbps', "e.g. 2000 Mbps"),
        (2.5, '"2.5" is 2.5 Mbps, not a whole number of Mbps', "e.g. 2 Mbps"),
    ],
)
def test_rejects_fractions_of_a_mbps(value: object, start: str, suggestion: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_bandwidth_mbps(value)
    message = str(info.value)
    assert message.startswith(start)
    assert "round it" in message and suggestion in message


# Multiples of 10, 100 and 1000 make "{n/1000:g}G" print exactly often enough to test that branch.
_MBPS = st.one_of(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**6).map(lambda k: 10 * k),
    st.integers(min_value=0, max_value=10**5).map(lambda k: 100 * k),
    st.integers(min_value=0, max_value=10**4).map(lambda k: 1000 * k),
)


@settings(database=None, deadline=None, max_examples=300)
@given(_MBPS)
def test_megabits_and_gigabits_round_trip(n: int) -> None:
    assert parse_bandwidth_mbps(f"{n}M") == n
    assert parse_bandwidth_mbps(f"{n} Mbps") == n
    assert parse_bandwidth_mbps(n) == n
    gigabits = f"{n / 1000:g}"
    if Decimal(gigabits) * 1000 == n:  # "%g" keeps 6 significant digits: exact only sometimes
        assert parse_bandwidth_mbps(f"{gigabits}G") == n
        assert parse_bandwidth_mbps(f"{gigabits} Gb/s") == n


@settings(database=None, deadline=None)
@given(st.integers(min_value=0, max_value=10**7))
def test_format_then_parse_is_the_identity_when_exact(n: int) -> None:
    text = format_bandwidth(n)
    assert re.fullmatch(r"[\d.]+ [MG]bps", text)
    number = Decimal(text.split()[0]) * (1000 if text.endswith("Gbps") else 1)
    if number == n:
        assert parse_bandwidth_mbps(text) == n
