"""The benchmark suite: first paint, key-to-paint, store load and save, peak memory.

    .venv/bin/python benchmarks/run.py            # everything; writes benchmarks/results.md
    .venv/bin/python benchmarks/run.py --strict   # exit 1 when a target is missed

Targets are ratios against a bare Textual app measured in the same run (the machines are shared
and noisy), or absolute budgets for what the user feels per key. Baseline and app runs are
interleaved (ABAB) so that a burst of load on the machine hits both.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import gc
import os
import platform
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(ROOT), str(HERE)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import generate  # noqa: E402
import history_bench  # noqa: E402
from terminal import Terminal, Timeout, terminal_env  # noqa: E402

BIG = 100_000
WORK = HERE / ".work"
RESULTS = HERE / "results.md"
README = ROOT / "README.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
#: The organizations screen's status line once the whole store is parsed: "100,000 organizations".
#: Typed into the filter and erased, from the first paint (no space: see from_paint.py); it
#: matches one organization in twelve at 100k.
FILTER_FROM_PAINT = "pharma"
FILTER_ROUNDS = 4
LOADED_PATTERN = r"100[,. \u202f\u00a0]?000\s+organi[sz]ations"
BARE_FIRST_ROW = "Baseline Organization 00"


# -- what the table shows --------------------------------------------------------------------

@dataclass
class Figure:
    name: str
    value: float | None  # seconds or bytes; None: timed out / not measured
    unit: str  # "s", "ms", "MB"
    target: str = "—"
    limit: float | None = None  # in the figure's own unit (after scaling)
    relative_to: float | None = None  # the baseline value, for "x bare"
    relative_name: str = "bare"  # what the baseline is, in the ratio column
    note: str = ""
    missing: str = "timeout"

    def scaled(self, value: float | None) -> float | None:
        if value is None:
            return None
        return {"s": value, "ms": value * 1000, "MB": value / 1e6}[self.unit]

    @property
    def shown(self) -> str:
        value = self.scaled(self.value)
        if value is None:
            return self.missing
        return f"{value:.3f} s" if self.unit == "s" else f"{value:.1f} {self.unit}"

    @property
    def ratio(self) -> float | None:
        if self.value is None:
            return None
        if self.relative_to:
            return self.value / self.relative_to
        scaled = self.scaled(self.value)
        if self.limit and scaled is not None:
            return scaled / self.limit
        return None

    @property
    def ratio_text(self) -> str:
        ratio = self.ratio
        if ratio is None:
            return "—"
        return f"{ratio:.2f}x {self.relative_name}" if self.relative_to else \
            f"{ratio:.2f}x target"

    @property
    def result(self) -> str:
        if self.limit is None:
            return ""
        if self.value is None:
            return "MISSED"
        measured = self.ratio if self.relative_to else self.scaled(self.value)
        return "ok" if measured is not None and measured <= self.limit else "MISSED"


def table(figures: Sequence[Figure]) -> str:
    rows = [("Figure", "Value", "Target", "Ratio", "Result")]
    for f in figures:
        name = f"{f.name} ({f.note})" if f.note else f.name
        rows.append((name, f.shown, f.target, f.ratio_text, f.result))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# -- the commands ----------------------------------------------------------------------------

def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


#: ``--app``: another command to measure, ``{store}`` standing for the store's path.
APP_TEMPLATE: str | None = None


def app_command(store: Path | str) -> list[str]:
    if APP_TEMPLATE:
        return [part.replace("{store}", str(store)) for part in shlex.split(APP_TEMPLATE)]
    script = Path(python()).with_name("outlook-tui")
    if script.exists():
        return [str(script), "--store", str(store)]
    return [python(), "-c", "from outlook_tui.cli import main; main()", "--store", str(store)]


def bare_command() -> list[str]:
    return [python(), str(HERE / "bare_app.py")]


def environment() -> dict[str, str]:
    """A plain xterm; the app's own files (config, state) kept out of the user's home."""
    home = WORK / "home"
    extra = {f"XDG_{kind}_HOME": str(home / kind.lower())
             for kind in ("CONFIG", "DATA", "STATE", "CACHE")}
    extra["OUTLOOK_TUI_STORE"] = str(WORK / "unused-store.json")
    return terminal_env(80, 24, extra)


def _tail(term: Terminal, lines: int = 6) -> str:
    text = [line.rstrip() for line in term.screen.display if line.strip()]
    return " / ".join(text[:lines])[:300]


# -- first paint -----------------------------------------------------------------------------

@dataclass
class Samples:
    values: list[float] = field(default_factory=list)
    timeouts: int = 0
    problem: str = ""

    def add(self, value: float | None, problem: str = "") -> None:
        if value is None:
            self.timeouts += 1
            self.problem = self.problem or problem
        else:
            self.values.append(value)

    @property
    def median(self) -> float | None:
        # A figure counts only when most of its runs finished.
        if not self.values or self.timeouts > len(self.values):
            return None
        return statistics.median(self.values)

    @property
    def missing(self) -> str:
        """What the table shows when there is no value."""
        return "failed" if "the program ended" in self.problem else "timeout"

    @property
    def note(self) -> str:
        runs = len(self.values) + self.timeouts
        text = f"median of {runs}"
        if self.timeouts:
            text += f", {self.timeouts} timed out"
        return text


def first_paint(argv: list[str], row: str, timeout: float) -> tuple[float | None, str]:
    term = Terminal(argv, env=environment(), cwd=str(ROOT))
    try:
        return term.wait_until(term.contains(row), timeout, f"{row!r}", since=term.started), ""
    except Timeout as error:
        return None, f"{error}; screen: {_tail(term)}"
    finally:
        term.kill()


# -- keys ------------------------------------------------------------------------------------

@dataclass
class KeyRun:
    downs: Samples = field(default_factory=Samples)
    open_filter: Samples = field(default_factory=Samples)
    filter_keys: Samples = field(default_factory=Samples)
    filter_settled: Samples = field(default_factory=Samples)
    peak_rss: int | None = None
    loaded: float | None = None  # seconds from start until the loaded marker showed
    idle: float | None = None  # ... until the app went idle after loading
    notes: list[str] = field(default_factory=list)


def _key(term: Terminal, key: str, samples: Samples, timeout: float) -> None:
    """Send one key; time until the screen (text and attributes) changes. The previous key's
    output has settled first, so each key is timed on its own."""
    term.settle(0.05, 2.0)
    before = term.snapshot()
    sent = term.send(key)
    try:
        samples.add(term.wait_until(term.changed_from(before), timeout, f"a change after {key!r}",
                                    since=sent))
    except Timeout as error:
        samples.add(None, str(error))


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_loaded(term: Terminal, ready: Callable[[Terminal], bool],
                timeout: float) -> tuple[float | None, float | None]:
    """Wait for the loaded marker and then for the app to go idle (under 5% of a CPU over the
    last second: validation and other background work done), so keys meet a steady app.
    Tolerant: without the marker (another wording), 5 s of idleness will do. Returns the
    seconds from start to the marker and to idleness (None: not seen)."""
    deadline = time.perf_counter() + timeout
    marker: float | None = None
    idle_since: float | None = None
    samples: list[tuple[float, float]] = []
    while time.perf_counter() < deadline and not term.closed:
        now = time.perf_counter()
        if marker is None and ready(term):
            marker = now - term.started
        cpu = cpu_seconds(term.pid)
        if cpu is not None:
            samples.append((now, cpu))
            old = [s for s in samples if now - s[0] >= 1.0]
            idle = bool(old) and (cpu - old[-1][1]) / (now - old[-1][0]) < 0.05
            if not idle:
                idle_since = None
            elif idle_since is None:
                idle_since = old[-1][0]  # idle since the start of the quiet second
            if idle_since is not None and (marker is not None or now - idle_since >= 5.0):
                return marker, idle_since - term.started
        term.pump(0.1)
    return marker, None


def key_session(argv: list[str], keys_down: Sequence[str], *, ready: Callable[[Terminal], bool],
                row: str, filter_text: str | None, timeout: float,
                load_timeout: float) -> KeyRun:
    run = KeyRun()
    term = Terminal(argv, env=environment(), cwd=str(ROOT))
    try:
        try:
            term.wait_until(term.contains(row), load_timeout, f"{row!r}", since=term.started)
        except Timeout as error:
            run.notes.append(f"first row never painted: {error}; screen: {_tail(term)}")
            for samples in (run.downs, run.open_filter, run.filter_keys):
                samples.add(None, f"first row never painted: {error}")
            return run
        run.loaded, run.idle = wait_loaded(term, ready, load_timeout)
        if run.loaded is None:
            run.notes.append("the loaded marker never showed; keys were sent "
                             + ("once the app was idle" if run.idle is not None
                                else "after the load timeout") + f". Screen: {_tail(term)}")
        term.settle(0.3, 10.0)
        for key in keys_down:
            _key(term, key, run.downs, timeout)
        if filter_text is not None:
            _key(term, "/", run.open_filter, timeout)
            for char in filter_text:
                _key_settled(term, char, run.filter_keys, run.filter_settled, timeout)
        run.peak_rss = term.peak_rss()
    finally:
        term.kill()
    return run


def _key_settled(term: Terminal, key: str, first: Samples, settled: Samples,
                 timeout: float) -> None:
    """Like ``_key``, and also how long until the screen stopped changing (the filtered table
    may follow the echo of the keystroke)."""
    term.settle(0.05, 2.0)
    before = term.snapshot()
    sent = term.send(key)
    try:
        first.add(term.wait_until(term.changed_from(before), timeout,
                                  f"a change after {key!r}", since=sent))
    except Timeout as error:
        first.add(None, str(error))
        settled.add(None, str(error))
        return
    last_output = time.perf_counter()
    while term.pump(0.15):
        last_output = time.perf_counter()
        if last_output - sent > 10:
            break
    settled.add(last_output - sent)


# -- a 20 MB description ---------------------------------------------------------------------

#: Characters in the description of the one organization of the description store (20 MB).
HUGE_DESCRIPTION = 20_000_000
DESCRIBED_NAME = "Described Organization"
#: In the Edit dialog: Tab to Status, Tab to Description, then moves and edits in it.
DESCRIPTION_KEYS = ["tab", "tab", "end", *["backspace", "x"] * 5, "home", "right", "right"]


def _edit_dialog_keys(args: argparse.Namespace, length: int,
                      problems: list[str]) -> tuple[Samples, Samples]:
    """Open Edit organization on the one organization of a store whose description has
    ``length`` characters, then the keys: (opening, keys) samples."""
    from outlook_tui.store.json.document import serialize

    document = generate.make_document(1)
    record = document["organizations"][0]
    record["name"] = DESCRIBED_NAME
    record["description"] = ("Road runners. " * (length // 14 + 1))[:length]
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"described-{length}.json"
    path.write_bytes(serialize(document))
    opened, keys = Samples(), Samples()
    term = Terminal(app_command(path), env=environment(), cwd=str(ROOT))
    try:
        term.wait_until(term.contains(DESCRIBED_NAME), args.load_timeout, "the organization",
                        since=term.started)
        wait_loaded(term, lambda t: t.contains("1 organization")(t), args.load_timeout)
        term.settle(0.3, 10.0)
        _key(term, "e", opened, max(args.key_timeout, 30.0))
        for key in DESCRIPTION_KEYS:
            _key(term, key, keys, args.key_timeout)
    except Timeout as error:
        problems.append(f"description of {length:,} characters: {error}; screen: {_tail(term)}")
    finally:
        term.kill()
    for samples, what in ((opened, "opening the dialog"), (keys, "keys in the dialog")):
        if samples.problem:
            problems.append(f"description of {length:,} characters, {what}: {samples.problem}")
    return opened, keys


def description_figures(args: argparse.Namespace, problems: list[str],
                        progress: Callable[[str], None]) -> list[Figure]:
    """Keys in the Edit organization dialog of an organization whose stored description is
    20 MB (an import used to accept it), against the same dialog over a short description in
    the same run."""
    progress("keys: Edit organization, a short and a 20 MB description")
    short_opened, short_keys = _edit_dialog_keys(args, 14, problems)
    opened, keys = _edit_dialog_keys(args, HUGE_DESCRIPTION, problems)
    worst = max(keys.values) if keys.values and not keys.timeouts else None
    note = f"{len(DESCRIPTION_KEYS)} keys"
    return [
        Figure("Edit organization opened (e), short description", short_opened.median, "ms",
               note="baseline", missing=short_opened.missing),
        Figure("Edit organization opened (e), 20 MB description", opened.median, "ms",
               target="<= 1.5x short", limit=1.5, relative_to=short_opened.median,
               missing=opened.missing),
        Figure("Key in Edit organization, short description, median", short_keys.median, "ms",
               note=note, missing=short_keys.missing),
        Figure("Key in Edit organization, 20 MB description, median", keys.median, "ms",
               note=note, missing=keys.missing),
        Figure("Key in Edit organization, 20 MB description, max", worst, "ms",
               target="<= 100 ms", limit=100, note=note, missing=keys.missing),
    ]


# -- the store, in process -------------------------------------------------------------------

def store_figures(path: Path, runs: int) -> tuple[Samples, Samples, str]:
    from outlook_tui.store.changes import SettingChange
    from outlook_tui.store.factory import open_store

    loads, saves = Samples(), Samples()
    described = ""
    WORK.mkdir(parents=True, exist_ok=True)
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=WORK) as scratch:
            copy = Path(scratch) / "store.json"
            shutil.copyfile(path, copy)
            store = open_store(str(copy), read_only=False)
            gc.collect()
            started = time.perf_counter()
            snapshot = store.load()
            loads.add(time.perf_counter() - started)
            records = snapshot.document["organizations"]
            record = records[len(records) // 2]
            current = record["overrides"].get("contacts_sync_interval_orocrm")
            new = 301 if current != 301 else 302
            change = SettingChange(record["id"], "contacts_sync_interval_orocrm", current, new)
            described = f"CRM Sync Interval of organization {record['id']} to {new}"
            gc.collect()
            started = time.perf_counter()
            result = store.commit(snapshot, [change])
            saves.add(time.perf_counter() - started)
            assert result.applied, "the change was not applied"
            del snapshot, result, records, record
    return loads, saves, described


# -- Oro's database (PostgreSQL, MySQL) -------------------------------------------------------

@dataclass(frozen=True)
class Database:
    """One of Oro's databases for the figures: its name in them, a throwaway server, how to
    fill it, the store class."""

    name: str
    running: Callable[[], Any]
    fill: Callable[[Any, int], str]
    store: Callable[[str], Any]
    #: First paint at 100k, against the bare app's (issue 18: 1.5x on PostgreSQL).
    first_paint_limit: float = 2.0


def databases(args: argparse.Namespace) -> list[Database]:
    import oro_db

    from outlook_tui.store.mysql import MySQLStore
    from outlook_tui.store.postgres import PostgresStore
    from tests.mysql import server as mysql_server
    from tests.postgres import server as postgres_server

    found = []
    if not args.no_postgres:
        found.append(Database("Oro database", postgres_server.running, oro_db.fill,
                              PostgresStore, first_paint_limit=1.5))
    if not args.no_mysql:
        found.append(Database("Oro database on MySQL", mysql_server.running, oro_db.fill_mysql,
                              MySQLStore))
    return found


def database_figures(args: argparse.Namespace, database: Database, first_row: str,
                     baseline: float | None, progress: Callable[[str], None],
                     ) -> tuple[list[Figure], list[str]]:
    """The same figures on Oro's database: 100k organizations, 1M config rows, a throwaway
    server (tests/postgres/server.py, tests/mysql/server.py), the same bare-app baseline and
    targets."""
    import oro_db

    from outlook_tui.store.changes import SettingChange

    figures: list[Figure] = []
    problems: list[str] = []
    name = database.name
    with database.running() as server:
        progress(f"{name}: {BIG:,} organizations, {oro_db.CONFIG_ROWS:,} config rows")
        big_database = database.fill(server, BIG)
        uri = server.uri(big_database)
        if not args.skip_tui:
            bare, paint = Samples(), Samples()
            for _ in range(args.runs):
                value, problem = first_paint(bare_command(), BARE_FIRST_ROW, args.timeout)
                bare.add(value, problem)
                value, problem = first_paint(app_command(uri), first_row[:18], args.timeout)
                paint.add(value, problem)
            reference = bare.median or baseline
            limit = database.first_paint_limit
            figures.append(Figure(
                f"First paint, {BIG:,}, {name}", paint.median, "s", target=f"<= {limit}x bare",
                limit=limit, relative_to=reference, note=paint.note, missing=paint.missing))
            if paint.problem:
                problems.append(f"first paint on {name}: {paint.problem}")
            pattern = re.compile(args.loaded_pattern, re.IGNORECASE)
            keys = key_session(
                app_command(uri), ["down"] * args.downs,
                ready=lambda t: any(pattern.search(line) for line in t.screen.display),
                row=first_row[:18], filter_text=args.filter, timeout=args.key_timeout,
                load_timeout=args.load_timeout)
            problems.extend(f"keys on {name}: {n}" for n in keys.notes)

            def worst(samples: Samples) -> float | None:
                return max(samples.values) if samples.values and not samples.timeouts else None

            figures += [
                Figure(f"Loaded (the count shows), {BIG:,}, {name}", keys.loaded, "s",
                       note="informative", missing="not seen"),
                Figure(f"Key-to-paint, Down, {BIG:,}, {name}, median", keys.downs.median, "ms",
                       target="<= 10 ms", limit=10, note=f"{args.downs} keys",
                       missing=keys.downs.missing),
                Figure(f"Key-to-paint, Down, {BIG:,}, {name}, max", worst(keys.downs), "ms",
                       target="<= 50 ms", limit=50, note=f"{args.downs} keys",
                       missing=keys.downs.missing),
                Figure(f"Filter keystroke, {BIG:,}, {name}, max", worst(keys.filter_keys), "ms",
                       target="<= 50 ms", limit=50, note=f"{len(args.filter)} keys",
                       missing=keys.filter_keys.missing),
                Figure(f"Peak RSS, {BIG:,}, {name} (after the keys)", keys.peak_rss, "MB",
                       target="<= 300 MB", limit=300, missing="not measured"),
            ]
            figures += from_paint_figures(args, name, uri, first_row, progress, problems)
        figures += one_organization_figures(args, database, server, big_database, progress,
                                            problems)
        if not args.skip_tui:
            figures += app_one_organization_figures(args, database, server, uri, progress,
                                                    problems)
        progress(f"{name}: load and save at {BIG:,}")
        loads, reloads, saves, tokens = Samples(), Samples(), Samples(), Samples()
        for run in range(args.runs):
            store = database.store(uri)  # a new process's first load: nothing reused
            try:
                gc.collect()
                started = time.perf_counter()
                snapshot = store.load()
                loads.add(time.perf_counter() - started)
                started = time.perf_counter()
                store.change_token()
                tokens.add(time.perf_counter() - started)
                record = snapshot.records[len(snapshot.records) // 2]
                current = record["overrides"].get("contacts_sync_interval_orocrm")
                change = SettingChange(record["id"], "contacts_sync_interval_orocrm", current,
                                       301 + run if current != 301 + run else 401 + run)
                started = time.perf_counter()
                store.commit(snapshot, [change])
                saves.add(time.perf_counter() - started)
                # what the watch does after Oro's web UI saved a setting
                started = time.perf_counter()
                store.load()
                reloads.add(time.perf_counter() - started)
            finally:
                store.close()
        figures += [
            Figure(f"Store load, {BIG:,}, {name}", loads.median, "ms", note=loads.note),
            Figure(f"Reload after a setting changed, {BIG:,}, {name}", reloads.median, "ms",
                   note=reloads.note),
            Figure(f"Change check (the watch, each second), {BIG:,}, {name}", tokens.median,
                   "ms", note=tokens.note),
            Figure(f"Save one change, {BIG:,}, {name}", saves.median, "ms",
                   target="<= 150 ms", limit=150, note=saves.note),
        ]
    return figures, problems


def one_organization_figures(args: argparse.Namespace, database: Database, server: Any,
                             big_database: str, progress: Callable[[str], None],
                             problems: list[str]) -> list[Figure]:
    """``show/set/reset/history ORG`` at 100k against the same at 3 organizations: within
    1.5x (one organization costs one query, not a load of every organization)."""
    import one_org

    command = app_command("{store}")[:-2]  # outlook-tui, without --store
    timings = one_org.measure(server, database.fill, big_database, command, args.runs,
                              lambda text: progress(f"{database.name}: {text}"))
    figures = []
    for timing in timings:
        small, big = timing.median(timing.small), timing.median(timing.big)
        figures.append(Figure(f"`{timing.command} ORG`, {one_org.SMALL} organizations, "
                              f"{database.name}", small, "ms", note="informative"))
        figures.append(Figure(f"`{timing.command} ORG`, {BIG:,} organizations, {database.name}",
                              big, "ms", target=f"<= 1.5x at {one_org.SMALL}", limit=1.5,
                              relative_to=small, relative_name=f"at {one_org.SMALL}",
                              note=f"{len(timing.big)} runs"))
        problems.extend(f"{timing.command} ORG on {database.name}: {p}"
                        for p in timing.problems[:3])
    return figures


def from_paint_figures(args: argparse.Namespace, name: str, uri: str, first_row: str,
                       progress: Callable[[str], None], problems: list[str]) -> list[Figure]:
    """Down from the first paint (issue 18), while the rest of the store is still read in the
    background: a few sessions of ``--downs`` Downs each, interleaved with the bare app's."""
    import from_paint

    pattern = re.compile(args.loaded_pattern, re.IGNORECASE)
    never = re.compile(r"\A\Z")
    runs = {"app": from_paint.DownRun(), "bare": from_paint.DownRun()}
    sessions = max(1, args.runs // 2 + 1)
    for session in range(sessions):
        progress(f"{name}: Down from the first paint, session {session + 1}/{sessions}")
        cycle = ["down"] * 9 + ["up"] * 9  # the bare app's ten rows
        for who, argv, row, loaded, keys in (
                ("bare", bare_command(), BARE_FIRST_ROW, never,
                 [cycle[i % len(cycle)] for i in range(args.downs)]),
                ("app", app_command(uri), first_row[:18], pattern, ["down"] * args.downs)):
            found = from_paint.downs_from_first_paint(
                argv, row, keys, loaded, environment(), str(ROOT),
                timeout=args.key_timeout, load_timeout=args.load_timeout)
            pooled = runs[who]
            pooled.downs += found.downs
            pooled.timeouts += found.timeouts
            pooled.while_loading += found.while_loading
            pooled.problems += found.problems[:2]
    app, bare = runs["app"], runs["bare"]
    problems.extend(f"Down from the first paint on {name}: {p}" for p in app.problems[:3])

    def median(run: from_paint.DownRun) -> float | None:
        return statistics.median(run.downs) if run.downs else None

    def worst(run: from_paint.DownRun) -> float | None:
        return max(run.downs) if run.downs and not run.timeouts else None

    keys = f"{sessions} x {args.downs} keys"
    typed = FILTER_FROM_PAINT
    filtering = from_paint.DownRun()
    for session in range(sessions):
        progress(f"{name}: filter keys from the first paint, session {session + 1}/{sessions}")
        found = from_paint.filter_keys_from_first_paint(
            app_command(uri), first_row[:18], typed, FILTER_ROUNDS, pattern, environment(),
            str(ROOT), timeout=args.key_timeout, load_timeout=args.load_timeout)
        filtering.downs += found.downs
        filtering.timeouts += found.timeouts
        filtering.while_loading += found.while_loading
        filtering.problems += found.problems[:2]
    problems.extend(f"filter keys from the first paint on {name}: {p}"
                    for p in filtering.problems[:3])
    typed_keys = f"{sessions} x {FILTER_ROUNDS * 2 * len(typed)} keys"
    return [
        Figure("Key-to-paint, Down from the first paint, bare app, median", median(bare),
               "ms", note=keys),
        Figure("Key-to-paint, Down from the first paint, bare app, max", worst(bare), "ms",
               note=keys),
        Figure(f"Key-to-paint, Down from the first paint, {BIG:,}, {name}, median",
               median(app), "ms", target="<= 10 ms", limit=10,
               note=f"{keys}, {app.while_loading} while loading"),
        Figure(f"Key-to-paint, Down from the first paint, {BIG:,}, {name}, max", worst(app),
               "ms", target="<= 50 ms", limit=50, note=keys),
        Figure(f"Filter keystroke from the first paint, {BIG:,}, {name}, median",
               median(filtering), "ms", target="<= 10 ms", limit=10,
               note=f"{typed_keys}, {filtering.while_loading} while loading"),
        Figure(f"Filter keystroke from the first paint, {BIG:,}, {name}, max",
               worst(filtering), "ms", target="<= 50 ms", limit=50, note=typed_keys),
    ]


def app_one_organization_figures(args: argparse.Namespace, database: Database, server: Any,
                                 big_uri: str, progress: Callable[[str], None],
                                 problems: list[str]) -> list[Figure]:
    """The app's open-one-organization path at 3 and at 100k organizations, side by side:
    Enter on the first organization the moment the table shows, then one setting saved."""
    import app_one_org
    import one_org

    small_uri = server.uri(database.fill(server, one_org.SMALL, config_rows=1000))
    stores = {size: (uri, app_one_org.first_name(database.store, uri))
              for size, uri in (("small", small_uri), ("big", big_uri))}
    progress(f"{database.name}: the app opens and saves one organization at "
             f"{one_org.SMALL} and at {BIG:,}, {args.runs} runs each")
    timings = app_one_org.measure(stores, app_command, environment(), str(ROOT), args.runs,
                                  timeout=args.load_timeout)
    figures = []
    small, big = timings["small"], timings["big"]
    for what, small_values, big_values in (
            ("opened (Enter, from the first paint)", small.opened, big.opened),
            ("saved (ctrl+s, one setting)", small.saved, big.saved)):
        base = statistics.median(small_values) if small_values else None
        figures.append(Figure(f"App: one organization {what}, {one_org.SMALL} organizations, "
                              f"{database.name}", base, "ms", note="informative"))
        figures.append(Figure(
            f"App: one organization {what}, {BIG:,} organizations, {database.name}",
            statistics.median(big_values) if big_values else None, "ms",
            target=f"<= 1.5x at {one_org.SMALL}", limit=1.5, relative_to=base,
            relative_name=f"at {one_org.SMALL}", note=f"{len(big_values)} runs"))
    for size, timing in timings.items():
        problems.extend(f"app one organization ({size}) on {database.name}: {p}"
                        for p in timing.problems[:3])
    return figures


# -- the report ------------------------------------------------------------------------------

def machine() -> str:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"nproc {cpus}{f' ({cpu})' if cpu else ''}; load average {load}; "
            f"Python {platform.python_version()}; Textual {version('textual')}; "
            f"pyte {version('pyte')}; {platform.system()} {platform.release()}")


METHOD = (
    "Method: each figure is measured in this run against a bare Textual app (Header, a DataTable "
    "of 10 rows, Footer: `benchmarks/bare_app.py`), runs interleaved bare/app so that noise hits "
    "both; both start from compiled bytecode (the run compiles the package first, as pip does when "
    "it installs one). First paint: the command starts in a pseudo-terminal of 80x24 "
    "(TERM=xterm-256color, TEXTUAL_ANIMATIONS=none), its output is rendered by pyte, and the clock "
    "runs from just before the fork until the first organization of the store (the first in name "
    "order) is on the rendered screen; median of {runs} runs each. Key-to-paint: with the 100k "
    "store open and fully loaded (its status line shows the organization count, then the app stays "
    "under 5% of a CPU for a second: background validation done), Down is sent {downs} times, then "
    "`/` and the filter `{filter}`; each key is timed until the rendered screen changes, "
    "attributes included (a moved highlight counts), after the previous key's output has settled; "
    "\"until settled\" is until the last output before 150 ms of quiet (the filtered table may "
    "follow the echo of the key). The bare app's Down figure cycles Down and Up over its 10 rows. "
    "Store: `load()` of the 100k JSON store and `commit()` of one changed setting against the "
    "loaded snapshot (temp file, fsync, backup link, read-back, history), in process, each on a "
    "fresh copy in a temp directory on the same disk, median of {runs}. Peak RSS: VmHWM of the app "
    "process after the key test. Generated stores: `benchmarks/generate.py`, seed 42, about 10% of "
    "organizations with 1-3 overrides. Oro's database: a throwaway PostgreSQL server (initdb in a "
    "temp dir, Unix socket, fsync off) holding the same 100k organizations as Oro stores them, "
    "plus other sections' rows up to 1M rows in oro_config_value (`benchmarks/oro_db.py`); the app "
    "opened with `--store postgresql://...`, the same keys, the same bare-app baseline (measured "
    "again, interleaved) and targets; store figures are `PostgresStore.load()`, `change_token()` "
    "(what the app's watch runs each second, off the UI thread), `commit()` of one changed "
    "setting, and `load()` again after it (the organizations reused), in process, a new connection "
    "per run. Oro's database on MySQL: the same on a throwaway MariaDB server "
    "(`tests/mysql/server.py`: mariadbd on a Unix socket in a temp dir) with Oro's utf8 tables "
    "(`oro_db.fill_mysql`), `--store mysql://...`, `MySQLStore`. A 20 MB description: a store of "
    "one organization whose description is 20,000,000 characters (more than outlook-tui writes; "
    "an older import let it in), opened once loaded; `e` opens Edit organization (timed until "
    "the dialog shows), then Tab, Tab to Description, End, five Backspace/x pairs, Home, Right, "
    "Right, each key timed as above. Down from the first paint (Oro's database): the app is "
    "started and Down sent the moment its first row shows, while the rest of the 100k "
    "organizations is still read in the background; each Down goes as soon as the previous "
    "one's move is on screen, and is timed until the highlighted row has moved (its line or its "
    "text; the status line saying the count is not taken for a key's effect); a few such "
    "sessions pooled, each after a session of the bare app timed the same way from its own "
    "first paint. The app's one organization: a new app process on a database of 3 "
    "organizations and on the 100k one, alternately; Enter on the first organization the "
    "moment the table shows, timed until the form says where each value comes from; then "
    "space (its first Use System) and ctrl+s, timed until the save's notice shows."
)


HISTORY_METHOD = (
    "History: `benchmarks/history_bench.py` writes beside the 100k store a history of 999,999 "
    "lines (nine bulk changes of all 100k organizations, each followed by 11,111 single "
    "changes). `history --limit 20` is the installed command, its wall time and peak RSS from "
    "its own rusage, median of {runs}, interleaved with the same command on a store with no "
    "history (interpreter and import start-up), whose difference is what reading the history "
    "costs; in process, `history(limit=20)` and `history(after_revision=R)` (what the change "
    "notice reads: the lines after the revision the app shows) with tracemalloc's peak. The "
    "History screen's first paint is timed in the 80x24 terminal from the key (Enter on "
    "\"History of all changes\" in the palette; `h` on the first organization, which has ~10 "
    "lines among the million) until its heading shows the count; the change notice from the moment "
    "of another process's save (the store file's mtime) until the app's notice naming who is on "
    "screen, which includes the app's watch for changes."
)


def history_figures(args: argparse.Namespace, problems: list[str],
                    progress: Callable[[str], None]) -> list[Figure]:
    command = app_command(Path("{store}"))[:-2]  # without --store {store}
    try:
        found = history_bench.measure(
            generate.store_path(BIG), WORK / "history", cli=command, env=os.environ,
            app=None if args.skip_tui else app_command, terminal_env=environment(),
            runs=args.runs, progress=progress)
    except Exception as error:  # a failure here must not hide the other figures
        problems.append(f"history figures: {type(error).__name__}: {error}")
        return []
    problems.extend(found.notes)
    median = history_bench.HistoryFigures.median
    lines = f"{found.lines / 1e6:.0f}M lines" if found.lines >= 500_000 else f"{found.lines:,}"
    with_history, without = median(found.cli_wall), median(found.cli_empty_wall)
    reading = with_history - without if with_history is not None and without is not None \
        else None
    n = f"median of {len(found.cli_wall)}"
    figures = [
        Figure(f"`history --limit 20`, {lines}, wall", with_history, "ms", note=n),
        Figure("`history --limit 20`, no history, wall (start-up)", without, "ms", note=n),
        Figure(f"`history --limit 20`, {lines}: reading (the difference)", reading, "ms",
               target="<= 100 ms", limit=100),
        Figure(f"`history --limit 20`, {lines}, peak RSS",
               max(found.cli_peak) if found.cli_peak else None, "MB", target="<= 100 MB",
               limit=100),
        Figure(f"history(limit=20) in process, {lines}", found.in_process_limit, "ms",
               target="<= 100 ms", limit=100),
        Figure(f"history(limit=20) in process, {lines}, peak", found.in_process_limit_peak,
               "MB", target="<= 100 MB", limit=100),
        Figure(f"Change notice: who changed (after_revision), {lines}", found.after_revision,
               "ms", target="<= 100 ms", limit=100),
        Figure(f"Change notice: who changed, {lines}, peak", found.after_revision_peak, "MB",
               target="<= 100 MB", limit=100),
        Figure(f"One organization's history (~10 of {lines}), in process",
               found.one_organization, "ms", note="informative"),
    ]
    if not args.skip_tui:
        screens = f"median of {len(found.screen_all)}"
        shown, bare_screen = median(found.screen_all), median(found.screen_empty)
        figures += [
            Figure(f"History screen first paint, all changes, {lines}", shown, "ms",
                   note=screens),
            Figure("History screen first paint, no history (the screen's own cost)",
                   bare_screen, "ms", note=f"median of {len(found.screen_empty)}"),
            Figure(f"History screen first paint, {lines}: reading (the difference)",
                   shown - bare_screen if shown is not None and bare_screen is not None
                   else None, "ms", target="<= 100 ms", limit=100),
            Figure(f"History screen first paint, one organization, {lines}",
                   median(found.screen_organization), "ms", note="informative"),
            Figure(f"Change notice on screen after another's save, {lines}",
                   median(found.notice), "s", note="from the store's mtime; includes the watch"),
        ]
    return figures


def compile_package() -> None:
    """Start from bytecode, as the bare app does: pip compiled Textual's modules when it
    installed them, and an installed outlook-tui has its own compiled too, but the editable
    install of a work tree does not, and PYTHONDONTWRITEBYTECODE (the terminal's environment
    here, and many CI machines') keeps Python from caching them. Without this every start would
    compile the package from source, ~40 ms the bare app never pays."""
    compileall.compile_dir(str(ROOT / "outlook_tui"), quiet=1)


def replace_readme(block: str) -> bool:
    if not README.exists():
        return False
    text = README.read_text()
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        return False
    README.write_text(text[: start + len(MARK_START)] + "\n" + block + "\n" + text[end:])
    return True


# -- the run ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="outlook-tui benchmarks")
    parser.add_argument("--runs", type=int, default=5, help="runs per first-paint figure (>= 5)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, BIG],
                        help="store sizes for first paint")
    parser.add_argument("--downs", type=int, default=50)
    parser.add_argument("--filter", default="org 1", help="the filter typed (5 characters)")
    parser.add_argument("--loaded-pattern", default=LOADED_PATTERN,
                        help="regex on the screen once the whole store is loaded")
    parser.add_argument("--timeout", type=float, default=30.0, help="first paint, per run (s)")
    parser.add_argument("--key-timeout", type=float, default=2.0, help="per key (s)")
    parser.add_argument("--load-timeout", type=float, default=60.0,
                        help="until the 100k store is loaded, before the keys (s)")
    parser.add_argument("--app", metavar="COMMAND",
                        help="measure this command instead of outlook-tui ({store}: the path)")
    parser.add_argument("--skip-tui", action="store_true", help="store figures only")
    parser.add_argument("--no-postgres", action="store_true",
                        help="leave out Oro's database on PostgreSQL (needs initdb otherwise)")
    parser.add_argument("--no-mysql", action="store_true",
                        help="leave out Oro's database on MySQL (needs mariadbd otherwise)")
    parser.add_argument("--no-json", action="store_true",
                        help="leave out the JSON store's figures (Oro's databases only)")
    parser.add_argument("--skip-history", action="store_true",
                        help="leave out the figures at 1M history lines")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave results.md and README alone")
    args = parser.parse_args(argv)
    global APP_TEMPLATE
    APP_TEMPLATE = args.app
    if any(n <= 0 for n in args.sizes):
        parser.error("--sizes: first paint needs a first row, so at least 1 organization")

    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    compile_package()
    for count in sorted({0, *generate.SIZES, *args.sizes}):
        generate.write_store(count)
    WORK.mkdir(parents=True, exist_ok=True)
    # The app opens working copies: whatever it writes beside a store stays out of the originals.
    copies: dict[int, Path] = {}
    for count in sorted({*args.sizes, BIG}):
        copy = WORK / f"orgs-{count}.json"
        shutil.copyfile(generate.store_path(count), copy)
        copies[count] = copy
    first_rows = {n: generate.first_name(generate.store_path(n)) or "" for n in copies}

    figures: list[Figure] = []
    problems: list[str] = []

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if not args.skip_tui and not args.no_json:
        bare = Samples()
        app = {n: Samples() for n in args.sizes}
        for run in range(args.runs):
            for n in args.sizes:  # ABAB: a bare run before each app run
                value, problem = first_paint(bare_command(), BARE_FIRST_ROW, args.timeout)
                bare.add(value, problem)
                value, problem = first_paint(app_command(copies[n]), first_rows[n][:18],
                                             args.timeout)
                app[n].add(value, problem)
            progress(f"first paint, round {run + 1}/{args.runs}: bare "
                     f"{statistics.median(bare.values) if bare.values else float('nan'):.3f} s")
        baseline = bare.median
        figures.append(Figure("First paint, bare Textual app", baseline, "s", note=bare.note))
        limits = {10_000: 1.3, BIG: 2.0}
        for n in args.sizes:
            limit = limits.get(n)
            figures.append(Figure(
                f"First paint, {n:,} organizations", app[n].median, "s",
                target=f"<= {limit}x bare" if limit else "—",
                limit=limit, relative_to=baseline, note=app[n].note, missing=app[n].missing))
            if app[n].problem:
                problems.append(f"first paint at {n:,}: {app[n].problem}")
        if bare.problem:
            problems.append(f"first paint of the bare app: {bare.problem}")

        progress("keys: bare app")
        cycle = ["down"] * 9 + ["up"] * 9
        bare_keys = key_session(
            bare_command(), [cycle[i % len(cycle)] for i in range(args.downs)],
            ready=lambda t: True, row=BARE_FIRST_ROW, filter_text=None,
            timeout=args.key_timeout, load_timeout=args.timeout)
        progress(f"keys: {BIG:,} organizations")
        pattern = re.compile(args.loaded_pattern, re.IGNORECASE)
        keys = key_session(
            app_command(copies[BIG]), ["down"] * args.downs,
            ready=lambda t: any(pattern.search(line) for line in t.screen.display),
            row=first_rows[BIG][:18], filter_text=args.filter, timeout=args.key_timeout,
            load_timeout=args.load_timeout)
        problems.extend(f"keys at {BIG:,}: {n}" for n in keys.notes + bare_keys.notes)
        for label, samples in (("Down", keys.downs), ("filter keystroke", keys.filter_keys)):
            if samples.problem:
                problems.append(f"{label} at {BIG:,}: {samples.problem}")

        def worst(samples: Samples) -> float | None:
            return max(samples.values) if samples.values and not samples.timeouts else None

        n_downs = f"{args.downs} keys"
        bare_median = bare_keys.downs.median
        figures += [
            Figure(f"Loaded (the count shows), {BIG:,}", keys.loaded, "s", note="informative",
                   missing="not seen"),
            Figure(f"Idle after loading, {BIG:,}", keys.idle, "s", note="informative",
                   missing="not seen"),
            Figure("Key-to-paint, Down, bare app, median", bare_median, "ms", note=n_downs),
            Figure(f"Key-to-paint, Down, {BIG:,}, median", keys.downs.median, "ms",
                   target="<= 10 ms", limit=10, note=n_downs, missing=keys.downs.missing),
            Figure(f"Key-to-paint, Down, {BIG:,}, max", worst(keys.downs), "ms",
                   target="<= 50 ms", limit=50, note=n_downs, missing=keys.downs.missing),
            Figure(f"Open the filter (/), {BIG:,}", keys.open_filter.median, "ms"),
            Figure(f"Filter keystroke, {BIG:,}, max", worst(keys.filter_keys), "ms",
                   target="<= 50 ms", limit=50, note=f"{len(args.filter)} keys",
                   missing=keys.filter_keys.missing),
            Figure(f"Filter keystroke, {BIG:,}, median", keys.filter_keys.median, "ms",
                   note=f"{len(args.filter)} keys"),
            Figure(f"Filter keystroke until settled, {BIG:,}, max", worst(keys.filter_settled),
                   "ms", note="informative"),
            Figure(f"Peak RSS, {BIG:,} (after the keys)", keys.peak_rss, "MB",
                   target="<= 300 MB", limit=300, missing="not measured"),
            Figure("Peak RSS, bare app", bare_keys.peak_rss, "MB", missing="not measured"),
        ]

        figures += description_figures(args, problems, progress)

    change = ""
    if not args.no_json:
        progress(f"store: load and save at {BIG:,}")
        try:
            loads, saves, change = store_figures(generate.store_path(BIG), args.runs)
        except Exception as error:  # a broken store must not hide the other figures
            loads, saves, change = Samples(), Samples(), ""
            loads.add(None), saves.add(None)
            problems.append(f"store figures: {type(error).__name__}: {error}")
        figures += [
            Figure(f"Store load, {BIG:,}", loads.median, "ms", note=loads.note),
            Figure(f"Save one change, {BIG:,}", saves.median, "ms", target="<= 150 ms",
                   limit=150, note=saves.note),
        ]

    bare_paint = next((f.value for f in figures if f.name.startswith("First paint, bare")), None)
    for database in databases(args):
        try:
            more, notes = database_figures(args, database, first_rows[BIG], bare_paint,
                                           progress)
        except Exception as error:  # the JSON figures stand on their own
            more, notes = [], [f"{database.name}: {type(error).__name__}: {error}"]
        figures += more
        problems += notes
    if not args.skip_history:
        figures += history_figures(args, problems, progress)

    block = table(figures)
    missed = [f.name for f in figures if f.result == "MISSED"]
    print(block)
    for problem in problems:
        print(f"note: {problem}")
    print(f"MISSED: {len(missed)} target(s): " + "; ".join(missed) if missed
          else "all targets met")

    if not args.no_write:
        runs = args.runs
        text = [
            "# Benchmark results", "",
            f"Run {stamp} by `benchmarks/run.py`. Machine: {machine()}.", "",
            block, "",
            METHOD.format(runs=runs, downs=args.downs, filter=args.filter), "",
        ]
        if change:
            text += [f"The saved change: {change}.", ""]
        if not args.skip_history:
            text += [HISTORY_METHOD.format(runs=runs), ""]
        if problems:
            text += ["Notes from this run:", "", *[f"- {p}" for p in problems], ""]
        RESULTS.write_text("\n".join(text))
        readme = f"Measured {stamp} (`make bench`; details in `benchmarks/results.md`):\n\n{block}"
        if replace_readme(readme):
            print(f"updated {README.name}")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
