/* Forebyggingshåndboka: interactive checks (reflection aid, guide, exercises).
 *
 * Plain, dependency-free JavaScript. It stores nothing (no cookies, no localStorage or
 * sessionStorage) and sends nothing: it reads the rule inputs embedded in the page and
 * shows, hides or fills in elements the build rendered. evaluate() is a line-for-line port
 * of widgets/rules.py:evaluate; the shared vectors in widgets/vectors/*.yaml (reflection.yaml,
 * bamble.yaml) run against both.
 */
(function () {
  "use strict";

  function evaluate(rules, factors, grounds, age) {
    var ticked = new Set(factors);
    var met = new Set(grounds);
    ticked.forEach(function (f) {
      if (rules.factors[f].kind === "risiko") met.add("risikofaktor");
    });
    var step = rules.steps[0];
    rules.steps.forEach(function (candidate) {
      if (candidate.triggers.some(function (g) { return met.has(g); })) step = candidate;
    });
    var acute = Object.keys(rules.factors).filter(function (f) {
      return ticked.has(f) && rules.factors[f].acute;
    });
    var atLevel = rules.measures.filter(function (m) {
      return m.level === step.level && (age === null || m.ages === null || (m.ages[0] <= age && age <= m.ages[1]));
    });
    var matched = atLevel.filter(function (m) { return m.factors.some(function (f) { return ticked.has(f); }); });
    var basis, measures;
    if (ticked.size === 0) { basis = "level"; measures = atLevel; }
    else if (matched.length) { basis = "factor"; measures = matched; }
    else { basis = "fallback"; measures = atLevel; }
    var ageUnknown = age === null ? [] :
      measures.filter(function (m) { return m.ages === null; }).map(function (m) { return m.id; });
    var wanted = new Set(rules.always_duties.concat(step.duties));
    measures.forEach(function (m) {
      m.responsible.forEach(function (s) {
        (rules.service_duties[s] || []).forEach(function (d) { wanted.add(d); });
      });
    });
    if (acute.length) rules.acute_duties.forEach(function (d) { wanted.add(d); });
    return {
      step: step.id,
      acute: acute,
      measures: measures.map(function (m) { return m.id; }),
      basis: basis,
      age_unknown: ageUnknown,
      duties: rules.duty_order.filter(function (d) { return wanted.has(d); })
    };
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function json(root, selector) {
    return JSON.parse(root.querySelector(selector).textContent);
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  /* ------------------------------------------------------------------ reflection aid */
  function reflection(root) {
    var rules = json(root, "script.fb-rules");
    var boxes = all(root, "input[type=checkbox]");
    var ageInput = root.querySelector("input[data-fb-age]");
    var template = root.querySelector("template.fb-acute-template");
    var alerts = all(root, "[data-fb-acute-for]");
    var shownAt = null;

    function update() {
      var factors = [], grounds = [];
      boxes.forEach(function (box) {
        if (!box.checked) return;
        if (box.dataset.factor) factors.push(box.dataset.factor);
        else grounds.push(box.dataset.ground);
      });
      var age = ageInput.value.trim() === "" ? null : parseInt(ageInput.value, 10);
      if (age !== null && (isNaN(age) || age < 0)) age = null;
      var r = evaluate(rules, factors, grounds, age);
      var level = rules.steps.filter(function (s) { return s.id === r.step; })[0].level;
      var shown = new Set(r.measures), duties = new Set(r.duties);

      /* The acute advice appears right below the first ticked acute factor and is scrolled into
         view, so on a phone it is on screen next to the box just ticked (role=alert announces it). */
      var at = r.acute.length ? r.acute[0] : null;
      if (at !== shownAt) {
        alerts.forEach(function (region) {
          if (region.dataset.fbAcuteFor === at) {
            region.replaceChildren(template.content.cloneNode(true));
            region.scrollIntoView({ block: "nearest" });
          } else {
            region.replaceChildren();
          }
        });
        shownAt = at;
      }
      var acute = r.acute.length > 0;
      root.querySelector("[data-fb-acute-result]").hidden = !acute;
      all(root, "[data-fb-everyday]").forEach(function (el) { el.hidden = acute; });

      all(root, "[data-step]").forEach(function (el) { el.hidden = el.dataset.step !== r.step; });
      all(root, "[data-level]").forEach(function (block) {
        block.hidden = block.dataset.level !== level;
        var items = all(block, "[data-measure]");
        if (!items.length) return; /* the plan has no measure at this level; the block says so */
        var any = false;
        items.forEach(function (li) {
          li.hidden = !shown.has(li.dataset.measure);
          any = any || !li.hidden;
        });
        all(block, "[data-fb-basis]").forEach(function (p) { p.hidden = p.dataset.fbBasis !== r.basis; });
        block.querySelector("[data-fb-age-note]").hidden = r.age_unknown.length === 0;
        block.querySelector("[data-fb-none]").hidden = any;
      });
      all(root, "[data-duty]").forEach(function (li) { li.hidden = !duties.has(li.dataset.duty); });
    }

    boxes.forEach(function (box) { box.addEventListener("change", update); });
    ageInput.addEventListener("input", update);
    root.querySelector("[data-fb-reset]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      ageInput.value = "";
      update();
      boxes[0].focus();
    });
    root.querySelector("[data-fb-print]").addEventListener("click", function () { window.print(); });
    update();
  }

  /* ------------------------------------------------------------------ guide */
  function guide(root) {
    var texts = json(root, "script.fb-texts");
    var stages = all(root, ".fb-stage");
    var progress = root.querySelector(".fb-guide-progress");
    var history = [];
    var steps = stages.filter(function (s) { return s.dataset.stage !== "ferdig"; }).length;
    root.classList.add("fb-js");

    function show(id, focus) {
      var index = 0;
      stages.forEach(function (stage, i) {
        stage.hidden = stage.dataset.stage !== id;
        if (!stage.hidden) index = i;
      });
      progress.textContent = format(texts.progress, { n: Math.min(index + 1, steps), total: steps });
      if (focus) stages[index].querySelector("h2").focus();
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !root.contains(button)) return;
      var current = stages.filter(function (s) { return !s.hidden; })[0].dataset.stage;
      if (button.dataset.fbGoto) {
        history.push(current);
        show(button.dataset.fbGoto, true);
      } else if (button.hasAttribute("data-fb-back")) {
        show(history.pop() || stages[0].dataset.stage, true);
      } else if (button.hasAttribute("data-fb-restart")) {
        history = [];
        show(stages[0].dataset.stage, true);
      }
    });
    show(stages[0].dataset.stage, false);
  }

  /* ------------------------------------------------------------------ exercises */
  /* An answer is judged only when «Sjekk svar» is pressed: choosing an option, with the mouse or
     the arrow keys of a radio group, reveals nothing and clears an earlier verdict. */
  function exercise(root) {
    var texts = json(root, "script.fb-texts");
    var questions = all(root, ".fb-q");
    var score = root.querySelector(".fb-score");
    var checked = new Map(); /* question -> the value that was checked */

    function answer(q) {
      var input = q.querySelector("input:checked");
      return input ? input.value : null;
    }

    function updateScore() {
      var answered = questions.filter(function (q) { return checked.has(q); });
      var right = answered.filter(function (q) { return checked.get(q) === q.dataset.correct; }).length;
      var values = { answered: answered.length, total: questions.length, right: right };
      score.textContent = answered.length === 0 ? "" :
        format(answered.length === questions.length ? texts.done : texts.score, values);
    }

    function check(q) {
      var value = answer(q), feedback = q.querySelector(".fb-feedback");
      var verdict = document.createElement("p");
      if (value === null) {
        verdict.textContent = texts.choose;
        feedback.replaceChildren(verdict);
        return;
      }
      var right = value === q.dataset.correct;
      verdict.className = right ? "fb-right" : "fb-wrong";
      verdict.textContent = right ? texts.right : format(texts.wrong, { answer: q.dataset.answer });
      feedback.replaceChildren(verdict, q.querySelector("template.fb-explanation").content.cloneNode(true));
      checked.set(q, value);
      updateScore();
    }

    function clear(q) {
      q.querySelector(".fb-feedback").replaceChildren();
      checked.delete(q);
      updateScore();
    }

    questions.forEach(function (q) {
      all(q, "input[type=radio]").forEach(function (input) {
        input.addEventListener("change", function () { clear(q); });
      });
      q.querySelector("[data-fb-check]").addEventListener("click", function () { check(q); });
    });
    root.querySelector("[data-fb-restart]").addEventListener("click", function () {
      all(root, "input[type=radio]").forEach(function (input) { input.checked = false; });
      questions.forEach(clear);
      root.querySelector("input[type=radio]").focus();
    });
  }

  /* The rule interpreter, for the tests that compare it with widgets/rules.py on random cases. */
  window.Forebygging = Object.freeze({ evaluate: evaluate });

  var widgets = { reflection: reflection, guide: guide, exercise: exercise };
  function init() {
    all(document, "[data-fb-widget]").forEach(function (root) { widgets[root.dataset.fbWidget](root); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
