"""The dependency arrows run one way: ingest ← index ← retrieval ← papers (the core) ← the front ends (api, bot,
eval and the `papers` command). Read from the source, so a new import that points back up fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("ingest", "index", "retrieval", "papers")  # each may import only those before it, and itself
FRONT_ENDS = {  # each front end may import the core, and these front ends besides
    "api": {"bot", "sync"},  # HTTP mode mounts the Slack bot on the API's server; /health reads sync's sources
    "bot": set(),
    "eval": set(),
    "sync": set(),  # papers from a committee site, ingested through the same entry point as files
    "papers.cli": {"api", "bot", "eval", "sync"},  # the console gathers every front end's commands
}


def layer(module: str) -> str:
    """The layer a dotted module name belongs to."""
    if module == "papers.cli" or module.startswith("papers.cli."):
        return "papers.cli"
    return module.split(".")[0]


def imports(path: Path) -> set[str]:
    """Every project module the file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        found |= {name for name in names if layer(name) in (*CORE, *FRONT_ENDS)}
    return found


def allowed(source: str, target: str) -> bool:
    if source in FRONT_ENDS:
        return target in CORE or target == source or target in FRONT_ENDS[source]
    return target in CORE and CORE.index(target) <= CORE.index(source)


def test_every_import_points_down_the_layers():
    modules = {path: ".".join(path.relative_to(ROOT).with_suffix("").parts)
               for package in ("ingest", "index", "retrieval", "papers", "api", "bot", "eval", "sync")
               for path in (ROOT / package).rglob("*.py")}
    assert len(modules) > 60
    wrong = sorted(f"{name} imports {target}" for path, name in modules.items()
                   for target in imports(path) if not allowed(layer(name), layer(target)))
    assert not wrong


def test_the_rule_catches_an_arrow_back_up():
    assert not allowed("index", "retrieval") and not allowed("ingest", "papers") and not allowed("papers", "api")
    assert not allowed("bot", "api") and not allowed("eval", "bot") and not allowed("retrieval", "papers.cli")
    assert allowed("papers", "ingest") and allowed("papers.cli", "api") and allowed("api", "bot")
