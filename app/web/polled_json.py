"""Polled JSON answers with an ETag: a 304 when the poller already holds this version.

The live ticket page, the message box's rows (app/views/ticket_live.py) and the widget's badge
(app/views/unread.py) poll this way; each names its version by the parts that make it.
"""
import hashlib

from flask import current_app, jsonify, request


def etag_of(*parts) -> str:
    """A strong ETag, quoted as it travels, naming these parts."""
    return '"' + hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:24] + '"'


def polled_json(etag: str, payload):
    """304 when If-None-Match holds `etag`, else the JSON of `payload()` (built only then);
    both private to the reader and checked again on every poll."""
    if request.if_none_match.contains(etag.strip('"')):
        response = current_app.response_class(status=304)
    else:
        response = jsonify(payload())
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "private, no-cache"
    return response
