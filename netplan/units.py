"""Parse quantities with units once, at the boundary, into integers with the unit in the name.

Bandwidths become integer Mbps: ``"10G"``, ``"1Gbps"``, ``"100M"``, ``"100 Mbps"``,
``"2.5 Gb/s"``, ``"万兆"`` and a plain number (already Mbps) are all accepted.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "parse_bandwidth_mbps", "parse_rate_mbps", "parse_duration_s", "format_bandwidth",
    "BANDWIDTH_HINT", "BANDWIDTH_JSON_PATTERN",
]

BANDWIDTH_HINT = 'write e.g. "1G" or "1000 Mbps"'
#: The text forms :func:`parse_bandwidth_mbps` accepts, as a JSON Schema (ECMA-262) pattern.
BANDWIDTH_JSON_PATTERN = (r"^\s*(\d+(\.\d+)?|\.\d+)\s*[kKmMgGtT]?\s*(bps|b/s|bit/s|bits/s)?\s*$"
                          r"|^\s*(百兆|千兆|万兆|十万兆)\s*$")

_BANDWIDTH_RE = re.compile(
    r"^\s*(?P<value>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>[kKmMgGtT]?)\s*(?P<suffix>bps|b/s|bit/s|bits/s)?\s*$"
)
_FACTOR_MBPS = {"": 1.0, "k": 1e-3, "m": 1.0, "g": 1e3, "t": 1e6}
_CHINESE = {"百兆": 100, "千兆": 1_000, "万兆": 10_000, "十万兆": 100_000}


def parse_bandwidth_mbps(value: object) -> int:
    """Turn a bandwidth written by a person into whole megabits per second.

    Parameters
    ----------
    value : str or int or float
        ``"10G"``, ``"1Gbps"``, ``"100M"``, ``"100 Mbps"``, ``"512k"``... , ``"千兆"``, or a
        number, which is taken as Mbps already.

    Returns
    -------
    int
        The bandwidth in Mbps.

    Raises
    ------
    ValueError
        With a message that quotes the value and shows how to write it, when the text is not a
        bandwidth, is negative, is in bytes (``"100MB"``), or is not a whole number of Mbps.

    Examples
    --------
    >>> parse_bandwidth_mbps("10G"), parse_bandwidth_mbps("100 Mbps"), parse_bandwidth_mbps(200)
    (10000, 100, 200)
    >>> parse_bandwidth_mbps("千兆")
    1000
    """
    mbps, text = _parse_mbps(value)
    rounded = round(mbps)
    if abs(mbps - rounded) > 1e-9:
        raise ValueError(
            f'"{value}" is {mbps:g} Mbps, not a whole number of Mbps; netplan counts bandwidth '
            f"in whole Mbps: round it (e.g. {max(rounded, 1)} Mbps)"
        )
    return int(rounded)


def parse_rate_mbps(value: object) -> float:
    """Like :func:`parse_bandwidth_mbps`, but keeps fractions: for traffic demands.

    Examples
    --------
    >>> parse_rate_mbps("1.5M"), parse_rate_mbps("512k"), parse_rate_mbps(2)
    (1.5, 0.512, 2.0)
    """
    return _parse_mbps(value)[0]


def _parse_mbps(value: object) -> tuple[float, str]:
    """The amount in Mbps (finite, >= 0) and the text it was read from."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a bandwidth; {BANDWIDTH_HINT}")
    if isinstance(value, int | float):
        mbps = float(value)
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
        if text in _CHINESE:
            return float(_CHINESE[text]), text
        if re.search(r"\d\s*[kKmMgGtT]?B(ps|/s)?\s*$", text) and not re.search(r"bps|b/s", text):
            raise ValueError(
                f'"{value}" is in bytes, not bits; a bandwidth is in bits per second: '
                f'{BANDWIDTH_HINT} (1 MB/s = 8 Mbps)'
            )
        match = _BANDWIDTH_RE.match(text)
        if not match:
            raise ValueError(f'"{value}" is not a bandwidth; {BANDWIDTH_HINT}')
        mbps = float(match["value"]) * _FACTOR_MBPS[match["unit"].lower()]
    else:
        raise ValueError(f"{value!r} is not a bandwidth; {BANDWIDTH_HINT}")
    if not math.isfinite(mbps) or mbps < 0:
        raise ValueError(f"{text} is not a bandwidth: it must be a finite amount >= 0")
    return mbps, text


def format_bandwidth(mbps: float) -> str:
    """Write a bandwidth in Mbps the way planners say it.

    Examples
    --------
    >>> [format_bandwidth(v) for v in (10000, 1000, 100, 2500)]
    ['10 Gbps', '1 Gbps', '100 Mbps', '2.5 Gbps']
    """
    if mbps >= 1000:
        return f"{mbps / 1000:g} Gbps"
    return f"{mbps:g} Mbps"


_DURATION_RE = re.compile(r"^\s*(?P<value>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>h|hr|hours?|min|m|"
                          r"minutes?|s|sec|seconds?|d|days?|小时|分钟|秒)?\s*$", re.IGNORECASE)
_SECONDS = {"h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0, "小时": 3600.0,
            "min": 60.0, "m": 60.0, "minute": 60.0, "minutes": 60.0, "分钟": 60.0,
            "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0, "秒": 1.0, "": 1.0,
            "d": 86400.0, "day": 86400.0, "days": 86400.0}


def parse_duration_s(value: object) -> float:
    """A duration written by a person, in seconds: ``"1h"``, ``"30min"``, ``"900s"``, ``900``.

    Raises
    ------
    ValueError
        Quoting the value and showing how to write it.

    Examples
    --------
    >>> [parse_duration_s(x) for x in ("1h", "30 min", "90", 5)]
    [3600.0, 1800.0, 90.0, 5.0]
    """
    hint = 'write e.g. "1h", "30min" or "900s"'
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; {hint}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION_RE.match(str(value))
        if not match:
            raise ValueError(f'"{value}" is not a duration; {hint}')
        seconds = float(match["value"]) * _SECONDS[(match["unit"] or "").lower()]
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f'"{value}" is not a positive duration; {hint}')
    return seconds
