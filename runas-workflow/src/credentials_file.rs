//! The new RAM user's secrets on disk: a JSON file with mode 0600, written atomically, read back by later runs
//! (to recognise the AccessKey the workflow made, and to verify with it).
//!
//! ```json
//! {"UserName": "commandUser", "LoginPassword": "...", "AccessKeyId": "LTAI...", "AccessKeySecret": "..."}
//! ```

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use acs_core::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkflowError};

/// An AccessKey pair; the secret is redacted in `Debug`.
#[derive(Clone)]
pub struct AccessKeyPair {
    /// The AccessKey id.
    pub id: String,
    /// The secret.
    pub secret: SecretString,
}

impl fmt::Debug for AccessKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKeyPair").field("id", &self.id).field("secret", &"[REDACTED]").finish()
    }
}

/// The new user's credentials, as far as known. `Debug` never shows a secret.
#[derive(Clone, Debug)]
pub struct UserCredentials {
    /// The RAM user.
    pub user_name: String,
    /// The console password, when this workflow set it.
    pub login_password: Option<SecretString>,
    /// The AccessKey, when this workflow created it.
    pub access_key: Option<AccessKeyPair>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FileContent {
    user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    login_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_key_secret: Option<String>,
}

fn file_error(path: &Path, message: impl Into<String>) -> WorkflowError {
    WorkflowError::CredentialsFile { path: path.to_owned(), message: message.into() }
}

/// Reads the file; `Ok(None)` when it does not exist. The error never quotes the file's content.
pub fn read(path: &Path) -> Result<Option<UserCredentials>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_error(path, format!("cannot read it: {e}"))),
    };
    let content = parse(&text).map_err(|message| file_error(path, message))?;
    let access_key = match (content.access_key_id, content.access_key_secret) {
        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => {
            Some(AccessKeyPair { id, secret: SecretString::from(secret) })
        }
        _ => None,
    };
    Ok(Some(UserCredentials {
        user_name: content.user_name,
        login_password: content.login_password.filter(|p| !p.is_empty()).map(SecretString::from),
        access_key,
    }))
}

/// The file's content, or what is wrong with it (never quoting it: the position only). Broken JSON (a syntax
/// error, a truncated file) is said as such; valid JSON of another shape is "not a credentials file of this tool".
fn parse(text: &str) -> std::result::Result<FileContent, String> {
    let at = |e: &serde_json::Error| format!("(line {}, column {})", e.line(), e.column());
    let not_ours = "is not a credentials file of this tool";
    // Parsed as a `Value` first, not only as the struct: the struct's parse lets a trailing comma through.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("is not valid JSON {}", at(&e)))?;
    if !value.is_object() {
        return Err(format!("{not_ours} (it holds a JSON {}, not an object)", json_kind(&value)));
    }
    serde_json::from_str(text).map_err(|e| format!("{not_ours} {}", at(&e)))
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Checks, before anything is created, that `path` can receive `user_name`'s secrets: its folder exists and is
/// writable (probed with the same temporary file [`write()`] uses), and the file, if present, is not another user's
/// (overwriting it would lose that user's secrets, which RAM never returns again).
pub fn check_writable(path: &Path, user_name: &str) -> Result<()> {
    if let Some(existing) = read(path)? {
        if !existing.user_name.eq_ignore_ascii_case(user_name) {
            return Err(file_error(
                path,
                format!(
                    "holds the credentials of RAM user {:?}, not {user_name:?}: give another path (overwriting it \
                     would lose that user's secrets)",
                    existing.user_name
                ),
            ));
        }
    }
    let tmp = temporary_path(path)?;
    let probe = open_private(&tmp);
    let _ = std::fs::remove_file(&tmp);
    probe.map(drop).map_err(|e| file_error(path, format!("cannot write it: {e}")))
}

/// The temporary file [`write()`] creates next to `path` before renaming it.
fn temporary_path(path: &Path) -> Result<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| file_error(path, "is not a file path"))?;
    Ok(dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id())))
}

/// Creates (or truncates) `path` for writing with mode 0600.
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Writes the file with mode 0600 (created as a temporary file in the same folder, then renamed over the target).
pub fn write(path: &Path, credentials: &UserCredentials) -> Result<()> {
    let content = FileContent {
        user_name: credentials.user_name.clone(),
        login_password: credentials.login_password.as_ref().map(|p| p.expose_secret().to_owned()),
        access_key_id: credentials.access_key.as_ref().map(|k| k.id.clone()),
        access_key_secret: credentials.access_key.as_ref().map(|k| k.secret.expose_secret().to_owned()),
    };
    let mut json = serde_json::to_string_pretty(&content).map_err(|e| file_error(path, e.to_string()))?;
    json.push('\n');
    let tmp = temporary_path(path)?;
    let result = (|| -> std::io::Result<()> {
        let mut file = open_private(&tmp)?;
        file.write_all(json.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(path, format!("cannot write it: {e}")));
    }
    Ok(())
}

/// Removes the file (teardown); a missing file is fine.
pub fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(path, format!("cannot remove it: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> UserCredentials {
        UserCredentials {
            user_name: "commandUser".into(),
            login_password: Some(SecretString::from("Pw-SENTINEL-1".to_owned())),
            access_key: Some(AccessKeyPair {
                id: "LTAI1".into(),
                secret: SecretString::from("AK-SENTINEL".to_owned()),
            }),
        }
    }

    #[test]
    fn round_trips_with_mode_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("creds.json");
        write(&path, &sample()).expect("write");
        let back = read(&path).expect("read").expect("present");
        assert_eq!(back.user_name, "commandUser");
        assert_eq!(back.access_key.as_ref().map(|k| k.secret.expose_secret()), Some("AK-SENTINEL"));
        assert_eq!(back.login_password.as_ref().map(|p| p.expose_secret()), Some("Pw-SENTINEL-1"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(!format!("{back:?}").contains("SENTINEL"));
        remove(&path).expect("remove");
        assert!(read(&path).expect("read").is_none());
        remove(&path).expect("removing twice is fine");
    }

    #[test]
    fn garbage_is_an_error_that_does_not_quote_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("creds.json");
        std::fs::write(&path, "SENTINEL-not-json").expect("write");
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("creds.json") && !e.contains("SENTINEL"), "{e}");
    }

    #[test]
    fn broken_json_is_told_apart_from_json_of_another_shape() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("creds.json");
        // Syntax errors and truncated files: not valid JSON, with the position of the fault.
        for (broken, position) in [
            ("{\"UserName\": \"SENTINEL\",}", "line 1, column 25"),
            ("{\"UserName\": \"SENTINEL\"", "line 1, column 23"),
            ("", "line 1, column 0"),
        ] {
            std::fs::write(&path, broken).expect("write");
            let e = read(&path).unwrap_err().to_string();
            assert!(e.contains("is not valid JSON") && e.contains(position), "{broken:?}: {e}");
            assert!(!e.contains("credentials file of this tool") && !e.contains("SENTINEL"), "{e}");
        }
        // Valid JSON that is not this tool's file keeps saying so.
        for other in ["{\"Token\": \"SENTINEL\"}", "[\"SENTINEL\"]", "{\"UserName\": 7}", "\"SENTINEL\""] {
            std::fs::write(&path, other).expect("write");
            let e = read(&path).unwrap_err().to_string();
            assert!(e.contains("is not a credentials file of this tool"), "{other:?}: {e}");
            assert!(!e.contains("valid JSON") && !e.contains("SENTINEL"), "{e}");
        }
    }
}
