"""The phone page's script as one file: its ES modules (static/disputes/phone/) joined.

On a slow network each request costs a round trip (300 ms on "Regular 3G"), and a
browser opens six connections to a server without HTTP/2: twenty-odd modules took
four or five round trips before the page could run. The modules stay the source,
with no build tool; a staticfiles finder (PhoneScriptFinder) offers the joined file
as `disputes/phone.js`, so collectstatic hashes, compresses and caches it like any
other, and the test settings serve it from the finder.

The join handles what the modules use, and refuses anything else: one-line
`import { a, b } from "./x.js";` and `import "./x.js";`, and `export` before a
function, class or const declaration. Each module runs in a function of its own, in
the order the browser would run them (depth first, imports before importers).
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

SOURCE = "disputes/phone"
ENTRY = "main.js"
JOINED = "disputes/phone.js"

IMPORT_NAMES = re.compile(r'^import \{([^}]*)\} from "\./([a-z-]+\.js)";$')
IMPORT_BARE = re.compile(r'^import "\./([a-z-]+\.js)";$')
EXPORT = re.compile(r"^export ((?:async )?function\*? |class |const )(\w+)")


class JoinError(ValueError):
    pass


def _var(name: str) -> str:
    return "module_" + name.removesuffix(".js").replace("-", "_")


def _module(name: str, source: str) -> tuple[list[str], str]:
    """The modules `name` imports, in order, and its code as a function's body."""
    imports, lines, exported = [], [], []
    for line in source.splitlines():
        if found := IMPORT_NAMES.match(line):
            names, target = found.groups()
            imports.append(target)
            lines.append(f"const {{{names}}} = {_var(target)};")
        elif found := IMPORT_BARE.match(line):
            imports.append(found.group(1))
        elif line.startswith(("import ", "export ")) and not EXPORT.match(line):
            raise JoinError(f"{name}: cannot join this line: {line}")
        else:
            if found := EXPORT.match(line):
                exported.append(found.group(2))
                line = line.removeprefix("export ")
            lines.append(line)
    body = "\n".join(lines)
    return imports, (
        f"// {name}\nconst {_var(name)} = (() => {{\n{body}\n"
        f"return {{ {', '.join(exported)} }};\n}})();\n"
    )


def phone_script(folder: Path) -> str:
    """The modules of `folder` joined, from its main.js, as one module's source."""
    parsed, order, visiting = {}, [], set()

    def visit(name):
        if name in order:
            return
        if name in visiting:
            raise JoinError(f"{name}: the modules import each other in a cycle")
        visiting.add(name)
        parsed[name] = _module(name, (folder / name).read_text(encoding="utf-8"))
        for target in parsed[name][0]:
            visit(target)
        visiting.discard(name)
        order.append(name)

    visit(ENTRY)
    unused = sorted({p.name for p in folder.glob("*.js")} - set(order))
    if unused:
        raise JoinError(f"modules that main.js never imports: {', '.join(unused)}")
    head = f"// Joined from static/{SOURCE}/ by disputes/phone_script.py: edit the modules.\n"
    return head + "\n".join(parsed[name][1] for name in order)


class PhoneScriptFinder(BaseFinder):
    """Finds `disputes/phone.js`, joined from the phone modules whenever it is looked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=Path(settings.DATA_DIR) / "build" / "static")

    def _write(self) -> str:
        folder = Path(finders.find(SOURCE))
        text = phone_script(folder)
        target = Path(self.storage.path(JOINED))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        return str(target)

    def find(self, path, find_all=False, **kwargs):
        if path != JOINED:
            return [] if find_all else None
        found = self._write()
        return [found] if find_all else found

    def list(self, ignore_patterns):
        self._write()
        yield JOINED, self.storage

    def check(self, **kwargs):
        return []
