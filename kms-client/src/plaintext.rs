//! Base64 handling of plaintexts, so callers deal in bytes and never see the wire encoding.

use acs_core::{Error, ExposeSecret, SecretString};
use base64::Engine as _;

use crate::operations::{DecryptResponse, EncryptFluentBuilder, GenerateDataKeyResponse};

/// Secret bytes (zeroized on drop, redacted in `Debug`); read them with [`ExposeSecret::expose_secret`].
pub type SecretBytes = secrecy::SecretSlice<u8>;

fn decode(field: &str, value: &SecretString) -> Result<SecretBytes, Error> {
    base64::engine::general_purpose::STANDARD.decode(value.expose_secret().trim()).map(SecretBytes::from).map_err(
        |_| Error::Decode {
            message: format!("{field} in the response is not valid Base64"),
            status: 200,
            body_excerpt: String::new(),
        },
    )
}

impl EncryptFluentBuilder {
    /// Sets `Plaintext` from raw bytes (the SDK Base64-encodes them; at most 6 KB of data).
    pub fn plaintext_bytes(self, bytes: impl AsRef<[u8]>) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes.as_ref());
        self.plaintext(encoded)
    }
}

impl DecryptResponse {
    /// The decrypted data as bytes (decoded from the Base64 `Plaintext`); `None` if the response had none.
    pub fn plaintext_bytes(&self) -> Result<Option<SecretBytes>, Error> {
        self.plaintext.as_ref().map(|p| decode("Plaintext", p)).transpose()
    }
}

impl GenerateDataKeyResponse {
    /// The data key as bytes (decoded from the Base64 `Plaintext`); `None` if the response had none.
    pub fn plaintext_bytes(&self) -> Result<Option<SecretBytes>, Error> {
        self.plaintext.as_ref().map(|p| decode("Plaintext", p)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_redacts() {
        let response = DecryptResponse { plaintext: Some(SecretString::from("aGVsbG8=")), ..Default::default() };
        let bytes = response.plaintext_bytes().expect("valid").expect("present");
        assert_eq!(bytes.expose_secret(), b"hello");
        assert!(!format!("{response:?}").contains("aGVsbG8"));
        let bad = DecryptResponse { plaintext: Some(SecretString::from("***")), ..Default::default() };
        let err = bad.plaintext_bytes().expect_err("invalid base64");
        assert!(!err.to_string().contains("***"));
        assert!(DecryptResponse::default().plaintext_bytes().expect("absent is fine").is_none());
    }
}
