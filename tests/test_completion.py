"""Shell completion in a real bash: the function `register-python-argcomplete outlook-tui`
prints (the README's install line) is loaded and called as bash calls it on Tab, and runs the
installed `outlook-tui` through argcomplete's protocol."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outlook_tui.catalog import CATALOG
from tests.conftest import write_store

BIN = Path(sys.executable).parent
KEYS = {s.name for s in CATALOG}

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or not (BIN / "outlook-tui").exists()
    or not (BIN / "register-python-argcomplete").exists(),
    reason="needs bash and the installed outlook-tui (make test installs both)")

# Bash's own completion state for the words typed so far, then the function bash would call.
SCRIPT = r'''
eval "$(register-python-argcomplete outlook-tui)"
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_python_argcomplete outlook-tui "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]:-}"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(line: str, store: Path | None = None, *extra_env: tuple[str, str]) -> set[str]:
    """What bash offers for Tab at the end of ``line``, with completions as bash inserts them
    (a space in a name escaped)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("OUTLOOK_TUI_STORE", None)
    if store is not None:
        env["OUTLOOK_TUI_STORE"] = str(store)
    env.update(dict(extra_env))
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", SCRIPT, "bash", line],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return {word.strip() for word in result.stdout.splitlines() if word.strip()}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_store(tmp_path / "store.json",
                       ["Default Organization", "Acme Corp", "Globex", "Acme Labs"])


def test_commands_and_their_actions_complete(store: Path) -> None:
    assert {"orgs", "show", "set", "reset", "history", "export", "import"} <= complete(
        "outlook-tui ", store)
    assert complete("outlook-tui hi", store) == {"history"}
    assert complete("outlook-tui orgs ", store) >= {"list", "add", "rename", "enable", "disable"}
    assert complete("outlook-tui show --sy", store) == {"--system"}


def test_organization_names_complete_from_the_store(store: Path) -> None:
    assert complete("outlook-tui show ", store) == {
        r"Acme\ Corp", r"Acme\ Labs", r"Default\ Organization", "Globex"}
    assert complete("outlook-tui show Acme\\ L", store) == {r"Acme\ Labs"}
    assert complete("outlook-tui orgs rename gl", store) == {"Globex"}
    assert complete(f"outlook-tui --store {store} history Glo") == {"Globex"}


def test_after_an_organization_come_setting_keys_then_that_keys_values(store: Path) -> None:
    assert complete("outlook-tui set Globex ", store) >= KEYS
    assert complete("outlook-tui set Globex tasks", store) == {"tasks_enabled"}
    assert complete("outlook-tui set Globex tasks_enabled ", store) == {"true", "false"}
    assert complete("outlook-tui set Globex contacts_sync_direction ", store) == {
        "OroCRMToOutlook", "OutlookToOroCRM", "Both"}
    assert complete("outlook-tui set --system contacts_conflict_resolution ", store) == {
        "OroCRMAlwaysWins", "OutlookAlwaysWins"}
    assert complete("outlook-tui set --system ", store) == KEYS
    assert complete("outlook-tui set --system oro_crm_pro_outlook.tas", store) == {
        "oro_crm_pro_outlook.tasks_enabled"}
    assert complete("outlook-tui reset --all-orgs ", store) == KEYS
    assert complete("outlook-tui set --where tasks_enabled=", store) == {"true", "false"}


def test_completion_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "no-store-here.json"
    assert complete("outlook-tui show ", missing) == set()
    assert complete(f"outlook-tui --store {tmp_path / 'nodir' / 'store.json'} set ") == set()
    assert list(tmp_path.iterdir()) == []


def test_completion_never_shortens_what_was_typed(tmp_path: Path) -> None:
    """`set Acme<Tab>` with "ACME Research" in the store once became `set A`: bash puts the
    candidates' common beginning in place of the word."""
    store = write_store(tmp_path / "store.json", ["Acme", "ACME Research", "acme labs", "Globex"])
    assert complete("outlook-tui set Acme", store) == {"Acme"}
    assert complete("outlook-tui show ACME", store) == {r"ACME\ Research"}
    assert complete("outlook-tui show acme", store) == {r"acme\ labs"}
    # Ignoring case, three names spell "acMe" three ways: offering them would leave "".
    assert complete("outlook-tui show acMe", store) == set()
    # One spelling of the typed part: the word changes case, never length.
    assert complete("outlook-tui show glo", store) == {"Globex"}
    assert complete("outlook-tui show acme\\ l", store) == {r"acme\ labs"}
    for line in ("outlook-tui set A", "outlook-tui set a", "outlook-tui show Acme",
                 "outlook-tui show GLO"):
        typed = line.rpartition(" ")[2]
        offered = complete(line, store)
        words = [word.replace("\\ ", " ") for word in offered]
        common = next((i for i, chars in enumerate(zip(*words, strict=False))
                       if len(set(chars)) > 1), min(map(len, words), default=0))
        assert not offered or common >= len(typed), (line, offered)
