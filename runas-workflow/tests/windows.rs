//! The Windows procedure end to end on the in-process emulator.

mod common;

use acs_core::{ExposeSecret, SecretString};
use common::*;
use runas_workflow::{Setup, StepResult, WindowsOptions, WorkflowError};

fn options() -> WindowsOptions {
    WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()))
}

fn setup(o: WindowsOptions) -> Setup {
    Setup::windows(o).expect("options").visibility_wait(quick())
}

#[tokio::test]
async fn first_apply_creates_everything_and_a_second_changes_nothing_with_reads_only() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let first = setup(options()).apply(&clients).await.expect("apply");
    assert_eq!(first.len(), 14);
    assert!(first.iter().all(|r| r.result == StepResult::Created), "{first:#?}");
    eprintln!("windows first apply: {} calls {:?}", emu.stats().total(), emu.stats().snapshot());
    emu.stats().reset();
    let second = setup(options()).apply(&clients).await.expect("re-apply");
    assert!(second.iter().all(|r| r.result == StepResult::Unchanged), "{second:#?}");
    let calls = emu.stats().snapshot();
    eprintln!("windows re-apply: {} calls {calls:?}", emu.stats().total());
    assert!(calls.keys().all(|a| is_read(a)), "{calls:?}");

    // The parameter holds the password, encrypted, in the instance's region; the role is on the instance.
    let p = clients
        .oos
        .get_secret_parameter()
        .region_id(REGION)
        .name("axtSecretPassword")
        .with_decryption(true)
        .send()
        .await
        .expect("parameter")
        .parameter
        .expect("parameter");
    assert_eq!(p.value.as_ref().map(|v| v.expose_secret()), Some(WINDOWS_PASSWORD));
    let role = clients.ram.get_role().role_name("AxtSecretRamRole").send().await.unwrap().role.unwrap();
    assert!(role.trust_policy().unwrap().unwrap().equivalent(&ram_policy::procedure::ecs_trust_policy()));
}

#[tokio::test]
async fn a_changed_password_updates_the_parameter() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    setup(options()).apply(&clients).await.expect("apply");
    let mut o = options();
    o.password = SecretString::from("Another-Passw0rd".to_owned());
    let report = setup(o).apply(&clients).await.expect("apply");
    let step = report.iter().find(|r| r.action == "secret-parameter").unwrap();
    assert_eq!(step.result, StepResult::Updated);
    assert!(!format!("{report:?}").contains("Another-Passw0rd"));
}

#[tokio::test]
async fn another_role_on_the_instance_stops_the_apply_with_an_explanation() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    clients
        .ram
        .create_role()
        .role_name("SomeoneElsesRole")
        .assume_role_policy_document(ram_policy::procedure::ecs_trust_policy())
        .send()
        .await
        .expect("role");
    clients
        .ecs
        .attach_instance_ram_role()
        .region_id(REGION)
        .instance_ids([WINDOWS])
        .ram_role_name("SomeoneElsesRole")
        .send()
        .await
        .expect("attach");
    let plan = setup(options()).plan(&clients).await.expect("plan");
    let step = plan.iter().find(|r| r.action == "instance-role").unwrap();
    assert!(step.detail.contains("SomeoneElsesRole"), "{step:?}");
    let before = snapshot(&clients, true).await;
    emu.stats().reset();
    let err = setup(options()).apply(&clients).await.expect_err("apply must stop");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)), "{:?}", emu.stats().snapshot());
    assert_eq!(snapshot(&clients, true).await, before, "nothing was created");
    let text = err.to_string();
    assert!(matches!(err, WorkflowError::Blocked { .. }), "found before any change: {err:?}");
    assert!(text.contains("SomeoneElsesRole") && text.contains("--role-name"), "{text}");
    // The other role stays attached.
    let attached = clients
        .ecs
        .describe_instance_ram_role()
        .region_id(REGION)
        .instance_ids([WINDOWS])
        .send()
        .await
        .unwrap()
        .instance_ram_role_sets;
    assert_eq!(attached[0].ram_role_name.as_deref(), Some("SomeoneElsesRole"));
}

#[tokio::test]
async fn plan_changes_nothing_and_teardown_restores_the_state() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, true).await;
    emu.stats().reset();
    let plan = setup(options()).plan(&clients).await.expect("plan");
    assert!(plan.iter().all(|r| r.result == StepResult::Planned), "{plan:#?}");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)));
    assert_eq!(snapshot(&clients, true).await, before);

    let mut s = setup(options());
    s.apply(&clients).await.expect("apply");
    assert_ne!(snapshot(&clients, true).await, before);
    let report = s.teardown(&clients).await.expect("teardown");
    assert!(report.iter().all(|r| r.result == StepResult::Deleted), "{report:#?}");
    // Reverse order: the parameter first, the user last.
    assert_eq!(report.first().map(|r| r.action.as_str()), Some("secret-parameter"));
    assert_eq!(report.last().map(|r| r.action.as_str()), Some("ram-user"));
    assert_eq!(snapshot(&clients, true).await, before);
}

#[tokio::test]
async fn an_apply_interrupted_at_any_call_converges_on_the_next_run() {
    let (calls, expected) = {
        let emu = emulator().await;
        let clients = root_clients(&emu);
        setup(options()).apply(&clients).await.expect("clean apply");
        (emu.stats().total(), snapshot(&clients, true).await)
    };
    for n in 1..=calls {
        let emu = emulator().await;
        let clients = root_clients(&emu);
        emu.faults().fail_nth("*", n, "InjectedFault.Interrupted");
        assert!(setup(options()).apply(&clients).await.is_err(), "call {n} should interrupt the apply");
        setup(options()).apply(&clients).await.unwrap_or_else(|e| panic!("call {n}: re-run: {e}"));
        assert_eq!(snapshot(&clients, true).await, expected, "interrupted at call {n}");
    }
}

/// The Windows procedure attaches its role to the instance: a wrong id stops the apply (and the plan) before the
/// user, the policies, the role or the password parameter exist.
#[tokio::test]
async fn an_instance_that_does_not_exist_stops_the_apply_before_any_change() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let before = snapshot(&clients, true).await;
    let mut o = options();
    o.base.instance_id = "i-nope".into();
    emu.stats().reset();
    let err = setup(o.clone()).apply(&clients).await.expect_err("apply must stop");
    let WorkflowError::InvalidOption { field: "instance_id", message } = &err else { panic!("{err:?}") };
    assert!(message.contains("i-nope") && message.contains(REGION), "{message}");
    let calls = emu.stats().snapshot();
    assert_eq!(calls.into_iter().collect::<Vec<_>>(), [("DescribeInstances".to_owned(), 1u64)], "nothing else");
    assert_eq!(snapshot(&clients, true).await, before);
    let err = setup(o).plan(&clients).await.expect_err("plan says so too");
    assert!(matches!(err, WorkflowError::InvalidOption { field: "instance_id", .. }), "{err:?}");
}
