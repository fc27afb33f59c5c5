/* Forebyggingshåndboka: interactive checks (reflection aid, guide, exercises).
 *
 * Plain, dependency-free JavaScript. It stores nothing (no cookies, no localStorage or
 * sessionStorage) and sends nothing: it reads the rule inputs embedded in the page and
 * shows, hides or fills in elements the build rendered. evaluate() is a line-for-line port
 * of widgets/rules.py:evaluate; the shared vectors in widgets/vectors/reflection.yaml run
 * against both.
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
    var byFactor = ticked.size > 0 && atLevel.some(function (m) { return m.factors.length > 0; });
    var measures = byFactor
      ? atLevel.filter(function (m) { return m.factors.some(function (f) { return ticked.has(f); }); })
      : atLevel;
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
      by_factor: byFactor,
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
    var alert = root.querySelector(".fb-acute");
    var template = root.querySelector("template.fb-acute-template");
    var wasAcute = false;

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

      if (r.acute.length && !wasAcute) alert.replaceChildren(template.content.cloneNode(true));
      if (!r.acute.length) alert.replaceChildren();
      wasAcute = r.acute.length > 0;

      all(root, "[data-step]").forEach(function (el) { el.hidden = el.dataset.step !== r.step; });
      all(root, "[data-level]").forEach(function (block) {
        block.hidden = block.dataset.level !== level;
        var any = false;
        all(block, "[data-measure]").forEach(function (li) {
          li.hidden = !shown.has(li.dataset.measure);
          any = any || !li.hidden;
        });
        all(block, "[data-fb-by-factor]").forEach(function (p) { p.hidden = (p.dataset.fbByFactor === "true") !== r.by_factor; });
        block.querySelector("[data-fb-age-note]").hidden = age === null;
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
    var steps = stages.length - 1; /* the last stage is the end state */
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
  function exercise(root) {
    var texts = json(root, "script.fb-texts");
    var questions = all(root, ".fb-q");
    var score = root.querySelector(".fb-score");

    function answer(q) {
      var checked = q.querySelector("input:checked");
      return checked ? checked.value : null;
    }

    function update(q) {
      var value = answer(q), feedback = q.querySelector(".fb-feedback");
      if (value !== null) {
        var verdict = document.createElement("p");
        var right = value === q.dataset.correct;
        verdict.className = right ? "fb-right" : "fb-wrong";
        verdict.textContent = right ? texts.right : format(texts.wrong, { answer: q.dataset.answer });
        feedback.replaceChildren(verdict, q.querySelector("template.fb-explanation").content.cloneNode(true));
      } else {
        feedback.replaceChildren();
      }
      var answered = questions.filter(function (x) { return answer(x) !== null; });
      var correct = answered.filter(function (x) { return answer(x) === x.dataset.correct; }).length;
      var values = { answered: answered.length, total: questions.length, right: correct };
      score.textContent = answered.length === 0 ? "" :
        format(answered.length === questions.length ? texts.done : texts.score, values);
    }

    questions.forEach(function (q) {
      all(q, "input[type=radio]").forEach(function (input) {
        input.addEventListener("change", function () { update(q); });
      });
    });
    root.querySelector("[data-fb-restart]").addEventListener("click", function () {
      all(root, "input[type=radio]").forEach(function (input) { input.checked = false; });
      questions.forEach(update);
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
