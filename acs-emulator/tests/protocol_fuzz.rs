//! Property tests of the request pipeline's parsing and authentication: arbitrary methods, queries, headers and
//! bodies never panic and are always rejected with one of the documented gateway codes (nothing here is signed).

use acs_emulator::protocol::{authenticate, parse, HttpRequest, NonceCache};
use acs_emulator::state::State;
use acs_emulator::Seed;
use proptest::prelude::*;

const KNOWN_CODES: &[&str] = &[
    "UnsupportedHTTPMethod",
    "InvalidParameter",
    "MissingParameter",
    "InvalidVersion",
    "InvalidAction.NotFound",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidAccessKeyId.Inactive",
    "InvalidTimeStamp.Format",
    "InvalidTimeStamp.Expired",
    "SignatureNonceUsed",
    "SignatureDoesNotMatch",
    "MissingSecurityToken",
    "InvalidSecurityToken.Malformed",
    "InvalidSecurityToken.MismatchWithAccessKey",
    "InvalidSecurityToken.Expired",
];

/// Query fragments that steer the parser into its deeper branches.
fn query_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Action=GetCallerIdentity".to_owned()),
        Just("Action=".to_owned()),
        Just("Version=2015-04-01".to_owned()),
        Just("Version=2099-01-01".to_owned()),
        Just("AccessKeyId=LTAIEmulatorRootKey0001".to_owned()),
        Just("SignatureMethod=HMAC-SHA1".to_owned()),
        Just("Signature=abc%2B%3D".to_owned()),
        Just("SignatureNonce=n".to_owned()),
        Just("Timestamp=2030-01-01T00:00:00Z".to_owned()),
        Just("SecurityToken=t".to_owned()),
        "[A-Za-z0-9%=&+._~-]{0,24}",
        any::<String>(),
    ]
}

fn header() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        Just("authorization".to_owned()),
        Just("x-acs-action".to_owned()),
        Just("x-acs-version".to_owned()),
        Just("x-acs-date".to_owned()),
        Just("x-acs-signature-nonce".to_owned()),
        Just("x-acs-content-sha256".to_owned()),
        Just("x-acs-security-token".to_owned()),
        Just("content-type".to_owned()),
        Just("host".to_owned()),
        "[a-z-]{1,12}",
    ];
    let value = prop_oneof![
        Just(
            "ACS3-HMAC-SHA256 Credential=LTAIEmulatorRootKey0001,SignedHeaders=host;x-acs-date,Signature=ab".to_owned()
        ),
        Just("ACS3-HMAC-SHA256".to_owned()),
        Just("GetCallerIdentity".to_owned()),
        Just("2015-04-01".to_owned()),
        Just("application/x-www-form-urlencoded".to_owned()),
        Just("2030-01-01T00:00:00Z".to_owned()),
        any::<String>(),
    ];
    (name, value)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_are_rejected_with_known_codes(
        method in prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("")],
        pieces in proptest::collection::vec(query_piece(), 0..8),
        headers in proptest::collection::vec(header(), 0..8),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        now in prop_oneof![Just(1_700_000_000i64), any::<i64>().prop_map(|n| n / 4)],
    ) {
        let query = pieces.join("&");
        let request = HttpRequest { method, path: "/", query: &query, headers: &headers, body: &body };
        let (_, parsed) = parse(&request);
        let outcome = parsed.and_then(|parsed| {
            let state = State::from_seed(&Seed::demo());
            let mut nonces = NonceCache::default();
            authenticate(&parsed, &request, &state, &mut nonces, now).map(|_| ())
        });
        match outcome {
            Ok(()) => prop_assert!(false, "an unsigned request was accepted: {query:?} {headers:?}"),
            Err(e) => {
                prop_assert!(KNOWN_CODES.contains(&e.code.as_str()), "unexpected code {} ({})", e.code, e.message);
                prop_assert!((400..500).contains(&e.status), "status {} for {}", e.status, e.code);
            }
        }
    }
}
