"""The ``vnie`` command: a thin layer over the Python API."""
from __future__ import annotations

import atexit
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperArgument, TyperOption

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Vietnamese news-text information extraction: officials, dates, clusters, titles, award counts.")


def _display_type(self, ctx):
    # A flag takes no value: typer would show "<bool>" beside it, and people then write "--quiet true".
    return None if getattr(self, "is_flag", False) else _typer_display_type(self, ctx)


_typer_display_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _display_type
TyperArgument.display_type_rich = lambda self, ctx: None  # the help text says what an argument is


def _version(value: bool):
    if value:
        from pipeline import __version__

        typer.echo(f"vnie {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help="Print the version and exit.")):
    """Vietnamese news-text information extraction: officials, dates, clusters, titles, award counts."""


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
    inputs: Optional[List[str]] = typer.Argument(None, metavar="INPUTS",
                                                 help="Files (.txt, .jsonl, .html, .warc, or any of them .gz), "
                                                      "folders, or - for standard input."),
    out: Path = typer.Option(Path("out"), "-o", "--out", metavar="OUT", help="Output folder for the tables."),
    fmt: Format = typer.Option(Format.csv, "--format", "-f", help="Table format."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read standard input as JSONL (one document per line)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, notes or summary."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any document fails."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Processes on this machine, or Dask workers to start "
                                               "(default: every core)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="Where documents are processed: this machine, "
                                                                 "or a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                                            help="Dask scheduler to use with --engine dask "
                                                 "(default: start a local cluster)."),
    resume: bool = typer.Option(False, "--resume", help="Continue the interrupted run in OUT: the same command, "
                                                        "the same inputs, unchanged."),
    append: bool = typer.Option(False, "--append", help="Add INPUTS to the output in OUT; texts it already "
                                                        "holds are not processed again."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace the output (finished or interrupted) "
                                                              "that OUT holds."),
    skip_duplicates: bool = typer.Option(False, "--skip-duplicates",
                                         help="Leave exact and near duplicates of earlier documents out of the "
                                              "tables (a documents row with status duplicate)."),
    chunk_size: int = typer.Option(64, "--chunk-size", min=1, help="Documents per chunk: the unit of work "
                                                                   "sent to a worker and of a checkpoint."),
):
    """Extract every table from INPUTS into OUT (see manifest.json there for what it holds)."""
    from pipeline.apps.extract import run_extract, summary_line
    from pipeline.engines.base import EngineError
    from pipeline.io.write import OutputError

    _check_extract_usage(inputs, scheduler, engine, overwrite, resume, append)
    started = time.monotonic()
    try:
        summary = run_extract(inputs, out, fmt=fmt.value, jsonl_stdin=jsonl, quiet=quiet, workers=workers,
                              engine=engine.value, scheduler=scheduler, resume=resume, chunk_size=chunk_size,
                              append=append, overwrite=overwrite, skip_duplicates=skip_duplicates)
    except (OutputError, EngineError) as exc:
        typer.echo(f"vnie: error: {exc}", err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        typer.echo(f"vnie: interrupted; the same command with --resume continues the run in {out}", err=True)
        raise typer.Exit(130)
    if not quiet:
        typer.echo(summary_line(summary, time.monotonic() - started, out), err=True)
    if strict and summary["errors"]:
        raise typer.Exit(1)


def _usage_error(message: str) -> None:
    typer.echo(f"vnie: error: {message}", err=True)
    raise typer.Exit(2)


def _check_extract_usage(inputs, scheduler, engine, overwrite: bool, resume: bool, append: bool) -> None:
    if not inputs:
        _usage_error(f"no input given; name files or folders, or - for standard input "
                     f"(the bundled articles: vnie extract {bundled_corpus()} -o out)")
    for value in inputs:
        if value.lower() in ("true", "false", "yes", "no", "1", "0") and not Path(value).exists():
            _usage_error(f"no input {value!r}: flags such as --quiet and --strict take no value")
    if scheduler and engine is not Engine.dask:
        _usage_error("--scheduler needs --engine dask")
    if overwrite and (resume or append):
        _usage_error("--overwrite replaces the output; it goes with neither --resume nor --append")


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., metavar="GOLD", help="GOLD: gold annotations (*.gold.jsonl)."),
    pred: Path = typer.Argument(..., metavar="PRED", help="PRED: an output folder of `vnie extract`, or "
                                                          "predictions in the gold format (JSONL)."),
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
    inputs: List[str] = typer.Argument(..., metavar="INPUTS",
                                       help="Files (.txt, .jsonl, .html, .warc, or any of them .gz), folders, "
                                            "or - for standard input."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read standard input as JSONL (one document per line)."),
    mentions: bool = typer.Option(False, "--mentions", help="Also list every extracted span."),
    doc: List[str] = typer.Option([], "--doc", metavar="ID",
                                  help="Show only the document with this doc_id (repeat for more)."),
):
    """Show each article with its extracted spans highlighted by label, and its tables below."""
    from pipeline.apps.show import show as show_documents

    failed = show_documents(inputs, jsonl_stdin=jsonl, show_mentions=mentions, doc_ids=doc or None)
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
    out: Path = typer.Argument(..., metavar="OUT", help="OUT: an output folder of `vnie extract` (CSV or Parquet "
                                                        "tables)."),
    sql: str = typer.Argument(..., metavar="SQL", help="SQL over the tables, each a view named after its file: "
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


def run() -> None:
    """The ``vnie`` executable: :func:`main`, then a quick exit. Exit handlers run and the output streams
    are flushed, but the interpreter does not take apart, one by one, the objects spaCy and the rules
    built: a fifth of a second a one-article run would otherwise wait for."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):  # sys.exit("message"), as the interpreter would show it
        print(code, file=sys.stderr)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1 if code else 0)


if __name__ == "__main__":
    main()
