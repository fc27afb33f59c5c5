"""The interactive checks in real headless Chromium: shared vectors, privacy, keyboard, axe-core.

Boxes are ticked by their accessible names (the factor names from the data, the ground labels
from ``wording/texts.yaml``) and the result is read from the live regions, the way a screen-reader
user meets them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from forebygging.core import load
from forebygging.wording import TEXTS
from tests.conftest import DATA, DEFAULT, ROOT
from widgets.rules import evaluate, ruleset

from .vectors import EXERCISE_VECTORS, answer_on_page, exercise_vector_id, expected_feedback, vector_question

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VECTORS = YAML(typ="safe").load((ROOT / "widgets" / "vectors" / "reflection.yaml").read_text(encoding="utf-8"))
NB = TEXTS["nb"]
PAGES = ["refleksjonsverktoy", "hva-gjor-jeg-na", "ovelser"]
AXE = Path(pytest.importorskip("axe_playwright_python").__file__).with_name("axe.min.js")

VISIBLE_IDS = """(attr) => Array.from(document.querySelectorAll('.fb-result [data-' + attr + ']'))
    .filter((el) => el.offsetParent !== null).map((el) => el.dataset[attr])"""
STORAGE = "() => [document.cookie, localStorage.length, sessionStorage.length]"


@pytest.fixture(scope="module")
def data():
    return load(DATA, DEFAULT)


@pytest.fixture(scope="module")
def reflection(browser, site_url: str):
    """One page of the reflection aid for all vectors; each vector starts with «Nullstill»."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/refleksjonsverktoy.html", wait_until="networkidle")
    yield page
    context.close()


def _factor_box(page, data, factor_id: str):
    """A factor's checkbox by its accessible name; an acute factor's name carries its meaning after a colon."""
    factor = data.factors[factor_id]
    if factor.acute:
        return page.get_by_role("checkbox", name=re.compile("^" + re.escape(f"{factor.name}: {factor.explanation}")))
    return page.get_by_role("checkbox", name=factor.name, exact=True)


def _tick_case(page, data, case) -> None:
    for factor_id in case["factors"]:
        _factor_box(page, data, factor_id).check()
    for ground in case["grounds"]:
        page.get_by_role("checkbox", name=NB[f"ground.{ground}"], exact=True).check()
    if case["age"] is not None:
        page.get_by_label(NB["reflection.age"]).fill(str(case["age"]))


def _assert_result(page, data, expect) -> None:
    status = page.locator(".fb-result[role=status]")
    step = data.steps[expect["step"]]
    assert f"{NB['reflection.step']}: {step.name}" in status.inner_text()
    for other in data.municipality.collaboration.steps:
        if other.id != step.id:
            assert f"{NB['reflection.step']}: {other.name} " not in status.inner_text()
    assert page.evaluate(VISIBLE_IDS, "measure") == expect["measures"]
    assert page.evaluate(VISIBLE_IDS, "duty") == expect["duties"]
    block = page.locator(".fb-measures:not([hidden])")
    assert block.locator("[data-fb-basis]:not([hidden])").get_attribute("data-fb-basis") == expect["basis"]
    assert block.locator("[data-fb-age-note]").is_visible() is bool(expect["age_unknown"])
    for measure_id in expect["measures"]:
        item = block.locator(f"[data-measure='{measure_id}']").inner_text()
        assert (NB["measure.ages.unknown"] in item) is (data.measures[measure_id].ages is None)
    alert = page.get_by_role("alert").filter(has=page.locator(".fb-acute-title"))
    if expect["acute"]:
        text = alert.inner_text()
        assert "112" in text and "§ 13-2" in text and "barnevernvakten" in text
        assert alert.get_by_role("link", name=NB["acute.portal.link"]).count() == 1
        # Beside the first ticked acute factor, and the result holds back the step's everyday tasks.
        assert alert.get_attribute("data-fb-acute-for") == expect["acute"][0]
        assert page.locator("[data-fb-acute-result]").is_visible()
        assert "Involver foresatte" not in status.inner_text()
    else:
        assert page.evaluate("() => Array.from(document.querySelectorAll('.fb-acute')).map((a) => a.textContent)") == [
            "",
            "",
        ]
        assert page.locator("[data-fb-acute-result]").is_hidden()


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_vector_in_chromium(reflection, data, case) -> None:
    page = reflection
    page.get_by_role("button", name=NB["reflection.reset"]).click()
    _tick_case(page, data, case)
    _assert_result(page, data, case["expect"])


def test_javascript_rules_equal_python_rules_on_random_cases(reflection, data) -> None:
    """Beyond the vectors: 300 random cases through the page's interpreter and the Python reference."""
    rng = random.Random(15)
    rules = ruleset(data)
    cases = [
        {
            "factors": rng.sample(list(rules["factors"]), rng.randint(0, 5)),
            "grounds": rng.sample(rules["grounds"], rng.randint(0, 2)),
            "age": rng.choice([None, *range(0, 22)]),
        }
        for _ in range(300)
    ]
    in_page = reflection.evaluate(
        "(cases) => { const rules = JSON.parse(document.querySelector('script.fb-rules').textContent);"
        " return cases.map((c) => Forebygging.evaluate(rules, c.factors, c.grounds, c.age)); }",
        cases,
    )
    assert in_page == [evaluate(rules, c["factors"], c["grounds"], c["age"]) for c in cases]


def test_first_paint_shows_the_first_step_without_javascript(browser, site_url: str, data) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/refleksjonsverktoy.html")
    empty = next(c for c in VECTORS["cases"] if not c["factors"] and not c["grounds"] and c["age"] is None)
    _assert_result(page, data, empty["expect"])
    assert NB["widget.privacy"] in page.content()
    assert NB["reflection.measures.all"] in page.locator(".fb-result").inner_text()
    context.close()


def test_nothing_stored_and_no_request_while_answering(browser, site_url: str, data) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    answering = [False]
    page.on("request", lambda request: requests.append(request.url) if answering[0] else None)
    for name in PAGES:
        page.goto(f"{site_url}/{name}.html", wait_until="networkidle")
        answering[0] = True
        if name == "refleksjonsverktoy":
            for box in page.locator(".fb-controls").get_by_role("checkbox").all():
                box.check()
            page.get_by_label(NB["reflection.age"]).fill("9")
            page.locator("details.fb-explain summary").first.click()
            page.get_by_role("button", name=NB["reflection.reset"]).click()
        elif name == "hva-gjor-jeg-na":
            for _ in range(3):
                page.locator(".fb-stage:not([hidden]) button[data-fb-goto]").last.click()
            page.get_by_role("button", name=NB["guide.back"]).locator("visible=true").click()
        else:
            for group in page.locator(".fb-q").all():
                group.get_by_role("radio").first.check()
                group.get_by_role("button", name=NB["exercise.submit"]).click()
        page.wait_for_timeout(200)
        assert requests == [], f"requests after load on {name}: {requests}"
        assert page.evaluate(STORAGE) == ["", 0, 0], name
        answering[0] = False
        page.goto("about:blank")
    assert context.cookies() == []
    context.close()


def test_no_free_text_field_and_every_control_labelled(browser, site_url: str) -> None:
    page = browser.new_page()
    for name in PAGES:
        page.goto(f"{site_url}/{name}.html")
        widget = page.locator(".fb-widget")
        assert widget.locator("textarea, input[type=text], input:not([type]), [contenteditable]").count() == 0
        unlabelled = page.evaluate(
            "() => Array.from(document.querySelectorAll('.fb-widget input, .fb-widget button'))"
            ".filter((el) => !(el.labels?.length > 0 || el.textContent.trim() !== '')).map((el) => el.outerHTML)"
        )
        assert unlabelled == [], name
        assert widget.locator("form").count() == 0  # nothing can be submitted anywhere
    page.close()


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # an inline <script> would meet the pages' CSP
    result = page.evaluate("async () => await axe.run(document.querySelector('.bd-article') || document)")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.mark.parametrize("name", PAGES)
def test_axe_has_no_violations(browser, site_url: str, data, name: str) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/{name}.html", wait_until="networkidle")
    if name == "refleksjonsverktoy":
        _factor_box(page, data, "alvorlige-krenkelser").check()
        page.locator("details.fb-explain summary").first.click()
    elif name == "ovelser":
        page.locator(".fb-q").first.get_by_role("radio").first.check()
        page.locator(".fb-q").first.get_by_role("button", name=NB["exercise.submit"]).click()
    assert _axe(page) == []
    page.close()


def _tab_to(page, predicate: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"never reached by Tab: {predicate}")


def test_keyboard_only_through_one_vector(browser, site_url: str, data) -> None:
    case = next(c for c in VECTORS["cases"] if c["name"] == "omsorgssvikt-trinn-3")
    page = browser.new_page()
    page.goto(f"{site_url}/refleksjonsverktoy.html", wait_until="networkidle")
    wanted = [f"fb-factor-{f}" for f in case["factors"]] + [f"fb-ground-{g}" for g in case["grounds"]]
    order = page.evaluate(
        "(ids) => Array.from(document.querySelectorAll('.fb-controls input')).map((el) => el.id)"
        ".filter((id) => ids.includes(id))",
        wanted,
    )
    for box_id in order:
        _tab_to(page, f"() => document.activeElement.id === '{box_id}'")
        page.keyboard.press("Space")
    _assert_result(page, data, case["expect"])
    _tab_to(page, "() => document.activeElement.hasAttribute('data-fb-reset')")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelectorAll('.fb-controls input:checked').length") == 0
    assert page.evaluate("() => document.activeElement.type") == "checkbox"
    page.close()


def test_exercise_by_keyboard_alone(browser, site_url: str) -> None:
    """Arrow keys move through a radio group without revealing anything; «Sjekk svar» (Tab, Enter) does."""
    page = browser.new_page()
    page.goto(f"{site_url}/ovelser.html", wait_until="networkidle")
    _tab_to(page, "() => document.activeElement.type === 'radio'")
    page.keyboard.press("Space")
    first = page.locator(".fb-q").first
    radios = first.get_by_role("radio")
    for key in ("ArrowDown", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
        assert first.locator(".fb-feedback").inner_text() == ""
        assert page.locator(".fb-score").first.inner_text() == ""
    assert first.locator("input:checked").get_attribute("value") == radios.nth(1).get_attribute("value")
    _tab_to(page, "() => document.activeElement.hasAttribute('data-fb-check')")
    page.keyboard.press("Enter")
    assert first.locator(".fb-feedback").inner_text() != ""
    page.close()


def test_print_view_shows_only_what_is_ticked(browser, site_url: str, data) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/refleksjonsverktoy.html", wait_until="networkidle")
    _factor_box(page, data, "rusmiddelbruk").check()
    page.get_by_label(NB["reflection.age"]).fill("7")
    page.emulate_media(media="print")
    visible = page.evaluate(
        "() => Array.from(document.querySelectorAll('.fb-controls input, .fb-controls button, .fb-privacy'))"
        ".filter((el) => el.offsetParent !== null).map((el) => el.id || el.tagName)"
    )
    assert visible == ["fb-factor-rusmiddelbruk"]
    assert page.locator(".fb-result").is_visible() and page.locator(".fb-print-note").is_visible()
    page.close()


def test_guide_walks_the_model_and_back(browser, site_url: str, data) -> None:
    stages = data.municipality.collaboration.guide
    page = browser.new_page()
    page.goto(f"{site_url}/hva-gjor-jeg-na.html", wait_until="networkidle")
    progress = page.locator(".fb-guide-progress[role=status]")

    def current() -> str:
        return page.locator(".fb-stage:not([hidden])").get_attribute("data-stage")

    assert current() == stages[0].id and progress.inner_text() == f"Steg 1 av {len(stages)}"
    assert stages[0].who in page.locator(".fb-stage:not([hidden])").inner_text()
    for i, stage in enumerate(stages[1:], 2):
        page.locator(".fb-stage:not([hidden])").locator(f"button[data-fb-goto='{stage.id}']").press("Enter")
        assert current() == stage.id
        assert progress.inner_text() == f"Steg {i} av {len(stages)}"
        assert page.evaluate("() => document.activeElement.tagName") == "H2"
        visible = page.locator(".fb-stage:not([hidden])").inner_text()
        assert stage.who in visible and stage.does[0].text.split()[0] in visible
    page.locator(".fb-stage:not([hidden])").get_by_role("button", name=NB["guide.back"]).click()
    assert current() == stages[-2].id
    page.locator(".fb-stage:not([hidden])").get_by_role("button", name=NB["guide.resolved.yes"]).click()
    assert current() == "ferdig"
    page.locator(".fb-stage:not([hidden])").get_by_role("button", name=NB["guide.restart"]).click()
    assert current() == stages[0].id
    page.close()


def test_exercises_give_feedback_with_a_link_and_a_result(browser, site_url: str, built_site: Path) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/ovelser.html", wait_until="networkidle")
    for anchor in ("ovelse-nivaer", "ovelse-henvisning", "ovelse-lover", "ovelse-taushetsplikt"):
        assert page.locator(f"#{anchor}").count() == 1
    exercise = page.locator(".fb-exercise[data-set=lover]")
    questions = exercise.locator(".fb-q").all()
    for n, q in enumerate(questions):
        correct = q.get_attribute("data-correct")
        radios = q.get_by_role("radio")
        if n == 0:
            wrong = next(r for r in radios.all() if r.get_attribute("value") != correct)
            wrong.check()
            q.get_by_role("button", name=NB["exercise.submit"]).click()
            feedback = q.locator(".fb-feedback[role=status]").inner_text()
            assert feedback.startswith("Ikke helt. Riktig svar: ")
        else:
            q.locator(f"input[value='{correct}']").check()
            assert q.locator(".fb-feedback").inner_text() == ""
            q.get_by_role("button", name=NB["exercise.submit"]).click()
            assert q.locator(".fb-feedback").inner_text().startswith(NB["exercise.check"])
        assert q.locator(".fb-feedback a").count() >= 1
    total = len(questions)
    assert exercise.locator(".fb-score").inner_text() == f"Ferdig: {total - 1} av {total} riktige svar."
    # Every link to a handbook page lands on an anchor that exists.
    hrefs = page.eval_on_selector_all(
        ".fb-exercise template",
        "(ts) => ts.flatMap((t) => Array.from(t.content.querySelectorAll('a')).map((a) => a.getAttribute('href')))",
    )
    for href in hrefs:
        if href.startswith("http"):
            continue
        target, anchor = href.split("#")
        assert f'id="{anchor}"' in (built_site / target).read_text(encoding="utf-8"), href
    exercise.get_by_role("button", name=NB["exercise.restart"]).click()
    assert exercise.locator("input:checked").count() == 0 and exercise.locator(".fb-score").inner_text() == ""
    page.close()


def test_widget_assets_only_on_widget_pages(built_site: Path) -> None:
    for name in PAGES:
        html = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert "forebygging-widgets.js" in html and "forebygging-storage-guard.js" in html
        assert "Storage.prototype" not in html  # the guard is a file, not an inline script
    assert "forebygging-widgets.js" not in (built_site / "index.html").read_text(encoding="utf-8")
    assert (built_site / "_static" / "forebygging-widgets.js").exists()
    assert (built_site / "_static" / "forebygging-storage-guard.js").exists()


@pytest.mark.parametrize("vector", [v for v in EXERCISE_VECTORS if v["kommune"] == DEFAULT], ids=exercise_vector_id)
def test_exercise_vector_on_the_page(browser, site_url: str, data, vector: dict) -> None:
    """The shared exercise vectors: the page gives the verdict and explanation of widgets/exercises.py."""
    page = browser.new_page()
    page.goto(f"{site_url}/ovelser.html", wait_until="networkidle")
    question = vector_question(data, vector)
    verdict, explanation = expected_feedback(question, "nb", vector["right"])
    feedback = answer_on_page(page, vector)
    assert feedback.startswith(verdict) and explanation in feedback
    page.close()
