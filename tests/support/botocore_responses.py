#!/usr/bin/env python3
"""Random responses read by botocore's rest-json parser, for the response-reading tests.

Usage: botocore_responses.py [SEED [COUNT]]   (defaults: 20261125 and 300)

Prints a comment line naming botocore's version, then one response per line, three tab-separated
fields: the operation's name, the response as a JSON object ({"headers": {...}, "body": "..."}),
and what botocore read from it, written as ivsrt's JSON writer writes the operation's output:
 - members botocore leaves out (absent or null) are left out, except required ones, which ivsrt's
   output holds anyway: "" , 0, false, [], {} or a structure of such, and 1970-01-01T00:00:00Z;
 - null list elements and map values are dropped (Smithy's dense lists and maps; botocore keeps
   them as None);
 - timestamps are UTC ISO 8601 with the fraction's trailing zeros cut; non-finite floats are the
   strings "NaN", "Infinity" and "-Infinity".
The responses hold every member kind of the model, present, absent or null, in random order, with
members the model does not know (objects, arrays, numbers beyond 64 bits), unknown enum values,
strings with escapes, control characters and non-ASCII text (escaped or not), timestamps as ISO
8601 with offsets and fractions or as epoch seconds, integers written as 1000.0, header-bound
members in headers, and now and then an empty body declared by Content-Length: 0.
Exits 77 when botocore is not installed.
"""
import datetime
import json
import math
import random
import sys

try:
    import botocore
    import botocore.loaders
    import botocore.model
    import botocore.parsers
except ImportError:
    sys.exit(77)

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
TEXT = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\x01', '\x7f', '\u00e9', '\u2028', '\ufeff',
        '\U0001f600', '%', '+']
HEADER_TEXT = 'abcXYZ09-_.;,/=+"*'


def text(rng, alphabet=TEXT, longest=6):
    return ''.join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def unknown_value(rng, depth=0):
    kind = rng.randint(0, 6 if depth < 2 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1.5, -2.25e10, 1e300, 2 ** 64, -2 ** 70, 10 ** 30])
    if kind in (3, 4):
        return text(rng)
    if kind == 5:
        return [unknown_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {text(rng): unknown_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def timestamp_value(rng):
    seconds = rng.randint(-2_000_000_000, 4_000_000_000)
    kind = rng.randint(0, 5)
    if kind == 0:
        return seconds
    if kind == 1:  # milliseconds, as services write epoch seconds
        return seconds + rng.randint(1, 999) / 1000
    when = EPOCH + datetime.timedelta(seconds=seconds)
    fraction = ''
    if rng.random() < 0.6:  # botocore keeps microseconds
        fraction = '.' + ''.join(rng.choice('0123456789') for _ in range(rng.randint(1, 6)))
    offset = rng.choice(['Z', 'Z', 'z', '+00:00', '-00:00', '+05:30', '-08:00', '+14:00'])
    return when.strftime('%Y-%m-%d') + rng.choice('TTt') + when.strftime('%H:%M:%S') + fraction + offset


def value(rng, shape, depth):
    t = shape.type_name
    if t == 'structure':
        members = {}
        for name, member in shape.members.items():
            if member.serialization.get('location'):
                continue
            r = rng.random()
            if r < 0.3:
                continue
            members[name] = None if r < 0.4 else value(rng, member, depth + 1)
        for _ in range(rng.choice([0, 0, 1, 2])):
            members['unknown' + text(rng)] = unknown_value(rng)
        items = list(members.items())
        rng.shuffle(items)
        return dict(items)
    if t == 'list':
        count = rng.randint(0, 3 if depth < 4 else 0)
        return [None if rng.random() < 0.1 else value(rng, shape.member, depth + 1) for _ in range(count)]
    if t == 'map':
        return {text(rng) + str(i): None if rng.random() < 0.1 else value(rng, shape.value, depth + 1)
                for i in range(rng.randint(0, 3))}
    if t == 'string':
        return rng.choice(shape.enum) if shape.enum and rng.random() < 0.7 else text(rng)
    if t == 'integer':
        n = rng.choice([0, 1, -1, 2147483647, -2147483648, rng.randint(-1000, 100000)])
        return float(n) if rng.random() < 0.1 else n
    if t == 'float':
        return rng.choice([1, 30, 29.97, 59.94, 60.0, 1.5, 'NaN', 'Infinity', '-Infinity'])
    if t == 'boolean':
        return rng.choice([True, False])
    if t == 'timestamp':
        return timestamp_value(rng)
    raise ValueError('no values for shape type ' + t)


def iso(when):
    text_ = when.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')
    if when.microsecond:
        text_ += ('.%06d' % when.microsecond).rstrip('0')
    return text_ + 'Z'


def default(shape):
    t = shape.type_name
    if t == 'structure':
        return {name: default(shape.members[name]) for name in shape.required_members}
    return {'string': '', 'integer': 0, 'float': 0, 'boolean': False, 'list': [], 'map': {},
            'timestamp': '1970-01-01T00:00:00Z'}[t]


def as_written(shape, parsed):
    t = shape.type_name
    if t == 'structure':
        out = {}
        for name, member in shape.members.items():
            if parsed.get(name) is not None:
                out[name] = as_written(member, parsed[name])
            elif name in shape.required_members:
                out[name] = default(member)
        return out
    if t == 'list':
        return [as_written(shape.member, x) for x in parsed if x is not None]
    if t == 'map':
        return {k: as_written(shape.value, x) for k, x in parsed.items() if x is not None}
    if t == 'timestamp':
        return iso(parsed)
    if t == 'float':
        if isinstance(parsed, str):
            return parsed
        if math.isnan(parsed):
            return 'NaN'
        if math.isinf(parsed):
            return 'Infinity' if parsed > 0 else '-Infinity'
    return parsed


def case(rng, service, parser):
    operation = service.operation_model(rng.choice(sorted(service.operation_names)))
    shape = operation.output_shape
    headers = {}
    for name, member in shape.members.items():
        if member.serialization.get('location') == 'header' and rng.random() < 0.6:
            headers[member.serialization['name']] = 'v' + text(rng, HEADER_TEXT, 8) + 'v'
    if rng.random() < 0.03:
        body = ''
        headers['Content-Length'] = '0'
    else:
        body = json.dumps(value(rng, shape, 0), ensure_ascii=rng.random() < 0.5)
    parsed = parser.parse({'status_code': 200, 'headers': headers, 'body': body.encode()}, shape)
    parsed.pop('ResponseMetadata', None)
    response = json.dumps({'headers': headers, 'body': body}, ensure_ascii=False)
    return operation.name + '\t' + response + '\t' + json.dumps(as_written(shape, parsed), ensure_ascii=False)


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 20261125
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(seed)
    service = botocore.model.ServiceModel(
        botocore.loaders.Loader().load_service_model('ivs-realtime', 'service-2'))
    parser = botocore.parsers.RestJSONParser()
    print('# botocore %s, seed %d, %d responses' % (botocore.__version__, seed, count))
    for _ in range(count):
        print(case(rng, service, parser))


if __name__ == '__main__':
    main()
