/* Sphinx's translations without eval.
 *
 * doctools.js turns the catalogue's plural rule (a C expression such as "(n != 1)") into a
 * function with `new Function`, which the pages' Content-Security-Policy forbids (no
 * 'unsafe-eval'). This file, loaded after doctools.js and before translations.js, replaces
 * Documentation.addTranslations with the same steps, reading the rule with a small parser of
 * gettext's expression grammar instead. Like gettext, the rule yields a number (true -> 1).
 */
(function () {
  "use strict";
  if (typeof Documentation === "undefined") return;

  // Tokens: integers, n, and C's operators (longest first).
  var TOKEN = /\s*(\d+|n|\|\||&&|==|!=|<=|>=|[-+*\/%<>!?:()])/y;

  function tokens(text) {
    var out = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < text.length) {
      if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
      var match = TOKEN.exec(text);
      if (!match) throw new Error("plural rule: unexpected text");
      out.push(match[1]);
    }
    return out;
  }

  // Binary operators by binding power, as in C.
  var BINARY = {
    "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
  };

  function num(value) {
    return typeof value === "boolean" ? (value ? 1 : 0) : value;
  }

  function apply(op, a, b) {
    switch (op) {
      case "||": return num(a || b);
      case "&&": return num(a && b);
      case "==": return num(a === b);
      case "!=": return num(a !== b);
      case "<": return num(a < b);
      case "<=": return num(a <= b);
      case ">": return num(a > b);
      case ">=": return num(a >= b);
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return Math.trunc(a / b);
      default: return a % b;
    }
  }

  // parse(text) -> function of n; throws on anything outside the grammar.
  function parse(text) {
    var list = tokens(text);
    var at = 0;

    function peek() { return list[at]; }
    function take(expected) {
      var token = list[at++];
      if (token === undefined || (expected !== undefined && token !== expected)) {
        throw new Error("plural rule: expected " + (expected || "more"));
      }
      return token;
    }
    function primary() {
      var token = take();
      if (token === "(") {
        var inner = conditional();
        take(")");
        return inner;
      }
      if (token === "!") { var operand = primary(); return function (n) { return num(!operand(n)); }; }
      if (token === "-") { var negated = primary(); return function (n) { return -negated(n); }; }
      if (token === "n") return function (n) { return n; };
      if (/^\d+$/.test(token)) { var value = parseInt(token, 10); return function () { return value; }; }
      throw new Error("plural rule: unexpected " + token);
    }
    function binary(minimum) {
      var left = primary();
      while (BINARY[peek()] !== undefined && BINARY[peek()] >= minimum) {
        var op = take();
        var right = binary(BINARY[op] + 1);
        left = (function (l, r, o) { return function (n) { return apply(o, l(n), r(n)); }; })(left, right, op);
      }
      return left;
    }
    function conditional() {
      var test = binary(1);
      if (peek() !== "?") return test;
      take("?");
      var yes = conditional();
      take(":");
      var no = conditional();
      return function (n) { return test(n) ? yes(n) : no(n); };
    }
    var rule = conditional();
    if (at !== list.length) throw new Error("plural rule: trailing text");
    return function (n) { return num(rule(n)); };
  }

  Documentation.parsePluralRule = parse;
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    try {
      Documentation.PLURAL_EXPR = parse(String(catalog.plural_expr));
    } catch (error) {
      // Sphinx's own default (English): one form for 1, the other for everything else.
      Documentation.PLURAL_EXPR = function (n) { return n === 1 ? 0 : 1; };
    }
    Documentation.LOCALE = catalog.locale;
  };
})();
