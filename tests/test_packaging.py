"""pyproject.toml lists every sub-package: an unlisted one is silently missing from
a strict editable install and only warned about by a wheel build (STYLE.md 2.1)."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def setuptools_config() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["setuptools"]
    return config


PACKAGE_DIR: dict[str, str] = setuptools_config()["package-dir"]
PACKAGES: list[str] = setuptools_config()["packages"]


def on_disk() -> dict[str, Path]:
    """Every package directory (one with an __init__.py) under the mapped folders."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGE_DIR.items():
        root = REPO / folder
        for init in root.rglob("__init__.py"):
            parts = init.parent.relative_to(root).parts
            if any(part.startswith((".", "__")) for part in parts):
                continue
            found[".".join([package, *parts])] = init.parent
    return found


def test_the_portions_are_the_three_top_level_folders() -> None:
    assert PACKAGE_DIR == {
        "statum.core": "core",
        "statum.adapters": "adapters",
        "statum.projections": "projections",
    }


def test_every_package_on_disk_is_listed() -> None:
    missing = sorted(set(on_disk()) - set(PACKAGES))
    assert not missing, f"add to [tool.setuptools] packages: {missing}"


# The top-level namespace carries only `python -m statum`: an __init__.py there
# would end the namespace that the three portions share.
ENTRY_PORTION = "statum"


def test_every_listed_package_exists() -> None:
    stale = sorted(set(PACKAGES) - set(on_disk()) - {ENTRY_PORTION})
    assert not stale, f"listed in pyproject.toml but not on disk: {stale}"


def test_the_entry_portion_is_only_main() -> None:
    assert ENTRY_PORTION in PACKAGES
    files = sorted(p.name for p in (REPO / "statum").iterdir() if p.is_file())
    assert files == ["__main__.py"]


@pytest.mark.parametrize("folder", sorted(PACKAGE_DIR.values()))
def test_every_portion_is_typed(folder: str) -> None:
    assert (REPO / folder / "py.typed").is_file()


def test_py_typed_is_shipped() -> None:
    package_data = setuptools_config().get("package-data", {})
    assert any("py.typed" in patterns for patterns in package_data.values())
