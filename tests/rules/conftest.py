"""Fixtures of the rule-set tests: the shipped files, and rule files or rule sets built from edited copies."""

import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from creditrepair.rules import selectors
from creditrepair.rules.schema import parse_rule_set


@pytest.fixture(autouse=True)
def fresh_parsed_rules():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture
def shipped_text():
    """The text of a shipped rule file: ``shipped_text("national-2026")``."""

    def read(stem):
        return (Path(settings.RULES_DIR) / f"{stem}.toml").read_text(encoding="utf-8")

    return read


def edit(text, old, new):
    """Replace one exact passage of a rule file (fails loudly if the passage is not there)."""
    assert text.count(old) == 1, f"passage not found exactly once: {old!r}"
    return text.replace(old, new)


@pytest.fixture
def edit_text():
    """The ``edit(text, old, new)`` helper, for tests that edit a rule file themselves."""
    return edit


@pytest.fixture
def build_rules(shipped_text):
    """A ``Rules`` from an edited copy of a shipped file: ``build_rules("national-2026", [(old, new)], extra="...")``."""

    def build(stem="national-2026", edits=(), extra=""):
        text = shipped_text(stem)
        for old, new in edits:
            text = edit(text, old, new)
        return parse_rule_set(tomllib.loads(text + "\n" + extra), f"{stem}.toml")

    return build


@pytest.fixture
def rules_dir(tmp_path, shipped_text):
    """A fresh directory of rule files: ``rules_dir({"name.toml": text, ...})`` → its path."""

    def make(files):
        directory = tmp_path / "rules"
        directory.mkdir(exist_ok=True)
        for old in directory.glob("*.toml"):
            old.unlink()
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
        return directory

    return make
