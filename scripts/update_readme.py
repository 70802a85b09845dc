"""Refresh the outputs shown under the README's example queries from the seed graph.

    .venv/bin/python scripts/update_readme.py

Each ```sparql block of README.md is run against a store built from seeds/, and the ```text
block after it is replaced with the CSV the query gives. tests/test_readme.py checks they agree.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```sparql\n(?P<query>.*?)```\n\n```text\n(?P<output>.*?)```", re.DOTALL)


def run_query(store: Path, query: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "query", query, "-f", "csv"],
                          capture_output=True, text=True, check=True)
    return proc.stdout


def build_seed_store(folder: Path) -> Path:
    store = folder / "store"
    subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "ingest", str(ROOT / "seeds"), "-q"],
                   capture_output=True, check=True)
    return store


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        store = build_seed_store(Path(tmp))

        def refresh(match: re.Match) -> str:
            return f"```sparql\n{match['query']}```\n\n```text\n{run_query(store, match['query'])}```"

        readme.write_text(BLOCK.sub(refresh, text), encoding="utf-8")


if __name__ == "__main__":
    main()
