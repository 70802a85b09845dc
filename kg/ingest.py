"""`kg ingest`: read articles, extract events, write one named graph per article."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kg.extract.events import EventExtractor
from kg.extract.lexicon import Lexicon
from kg.nlp.gazetteer import KnowledgeBase
from kg.rdf import Iris, article_graph
from kg.sources import Article, Skipped, read_paths
from kg.store import ArticleGraph, Store


@dataclass(slots=True)
class IngestReport:
    """What an ingest read, skipped and wrote; the CLI prints it, tests assert on it."""

    read: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    events: int = 0

    @property
    def failed(self) -> list[Skipped]:
        return [s for s in self.skipped if s.failed]


@dataclass(slots=True)
class Pipeline:
    """The knowledge and settings every article is read with, loaded once."""

    kb: KnowledgeBase
    lexicon: Lexicon
    iris: Iris

    @classmethod
    def load(cls, kb_files: Iterable[Path] = (), lexicon_file: Path | None = None,
             base: str | None = None) -> Pipeline:
        return cls(KnowledgeBase.load(kb_files), Lexicon.load(lexicon_file), Iris(base) if base else Iris())

    def graph_of(self, article: Article) -> tuple[ArticleGraph, int]:
        """The article's graph, ready to write, and the number of event frames read."""
        extraction = EventExtractor(self.kb, self.lexicon)(article)
        named, shared = article_graph(article, extraction, self.iris)
        subjects = sorted({str(s) for s in named.subjects() if isinstance(s, URIRef)})
        return ArticleGraph(str(self.iris.graph(article.identifier)), _ntriples(named), _ntriples(shared),
                            subjects), len(extraction.frames)


def _ntriples(graph: Graph) -> str:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return "\n".join(sorted(line for line in text.splitlines() if line.strip()))


def ingest(paths: Iterable[Path], store: Store, pipeline: Pipeline,
           on_item: Callable[[Article | Skipped], None] | None = None) -> IngestReport:
    """Ingest every article under `paths`; each article's graph replaces its previous one."""
    report = IngestReport()
    for item in read_paths(paths):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            try:
                graph, n_events = pipeline.graph_of(item)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
                item = Skipped(item.source, f"extraction failed ({type(exc).__name__}: {exc})")
                report.skipped.append(item)
            else:
                store.write_article(graph)
                report.read.append(item.source)
                report.events += n_events
        if on_item is not None:
            on_item(item)
    return report
