"""Lab app 'plain': reads the request body through wsgi.input only (what most WSGI apps do).

Answers 200 with JSON: status, CONTENT_LENGTH, HTTP_TRANSFER_ENCODING, bytes_received.
Any exception while reading becomes a 500 whose JSON carries the error text, so the lab can tell
"the server dropped the body" from "the app failed to read it".
"""
import json


def _read_wsgi_input(environ):
    stream = environ['wsgi.input']
    length = environ.get('CONTENT_LENGTH') or ''
    received = 0
    if length.isdigit():
        remaining = int(length)
        while remaining > 0:
            block = stream.read(min(65536, remaining))
            if not block:
                break
            received += len(block)
            remaining -= len(block)
        return received
    # No Content-Length: read to EOF (mod_wsgi with WSGIChunkedRequest On terminates the stream).
    while True:
        block = stream.read(65536)
        if not block:
            return received
        received += len(block)


def application(environ, start_response):
    report = {
        'app': 'plain',
        'CONTENT_LENGTH': environ.get('CONTENT_LENGTH'),
        'HTTP_TRANSFER_ENCODING': environ.get('HTTP_TRANSFER_ENCODING'),
    }
    try:
        report['bytes_received'] = _read_wsgi_input(environ)
        report['status'] = 200
        status = '200 OK'
    except Exception as error:  # the lab wants the error text, whatever it is
        report['status'] = 500
        report['error'] = '%s: %s' % (type(error).__name__, error)
        status = '500 Internal Server Error'
    body = json.dumps(report).encode()
    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
