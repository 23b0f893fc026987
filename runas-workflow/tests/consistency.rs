//! RAM's eventual consistency and lost responses, simulated with the emulator's fault injection.

mod common;

use std::sync::{Arc, Mutex};

use acs_core::SecretString;
use common::*;
use runas_workflow::{Options, ProgressEvent, Setup, StepResult, WindowsOptions};

#[tokio::test]
async fn a_new_user_not_yet_visible_is_waited_for() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    // 1st GetUser: the genuine "absent" of inspect; 2nd: the visibility probe after CreateUser sees nothing yet.
    emu.faults().fail_nth("GetUser", 2, "EntityNotExist.User");
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let mut s = Setup::linux(Options::new(REGION, LINUX))
        .expect("options")
        .visibility_wait(quick())
        .on_progress(move |e| sink.lock().unwrap().push(e.clone()));
    let report = s.apply(&clients).await.expect("apply waits, then goes on");
    assert!(report.iter().all(|r| r.result == StepResult::Created));
    assert_eq!(emu.stats().count("GetUser"), 3);
    let events = events.lock().unwrap();
    assert!(events
        .iter()
        .any(|e| matches!(e, ProgressEvent::Waiting { what } if what.contains("RAM user commandUser"))));
    // Every step was announced, then finished, in order.
    let finished: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            ProgressEvent::StepFinished { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(finished, (1..=6).collect::<Vec<_>>());
    let started = events.iter().filter(|e| matches!(e, ProgressEvent::StepStarted { .. })).count();
    assert_eq!(started, 6);
}

/// A read that does not see an entity yet (or a lost create response) leads to `EntityAlreadyExists` on create:
/// confirmed by a read, reported `unchanged`, never an error and never a duplicate.
#[tokio::test]
async fn already_exists_after_a_stale_read_is_confirmed_not_an_error() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let options = || WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()));
    Setup::windows(options()).unwrap().visibility_wait(quick()).apply(&clients).await.expect("first apply");
    let before = snapshot(&clients, true).await;

    emu.stats().reset();
    emu.faults().fail_once("GetUser", "EntityNotExist.User");
    emu.faults().fail_once("GetPolicy", "EntityNotExist.Policy");
    emu.faults().fail_once("GetRole", "EntityNotExist.Role");
    emu.faults().fail_once("GetSecretParameter", "EntityNotExists.Parameter");
    let report = Setup::windows(options()).unwrap().visibility_wait(quick()).apply(&clients).await.expect("apply");
    assert!(report.iter().all(|r| r.result == StepResult::Unchanged), "{report:#?}");
    for action in ["CreateUser", "CreatePolicy", "CreateRole", "CreateSecretParameter"] {
        assert_eq!(emu.stats().count(action), 1, "{action} was tried once and answered 'already exists'");
    }
    assert_eq!(emu.stats().count("CreateAccessKey"), 0, "no second key");
    assert_eq!(snapshot(&clients, true).await, before);
}

#[tokio::test]
async fn a_new_role_not_yet_visible_to_ecs_is_waited_for() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    emu.faults().fail_once("AttachInstanceRamRole", "InvalidRamRole.NotFound");
    let o = WindowsOptions::new(REGION, WINDOWS, SecretString::from(WINDOWS_PASSWORD.to_owned()));
    let report = Setup::windows(o).unwrap().visibility_wait(quick()).apply(&clients).await.expect("apply");
    let step = report.iter().find(|r| r.action == "instance-role").expect("step");
    assert_eq!(step.result, StepResult::Created);
    assert_eq!(emu.stats().count("AttachInstanceRamRole"), 2);
}
