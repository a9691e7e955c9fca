"""One organization costs one query: ``show ORG``, ``set ORG``, ``reset ORG`` and ``history
ORG`` on Oro's database with 3 organizations and with 100k, timed side by side in one run (each
command alternately on the small and the big database), as a person runs them: a new
``outlook-tui`` process each time, wall-clock from start to exit."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

SETTING = "contacts_sync_interval_orocrm"
#: Organizations of the small database (as the issue measured: 3).
SMALL = 3


@dataclass
class Timing:
    command: str
    small: list[float] = field(default_factory=list)
    big: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @staticmethod
    def median(values: Sequence[float]) -> float | None:
        return statistics.median(values) if values else None


def _middle_name(server: Any, database: str) -> str:
    count = int(server.execute(database, "SELECT count(*) FROM oro_organization")[0][0])
    rows = server.execute(database, "SELECT name FROM oro_organization ORDER BY id "
                          f"LIMIT 1 OFFSET {count // 2}")
    return str(rows[0][0])


def _run(argv: list[str], environment: dict[str, str], timing: Timing,
         into: list[float]) -> None:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=environment, timeout=120,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        timing.problems.append(f"{' '.join(argv[-4:])}: exit {done.returncode}: "
                               f"{done.stderr.strip()[:200]}")
        return
    into.append(elapsed)


def measure(server: Any, fill: Callable[..., str], big_database: str, command: list[str],
            runs: int, progress: Callable[[str], None]) -> list[Timing]:
    """``command`` starts outlook-tui (``--store URI`` follows it)."""
    small_database = fill(server, SMALL, config_rows=1000)
    stores = {"small": (server.uri(small_database), _middle_name(server, small_database)),
              "big": (server.uri(big_database), _middle_name(server, big_database))}
    environment = {**os.environ, "SSH_CLIENT": "", "SSH_CONNECTION": ""}
    timings = {name: Timing(name) for name in ("show", "set", "reset", "history")}
    progress(f"one organization at {SMALL} and at the big store, {runs} runs each")
    for run in range(runs):
        for size in ("small", "big"):
            uri, org = stores[size]
            base = [*command, "--store", uri]
            steps = {"show": ["show", org], "set": ["set", org, SETTING, str(301 + run)],
                     "reset": ["reset", org, SETTING], "history": ["history", org]}
            for name, words in steps.items():
                timing = timings[name]
                _run([*base, *words], environment, timing,
                     timing.small if size == "small" else timing.big)
    return list(timings.values())
