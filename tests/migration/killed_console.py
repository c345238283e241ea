"""A console process for the kill -9 test: starts one migration, reports it, then waits to die.

Run as ``python killed_console.py CONFIG PARTITION SOURCE TARGET SPEED``; prints
``STARTED <job id>`` once the HMC reports the migration in progress.
"""

from __future__ import annotations

import asyncio
import sys

from lpmtui.common.clock import RealClock
from lpmtui.config.loader import load
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager, MigrationRequest, MigrationState
from lpmtui.model import ConnectionState
from lpmtui.ssh.transport import Transport


async def main(config: str, partition: str, source: str, target: str, speed: float) -> None:
    settings = load(config)
    transport = Transport(settings)
    fleet = Fleet(transport.links())
    await transport.start()
    await asyncio.gather(*(link.wait_first_attempt() for link in transport.links()))
    down = [link.name for link in transport.links() if link.state is not ConnectionState.CONNECTED]
    if down:
        raise SystemExit(f"not connected: {down}")
    await fleet.refresh_now()
    manager = MigrationManager.for_settings(fleet, settings, clock=RealClock(speed=speed))
    moving = asyncio.Event()
    manager.subscribe(lambda p: p.state is MigrationState.IN_PROGRESS and moving.set())
    job = await manager.start(MigrationRequest(partition, source, target), confirmed_name=partition)
    await moving.wait()
    print(f"STARTED {job.job_id}", flush=True)
    await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    config, partition, source, target, speed = sys.argv[1:6]
    asyncio.run(main(config, partition, source, target, float(speed)))
