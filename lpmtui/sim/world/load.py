"""Build the simulated fleet from a compact YAML fleet file (format: docs/simulator.md).

Everything has a sensible default; adapters are generated from short knobs (``storage``,
``vlans``, ``vtopt``, …) so a fleet of 80 partitions stays readable. Errors are one line:
``FILE: hmcs[0].frames[2].lmb: found 'big'; expected an integer``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml

from lpmtui.common.typed_yaml import MappingReader, one_line
from lpmtui.sim.settings import SimSettings
from lpmtui.sim.world.build import FrameBuilder, fill_compat_current, read_version
from lpmtui.sim.world.fleet_yaml import load as load_yaml
from lpmtui.sim.world.keys import FRAME_KEYS, HMC_KEYS
from lpmtui.sim.world.model import SimFrame, SimHmc

DEFAULT_PASSWORD = "abc123"

__all__ = ["DEFAULT_PASSWORD", "Fleet", "FleetError", "InFlight", "build_fleet", "load_fleet"]


@dataclass
class InFlight:
    """A migration already running when the world starts (another console started it)."""

    reader: MappingReader  # for one-line errors naming the entry
    partition: str
    source: str
    target: str
    elapsed: float  # seconds it has been running


class FleetError(ValueError):
    """A fleet file that cannot be loaded; the message is one line naming file and key."""


def _fleet_error(file: str, line: int | None, key: str, found: str, expected: str) -> FleetError:
    return FleetError(one_line(file, line, key, found, expected))


@dataclass
class Fleet:
    hmcs: dict[str, SimHmc]
    frames: dict[str, SimFrame]
    settings: SimSettings
    migrations: list[InFlight] = field(default_factory=list)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic GC passes while a fleet loads: everything it makes stays alive, and each
    full pass would walk all of it again (half the load time at 20,000 partitions)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_fleet(text: str, source: str = "<fleet>") -> Fleet:
    """A fleet file's text -> Fleet; FleetError (one line, naming ``source``) when invalid."""
    with _gc_paused():
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise FleetError(f"{source}{where}: {problem}") from None
        return build_fleet(data, source)


def build_fleet(data: Any, source: str = "<fleet>") -> Fleet:
    root = MappingReader(source, "", data, _fleet_error)
    root.check_known({"settings", "hmcs", "migrations"})
    settings = SimSettings()
    sr = root.nested("settings")
    known = SimSettings.names()
    for name, value in sr.data.items():
        if name not in known:
            sr.fail(sr.key(str(name)), name, "one of " + ", ".join(sorted(known)))
        current = getattr(settings, name)
        if isinstance(current, dict):
            if not isinstance(value, dict):
                sr.fail(sr.key(name), value, "a mapping")
            merged = dict(current)
            merged.update({str(k): str(v) for k, v in value.items()})
            value = merged
        elif (
            isinstance(current, bool) != isinstance(value, bool)
            or (isinstance(current, (int, float)) and not isinstance(value, (int, float)))
            or (isinstance(current, str) and not isinstance(value, str))
        ):
            sr.fail(sr.key(name), value, f"a value like {current!r}")
        setattr(settings, name, value)

    hmcs: dict[str, SimHmc] = {}
    frames: dict[str, SimFrame] = {}
    trusts: list[tuple[MappingReader, str, list[str]]] = []
    frame_index = 0
    for hr in root.children("hmcs"):
        hr.check_known(HMC_KEYS)
        name = hr.str("name")
        if not name or name in hmcs:
            hr.fail(hr.key("name"), name, "a unique HMC name")
        users = hr.raw("users", {"hscroot": DEFAULT_PASSWORD})
        if not isinstance(users, dict) or not users:
            hr.fail(hr.key("users"), users, "a mapping of user name to password")
        hmc = SimHmc(
            name=name,
            address=hr.str("address", name),
            version=read_version(hr),
            users={str(k): str(v) for k, v in users.items()},
            kind=hr.str("kind", "hmc"),
            site=hr.str("site", ""),
            remote_capable=hr.bool("remote_capable", True),
        )
        hmcs[name] = hmc
        trusts.append((hr, name, hr.strs("trusts")))
        for fr in hr.children("frames"):
            fr.check_known(FRAME_KEYS)
            frame_index += 1
            builder = FrameBuilder(fr, name, frame_index)
            frame = builder.frame
            if frame.name in frames:
                fr.fail(fr.key("name"), frame.name, "a frame name unique in the fleet")
            for i, vr in enumerate(fr.children("vios")):
                builder.add_vios(vr, i)
            top = max(frame.partitions, default=0)  # a client without an id: the next one up
            built = []
            for cr in fr.children("partitions"):
                p = builder.add_client(cr, top + 1)
                top = max(top, p.lpar_id)
                built.append((cr, p))
            for cr, p in built:
                builder.wire(cr, p)
            fill_compat_current(frame)
            service = fr.str("service_partition", "")
            if service:
                sp = frame.by_name(service)
                if sp is None:
                    fr.fail(fr.key("service_partition"), service, "a partition on this frame")
                frame.service_lpar_id = sp.lpar_id
            frames[frame.name] = frame
    for hr, name, targets in trusts:
        for target in targets:
            if target not in hmcs:
                hr.fail(hr.key("trusts"), target, "the name of another HMC in the fleet")
            hmcs[name].trusts.add(target)
    return Fleet(hmcs, frames, settings, _in_flight(root, frames))


def _in_flight(root: MappingReader, frames: dict[str, SimFrame]) -> list[InFlight]:
    found = []
    for mr in root.children("migrations"):
        mr.check_known({"partition", "from", "to", "elapsed"})
        source, target = mr.str("from"), mr.str("to")
        for key, name in (("from", source), ("to", target)):
            if name not in frames:
                mr.fail(mr.key(key), name, "the name of a frame in the fleet")
        name = mr.str("partition")
        if frames[source].by_name(name) is None:
            mr.fail(mr.key("partition"), name, f"a partition on {source}")
        elapsed = mr.float("elapsed", 0.0)
        if elapsed < 0:
            mr.fail(mr.key("elapsed"), elapsed, "seconds (0 or more)")
        found.append(InFlight(mr, name, source, target, elapsed))
    return found
