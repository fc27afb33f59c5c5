"""Comparing two built sites file by file: the one test of "incremental equals clean" and reproducibility."""

from __future__ import annotations

from pathlib import Path


def files(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by its relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path, a_name: str | None = None, b_name: str | None = None) -> list[str]:
    """What differs between two trees: files only in one of them, and files with other bytes."""
    fa, fb = files(a), files(b)
    a_name, b_name = a_name or a.parent.name, b_name or b.parent.name
    out = [f"only in {a_name}: {n}" for n in sorted(fa.keys() - fb.keys())]
    out += [f"only in {b_name}: {n}" for n in sorted(fb.keys() - fa.keys())]
    return out + [f"differs: {n}" for n in sorted(fa.keys() & fb.keys()) if fa[n] != fb[n]]
