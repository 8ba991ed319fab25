#!/usr/bin/env python3
"""Writes include/ivsrt/partitions_data.hpp and include/ivsrt/endpoint_rules.hpp.

partitions_data.hpp holds partitions.json as constexpr tables. endpoint_rules.hpp is the service's
endpoint rule set translated into one C++ function: every condition becomes an `if`, every
endpoint and error rule a `return`, so resolving an endpoint costs a few comparisons and no JSON.
The translation handles the rule-set constructs this service uses (isSet, booleanEquals, getAttr,
aws.partition, string templates) and stops with an error on anything else, so a model update that
needs more cannot slip through. Run it after a model update and commit the result:

    python3 cmake/generate_endpoints.py ../shared/model/ivs-realtime-2020-07-14.endpoint-rule-set.json \\
        ../shared/model/partitions.json
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.path.join(HERE, "..", "include", "ivsrt")


class GenerationError(Exception):
    pass


def snake(name):
    """UseFIPS -> use_fips, dualStackDnsSuffix -> dual_stack_dns_suffix."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def cpp_string(s):
    return json.dumps(s)  # JSON string escapes are valid C++ for the ASCII text found here


# ---------------------------------------------------------------------------------------------
# partitions.json

PARTITION_OUTPUTS = {  # partitions.json output key -> C++ member and kind
    "name": ("name", "string"),
    "dnsSuffix": ("dns_suffix", "string"),
    "dualStackDnsSuffix": ("dual_stack_dns_suffix", "string"),
    "implicitGlobalRegion": ("implicit_global_region", "string"),
    "supportsFIPS": ("supports_fips", "bool"),
    "supportsDualStack": ("supports_dual_stack", "bool"),
}

# The regular-expression subset partition.hpp matches: ^ and $ anchors, letters, digits, escaped
# punctuation, \w, \d, '+' after a single atom, and groups of literal alternatives.
REGEX_SUBSET = re.compile(r"\^(?:[A-Za-z0-9]|\\[wd]|\\[-.]|\((?:[A-Za-z0-9]|\\[-.])+(?:\|(?:[A-Za-z0-9]|\\[-.])+)*\))*\$")
REGEX_ATOM_PLUS = re.compile(r"(?:[A-Za-z0-9]|\\[wd]|\\[-.])\+")


def check_regex(regex):
    if not REGEX_SUBSET.fullmatch(REGEX_ATOM_PLUS.sub(lambda m: m.group(0)[:-1], regex)):
        raise GenerationError(f"regionRegex {regex!r} uses syntax partition.hpp does not match")


def partitions_header(data):
    parts = data["partitions"]
    fallback = [i for i, p in enumerate(parts) if p["id"] == "aws"]
    if not fallback:
        raise GenerationError("partitions.json has no 'aws' partition (the fallback partition)")
    lines = []
    for p in parts:
        outputs = p["outputs"]
        unknown = set(outputs) - set(PARTITION_OUTPUTS)
        if unknown:
            raise GenerationError(f"partition {p['id']} has outputs this generator does not know: {sorted(unknown)}")
        if outputs.get("name", p["id"]) != p["id"]:
            raise GenerationError(f"partition {p['id']} names itself {outputs['name']!r}")
        check_regex(p["regionRegex"])
        fields = []
        for key, (member, kind) in PARTITION_OUTPUTS.items():
            value = p["id"] if key == "name" else outputs[key]
            fields.append(f".{member} = " + (("true" if value else "false") if kind == "bool" else cpp_string(value)))
        fields.append(".region_regex = " + cpp_string(p["regionRegex"]))
        lines.append("    {" + ",\n     ".join(fields) + "},")
    regions = []
    for index, p in enumerate(parts):
        for region in sorted(p["regions"]):
            regions.append(f"    {{{cpp_string(region)}, {index}}},")
    return f"""// AWS partitions: groups of regions sharing DNS suffixes and capabilities.
// Generated from partitions.json (version {data.get("version", "?")}) by cmake/generate_endpoints.py;
// do not edit. partition.hpp looks regions up in these tables.
#pragma once

#include <cstddef>
#include <string_view>

namespace ivsrt::endpoints {{

// What the rule-set function aws.partition returns for a region.
struct partition {{
  std::string_view name{{}};  // "aws", "aws-cn", "aws-us-gov", ...
  std::string_view dns_suffix{{}};
  std::string_view dual_stack_dns_suffix{{}};
  std::string_view implicit_global_region{{}};
  bool supports_fips = false;
  bool supports_dual_stack = false;
  std::string_view region_regex{{}};  // regions of this partition that are not listed by name
}};

struct known_region {{
  std::string_view name{{}};
  std::size_t partition{{}};  // index into partitions
}};

inline constexpr partition partitions[] = {{
{chr(10).join(lines)}
}};

inline constexpr known_region known_regions[] = {{
{chr(10).join(regions)}
}};

// The partition of regions that match no name and no pattern.
inline constexpr std::size_t fallback_partition = {fallback[0]};

}}  // namespace ivsrt::endpoints
"""


# ---------------------------------------------------------------------------------------------
# The endpoint rule set

class Scope:
    def __init__(self, params):
        self.params = params  # rule-set name -> (member, type, has_default)
        self.vars = {}  # assigned name -> C++ variable
        self.known_set = set()  # optional parameters an enclosing isSet proved present

    def child(self):
        s = Scope(self.params)
        s.vars = dict(self.vars)
        s.known_set = set(self.known_set)
        return s


def param_ref(name, scope, want):
    if name in scope.vars:
        if want != "partition":
            raise GenerationError(f"{name} is a partition, used as a {want}")
        return scope.vars[name]
    if name not in scope.params:
        raise GenerationError(f"reference to unknown name {name}")
    member, ptype, has_default = scope.params[name]
    if ptype != want:
        raise GenerationError(f"{name} is a {ptype}, used as a {want}")
    if has_default:
        return f"p.{member}"
    if name not in scope.known_set:
        raise GenerationError(f"{name} is used where the rule set has not checked isSet({name})")
    return f"*p.{member}"


def get_attr(var_cpp, path):
    if path not in PARTITION_OUTPUTS:
        raise GenerationError(f"getAttr path {path!r} is not a partition output")
    member, kind = PARTITION_OUTPUTS[path]
    return f"{var_cpp}.{member}", kind


def bool_operand(arg, scope):
    if isinstance(arg, bool):
        return "true" if arg else "false"
    if isinstance(arg, dict) and "ref" in arg:
        return param_ref(arg["ref"], scope, "boolean")
    if isinstance(arg, dict) and arg.get("fn") == "getAttr":
        target, path = arg["argv"]
        expr, kind = get_attr(param_ref(target["ref"], scope, "partition"), path)
        if kind != "bool":
            raise GenerationError(f"getAttr {path} is not a boolean")
        return expr
    raise GenerationError(f"unsupported boolean operand {arg!r}")


def template(value, scope):
    """A rule-set string ("https://x.{Region}.{PartitionResult#dnsSuffix}") as C++ string_views."""
    if isinstance(value, dict) and "ref" in value:
        return [param_ref(value["ref"], scope, "string")]
    if not isinstance(value, str):
        raise GenerationError(f"unsupported string value {value!r}")
    pieces = []
    for literal, name in re.findall(r"([^{}]*)(?:\{([^{}]*)\})?", value):
        if literal:
            pieces.append(cpp_string(literal))
        if name:
            if "#" in name:
                var, path = name.split("#", 1)
                expr, kind = get_attr(param_ref(var, scope, "partition"), path)
                if kind != "string":
                    raise GenerationError(f"template uses non-string attribute {path}")
                pieces.append(expr)
            else:
                pieces.append(param_ref(name, scope, "string"))
    if "{{" in value or "}}" in value:
        raise GenerationError("escaped braces in templates are not handled")
    return pieces


def joined(pieces):
    if len(pieces) == 1:
        return f"std::string({pieces[0]})"
    return "detail::join({" + ", ".join(pieces) + "})"


def emit_rules(rules, scope, indent, out):
    """Emits rules in order; returns True when the last one always returns."""
    for i, rule in enumerate(rules):
        last = i == len(rules) - 1
        if emit_rule(rule, scope.child(), indent, out, last):
            if not last:
                raise GenerationError("a rule follows one that always applies; it could never run")
            return True
    return False


def statement(indent, text):
    """One statement, its argument list wrapped onto a continuation line when it is too long."""
    pad = "  " * indent
    line = pad + text
    if len(line) <= 110 or "({" not in text:
        return line
    head, tail = text.split("({", 1)
    return f"{pad}{head}(\n{pad}    {{{tail}"


def emit_rule(rule, scope, indent, out, last):
    """Emits one rule as nested ifs; returns True when it always returns."""
    tests = []  # conditions not yet opened as an `if`
    opened = 0
    conditional = False

    def open_pending():
        nonlocal opened
        if tests:
            out.append(statement(indent + opened, f"if ({' && '.join(tests)}) {{"))
            opened += 1
            tests.clear()

    for cond in rule.get("conditions", []):
        fn = cond["fn"]
        argv = cond["argv"]
        assign = cond.get("assign")
        if assign and fn != "aws.partition":
            raise GenerationError(f"{fn} with assign is not handled")
        if fn == "isSet":
            name = argv[0]["ref"]
            member, _, has_default = scope.params[name]
            if has_default:
                continue  # a parameter with a default is always set
            tests.append(f"p.{member}.has_value()")
            scope.known_set.add(name)
            conditional = True
        elif fn == "booleanEquals":
            a, b = (bool_operand(x, scope) for x in argv)
            if a in ("true", "false"):
                a, b = b, a
            tests.append(a if b == "true" else f"!{a}" if b == "false" else f"{a} == {b}")
            conditional = True
        elif fn == "aws.partition":
            if not assign:
                raise GenerationError("aws.partition without assign is not handled")
            open_pending()
            region = param_ref(argv[0]["ref"], scope, "string")
            var = snake(assign)
            scope.vars[assign] = var
            if opened == 0 and not last:
                out.append("  " * indent + "{")  # keeps the binding out of the following rules
                opened += 1
            out.append(statement(indent + opened, f"const partition& {var} = aws_partition({region});"))
        else:
            raise GenerationError(f"rule-set function {fn!r} is not handled by this generator")
    open_pending()
    inner = indent + opened
    kind = rule["type"]
    if kind == "endpoint":
        ep = rule["endpoint"]
        if ep.get("properties") or ep.get("headers"):
            raise GenerationError("endpoint properties/headers (auth schemes) are not handled")
        out.append(statement(inner, f"return {joined(template(ep['url'], scope))};"))
        always = True
    elif kind == "error":
        pieces = template(rule["error"], scope)
        message = pieces[0] if len(pieces) == 1 and pieces[0].startswith('"') else joined(pieces)
        out.append(statement(inner, f"return rule_error({message});"))
        always = True
    elif kind == "tree":
        always = emit_rules(rule["rules"], scope, inner, out)
    else:
        raise GenerationError(f"unknown rule type {kind!r}")
    for level in range(opened - 1, -1, -1):
        out.append("  " * (indent + level) + "}")
    return always and not conditional


def rules_header(rule_set, rule_set_name):
    params = {}
    fields = []
    for name, spec in rule_set["parameters"].items():
        member = snake(name)
        ptype = spec["type"].lower()
        has_default = "default" in spec
        if ptype not in ("string", "boolean"):
            raise GenerationError(f"parameter {name} has unsupported type {ptype}")
        if has_default and not spec.get("required"):
            raise GenerationError(f"parameter {name} has a default but is optional")
        params[name] = (member, ptype, has_default)
        builtin = spec.get("builtIn", "")
        comment = f"  // {name}" + (f" ({builtin})" if builtin else "")
        if ptype == "boolean" and has_default:
            fields.append(f"{comment}\n  bool {member} = {'true' if spec['default'] else 'false'};")
        elif ptype == "boolean":
            fields.append(f"{comment}\n  std::optional<bool> {member}{{}};")
        else:
            fields.append(f"{comment}\n  std::optional<std::string> {member}{{}};")
    body = []
    if not emit_rules(rule_set["rules"], Scope(params), 1, body):
        body.append('  return rule_error("no endpoint rule matched the parameters");')
    return f"""// The IVS real-time endpoint rule set as code: parameters in, endpoint URL or the rule set's own
// error out. Generated from {rule_set_name}
// by cmake/generate_endpoints.py; do not edit.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/error.hpp"
#include "ivsrt/partition.hpp"

namespace ivsrt::endpoints {{

struct endpoint_params {{
{chr(10).join(fields)}
}};

namespace detail {{

inline std::string join(std::initializer_list<std::string_view> pieces) {{
  std::string out;
  for (std::string_view piece : pieces) out += piece;
  return out;
}}

inline error rule_error(std::string message) {{
  return make_error(error_kind::configuration, "EndpointResolutionError", std::move(message));
}}

}}  // namespace detail

// The endpoint URL the rule set yields for p, or its error (kind configuration, code
// EndpointResolutionError, the rule set's message).
inline result<std::string> resolve_rules(const endpoint_params& p) {{
  using detail::rule_error;
{chr(10).join(body)}
}}

}}  // namespace ivsrt::endpoints
"""


def main(argv):
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} ENDPOINT_RULE_SET.json PARTITIONS.json")
    with open(argv[1], encoding="utf-8") as f:
        rule_set = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        partitions = json.load(f)
    try:
        outputs = {
            "partitions_data.hpp": partitions_header(partitions),
            "endpoint_rules.hpp": rules_header(rule_set, os.path.basename(argv[1])),
        }
    except GenerationError as e:
        sys.exit(f"{argv[0]}: {e}")
    for name, text in outputs.items():
        with open(os.path.join(INCLUDE, name), "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote include/ivsrt/{name}")
    # Generated headers follow the repository's .clang-format like the hand-written ones.
    if shutil.which("clang-format"):
        subprocess.run(["clang-format", "-i", *(os.path.join(INCLUDE, n) for n in outputs)], check=True)


if __name__ == "__main__":
    main(sys.argv)
