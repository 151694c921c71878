"""Write an address plan as a CSV that NetBox's prefix bulk import accepts.

NetBox (IPAM → Prefixes → Import) reads a CSV whose header names fields of its
``PrefixImportForm``: ``prefix`` and ``status`` are required; ``vrf``, ``tenant``, ``role``,
``vlan``, ``scope_type``/``scope_id``, ``is_pool``, ``mark_utilized``, ``description``,
``comments`` and ``tags`` are optional. :func:`write_netbox_prefixes` writes

- ``prefix``: the block, e.g. ``10.8.0.0/22``;
- ``status``: ``container`` for a block with child blocks (the supernet and every division),
  ``active`` for a LAN (village office, department, division infrastructure);
- ``is_pool``: ``false`` everywhere: the LANs keep their network and broadcast addresses;
- ``description``: what the block is for, in Chinese (``县(区) 测试省 甲市 A县``), at most 200
  characters (NetBox's limit);
- ``comments`` (unless turned off): the node id, the need with growth and the utilisation;
- ``vrf``, only when asked for.

``tenant``, ``role``, ``vrf`` and ``tags`` are looked up by name during the import and must
already exist in NetBox, or the whole import fails; so the file leaves tenant, role and tags
out (create them first and add the columns if wanted) and writes ``vrf`` only when the caller
names one.

Like every table netplan writes, a text cell that starts like a spreadsheet formula (``=``,
``+``, ``-``, ``@``) gets a leading ``'`` (:mod:`netplan.io.cells`): the file is also opened
in Excel or WPS before the import. The columns netplan fills never start so (the description
starts with the block's kind, the comments with ``node_id=``), so only a ``vrf`` named like a
formula is changed.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from netplan.capacity.addressing import BLOCK_LABELS, AddressPlan
from netplan.io.cells import csv_text

__all__ = ["write_netbox_prefixes", "NETBOX_PREFIX_COLUMNS"]

#: The header written (``vrf`` is inserted after ``prefix`` when a VRF is named; ``comments``
#: is left out on request).
NETBOX_PREFIX_COLUMNS = ("prefix", "status", "is_pool", "description", "comments")
#: NetBox's ``description`` field length.
_DESCRIPTION_MAX = 200


def write_netbox_prefixes(plan: AddressPlan, path: str | os.PathLike, *,
                          families: list[str] | None = None, vrf: str | None = None,
                          comments: bool = True) -> Path:
    """Write the plan's blocks as a NetBox prefix import CSV (UTF-8), atomically.

    Parameters
    ----------
    plan : AddressPlan
        From :func:`netplan.capacity.addressing.address_plan`.
    path : str or path-like
        The CSV to write; its folder must exist. The file is written to a temporary file in the
        same folder and moved into place, so a failed write never leaves half a file.
    families : list of {"ipv4", "ipv6"}, optional
        Families to write (default every family of the plan).
    vrf : str, optional
        A VRF name for every prefix (it must exist in NetBox); default the global table.
    comments : bool
        Write the ``comments`` column (NetBox 4.x has it on prefixes; a NetBox that rejects the
        header as unexpected needs ``False``).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import csv, tempfile, pathlib
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.model.capacity import AddressingSettings
    >>> from netplan.capacity.addressing import address_plan
    >>> plan = address_plan(build_topology(tiny_scenario()), AddressingSettings(ipv4="10.8.0.0/16"))
    >>> out = write_netbox_prefixes(plan, pathlib.Path(tempfile.mkdtemp()) / "prefixes.csv")
    >>> with out.open(encoding="utf-8", newline="") as fh:
    ...     rows = list(csv.DictReader(fh))
    >>> rows[3]["prefix"], rows[3]["status"], rows[3]["description"]
    ('10.8.0.0/22', 'container', '县(区) 测试省 甲市 A县')
    """
    path = Path(path)
    frame = plan.to_frame()
    if families is not None:
        frame = frame[frame["family"].isin(families)]
    header = list(NETBOX_PREFIX_COLUMNS)
    status = np.where(frame["children"].to_numpy() > 0, "container", "active").tolist()
    columns = [frame["prefix"].tolist(), status, ["false"] * len(frame), _descriptions(frame),
               _comments(frame)]
    if not comments:
        header.pop()
        columns.pop()
    if vrf is not None:
        header.insert(1, "vrf")
        columns.insert(1, [vrf] * len(frame))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            # a site named '=HYPERLINK(...)' is text in a spreadsheet ('=...), numbers unchanged
            w.writerows([csv_text(v) for v in r] for r in zip(*columns, strict=True))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _descriptions(frame: pd.DataFrame) -> list[str]:
    """``<kind label> <node id with spaces>`` (the supernet: its name), cut to 200 characters."""
    return [f"{BLOCK_LABELS.get(kind, kind)} {node.replace('/', ' ').replace('#', ' ') or name}"
            [:_DESCRIPTION_MAX]
            for node, name, kind in zip(frame["node_id"].tolist(), frame["name"].tolist(),
                                        frame["kind"].tolist(), strict=True)]


def _comments(frame: pd.DataFrame) -> list[str]:
    """``node_id=...; needed N addresses with growth; utilisation P%``."""
    out = []
    for node, needed, unit, pct in zip(frame["node_id"].tolist(), frame["needed"].tolist(),
                                       frame["unit"].tolist(), frame["utilisation_pct"].tolist(),
                                       strict=True):
        units = "addresses" if unit == "address" else "/64 subnets"
        text = f"needed {needed} {units} with growth; utilisation {pct:.1f}%"
        out.append(f"node_id={node}; {text}" if node else text)
    return out
