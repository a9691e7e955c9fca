"""Configuration of one organization (or the system level): Oro's tree on the left, the MS
Outlook Settings form on the right, Save Settings and Reset as in Oro."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import Header, Static, Tree

from outlook_tui.app.icons import ICONS
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.plain_glyphs import plain_widgets
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import ReadOnlyBanner, refusal
from outlook_tui.app.widgets.settings_form import SettingsForm
from outlook_tui.catalog import BY_NAME, PAGE_PATH
from outlook_tui.store import Conflict, Snapshot, StoreError
from outlook_tui.text import cells, clip, printable
from outlook_tui.words import counted

#: From this width the tree is beside the form on entry (80x24, the SSH default, included);
#: below it the tree hides behind ctrl+b so the form keeps the room its labels need.
TREE_MIN_WIDTH = 80
SEPARATOR = f" {ICONS.step} "


def breadcrumb(parts: list[str], width: int) -> str:
    """Join ``parts`` (data: shown escaped) with › and shorten to ``width`` cells: the parts
    between the organization and the page fold into "…" first, then the longest remaining part
    is cut (never inside an escape or a wide character)."""

    def joined(some: list[str]) -> str:
        return SEPARATOR.join(printable(part) for part in some)

    text = joined(parts)
    if cells(text) <= width:
        return text
    head, middle, tail = parts[:2], parts[2:-1], parts[-1:]
    shortened = list(parts)
    while middle:
        middle.pop()
        shortened = [*head, *middle, ICONS.more, *tail]
        if cells(joined(shortened)) <= width:
            return joined(shortened)
    # Cut the longest part (raw, so that clip() sees whole escapes) until the line fits.
    shown = [printable(part) for part in shortened]
    while (excess := cells(SEPARATOR.join(shown)) - width) > 0:
        longest = max(range(len(shown)), key=lambda i: cells(shown[i]))
        size = cells(shown[longest])
        if size <= 2:
            break
        shown[longest] = clip(shortened[longest], max(2, size - excess))
    return clip(SEPARATOR.join(shown), width)


class ConfigurationScreen(SessionScreen[None]):
    """Configuration > System Configuration > Integrations > MS Outlook Settings."""

    CSS_PATH = "../styles/configuration.tcss"
    HELP_TITLE = "Configuration (MS Outlook Settings)"
    BINDINGS = [
        # In the footer's order: at 60 columns Back and History must stay in view.
        Binding("escape", "back", "Back", id="configuration.back",
                tooltip="Back to the organizations (asks about unsaved changes)"),
        Binding("ctrl+s", "save", "Save Settings", id="configuration.save",
                tooltip="Write the form to the store (checked first; nothing is saved on errors)"),
        Binding("h", "history", "History", id="configuration.history",
                tooltip="Who changed these settings, and when"),
        Binding("ctrl+r", "reset", "Reset", id="configuration.reset",
                tooltip="Show the saved values again (asks first; saves nothing)"),
        Binding("ctrl+b", "toggle_tree", "Tree", show=False, id="configuration.tree",
                tooltip="Show or hide the configuration tree"),
    ]

    def __init__(self, organization_id: int | None) -> None:
        super().__init__()
        self.organization_id = organization_id
        self._saving = False
        self._pending: Snapshot | None = None
        self._tree_wanted: bool | None = None  # None: decided by the width
        #: Opened before the whole store was read: this organization (and the system) read on
        #: their own, shown and saved against until the whole store arrives.
        self._part: Snapshot | None = None

    @property
    def form(self) -> SettingsForm:
        return self.query_one("#settings-form", SettingsForm)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield Static("", id="breadcrumb")
        yield ReadOnlyBanner(id="configuration-banner")
        with Horizontal(id="configuration-body"):
            tree: Tree[str] = Tree(PAGE_PATH[0], id="configuration-tree")
            tree.guide_depth = 2  # narrow: the form keeps 55 of 80 columns
            tree.ICON_NODE_EXPANDED = f"{ICONS.expanded} "
            tree.ICON_NODE = f"{ICONS.collapsed} "
            node = tree.root
            node.expand()
            for part in PAGE_PATH[1:-1]:
                node = node.add(part, expand=True)
            self._page_node = node.add_leaf(PAGE_PATH[-1], data="page")
            yield tree
            yield Static("Loading the store…", id="configuration-loading", classes="hint")
            yield SettingsForm(self.organization_id, id="settings-form")
        yield KeysFooter()

    def on_mount(self) -> None:
        plain_widgets(self)
        tree = self.query_one("#configuration-tree", Tree)
        tree.move_cursor(self._page_node)
        self._names()
        self._apply_read_only()
        self._layout_tree(self.size.width)
        snapshot = self.session.snapshot
        if snapshot is not None:
            self._load(snapshot)
        else:
            self._show_loading(True)
        if not self.session.validated:
            self._read_part()

    @work(exclusive=True, group="configuration-read", exit_on_error=False,
          description="Reading this organization")
    async def _read_part(self) -> None:
        """This organization alone, so that it can be saved before the whole store is read
        (on Oro's database: the same cost at 3 and at 100k organizations)."""
        part = await self.session.read_organization(self.organization_id)
        if self.session.validated:
            return  # the whole store arrived meanwhile
        self._part = part
        if self._saving:
            self._pending = part
        elif self.form.loaded:
            self.form.refresh_from(part)
        else:
            self._load(part)

    def _names(self) -> None:
        snapshot = self.session.snapshot
        name = "System"
        if self.organization_id is not None:
            org = snapshot.get(self.organization_id) if snapshot is not None else None
            name = org.name if org is not None else f"Organization {self.organization_id}"
        self.title = name
        self._crumbs = (["Organizations", name, "Configuration", *PAGE_PATH]
                        if self.organization_id is not None else list(PAGE_PATH))
        self._draw_breadcrumb()

    def _draw_breadcrumb(self) -> None:
        width = max(20, (self.size.width or 80) - 2)
        self.query_one("#breadcrumb", Static).update(Text(breadcrumb(self._crumbs, width)))

    def on_resize(self, event: Resize) -> None:
        self._draw_breadcrumb()
        self._layout_tree(event.size.width)
        # Below 80 columns the palette's key (ctrl+p still works, Help lists it) gives its
        # room to the form's own keys.
        footer = self.query_one(KeysFooter)
        wide = event.size.width >= TREE_MIN_WIDTH
        if footer.show_command_palette != wide:
            footer.show_command_palette = wide
            self.refresh_bindings()

    def _layout_tree(self, width: int) -> None:
        shown = self._tree_wanted if self._tree_wanted is not None else width >= TREE_MIN_WIDTH
        self.query_one("#configuration-tree", Tree).display = shown

    def action_toggle_tree(self) -> None:
        tree = self.query_one("#configuration-tree", Tree)
        self._tree_wanted = not tree.display
        tree.display = self._tree_wanted
        if tree.display:
            tree.focus()
        else:
            self.form.focus_first()

    @on(Tree.NodeSelected, "#configuration-tree")
    def _page_chosen(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data == "page":
            if self.size.width < TREE_MIN_WIDTH:
                self._tree_wanted = None
                self._layout_tree(self.size.width)
            self.form.focus_first()

    def _show_loading(self, loading: bool) -> None:
        self.query_one("#configuration-loading", Static).display = loading
        self.form.display = not loading

    def _apply_read_only(self) -> None:
        read_only = self.session.read_only
        self.query_one(ReadOnlyBanner).show_state()
        self.form.set_read_only(read_only)
        self.refresh_bindings()

    # -- keeping up with the store -------------------------------------------------------------

    def _load(self, snapshot: Snapshot) -> None:
        first = not self.form.loaded
        if self.form.load(snapshot):
            self._show_loading(False)
            self._names()
            if first:
                self.form.focus_first()
        else:
            self._show_loading(True)
            if snapshot.validated:
                self.query_one("#configuration-loading", Static).update(
                    f"There is no organization with id {self.organization_id} in the store.")

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        self._apply_read_only()
        if self._part is not None:
            if not message.snapshot.validated:
                return  # a preview: the organization read on its own is the better one
            self._part = None  # the whole store, read after any save of ours
        if self._saving:
            self._pending = message.snapshot  # the save re-reads the form when it returns
            return
        if not self.form.loaded:
            self._load(message.snapshot)
            return
        self.form.refresh_from(message.snapshot, self._who(message))
        self._names()

    def _who(self, message: SnapshotChanged) -> dict[str, str]:
        who: dict[str, str] = {}
        for entry in message.entries:
            if entry.organization_id != self.organization_id or entry.key is None:
                continue
            if self.organization_id is None and entry.scope not in (None, "system"):
                continue
            name = entry.key.rsplit(".", 1)[-1]
            if name in BY_NAME:
                who[name] = entry.user
        return who

    # -- saving --------------------------------------------------------------------------------

    def footer_omits(self, action: str) -> bool:
        # Read-only: Save and Reset leave the footer; their keys say why.
        return action in ("save", "reset") and self.session.read_only

    def _explain_read_only(self) -> None:
        self.notify(refusal(self.session.read_only_reason, "saving or resetting"),
                    severity="warning", title="View only")

    def action_save(self) -> None:
        if self.session.read_only:
            self._explain_read_only()
        else:
            self._save()

    @on(SettingsForm.SaveRequested)
    def _save_button(self) -> None:
        self.action_save()

    @work(exclusive=True, group="configuration-save", exit_on_error=False,
          description="Saving the configuration")
    async def _save(self, then: Callable[[], object] | None = None) -> None:
        form, model = self.form, self.form.model
        if not form.loaded:
            self.notify("The store is still loading.", severity="warning")
            return
        errors = model.errors()
        if errors:
            first = next(iter(errors))
            form.focus_field(first)
            self.notify(f"{BY_NAME[first].label} {errors[first]}.", severity="error",
                        title="Nothing saved")
            return
        changes = model.changes()
        if not changes:
            self.notify("Nothing to save: the form shows what is stored.")
            if then is not None:
                then()
            return
        from outlook_tui.app.saving import notify_saved, save_changes
        from outlook_tui.app.screens.conflict import ask_about_conflict
        from outlook_tui.store.saving import Outcome, Resolution

        async def ask(conflicts: list[Conflict]) -> Resolution | None:
            # While the person chooses, the form follows the store (it shows what they chose on).
            self._saving = False
            self._catch_up()
            choice = await ask_about_conflict(self, conflicts)
            self._saving = True
            return choice

        self._saving = True
        result = None
        try:
            if self._part is None and not self.session.validated:
                # Shown from the first rows read: saved against this organization read now.
                self._part = await self.session.read_organization(self.organization_id)
            saved = await save_changes(self, changes, save_rest_after_theirs=False, ask=ask,
                                       base=self._part)
            result = saved.result
        except StoreError as error:
            self.notify(str(error), severity="error", title="Nothing saved", timeout=10)
            return
        finally:
            self._saving = False
            if result is None:
                self._catch_up()
            else:
                self._pending = None  # our own revision: the form is re-read from it below
        if saved.outcome is Outcome.TOOK_THEIRS:
            model.take_theirs(saved.conflicts)
            form.show_all()
            self.notify("Their values are in the form; your other edits are not "
                        "saved yet (Save Settings: ctrl+s).", title="Nothing saved")
            return
        if saved.outcome is Outcome.CANCELLED:
            self.notify("Your edits are still in the form.", title="Nothing saved")
            return
        if saved.outcome is Outcome.GAVE_UP:
            return
        if result is None:
            self.notify("Nothing to save: the store already holds your values.")
            return
        if self._part is not None:
            self._part = result.snapshot
        form.load(result.snapshot)
        notify_saved(self, f"Revision {result.snapshot.revision}; the form shows what the "
                     "store holds now.", result, title="Configuration saved")
        if then is not None:
            then()

    def _catch_up(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and not self._saving:
            self.form.refresh_from(pending)

    def action_reset(self) -> None:
        from outlook_tui.app.screens.confirm import ConfirmModal

        if self.session.read_only:
            self._explain_read_only()
            return
        if not self.form.model.dirty:
            self.notify("Nothing to reset: the form shows the saved values.")
            return

        def answered(yes: bool | None) -> None:
            snapshot = self.session.snapshot
            if yes and snapshot is not None:
                self.form.load(snapshot)
                self.notify("The form shows the saved values again; nothing was saved.",
                            title="Reset")

        self.app.push_screen(ConfirmModal(
            "Reset the form?",
            "Forget the changes not saved yet and show the saved values again? "
            "Nothing is saved.", confirm_label="Reset"), answered)

    # -- leaving -------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self._tree_wanted and self.size.width < TREE_MIN_WIDTH:
            self.action_toggle_tree()
            return
        self.before_leaving(lambda: self.dismiss(None))

    def before_leaving(self, leave: Callable[[], object]) -> None:
        """Escape, ctrl+q, the palette's Quit, SIGTERM: with unsaved changes ask Save /
        Discard / Cancel, then ``leave`` (after saving, only if the save went through)."""
        from outlook_tui.app.screens.confirm import UnsavedChangesModal

        if not self.form.model.dirty or self.session.read_only:
            leave()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self._save(then=leave)
            elif choice == "discard":
                leave()

        lines = self.form.model.unsaved()
        # Each setting named, with what the form holds and what is saved; invalid ones first
        # (Save stops at them).
        self.app.push_screen(UnsavedChangesModal(
            f"{counted(len(lines), 'setting')} of {self.title} changed and not saved:\n"
            + "\n".join(f"{ICONS.dot} {line}" for line in lines)), answered)

    def action_history(self) -> None:
        if self.organization_id is None:
            self.session.open_history(system=True)
        else:
            self.session.open_history(self.organization_id)
