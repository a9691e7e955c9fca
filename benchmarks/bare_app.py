"""The baseline: a bare Textual app with a Header, a DataTable of 10 rows and a Footer.

Its first paint is what any Textual app costs on this machine (interpreter, imports, the first
frame); the app's targets are ratios against it, measured in the same run.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

FIRST_ROW = "Baseline Organization 00"


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status", "Created At", "Updated At")
        for n in range(10):
            table.add_row(f"Baseline Organization {n:02d}", "Active",
                          "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
