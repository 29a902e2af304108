"""Lab app 'broken': fails to import, as an app does whose dependency is missing after an upgrade or
whose entry point the installed release no longer ships. No request can ever reach it."""
import deploylint_lab_missing_dependency  # noqa: F401  (ImportError on purpose)


def application(environ, start_response):  # never reached
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'unreachable']
