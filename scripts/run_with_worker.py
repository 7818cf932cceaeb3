"""Run the django-q2 worker and the web server together; stop both on Ctrl-C or SIGTERM."""

import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen([PY, "manage.py", "qcluster"], cwd=ROOT)
    server = subprocess.Popen([PY, "manage.py", "runserver", "--noreload", address], cwd=ROOT)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(server)
        _stop(worker)


if __name__ == "__main__":
    raise SystemExit(main())
