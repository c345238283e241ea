"""`lpmtui audit --demo` reads the demo's own audit log."""


def test_lpmtui_audit_demo_reads_the_demo_s_own_log(tmp_path, capsys):
    from lpmtui.store.audit import main
    from lpmtui.store.journal import state_dir

    demo = state_dir() / "demo"
    demo.mkdir(parents=True)
    (demo / "audit.jsonl").write_text(
        '{"time": "2026-11-27T06:17:55Z", "user": "root", "hmc": "hmc-v10", "outcome": "sent", '
        '"argv": ["migrlpar", "-o", "m", "-m", "A", "-t", "B", "--id", "3"]}\n'
    )
    assert main(["--demo"]) == 0
    assert "migrlpar -o m -m A -t B --id 3" in capsys.readouterr().out
