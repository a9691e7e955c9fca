"""The entry point: parse, run the command, turn its errors into messages and exit statuses.
Also what no command does alone: standard output closed or gone, and the shell asking for
completions."""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
import traceback
from collections.abc import Sequence

from outlook_tui.catalog import InvalidValue
from outlook_tui.cli.errors import Rejected, Usage
from outlook_tui.cli.parser import build_parser
from outlook_tui.config import ConfigError, load_config
from outlook_tui.store import StoreError
from outlook_tui.store.lock import timeout_from_environment
from outlook_tui.text import printable_output

#: The exit status of a command that crashed (sysexits' EX_SOFTWARE): never 0, never a
#: rejected input's 1.
INTERNAL_ERROR = 70


def _stdout_is_closed() -> bool:
    """True when the command was started with standard output closed (``>&-``)."""
    if sys.stdout is None:
        return True
    try:
        os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return True
    return False


class _LostOutput(io.TextIOBase):
    """Standard output once it is gone: takes the text and remembers that some was lost."""

    lost = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        _LostOutput.lost = _LostOutput.lost or bool(text)
        return len(text)


def _silence_stdout() -> None:
    """Keep fd 1 taken (by /dev/null: a file the store opens must never become fd 1) and send
    what is still printed nowhere, so that nothing more fails, not even the flush at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)  # is fd 1 itself when fd 1 was closed
    if devnull != 1:
        os.dup2(devnull, 1)
        os.close(devnull)
    sys.stdout = _LostOutput()


def _complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request (argcomplete's protocol) and exit. Imported only
    then: the app's start-up does not pay for it."""
    import argcomplete

    from outlook_tui.completion import never_shorter

    class Finder(argcomplete.CompletionFinder):
        def collect_completions(self, active_parsers: list[argparse.ArgumentParser],
                                parsed_args: argparse.Namespace,
                                cword_prefix: str) -> list[str]:
            found = super().collect_completions(active_parsers, parsed_args, cword_prefix)
            return never_shorter(cword_prefix, found)

        def filter_completions(self, completions: list[str]) -> list[str]:
            # argcomplete's own de-duplication is quadratic: 100k organization names hang it.
            return list(dict.fromkeys(completions))

    # Organization names match ignoring case ("acm" -> "Acme"), as they are unique that way.
    # Options only once a "-" is typed: after `set Acme <Tab>` the keys are what is wanted.
    Finder()(parser, always_complete_options=False, validator=lambda completion, prefix:
             completion.casefold().startswith(prefix.casefold()))


def main(argv: Sequence[str] | None = None) -> int:
    # Everything printed (tables, messages, usage errors quoting arguments) goes through the
    # one display rule: no control character from data reaches the terminal.
    with printable_output():
        try:
            return _main(argv)
        except Exception:  # a bug: said so, through the display rule, before the streams go back
            traceback.print_exc()  # Python's own: no local variables
            print("outlook-tui: internal error (a bug): please report the lines above",
                  file=sys.stderr)
            return INTERNAL_ERROR


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer and exit
        _complete(parser)
    args = parser.parse_args(argv)
    args.store = getattr(args, "store", None)
    args.read_only = getattr(args, "read_only", False)
    args.saved_revision = None
    command_parser: argparse.ArgumentParser = args.parser
    try:
        args.config = load_config(getattr(args, "config_file", None))
    except ConfigError as error:  # a broken file is refused before anything starts
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 2
    try:
        timeout_from_environment()
    except ValueError as error:
        command_parser.error(str(error))
    closed = _stdout_is_closed()
    if closed:
        _silence_stdout()
    try:
        args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, while we can still say what happened
    except Usage as error:
        command_parser.error(str(error))
    except ConfigError as error:
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 2
    except (Rejected, StoreError, InvalidValue) as error:
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.EBADF, errno.EINVAL):
            raise
        _silence_stdout()
        _LostOutput.lost = _LostOutput.lost or error.errno != errno.EPIPE
    if _LostOutput.lost and args.saved_revision is None:
        # Nothing was saved and what was asked for could not be shown: that is a failure. (A
        # reader that stopped reading, `| head`, got what it wanted: EPIPE is not.)
        print("outlook-tui: standard output is closed: nothing could be printed",
              file=sys.stderr)
        return 1
    return 0

