"""Messages below the command line name settings by key; only the command line spells options."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Final

import typer

from ldn_titrate.app.inputs import EXAMPLE
from ldn_titrate.cli import app
from ldn_titrate.errors import InputError, Setting, as_file_key, spell

PACKAGE: Final = Path(__file__).parent.parent / "src" / "ldn_titrate"
OPTION: Final = re.compile(r"--[A-Za-z]")


def _short_options() -> re.Pattern[str]:
    """The command line's own short options (``-o``, ``-r``) as words: ``-m`` of python is none."""
    commands = getattr(typer.main.get_command(app), "commands", {})
    names = {
        name
        for command in commands.values()
        for param in command.params
        for name in (*param.opts, *param.secondary_opts)
        if re.fullmatch(r"-[A-Za-z]", name)
    }
    assert names, "the command line has short options (-o, -r)"
    return re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(names))})(?![\w-])")


SHORT_OPTION: Final = _short_options()

# Literals below the command line that may name an option, by module and text, each with why.
# A message names a key (``Setting("concentration", "")``) and is spelled by whoever shows it.
ALLOWED: Final[dict[tuple[str, str], str]] = {
    ("app/inputs.py", EXAMPLE): "the example config file's comments, which a user reads in the "
    "file, tell how a key there matches an option of the command line (check --column)",
}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes: prose about the command line may name its options."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _options_named() -> list[tuple[str, int, str]]:
    """Every string literal outside ``cli/`` that names a command-line option."""
    named: list[tuple[str, int, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("cli/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        named.extend(
            (module, node.lineno, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and (OPTION.search(node.value) or SHORT_OPTION.search(node.value))
            and (module, node.value) not in ALLOWED
        )
    return named


def test_no_message_below_the_command_line_names_an_option() -> None:
    assert _options_named() == []


def test_the_scan_finds_an_option_where_there_is_one() -> None:
    tree = ast.parse('"""Give ``--form``."""\nMESSAGE = "give --form liquid"\n')
    literals = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert [n.value for n in literals if id(n) not in _docstrings(tree)] == ["give --form liquid"]
    assert OPTION.search("give --form liquid")
    assert not OPTION.search("give form = liquid -- or a preset")
    assert SHORT_OPTION.search("write it to a file with -o plan.xlsx")
    assert not SHORT_OPTION.search("python3 -m pip install; an e-prescription; 0.5 -1")


def test_a_refusal_keeps_its_words_by_key_and_spells_them_as_options() -> None:
    error = InputError("form", "gel", ("give ", Setting("form", "liquid"), " or a preset"))
    assert error.words == ("give ", Setting("form", "liquid"), " or a preset")
    assert str(error) == "form: give --form liquid or a preset, got 'gel'"
    assert spell(error.words, as_file_key) == "give form = liquid or a preset"
    assert spell(("needs ", Setting("weight", "")), as_file_key) == "needs weight"
