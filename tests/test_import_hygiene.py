"""The core (catalog, scopes, store, import/export, command line) works without Textual, and the
app's first paint does not wait for pydantic to load."""

import subprocess
import sys

CORE = ["outlook_tui.catalog", "outlook_tui.scopes", "outlook_tui.store", "outlook_tui.transfer",
        "outlook_tui.cli", "outlook_tui.paths", "outlook_tui.store.models",
        "outlook_tui.compare", "outlook_tui.history_text", "outlook_tui.text",
        # The form's and the organizations grid's models: what the screens show, without them.
        "outlook_tui.form_model", "outlook_tui.grid_model"]


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('\\n'.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_core_never_imports_textual() -> None:
    loaded = _imported_after(CORE)
    assert "outlook_tui" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_opening_the_app_does_not_load_pydantic_before_the_first_paint() -> None:
    loaded = _imported_after(["outlook_tui.app.app", "outlook_tui.store.json"])
    assert "textual" in loaded
    assert "pydantic" not in loaded


def test_the_crash_report_is_loaded_only_for_a_crash() -> None:
    """rich.traceback (and pygments with it) comes with Textual's report of a crash."""
    out = subprocess.run([sys.executable, "-c", "import sys, outlook_tui.app.crash, "
                          "outlook_tui.app.app; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    assert "rich.traceback" not in out.stdout.split()
