"""Regenerate migrations/versions/0001_initial.py from the models (before the first release)."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ROOT / "migrations" / "versions"
TARGET = VERSIONS / "0001_initial.py"


def main() -> int:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Hand-written revisions on top of 0001 (DDL autogenerate cannot express) step
        # aside while 0001 is generated from the models on an empty database.
        aside = [path.rename(Path(tmp) / path.name) for path in VERSIONS.glob("0*.py")]
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/empty.sqlite3",
                   INSTANCE_PATH=tmp, FLASK_APP="wsgi")
        flask = str(Path(sys.executable).parent / "flask")
        try:
            subprocess.run([flask, "db", "revision", "--autogenerate", "-m", "initial schema",
                            "--rev-id", "0001"], cwd=ROOT, env=env, check=True)
        finally:
            for path in aside:
                path.rename(VERSIONS / path.name)
        generated = next(VERSIONS.glob("0001_*.py"))
    text = generated.read_text()
    text = re.sub(r"Create Date: .*", "Create Date: 2026-11-23", text)
    generated.unlink()
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
