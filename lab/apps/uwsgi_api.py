"""Lab app 'uwsgi_api': reads chunked bodies with uwsgi.chunked_read() when it runs under uWSGI and
the request has Transfer-Encoding: chunked (as Glance's _UWSGIChunkFile does), else wsgi.input.

Answers 200 with JSON: status, CONTENT_LENGTH, HTTP_TRANSFER_ENCODING, bytes_received, reader.
Any exception while reading becomes a 500 whose JSON carries the error text.
"""
import json

try:
    import uwsgi  # only importable inside a uWSGI worker
except ImportError:
    uwsgi = None


def _read_chunked_with_uwsgi():
    received = 0
    while True:
        chunk = uwsgi.chunked_read()
        if not chunk:
            return received
        received += len(chunk)


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
    while True:
        block = stream.read(65536)
        if not block:
            return received
        received += len(block)


def application(environ, start_response):
    chunked = (environ.get('HTTP_TRANSFER_ENCODING') or '').lower() == 'chunked'
    use_uwsgi = uwsgi is not None and chunked
    report = {
        'app': 'uwsgi_api',
        'reader': 'uwsgi.chunked_read' if use_uwsgi else 'wsgi.input',
        'CONTENT_LENGTH': environ.get('CONTENT_LENGTH'),
        'HTTP_TRANSFER_ENCODING': environ.get('HTTP_TRANSFER_ENCODING'),
    }
    try:
        report['bytes_received'] = _read_chunked_with_uwsgi() if use_uwsgi else _read_wsgi_input(environ)
        report['status'] = 200
        status = '200 OK'
    except Exception as error:
        report['status'] = 500
        report['error'] = '%s: %s' % (type(error).__name__, error)
        status = '500 Internal Server Error'
    body = json.dumps(report).encode()
    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
