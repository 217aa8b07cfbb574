# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AK/SK request signing ("SDK-HMAC-SHA256") as used by the OTC/Huawei Cloud APIs.

It produces the same signatures as the Signer of PyPI's huaweicloudsdkcore
(the unit tests check that), without depending on it:

- canonical request = METHOD, canonical URI (path unquoted, each segment
  quoted with only "~" safe, always ending in "/"), canonical query (pairs
  sorted by raw key then raw value, each quoted), canonical headers
  ("name:trimmed value" for every signed header, sorted), signed header list,
  hex SHA-256 of the body;
- string to sign = "SDK-HMAC-SHA256", X-Sdk-Date, hex SHA-256 of the canonical request;
- signature = hex HMAC-SHA256(secret key, string to sign).

Every header given is signed, except names containing "_" (the SDK skips them);
a Content-Type other than JSON/BSON sends an unsigned payload, as the SDK does.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import hmac
from datetime import datetime, timezone

from urllib.parse import parse_qsl, quote, unquote, urlsplit


ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
HEADER_DATE = 'X-Sdk-Date'
HEADER_CONTENT = 'X-Sdk-Content-Sha256'
UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
EMPTY_HASH = hashlib.sha256(b'').hexdigest()


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _quote(value):
    return quote(value, safe='~')


def _header_key(headers, name):
    """The key under which headers holds name, compared case-insensitively; None if absent."""
    name = name.lower()
    for key in headers:
        if key.lower() == name:
            return key
    return None


def format_sdk_date(moment=None):
    """X-Sdk-Date value (UTC, YYYYMMDDTHHMMSSZ) of a datetime (naive means UTC), or of now."""
    if moment is None:
        moment = datetime.now(timezone.utc)
    elif moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime(DATE_FORMAT)


def canonical_uri(path):
    """Each segment of the unquoted path quoted again, the whole always ending in '/'."""
    uri = '/'.join(_quote(segment) for segment in unquote(path or '/').split('/'))
    return uri if uri.endswith('/') else uri + '/'


def canonical_query_string(query):
    """The query pairs sorted by raw key and value, quoted, '&'-joined; blank values kept."""
    pairs = sorted(parse_qsl(query or '', keep_blank_values=True))
    return '&'.join('%s=%s' % (_quote(key), _quote(value)) for key, value in pairs)


def _payload_hash(headers, body):
    if not body:
        return EMPTY_HASH
    key = _header_key(headers, HEADER_CONTENT)
    if key and headers[key]:
        return headers[key]
    return _sha256_hex(body)


def sign_request(method, url, headers, body, access_key, secret_key, sdk_date=None):
    """Return a new dict of the headers to send: the given ones plus X-Sdk-Date, Host and Authorization.

    method: HTTP method; url: the full URL as it will be sent (query included);
    headers: the headers to sign and send (names of any case; X-Project-Id for
    project-scoped calls, Content-Type when a body is sent); body: bytes, str or None;
    sdk_date: the datetime to sign with (default now; an X-Sdk-Date among headers is kept).
    Header values come back trimmed, as they were signed.
    """
    if not access_key or not secret_key:
        raise ValueError('AK/SK signing needs both an access key and a secret key')
    parts = urlsplit(url)
    if isinstance(body, str):
        body = body.encode('utf-8')
    out = dict((k, v) for k, v in (headers or {}).items() if k.lower() != 'authorization')

    content_type = out.get('Content-Type')
    if content_type and not content_type.startswith(('application/json', 'application/bson')):
        out[HEADER_CONTENT] = UNSIGNED_PAYLOAD

    date_key = _header_key(out, HEADER_DATE)
    if sdk_date is not None or date_key is None:
        out[date_key or HEADER_DATE] = format_sdk_date(sdk_date)
    else:
        out[date_key] = format_sdk_date(datetime.strptime(str(out[date_key]).strip(), DATE_FORMAT))
    date = out[date_key or HEADER_DATE]

    if _header_key(out, 'Host') is None:
        out['Host'] = parts.netloc

    signed_headers = sorted(key.lower() for key in out if '_' not in key)
    trimmed = {}
    for key in list(out):
        value = str(out[key]).strip()
        trimmed[key.lower()] = value
        out[key] = value.encode('utf-8').decode('iso-8859-1')  # sent as UTF-8 bytes by http.client
    canonical_headers = ''.join('%s:%s\n' % (key, trimmed[key]) for key in signed_headers)

    canonical_request = '\n'.join((
        method.upper(), canonical_uri(parts.path), canonical_query_string(parts.query),
        canonical_headers, ';'.join(signed_headers), _payload_hash(out, body),
    ))
    string_to_sign = '%s\n%s\n%s' % (ALGORITHM, date, _sha256_hex(canonical_request.encode('utf-8')))
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    out['Authorization'] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM, access_key, ';'.join(signed_headers), signature)
    return out
