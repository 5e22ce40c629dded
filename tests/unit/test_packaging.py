"""The wheel a user installs holds the product: one demo generator, no benchmark generators."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]


def _wheel_packages() -> list[str]:
    """The packages setuptools puts in the wheel, found the way pyproject.toml tells it to."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config) <= {"packages", "package-data"}, "only packages and their data ship"
    assert set(config.get("package-data", {})) <= {
        "reelcut.render",
        "reelcut.reframe",
        "reelcut.web",
    }
    find = config["packages"]["find"]
    packages: list[str] = []
    for where in find["where"]:
        packages += find_packages(
            where=str(ROOT / where),
            include=find.get("include", ("*",)),
            exclude=find.get("exclude", ()),
        )
    return packages


def test_wheel_holds_the_demo_generator_and_not_the_benchmark_ones() -> None:
    packages = _wheel_packages()
    assert "reelcut.footage" in packages and "reelcut.footage.demo" in packages
    assert all(p == "reelcut" or p.startswith("reelcut.") for p in packages), packages
    for name in ("crosscheck", "blind", "studio_a", "studio_b", "bench"):
        assert not [p for p in packages if name in p.split(".")], name
    # and nothing is shipped as loose files beside the packages either
    assert sorted(p.name for p in (ROOT / "src").iterdir() if not p.name.endswith(".egg-info")) == [
        "reelcut"
    ]


def test_the_product_never_imports_the_benchmarks() -> None:
    for path in (ROOT / "src" / "reelcut").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "bench", path
            elif isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "bench" for a in node.names), path


def test_the_wheel_ships_the_cjk_font_with_its_licence() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-data"]["reelcut.render"] == ["fontdata/*"]
    shipped = sorted(p.name for p in (ROOT / "src/reelcut/render/fontdata").iterdir())
    assert shipped == ["OFL.txt", "ReelcutCJK-Regular.chars", "ReelcutCJK-Regular.otf"]
    size_mb = (ROOT / "src/reelcut/render/fontdata/ReelcutCJK-Regular.otf").stat().st_size / 1e6
    assert size_mb < 5  # small enough for every install


def test_the_wheel_holds_every_file_the_web_page_loads() -> None:
    """The page's files are package data: each one index.html and the modules load is matched
    by a pattern, so an installed ``reelcut serve`` has the whole page (no CDN, no build)."""
    import fnmatch
    import re

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["reelcut.web"]
    static = ROOT / "src" / "reelcut" / "web" / "static"
    html = (static / "index.html").read_text()
    loaded = set(re.findall(r'(?:src|href)="/web/([^"]+)"', html))
    for module in static.glob("*.js"):
        loaded |= set(re.findall(r'from "\./([^"]+)"', module.read_text()))
    assert {"app.js", "style.css"} <= loaded
    for name in loaded:
        assert (static / name).is_file(), name
        assert any(fnmatch.fnmatch(f"static/{name}", p) for p in patterns), name
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
