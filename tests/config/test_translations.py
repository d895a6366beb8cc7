"""The interface speaks Chinese first: every message has a reviewed zh-hans translation."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r"^((?:#.*\n)*)msgid ((?:\".*\"\n)+)msgstr ((?:\".*\"\n)+)", re.M)


def entries():
    for flags, msgid, msgstr in ENTRY.findall(PO.read_text(encoding="utf-8")):
        text = "".join(line[1:-1] for line in msgid.splitlines())
        if text:
            yield flags, text, "".join(line[1:-1] for line in msgstr.splitlines())


def test_every_message_is_translated():
    assert [msgid for _flags, msgid, msgstr in entries() if not msgstr] == []


def test_no_translation_is_a_fuzzy_guess():
    # makemessages guesses translations of new messages from similar old ones and
    # marks them fuzzy; a guess ("Report" -> "已上报") must be reviewed, not shipped.
    assert [msgid for flags, msgid, _msgstr in entries() if "fuzzy" in flags] == []
