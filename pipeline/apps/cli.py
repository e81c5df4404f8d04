"""The ``vnie`` command: a thin layer over the Python API."""
from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Vietnamese news-text information extraction: officials, dates, clusters, titles, award counts.")


class Format(str, Enum):
    csv = "csv"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def bundled_corpus() -> Path:
    """The sample articles shipped with the project."""
    return Path(__file__).resolve().parents[2] / "corpus"


@app.command()
def extract(
    inputs: Optional[List[str]] = typer.Argument(None, help="Files (.txt, .jsonl, .html), folders, or - for stdin. "
                                                           "Default: the bundled corpus."),
    out: Path = typer.Option(Path("out"), "-o", "--out", help="Output folder for the tables."),
    fmt: Format = typer.Option(Format.csv, "--format", "-f", help="Table format."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read standard input as JSONL (one document per line)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any document fails."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Processes on this machine, or Dask workers to start "
                                               "(default: every core)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="Where documents are processed: this machine, "
                                                                 "or a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                                            help="Dask scheduler to use with --engine dask "
                                                 "(default: start a local cluster)."),
    resume: bool = typer.Option(False, "--resume", help="Continue the interrupted run in OUT (same inputs and "
                                                        "format) instead of starting over."),
    chunk_size: int = typer.Option(64, "--chunk-size", min=1, help="Documents per chunk: the unit of work "
                                                                   "sent to a worker and of a checkpoint."),
):
    """Extract every table from INPUTS into OUT."""
    from pipeline.apps.extract import run_extract
    from pipeline.engines.base import EngineError
    from pipeline.io.write import OutputError

    if not inputs:
        inputs = [str(bundled_corpus())]
    if scheduler and engine is not Engine.dask:
        typer.echo("vnie: error: --scheduler needs --engine dask", err=True)
        raise typer.Exit(2)
    started = time.monotonic()
    try:
        summary = run_extract(inputs, out, fmt=fmt.value, jsonl_stdin=jsonl, quiet=quiet, workers=workers,
                              engine=engine.value, scheduler=scheduler, resume=resume, chunk_size=chunk_size)
    except (OutputError, EngineError) as exc:
        typer.echo(f"vnie: error: {exc}", err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        typer.echo(f"vnie: interrupted; the same command with --resume continues the run in {out}", err=True)
        raise typer.Exit(130)
    if not quiet:
        seconds = time.monotonic() - started
        done = summary["ok"] + summary["errors"] - summary.get("skipped", 0)
        typer.echo(f"{summary['ok']} documents ok, {summary['errors']} errors, {seconds:.1f} s "
                   f"({done / seconds if seconds else 0:.1f} documents/s) -> {out}", err=True)
    if strict and summary["errors"]:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotations (*.gold.jsonl)."),
    pred: Path = typer.Argument(..., help="An output folder of `vnie extract`, or a gold-format JSONL."),
    docs: bool = typer.Option(False, "--docs", help="List each document's misses and extras."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    only: Optional[str] = typer.Option(None, "--only", help="Comma-separated doc ids to score."),
):
    """Score PRED against GOLD: precision, recall and F1 of every field, by the rules of SCHEMA.md."""
    import json

    from pipeline.apps.evaluate import evaluate as run_evaluate, format_errors, format_scores

    for p in (gold, pred):
        if not p.exists():
            typer.echo(f"vnie: error: {p} does not exist", err=True)
            raise typer.Exit(2)
    report = run_evaluate(str(gold), str(pred), set(only.split(",")) if only else None)
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False) if as_json else format_scores(report))
    errors = format_errors(report) if docs else ""
    if errors:
        typer.echo(errors)


@app.command()
def show(
    inputs: List[str] = typer.Argument(..., help="A file (.txt, .html, .jsonl), a folder, or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read standard input as JSONL (one document per line)."),
    mentions: bool = typer.Option(False, "--mentions", help="Also list every extracted span."),
):
    """Show each article with its extracted spans highlighted by label, and its tables below."""
    from pipeline.apps.show import show as show_documents

    failed = show_documents(inputs, jsonl_stdin=jsonl, show_mentions=mentions)
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. The default is reachable only "
                                                         "from this machine."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    max_upload_mb: float = typer.Option(5.0, "--max-upload-mb", help="Largest upload accepted, in MB."),
):
    """A local web page: paste or upload articles, see the spans highlighted, download the tables."""
    from pipeline.apps.serve import is_loopback, run

    if max_upload_mb <= 0:
        typer.echo("vnie: error: --max-upload-mb must be more than 0", err=True)
        raise typer.Exit(2)
    if not is_loopback(host):
        typer.echo(f"vnie: warning: serving on {host}: anyone who can reach this machine can use the page",
                   err=True)
    run(host=host, port=port, max_upload_bytes=int(max_upload_mb * 1024 * 1024))


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    out: Path = typer.Argument(..., help="An output folder of `vnie extract` (CSV or Parquet tables)."),
    sql: str = typer.Argument(..., help="SQL over the tables, each a view named after its file: "
                                        "documents, officials, dates, clusters, titles, award_counts, "
                                        "mentions, errors, texts."),
    fmt: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table (for people), csv or json."),
):
    """Run SQL (DuckDB) over the tables in OUT."""
    from pipeline.apps.query import QueryError, format_csv, format_json, query as run_query, result_table

    try:
        columns, rows = run_query(out, sql)
    except QueryError as exc:
        typer.echo(f"vnie: error: {exc}", err=True)
        raise typer.Exit(2)
    if fmt is QueryFormat.csv:
        sys.stdout.write(format_csv(columns, rows))
    elif fmt is QueryFormat.json:
        sys.stdout.write(format_json(columns, rows) + "\n")
    else:
        from rich.console import Console

        Console().print(result_table(columns, rows))


def main():
    """Entry point of the ``vnie`` command."""
    app()


if __name__ == "__main__":
    main()
