"""``make workshop``: Voilà serves the trainers' notebooks for a plan on 127.0.0.1, and nothing leaves the machine.

One server per plan (Sør-Aurdal in bokmål, Vest-Telemark in nynorsk), started as the Makefile
starts it, in its own session, and stopped by its own process id at the end, also when a test
fails. Each notebook is opened in Chromium, where Voilà runs the cells; a factor is ticked and
exercise questions answered through the rendered widgets, and the feedback is read back. Every
request and websocket the page opens is recorded: all of them must go to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from forebygging.cli.main import main as cli_main
from forebygging.core import HandbookData, load
from forebygging.core.models import FactorKind
from forebygging.core.pages import FORUMS
from forebygging.ext.directives.exercises import SESSION_MINUTES
from forebygging.wording import TEXTS
from widgets.exercises import exercise_sets
from widgets.notebook import BASIS_KEYS
from widgets.rules import evaluate, ruleset

from .conftest import DATA, DEFAULT, ROOT, make_env
from .vectors import EXERCISE_VECTORS, expected_feedback, vector_question

PLANS = [DEFAULT, "vest-telemark"]

START_TIMEOUT = 60.0
AXE_RUN = "() => axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
RENDER_TIMEOUT = 60_000  # ms: the kernel starts and runs the cells while the page loads


@dataclass
class Workshop:
    slug: str
    data: HandbookData
    base: str
    token: str
    pid: int
    log: Path
    texts: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.texts = TEXTS[self.data.plan.language.value]

    def url(self, notebook: str) -> str:
        return f"{self.base}/voila/render/{notebook}?token={self.token}"


def _axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now (injected by evaluate, as elsewhere)."""
    axe = Path(pytest.importorskip("axe_playwright_python").__file__).with_name("axe.min.js")
    page.evaluate(axe.read_text(encoding="utf-8"))
    found = page.evaluate(AXE_RUN)["violations"]
    return [f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in found]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> list[int]:
    """Stop the server by its own pid (SIGTERM: Voilà shuts its kernels down); the pids that outlived it."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    # The kernels are the server's children, in the session it leads: none may be left behind.
    left = [p.pid for p in psutil.process_iter(["pid"]) if _session(p) == process.pid]
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def _session(proc: psutil.Process) -> int | None:
    try:
        return os.getsid(proc.pid)
    except (ProcessLookupError, PermissionError):
        return None


@contextlib.contextmanager
def workshop_server(slug: str, log: Path) -> Iterator[Workshop]:
    """``python -m forebygging workshop`` (what ``make workshop`` runs) on a free port, until the block ends."""
    port, token = _free_port(), secrets.token_urlsafe(16)
    argv = [sys.executable, "-m", "forebygging", "workshop", "--kommune", slug]
    argv += ["--port", str(port), "--token", token, "--no-browser"]
    env = {**make_env(), "PYTHONPATH": str(ROOT / "extensions")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"the workshop stopped:\n{log.read_text(errors='replace')}"
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert time.monotonic() < deadline, f"no server after {START_TIMEOUT} s:\n{log.read_text(errors='replace')}"
            time.sleep(0.2)
        yield Workshop(slug, load(DATA, slug), f"http://127.0.0.1:{port}", token, process.pid, log)
    finally:
        left = _stop(process)
    assert not left, f"kernels outlived the workshop server: {left}"


@pytest.fixture(scope="module", params=PLANS)
def workshop(request, tmp_path_factory) -> Iterator[Workshop]:
    with workshop_server(request.param, tmp_path_factory.mktemp("workshop") / "voila.log") as running:
        yield running


@contextlib.contextmanager
def opened(browser, workshop: Workshop, notebook: str, ready: str) -> Iterator:
    """The notebook rendered by Voilà, once the button named ``ready`` is on screen; every address it used."""
    context = browser.new_context()
    page = context.new_page()
    used: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: used.append(r.url))
    page.on("websocket", lambda ws: used.append(ws.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(workshop.url(notebook))
        page.get_by_role("button", name=ready).first.wait_for(timeout=RENDER_TIMEOUT)
        yield page
        page.wait_for_load_state("networkidle")
        outside = sorted({u for u in used if urlsplit(u).hostname != "127.0.0.1"})
        assert used and not outside, f"requests that left 127.0.0.1: {outside}"
        assert errors == [], errors
    finally:
        context.close()


_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"  # XPath: has this class


def _question_parts(page, number: int, prompt: str):
    """A question's radio group, «Sjekk svar» button and feedback, found from its numbered prompt."""
    text = page.locator(".widget-html-content > b").filter(
        has_text=re.compile("^" + re.escape(f"{number}. {prompt}") + "$")
    )
    assert text.count() == 1, f"question {number}. {prompt!r} is not shown once"
    row = text.locator(f"xpath=ancestor::div[{_CLASS.format('widget-html')}][1]")
    radios = row.locator(f"xpath=following-sibling::div[{_CLASS.format('widget-radio')}][1]")
    button = row.locator("xpath=following-sibling::button[1]")
    feedback = button.locator(f"xpath=following-sibling::div[{_CLASS.format('widget-html')}][1]")
    return radios, button, feedback


@pytest.mark.slow  # starts Voilà and Chromium
@pytest.mark.browser
def test_exercises_for_the_plan_in_its_language_with_the_shared_feedback(workshop: Workshop, browser) -> None:
    texts, data = workshop.texts, workshop.data
    vectors = [v for v in EXERCISE_VECTORS if v["kommune"] == workshop.slug]
    assert vectors, f"no shared exercise vector for {workshop.slug}"
    with opened(browser, workshop, "ovelser.ipynb", texts["exercise.submit"]) as page:
        plan = ", ".join(data.plan.municipalities)
        assert page.locator("h1").inner_text() == texts["workshop.exercises.title"].format(plan=plan)
        assert page.locator("html").get_attribute("lang") == data.plan.language.value
        assert texts["workshop.privacy"] in page.inner_text("body")
        for vector in vectors:
            question = vector_question(data, vector)
            exercise = next(s for s in exercise_sets(data) if s.id == vector["set"])
            number = next(n for n, q in enumerate(exercise.questions, 1) if q.id == question.id)
            radios, button, feedback = _question_parts(page, number, question.prompt)
            radios.get_by_role("radio", name=dict(question.options)[vector["answer"]], exact=True).check()
            assert feedback.inner_text().strip() == ""  # choosing reveals nothing
            button.click()
            verdict, explanation = expected_feedback(question, data.plan.language.value, vector["right"])
            feedback.get_by_text(verdict, exact=True).wait_for()
            shown = feedback.inner_text()
            assert shown.startswith(verdict) and explanation in shown
            # The handbook section in words: the workshop serves no handbook to link to, so no dead link.
            assert f"{texts['exercise.more']} {question.link.text}" in shown and feedback.locator("a").count() == 0
        assert _axe_violations(page) == []  # with feedback on screen


@pytest.mark.slow  # starts Voilà and Chromium
@pytest.mark.browser
def test_reflection_aid_ticks_a_factor_and_shows_the_step(workshop: Workshop, browser) -> None:
    texts, data = workshop.texts, workshop.data
    rules = ruleset(data)
    untouched = evaluate(rules, [], [], None)
    factor = next(f for f in data.national.factors if f.kind is FactorKind.RISIKO and not f.acute)
    expect = evaluate(rules, [factor.id], [], None)  # the reference rules; the vectors hold them to the page
    assert expect["basis"] != untouched["basis"] == "level"  # a tick always changes why measures are shown
    step = data.steps[expect["step"]]
    with opened(browser, workshop, "refleksjonsverktoy.ipynb", texts["reflection.reset"]) as page:
        plan = ", ".join(data.plan.municipalities)
        assert page.locator("h1").inner_text() == texts["workshop.reflection.title"].format(plan=plan)
        result = page.locator(".widget-html-content").filter(has_text=texts["reflection.step"])
        assert f"{texts['reflection.step']}: {data.steps[untouched['step']].name}" in result.inner_text()
        assert texts[BASIS_KEYS["level"]] in result.inner_text()
        page.get_by_role("checkbox", name=factor.name, exact=True).check()
        result.get_by_text(texts[BASIS_KEYS[expect["basis"]]]).wait_for()
        shown = result.inner_text()
        assert f"{texts['reflection.step']}: {step.name} – {step.heading}" in shown
        for measure in expect["measures"]:
            assert data.measures[measure].name in shown
        assert _axe_violations(page) == []
        page.get_by_role("button", name=texts["reflection.reset"]).click()
        result.get_by_text(texts[BASIS_KEYS["level"]]).wait_for()


@pytest.mark.slow  # starts Voilà and Chromium
@pytest.mark.browser
def test_served_on_loopback_only_and_the_token_is_required(workshop: Workshop) -> None:
    listening = [c.laddr.ip for c in psutil.Process(workshop.pid).net_connections("inet") if c.status == "LISTEN"]
    assert listening and set(listening) == {"127.0.0.1"}, listening
    # Without the token Voilà sends the browser to its login page, never to the notebook.
    with urllib.request.urlopen(f"{workshop.base}/voila/render/ovelser.ipynb") as response:
        assert urlsplit(response.url).path == "/login"
        assert workshop.texts["exercise.submit"] not in response.read().decode()


@pytest.mark.parametrize("bad", ["../sor-aurdal", "nowhere", "Sor-Aurdal", "sor aurdal", ""])
def test_workshop_refuses_an_invalid_kommune(bad: str, capsys) -> None:
    """Checked before anything starts: no data is read, no port is opened."""
    assert cli_main(["workshop", "--kommune", bad, "--no-browser", "--port", str(_free_port())]) == 2
    assert f"KOMMUNE {bad!r}" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["nowhere", "../_data", "x;y"])
def test_make_workshop_refuses_an_invalid_kommune(bad: str) -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "workshop", f"KOMMUNE={bad}"],
        cwd=ROOT,
        env=make_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert f"KOMMUNE '{bad}'" in done.stderr and "valid slugs" in done.stderr
    assert "forebygging workshop" not in done.stdout


@pytest.mark.parametrize("slug", [*PLANS, "bamble"])  # Bamble: a plan with forums
def test_facilitator_page_is_built_from_the_plans_model_and_exercises(plan_site, slug: str) -> None:
    """«Kursleder»: the session plan lists this plan's steps and exercise sets, each linked to its place."""
    data = load(DATA, slug)
    html = (plan_site(slug) / "kursleder.html").read_text(encoding="utf-8")
    session = html.split('workshop-session"', 1)[1].split("</ol>", 1)[0]
    texts = TEXTS[data.plan.language.value]
    for step in data.municipality.collaboration.steps:
        assert f'href="samhandlingsmodell.html#samhandling-{step.id}"' in session
        assert escape(f"{step.name} – {step.heading}", quote=False) in session
    sets = exercise_sets(data)
    assert [m for m in re.findall(r'href="ovelser.html#ovelse-([a-z]+)"', session)] == [s.id for s in sets]
    for s in sets:
        assert (
            escape(texts["workshop.session.set"].format(title=s.title, count=len(s.questions)), quote=False) in session
        )
    minutes = sum(SESSION_MINUTES.values())
    assert 60 <= minutes <= 90 and escape(texts["workshop.session.total"].format(minutes=minutes), quote=False) in html
    assert escape(texts["workshop.session.intro.text"], quote=False) in session  # the privacy rule opens the session
    forums = data.municipality.meeting_structure.forums if FORUMS.exists(data) else []
    assert [f"forum-{f.id}" for f in forums] == re.findall(r'href="motestruktur.html#(forum-[^"]+)"', session)
    assert bool(forums) is (slug == "bamble")
    # Linked from «Ny ansatt».
    assert 'href="kursleder.html"' in (plan_site(slug) / "ny-ansatt.html").read_text(encoding="utf-8")
