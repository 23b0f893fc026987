//! Fault injection: deterministic per seed, Nth-call failures, and failed calls change nothing.

mod support;

use acs_emulator::{Emulator, FaultRule};
use support::*;

async fn pattern(seed: u64) -> Vec<u16> {
    let emu = Emulator::builder()
        .fault(FaultRule::rate("ListUsers", "Throttling", 0.5))
        .fault_seed(seed)
        .start()
        .await
        .expect("starts");
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let mut out = Vec::new();
    for _ in 0..40 {
        let (status, body) = call(&ep, &root, RAM, "ListUsers", &[]).await;
        if status != 200 {
            assert_eq!((status, body["Code"].as_str()), (400, Some("Throttling")), "{body}");
            assert!(body["RequestId"].is_string());
        }
        out.push(status);
    }
    // Other actions are untouched.
    assert_eq!(call(&ep, &root, STS, "GetCallerIdentity", &[]).await.0, 200);
    assert_eq!(emu.faults().injected() as usize, out.iter().filter(|s| **s != 200).count());
    out
}

#[tokio::test]
async fn rate_faults_repeat_exactly_under_the_same_seed() {
    let a = pattern(42).await;
    let b = pattern(42).await;
    let c = pattern(43).await;
    assert_eq!(a, b);
    assert_ne!(a, c);
    let failures = a.iter().filter(|s| **s == 400).count();
    assert!((5..=35).contains(&failures), "{failures} of 40 failed at rate 0.5");
}

#[tokio::test]
async fn nth_call_fails_and_changes_nothing() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    emu.faults().fail_nth("CreateUser", 2, "ServiceUnavailable");
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "u1")]).await;
    let (status, body) = call(&ep, &root, RAM, "CreateUser", &[("UserName", "u2")]).await;
    assert_eq!((status, body["Code"].as_str()), (503, Some("ServiceUnavailable")));
    fails(&ep, &root, RAM, "GetUser", &[("UserName", "u2")], "EntityNotExist.User").await;
    // The retry succeeds.
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "u2")]).await;
    assert_eq!(emu.stats().count("CreateUser"), 3);

    // `*` counts every action; fail_once fails the very next call.
    emu.faults().fail_nth("*", 2, "Throttling");
    ok(&ep, &root, RAM, "GetUser", &[("UserName", "u1")]).await;
    fails(&ep, &root, RAM, "ListUsers", &[], "Throttling").await;
    emu.faults().fail_once("DeleteUser", "InternalError");
    let (status, _) = call(&ep, &root, RAM, "DeleteUser", &[("UserName", "u1")]).await;
    assert_eq!(status, 500);
    ok(&ep, &root, RAM, "GetUser", &[("UserName", "u1")]).await;
    assert_eq!(emu.faults().injected(), 3);
}

#[tokio::test]
async fn seed_faults_apply() {
    let seed = acs_emulator::Seed::demo().fault(FaultRule::rate("GetCallerIdentity", "Throttling.User", 1.0));
    let emu = Emulator::builder().seed(seed).start().await.expect("starts");
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    fails(&ep, &root, STS, "GetCallerIdentity", &[], "Throttling.User").await;
    // Unauthenticated calls are rejected before faults.
    let stranger = Creds::new("LTAIx", "y");
    fails(&ep, &stranger, STS, "GetCallerIdentity", &[], "InvalidAccessKeyId.NotFound").await;
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn throttling_may_carry_a_retry_after_header() {
    let emu = Emulator::builder()
        .fault(FaultRule::parse("CreateUser=Throttling#1,retry-after=1").unwrap_or_else(|e| panic!("{e}")))
        .fault(FaultRule::nth("ListUsers", "Throttling", 1))
        .start()
        .await
        .expect("starts");
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let signed =
        |action: &str, params: &[(&str, &str)]| sign(Style::V3, &ep, &root, RAM, action, params, &Overrides::default());
    let (status, headers, body) = send_with_headers(&signed("CreateUser", &[("UserName", "u1")])).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("Throttling")), "{body}");
    assert_eq!(header(&headers, "x-acs-retry-after"), Some("1"), "{headers:?}");
    assert!(header(&headers, "x-acs-request-id").is_some_and(|id| Some(id) == body["RequestId"].as_str()));
    // the retry succeeds, without the header
    let (status, headers, _) = send_with_headers(&signed("CreateUser", &[("UserName", "u1")])).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "x-acs-retry-after"), None);
    // a rule without the option sends no header (the existing syntax is unchanged)
    let (status, headers, body) = send_with_headers(&signed("ListUsers", &[])).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("Throttling")), "{body}");
    assert_eq!(header(&headers, "x-acs-retry-after"), None);
}
