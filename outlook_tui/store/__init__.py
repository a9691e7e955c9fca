"""The store: load a validated snapshot, commit changes against a base revision, read history.

Never imports Textual (``tests/test_import_hygiene.py``); pydantic is imported only when a
document is validated, so the app can paint before it loads.
"""

from outlook_tui.store.backend import (
    Backup,
    BackupStore,
    Capability,
    CommitResult,
    StoreBackend,
    backups_of,
    require,
)
from outlook_tui.store.changes import (
    AppliedChange,
    Change,
    NewOrganization,
    OrganizationChange,
    SettingChange,
)
from outlook_tui.store.errors import (
    Conflict,
    ConflictError,
    DuplicateNameError,
    InputError,
    InvalidNameError,
    LockTimeout,
    NewerSchemaError,
    ReadOnlyError,
    StoreError,
    StoreFormatError,
    StoreWriteError,
    TableLockTimeout,
    UnsafeStoreError,
    UnsupportedError,
)
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.json import JsonStore
from outlook_tui.store.snapshot import Organization, Snapshot

__all__ = [
    "AppliedChange", "Backup", "BackupStore", "Capability", "Change", "CommitResult", "Conflict",
    "ConflictError", "DuplicateNameError", "HistoryEntry", "InputError", "InvalidNameError",
    "JsonStore",
    "LockTimeout", "NewOrganization", "NewerSchemaError", "Organization", "OrganizationChange",
    "ReadOnlyError", "SettingChange", "Snapshot", "StoreBackend", "StoreError",
    "StoreFormatError", "StoreWriteError", "TableLockTimeout", "UnsafeStoreError",
    "UnsupportedError", "backups_of",
    "require",
]
