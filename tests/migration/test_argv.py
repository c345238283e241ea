"""The migration core names the partition by id when it knows it (``-p`` takes a list)."""

from lpmtui.migration.hmc_io import migrate_argv, recover_argv, stop_argv, validate_argv
from lpmtui.migration.types import MigrationRequest


def test_a_known_id_selects_the_partition_not_its_name():
    req = MigrationRequest(partition="web,01", source="p9-a", target="p10-b", lpar_id=7)
    assert migrate_argv(req) == ("migrlpar", "-o", "m", "-m", "p9-a", "-t", "p10-b", "--id", "7")
    assert validate_argv(req)[:3] == ("migrlpar", "-o", "v")
    assert "--id" in validate_argv(req) and "-p" not in validate_argv(req)
    assert stop_argv(req) == ("migrlpar", "-o", "s", "-m", "p9-a", "--id", "7")
    assert recover_argv(req, force=True) == (
        "migrlpar",
        "-o",
        "r",
        "-m",
        "p9-a",
        "--id",
        "7",
        "--force",
    )


def test_without_an_id_the_name_is_used():
    req = MigrationRequest(partition="db prod 01", source="p9-a", target="p10-b")
    assert migrate_argv(req)[-2:] == ("-p", "db prod 01")
