"""`kg ingest`: read articles, extract events, write one named graph per article.

Near-duplicates are found as articles arrive (a MinHash LSH index over the signatures already
stored plus those of this run): a twin is linked with `med:nearDuplicateOf`, and a copy that
lacks a publication date, outlet or headline takes its twin's. When a dated twin arrives after
an undated one of the same run, the undated one is read again with the date, so the order of
the files does not change the graph.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from rdflib.namespace import SDO

from kg.extract.events import EventExtractor
from kg.extract.lexicon import Lexicon
from kg.nlp.gazetteer import KnowledgeBase
from kg.rdf import Iris, article_graph, iri, literal
from kg.sources import DEFAULT_MAX_BYTES, Article, Skipped, read_paths
from kg.sources.dedup import DuplicateIndex, decode_signature, encode_signature, signature
from kg.store import ArticleGraph, Store
from kg.vocab import MED

_STORED_SIGNATURES = """
PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?id ?signature ?published ?outlet ?title ?text ?author ?url WHERE {
  ?a med:textSignature ?signature ; schema:identifier ?id .
  OPTIONAL { ?a schema:datePublished ?published }
  OPTIONAL { ?a schema:publisher/schema:name ?outlet }
  OPTIONAL { ?a schema:headline ?title }
  OPTIONAL { ?a schema:text ?text }
  OPTIONAL { ?a schema:author ?author }
  OPTIONAL { ?a schema:url ?url }
}"""


@dataclass(slots=True)
class IngestReport:
    """What an ingest read, skipped and wrote; the CLI prints it, tests assert on it."""

    read: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    events: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    batches: int = 0  # writes to the store

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

    def graph_of(self, article: Article, twins: Iterable[str] = (), text_signature: str | None = None
                 ) -> tuple[ArticleGraph, int]:
        """The article's graph, ready to write, and the number of event frames read."""
        extraction = EventExtractor(self.kb, self.lexicon)(article)
        named, shared = article_graph(article, extraction, self.iris)
        node = self.iris.article(article.identifier)
        for twin in twins:
            # both directions, in the shared part: the link is the same whichever twin came first
            shared.add(node, _NEAR_DUPLICATE_OF, iri(self.iris.article(twin)))
            shared.add(self.iris.article(twin), _NEAR_DUPLICATE_OF, iri(node))
        if text_signature:
            named.add(node, _TEXT_SIGNATURE, literal(text_signature))
        if article.published is None:
            # kept only while undated: a dated twin arriving later re-reads it (order independence)
            named.add(node, _TEXT, literal(article.text))
        return ArticleGraph(self.iris.graph(article.identifier), named.ntriples(), shared.ntriples(),
                            sorted(named.subjects)), len(extraction.frames)


_NEAR_DUPLICATE_OF, _TEXT_SIGNATURE, _TEXT = str(MED.nearDuplicateOf), str(MED.textSignature), str(SDO.text)


@dataclass(slots=True)
class _Known:
    """What is known of an article seen before, for sharing metadata with its twins."""

    published: date | None
    outlet: str | None
    title: str | None
    article: Article | None = None   # kept in this run only for undated articles
    twins: list[str] = field(default_factory=list)


class _KnownArticles:
    """`_Known` by identifier, kept beside the signatures in the on-disk near-duplicate index.

    Why not a dict: it holds every article seen, so in memory it grew with the corpus (with
    the index, about 5 kB an article before both moved to disk).
    """

    def __init__(self, index: DuplicateIndex) -> None:
        self._index = index

    def get(self, identifier: str) -> _Known | None:
        found = self._index.meta(identifier)
        if found is None:
            return None
        article = found["article"]
        return _Known(date.fromisoformat(found["published"]) if found["published"] else None,
                      found["outlet"], found["title"], Article(**article) if article else None, found["twins"])

    def __setitem__(self, identifier: str, known: _Known) -> None:
        self._index.set_meta(identifier, _as_json(known))


def _as_json(known: _Known) -> dict[str, object]:
    # an article is kept only while undated, so all its fields but the date are JSON already
    article = None if known.article is None else {k: v for k, v in asdict(known.article).items() if k != "published"}
    return {"published": known.published.isoformat() if known.published else None, "outlet": known.outlet,
            "title": known.title, "twins": known.twins, "article": article}


def _load_known(store: Store, index: DuplicateIndex) -> _KnownArticles:
    """Every stored article's signature and metadata, streamed from the store into the index."""
    for row in store.query(_STORED_SIGNATURES):  # type: ignore[union-attr]
        identifier = row["id"].value
        published = row["published"]

        def value(name: str, row=row) -> str | None:
            return row[name].value if row[name] else None

        stored = None
        if published is None and row["text"]:
            # an undated article keeps its text, so that a dated twin arriving later can re-read it
            stored = Article(identifier=identifier, text=row["text"].value, title=value("title"),
                             outlet=value("outlet"), author=value("author"), url=value("url"),
                             source=f"(stored) {identifier}")
        known = _Known(date.fromisoformat(published.value) if published else None,
                       value("outlet"), value("title"), stored)
        index.add(identifier, decode_signature(row["signature"].value), _as_json(known))
    return _KnownArticles(index)


@dataclass(slots=True)
class _Planned:
    """What the main process decided for one input, before any worker saw it."""

    item: Article | Skipped
    article: Article | None = None
    twins: list[str] = field(default_factory=list)
    twin_known: dict[str, _Known] = field(default_factory=dict)
    signature: str = ""


def ingest(paths: Iterable[Path], store: Store, pipeline: Pipeline,
           on_item: Callable[[Article | Skipped], None] | None = None, *,
           workers: int = 1, batch_size: int = 32, max_bytes: int | None = DEFAULT_MAX_BYTES) -> IngestReport:
    """Ingest every article under `paths`; each article's graph replaces its previous one.

    The main process plans every article in input order (signature, twins, metadata taken from
    twins, re-reads of undated twins), `workers` processes extract (`kg.parallel`), and the main
    process writes the graphs in input order, `batch_size` articles per SPARQL update. The plan
    depends on nothing a worker computes, so any number of workers gives the same store. An
    article whose extraction failed is dropped from the twins of later articles when they are
    written (those are extracted again here, rarely), as if it had never been read.
    `max_bytes` bounds one article file or JSON Lines record (`kg.sources.read_paths`): a bigger
    one is skipped with a line, never read into memory.
    """
    from kg.parallel import Extractor, Job, extract

    report = IngestReport()
    index = DuplicateIndex()
    try:
        known = _load_known(store, index)
        failed_ids: set[str] = set()
        pending: list[ArticleGraph] = []

        def plan() -> Iterator[tuple[_Planned, list[Job]]]:
            for item in read_paths(paths, max_bytes):
                if isinstance(item, Skipped):
                    yield _Planned(item), []
                    continue
                try:
                    sig = signature(item.text)
                    twins = index.twins(item.identifier, sig)
                    twin_known = {t: k for t in twins if (k := known.get(t)) is not None}
                    article = _with_twin_metadata(item, list(twin_known.values()))
                    sig_text = encode_signature(sig)
                except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
                    yield _Planned(Skipped(item.source, f"extraction failed ({type(exc).__name__}: {exc})")), []
                    continue
                mine = _Known(article.published, article.outlet, article.title,
                              article if article.published is None else None, twins)
                index.add(item.identifier, sig, _as_json(mine))
                jobs = [Job(article, twins, sig_text)]
                for twin in twins:
                    earlier = known.get(twin)
                    if earlier is not None and earlier.article is not None and article.published is not None:
                        # an undated copy read earlier in this run: read it again with its twin's date
                        again = _with_twin_metadata(earlier.article, [mine])
                        jobs.append(Job(again, sorted({*earlier.twins, item.identifier}),
                                        encode_signature(index.signature_of(twin))))
                        known[twin] = replace(earlier, published=again.published, article=None)
                yield _Planned(item, article, twins, twin_known, sig_text), jobs

        def flush() -> None:
            store.write_articles(pending)
            report.batches += 1
            if report.batches % TRIM_EVERY == 0:
                release_freed_memory()
            pending.clear()

        def tell(item: Article | Skipped) -> None:
            if on_item is not None:
                on_item(item)

        extractor = Extractor(pipeline, workers)
        for planned, results in extractor.map(plan()):
            item = planned.item
            if isinstance(item, Skipped) or planned.article is None:
                report.skipped.append(item)  # type: ignore[arg-type]
                tell(item)
                continue
            primary, *rereads = results
            twins = [t for t in planned.twins if t not in failed_ids]
            if twins != planned.twins and not isinstance(primary, str):
                article = _with_twin_metadata(item, [planned.twin_known[t] for t in twins if t in planned.twin_known])
                primary = extract(pipeline, Job(article, twins, planned.signature))
            if isinstance(primary, str):
                failed_ids.add(item.identifier)
                failed = Skipped(item.source, primary)
                report.skipped.append(failed)
                tell(failed)
                continue
            failed_ids.discard(item.identifier)
            graph, n_events = primary
            pending.append(graph)
            failed_graphs = {str(pipeline.iris.graph(f)) for f in failed_ids} if failed_ids else set()
            pending.extend(again[0] for again in rereads
                           if not isinstance(again, str) and again[0].graph_iri not in failed_graphs)
            report.read.append(item.source)
            report.events += n_events
            report.duplicates.extend((item.identifier, t) for t in twins)
            tell(planned.article)
            if len(pending) >= batch_size:
                flush()
        flush()
        return report
    finally:
        index.close()  # the on-disk index lives as long as the ingest


TRIM_EVERY = 32  # batches (about a thousand articles) between two returns of freed memory


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    except OSError:
        return None


def release_freed_memory() -> None:
    """Give the memory the process has freed back to the system (glibc's `malloc_trim`), where
    the C library has it; elsewhere nothing.

    Why: every batch builds and drops megabytes of N-Triples and SPARQL text, and glibc keeps
    freed memory in the process, scattered between live blocks, so an ingest's resident size
    crept up by about 9 kB an article although nothing was held (20,000 articles, measured:
    334 → 490 MB; with a trim every thousand articles it stayed between 230 and 390 MB).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _with_twin_metadata(article: Article, twins: list[_Known]) -> Article:
    """The article with what it lacks (date, outlet, headline) taken from its first twin that has it."""
    if not twins:
        return article
    published = article.published or next((t.published for t in twins if t.published), None)
    outlet = article.outlet or next((t.outlet for t in twins if t.outlet), None)
    title = article.title or next((t.title for t in twins if t.title), None)
    return replace(article, published=published, outlet=outlet, title=title)
