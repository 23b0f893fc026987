//! Windows teardown and the instance role: a released instance has nothing to detach, and the workflow's role is
//! not deleted while an instance of the region still uses it (a mistyped `--instance`, existing or not).

mod common;

use acs_core::SecretString;
use common::*;
use runas_workflow::{Setup, StepResult, WindowsOptions, WorkflowError};

const ROLE: &str = "AxtSecretRamRole";

fn options(instance: &str) -> WindowsOptions {
    WindowsOptions::new(REGION, instance, SecretString::from(WINDOWS_PASSWORD.to_owned()))
}

fn setup(instance: &str) -> Setup {
    Setup::windows(options(instance)).expect("options").visibility_wait(quick())
}

/// The role names attached to `instance`, read through the API.
async fn roles_on(clients: &runas_workflow::Clients, instance: &str) -> Vec<String> {
    clients
        .ecs
        .describe_instance_ram_role()
        .region_id(REGION)
        .instance_ids([instance])
        .send()
        .await
        .expect("DescribeInstanceRamRole")
        .instance_ram_role_sets
        .into_iter()
        .filter_map(|r| r.ram_role_name)
        .collect()
}

/// Teardown with `instance` is refused before any change, naming the instance the role is really on.
async fn assert_refused(emu: &acs_emulator::EmulatorHandle, clients: &runas_workflow::Clients, instance: &str) {
    let before = snapshot(clients, true).await;
    emu.stats().reset();
    let err = setup(instance).teardown(clients).await.expect_err("teardown must refuse");
    let calls = emu.stats().snapshot();
    assert!(calls.keys().all(|a| is_read(a)), "reads only: {calls:?}");
    let WorkflowError::Blocked { action, target, source, .. } = &err else { panic!("{err:?}") };
    assert_eq!((action.as_str(), target.as_str()), ("ram-role", ROLE));
    assert!(matches!(**source, WorkflowError::Conflict(_)), "{source:?}");
    let text = err.to_string();
    for needle in [WINDOWS, instance, REGION, "--instance", "mistyped", "DetachInstanceRamRole", "before any change"] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
    assert_eq!(snapshot(clients, true).await, before, "nothing was changed");
    assert_eq!(roles_on(clients, WINDOWS).await, [ROLE], "the role stays attached");
}

#[tokio::test]
async fn teardown_after_the_instance_was_released_removes_everything_the_workflow_created() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, false).await;
    let mut s = setup(WINDOWS);
    s.apply(&clients).await.expect("apply");
    assert!(emu.shared().lock().ecs.release_instance(WINDOWS), "the instance existed");
    let gone = clients.ecs.describe_instance_ram_role().region_id(REGION).instance_ids([WINDOWS]).send().await;
    assert_eq!(gone.expect_err("released").code(), Some("InvalidInstanceId.NotFound"));

    let report = s.teardown(&clients).await.expect("teardown");
    let step = report.iter().find(|r| r.action == "instance-role").expect("instance-role step");
    assert_eq!(step.result, StepResult::Unchanged);
    assert_eq!(step.detail, format!("instance {WINDOWS} no longer exists in {REGION}; nothing to detach"));
    let others: Vec<_> = report.iter().filter(|r| r.action != "instance-role").collect();
    assert!(others.iter().all(|r| r.result == StepResult::Deleted), "{report:#?}");
    assert_eq!(snapshot(&clients, false).await, before, "user, policies, role and parameter are gone");
}

#[tokio::test]
async fn a_released_instance_does_not_let_teardown_delete_a_role_another_instance_uses() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    setup(WINDOWS).apply(&clients).await.expect("apply");
    clients
        .ecs
        .attach_instance_ram_role()
        .region_id(REGION)
        .instance_ids([LINUX])
        .ram_role_name(ROLE)
        .send()
        .await
        .expect("attach to a second instance");
    assert!(emu.shared().lock().ecs.release_instance(WINDOWS));
    let err = setup(WINDOWS).teardown(&clients).await.expect_err("teardown must refuse");
    assert!(matches!(err, WorkflowError::Blocked { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(LINUX) && text.contains("DetachInstanceRamRole"), "{text}");
    assert_eq!(roles_on(&clients, LINUX).await, [ROLE]);
    assert!(clients.ram.get_role().role_name(ROLE).send().await.is_ok(), "the role is kept");
}

#[tokio::test]
async fn a_mistyped_existing_instance_is_refused_and_the_role_stays_on_the_real_one() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    setup(WINDOWS).apply(&clients).await.expect("apply");
    assert!(roles_on(&clients, LINUX).await.is_empty(), "the mistyped instance exists and has no role");
    assert_refused(&emu, &clients, LINUX).await;
    // With the right id, the same teardown goes through.
    let report = setup(WINDOWS).teardown(&clients).await.expect("teardown");
    assert!(report.iter().all(|r| r.result == StepResult::Deleted), "{report:#?}");
    assert!(roles_on(&clients, WINDOWS).await.is_empty());
}

#[tokio::test]
async fn a_mistyped_instance_that_does_not_exist_is_refused_too() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    setup(WINDOWS).apply(&clients).await.expect("apply");
    let typo = "i-emu-windows-0010";
    let missing = clients.ecs.describe_instance_ram_role().region_id(REGION).instance_ids([typo]).send().await;
    assert_eq!(missing.expect_err("no such instance").code(), Some("InvalidInstanceId.NotFound"));
    assert_refused(&emu, &clients, typo).await;
}

#[tokio::test]
async fn a_normal_teardown_makes_one_read_more_than_before_the_guard() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, true).await;
    let mut s = setup(WINDOWS);
    s.apply(&clients).await.expect("apply");
    emu.stats().reset();
    let report = s.teardown(&clients).await.expect("teardown");
    let (calls, total) = (emu.stats().snapshot(), emu.stats().total());
    assert!(report.iter().all(|r| r.result == StepResult::Deleted), "{report:#?}");
    assert_eq!(snapshot(&clients, true).await, before);
    // Before the guard, this teardown made 27 calls with one DescribeInstanceRamRole (the given instance's role);
    // the guard adds one: the instances using the role, by role name.
    let expected = [
        ("DeleteAccessKey", 1),
        ("DeleteLoginProfile", 1),
        ("DeletePolicy", 3),
        ("DeleteRole", 1),
        ("DeleteSecretParameter", 1),
        ("DeleteUser", 1),
        ("DescribeInstanceRamRole", 2),
        ("DetachInstanceRamRole", 1),
        ("DetachPolicyFromRole", 1),
        ("DetachPolicyFromUser", 4),
        ("GetPolicy", 3),
        ("GetRole", 1),
        ("GetSecretParameter", 1),
        ("GetUser", 1),
        ("ListAccessKeys", 1),
        ("ListPoliciesForRole", 1),
        ("ListPoliciesForUser", 1),
        ("ListPolicyVersions", 3),
    ];
    let expected: std::collections::BTreeMap<String, u64> =
        expected.iter().map(|(a, n)| ((*a).to_owned(), *n)).collect();
    assert_eq!(calls, expected);
    assert_eq!(total, 28);
}
