#!/usr/bin/env python3
"""Random requests signed by botocore's SigV4 signer, for tests/test_sigv4.cpp.

Usage: botocore_sigv4.py [SEED [COUNT]]   (defaults: 20241125 and 200)

Prints a comment line naming botocore's version, then one request per line: tab-separated fields, each the hex of its UTF-8 text:
method, path (as sent, percent-encoded once), query ("name\\x1dvalue" pairs joined by \\x1e, decoded),
headers (the same), payload, signing time (ISO 8601), session token (may be empty), then the hex
SHA-256 of botocore's canonical request and botocore's signature. The paths hold empty and dot
segments, the queries repeated and empty names and values, the headers repeated names in any case
and values with runs of spaces and tabs, and every text non-ASCII characters.
Exits 77 when botocore is not installed.
"""
import datetime
import hashlib
import random
import sys
from urllib.parse import quote

try:
    import botocore
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    sys.exit(77)

SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
HOST = 'ivsrealtime.us-west-2.amazonaws.com'
TEXT = 'abcXYZ09-_.~ %/+=&?:@!$\'()*,;\u00e9\u4e2d\U0001f600\t'
HEADER_TEXT = 'abcXYZ09  \t\t-_.:;,/=+"'
HEADER_NAMES = ['X-Custom', 'x-custom', 'X-CUSTOM', 'X-Amz-Meta-A', 'Content-Type', 'x-b', 'X-A', 'a']


def text(rng, longest, alphabet=TEXT):
    return ''.join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def path(rng):
    segments = []
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        segments.append('.' if r < 0.1 else '..' if r < 0.2 else '' if r < 0.3 else quote(text(rng, 8), safe='-_.~'))
    p = '/' + '/'.join(segments)
    return p + '/' if rng.random() < 0.2 else p


def case(rng):
    method = rng.choice(['GET', 'POST', 'DELETE', 'PUT'])
    query = [(text(rng, 5), text(rng, 5)) for _ in range(rng.randint(0, 4))]
    if query and rng.random() < 0.3:
        query.append((query[0][0], text(rng, 3)))
    headers = [('Host', HOST)]
    headers += [(rng.choice(HEADER_NAMES), text(rng, 12, HEADER_TEXT)) for _ in range(rng.randint(0, 4))]
    when = datetime.datetime(2015, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        seconds=rng.randint(0, 20 * 365 * 86400))
    token = 'FQoGZXIvYXdzE' + text(rng, 20, 'abcXYZ09+/=') if rng.random() < 0.3 else ''
    return method, path(rng), query, headers, text(rng, 40), when, token


def botocore_sign(method, p, query, headers, payload, when, token):
    encoded_query = '&'.join(quote(k, safe='-_.~') + '=' + quote(v, safe='-_.~') for k, v in query)
    url = 'https://' + HOST + p + ('?' + encoded_query if encoded_query else '')
    request = AWSRequest(method=method, url=url, data=payload.encode('utf-8'))
    for name, value in headers:
        if name != 'Host':
            request.headers[name] = value  # botocore's headers keep every value of a repeated name
    request.context['timestamp'] = when.strftime('%Y%m%dT%H%M%SZ')
    auth = SigV4Auth(Credentials('AKIDEXAMPLE', SECRET, token or None), 'ivs', 'us-west-2')
    request.headers['X-Amz-Date'] = request.context['timestamp']
    if token:
        request.headers['X-Amz-Security-Token'] = token
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest(), signature


def field(s):
    return s.encode('utf-8').hex()


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 20241125
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(seed)
    print(f'# botocore {botocore.__version__}: tests/support/botocore_sigv4.py {seed} {count}')
    for _ in range(count):
        method, p, query, headers, payload, when, token = case(rng)
        digest, signature = botocore_sign(method, p, query, headers, payload, when, token)
        pairs = lambda items: '\x1e'.join(k + '\x1d' + v for k, v in items)
        print('\t'.join([field(method), field(p), field(pairs(query)), field(pairs(headers)), field(payload),
                         field(when.strftime('%Y-%m-%dT%H:%M:%SZ')), field(token), digest, signature]))


if __name__ == '__main__':
    main()
