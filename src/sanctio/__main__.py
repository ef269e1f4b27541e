"""``python -m sanctio``: the same as the ``sanctio`` command."""

from sanctio.cli.main import app

app(prog_name="sanctio")
