#!/usr/bin/env python3
"""Writes include/ivsrt/model/*.hpp from the ivs-realtime service model.

The headers are plain aggregates plus data (enum wire strings, constraints, HTTP bindings and
operation traits); serialization comes from reflection, so nothing here writes per-struct code.
Run it after a model update and commit the result:

    python3 cmake/generate_model.py ../shared/model/ivs-realtime-2020-07-14.service.json
"""
import json
import os
import shutil
import subprocess
import sys

AREAS = {
    "stage": ("Stages: virtual spaces where participants exchange video in real time.",
              ["CreateStage", "GetStage", "UpdateStage", "DeleteStage", "ListStages"]),
    "stage_session": ("Stage sessions: one continuous period in which a stage has participants.",
                      ["GetStageSession", "ListStageSessions"]),
    "participant_token": ("Participant tokens: what a participant presents to join a stage.",
                          ["CreateParticipantToken"]),
    "participant": ("Participants of a stage session and the events they caused.",
                    ["GetParticipant", "ListParticipants", "ListParticipantEvents",
                     "DisconnectParticipant"]),
    "participant_replication": ("Participant replication: a participant of one stage shown in another.",
                                ["StartParticipantReplication", "StopParticipantReplication",
                                 "ListParticipantReplicas"]),
    "composition": ("Server-side composition: participants of a stage mixed into one output.",
                    ["StartComposition", "StopComposition", "GetComposition", "ListCompositions"]),
    "encoder_configuration": ("Encoder configurations: video settings for composition outputs.",
                              ["CreateEncoderConfiguration", "GetEncoderConfiguration",
                               "ListEncoderConfigurations", "DeleteEncoderConfiguration"]),
    "storage_configuration": ("Storage configurations: S3 destinations for recordings.",
                              ["CreateStorageConfiguration", "GetStorageConfiguration",
                               "ListStorageConfigurations", "DeleteStorageConfiguration"]),
    "ingest_configuration": ("Ingest configurations: RTMP(S) publishing into a stage with a stream key.",
                             ["CreateIngestConfiguration", "GetIngestConfiguration",
                              "ListIngestConfigurations", "UpdateIngestConfiguration",
                              "DeleteIngestConfiguration"]),
    "public_key": ("Public keys: verify participant tokens that you sign yourself.",
                   ["ImportPublicKey", "GetPublicKey", "ListPublicKeys", "DeletePublicKey"]),
    "tags": ("Tags on any taggable resource.",
             ["TagResource", "UntagResource", "ListTagsForResource"]),
}

# Shapes that several areas use live with the area that owns their meaning.
OWNER = {
    "Tags": "common", "Time": "common",
    "ThumbnailStorageType": "common", "ThumbnailStorageTypeList": "common",
    "ParticipantToken": "participant_token", "ParticipantAttributes": "participant_token",
    "ParticipantTokenAttributes": "participant_token",
    "ParticipantTokenCapabilities": "participant_token",
    "ParticipantTokenCapability": "participant_token",
    "ParticipantTokenExpirationTime": "participant_token",
    "ReplicationState": "participant",
}

INCLUDES = {
    "stage": ["participant_token"],
    "participant": ["participant_token"],
    "participant_replication": ["participant"],
    "ingest_configuration": ["participant_token"],
}

PRIMITIVE = {"integer": "std::int32_t", "long": "std::int64_t", "float": "float",
             "double": "double", "boolean": "bool"}


def main():
    model_path = sys.argv[1]
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include", "ivsrt", "model")
    model = json.load(open(model_path))
    shapes = model["shapes"]
    ops = model["operations"]

    def reach(name, acc):
        if name in acc:
            return
        acc.add(name)
        s = shapes[name]
        if s["type"] == "structure":
            for m in s["members"].values():
                reach(m["shape"], acc)
        elif s["type"] == "list":
            reach(s["member"]["shape"], acc)
        elif s["type"] == "map":
            reach(s["key"]["shape"], acc)
            reach(s["value"]["shape"], acc)

    def is_enum(s):
        return s["type"] == "string" and "enum" in s

    area_of = {}
    for area, (_, names) in AREAS.items():
        acc = set()
        for o in names:
            reach(ops[o]["input"]["shape"], acc)
            reach(ops[o]["output"]["shape"], acc)
        for s in acc:
            area_of.setdefault(s, set()).add(area)
    placement = {}
    for name, s in shapes.items():
        if s["type"] not in ("structure", "list", "map", "timestamp") and not is_enum(s):
            continue  # scalars are spelled inline as C++ types
        if s.get("exception"):
            placement[name] = "errors"
        elif name in OWNER:
            placement[name] = OWNER[name]
        elif name in area_of:
            areas = area_of[name]
            if len(areas) != 1:
                raise SystemExit(f"shape {name} is used by {sorted(areas)}: give it an OWNER")
            placement[name] = next(iter(areas))

    def named_type(name):
        s = shapes[name]
        t = s["type"]
        if is_enum(s):
            return f"open_enum<{name}>"
        if t == "string":
            return "sensitive_string" if s.get("sensitive") else "std::string"
        if t in PRIMITIVE:
            return PRIMITIVE[t]
        return name  # structures and the list/map/timestamp aliases

    def comment_for(member_shape):
        s = shapes[member_shape]
        parts = []
        if s["type"] in ("string", "integer", "long", "float", "list", "map") and not is_enum(s):
            if member_shape not in ("String",) and s["type"] in ("string", "integer", "float", "long"):
                parts.append(member_shape)
            lo, hi = s.get("min"), s.get("max")
            if lo is not None or hi is not None:
                unit = {"string": "chars", "list": "items", "map": "entries"}.get(s["type"], "")
                rng = f"{lo if lo is not None else ''}..{hi if hi is not None else ''}"
                parts.append((rng + " " + unit).strip())
        if s.get("sensitive"):
            parts.append("sensitive")
        return ", ".join(parts)

    request_shapes = set()
    for o in ops.values():
        reach(o["input"]["shape"], request_shapes)

    def bounds(shape_name, lo_field, hi_field):
        sd = shapes[shape_name]
        parts = []
        if "min" in sd:
            parts.append(f".{lo_field} = {sd['min']}")
        if "max" in sd:
            parts.append(f".{hi_field} = {sd['max']}")
        return parts

    def member_limit(mname, shape_name):
        """Designated initializer of an ivsrt::limit, or None when the model sets no limit."""
        sd = shapes[shape_name]
        parts = bounds(shape_name, "min", "max")
        if sd["type"] == "list":
            parts += bounds(sd["member"]["shape"], "item_min", "item_max")
        elif sd["type"] == "map":
            parts += bounds(sd["key"]["shape"], "key_min", "key_max")
            parts += bounds(sd["value"]["shape"], "item_min", "item_max")
        if not parts:
            return None
        return "{" + ", ".join([f'.member = "{mname}"'] + parts) + "}"

    out = {}  # file -> list of declarations (strings), in dependency order

    def emit(area, text):
        out.setdefault(area, []).append(text)

    emitted = set()

    def declare(name):
        """Emits name after everything it depends on (within its own header)."""
        if name in emitted or name not in placement:
            return
        s = shapes[name]
        t = s["type"]
        area = placement[name]
        deps = []
        if t == "structure":
            deps = [m["shape"] for m in s["members"].values()]
        elif t == "list":
            deps = [s["member"]["shape"]]
        elif t == "map":
            deps = [s["value"]["shape"]]
        emitted.add(name)
        for d in deps:
            if placement.get(d) == area:
                declare(d)
        if is_enum(s):
            values = s["enum"]
            body = ", ".join(values)
            strings = ", ".join(f'"{v}"' for v in values)
            emit(area, f"enum class {name} {{ {body} }};\n"
                       f"constexpr auto enum_strings({name} /*unused*/) noexcept {{\n"
                       f"  return std::array<std::string_view, {len(values)}>{{{strings}}};\n}}\n")
        elif t == "list":
            emit(area, f"using {name} = std::vector<{named_type(s['member']['shape'])}>;\n")
        elif t == "map":
            emit(area, f"using {name} = std::map<std::string, {named_type(s['value']['shape'])}>;\n")
        elif t == "timestamp":
            emit(area, f"using {name} = timestamp;\n")
        elif t == "structure":
            required = set(s.get("required", []))
            lines = [f"struct {name} {{"]
            limits = []
            bindings = []
            for mname, m in s["members"].items():
                mt = named_type(m["shape"])
                if mname not in required:
                    mt = f"optional<{mt}>"
                c = comment_for(m["shape"])
                extra = ""
                if m.get("location"):
                    extra = f" in {m['location']} \"{m['locationName']}\""
                    where = {"uri": "uri", "querystring": "query", "header": "header"}[m["location"]]
                    bindings.append(f'{{"{mname}", location::{where}, "{m["locationName"]}"}}')
                note = ", ".join(x for x in [("required" if mname in required else ""), c, extra.strip()] if x)
                lines.append(f"  {mt} {mname}{{}};" + (f"  // {note}" if note else ""))
                if name in request_shapes:
                    lim = member_limit(mname, m["shape"])
                    if lim:
                        limits.append(lim)
            lines.append("};\n")
            emit(area, "\n".join(lines))
            if limits:
                emit(area, f"template <>\nstruct constraints<{name}> {{\n"
                           f"  static constexpr std::array<limit, {len(limits)}> members{{{{\n      "
                           + ",\n      ".join(limits) + "}};\n};\n")
            if bindings:
                emit(area, f"template <>\nstruct http_bindings<{name}> {{\n"
                           f"  static constexpr std::array<binding, {len(bindings)}> members{{{{\n      "
                           + ",\n      ".join(bindings) + "}};\n};\n")

    for name in shapes:
        declare(name)

    # Operation traits. The model's paginators file names only some of the paginated operations
    # (three at the time of writing), while all ten list operations page the same way: an input
    # with nextToken and maxResults, an output with nextToken and one list. That shape decides;
    # every operation the paginators file names must agree with it.
    paginators_path = model_path.replace(".service.json", ".paginators.json")
    listed = {}
    if paginators_path != model_path and os.path.exists(paginators_path):
        listed = json.load(open(paginators_path))["pagination"]
    paginated = []
    for area, (_, names) in AREAS.items():
        for o in names:
            op = ops[o]
            inp, outp = op["input"]["shape"], op["output"]["shape"]
            ins, outs = shapes[inp], shapes[outp]
            lines = [f"template <>\nstruct operation<{inp}> : operation_defaults {{",
                     f"  using output = {outp};",
                     f'  static constexpr std::string_view name = "{o}";',
                     f'  static constexpr std::string_view method = "{op["http"]["method"]}";',
                     f'  static constexpr std::string_view uri = "{op["http"]["requestUri"]}";']
            for mname, m in ins["members"].items():
                if m.get("location"):
                    # rest_json.hpp writes bound strings, integers, booleans and enums as botocore
                    # does; floats and timestamps there would need botocore's exact formats.
                    target = shapes[m["shape"]]
                    if target["type"] == "list":
                        target = shapes[target["member"]["shape"]]
                    assert target["type"] in ("string", "integer", "long", "boolean"), (o, mname)
                if m.get("location") == "uri":
                    # rest_json.hpp fills "{label}" and percent-encodes it whole; greedy "{label+}"
                    # labels would need '/' kept, which it does not do.
                    assert "{" + m["locationName"] + "}" in op["http"]["requestUri"], (o, mname)
                if m.get("idempotencyToken"):
                    lines.append(f'  static constexpr std::string_view idempotency_token = "{mname}";')
            if "nextToken" in ins["members"] and "maxResults" in ins["members"] and \
                    "nextToken" in outs["members"]:
                items = [n for n, m in outs["members"].items() if shapes[m["shape"]]["type"] == "list"]
                assert len(items) == 1, o
                if o in listed:
                    expected = {"input_token": "nextToken", "output_token": "nextToken",
                                "limit_key": "maxResults", "result_key": items[0]}
                    assert listed[o] == expected, (o, listed[o])
                lines.append(f'  static constexpr pagination paging{{"nextToken", "nextToken", "maxResults", "{items[0]}"}};')
                paginated.append(o)
            lines.append("};\n")
            emit(area, "\n".join(lines))
    assert len(paginated) == 10, paginated
    assert set(listed) <= set(paginated), sorted(set(listed) - set(paginated))

    header_top = ("// {desc}\n// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;\n"
                  "// members carry the model's wire names, comments its constraints.\n#pragma once\n\n")

    def write(area, desc, includes):
        path = os.path.join(out_dir, f"{area}.hpp")
        with open(path, "w") as f:
            f.write(header_top.format(desc=desc))
            for inc in includes:
                if not inc:
                    f.write("\n")
                elif inc.startswith("<"):
                    f.write(f"#include {inc}\n")
                else:
                    f.write(f'#include "{inc}"\n')
            f.write("\nnamespace ivsrt {\n\n")
            f.write("\n".join(out.get(area, [])))
            f.write("\n}  // namespace ivsrt\n")

    write("common", "Building blocks of every model header, and the shapes several areas share.",
          ["<array>", "<cstdint>", "<map>", "<string>", "<string_view>", "<vector>", "",
           "ivsrt/open_enum.hpp", "ivsrt/operation.hpp", "ivsrt/optional.hpp",
           "ivsrt/sensitive.hpp", "ivsrt/timestamp.hpp"])
    for area, (desc, names) in AREAS.items():
        incs = ["ivsrt/model/common.hpp"] + [f"ivsrt/model/{i}.hpp" for i in INCLUDES.get(area, [])]
        write(area, desc + "\n// Operations: " + ", ".join(names) + ".", incs)
    write("errors", "The errors the service models, as the model describes them. A failed call reports the\n"
                    "// code (the shape name), the message (exceptionMessage here) and the request id in\n"
                    "// ivsrt::error; ivsrt::modeled_error<E> (ivsrt/modeled_error.hpp) reads one as E.",
          ["ivsrt/model/common.hpp"])

    # The list of every operation, for generic tools (the CLI, the model conformance test).
    with open(os.path.join(out_dir, "all_operations.hpp"), "w") as f:
        f.write("// Every operation of the service, as a list of request types, for tools that handle them\n"
                "// all (the CLI, the model conformance test). Includes every model header.\n"
                "// Generated by cmake/generate_model.py.\n#pragma once\n\n")
        for area in list(AREAS) + ["errors"]:
            f.write(f'#include "ivsrt/model/{area}.hpp"\n')
        f.write("\nnamespace ivsrt {\n\ntemplate <class... T>\nstruct type_list {};\n\n")
        reqs = [ops[o]["input"]["shape"] for area in AREAS for o in AREAS[area][1]]
        f.write("using all_operations = type_list<\n    " + ",\n    ".join(reqs) + ">;\n\n")
        errs = [n for n, s in shapes.items() if s.get("exception")]
        f.write("using all_errors = type_list<\n    " + ",\n    ".join(errs) + ">;\n\n")
        f.write("}  // namespace ivsrt\n")
    # Generated headers follow the repository's .clang-format like the hand-written ones.
    if shutil.which("clang-format"):
        headers = [os.path.join(out_dir, n) for n in os.listdir(out_dir) if n.endswith(".hpp")]
        subprocess.run(["clang-format", "-i", *sorted(headers)], check=True)


if __name__ == "__main__":
    main()
