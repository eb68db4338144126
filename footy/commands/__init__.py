"""One module per ``footy`` command; shared options in :mod:`footy.commands.common`."""
