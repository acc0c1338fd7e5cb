"""Output in a real terminal (issue 15.7, 15.8): tables fitted to its width, East-Asian characters
two columns wide, progress drawn as a bar with an ETA; pipes get the plain output they always had."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from click.testing import CliRunner
from conftest import ROOT
from sparql_servers import oxigraph

from kg.cli import cli
from kg.cli.progress import ProgressView
from kg.progress import Step
from kg.queries.result import Report, Table
from kg.render import display_width, render, shorten


def run_in_terminal(
    args: list[str], columns: int = 80, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, str]:
    """Run ``python -m kg.cli ARGS`` with standard output and error on a pseudo-terminal of ``columns``
    columns; return the exit code and what the terminal received."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environ.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", **(env or {}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *args], stdin=child, stdout=child, stderr=child, env=environ, cwd=ROOT
    )
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=timeout)
    os.close(main)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_members_fits_an_80_column_terminal(seed_store):
    """`kg members 红领宁商` was 189 columns wide; in an 80-column terminal every line fits, rows stay one line."""
    code, out = run_in_terminal(["--store", str(seed_store), "members", "红领宁商"])
    assert code == 0, out
    lines = out.rstrip("\n").split("\n")
    assert max(display_width(line) for line in lines) <= 80, out
    rows = [line for line in lines if line.startswith(("生物园区管委会", "西宁市生物园区商会", "青海塞奇", "青海大美"))]
    assert len(rows) == 4 and all("active" in r and r.endswith("…") for r in rows), out
    assert "note: quote shortened (…); member_en, source hidden; --full shows all" in out


def test_full_and_pipes_keep_the_whole_table(seed_store, kg):
    """--full in a terminal prints what a pipe gets: every column and whole quotes."""
    piped = kg("members", "红领宁商").stdout
    code, full = run_in_terminal(["--store", str(seed_store), "members", "红领宁商", "--full"])
    assert code == 0 and full == piped
    assert "member_en" in piped and "成员单位" in piped and "…" not in piped
    assert max(display_width(line) for line in piped.splitlines()) > 80


def test_a_wide_terminal_shows_more(seed_store):
    code, out = run_in_terminal(["--store", str(seed_store), "members", "红领宁商"], columns=140)
    header = out.splitlines()[3]
    assert code == 0 and "member_en" in header and "source" in header and "quote shortened (…); --full shows all" in out
    assert max(display_width(line) for line in out.splitlines()) <= 140


def _report(quote: str, name: str = "青海大美中药科技有限公司") -> Report:
    rows = [
        {
            "member_name": name,
            "member_en": "Qinghai Damei Traditional Chinese Medicine Technology Co., Ltd.",
            "status": "planned",
            "quote": quote,
            "source": "000_12437ccd38f279d8.txt",
        }
    ]
    return Report([Table("members", ["member_name", "member_en", "status", "quote", "source"], rows)])


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_fitted_tables_measure_east_asian_widths(width):
    """Chinese and full-width characters count two columns: no fitted line is wider than the terminal,
    even with full-width letters and digits (ＡＢＣ１２３) in the quote."""
    text = render(_report("青海大美中药科技有限公司（ＡＢＣ１２３）将吸纳为成员单位，" * 3), "table", width=width)
    assert all(display_width(line) <= width for line in text.splitlines()), text
    assert "planned" in text  # the status survives every width: a planned membership never looks active


def test_unfitted_table_is_unchanged():
    report = _report("吸纳生物园区管委会机关")
    assert render(report, "table") == render(report, "table", width=None)
    assert "Qinghai Damei Traditional" in render(report, "table")


def test_shorten_and_display_width():
    assert display_width("红领宁商") == 8 and display_width("ｋｇ１") == 6 and display_width("e\u0301") == 1
    assert shorten("吸纳生物园区管委会机关", 9) == "吸纳生物…" and display_width(shorten("ＡＢＣＤＥ", 5)) <= 5
    assert shorten("青海", 4) == "青海"


def test_notes_wrap_at_the_terminal_width():
    report = Report([Table("t", ["a"], [{"a": "x"}])], notes=["青海大学 will join the 党建联盟 " * 8])
    lines = render(report, "table", width=30).splitlines()
    assert len(lines) > 3 and all(display_width(line) <= 30 for line in lines)
    assert re.sub(r"\s+", "", "".join(lines[3:])) == re.sub(r"\s+", "", "note: " + report.notes[0])


# Progress (issue 15.8)


def test_progress_in_a_log_is_a_line_per_tenth():
    """Not a terminal: each phase gets a line when it starts; one that runs over a second then one per
    tenth done, none in between; a quick phase only its first line."""
    now = [0.0]
    out = io.StringIO()
    view = ProgressView(out, tty=False, clock=lambda: now[0])
    for done in range(0, 1001, 5):
        now[0] = done / 100  # ten seconds
        view(Step("push", done, 1000, "triples"))
    view(Step("SHACL", 0, 20, "quads"))
    view(Step("SHACL", 20, 20, "quads"))  # no time passed: quiet
    view(Step("rebuilt", note=True))
    view(Step("the store was written to after it was built", note=True))
    lines = out.getvalue().splitlines()
    assert lines[0] == "… push" and lines[1] == "… push: 100 of 1,000 triples"
    assert lines[10] == "… push: 1,000 of 1,000 triples" and len(lines) == 14
    assert lines[11:] == ["… SHACL", "… rebuilt", "… the store was written to after it was built"]
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_progress_bar_redraws_at_most_ten_times_a_second():
    now = [0.0]
    out = io.StringIO()
    view = ProgressView(out, tty=True, clock=lambda: now[0])
    for done in range(1, 1001):
        now[0] = done / 1000  # 1,000 steps in one second
        view(Step("读取事实 facts", done, 1000, "files"))
    frames = out.getvalue().split("\r")[1:]
    assert 10 <= len(frames) <= 12 and frames[-1].endswith("\x1b[K\n")
    assert (
        "ETA --:--" in frames[0]
        and "ETA 0:01" in frames[1]
        and "100%  1,000 of 1,000 files  1,001/s  0:01" in frames[-1]
    )


def test_progress_bar_escapes_what_the_library_names():
    out = io.StringIO()
    ProgressView(out, tty=True)(Step("evil\x1b[2Jname", 1, 2, "files"))
    assert "\x1b[2J" not in out.getvalue() and "\\u001b[2J" in out.getvalue()


def test_push_shows_a_bar_with_an_eta_on_a_terminal(seed_store, tmp_path):
    """A real `kg push` in a pseudo-terminal: a bar redrawn in place with an ETA, then the summary on its own line."""
    with oxigraph(tmp_path) as server:
        code, out = run_in_terminal(
            ["--store", str(seed_store), "push", "--sparql-endpoint", server.store, "--chunk", "5"], columns=100
        )
    assert code == 0, out
    frames = out.split("\r")
    assert len(frames) > 3 and any(
        re.search(r"push  █*░+ +\d+%  [\d,]+ of 2,733 triples  [\d,]+/s  ETA \d+:\d\d", f) for f in frames
    ), out
    assert re.search(r"100%  2,733 of 2,733 triples .*\x1b\[K\npushed 2 graph\(s\), 2,733 triples", out), out
    assert all(display_width(f.split("\x1b[K")[0]) < 100 for f in frames[1:])


def test_push_to_a_log_prints_plain_lines(seed_store, tmp_path):
    """And with --format json, standard output is the report (issue 15.9)."""
    with oxigraph(tmp_path) as server:
        r = CliRunner().invoke(
            cli,
            ["--store", str(seed_store), "push", "--sparql-endpoint", server.store, "--chunk", "5", "--format", "json"],
        )
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert (
        report["triples"] == 2733
        and report["graphs"] == 2
        and report["requests"] > 300
        and report["endpoint"] == server.store
    )
    lines = r.stderr.splitlines()
    assert lines[0] == "… push" and len(lines) <= 12 and "\r" not in r.stderr and "\x1b" not in r.stderr
    assert all(line.startswith("… push: ") and line.endswith(" of 2,733 triples") for line in lines[1:])


def test_extraction_reports_each_pass():
    """`kg extract` shows which pass it is in: each starts at 0 and ends at all of the article's characters."""
    from kg.extract import extract_text

    steps: list[Step] = []
    text = "青海大学将加入西宁经济技术开发区生物科技产业园区绿色算力党建联盟。"
    extract_text(text, progress=steps.append)
    phases = list(dict.fromkeys(s.phase for s in steps))
    assert phases == ["extract: sentences", "extract: organizations", "extract: relations and figures"]
    assert all(s.total == len(text) and s.unit == "characters" for s in steps)
    assert [s.done for s in steps] == [0, len(text)] * 3


def test_neo4j_load_draws_the_shared_bar_on_a_terminal(tmp_path):
    """`kg neo4j load` reports through kg.progress like every long command: on a terminal, the bar redrawn
    in place, never click's own bar, whose \\r and cursor codes the terminal-safe stderr prints as text."""
    from kg.build import build
    from kg.graphdb import GraphDb, free_port

    sys.path.insert(0, str(ROOT / "scripts"))
    import synth

    synth.write_facts(synth.generate(1, 150, seed=3, per_doc=40)[0], tmp_path)  # over 2,000 rows to load
    build(tmp_path / "facts", tmp_path / "store", shacl=False)
    db = GraphDb(tmp_path / "graphdb")
    st = db.start(port=free_port(), bolt_port=free_port())
    try:
        code, out = run_in_terminal(["--store", str(tmp_path / "store"), "neo4j", "load"],
                                    env={"KG_GRAPHDB_DIR": str(db.dir), "NEO4J_URI": st.bolt_uri})
    finally:
        db.stop()
    assert code == 0, out
    assert "\\u000d" not in out and "\\u001b" not in out, out
    bars = re.findall(r"(writing \w+)\s+[█░]*\s+100%  ([\d,]+) of \2 rows", out)
    done = {phase: int(n.replace(",", "")) for phase, n in bars}
    assert set(done) == {"writing nodes", "writing relationships"}, out  # each phase's bar reaches its own total
    assert sum(done.values()) > 2000 and re.search(r"loaded [\d,]+ nodes and [\d,]+ relationships", out), out


def test_control_characters_are_measured_as_the_terminal_shows_them():
    """A name from an untrusted store with ESC or U+202E in it is printed escaped (six columns per
    character): the table is laid out on the escaped text, so it still fits and its columns line up."""
    from kg.text import escape_controls

    name = "红领\u202e宁商\x1b[2J"
    report = Report([Table("members", ["member_name", "status", "quote"],
                           [{"member_name": name, "status": "planned", "quote": "吸纳" * 40},
                            {"member_name": "青海大学", "status": "active", "quote": "吸纳"}])],
                    notes=["x\u202e" * 30])
    fitted = render(report, "table", width=40)
    assert escape_controls(fitted) == fitted and all(display_width(line) <= 40 for line in fitted.splitlines()), fitted
    whole = render(report, "table")
    assert escape_controls(whole) == whole and escape_controls(name) in whole
    lines = whole.splitlines()
    at = {display_width(line[:line.index(s)]) for line in lines for s in (" planned ", " active ") if s in line}
    assert len(at) == 1, whole  # the status column lines up
