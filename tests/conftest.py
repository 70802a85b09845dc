"""Shared fixtures: the small test knowledge base, and a built seed store for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from kg.extract.events import EventExtractor
from kg.extract.lexicon import Lexicon
from kg.nlp.gazetteer import KnowledgeBase

# Property tests draw the same examples on every run, so CI is reproducible; explore new ones
# with HYPOTHESIS_PROFILE=explore (a failure prints the seed to reproduce it).
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"
KG = [sys.executable, "-m", "kg"]


def run_kg(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    proc = subprocess.run([*KG, *args], capture_output=True, text=True, cwd=cwd, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def test_kb() -> KnowledgeBase:
    return KnowledgeBase.load([DATA / "kb.ttl"], packaged=False)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="session")
def extractor(test_kb: KnowledgeBase, lexicon: Lexicon) -> EventExtractor:
    return EventExtractor(test_kb, lexicon)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store built from seeds/ by `kg ingest`, shared by read-only tests."""
    store = tmp_path_factory.mktemp("seed") / "store"
    run_kg("--store", str(store), "ingest", str(SEEDS))
    return store


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
