"""Item 2, the manager's half: a typed confirmation is never empty, whatever the partition's
name; and a partition named like a placeholder is confirmed by typing that name."""

from __future__ import annotations

import pytest

from lpmtui.migration.manager import ConfirmationError, MigrationRequest
from tests.migration.conftest import migrlpar_sent, settle


@pytest.mark.parametrize("blank", ["", " ", "\t", "\n"])
async def test_an_empty_or_blank_confirmation_is_refused_even_for_a_blank_name(
    make_manager, world, blank
):
    manager = make_manager()
    request = MigrationRequest(partition=blank, source="SYS-A", target="SYS-B", lpar_id=39)
    with pytest.raises(ConfirmationError) as refused:
        await manager.start(request, confirmed_name=blank)
    assert str(refused.value) == (f"no partition name was typed for {blank!r}; nothing was started")
    await settle()
    assert migrlpar_sent(world, "m") == [] and manager.jobs() == []


@pytest.mark.parametrize("name", ["null", "unavailable", "none"])
async def test_a_placeholder_named_partition_needs_its_name_typed(make_manager, world, name):
    world.add_frame("SYS-N", "hmc1", {name: "Running"})
    manager = make_manager()
    request = MigrationRequest(partition=name, source="SYS-N", target="SYS-B")
    with pytest.raises(ConfirmationError):
        await manager.start(request, confirmed_name="")
    started = await manager.start(request, confirmed_name=name)
    assert started.command == f"migrlpar -o m -m SYS-N -t SYS-B -p {name}"
