"""The optional command run after each save to Oro's database (``after_save_command`` in the
config file), typically clearing Oro's configuration cache on the Oro host, e.g.
``ssh oro@app1 'cd /var/www/oro && bin/console cache:pool:clear oro_config.cache'``.

The save is committed before it runs: its failure is reported, never undoes the save.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

#: A command that hangs must not hold the app or a script forever.
TIMEOUT_SECONDS = 300
#: Lines of the command's output shown after a save (the rest is counted, not printed).
SHOWN_LINES = 20


@dataclass
class AfterSave:
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_after_save(command: str, revision: int) -> AfterSave:
    """Run ``command`` through ``/bin/sh -c`` with the saved revision in
    ``$OUTLOOK_TUI_REVISION``; its output (stdout and stderr) becomes notices, a failure a
    warning."""
    result = AfterSave()
    environment = {**os.environ, "OUTLOOK_TUI_REVISION": str(revision)}
    try:
        done = subprocess.run(["/bin/sh", "-c", command], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT_SECONDS, env=environment,
                              check=False)
    except subprocess.TimeoutExpired:
        result.warnings.append(f"after_save_command did not finish within {TIMEOUT_SECONDS} s "
                               "and was stopped; the save itself is committed")
        return result
    except OSError as error:
        result.warnings.append(f"after_save_command could not run: {error.strerror}; the save "
                               "itself is committed")
        return result
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace").splitlines()
    shown = [f"after_save_command: {line}" for line in output[:SHOWN_LINES]]
    if len(output) > SHOWN_LINES:
        shown.append(f"after_save_command: ... {len(output) - SHOWN_LINES} more lines")
    if done.returncode == 0:
        result.notices.append(f"after_save_command ran: {command}")
        result.notices.extend(shown)
    else:
        status = (f"exit status {done.returncode}" if done.returncode > 0
                  else f"signal {-done.returncode}")
        result.warnings.append(f"after_save_command failed ({status}): {command}; the save "
                               "itself is committed")
        result.warnings.extend(shown)
    return result
