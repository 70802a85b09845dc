"""`kg query`: SPARQL over the store, read-only unless asked, as a table, CSV, TSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.store import QueryError, Store

_UPDATE = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b\s*(DATA|WHERE|SILENT|GRAPH|ALL|DEFAULT|NAMED|\{|<|INTO)",
    re.IGNORECASE,
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# Tokens as SPARQL's grammar reads them (IRIREF, the four string forms with their escapes, a comment
# ending at CR or LF): any looser reading hides code from the checks below. `FILTER(?a<?b)SERVICE:x{…}
# FILTER(?b>?a)` read `<…>` as an IRI, `"""a\""""` ended a long string early, `# …\r` ran on past
# the CR: each let a SERVICE through (tests/test_security.py).
_STRINGS_AND_COMMENTS = re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""|'
                                   r"'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''|"
                                   r'"(?:[^"\\\n\r]|\\.)*"|'
                                   r"'(?:[^'\\\n\r]|\\.)*'|"
                                   r'<[^<>"{}|^`\\\x00-\x20]*>|#[^\r\n]*')


@dataclass(frozen=True, slots=True)
class Table:
    """A SELECT result as plain strings: what every output format is written from."""

    columns: list[str]
    rows: list[list[str]]


def canned_query(name: str) -> str:
    """A query shipped under `kg/queries/` (file name without `.rq`)."""
    return (resources.files("kg.queries") / f"{name}.rq").read_text(encoding="utf-8")


def load_query_text(query_or_file: str) -> str:
    """The query itself, or the text of a `.rq` file naming it."""
    if query_or_file.endswith((".rq", ".sparql")) and "\n" not in query_or_file:
        path = Path(query_or_file)
        if not path.is_file():
            raise QueryError(f"{query_or_file}: no such query file")
        return path.read_text(encoding="utf-8")
    return query_or_file


def _code_only(sparql: str) -> str:
    return _STRINGS_AND_COMMENTS.sub(" ", sparql)


def check_query(sparql: str, *, allow_update: bool = False, allow_service: bool = False) -> bool:
    """Refuse what a reader did not ask for; returns whether the text is an update."""
    code = _code_only(sparql)
    is_update = bool(_UPDATE.search(code))
    if is_update and not allow_update:
        raise QueryError("this is a SPARQL update; kg query is read-only unless --allow-update is given")
    if _SERVICE.search(code) and not allow_service:
        raise QueryError("federated SERVICE clauses are refused (they make the store send requests to any URL); "
                         "use --allow-service to permit them")
    return is_update


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def run_select(store: Store, sparql: str, bindings: Mapping[str, str] | None = None) -> Table:
    """A SELECT query as a Table; user values are bound as literals, never pasted into the text."""
    subs = {k: ox.Literal(v) for k, v in (bindings or {}).items()}
    result = store.query(sparql, subs or None)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    columns = [v.value for v in result.variables]
    rows = [[_cell(solution[c]) for c in columns] for solution in result]
    return Table(columns, rows)


def run_query(store: Store, sparql: str, *, allow_update: bool = False, allow_service: bool = False
              ) -> Table | bool | bytes | None:
    """Any query: a Table (SELECT), a bool (ASK), N-Triples bytes (CONSTRUCT/DESCRIBE), None (update)."""
    if check_query(sparql, allow_update=allow_update, allow_service=allow_service):
        store.update(sparql)
        return None
    result = store.query(sparql)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [[_cell(s[c]) for c in columns] for s in result])
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)


def format_table(table: Table, fmt: str) -> str:
    """csv, tsv or json text of a table (the `table` format is drawn by the CLI with rich)."""
    if fmt == "json":
        return json.dumps([dict(zip(table.columns, row, strict=True)) for row in table.rows],
                          ensure_ascii=False, indent=2)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue()
