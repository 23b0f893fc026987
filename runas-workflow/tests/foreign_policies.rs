//! A custom policy (or password parameter) that already exists under the workflow's name but was not created by
//! it: used read-only when it already says what the procedure needs, else a conflict found before any change.

mod common;

use acs_core::SecretString;
use common::*;
use ram_policy::PolicyDocument;
use runas_workflow::{Options, RunAsRule, Setup, StepResult, WindowsOptions, WorkflowError};

fn linux() -> Setup {
    Setup::linux(Options::new(REGION, LINUX)).expect("options").visibility_wait(quick())
}

fn windows() -> Setup {
    let o = WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()));
    Setup::windows(o).expect("options").visibility_wait(quick())
}

/// Someone else's policy `name` with `document`, attached to their user `alice`.
async fn foreign_policy(clients: &runas_workflow::Clients, name: &str, document: &PolicyDocument) {
    let ram = &clients.ram;
    ram.create_policy()
        .policy_name(name)
        .policy_document(document)
        .description("made by the security team")
        .send()
        .await
        .expect("CreatePolicy");
    if ram.get_user().user_name("alice").send().await.is_err() {
        ram.create_user().user_name("alice").send().await.expect("CreateUser alice");
    }
    ram.attach_policy_to_user()
        .user_name("alice")
        .policy_name(name)
        .policy_type("Custom")
        .send()
        .await
        .expect("attach");
}

async fn default_document(clients: &runas_workflow::Clients, name: &str) -> (String, PolicyDocument) {
    let r = clients.ram.get_policy().policy_name(name).policy_type("Custom").send().await.expect("GetPolicy");
    let version = r.default_policy_version.expect("default version");
    let id = version.version_id.clone().unwrap_or_default();
    (id, version.document().expect("document").expect("parses"))
}

#[tokio::test]
async fn an_equivalent_foreign_policy_is_used_as_it_is_and_kept_at_teardown() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    foreign_policy(&clients, "commandUserPolicy", &RunAsRule::default().policy_document()).await;
    let before = snapshot(&clients, false).await;

    emu.stats().reset();
    let mut s = linux();
    let report = s.apply(&clients).await.expect("apply");
    let policy = report.iter().find(|r| r.action == "custom-policy").expect("policy step");
    assert_eq!(policy.result, StepResult::Unchanged, "{report:#?}");
    assert!(policy.detail.contains("not created by this workflow"), "{}", policy.detail);
    assert_eq!(emu.stats().count("CreatePolicyVersion"), 0);
    assert_eq!(emu.stats().count("CreatePolicy"), 0);
    let attach = report.iter().find(|r| r.target == "commandUserPolicy -> commandUser").expect("attach step");
    assert_eq!(attach.result, StepResult::Created);
    assert_eq!(default_document(&clients, "commandUserPolicy").await.0, "v1");

    let teardown = s.teardown(&clients).await.expect("teardown");
    let policy = teardown.iter().find(|r| r.action == "custom-policy").expect("policy step");
    assert_eq!(policy.result, StepResult::Unchanged, "{teardown:#?}");
    // The policy, its only version and its attachment to alice are as they were; commandUser is gone.
    assert_eq!(snapshot(&clients, false).await, before);
    let described = clients.ram.get_policy().policy_name("commandUserPolicy").policy_type("Custom").send().await;
    let description = described.expect("kept").policy.and_then(|p| p.description).unwrap_or_default();
    assert_eq!(description, "made by the security team");
}

#[tokio::test]
async fn a_different_foreign_policy_is_a_conflict_found_before_any_change() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let theirs = RunAsRule::DenyOnly(vec!["root".into()]).policy_document();
    foreign_policy(&clients, "commandUserPolicy", &theirs).await;
    let before = snapshot(&clients, false).await;

    emu.stats().reset();
    let err = linux().apply(&clients).await.expect_err("apply must stop");
    let calls = emu.stats().snapshot();
    assert!(calls.keys().all(|a| is_read(a)), "a write call was made: {calls:?}");
    assert_eq!(emu.stats().count("ListEntitiesForPolicy"), 1, "{calls:?}");
    let WorkflowError::Blocked { source, action, .. } = &err else { panic!("{err:?}") };
    assert_eq!(action, "custom-policy");
    assert!(matches!(**source, WorkflowError::Conflict(_)), "{err}");
    let text = err.to_string();
    for needle in
        ["commandUserPolicy", "not created by this workflow", "users alice", "--policy-name", "before any change"]
    {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    assert_eq!(snapshot(&clients, false).await, before);
    assert!(default_document(&clients, "commandUserPolicy").await.1.equivalent(&theirs));

    // The plan shows the same conflict, and still reads only.
    emu.stats().reset();
    let plan = linux().plan(&clients).await.expect("plan");
    let row = plan.iter().find(|r| r.action == "custom-policy").expect("policy row");
    assert_eq!(row.result, StepResult::Planned);
    assert!(row.detail.contains("apply would stop before any change") && row.detail.contains("alice"), "{row:?}");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)));

    // Another name resolves it; their policy stays untouched.
    let mut o = Options::new(REGION, LINUX);
    o.policy_name = "commandUserRunAs".into();
    let mut s = Setup::linux(o).expect("options").visibility_wait(quick());
    s.apply(&clients).await.expect("apply with another policy name");
    s.teardown(&clients).await.expect("teardown");
    assert_eq!(snapshot(&clients, false).await, before);
}

#[tokio::test]
async fn a_policy_the_workflow_created_is_still_versioned() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    linux().apply(&clients).await.expect("apply");
    let mut o = Options::new(REGION, LINUX);
    o.run_as = RunAsRule::DenyOnly(vec!["root".into()]);
    let report = Setup::linux(o).expect("options").visibility_wait(quick()).apply(&clients).await.expect("apply");
    let policy = report.iter().find(|r| r.action == "custom-policy").expect("policy step");
    assert_eq!(policy.result, StepResult::Updated, "{report:#?}");
    assert_eq!(default_document(&clients, "commandUserPolicy").await.0, "v2");
}

#[tokio::test]
async fn windows_policies_follow_the_same_rule() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    // Their role policy says what the procedure needs: used as it is. Their kmsPolicy says something else.
    foreign_policy(&clients, "AxtSecretRamRolePolicy", &ram_policy::procedure::instance_role_policy()).await;
    let other = PolicyDocument::builder().allow(["kms:Decrypt"]).on(["*"]).build();
    foreign_policy(&clients, "kmsPolicy", &other).await;
    let before = snapshot(&clients, true).await;

    emu.stats().reset();
    let err = windows().apply(&clients).await.expect_err("apply must stop");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)), "{:?}", emu.stats().snapshot());
    let text = err.to_string();
    assert!(text.contains("kmsPolicy") && text.contains("--kms-policy-name") && text.contains("alice"), "{text}");
    assert_eq!(snapshot(&clients, true).await, before);

    // With another KMS policy name the run goes through, adopting their role policy.
    let mut o = WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()));
    o.kms_policy_name = "commandUserKms".into();
    let mut s = Setup::windows(o).expect("options").visibility_wait(quick());
    let report = s.apply(&clients).await.expect("apply");
    let role_policy = report.iter().find(|r| r.target == "AxtSecretRamRolePolicy").expect("role policy step");
    assert_eq!(role_policy.result, StepResult::Unchanged, "{report:#?}");
    s.teardown(&clients).await.expect("teardown");
    assert_eq!(snapshot(&clients, true).await, before, "their policies and attachments are as they were");

    // Their role policy with another document: the conflict names the role policy's option.
    let mut o = WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()));
    o.kms_policy_name = "commandUserKms".into();
    clients
        .ram
        .create_policy_version()
        .policy_name("AxtSecretRamRolePolicy")
        .policy_document(&other)
        .set_as_default(true)
        .send()
        .await
        .expect("their new version");
    let err = Setup::windows(o).expect("options").apply(&clients).await.expect_err("apply must stop");
    assert!(err.to_string().contains("--role-policy-name"), "{err}");
}

#[tokio::test]
async fn a_foreign_password_parameter_is_used_only_when_it_holds_the_password() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let param = |value: &str| {
        clients.oos.create_secret_parameter().region_id(REGION).name("axtSecretPassword").value(value).send()
    };
    param("Their-0ther-Passw0rd").await.expect("their parameter");
    let before = snapshot(&clients, true).await;
    emu.stats().reset();
    let err = windows().apply(&clients).await.expect_err("apply must stop");
    assert!(matches!(err, WorkflowError::Blocked { .. }), "{err:?}");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)), "{:?}", emu.stats().snapshot());
    let text = err.to_string();
    assert!(text.contains("axtSecretPassword") && text.contains("--password-param"), "{text}");
    assert!(!text.contains("Passw0rd"), "no secret in the error: {text}");
    assert_eq!(snapshot(&clients, true).await, before);

    // Holding the procedure's password, it is used as it is and kept at teardown.
    clients.oos.delete_secret_parameter().region_id(REGION).name("axtSecretPassword").send().await.expect("delete");
    param(WINDOWS_PASSWORD).await.expect("their parameter with the password");
    let before = snapshot(&clients, true).await;
    let mut s = windows();
    let report = s.apply(&clients).await.expect("apply");
    let step = report.iter().find(|r| r.action == "secret-parameter").expect("parameter step");
    assert_eq!(step.result, StepResult::Unchanged, "{report:#?}");
    let teardown = s.teardown(&clients).await.expect("teardown");
    let step = teardown.iter().find(|r| r.action == "secret-parameter").expect("parameter step");
    assert_eq!(step.result, StepResult::Unchanged, "{teardown:#?}");
    assert_eq!(snapshot(&clients, true).await, before);
}
