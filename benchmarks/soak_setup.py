"""The fault soak's fleet, fault weights and figures (soak.py runs it)."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

FRAMES = ("p9-a", "p9-b")
PARTITIONS = tuple(f"app{i}" for i in range(1, 7))
MAX_LIVE = 3
RSS_GROWTH_LIMIT_MB = 64.0
SETTLE_WALL = 90.0

ROWS = "\n".join(
    f"          - {{name: {p}, mem: 2048, vlans: [200], dirty_rate: 5}}" for p in PARTITIONS
)
FLEET = f"""
hmcs:
  - name: hmc-a
    address: 10.0.0.1
    version: V10R3 M1060
    frames:
      - name: p9-a
        type_model: 9009-42A
        serial: 7800AAA
        generation: POWER9
        vlans: [1, 200]
        memory: 262144
        processors: 32
        max_migrations: {{active: 4, inactive: 8}}
        vios: [{{name: vios-a1}}, {{name: vios-a2}}]
        partitions:
{ROWS}
      - name: p9-b
        type_model: 9009-42A
        serial: 7800BBB
        generation: POWER9
        vlans: [1, 200]
        memory: 262144
        processors: 32
        max_migrations: {{active: 4, inactive: 8}}
        vios: [{{name: vios-b1}}, {{name: vios-b2}}]
  - name: hmc-b
    address: 10.0.0.2
    version: V10R3 M1060
    frames:
      - name: p10-c
        type_model: 9105-42A
        serial: 7800CCC
        generation: POWER10
        vlans: [1, 200]
        memory: 262144
        processors: 16
        vios: [{{name: vios-c1}}]
        partitions: [{{name: db1, mem: 4096, vlans: [200]}}]
"""

# fault kind -> weight (the console kill is scheduled on its own: once, a third into the run,
# then every five minutes)
WEIGHTS = {
    "drop": 3,
    "drop-jump": 2,
    "restart": 2,
    "hang": 2,
    "truncate": 2,
    "garbage": 2,
    "lock": 1,
    "fail": 2,
    "stop": 1,
}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Tracebacks(logging.Handler):
    """Counts log records carrying an exception, and unhandled errors of asyncio tasks."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or "Traceback" in record.getMessage():
            self.seen.append(f"{record.name}: {record.getMessage().splitlines()[0]}")

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        self.seen.append(f"asyncio: {context.get('message')} {context.get('exception')!r}")


def child_config(sim, directory: Path) -> Path:
    """A config file for the killed console: the same fleet, passwords from the environment."""
    from tests.migration.stacks import POLL_INTERVAL

    known = directory / "known_hosts"
    known.write_text(sim.known_hosts_text())
    lines = ["hmcs:"]
    for name, ep in sim.endpoints.items():
        env = f"SOAK_PW_{name.replace('-', '_').upper()}"
        os.environ[env] = ep.password
        lines.append(
            f"  - {{name: {name}, host: {ep.host}, port: {ep.port}, user: {ep.username}, "
            f"auth: {{password_env: {env}}}, jump: [simjump]}}"
        )
    os.environ["SOAK_PW_JUMP"] = sim.jump.password
    lines += [
        "jump_hosts:",
        f"  simjump: {{host: {sim.jump.host}, port: {sim.jump.port}, user: {sim.jump.username},"
        " auth: {password_env: SOAK_PW_JUMP}}",
        f"polling: {{migration_poll_interval: {POLL_INTERVAL}}}",
        f"ssh: {{known_hosts_file: {known}, user_known_hosts_file: {directory / 'none'}, "
        f"ssh_config_file: {directory / 'none'}, reconnect_initial_delay: 0.05, "
        "reconnect_max_delay: 0.2, command_timeout: 5}",
    ]
    path = directory / "child.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def report(fig: dict) -> list[str]:
    """Print the figures; the broken invariants (empty when all hold)."""
    rss_start, rss_warm, rss_end = fig["rss"][0], fig["rss"][1], fig["rss"][-1]
    faults = ", ".join(f"{k} {v}" for k, v in fig["faults"].items()) or "none"
    print(f"seed {fig['seed']}, wall {fig['wall']:.1f} s")
    print(f"faults injected: {sum(fig['faults'].values())} ({faults})")
    print(
        f"migrations started: {fig['started']} ({fig['evacuated']} by the evacuation), "
        f"refused at start: {fig['refused']}, re-attached: {fig['reattached']}"
    )
    print("outcomes entered: " + ", ".join(f"{k} {v}" for k, v in fig["outcomes"].items()))
    print("sends per migration: " + ", ".join(f"{k}: {v}" for k, v in sorted(fig["sends"].items())))
    print(f"journaled as sent, never received (a hung migrlpar): {len(fig['swallowed'])}")
    print(f"outcomes unknown at the end: {len(fig['unknown'])}")
    print(f"false needs-recovery: {len(fig['false_needs_recovery'])}")
    print(f"false outcomes: {len(fig['false_claims'])}")
    print(f"tracebacks: {len(fig['tracebacks'])}")
    print("links at the end: " + ", ".join(f"{k} {v}" for k, v in fig["links"].items()))
    print(f"RSS: start {rss_start:.1f} MB, warm {rss_warm:.1f} MB, end {rss_end:.1f} MB")
    broken = []
    for what, key in (
        ("outcome unknown at the end", "unknown"),
        ("sent other than once", "sent_wrong"),
        ("false needs-recovery", "false_needs_recovery"),
        ("outcome not true to the simulator", "false_claims"),
        ("traceback", "tracebacks"),
    ):
        broken += [f"{what}: {line}" for line in fig[key]]
    if rss_end - rss_warm > RSS_GROWTH_LIMIT_MB:
        broken.append(f"memory grew {rss_end - rss_warm:.1f} MB after warm-up")
    for line in fig["swallowed"]:
        print(f"note: {line}")
    for line in broken:
        print(f"INVARIANT BROKEN: {line}")
    print("invariants: " + ("all hold" if not broken else f"{len(broken)} broken"))
    return broken
