#!/usr/bin/env node
// Time the official Node SDK's signing functions (@alicloud/openapi-util) on the representative RunCommand request.
//
// Usage: node sign_node.js REQUEST_JSON N [REPEATS]
//
// REQUEST_JSON is bench/data/runcommand-request.json (one HMAC-SHA1 and one ACS3-HMAC-SHA256 entry, in the shape
// acs-sign reads). Each function signs that request N times, REPEATS times over; the best repeat is reported, in
// nanoseconds per signature, with the signature it produced (bench/run checks it against ours). Prints one JSON
// object. Only the SDK's public signing helpers are called; nothing of it is copied here.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

function bestNsPerCall(fn, n, repeats) {
  let best = Infinity;
  let result;
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      result = fn();
    }
    const ns = Number(process.hrtime.bigint() - start) / n;
    best = Math.min(best, ns);
  }
  return [best, result];
}

function entry(entries, algorithm) {
  const found = entries.find((e) => e.algorithm === algorithm);
  if (!found) {
    throw new Error(`the request file has no ${algorithm} entry`);
  }
  return found;
}

function main() {
  const [file, nText, repeatsText] = process.argv.slice(2);
  const n = Number.parseInt(nText, 10);
  const repeats = repeatsText === undefined ? 3 : Number.parseInt(repeatsText, 10);
  if (!file || !(n >= 1) || !(repeats >= 1)) {
    throw new Error('usage: node sign_node.js REQUEST_JSON N [REPEATS] (N, REPEATS >= 1)');
  }
  const entries = JSON.parse(fs.readFileSync(file, 'utf8'));
  const v1 = entry(entries, 'HMAC-SHA1');
  const v3 = entry(entries, 'ACS3-HMAC-SHA256');

  const OpenApiUtil = require('@alicloud/openapi-util').default;
  const $tea = require('@alicloud/tea-typescript');
  const rows = [];
  const add = (impl, pkg, algorithm, fn, encode = (x) => x) => {
    const [ns, result] = bestNsPerCall(fn, n, repeats);
    rows.push({ impl, package: pkg, algorithm, ns, signature: encode(result) });
  };

  const v1Params = { ...v1.params };
  add('node openapi-util getRPCSignature', '@alicloud/openapi-util', 'v1', () =>
    OpenApiUtil.getRPCSignature(v1Params, v1.method, v1.access_key_secret));

  const request = new $tea.Request();
  request.method = v3.method;
  request.pathname = v3.canonical_uri || '/';
  request.query = { ...v3.query };
  request.headers = { ...v3.headers };
  const body = Buffer.from(v3.body || '', 'utf8');
  add('node openapi-util getAuthorization', '@alicloud/openapi-util', 'v3', () => {
    // as the SDK's doRequest: hash the body, hex it, then build the Authorization header
    const payload = OpenApiUtil.hexEncode(OpenApiUtil.hash(body, 'ACS3-HMAC-SHA256'));
    const auth = OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', payload, v3.access_key_id,
      v3.access_key_secret);
    return auth.slice(auth.lastIndexOf('Signature=') + 'Signature='.length);
  });

  // the floor: one bare HMAC (node:crypto, i.e. OpenSSL) over strings-to-sign that our signer printed
  const v1Sts = Buffer.from(process.env.BENCH_V1_STRING_TO_SIGN || '', 'utf8');
  const v3Sts = Buffer.from(process.env.BENCH_V3_STRING_TO_SIGN || '', 'utf8');
  if (v1Sts.length > 0) {
    const key = Buffer.from(`${v1.access_key_secret}&`, 'utf8');
    add('node crypto hmac (floor)', 'node:crypto', 'hmac-sha1',
      () => crypto.createHmac('sha1', key).update(v1Sts).digest(), (d) => d.toString('base64'));
  }
  if (v3Sts.length > 0) {
    const key = Buffer.from(v3.access_key_secret, 'utf8');
    add('node crypto hmac (floor)', 'node:crypto', 'hmac-sha256',
      () => crypto.createHmac('sha256', key).update(v3Sts).digest(), (d) => d.toString('hex'));
  }

  console.log(JSON.stringify({ language: 'node', version: process.version, n, repeats, results: rows }));
}

try {
  main();
} catch (e) {
  console.error(`sign_node.js: ${e.message}`);
  process.exit(2);
}
