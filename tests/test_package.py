"""The package as a library: light to import, the documented API present."""

from __future__ import annotations

import subprocess
import sys


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
