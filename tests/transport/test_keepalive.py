"""A silently dead path (no FIN, no RST) is noticed by SSH keepalives, then reconnected."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from lpmtui.model import ConnectionState as S
from lpmtui.ssh.transport import Transport

from .simfleet import fast_settings, hmc_config, start_tiny_fleet, trust, wait_for


class BlackHoleProxy:
    """Relays TCP to a target port; while ``frozen`` it swallows every byte in both ways."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.frozen = False
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers += [writer, up_writer]
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(src, dst))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, src, dst) -> None:
        with contextlib.suppress(OSError):
            while data := await src.read(65536):
                if not self.frozen:
                    dst.write(data)
                    await dst.drain()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def test_dead_path_detected_by_keepalive_and_reconnected(tmp_path):
    _, fleet = await start_tiny_fleet("hmc1")
    proxy = BlackHoleProxy(fleet.endpoints["hmc1"].port)
    port = await proxy.start()
    hmc = replace(hmc_config(fleet, "hmc1"), port=port)
    settings = fast_settings(
        tmp_path,
        (hmc,),
        keepalive_interval=0.2,
        keepalive_count_max=2,
        connect_timeout=0.5,
        login_timeout=0.5,
    )
    trust(
        settings,
        fleet.endpoints["hmc1"].host_key_line.replace(
            f":{fleet.endpoints['hmc1'].port} ", f":{port} "
        ),
    )
    transport = Transport(settings)
    try:
        await transport.start()
        link = transport.link("hmc1")
        assert link.state == S.CONNECTED, link.last_error
        long_job = asyncio.create_task(link.run_long(["sleep", "30"]))
        await asyncio.sleep(0.1)
        proxy.frozen = True
        result = await asyncio.wait_for(long_job, 3)  # noticed in about 0.2 x (2 + 1) s
        assert result.rc is None and "outcome unknown" in result.stderr
        await wait_for(
            lambda: link.state == S.RECONNECTING and link.reconnect_attempt >= 2,
            what="reconnect attempts while the path is dead",
        )
        proxy.frozen = False
        await wait_for(lambda: link.state == S.CONNECTED, what="reconnected")
        assert (await link.run(["echo", "alive"])).stdout == "alive\n"
    finally:
        await transport.close()
        await proxy.close()
        await fleet.close()
