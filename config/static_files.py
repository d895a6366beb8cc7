"""The storage of the collected static files: hashed names, compressed copies, and
ES module imports that name the hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's CompressedManifestStaticFilesStorage with Django's rewriting of
    JavaScript module imports switched on.

    The phone page's script is native ES modules (disputes/static/disputes/phone/),
    with no build step: phone/main.js imports "./api.js" and the others by relative
    name. collectstatic gives each file a hashed name (api.4f1c….js) that the page
    and the service worker use; left as it is, an import would load the plain
    api.js instead: not the version the hashed main.js was collected with, cached
    for a minute rather than for years, and not the file the service worker keeps
    for a start with no network. Django rewrites `import … from "./x.js";`,
    `export … from "./x.js";`, `import "./x.js";` and `import("./x.js")` to the
    hashed names only with support_js_module_import_aggregation (off by default);
    its patterns need the statement's semicolon and a path starting with "." or "/".

    The page itself now loads the modules joined into one file (disputes/phone.js,
    disputes/phone_script.py: one round trip instead of five on a slow network); the
    modules are still collected, and keep working one by one, with this rewriting.

    It applies to every collected *.js; no third-party file here (the admin, DRF,
    the API docs, Leaflet) has such an import, so they are collected as before.
    tests/config/test_static_files.py collects the phone page's files with it.
    """

    support_js_module_import_aggregation = True
