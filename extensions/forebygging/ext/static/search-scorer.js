/*
 * Forebyggingshåndboka's additions to Sphinx's search (html_search_scorer): Sphinx puts this
 * file into language_data.js, which the search page loads right after searchtools.js, so
 * `Scorer` and `Search` exist here and are changed in place.
 */
"use strict";

/* The words of the query, lower case, as the search page got it (?q=...). */
const fbQueryWords = () =>
  splitQuery(
    (new URLSearchParams(window.location.search).get("q") || "").toLowerCase(),
  ).filter((word) => word.length > 2);

/*
 * A page whose own title holds every word of the query ranks above pages that only mention
 * it, or have it in one section heading: Sphinx gives both the same title score.
 */
Scorer.pageTitleMatch = 30;
Scorer.pageTitleStart = 5;
Scorer.score = (result) => {
  const [, title, anchor, , score, , kind] = result;
  const words = fbQueryWords();
  if (!words.length) return score;
  // A "title" result names "Page > Section"; any other kind carries the page's title.
  const pageTitle = (kind === "title" ? title.split(" > ")[0] : title).toLowerCase();
  // Sphinx scores an index entry (a glossary term) up to 100, above any page; here it weighs
  // like a title word, so the page about the subject comes first and the definition after it.
  const base = kind === "index" ? Math.round((score * Scorer.title) / 100) : score;
  let extra = 0;
  if (words.every((word) => pageTitle.includes(word))) {
    extra += Scorer.pageTitleMatch;
    if (pageTitle.startsWith(words[0])) extra += Scorer.pageTitleStart;
    if (anchor) extra -= 1; // the page itself before its sections
  }
  return base + extra;
};

/*
 * Snippets from the article alone: not the theme's furniture around it (colour mode buttons,
 * the print-only contents), not <noscript> notices (a fetched page is parsed without
 * scripting, so their text would show) and nothing marked no-search.
 */
const FB_NOT_IN_SNIPPETS = [
  ".headerlink",
  "script",
  "style",
  "noscript",
  ".no-search",
  ".bd-header-article",
  "#jb-print-docs-body",
  ".prev-next-footer",
  ".bd-footer-article",
  ".bd-footer-content",
];
Search.htmlToText = (htmlString, anchor) => {
  const doc = new DOMParser().parseFromString(htmlString, "text/html");
  doc
    .querySelectorAll(FB_NOT_IN_SNIPPETS.join(","))
    .forEach((element) => element.remove());
  const main =
    doc.querySelector('[role="main"] article') ||
    doc.querySelector('[role="main"]');
  if (!main) return "";
  if (anchor) {
    const section = main.querySelector(anchor);
    if (section) return section.textContent;
  }
  return main.textContent;
};
