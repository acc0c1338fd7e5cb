"""What `kg ingest` did (or would do): its report and the lines the command prints from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.workflows.diff import DiffResult

__all__ = ["IngestReport"]


@dataclass
class IngestReport:
    """What ingest did (or, with ``dry_run``, would do)."""

    target: Path
    source_installed: bool
    added: dict[str, int]
    resolved: dict[str, str]  # candidate entity id -> the known entity it names
    skipped: dict[str, int]
    dry_run: bool = False
    build: Any = None
    diff: DiffResult | None = None
    notes: list[str] = field(default_factory=list)
    sources: Path | None = None

    def summary(self, store: Path, diff_text: str | None = None) -> list[str]:
        """The lines `kg ingest` prints: what it added (or would add), and ``diff_text`` (the rendered
        :attr:`diff`) before the rebuild's line."""
        added = ", ".join(f"{v} {k}" for k, v in self.added.items())
        skipped = ", ".join(f"{v} {k}" for k, v in self.skipped.items() if v)
        verb = "would add" if self.dry_run else "added"
        out = [f"{verb} to {self.target}: {added}" + (f"; skipped: {skipped}" if skipped else "")]
        if self.resolved:
            out.append(f"already in the graph ({len(self.resolved)}): "
                       + ", ".join(a if a == b else f"{a} → {b}" for a, b in sorted(self.resolved.items())))
        if self.source_installed:
            out.append(f"{verb} the article and its metadata under {self.sources}")
        out += [f"note: {note}" for note in self.notes]
        if diff_text is not None:
            out.append(diff_text)
        if self.build is not None:
            c = self.build.counts
            out.append(f"rebuilt {store} in {self.build.seconds:.2f} s: {c['entities']} entities, "
                       f"{c['statements']} statements, {c.get('triples', '?')} triples")
        return out
