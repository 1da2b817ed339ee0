"""/api/docs/ reads as a reference: Markdown becomes markup, and every credential is explained."""

from __future__ import annotations

import re

import pytest

from cityhall.core.api_docs import markdown_subset


@pytest.fixture
def page(client, db) -> str:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    text: str = response.content.decode()
    return text


def test_the_docs_page_shows_no_markdown_backticks(page):
    main = page[page.index("<main") :]

    assert "`" not in main
    assert "<code>Api-Key &lt;prefix&gt;.&lt;secret&gt;</code>" in main


def test_every_credential_on_the_docs_page_is_described(page):
    section = page[page.index('id="authentication"') : page.index('id="operations"')]
    descriptions = re.findall(r"<dd>(.*?)</dd>", section, flags=re.DOTALL)

    assert len(descriptions) >= 3
    for description in descriptions:
        assert len(re.sub(r"<[^>]+>", "", description).split()) > 3, description


def test_descriptions_are_escaped_before_markup_is_added():
    html = markdown_subset("Send `<b>` **now**:\n\n* one `x`\n* <script>alert(1)</script>")

    assert html == (
        "<p>Send <code>&lt;b&gt;</code> <strong>now</strong>:</p>"
        "<ul><li>one <code>x</code></li><li>&lt;script&gt;alert(1)&lt;/script&gt;</li></ul>"
    )
