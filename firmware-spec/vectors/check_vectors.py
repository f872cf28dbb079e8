#!/usr/bin/env python3
"""Independent verifier of the ASXH test vectors (SPEC.md §12).

Written from firmware-spec/SPEC.md alone, with the Python standard library and the
`cryptography` package. It checks:

* credentials.json -- every card credential (profile 01) is decoded and verified with the
  §5.5 procedure (strict BER-TLV of §4.1, value encodings of §4, envelope of §5.1, body of
  §5.2/§5.3, ECDSA P-256/SHA-256 and the issuer key identifier of §3); the outcome must equal
  `expect`, and the decoded fields of a valid credential must equal `fields` exactly.
* qr.json -- the same for QR credentials (profile 02, §6), after the `ASXH1:` prefix and the
  RFC 9285 base45 decoding of §6.1.
* apdu.json -- the exchanges are replayed against a model of the card application built from
  §7-§10 (APDU cases, the processing order of §7.3, the life cycle table, command chaining,
  61XX/GET RESPONSE, PIN and administrative code counters). Every status word must be listed
  in §7.4 and equal the one the model predicts; every FCI is parsed and compared with §8.1;
  the GENERATE key, the credential written by PUT DATA (which must verify under the issuer
  key and bind the card key) and every INTERNAL AUTHENTICATE signature over the §8.6 message
  are checked. A sequence starts from a fresh model card (`blank`) or from the model card the
  named sequence left, after a power-up. The ATR is parsed per ISO/IEC 7816-3: it must offer
  T=1 only and announce chaining and extended length (§7.1).
* access.json -- the access matrix of §12: each state and session is reached on the model by
  its setup (apdu.json commands are fed with their recorded answers, so the model learns the
  card key), and every cell's status word must equal the model's prediction; the matrix must
  have all five states in every row and the same sessions in every row.
* lists.json -- every trust list (profile 08, §14), full revocation list (06) and delta (07,
  §15.1) goes through the same §5.5 steps (envelope, signature with `signer_public_key_hex`,
  `82` naming that key, then every field: key ids against their keys, office code and name,
  area, dates, status; for revocation lists the count, the Rice parameter, the Golomb-Rice
  coded serials, the default reason, the exceptions and the base version); the outcome must
  equal `expect`, and `fields` must match exactly. The withdrawn profiles 03/04/05 get the
  wrong-profile failure of §5.5 step 1. For a valid revocation list the two encoder choices of
  §15.1 are checked too: `87` gives the shortest `88` of any k in 0-40 (compared in bytes, as
  the text does not say how a tie or bits against bytes is settled) and `89` is the most
  common reason, the lowest code on a tie. The outcome must not change when the key
  §12 names is used instead (the root for trust lists, `revocation_list_key_hex` for
  revocation lists), and the `A1` key of a valid trust list must be `revocation_list_key_hex`.
  `apply` is replayed with §15.3 (version, serials and reasons after: a serial the delta
  repeats keeps its first reason), and the same delta must then be refused; `keep` takes a
  newer full list that leaves a held serial out, which stays revoked with its held reason
  (§15.3). Office names refuse control, format and separator characters and white space at
  either end (§14).
* rolls.json -- every payment roll (profile 09) and delta (0A, §17) goes through the same §5.5
  steps with `signer_public_key_hex`, then the body of §17.1 (area, month, count) and the
  first SSN and the Golomb-Rice coded others (§15.1 coding), and the record stream of §17.2
  after raw-DEFLATE inflation with the 16 MiB limit (zlib, wbits -15; nothing may follow the
  final block): the item and recipient tables and one entry per SSN with its line count,
  indices, recipient codes (first-use order) and status; `fields` must match exactly. `apply` is
  replayed with §17.3 (an entry replaces the whole entry of its SSN, no lines removes it), and
  the same delta must then be refused.
* receipts.json -- every payment receipt (profiles 0B and 0C, §18) is parsed (the outer
  template, the body of §18.1 with its lines, the card flags by profile) and its signature
  checked over the §18.2 message with `signer_public_key_hex`; `fields` must match exactly.
  apdu.json's PERFORM SECURITY OPERATION answers are checked over the §8.13 message.

Readings of SPEC.md where the text leaves a choice (none changes an outcome of the vectors):

* Failures inside a body are reported in document order (the first child that cannot be read,
  has a tag not allowed at its place, or has an invalid value); cross-field rules (SSN against
  sex and birth year, expiry against issue) are applied after the whole template is read.
  A ninth `A0` is a repeated tag (`wrong_tag`). Value rules outside §4.1 give `invalid_field`.
* §5.5 step 2: the signature is checked with the given issuer key, then `82` is compared with
  its identifier.
* Names: "Alphabetic" is approximated by the standard library (general categories L* and Nl);
  the few combining marks with Other_Alphabetic are not recognised.
* §14: the body table has no presence column; `80`-`84` and `A1` are read as required, `A2`
  as zero or more, and every child of `A1` and `A2` as required. Nothing is checked besides:
  `valid until` not before `valid from`, no key id twice. "Control characters" in an office
  name are general category Cc, and "space" is `20` (as in §4.7).
* §15.1: `85` in a full list is a tag not in its table (`wrong_tag`), and a delta without it
  has a tag where `85` is required (`wrong_tag`, §4.1 rule 3). `88` and `8A` are decoded as
  they are read (their tables put `86`, `87` and `89` before them), so their failures come in
  document order; `base version ≤ version` is a cross-field rule, applied after the body is
  read. With R = 0 `88` must be empty (a byte there is "a byte after the last value's last
  bit"). An exception list that ends inside a LEB128 number or before a reason byte is
  `invalid_field` (the text names no kind; it is a value rule outside §4.1). A count, Rice
  parameter or default reason of the wrong size is `invalid_field`. An `8A` index is "the
  difference to the previous exception's index plus one" read as index - (previous + 1),
  the only reading under which the first is "the index itself" and the order is strict.
* §15.3: a delta is applied only when its base equals the held version and its version is not
  lower; the result is held as a full list at the delta's version, with the union of the
  serials (a serial already held keeps its reason).
* The worked example of §15.1 ({1, 3, 9} with k = 1 is `1D`) is checked both ways as the
  self-test line `SPEC.md:rice-example`.
* §8.1: a SELECT that fails at steps 1-5 of §7.3 leaves the selection as it was (only a
  SELECT that passes them clears the session).
* §7.1: a PUT DATA part refused at steps 7-9 of §7.3 discards the chain ("any answer but 9000
  to one of its parts").

Output: one line per vector (`ok  <file>:<name>` or `FAIL <file>:<name>: <reason>`), then
`check_vectors: N passed, M failed`; exit status 1 if anything failed.
"""

import calendar
import copy
import datetime
import hashlib
import json
import os
import re
import sys
import unicodedata
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))

MALFORMED = "malformed"
WRONG_TAG = "wrong_tag"
INVALID = "invalid_field"
BAD_SIGNATURE = "bad_signature"
VALID = "valid"

P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
CARD_LIMIT = 2048  # §5.4
QR_LIMIT = 1536  # §5.4
TRUST_LIST_LIMIT = 1 << 20  # §14: 1 MiB
REVOCATION_LIST_LIMIT = 64 << 20  # §15.1: 64 MiB
ROLL_LIMIT = 16 << 20  # §17.1: 16 MiB, and as much inflated
ENVELOPE_LIMIT = {1: CARD_LIMIT, 2: QR_LIMIT, 8: TRUST_LIST_LIMIT,
                  6: REVOCATION_LIST_LIMIT, 7: REVOCATION_LIST_LIMIT,
                  9: ROLL_LIMIT, 10: ROLL_LIMIT}  # by profile byte
MAX_ENTITLEMENTS = 8  # §5.2, §5.4
EPOCH = datetime.date(2000, 1, 1)  # §4.3


class Reject(Exception):
    """A §5.5 failure: `kind` is one of the `expect` values of §12."""

    def __init__(self, kind, reason):
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# §3 cryptography


def load_public_key(raw):
    """A SEC1 uncompressed P-256 point (65 bytes, 04||X||Y) on the curve, else ValueError."""
    if len(raw) != 65 or raw[0] != 0x04:
        raise ValueError("not a 65-byte uncompressed point")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes(raw))


def issuer_key_id(raw_public_key):
    """§3: the first 8 bytes of SHA-256 over the 65-byte public key."""
    return hashlib.sha256(raw_public_key).digest()[:8]


def ecdsa_verify(public_key, signature, message):
    """ECDSA P-256/SHA-256 over `message` with a 64-byte r||s signature (§3)."""
    if len(signature) != 64:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < P256_N and 0 < s < P256_N):
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# §4.1 strict BER-TLV


def read_tlv(buf, pos):
    """Read one TLV at `pos`; return (tag, value, next_pos). Malformed if truncated/non-minimal."""
    end = len(buf)
    if pos >= end:
        raise Reject(MALFORMED, "truncated: missing tag")
    start = pos
    first = buf[pos]
    pos += 1
    if first & 0x1F == 0x1F:  # multi-byte tag: subsequent bytes while b8 is set
        while True:
            if pos >= end:
                raise Reject(MALFORMED, "truncated tag")
            b = buf[pos]
            pos += 1
            if not b & 0x80:
                break
    tag = bytes(buf[start:pos])
    if pos >= end:
        raise Reject(MALFORMED, f"tag {tag.hex().upper()}: missing length")
    lb = buf[pos]
    pos += 1
    if lb < 0x80:
        length = lb
    elif 0x81 <= lb <= 0x84:
        n = lb & 0x7F
        if pos + n > end:
            raise Reject(MALFORMED, "truncated length")
        length = int.from_bytes(buf[pos:pos + n], "big")
        pos += n
        if length < (0x80 if n == 1 else 1 << (8 * (n - 1))):
            raise Reject(MALFORMED, f"tag {tag.hex().upper()}: non-minimal length "
                                    f"{lb:02X} {length:0{2 * n}X}")
    else:
        raise Reject(MALFORMED, f"tag {tag.hex().upper()}: length form {lb:02X} not allowed")
    if pos + length > end:
        raise Reject(MALFORMED, f"tag {tag.hex().upper()}: value truncated "
                                f"({end - pos} of {length} bytes)")
    return tag, bytes(buf[pos:pos + length]), pos + length


def iter_tlvs(buf):
    """Yield (tag, value, raw) for consecutive TLVs that must fill `buf` exactly."""
    pos = 0
    while pos < len(buf):
        tag, value, nxt = read_tlv(buf, pos)
        yield tag, value, bytes(buf[pos:nxt])
        pos = nxt


def is_constructed(tag):
    """Bit 6 of the first tag byte marks a constructed object (§4.1)."""
    return bool(tag[0] & 0x20)


class Field:
    """One row of a §5/§6 tag table: tag, output key, presence, repetitions, value decoder."""

    def __init__(self, tag_hex, key, required, max_count, decode):
        self.tag = bytes.fromhex(tag_hex)
        self.key = key
        self.required = required
        self.max_count = max_count
        self.decode = decode


def decode_template(value, table, where):
    """Decode the children of a template in table order (§4.1 rules 1-4).

    Returns {key: decoded value} (a list for repeatable rows). Failures are reported in document
    order: a child that cannot be read is malformed, a tag not allowed at its place is a wrong
    tag, a value outside its rules is an invalid field; a template that ends before a required
    tag is malformed.
    """
    out = {}
    idx, count = 0, 0
    for tag, val, _raw in iter_tlvs(value):
        j = idx
        while True:
            if j >= len(table):
                raise Reject(WRONG_TAG, f"{where}: tag {tag.hex().upper()} not allowed here")
            row = table[j]
            if row.tag == tag:
                break
            satisfied = (j == idx and count >= 1) or not row.required
            if not satisfied:
                raise Reject(WRONG_TAG, f"{where}: tag {tag.hex().upper()} where "
                                        f"{row.tag.hex().upper()} is required")
            j += 1
        if j != idx:
            idx, count = j, 0
        if count >= row.max_count:
            raise Reject(WRONG_TAG, f"{where}: tag {tag.hex().upper()} repeated")
        count += 1
        if is_constructed(tag) != is_constructed(row.tag):  # rule 4 (cannot differ, kept explicit)
            raise Reject(MALFORMED, f"{where}: tag {tag.hex().upper()} constructed/primitive")
        decoded = row.decode(val, f"{where}.{row.key}")
        if row.max_count > 1:
            out.setdefault(row.key, []).append(decoded)
        else:
            out[row.key] = decoded
    for j in range(idx + (1 if count else 0), len(table)):
        if table[j].required:
            raise Reject(MALFORMED, f"{where}: ends before required tag "
                                    f"{table[j].tag.hex().upper()}")
    return out


# ---------------------------------------------------------------------------------------------
# §4.2-§4.8 value encodings


def bad(where, why):
    """An invalid field value."""
    return Reject(INVALID, f"{where}: {why}")


def dec_uint(v, where, max_len, lo, hi):
    """§4.2 unsigned integer: big-endian, minimal, 1..max_len bytes, in [lo, hi]."""
    if not 1 <= len(v) <= max_len:
        raise bad(where, f"integer of {len(v)} bytes")
    if len(v) > 1 and v[0] == 0:
        raise bad(where, "integer with a leading 00 byte")
    n = int.from_bytes(v, "big")
    if not lo <= n <= hi:
        raise bad(where, f"integer {n} out of range")
    return n


def dec_date(v, where):
    """§4.3 Date: 2 bytes, days since 2000-01-01. Returns the day number."""
    if len(v) != 2:
        raise bad(where, f"date of {len(v)} bytes")
    return int.from_bytes(v, "big")


def date_text(days):
    """Text form YYYY-MM-DD of a §4.3 day number."""
    return (EPOCH + datetime.timedelta(days=days)).isoformat()


def bcd_digits(v, where):
    """Packed BCD to a digit string; any nibble above 9 is invalid."""
    out = []
    for b in v:
        for nib in (b >> 4, b & 0x0F):
            if nib > 9:
                raise bad(where, f"nibble {nib:X} is not a BCD digit")
            out.append(str(nib))
    return "".join(out)


def dec_partial_date(v, where):
    """§4.3 partial date (BCD YYYY, YYYYMM or YYYYMMDD). Returns (text, year)."""
    if len(v) not in (2, 3, 4):
        raise bad(where, f"partial date of {len(v)} bytes")
    d = bcd_digits(v, where)
    year = int(d[:4])
    if not 1900 <= year <= 2399:
        raise bad(where, f"year {year} out of range")
    text = d[:4]
    if len(v) >= 3:
        month = int(d[4:6])
        if not 1 <= month <= 12:
            raise bad(where, f"month {d[4:6]}")
        text += "-" + d[4:6]
        if len(v) == 4:
            day = int(d[6:8])
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise bad(where, f"day {d[6:8]} not in {year}-{d[4:6]}")
            text += "-" + d[6:8]
    return text, year


def dec_ssn(v, where):
    """§4.4 SSN: 6 bytes BCD. Returns (text, is_male, birth_year)."""
    if len(v) != 6:
        raise bad(where, f"SSN of {len(v)} bytes")
    d = bcd_digits(v, where)
    if d[0] != "0" or d[:3] == "000":
        raise bad(where, f"province code {d[:3]}")
    d4 = int(d[3])
    return d, d4 % 2 == 0, 1900 + 100 * (d4 // 2) + int(d[4:6])


def luhn_check_digit(digits):
    """The Luhn check digit to append to `digits`."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def serial_text(n):
    """§4.5 text form: ten digits, dash, Luhn check digit."""
    digits = f"{n:010d}"
    return f"{digits}-{luhn_check_digit(digits)}"


def dec_serial(v, where):
    """§4.5 card serial: 5 bytes big-endian, 1..9 999 999 999. Returns the number."""
    if len(v) != 5:
        raise bad(where, f"serial of {len(v)} bytes")
    n = int.from_bytes(v, "big")
    if not 1 <= n <= 9_999_999_999:
        raise bad(where, f"serial {n} out of range")
    return n


def dec_area_code(v, where):
    """§4.6 area code: province (2 digits), optional district (3), optional commune (5)."""
    if not re.fullmatch(rb"[0-9]{2}(?:\.[0-9]{3})?(?:\.[0-9]{5})?", v):
        raise bad(where, f"area code {v!r}")
    return v.decode("ascii")


def is_letter(ch):
    """Unicode Alphabetic, as far as the standard library exposes it (L* and Nl)."""
    return ch.isalpha() or unicodedata.category(ch) == "Nl"


def dec_name(v, where):
    """§4.7 name: canonical NFC UTF-8, 1-100 bytes, letters and ' -'.'."""
    if not 1 <= len(v) <= 100:
        raise bad(where, f"name of {len(v)} bytes")
    try:
        s = v.decode("utf-8")
    except UnicodeDecodeError:
        raise bad(where, "name is not UTF-8") from None
    if not unicodedata.is_normalized("NFC", s):
        raise bad(where, "name is not NFC")
    for ch in s:
        if not (is_letter(ch) or ch in " -'."):
            raise bad(where, f"character U+{ord(ch):04X} not allowed in a name")
    if not any(is_letter(ch) for ch in s):
        raise bad(where, "name without a letter")
    if s[0] == " " or s[-1] == " " or "  " in s:
        raise bad(where, "name with leading, trailing or double space")
    return s


def dec_ascii(pattern, what):
    """A decoder for an ASCII code matching `pattern` (§4.8)."""
    def decode(v, where):
        if not re.fullmatch(pattern, v):
            raise bad(where, f"{what} {v!r}")
        return v.decode("ascii")
    return decode


dec_program = dec_ascii(rb"[A-Z0-9]{2,8}", "program code")
dec_category = dec_ascii(rb"[A-Z0-9._\-]{1,16}", "category code")
dec_id_number = dec_ascii(rb"[0-9]{12}|[0-9]{9}", "ID number")


def dec_amount(v, where):
    """§4.8 monthly amount: unsigned integer of 1-5 bytes, 1..999 999 999 999."""
    return dec_uint(v, where, 5, 1, 999_999_999_999)


def dec_sex(v, where):
    """§4.8 sex: 4D or 46."""
    if v not in (b"M", b"F"):
        raise bad(where, f"sex {v.hex().upper()}")
    return v.decode("ascii")


def dec_key_id(v, where):
    """§3 issuer key identifier: 8 bytes."""
    if len(v) != 8:
        raise bad(where, f"key identifier of {len(v)} bytes")
    return v


def dec_public_key(v, where):
    """§3 public key: 65-byte uncompressed point on P-256."""
    try:
        load_public_key(v)
    except ValueError as e:
        raise bad(where, f"public key: {e}") from None
    return v


def dec_profile(expected):
    """A decoder for the profile byte (§5.1)."""
    def decode(v, where):
        if v != bytes([expected]):
            raise bad(where, f"profile {v.hex().upper()}, expected {expected:02X}")
        return v[0]
    return decode


# ---------------------------------------------------------------------------------------------
# §5.2, §5.3, §6.2 tag tables


def dec_recipient(v, where):
    """§5.3 authorised recipient template A5."""
    d = decode_template(v, RECIPIENT, where)
    return {"name": d["name"], "id_number": d["id_number"]}


def dec_card_entitlement(v, where):
    """§5.3 entitlement template A0, card column."""
    d = decode_template(v, CARD_ENTITLEMENT, where)
    if "valid_until" in d and d["valid_until"] < d["valid_from"]:
        raise bad(where, "valid-until before valid-from")
    out = {"program": d["program"], "category": d["category"]}
    if "monthly_amount_vnd" in d:
        out["monthly_amount_vnd"] = d["monthly_amount_vnd"]
    out["valid_from"] = date_text(d["valid_from"])
    if "valid_until" in d:
        out["valid_until"] = date_text(d["valid_until"])
    if "authorized_recipient" in d:
        out["authorized_recipient"] = d["authorized_recipient"]
    return out


def dec_qr_entitlement(v, where):
    """§5.3 entitlement template A0, QR column (80, 82, 84, A5 only)."""
    d = decode_template(v, QR_ENTITLEMENT, where)
    out = {"program": d["program"]}
    if "monthly_amount_vnd" in d:
        out["monthly_amount_vnd"] = d["monthly_amount_vnd"]
    if "valid_until" in d:
        out["valid_until"] = date_text(d["valid_until"])
    if "authorized_recipient" in d:
        out["authorized_recipient"] = d["authorized_recipient"]
    return out


REQ, OPT = True, False

RECIPIENT = [
    Field("80", "name", REQ, 1, dec_name),
    Field("81", "id_number", REQ, 1, dec_id_number),
]
CARD_ENTITLEMENT = [
    Field("80", "program", REQ, 1, dec_program),
    Field("81", "category", REQ, 1, dec_category),
    Field("82", "monthly_amount_vnd", OPT, 1, dec_amount),
    Field("83", "valid_from", REQ, 1, dec_date),
    Field("84", "valid_until", OPT, 1, dec_date),
    Field("A5", "authorized_recipient", OPT, 1, dec_recipient),
]
QR_ENTITLEMENT = [
    Field("80", "program", REQ, 1, dec_program),
    Field("82", "monthly_amount_vnd", OPT, 1, dec_amount),
    Field("84", "valid_until", OPT, 1, dec_date),
    Field("A5", "authorized_recipient", OPT, 1, dec_recipient),
]
CARD_BODY = [
    Field("80", "profile", REQ, 1, dec_profile(0x01)),
    Field("81", "serial", REQ, 1, dec_serial),
    Field("82", "issuer_key_id", REQ, 1, dec_key_id),
    Field("83", "issued", REQ, 1, dec_date),
    Field("84", "expires", REQ, 1, dec_date),
    Field("85", "ssn", REQ, 1, dec_ssn),
    Field("86", "full_name", REQ, 1, dec_name),
    Field("87", "date_of_birth", REQ, 1, dec_partial_date),
    Field("88", "sex", REQ, 1, dec_sex),
    Field("89", "area_code", REQ, 1, dec_area_code),
    Field("8A", "card_public_key", REQ, 1, dec_public_key),
    Field("A0", "entitlements", OPT, MAX_ENTITLEMENTS, dec_card_entitlement),
]
QR_BODY = [
    Field("80", "profile", REQ, 1, dec_profile(0x02)),
    Field("81", "serial", REQ, 1, dec_serial),
    Field("82", "issuer_key_id", REQ, 1, dec_key_id),
    Field("84", "expires", REQ, 1, dec_date),
    Field("85", "ssn", REQ, 1, dec_ssn),
    Field("86", "full_name", REQ, 1, dec_name),
    Field("87", "date_of_birth", REQ, 1, dec_partial_date),
    Field("A0", "entitlements", OPT, MAX_ENTITLEMENTS, dec_qr_entitlement),
]


def decode_card_body(body):
    """§5.2 card credential body (value of 7F4E) to the §12 `fields` dictionary."""
    d = decode_template(body, CARD_BODY, "body")
    ssn, male, ssn_year = d["ssn"]
    dob, dob_year = d["date_of_birth"]
    if male != (d["sex"] == "M"):
        raise bad("body.sex", f"sex {d['sex']} disagrees with SSN digit 4 ({ssn[3]})")
    if ssn_year != dob_year:
        raise bad("body.ssn", f"SSN birth year {ssn_year} disagrees with date of birth {dob}")
    if d["expires"] < d["issued"]:
        raise bad("body.expires", "expiry before issue date")
    return {
        "profile": "card",
        "serial": serial_text(d["serial"]),
        "issuer_key_id_hex": d["issuer_key_id"].hex(),
        "issued": date_text(d["issued"]),
        "expires": date_text(d["expires"]),
        "ssn": ssn,
        "full_name": d["full_name"],
        "date_of_birth": dob,
        "sex": d["sex"],
        "area_code": d["area_code"],
        "card_public_key_hex": d["card_public_key"].hex(),
        "entitlements": d.get("entitlements", []),
    }


def decode_qr_body(body):
    """§6.2 QR credential body (value of 7F4E) to the §12 `fields` dictionary."""
    d = decode_template(body, QR_BODY, "body")
    ssn, _male, ssn_year = d["ssn"]
    dob, dob_year = d["date_of_birth"]
    if ssn_year != dob_year:
        raise bad("body.ssn", f"SSN birth year {ssn_year} disagrees with date of birth {dob}")
    return {
        "profile": "qr",
        "serial": serial_text(d["serial"]),
        "issuer_key_id_hex": d["issuer_key_id"].hex(),
        "expires": date_text(d["expires"]),
        "ssn": ssn,
        "full_name": d["full_name"],
        "date_of_birth": dob,
        "entitlements": d.get("entitlements", []),
    }


# ---------------------------------------------------------------------------------------------
# §5.1 envelope and §5.5 verification procedure


def parse_envelope(raw, profile):
    """§5.5 step 1. Returns (body_tlv_bytes, body_value, signature)."""
    limit = ENVELOPE_LIMIT[profile]
    if len(raw) > limit:
        raise Reject(MALFORMED, f"{len(raw)} bytes, over the {limit}-byte limit")
    tag, value, end = read_tlv(raw, 0)
    if end != len(raw):
        raise Reject(MALFORMED, f"{len(raw) - end} trailing byte(s) after the envelope")
    if tag != b"\x7f\x21":
        raise Reject(WRONG_TAG, f"outer tag {tag.hex().upper()}, expected 7F21")
    children = iter_tlvs(value)
    expected = [b"\x7f\x4e", b"\x5f\x37"]
    found = []
    for i, (ctag, cval, craw) in enumerate(children):
        if i >= len(expected):
            raise Reject(WRONG_TAG, f"envelope: extra tag {ctag.hex().upper()}")
        if ctag != expected[i]:
            raise Reject(WRONG_TAG, f"envelope: tag {ctag.hex().upper()}, "
                                    f"expected {expected[i].hex().upper()}")
        found.append((cval, craw))
    if len(found) < 2:
        raise Reject(MALFORMED, "envelope ends before 7F4E/5F37")
    (body, body_tlv), (signature, _) = found
    if len(signature) != 64:
        raise Reject(MALFORMED, f"5F37 of {len(signature)} bytes, expected 64")
    if not body:
        raise Reject(MALFORMED, "empty body: no profile")
    ptag, pval, _ = read_tlv(body, 0)
    if ptag != b"\x80":
        raise Reject(WRONG_TAG, f"first body element {ptag.hex().upper()}, expected 80")
    if pval != bytes([profile]):
        raise Reject(INVALID, f"profile {pval.hex().upper()}, expected {profile:02X}")
    return body_tlv, body, signature


def find_issuer_key_id(body):
    """§5.5 step 2: the value of tag 82 among the body's elements, or None."""
    try:
        for tag, val, _ in iter_tlvs(body):
            if tag == b"\x82":
                return val
    except Reject:
        return None
    return None


def verify_signed(raw, signer_public_raw, profile, decode_body):
    """The §5.5 procedure for any §5.1 envelope (credentials, §14 and §15 lists).

    Returns decode_body(body) or raises Reject.
    """
    body_tlv, body, signature = parse_envelope(raw, profile)
    named_id = find_issuer_key_id(body)
    if named_id is None:  # no key can be selected: report the structural failure of step 3
        decode_body(body)
        raise Reject(MALFORMED, "body has no signer key identifier 82")
    signer = load_public_key(signer_public_raw)
    if not ecdsa_verify(signer, signature, body_tlv):
        raise Reject(BAD_SIGNATURE, "signature over the 7F4E TLV does not verify")
    if named_id != issuer_key_id(signer_public_raw):
        raise Reject(INVALID, f"82 names key {named_id.hex()}, "
                              f"signer key id is {issuer_key_id(signer_public_raw).hex()}")
    return decode_body(body)


def verify_credential(raw, issuer_public_raw, profile):
    """The §5.5 procedure for a credential. Returns the `fields` dictionary or raises Reject."""
    decode_body = decode_card_body if profile == 1 else decode_qr_body
    return verify_signed(raw, issuer_public_raw, profile, decode_body)


# ---------------------------------------------------------------------------------------------
# §6.1 QR text

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
BASE45_VALUE = {c: i for i, c in enumerate(BASE45)}
QR_PREFIX = "ASXH1:"


def base45_decode(text):
    """RFC 9285 base45 decoding; anything invalid is malformed."""
    try:
        vals = [BASE45_VALUE[c] for c in text]
    except KeyError as e:
        raise Reject(MALFORMED, f"character {e.args[0]!r} is not base45") from None
    if len(vals) % 3 == 1:
        raise Reject(MALFORMED, "base45 length leaves a single character")
    out = bytearray()
    for i in range(0, len(vals), 3):
        chunk = vals[i:i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise Reject(MALFORMED, "base45 triplet above 65535")
            out += n.to_bytes(2, "big")
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise Reject(MALFORMED, "base45 final pair above 255")
            out.append(n)
    return bytes(out)


def qr_text_to_credential(text):
    """§6.1: strip leading whitespace and one trailing CR/LF, upper-case, prefix, base45."""
    t = text.lstrip(" \t\r\n\x0b\x0c")
    for terminator in ("\r\n", "\n", "\r"):
        if t.endswith(terminator):
            t = t[:-len(terminator)]
            break
    t = "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in t)
    if not t.startswith(QR_PREFIX):
        if re.match(r"ASXH[0-9]+:", t):
            raise Reject(MALFORMED, f"unknown format {t.split(':')[0]}")
        raise Reject(MALFORMED, "text does not start with ASXH1:")
    return base45_decode(t[len(QR_PREFIX):])


def verify_qr_text(text, issuer_public_raw):
    """Decode a QR text and run §5.5 with profile 02."""
    return verify_credential(qr_text_to_credential(text), issuer_public_raw, 2)


# ---------------------------------------------------------------------------------------------
# credentials.json and qr.json


def first_difference(expected, actual, path="fields"):
    """A readable description of the first difference between two JSON values, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in sorted(set(expected) | set(actual)):
            if k not in actual:
                return f"{path}.{k} expected {expected[k]!r}, decoder has no such value"
            if k not in expected:
                return f"{path}.{k} decoded as {actual[k]!r}, absent from the vector"
            diff = first_difference(expected[k], actual[k], f"{path}.{k}")
            if diff:
                return diff
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items expected, {len(actual)} decoded"
        for i, (e, a) in enumerate(zip(expected, actual)):
            diff = first_difference(e, a, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"{path}: vector says {expected!r}, decoded {actual!r}"
    return None


def judge(entry, run):
    """Run a verification and compare it with the entry's `expect`/`fields`. None if ok."""
    try:
        fields = run()
        outcome, reason = VALID, None
    except Reject as r:
        outcome, reason, fields = r.kind, r.reason, None
    if outcome != entry["expect"]:
        return f"expected {entry['expect']}, got {outcome}" + (f" ({reason})" if reason else "")
    if outcome == VALID:
        return first_difference(entry.get("fields"), fields)
    return None


def check_credential_entry(entry):
    """One credentials.json entry."""
    raw = bytes.fromhex(entry["credential_hex"])
    issuer = bytes.fromhex(entry["issuer_public_key_hex"])
    return judge(entry, lambda: verify_credential(raw, issuer, 1))


def check_qr_entry(entry):
    """One qr.json entry."""
    issuer = bytes.fromhex(entry["issuer_public_key_hex"])
    return judge(entry, lambda: verify_qr_text(entry["qr_text"], issuer))


# ---------------------------------------------------------------------------------------------
# §14 trust list and §15 revocation list (lists.json)

TRUST_LIST, REVOCATION_LIST, REVOCATION_DELTA = 0x08, 0x06, 0x07  # profile bytes (03 withdrawn)
KIND_PROFILE = {"trust_list": TRUST_LIST, "revocation_list": REVOCATION_LIST,
                "revocation_delta": REVOCATION_DELTA}
ANY_NUMBER = sys.maxsize  # "zero or more"
ISSUER_STATUS = {0x00: "active", 0x01: "retired", 0x02: "revoked"}  # §14, tag 87
REVOCATION_REASON = {0x01: "lost", 0x02: "stolen", 0x03: "damaged", 0x04: "deceased",
                     0x05: "error", 0x06: "replaced"}  # §15.1
MAX_SERIAL = 9_999_999_999  # §4.5
MAX_RICE_K = 40  # §15.1, tag 87


def dec_u64(v, where):
    """§14/§15.1 version, times: unsigned §4.2 of 1-8 bytes."""
    return dec_uint(v, where, 8, 0, (1 << 64) - 1)


dec_office_code = dec_ascii(rb"[A-Z0-9_\-]{2,16}", "office code")


# §14: the white space an office name may not begin or end with (Unicode White_Space).
WHITE_SPACE = ({*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028,
                0x2029, 0x202F, 0x205F, 0x3000})


def dec_office_name(v, where):
    """§14 office name: UTF-8 NFC, 1-100 bytes; no control (Cc), format (Cf) or line and
    paragraph separator (Zl, Zp) characters; no white space at either end."""
    if not 1 <= len(v) <= 100:
        raise bad(where, f"office name of {len(v)} bytes")
    try:
        s = v.decode("utf-8")
    except UnicodeDecodeError:
        raise bad(where, "office name is not UTF-8") from None
    if not unicodedata.is_normalized("NFC", s):
        raise bad(where, "office name is not NFC")
    for ch in s:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            raise bad(where, f"character U+{ord(ch):04X} ({unicodedata.category(ch)}) "
                             f"in an office name")
    if ord(s[0]) in WHITE_SPACE or ord(s[-1]) in WHITE_SPACE:
        raise bad(where, "office name with white space at an end")
    return s


def dec_code_byte(table, what):
    """A decoder for a one-byte code with the names of `table`."""
    def decode(v, where):
        if len(v) != 1 or v[0] not in table:
            raise bad(where, f"{what} {v.hex().upper()}")
        return table[v[0]]
    return decode


def check_key_id(key_id, public_raw, where):
    """§3/§14: a key id next to its key MUST be the key's identifier (else invalid_field)."""
    if key_id != issuer_key_id(public_raw):
        raise bad(where, f"key id {key_id.hex()} is not the identifier "
                         f"{issuer_key_id(public_raw).hex()} of its key")


def dec_revocation_list_key(v, where):
    """§14 templates A1 and A3: 80 key id, 81 public key. Returns the key as hex."""
    d = decode_template(v, KEY_PAIR, where)
    check_key_id(d["key_id"], d["public_key"], f"{where}.key_id")
    return d["public_key"].hex()


def dec_issuer(v, where):
    """§14 issuer template A2."""
    d = decode_template(v, ISSUER, where)
    check_key_id(d["key_id"], d["public_key"], f"{where}.key_id")
    return {
        "key_id_hex": d["key_id"].hex(),
        "public_key_hex": d["public_key"].hex(),
        "office": d["office"],
        "office_name": d["office_name"],
        "area": d["area"],
        "valid_from": date_text(d["valid_from"]),
        "valid_until": date_text(d["valid_until"]),
        "status": d["status"],
    }


def dec_rice_parameter(v, where):
    """§15.1 tag 87: 1 byte, 00-28 (0-40)."""
    if len(v) != 1:
        raise bad(where, f"Rice parameter of {len(v)} bytes")
    if v[0] > MAX_RICE_K:
        raise bad(where, f"Rice parameter {v[0]} above {MAX_RICE_K}")
    return v[0]


def dec_reason_code(v, where):
    """§15.1 reason: 1 byte, 01-06. Returns the code."""
    if len(v) != 1 or v[0] not in REVOCATION_REASON:
        raise bad(where, f"reason {v.hex().upper()}")
    return v[0]


def rice_decode(data, count, k, where, maximum=MAX_SERIAL):
    """§15.1 tag 88: `count` serials, Golomb-Rice coded gaps with parameter k.

    Each gap g = s(i) - s(i-1) - 1 (s(0) = 0) is floor(g / 2^k) one-bits, a zero-bit and the k
    low bits of g, most significant bit first; bits fill bytes from the most significant bit and
    the last byte is padded with zero-bits. Refused (invalid_field): a value above 9 999 999 999,
    data ending before `count` values, a byte after the one holding the last value's last bit,
    a padding bit that is one.
    """
    nbits = 8 * len(data)
    pos = 0

    def bit():
        nonlocal pos
        b = (data[pos >> 3] >> (7 - (pos & 7))) & 1
        pos += 1
        return b

    serials, prev = [], 0
    i = 0
    while i < count:  # `count` may be up to 2^64 - 1: the data ends first
        q = 0
        while True:
            if pos >= nbits:
                raise bad(where, f"data ends inside value {i + 1} of {count}")
            if not bit():
                break
            q += 1
            if prev + 1 + (q << k) > maximum:
                raise bad(where, f"value {i + 1} above {maximum}")
        if pos + k > nbits:
            raise bad(where, f"data ends inside the low bits of value {i + 1} of {count}")
        low = 0
        for _ in range(k):
            low = (low << 1) | bit()
        serial = prev + 1 + ((q << k) | low)
        if serial > maximum:
            raise bad(where, f"value {i + 1} is {serial}, above {maximum}")
        serials.append(serial)
        prev = serial
        i += 1
    used = (pos + 7) // 8
    if len(data) > used:
        raise bad(where, f"{len(data) - used} byte(s) after the last value's last bit")
    if pos % 8 and data[-1] & ((1 << (8 - pos % 8)) - 1):
        raise bad(where, "a padding bit is one")
    return serials


def rice_encode(serials, k):
    """§15.1 coding of strictly ascending serials (for the self-test and the k check)."""
    bits, prev = [], 0
    for s in serials:
        g = s - prev - 1
        bits += [1] * (g >> k) + [0] + [(g >> (k - 1 - j)) & 1 for j in range(k)]
        prev = s
    bits += [0] * (-len(bits) % 8)
    return bytes(int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, len(bits), 8))


def rice_bits(serials, k):
    """The number of bits of the §15.1 coding of `serials` with parameter k."""
    total, prev = 0, 0
    for s in serials:
        total += ((s - prev - 1) >> k) + 1 + k
        prev = s
    return total


def dec_exceptions(v, count, default, where):
    """§15.1 tag 8A: {index: reason code} of the serials whose reason is not the default.

    Pairs in increasing order of index: the index as the difference to (previous index + 1)
    (the first: the index itself) in shortest unsigned LEB128, then the reason byte. Refused
    (invalid_field): empty, an index at or beyond the count, a non-shortest LEB128, a reason
    outside 01-06 or equal to the default, data ending inside a pair.
    """
    if not v:
        raise bad(where, "present but empty")
    out, pos, nxt = {}, 0, 0  # nxt: the lowest index the next exception may have
    while pos < len(v):
        delta, shift, start = 0, 0, pos
        while True:
            if pos >= len(v):
                raise bad(where, f"data ends inside the LEB128 index at byte {start}")
            b = v[pos]
            pos += 1
            delta |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if pos - start > 1 and b == 0:
            raise bad(where, f"LEB128 index at byte {start} is not in the shortest form")
        index = nxt + delta
        if index >= count:
            raise bad(where, f"exception index {index} at or beyond the count {count}")
        if pos >= len(v):
            raise bad(where, f"data ends before the reason of index {index}")
        reason = v[pos]
        pos += 1
        if reason not in REVOCATION_REASON:
            raise bad(where, f"reason {reason:02X} of index {index}")
        if reason == default:
            raise bad(where, f"index {index} has the default reason {reason:02X}")
        out[index] = reason
        nxt = index + 1
    return out


KEY_PAIR = [
    Field("80", "key_id", REQ, 1, dec_key_id),
    Field("81", "public_key", REQ, 1, dec_public_key),
]
ISSUER = KEY_PAIR + [
    Field("82", "office", REQ, 1, dec_office_code),
    Field("83", "office_name", REQ, 1, dec_office_name),
    Field("84", "area", REQ, 1, dec_area_code),
    Field("85", "valid_from", REQ, 1, dec_date),
    Field("86", "valid_until", REQ, 1, dec_date),
    Field("87", "status", REQ, 1, dec_code_byte(ISSUER_STATUS, "issuer status")),
]
LIST_HEADER = [  # 81-84 of §14 and §15.1
    Field("81", "version", REQ, 1, dec_u64),
    Field("82", "signer_key_id", REQ, 1, dec_key_id),
    Field("83", "issued_at", REQ, 1, dec_u64),
    Field("84", "next_update", REQ, 1, dec_u64),
]
TRUST_LIST_BODY = [Field("80", "profile", REQ, 1, dec_profile(TRUST_LIST))] + LIST_HEADER + [
    Field("A1", "revocation_list_key_hex", REQ, 1, dec_revocation_list_key),
    Field("A3", "roll_key_hex", REQ, 1, dec_revocation_list_key),
    Field("A2", "issuers", OPT, ANY_NUMBER, dec_issuer),
]


def revocation_body_table(profile):
    """The §15.1 body table of a full list (06) or a delta (07).

    `88` and `8A` depend on `86`, `87` and `89`, which the table puts before them: their
    decoders read those from the values decoded so far (`seen`), filled as the template is
    read, so a fresh table is made for every body.
    """
    seen = {}

    def keep(key, decode):
        def run(v, where):
            seen[key] = decode(v, where)
            return seen[key]
        return run

    table = [Field("80", "profile", REQ, 1, dec_profile(profile))] + LIST_HEADER
    if profile == REVOCATION_DELTA:
        table.append(Field("85", "base_version", REQ, 1, dec_u64))
    table += [
        Field("86", "count", REQ, 1, keep("count", dec_u64)),
        Field("87", "rice_k", REQ, 1, keep("k", dec_rice_parameter)),
        Field("88", "serials", REQ, 1,
              lambda v, where: rice_decode(v, seen["count"], seen["k"], where)),
        Field("89", "default_reason", REQ, 1, keep("default", dec_reason_code)),
        Field("8A", "exceptions", OPT, 1,
              lambda v, where: dec_exceptions(v, seen["count"], seen["default"], where)),
    ]
    return table


def decode_trust_list_body(body):
    """§14 body (value of 7F4E) to the §12 `fields` dictionary."""
    d = decode_template(body, TRUST_LIST_BODY, "body")
    seen = set()
    for i, issuer in enumerate(d.get("issuers", [])):
        if issuer["valid_until"] < issuer["valid_from"]:
            raise bad(f"body.issuers[{i}].valid_until", "before valid_from")
        if issuer["key_id_hex"] in seen:
            raise bad(f"body.issuers[{i}].key_id", "an issuer key appears twice")
        seen.add(issuer["key_id_hex"])
    return {
        "version": d["version"],
        "issued_at": d["issued_at"],
        "next_update": d["next_update"],
        "revocation_list_key_hex": d["revocation_list_key_hex"],
        "roll_key_hex": d["roll_key_hex"],
        "issuers": d.get("issuers", []),
    }


def revocation_body_decoder(profile):
    """A decoder of the §15.1 body of a full list (06) or a delta (07)."""

    def decode(body):
        d = decode_template(body, revocation_body_table(profile), "body")
        out = {"version": d["version"], "issued_at": d["issued_at"],
               "next_update": d["next_update"]}
        if profile == REVOCATION_DELTA:
            if d["base_version"] > d["version"]:
                raise bad("body.base_version", f"base version {d['base_version']} above "
                                               f"version {d['version']}")
            out["base_version"] = d["base_version"]
        exceptions = d.get("exceptions", {})
        out["entries"] = [
            {"serial": serial_text(s),
             "reason": REVOCATION_REASON[exceptions.get(i, d["default_reason"])]}
            for i, s in enumerate(d["serials"])]
        return out
    return decode


def verify_list(raw, signer_public_raw, kind):
    """§5.5 steps 1-3 for a list of the given §12 `kind`. Returns `fields` or raises Reject."""
    profile = KIND_PROFILE[kind]
    if profile == TRUST_LIST:
        decode_body = decode_trust_list_body
    else:
        decode_body = revocation_body_decoder(profile)
    return verify_signed(raw, signer_public_raw, profile, decode_body)


class DeltaRefused(Exception):
    """§15.3: a delta that a verifier MUST NOT apply to the list it holds."""


def apply_delta(held, delta):
    """§15.3: the list after applying `delta` to the full list `held` (both `fields` dicts)."""
    if delta["base_version"] != held["version"]:
        raise DeltaRefused(f"delta base {delta['base_version']} is not the held version "
                           f"{held['version']}")
    if delta["version"] < held["version"]:
        raise DeltaRefused(f"delta version {delta['version']} below the held version "
                           f"{held['version']}")
    entries = {e["serial"]: e for e in held["entries"]}
    for e in delta["entries"]:
        entries.setdefault(e["serial"], e)  # a serial already present keeps its first reason
    return {"version": delta["version"], "issued_at": delta["issued_at"],
            "next_update": delta["next_update"],
            "entries": [entries[k] for k in sorted(entries)]}  # ten-digit text sorts as numbers


def outcome_of(run):
    """(outcome, reason, fields) of a verification."""
    try:
        return VALID, None, run()
    except Reject as r:
        return r.kind, r.reason, None


def check_list_entry(entry, doc):
    """One lists.json vector: the outcome with its signer key, then with the §12 key."""
    raw = bytes.fromhex(entry["list_hex"])
    kind = entry["kind"]
    if kind not in KIND_PROFILE:
        return f"unknown kind {kind!r}"
    signer = bytes.fromhex(entry["signer_public_key_hex"])
    err = judge(entry, lambda: verify_list(raw, signer, kind))
    if err:
        return err
    # §12: trust lists are verified with the root, revocation lists with the revocation-list key
    key_name = "root_public_key_hex" if kind == "trust_list" else "revocation_list_key_hex"
    outcome, reason, fields = outcome_of(
        lambda: verify_list(raw, bytes.fromhex(doc[key_name]), kind))
    if outcome != entry["expect"]:
        return (f"with {key_name}: expected {entry['expect']}, got {outcome}"
                + (f" ({reason})" if reason else ""))
    if outcome == VALID and kind == "trust_list":
        if fields["revocation_list_key_hex"] != doc["revocation_list_key_hex"]:
            return (f"A1 key {fields['revocation_list_key_hex']} is not the file's "
                    f"revocation_list_key_hex")
    if outcome == VALID and kind != "trust_list":
        return encoder_choice_error(raw, KIND_PROFILE[kind], fields)
    return None


def encoder_choice_error(raw, profile, fields):
    """§15.1 encoder rules on a valid revocation list: shortest k, most common default reason.

    These bind the encoder that wrote the vectors, not a decoder (which accepts any k and any
    default). The k check compares byte lengths of `88`, since the text settles neither ties
    nor bits against bytes.
    """
    _tlv, body, _sig = parse_envelope(raw, profile)
    value = {tag: val for tag, val, _ in iter_tlvs(body)}
    k, coded, default = value[b"\x87"][0], value[b"\x88"], value[b"\x89"][0]
    serials = [int(e["serial"][:10]) for e in fields["entries"]]
    size = {j: (rice_bits(serials, j) + 7) // 8 for j in range(MAX_RICE_K + 1)}
    best = min(size, key=lambda j: (size[j], j))
    errs = []
    if len(coded) != size[best]:
        errs.append(f"88 is {len(coded)} bytes with k={k}; k={best} gives {size[best]} "
                    f"(§15.1: the encoder chooses the k of the shortest coding)")
    if serials:
        code = {name: c for c, name in REVOCATION_REASON.items()}
        counts = {}
        for e in fields["entries"]:
            counts[code[e["reason"]]] = counts.get(code[e["reason"]], 0) + 1
        common = min(counts, key=lambda c: (-counts[c], c))
        if default != common:
            errs.append(f"default reason {default:02X}, the most common is {common:02X} "
                        f"(§15.1, lowest code on a tie)")
    return "; ".join(errs) or None


def check_lists_header(doc):
    """lists.json top-level keys: both valid P-256 points."""
    errs = []
    for key_name in ("root_public_key_hex", "revocation_list_key_hex"):
        try:
            load_public_key(bytes.fromhex(doc[key_name]))
        except ValueError as e:
            errs.append(f"{key_name}: {e}")
    return errs


def check_apply(apply, doc):
    """lists.json `apply`: §15.3 on the given full list and delta, then the same delta again."""
    key = bytes.fromhex(doc["revocation_list_key_hex"])
    try:
        held = verify_list(bytes.fromhex(apply["full_hex"]), key, "revocation_list")
    except Reject as r:
        return f"full list does not verify: {r}"
    try:
        delta = verify_list(bytes.fromhex(apply["delta_hex"]), key, "revocation_delta")
    except Reject as r:
        return f"delta does not verify: {r}"
    try:
        after = apply_delta(held, delta)
    except DeltaRefused as e:
        return f"delta refused: {e}"
    errs = []
    if after["version"] != apply["version_after"]:
        errs.append(f"version after {after['version']}, vector says {apply['version_after']}")
    serials = [e["serial"] for e in after["entries"]]
    if serials != apply["serials_after"]:
        errs.append(f"serials after {serials}, vector says {apply['serials_after']}")
    if after["entries"] != apply["entries_after"]:
        errs.append(f"entries after {after['entries']}, vector says {apply['entries_after']} "
                    f"(a serial already present keeps its first reason)")
    try:
        apply_delta(after, delta)
        errs.append("the same delta applied a second time was accepted (§15.3)")
    except DeltaRefused:
        pass
    return "; ".join(errs) or None


def take_newer_full_list(held, newer):
    """§15.3: what a verifier holds after taking the newer full list `newer` while holding
    `held`: every serial of `newer` with its reason, and every held serial `newer` leaves out,
    kept with its held reason (a list never un-revokes a card at the verifier)."""
    if newer["version"] < held["version"]:
        raise DeltaRefused(f"full list version {newer['version']} below the held version "
                           f"{held['version']}")
    entries = {e["serial"]: e for e in held["entries"]}
    entries.update({e["serial"]: e for e in newer["entries"]})
    return {"version": newer["version"], "issued_at": newer["issued_at"],
            "next_update": newer["next_update"],
            "entries": [entries[k] for k in sorted(entries)]}


def check_keep(keep, doc):
    """lists.json `keep`: §15.3 on a held full list and a newer one that leaves a serial out."""
    key = bytes.fromhex(doc["revocation_list_key_hex"])
    try:
        held = verify_list(bytes.fromhex(keep["held_hex"]), key, "revocation_list")
        newer = verify_list(bytes.fromhex(keep["newer_hex"]), key, "revocation_list")
    except Reject as r:
        return f"a list does not verify: {r}"
    try:
        after = take_newer_full_list(held, newer)
    except DeltaRefused as e:
        return f"newer list refused: {e}"
    errs = []
    if after["version"] != keep["version_after"]:
        errs.append(f"version after {after['version']}, vector says {keep['version_after']}")
    if after["entries"] != keep["entries_after"]:
        errs.append(f"entries after {after['entries']}, vector says {keep['entries_after']}")
    if len(held["entries"]) <= len([e for e in held["entries"]
                                    if e in newer["entries"]]):
        errs.append("the newer list leaves no held serial out: the vector tests nothing")
    return "; ".join(errs) or None


def rice_example_result():
    """§15.1 worked example: {1, 3, 9} with k = 1 has gaps 0, 1, 5 and is coded `1D`."""
    errs = []
    try:
        got = rice_decode(b"\x1d", 3, 1, "example")
        if got != [1, 3, 9]:
            errs.append(f"1D with k=1 decodes to {got}, the spec says [1, 3, 9]")
    except Reject as r:
        errs.append(f"1D with k=1 refused: {r}")
    coded = rice_encode([1, 3, 9], 1)
    if coded != b"\x1d":
        errs.append(f"[1, 3, 9] with k=1 codes to {coded.hex().upper()}, the spec says 1D")
    return "; ".join(errs) or None


def lists_results(doc):
    """(name, error or None) for the header, each vector and `apply` of lists.json."""
    results = [("header", "; ".join(check_lists_header(doc)) or None)]
    for entry in doc["vectors"]:
        results.append((entry["name"], check_list_entry(entry, doc)))
    results.append(("apply", check_apply(doc["apply"], doc)))
    results.append(("keep", check_keep(doc["keep"], doc)))
    return results


# ---------------------------------------------------------------------------------------------
# §7-§10 card application model for apdu.json

AID = bytes.fromhex("F0415358480001")
REFERENCE_ATR = bytes.fromhex("3B850180738000C037")
FACTORY_ADMIN_BLOCK = b"12345678" + b"\xff" * 8  # §9.2
AA_DOMAIN = b"ASXH-AA-V1"  # §8.6
RC_DOMAIN = b"ASXH-RC-V1"  # §8.13, §18.2
KEY_TEMPLATE_LEN = 70  # 7F49 43 { 86 41 04||X||Y }
UNREAD_KEY = b""  # a card key the model knows exists but has not seen yet

BLANK, PERSO, ISSUED, BLOCKED, TERMINATED = 0x01, 0x03, 0x05, 0x04, 0x0C
ALL_STATES = {BLANK, PERSO, ISSUED, BLOCKED, TERMINATED}
PIN_TRIES, ADMIN_TRIES = 3, 5

INS_SELECT, INS_GET_DATA, INS_GENERATE, INS_PUT_DATA = 0xA4, 0xCA, 0x47, 0xDA
INS_VERIFY, INS_CHANGE, INS_RESET_RETRY, INS_INT_AUTH = 0x20, 0x24, 0x2C, 0x88
INS_ACTIVATE, INS_DEACTIVATE, INS_TERMINATE, INS_GET_RESPONSE = 0x44, 0x04, 0xE6, 0xC0
INS_PSO = 0x2A  # §8.13

SW_TABLE = {0x9000, 0x6581, 0x6700, 0x6883, 0x6884, 0x6982, 0x6983, 0x6985, 0x6A80,
            0x6A82, 0x6A84, 0x6A86, 0x6A88, 0x6D00, 0x6E00}  # §7.4, plus 61XX and 63CX


def sw_listed(sw):
    """Is `sw` one of the §7.4 status words?"""
    return sw in SW_TABLE or sw >> 8 == 0x61 or (sw & 0xFFF0) == 0x63C0


class Apdu:
    """A parsed command APDU (ISO/IEC 7816-4 §5.1 cases 1-4, short and extended)."""

    def __init__(self, cla, ins, p1, p2, data, le):
        self.cla, self.ins, self.p1, self.p2, self.data, self.le = cla, ins, p1, p2, data, le


def parse_apdu(c):
    """Parse a command APDU; None if its lengths match no case (§7.3 step 1).

    `00 DA 7F 21 00 00 00` is case 2E (extended Le 0000 = 65536), not "Lc of zero": PUT DATA
    then fails at step 5 (no data, 6700).
    """
    if len(c) < 4:
        return None
    cla, ins, p1, p2 = c[:4]
    body = c[4:]
    n = len(body)
    data, le = None, None
    if n == 0:
        pass
    elif n == 1:
        le = body[0] or 256
    elif body[0] != 0:
        lc = body[0]
        if n == 1 + lc:
            data = body[1:]
        elif n == 2 + lc:
            data, le = body[1:-1], body[-1] or 256
        else:
            return None
    else:
        if n == 3:
            le = int.from_bytes(body[1:3], "big") or 65536
        elif n > 3:
            lc = int.from_bytes(body[1:3], "big")
            if lc == 0:
                return None
            if n == 3 + lc:
                data = body[3:]
            elif n == 5 + lc:
                data, le = body[3:-2], int.from_bytes(body[-2:], "big") or 65536
            else:
                return None
        else:
            return None
    return Apdu(cla, ins, p1, p2, bytes(data) if data is not None else None, le)


def pin_block_ok(b):
    """§9.1: 4-8 ASCII digits then FF up to 8 bytes."""
    if len(b) != 8:
        return False
    digits = b.rstrip(b"\xff")
    return 4 <= len(digits) <= 8 and all(0x30 <= x <= 0x39 for x in digits)


def admin_block_ok(b):
    """§9.2: 8-16 printable ASCII (21-7E) then FF up to 16 bytes."""
    if len(b) != 16:
        return False
    chars = b.rstrip(b"\xff")
    return 8 <= len(chars) <= 16 and all(0x21 <= x <= 0x7E for x in chars)


def key_template(point):
    """§8.2/§8.3 card public key template 7F49 { 86 41 point }."""
    inner = b"\x86\x41" + point
    return b"\x7f\x49" + bytes([len(inner)]) + inner


def parse_key_template(data):
    """Strictly parse 7F49 { 86 41 04||X||Y }; return the point or raise Reject.

    §8.3 prints the outer length as `41`, which cannot hold `86 41 point` (67 bytes); the
    strict §4.1 reading (length 43, as in §8.2) is applied.
    """
    tag, value, end = read_tlv(data, 0)
    if end != len(data) or tag != b"\x7f\x49":
        raise Reject(MALFORMED, f"not one 7F49 template: {data.hex().upper()}")
    children = list(iter_tlvs(value))
    if len(children) != 1 or children[0][0] != b"\x86":
        raise Reject(WRONG_TAG, "7F49 must hold exactly one 86")
    point = children[0][1]
    try:
        load_public_key(point)
    except ValueError as e:
        raise Reject(INVALID, f"card public key: {e}") from None
    return point


FCI_TABLE = [("84", True), ("8A", True), ("C1", True), ("C2", False), ("C3", True),
             ("C4", True), ("C5", True)]


def parse_fci(fci):
    """Strictly parse and check an FCI against §8.1. Returns {tag_hex: value}."""
    tag, value, end = read_tlv(fci, 0)
    if end != len(fci) or tag != b"\x6f":
        raise Reject(MALFORMED, "FCI is not one 6F template")
    got, idx = {}, 0
    for ctag, cval, _ in iter_tlvs(value):
        t = ctag.hex().upper()
        while idx < len(FCI_TABLE) and FCI_TABLE[idx][0] != t:
            if FCI_TABLE[idx][1]:
                raise Reject(WRONG_TAG, f"FCI tag {t} where {FCI_TABLE[idx][0]} is required")
            idx += 1
        if idx == len(FCI_TABLE):
            raise Reject(WRONG_TAG, f"FCI tag {t} not allowed here")
        got[t] = cval
        idx += 1
    missing = [t for t, req in FCI_TABLE if req and t not in got]
    if missing:
        raise Reject(MALFORMED, f"FCI lacks {missing}")
    sizes = {"84": 7, "8A": 1, "C1": 2, "C2": 5, "C3": 1, "C4": 1, "C5": 1}
    for t, v in got.items():
        if len(v) != sizes[t]:
            raise Reject(INVALID, f"FCI {t} of {len(v)} bytes")
    if got["84"] != AID:
        raise Reject(INVALID, f"FCI AID {got['84'].hex().upper()}")
    if got["8A"][0] not in ALL_STATES:
        raise Reject(INVALID, f"FCI LCS {got['8A'].hex().upper()}")
    if got["C1"] != b"\x01\x00":
        raise Reject(INVALID, f"FCI version {got['C1'].hex().upper()}")
    if "C2" in got:
        dec_serial(got["C2"], "FCI C2")
    if got["C3"][0] != 0xFF and got["C3"][0] > PIN_TRIES:
        raise Reject(INVALID, f"FCI PIN tries {got['C3'].hex().upper()}")
    if got["C4"][0] > ADMIN_TRIES:
        raise Reject(INVALID, f"FCI admin tries {got['C4'].hex().upper()}")
    if got["C5"][0] & ~0x03:
        raise Reject(INVALID, f"FCI flags {got['C5'].hex().upper()}")
    return got


class Transfer:
    """Response data delivered over one command and any GET RESPONSE continuations (§7.1)."""

    def __init__(self, length, expected=None, on_done=None):
        self.length = length
        self.expected = expected
        self.on_done = on_done or (lambda data: [])
        self.got = bytearray()


class Card:
    """The card application of §7-§10 as an oracle: predicts each status word and response."""

    def __init__(self, issuer_public_raw):
        self.issuer = issuer_public_raw
        self.lcs = BLANK
        self.key = None          # card public key (65 bytes)
        self.credential = None   # stored credential bytes
        self.serial = None       # 5-byte serial
        self.pin = None          # PIN block, None = not set
        self.pin_tries = PIN_TRIES
        self.admin = FACTORY_ADMIN_BLOCK
        self.admin_tries = ADMIN_TRIES
        self.power_up()

    def power_up(self):
        """§10: volatile session state is lost at every power-up."""
        self.selected = False
        self.pin_ok = False
        self.admin_ok = False
        self.chain = None
        self.pending = None

    def copy(self):
        """A snapshot of the whole card."""
        return copy.deepcopy(self)

    # -- predicted FCI and flags

    def fci(self):
        """§8.1 FCI for the current state."""
        body = b"\x84\x07" + AID + bytes([0x8A, 1, self.lcs]) + b"\xc1\x02\x01\x00"
        if self.serial is not None:
            body += b"\xc2\x05" + self.serial
        body += bytes([0xC3, 1, 0xFF if self.pin is None else self.pin_tries])
        body += bytes([0xC4, 1, self.admin_tries])
        body += bytes([0xC5, 1, (self.key is not None) | ((self.credential is not None) << 1)])
        return b"\x6f" + bytes([len(body)]) + body

    def aa_flags(self):
        """§8.6 flags: b1 PIN verified, b2 PIN set, b3 PIN blocked."""
        pin_set = self.pin is not None
        return (int(pin_set and self.pin_ok) | (int(pin_set) << 1)
                | (int(pin_set and self.pin_tries == 0) << 2))

    # -- §7.3 processing order

    def process(self, raw, notes):
        """Predict the outcome of one command: an int status word or a Transfer."""
        a = parse_apdu(raw)
        pending, self.pending = self.pending, None  # any command but GET RESPONSE discards it
        if a is None:
            self.chain = None
            return 0x6700
        sw = self.early_checks(a)
        if sw is not None:
            self.chain = None
            return sw
        ends_session = a.ins == INS_SELECT or (a.ins == INS_VERIFY and a.p1 == 0xFF)
        if self.chain is not None and a.ins != INS_PUT_DATA and not ends_session:
            self.chain = None  # §7.3 step 6; SELECT and log-out end the chain themselves (§7.1)
            return 0x6883
        refused = None
        if a.ins != INS_SELECT and not self.selected:
            refused = 0x6985
        elif self.lcs not in allowed_states(a):
            refused = 0x6985
        elif needs_admin(a) and not self.admin_ok:
            refused = 0x6982
        if refused is not None:
            if a.ins == INS_PUT_DATA:
                self.chain = None
            return refused
        return RUN[a.ins](self, a, pending, notes)

    def early_checks(self, a):
        """§7.3 steps 2-5."""
        if a.cla not in (0x00, 0x10):
            return 0x6E00
        if a.cla == 0x10 and a.ins != INS_PUT_DATA:
            return 0x6884
        if a.ins not in RUN:
            return 0x6D00
        if not p1p2_defined(a):
            return 0x6A88 if a.ins == INS_GET_DATA else 0x6A86
        return length_check(a)

    # -- code checks (§9.3)

    def check_code(self, which, block):
        """Compare a PIN/administrative code block, with the counter rules of §9.3."""
        if which == "pin":
            self.pin_tries -= 1
            if block == self.pin:
                self.pin_tries, self.pin_ok = PIN_TRIES, True
                return 0x9000
            self.pin_ok = False
            return 0x63C0 | self.pin_tries
        self.admin_tries -= 1
        if block == self.admin:
            self.admin_tries, self.admin_ok = ADMIN_TRIES, True
            return 0x9000
        self.admin_ok = False
        return 0x63C0 | self.admin_tries


def p1p2_defined(a):
    """§7.3 step 4: is P1-P2 defined for the INS?"""
    p = (a.p1, a.p2)
    return {
        INS_SELECT: a.p1 == 0x04 and a.p2 in (0x00, 0x0C),
        INS_GET_DATA: p in ((0x7F, 0x21), (0x7F, 0x49)),
        INS_GENERATE: a.p1 in (0x80, 0x81) and a.p2 == 0,
        INS_PUT_DATA: p == (0x7F, 0x21),
        INS_VERIFY: a.p1 in (0x00, 0xFF) and a.p2 in (0x81, 0x83),
        INS_CHANGE: p in ((0x01, 0x81), (0x00, 0x81), (0x00, 0x83)),
        INS_RESET_RETRY: p == (0x02, 0x81),
        INS_INT_AUTH: p == (0, 0),
        INS_PSO: p == (0x9E, 0x9A),
        INS_ACTIVATE: p == (0, 0),
        INS_DEACTIVATE: p == (0, 0),
        INS_TERMINATE: p == (0, 0),
        INS_GET_RESPONSE: p == (0, 0),
    }[a.ins]


def length_check(a):
    """§7.3 step 5: data length as the command requires (6700), code blocks (6A80)."""
    d = a.data
    if a.ins == INS_SELECT:
        return None if d is not None and 1 <= len(d) <= 16 else 0x6700
    if a.ins == INS_PUT_DATA:
        return None if d else 0x6700
    if a.ins == INS_INT_AUTH:
        return None if d is not None and 16 <= len(d) <= 64 else 0x6700
    if a.ins == INS_PSO:
        if d is None or not 16 <= len(d) <= 250:
            return 0x6700
        return None if one_receipt_body(d) else 0x6A80
    if a.ins == INS_VERIFY:
        if a.p1 == 0xFF or d is None:
            return None if d is None else 0x6700
        size, ok = (8, pin_block_ok) if a.p2 == 0x81 else (16, admin_block_ok)
        if len(d) != size:
            return 0x6700
        return None if ok(d) else 0x6A80
    if a.ins in (INS_CHANGE, INS_RESET_RETRY):
        if a.p2 == 0x83:
            size, ok, blocks = 32, admin_block_ok, 2
        else:
            blocks = 1 if (a.p1, a.p2) in ((0x01, 0x81), (0x02, 0x81)) else 2
            size, ok = 8 * blocks, pin_block_ok
        if d is None or len(d) != size:
            return 0x6700
        half = size // blocks
        parts = [d[i:i + half] for i in range(0, size, half)]
        return None if all(ok(p) for p in reversed(parts)) else 0x6A80  # new block first
    return None if d is None else 0x6700


def allowed_states(a):
    """Table 2 of §7.2."""
    ins, p = a.ins, (a.p1, a.p2)
    if ins in (INS_SELECT, INS_GET_RESPONSE) or (ins == INS_VERIFY and a.p1 == 0xFF):
        return ALL_STATES
    if (ins == INS_VERIFY and a.p2 == 0x83) or (ins == INS_CHANGE and p == (0x00, 0x83)):
        return ALL_STATES - {TERMINATED}
    if ins == INS_GENERATE:
        return {BLANK, PERSO} if a.p1 == 0x80 else {PERSO, ISSUED}
    if ins == INS_PUT_DATA:
        return {PERSO}
    if ins == INS_GET_DATA or (ins == INS_CHANGE and p == (0x01, 0x81)):
        return {PERSO, ISSUED}
    if ins == INS_ACTIVATE:
        return {PERSO, BLOCKED}
    if ins == INS_TERMINATE:
        return ALL_STATES - {TERMINATED}
    return {ISSUED}  # holder PIN, RESET RETRY COUNTER, INTERNAL AUTHENTICATE, PSO, DEACTIVATE


def needs_admin(a):
    """Table 2 of §7.2, last column."""
    if a.ins == INS_GENERATE:
        return a.p1 == 0x80
    if a.ins == INS_CHANGE:
        return a.p1 == 0x01
    return a.ins in (INS_PUT_DATA, INS_RESET_RETRY, INS_ACTIVATE, INS_DEACTIVATE, INS_TERMINATE)


# -- §8 command rules (step 10)


def run_select(card, a, _pending, notes):
    """§8.1."""
    card.pin_ok = card.admin_ok = False
    card.chain = None
    if a.data != AID:
        card.selected = False
        return 0x6A82
    card.selected = True
    if a.p2 == 0x0C:
        return 0x9000

    def done(fci):
        try:
            parse_fci(fci)
        except Reject as r:
            return [f"FCI: {r}"]
        return []
    return Transfer(len(card.fci()), card.fci(), done)


def key_transfer(card):
    """The 7F49 template of the card key; learnt from the answer if GENERATE's was never read."""
    if card.key is UNREAD_KEY:
        def learn(data):
            try:
                card.key = parse_key_template(data)
            except Reject as r:
                return [f"public key template: {r}"]
            return []
        return Transfer(KEY_TEMPLATE_LEN, None, learn)
    return Transfer(KEY_TEMPLATE_LEN, key_template(card.key))


def run_get_data(card, a, _pending, notes):
    """§8.2."""
    if a.p2 == 0x49:
        if card.key is None:
            return 0x6A88
        return key_transfer(card)
    if card.credential is None:
        return 0x6A88
    serial = card.serial

    def done(cred):
        errs = []
        try:
            fields = verify_credential(cred, card.issuer, 1)
            if fields["serial"] != serial_text(int.from_bytes(serial, "big")):
                errs.append("credential serial differs from FCI C2 (§11.2)")
        except Reject as r:
            errs.append(f"credential read by GET DATA does not verify: {r}")
        return errs
    return Transfer(len(card.credential), card.credential, done)


def run_generate(card, a, _pending, notes):
    """§8.3."""
    if a.p1 == 0x81:
        if card.key is None:
            return 0x6A88
        return key_transfer(card)
    card.credential = card.serial = card.pin = None
    card.key = UNREAD_KEY  # made and stored whatever happens to the answer (§8.3)
    card.pin_tries, card.pin_ok, card.lcs = PIN_TRIES, False, PERSO

    def done(data):
        try:
            card.key = parse_key_template(data)
        except Reject as r:
            return [f"GENERATE response: {r}"]
        return []
    return Transfer(KEY_TEMPLATE_LEN, None, done)


def run_put_data(card, a, _pending, notes):
    """§8.4, with command chaining of §7.1."""
    data = (card.chain or b"") + a.data
    if len(data) > CARD_LIMIT:
        card.chain = None
        return 0x6A84
    if a.cla == 0x10:
        card.chain = data
        return 0x9000
    card.chain = None
    try:  # what the card checks: structure, profile 01, serial, and its own key
        body_tlv, body, _sig = parse_envelope(data, 1)
        fields = decode_card_body(body)
    except Reject as r:
        notes.append(f"(model: card rejects the credential: {r})")
        return 0x6A80
    if not card.key or fields["card_public_key_hex"] != card.key.hex():
        notes.append("(model: credential 8A is not the card key)")
        return 0x6A80
    try:  # what the issuer promised: the credential verifies and binds the card key
        verify_credential(data, card.issuer, 1)
    except Reject as r:
        notes.append(f"credential written by PUT DATA does not verify: {r}")
    card.credential = data
    card.serial = int(fields["serial"][:10]).to_bytes(5, "big")
    return 0x9000


def run_verify(card, a, _pending, notes):
    """§8.5."""
    which = "pin" if a.p2 == 0x81 else "admin"
    if a.p1 == 0xFF:  # log out, ending any chain (§8.5, §7.1)
        card.chain = None
        if which == "pin":
            card.pin_ok = False
        else:
            card.admin_ok = False
        return 0x9000
    if which == "pin" and card.pin is None:
        return 0x6A88
    tries = card.pin_tries if which == "pin" else card.admin_tries
    verified = card.pin_ok if which == "pin" else card.admin_ok
    if a.data is None:
        if verified:
            return 0x9000
        return 0x6983 if tries == 0 else 0x63C0 | tries
    if tries == 0:
        return 0x6983
    return card.check_code(which, a.data)


def run_change(card, a, _pending, notes):
    """§8.7."""
    if (a.p1, a.p2) == (0x01, 0x81):  # set by the office: not verified (§8.7)
        card.pin, card.pin_tries, card.pin_ok = a.data, PIN_TRIES, False
        return 0x9000
    which = "pin" if a.p2 == 0x81 else "admin"
    if which == "pin" and card.pin is None:
        return 0x6A88
    if (card.pin_tries if which == "pin" else card.admin_tries) == 0:
        return 0x6983
    half = len(a.data) // 2
    sw = card.check_code(which, a.data[:half])
    if sw == 0x9000:
        if which == "pin":
            card.pin = a.data[half:]
        else:
            card.admin = a.data[half:]
    return sw


def run_reset_retry(card, a, _pending, notes):
    """§8.8."""
    if card.pin is None:
        return 0x6A88
    card.pin, card.pin_tries, card.pin_ok = a.data, PIN_TRIES, False  # not verified (§8.8)
    return 0x9000


def run_internal_auth(card, a, _pending, notes):
    """§8.6: the response is flags || r || s over M."""
    flags, key, serial, challenge = card.aa_flags(), card.key, card.serial, a.data
    if not key or serial is None:
        return 0x6985

    def done(resp):
        if len(resp) != 65:
            return [f"INTERNAL AUTHENTICATE answered {len(resp)} bytes, expected 65"]
        errs = []
        if resp[0] != flags:
            errs.append(f"flags {resp[0]:02X}, state says {flags:02X}")
        message = AA_DOMAIN + serial + resp[:1] + bytes([len(challenge)]) + challenge
        if not ecdsa_verify(load_public_key(key), resp[1:], message):
            errs.append("INTERNAL AUTHENTICATE signature does not verify over M (§8.6)")
        return errs
    return Transfer(65, None, done)


def one_receipt_body(d):
    """§8.13: exactly one 7F4E TLV, one-byte length or 81 XX (XX >= 80), nothing after."""
    if d[:2] != b"\x7f\x4e" or len(d) < 3:
        return False
    if d[2] < 0x80:
        return len(d) == 3 + d[2]
    return d[2] == 0x81 and len(d) >= 4 and d[3] >= 0x80 and len(d) == 4 + d[3]


def run_pso(card, a, _pending, notes):
    """§8.13: flags || r || s over "ASXH-RC-V1" || serial || flags || body."""
    flags, key, serial, body = card.aa_flags(), card.key, card.serial, a.data
    if not key or serial is None:
        return 0x6985

    def done(resp):
        if len(resp) != 65:
            return [f"PERFORM SECURITY OPERATION answered {len(resp)} bytes, expected 65"]
        errs = []
        if resp[0] != flags:
            errs.append(f"flags {resp[0]:02X}, state says {flags:02X}")
        if not ecdsa_verify(load_public_key(key), resp[1:], RC_DOMAIN + serial + resp[:1] + body):
            errs.append("receipt signature does not verify over M (§8.13)")
        return errs
    return Transfer(65, None, done)


def run_activate(card, a, _pending, notes):
    """§8.9."""
    if card.lcs == PERSO and card.credential is None:
        return 0x6985
    card.lcs = ISSUED
    return 0x9000


def run_deactivate(card, a, _pending, notes):
    """§8.10."""
    card.lcs = BLOCKED
    return 0x9000


def run_terminate(card, a, _pending, notes):
    """§8.11: key, PIN and credential erased, serial kept."""
    card.lcs = TERMINATED
    card.key = card.credential = card.pin = None
    card.pin_ok = False
    return 0x9000


def run_get_response(card, a, pending, notes):
    """§8.12 / §7.1."""
    return pending if pending is not None else 0x6985


RUN = {
    INS_SELECT: run_select, INS_GET_DATA: run_get_data, INS_GENERATE: run_generate,
    INS_PUT_DATA: run_put_data, INS_VERIFY: run_verify, INS_CHANGE: run_change,
    INS_RESET_RETRY: run_reset_retry, INS_INT_AUTH: run_internal_auth, INS_PSO: run_pso,
    INS_ACTIVATE: run_activate, INS_DEACTIVATE: run_deactivate,
    INS_TERMINATE: run_terminate, INS_GET_RESPONSE: run_get_response,
}


def deliver(card, transfer, le, data, sw):
    """Check one chunk of a Transfer against Le and 61XX (§7.1); return errors."""
    remaining = transfer.length - len(transfer.got)
    k = min(le or 0, remaining)
    errs = []
    if len(data) != k:
        errs.append(f"{len(data)} data bytes, expected {k} (Le={le}, {remaining} remaining)")
    elif transfer.expected is not None:
        want = transfer.expected[len(transfer.got):len(transfer.got) + k]
        if data != want:
            errs.append(f"data {data.hex().upper()}, expected {want.hex().upper()}")
    transfer.got += data
    left = remaining - k
    want_sw = 0x9000 if left <= 0 else 0x6100 | (left if left < 256 else 0)
    if sw != want_sw:
        errs.append(f"SW {sw:04X}, expected {want_sw:04X}")
    if left > 0:
        card.pending = transfer
    elif not errs:
        errs += transfer.on_done(bytes(transfer.got))
    return errs


def check_exchange(card, command, response):
    """Replay one exchange on the model; return a list of errors."""
    if len(response) < 2:
        return ["response shorter than a status word"]
    data, sw = response[:-2], int.from_bytes(response[-2:], "big")
    errs = [] if sw_listed(sw) else [f"SW {sw:04X} is not listed in §7.4"]
    notes = []
    outcome = card.process(command, notes)
    if isinstance(outcome, Transfer):
        a = parse_apdu(command)
        errs += deliver(card, outcome, a.le, data, sw)
    else:
        if sw != outcome:
            errs.append(f"SW {sw:04X}, the spec gives {outcome:04X}")
        if data:
            errs.append(f"unexpected data {data.hex().upper()}")
    errs += [n for n in notes if not n.startswith("(model")]
    if errs:
        errs += [n for n in notes if n.startswith("(model")]
    return errs


def parse_atr(atr):
    """ISO/IEC 7816-3 §8.2: (offered protocols, historical bytes, rest); None if cut short."""
    if len(atr) < 2:
        return None
    y, k, i, protocols = atr[1] >> 4, atr[1] & 0x0F, 2, []
    while True:
        i += bin(y & 0x7).count("1")  # TAi, TBi, TCi
        if not y & 0x8:
            break
        if i >= len(atr):
            return None
        td = atr[i]
        i += 1
        if td & 0x0F != 0x0F and td & 0x0F not in protocols:
            protocols.append(td & 0x0F)
        y = td >> 4
    if i + k > len(atr):
        return None
    return protocols or [0], atr[i:i + k], atr[i + k:]


def check_atr(atr):
    """§7.1: the reference ATR (T=1 only, compact TLV capabilities with chaining and ext. length)."""
    errs = []
    if atr != REFERENCE_ATR:
        errs.append(f"ATR {atr.hex().upper()} is not the §7.1 reference ATR")
    parsed = parse_atr(atr)
    if parsed is None:
        return errs + ["ATR cut short"]
    protocols, hist, rest = parsed
    if protocols != [1]:
        errs.append(f"ATR offers protocols {protocols}, §7.1 says T=1 only")
    tck = 0
    for b in atr[1:]:
        tck ^= b
    if len(rest) != 1 or tck != 0:
        errs.append("ATR check byte TCK missing or wrong")
    if len(hist) != 5 or hist[0] != 0x80 or hist[1] != 0x73:
        errs.append(f"historical bytes {hist.hex().upper()}")
    elif not (hist[2] & 0x80 and hist[4] & 0xC0 == 0xC0):
        errs.append("card capabilities lack full DF name selection / chaining / extended length")
    return errs


def check_apdu_header(doc):
    """apdu.json top-level values: AID, ATR, issuer key."""
    errs = []
    if bytes.fromhex(doc["aid_hex"]) != AID:
        errs.append(f"aid_hex {doc['aid_hex']} is not the §7.1 AID")
    errs += check_atr(bytes.fromhex(doc["atr_hex"]))
    try:
        load_public_key(bytes.fromhex(doc["issuer_public_key_hex"]))
    except ValueError as e:
        errs.append(f"issuer_public_key_hex: {e}")
    return errs


def check_sequence(card, seq):
    """Replay one sequence; return a list of errors."""
    errs = []
    for i, ex in enumerate(seq["exchanges"]):
        cmd = bytes.fromhex(ex["command_hex"])
        resp = bytes.fromhex(ex["response_hex"])
        for e in check_exchange(card, cmd, resp):
            errs.append(f"exchange {i} ({ex['note']}): {e}")
    return errs


def apdu_results(doc):
    """(name, error or None) for the header and each sequence of apdu.json."""
    results = []
    errs = check_apdu_header(doc)
    results.append(("header", "; ".join(errs) or None))
    issuer = bytes.fromhex(doc["issuer_public_key_hex"])
    states = {"blank": Card(issuer)}
    for seq in doc["sequences"]:
        start = states.get(seq["starts_from"])
        if start is None:
            results.append((seq["name"], f"unknown starts_from {seq['starts_from']!r}"))
            continue
        card = start.copy()
        card.power_up()
        errs = check_sequence(card, seq)
        states[seq["name"]] = card
        results.append((seq["name"], "; ".join(errs) or None))
    return results


# ---------------------------------------------------------------------------------------------
# §12 access.json: the access matrix replayed on the model

ACCESS_STATES = ["BLANK", "PERSONALIZING", "ISSUED", "BLOCKED", "TERMINATED"]


def setup_steps(setup, apdu_doc):
    """(command, recorded response or None) of a state's or session's setup."""
    steps = []
    for step in setup:
        if isinstance(step, str):
            steps.append((bytes.fromhex(step), None))
            continue
        seq = next((s for s in apdu_doc["sequences"] if s["name"] == step["sequence"]), None)
        if seq is None or step["commands"] > len(seq["exchanges"]):
            raise ValueError(f"setup step {step} names no such apdu.json commands")
        for ex in seq["exchanges"][:step["commands"]]:
            steps.append((bytes.fromhex(ex["command_hex"]), bytes.fromhex(ex["response_hex"])))
    return steps


def run_setup(card, steps):
    """Bring the model card through setup steps; a recorded answer is delivered as such."""
    for command, response in steps:
        if response is not None:
            check_exchange(card, command, response)
            continue
        outcome = card.process(command, [])
        if isinstance(outcome, Transfer):  # no recorded answer: take the data as predicted
            card.pending = None
            if outcome.expected is not None:
                outcome.on_done(outcome.expected)


def predicted_sw(card, command):
    """The status word the model gives `command` (data answers judged by Le, §7.1)."""
    outcome = card.process(command, [])
    if not isinstance(outcome, Transfer):
        return outcome
    le = parse_apdu(command).le or 0
    left = outcome.length - min(le, outcome.length)
    return 0x9000 if left == 0 else 0x6100 | (left if left < 256 else 0)


def access_results(doc, apdu_doc):
    """(name, error or None) for the shape of the matrix and for each of its rows."""
    issuer = bytes.fromhex(apdu_doc["issuer_public_key_hex"])
    results, shape = [], []
    states = {}
    for name in ACCESS_STATES:
        card = Card(issuer)
        run_setup(card, setup_steps(doc["states"][name]["setup"], apdu_doc))
        states[name] = card
    sessions_of = {}
    for row in doc["commands"]:
        if sorted(row["sw"]) != sorted(ACCESS_STATES):
            shape.append(f"{row['command']}: states {sorted(row['sw'])}")
        for state, cells in row["sw"].items():
            if sessions_of.setdefault(state, sorted(cells)) != sorted(cells):
                shape.append(f"{row['command']} in {state}: sessions {sorted(cells)}")
    for state, sessions in sessions_of.items():
        if "unselected" not in sessions or "selected" not in sessions:
            shape.append(f"{state} lacks the unselected or selected session")
    results.append(("matrix", "; ".join(shape) or None))
    for row in doc["commands"]:
        errs = []
        command = bytes.fromhex(row["apdu"])
        for state, cells in row["sw"].items():
            for session, expected in cells.items():
                card = states[state].copy()
                card.power_up()
                run_setup(card, setup_steps(doc["sessions"][session]["setup"], apdu_doc))
                sw = predicted_sw(card, command)
                if f"{sw:04X}" != expected:
                    errs.append(f"{state}/{session}: matrix {expected}, the spec gives {sw:04X}")
        results.append((row["command"], "; ".join(errs) or None))
    return results


# ---------------------------------------------------------------------------------------------
# main


# ---------------------------------------------------------------------------------------------
# §17 payment roll (rolls.json)

ROLL, ROLL_DELTA = 0x09, 0x0A
ROLL_KIND_PROFILE = {"roll": ROLL, "roll_delta": ROLL_DELTA}
ITEM_KIND = {0x01: "monthly", 0x02: "arrears", 0x03: "one_off"}
RECIPIENT_ROLE = {0x01: "guardian", 0x02: "authorised"}
LINE_STATUS = {0x00: "due", 0x01: "paid", 0x02: "suspended", 0x03: "stopped",
               0x04: "paid_by_account"}
MAX_LINES = 32
LAST_MONTH = 179 * 12 + 11  # 2179-12


def dec_roll_month(v, where):
    """§17.1 tag 87: partial date YYYY-MM, 2000-01 to 2179-12."""
    if len(v) != 3:
        raise bad(where, f"month of {len(v)} bytes, expected YYYY-MM (3)")
    text, year = dec_partial_date(v, where)
    if not 2000 <= year <= 2179:
        raise bad(where, f"month {text} outside 2000-01 to 2179-12")
    return text


def month_text(index):
    """A §17.2 month number (months since 2000-01) as YYYY-MM."""
    return f"{2000 + index // 12:04d}-{index % 12 + 1:02d}"


def inflate_records(v, where):
    """§17.1 tag 89: raw DEFLATE, at most ROLL_LIMIT bytes inflated, nothing after its end."""
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(v, ROLL_LIMIT + 1)
    except zlib.error as e:
        raise bad(where, f"not raw DEFLATE data: {e}") from None
    if len(out) > ROLL_LIMIT:
        raise bad(where, f"inflates beyond {ROLL_LIMIT} bytes")
    if not d.eof:
        raise bad(where, "the compressed data ends before its final block")
    if d.unused_data:
        raise bad(where, f"{len(d.unused_data)} byte(s) after the final block")
    return out


class Stream:
    """A cursor over the §17.2 record stream; every failure is invalid_field."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def left(self):
        return len(self.data) - self.pos

    def number(self, what):
        """Unsigned LEB128, shortest form."""
        n, shift, start = 0, 0, self.pos
        while True:
            if self.pos >= len(self.data):
                raise bad("records", f"{what}: the stream ends inside a number")
            b = self.data[self.pos]
            self.pos += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if self.pos - start > 1 and b == 0:
            raise bad("records", f"{what}: number at byte {start} not in shortest form")
        return n

    def byte(self, what):
        if self.pos >= len(self.data):
            raise bad("records", f"{what}: the stream ends before it")
        self.pos += 1
        return self.data[self.pos - 1]

    def take(self, n, what):
        if n > self.left():
            raise bad("records", f"{what}: the stream ends inside it")
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def text(self, what):
        return self.take(self.number(what), what)

    def count(self, what):
        n = self.number(what)
        if n > self.left():
            raise bad("records", f"{what}: {n} is more than the stream holds")
        return n

    def code(self, table, what):
        b = self.byte(what)
        if b not in table:
            raise bad("records", f"{what} code {b:02X}")
        return table[b]


def decode_records(data, ssns, delta):
    """§17.2: the entries [{ssn, lines}] of a record stream, one per SSN of `ssns`."""
    st = Stream(data)
    items = []
    for i in range(st.count("item table size")):
        where = f"records.items[{i}]"
        item = {"program": dec_program(st.text("program"), where + ".program")}
        category = st.text("category")
        if category:
            item["category"] = dec_category(category, where + ".category")
        item["kind"] = st.code(ITEM_KIND, "kind")
        amount = st.number("amount")
        if not 1 <= amount <= 999_999_999_999:
            raise bad(where, f"amount {amount}")
        item["amount_vnd"] = amount
        first, last = st.number("first month"), st.number("last month")
        if first > LAST_MONTH or last > LAST_MONTH:
            raise bad(where, "a month after 2179-12")
        if first > last:
            raise bad(where, "first month after the last")
        item["first_month"], item["last_month"] = month_text(first), month_text(last)
        items.append(item)
    recipients = []
    for i in range(st.count("recipient table size")):
        where = f"records.recipients[{i}]"
        r = {"role": st.code(RECIPIENT_ROLE, "role")}
        r["name"] = dec_name(st.text("name"), where + ".name")
        r["id_number"] = dec_id_number(st.text("ID number"), where + ".id_number")
        until = st.take(2, "valid until")
        if until != b"\x00\x00":
            r["valid_until"] = date_text(dec_date(until, where + ".valid_until"))
        recipients.append(r)
    entries, used = [], 0
    for ssn in ssns:
        n = st.count("line count")
        if n > MAX_LINES or (n == 0 and not delta):
            raise bad("records", f"SSN {ssn}: {n} lines")
        lines = []
        for _ in range(n):
            item = st.number("item index")
            if item >= len(items):
                raise bad("records", f"item index {item} of {len(items)} items")
            code = st.number("recipient code")
            line = dict(items[item])
            if code == 1:
                if used == len(recipients):
                    raise bad("records", f"a new recipient, but all {used} are used")
                line["recipient"] = dict(recipients[used])
                used += 1
            elif code >= 2:
                if code - 2 >= used:
                    raise bad("records", f"recipient {code - 2} before its first use")
                line["recipient"] = dict(recipients[code - 2])
            line["status"] = st.code(LINE_STATUS, "status")
            lines.append(line)
        entries.append({"ssn": ssn, "lines": lines})
    if st.left():
        raise bad("records", f"{st.left()} byte(s) after the last entry")
    if used != len(recipients):
        raise bad("records", f"{len(recipients) - used} recipient(s) never used")
    return entries


def dec_first_ssn(v, where):
    """§17.1 tag 89: the lowest SSN, 6 bytes BCD (§4.4). Returns it as an integer."""
    return int(dec_ssn(v, where)[0])


def roll_body_decoder(profile):
    """A decoder of the §17.1 body of a full roll (09) or a delta (0A)."""

    def decode(body):
        table = [Field("80", "profile", REQ, 1, dec_profile(profile))] + LIST_HEADER
        if profile == ROLL_DELTA:
            table.append(Field("85", "base_version", REQ, 1, dec_u64))
        table += [
            Field("86", "area", REQ, 1, dec_area_code),
            Field("87", "month", REQ, 1, dec_roll_month),
            Field("88", "count", REQ, 1, dec_u64),
            Field("89", "first_ssn", OPT, 1, dec_first_ssn),
            Field("8A", "rice_k", REQ, 1, dec_rice_parameter),
            Field("8B", "coded_ssns", REQ, 1, lambda v, where: v),
            Field("8C", "records", REQ, 1, inflate_records),
        ]
        d = decode_template(body, table, "body")
        count = d["count"]
        if ("first_ssn" in d) != (count > 0):
            raise bad("body.first_ssn", "present exactly when the roll has entries")
        first = d.get("first_ssn", 0)
        rest = rice_decode(d["coded_ssns"], max(count - 1, 0), d["rice_k"], "body.coded_ssns",
                           999_999_999_999 - first)
        ssns = []
        for n in ([first] if count else []) + [first + r for r in rest]:
            text = f"{n:012d}"
            if text[0] != "0" or text[:3] == "000":
                raise bad("body.coded_ssns", f"SSN {text}: province code {text[:3]}")
            ssns.append(text)
        out = {"version": d["version"], "issued_at": d["issued_at"],
               "next_update": d["next_update"]}
        if profile == ROLL_DELTA:
            if d["base_version"] > d["version"]:
                raise bad("body.base_version", "above the version")
            out["base_version"] = d["base_version"]
        out["area"], out["month"] = d["area"], d["month"]
        out["entries"] = decode_records(d["records"], ssns, profile == ROLL_DELTA)
        return out
    return decode


def verify_roll(raw, signer_public_raw, kind):
    """§17 with the §5.5 steps. Returns `fields` or raises Reject."""
    profile = ROLL_KIND_PROFILE[kind]
    return verify_signed(raw, signer_public_raw, profile, roll_body_decoder(profile))


def apply_roll_delta(held, delta):
    """§17.3: each delta entry replaces the whole entry of its SSN; no lines removes it."""
    if delta["base_version"] != held["version"] or delta["version"] < held["version"]:
        raise DeltaRefused(f"delta {delta['base_version']}->{delta['version']} on roll "
                           f"{held['version']}")
    if (delta["area"], delta["month"]) != (held["area"], held["month"]):
        raise DeltaRefused("delta of another area or month")
    entries = {e["ssn"]: e for e in held["entries"]}
    for e in delta["entries"]:
        if e["lines"]:
            entries[e["ssn"]] = e
        else:
            entries.pop(e["ssn"], None)
    return {"version": delta["version"], "issued_at": delta["issued_at"],
            "next_update": delta["next_update"], "area": held["area"],
            "month": held["month"], "entries": [entries[k] for k in sorted(entries)]}


def rolls_results(doc):
    """(name, error or None) for each vector and `apply` of rolls.json."""
    results = []
    for entry in doc["vectors"]:
        kind = entry["kind"]
        if kind not in ROLL_KIND_PROFILE:
            results.append((entry["name"], f"unknown kind {kind!r}"))
            continue
        raw = bytes.fromhex(entry["roll_hex"])
        signer = bytes.fromhex(entry["signer_public_key_hex"])
        results.append((entry["name"], judge(entry, lambda: verify_roll(raw, signer, kind))))
    key = bytes.fromhex(doc["roll_key_hex"])
    a = doc["apply"]
    try:
        held = verify_roll(bytes.fromhex(a["full_hex"]), key, "roll")
        delta = verify_roll(bytes.fromhex(a["delta_hex"]), key, "roll_delta")
        after = apply_roll_delta(held, delta)
        err = first_difference(a["fields_after"], after, "fields_after")
        if err is None:
            try:
                apply_roll_delta(after, delta)
                err = "the same delta applied twice"
            except DeltaRefused:
                pass
    except (Reject, DeltaRefused) as e:
        err = f"apply: {e}"
    results.append(("apply", err))
    return results


# ---------------------------------------------------------------------------------------------
# §18 payment receipt (receipts.json)

RECEIPT_LIMIT = 512  # §18
RECEIPT_BODY_LIMIT = 250  # §18.1
RECEIPT_PROFILES = {0x0B: "card", 0x0C: "point"}
FALLBACK_REASON = {0x01: "chip_unreadable", 0x02: "card_not_presented",
                   0x03: "card_cannot_sign"}
MAX_RECEIPT_LINES = 5


def dec_receipt_profile(v, where):
    """§18.1 tag 80: 0B (card) or 0C (payment point)."""
    if len(v) != 1 or v[0] not in RECEIPT_PROFILES:
        raise bad(where, f"profile {v.hex().upper()}, expected 0B or 0C")
    return v[0]


def dec_fixed(n, what):
    """A decoder for a value of exactly `n` bytes."""
    def decode(v, where):
        if len(v) != n:
            raise bad(where, f"{what} of {len(v)} bytes, expected {n}")
        return v
    return decode


def dec_collector(v, where):
    """§18.1 tag 89: 00, or role (01, 02) || 16 bytes of SHA-256 over the ID number."""
    if v == b"\x00":
        return {"role": "holder"}
    if len(v) != 17:
        raise bad(where, f"collector of {len(v)} bytes, expected 1 or 17")
    if v[0] not in RECIPIENT_ROLE:
        raise bad(where, f"role {v[0]:02X}")
    return {"role": RECIPIENT_ROLE[v[0]], "id_hash_hex": v[1:].hex()}


def dec_fallback(v, where):
    """§18.1 tag 8A: 01-03."""
    if len(v) != 1 or v[0] not in FALLBACK_REASON:
        raise bad(where, f"fallback reason {v.hex().upper()}")
    return FALLBACK_REASON[v[0]]


def dec_receipt_kind(v, where):
    """§18.1 line tag 82: a §17.2 kind byte."""
    if len(v) != 1 or v[0] not in ITEM_KIND:
        raise bad(where, f"kind {v.hex().upper()}")
    return ITEM_KIND[v[0]]


RECEIPT_LINE_TABLE = [
    Field("80", "program", True, 1, dec_program),
    Field("81", "category", False, 1, dec_category),
    Field("82", "kind", True, 1, dec_receipt_kind),
    Field("83", "amount_vnd", True, 1, dec_amount),
    Field("84", "first_month", True, 1, dec_roll_month),
    Field("85", "last_month", True, 1, dec_roll_month),
]


def dec_receipt_line(v, where):
    """§18.1 A0: a roll item; first month not after the last."""
    line = decode_template(v, RECEIPT_LINE_TABLE, where)
    if line["first_month"] > line["last_month"]:
        raise bad(where, f"first month {line['first_month']} after {line['last_month']}")
    return line


def receipt_body_table(profile):
    """§18.1 in order: 84 required in 0B, optional in 0C; 8A only in 0C, required there."""
    card = profile == 0x0B
    table = [
        Field("80", "profile", True, 1, dec_receipt_profile),
        Field("81", "id", True, 1, dec_fixed(12, "receipt id")),
        Field("82", "point", True, 1, dec_office_code),
        Field("83", "paid_at", True, 1, lambda v, w: dec_uint(v, w, 8, 0, (1 << 64) - 1)),
        Field("84", "serial", card, 1, dec_serial),
        Field("85", "ssn", True, 1, dec_ssn),
        Field("86", "area", True, 1, dec_area_code),
        Field("87", "month", True, 1, dec_roll_month),
        Field("88", "roll_version", True, 1, lambda v, w: dec_uint(v, w, 8, 0, (1 << 64) - 1)),
        Field("89", "collector", True, 1, dec_collector),
    ]
    if not card:
        table.append(Field("8A", "fallback", True, 1, dec_fallback))
    # The count is a value rule (§18.1: 1 to 5), checked after the template is read.
    table.append(Field("A0", "lines", True, 99, dec_receipt_line))
    return table


def verify_receipt(raw, signer_public_raw):
    """§18.2: parse the receipt, then check the signature over M with the given key."""
    if len(raw) > RECEIPT_LIMIT:
        raise Reject(MALFORMED, f"{len(raw)} bytes, at most {RECEIPT_LIMIT}")
    tag, value, end = read_tlv(raw, 0)
    if end != len(raw):
        raise Reject(MALFORMED, f"{len(raw) - end} bytes after the receipt")
    if tag != bytes.fromhex("7F25"):
        raise Reject(WRONG_TAG, f"outer tag {tag.hex().upper()}, expected 7F25")
    parts = list(iter_tlvs(value))
    if not parts or parts[0][0] != bytes.fromhex("7F4E"):
        raise Reject(WRONG_TAG, "the receipt does not begin with the body 7F4E")
    body_raw = parts[0][2]
    first = list(iter_tlvs(parts[0][1]))
    if not first or first[0][0] != b"\x80":
        raise Reject(WRONG_TAG, "the body does not begin with the profile 80")
    profile = dec_receipt_profile(first[0][1], "receipt.profile")
    body = decode_template(parts[0][1], receipt_body_table(profile), "receipt")
    lines = body["lines"]
    if len(lines) > MAX_RECEIPT_LINES:
        raise bad("receipt.lines", f"{len(lines)} lines, at most {MAX_RECEIPT_LINES}")
    for i, line in enumerate(lines):
        if line in lines[:i]:
            raise bad("receipt.lines", "the same line twice")
    if len(body_raw) > RECEIPT_BODY_LIMIT:
        raise bad("receipt", f"body of {len(body_raw)} bytes, at most {RECEIPT_BODY_LIMIT}")
    rest = parts[1:]
    flags = None
    if rest and rest[0][0] == bytes.fromhex("5F36"):
        flags = rest[0][1]
        rest = rest[1:]
        if profile == 0x0C:
            raise bad("receipt.flags", "card flags in a receipt the payment point signed")
        if len(flags) != 1 or flags[0] & 0xF8:
            raise bad("receipt.flags", f"flags {flags.hex().upper()}: one byte, b4-b8 zero")
    elif profile == 0x0B:
        raise bad("receipt.flags", "a card-signed receipt without the card flags 5F36")
    if not rest or rest[0][0] != bytes.fromhex("5F37"):
        raise Reject(WRONG_TAG, "the signature 5F37 is missing")
    if len(rest) > 1:
        raise Reject(WRONG_TAG, f"tag {rest[1][0].hex().upper()} after the signature")
    signature = rest[0][1]
    if len(signature) != 64:
        raise bad("receipt.signature", f"{len(signature)} bytes, expected 64")
    serial = body.get("serial")
    serial_bytes = serial.to_bytes(5, "big") if serial is not None else bytes(5)
    flags = flags if flags is not None else b"\x00"
    message = RC_DOMAIN + serial_bytes + flags + body_raw
    try:
        key = load_public_key(signer_public_raw)
    except ValueError as e:
        raise Reject(BAD_SIGNATURE, f"signer key: {e}") from None
    if not ecdsa_verify(key, signature, message):
        raise Reject(BAD_SIGNATURE, "the signature does not verify over M (§18.2)")
    fields = {
        "profile": RECEIPT_PROFILES[profile],
        "id_hex": body["id"].hex(),
        "point": body["point"],
        "paid_at": body["paid_at"],
        "ssn": body["ssn"][0],
        "area": body["area"],
        "month": body["month"],
        "roll_version": body["roll_version"],
        "collector": body["collector"],
        "flags": flags[0],
        "total_vnd": sum(line["amount_vnd"] for line in lines),
        "lines": lines,
    }
    if serial is not None:
        fields["serial"] = serial_text(serial)
    if "fallback" in body:
        fields["fallback"] = body["fallback"]
    return fields


def receipts_results(doc):
    """(name, error or None) for each vector of receipts.json."""
    results = []
    for entry in doc["vectors"]:
        raw = bytes.fromhex(entry["receipt_hex"])
        signer = bytes.fromhex(entry["signer_public_key_hex"])
        results.append((entry["name"], judge(entry, lambda: verify_receipt(raw, signer))))
    return results


def load(name):
    """Load a vector file next to this script."""
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def all_results():
    """(file, name, error or None) for every vector."""
    out = []
    for entry in load("credentials.json"):
        out.append(("credentials.json", entry["name"], check_credential_entry(entry)))
    for entry in load("qr.json"):
        out.append(("qr.json", entry["name"], check_qr_entry(entry)))
    for name, err in apdu_results(load("apdu.json")):
        out.append(("apdu.json", name, err))
    for name, err in access_results(load("access.json"), load("apdu.json")):
        out.append(("access.json", name, err))
    out.append(("SPEC.md", "rice-example", rice_example_result()))
    for name, err in lists_results(load("lists.json")):
        out.append(("lists.json", name, err))
    for name, err in rolls_results(load("rolls.json")):
        out.append(("rolls.json", name, err))
    for name, err in receipts_results(load("receipts.json")):
        out.append(("receipts.json", name, err))
    return out


def main():
    """Print one line per vector and a summary; exit 1 on any failure."""
    passed = failed = 0
    for file, name, err in all_results():
        if err is None:
            passed += 1
            print(f"ok  {file}:{name}")
        else:
            failed += 1
            print(f"FAIL {file}:{name}: {err}")
    print(f"check_vectors: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
