"""``streamlit run app.py`` as the README says, from an empty home folder: it listens on
loopback only and neither starts nor serves with a request to another host."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.browser.browser_harness import AppServer, free_port, stop_process, wait_for_health

ROOT = Path(__file__).resolve().parent.parent


def listening_addresses(pid: int) -> set[str]:
    """Local addresses of the process's listening TCP sockets, from /proc (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            parts = line.split()
            if parts[3] == "0A" and parts[9] in inodes:  # 0A: LISTEN
                found.add(parts[1].rsplit(":", 1)[0])
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 as /proc writes them


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")
def test_streamlit_run_app_listens_on_loopback_only_and_calls_nobody(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    log = tmp_path / "outbound.log"
    port = free_port()
    env = {
        **os.environ, "HOME": str(home), "OUTBOUND_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "serving"), str(ROOT)]),
        "STREAMLIT_SERVER_PORT": str(port), "INCIDENTS_DB_PATH": str(tmp_path / "incidents.db"),
    }
    env = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_") or k == "STREAMLIT_SERVER_PORT"}
    server_log = tmp_path / "streamlit.log"
    with server_log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = AppServer(process=process, port=port, log_path=server_log, env={})
    try:
        wait_for_health(server, 60)
        with urllib.request.urlopen(f"{server.url}/", timeout=10) as response:
            assert response.status == 200
        addresses = listening_addresses(process.pid)
    finally:
        stop_process(process)
    assert not log.exists(), log.read_text()
    assert addresses and addresses <= LOOPBACK, addresses
    assert "External URL" not in server_log.read_text(errors="replace")
