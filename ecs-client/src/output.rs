//! Decoding of the Base64 text fields the Describe operations return by default (`Output`, `CommandContent`).

use base64::Engine as _;

use crate::models::{Command, Invocation, InvocationResult, InvokeInstance};

/// Base64 → UTF-8 text (lossy); `None` when absent or not Base64.
pub(crate) fn decode(value: Option<&str>) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(value?.trim()).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

impl InvocationResult {
    /// `Output` decoded from Base64 (the default `ContentEncoding` of DescribeInvocationResults); `None` when
    /// absent or when it is not Base64 (e.g. requested as `PlainText`: read `output` directly then).
    pub fn decoded_output(&self) -> Option<String> {
        decode(self.output.as_deref())
    }
}

impl InvokeInstance {
    /// `Output` decoded from Base64 (DescribeInvocations with `IncludeOutput=true`); `None` when absent or not Base64.
    pub fn decoded_output(&self) -> Option<String> {
        decode(self.output.as_deref())
    }
}

impl Invocation {
    /// `CommandContent` decoded from Base64; `None` when absent or not Base64.
    pub fn decoded_command_content(&self) -> Option<String> {
        decode(self.command_content.as_deref())
    }
}

impl Command {
    /// `CommandContent` decoded from Base64; `None` when absent or not Base64.
    pub fn decoded_command_content(&self) -> Option<String> {
        decode(self.command_content.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64_and_rejects_other_text() {
        let r = InvocationResult { output: Some("dXNlcjAxCg==".into()), ..Default::default() };
        assert_eq!(r.decoded_output().as_deref(), Some("user01\n"));
        let plain = InvocationResult { output: Some("user01\n!".into()), ..Default::default() };
        assert_eq!(plain.decoded_output(), None);
        assert_eq!(InvocationResult::default().decoded_output(), None);
        let c = Command { command_content: Some("d2hvYW1p".into()), ..Default::default() };
        assert_eq!(c.decoded_command_content().as_deref(), Some("whoami"));
    }
}
