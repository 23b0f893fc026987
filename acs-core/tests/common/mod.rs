//! Helpers shared by the wire tests: recompute signatures from what the server received.
#![allow(dead_code)]

use acs_core::{Client, Config, RetryConfig, SignatureVersion};
use std::collections::BTreeMap;
use std::time::Duration;
use wiremock::MockServer;

pub const ID: &str = "AKIDTEST";
pub const SECRET: &str = "SENTINEL-SECRET-VALUE";

pub fn client(server: &MockServer, version: SignatureVersion, attempts: u32) -> Client {
    let config = Config::builder()
        .region("cn-hangzhou")
        .static_credentials(ID, SECRET)
        .signature_version(version)
        .endpoint_url(server.uri())
        .retry(RetryConfig {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(5),
        })
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

pub fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn query_pairs(req: &wiremock::Request) -> Vec<(String, String)> {
    req.url.query().map(|q| acs_signer::parse_form(q).unwrap()).unwrap_or_default()
}

pub fn body_pairs(req: &wiremock::Request) -> Vec<(String, String)> {
    let body = std::str::from_utf8(&req.body).unwrap();
    if body.is_empty() {
        Vec::new()
    } else {
        acs_signer::parse_form(body).unwrap()
    }
}

/// Checks a V3 request's Authorization by recomputing it over the headers it lists; returns the query and body
/// parameters.
pub fn verify_v3(req: &wiremock::Request, secret: &str) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let auth = header(req, "authorization").expect("authorization header");
    let (cred, signed_headers, signature) = acs_signer::v3::parse_authorization(auth).expect("parsable authorization");
    let headers: Vec<(String, String)> = signed_headers
        .iter()
        .map(|h| (h.to_string(), header(req, h).unwrap_or_else(|| panic!("signed header {h} missing")).to_owned()))
        .collect();
    let query = query_pairs(req);
    let token = header(req, "x-acs-security-token");
    let mut creds = acs_signer::Credentials::new(cred, secret);
    if let Some(t) = token {
        creds = creds.with_security_token(t);
    }
    let sig = acs_signer::v3::sign(
        &acs_signer::v3::SignableRequest {
            method: req.method.as_str(),
            canonical_uri: req.url.path(),
            query: &query,
            headers: &headers,
            body: &req.body,
        },
        &creds,
    );
    assert_eq!(sig.signature, signature, "V3 signature does not verify");
    assert_eq!(
        header(req, "x-acs-content-sha256"),
        Some(acs_signer::v3::content_sha256(&req.body).as_str()),
        "content hash"
    );
    (query.into_iter().collect(), body_pairs(req).into_iter().collect())
}

/// Checks a V1 request's `Signature` over query ∪ body; returns all parameters.
pub fn verify_v1(req: &wiremock::Request, secret: &str) -> BTreeMap<String, String> {
    let mut all = query_pairs(req);
    all.extend(body_pairs(req));
    let sent = all.iter().find(|(k, _)| k == "Signature").expect("Signature parameter").1.clone();
    let sig = acs_signer::v1::sign(req.method.as_str(), &all, secret);
    assert_eq!(sig.signature, sent, "V1 signature does not verify");
    all.into_iter().collect()
}

/// One step of a [`scripted_server`]'s answer.
pub enum Step {
    /// Write these bytes (status line and headers included: nothing is added).
    Send(Vec<u8>),
    /// Pause before the next step.
    Sleep(Duration),
}

/// One HTTP/1.1 chunk of a `Transfer-Encoding: chunked` body; an empty `data` is the final chunk.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// A raw HTTP server on 127.0.0.1 for what wiremock cannot do (bodies without `Content-Length`, a body that
/// trickles in): it reads each request (head and `Content-Length` body), plays `steps` (built anew for every
/// request), then closes the connection. Returns its base URL and the count of requests received.
pub async fn scripted_server(
    steps: impl Fn() -> Vec<Step> + Send + Sync + 'static,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let steps = Arc::new(steps);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let steps = steps.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                    if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                while request.len() < head_end + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                for step in steps() {
                    match step {
                        Step::Send(bytes) => {
                            if socket.write_all(&bytes).await.is_err() {
                                return; // the client hung up
                            }
                        }
                        Step::Sleep(d) => tokio::time::sleep(d).await,
                    }
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, requests)
}

/// A client of `url` (V3, `attempts` attempts, 1 ms backoff) with `tune` applied to its config builder.
pub fn client_at(
    url: &str,
    attempts: u32,
    tune: impl FnOnce(acs_core::ConfigBuilder) -> acs_core::ConfigBuilder,
) -> Client {
    let builder =
        Config::builder().region("cn-hangzhou").static_credentials(ID, SECRET).endpoint_url(url).retry(RetryConfig {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(5),
        });
    Client::new(tune(builder).build().unwrap()).unwrap()
}

/// Log output captured by [`capture_logs`].
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().map(|v| v.clone()).unwrap_or_default()).into_owned()
    }
}

/// Captures the formatted log lines (no colours) of this thread matching `filter` (e.g. `acs_core=trace`) while the
/// returned guard lives.
pub fn capture_logs(filter: &str) -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}
