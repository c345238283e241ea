"""The console's log file: private, rotating, one line per HMC command, no secret."""

import logging
import stat

from lpmtui.hmc.runner import CommandEvent
from lpmtui.store.logfile import log_command, open_log


def test_the_log_file_is_private_and_records_each_command(tmp_path):
    path = open_log(tmp_path / "logs")
    assert path is not None
    try:
        log_command(CommandEvent("hmc1", ("lssyscfg", "-r", "lpar", "-m", "p9 a"), 0, 0.0, 0.25))
        log_command(
            CommandEvent(
                "hmc1",
                ("mkauthkeys", "--ip", "h2", "-u", "hscroot", "--passwd", "******"),
                None,
                0.0,
                1.0,
                "lost",
            )
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
        assert "hmc1 rc=0 0.25s lssyscfg -r lpar -m 'p9 a'" in text
        assert "rc=? 1.00s mkauthkeys" in text and "(lost)" in text
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", "") == str(path):
                root.removeHandler(handler)
                handler.close()


def test_an_unwritable_log_dir_is_not_fatal(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert open_log(blocker / "logs") is None
