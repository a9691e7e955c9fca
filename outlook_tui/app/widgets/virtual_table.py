"""A table that renders only the rows on screen (Textual's Line API), for 100k organizations.

Textual's DataTable measures every cell when rows are added (seconds for 100k rows). Here the
owner supplies a row count and a callback ``row(index) -> cells``; the table asks for the rows
it paints and nothing else, so the cost of a key press does not depend on how many rows exist.

Generic on purpose: the organizations screen and the settings matrix both use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from outlook_tui.app.icons import ICONS
from outlook_tui.app.widgets.cells import Cell, Column, fit, fit_text

RowGetter = Callable[[int], Sequence[Cell]]
#: What every line of one paint shares: width, column widths, top row, left column, style.
Paint = tuple[int, tuple[int, ...], int, int, Style]

#: Shown in the gutter of a marked row. In code page 437, so the Linux console draws it too.
MARK = ICONS.mark
SORT_ASCENDING = ICONS.ascending
SORT_DESCENDING = ICONS.descending


class VirtualTable(ScrollView, can_focus=True):
    """Rows supplied lazily by ``row(index)``; a header row; a cursor row; a focused column
    (left/right) the owner can sort by; optional marks shown in a gutter.

    Painted rows are cached: when rows change, call :meth:`set_rows` (new rows or a new order),
    :meth:`refresh_row` (one row) or :meth:`refresh_rows` (all of them); a plain ``refresh()``
    repaints from the cache."""

    HELP_TITLE = "Tables (organizations, matrix, history)"

    BINDINGS: ClassVar[list[BindingType]] = [
        # j / k as in less, htop, k9s: a filter field has focus of its own, so they never
        # clash with typing.
        Binding("up,k", "cursor_up", "Up", show=False, id="virtual_table.up",
                tooltip="Previous row"),
        Binding("down,j", "cursor_down", "Down", show=False, id="virtual_table.down",
                tooltip="Next row"),
        Binding("pageup", "page_up", "Page up", show=False, id="virtual_table.page_up",
                tooltip="One screen of rows up"),
        Binding("pagedown", "page_down", "Page down", show=False,
                id="virtual_table.page_down", tooltip="One screen of rows down"),
        Binding("home", "first", "First", show=False, id="virtual_table.first",
                tooltip="First row"),
        Binding("end", "last", "Last", show=False, id="virtual_table.last",
                tooltip="Last row"),
        Binding("left", "column_left", "Column left", show=False, id="virtual_table.left",
                tooltip="Focus the column to the left"),
        Binding("right", "column_right", "Column right", show=False,
                id="virtual_table.right", tooltip="Focus the column to the right"),
        Binding("enter", "select", "Open", show=False, id="virtual_table.select",
                tooltip="Open the highlighted row"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--header-focused",
        "virtual-table--cursor",
        "virtual-table--cursor-cell",
        "virtual-table--marked",
        "virtual-table--empty",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        & > .virtual-table--header { text-style: bold; background: $panel; }
        & > .virtual-table--header-focused { text-style: bold underline; background: $panel; }
        & > .virtual-table--cursor { background: $surface-lighten-1; }
        & > .virtual-table--cursor-cell { background: $surface-lighten-2; }
        & > .virtual-table--marked { color: $accent; text-style: bold; }
        & > .virtual-table--empty { color: $text-muted; text-style: italic; }
        &:focus > .virtual-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-table--cursor-cell {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
    }
    """

    # repaint=False: the watchers refresh only the lines that changed (a key costs two lines).
    cursor_row: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    cursor_column: reactive[int] = reactive(0, init=False, repaint=False)

    class _TableMessage(Message):
        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(_TableMessage):
        """The cursor moved to row ``index``."""

    class RowSelected(_TableMessage):
        """Enter (or a double click) on row ``index``."""

    class HeaderSelected(_TableMessage):
        """A click on the header of column ``index`` (into ``columns``)."""

        @property
        def column(self) -> int:
            return self.index

    def __init__(
        self,
        columns: Sequence[Column],
        row: RowGetter | None = None,
        count: int = 0,
        *,
        marked: Callable[[int], bool] | None = None,
        empty_text: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.columns: tuple[Column, ...] = tuple(columns)
        self._row: RowGetter = row or (lambda index: ())
        self._count = count
        #: When given, a gutter shows which rows are marked.
        self._marked = marked
        #: Shown in place of rows when there are none.
        self.empty_text = empty_text
        #: The column the rows are sorted by (a key) and its direction, drawn in the header.
        self.sort_key: str | None = None
        self.sort_reverse = False
        self._widths: tuple[int, ...] = ()
        self._widths_for = -1
        self._style_cache: dict[str, Style] = {}
        #: Painted rows by index, with what they were painted for: scrolling by one line
        #: repaints every line on screen, but only one of them is new.
        self._strips: dict[int, tuple[tuple[object, ...], Strip]] = {}
        #: Set while a paint is under way (see render_lines).
        self._paint: Paint | None = None

    # -- data ------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def set_rows(self, count: int, row: RowGetter | None = None, *,
                 cursor: int | None = None) -> None:
        """Show ``count`` rows (from ``row`` if given); keep the cursor at ``cursor`` or as near
        as it can stay. Cheap: nothing is rendered until it is on screen."""
        if row is not None:
            self._row = row
        self._count = count
        self._strips.clear()
        self._update_virtual_size()
        target = self.cursor_row if cursor is None else cursor
        self.cursor_row = self._clamp(target)
        self.refresh()

    @property
    def working_line(self) -> int:
        """The cursor row's line on the screen (notices stay away from it)."""
        return self.region.y + 1 + self.cursor_row - int(self.scroll_y)

    def refresh_row(self, index: int) -> None:
        """Paint one row again (after it was marked, say)."""
        self._strips.pop(index, None)
        self._refresh_screen_line(index - int(self.scroll_y) + 1)

    def refresh_rows(self) -> None:
        """Paint every row again: their contents changed (marks, say), not their number."""
        self._strips.clear()
        self.refresh()

    def _refresh_screen_line(self, y: int) -> None:
        # ScrollView.refresh_line takes a virtual line; ours are screen lines (the header
        # stays on top, so rows are offset by the scroll position and one line).
        # The scrollable region: the scrollbar beside the line is not repainted with it.
        width, height = self.scrollable_content_region.size
        if 0 <= y < height:
            self.refresh(Region(0, y, width, 1))

    def set_sort(self, key: str | None, reverse: bool = False) -> None:
        self.sort_key, self.sort_reverse = key, reverse
        self._refresh_screen_line(0)

    def _clamp(self, index: int) -> int:
        return max(0, min(index, self._count - 1)) if self._count else 0

    # -- geometry --------------------------------------------------------------------------

    @property
    def _gutter(self) -> int:
        return 2 if self._marked is not None else 0

    def _column_widths(self, width: int) -> tuple[int, ...]:
        if self._widths_for == width and self._widths:
            return self._widths
        fixed = sum(c.width for c in self.columns if not c.flexible)
        gaps = max(len(self.columns) - 1, 0)
        flexible = [c for c in self.columns if c.flexible]
        spare = width - self._gutter - fixed - gaps
        # Flexible columns start at their width; what is left is shared equally, a column
        # that reaches its max_width handing the rest of its share to the others.
        share = {id(c): c.width for c in flexible}
        left = spare - sum(share.values())
        growing = [c for c in flexible if c.max_width is None or c.max_width > c.width]
        while left > 0 and growing:
            each = max(left // len(growing), 1)
            for column in list(growing):
                room = (column.max_width - share[id(column)]
                        if column.max_width is not None else left)
                step = min(each, room, left)
                share[id(column)] += step
                left -= step
                if column.max_width is not None and share[id(column)] >= column.max_width:
                    growing.remove(column)
                if left <= 0:
                    break
        widths = [share[id(column)] if column.flexible else column.width
                  for column in self.columns]
        self._widths, self._widths_for = tuple(widths), width
        return self._widths

    def _line_width(self) -> int:
        widths = self._column_widths(self.scrollable_content_region.width)
        return self._gutter + sum(widths) + max(len(widths) - 1, 0)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._line_width(), self._count + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._widths_for = -1
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    # -- cursor ----------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        clamped = self._clamp(new)
        if clamped != new:
            self.cursor_row = clamped
            return
        self.refresh_row(old)
        self._scroll_cursor_into_view()
        self.refresh_row(new)
        if self._count:
            self.post_message(self.RowHighlighted(self, new))

    def watch_cursor_column(self, old: int, new: int) -> None:
        self._refresh_screen_line(0)
        self.refresh_row(self.cursor_row)
        self._scroll_column_into_view(new)

    def watch_scroll_y(self, old: float, new: float) -> None:
        # ScrollView repaints every line and the whole scrollbar on each scroll. The header
        # row does not move, and at 100k rows the thumb moves one eighth of a cell every few
        # hundred rows: repainted only when what they show changes (a Down at the bottom of
        # the screen then repaints the rows alone).
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            if _thumb(bar, new) == _thumb(bar, bar.position):
                bar.set_reactive(ScrollBar.position, new)  # told, not repainted
            else:
                bar.position = new
        if round(old) != round(new):
            width, height = self.scrollable_content_region.size
            self.refresh(Region(0, 1, width, height - 1))

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_y)
        page = self._page
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False, immediate=True)

    def _scroll_column_into_view(self, column: int) -> None:
        widths = self._column_widths(self.scrollable_content_region.width)
        if not widths:
            return
        start = self._gutter + sum(widths[:column]) + column
        end = start + widths[column]
        left = int(self.scroll_x)
        view = self.scrollable_content_region.width
        if start < left:
            self.scroll_to(x=start, animate=False, immediate=True)
        elif end > left + view:
            self.scroll_to(x=end - view, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row = self._clamp(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.cursor_row = self._clamp(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.cursor_row = self._clamp(self.cursor_row - self._page)

    def action_page_down(self) -> None:
        self.cursor_row = self._clamp(self.cursor_row + self._page)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = self._clamp(self._count - 1)

    def action_column_left(self) -> None:
        self.cursor_column = max(self.cursor_column - 1, 0)

    def action_column_right(self) -> None:
        self.cursor_column = min(self.cursor_column + 1, len(self.columns) - 1)

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def _column_at(self, x: int) -> int | None:
        widths = self._column_widths(self.scrollable_content_region.width)
        at = self._gutter
        for index, width in enumerate(widths):
            if at <= x < at + width + 1:
                return index
            at += width + 1
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        column = self._column_at(offset.x + int(self.scroll_x))
        if offset.y == 0:
            if column is not None:
                self.cursor_column = column
                self.post_message(self.HeaderSelected(self, column))
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < self._count:
            if column is not None:
                self.cursor_column = column
            self.cursor_row = index
            if event.chain >= 2:
                self.post_message(self.RowSelected(self, index))

    # -- painting --------------------------------------------------------------------------

    def _style(self, component: str = "") -> Style:
        """The widget's style, plus a component's: computed once per focus change or theme."""
        key = f"{component}:{self.has_focus}"
        style = self._style_cache.get(key)
        if style is None:
            style = self.rich_style
            if component:
                style = style + self.get_component_rich_style(component)
            self._style_cache[key] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._strips.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of one paint shares, worked out once for all of them: a scroll by
        # one row paints every row (from the strip cache), so per line it would cost more
        # than the rows themselves.
        self._paint = self._paint_state()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_state(self) -> Paint:
        width = self.scrollable_content_region.width
        return (width, self._column_widths(width), int(self.scroll_y), int(self.scroll_x),
                self._style())

    def render_line(self, y: int) -> Strip:
        width, widths, top, left, base = self._paint or self._paint_state()
        if y == 0:
            strip = self._header(widths)
        else:
            index = top + y - 1
            if index >= self._count:
                if index == 0 and self._count == 0 and self.empty_text:
                    style = self._style("virtual-table--empty")
                    strip = Strip([Segment(fit(self.empty_text, width, "left"), style)])
                else:
                    strip = Strip.blank(width, base)
                return strip.crop_extend(0, width, base)
            cursor = index == self.cursor_row
            key = (cursor, self.cursor_column if cursor else -1, left, width,
                   self._marked(index) if self._marked is not None else False)
            cached = self._strips.get(index)
            if cached is not None and cached[0] == key:
                return cached[1]
            strip = self._row_strip(index, widths).crop_extend(left, left + width, base)
            strip = strip.simplify()
            if len(self._strips) > 4 * max(self.size.height, 10):
                self._strips.clear()
            self._strips[index] = (key, strip)
            return strip
        return strip.crop_extend(left, left + width, base).simplify()

    def _header(self, widths: tuple[int, ...]) -> Strip:
        style = self._style("virtual-table--header")
        focused = self._style("virtual-table--header-focused")
        segments = [Segment(" " * self._gutter, style)] if self._gutter else []
        for index, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
            label = column.label
            if column.key == self.sort_key:
                arrow = SORT_DESCENDING if self.sort_reverse else SORT_ASCENDING
                label = f"{arrow}{label}" if column.align == "right" else f"{label}{arrow}"
            if index:
                segments.append(Segment(" ", style))
            is_focused = index == self.cursor_column and self.has_focus
            segments.append(Segment(fit(label, width, column.align),
                                    focused if is_focused else style))
        return Strip(segments, self._line_width())

    def _row_strip(self, index: int, widths: tuple[int, ...]) -> Strip:
        cursor = index == self.cursor_row
        row_style = self._style("virtual-table--cursor" if cursor else "")
        cells = self._row(index)
        segments: list[Segment] = []
        if self._marked is not None:
            if self._marked(index):
                mark_style = row_style + self._style("virtual-table--marked")
                segments.append(Segment(MARK + " ", mark_style))
            else:
                segments.append(Segment("  ", row_style))
        cell_style = self._style("virtual-table--cursor-cell") if cursor else row_style
        console = self.app.console
        for column_index, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
            if column_index:
                segments.append(Segment(" ", row_style))
            value: Cell = cells[column_index] if column_index < len(cells) else ""
            style = cell_style if column_index == self.cursor_column else row_style
            if isinstance(value, Text):
                fitted = fit_text(value, width, column.align)
                segments.extend(Segment.apply_style(fitted.render(console), style))
            else:
                segments.append(Segment(fit(value, width, column.align, column.cut), style))
        return Strip(segments, self._line_width())

    def on_focus(self) -> None:
        self._style_cache.clear()
        self.refresh_rows()

    def on_blur(self) -> None:
        self._style_cache.clear()
        self.refresh_rows()


def _thumb(scrollbar: ScrollBar, position: float) -> list[Segment]:
    """What ``scrollbar`` draws with the view at ``position``, by Textual's own renderer (its
    colours left out: they do not depend on the position)."""
    window, virtual = scrollbar.window_size, scrollbar.window_virtual_size
    bar = scrollbar.renderer.render_bar(
        size=scrollbar.size.height if scrollbar.vertical else scrollbar.size.width,
        virtual_size=ceil(virtual), window_size=ceil(window if window < virtual else 0),
        position=position, thickness=scrollbar.thickness, vertical=scrollbar.vertical)
    return list(bar.segments)


__all__ = ["MARK", "Cell", "Column", "RowGetter", "VirtualTable"]
