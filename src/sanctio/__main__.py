"""``python -m sanctio``: the same as the ``sanctio`` command."""

from sanctio.cli import app

app(prog_name="sanctio")
