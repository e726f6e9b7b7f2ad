"""What the browser tests do and read on the page, in a person's terms."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import AXE_JS

# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA that axe-core has.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
ANSWER = ".hw-msg--bot"

_DEEP_ACTIVE = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) { node = node.shadowRoot.activeElement; }
  return node ? {tag: node.tagName.toLowerCase(), id: node.id, text: (node.textContent || "").trim(),
                 className: String(node.className || "")} : null;
}"""


def focused(page: Any) -> dict[str, str]:
    """The element with keyboard focus, looking inside the widget's shadow root."""
    return page.evaluate(_DEEP_ACTIVE)


def conversation(page: Any) -> list[tuple[str, str]]:
    """Who said what, in order, as shown: [("You:", "hello"), ("Homeward:", "...")]."""
    return [
        (item.locator(".hw-who").inner_text(), item.locator(".hw-text").inner_text())
        for item in page.locator(".hw-msg").all()
    ]


def send_typed(page: Any, text: str) -> None:
    box = page.locator("#hw-message")
    box.fill(text)
    box.press("Enter")


def wait_for_messages(page: Any, count: int) -> None:
    page.wait_for_function(
        """(count) => {
          const host = document.querySelector('[data-homeward-chat]');
          return host && host.shadowRoot && host.shadowRoot.querySelectorAll('.hw-msg').length >= count;
        }""",
        arg=count,
    )


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core (from frontend/node_modules) on the whole page, shadow roots included: the violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
