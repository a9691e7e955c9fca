"""``outlook-tui`` without a command: the terminal app."""

from __future__ import annotations

import argparse
import os
import sys

from outlook_tui.cli.common import open_for
from outlook_tui.terminal import exit_on_hangup, missing_terminal, no_terminal_message

#: Textual paints at most this many frames a second (its default is 60). A key's paint waits
#: for the next frame, and Textual 8's frame timer, woken after a pause, skips to the frame
#: after next: up to two frame times, 33 ms at 60, 17 at 120. Frames are painted only when
#: something changed, so an app at rest paints no more. A person's own TEXTUAL_FPS wins.
FRAMES_PER_SECOND = "120"


def cmd_tui(args: argparse.Namespace) -> None:
    # Before Textual is imported: it reads TEXTUAL_FPS once, then.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    if args.config.keymap or args.config.theme is not None:
        from outlook_tui.app.app import keyed_classes
        from outlook_tui.app.keymap import check_config

        check_config(args.config, keyed_classes())  # binding ids and themes: the app's
    # Checked before the store is opened or Textual imported: without a terminal the app would
    # spin on end of file for ever (``ssh host outlook-tui`` without -t, cron).
    missing = missing_terminal()
    if missing is not None:
        print(no_terminal_message(missing, _command_names(args.parser)), file=sys.stderr)
        raise SystemExit(2)
    from outlook_tui.store.ahead import FirstRows
    from outlook_tui.store.factory import database_shown

    database = database_shown(args.store)
    if database is not None:
        # Said before the app takes the screen: connecting may take up to connect_timeout.
        print(f"outlook-tui: connecting to {database} ...", file=sys.stderr, flush=True)
    # The store is opened and the first screen's organizations read while Textual is imported
    # and starts; a store that cannot be opened ends the command here, as it always did.
    if database is not None:  # opened, and its first rows read, in another process
        first_rows = FirstRows.opening_aside(
            lambda look: open_for(args, writes=True, first_look=look))
    else:
        first_rows = FirstRows.opening(lambda: open_for(args, writes=True))
    from outlook_tui.app import crash
    from outlook_tui.app.app import OutlookApp
    from outlook_tui.app.memory import freeze_what_the_start_built

    store = first_rows.store()
    app = OutlookApp(store, config=args.config, first_rows=first_rows)

    def cancel_a_waiting_save() -> None:  # a save waiting for a lock ends rolled back, at once
        control = app.save_control
        if control is not None and control.waiting is not None:
            control.cancel()

    exit_on_hangup(saving=lambda: app.saving, hung_up=cancel_a_waiting_save,
                   before_exit=lambda: app.after_save.stop("stopped: the terminal went away"))
    freeze_what_the_start_built()
    status = crash.run(app)
    if status:  # a crash: Textual printed the report and returned as if all was well
        raise SystemExit(status)


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    return [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]
