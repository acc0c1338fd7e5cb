"""The local graph database is identified for certain, and the Bolt commands talk only to the configured server.

`kg graphdb status|stop` read a state file that may be stale: after a crash or a reboot its
pid can belong to another program. A state file is trusted only when the process it names
has the start time and command line recorded at start; anything else is "not running
(stale state removed)", and no signal goes to a process kg did not start. The Bolt server
child is recorded and signalled the same way. Here the "other program" is a real ``sleep``
that must survive every command.

`--backend bolt`, `kg cypher` and `kg neo4j load|export` use NEO4J_URI (or --uri), else the
local server if it is running; with neither they say so and connect to nothing (a port
listening on 127.0.0.1:7687, the old fallback, must see no connection), and NEO4J_USER /
NEO4J_PASSWORD go only with NEO4J_URI.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from robustness.conftest import Listener, one_line_error, run_kg

PASSWORD = "Hunter2-secret-pw"
NO_SERVER = "no graph database configured or running: start one with `kg graphdb start` or set NEO4J_URI"


@pytest.fixture
def bystander():
    """A live process kg did not start (the pid a stale state file names after a reboot)."""
    p = subprocess.Popen(["sleep", "60"])
    yield p
    p.kill()
    p.wait()


def _started(pid: int) -> str:
    from kg.processes import identity

    return identity(pid)[0]


STALE = {
    # what an older kg wrote: no identity at all
    "legacy": lambda p: {"pid": p.pid, "port": 6390, "bolt_port": 7687, "data_dir": "x"},
    # the bystander's pid, but a server that started at another time (the pid was reused)
    "other-start-time": lambda p: {"pid": p.pid, "port": 6390, "bolt_port": 7687, "data_dir": "x",
                                   "started": _started(p.pid) + "0", "cmdline": "sleep 60"},
    # the right start time, but another program
    "other-command": lambda p: {"pid": p.pid, "port": 6390, "bolt_port": 7687, "data_dir": "x",
                                "started": _started(p.pid), "cmdline": "/opt/falkordb/redis-server 127.0.0.1:6390"},
}


def _write_state(directory: Path, state: dict | str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "graphdb.json"
    path.write_text(state if isinstance(state, str) else json.dumps(state), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- kg graphdb status|stop


@pytest.mark.parametrize("kind", sorted(STALE))
def test_status_does_not_take_another_program_for_the_server(kind, bystander, tmp_path):
    state = _write_state(tmp_path, STALE[kind](bystander))
    p = run_kg("graphdb", "status", "--dir", str(tmp_path))
    assert p.returncode == 1
    assert p.stdout.decode().startswith("not running (stale state removed)"), p.stdout
    assert not state.exists()
    assert bystander.poll() is None


@pytest.mark.parametrize("kind", sorted(STALE))
def test_stop_never_signals_another_program(kind, bystander, tmp_path):
    state = _write_state(tmp_path, STALE[kind](bystander))
    p = run_kg("graphdb", "stop", "--dir", str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode().startswith("not running (stale state removed)"), p.stdout
    assert not state.exists()
    assert bystander.poll() is None, "kg graphdb stop killed a process it did not start"


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"pid": "x"}', "[]", '{"pid": 1, "port": 1, "bolt_port": 1, "data_dir": "x", "extra": 1}'],
    ids=["not-json", "bad-pid", "a-list", "unknown-key"],
)
def test_a_damaged_state_file_is_stale_and_removed(content, tmp_path):
    state = _write_state(tmp_path, content)
    p = run_kg("graphdb", "stop", "--dir", str(tmp_path))
    assert p.returncode == 0 and p.stdout.decode().startswith("not running (stale state removed)"), p
    assert not state.exists()


def test_pid_of_a_process_that_ended_is_stale(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    state = _write_state(
        tmp_path,
        {"pid": gone.pid, "port": 6390, "bolt_port": 7687, "data_dir": "x", "started": "b:1", "cmdline": "true"},
    )
    p = run_kg("graphdb", "status", "--dir", str(tmp_path))
    assert p.returncode == 1 and p.stdout.decode().startswith("not running (stale state removed)")
    assert not state.exists()


def test_reading_the_state_changes_nothing(bystander, tmp_path):
    """`state()` (what the Bolt commands call) only reads; `status()` is what removes a stale file."""
    from kg.graphdb import GraphDb

    state = _write_state(tmp_path, STALE["legacy"](bystander))
    assert GraphDb(tmp_path).state() is None and state.exists()
    st, stale = GraphDb(tmp_path).status()
    assert st is None and "another program" in stale and not state.exists()


def test_start_replaces_a_stale_state_and_the_real_server_is_recognized(bystander, tmp_path):
    """With a stale state file naming a live process, start starts a server; status and stop find it; the bystander
    lives."""
    from kg.graphdb import GraphDb, free_port

    _write_state(tmp_path, STALE["other-command"](bystander))
    db = GraphDb(tmp_path)
    st = db.start(port=free_port(), bolt_port=free_port())
    try:
        assert st.pid != bystander.pid and st.started and "redis-server" in st.cmdline
        p = run_kg("graphdb", "status", "--dir", str(tmp_path))
        assert p.returncode == 0 and p.stdout.decode().startswith(
            f"running (pid {st.pid}, Bolt server pid {st.bolt_pid})"
        )
    finally:
        p = run_kg("graphdb", "stop", "--dir", str(tmp_path))
    assert p.returncode == 0 and p.stdout.decode().strip() == "stopped"
    assert db.state() is None and not (tmp_path / "graphdb.json").exists()
    assert bystander.poll() is None


def _identity_of(p: subprocess.Popen) -> dict:
    from kg.processes import identity

    started, cmdline = identity(p.pid)
    return {"started": started, "cmdline": cmdline}


def test_the_bolt_server_is_recorded_and_signalled_like_falkordb(bystander, tmp_path):
    """The Bolt server child gets the same identity record; a Bolt record naming another program is
    "its Bolt server does not run" (never signalled), and stop leaves that program alone."""
    from kg.graphdb import GraphDb, free_port
    from kg.processes import is_ours

    db = GraphDb(tmp_path)
    st = db.start(port=free_port(), bolt_port=free_port())
    try:
        assert st.bolt_started and "kg.stores.bolt_server" in st.bolt_cmdline and st.bolt_running
        assert is_ours(st.bolt_pid, st.bolt_started, st.bolt_cmdline)
        state = json.loads((tmp_path / "graphdb.json").read_text(encoding="utf-8"))
        assert {"bolt_pid", "bolt_started", "bolt_cmdline"} <= set(state)
        # the Bolt record now names the bystander: same pid and start time, another command line
        forged = {**state, "bolt_pid": bystander.pid, "bolt_started": _identity_of(bystander)["started"]}
        _write_state(tmp_path, forged)
        p = run_kg("graphdb", "status", "--dir", str(tmp_path))
        assert p.returncode == 1 and b"its Bolt server does not" in p.stdout, p.stdout
        p = run_kg("graphdb", "stop", "--dir", str(tmp_path))
        assert p.returncode == 0 and p.stdout.strip() == b"stopped", p
        assert bystander.poll() is None, "kg graphdb stop signalled a process that is not its Bolt server"
    finally:
        db.stop()
        # the real Bolt server (no longer recorded) stops by itself once FalkorDB is gone
        from kg.processes import terminate

        terminate([(st.bolt_pid, st.bolt_started, st.bolt_cmdline)], timeout=5)
    assert not is_ours(st.pid, st.started, st.cmdline)


@pytest.mark.parametrize("bolt_is_ours", [True, False], ids=["orphan-bolt-server", "bolt-pid-reused"])
def test_a_stale_falkordb_takes_its_own_bolt_server_with_it_and_nothing_else(bolt_is_ours, bystander, tmp_path):
    """FalkorDB gone, the state file still names a Bolt server: status stops it only if it still is
    the recorded process (here the 'Bolt server' is a real process whose identity is recorded)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    ident = _identity_of(bystander)
    state = {
        "pid": gone.pid,
        "port": 6390,
        "bolt_port": 7687,
        "data_dir": "x",
        "started": "b:1",
        "cmdline": "true",
        "bolt_pid": bystander.pid,
        "bolt_started": ident["started"],
        "bolt_cmdline": ident["cmdline"]
        if bolt_is_ours
        else "python -m kg.stores.bolt_server --port 7687 --redis-port 6390",
    }
    path = _write_state(tmp_path, state)
    p = run_kg("graphdb", "status", "--dir", str(tmp_path))
    assert p.returncode == 1 and p.stdout.startswith(b"not running (stale state removed)"), p.stdout
    assert not path.exists()
    if bolt_is_ours:
        assert f"its Bolt server (pid {bystander.pid}) was stopped".encode() in p.stdout
        assert bystander.wait(timeout=10) is not None
    else:
        assert b"Bolt server" not in p.stdout and bystander.poll() is None


# ---------------------------------------------------------------------------- which server the Bolt commands use


def _port_7687() -> Listener | None:
    """A listener on the old fallback address, when this machine lets us take it."""
    try:
        return Listener(7687)
    except OSError:
        return None


COMMANDS = {
    "backend-bolt": ("members", "红领宁商", "--backend", "bolt"),
    "cypher": ("cypher", "RETURN 1 AS x"),
    "neo4j-load": ("neo4j", "load"),
    "neo4j-export": ("neo4j", "export"),
}


@pytest.mark.parametrize("stale", [False, True], ids=["no-state", "stale-state"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_configured_server_is_one_line_and_no_connection(name, stale, guarded_store, bystander, tmp_path):
    if stale:
        _write_state(tmp_path, STALE["other-command"](bystander))
    env = {
        "KG_GRAPHDB_DIR": str(tmp_path),
        "NEO4J_URI": None,
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": PASSWORD,
        "KG_TRANSPORT": None,
    }
    lis = _port_7687()
    try:
        r = CliRunner().invoke(cli, ["--store", str(guarded_store), *COMMANDS[name]], env=env, catch_exceptions=False)
    finally:
        hits = lis.hits if lis else 0
        if lis:
            lis.close()
    assert r.exit_code == 1
    assert one_line_error(r.stderr) == f"Error: {NO_SERVER}"
    assert PASSWORD not in r.output
    assert hits == 0, "connected to 127.0.0.1:7687, a server nobody configured"
    assert bystander.poll() is None


def test_library_refuses_to_guess_a_server(tmp_path, monkeypatch):
    from kg.errors import KgError
    from kg.stores.bolt import BoltConfig

    monkeypatch.setenv("KG_GRAPHDB_DIR", str(tmp_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(KgError, match="no graph database configured or running"):
        BoltConfig.from_env()
    monkeypatch.setenv("NEO4J_URI", "")  # set but empty: not a configuration either
    with pytest.raises(KgError, match="no graph database configured or running"):
        BoltConfig.from_env()
    assert BoltConfig.from_env(uri="bolt://db.example:7687").uri == "bolt://db.example:7687"


def test_credentials_go_only_with_the_uri_they_belong_to(falkordb, monkeypatch):
    """NEO4J_USER/NEO4J_PASSWORD are for NEO4J_URI: the local server answers without them (it refused them before)."""
    from kg.stores.bolt import BoltConfig

    monkeypatch.setenv("KG_GRAPHDB_DIR", falkordb.data_dir)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    cfg = BoltConfig.from_env()
    assert (cfg.uri, cfg.user, cfg.password, cfg.native_port) == (falkordb.bolt_uri, None, None, falkordb.port)
    r = CliRunner().invoke(cli, ["cypher", "RETURN 1 AS x", "--format", "csv"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert r.stdout.split() == ["x", "1"]
    assert BoltConfig.from_env(password="opt").password == "opt"  # given as an option: the user's choice
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    cfg = BoltConfig.from_env()
    assert (cfg.uri, cfg.user, cfg.password, cfg.native_port) == ("bolt://db.example:7687", "neo4j", PASSWORD, None)
