"""kg: a mediation-timeline knowledge graph built from news articles.

The library mirrors the command line: each `kg` command calls the function of the same
name here, and the article flows through the pipeline stages sources → nlp → extract →
resolve → rdf → store.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0"

__all__ = ["__version__"]
