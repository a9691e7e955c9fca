"""config.toml: read from --config, $OUTLOOK_TUI_CONFIG or the user config directory; a missing
file is fine, a wrong one is refused naming the file, the line and the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outlook_tui.config import Config, ConfigError, load_config
from tests.conftest import write_store


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_in_the_user_config_directory_is_an_empty_configuration(tmp_path: Path) -> None:
    config = load_config(environ={"XDG_CONFIG_HOME": str(tmp_path)})
    assert config == Config()


def test_the_file_in_xdg_config_home_is_read(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write(tmp_path / "outlook-tui" / "config.toml", 'theme = "textual-light"\n')
    config = load_config()
    assert config.theme == "textual-light"
    assert config.path == tmp_path / "outlook-tui" / "config.toml"


def test_keymap_theme_and_after_save_command_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", """
theme = "nord"

[keymap]
"organizations.configuration" = "f4, ctrl+o"
"app.help" = "?"

[database]
after_save_command = "php bin/console cache:clear"
""")
    config = load_config(path)
    assert config.keymap == {"organizations.configuration": "f4,ctrl+o", "app.help": "?"}
    assert config.theme == "nord"
    assert config.after_save_command == "php bin/console cache:clear"


def test_the_variable_names_the_file_and_a_file_asked_for_must_exist(tmp_path: Path) -> None:
    path = write(tmp_path / "mine.toml", "[database]\nafter_save_command = 'true'\n")
    assert load_config(environ={"OUTLOOK_TUI_CONFIG": str(path)}).after_save_command == "true"
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match=f"{missing}: no such file"):
        load_config(environ={"OUTLOOK_TUI_CONFIG": str(missing)})
    with pytest.raises(ConfigError, match=f"{missing}: no such file"):
        load_config(missing)


@pytest.mark.parametrize(("text", "message"), [
    ('theme = "nord"\n[keymap]\n"organizations.new" = 5\n',
     r"c\.toml, line 3, keymap\.organizations\.new: must be a string of keys"),
    ('[keymap]\n\n"organizations.new" = "ctrl+n,,f2"\n',
     r"c\.toml, line 3, keymap\.organizations\.new: an empty key is not a key"),
    ('[keymap]\n"organizations.new" = "ctrl n"\n',
     r"c\.toml, line 2, keymap\.organizations\.new: 'ctrl n' is not a key"),
    ('theme = 3\n', r"c\.toml, line 1, theme: must be a string"),
    ('colour = "red"\n', r"c\.toml, line 1, colour: unknown key; known here: theme, keymap"),
    ('keymap = "f1"\n', r"c\.toml, line 1, keymap: must be a table"),
    ('[database]\nafter_save_command = ["php"]\n',
     r"c\.toml, line 2, database\.after_save_command: must be a string"),
    ('[database]\nafter_save = "x"\n',
     r"c\.toml, line 2, database\.after_save: unknown key; known here: after_save_command"),
    ('[keymap\n', r"c\.toml: not valid TOML: .*line 1"),
])
def test_a_wrong_file_is_refused_naming_file_line_and_key(tmp_path: Path, text: str,
                                                          message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path / "c.toml", text))


@pytest.mark.parametrize(("name", "text", "message"), [
    ("c.toml", '[keymap]\n"app.help" = "f2"\n"organizations.nope" = "f3"\n',
     r"c\.toml, line 3, keymap\.organizations\.nope: no binding has this id"),
    ("t.toml", 'theme = "no-such-theme"\n',
     r"t\.toml, line 1, theme: unknown theme 'no-such-theme'; one of: .*textual-dark"),
    ("clash.toml", '[keymap]\n"organizations.configuration" = "n"\n',
     r"clash\.toml, line 2, keymap\.organizations\.configuration: 'n' already does "
     r"organizations\.new on the same screen \(Organizations\)"),
    ("quit.toml", '[keymap]\n"history.reload" = "ctrl+q"\n',
     r"quit\.toml, line 2, keymap\.history\.reload: 'ctrl\+q' already does app\.quit on the "
     r"same screen \(History\)"),
], ids=["an unknown binding id", "an unknown theme", "a key taken on the same screen",
        "the quit key"])
def test_unknown_binding_ids_and_themes_are_refused_by_the_app_side(
        tmp_path: Path, name: str, text: str, message: str) -> None:
    from outlook_tui.app.app import keyed_classes
    from outlook_tui.app.keymap import check_config

    config = load_config(write(tmp_path / name, text))
    with pytest.raises(ConfigError, match=message):
        check_config(config, keyed_classes())


def test_a_known_binding_id_and_theme_pass_the_app_side(tmp_path: Path) -> None:
    from outlook_tui.app.app import keyed_classes
    from outlook_tui.app.keymap import check_config

    check_config(load_config(write(tmp_path / "ok.toml",
                                   'theme = "nord"\n[keymap]\n"app.help" = "f2"\n')),
                 keyed_classes())


@pytest.mark.parametrize(("text", "where"), [
    ('[keymap]\n"organizations.nope" = "f3"\n', "line 2, keymap.organizations.nope"),
    ('theme = "no-such-theme"\n', "line 1, theme"),
    ("theme = 'x\n", "not valid TOML"),
])
def test_the_app_does_not_start_with_a_broken_config(tmp_path: Path, store_path: Path,
                                                     text: str, where: str) -> None:
    write_store(store_path, ["Acme"])
    before = store_path.read_bytes()
    config = write(tmp_path / "config.toml", text)
    env = {**os.environ, "OUTLOOK_TUI_STORE": str(store_path)}
    result = subprocess.run([sys.executable, "-m", "outlook_tui", "--config", str(config)],
                            capture_output=True, text=True, env=env, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.startswith(f"outlook-tui: {config}")
    assert where in result.stderr
    assert store_path.read_bytes() == before


def test_the_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    from outlook_tui.app.app import keyed_classes
    from outlook_tui.app.keymap import check_config

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Keys and the config file", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = load_config(write(tmp_path / "config.toml", example))
    check_config(config, keyed_classes())
    assert config.keymap["organizations.configuration"] == "f4"


def test_oro_version_is_read_and_a_wrong_one_refused_naming_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[database]\noro_version = "4.0"\n')
    assert load_config(path).oro_version == "4.0"
    write(path, "[database]\noro_version = 4.0\n")
    with pytest.raises(ConfigError, match=r"line 2, database.oro_version: must be a string"):
        load_config(path)
    write(path, '[database]\n\noro_version = "four"\n')
    with pytest.raises(ConfigError, match=r"line 3, database.oro_version: 'four' is not an Oro"):
        load_config(path)
