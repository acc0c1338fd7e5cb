"""The README stays a true landing page: its first two commands are the documented ones, it fits
on two screens, its links lead somewhere, and the outputs of the `$ kg …` examples in it and in
the manual (docs/) are current."""

import re
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert blocks[0].startswith("python3 -m venv .venv") and "kg build" in blocks[0] and "kg members" in blocks[0]
    assert blocks[1] == "bash scripts/test.sh"
    assert README.index("```bash") < README.index("## ")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_readme_is_a_landing_page():
    """The manual lives in docs/; the README says what it is, shows a short tour, and links there."""
    assert len(README.splitlines()) <= 200
    assert len(re.findall(r"```console\n\$ kg ", README)) == 5
    assert "source .venv/bin/activate" in README


def test_readme_links_lead_to_files_that_exist():
    links = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", README) if not re.match(r"[a-z]+:", t)]
    assert links
    for target in links:
        assert (ROOT / target).exists(), target


def test_tour_output_is_current():
    """scripts/readme_tour.py --check re-runs every example of the README and of docs/**/*.md."""
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_tour.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
