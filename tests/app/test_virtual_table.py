"""The virtual table: only visible rows are ever asked for; keys and clicks move the cursor."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.strip import Strip

from outlook_tui.app.widgets.virtual_table import Column, VirtualTable
from tests.app.screen import drawn_strips

COLUMNS = [
    Column("name", "Name", 10, flexible=True),
    Column("status", "Status", 8),
    Column("count", "Count", 6, align="right"),
]


class TableApp(App[None]):
    def __init__(self, count: int, marked: set[int] | None = None) -> None:
        super().__init__()
        self.asked: set[int] = set()
        self.count = count
        self.marks = marked
        self.highlighted: list[int] = []
        self.selected: list[int] = []
        self.headers: list[int] = []

    def row(self, index: int) -> list[str]:
        self.asked.add(index)
        return [f"Organization {index}", "Active", str(index)]

    def compose(self) -> ComposeResult:
        marked = (lambda i: i in self.marks) if self.marks is not None else None
        yield VirtualTable(COLUMNS, self.row, self.count, marked=marked, empty_text="Nothing")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.highlighted.append(event.index)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(event.index)

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        self.headers.append(event.column)


def table_text(app: App[object]) -> str:
    table = app.query_one(VirtualTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_a_million_rows_render_only_what_is_visible() -> None:
    app = TableApp(1_000_000)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert max(app.asked) < 20
        table = app.query_one(VirtualTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 999_999
        assert len(app.asked) < 60
        assert "Organization 999999" in table_text(app)


async def test_header_row_stays_on_top_and_columns_fill_the_width() -> None:
    app = TableApp(3)
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        lines = table_text(app).splitlines()
        assert lines[0].startswith("Name")
        assert lines[0].rstrip().endswith("Count")
        assert lines[1].startswith("Organization 0")
        assert lines[3].rstrip().endswith("2")  # right-aligned in the last column


async def test_keys_move_the_cursor_and_keep_it_visible() -> None:
    app = TableApp(100)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + 10  # one screen of rows: 11 lines less the header
        await pilot.press("end")
        assert table.cursor_row == 99
        assert table.scroll_y == 100 - 10
        await pilot.press("pageup", "home", "up")
        assert table.cursor_row == 0
        assert table.scroll_y == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [1]
        assert app.highlighted[-1] == 1


async def test_left_and_right_focus_a_column_for_sorting() -> None:
    app = TableApp(5)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("right", "right", "right")
        assert table.cursor_column == 2
        await pilot.press("left")
        assert table.cursor_column == 1
        table.set_sort("status", reverse=True)
        await pilot.pause()
        assert "Status▼" in table_text(app).splitlines()[0]


async def test_clicks_highlight_a_row_and_select_a_column_header() -> None:
    app = TableApp(5)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(2, 3))
        await pilot.pause()
        assert table.cursor_row == 2
        await pilot.click(VirtualTable, offset=(2, 3), times=2)
        await pilot.pause()
        assert app.selected == [2]
        await pilot.click(VirtualTable, offset=(34, 0))
        await pilot.pause()
        assert app.headers == [2]


async def test_marked_rows_show_a_mark_in_the_gutter() -> None:
    app = TableApp(4, marked={1})
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        lines = table_text(app).splitlines()
        assert lines[1].startswith("  Organization 0")
        assert lines[2].startswith("• Organization 1")


async def test_set_rows_shrinks_and_clamps_the_cursor() -> None:
    app = TableApp(50)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("end")
        table.set_rows(3)
        await pilot.pause()
        assert table.cursor_row == 2
        table.set_rows(0)
        await pilot.pause()
        assert table.cursor_row == 0
        assert "Nothing" in table_text(app)
        await pilot.press("enter", "down")
        assert app.selected == []


async def test_what_a_scroll_paints_is_what_a_full_repaint_draws() -> None:
    """A Down at the bottom of the screen repaints only the rows (the header row and the
    scrollbar's track do not move); the thumb is repainted once it has moved. At each stop the
    screen drawn is the one drawn from scratch, and the thumb ends at the bottom at the end."""
    app = TableApp(100_000)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)

        def columns(strips: list[Strip], start: int, end: int) -> list[Strip]:
            return [strip.crop(start, end) for strip in strips]

        await pilot.pause()
        top = drawn_strips(app)
        for keys in (["down"] * 15, ["pagedown"] * 3, ["end"], ["up"] * 12, ["home"], ["end"]):
            await pilot.press(*keys)
            await pilot.pause()
            painted = drawn_strips(app)
            table.refresh_rows()
            table.vertical_scrollbar.refresh()
            await pilot.pause()
            assert painted == drawn_strips(app), f"after {keys[0]}"
        assert table.cursor_row == 99_999
        assert columns(painted, 59, 60) != columns(top, 59, 60)  # the scrollbar's thumb
        assert columns(painted, 0, 59)[0] == columns(top, 0, 59)[0]  # the header row
