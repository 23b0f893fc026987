//! The ciphertext blob: real AES-256-GCM (`ring::aead`) under a key version's material.
//!
//! Layout before Base64: `1` (format) · `len(key id)` · key id · `len(version id)` · version id · 12-byte nonce ·
//! sealed bytes (ciphertext ‖ 16-byte tag). The encryption context (canonical JSON, keys sorted) is the AAD, so a
//! different context fails authentication on decrypt. The blob never contains the plaintext.

use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

const FORMAT: u8 = 1;

/// 32 bytes of key material, never printed.
#[derive(Clone)]
pub struct Material([u8; 32]);

impl std::fmt::Debug for Material {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Material(<redacted>)")
    }
}

impl Material {
    /// Fresh random material.
    pub fn generate() -> Option<Material> {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).ok()?;
        Some(Material(bytes))
    }
}

/// Random bytes (data keys, nonces).
pub fn random_bytes(len: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0u8; len];
    SystemRandom::new().fill(&mut bytes).ok()?;
    Some(bytes)
}

/// What a blob says about itself before decryption.
#[derive(Debug, PartialEq, Eq)]
pub struct Header {
    /// The key id.
    pub key_id: String,
    /// The key version id.
    pub version_id: String,
}

/// Seals `plaintext` under `material`, binding `aad`; returns the Base64 blob.
pub fn seal(key_id: &str, version_id: &str, material: &Material, plaintext: &[u8], aad: &[u8]) -> Option<String> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &material.0).ok()?);
    let nonce_bytes = random_bytes(NONCE_LEN)?;
    let nonce = Nonce::try_assume_unique_for_key(&nonce_bytes).ok()?;
    let mut sealed = plaintext.to_vec();
    key.seal_in_place_append_tag(nonce, Aad::from(aad), &mut sealed).ok()?;
    let mut out = vec![FORMAT, u8::try_from(key_id.len()).ok()?];
    out.extend_from_slice(key_id.as_bytes());
    out.push(u8::try_from(version_id.len()).ok()?);
    out.extend_from_slice(version_id.as_bytes());
    out.extend_from_slice(&nonce_bytes);
    out.extend_from_slice(&sealed);
    Some(base64::engine::general_purpose::STANDARD.encode(out))
}

fn split(blob: &str) -> Option<(Header, [u8; NONCE_LEN], Vec<u8>)> {
    let raw = base64::engine::general_purpose::STANDARD.decode(blob.trim()).ok()?;
    let (&format, rest) = raw.split_first()?;
    if format != FORMAT {
        return None;
    }
    let (&n, rest) = rest.split_first()?;
    let (key_id, rest) = rest.split_at_checked(usize::from(n))?;
    let (&n, rest) = rest.split_first()?;
    let (version_id, rest) = rest.split_at_checked(usize::from(n))?;
    let (nonce, sealed) = rest.split_at_checked(NONCE_LEN)?;
    let header = Header {
        key_id: String::from_utf8(key_id.to_vec()).ok()?,
        version_id: String::from_utf8(version_id.to_vec()).ok()?,
    };
    Some((header, nonce.try_into().ok()?, sealed.to_vec()))
}

/// Reads the header of a blob (`None` when it is not one of ours).
pub fn header(blob: &str) -> Option<Header> {
    split(blob).map(|(h, _, _)| h)
}

/// Opens a blob with `material` and `aad`; `None` when the blob, the key or the AAD does not match.
pub fn open(blob: &str, material: &Material, aad: &[u8]) -> Option<Vec<u8>> {
    let (_, nonce, mut sealed) = split(blob)?;
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &material.0).ok()?);
    let plain = key.open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut sealed).ok()?;
    Some(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_binds_aad_and_hides_plaintext() {
        let Some(m) = Material::generate() else { panic!("no randomness") };
        let secret = b"Emu-Passw0rd-user01";
        let Some(blob) = seal("key-1", "v-1", &m, secret, b"{\"a\":\"b\"}") else { panic!("seal failed") };
        let raw = base64::engine::general_purpose::STANDARD.decode(&blob).unwrap_or_default();
        assert!(!raw.windows(secret.len()).any(|w| w == secret), "plaintext visible in the blob");
        assert_eq!(header(&blob), Some(Header { key_id: "key-1".into(), version_id: "v-1".into() }));
        assert_eq!(open(&blob, &m, b"{\"a\":\"b\"}").as_deref(), Some(&secret[..]));
        assert_eq!(open(&blob, &m, b"{\"a\":\"c\"}"), None);
        let Some(other) = Material::generate() else { panic!("no randomness") };
        assert_eq!(open(&blob, &other, b"{\"a\":\"b\"}"), None);
        assert_eq!(header("not base64 !"), None);
        // two encryptions of the same plaintext differ (fresh nonce)
        assert_ne!(seal("key-1", "v-1", &m, secret, b""), seal("key-1", "v-1", &m, secret, b""));
    }
}
