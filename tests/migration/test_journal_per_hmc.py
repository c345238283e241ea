"""One journal file, several configurations: each re-attaches only to its own HMCs' migrations.

An entry's HMC is its configured name plus ``host:port`` (``hmc_id``); entries of HMCs a
configuration does not have are ignored and kept byte for byte; older entries without
``hmc_id`` are matched by name.
"""

from __future__ import annotations

import json

from lpmtui.config.model import HmcConfig, Settings
from lpmtui.migration.manager import MigrationManager, MigrationRequest, MigrationState
from lpmtui.store.journal import Journal, state_dir
from tests.migration.conftest import advance, migrlpar_sent

S = MigrationState
HERE = {"hmc1": "hmc1.example:22", "hmc2": "hmc2.example:22"}


def request() -> MigrationRequest:
    return MigrationRequest(partition="web1", source="SYS-A", target="SYS-B")


async def journaled_elsewhere(make_manager, clock, identities=HERE) -> str:
    """A migration in progress, journaled by a console that then died; its job id."""
    first = make_manager(hmc_identities=identities)
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    await first.close()
    return job.job_id


def journal_bytes() -> bytes:
    return (state_dir() / "journal.jsonl").read_bytes()


async def test_the_journal_names_the_hmc_by_name_and_address(make_manager, clock):
    job_id = await journaled_elsewhere(make_manager, clock)
    [queued] = [r for r in Journal().records() if r["event"] == "queued"]
    assert (queued["job"], queued["hmc"], queued["hmc_id"]) == (job_id, "hmc1", "hmc1.example:22")
    assert Journal().jobs()[job_id].hmc_id == "hmc1.example:22"


async def test_another_config_ignores_and_keeps_the_entries_of_hmcs_it_does_not_have(
    make_manager, world, clock
):
    job_id = await journaled_elsewhere(make_manager, clock)
    before = journal_bytes()
    for other in ({"hmc2": "hmc2.example:22"}, {"hmc1": "lab-hmc1.example:22"}, {}):
        stranger = make_manager(hmc_identities=other)
        assert await stranger.reattach() == []
        await advance(clock, 3)
        assert stranger.jobs() == []
        assert journal_bytes() == before  # nothing rewritten, nothing dropped
    owner = make_manager(hmc_identities=dict(HERE))
    [again] = await owner.reattach()
    assert (again.job_id, again.reattached) == (job_id, True)
    await advance(clock, 10)
    assert owner.job(job_id).state is S.SUCCEEDED
    assert len(migrlpar_sent(world, "m")) == 1


async def test_entries_journaled_before_the_identity_are_matched_by_name(make_manager, clock):
    job_id = await journaled_elsewhere(make_manager, clock, identities=None)
    assert "hmc_id" not in next(r for r in Journal().records() if r["event"] == "queued")
    before = journal_bytes()
    assert await make_manager(hmc_identities={"hmc2": "hmc2.example:22"}).reattach() == []
    assert journal_bytes() == before
    [again] = await make_manager(hmc_identities={"hmc1": "any.example:22"}).reattach()
    assert again.job_id == job_id


async def test_for_settings_keys_the_journal_to_the_configured_hmcs(fleet, tmp_path):
    settings = Settings(
        hmcs=(HmcConfig(name="hmc1", host="10.1.2.3", port=2222),),
        journal_file=tmp_path / "journal.jsonl",
        audit_file=tmp_path / "audit.jsonl",
    )
    manager = MigrationManager.for_settings(fleet, settings)
    try:
        assert manager.hmc_identities == {"hmc1": "10.1.2.3:2222"}
        job = await manager.start(request(), confirmed_name="web1")
    finally:
        await manager.close()
    lines = [json.loads(line) for line in settings.journal_file.read_text().splitlines()]
    queued = next(r for r in lines if r["event"] == "queued")
    assert (queued["job"], queued["hmc_id"]) == (job.job_id, "10.1.2.3:2222")
