"""End to end over a real SSH connection (issue 11, "Installed for real SSH users"): a throwaway
sshd on 127.0.0.1 with its own config, keys and port; a throwaway unprivileged user whose
``ForceCommand`` is the app, installed the way the README installs it for every user (a venv on
the system Python, readable by all); the story typed in one write by ``ssh -tt`` in tmux at
80x24. Nothing global is left behind: the user, the sshd and every file go at the end, even
after a failure."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from packaging.requirements import Requirement

import outlook_tui
from tests.conftest import write_store
from tests.e2e.terminal import EDIT_GLOBEX_CRM_SYNC_INTERVAL, WAIT_SECONDS, Tmux, eventually
from tests.sweep import claim, processes_of, release
from tests.users import User
from tests.users import throwaway_user as throwaway_user_named

pytestmark = pytest.mark.e2e

SSHD = Path("/usr/sbin/sshd")  # sshd re-executes itself: it must be started by absolute path
PRIVILEGE_SEPARATION_DIR = Path("/run/sshd")


def run(*command: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=WAIT_SECONDS, check=False,
                          **kwargs)  # type: ignore[call-overload]


# -- a throwaway user ----------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_user(base: Path, role: str) -> Iterator[User]:
    """A user with a home under ``base`` and a login shell; at the end its processes (all
    started by our sshd) are ended with it."""
    home = base / f"home-{role}"
    # -p '*': no password, but not a locked account (sshd without PAM refuses those).
    # --user-group (throwaway_user): a group of the same name, which the sshd config matches as
    # the README's recipe matches outlook-admins and outlook-support.
    with throwaway_user_named(f"otui-{uuid.uuid4().hex[:10]}", "--no-create-home",
                              "--home-dir", str(home), "--shell", "/bin/sh", "-p", "*",
                              "--comment", "outlook-tui e2e test") as user:
        home.mkdir(mode=0o755)
        os.chown(home, user.uid, user.gid)
        yield user


# -- the app, installed for every user ------------------------------------------------------------


def _runtime_distributions() -> list[importlib.metadata.Distribution]:
    """outlook-tui's own requirements, recursively (no extras: a JSON store needs none)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [req for req in importlib.metadata.requires("outlook-tui") or []]
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        dist = importlib.metadata.distribution(requirement.name)
        key = dist.metadata["Name"].lower().replace("_", "-")
        if key not in found:
            found[key] = dist
            todo.extend(dist.requires or [])
    return list(found.values())


def _python_for(user: User) -> str:
    """A Python of this minor version that ``user`` may run (the test's own may live under
    /root, which other users cannot enter)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [getattr(sys, "_base_executable", sys.executable),
                  f"/usr/bin/python{version}", f"/usr/local/bin/python{version}",
                  shutil.which(f"python{version}") or ""]
    for candidate in dict.fromkeys(c for c in candidates if c):
        with contextlib.suppress(OSError):  # EACCES: a directory on its path is closed
            if run(candidate, "-c", "import venv", user=user.uid, group=user.gid,
                   extra_groups=[]).returncode == 0:
                return candidate
    pytest.skip(f"no Python {version} that an unprivileged user may run (tried "
                f"{', '.join(candidates)}): install python{version} from the system packages")


def install_for_everyone(base: Path, user: User) -> Path:
    """What the README's system-wide install makes: a venv on the system Python that every
    user can read, holding the same outlook-tui and the same libraries this test run uses
    (copied, so the test needs no network). Returns the installed command."""
    venv = base / "venv"
    done = run(_python_for(user), "-m", "venv", "--without-pip", venv)
    assert done.returncode == 0, done.stderr
    site = Path(run(venv / "bin" / "python", "-c",
                    "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    for dist in _runtime_distributions():
        for file in dist.files or []:
            if PurePosixPath(file).parts[0] == "..":  # its console scripts: not needed
                continue
            target = site / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(str(dist.locate_file(file))), target)
    shutil.copytree(Path(outlook_tui.__file__).parent, site / "outlook_tui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    command = venv / "bin" / "outlook-tui"
    command.write_text(f"#!{venv / 'bin' / 'python'}\n"
                       "import sys\nfrom outlook_tui.cli import main\nsys.exit(main())\n")
    command.chmod(0o755)
    return command


# -- sshd of our own -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


#: Left in /run/sshd when a test made it: the last test run to finish removes it.
CREATED_BY_US = PRIVILEGE_SEPARATION_DIR / ".made-by-outlook-tui-tests"


@contextlib.contextmanager
def privilege_separation_dir() -> Iterator[None]:
    """sshd needs /run/sshd: made when missing, removed after when a test made it. Each test
    run holds a shared lock on /run while it may need the directory; the one that finishes
    last (it gets the lock alone) removes it, so that parallel runs never lose it."""
    run_dir = os.open(PRIVILEGE_SEPARATION_DIR.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(run_dir, fcntl.LOCK_SH)
        with contextlib.suppress(FileExistsError):
            PRIVILEGE_SEPARATION_DIR.mkdir(mode=0o755)
            CREATED_BY_US.touch()
        yield
    finally:
        # Let go first, then try alone: two runs ending together cannot both fail to.
        fcntl.flock(run_dir, fcntl.LOCK_UN)
        try:
            fcntl.flock(run_dir, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another run still needs it
        else:
            if CREATED_BY_US.exists():
                CREATED_BY_US.unlink()
                with contextlib.suppress(OSError):  # sshd of the system may use it meanwhile
                    PRIVILEGE_SEPARATION_DIR.rmdir()
        os.close(run_dir)


@dataclass
class Server:
    port: int
    log: Path
    user: User
    support: User
    client_key: Path
    store: Path

    def ssh(self, *options: str, user: User | None = None) -> list[str]:
        """``ssh`` as the admin (or ``user``)."""
        return ["ssh", "-F", "/dev/null", "-i", str(self.client_key), "-p", str(self.port),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                *options, f"{(user or self.user).name}@127.0.0.1"]

    def client_ports(self) -> list[str]:
        """The client ports of the connections sshd accepted for our user (from its log)."""
        return re.findall(rf"Accepted publickey for {self.user.name} from 127\.0\.0\.1 "
                          r"port (\d+)", self.log.read_text(errors="replace"))


def _keygen(path: Path) -> None:
    done = run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    for tool in (SSHD, Path(shutil.which("ssh") or "/nonexistent"), Path("/usr/sbin/useradd")):
        if not tool.exists():
            pytest.skip(f"{tool.name} is not installed (make test installs openssh-server)")
    if os.geteuid() != 0:
        pytest.skip("creating a throwaway user and starting sshd need root (as in CI)")
    # Not pytest's tmp_path: other users cannot enter /tmp/pytest-of-root.
    base = Path(tempfile.mkdtemp(prefix="outlook-tui-ssh-"))
    claimed = claim(directory=base)  # its sshd's command line names base/sshd_config
    try:
        base.chmod(0o755)
        with (throwaway_user(base, "admin") as admin,
              throwaway_user(base, "support") as support, privilege_separation_dir()):
            yield from _serve(base, admin, support)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        release(claimed)


def _listening(sshd: subprocess.Popen[bytes], log: Path) -> bool:
    """Wait until sshd listens (True) or has ended (False: its port was taken meanwhile)."""
    def state() -> str | None:
        if "Server listening on 127.0.0.1" in log.read_text(errors="replace"):
            return "listening"
        return "ended" if sshd.poll() is not None else None

    return eventually(state, "sshd listening or ended", describe=log.read_text) == "listening"


def _match(group: str, force_command: str) -> str:
    return f"""
Match Group {group}
    ForceCommand {force_command}
    PermitTTY yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
"""


def _serve(base: Path, user: User, support: User) -> Iterator[Server]:
    command = install_for_everyone(base, user)
    # The README's shared store: a root-owned setgid directory of the admins' group; support
    # staff, outside it, read it through "others".
    store_dir = base / "store"
    store_dir.mkdir()
    os.chown(store_dir, 0, user.gid)
    store_dir.chmod(0o2775)
    store = write_store(store_dir / "store.json", ["Default Organization", "Acme", "Globex"])
    os.chown(store, 0, user.gid)
    store.chmod(0o664)

    client_key = base / "client_key"
    _keygen(client_key)
    for person in (user, support):
        ssh_dir = person.home / ".ssh"
        ssh_dir.mkdir(mode=0o700)
        (ssh_dir / "authorized_keys").write_text(client_key.with_suffix(".pub").read_text())
        for path in (ssh_dir, ssh_dir / "authorized_keys"):
            os.chown(path, person.uid, person.gid)
        (ssh_dir / "authorized_keys").chmod(0o600)
    app = f"{shlex.quote(str(command))} --store {shlex.quote(str(store))}"
    host_key = base / "host_key"
    _keygen(host_key)

    log = base / "sshd.log"
    for _attempt in range(5):  # the free port may be taken between choosing and binding it
        port = _free_port()
        config = base / "sshd_config"
        config.write_text(f"""\
ListenAddress 127.0.0.1
Port {port}
HostKey {host_key}
PidFile {base / "sshd.pid"}
UsePAM no
StrictModes yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers {user.name} {support.name}
AuthorizedKeysFile .ssh/authorized_keys
PermitUserEnvironment no
PrintMotd no
PrintLastLog no
LogLevel INFO
{_match(support.name, app + " --read-only")}{_match(user.name, app)}""")
        with log.open("w") as log_file:
            sshd = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                                    stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file)

        if _listening(sshd, log):
            break
    else:
        raise AssertionError(f"sshd never started:\n{log.read_text()}")
    try:
        yield Server(port, log, user, support, client_key, store)
    finally:
        sshd.terminate()
        sshd.wait(timeout=WAIT_SECONDS)


# -- the stories ---------------------------------------------------------------------------------


def history(server: Server) -> list[dict[str, object]]:
    path = server.store.with_name("store.history.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def nothing_left_of(server: Server) -> None:
    uids = (server.user.uid, server.support.uid)

    def shown() -> str:
        return run("ps", "-o", "user,pid,stat,cmd", "-u", ",".join(map(str, uids))).stdout

    eventually(lambda: not any(processes_of(uid) for uid in uids),
               "no process of the test's users left", describe=shown)


@pytest.fixture
def session(server: Server) -> Iterator[Tmux]:
    """``ssh -tt`` in tmux at 80x24: what an admin's terminal window is."""
    terminal = Tmux(server.ssh("-tt"))
    yield terminal
    terminal.close()
    nothing_left_of(server)


def test_an_admin_over_ssh_sets_the_crm_sync_interval_and_ctrl_q_ends_the_connection(
        server: Server, session: Tmux) -> None:
    session.wait_for("3 organizations")
    session.send(*EDIT_GLOBEX_CRM_SYNC_INTERVAL, "C-s")
    session.wait_for("Configuration saved")

    document = json.loads(server.store.read_text())
    globex = next(o for o in document["organizations"] if o["name"] == "Globex")
    assert globex["overrides"] == {"contacts_sync_interval_orocrm": 300}
    [entry] = [e for e in history(server)
               if str(e.get("key")).endswith("contacts_sync_interval_orocrm")]
    assert entry["user"] == server.user.name
    assert entry["new"] == 300
    # The client's address and port, as sshd logged the connection.
    assert entry["ssh_client"] in {f"127.0.0.1:{port}" for port in server.client_ports()}

    session.send("Escape", "C-q")
    # The app was the connection: when it ends, ssh ends; no shell prompt ever comes.
    assert session.wait_for_exit() == 0
    nothing_left_of(server)


def test_a_session_without_a_terminal_exits_2_and_leaves_nothing_behind(
        server: Server) -> None:
    before = server.store.read_bytes()
    # A command of the user's own choosing is ignored: ForceCommand runs the app, no shell.
    done = run(*server.ssh("-T"), "echo reached-a-shell")
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "reached-a-shell" not in done.stdout + done.stderr
    # ForceCommand makes every command unreachable over this login: none is recommended.
    assert "ssh -t HOST, with no command" in done.stderr
    for command in ("show", "set", "export", "--help"):
        assert command not in done.stderr, command
    nothing_left_of(server)
    assert server.store.read_bytes() == before


def test_forwarding_is_refused(server: Server) -> None:
    # -W: the client's standard input and output forwarded through sshd to a port that is
    # open (sshd's own): only the policy can refuse it.
    done = run(*server.ssh("-T", "-W", f"127.0.0.1:{server.port}"))
    assert done.returncode == 255
    assert "forwarding failed" in done.stderr
    nothing_left_of(server)


def test_a_dropped_connection_leaves_no_process_behind(server: Server, session: Tmux) -> None:
    session.wait_for("3 organizations")
    before = server.store.read_bytes()
    session.send("Enter")                   # Acme's Configuration
    session.wait_for("MS Outlook Settings")
    session.send("Tab", "Tab", "Space")     # an unsaved edit
    session.wait_for("not saved")
    os.kill(session.pane_pid(), signal.SIGKILL)  # the ssh client dies: the connection drops
    nothing_left_of(server)
    assert server.store.read_bytes() == before  # the unsaved edit was discarded, not saved



def test_support_staffs_first_hour_over_ssh_at_80x24(server: Server) -> None:
    """The support person's story: their login forces view only; the footer offers Compare and
    History; Compare shows the stale overrides; a key that would write says what they can do
    instead; a key that does nothing says so; q leaves and the connection ends."""
    before = server.store.read_bytes()
    terminal = Tmux(server.ssh("-tt", user=server.support))
    try:
        terminal.wait_for("View only: you can read every setting")
        screen = terminal.wait_for("h History", "m Compare")
        assert "--read-only" not in screen
        terminal.send("m")
        terminal.wait_for("Compare organizations")
        terminal.send("s")
        terminal.wait_for("only those with a stale override")
        # Escape is sent alone: with a letter in the same write it reads as alt+letter.
        terminal.send("Escape")
        terminal.wait_for("sorted by Name")
        terminal.send("e")                    # toasts wrap: short pieces are looked for
        terminal.wait_for("is not possible")
        terminal.send("z")
        terminal.wait_for("does nothing in")
        terminal.send("Enter")                # an organization's Configuration, to look at
        terminal.wait_for("MS Outlook Settings")
        terminal.send("C-s")                  # saving is refused, in words for the person
        terminal.wait_for("resetting is not possible here")
        terminal.send("Escape")
        terminal.wait_for("sorted by Name")
        terminal.send("q")                    # q leaves from the top screen
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
    nothing_left_of(server)
    assert server.store.read_bytes() == before


def test_an_admins_first_hour_over_ssh_at_80x24(server: Server, session: Tmux) -> None:
    """The admin's story: Mark all is in the footer; two organizations marked, b, the CRM
    interval, -> and 600 typed straight into its field, saved for both in one revision;
    Compare shows the two marked side by side; q leaves."""
    session.wait_for("3 organizations", "a Mark all")  # the footer is drawn after the status
    session.send("Space", "Space", "b")     # Acme and Default Organization
    session.wait_for("Apply setting to 2 organizations")
    session.send("Down", "Down", "Right", "6", "0", "0", "Enter")
    session.wait_for("Apply setting to 2 organizations?")
    session.send("y")
    session.wait_for("Configuration saved")
    document = json.loads(server.store.read_text())
    crm = {o["name"]: o.get("overrides", {}).get("contacts_sync_interval_orocrm")
           for o in document["organizations"]}
    assert crm["Acme"] == 600 and crm["Default Organization"] == 600
    session.send("m")
    session.wait_for("Compare 2 marked organizations")
    session.send("Escape")
    session.wait_for("sorted by Name")
    session.send("q")
    assert session.wait_for_exit() == 0
