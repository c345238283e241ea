"""Equal cells shared across rows (memory at 20,000 partitions): one Cell and one table text per
equal value, a partition's own name and id never shared, the kept values bounded."""

from __future__ import annotations

from lpmtui.ui.app import LpmApp
from lpmtui.ui.interned import Interned
from lpmtui.ui.palette import Palette
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle


def test_equal_keys_give_the_first_value_and_the_kept_values_are_bounded():
    made: list[str] = []

    def make(key: str) -> str:
        made.append(key)
        return key + "!"

    interned: Interned = Interned(kept=3)
    first = interned("a", make)
    assert interned("a", make) is first and made == ["a"]
    for key in "bcdef":
        interned(key, make)
    assert len(interned._values) <= 3  # started again past `kept`, never more
    assert interned("f", make) == "f!"


async def test_rows_share_their_equal_cells_and_texts_but_not_names_and_ids():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        table = app.dashboard.query_one(PartitionTable)
        rows = table.rows_shown
        running = [k for k, row in rows.items() if row[3].text == "Running"]
        assert len(running) >= 3
        a, b = running[:2]
        assert rows[a][3] is rows[b][3]  # the row's Cell: one "Running" for the fleet
        assert table.get_cell(a, "state") is table.get_cell(b, "state")  # and one text
        assert table.get_cell(a, "name") is not table.get_cell(b, "name")
        before = table.get_cell(a, "state")
        table.restyle(Palette.from_variables(app.theme_variables))  # a theme change
        after = table.get_cell(a, "state")
        assert after is not before and after is table.get_cell(b, "state")
