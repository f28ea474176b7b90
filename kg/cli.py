"""The ``kg`` command line: a thin layer over the library.

User mistakes (a missing path, a bad query, a folder with no build) end in
one line on stderr and a non-zero exit code; see the README for the codes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import KgError

OUT = "output"


class KgGroup(click.Group):
    """Turns ``KgError`` into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; outputs written so far are complete, nothing half-written was kept.", err=True)
            ctx.exit(130)


@click.group(cls=KgGroup)
@click.version_option(package_name="kg")
def main() -> None:
    """Knowledge graphs from Chinese trade-union news."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--out", default=OUT, show_default=True, help="Folder to write the build into.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1), help="Worker processes.")
@click.option("--executor", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="Where documents are processed: local processes, or a Dask distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address (tcp://HOST:8786); without it, a local Dask cluster of --jobs workers.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Process every document again (the cache is left alone).")
@click.option("--graphml/--no-graphml", default=None,
              help="Write graph.graphml (default: when the graph has at most 500,000 triples).")
@click.option("--strict", is_flag=True, help="Exit non-zero if any input was skipped.")
def build(paths: tuple[str, ...], out: str, jobs: int, executor: str, scheduler: str | None, no_cache: bool,
          graphml: bool | None, strict: bool) -> None:
    """Build the graph of PATHS (files, folders, globs of .txt pages and .jsonl).

    Documents already processed into OUT (same content, same pipeline version)
    are taken from OUT/cache; only new or changed ones are processed.
    """
    from kg.build import build as run_build
    from kg.ingest.read import find_files

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    missing: list = []
    files = find_files(paths, missing)
    if not files:
        from kg.errors import InputError

        reasons = "; ".join(str(s) for s in missing[:3]) or "no .txt or .jsonl files"
        raise InputError(f"nothing to build: {reasons}")
    import sqlite3

    from kg.errors import StoreError

    total = sum(_size(p) for p in files)
    try:
        Path(out).mkdir(parents=True, exist_ok=True)  # fail before hours of work, not after
        with click.progressbar(length=max(total, 1), label="Building", file=sys.stderr,
                               show_pos=False, item_show_func=None) as bar:
            report = run_build(list(paths), out, jobs=jobs, progress=lambda chars: bar.update(chars * 3),
                               executor=executor, scheduler=scheduler, cache=not no_cache, graphml=graphml)
    except OSError as err:  # reading errors are skips; this is the output folder
        where = err.filename or out
        why = ("a file is in the way of the folder" if isinstance(err, (FileExistsError, NotADirectoryError))
               else err.strerror or str(err))
        raise StoreError(f"{where}: cannot write the build ({why}); choose another folder with -o") from err
    except sqlite3.Error as err:
        raise StoreError(f"{out}: cannot write the build cache ({err}); is another build writing "
                         f"this folder?") from err
    for skipped in report.skipped:
        click.echo(f"Skipped {skipped}", err=True)
    facts = ", ".join(f"{n} {k}" for k, n in sorted(report.facts.items())) or "no facts"
    state = f"{report.processed} processed, {report.cached} from cache" + (", up to date" if report.up_to_date else "")
    click.echo(f"Built {out}: {report.documents} documents ({state}), {report.articles} articles, {facts}; "
               f"{report.triples} triples.")
    if graphml is None and "graph.graphml" not in report.outputs:
        click.echo(f"Note: no graph.graphml for {report.triples} triples (too large for graph viewers); "
                   f"`kg build --graphml` writes it anyway, `kg export` writes parts.", err=True)
    if strict and report.skipped:
        click.echo(f"Error: {len(report.skipped)} input(s) skipped (--strict)", err=True)
        sys.exit(5)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # (gone since it was listed: the build reports it)
        return 0


@main.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "file_", type=click.Path(dir_okay=False), help="Read the query from a .rq file.")
@click.option("--name", "-n", help="Run a canned query from ontology/queries/.")
@click.option("--store", "-s", default=OUT, show_default=True, help="Build folder to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "ttl"]), default="table",
              show_default=True)
def query(sparql: str | None, file_: str | None, name: str | None, store: str, fmt: str) -> None:
    """Run a SPARQL query (a string, --file or --name) against a build."""
    from kg import query as q
    from kg.errors import QueryError
    from kg.store import open_store

    given = [x for x in (sparql, file_, name) if x]
    if len(given) != 1:
        raise QueryError("give exactly one of: a SPARQL string, --file F.rq, --name NAME")
    if file_:
        try:
            sparql = Path(file_).read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"{file_}: cannot read ({err.strerror})") from err
    elif name:
        sparql = q.canned(name)
    results = q.run(open_store(store), sparql)
    try:  # (results are lazy: a failing SERVICE call or evaluation error shows up here)
        text = q.format_results(results, fmt)
    except (OSError, RuntimeError) as err:
        raise QueryError(f"query failed: {str(err).splitlines()[0] if str(err) else type(err).__name__}") from err
    click.echo(text)


@main.command()
@click.argument("folder", default=OUT, required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Query time limit, seconds.")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(1),
              help="Largest result sent.")
@click.option("--max-body-bytes", default=1_000_000, show_default=True, type=click.IntRange(1),
              help="Largest request body (and query string) read.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1), help="Query worker processes.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (federated queries to other endpoints).")
@click.option("--memory", is_flag=True,
              help="Copy the store into each worker's memory: queries run several times faster, start-up is slower.")
def serve(folder: str, host: str, port: int, timeout: float, max_result_bytes: int, max_body_bytes: int,
          workers: int, allow_service: bool, memory: bool) -> None:
    """Serve a build as a read-only SPARQL 1.1 endpoint at /sparql (query page at /)."""
    from kg.serve import Settings, run

    settings = Settings(timeout=timeout, max_result_bytes=max_result_bytes, max_body_bytes=max_body_bytes,
                        workers=workers, allow_service=allow_service, memory=memory)
    run(folder, host, port, settings, announce=lambda text: click.echo(text, err=text.startswith("Warning")))


@main.command()
@click.argument("folder", default=OUT, required=False)
@click.option("--endpoint", "-e", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph).")
@click.option("--graph", "-g", metavar="IRI", help="Named graph to write (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--batch", default=50_000, show_default=True, type=click.IntRange(1), help="Triples per request.")
@click.option("--format", "fmt", type=click.Choice(["nt", "ttl"]), default="nt", show_default=True,
              help="N-Triples or Turtle in each request.")
@click.option("--user", metavar="USER:PASSWORD", envvar="KG_PUSH_USER",
              help="HTTP basic authentication (or set KG_PUSH_USER).")
def push(folder: str, endpoint: str, graph: str | None, append: bool, batch: int, fmt: str,
         user: str | None) -> None:
    """Send a build's graph to a SPARQL server (SPARQL 1.1 Graph Store Protocol)."""
    from kg.push import push as run_push

    report = run_push(folder, endpoint, graph, batch=batch, fmt=fmt, replace=not append, user=user)
    where = f"graph <{graph}>" if graph else "the default graph"
    click.echo(f"Pushed {report.triples} triples to {where} of {endpoint} in {report.requests} request(s).")


@main.command()
@click.argument("folder", default=OUT, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--plot", is_flag=True, help="Also write PNG charts (activity per province, programs per group) into FOLDER.")
def stats(folder: str, as_json: bool, plot: bool) -> None:
    """Counts, central organizations, activity per province and communities of a build."""
    from kg.stats import compute, plot as draw, render
    from kg.store import open_store

    result = compute(open_store(folder))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else render(result))
    if plot:
        for path in draw(result, folder):
            click.echo(f"Wrote {path}", err=True)


@main.command(name="validate")
@click.argument("target", default=OUT, required=False)
@click.option("--warnings", "show_warnings", is_flag=True, help="Also list warnings (conventions, not errors).")
@click.option("--inference", type=click.Choice(["none", "rdfs"]), default="none", show_default=True,
              help="pyshacl inference; for kg's shapes both give the same report, none twice as fast.")
def validate_(target: str, show_warnings: bool, inference: str) -> None:
    """Check a build (FOLDER/graph.ttl) or an RDF file against the ontology's SHACL shapes.

    Prints "Conforms: N triples checked", or one line per violation and exits 1.
    """
    from kg.validate import format_violations, validate_target

    result, checked = validate_target(target, inference=inference)
    listing = format_violations(result, warnings=show_warnings)
    if listing:
        click.echo(listing)
    warned = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    if result.conforms:
        click.echo(f"Conforms: {checked} triples checked{warned}")
        return
    click.echo(f"Does not conform: {len(result.errors)} violation(s){warned} in {checked} triples", err=True)
    sys.exit(1)


@main.command(name="export")
@click.argument("folder", default=OUT, required=False)
@click.option("--format", "-f", "fmt", required=True,
              type=click.Choice(["ttl", "nt", "nq", "jsonld", "graphml", "gexf", "cyjs"]),
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: FOLDER/graph.EXT].")
@click.option("--events", type=click.Choice(["nodes", "edges"]), default="nodes", show_default=True,
              help="Graph formats: events as nodes, or folded into agent→object edges.")
def export_(folder: str, fmt: str, output: str | None, events: str) -> None:
    """Write a build as RDF (ttl, nt, nq, jsonld) or as a graph for Gephi/Cytoscape (graphml, gexf, cyjs)."""
    from kg.export import default_name, export
    from kg.store import open_store

    from kg.errors import StoreError

    store = open_store(folder)
    path = Path(output) if output else Path(folder) / default_name(fmt, events)
    try:
        export(store, fmt, path, events=events)
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from err
    click.echo(f"Wrote {path} ({path.stat().st_size:,} bytes)")


@main.command()
@click.argument("folder", default=OUT, required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="HTML file [default: FOLDER/graph.html].")
@click.option("--max-nodes", default=2000, show_default=True, type=click.IntRange(1),
              help="Draw only this many of the best connected nodes.")
def viz(folder: str, output: str | None, max_nodes: int) -> None:
    """Write a self-contained interactive HTML view of a build (works offline)."""
    from kg.store import open_store
    from kg.viz import write_html

    from kg.errors import StoreError

    store = open_store(folder)
    path = Path(output) if output else Path(folder) / "graph.html"
    try:
        shown = write_html(store, path, title=Path(folder).resolve().name, max_nodes=max_nodes)
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from err
    click.echo(f"Wrote {path}: {shown['nodes']} of {shown['total_nodes']} nodes, {shown['edges']} edges")


@main.command()
@click.argument("source", default="-", required=False)
def annotate(source: str) -> None:
    """Entities of JSONL {"text": …} lines (a file or - for stdin) as JSON lines."""
    from kg.annotate import annotate_lines
    from kg.errors import InputError

    if source == "-":
        for line in annotate_lines(sys.stdin, "<stdin>"):
            click.echo(line)
        return
    try:
        handle = open(source, encoding="utf-8")
    except OSError as err:
        raise InputError(f"{source}: cannot read ({err.strerror})") from err
    with handle:
        for line in annotate_lines(handle, source):
            click.echo(line)


@main.command(name="eval")
@click.argument("gold", type=click.Path())
@click.option("--store", "-s", default=OUT, show_default=True, help="Build folder to score.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--misses", is_flag=True, help="List the gold facts that were not found, wrong places and spurious facts.")
def eval_(gold: str, store: str, as_json: bool, misses: bool) -> None:
    """Score a build against GOLD.jsonl (precision, recall, F1 per event type, posts, regions)."""
    from kg.evaluate import evaluate, read_gold
    from kg.store import open_store

    result = evaluate(open_store(store), read_gold(gold))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{'type':16} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
        for name, score in [*result.by_type.items(), ("events (all)", result.events), ("hold_post", result.posts)]:
            click.echo(f"{name:16} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} "
                       f"{score.predicted:5d} {score.gold:5d}")
        click.echo(f"region accuracy  {result.region_accuracy:.3f} over {result.region_total} matched events")
    if misses:
        for g in result.misses:
            click.echo(f"missed {g['doc'][:3]} {g['type']}: {g.get('agent') or g.get('person')} | "
                       f"{g.get('object') or g.get('post')}", err=True)
        for g, place in result.wrong_places:
            click.echo(f"wrong place {g['doc'][:3]} {g['type']}: {g['object']} in {g['region']}, not {place}", err=True)
        for e in result.spurious:
            click.echo(f"spurious {e['doc'][:3]} {e['type']}: {'/'.join(sorted(e['agent']))} | "
                       f"{'/'.join(sorted(e['object']))}", err=True)
        for p in result.spurious_posts:
            click.echo(f"spurious {p['doc'][:3]} Membership: {p['person']} | {'/'.join(sorted(p['org']))}", err=True)
