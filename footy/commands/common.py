"""Options and helpers every command shares (see DESIGN.md, "Conventions")."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import click

from footy import paths
from footy.errors import BadInputError
from footy.files import write_atomic, write_text_atomic

__all__ = ["write_atomic", "write_text_atomic"]


def data_option(func: Callable) -> Callable:
    """``--data PATH``, repeatable; default: the bundled international results."""
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        default=(paths.INTERNATIONAL_RESULTS,),
        show_default="bundled international results",
        help="Results CSV (international, football-data.co.uk or canonical); repeatable.",
    )(func)


def model_option(func: Callable) -> Callable:
    """``--model NAME.keras``; default: the shipped model."""
    return click.option(
        "--model",
        type=click.Path(dir_okay=False, path_type=Path),
        default=paths.SHIPPED_MODEL,
        show_default="the shipped model",
        help="A .keras model with its .json sidecar.",
    )(func)


def window_option(func: Callable) -> Callable:
    from footy.defaults import DEFAULT_WINDOW

    return click.option(
        "--window",
        type=click.IntRange(min=1),
        default=DEFAULT_WINDOW,
        show_default=True,
        help="Each team's last N matches before the match count towards its features.",
    )(func)


def force_option(func: Callable) -> Callable:
    return click.option("--force", is_flag=True, help="Overwrite output files that exist.")(func)


def plot_option(func: Callable) -> Callable:
    return click.option(
        "--plot",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Also draw a picture into FILE.png.",
    )(func)


class DateType(click.ParamType):
    """An ISO date ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2018-01-01", param, ctx)


DATE = DateType()


def check_writable(path: Path, force: bool) -> None:
    """Refuse to overwrite a user's file unless --force was given."""
    if path.exists() and not force:
        raise BadInputError(f"{path} exists; pass --force to overwrite it")
    if path.parent and not path.parent.exists():
        raise BadInputError(f"folder {path.parent} does not exist; create it first")


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, default=str))
