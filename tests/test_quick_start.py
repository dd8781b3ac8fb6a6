"""The quick start on a machine that is not empty: a busy port is reported before anything is
installed or migrated. (Before, start.sh installed, migrated, printed "running at ..." and
only then failed with "Address already in use".)"""
import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_start_refuses_a_busy_port_before_installing_anything(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            ["sh", "scripts/start.sh"], cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PORT": str(port), "HOST": "127.0.0.1",
                 "DATABASE_URL": f"sqlite:///{tmp_path}/never.db"})
    assert result.returncode == 1
    assert f"Cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "PORT=5001" in result.stderr
    assert "running at" not in result.stdout
    assert not (tmp_path / "never.db").exists()  # nothing migrated
