"""``lpmtui report`` on a window recorded through the in-process simulator, in all three
formats: every migration with who started it, its times, HMC duration, GB and outcome with the
HMC's own message, failures first; the evacuation with its moves and what came home; the HMC's
validation."""

from __future__ import annotations

import json
from datetime import datetime

from lpmtui.cli.report import main as report_main
from tests.report.window import record_window


async def _json(capsys) -> dict:
    assert report_main(["--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_json_has_every_migration_failures_first(stack, capsys):
    made = await record_window(stack)
    out = await _json(capsys)
    migrations = out["migrations"]
    assert len(migrations) == 7 and out["failures"] == 1
    first = migrations[0]
    assert (first["partition"], first["source"], first["target"], first["outcome"]) == (
        "web1",
        "p9-a",
        "p10-c",
        "failed",
    )
    assert "The parameters that are missing or have an invalid value are -t." in first["message"]
    assert first["lpar_id"] == made["lpar_id"] and first["hmc"] == "hmc-a"
    evacuation_id = made["evacuation"].id
    moves = migrations[1:]
    assert all(m["outcome"] == "succeeded" for m in moves)
    assert all(m["evacuation"] == evacuation_id for m in moves)
    assert {(m["source"], m["target"]) for m in moves} == {("p9-a", "p9-b"), ("p9-b", "p9-a")}
    for m in moves:
        assert m["user"] and m["console_host"] and m["hmc"] == "hmc-a"
        assert m["typed"] == "p9-a" and m["confirmation"].startswith("frame name typed")
        assert m["queued_at"].endswith("+00:00") and m["ended_at"].endswith("+00:00")
        assert m["duration_s"] > 0 and m["bytes_moved"] >= 8 * 1024**3
        started, ended = (datetime.fromisoformat(m[k]) for k in ("started_at", "ended_at"))
        assert abs((ended - started).total_seconds() - m["duration_s"]) <= 1.0
        assert m["rate_bytes_per_s"] == round(m["bytes_moved"] / m["duration_s"])
    (evac,) = out["evacuations"]
    assert evac["id"] == evacuation_id and evac["frame"] == "p9-a" and evac["closed"]
    assert sorted(r["partition"] for r in evac["returned"]) == ["web1", "web2", "web3"]
    assert evac["stays"] == [] and len(evac["migrations"]) == 6
    (validation,) = out["validations"]
    assert validation["outcome"] == "failed" and validation["target"] == "p10-c"
    assert validation["message"]


async def test_markdown_and_html_lead_with_the_failure(stack, capsys, tmp_path):
    await record_window(stack)
    assert report_main(["--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.index("## Failures") < md.index("## Migrations") < md.index("## Evacuations")
    failures = md[md.index("## Failures") : md.index("## Migrations")]
    assert "p10\\-c" not in failures and "p10-c" in failures and "**failed**" in failures
    assert "### Evacuation of p9-a" in md and "closed (all home)" in md
    target = tmp_path / "r.html"
    assert report_main(["--format", "html", "-o", str(target)]) == 0
    page = target.read_text()
    assert page.count('<rect class="migration"') == 7
    assert (
        '<polyline fill="none"' in page
        and "<script" not in page
        and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert page.index('id="failures"') < page.index('id="migrations"')


async def test_the_window_bounds(stack, capsys):
    await record_window(stack)
    assert report_main(["--format", "json", "--until", "2000-01-01T00:00Z"]) == 0
    assert json.loads(capsys.readouterr().out)["migrations"] == []
    assert report_main(["--format", "json", "--since", "2026-12-05T23:00:20+01:00"]) == 0
    late = json.loads(capsys.readouterr().out)["migrations"]
    assert len(late) == 4 and all(m["ended_at"] >= "2026-12-05T22:00:20" for m in late)
    assert report_main(["--format", "json", "--since", "2026-12-05T22:00"]) == 0
    assert len(json.loads(capsys.readouterr().out)["migrations"]) == 7


def test_bad_arguments_are_one_line(capsys):
    assert report_main(["--since", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "yesterday" in err and "Traceback" not in err
    assert report_main(["--format", "pdf"]) == 2
    assert report_main(["--since", "1h", "--until", "2h"]) == 2
    assert "--since is after --until" in capsys.readouterr().err
    assert report_main(["-o", "/nonexistent/dir/r.md"]) == 2
    assert "cannot write /nonexistent/dir/r.md" in capsys.readouterr().err


def test_an_age_counts_back_from_now():
    from datetime import UTC

    from lpmtui.cli.report import parse_when

    now = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    assert parse_when("90m", now) == datetime(2026, 12, 5, 21, 30, tzinfo=UTC)
    assert parse_when("12h", now) == datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    assert parse_when("7d", now) == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert parse_when("2026-12-05T22:00", now) == datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
