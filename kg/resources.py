"""Where the packaged knowledge files are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def ontology_file(name: str) -> Traversable:
    """A file of `ontology/`: shipped as `kg.ontology` in a wheel, at the top of a checkout."""
    try:
        folder: Traversable = resources.files("kg.ontology")
        if (folder / name).is_file():
            return folder / name
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "ontology" / name
