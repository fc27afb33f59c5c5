"""The start page in real headless Chromium: search works, and nothing is requested outside the site."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_search_finds_helsestasjon_and_no_request_leaves_the_site(browser, site_url: str) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/index.html", wait_until="networkidle")
    assert "Sør-Aurdal" in page.title()

    # Search the way a reader does: the search field on the start page, then Enter.
    page.keyboard.press("Control+k")
    field = page.get_by_role("searchbox").first
    field.fill("helsestasjon")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=helsestasjon*")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 3
    assert "Tjenester" in page.locator("ul.search").inner_text()
    page.wait_for_load_state("networkidle")

    hosts = {urlparse(url).hostname for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, f"requests left the site: {sorted(u for u in requests if '127.0.0.1' not in u)}"
    page.close()
