"""``signalboost export --parquet`` and ``signalboost scale influence|overlap``: run the jobs on Apache Spark.

For graphs past one machine: export the canonical tables as Parquet, run the influence or overlap job on Spark
(local mode or a cluster via ``--master``), and load the results back into the workspace (see docs/scale.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, open_ws
from signalboost.i18n import L_, _, format_number, ngettext

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace

scale_app = typer.Typer(
    help=(
        "Run the influence and overlap jobs on Apache Spark over a Parquet export (graphs past one machine).\n\n"
        "Start with:  signalboost export --parquet big/  then  signalboost scale influence --parquet big/ --load-back"
    ),
    no_args_is_help=True,
)

ParquetOption = typer.Option(..., "--parquet", help="Folder written by `signalboost export --parquet`.")
MasterOption = typer.Option(
    "local[2]", "--master", help="Spark master: local[N] (N threads on this machine) or a cluster URL."
)
LoadBackOption = typer.Option(False, "--load-back", help="Store the results in the workspace (one transaction).")


def _spark_available() -> None:
    import importlib.util
    import shutil

    from signalboost.errors import UsageError

    if importlib.util.find_spec("pyspark") is None:
        raise UsageError(L_("PySpark is not installed"), hint=L_("Install the extra: pip install 'signalboost[spark]'"))
    if shutil.which("java") is None:
        raise UsageError(
            L_("Spark needs a Java runtime (17 or later)"), hint=L_("Install one, e.g. apt install openjdk-17-jre")
        )


def _status(label: str) -> Any:
    from rich.console import Console

    return Console(stderr=True).status(label)


def register(app: typer.Typer) -> None:
    app.add_typer(scale_app, name="scale")

    @app.command("export")
    def export(
        parquet: Path = typer.Option(..., "--parquet", help="Folder to write the Parquet files and manifest.json."),
        tables: list[str] = typer.Option(
            None, "--tables", help="Tables to write, comma separated (default: all canonical tables)."
        ),
        platform: list[str] = typer.Option(None, "--platform", "-p", help="Only these platforms (repeatable)."),
        force: bool = typer.Option(False, "--force", help="Replace the Parquet files of an existing folder."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Write the canonical tables as Parquet files with a manifest.json, for `signalboost scale`.

        Tables: accounts, follows, interactions, posts, post_metrics (columns as in the workspace, platform
        included); manifest.json gives row counts, the schema version and the platforms. Any Parquet tool reads it.

        Example: signalboost export --parquet big/
        Example: signalboost export --parquet big/ --tables follows,accounts --platform x --force
        """
        from signalboost.scale.export import export_parquet

        ws = open_ws(workspace, read_only=True)
        with _status(_("Exporting…")) as status:
            done = export_parquet(
                ws, parquet, tables=tables, platforms=platform, force=force, progress=lambda t: status.update(t)
            )
        rows = [{"table": t, "rows": n, "file": str(done.files[t])} for t, n in done.rows.items()]
        doc = {"folder": str(done.folder), "platforms": done.platforms, "schema_version": done.schema_version}
        emit_rows(rows, fmt, title=_("Parquet export in {folder}").format(folder=done.folder), document=doc)

    @scale_app.command("influence")
    def influence(
        parquet: Path = ParquetOption,
        platform: str = typer.Option(None, "--platform", "-p", help="Network (default: the export's only one)."),
        master: str = MasterOption,
        load_back: bool = LoadBackOption,
        top: int = typer.Option(10, "--top", "-n", min=0, help="How many top accounts to print."),
        tol: float = typer.Option(1e-6, "--tol", min=1e-15, max=1e-2, help="PageRank L1 tolerance."),
        topic_tol: float = typer.Option(
            1e-4, "--topic-tol", min=1e-15, max=1e-2, help="L1 tolerance of each topic's PageRank."
        ),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Score influence on Apache Spark over a Parquet export (graphs past one machine).

        Spark computes every score component (reach, authority, amplification, topic leadership — the strategy's
        pillar hashtags, else the 10 most used hashtags — and activity) and writes
        DIR/results/influence-PLATFORM.parquet; --load-back stores the scores so the dashboard and
        `signalboost influencers --stored` show them.

        Example: signalboost scale influence --parquet big/ --platform x --load-back
        """
        from signalboost.influence.job import settings_and_topics
        from signalboost.scale import jobs
        from signalboost.store import scale_sql

        _spark_available()
        ws = open_ws(workspace) if load_back else _settings_workspace(workspace)
        settings, topics = settings_and_topics(ws) if ws is not None else (None, None)
        with _status("Spark…") as status:
            run = jobs.run_influence(
                parquet,
                platform=platform,
                master=master,
                settings=settings,
                tol=tol,
                topic_tol=topic_tol,
                topics=topics,
                progress=lambda m: status.update(m),
            )
        stored = jobs.load_influence(ws, run) if load_back and ws is not None else 0
        import duckdb

        with duckdb.connect() as con:
            frame = scale_sql.read_parquet(con, run.results)
        best = frame.sort("score", descending=True, nulls_last=True).head(top)
        rows = [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in best.to_dicts()]
        doc = {
            "platform": run.platform,
            "accounts": run.accounts,
            "computed_by_spark": run.computed,
            "unavailable": run.unavailable,
            "weights": run.weights,
            "results": str(run.results),
            "loaded_back": stored,
            "seconds": round(run.seconds, 2),
        }
        emit_rows(
            rows, fmt, title=_("Top {n} on {platform} (Spark)").format(n=top, platform=run.platform), document=doc
        )
        if fmt is OutputFormat.table:
            _say_run(doc)

    @scale_app.command("overlap")
    def overlap(
        parquet: Path = ParquetOption,
        candidates: list[str] = typer.Option(
            ..., "--candidates", "-c", help="Candidate ids or @handles, comma separated."
        ),
        brand: list[str] = typer.Option(None, "--brand", help="Our account ids (default: accounts marked brand)."),
        platform: str = typer.Option(None, "--platform", "-p", help="Network (default: the export's only one)."),
        master: str = MasterOption,
        load_back: bool = LoadBackOption,
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Exact audience overlap of partner candidates with the brand's followers, on Apache Spark.

        Writes DIR/results/overlap-PLATFORM.parquet; --load-back stores it in the partners overlap table
        (method spark) read by the dashboard.

        Example: signalboost scale overlap --parquet big/ --candidates @ana,@bo --load-back
        """
        from signalboost.scale import jobs

        _spark_available()
        with _status("Spark…") as status:
            plat, found = jobs.run_overlap(
                parquet, candidates, brand=brand, platform=platform, master=master, progress=status.update
            )
        stored = jobs.load_overlap(open_ws(workspace), plat, found) if load_back else 0
        rows = [o.as_dict() for o in found]
        cols = ["account_id", "audience", "our_audience", "shared", "jaccard", "overlap_smaller", "unique_reach"]
        emit_rows(
            rows,
            fmt,
            title=_("Audience overlap on {platform} (Spark, exact)").format(platform=plat),
            columns=cols,
            document={"platform": plat, "loaded_back": stored},
        )
        if fmt is OutputFormat.table and load_back:
            typer.echo(
                ngettext("Stored {n} row in partner_overlap.", "Stored {n} rows in partner_overlap.", stored).format(
                    n=stored
                ),
                err=True,
            )


def _settings_workspace(path: Path) -> Workspace | None:
    """The workspace whose influence settings apply, opened read-only; ``None`` outside a workspace."""
    from signalboost.store.workspace import Workspace

    if not path.is_dir():
        return None
    ws = Workspace.open(path, read_only=True)
    return ws if ws.is_workspace() else None


def _say_run(doc: dict[str, Any]) -> None:
    parts = ", ".join(doc["computed_by_spark"]) or _("none")
    said = ngettext(
        "Spark computed: {parts}; {n} account in {seconds} s.",
        "Spark computed: {parts}; {n} accounts in {seconds} s.",
        doc["accounts"],
    )
    typer.echo(
        said.format(parts=parts, n=format_number(doc["accounts"]), seconds=format_number(doc["seconds"])), err=True
    )
    for comp, why in doc["unavailable"].items():
        typer.echo("  " + _("{component}: unavailable — {why}").format(component=comp, why=why), err=True)
    typer.echo(_("Results: {path}").format(path=doc["results"]), err=True)
    if doc["loaded_back"]:
        stored = ngettext(
            "Stored {n} score; see `signalboost influencers --stored`.",
            "Stored {n} scores; see `signalboost influencers --stored`.",
            doc["loaded_back"],
        )
        typer.echo(stored.format(n=format_number(doc["loaded_back"])), err=True)
