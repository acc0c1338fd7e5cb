"""The README stays true: its first two commands are the documented ones, its tour output is current."""

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


def test_tour_output_is_current():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_tour.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
