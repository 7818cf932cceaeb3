"""Run the django-q2 worker and the web server together; stop both on Ctrl-C."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    worker = subprocess.Popen([PY, "manage.py", "qcluster"], cwd=ROOT)
    try:
        return subprocess.call([PY, "manage.py", "runserver", "--noreload", address], cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    raise SystemExit(main())
