#!/usr/bin/env python3
"""An independent verifier of License Desk files, written from docs/FORMAT.md alone.

    verify.py [--trust FILE.vpub]... FILE...

Prints one JSON object a line: {"file", "kind", "verdict": "valid"|"invalid", "code", "detail"}.
The demo vendor key is trusted built in (FORMAT.md §10); --trust adds vendor public key files.
Needs `cryptography` (Ed25519).
"""

import base64
import datetime
import hashlib
import json
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAX_FILE = 8388608
DEMO_KEY = "C4+5pfZngBGjHk0dh6b5xVLgm5MF8dCkaT1QSqMrrpQ="

# §1: label -> (tag, cap, self-signed)
KINDS = {
    "BASE LICENSE CERTIFICATE": ("base-certificate", 32768, False),
    "FAILOVERSUITE LICENSE CERTIFICATE": ("failover-certificate", 32768, False),
    "HARDWARE ID": ("hardware-id", 16384, True),
    "ACTIVATION REQUEST": ("activation-request", 262144, True),
    "ACTIVATION RESPONSE": ("activation-response", 65536, False),
    "VENDOR PUBLIC KEY": ("vendor-public-key", 4096, True),
    "USAGE JOURNAL": ("usage-journal", MAX_FILE, True),
    "RELEASE REQUEST": ("release-request", 16384, True),
    "STANDBY RELEASE": ("standby-release", 16384, False),
}


class Refused(Exception):
    def __init__(self, code, detail):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def refuse(code, detail):
    raise Refused(code, detail)


# --- Ed25519 point arithmetic, only to find points of small order (§4) ---------------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def decode_point(b):
    y = int.from_bytes(b, "little") & ((1 << 255) - 1)
    sign = b[31] >> 7
    y %= P  # a y beyond p reads as y - p
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x2 = u * pow(v, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if x == 0 and sign == 1:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def point_add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def small_order(b):
    p = decode_point(b)
    if p is None:
        return True  # not a point at all: refused as well
    for _ in range(3):
        p = point_add(p, p)
    x, y, z, _ = p
    return x % P == 0 and (y - z) % P == 0


# --- base64, keys, key ids (§2, §3) -----------------------------------------------------------
B64_RE = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


def b64(text):
    """Canonical base64 or None."""
    if not B64_RE.match(text):
        return None
    raw = base64.b64decode(text)
    return raw if base64.b64encode(raw).decode() == text else None


def key_id_of(raw_key):
    return "vk-" + hashlib.sha256(raw_key).hexdigest()[:16]


def valid_point(raw):
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return False
    return decode_point(raw) is not None


WHITE = set("\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def strip_white(s):
    while s and s[0] in WHITE:
        s = s[1:]
    while s and s[-1] in WHITE:
        s = s[:-1]
    return s


# --- §2 armor, §8 steps 1-3 -----------------------------------------------------------------------
def parse_armor(data):
    if len(data) == 0:
        refuse("empty_file", "the file is empty")
    if len(data) > MAX_FILE:
        refuse("too_large", "larger than 8 MiB")
    head = data[:128].split(b"\n", 1)[0]
    if head.endswith(b"\r"):
        head = head[:-1]
    m = re.fullmatch(rb"-----BEGIN LICDESK (.*)-----", head, re.S)
    if m:
        label = m.group(1).decode("utf-8", "replace")
        if label in KINDS and len(data) > KINDS[label][1]:
            refuse("too_large", "larger than the cap of its kind")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        refuse("not_license_file", "not UTF-8")
    if "\0" in text:
        refuse("not_license_file", "holds a NUL byte")
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    first = lines[0]
    if not (first.startswith("-----BEGIN LICDESK ") and first.endswith("-----") and len(first) >= 24):
        refuse("not_license_file", "no BEGIN line")
    label = first[len("-----BEGIN LICDESK "):-5]
    if label not in KINDS:
        refuse("not_license_file", "unknown label")
    tag, _, self_signed = KINDS[label]
    end = "-----END LICDESK " + label + "-----"
    if end not in text:
        refuse("damaged_file", "cut off")
    it = iter(lines[1:])

    def header(name):
        line = next(it, None)
        if line is None or not line.startswith(name + ": "):
            refuse("damaged_file", "the %s line is missing or misspelt" % name)
        return line[len(name) + 2:]

    if header("Format") != "1":
        refuse("unsupported_format", "format version is not 1")
    key_id = strip_white(header("Key-Id"))
    if not re.fullmatch(r"vk-[0-9a-f]{16}", key_id):
        refuse("damaged_file", "malformed key id")
    signer = None
    if self_signed:
        signer = b64(header("Signer-Key"))
        if signer is None or len(signer) != 32:
            refuse("damaged_file", "signer key is not base64 of 32 bytes")
        if not valid_point(signer):
            refuse("damaged_file", "signer key is not a valid key")
        if key_id_of(signer) != key_id:
            refuse("damaged_file", "key id is not the signer key's")
    signature = b64(header("Signature"))
    if signature is None or len(signature) != 64:
        refuse("damaged_file", "signature is not base64 of 64 bytes")
    if next(it, None) != "":
        refuse("damaged_file", "no empty line after the headers")
    body = []
    ended = False
    for line in it:
        if line == end:
            ended = True
            break
        if len(line) > 76 or not re.fullmatch(r"[A-Za-z0-9+/=]*", line):
            refuse("damaged_file", "bad body line")
        body.append(line)
    if not ended:
        refuse("damaged_file", "cut off")
    rest = list(it)
    if rest not in ([], [""]):
        refuse("damaged_file", "text after the END line")
    body = "".join(body)
    if not body:
        refuse("damaged_file", "empty body")
    payload = b64(body)
    if payload is None:
        refuse("damaged_file", "body is not canonical base64")
    return {"label": label, "tag": tag, "self_signed": self_signed, "key_id": key_id,
            "signer": signer, "signature": signature, "payload": payload}


def check_signature(env, trusted):
    if env["self_signed"]:
        key = env["signer"]
    else:
        key = trusted.get(env["key_id"])
        if key is None:
            refuse("untrusted_key", "signed by an untrusted key " + env["key_id"])
    message = b"LICDESK-SIG\0" + env["tag"].encode() + b"\0" + b"1\0" + env["key_id"].encode() + b"\0" + env["payload"]
    sig = env["signature"]
    if int.from_bytes(sig[32:], "little") >= L or small_order(sig[:32]) or small_order(key):
        refuse("bad_signature", "signature is not strict")
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, message)
    except (InvalidSignature, ValueError):
        refuse("bad_signature", "signature does not verify")
    return key


# --- §5 canonical JSON ----------------------------------------------------------------------------
def enc_str(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif c < 0x20:
            out.append("\\u%04x" % c)
        elif 0xD800 <= c <= 0xDFFF:
            raise ValueError("lone surrogate")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return enc_str(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, Obj):
        return "{" + ",".join(enc_str(k) + ":" + canonical(x) for k, x in v.pairs) + "}"
    raise ValueError("not JSON")


class Obj:
    def __init__(self, pairs):
        self.pairs = pairs


def bad(detail):
    refuse("invalid_content", detail)


# Types: each checker takes the parsed JSON value and returns nothing, or refuses.
def t_u(bits):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**bits:
            bad("not a u%d" % bits)
    return check


def t_str(v):
    if not isinstance(v, str):
        bad("not a string")


def t_enum(*words):
    def check(v):
        if v not in words or not isinstance(v, str):
            bad("not one of %s" % (words,))
    return check


def t_opt(t):
    def check(v):
        if v is not None:
            t(v)
    return check


def t_list(t):
    def check(v):
        if not isinstance(v, list):
            bad("not an array")
        for x in v:
            t(x)
    return check


def t_obj(fields):
    """fields: [(name, checker, omit_when_absent)]"""
    def check(v):
        if not isinstance(v, Obj):
            bad("not an object")
        names = [k for k, _ in v.pairs]
        want = [n for n, _, omit in fields if not omit or n in names]
        if names != want:
            bad("members %s, expected %s" % (names, want))
        values = dict(v.pairs)
        for n, t, omit in fields:
            if n in values:
                if omit and values[n] is None:
                    bad("%s written as null" % n)
                t(values[n])
    return check


def field(obj, name, default=None):
    for k, v in obj.pairs:
        if k == name:
            return v
    return default


# --- §6 values -------------------------------------------------------------------------------------
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def check_value(prefix, values):
    seq = [ord(c) % 32 for c in prefix] + values
    return sum((i + 1) * v for i, v in enumerate(seq)) % 1021


def check_chars(prefix, values):
    c = check_value(prefix, values)
    return ALPHABET[c // 32] + ALPHABET[c % 32]


def t_license(v):
    t_str(v)
    m = re.fullmatch(r"(OMS|XFM)-([%s]{4})-([%s]{4})-([%s]{2})" % ((ALPHABET,) * 3), v)
    if not m:
        bad("not a license number")
    code = m.group(2) + m.group(3) + m.group(4)
    if check_chars(m.group(1), [ALPHABET.index(c) for c in code[:8]]) != code[8:]:
        bad("check characters of %s do not match" % v)


def t_hwid(v):
    t_str(v)
    if not re.fullmatch(r"([%s]{4})-([%s]{4})-([%s]{4})-([%s]{4})" % ((ALPHABET,) * 4), v):
        bad("not a hardware ID")
    code = v.replace("-", "")
    if check_chars("HW", [ALPHABET.index(c) for c in code[:14]]) != code[14:]:
        bad("check characters of %s do not match" % v)


def t_time(v):
    t_str(v)
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v):
        bad("not a time")
    try:
        t = datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        bad("not a time")
    if t.year < 1970 or t.strftime("%Y-%m-%dT%H:%M:%SZ") != v:
        bad("not a time")


def t_key_id(v):
    t_str(v)
    if not re.fullmatch(r"vk-[0-9a-f]{16}", v):
        bad("not a key id")


def nonce_ok(v):
    return bool(re.fullmatch(r"[0-9a-f]{64}|by-hand-[0-9a-f]{32}", v))


HIDDEN_RANGES = [
    (0x0000, 0x001F), (0x007F, 0x009F),
    (0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200D), (0x2028, 0x2029), (0x2060, 0x2064),
    (0x206A, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
]


def text_ok(v, n):
    if not isinstance(v, str) or all(c in WHITE for c in v) or len(v) > n:
        return False
    return not any(lo <= ord(c) <= hi for c in v for lo, hi in HIDDEN_RANGES)


def check_text(v, n, what):
    if not text_ok(v, n):
        bad("the %s is not acceptable text" % what)


def article_ok(v):
    return bool(re.fullmatch(r"[A-Z0-9.\-]{1,32}", v))


def public_key(text, tolerate_white=False):
    raw = b64(strip_white(text) if tolerate_white else text)
    if raw is None or len(raw) != 32 or not valid_point(raw):
        return None
    return raw


# --- §6.2 hardware ---------------------------------------------------------------------------------
COMPONENT_KINDS = ["machine-id", "product-uuid", "cpu", "nic", "system-volume"]
T_COMPONENT = t_obj([("kind", t_enum(*COMPONENT_KINDS), False), ("hash", t_str, False)])
T_HARDWARE = t_obj([("id", t_hwid, False), ("components", t_list(T_COMPONENT), False),
                    ("label", t_opt(t_str), False)])


def hardware_code(components):
    pairs = sorted(set(components), key=lambda c: (COMPONENT_KINDS.index(c[0]), c[1].encode()))
    h = hashlib.sha256(b"licdesk-hwid-code-v1\0")
    for kind, hsh in pairs:
        h.update(kind.encode() + b":" + hsh.encode() + b"\n")
    digest = h.digest()
    bits = int.from_bytes(digest[:9], "big") >> 2  # the first 70 bits
    values = [(bits >> (5 * (13 - i))) & 31 for i in range(14)]
    code = "".join(ALPHABET[v] for v in values) + check_chars("HW", values)
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def check_hardware(hw):
    label = field(hw, "label")
    if label is not None:
        check_text(label, 255, "host name")
    comps = [(field(c, "kind"), field(c, "hash")) for c in field(hw, "components")]
    if not comps:
        return
    if len(comps) > 64 or not all(re.fullmatch(r"[0-9a-f]{32}", h) for _, h in comps):
        bad("malformed components")
    if hardware_code(comps) != field(hw, "id"):
        bad("the hardware ID is not the code of its components")


# --- §7 schemas --------------------------------------------------------------------------------------
MODE = t_opt(t_enum("cold", "hot", "test"))
ROLE = t_enum("main", "standby")
T_NAMED = lambda: t_obj([("article", t_str, False), ("name", t_str, False), ("quantity", t_u(32), False)])
SCHEMAS = {
    "base-certificate": [("license", t_license, False), ("revision", t_u(32), False),
                         ("customer", t_str, False),
                         ("variant", t_enum("10", "25", "250", "unlimited"), False),
                         ("extensions", t_list(T_NAMED()), False), ("issued_at", t_time, False)],
    "failover-certificate": [("license", t_license, False), ("article", t_str, False),
                             ("base_license", t_license, False), ("issued_at", t_time, False)],
    "hardware-id": [("hardware", T_HARDWARE, False), ("created_at", t_time, False)],
    "activation-request": [("nonce", t_str, False), ("created_at", t_time, False),
                           ("license", t_license, False), ("role", ROLE, False),
                           ("hardware", T_HARDWARE, False), ("mirrors", t_license, False),
                           ("mode", MODE, False), ("certificates", t_list(t_str), False),
                           ("installation_key", t_opt(t_str), False)],
    "activation-response": [("request_nonce", t_str, False), ("license", t_license, False),
                            ("role", ROLE, False), ("hardware", T_HARDWARE, False),
                            ("mirrors", t_license, False), ("base_revision", t_u(32), False),
                            ("mode", MODE, False), ("entitlements", t_list(T_NAMED()), False),
                            ("entitlement_digest", t_str, False), ("notice", t_opt(t_str), False),
                            ("limits", t_opt(t_obj([(n, t_u(32), False) for n in (
                                "max_load_hours", "episode_gap_hours", "warning_hours",
                                "final_warning_hours")])), False),
                            ("installation_key", t_opt(t_str), False),
                            ("activated_at", t_time, False), ("serial", t_u(64), True)],
    "release-request": [("nonce", t_str, False), ("created_at", t_time, False),
                        ("failover", t_license, False), ("hardware", T_HARDWARE, False),
                        ("reason", t_str, False)],
    "standby-release": [("request_nonce", t_str, False), ("failover", t_license, False),
                        ("hardware_id", t_hwid, False), ("released_at", t_time, False),
                        ("serial", t_u(64), True)],
    "usage-journal": [("failover", t_license, False), ("hardware_id", t_hwid, False),
                      ("installation_key", t_str, False), ("exported_at", t_time, False),
                      ("entries", t_list(t_obj([("seq", t_u(64), False), ("at", t_time, False),
                                                ("state", t_enum("load", "idle"), False),
                                                ("hash", t_str, False)])), False),
                      ("activation", t_str, False)],
    "vendor-public-key": [("key_id", t_key_id, False), ("public_key", t_str, False),
                          ("vendor", t_str, False), ("created_at", t_time, False)],
}


def read_payload(env):
    raw = env["payload"]
    try:
        text = raw.decode("utf-8")

        def no_constant(name):
            raise ValueError(name)

        value = json.loads(text, object_pairs_hook=Obj, parse_constant=no_constant,
                           parse_float=lambda s: no_constant(s))
    except (UnicodeDecodeError, ValueError):
        bad("the payload is not JSON")
    t_obj(SCHEMAS[env["tag"]])(value)
    try:
        again = canonical(value).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        bad("the payload cannot be canonical")
    if again != raw:
        bad("the payload is not in canonical form")
    return value


# --- §7 rules and §8 ------------------------------------------------------------------------------------
def verify(data, trusted, expect=None):
    env = parse_armor(data)
    if expect is not None and env["tag"] != expect:
        refuse("wrong_kind", "expected %s, got %s" % (expect, env["tag"]))
    signer = check_signature(env, trusted)
    p = read_payload(env)
    tag = env["tag"]
    f = lambda name: field(p, name)
    if tag == "base-certificate":
        if not f("license").startswith("OMS-"):
            bad("not a suite license")
        if f("revision") < 1:
            bad("revision 0: revisions start at 1")
        check_text(f("customer"), 200, "customer name")
        for e in f("extensions"):
            a = field(e, "article")
            if not article_ok(a) or a == "XFM.47000":
                bad("bad article")
            check_text(field(e, "name"), 100, "extension name")
            if not 1 <= field(e, "quantity") <= 1000000:
                bad("quantity out of range")
    elif tag == "failover-certificate":
        if not f("license").startswith("XFM-") or not f("base_license").startswith("OMS-"):
            bad("wrong license prefixes")
        if f("article") != "XFM.47000":
            bad("wrong article")
    elif tag == "hardware-id":
        check_hardware(f("hardware"))
    elif tag == "activation-request":
        if not nonce_ok(f("nonce")):
            bad("bad nonce")
        check_hardware(f("hardware"))
        key = f("installation_key")
        if key is not None and public_key(key, tolerate_white=True) is None:
            bad("bad installation key")
        if key is None and f("role") == "standby":
            bad("a standby request without an installation key")
        for cert in f("certificates"):
            inner = parse_armor_or_content(cert)
            if inner["tag"] not in ("base-certificate", "failover-certificate"):
                bad("a carried file is not a certificate")
            verify(cert.encode("utf-8"), trusted)
    elif tag == "activation-response":
        if not nonce_ok(f("request_nonce")):
            bad("bad nonce")
        check_hardware(f("hardware"))
        if f("notice") is not None:
            check_text(f("notice"), 2000, "notice")
        if not re.fullmatch(r"[0-9a-f]{32}", f("entitlement_digest")):
            bad("the entitlement digest is not 32 lowercase hex characters")
        for e in f("entitlements"):
            check_text(field(e, "name"), 200, "entitlement name")
            check_text(field(e, "article"), 40, "entitlement article")
        key = f("installation_key")
        if key is not None and public_key(key) is None:
            bad("the installation key is not a public key")
    elif tag == "release-request":
        if not nonce_ok(f("nonce")):
            bad("bad nonce")
        check_hardware(f("hardware"))
        check_text(f("reason"), 500, "reason")
    elif tag == "standby-release":
        if not nonce_ok(f("request_nonce")):
            bad("bad nonce")
        if not f("failover").startswith("XFM-"):
            bad("not a FailoverSuite license")
    elif tag == "vendor-public-key":
        key = public_key(f("public_key"), tolerate_white=True)
        if key is None:
            bad("the public key is not a valid key")
        if key != signer or f("key_id") != env["key_id"]:
            bad("the file names another key than the one that signed it")
        check_text(f("vendor"), 200, "vendor name")
    elif tag == "usage-journal":
        check_journal(p, signer, trusted)
    return tag


def parse_armor_or_content(text):
    try:
        return parse_armor(text.encode("utf-8"))
    except Refused as e:
        bad("a carried file is refused: " + e.detail)


def check_journal(p, signer, trusted):
    f = lambda name: field(p, name)
    try:
        env = parse_armor(f("activation").encode("utf-8"))
    except Refused as e:
        bad("its activation is not a file: " + e.detail)
    if env["tag"] != "activation-response":
        bad("its activation is not an activation response")
    verify(f("activation").encode("utf-8"), trusted)
    act = read_payload(env)
    a = lambda name: field(act, name)
    if a("license") != f("failover") or a("role") != "standby":
        bad("its activation is for another license or role")
    signer_text = base64.b64encode(signer).decode()
    certified = a("installation_key")
    if certified is None or certified != signer_text or f("installation_key") != signer_text \
            or f("hardware_id") != field(a("hardware"), "id"):
        refuse("tampered", "not signed by the installation its activation certified")
    previous = "licdesk-journal-v1"
    last = None
    for i, e in enumerate(f("entries")):
        seq, at, state, hsh = (field(e, n) for n in ("seq", "at", "state", "hash"))
        want = hashlib.sha256(b"\0".join(x.encode() for x in (previous, str(seq), at, state))).hexdigest()
        if seq != i or hsh != want:
            refuse("tampered", "the hash chain is broken at entry %d" % i)
        if last is not None and at < last:
            refuse("tampered", "the clock runs backwards at entry %d" % i)
        last = at
        previous = hsh
    if last is not None and f("exported_at") < last:
        refuse("tampered", "exported before its last entry")


def trusted_keys(vpub_files):
    keys = {}
    demo = b64(DEMO_KEY)
    keys[key_id_of(demo)] = demo
    for path in vpub_files:
        with open(path, "rb") as fh:
            data = fh.read()
        verify(data, keys, expect="vendor-public-key")
        env = parse_armor(data)
        keys[env["key_id"]] = env["signer"]
    return keys


def main(argv):
    trust, files = [], []
    args = iter(argv)
    for a in args:
        if a == "--trust":
            trust.append(next(args))
        else:
            files.append(a)
    keys = trusted_keys(trust)
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        kind = None
        try:
            kind = verify(data, keys)
            result = {"verdict": "valid", "code": None, "detail": None}
        except Refused as e:
            result = {"verdict": "invalid", "code": e.code, "detail": e.detail}
        result.update({"file": path, "kind": kind})
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
