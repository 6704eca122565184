#!/usr/bin/env python3
"""Tokens for secfuzz's JWT fixture made by another implementation.

Signs JWTs with the fixture's trusted private keys
(src/targets/jwt/trusted_keys.json) using Python's `cryptography` package
(OpenSSL underneath), so the verifier and the oracles see signatures that
secfuzz did not make: PSS with a random salt, ECDSA with random nonces.

Writes tests/data/jwt/external_tokens.jsonl, one JSON object per line:
{"payload": TOKEN, "expect": "accepted" | "rejected", "case": WHAT}.
`secfuzz check jwt --input json-lines` reads `payload` and ignores the rest;
tests/cli_jwt.rs checks each verdict against `expect` and that no line is a
violation. Randomized signatures differ on each run: the committed output is
one run, re-running the script is fine.

Usage (from the repository root): python3 tests/data/jwt/make_tokens.py
"""

import base64
import hashlib
import hmac
import json
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
KEYS = os.path.join(ROOT, "src", "targets", "jwt", "trusted_keys.json")
OUT = os.path.join(ROOT, "tests", "data", "jwt", "external_tokens.jsonl")

# The fixture (src/targets/jwt/fixture.rs): clock, issuer, audience, leeways.
NOW = 1_700_000_000
ISSUER = "https://issuer.secfuzz.test"
AUDIENCE = "secfuzz-api"
LEEWAY_EXP = 30
LEEWAY_NBF = 10

# Group orders (SEC 2 / FIPS 186-4); checked below: (r, n - s) must verify.
ORDERS = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "P-384": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
    "P-521": 0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409,
}
CURVES = {"P-256": (ec.SECP256R1(), hashes.SHA256(), 32),
          "P-384": (ec.SECP384R1(), hashes.SHA384(), 48),
          "P-521": (ec.SECP521R1(), hashes.SHA512(), 66)}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def num(text: str) -> int:
    return int.from_bytes(unb64(text), "big")


with open(KEYS) as f:
    JWKS = {k["kid"]: k for k in json.load(f)["keys"]}


def signing_input(kid: str, alg: str, claims_text: str) -> bytes:
    header = json.dumps({"alg": alg, "kid": kid, "typ": "JWT"}, separators=(",", ":"))
    return (b64(header.encode()) + "." + b64(claims_text.encode())).encode()


def claims(**extra) -> str:
    c = {"iss": ISSUER, "aud": AUDIENCE, "sub": "py-user", "iat": NOW - 60, "exp": NOW + 600}
    c.update(extra)
    return json.dumps(c, separators=(",", ":"))


def rsa_key(kid):
    k = JWKS[kid]
    public = rsa.RSAPublicNumbers(num(k["e"]), num(k["n"]))
    return rsa.RSAPrivateNumbers(num(k["p"]), num(k["q"]), num(k["d"]), num(k["dp"]),
                                 num(k["dq"]), num(k["qi"]), public).private_key()


def ec_sign(kid, data, high_s=False):
    k = JWKS[kid]
    curve, digest, size = CURVES[k["crv"]]
    key = ec.derive_private_key(num(k["d"]), curve)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
    n = ORDERS[k["crv"]]
    low = min(s, n - s)
    s = n - low if high_s else low
    # Both twins verify: this checks the order constant above.
    key.public_key().verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def pss_sign(kid, data):
    return rsa_key(kid).sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                             hashes.SHA256())


def sign(kid, data, **kw):
    alg = JWKS[kid]["alg"]
    if alg == "HS256":
        return hmac.new(unb64(JWKS[kid]["k"]), data, hashlib.sha256).digest()
    if alg == "RS256":
        return rsa_key(kid).sign(data, padding.PKCS1v15(), hashes.SHA256())
    if alg == "PS256":
        return pss_sign(kid, data)
    if alg.startswith("ES"):
        return ec_sign(kid, data, **kw)
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.from_private_bytes(unb64(JWKS[kid]["d"])).sign(data)
    raise ValueError(alg)


def token(kid, claims_text, signature=None, **kw):
    data = signing_input(kid, JWKS[kid]["alg"], claims_text)
    sig = sign(kid, data, **kw) if signature is None else signature(data)
    return data.decode() + "." + b64(sig)


def plus_modulus(kid):
    """A PS256/RS256 signature s replaced by s + n, written in the modulus'
    byte length: re-sign (PSS is randomized) until s + n fits."""
    n = num(JWKS[kid]["n"])
    size = (n.bit_length() + 7) // 8
    for i in range(200):
        c = claims(jti=f"plus-n-{i}")
        data = signing_input(kid, JWKS[kid]["alg"], c)
        s = int.from_bytes(sign(kid, data), "big")
        if s + n < 1 << (8 * size):
            return data.decode() + "." + b64((s + n).to_bytes(size, "big"))
    raise RuntimeError("no signature with s + n < 2^bits")


def main():
    rows = []

    def add(expect, case, tok):
        rows.append({"payload": tok, "expect": expect, "case": case})

    for kid in ["hs256-0", "rs256-0", "eddsa-0"]:
        add("accepted", f"{kid}: valid", token(kid, claims()))
    for i in range(3):
        add("accepted", f"ps256-0: valid, random salt #{i}", token("ps256-0", claims(jti=f"ps-{i}")))
        add("accepted", f"es256-0: valid, random nonce, low s #{i}",
            token("es256-0", claims(jti=f"es-{i}")))
    add("accepted", "es384-0: valid, low s", token("es384-0", claims()))
    add("accepted", "es512-0: valid, low s", token("es512-0", claims()))
    # Exact NumericDate boundaries: the decimal text decides, not its f64.
    add("accepted", "exp a hair above now - leeway_exp (f64 rounds it onto the boundary)",
        token("hs256-0", claims(exp="@EXP@").replace('"@EXP@"', f"{NOW - LEEWAY_EXP}.0000000001")))
    add("rejected", "nbf a hair above now + leeway_nbf (f64 rounds it onto the boundary)",
        token("hs256-0", claims(nbf="@NBF@").replace('"@NBF@"', f"{NOW + LEEWAY_NBF}.0000000001")))

    add("rejected", "es256-0: high s (the fixture requires low s)",
        token("es256-0", claims(), high_s=True))
    add("rejected", "es512-0: high s", token("es512-0", claims(), high_s=True))
    add("rejected", "ps256-0: s + n twin", plus_modulus("ps256-0"))
    add("rejected", "rs256-0: s + n twin", plus_modulus("rs256-0"))
    add("rejected", "ps256-0: signature with a leading zero byte",
        token("ps256-0", claims(), signature=lambda d: b"\0" + pss_sign("ps256-0", d)))
    add("rejected", "rs256-0: expired (exp = now - leeway_exp)",
        token("rs256-0", claims(exp=NOW - LEEWAY_EXP)))
    add("rejected", "eddsa-0: iat an hour in the future",
        token("eddsa-0", claims(iat=NOW + 3600)))
    good = token("hs256-0", claims())
    h, p, s = good.split(".")
    add("rejected", "hs256-0: payload changed after signing",
        h + "." + b64(unb64(p).replace(b"py-user", b"py-admn")) + "." + s)
    add("rejected", "es256-0: signed with P-256 but the signature truncated",
        token("es256-0", claims(), signature=lambda d: ec_sign("es256-0", d)[:-1]))

    with open(OUT, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"wrote {len(rows)} tokens to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
