"""The ``footy`` command line: a thin layer over the library.

Commands live in ``footy.commands.*`` and are imported only when run (or when
``--help`` lists them), and none of them imports TensorFlow at module level, so
``footy --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import traceback

import click

from footy import __version__
from footy.errors import FootyError

# name -> "module:function"; each module is imported only when needed.
COMMANDS = {
    "features": "footy.commands.features:features",
    "train": "footy.commands.train:train",
    "predict": "footy.commands.predict:predict",
    "simulate": "footy.commands.simulate:simulate",
    "xor": "footy.commands.xor:xor",
    "tune": "footy.commands.tune:tune",
    "evaluate": "footy.commands.evaluate:evaluate",
    "backtest": "footy.commands.backtest:backtest",
}


class FootyGroup(click.Group):
    """A group that loads commands lazily and turns library errors into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, name = target.split(":")
        return getattr(importlib.import_module(module), name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FootyError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # anything unexpected: one line, exit 1
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"Error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True
            )
            sys.exit(1)


@click.group(cls=FootyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="footy")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Predict football matches with a Keras network and simulate World Cups."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


if __name__ == "__main__":  # pragma: no cover
    main()
