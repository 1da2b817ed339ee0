"""No page carries meaning in an emoji: without an emoji font it shows as an empty box.

Icons are the project's own SVG files; words carry the meaning for screen readers.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

#: Pictographs, dingbats and miscellaneous technical symbols (the hourglass, the warning sign…).
EMOJI = re.compile("[\U0001f300-\U0001faff\u2300-\u23ff\u2600-\u27bf\U0001f000-\U0001f2ff]")
SHIPPED = ("*.html", "*.txt", "*.js", "*.py")


def test_no_template_script_or_message_uses_an_emoji():
    root = Path(settings.BASE_DIR) / "cityhall"
    found = []
    for pattern in SHIPPED:
        for path in root.rglob(pattern):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if EMOJI.search(line):
                    found.append(f"{path.relative_to(root)}:{number}")

    assert found == []
