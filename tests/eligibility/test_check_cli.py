"""``lpmtui check``: output, JSON and exit status, on the demo fleet and on bad input."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from lpmtui.cli.check import main
from tests.cli_pipe import run_into_closed_pipe


def _run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_all_json_names_rule_ids_statuses_and_reasons_for_every_pair(capsys):
    rc, out, err = _run(capsys, "--demo", "--all", "--json", "--detail")
    assert rc == 1 and not err  # the demo has partitions that cannot move anywhere
    data = json.loads(out)
    assert len(data["partitions"]) >= 50
    for p in data["partitions"]:
        assert p["targets"]
        for t in p["targets"]:
            assert t["status"] in ("pass", "warn", "fail", "unknown")
            for c in t["checks"]:
                assert c["rule_id"] and c["status"] and c["reason"]
    statuses = {t["status"] for p in data["partitions"] for t in p["targets"]}
    assert {"pass", "fail"} <= statuses


def test_all_table(capsys):
    rc, out, _ = _run(capsys, "--demo", "--all")
    assert rc == 1
    assert out.splitlines()[0].startswith("PARTITION")
    assert any(line.startswith("web-02 ") for line in out.splitlines())
    rows = len(out.splitlines()) - 3  # the header, a blank line and the summary
    last = out.splitlines()[-1]
    counts = [line.rsplit(" of ", 1)[0].rsplit(" ", 1)[1] for line in out.splitlines()[1:-2]]
    movable = sum(1 for n in counts if n != "0")
    assert 0 < movable < rows
    assert last.startswith(f"{rows} partitions: {movable} migratable, {rows - movable} not")


def test_all_json_leads_with_a_summary_per_partition_the_detail_on_request(capsys):
    rc, out, _ = _run(capsys, "--demo", "--all", "--json")
    data = json.loads(out)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", data["taken_at"])
    first = data["partitions"][0]
    assert list(first)[:8] == [
        "partition",
        "source_system",
        "lpar_id",
        "kind",
        "migratable",
        "best_target",
        "best_status",
        "failing_rules",
    ]
    assert all("targets" not in p for p in data["partitions"])
    (stuck,) = [p for p in data["partitions"] if p["partition"] == "app-rmcdown"]
    assert not stuck["migratable"] and stuck["failing_rules"] == len(stuck["reasons"]) >= 1
    assert all(": " in r for r in stuck["reasons"])
    (web,) = [p for p in data["partitions"] if p["partition"] == "web-02"]
    assert web["migratable"] and web["failing_rules"] == 0 and web["reasons"] == []
    assert web["best_target"] == web["migratable_to"][0]
    rc, out, _ = _run(capsys, "--demo", "--all", "--json", "--detail")
    assert rc == 1
    detailed = json.loads(out)["partitions"]
    assert [p["partition"] for p in detailed] == [p["partition"] for p in data["partitions"]]
    assert all(p["targets"][0]["target_system"] == p["best_target"] for p in detailed)


def test_all_json_is_written_a_partition_at_a_time():
    from lpmtui.cli.check import collect
    from lpmtui.cli.matrix import rows, write_json
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.simlink import demo_links

    class Chunks:
        def __init__(self) -> None:
            self.chunks: list[str] = []

        def write(self, text: str) -> None:
            self.chunks.append(text)

    snapshot = asyncio.run(collect(Fleet(demo_links())))
    found = rows(snapshot)
    out = Chunks()
    write_json(snapshot, found, out, detail=True)
    assert len(out.chunks) == len(found) + 2
    assert max(len(c) for c in out.chunks) < len("".join(out.chunks)) / 10
    assert len(json.loads("".join(out.chunks))["partitions"]) == len(found)


def test_migratable_partition_exits_0_with_the_ranking(capsys):
    rc, out, _ = _run(capsys, "--demo", "web-02")
    assert rc == 0
    assert "Targets for web-02, best first:" in out
    assert "P10-S1022-B" in out and "server.memory" in out


def test_blocked_partition_exits_1_and_says_why(capsys):
    rc, out, _ = _run(capsys, "--demo", "app-rmcdown", "--target", "P10-S1022-B")
    assert rc == 1
    line = next(x for x in out.splitlines() if "lpar.rmc" in x)
    assert line.split()[0] == "fail" and "inactive" in line
    assert "fix:" in out


def test_validate_sets_the_hmc_beside_the_checks(capsys):
    rc, out, _ = _run(
        capsys, "--demo", "app-rmcdown", "--target", "P10-S1022-B", "--validate", "--json"
    )
    assert rc == 1
    data = json.loads(out)
    assert data["validation"]["errors"][0].startswith("HSCLA246 ")
    kinds = {a["rule_id"]: a["kind"] for a in data["validation"]["agreement"]}
    assert kinds["lpar.rmc"] == "agree"
    rc, out, _ = _run(capsys, "--demo", "app-rmcdown", "--target", "P10-S1022-B", "--validate")
    assert "HMC validation (migrlpar -o v, rc 1)" in out and "agree" in out


def test_ambiguous_name_and_frame_slash_name(capsys):
    rc, _, err = _run(capsys, "--demo", "dup-name")
    assert rc == 2 and "several frames" in err and "P10-S1022-B/dup-name" in err
    rc, out, _ = _run(capsys, "--demo", "P10-S1022-B/dup-name", "--target", "P10-E1080-A")
    assert rc == 1 and "lpar.name_unique" in out


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        ([], "name a PARTITION"),
        (["--demo", "--all", "web-02"], "--all takes no"),
        (["--demo", "--all", "--detail"], "--detail goes with --all --json"),
        (["--demo", "--config", "x.yaml", "web-02"], "not allowed with"),
        (["--demo", "no-such-lpar"], "no partition named 'no-such-lpar'"),
        (["--demo", "web-02", "--target", "NOPE"], "no frame NOPE"),
        (["--demo", "web-02", "--target", "P10-E1080-A"], "already on P10-E1080-A"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, text):
    rc, out, err = _run(capsys, *argv)
    assert rc == 2 and not out
    assert err.count("\n") == 1 and text in err and "Traceback" not in err


def test_config_errors_exit_2_with_one_line(capsys, tmp_path):
    rc, _, err = _run(capsys, "--config", str(tmp_path / "missing.yaml"), "web-02")
    assert rc == 2 and err.count("\n") == 1 and "missing.yaml" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("hmcs:\n  - name: x\n    port: many\n")
    rc, _, err = _run(capsys, "--config", str(bad), "web-02")
    assert rc == 2 and err.count("\n") == 1 and "bad.yaml:" in err


def test_unreachable_hmc_is_a_connection_error(capsys, tmp_path, unused_tcp_port):
    config = tmp_path / "config.yaml"
    config.write_text(
        "hmcs:\n"
        f"  - {{name: lab, host: 127.0.0.1, port: {unused_tcp_port}, "
        "auth: {insecure_password: x}}\n"
        "ssh: {connect_timeout: 2, login_timeout: 2}\n"
    )
    rc, out, err = _run(capsys, "--config", str(config), "web-02")
    assert rc == 2 and not out
    warnings = [line for line in err.splitlines() if line.startswith("lpmtui check: warning: ")]
    assert len(warnings) == 2 and "readable by others" in warnings[1]  # the config's warnings
    assert err.count("\n") == 3 and "HMC lab (127.0.0.1)" in err and "Traceback" not in err


def test_evacuate_prints_the_plan_with_commands_and_what_stays(capsys):
    rc, out, err = _run(capsys, "--demo", "--evacuate", "P10-S1022-B")
    assert rc == 1 and not err  # dup-name cannot go anywhere
    lines = out.splitlines()
    assert lines[0] == "Evacuate P10-S1022-B (hmc-v10): 9 to move, 1 stay"
    assert "$ migrlpar -o m -m P10-S1022-B -t P10-E1080-A --id 12" in out
    assert any(line.startswith("  stay  dup-name ") for line in lines)
    rc, out, _ = _run(capsys, "--demo", "--evacuate", "P10-S1022-B", "--json")
    plan = json.loads(out)
    assert plan["action"] == "evacuate" and len(plan["moves"]) == 9
    assert all(m["command"].startswith("migrlpar -o m -m P10-S1022-B ") for m in plan["moves"])
    assert [s["partition"] for s in plan["stays"]] == ["dup-name"]


def test_evacuate_home_needs_a_recorded_evacuation(capsys):
    rc, _, err = _run(capsys, "--demo", "--evacuate", "P10-S1022-B", "--home")
    assert rc == 2 and "no evacuation of P10-S1022-B is recorded in" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--demo", "--evacuate", "nope"], "no frame 'nope' in the fleet"),
        (["--demo", "--home"], "--home goes with --evacuate FRAME"),
        (["--demo", "--evacuate", "P10-S1022-B", "--all"], "--evacuate takes no PARTITION"),
        (["--demo", "--evacuate", "P10-S1022-B", "--target", "x"], "--evacuate takes no PARTITION"),
        (["--demo", "--avoid", "P10-S1022-B"], "--avoid goes with --evacuate FRAME"),
        (["--demo", "--evacuate", "P10-S1022-B", "--avoid", "x"], "--avoid: no frame 'x' in the"),
    ],
)
def test_evacuate_usage_errors(capsys, argv, message):
    rc, out, err = _run(capsys, *argv)
    assert rc == 2 and not out and message in err and len(err.splitlines()) == 1


def test_evacuate_avoiding_a_frame(capsys):
    rc, out, _ = _run(
        capsys, "--demo", "--evacuate", "P10-S1022-B", "--avoid", "P10-E1080-A", "--json"
    )
    plan = json.loads(out)
    assert rc == 1 and all(m["target"] != "P10-E1080-A" for m in plan["moves"])
    assert len(plan["stays"]) > 1


def test_evacuate_with_the_hmcs_validation(capsys):
    rc, out, _ = _run(capsys, "--demo", "--evacuate", "P10-E1080-A", "--validate", "--json")
    plan = json.loads(out)
    assert rc == 1 and "console-open" not in [m["partition"] for m in plan["moves"]]
    (refused,) = [s for s in plan["stays"] if s["partition"] == "console-open"]
    assert refused["reason"].startswith("HMC validation failed: HSCLSIM25 ")
    rc, out, _ = _run(capsys, "--demo", "--evacuate", "P10-E1080-A")
    assert "console-open" in out.split("  stay")[0]  # the local checks alone cannot see it


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_with_status_0():
    """``lpmtui check --demo --all --json | head -2``: megabytes the reader does not want."""
    lines, status, err = run_into_closed_pipe("check", "--demo", "--all", "--json")
    assert len(lines) == 2 and lines[0].strip()
    assert (status, err) == (0, "")
