"""Lab app 'slow': sleeps for the number of seconds in the query string (`?sleep=5`) before it reads
the body through wsgi.input and answers, like 'plain', 200 with JSON (app, bytes_received). It
stands for a request that takes long in the app: a big report, a slow database, an upstream call.
"""
import json
import time
from urllib.parse import parse_qs


def application(environ, start_response):
    query = parse_qs(environ.get('QUERY_STRING') or '')
    seconds = float((query.get('sleep') or ['0'])[0])
    time.sleep(seconds)
    stream = environ['wsgi.input']
    length = environ.get('CONTENT_LENGTH') or ''
    received = 0
    remaining = int(length) if length.isdigit() else 0
    while remaining > 0:
        block = stream.read(min(65536, remaining))
        if not block:
            break
        received += len(block)
        remaining -= len(block)
    body = json.dumps({'app': 'slow', 'status': 200, 'slept': seconds, 'bytes_received': received}).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
