"""Lab app 'paths': answers every request with the path it was given, as the app sees it.

Answers 200 with JSON: PATH_INFO (what a WSGI router dispatches on), SCRIPT_NAME (the mount point
mod_proxy_uwsgi passes) and REQUEST_URI (the request line's target as the backend received it), so
the lab can tell which URL a proxy really sent for a request path.
"""
import json


def application(environ, start_response):
    report = {
        'app': 'paths',
        'status': 200,
        'PATH_INFO': environ.get('PATH_INFO'),
        'SCRIPT_NAME': environ.get('SCRIPT_NAME'),
        'REQUEST_URI': environ.get('REQUEST_URI'),
    }
    body = json.dumps(report).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
