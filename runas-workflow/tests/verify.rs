//! Verification with the new user's AccessKey on the emulator's simulated Cloud Assistant agent.

mod common;

use acs_core::SecretString;
use common::*;
use runas_workflow::{Actual, Expected, KeySource, Options, RunAsRule, Setup, WindowsOptions};

fn linux(o: Options) -> Setup {
    Setup::linux(o).expect("options").visibility_wait(quick()).propagation_wait(quick()).command_wait(quick())
}

fn windows(password: &str) -> Setup {
    let o = WindowsOptions::new(REGION, WINDOWS, SecretString::from(password.to_owned()));
    Setup::windows(o).expect("options").visibility_wait(quick()).propagation_wait(quick()).command_wait(quick())
}

#[tokio::test]
async fn linux_allow_list_allows_user01_and_user02_and_refuses_root() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut s = linux(Options::new(REGION, LINUX));
    s.apply(&clients).await.expect("apply");
    emu.stats().reset();
    let v = s.verify(&clients).await.expect("verify");
    eprintln!("linux verify: {} calls {:?}", emu.stats().total(), emu.stats().snapshot());
    assert_eq!(emu.stats().count("RunCommand"), 3);
    assert_eq!(v.key_source, KeySource::FromApply);
    let runs: Vec<(&str, Expected, Actual)> =
        v.checks.iter().map(|c| (c.run_as.as_str(), c.expected, c.actual)).collect();
    assert_eq!(
        runs,
        [
            ("user01", Expected::Allowed, Actual::Allowed),
            ("user02", Expected::Allowed, Actual::Allowed),
            ("root", Expected::Denied, Actual::Denied)
        ]
    );
    assert_eq!(v.checks[0].output.as_deref(), Some("user01"));
    assert_eq!(v.checks[2].error_code.as_deref(), Some("Forbidden.RAM"));
    assert!(v.ok(), "{v:#?}");
}

#[tokio::test]
async fn linux_deny_list_allows_user01_and_refuses_root() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut o = Options::new(REGION, LINUX);
    o.run_as = RunAsRule::DenyOnly(vec!["root".into(), "system".into()]);
    let mut s = linux(o);
    s.apply(&clients).await.expect("apply");
    let v = s.verify(&clients).await.expect("verify");
    assert!(v.ok(), "{v:#?}");
    assert_eq!(v.checks.last().map(|c| (c.run_as.as_str(), c.actual)), Some(("root", Actual::Denied)));
}

#[tokio::test]
async fn a_later_run_verifies_with_the_credentials_file_or_a_temporary_key() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let mut with_file = Options::new(REGION, LINUX);
    with_file.credentials_out = Some(dir.path().join("c.json"));
    linux(with_file.clone()).apply(&clients).await.expect("apply");

    // A new process: the secret is read back from the file.
    let v = linux(with_file).verify(&clients).await.expect("verify from file");
    assert_eq!(v.key_source, KeySource::CredentialsFile);
    assert!(v.ok(), "{v:#?}");

    // Without the file: a temporary key, deleted afterwards.
    let before = clients.ram.list_access_keys().user_name("commandUser").send().await.unwrap().access_keys.len();
    let v = linux(Options::new(REGION, LINUX)).verify(&clients).await.expect("verify with a temporary key");
    assert_eq!(v.key_source, KeySource::Temporary);
    assert!(v.ok(), "{v:#?}");
    let after = clients.ram.list_access_keys().user_name("commandUser").send().await.unwrap().access_keys.len();
    assert_eq!(before, after, "the temporary key is deleted");
}

#[tokio::test]
async fn verification_fails_when_the_policy_does_not_allow_the_user() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut o = Options::new(REGION, LINUX);
    o.run_as = RunAsRule::AllowOnly(vec!["user02".into()]);
    o.verify_users = Some(vec!["user01".into()]);
    let mut s = linux(o);
    s.apply(&clients).await.expect("apply");
    let v = s.verify(&clients).await.expect("verify");
    // user01 is not allowed by this policy: the check expects (and gets) a refusal.
    assert_eq!(v.checks[0].expected, Expected::Denied);
    assert_eq!(v.checks[0].actual, Actual::Denied);
    assert!(v.ok());
}

#[tokio::test]
async fn windows_happy_path() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut s = windows(WINDOWS_PASSWORD);
    s.apply(&clients).await.expect("apply");
    emu.stats().reset();
    let v = s.verify(&clients).await.expect("verify");
    eprintln!("windows verify: {} calls {:?}", emu.stats().total(), emu.stats().snapshot());
    assert!(v.ok(), "{v:#?}");
    let runs: Vec<(&str, Actual)> = v.checks.iter().map(|c| (c.run_as.as_str(), c.actual)).collect();
    assert_eq!(runs, [("user01", Actual::Allowed), ("system", Actual::Denied)]);
    assert!(v.checks[0].output.as_deref().unwrap_or("").to_ascii_lowercase().ends_with("user01"));
}

#[tokio::test]
async fn windows_without_the_instance_role_fails_and_says_why() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut s = windows(WINDOWS_PASSWORD);
    s.apply(&clients).await.expect("apply");
    clients
        .ecs
        .detach_instance_ram_role()
        .region_id(REGION)
        .instance_ids([WINDOWS])
        .ram_role_name("AxtSecretRamRole")
        .send()
        .await
        .expect("detach the role behind the workflow's back");
    // This Setup just changed things, so verification first waits a little for the role to reach the agent.
    let mut s = s.propagation_wait(acs_core::waiter::WaiterConfig {
        initial_delay: std::time::Duration::from_millis(20),
        max_delay: std::time::Duration::from_millis(20),
        deadline: std::time::Duration::from_millis(100),
    });
    emu.stats().reset();
    let v = s.verify(&clients).await.expect("verify runs");
    assert!(emu.stats().count("RunCommand") > 2, "the agent failure was retried while the role could propagate");
    assert!(!v.ok());
    let c = &v.checks[0];
    assert_eq!((c.run_as.as_str(), c.expected, c.actual), ("user01", Expected::Allowed, Actual::Error), "{c:#?}");
    let why = c.explanation.as_deref().unwrap_or("");
    assert!(why.contains("no RAM role") && why.contains("attach role AxtSecretRamRole"), "{why}");
    assert!(c.invoke_id.is_some());
    // The next apply repairs it.
    let report = s.apply(&clients).await.expect("re-apply");
    let step = report.iter().find(|r| r.action == "instance-role").expect("step");
    assert_eq!(step.result, runas_workflow::StepResult::Created);
    assert!(s.verify(&clients).await.expect("verify").ok());
}

#[tokio::test]
async fn windows_with_a_wrong_password_says_so() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut s = windows("Not-The-Passw0rd");
    s.apply(&clients).await.expect("apply");
    let v = s.verify(&clients).await.expect("verify");
    assert!(!v.ok());
    let why = v.checks[0].explanation.as_deref().unwrap_or("");
    assert!(why.contains("password"), "{:#?}", v.checks[0]);
}

#[tokio::test]
async fn an_allow_list_naming_root_checks_root_once() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut o = Options::new(REGION, LINUX);
    o.run_as = RunAsRule::AllowOnly(vec!["root".into(), "user01".into()]);
    let mut s = linux(o);
    s.apply(&clients).await.expect("apply");
    emu.stats().reset();
    let v = s.verify(&clients).await.expect("verify");
    let runs: Vec<(&str, Expected)> = v.checks.iter().map(|c| (c.run_as.as_str(), c.expected)).collect();
    assert_eq!(runs, [("root", Expected::Allowed), ("user01", Expected::Allowed)]);
    assert_eq!(emu.stats().count("RunCommand"), 2);
    assert!(v.ok(), "{v:#?}");
}

#[tokio::test]
async fn narrowing_the_allow_list_revokes_the_user_left_out() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let mut o = Options::new(REGION, LINUX);
    o.credentials_out = Some(dir.path().join("c.json"));
    o.verify_users = Some(vec!["user01".into(), "user02".into()]);
    let mut first = linux(o.clone());
    first.apply(&clients).await.expect("apply");
    assert!(first.verify(&clients).await.expect("verify").ok());

    // A later run allows user01 only: a new default version, and user02 is refused from then on.
    o.run_as = RunAsRule::AllowOnly(vec!["user01".into()]);
    let mut second = linux(o.clone());
    second.apply(&clients).await.expect("narrowed apply");
    let v = second.verify(&clients).await.expect("verify");
    let runs: Vec<(&str, Expected, Actual)> =
        v.checks.iter().map(|c| (c.run_as.as_str(), c.expected, c.actual)).collect();
    assert_eq!(
        runs,
        [
            ("user01", Expected::Allowed, Actual::Allowed),
            ("user02", Expected::Denied, Actual::Denied),
            ("root", Expected::Denied, Actual::Denied)
        ]
    );
    assert!(v.ok(), "{v:#?}");

    // Switching to the deny-list form: user02 is allowed again, root still refused.
    o.run_as = RunAsRule::DenyOnly(vec!["root".into(), "system".into()]);
    let mut third = linux(o);
    third.apply(&clients).await.expect("deny-list apply");
    let v = third.verify(&clients).await.expect("verify");
    let runs: Vec<(&str, Actual)> = v.checks.iter().map(|c| (c.run_as.as_str(), c.actual)).collect();
    assert_eq!(runs, [("user01", Actual::Allowed), ("user02", Actual::Allowed), ("root", Actual::Denied)]);
    assert!(v.ok(), "{v:#?}");
}
