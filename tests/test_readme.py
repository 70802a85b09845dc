"""Every example query of the README runs and gives the output the README shows."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from update_readme import BLOCK, run_query  # noqa: E402


def test_readme_queries_give_the_outputs_shown(seed_store):
    blocks = list(BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8")))
    assert len(blocks) >= 3
    for block in blocks:
        assert run_query(seed_store, block["query"]) == block["output"], block["query"]


def test_readme_opens_with_the_two_fresh_machine_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", text, re.DOTALL)[:2]
    assert "kg ingest seeds" in commands[0] and "graph.ttl" in commands[0] and "graph.html" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci  # CI runs the README's test command verbatim
