//! The Linux procedure end to end on the in-process emulator (RAM only; verification is in `verify.rs`).

mod common;

use acs_core::ExposeSecret;
use common::*;
use runas_workflow::{Options, RunAsRule, Setup, StepResult, WorkflowError};

fn setup(options: Options) -> Setup {
    Setup::linux(options).expect("valid options").visibility_wait(quick())
}

fn options() -> Options {
    Options::new(REGION, LINUX)
}

#[tokio::test]
async fn first_apply_creates_everything_and_a_second_changes_nothing_with_reads_only() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut s = setup(options());
    let first = s.apply(&clients).await.expect("first apply");
    let actions: Vec<&str> = first.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["ram-user", "login-profile", "access-key", "custom-policy", "attach-user-policy", "attach-user-policy"]
    );
    assert!(first.iter().all(|r| r.result == StepResult::Created), "{first:#?}");
    let first_calls = emu.stats().total();
    eprintln!("linux first apply: {first_calls} calls {:?}", emu.stats().snapshot());

    // A separate run (new Setup value, as a new process would be).
    emu.stats().reset();
    let second = setup(options()).apply(&clients).await.expect("second apply");
    assert_eq!(second.len(), first.len());
    assert!(second.iter().all(|r| r.result == StepResult::Unchanged), "{second:#?}");
    let calls = emu.stats().snapshot();
    eprintln!("linux re-apply: {} calls {calls:?}", emu.stats().total());
    assert!(calls.keys().all(|a| is_read(a)), "a re-apply made a write call: {calls:?}");
    assert!(emu.stats().total() < first_calls);

    // What was created is what the procedure describes.
    let user = clients.ram.get_user().user_name("commandUser").send().await.expect("user").user.expect("user");
    assert!(user.comments.unwrap_or_default().contains(runas_workflow::MANAGED_MARKER));
    let profile =
        clients.ram.get_login_profile().user_name("commandUser").send().await.expect("profile").login_profile.unwrap();
    assert_eq!(profile.password_reset_required, Some(true));
    assert_eq!(profile.mfa_bind_required, Some(false));
    let policy = clients.ram.get_policy().policy_name("commandUserPolicy").policy_type("Custom").send().await.unwrap();
    let doc = policy.default_policy_version.and_then(|v| v.document()).expect("document").expect("parses");
    assert!(doc.equivalent(&RunAsRule::default().policy_document()));
    let attached: Vec<String> = clients
        .ram
        .list_policies_for_user()
        .user_name("commandUser")
        .send()
        .await
        .unwrap()
        .policies
        .into_iter()
        .filter_map(|p| p.policy_name)
        .collect();
    assert!(
        attached.contains(&"AliyunECSReadOnlyAccess".to_owned()) && attached.contains(&"commandUserPolicy".to_owned())
    );
    // The secret is known to this process only.
    let creds = s.credentials().expect("credentials kept in memory");
    assert!(creds.access_key.is_some() && creds.login_password.is_some());
}

#[tokio::test]
async fn deny_list_form_creates_the_deny_document() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let mut o = options();
    o.run_as = RunAsRule::DenyOnly(vec!["root".into(), "system".into()]);
    setup(o.clone()).apply(&clients).await.expect("apply");
    let policy = clients.ram.get_policy().policy_name("commandUserPolicy").policy_type("Custom").send().await.unwrap();
    let text = policy.default_policy_version.and_then(|v| v.policy_document).unwrap_or_default();
    assert!(text.contains("StringNotEqualsIgnoreCase"), "{text}");
    // Switching forms adds a new default version instead of failing.
    let report = setup(options()).apply(&clients).await.expect("switch to allow-list");
    let policy_step = report.iter().find(|r| r.action == "custom-policy").expect("policy step");
    assert_eq!(policy_step.result, StepResult::Updated, "{report:#?}");
}

#[tokio::test]
async fn plan_reads_only_and_changes_nothing() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    emu.stats().reset();
    let plan = setup(options()).plan(&clients).await.expect("plan");
    assert!(plan.iter().all(|r| r.result == StepResult::Planned), "{plan:#?}");
    let calls = emu.stats().snapshot();
    assert!(calls.keys().all(|a| is_read(a)), "plan made a write call: {calls:?}");
    assert_eq!(snapshot(&clients, false).await, before);

    // After an apply, the plan says unchanged everywhere.
    setup(options()).apply(&clients).await.expect("apply");
    let plan = setup(options()).plan(&clients).await.expect("plan");
    assert!(plan.iter().all(|r| r.result == StepResult::Unchanged), "{plan:#?}");
}

#[tokio::test]
async fn policy_versions_rotate_at_the_limit() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    for i in 0..8 {
        let mut o = options();
        o.run_as = RunAsRule::AllowOnly(vec!["user01".into(), format!("extra{i}")]);
        let report = setup(o.clone()).apply(&clients).await.expect("apply");
        let step = report.iter().find(|r| r.action == "custom-policy").unwrap();
        assert_eq!(step.result, if i == 0 { StepResult::Created } else { StepResult::Updated });
        let versions = clients
            .ram
            .list_policy_versions()
            .policy_name("commandUserPolicy")
            .policy_type("Custom")
            .send()
            .await
            .unwrap()
            .policy_versions;
        assert!(versions.len() <= 5, "{} versions", versions.len());
        let default = versions.iter().find(|v| v.is_default_version == Some(true)).expect("default");
        assert!(default.document().unwrap().unwrap().equivalent(&o.run_as.policy_document()));
    }
}

#[tokio::test]
async fn teardown_restores_the_state_before_the_setup() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    let mut s = setup(options());
    s.apply(&clients).await.expect("apply");
    assert_ne!(snapshot(&clients, false).await, before);
    let report = s.teardown(&clients).await.expect("teardown");
    assert!(report.iter().all(|r| r.result == StepResult::Deleted), "{report:#?}");
    assert_eq!(snapshot(&clients, false).await, before);
    let again = s.teardown(&clients).await.expect("second teardown");
    assert!(again.iter().all(|r| r.result == StepResult::Unchanged), "{again:#?}");
}

#[tokio::test]
async fn teardown_keeps_a_user_that_existed_before() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    clients.ram.create_user().user_name("commandUser").send().await.expect("pre-existing user");
    let mut o = options();
    let dir = tempfile::tempdir().unwrap();
    o.credentials_out = Some(dir.path().join("creds.json"));
    let mut s = setup(o.clone());
    s.apply(&clients).await.expect("apply");
    // The key is recognised through the credentials file, so a second run changes nothing.
    let second = setup(o.clone()).apply(&clients).await.expect("re-apply");
    assert!(second.iter().all(|r| r.result == StepResult::Unchanged), "{second:#?}");
    s.teardown(&clients).await.expect("teardown");
    let user = clients.ram.get_user().user_name("commandUser").send().await;
    assert!(user.is_ok(), "a user the workflow did not create must survive teardown");
    let keys = clients.ram.list_access_keys().user_name("commandUser").send().await.unwrap().access_keys;
    assert!(keys.is_empty(), "the key the workflow made is deleted");
    assert!(clients.ram.get_policy().policy_name("commandUserPolicy").policy_type("Custom").send().await.is_err());
    assert!(!dir.path().join("creds.json").exists());
}

#[tokio::test]
async fn credentials_file_holds_the_new_secrets_with_mode_0600() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commandUser.json");
    let mut o = options();
    o.credentials_out = Some(path.clone());
    let report = setup(o.clone()).apply(&clients).await.expect("apply");
    assert_eq!(report.last().map(|r| (r.action.as_str(), r.result)), Some(("credentials-file", StepResult::Created)));
    let creds = runas_workflow::credentials_file::read(&path).unwrap().expect("file");
    let key = creds.access_key.expect("key");
    assert!(!key.secret.expose_secret().is_empty());
    assert!(creds.login_password.is_some());
    let listed = clients.ram.list_access_keys().user_name("commandUser").send().await.unwrap().access_keys;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].access_key_id.as_deref(), Some(key.id.as_str()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // No secret in the report.
    let text = format!("{report:?}");
    assert!(!text.contains(key.secret.expose_secret()));
    let second = setup(o).apply(&clients).await.expect("re-apply");
    assert_eq!(second.last().map(|r| r.result), Some(StepResult::Unchanged));
}

/// Interrupt the first apply at every call in turn; the next apply converges to the state of an uninterrupted run.
#[tokio::test]
async fn an_apply_interrupted_at_any_call_converges_on_the_next_run() {
    let reference = {
        let emu = emulator().await;
        let clients = root_clients(&emu);
        setup(options()).apply(&clients).await.expect("clean apply");
        (emu.stats().total(), snapshot(&clients, false).await)
    };
    let (calls, expected) = reference;
    assert!(calls > 5);
    for n in 1..=calls {
        let emu = emulator().await;
        let clients = root_clients(&emu);
        let dir = tempfile::tempdir().unwrap();
        let mut o = options();
        o.credentials_out = Some(dir.path().join("creds.json"));
        emu.faults().fail_nth("*", n, "InjectedFault.Interrupted");
        let first = setup(o.clone()).apply(&clients).await;
        match first {
            Err(WorkflowError::Step { .. }) => {}
            // Interrupted while reading what exists, before any change.
            Err(WorkflowError::Preflight { .. }) => {
                let calls = emu.stats().snapshot();
                assert!(calls.keys().all(|a| is_read(a)), "call {n}: a write before the pre-flight check: {calls:?}");
            }
            other => panic!("call {n}: expected the apply to stop, got {other:?}"),
        }
        let report = setup(o.clone()).apply(&clients).await.unwrap_or_else(|e| panic!("call {n}: re-run: {e}"));
        assert!(report.iter().all(|r| r.result != StepResult::Deleted));
        assert_eq!(snapshot(&clients, false).await, expected, "interrupted at call {n}");
        // The key in the credentials file is the user's key.
        let creds = runas_workflow::credentials_file::read(&dir.path().join("creds.json")).unwrap().expect("file");
        let listed = clients.ram.list_access_keys().user_name("commandUser").send().await.unwrap().access_keys;
        assert_eq!(listed.len(), 1, "call {n}");
        assert_eq!(listed[0].access_key_id, creds.access_key.map(|k| k.id), "call {n}");
        // And a third run changes nothing.
        let third = setup(o).apply(&clients).await.expect("third run");
        assert!(third.iter().all(|r| r.result == StepResult::Unchanged), "call {n}: {third:#?}");
    }
}

/// The secrets are known only once, so a credentials path that cannot take them must stop the apply before the
/// user, its console login or its AccessKey exist.
#[tokio::test]
async fn an_unusable_credentials_path_stops_the_apply_before_any_change() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    let dir = tempfile::tempdir().unwrap();

    // A folder that does not exist.
    let mut o = options();
    o.credentials_out = Some(dir.path().join("missing").join("creds.json"));
    emu.stats().reset();
    let err = setup(o).apply(&clients).await.expect_err("apply must stop");
    assert!(matches!(err, WorkflowError::CredentialsFile { .. }), "{err}");
    assert!(err.to_string().contains("missing"), "{err}");
    let calls = emu.stats().snapshot();
    assert!(calls.keys().all(|a| is_read(a)), "a write call was made: {calls:?}");
    assert_eq!(snapshot(&clients, false).await, before);

    // Another user's credentials file: overwriting it would lose that user's secrets for good.
    let other = dir.path().join("alice.json");
    let alice = runas_workflow::UserCredentials {
        user_name: "alice".into(),
        login_password: None,
        access_key: Some(runas_workflow::AccessKeyPair {
            id: "LTAIalice".into(),
            secret: acs_core::SecretString::from("alice-SENTINEL-secret".to_owned()),
        }),
    };
    runas_workflow::credentials_file::write(&other, &alice).unwrap();
    let mut o = options();
    o.credentials_out = Some(other.clone());
    let err = setup(o.clone()).apply(&clients).await.expect_err("apply must stop");
    assert!(matches!(err, WorkflowError::CredentialsFile { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("alice") && !text.contains("SENTINEL"), "{text}");
    assert_eq!(snapshot(&clients, false).await, before);
    let kept = runas_workflow::credentials_file::read(&other).unwrap().expect("file kept");
    assert_eq!(kept.user_name, "alice");
    assert_eq!(kept.access_key.map(|k| k.secret.expose_secret().to_owned()).as_deref(), Some("alice-SENTINEL-secret"));
    // The plan says so too, without changing anything.
    let plan = setup(o).plan(&clients).await.expect("plan");
    let row = plan.last().expect("credentials row");
    assert_eq!((row.action.as_str(), row.result), ("credentials-file", StepResult::Planned), "{plan:#?}");
    assert!(row.detail.contains("apply would stop here"), "{}", row.detail);
}

/// A console login the workflow added to a user it did not create is the workflow's (its password is in the
/// credentials file): teardown removes it with the file, instead of leaving a login whose password nobody knows.
#[tokio::test]
async fn teardown_removes_the_console_login_it_added_to_a_user_that_existed_before() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    clients.ram.create_user().user_name("commandUser").send().await.expect("pre-existing user");
    let dir = tempfile::tempdir().unwrap();
    let mut o = options();
    o.credentials_out = Some(dir.path().join("creds.json"));
    setup(o.clone()).apply(&clients).await.expect("apply");
    assert!(clients.ram.get_login_profile().user_name("commandUser").send().await.is_ok());

    // A later process tears down: it knows the login is its own from the credentials file.
    let report = setup(o).teardown(&clients).await.expect("teardown");
    let login = report.iter().find(|r| r.action == "login-profile").expect("login step");
    assert_eq!(login.result, StepResult::Deleted, "{report:#?}");
    let err = clients.ram.get_login_profile().user_name("commandUser").send().await.expect_err("login removed");
    assert!(err.is_not_found(), "{err}");
    assert!(clients.ram.get_user().user_name("commandUser").send().await.is_ok(), "the user itself is kept");

    // A user whose console login existed before keeps it.
    clients
        .ram
        .create_login_profile()
        .user_name("commandUser")
        .password("Their-0wn-Passw0rd")
        .send()
        .await
        .expect("their login");
    let dir = tempfile::tempdir().unwrap();
    let mut o = options();
    o.credentials_out = Some(dir.path().join("creds.json"));
    setup(o.clone()).apply(&clients).await.expect("apply");
    let report = setup(o).teardown(&clients).await.expect("teardown");
    let login = report.iter().find(|r| r.action == "login-profile").expect("login step");
    assert_eq!(login.result, StepResult::Unchanged, "{report:#?}");
    assert!(clients.ram.get_login_profile().user_name("commandUser").send().await.is_ok());
}

/// The Linux procedure touches RAM only: plan, apply and teardown need no instance; verify refuses before any call.
#[tokio::test]
async fn without_an_instance_plan_apply_and_teardown_work_and_verify_refuses() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, true).await;
    let mut s = setup(Options::new(REGION, ""));
    assert!(s.plan(&clients).await.expect("plan").iter().all(|r| r.result == StepResult::Planned));
    s.apply(&clients).await.expect("apply");
    emu.stats().reset();
    let err = s.verify(&clients).await.expect_err("verify needs an instance");
    assert!(matches!(err, WorkflowError::InvalidOption { field: "instance_id", .. }), "{err}");
    assert_eq!(emu.stats().total(), 0, "refused before any call");
    s.teardown(&clients).await.expect("teardown");
    assert_eq!(snapshot(&clients, true).await, before);
}

/// A read failing before the first change (the pre-flight check of apply, or a plan) says so and that nothing was
/// changed, not that a step failed and earlier steps stay done.
#[tokio::test]
async fn a_failed_pre_flight_read_is_not_reported_as_a_failed_step() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    emu.stats().reset();
    // The run-as policy is read before any change (someone else's policy under its name would block the run).
    emu.faults().fail_once("GetPolicy", "ServiceUnavailable");
    let err = setup(options()).apply(&clients).await.expect_err("apply must stop");
    let WorkflowError::Preflight { action, target, .. } = &err else { panic!("{err:?}") };
    assert_eq!((action.as_str(), target.as_str()), ("custom-policy", "commandUserPolicy"));
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    let text = err.to_string();
    assert!(text.contains("pre-flight check") && text.contains("GetPolicy") && text.contains("nothing was changed"));
    assert!(!text.contains("earlier steps stay done") && !text.contains("step 4/6"), "{text}");
    let calls = emu.stats().snapshot();
    assert!(calls.keys().all(|a| is_read(a)), "a write call was made: {calls:?}");
    assert_eq!(snapshot(&clients, false).await, before);

    // A plan only reads: its failure is told the same way.
    emu.faults().fail_once("GetUser", "ServiceUnavailable");
    let err = setup(options()).plan(&clients).await.expect_err("plan must stop");
    assert!(matches!(&err, WorkflowError::Preflight { action, .. } if action == "ram-user"), "{err:?}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");

    // Once the pre-flight check passed, a failure is a failed step: earlier steps stay done.
    emu.faults().fail_once("CreatePolicy", "ServiceUnavailable");
    let err = setup(options()).apply(&clients).await.expect_err("apply must stop");
    assert!(matches!(&err, WorkflowError::Step { index: 4, .. }), "{err:?}");
    assert!(err.to_string().contains("earlier steps stay done"), "{err}");
}

/// A wrong instance id (or an instance of another region) stops apply and plan before the user, its secrets and
/// the policies are created: one DescribeInstances call, then an error naming `instance_id`.
#[tokio::test]
async fn an_instance_that_does_not_exist_stops_the_apply_before_any_change() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    for (region, instance) in [(REGION, "i-nope"), ("cn-shanghai", LINUX)] {
        emu.stats().reset();
        let err = setup(Options::new(region, instance)).apply(&clients).await.expect_err("apply must stop");
        let WorkflowError::InvalidOption { field: "instance_id", message } = &err else { panic!("{err:?}") };
        assert!(message.contains(instance) && message.contains(region), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
        assert_eq!(emu.stats().snapshot().into_iter().collect::<Vec<_>>(), [("DescribeInstances".to_owned(), 1u64)]);
        let err = setup(Options::new(region, instance)).plan(&clients).await.expect_err("plan says so too");
        assert!(matches!(err, WorkflowError::InvalidOption { field: "instance_id", .. }), "{err:?}");
    }
    assert_eq!(snapshot(&clients, false).await, before);

    // DescribeInstances itself failing is a failed pre-flight check, not a missing instance.
    emu.faults().fail_once("DescribeInstances", "ServiceUnavailable");
    let err = setup(options()).apply(&clients).await.expect_err("apply must stop");
    assert!(matches!(&err, WorkflowError::Preflight { action, target, .. } if action == "instance" && target == LINUX));
    assert!(err.to_string().contains("DescribeInstances") && err.to_string().contains("nothing was changed"));
    assert_eq!(snapshot(&clients, false).await, before);

    // The right instance gets past the check.
    setup(options()).apply(&clients).await.expect("apply");
}

/// The reviewer's case: an endpoint where nothing listens. The first call (the instance check) fails before any
/// change, and the message says so, naming the operation and the cause once.
#[tokio::test]
async fn an_unreachable_endpoint_is_a_pre_flight_failure_told_once() {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    let config = acs_core::Config::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region(REGION)
        .static_credentials("id", "secret")
        .retry(acs_core::RetryConfig::disabled())
        .build()
        .expect("config");
    let clients = runas_workflow::Clients::new(&config).expect("clients");
    let err = setup(options()).apply(&clients).await.expect_err("nothing listens");
    assert!(matches!(&err, WorkflowError::Preflight { action, .. } if action == "instance"), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("pre-flight check") && text.ends_with("nothing was changed"), "{text}");
    assert_eq!(text.matches("DescribeInstances").count(), 1, "{text}");
    assert_eq!(text.matches("could not connect").count(), 1, "{text}");
}
