"""Keystone-style tokens and the SDK-HMAC-SHA256 (AK/SK) request signature.

The signature algorithm (ecs-api.md section 5, the same as PyPI's
``huaweicloudsdkcore`` signer):

* canonical request = METHOD, canonical URI (each path segment
  percent-encoded, ending in ``/``), canonical query (pairs sorted,
  ``quote(v, safe='~')``), canonical headers (``name:value\\n`` for each
  signed header), the signed header list, hex SHA-256 of the body; joined by
  ``\\n``;
* string to sign = ``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex sha256(canonical request)>``;
* signature = hex HMAC-SHA256(secret key, string to sign).
"""

import calendar
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import parse_qsl, quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_SKEW = 15 * 60

_AUTH_RE = re.compile(
    r"^\s*SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+)\s*,\s*SignedHeaders=(?P<sh>[^,\s]+)\s*,"
    r"\s*Signature=(?P<sig>[0-9a-fA-F]+)\s*$")


class SignatureError(Exception):
    """The AK/SK signature of a request is missing or wrong."""


def new_token_id():
    """An opaque token that looks like a Keystone fernet token."""
    return "gAAAAAB" + secrets.token_urlsafe(135)


def canonical_uri(path):
    parts = [quote(seg, safe="~") for seg in unquote(path).split("/")]
    uri = "/".join(parts)
    if not uri.endswith("/"):
        uri += "/"
    return uri


def canonical_query(query_string):
    pairs = sorted(parse_qsl(query_string or "", keep_blank_values=True))
    return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs)


def canonical_request(method, path, query_string, headers, signed_headers, body_hash):
    """``headers`` maps lower-case header names to values."""
    lines = []
    for name in signed_headers:
        lines.append("%s:%s" % (name, headers[name].strip()))
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(query_string),
                      "\n".join(lines) + "\n", ";".join(signed_headers), body_hash])


def string_to_sign(sdk_date, canonical):
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def signature(secret_key, to_sign):
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def body_sha256(body, headers):
    if not body:
        return EMPTY_SHA256
    declared = headers.get("x-sdk-content-sha256")
    if declared == "UNSIGNED-PAYLOAD":
        return declared
    return hashlib.sha256(body).hexdigest()


def parse_authorization(value):
    """``(access_key, [signed headers], signature)`` or None."""
    match = _AUTH_RE.match(value or "")
    if not match:
        return None
    signed = [h.strip().lower() for h in match.group("sh").split(";") if h.strip()]
    return match.group("ak"), signed, match.group("sig").lower()


def parse_sdk_date(value):
    try:
        return calendar.timegm(time.strptime(value, DATE_FORMAT))
    except (TypeError, ValueError):
        return None


def verify(method, path, query_string, headers, body, secret_lookup, now=None):
    """Verify an AK/SK-signed request.

    ``headers`` maps lower-case names to (decoded) values, ``secret_lookup(ak)``
    returns the secret key or None.  Returns the access key; raises
    SignatureError with a reason otherwise.
    """
    parsed = parse_authorization(headers.get("authorization"))
    if parsed is None:
        raise SignatureError("Authorization header missing or malformed")
    access_key, signed, sig = parsed
    if "x-sdk-date" not in signed or "host" not in signed:
        raise SignatureError("X-Sdk-Date and Host must be signed headers")
    for name in signed:
        if name not in headers:
            raise SignatureError("signed header %s is missing" % name)
    when = parse_sdk_date(headers["x-sdk-date"].strip())
    if when is None:
        raise SignatureError("X-Sdk-Date is malformed")
    now = time.time() if now is None else now
    if abs(now - when) > MAX_SKEW:
        raise SignatureError("X-Sdk-Date is more than 15 minutes off the server clock")
    secret = secret_lookup(access_key)
    if secret is None:
        raise SignatureError("unknown access key")
    canonical = canonical_request(method, path, query_string, headers, signed, body_sha256(body, headers))
    expected = signature(secret, string_to_sign(headers["x-sdk-date"].strip(), canonical))
    if not hmac.compare_digest(expected, sig):
        raise SignatureError("signature mismatch")
    return access_key


def sign(access_key, secret_key, method, url, headers=None, body=b"", sdk_date=None):
    """Client-side signer (for tests and tools): returns the headers to send.

    ``url`` is the full URL including the query string; ``headers`` are the
    extra headers to sign (e.g. X-Project-Id, Content-Type).
    """
    parts = urlsplit(url)
    out = dict(headers or {})
    out["X-Sdk-Date"] = sdk_date or time.strftime(DATE_FORMAT, time.gmtime())
    out["Host"] = parts.netloc
    lower = dict((k.lower(), str(v)) for k, v in out.items())
    signed = sorted(lower)
    if isinstance(body, str):
        body = body.encode("utf-8")
    canonical = canonical_request(method, parts.path or "/", parts.query, lower, signed,
                                  body_sha256(body, lower))
    sig = signature(secret_key, string_to_sign(out["X-Sdk-Date"], canonical))
    out["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(signed), sig)
    return out
