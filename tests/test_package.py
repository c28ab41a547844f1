"""The package: light to import, the documented API present, and a wheel that works anywhere."""

from __future__ import annotations

import email.parser
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant import __version__


def test_importing_the_library_does_not_load_the_terminal_layer(repo_root) -> None:
    """`import assistant` (and a reply) never imports prompt_toolkit; the one-shot path skips it too."""
    code = (
        "import sys, assistant\n"
        "faq = assistant.load_faq('knowledge/faq.yaml')\n"
        "assistant.Responder(faq).reply('does it hurt')\n"
        "import assistant.cli\n"
        "assert 'prompt_toolkit' not in sys.modules, 'prompt_toolkit imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=repo_root, check=True, timeout=60)


def test_a_cached_one_shot_run_does_not_import_yaml(repo_root, tmp_path) -> None:
    """With the index cached, answering needs neither PyYAML nor prompt_toolkit."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from assistant.cache import load_matcher\n"
        f"load_matcher('knowledge/faq.yaml', cache_dir=Path({str(tmp_path)!r}))\n"
        "for name in [m for m in sys.modules if m.startswith(('yaml', 'assistant.schema'))]:\n"
        "    del sys.modules[name]\n"
        "import assistant.cli\n"
        f"m = load_matcher('knowledge/faq.yaml', cache_dir=Path({str(tmp_path)!r}))\n"
        "assert m.best('does it hurt') is not None\n"
        "assert 'yaml' not in sys.modules and 'prompt_toolkit' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=repo_root, check=True, timeout=60)


def test_the_public_api() -> None:
    """The names the README documents are exported."""
    import assistant

    for name in ("load_faq", "parse_faq", "Matcher", "Match", "Responder", "Reply", "FaqError",
                 "Entry", "Faq", "Gap", "DERMATOLOGIST_ADVICE"):
        assert name in assistant.__all__ and hasattr(assistant, name), name


#: What goes into a wheel: the build reads nothing else (so nothing else can leak in or be missed).
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "assistant", "knowledge")


@pytest.fixture(scope="module")
def wheel(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built with pip from a copy of the sources (the checkout gets no build/ or egg-info)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (repo_root / name).is_dir():
            shutil.copytree(repo_root / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(repo_root / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist),
                    str(source)], check=True, capture_output=True, timeout=300)
    (built,) = dist.glob("microneedling_faq-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_faq_the_licence_and_the_metadata(wheel: Path) -> None:
    """The wheel holds the FAQ and the LICENSE, and its metadata says what pip show and an index show."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))

    assert "assistant/knowledge/faq.yaml" in names
    assert "assistant/data/english-words.txt" in names  # the spell checker's English words, with their notice
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    assert metadata["Summary"] and metadata["Keywords"] and metadata["Author-email"]
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL")} >= {"Homepage", "Source", "Issues"}
    assert "Environment :: Console" in metadata.get_all("Classifier")
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# Micro needling FAQ assistant")


@pytest.mark.slow
def test_the_installed_wheel_runs_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    """Installed into a fresh venv, `microneedling-faq` answers from its own FAQ, far from the checkout."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "C.UTF-8"}

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(["microneedling-faq", *argv], cwd=elsewhere, env=env, capture_output=True, text=True,
                              timeout=60)

    answer, version, check = run("--json", "does it hurt"), run("--version"), run("--check")

    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["id"] == "pain-and-numbing"
    assert version.stdout == f"microneedling-faq {__version__}\n"
    metadata = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('microneedling-faq'))"],
                              cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert metadata == __version__  # pip show and --version agree
    site = subprocess.run([str(python), "-c", "import assistant, os; print(os.path.dirname(assistant.__file__))"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert check.returncode == 0 and check.stdout.startswith(os.path.join(site, "knowledge", "faq.yaml") + ": OK")
    assert str(venv) in site
