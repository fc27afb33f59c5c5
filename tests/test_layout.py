"""The package layout reads as the pipeline: imports flow one way, with no cycle, and every module imports alone.

Folders of ``forebygging`` in order: ``core`` (data, validation, trace; no Sphinx) → ``wording``
(the engine's texts) → ``outputs`` and the top-level ``widgets`` → ``ext`` (the Sphinx extension) →
``cli`` (the commands). A module may import only from its own folder or an earlier one; imports
inside functions count too, since a lazy import that goes backwards is still a cycle waiting to
happen. The graph is read from the source with ``ast``, so the check needs no Sphinx and no build.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from forebygging.core import pages

from .conftest import BUILD_CALL, ROOT

PACKAGES = {"forebygging": ROOT / "extensions" / "forebygging", "widgets": ROOT / "widgets"}
LAYERS = ["core", "wording", "outputs|widgets", "ext", "cli"]
"""Folders in import order; ``a|b`` share a layer and must not import each other."""
ROOT_MODULES = {"forebygging", "forebygging.__main__"}
"""The package's ``__init__`` (only ``__version__``) and ``python -m forebygging`` (calls the cli)."""


def module_name(path: Path, package: str, base: Path) -> str:
    parts = [package, *path.relative_to(base).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {
        module_name(path, package, base): path
        for package, base in PACKAGES.items()
        for path in sorted(base.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that ``name`` imports anywhere in its source (top level, functions, TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names] + [module]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def folder_of(module: str) -> str:
    return "widgets" if module.startswith("widgets") else module.split(".")[1]


def layer_of(module: str) -> int | None:
    """The index in LAYERS of the folder ``module`` lives in; None for the package roots."""
    if module in ROOT_MODULES:
        return None
    return next(i for i, names in enumerate(LAYERS) if folder_of(module) in names.split("|"))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if target == "forebygging" and module != "forebygging":
                continue  # the package root holds only __version__
            if module in ROOT_MODULES or target in ROOT_MODULES:
                if module != "forebygging.__main__" or not target.startswith("forebygging.cli."):
                    problems.append(f"{module} -> {target}: the package roots import only the commands")
                continue
            here, there = layer_of(module), layer_of(target)
            assert here is not None and there is not None
            if there > here or (there == here and folder_of(module) != folder_of(target)):
                problems.append(f"{module} ({LAYERS[here]}) -> {target} ({LAYERS[there]})")
    return problems


# --------------------------------------------------------------------------- the checks


def test_the_graph_sees_every_module_and_lazy_imports() -> None:
    edges = graph()
    assert len(edges) > 60
    assert {"forebygging.core.loader", "forebygging.wording", "widgets.rules", "forebygging.cli.main"} <= set(edges)
    # an import inside a function is an edge too
    assert "forebygging.cli.versioned_site" in edges["forebygging.cli.main"]


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_imports_flow_one_way_between_folders() -> None:
    assert layer_violations(graph()) == []


def test_the_checks_catch_a_cycle_and_a_backward_import() -> None:
    edges = {name: set(targets) for name, targets in graph().items()}
    edges["forebygging.core.trace"].add("forebygging.wording.trace")  # core -> wording: backwards, and a cycle
    assert cycles(edges) == [sorted(["forebygging.core.trace", "forebygging.wording.trace"])]
    assert layer_violations(edges) == ["forebygging.core.trace (core) -> forebygging.wording.trace (wording)"]
    edges = {name: set(targets) for name, targets in graph().items()}
    edges["widgets.rules"].add("forebygging.outputs.exports")  # same layer, other folder
    assert layer_violations(edges) == [
        "widgets.rules (outputs|widgets) -> forebygging.outputs.exports (outputs|widgets)"
    ]


def import_alone(module: str) -> str | None:
    """Import ``module`` in a fresh interpreter; its error output if that fails."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'extensions'}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return None if result.returncode == 0 else f"{module}:\n{result.stderr[-1500:]}"


@pytest.mark.slow  # some 75 fresh interpreters: tens of seconds on a shared machine
def test_every_module_imports_on_its_own() -> None:
    """Each in a fresh interpreter, so an import order that only works after another import shows up."""
    modules = sorted(set(all_modules()) - {"forebygging.__main__"})  # __main__ runs the command line
    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f for f in pool.map(import_alone, modules) if f]
    assert not failures, "\n".join(failures)
    assert import_alone("forebygging.no_such_module") is not None  # the check can fail


# --------------------------------------------------------------------------- the register of pages


def test_every_registered_page_exists_with_its_label() -> None:
    docnames = [page.docname for page in pages.PAGES]
    assert len(docnames) == len(set(docnames))
    for page in pages.PAGES:
        source = ROOT / "handbook" / f"{page.docname}.md"
        assert source.exists(), f"{page.docname}: no handbook/{page.docname}.md"
        if page.label:
            assert f"({page.label})=" in source.read_text(encoding="utf-8"), f"{page.docname}: no ({page.label})="


def test_the_trace_and_the_optional_pages_use_the_register() -> None:
    from forebygging.core.trace import REQUIREMENT_CHAPTERS

    registered = {page.docname for page in pages.PAGES}
    assert {answer.doc for answer in REQUIREMENT_CHAPTERS.values()} <= registered
    assert {page.docname for page in pages.OPTIONAL_PAGES} == {
        "motestruktur",
        "brukermedvirkning",
        "maler",
        "lokal-del",
        "anbefalinger",
        "utfordringsbilde",
        "beskyttelsesfaktorer-tiltak",
    }


def test_excluded_pages_follow_the_data() -> None:
    from forebygging.core import load

    data = {slug: load(ROOT / "_data", slug) for slug in ("sor-aurdal", "bamble")}
    assert "beskyttelsesfaktorer-tiltak" in pages.excluded_pages(data["sor-aurdal"])
    assert "beskyttelsesfaktorer-tiltak" not in pages.excluded_pages(data["bamble"])
    for slug, plan in data.items():
        excluded = pages.excluded_pages(plan)
        for page in pages.PAGES:
            assert (page.docname in excluded) == (not page.exists(plan)), (slug, page.docname)
            if not page.optional:
                assert page.exists(plan)


# --------------------------------------------------------------------------- the automatic slow mark


def test_build_detection() -> None:
    """The automatic 'slow' mark sees builds in a fixture or test body, and not a check or a name."""
    assert BUILD_CALL.search("    assert build(out, DATA, DEFAULT) == 0")
    assert BUILD_CALL.search('cli_main(["--data", str(d), "report", "--kommune", k])')
    assert not BUILD_CALL.search('cli_main(["--data", str(d), "check", "--kommune", k])')
    assert not BUILD_CALL.search("def build(out: Path) -> int:")
    assert not BUILD_CALL.search("rebuild(x); app.build()")
