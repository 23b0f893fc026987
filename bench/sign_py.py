#!/usr/bin/env python3
"""Time the official Python SDKs' signing functions on the representative RunCommand request.

Usage: sign_py.py REQUEST_JSON N [REPEATS]

REQUEST_JSON is bench/data/runcommand-request.json (one HMAC-SHA1 and one ACS3-HMAC-SHA256 entry, in the shape
acs-sign reads). Each function signs that request N times, REPEATS times over; the best repeat is reported, in
nanoseconds per signature, with the signature it produced (bench/run checks it against ours). Prints one JSON object.
Only the SDKs' public signing helpers are called; nothing of them is copied here.
"""

import base64
import hashlib
import hmac
import json
import sys
import time


def best_ns_per_call(fn, n, repeats):
    """Smallest mean time of `fn()` over `repeats` loops of `n` calls, and its last result."""
    best, result = None, None
    for _ in range(repeats):
        start = time.perf_counter_ns()
        for _ in range(n):
            result = fn()
        ns = (time.perf_counter_ns() - start) / n
        best = ns if best is None else min(best, ns)
    return best, result


def entry(entries, algorithm):
    for e in entries:
        if e.get("algorithm") == algorithm:
            return e
    raise SystemExit(f"sign_py.py: the request file has no {algorithm} entry")


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        entries = json.load(f)
    n = int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    if n < 1 or repeats < 1:
        raise SystemExit("sign_py.py: N and REPEATS must be at least 1")

    v1 = entry(entries, "HMAC-SHA1")
    v3 = entry(entries, "ACS3-HMAC-SHA256")
    v1_params, v1_method, v1_secret = dict(v1["params"]), v1["method"], v1["access_key_secret"]
    v3_body = v3.get("body", "").encode("utf-8")
    ak, v3_secret = v3["access_key_id"], v3["access_key_secret"]
    rows = []

    def add(name, package, algorithm, fn, encode=lambda result: result):
        ns, result = best_ns_per_call(fn, n, repeats)
        signature = encode(result)
        rows.append({"impl": name, "package": package, "algorithm": algorithm, "ns": ns, "signature": signature})

    # alibabacloud-openapi-util: the Tea-generation helpers (V1 get_rpcsignature, V3 get_authorization)
    from alibabacloud_openapi_util.client import Client as OpenApiUtil
    from Tea.request import TeaRequest

    add("python openapi-util get_rpcsignature", "alibabacloud-openapi-util", "v1",
        lambda: OpenApiUtil.get_rpcsignature(v1_params, v1_method, v1_secret))

    tea_request = TeaRequest()
    tea_request.method = v3["method"]
    tea_request.pathname = v3.get("canonical_uri", "/")
    tea_request.query = dict(v3["query"])
    tea_request.headers = dict(v3["headers"])

    def openapi_util_v3():
        payload = OpenApiUtil.hex_encode(OpenApiUtil.hash(v3_body, "ACS3-HMAC-SHA256"))
        auth = OpenApiUtil.get_authorization(tea_request, "ACS3-HMAC-SHA256", payload, ak, v3_secret)
        return auth.rsplit("Signature=", 1)[-1]

    add("python openapi-util get_authorization", "alibabacloud-openapi-util", "v3", openapi_util_v3)

    # alibabacloud-tea-openapi: the helpers alibabacloud-ecs20140526 actually calls (darabonba generation)
    from alibabacloud_tea_openapi.utils import Utils as TeaOpenApiUtils
    from darabonba.request import DaraRequest

    add("python tea-openapi Utils.get_rpcsignature", "alibabacloud-tea-openapi", "v1",
        lambda: TeaOpenApiUtils.get_rpcsignature(v1_params, v1_method, v1_secret))

    dara_request = DaraRequest()
    dara_request.method = v3["method"]
    dara_request.pathname = v3.get("canonical_uri", "/")
    dara_request.query = dict(v3["query"])
    dara_request.headers = dict(v3["headers"])

    def tea_openapi_v3():
        # as the SDK's do_request: hash the body, hex it, then build the Authorization header
        payload = TeaOpenApiUtils.hash(v3_body, "ACS3-HMAC-SHA256").hex()
        auth = TeaOpenApiUtils.get_authorization(dara_request, "ACS3-HMAC-SHA256", payload, ak, v3_secret)
        return auth.rsplit("Signature=", 1)[-1]

    add("python tea-openapi Utils.get_authorization", "alibabacloud-tea-openapi", "v3", tea_openapi_v3)

    # aliyun-python-sdk-core: the classic SDK's RPC composer (string-to-sign, then HMAC-SHA1)
    from aliyunsdkcore.auth.composer import rpc_signature_composer as rpc

    compose = getattr(rpc, "__compose_string_to_sign")
    get_signature = getattr(rpc, "__get_signature")
    add("python aliyun-python-sdk-core rpc composer", "aliyun-python-sdk-core", "v1",
        lambda: get_signature(compose(v1_method, v1_params), v1_secret))

    # the floor: one bare HMAC over the same strings-to-sign (hashlib/hmac, i.e. OpenSSL); the digest is encoded
    # only once, outside the timed loop, to be compared
    v1_sts = compose(v1_method, v1_params).encode("utf-8")
    v1_key = (v1_secret + "&").encode("utf-8")
    add("python hmac (floor)", "stdlib", "hmac-sha1", lambda: hmac.new(v1_key, v1_sts, hashlib.sha1).digest(),
        encode=lambda digest: base64.b64encode(digest).decode())
    payload = hashlib.sha256(v3_body).hexdigest()
    # rebuild the V3 string-to-sign from the pieces the SDK hashes (the SDK does not return it)
    from alibabacloud_openapi_util.client import get_canonical_query_string, get_canonicalized_headers

    headers_c, signed = get_canonicalized_headers(tea_request.headers)
    canonical = "\n".join([tea_request.method, tea_request.pathname, get_canonical_query_string(tea_request.query),
                           headers_c, signed, payload])
    v3_sts = ("ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()).encode("utf-8")
    v3_key = v3_secret.encode("utf-8")
    add("python hmac (floor)", "stdlib", "hmac-sha256", lambda: hmac.new(v3_key, v3_sts, hashlib.sha256).digest(),
        encode=lambda digest: digest.hex())

    print(json.dumps({"language": "python", "version": sys.version.split()[0], "n": n, "repeats": repeats,
                      "results": rows}))


if __name__ == "__main__":
    main()
