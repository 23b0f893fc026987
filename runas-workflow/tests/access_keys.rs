//! Orphaned AccessKeys: a key of the workflow's user whose secret never reached the credentials file (the run
//! died between `CreateAccessKey` and writing it). Reported by plan and apply; replaced with `rotate_access_key`
//! in the order create → write → delete, so that an interruption at any point converges on the next run.

mod common;

use std::path::Path;

use common::*;
use runas_workflow::{credentials_file, KeySource, Options, ProgressEvent, Setup, StepReport, StepResult};

fn options(path: &Path, rotate: bool) -> Options {
    let mut o = Options::new(REGION, LINUX);
    o.credentials_out = Some(path.to_owned());
    o.rotate_access_key = rotate;
    o
}

fn setup(o: Options) -> Setup {
    Setup::linux(o).expect("options").visibility_wait(quick()).propagation_wait(quick()).command_wait(quick())
}

/// A run that dies right after `CreateAccessKey`: the folder of the credentials file disappears when the
/// access-key step starts, so the secret cannot be written (as if the process had been killed).
async fn apply_dying_before_the_write(clients: &runas_workflow::Clients, dir: &Path, rotate: bool) {
    let gone = dir.to_owned();
    let mut s = setup(options(&dir.join("creds.json"), rotate)).on_progress(move |e| {
        if matches!(e, ProgressEvent::StepStarted { action, .. } if action == "access-key") {
            let _ = std::fs::remove_dir_all(&gone);
        }
    });
    let err = s.apply(clients).await.expect_err("the write fails");
    assert!(err.to_string().contains("credentials file"), "{err}");
    std::fs::create_dir_all(dir).expect("folder back");
}

async fn key_ids(clients: &runas_workflow::Clients) -> Vec<String> {
    let listed = clients.ram.list_access_keys().user_name("commandUser").send().await.expect("ListAccessKeys");
    listed.access_keys.into_iter().filter_map(|k| k.access_key_id).collect()
}

fn file_key(path: &Path) -> Option<String> {
    credentials_file::read(path).expect("readable").and_then(|c| c.access_key).map(|k| k.id)
}

fn key_step(report: &[StepReport]) -> &StepReport {
    report.iter().find(|r| r.action == "access-key").expect("access-key step")
}

/// Ends with exactly one key, the one in the file; a further run changes nothing, with reads only.
async fn assert_converged(emu: &acs_emulator::EmulatorHandle, clients: &runas_workflow::Clients, path: &Path) {
    let keys = key_ids(clients).await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(file_key(path).as_deref(), Some(keys[0].as_str()));
    emu.stats().reset();
    let again = setup(options(path, true)).apply(clients).await.expect("re-apply");
    assert!(again.iter().all(|r| r.result == StepResult::Unchanged), "{again:#?}");
    assert!(emu.stats().snapshot().keys().all(|a| is_read(a)), "{:?}", emu.stats().snapshot());
}

#[tokio::test]
async fn an_orphaned_key_is_reported_and_replaced_on_request() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.json");
    apply_dying_before_the_write(&clients, dir.path(), false).await;
    let orphan = key_ids(&clients).await;
    assert_eq!(orphan.len(), 1);
    assert_eq!(file_key(&path), None, "the secret was lost");

    // Plan and apply say so, change nothing, and name the option.
    let plan = setup(options(&path, false)).plan(&clients).await.expect("plan");
    let row = key_step(&plan);
    assert_eq!(row.result, StepResult::Unchanged);
    for needle in ["orphaned", orphan[0].as_str(), "--rotate-access-key"] {
        assert!(row.detail.contains(needle), "missing {needle:?} in {}", row.detail);
    }
    let report = setup(options(&path, false)).apply(&clients).await.expect("apply");
    assert!(key_step(&report).detail.contains("orphaned"), "{report:#?}");
    assert_eq!(key_ids(&clients).await, orphan, "nothing deleted without the option");

    // With the option: planned, then a new key in the file and the orphan gone.
    let plan = setup(options(&path, true)).plan(&clients).await.expect("plan");
    assert_eq!(key_step(&plan).result, StepResult::Planned, "{plan:#?}");
    emu.stats().reset();
    let mut s = setup(options(&path, true));
    let report = s.apply(&clients).await.expect("rotate");
    assert_eq!(key_step(&report).result, StepResult::Updated, "{report:#?}");
    assert_eq!((emu.stats().count("CreateAccessKey"), emu.stats().count("DeleteAccessKey")), (1, 1));
    let keys = key_ids(&clients).await;
    assert!(!keys.contains(&orphan[0]), "{keys:?}");
    assert!(!format!("{report:?}").contains("Secret"), "no secret in the report");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(s.verify(&clients).await.expect("verify").key_source, KeySource::FromApply);
    assert_converged(&emu, &clients, &path).await;
    // A later process verifies with the key in the file, no temporary key needed.
    let v = setup(options(&path, false)).verify(&clients).await.expect("verify");
    assert_eq!(v.key_source, KeySource::CredentialsFile);
    assert!(v.ok(), "{v:#?}");
}

/// Interrupted between creating the new key and writing it: two orphans, at RAM's limit of two keys. The next
/// rotation frees a slot by deleting the oldest orphan (its secret is lost anyway), then converges.
#[tokio::test]
async fn a_rotation_interrupted_before_the_write_converges_on_the_next_run() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.json");
    apply_dying_before_the_write(&clients, dir.path(), false).await;
    apply_dying_before_the_write(&clients, dir.path(), true).await;
    let orphans = key_ids(&clients).await;
    assert_eq!(orphans.len(), 2, "the interrupted rotation left a second orphan");

    let plan = setup(options(&path, false)).plan(&clients).await.expect("plan");
    assert!(key_step(&plan).detail.contains("the limit"), "{}", key_step(&plan).detail);
    emu.stats().reset();
    let report = setup(options(&path, true)).apply(&clients).await.expect("rotate");
    assert_eq!(key_step(&report).result, StepResult::Updated, "{report:#?}");
    assert_eq!((emu.stats().count("CreateAccessKey"), emu.stats().count("DeleteAccessKey")), (1, 2));
    let keys = key_ids(&clients).await;
    assert!(keys.iter().all(|k| !orphans.contains(k)), "{keys:?} {orphans:?}");
    assert_converged(&emu, &clients, &path).await;
}

/// Interrupted between writing the new key and deleting the orphan: the file's key works all along, and the
/// next run only deletes the orphan.
#[tokio::test]
async fn a_rotation_interrupted_before_the_delete_converges_on_the_next_run() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.json");
    apply_dying_before_the_write(&clients, dir.path(), false).await;
    let orphan = key_ids(&clients).await;

    emu.faults().fail_once("DeleteAccessKey", "InjectedFault.Interrupted");
    setup(options(&path, true)).apply(&clients).await.expect_err("the delete fails");
    let written = file_key(&path).expect("the new key was written before the delete");
    let keys = key_ids(&clients).await;
    assert!(keys.contains(&written) && keys.contains(&orphan[0]), "{keys:?}");

    // Without the option the orphan is reported next to the usable key.
    let plan = setup(options(&path, false)).plan(&clients).await.expect("plan");
    let detail = &key_step(&plan).detail;
    assert!(detail.contains(&orphan[0]) && detail.contains(&written), "{detail}");

    emu.stats().reset();
    let report = setup(options(&path, true)).apply(&clients).await.expect("rotate");
    assert_eq!(key_step(&report).result, StepResult::Updated, "{report:#?}");
    assert_eq!((emu.stats().count("CreateAccessKey"), emu.stats().count("DeleteAccessKey")), (0, 1));
    assert_eq!(file_key(&path), Some(written));
    assert_converged(&emu, &clients, &path).await;
}

/// A user the workflow did not create: its other keys may be anyone's, so nothing is called orphaned or deleted.
#[tokio::test]
async fn keys_of_a_user_that_existed_before_are_never_called_orphaned() {
    let emu = emulator().await;
    let clients = root_clients(&emu);
    clients.ram.create_user().user_name("commandUser").send().await.expect("their user");
    clients.ram.create_access_key().user_name("commandUser").send().await.expect("their key");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.json");
    let report = setup(options(&path, true)).apply(&clients).await.expect("apply");
    assert_eq!(key_step(&report).result, StepResult::Created, "{report:#?}");
    assert_eq!(key_ids(&clients).await.len(), 2, "their key is kept");
    let again = setup(options(&path, true)).apply(&clients).await.expect("re-apply");
    assert!(again.iter().all(|r| r.result == StepResult::Unchanged), "{again:#?}");
}
