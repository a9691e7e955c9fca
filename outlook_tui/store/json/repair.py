"""History repair: a history that does not reach the store's revision is recorded, once."""

from __future__ import annotations

from outlook_tui.store import history as history_file
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.identity import current_user, ssh_client
from outlook_tui.store.json.commit import append_history
from outlook_tui.store.json.document import utc_now
from outlook_tui.store.json.files import StoreFiles
from outlook_tui.store.snapshot import Snapshot


def check_history(files: StoreFiles, current: Snapshot) -> list[str]:
    """Under the lock: a history that does not reach the store's revision means a writer
    died between the two writes (or someone edited a file by hand). Record it, once."""
    last = history_file.last_revision(files.history_path)
    if last == current.revision:
        return []
    if last < current.revision:
        detail = (f"revisions {last + 1} to {current.revision} were committed without their "
                  "history lines (a writer stopped between saving the store and its history)")
        event = "history_gap"
    else:
        detail = (f"the history reaches revision {last} but the store is at "
                  f"{current.revision} (the store file was replaced by an older one)")
        event = "history_ahead"
    entry = HistoryEntry(utc_now(), current_user(), ssh_client(), current.revision, None,
                         None, None, None, None, None, event=event, detail=detail)
    try:
        append_history(files, history_file.encode([entry]))
    except OSError as error:
        return [f"the history disagrees with the store ({detail}) and recording that failed:"
                f" {error.strerror}"]
    return [f"recorded in the history: {detail}"]
