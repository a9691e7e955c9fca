"""Reading a store file: bytes, JSON, schema validation with line numbers, and a quick peek at
the head of the file for a first paint."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outlook_tui.store import jsontext, quickcheck
from outlook_tui.store.beside import RefusedFile, open_file
from outlook_tui.store.errors import NewerSchemaError, StoreError, StoreFormatError
from outlook_tui.store.json.document import normalize, serialize
from outlook_tui.store.json.files import fingerprint_of
from outlook_tui.store.json.trust import check_safe
from outlook_tui.store.quickcheck import MAX_INTEGER
from outlook_tui.store.snapshot import Fingerprint, Snapshot


def read_bytes(target: Path) -> tuple[bytes, Fingerprint]:
    try:
        fd = open_file(target, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        raise StoreError(f"{target}: no such store") from None
    except RefusedFile as error:
        if error.errno == errno.ELOOP:
            check_safe(target)
        raise
    except OSError as error:
        raise StoreError(f"{target}: cannot read: {error.strerror}") from None
    try:
        st = os.fstat(fd)
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read()
    finally:
        os.close(fd)
    return data, fingerprint_of(st)


def parse(data: bytes, target: Path) -> dict[str, Any]:
    """JSON text to a document, or StoreFormatError with the line and column."""
    if not data.strip():
        raise StoreFormatError(target, ["the file is empty"])
    try:
        document = jsontext.loads(data, serialize)
    except jsontext.JsonTextError as error:
        raise StoreFormatError(target, [str(error)], error.line, error.column) from None
    if not isinstance(document, dict):
        raise StoreFormatError(target, ["(document): must be a JSON object"])
    return document


def read(target: Path) -> Snapshot:
    """Parse the whole file without validating it: never shown, never written on."""
    data, fingerprint = read_bytes(target)
    return Snapshot(parse(data, target), path=target, fingerprint=fingerprint, validated=False)


def validate(raw: Snapshot, store_path: Path,
             pause: Callable[[], None] | None = None) -> tuple[Snapshot, str | None]:
    """Check a parsed document against the schema; StoreFormatError lists every problem.

    Returns the validated snapshot in the written form, and why it must stay read-only (a
    newer schema this build reads but must not write), or None.
    """
    from outlook_tui.store import models  # pydantic loads here, after the first paint

    document = raw.document
    problems = models.check_document(document, pause=pause)
    version = document.get("schema_version")
    read_only_reason = None
    if isinstance(version, int) and version > models.SCHEMA_VERSION:
        if problems:
            raise NewerSchemaError(
                f"{store_path} was written by a newer outlook-tui (schema {version}; this "
                f"build reads {models.SCHEMA_VERSION}) and cannot be read: upgrade outlook-tui"
            )
        read_only_reason = (
            f"written by a newer outlook-tui (schema {version}; this build reads "
            f"{models.SCHEMA_VERSION}): upgrade to edit it"
        )
    elif problems:
        located, first_line = _with_lines(raw.path or store_path, problems)
        raise StoreFormatError(store_path, located, first_line)
    snapshot = Snapshot(normalize(document), path=raw.path, fingerprint=raw.fingerprint,
                        validated=True)
    return snapshot, read_only_reason


def peek(path: Path, limit: int) -> Snapshot | None:
    """The header and the first ``limit`` organizations, from the start of the file only.

    Partial, but every record in it checked (:mod:`outlook_tui.store.quickcheck`): ``None``
    when the head is not in the form this program writes or anything in it fails a check (then
    the caller loads and validates the file whole, and reports what is wrong).
    """
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except (OSError, StoreError):
        return None
    try:
        fingerprint = fingerprint_of(os.fstat(fd))
        head = os.pread(fd, 16384 + 512 * limit, 0)
    finally:
        os.close(fd)
    try:
        # Strict: a byte that is not UTF-8 must not vanish from a name; a character cut by
        # the end of the read is simply left out.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    found = re.search(r'\n  "organizations": \[', text)
    if found is None or text.startswith("\ufeff"):
        return None
    decoder = json.JSONDecoder(object_pairs_hook=jsontext.no_duplicates,
                               parse_constant=_refuse_constant)
    records: list[dict[str, Any]] = []
    try:
        header = decoder.decode(text[: found.start()].rstrip().rstrip(",") + "}")
        at = found.end()
        while len(records) < limit:
            while at < len(text) and text[at] in " \n\r\t,":
                at += 1
            if at >= len(text) or text[at] == "]":
                break
            try:
                record, at = decoder.raw_decode(text, at)
            except json.JSONDecodeError:
                break  # cut by the end of the read: the full load shows the rest
            records.append(record)
    except (ValueError, RecursionError, jsontext.DuplicateKey):
        return None
    if not isinstance(header, dict) or not quickcheck.header_ok(header):
        return None
    ids = {r.get("id") for r in records if isinstance(r, dict)}
    names = {r.get("name") for r in records if isinstance(r, dict)}
    if (not all(quickcheck.organization_ok(r) for r in records)
            or len(ids) != len(records) or len(names) != len(records)):
        return None
    header["organizations"] = records
    return Snapshot(header, path=path, fingerprint=fingerprint, validated=False)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def peek_revision(path: Path) -> int:
    """The revision from the head of a file, even a damaged one (0 if it cannot be found)."""
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except (OSError, StoreError):
        return 0
    try:
        head = os.pread(fd, 4096, 0).decode("utf-8", errors="ignore")
    finally:
        os.close(fd)
    found = re.search(r'"revision"\s*:\s*(\d{1,19})\b', head)
    return min(int(found.group(1)), MAX_INTEGER) if found else 0


def _with_lines(path: Path, problems: list[str]) -> tuple[list[str], int | None]:
    """Prefix each ``field.path: message`` with the line of that field in the file, so the
    message says where to look in an editor. Best effort: the problems as they were if the file
    cannot be read again."""
    from outlook_tui.store.locate import line_for, lines_of, parse_path

    try:
        data, _ = read_bytes(path)
    except StoreError:
        return problems, None
    fields = [parse_path(problem.partition(": ")[0]) for problem in problems[:50]]
    found = lines_of(data, [f for f in fields if f is not None])
    located: list[str] = []
    for index, problem in enumerate(problems):
        field = fields[index] if index < len(fields) else None
        line = line_for(found, field) if field is not None else None
        located.append(f"line {line}: {problem}" if line is not None else problem)
    lines = [line_for(found, f) for f in fields if f is not None]
    return located, next((n for n in lines if n is not None), None)
