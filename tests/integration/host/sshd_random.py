#!/usr/bin/env python3
"""hull's sshd evaluation against sshd -T itself, on random configurations.

A seeded generator writes sshd_config files with Include (globs, nested,
inside Match), Match blocks of every kind (User, Group, Host, Address,
LocalAddress, LocalPort, RDomain, all, several criteria, '=' and quotes),
duplicated keywords, mixed case, quoting, '=' forms, comments, and now and
then a line sshd refuses. For each configuration and for several views --
the start-up view (sshd -T), root logging in from anywhere (sshd -T -C
user=root) and random connections (sshd -T -C user=,host=,addr=,laddr=,
lport=[,rdomain=]) -- it compares:

  * refusal: sshd -T exits non-zero exactly when hull --sshd-effective
    exits 2 (and hull host reports HULL-H018);
  * values: every keyword hull prints has sshd's values, in sshd's order;
  * verdicts: the rule ids hull reports for the view (hull host --checks
    ssh [--ssh-match]) equal those an independent model, written here in
    Python, derives from sshd -T's own values (H006 excepted: sshd -T does
    not show ignored keywords);
  * exposures: every verdict a connection gets beyond the start-up view is
    among the Match-block findings of hull's start-up scan (root's logins
    counted for root's connections only).

Usage: sshd_random.py [--count N] [--seed S] [--connections K] [--keep DIR]
TAP output; skips without sshd, root or unshare. Nothing is written
outside a temporary directory: sshd -T runs in a private mount namespace
with a tmpfs /run.
"""
import argparse
import collections
import fnmatch
import ipaddress
import grp
import json
import os
import pwd
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")), "tests", "lib"))
from hullskip import skip_env, skip_missing  # noqa: E402

HULL = os.environ.get("HULL_BIN", "hull")
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"

# ---- the generator -----------------------------------------------------

FLAG = ["yes", "no"]
# keyword: (values, allowed inside Match)
KEYWORDS = {
    "PasswordAuthentication": (FLAG, True),
    "KbdInteractiveAuthentication": (FLAG, True),
    "ChallengeResponseAuthentication": (FLAG, True),
    "PubkeyAuthentication": (FLAG, True),
    "HostbasedAuthentication": (FLAG, True),
    "GSSAPIAuthentication": (FLAG, True),
    "KerberosAuthentication": (FLAG, True),
    "PermitEmptyPasswords": (FLAG, True),
    "PermitRootLogin": (["yes", "no", "prohibit-password", "without-password",
                         "forced-commands-only"], True),
    "X11Forwarding": (FLAG, True),
    "AllowTcpForwarding": (["yes", "no", "local", "remote", "all"], True),
    "AllowAgentForwarding": (FLAG, True),
    "DisableForwarding": (FLAG, True),
    "MaxAuthTries": (["2", "3", "4", "6", "10"], True),
    "MaxSessions": (["1", "5", "10"], True),
    "ClientAliveInterval": (["0", "30", "1m", "2h"], True),
    "ClientAliveCountMax": (["0", "3"], True),
    "IgnoreRhosts": (["yes", "no", "shosts-only"], True),
    "GatewayPorts": (["no", "yes", "clientspecified"], True),
    "PermitTunnel": (["no", "yes", "point-to-point", "ethernet"], True),
    "LogLevel": (["QUIET", "INFO", "VERBOSE", "DEBUG", "DEBUG1", "debug3", "ERROR"], True),
    "PubkeyAcceptedAlgorithms": (["+ssh-rsa", "-ssh-ed25519", "ssh-ed25519,rsa-sha2-256",
                                  "^ssh-rsa"], True),
    "AuthenticationMethods": (["any", "publickey", "publickey,password", "password",
                               "keyboard-interactive", "publickey,keyboard-interactive:pam password",
                               "none", "hostbased publickey"], True),
    "AllowUsers": (["root", "root daemon", "*@10.0.0.0/8", "daemon@192.0.2.*", "nobody",
                    "r*"], True),
    "DenyUsers": (["root", "nobody", "root@10.9.0.0/16", "daemon"], True),
    "AllowGroups": (["root", "adm", "sudo daemon", "nogroup"], True),
    "DenyGroups": (["root", "nogroup", "r*"], True),
    "UsePAM": (FLAG, False),
    "StrictModes": (FLAG, False),
    "PermitUserEnvironment": (["no", "yes", "LANG,LC_*"], False),
    "Compression": (["yes", "no", "delayed"], False),
    "UseDNS": (FLAG, False),
    "TCPKeepAlive": (FLAG, False),
    "PrintLastLog": (FLAG, False),
    "LoginGraceTime": (["30", "1m", "2m30s"], False),
    "AddressFamily": (["any", "inet", "inet6"], False),
    "Port": (["22", "2222", "2022"], False),
    "ListenAddress": (["0.0.0.0", "127.0.0.1", "[::]:2200", "10.0.0.1:22", "::1", "localhost",
                       "10.1:22", "192.0.2.10", "203.0.113.5:22"], False),
    "Ciphers": (["+aes128-cbc", "-chacha20-poly1305@openssh.com",
                 "aes256-ctr,aes128-gcm@openssh.com", "^3des-cbc"], False),
    "MACs": (["+hmac-md5", "-umac-64*", "hmac-sha2-256,hmac-sha1-96"], False),
    "KexAlgorithms": (["+diffie-hellman-group1-sha1", "-sntrup*",
                       "curve25519-sha256,diffie-hellman-group14-sha1"], False),
    "HostKeyAlgorithms": (["+ssh-rsa", "-ecdsa-*", "ssh-ed25519"], False),
    "Subsystem": (["sftp /usr/lib/openssh/sftp-server", "sftp internal-sftp",
                   "backup /bin/true -x  y"], False),
    "Protocol": (["2"], False),
    "X11UseLocalhost": (FLAG, True),
    "Banner": (["none", "/etc/issue.net"], True),
    # checked, not computed (their bad values are in BAD)
    "SyslogFacility": (["AUTH", "local7"], False),
    "MaxStartups": (["10:30:100", "10", "10x"], False),
    "IPQoS": (["af21 cs1", "lowdelay", "0x10"], True),
    "RekeyLimit": (["default none", "1G 1h", "1.5K"], True),
    "AcceptEnv": (["LANG LC_*"], True),
    "SetEnv": (["A=B"], True),
    "ChannelTimeout": (["none", "session=5m"], True),
    "PermitOpen": (["any", "host:22", "[::1]:*"], True),
    "PermitListen": (["2222", "localhost:*"], True),
    "FingerprintHash": (["md5", "sha256"], False),
}
# what sshd refuses, now and then
BAD = [
    "PasswordAuthentication maybe", "MaxAuthTries -1", "Port 0", "PermitTunnel YES",
    "LogLevel LOUD", "Bogus yes", "PasswordAuthentication yes no", "Ciphers aes999-ctr",
    "AuthenticationMethods publickey any", "AuthenticationMethods publickey,otp",
    "AllowUsers alice@10.0.0.0/33", "Protocol", "X11Forwarding \"yes",
    "SyslogFacility bogus", "MaxStartups 100:30:10", "IPQoS 256", "RekeyLimit 15",
    "AcceptEnv A=B", "SetEnv A", "ChannelTimeout =5", "PermitOpen a/22",
    "PermitListen any none", "FingerprintHash crc", "RDomain rd1",
]
USERS = ["root", "daemon", "bin", "nobody", "www-data", "alice"]
HOSTS = ["a.example.com", "B.EXAMPLE.COM", "h", "ci.internal"]
ADDRS = ["10.1.2.3", "192.0.2.7", "10.9.0.1", "::1", "2001:db8::5", "127.0.0.1", "203.0.113.9"]
LADDRS = ["192.0.2.9", "10.0.0.1", "::1"]
LPORTS = ["22", "2222", "2022"]
CRITERIA = {
    "User": ["root", "alice", "bob,alice", "r*", "!root,*", "daemon", "*"],
    "Group": ["root", "adm", "sudo", "nogroup", "!root,*"],
    "Host": ["*.example.com", "A.EXAMPLE.COM", "h", "!*.internal,*", "ci.internal"],
    "Address": ["10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "192.0.2.*",
                "!10.9.0.0/16,10.0.0.0/8", "::1", "2001:db8::/32"],
    "LocalAddress": ["192.0.2.0/24", "10.0.0.1", "::1"],
    "LocalPort": ["22", "2222", "2022"],
    "RDomain": ["rd1", "*"],
}


def cased(rng, word):
    return rng.choice([word, word, word.lower(), word.upper()])


# a hardened start, often, so that Match blocks have something to open
HARDENED = ["PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin no",
            "AllowTcpForwarding no", "AllowAgentForwarding no", "MaxAuthTries 3",
            "ListenAddress 10.0.0.1", "X11Forwarding no", "PermitEmptyPasswords no"]


def keyword_line(rng, in_match):
    if rng.random() < 0.015:
        return rng.choice(BAD)
    names = [k for k, (_, m) in KEYWORDS.items() if m or not in_match]
    if in_match and rng.random() < 0.01:
        names = [k for k, (_, m) in KEYWORDS.items() if not m]  # sshd refuses
    kw = rng.choice(names)
    value = rng.choice(KEYWORDS[kw][0])
    if " " not in value and rng.random() < 0.15:
        value = '"%s"' % value
    sep = rng.choice([" ", " ", " ", "=", " = ", "\t"])
    line = cased(rng, kw) + sep + value
    if rng.random() < 0.1:
        line += "  # a comment"
    return line


def match_line(rng):
    if rng.random() < 0.15:
        return "Match " + cased(rng, "all")
    parts = []
    for attr in rng.sample(sorted(CRITERIA), rng.choice([1, 1, 2, 3])):
        arg = rng.choice(CRITERIA[attr])
        if rng.random() < 0.1:
            arg = '"%s"' % arg
        parts.append(cased(rng, attr) + rng.choice([" ", " ", "="]) + arg)
    return "Match " + " ".join(parts)


def body(rng, n, includes, allow_match=True, in_match=False):
    """includes: (patterns for the global section, patterns for blocks)"""
    lines = []
    for _ in range(n):
        r = rng.random()
        if allow_match and r < 0.18:
            lines.append(match_line(rng))
            in_match = True
        elif includes and r < 0.25:
            lines.append("Include " + rng.choice(includes[in_match]))
        else:
            lines.append(("  " if in_match else "") + keyword_line(rng, in_match))
    return lines


def generate(rng, d):
    """Writes one configuration under d; returns the main file's path."""
    conf_d, match_d = os.path.join(d, "conf.d"), os.path.join(d, "match.d")
    os.makedirs(conf_d, exist_ok=True)
    os.makedirs(match_d, exist_ok=True)
    # files for the global section may hold anything; files included from
    # a Match block only what a block may (sshd refuses the rest: now and
    # then it does anyway, through keyword_line)
    includes = ([conf_d + "/*.conf", conf_d + "/1?-*.conf", "conf.d/2*.conf"],
                [match_d + "/*.conf", match_d + "/m1.conf"])
    for i in range(rng.choice([0, 1, 2, 3])):
        name = os.path.join(conf_d, "%d%d-part.conf" % (rng.randint(1, 2), i))
        with open(name, "w") as f:
            f.write("\n".join(body(rng, rng.randint(1, 6), None)) + "\n")
    for i in range(rng.choice([0, 1, 2])):
        with open(os.path.join(match_d, "m%d.conf" % i), "w") as f:
            f.write("\n".join(body(rng, rng.randint(1, 4), None, in_match=True)) + "\n")
    if rng.random() < 0.2:
        with open(os.path.join(conf_d, "skip.txt"), "w") as f:
            f.write("PasswordAuthentication no\n")
    main = os.path.join(d, "sshd_config")
    lines = ["HostKey %s/hk" % os.path.dirname(d)]
    if rng.random() < 0.6:
        lines += rng.sample(HARDENED, rng.randint(3, len(HARDENED)))
    lines += body(rng, rng.randint(3, 18), includes)
    with open(main, "w") as f:
        f.write("\n".join(lines) + "\n")
    return main


def connection(rng):
    spec = "user=%s,host=%s,addr=%s,laddr=%s,lport=%s" % (
        rng.choice(USERS), rng.choice(HOSTS), rng.choice(ADDRS), rng.choice(LADDRS),
        rng.choice(LPORTS))
    if rng.random() < 0.25:
        spec += ",rdomain=" + rng.choice(["rd1", "rd2"])
    return spec


# ---- running both ----------------------------------------------------------

def sshd_t(conf, spec):
    args = [SSHD, "-T", "-f", conf] + (["-C", spec] if spec else [])
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def hull_effective(conf, spec):
    args = [HULL, "host", "--root", "/", "--sshd-config", conf, "--sshd-effective"]
    if spec:
        args += ["--ssh-match", spec]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def hull_findings(conf, spec):
    args = [HULL, "host", "--root", "/", "--checks", "ssh", "--sshd-config", conf,
            "--format", "json"]
    if spec:
        args += ["--ssh-match", spec]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        return None
    return json.loads(p.stdout)["findings"]


def values(text):
    out = collections.OrderedDict()
    for line in text.splitlines():
        kw, _, val = line.partition(" ")
        out.setdefault(kw, []).append(val)
    return out


# ---- the independent verdict model -------------------------------------------

def exposure(addr):
    """hull's exposure classes: loopback, private, all, public."""
    try:
        a = ipaddress.ip_address(addr)
    except ValueError:
        return "public"
    if a.is_unspecified:
        return "all"
    if a.is_loopback:
        return "loopback"
    private = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
               "100.64.0.0/10", "fc00::/7", "fe80::/10"]
    if any(a in ipaddress.ip_network(n) for n in private if ipaddress.ip_network(n).version == a.version):
        return "private"
    return "public"


def root_groups():
    try:
        pw = pwd.getpwnam("root")
        return [grp.getgrgid(g).gr_name for g in os.getgrouplist("root", pw.pw_gid)]
    except KeyError:
        return []


def root_allowed(v):
    """allowed_user(): root shut out everywhere by Allow/Deny lists?"""
    for p in v.get("denyusers", []):
        if "@" not in p and fnmatch.fnmatchcase("root", p):
            return False
    allow = v.get("allowusers", [])
    if allow and not any(fnmatch.fnmatchcase("root", p.split("@")[0]) for p in allow):
        return False
    groups = root_groups()
    if any(fnmatch.fnmatchcase(g, p) for p in v.get("denygroups", []) for g in groups):
        return False
    allow = v.get("allowgroups", [])
    if allow and not any(fnmatch.fnmatchcase(g, p) for p in allow for g in groups):
        return False
    return True


def auth_model(v):
    """(password alone, empty password, root: None/'key'/'password')"""
    on = lambda k: v.get(k, ["no"])[0] == "yes"
    pam = on("usepam")
    empty_ok = on("permitemptypasswords")
    enabled = {"none": True, "publickey": on("pubkeyauthentication"),
               "password": on("passwordauthentication"),
               "keyboard-interactive": on("kbdinteractiveauthentication"),
               "hostbased": on("hostbasedauthentication"),
               "gssapi-with-mic": on("gssapiauthentication")}
    works = dict(enabled)
    works["keyboard-interactive"] = enabled["keyboard-interactive"] and pam
    works["none"] = empty_ok and enabled["password"]
    keylike = {"publickey", "hostbased", "gssapi-with-mic"}
    pwlike = {"password", "keyboard-interactive"}
    am = v.get("authenticationmethods", ["any"])[0]
    lists = [[m] for m in enabled] if am == "any" else [
        [m.split(":")[0] for m in l.split(",")] for l in am.split(" ")]
    usable = [l for l in lists if all(works.get(m, False) for m in l)]
    password = any(set(l) <= pwlike for l in usable)
    empty = empty_ok and any(set(l) <= pwlike | {"none"} for l in usable)
    prl = v.get("permitrootlogin", ["without-password"])[0]
    root = None
    if root_allowed(v):
        if prl == "yes" and password:
            root = "password"
        elif prl == "yes" and any(set(l) & keylike for l in usable):
            root = "key"
        elif prl == "without-password" and any(set(l) <= keylike for l in usable):
            root = "key"
    return password, empty, root


WEAK = {
    "HULL-H007": (["ciphers"], ["*-cbc", "*-cbc@*", "3des-*", "arcfour*", "blowfish-*",
                                "cast128-*", "none"]),
    "HULL-H008": (["macs"], ["hmac-md5*", "*-96", "*-96-etm@*", "hmac-ripemd160*", "umac-32*"]),
    "HULL-H009": (["kexalgorithms"], ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
                                      "diffie-hellman-group-exchange-sha1", "gss-*-sha1-*"]),
    "HULL-H010": (["hostkeyalgorithms", "pubkeyacceptedalgorithms"],
                  ["ssh-dss", "ssh-dss-cert-v01@openssh.com", "ssh-rsa",
                   "ssh-rsa-cert-v01@openssh.com"]),
}


def verdicts(v, root_view=None):
    """The rule ids (a multiset) sshd's values v call for; root's logins
    from root_view's values when given."""
    out = collections.Counter()
    one = lambda k, d=None: v.get(k, [d])[0]
    password, empty, _ = auth_model(v)
    _, _, root = auth_model(root_view if root_view is not None else v)
    if password:
        out["HULL-H001"] += 1
    if root == "password":
        out["HULL-H002"] += 1
    if root == "key":
        out["HULL-H003"] += 1
    if empty:
        out["HULL-H004"] += 1
    for la in v.get("listenaddress", []):
        m = re.match(r"^\[?([^\]]*?)\]?:(\d+)( rdomain .*)?$", la)
        if m and m.group(2) == "22" and not m.group(3) and exposure(m.group(1)) in ("all", "public"):
            out["HULL-H005"] += 1
    for rule, (kws, pats) in WEAK.items():
        for kw in kws:
            items = (one(kw) or "").split(",")
            if any(fnmatch.fnmatchcase(i, p) for i in items for p in pats):
                out[rule] += 1
    if one("x11forwarding") == "yes":
        out["HULL-H011"] += 1
    if one("disableforwarding") != "yes":
        out["HULL-H012"] += (one("allowtcpforwarding") != "no") + (one("allowagentforwarding") == "yes")
    if int(one("maxauthtries", "6")) > 4:
        out["HULL-H013"] += 1
    if one("permituserenvironment") != "no":
        out["HULL-H014"] += 1
    out["HULL-H015"] += (one("hostbasedauthentication") == "yes") + (one("ignorerhosts") != "yes")
    if one("strictmodes") == "no":
        out["HULL-H016"] += 1
    out["HULL-H017"] += (one("permittunnel") != "no") + (one("gatewayports") != "no")
    return +out


def hull_verdicts(findings, scope):
    """scope 'view': the findings about the view itself (object sshd);
    'blocks': those of Match blocks."""
    out = collections.Counter()
    for f in findings:
        obj = f["location"]["object"] or ""
        if f["id"] == "HULL-H006":
            continue
        if (scope == "view") == (obj == "sshd"):
            out[f["id"]] += 1
    return out


# ---- the comparison ----------------------------------------------------------

class Tally:
    def __init__(self):
        self.c = collections.Counter()

    def add(self, what, ok):
        self.c[what + " total"] += 1
        self.c[what + " agree"] += bool(ok)


def compare_values(want_text, got_text):
    want, got = values(want_text), values(got_text)
    diff = []
    for kw, vals in got.items():
        if want.get(kw, []) != vals:
            diff.append("%s: sshd %s, hull %s" % (kw, want.get(kw), vals))
    return diff, want


def one_config(conf, specs, tally, notes):
    """Compares every view of one configuration; True when all agree."""
    ok = True
    texts = [open(conf).read()]
    for sub in ("conf.d", "match.d"):
        dd = os.path.join(os.path.dirname(conf), sub)
        texts += [open(os.path.join(dd, f)).read() for f in os.listdir(dd)]
    has_lport = re.search(r"localport", "".join(texts), re.I)
    # sshd -T exits on a LocalPort criterion without lport=: give one no
    # configuration uses, which changes nothing else
    blank = "lport=65001" if has_lport else None
    root_spec = "user=root" + (",lport=65001" if has_lport else "")
    # root's view first: the start-up verdicts on root's logins read it
    views = [("root", root_spec, "root"), ("start-up", blank, None)] + [
        ("connection", s, s) for s in specs]
    sshd_vals, start_v = {}, None
    for name, spec, hull_spec in views:
        rc, out, err = sshd_t(conf, spec)
        hrc, hout, herr = hull_effective(conf, hull_spec if name == "connection" else None)
        if name == "root":
            # hull has no -C user=root alone: its root verdicts come from
            # the start-up scan; compare values through the block-free view
            sshd_vals["root"] = values(out) if rc == 0 else None
            continue
        refused_s, refused_h = rc != 0, hrc == 2
        tally.add("refusal (%s)" % name, refused_s == refused_h)
        if refused_s != refused_h:
            ok = False
            notes.append("%s %s: sshd %s (%s), hull %s (%s)" % (
                name, spec or "", "refuses" if refused_s else "accepts",
                err.strip().splitlines()[-1] if err.strip() else "",
                "refuses" if refused_h else "accepts", herr.strip()[:200]))
            continue
        findings = hull_findings(conf, hull_spec if name == "connection" else None)
        if refused_s:
            tally.add("refusal finding (%s)" % name,
                      findings is not None and any(f["id"] == "HULL-H018" for f in findings))
            if name == "start-up":
                return ok  # every view of a refused configuration is refused
            continue
        diff, want = compare_values(out, hout)
        tally.add("values (%s)" % name, not diff)
        if diff:
            ok = False
            notes.append("%s %s: values differ: %s" % (name, spec or "", "; ".join(diff[:4])))
        sshd_vals[name if name != "connection" else spec] = want
        if findings is None:
            ok = False
            notes.append("%s: hull host failed" % name)
            continue
        if name == "start-up":
            expect = verdicts(want, sshd_vals.get("root"))
            start_v = expect
        else:
            expect = verdicts(want)
        got = hull_verdicts(findings, "view")
        tally.add("verdicts (%s)" % name, expect == got)
        if expect != got:
            ok = False
            notes.append("%s %s: verdicts: sshd's values call for %s, hull %s" % (
                name, spec or "", dict(expect), dict(got)))
        if name == "start-up":
            blocks = hull_verdicts(findings, "blocks")
        elif start_v is not None:
            # what this connection gets beyond everyone: reported for a block
            user = dict(p.split("=", 1) for p in spec.split(","))["user"]
            extra = {r for r in expect if r not in start_v
                     and (r not in ("HULL-H002", "HULL-H003") or user == "root")}
            if extra:
                covered = extra <= set(blocks)
                tally.add("exposures (connection)", covered)
                if not covered:
                    notes.append("connection %s: %s not among the Match-block findings %s" % (
                        spec, sorted(extra - set(blocks)), dict(blocks)))
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--keep", help="copy failing configurations here")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if not os.access(SSHD, os.X_OK):
        skip_missing("sshd (apt-get install openssh-server)")
    if os.geteuid() != 0:
        skip_env("sshd -T needs root")
    if not a.inner:
        # a private mount namespace with a tmpfs /run: sshd -T wants /run/sshd
        script = "mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec \"$@\""
        try:
            p = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", sys.executable,
                                __file__, "--inner"] + sys.argv[1:])
        except FileNotFoundError:
            skip_missing("unshare (util-linux)")
        if p.returncode == 77:
            skip_env("unshare -m not permitted")
        return p.returncode
    rng = random.Random(a.seed)
    tally, n, fail = Tally(), 0, 0
    top = tempfile.mkdtemp(prefix="hull-sshd-random.")
    try:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", top + "/hk"],
                       check=True, capture_output=True)
        for i in range(a.count):
            d = os.path.join(top, "c%04d" % i)
            conf = generate(rng, d)
            specs = [connection(rng) for _ in range(a.connections)]
            notes = []
            ok = one_config(conf, specs, tally, notes)
            n += 1
            print("%s %d - configuration %d (seed %d)" % ("ok" if ok else "not ok", n, i, a.seed))
            if not ok:
                fail += 1
                for note in notes[:6]:
                    print("# " + note)
                print("# --- " + conf)
                for line in open(conf).read().splitlines():
                    print("#   " + line)
                if a.keep:
                    shutil.copytree(d, os.path.join(a.keep, os.path.basename(d)),
                                    dirs_exist_ok=True)
            shutil.rmtree(d)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    for key in sorted(k for k in tally.c if k.endswith(" total")):
        what = key[:-len(" total")]
        print("# %-34s %5d / %5d agree" % (what, tally.c[what + " agree"], tally.c[key]))
    print("1..%d" % n)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
