"""The plan owners' guide and the example CI pipeline: they parse and name only make targets that exist."""

from __future__ import annotations

import re

import yaml

from .conftest import ROOT

MAKE_CALL = re.compile(r"(?m)(?:^|`)make ([a-z][a-z-]*)")  # a command, not the word in prose


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M))


def test_example_pipeline_parses_and_uses_existing_targets() -> None:
    text = (ROOT / "docs" / "eksempel-gitlab-ci.yml").read_text(encoding="utf-8")
    pipeline = yaml.safe_load(text)
    assert isinstance(pipeline, dict)
    scripts = [line for job in pipeline.values() if isinstance(job, dict) for line in job.get("script", [])]
    called = {m.group(1) for line in scripts for m in MAKE_CALL.finditer(line)}
    assert {"site", "check"} <= called
    assert called <= make_targets(), called - make_targets()
    tag_rule = pipeline["pages"]["rules"][0]["if"]
    pattern = re.search(r"=~ /(.*)/'?$", tag_rule.replace("'", "")).group(1).replace("\\/", "/")
    assert re.match(pattern, "plan/sor-aurdal/2026.1") and not re.match(pattern, "v1.0")


def test_guide_is_linked_and_names_existing_targets() -> None:
    assert "docs/kom-i-gang.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "kom-i-gang.md").read_text(encoding="utf-8")
    called = {m.group(1) for m in MAKE_CALL.finditer(guide)}
    assert {"new", "html", "import", "site", "check", "serve"} <= called
    assert called <= make_targets(), called - make_targets()
    for link in re.findall(r"\]\(([^)#]+)\)", guide):
        if not link.startswith("http"):
            assert (ROOT / "docs" / link).resolve().exists(), link


def test_ci_matrix_examples_build_existing_plans_one_per_job() -> None:
    """The README's GitHub Actions matrix and the GitLab example's: one `make html` per plan of _data/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Many municipalities", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the section shows one GitHub Actions workflow"
    workflow = yaml.safe_load(blocks[0])
    job = workflow["jobs"]["handbook"]
    steps = [step.get("run", "") for step in job["steps"]]
    assert any(re.fullmatch(r"make html KOMMUNE=\$\{\{ matrix\.kommune \}\}", s) for s in steps), steps
    assert job["strategy"]["matrix"]["kommune"] == "${{ fromJSON(needs.plans.outputs.slugs) }}"
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # "Sist endret" needs the history
    listing = workflow["jobs"]["plans"]["steps"][1]["run"]
    assert "_data/*/plan.yaml" in listing

    pipeline = yaml.safe_load((ROOT / "docs" / "eksempel-gitlab-ci.yml").read_text(encoding="utf-8"))
    gitlab = pipeline["handboker"]
    slugs = {slug for row in gitlab["parallel"]["matrix"] for slug in row["KOMMUNE"]}
    existing = {p.parent.name for p in (ROOT / "_data").glob("*/plan.yaml")}
    assert slugs == existing, slugs ^ existing
    assert 'make html KOMMUNE="$KOMMUNE"' in gitlab["script"]
    assert "docs/eksempel-gitlab-ci.yml" in section
