#!/usr/bin/env python3
"""Ruby, PHP, .NET and Java manifests: hull's inventory of real artifacts
against a reference read apart from hull, matching against real GHSA
records (osv/<Ecosystem>/, origin in osv/ORIGIN.md), and the purls of
hull's CycloneDX and SPDX SBOMs read back by `hull sbom-scan`.

Usage: ecosys.py CASE (--list prints the cases). Prints TAP.

Artifacts: Debian 12 packages fetched once with `apt-get download` into
$HULL_TEST_CACHE/lang/ecosys/<eco>/ and unpacked with dpkg-deb into a
temporary root without a dpkg database (as an application would carry
them), plus lockfiles written here (their versions chosen to sit on both
sides of the records' ranges).

Cases, per ecosystem ECO:
  ECO-inventory  the set of (file, name, version) hull lists equals the
                 reference: for gem specifications the "# stub: NAME
                 VERSION PLATFORM" line RubyGems writes at the top of the
                 same file, for lockfiles a parser of this script.
  ECO-match      with a database built by `hull db build` from
                 osv/<Ecosystem>, the advisories listed as MUST are
                 reported on the right file and package, the NEVER ones
                 nowhere.
  ECO-sbom       hull's CycloneDX and SPDX SBOMs carry pkg:<type> purls for
                 every package, and `hull sbom-scan` of each gives the same
                 (package, version, advisory) findings as the scan."""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (Tap, Tmp, apt_debs, case_arg, hull, reference_db, scan,  # noqa: E402
                     skip_env, vuln_findings, write)

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "lang", "ecosys")

# ---- Ruby ----------------------------------------------------------------

GEMFILE_LOCK = """GIT
  remote: https://github.com/sparklemotion/nokogiri.git
  revision: 0123456789abcdef0123456789abcdef01234567
  specs:
    nokogiri (1.13.9)
      racc (~> 1.4)

GEM
  remote: https://rubygems.org/
  specs:
    racc (1.6.2)
    rack (2.2.4)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  nokogiri!
  rack

BUNDLED WITH
   2.4.10
"""


def ruby_root(root, debs, tmp):
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    write(os.path.join(root, "srv", "app", "Gemfile.lock"), GEMFILE_LOCK)


def ruby_reference(root):
    """{(file, name, version)}: the stub line of each installed gemspec,
    and the four-space lines under specs: of each Gemfile.lock."""
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if f.endswith(".gemspec") and os.path.basename(d) == "specifications":
                for line in open(p, encoding="utf-8", errors="replace"):
                    m = re.match(r"# stub: (\S+) (\S+) (\S+)", line)
                    if m:
                        out.add((rel, m.group(1), m.group(2)))
                        break
            elif f == "Gemfile.lock":
                specs = False
                for line in open(p):
                    if not line.startswith(" "):
                        specs = False
                    elif line.strip() == "specs:":
                        specs = True
                    elif specs:
                        m = re.match(r"^    ([^ (]+) \(([^-)]+)(?:-[^)]*)?\)$", line.rstrip("\n"))
                        if m:
                            out.add((rel, m.group(1), m.group(2)))
    return out


# ---- PHP -----------------------------------------------------------------

COMPOSER_LOCK = {
    "_readme": ["written by the test"],
    "packages": [{"name": "dompdf/dompdf", "version": "v2.0.2", "license": ["LGPL-2.1"]},
                 {"name": "masterminds/html5", "version": "2.7.6", "license": ["MIT"]}],
    "packages-dev": [{"name": "phpunit/phpunit", "version": "9.6.0"}],
}


def php_root(root, debs, tmp):
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    write(os.path.join(root, "srv", "app", "composer.lock"), json.dumps(COMPOSER_LOCK, indent=4))


def php_reference(root):
    """{(file, name, version)}: every package of every
    */composer/installed.json (both forms), and the "packages" (not
    "packages-dev") of every composer.lock."""
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if f == "installed.json" and os.path.basename(d) == "composer":
                doc = json.load(open(p))
                pkgs = doc if isinstance(doc, list) else doc.get("packages", [])
            elif f == "composer.lock":
                pkgs = json.load(open(p)).get("packages", [])
            else:
                continue
            out |= {(rel, x["name"].lower(), x["version"]) for x in pkgs}
    return out


ECOS = {
    "ruby": {
        "debs": ["ruby-rack", "ruby-nokogiri=1.13.10+dfsg-2+b1"],
        "make_root": ruby_root,
        "reference": ruby_reference,
        "type": "gem",
        "osv": "RubyGems",
        "must": [
            ("usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/specifications/"
             "nokogiri-1.13.10.gemspec", "nokogiri", "GHSA-pxvg-2qj5-37jq"),
            ("srv/app/Gemfile.lock", "nokogiri", "GHSA-pxvg-2qj5-37jq"),
            ("srv/app/Gemfile.lock", "nokogiri", "GHSA-qv4q-mr5r-qprj"),
            ("srv/app/Gemfile.lock", "rack", "GHSA-22f2-v57c-j9cx"),
        ],
        # (file suffix, advisory): must not be reported on that file
        "never": [
            (".gemspec", "GHSA-22f2-v57c-j9cx"),  # rack 2.2.22 >= fixed 2.2.8.1
            (".gemspec", "GHSA-qv4q-mr5r-qprj"),  # nokogiri 1.13.10 = fixed
        ],
    },
}

ECOS["php"] = {
    "debs": ["icingaweb2=2.11.4-2+deb12u1"],
    "make_root": php_root,
    "reference": php_reference,
    "type": "composer",
    "osv": "Packagist",
    "must": [
        ("usr/share/icingaweb2/library/vendor/dompdf/vendor/composer/installed.json",
         "dompdf/dompdf", "GHSA-3cw5-7cxw-v5qg"),
        ("srv/app/composer.lock", "dompdf/dompdf", "GHSA-56gj-mvh6-rp75"),
    ],
    "never": [
        ("installed.json", "GHSA-56gj-mvh6-rp75"),  # v2.0.1 < introduced 2.0.2
        ("composer.lock", "GHSA-3cw5-7cxw-v5qg"),  # v2.0.2 = fixed
    ],
}

# ---- .NET ----------------------------------------------------------------
# No Debian 12 package ships a .NET application (the SDK is not in Debian):
# the lockfile and deps.json are written here in the forms `dotnet restore
# --use-lock-file` (NuGet 6) and `dotnet publish` (SDK 6) write.

NUGET_LOCK = {
    "version": 1,
    "dependencies": {
        "net6.0": {
            "Newtonsoft.Json": {"type": "Direct", "requested": "[12.0.3, )",
                                "resolved": "12.0.3", "contentHash": "6mgjfnRB4jKMlzHSl+VD+oUc1IebOZabkbyWj2RiTgWwYPPuaK1H97G1sHqGwPlS5npiF5Q0OrxN1wni2n5QWg=="},
            "Serilog": {"type": "Direct", "requested": "[2.10.0, )", "resolved": "2.10.0",
                        "contentHash": "+QX0hmf37a0/OZLxM3wL7V6/ADvC1XihXN4Kq/p6d8lCPfgkRdiuhbWlMaFjR9Av0dy5F0+MBeDmDdRZN/YwQA=="},
            "App.Core": {"type": "Project", "dependencies": {"Serilog": "[2.10.0, )"}},
        },
        "net6.0/linux-x64": {
            "Newtonsoft.Json": {"type": "Direct", "resolved": "12.0.3"},
        },
    },
}

DOTNET_DEPS = {
    "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0/linux-x64", "signature": ""},
    "compilationOptions": {},
    "targets": {
        ".NETCoreApp,Version=v6.0": {},
        ".NETCoreApp,Version=v6.0/linux-x64": {
            "App/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1",
                                           "Microsoft.Data.SqlClient": "5.1.0"},
                          "runtime": {"App.dll": {}}},
            "Newtonsoft.Json/13.0.1": {"runtime": {"lib/netstandard2.0/Newtonsoft.Json.dll": {
                "assemblyVersion": "13.0.0.0", "fileVersion": "13.0.1.25517"}}},
            "Microsoft.Data.SqlClient/5.1.0": {"runtime": {
                "lib/net6.0/Microsoft.Data.SqlClient.dll": {}}},
        },
    },
    "libraries": {
        "App/1.0.0": {"type": "project", "serviceable": False, "sha512": ""},
        "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": True,
                                   "sha512": "sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
                                   "path": "newtonsoft.json/13.0.1",
                                   "hashPath": "newtonsoft.json.13.0.1.nupkg.sha512"},
        "Microsoft.Data.SqlClient/5.1.0": {"type": "package", "serviceable": True,
                                           "path": "microsoft.data.sqlclient/5.1.0"},
        "System.Runtime/4.3.0.0": {"type": "referenceassembly", "serviceable": False},
    },
}


def nuget_root(root, debs, tmp):
    write(os.path.join(root, "src", "App", "packages.lock.json"), json.dumps(NUGET_LOCK, indent=2))
    write(os.path.join(root, "app", "App.deps.json"), json.dumps(DOTNET_DEPS, indent=2))
    # a tool inside NuGet's package cache: its own build, not this image's
    write(os.path.join(root, "root", ".nuget", "packages", "dotnet-ef", "6.0.0", "tools",
                       "net6.0", "any", "dotnet-ef.deps.json"),
          json.dumps({"libraries": {"Newtonsoft.Json/11.0.2": {"type": "package"}}}))


def nuget_reference(root):
    """{(file, name, version)}: the non-Project entries of every
    packages.lock.json (each id once per file), and the libraries of type
    package of every *.deps.json, outside .nuget/packages/."""
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if "/.nuget/packages/" in "/" + rel:
                continue
            if f == "packages.lock.json":
                for pkgs in json.load(open(p))["dependencies"].values():
                    out |= {(rel, k, v["resolved"]) for k, v in pkgs.items()
                            if v.get("type") != "Project"}
            elif f.endswith(".deps.json"):
                out |= {(rel,) + tuple(k.split("/", 1))
                        for k, v in json.load(open(p))["libraries"].items()
                        if v.get("type") == "package"}
    return out


ECOS["nuget"] = {
    "debs": [],
    "make_root": nuget_root,
    "reference": nuget_reference,
    "type": "nuget",
    "osv": "NuGet",
    "must": [
        ("src/App/packages.lock.json", "Newtonsoft.Json", "GHSA-5crp-9r3c-p9vr"),
    ],
    "never": [
        ("App.deps.json", "GHSA-5crp-9r3c-p9vr"),  # 13.0.1 = fixed
        ("dotnet-ef.deps.json", "GHSA-5crp-9r3c-p9vr"),  # in the package cache: not read
    ],
}

CASES = ["%s-%s" % (e, c) for e in ECOS for c in ("inventory", "match", "sbom")]


def fetch(eco, spec):
    return apt_debs(os.path.join(CACHE, eco), spec["debs"])


def props(c):
    return {p["name"]: p["value"] for p in c.get("properties", [])}


def sbom(tap, root, tmp, fmt):
    path = os.path.join(tmp, "sbom-%s.json" % fmt)
    rc, _, err = hull(["sbom", "--quiet", "--format", fmt, "--output", path, root], tmp)
    if not tap.ok(rc == 0, "hull sbom --format %s (exit %d)" % (fmt, rc), [err]):
        tap.finish()
    return path, json.load(open(path))


def case_inventory(tap, spec, root, tmp):
    _, doc = sbom(tap, root, tmp, "cyclonedx")
    got = {(props(c).get("hull:file"), c["name"], c.get("version", ""))
           for c in doc.get("components", []) if props(c).get("hull:type") == spec["type"]}
    want = spec["reference"](root)
    tap.ok(len(want) > 0, "the reference finds %d packages" % len(want))
    tap.same_sets("inventory = reference", want, got, show=lambda x: "%s %s %s" % x)


def database(spec):
    return reference_db("osv-" + spec["osv"], os.path.join(HERE, "osv", spec["osv"]),
                        "osv/" + spec["osv"])


def findings(doc):
    got = set()
    for f in vuln_findings(doc):
        for i in [f["id"]] + f.get("aliases", []):
            if i.startswith("GHSA-"):
                got.add((f["location"]["file"], f["package"]["name"], f["package"]["version"], i))
    return got


def case_match(tap, spec, root, tmp):
    db = database(spec)
    _, doc, _ = scan(tap, "rootfs", root, db, tmp)
    got = findings(doc)
    short = {(g[0], g[1], g[3]) for g in got}
    for row in spec["must"]:
        tap.ok(row in short, "must: %s %s: %s" % row, [str(sorted(got))])
    for suffix, adv in spec["never"]:
        bad = sorted(g for g in got if g[3] == adv and g[0].endswith(suffix))
        tap.ok(not bad, "never %s on *%s" % (adv, suffix), [str(bad)])


def case_sbom(tap, spec, root, tmp):
    db = database(spec)
    _, doc, _ = scan(tap, "rootfs", root, db, tmp)
    want = {(g[1], g[2], g[3]) for g in findings(doc)}
    tap.ok(want, "the scan finds %d advisories to carry over" % len(want))
    for fmt in ("cyclonedx", "spdx"):
        path, sdoc = sbom(tap, root, tmp, fmt)
        if fmt == "cyclonedx":
            purls = [c.get("purl", "") for c in sdoc.get("components", [])
                     if props(c).get("hull:type") == spec["type"]]
        else:
            purls = [r["referenceLocator"] for p in sdoc.get("packages", [])
                     for r in p.get("externalRefs", []) if r.get("referenceType") == "purl"
                     and r["referenceLocator"].startswith("pkg:%s/" % spec["type"])]
        tap.ok(purls and all(p.startswith("pkg:%s/" % spec["type"]) for p in purls),
               "%s: %d pkg:%s purls" % (fmt, len(purls), spec["type"]), purls[:5])
        _, back, _ = scan(tap, "sbom-scan", path, db, tmp)
        got = {(g[1], g[2], g[3]) for g in findings(back)}
        tap.same_sets("sbom-scan of the %s SBOM: the same findings" % fmt, want, got,
                      show=lambda x: "%s %s %s" % x)


def main():
    case = case_arg(CASES)
    eco, what = case.split("-", 1)
    spec = ECOS[eco]
    for tool in ("apt-get", "dpkg-deb"):
        if spec.get("debs") and not shutil.which(tool):
            skip_env(tool + " (not a Debian machine)")
    debs = fetch(eco, spec) if spec.get("debs") else []
    tap = Tap()
    with Tmp() as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(root)
        spec["make_root"](root, debs, tmp)
        {"inventory": case_inventory, "match": case_match, "sbom": case_sbom}[what](
            tap, spec, root, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
