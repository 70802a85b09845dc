"""The `kg` command line: options become arguments of the library function of the same name.

No logic lives here beyond wiring and printing; errors become one line on standard error and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from kg import __version__
from kg.export import EXTENSIONS, FORMATS, export_graph
from kg.exports import EXPORTS, NETWORK_VIEWS, export_other
from kg.query import Table, format_table, load_query_text, run_query
from kg.store import QueryError, StoreConfig, StoreError, open_store

app = typer.Typer(
    help="Build and explore a mediation-timeline knowledge graph from news articles.\n\n"
    "Example: kg ingest seeds && kg query 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


ExportFormat = Enum("ExportFormat", {name: name for name in (*FORMATS, *EXPORTS)}, type=str)  # type: ignore[misc]
NetworkView = Enum("NetworkView", {name: name for name in NETWORK_VIEWS}, type=str)  # type: ignore[misc]


@dataclass(slots=True)
class Settings:
    """Global options, handed to every command through typer's context."""

    store: StoreConfig
    kb_files: list[Path]
    quiet: bool = False
    verbose: bool = False


def fail(message: str, code: int = 1) -> typer.Exit:
    """One line on stderr and the exit status: the only way commands report errors."""
    err.print(f"kg: {' '.join(str(message).split())}", markup=False)
    return typer.Exit(code)


def _settings(ctx: typer.Context) -> Settings:
    return ctx.obj


def _print_table(table: Table, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.table:
        rich_table = RichTable(show_lines=False)
        for column in table.columns:
            rich_table.add_column(column, overflow="fold")
        for row in table.rows:
            rich_table.add_row(*row)
        out.print(rich_table)
        out.print(f"{len(table.rows)} row(s)", style="dim")
    else:
        sys.stdout.write(format_table(table, fmt.value))


def _version(value: bool) -> None:
    if value:
        print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Annotated[str, typer.Option("--store", envvar="KG_STORE",
                                       help="Store location: a folder (embedded Oxigraph), 'memory:', "
                                            "or a SPARQL endpoint URL.")] = "./kg-store",
    update_url: Annotated[str | None, typer.Option("--update-url", envvar="KG_UPDATE_URL",
                                                   help="SPARQL update URL, where the server takes "
                                                        "updates elsewhere than queries.")] = None,
    kb: Annotated[list[Path] | None, typer.Option("--kb", help="Extra actor/place knowledge (Turtle), "
                                                   "added to ontology/actors.ttl. Repeatable.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only summaries and errors "
                                        "(no line per file).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print timings and details.")] = False,
) -> None:
    """Global options shared by every command."""
    ctx.obj = Settings(StoreConfig(store, update_url), list(kb or []), quiet, verbose and not quiet)


def _open(settings: Settings):
    try:
        return open_store(settings.store)
    except StoreError as exc:
        raise fail(str(exc), 2) from None  # busy, read-only, not a store: nothing could be done


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files (.txt, .jsonl) or folders to read.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary and errors.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1,
                                                help="Extraction processes (default: all cores). "
                                                     "The store is the same whatever the number.")] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles per store transaction.")] = 32,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=0, help="Largest article file or JSON Lines record "
                                           "read, in bytes; bigger ones are skipped with a line (0: no limit).")]
    = 20_000_000,
) -> None:
    """Read articles, extract events and store one graph per article.

    Re-ingesting an article replaces its graph. Extraction runs on all cores; a progress bar
    shows on a terminal for long inputs. Exit status 0 if all went well, 1 if some input failed
    (the rest is stored), 2 if nothing could be done (no input read, or the store unusable).

    Example: kg ingest seeds/ more/article.txt --workers 2
    """
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from kg.ingest import Pipeline
    from kg.ingest import ingest as run_ingest
    from kg.parallel import count_inputs, default_workers
    from kg.sources import Skipped

    settings = _settings(ctx)
    quiet = quiet or settings.quiet
    for path in settings.kb_files:
        if not path.is_file():
            raise fail(f"{path}: no such knowledge-base file", 2)
    loading = time.perf_counter()
    try:
        pipeline = Pipeline.load(settings.kb_files)
    except Exception as exc:  # noqa: BLE001 - a user's KB file can fail in many ways; say which
        raise fail(f"cannot load the knowledge base: {exc}", 2) from None
    if settings.verbose:
        err.print(f"knowledge base and lexicon loaded in {time.perf_counter() - loading:.2f} s", markup=False)
    total = count_inputs(paths)
    # a pool costs more than it saves on a handful of articles; the store is the same either way
    n_workers = max(1, min(workers or default_workers(), total // 16 or 1))
    show_bar = not quiet and err.is_terminal and total > 50
    progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=err, disable=not show_bar)
    task = progress.add_task("ingest", total=total)
    store = _open(settings)

    def report(item) -> None:
        progress.advance(task)
        if isinstance(item, Skipped):
            progress.console.print(f"kg: {item.source}: {item.reason}" + ("" if item.failed else " (skipped)"),
                                   markup=False)
            return
        for note in item.notes:  # stored, but a field was unusable (a number for a date…)
            progress.console.print(f"kg: {item.source}: {note}", markup=False)
        if not quiet and not show_bar:
            out.print(f"read {item.source}" + (f" ({item.identifier}; {len(item.text):,} characters)"
                                               if settings.verbose else ""), markup=False)

    started = time.perf_counter()
    try:
        with progress:
            result = run_ingest(paths, store, pipeline, on_item=report, workers=n_workers, batch_size=batch,
                                max_bytes=max_bytes or None)
    except (StoreError, QueryError) as exc:
        # a full disk, a store that went away: what earlier batches wrote stays (each is atomic)
        _close_quietly(store)
        raise fail(f"{exc}; ingest stopped", 2) from None
    except BaseException:
        _close_quietly(store)
        raise
    try:
        store.close()
    except StoreError as exc:
        raise fail(str(exc), 2) from None
    seconds = time.perf_counter() - started
    rate = len(result.read) / seconds if seconds > 0 else 0.0
    out.print(f"{len(result.read)} article(s) read, {len(result.skipped)} skipped, "
              f"{result.events} event mention(s) extracted in {seconds:.1f} s "
              f"({rate:.1f} articles/s, {n_workers} worker(s))", markup=False)
    if result.failed:
        raise typer.Exit(1 if result.read else 2)


def _close_quietly(store) -> None:
    """Release a store after an error already reported: a second failure adds nothing for the user."""
    try:
        store.close()
    except (StoreError, AttributeError):
        pass


@app.command()
def query(
    ctx: typer.Context,
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or the path of a .rq file.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Permit SPARQL updates.")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service",
                                                help="Permit federated SERVICE clauses.")] = False,
) -> None:
    """Run a SPARQL query (read-only unless --allow-update) over all articles' graphs.

    Example: kg query 'PREFIX med: <https://w3id.org/mediation-kg/ontology#>
    SELECT ?e WHERE { ?e a med:Mediation }' --format csv
    """
    try:
        text = load_query_text(sparql)
    except QueryError as exc:
        raise fail(str(exc), 2) from None
    store = _open(_settings(ctx))
    try:
        result = run_query(store, text, allow_update=allow_update, allow_service=allow_service)
    except (QueryError, StoreError) as exc:
        raise fail(str(exc), 2 if isinstance(exc, QueryError) else 1) from None
    except (OSError, RuntimeError) as exc:  # raised while reading results: a SERVICE that failed, an eval error
        raise fail(f"the query failed: {exc}") from None
    finally:
        store.close()
    if isinstance(result, Table):
        _print_table(result, fmt)
    elif isinstance(result, bool):
        print("true" if result else "false")
    elif isinstance(result, bytes):
        sys.stdout.write(result.decode("utf-8"))
    else:
        err.print("update applied", markup=False)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="RDF format, or graphml, gexf (networks), "
                                              "jsonld-compact, timeline-csv, plover (JSON Lines).")
                   ] = "turtle",  # type: ignore[assignment]
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    view: Annotated[NetworkView, typer.Option("--view", help="For graphml and gexf: the actor network, or "
                                              "events linked to their actors.")] = "actors",  # type: ignore[assignment]
) -> None:
    """Export the graph: Turtle and N-Triples hold the union; TriG, N-Quads, JSON-LD keep one graph per article;
    GraphML and GEXF the actor or event network; plover one PLOVER-style JSON line per event.

    Example: kg export --format turtle -o graph.ttl ; kg export -f gexf --view events -o events.gexf
    """
    name = fmt.value if isinstance(fmt, Enum) else str(fmt)
    view_name = view.value if isinstance(view, Enum) else str(view)
    store = _open(_settings(ctx))
    try:
        data = export_graph(store, name) if name in FORMATS else export_other(store, name, view_name)
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if output is None:
        sys.stdout.buffer.write(data)
        return
    _write_atomically(output, data)
    extension = EXTENSIONS[name] if name in EXTENSIONS else EXPORTS[name].extension
    err.print(f"wrote {output} ({len(data):,} bytes, {name}; usual extension {extension})", markup=False)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(f"{path}: cannot write: {exc.strerror or exc}") from None


class View(StrEnum):
    actors = "actors"
    events = "events"
    timeline = "timeline"


@app.command()
def render(
    ctx: typer.Context,
    view: Annotated[View, typer.Option("--view", help="actors: who mediates/talks to/visits whom; "
                                       "events: actors and events; timeline: events in time.")] = View.actors,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="HTML file to write "
                                                "(default: graph.html, or timeline.html for the timeline).")] = None,
) -> None:
    """Draw the graph as one self-contained, offline HTML page (network or timeline).

    Example: kg render --view timeline -o timeline.html && xdg-open timeline.html
    """
    from kg.render.page import render_page

    target = output or Path("timeline.html" if view is View.timeline else "graph.html")
    store = _open(_settings(ctx))
    try:
        html = render_page(store, view.value)
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    _write_atomically(target, html.encode("utf-8"))
    err.print(f"wrote {target}", markup=False)


@app.command()
def timeline(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option("--actor", help="Only events this actor takes part in "
                                              "(label, variant, or a person's state).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this class, e.g. Mediation.")] = None,
    date_from: Annotated[str | None, typer.Option("--from",
                                                  help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this date (inclusive).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the interactive timeline page "
                                              "of the selected events to this file.")] = None,
) -> None:
    """List events in date order with their mediators, parties, place and number of sources.

    Example: kg timeline --actor Iran --type Mediation --from 2023 --html iran.html
    """
    from kg.timeline import timeline as run_timeline

    store = _open(_settings(ctx))
    try:
        table = run_timeline(store, actor=actor, event_type=event_type, date_from=date_from, date_to=date_to)
        page = None
        if html is not None:
            from kg.render.page import render_page

            filtered = any(v is not None for v in (actor, event_type, date_from, date_to))
            selected = {row[table.columns.index("event")] for row in table.rows} if filtered else None
            page = render_page(store, "timeline", only_events=selected)
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if html is not None and page is not None:
        _write_atomically(html, page.encode("utf-8"))
        err.print(f"wrote {html}", markup=False)
    if fmt is OutputFormat.table:
        keep = ["date", "endDate", "types", "mediators", "parties", "participants", "place", "sources"]
        idx = [table.columns.index(c) for c in keep]
        table = Table(keep, [[row[i] for i in idx] for row in table.rows])
    _print_table(table, fmt)


@app.command()
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535,
                                      help="Port on 127.0.0.1 (0: any free port).")] = 7878,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Query timeout, seconds.")] = 30.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest response sent, bytes.")]
    = 50_000_000,
    cors: Annotated[str | None, typer.Option("--cors", help="Allow cross-origin requests from this one origin, "
                                             "e.g. https://yasgui.triply.cc (default: none).")] = None,
    allow_service: Annotated[bool, typer.Option("--allow-service",
                                                help="Permit federated SERVICE clauses.")] = False,
) -> None:
    """Serve the embedded store as a read-only SPARQL endpoint on 127.0.0.1, for YASGUI and other clients.

    Updates and SERVICE are refused; kg ingest waits until it stops (the store is busy).

    Example: kg serve --port 7878   # then query http://127.0.0.1:7878/query
    """
    from kg.serve import ServeConfig, ServeError
    from kg.serve import serve as run_serve

    location = _settings(ctx).store.location
    if location == "memory:" or location.startswith(("http://", "https://")):
        raise fail(f"{location}: kg serve serves an on-disk store; a SPARQL server is already an endpoint", 2)

    def ready(url: str) -> None:
        err.print(f"serving {location} read-only at {url} (Ctrl-C to stop)", markup=False)

    try:
        run_serve(ServeConfig(location, port, timeout, max_bytes, cors, allow_service), ready)
    except ServeError as exc:
        raise fail(str(exc)) from None


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def evaluate(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(help="Gold annotations, one JSON event a line (see tests/data/dev/).")],
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    details: Annotated[bool, typer.Option("--details", help="Also list missed and spurious events and relations.")]
    = False,
) -> None:
    """Score the graph against gold event annotations: precision, recall and F1 per event type,
    and the relation, event, date and merge figures of the shared scorer.

    Example: kg ingest tests/data/dev && kg evaluate tests/data/dev_gold.jsonl --details
    """
    import json

    from kg.evaluate import GoldError, Names, load_gold
    from kg.evaluate import evaluate as run_evaluate

    try:
        records = load_gold(gold)
    except GoldError as exc:
        raise fail(str(exc), 2) from None
    settings = _settings(ctx)
    try:
        names = Names.load(settings.kb_files)
    except Exception as exc:  # noqa: BLE001 - a user's KB file can fail in many ways; say which
        raise fail(f"cannot load the knowledge base: {exc}", 2) from None
    store = _open(settings)
    try:
        report = run_evaluate(store, records, names=names)
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if not details:
        hidden = ("missed_gold", "missed_other", "matched", "spurious_events", "missed_relations", "spurious_relations")
        report = {k: v for k, v in report.items() if k not in hidden}
    if fmt is EvalFormat.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return
    rows = [[t, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", str(v["found"]), str(v["gold"])]
            for t, v in report["per_type"].items()]
    _print_table(Table(["type", "precision", "recall", "f1", "found", "gold"], rows), OutputFormat.table)
    if details:
        for key in ("missed_gold", "missed_other", "spurious_events", "missed_relations", "spurious_relations"):
            out.print(f"{key}:", markup=False)
            for item in report[key]:
                out.print(f"  {item}", markup=False)
    r, e, d, m = report["relations"], report["events"], report["dates"], report["merges"]
    for name, x in (("relations", r), ("events", e)):
        out.print(f"{name:<9} P={x['precision']:.3f} R={x['recall']:.3f} F1={x['f1']:.3f} "
                  f"({x['found']} found, {x['gold']} gold)", markup=False)
    out.print(f"dates     {d['exact']}/{d['of']} exact ({d['accuracy']:.3f})", markup=False)
    out.print(f"merges    {m['merged']}/{m['of']} cross-article groups on one node ({m['rate']:.3f})", markup=False)


@app.command()
def validate(
    ctx: typer.Context,
    shapes: Annotated[Path | None, typer.Option("--shapes", help="SHACL shapes (Turtle) to use instead of "
                                                "ontology/shapes.ttl.")] = None,
    rdfs: Annotated[bool, typer.Option("--rdfs", help="Run RDFS inference first (about 8x slower; the "
                                       "shipped shapes do not need it).")] = False,
) -> None:
    """Check the resolved graph against the SHACL shapes: one line per violation (node, property,
    problem). Exit status 1 when the graph does not conform.

    Example: kg validate ; kg validate --shapes my-shapes.ttl
    """
    import time

    from kg.validate import ValidationError, validate_store

    settings = _settings(ctx)
    store = _open(settings)
    started = time.perf_counter()
    try:
        report = validate_store(store, shapes=shapes, inference="rdfs" if rdfs else "none")
    except ValidationError as exc:
        raise fail(str(exc), 2) from None
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    for violation in report.violations:
        out.print(violation.line(), markup=False)
    seconds = f" in {time.perf_counter() - started:.2f} s" if settings.verbose else ""
    if report.conforms:
        err.print(f"conforms: {report.triples:,} triples checked{seconds}", markup=False)
        return
    err.print(f"kg: does not conform: {len(report.violations)} violation(s) in {report.triples:,} triples{seconds}",
              markup=False)
    raise typer.Exit(1)


@app.command()
def show(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="An event IRI or id (the hash at its end), or an actor's "
                                             "name or variant.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table (readable) or json.")] = OutputFormat.table,
) -> None:
    """Show one event with every source and sentence, or one actor with its names, roles and events.

    Example: kg show "Al Ansari"   or   kg show 365cabcd4bfa6d1e
    """
    import json

    from kg.show import NotFound
    from kg.show import show as run_show

    store = _open(_settings(ctx))
    try:
        value = run_show(store, reference)
    except NotFound as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:  # an http(s) reference that is no IRI ("http://x> } ; DROP ALL")
        raise fail(f"'{reference}' is not a valid IRI ({exc})", 2) from None
    except (StoreError, QueryError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt is not OutputFormat.table:
        print(json.dumps(value, ensure_ascii=False, indent=2))
        return
    lists = {k: v for k, v in value.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    for key, item in value.items():
        if key not in lists:
            shown = ", ".join(item) if isinstance(item, list) else item
            out.print(f"[bold]{key}[/bold]: {shown}" if shown else f"[bold]{key}[/bold]: -", highlight=False)
    for rows in lists.values():
        cells = [[str(r.get(c, "")).rsplit("/", 1)[-1] if c == "event" else str(r.get(c, "")) for c in rows[0]]
                 for r in rows]
        _print_table(Table(list(rows[0]), cells), OutputFormat.table)


def main() -> None:
    """Console-script entry point."""
    app()
