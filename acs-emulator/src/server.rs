//! The HTTP server (axum on tokio), the builder and the running handle.

use crate::authz::RequestEnv;
use crate::catalog;
use crate::error::ApiError;
use crate::faults::{FaultRule, Faults};
use crate::ids::{now_unix, request_id};
use crate::protocol::{self, HttpRequest, NonceCache};
use crate::seed::Seed;
use crate::services::{self, sts::TempCredentials, Ctx};
use crate::state::{Shared, State};
use crate::stats::Stats;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde_json::{json, Map, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Binding the listen address failed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The seed is inconsistent.
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
}

/// Entry point: `Emulator::builder().seed(seed).start().await`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the demo seed, `127.0.0.1:0` and no execution delay.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            seed: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            execution_delay: Duration::ZERO,
            max_invocations: crate::services::ecs::DEFAULT_MAX_INVOCATIONS,
            faults: Vec::new(),
            fault_seed: None,
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug)]
pub struct EmulatorBuilder {
    seed: Option<Seed>,
    listen: SocketAddr,
    execution_delay: Duration,
    max_invocations: usize,
    faults: Vec<FaultRule>,
    fault_seed: Option<u64>,
}

impl EmulatorBuilder {
    /// The account to emulate (default: [`Seed::demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Where to listen (default `127.0.0.1:0`, an ephemeral port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// How long a simulated command runs before its result is available (default zero).
    pub fn execution_delay(mut self, delay: Duration) -> Self {
        self.execution_delay = delay;
        self
    }

    /// How many Cloud Assistant invocations to keep (default
    /// [`DEFAULT_MAX_INVOCATIONS`](crate::services::ecs::DEFAULT_MAX_INVOCATIONS), at least 1): beyond it the
    /// oldest finished ones are dropped with their output and ClientTokens; running ones never are (see
    /// [`EcsState`](crate::services::ecs::EcsState#retention)).
    pub fn max_invocations(mut self, max: usize) -> Self {
        self.max_invocations = max;
        self
    }

    /// Adds a fault rule (on top of the seed's).
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// Seeds the fault PRNG (overrides the seed's `fault_seed`).
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = Some(seed);
        self
    }

    /// Binds, then serves in a background task until [`EmulatorHandle::shutdown`] (or drop).
    pub async fn start(self) -> Result<EmulatorHandle, StartError> {
        let seed = self.seed.unwrap_or_else(Seed::demo);
        seed.check()?;
        let mut rules = seed.faults.clone();
        rules.extend(self.faults);
        for rule in &rules {
            rule.check().map_err(crate::seed::SeedError::Invalid)?;
        }
        let faults = Faults::new(rules, self.fault_seed.or(seed.fault_seed).unwrap_or(0));
        let mut state = State::from_seed(&seed);
        state.ecs.set_max_invocations(self.max_invocations);
        let shared = Shared::new(state, self.execution_delay);
        let stats = Stats::default();
        let app = Arc::new(App {
            shared: shared.clone(),
            stats: stats.clone(),
            faults: faults.clone(),
            nonces: Mutex::new(NonceCache::default()),
        });
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(|source| StartError::Bind { addr: self.listen, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: self.listen, source })?;
        let router = axum::Router::new().fallback(serve_request).with_state(app);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            let server = axum::serve(listener, service).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::error!(error = %e, "emulator server stopped with an error");
            }
        });
        let root = &seed.root_access_keys[0];
        Ok(EmulatorHandle {
            addr,
            account_id: seed.account_id.clone(),
            root: RootCredentials { access_key_id: root.id.clone(), access_key_secret: root.secret.clone() },
            shared,
            stats,
            faults,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// The account root's AccessKey (always allowed everything).
#[derive(Clone, Debug)]
pub struct RootCredentials {
    /// AccessKey ID.
    pub access_key_id: String,
    /// AccessKey secret (redacted in `Debug`).
    pub access_key_secret: SecretString,
}

/// A running emulator. Dropping it stops the server too.
#[derive(Debug)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    account_id: String,
    root: RootCredentials,
    shared: Shared,
    stats: Stats,
    faults: Faults,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` — use it as the endpoint of every service.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first root AccessKey of the seed.
    pub fn root_credentials(&self) -> RootCredentials {
        self.root.clone()
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// Per-action request counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The live fault rules.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The state and settings, for inspection and for tests (lock briefly).
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Temporary credentials of the RAM role attached to `instance_id`, as the agent on that instance would get
    /// them from the metadata service (`None` when no trusted role is attached).
    pub fn issue_role_session_for_instance(&self, instance_id: &str) -> Option<TempCredentials> {
        let mut state = self.shared.lock();
        services::sts::issue_instance_session(&mut state, instance_id, now_unix())
    }

    /// Stops accepting connections, finishes in-flight requests and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Debug)]
struct App {
    shared: Shared,
    stats: Stats,
    faults: Faults,
    nonces: Mutex<NonceCache>,
}

async fn serve_request(
    AxumState(app): AxumState<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let env = RequestEnv {
        request_id: request_id(),
        source_ip: peer.ip().to_string(),
        secure_transport: false,
        now: now_unix(),
        host: headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost").to_owned(),
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            // axum's own rejection is plain text; answer like every other error (e.g. a body over the 2 MB limit).
            let status = rejection.status();
            let code = match status {
                StatusCode::PAYLOAD_TOO_LARGE => "RequestEntityTooLarge",
                _ => "InvalidParameter",
            };
            let err = ApiError::new(status.as_u16(), code, format!("The request body could not be read: {rejection}."));
            return json_response(status.as_u16(), &error_body(&err, &env, None), &env, None);
        }
    };
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_ascii_lowercase(), v.to_owned())))
        .collect();
    let req = HttpRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers: &headers,
        body: &body,
    };
    let (status, body, retry_after) = process(&app, &req, &env);
    json_response(status, &body, &env, retry_after)
}

/// A JSON response with the request id header (and `x-acs-retry-after` when given).
fn json_response(status: u16, body: &Value, env: &RequestEnv, retry_after: Option<u64>) -> Response {
    let mut response =
        (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), body.to_string()).into_response();
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json;charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&env.request_id) {
        h.insert("x-acs-request-id", v);
    }
    if let Some(secs) = retry_after {
        h.insert("x-acs-retry-after", HeaderValue::from(secs));
    }
    response
}

/// The error body; KMS errors also carry `HttpStatus`, as KMS documents its error responses.
fn error_body(err: &ApiError, env: &RequestEnv, service: Option<catalog::Service>) -> Value {
    let product = service.map(catalog::Service::display_name).unwrap_or_default();
    let mut body = Map::new();
    if service == Some(catalog::Service::Kms) {
        body.insert("HttpStatus".into(), json!(err.status));
    }
    body.insert("RequestId".into(), json!(env.request_id));
    body.insert("HostId".into(), json!(env.host));
    body.insert("Code".into(), json!(err.code));
    body.insert("Message".into(), json!(err.message));
    body.insert(
        "Recommend".into(),
        json!(format!(
            "https://api.aliyun.com/troubleshoot?q={}&product={product}&requestId={}",
            err.code, env.request_id
        )),
    );
    if let Some(detail) = &err.access_denied_detail {
        body.insert("AccessDeniedDetail".into(), serde_json::to_value(detail).unwrap_or(Value::Null));
    }
    Value::Object(body)
}

/// Runs one request through the pipeline: parse → authenticate → faults → required parameters → handler.
/// Returns the status, the body and the `x-acs-retry-after` seconds, if any.
fn process(app: &App, req: &HttpRequest<'_>, env: &RequestEnv) -> (u16, Value, Option<u64>) {
    let (action, parsed) = protocol::parse(req);
    if let Some(action) = &action {
        app.stats.record(action);
    }
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => return (e.status, error_body(&e, env, None), e.retry_after),
    };
    let outcome = (|| {
        let principal = {
            let state = app.shared.lock();
            let mut nonces = app.nonces.lock().unwrap_or_else(|e| e.into_inner());
            protocol::authenticate(&parsed, req, &state, &mut nonces, env.now)?
        };
        if let Some(fault) = app.faults.decide(&parsed.action) {
            return Err(fault);
        }
        if let Some(op) = catalog::operation(parsed.service, &parsed.action) {
            op.check_required(&parsed.params)?;
        }
        let mut state = app.shared.lock();
        let mut ctx =
            Ctx::new(parsed.service, &parsed.action, &parsed.params, &principal, env, &mut state, &app.shared);
        services::dispatch(&mut ctx)
    })();
    match outcome {
        Ok(mut body) => {
            if let Value::Object(map) = &mut body {
                map.insert("RequestId".into(), json!(env.request_id));
            }
            tracing::debug!(action = %parsed.action, request_id = %env.request_id, "ok");
            (200, body, None)
        }
        Err(e) => {
            tracing::debug!(action = %parsed.action, request_id = %env.request_id, code = %e.code, "error");
            (e.status, error_body(&e, env, Some(parsed.service)), e.retry_after)
        }
    }
}
