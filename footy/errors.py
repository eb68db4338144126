"""Errors footy reports to a person, and the exit codes the CLI gives them."""


class FootyError(Exception):
    """Something went wrong that footy can explain in one line (exit code 1)."""

    exit_code = 1


class BadInputError(FootyError):
    """The user's input (a file, an option, a model) is wrong (exit code 2)."""

    exit_code = 2
