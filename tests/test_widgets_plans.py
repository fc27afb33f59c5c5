"""The interactive checks in every handbook, on a phone (390 × 844) in headless Chromium.

For each of the five plans: the guide has steps and the acute box with 112; the reflection aid
suggests measures for a ticked risk factor (or says plainly that the plan has none); an acute
tick brings the acute advice on screen beside the box and the result gives no parents-first
advice; exercises reveal nothing until «Sjekk svar»; nothing is stored and nothing is sent.
The shared vectors of plans other than the default run here too (tests/test_widgets_browser.py
runs the default's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from forebygging.core import load
from forebygging.wording import TEXTS
from tests.conftest import DATA, DEFAULT, ROOT, serve
from tests.vectors import EXERCISE_VECTORS, answer_on_page, exercise_vector_id, expected_feedback, vector_question

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANS = ["sor-aurdal", "hemsedal", "midtdalen", "vest-telemark", "bamble"]
PHONE = {"width": 390, "height": 844}
STORAGE = "() => [document.cookie, localStorage.length, sessionStorage.length]"
VECTORS = [
    (v["kommune"], case)
    for v in (
        YAML(typ="safe").load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "widgets/vectors").glob("*.yaml"))
    )
    if v["kommune"] != DEFAULT
    for case in v["cases"]
]
# Advice to go to the parents first: the everyday tasks of a step (involve the parents, consent).
PARENTS_FIRST = re.compile(r"involver|foresatte|føresette|samtykke", re.IGNORECASE)


@pytest.fixture(scope="module")
def sites(plan_site) -> Iterator:
    """``sites(slug)``: (base URL, data) of that plan's handbook, served from 127.0.0.1."""
    served: dict[str, tuple[str, object]] = {}
    servers = []

    def site(slug: str):
        if slug not in served:
            url, server = serve(plan_site(slug))
            servers.append(server)
            served[slug] = (url, load(DATA, slug))
        return served[slug]

    yield site
    for server in servers:
        server.shutdown()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def _texts(data) -> dict[str, str]:
    return TEXTS[data.plan.language.value]


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= PHONE["height"] + 1  # subpixel


@pytest.mark.parametrize("slug", PLANS)
def test_guide_has_steps_and_the_acute_box(sites, phone, slug: str) -> None:
    url, data = sites(slug)
    phone.goto(f"{url}/hva-gjor-jeg-na.html", wait_until="networkidle")
    texts = _texts(data)
    box = phone.locator(".fb-acute-box")
    assert "112" in box.inner_text() and box.is_visible()
    stages = phone.locator(".fb-stage:not([data-stage=ferdig])")
    assert stages.count() >= 2
    model = data.municipality.collaboration
    if not model.guide:  # derived from the model: one stage per step, in the plan's words, and it says so
        assert texts["guide.derived"] in phone.locator(".fb-guide").inner_text()
        for step in model.steps:
            stage = phone.locator(f".fb-stage[data-stage='{step.id}']")
            assert stage.count() == 1
            assert step.heading in stage.text_content() and step.summary.split(".")[0] in stage.text_content()
    # Walk forward through every stage with the buttons; the progress line follows.
    total = stages.count()
    for n in range(1, total + 1):
        assert phone.locator(".fb-guide-progress").inner_text() == texts["guide.progress"].format(n=n, total=total)
        if n < total:
            phone.locator(".fb-stage:not([hidden]) button[data-fb-goto]").last.click()


@pytest.mark.parametrize("slug", PLANS)
def test_reflection_suggests_measures_for_a_risk_factor(sites, phone, slug: str) -> None:
    url, data = sites(slug)
    texts = _texts(data)
    phone.goto(f"{url}/refleksjonsverktoy.html", wait_until="networkidle")
    phone.locator("input[data-factor=rusmiddelbruk]").check()
    block = phone.locator(".fb-measures:not([hidden])")
    shown = block.locator("[data-measure]:not([hidden])")
    if data.municipality.measures:
        level = data.steps[phone.locator(".fb-step:not([hidden])").get_attribute("data-step")].level
        at_level = [m for m in data.municipality.measures if m.level == level]
        if at_level:
            assert shown.count() >= 1
            note = block.locator("[data-fb-basis]:not([hidden])").inner_text()
            assert note in (texts["reflection.measures.linked"], texts["reflection.measures.fallback"])
            return
    assert texts["reflection.measures.empty"] in block.inner_text()  # says so plainly


@pytest.mark.parametrize("slug", PLANS)
def test_acute_tick_puts_the_advice_on_screen_and_no_parents_first_advice(sites, phone, slug: str) -> None:
    url, data = sites(slug)
    texts = _texts(data)
    phone.goto(f"{url}/refleksjonsverktoy.html", wait_until="networkidle")
    box = phone.locator("input[data-factor=alvorlige-krenkelser]")
    label = phone.locator("label[for=fb-factor-alvorlige-krenkelser]").inner_text()
    assert data.factors["alvorlige-krenkelser"].explanation in label  # the meaning is in the label itself
    assert phone.locator(".fb-acute-factor details").count() == 0
    box.scroll_into_view_if_needed()
    box.check()
    advice = phone.get_by_role("alert").filter(has=phone.locator(".fb-acute-title"))
    assert advice.count() == 1
    assert "112" in advice.inner_text() and texts["acute.title"] in advice.inner_text()
    assert _in_viewport(phone, advice), advice.bounding_box()
    assert _in_viewport(phone, box)  # the box just ticked stays on screen beside it
    result = phone.locator(".fb-result")
    result.scroll_into_view_if_needed()
    assert phone.locator("[data-fb-acute-result]").is_visible()
    visible = phone.evaluate(
        "() => Array.from(document.querySelectorAll('.fb-result [data-step] *, .fb-acute-result *'))"
        ".filter((el) => el.offsetParent !== null && el.children.length === 0).map((el) => el.textContent)"
    )
    assert visible and not [t for t in visible if PARENTS_FIRST.search(t)], visible
    # Unticking takes the advice away again.
    box.uncheck()
    assert phone.locator("[data-fb-acute-for]").first.inner_text() == ""
    assert phone.locator("[data-fb-acute-result]").is_hidden()


@pytest.mark.parametrize("slug", ["bamble", "sor-aurdal"])
def test_a_measure_without_ages_is_marked_not_fitted(sites, phone, slug: str) -> None:
    url, data = sites(slug)
    texts = _texts(data)
    phone.goto(f"{url}/refleksjonsverktoy.html", wait_until="networkidle")
    phone.locator("input[data-factor=rusmiddelbruk]").check()
    phone.get_by_label(texts["reflection.age"]).fill("4")
    block = phone.locator(".fb-measures:not([hidden])")
    assert block.locator("[data-fb-age-note]").is_visible()
    for item in block.locator("[data-measure]:not([hidden])").all():
        measure = data.measures[item.get_attribute("data-measure")]
        if measure.ages is None:
            assert texts["measure.ages.unknown"] in item.inner_text()
        else:
            assert measure.ages.min <= 4 <= measure.ages.max


@pytest.mark.parametrize("slug", PLANS)
def test_exercises_reveal_nothing_until_sjekk_svar(sites, phone, slug: str) -> None:
    url, data = sites(slug)
    texts = _texts(data)
    phone.goto(f"{url}/ovelser.html", wait_until="networkidle")
    exercise = phone.locator(".fb-exercise").first
    q = exercise.locator(".fb-q").first
    q.get_by_role("radio").first.focus()
    phone.keyboard.press("Space")
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft"):
        phone.keyboard.press(key)
        assert q.locator(".fb-feedback").inner_text() == ""
        assert exercise.locator(".fb-score").inner_text() == ""
    chosen = q.locator("input:checked").get_attribute("value")
    q.get_by_role("button", name=texts["exercise.submit"]).click()
    feedback = q.locator(".fb-feedback").inner_text()
    right = chosen == q.get_attribute("data-correct")
    assert feedback.startswith(texts["exercise.check"] if right else texts["exercise.wrong"].split("{")[0])
    # Choosing another option clears the verdict; it is judged again only with the button.
    other = q.locator(f"input:not([value='{chosen}'])").first
    other.check()
    assert q.locator(".fb-feedback").inner_text() == ""


def test_exercise_pages_have_no_developer_text(sites, phone) -> None:
    for slug in PLANS:
        url, _ = sites(slug)
        phone.goto(f"{url}/ovelser.html", wait_until="networkidle")
        text = phone.locator(".bd-article").inner_text()
        assert "notebooks/" not in text and "Jupyter" not in text and "kildekode" not in text, slug


@pytest.mark.parametrize("slug", PLANS)
def test_nothing_stored_and_no_request_on_a_phone(sites, browser, slug: str) -> None:
    url, _ = sites(slug)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    requests: list[str] = []
    answering = [False]
    page.on("request", lambda request: requests.append(request.url) if answering[0] else None)
    for name in ("refleksjonsverktoy", "hva-gjor-jeg-na", "ovelser"):
        page.goto(f"{url}/{name}.html", wait_until="networkidle")
        answering[0] = True
        if name == "refleksjonsverktoy":
            for box in page.locator(".fb-controls input[type=checkbox]").all():
                box.check()
            page.locator(".fb-controls input[type=number]").fill("9")
        elif name == "hva-gjor-jeg-na":
            page.locator(".fb-stage:not([hidden]) button[data-fb-goto]").last.click()
        else:
            for q in page.locator(".fb-q").all():
                q.get_by_role("radio").first.check()
                q.locator("button[data-fb-check]").click()
        page.locator("button.theme-switch-button").first.click()  # the theme's own preference is not saved either
        page.wait_for_timeout(100)
        assert requests == [], f"{slug}/{name}: {requests}"
        assert page.evaluate(STORAGE) == ["", 0, 0]
        answering[0] = False
        page.goto("about:blank")
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize(("slug", "case"), VECTORS, ids=lambda x: x if isinstance(x, str) else x["name"])
def test_vector_of_another_plan_in_chromium(sites, browser, slug: str, case: dict) -> None:
    url, _ = sites(slug)
    page = browser.new_page()
    page.goto(f"{url}/refleksjonsverktoy.html", wait_until="networkidle")
    for factor in case["factors"]:
        page.locator(f"input[data-factor='{factor}']").check()
    for ground in case["grounds"]:
        page.locator(f"input[data-ground='{ground}']").check()
    if case["age"] is not None:
        page.locator("input[data-fb-age]").fill(str(case["age"]))
    expect = case["expect"]
    visible = """(attr) => Array.from(document.querySelectorAll('.fb-result [data-' + attr + ']'))
        .filter((el) => el.offsetParent !== null).map((el) => el.dataset[attr])"""
    assert page.evaluate(visible, "step") == [expect["step"]]
    assert page.evaluate(visible, "measure") == expect["measures"]
    assert page.evaluate(visible, "duty") == expect["duties"]
    shown_basis = page.locator(".fb-measures:not([hidden]) [data-fb-basis]:not([hidden])").get_attribute(
        "data-fb-basis"
    )
    assert shown_basis == expect["basis"]
    unknown = page.evaluate(
        "() => Array.from(document.querySelectorAll('.fb-measures:not([hidden]) [data-measure]:not([hidden])'))"
        ".filter((li) => li.querySelector('.fb-ages-unknown')).map((li) => li.dataset.measure)"
    )
    assert (unknown if case["age"] is not None else []) == expect["age_unknown"]
    assert page.locator(".fb-measures:not([hidden]) [data-fb-age-note]").is_visible() is bool(expect["age_unknown"])
    acute = page.locator("[data-fb-acute-for]:not(:empty)")
    assert [a.get_attribute("data-fb-acute-for") for a in acute.all()] == expect["acute"][:1]
    page.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("slug", PLANS)
def test_axe_on_a_phone_light_and_dark_in_the_states_that_add_content(sites, browser, slug: str) -> None:
    """The widget pages with the acute advice, the acute result, a derived guide stage and an answered exercise."""
    axe_js = pytest.importorskip("axe_playwright_python").__file__.replace("__init__.py", "axe.min.js")
    url, _ = sites(slug)
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)
        page = context.new_page()
        for name in ("refleksjonsverktoy", "hva-gjor-jeg-na", "ovelser"):
            page.goto(f"{url}/{name}.html", wait_until="networkidle")
            if name == "refleksjonsverktoy":
                page.locator("input[data-factor=alvorlige-krenkelser]").check()
                page.locator("input[data-fb-age]").fill("4")
            elif name == "hva-gjor-jeg-na":
                page.locator(".fb-stage:not([hidden]) button[data-fb-goto]").last.click()
            else:
                q = page.locator(".fb-q").first
                q.get_by_role("radio").first.check()
                q.locator("button[data-fb-check]").click()
            # Back at the top, and after the theme's «Til toppen» button has finished fading out:
            # axe must not measure an element in the middle of a transition.
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(600)
            page.evaluate(Path(axe_js).read_text(encoding="utf-8"))  # not a script tag: the CSP refuses those
            report = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            found += [(scheme, name, v["id"], [n["target"] for n in v["nodes"]][:3]) for v in report["violations"]]
        context.close()
    assert found == []


@pytest.mark.parametrize("vector", [v for v in EXERCISE_VECTORS if v["kommune"] != DEFAULT], ids=exercise_vector_id)
def test_exercise_vector_of_another_plan_on_the_page(sites, phone, vector: dict) -> None:
    """The shared exercise vectors of the other plans (nynorsk among them) on their page «Øvelser»."""
    url, data = sites(vector["kommune"])
    phone.goto(f"{url}/ovelser.html", wait_until="networkidle")
    question = vector_question(data, vector)
    verdict, explanation = expected_feedback(question, data.plan.language.value, vector["right"])
    feedback = answer_on_page(phone, vector)
    assert feedback.startswith(verdict) and explanation in feedback
