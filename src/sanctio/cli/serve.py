"""``sanctio serve``: the HTTP API (yente-compatible matching and read endpoints).

``register(app)`` adds the command to the ``sanctio`` app. FastAPI and uvicorn are
imported only when the command runs, so other commands start as fast as before.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from sanctio import settings
from sanctio.cli import display
from sanctio.cli.common import user_errors


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option(
            help="Address to listen on; 0.0.0.0 for every interface. "
            "Default: SANCTIO_API_HOST, else 127.0.0.1.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="Port to listen on. Default: SANCTIO_API_PORT, else 8000.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes. Screening is CPU work, so one process uses about one "
            "core; as many processes as cores use them all. Each loads its own index "
            "(about 400 MB with every list of ../shared/data); new connections are "
            "dealt to them in turn, so a client's pool is split evenly among them.",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log each request (method, path, status; never a body, and the query "
            "string's parameter names without their values, so no screened name) to "
            "standard output, as uvicorn does, the lines written together at most a "
            "second after the first. A proxy in front may keep the log instead.",
        ),
    ] = True,
) -> None:
    """Serve the HTTP API: yente's /match, /search, /entities and /catalog over the registry.

    Existing yente clients work unchanged. The index of every list loads in the
    background at start-up; /readyz answers 200 once it is loaded. Open without a token
    unless SANCTIO_API_REQUIRE_TOKEN=true. OpenAPI documentation at /docs.
    """
    import uvicorn

    from sanctio.api import processes
    from sanctio.api.app import create_app

    config = ctx.obj if isinstance(ctx.obj, settings.Settings) else settings.load()
    with user_errors():
        bind_host = host or settings.api_host()
        bind_port = port or settings.api_port()
        app = create_app(config, access_log=access_log)
    closed = "a token required" if app.state.service.require_token else "open, no token needed"
    several = f", {workers} processes" if workers > 1 else ""
    display.console(stderr=True).print(
        f"Sanctio API on http://{bind_host}:{bind_port} ({closed}{several}); "
        f"documentation at http://{bind_host}:{bind_port}/docs. Stop with Ctrl+C.",
        soft_wrap=True,
    )
    if workers == 1:
        # the app logs each request itself (``api/access_log.py``), not uvicorn
        uvicorn.run(app, host=bind_host, port=bind_port, log_level="info", access_log=False)
        return
    # each worker process makes its own app, from the environment: the registry and
    # data directory this command was given, whether by option or by setting
    os.environ["SANCTIO_DB"] = config.db_url
    os.environ["SANCTIO_DATA_DIR"] = str(config.data_dir)
    if processes.AVAILABLE:
        with user_errors():
            status = processes.serve_processes(bind_host, bind_port, workers, access_log)
        raise typer.Exit(status)
    uvicorn.run(
        processes.APP,
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app`` (the ``sanctio`` command)."""
    app.command("serve")(serve)
