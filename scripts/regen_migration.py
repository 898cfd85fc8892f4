"""Regenerate migrations/versions/0001_initial.py from the models (before the first release)."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "migrations" / "versions" / "0001_initial.py"


def main() -> int:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/empty.sqlite3",
                   INSTANCE_PATH=tmp, FLASK_APP="wsgi")
        flask = str(Path(sys.executable).parent / "flask")
        subprocess.run([flask, "db", "revision", "--autogenerate", "-m", "initial schema",
                        "--rev-id", "0001"], cwd=ROOT, env=env, check=True)
    generated = next((ROOT / "migrations" / "versions").glob("0001_*.py"))
    text = generated.read_text()
    text = re.sub(r"Create Date: .*", "Create Date: 2026-11-23", text)
    generated.unlink()
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
