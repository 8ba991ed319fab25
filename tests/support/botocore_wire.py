#!/usr/bin/env python3
"""Known answers for the wire tests, produced by botocore rather than by ivsrt.

For every operation of ivs-realtime this fills the request and the response with deterministic
values, using the same rule as tests/support/model_fill.hpp, then lets botocore do the protocol
work: its rest-json serializer (behind its parameter validator) writes the request, and its
rest-json parser reads the response. A second response, the "future" one, carries members,
structures and enum values this model does not know, as a newer service would send them.

    python3 tests/support/botocore_wire.py > tests/data/botocore_wire.json   # refresh the answers
    python3 tests/support/botocore_wire.py                                   # what the live test runs

Exit status 77 means botocore is not installed (the live test then skips).

The fill rule, walking members in model order with one counter n that every scalar (and every
map key) takes in turn, starting at 0 for each document:
  string     member name + n + SUFFIX (no suffix for header-bound members), cut to the maximum
             length in code points, padded with "x" to the minimum
  enum       the (n mod count)-th value; boolean: n is even; integer: lo + n mod (hi - lo + 1)
  float      lo + n mod max(1, hi - lo) + 0.5;  lo, hi = the model's range, else 0 and lo + 1000
  timestamp  1700000000 + n days + 0.125 seconds
  list, map  2 elements, clamped to the model's size limits; map keys use name + "Key"
Limits apply only inside structures that a request reaches (the only ones with constraints in the
C++ headers).
"""
import datetime
import json
import sys
import urllib.parse

try:
    import botocore
    import botocore.awsrequest
    import botocore.loaders
    import botocore.model
    import botocore.parsers
    import botocore.serialize
except ImportError:
    sys.exit(77)

SUFFIX = ' "\\/\u00e9\n\U0001F600'
EPOCH = 1700000000
ENDPOINT = "https://ivsrealtime.us-west-2.amazonaws.com"


class Counter:
    def __init__(self):
        self.n = 0

    def next(self):
        n = self.n
        self.n += 1
        return n


class Filler:
    def __init__(self, shapes, request_shapes):
        self.shapes = shapes
        self.request_shapes = request_shapes

    @staticmethod
    def text(name, n, lo, hi, plain):
        s = f"{name}{n}" + ("" if plain else SUFFIX)
        if hi is not None and len(s) > hi:
            s = s[:hi]
        while lo is not None and len(s) < lo:
            s += "x"
        return s

    def value(self, shape_name, name, lo, hi, lim, plain, c):
        s = self.shapes[shape_name]
        t = s["type"]
        if t == "string" and "enum" in s:
            return s["enum"][c.next() % len(s["enum"])]
        if t == "string":
            return self.text(name, c.next(), lo, hi, plain)
        if t == "boolean":
            return c.next() % 2 == 0
        if t in ("integer", "long"):
            n = c.next()
            low = lo if lo is not None else 0
            high = hi if hi is not None else low + 1000
            return low + n % (high - low + 1)
        if t in ("float", "double"):
            n = c.next()
            low = lo if lo is not None else 0
            high = hi if hi is not None else low + 1000
            return low + n % max(1, int(high - low)) + 0.5
        if t == "timestamp":
            n = c.next()
            return datetime.datetime.fromtimestamp(EPOCH + n * 86400, tz=datetime.timezone.utc) + \
                datetime.timedelta(milliseconds=125)
        if t == "list":
            count = self.count(lo, hi)
            return [self.value(s["member"]["shape"], name, lim.get("item_min"), lim.get("item_max"), {}, plain, c)
                    for _ in range(count)]
        if t == "map":
            out = {}
            for _ in range(self.count(lo, hi)):
                key = self.text(name + "Key", c.next(), lim.get("key_min"), lim.get("key_max"), plain)
                out[key] = self.value(s["value"]["shape"], name, lim.get("item_min"), lim.get("item_max"), {},
                                      plain, c)
            return out
        if t == "structure":
            return self.structure(shape_name, c)
        raise SystemExit(f"unsupported shape type {t} ({shape_name})")

    @staticmethod
    def count(lo, hi):
        n = 2
        if hi is not None:
            n = min(n, hi)
        if lo is not None:
            n = max(n, lo)
        return n

    def structure(self, name, c):
        s = self.shapes[name]
        limited = name in self.request_shapes
        out = {}
        for mname, m in s["members"].items():
            target = self.shapes[m["shape"]]
            lo = hi = None
            lim = {}
            if limited:
                lo, hi = target.get("min"), target.get("max")
                if target["type"] == "list":
                    item = self.shapes[target["member"]["shape"]]
                    lim = {"item_min": item.get("min"), "item_max": item.get("max")}
                elif target["type"] == "map":
                    key, value = self.shapes[target["key"]["shape"]], self.shapes[target["value"]["shape"]]
                    lim = {"key_min": key.get("min"), "key_max": key.get("max"),
                           "item_min": value.get("min"), "item_max": value.get("max")}
            plain = m.get("location") == "header"
            out[mname] = self.value(m["shape"], mname, lo, hi, lim, plain, c)
        return out


def reach(shapes, name, acc):
    if name in acc:
        return
    acc.add(name)
    s = shapes[name]
    if s["type"] == "structure":
        for m in s["members"].values():
            reach(shapes, m["shape"], acc)
    elif s["type"] == "list":
        reach(shapes, s["member"]["shape"], acc)
    elif s["type"] == "map":
        reach(shapes, s["key"]["shape"], acc)
        reach(shapes, s["value"]["shape"], acc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{dt.microsecond // 1000:03d}Z"


def wire_value(shapes, shape_name, v, future):
    """A filled value as it appears in a JSON body; `future` adds what a newer service might send."""
    s = shapes[shape_name]
    t = s["type"]
    if t == "timestamp":
        return iso(v)
    if t == "string" and "enum" in s and future:
        return "FUTURE_" + v
    if t == "list":
        return [wire_value(shapes, s["member"]["shape"], x, future) for x in v]
    if t == "map":
        return {k: wire_value(shapes, s["value"]["shape"], x, future) for k, x in v.items()}
    if t == "structure":
        body, _ = wire_structure(shapes, shape_name, v, future)
        return body
    return v


def wire_structure(shapes, name, v, future):
    body, headers = {}, {}
    for mname, m in shapes[name]["members"].items():
        if mname not in v:
            continue
        if m.get("location") == "header":
            headers[m["locationName"]] = v[mname]
        else:
            body[mname] = wire_value(shapes, m["shape"], v[mname], future)
    if future:
        body["futureStructure"] = {"added": [1, 2.5, {"deeper": None, "flag": True}], "name": "x"}
        body["futureScalar"] = "soon"
    return body, headers


def plain_json(v):
    """botocore's parsed output as JSON: timestamps become epoch seconds."""
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, dict):
        return {k: plain_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain_json(x) for x in v]
    return v


def parse_response(parser, output_shape, headers, body):
    parsed = parser.parse({"status_code": 200, "headers": headers, "body": body.encode()}, output_shape)
    parsed.pop("ResponseMetadata", None)
    return plain_json(parsed)


def main():
    raw = botocore.loaders.Loader().load_service_model("ivs-realtime", "service-2")
    model = botocore.model.ServiceModel(raw, service_name="ivs-realtime")
    shapes = raw["shapes"]
    request_shapes = set()
    for op in raw["operations"].values():
        reach(shapes, op["input"]["shape"], request_shapes)
    filler = Filler(shapes, request_shapes)
    serializer = botocore.serialize.create_serializer("rest-json", include_validation=True)
    parser = botocore.parsers.create_parser("rest-json")

    operations = {}
    for name in sorted(raw["operations"]):
        op = model.operation_model(name)
        params = filler.structure(op.input_shape.name, Counter())
        req = serializer.serialize_to_request(params, op)
        botocore.awsrequest.prepare_request_dict(req, endpoint_url=ENDPOINT)
        url = urllib.parse.urlsplit(req["url"])
        body = req["body"]
        if isinstance(body, bytes):
            body = body.decode()
        request = {
            "method": req["method"],
            "target": url.path + ("?" + url.query if url.query else ""),
            "content_type": req["headers"].get("Content-Type"),
            "body": body if body else None,
        }

        out_name = op.output_shape.name
        filled = filler.structure(out_name, Counter())
        response = {}
        for kind, future in (("response", False), ("future_response", True)):
            wire, headers = wire_structure(shapes, out_name, filled, future)
            text = json.dumps(wire)
            response[kind] = {"headers": headers, "body": text,
                              "parsed": parse_response(parser, op.output_shape, dict(headers), text)}
        operations[name] = {"request": request, **response}

    json.dump({"generator": "tests/support/botocore_wire.py", "botocore": botocore.__version__,
               "operations": operations}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
