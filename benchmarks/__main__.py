"""``python -m benchmarks [COMMAND]``: without a command every benchmark runs."""

from __future__ import annotations

import typer

from benchmarks.pages import pages

app = typer.Typer(help="Benchmarks of the cockpit (render times, pipeline steps).",
                  invoke_without_command=True, no_args_is_help=False)
app.command(name="pages")(pages)


@app.callback()
def run_all(ctx: typer.Context) -> None:
    """Run every benchmark when no command is given."""
    if ctx.invoked_subcommand is None:
        for command in app.registered_commands:
            ctx.invoke(command.callback)


if __name__ == "__main__":
    app()
