//! The shared runtime: one HTTP connection pool, the call loop (sign → send → classify → retry) and parsing.

use crate::body::{read_limited, BodyError};
use crate::error::{
    decode_error, is_error_in_success_body, json_error_message, parse_error_body, redact_string_to_sign,
};
use crate::request::{self, SignedRequest};
use crate::retry::{self, Failure};
use crate::{params, transport, Config, Error, Method, Operation, OperationKind, TimeoutKind};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// Per-call overrides.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Region of the endpoint when the request has no `RegionId` parameter.
    pub region: Option<String>,
    /// Former name of [`attempt_timeout`](Self::attempt_timeout), with the same meaning (it always limited the
    /// whole attempt); used when `attempt_timeout` is not set.
    #[deprecated(note = "use `attempt_timeout` (same meaning: the limit of each whole attempt of this call)")]
    pub read_timeout: Option<Duration>,
    /// Limit of each whole attempt of this call (connect, send, response and body), instead of the config's
    /// [`attempt_timeout`](crate::ConfigBuilder::attempt_timeout). The config's connect and read timeouts still
    /// apply within it.
    pub attempt_timeout: Option<Duration>,
}

impl CallOptions {
    /// The attempt timeout this call asks for: `attempt_timeout`, else the deprecated `read_timeout`.
    fn requested_attempt_timeout(&self) -> Option<Duration> {
        #[allow(deprecated)]
        self.attempt_timeout.or(self.read_timeout)
    }
}

/// The limit of each whole attempt of a call (the connect and read timeouts are the config's, applied by the HTTP
/// client).
#[derive(Clone, Copy, Debug)]
struct AttemptLimit {
    limit: Duration,
    /// Whether `limit` came from the call options rather than the config (for the error message).
    per_call: bool,
}

/// The shared runtime: one connection pool, cheap to clone (`Arc` inside). Service clients wrap it.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    http: reqwest::Client,
}

/// One received response.
struct RawResponse {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// Builds the HTTP client every component shares: rustls, pooled, with env proxies (`HTTPS_PROXY`, `NO_PROXY`),
/// the connect timeout and the read timeout (the longest wait for data). The attempt timeout is applied per call.
pub(crate) fn http_client(
    connect_timeout: Duration,
    read_timeout: Duration,
    user_agent: &str,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .user_agent(user_agent)
        .pool_idle_timeout(Duration::from_secs(90))
        // A signed request is valid for one host only; a redirect is reported as an error body instead.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))
}

impl Client {
    /// A client over `config`, with a new connection pool.
    pub fn new(config: Config) -> Result<Client, Error> {
        let http = http_client(config.connect_timeout(), config.read_timeout(), config.user_agent())?;
        Ok(Client { inner: Arc::new(Inner { config, http }) })
    }

    /// A client with the same settings and connection pool but another credentials provider (e.g. to act as a
    /// newly created RAM user).
    pub fn with_credentials_provider(&self, provider: impl crate::ProvideCredentials + 'static) -> Client {
        let config = self.inner.config.clone().with_credentials_provider(provider);
        Client { inner: Arc::new(Inner { config, http: self.inner.http.clone() }) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The `RegionId` to send when the caller set none: the per-call region of `options`, else the configured
    /// region (blank values skipped, as for endpoint resolution).
    pub fn default_region(&self, options: &CallOptions) -> Option<String> {
        call_region(None, options.region.as_deref(), self.config().region())
    }

    /// Flattens `request` to RPC parameters, signs, sends with retries, parses the JSON body into `Resp`.
    /// The endpoint region is the request's `RegionId` parameter if present, else CallOptions.region, else the config region.
    /// InternalError/HTTP 500 is retried only for OperationKind::Read or when the parameters carry a non-empty ClientToken.
    pub async fn call<Req, Resp>(&self, op: &Operation, request: &Req) -> Result<Resp, Error>
    where
        Req: serde::Serialize + ?Sized,
        Resp: serde::de::DeserializeOwned,
    {
        self.call_with(op, request, &CallOptions::default()).await
    }

    /// [`Client::call`] with per-call overrides.
    pub async fn call_with<Req, Resp>(
        &self,
        op: &Operation,
        request: &Req,
        options: &CallOptions,
    ) -> Result<Resp, Error>
    where
        Req: serde::Serialize + ?Sized,
        Resp: serde::de::DeserializeOwned,
    {
        let params = params::to_params(request)?;
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let region = call_region(param("RegionId"), options.region.as_deref(), self.config().region());
        let endpoint = self.config().endpoint(op.service, region.as_deref())?;
        let idempotent = op.kind == OperationKind::Read || param("ClientToken").is_some_and(|t| !t.is_empty());
        let attempt_limit = match options.requested_attempt_timeout() {
            Some(limit) => Some(AttemptLimit { limit, per_call: true }),
            None => self.config().attempt_timeout().map(|limit| AttemptLimit { limit, per_call: false }),
        };
        let span = tracing::info_span!(
            "acs.call",
            service = op.service.product_code(),
            action = op.action,
            region = region.as_deref().unwrap_or(""),
        );
        let body = self.execute(op, &endpoint, &params, idempotent, attempt_limit).instrument(span.clone()).await?;
        serde_json::from_slice(&body.body).map_err(|e| {
            let e = json_error_message(&e);
            let _entered = span.enter();
            let request_id = body.request_id.as_deref().unwrap_or("");
            tracing::warn!(error = %e, request_id, "response body did not match the model");
            let first = body.body.iter().find(|b| !b.is_ascii_whitespace());
            let message = if first.is_none() {
                format!("{} response body is empty, expected JSON", op.action)
            } else if first == Some(&b'<') {
                format!("{} response is XML or HTML, expected JSON", op.action)
            } else {
                format!("{} response does not match the model: {e}", op.action)
            };
            decode_error(&message, body.status, &body.body)
        })
    }

    async fn execute(
        &self,
        op: &Operation,
        endpoint: &str,
        params: &[(String, String)],
        idempotent: bool,
        attempt_limit: Option<AttemptLimit>,
    ) -> Result<RawResponse, Error> {
        let config = self.config();
        let max_attempts = config.retry().max_attempts.max(1);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // One span per attempt: each of its fields is recorded once (a subscriber such as tracing-subscriber's
            // fmt layer appends every `record`, so re-recording a field of the call span repeated it on each line).
            let span = tracing::info_span!("acs.attempt", attempt, request_id = tracing::field::Empty);
            let credentials = config.credentials_provider().provide_credentials().instrument(span.clone()).await?;
            let signed = request::build(
                config.signature_version(),
                op,
                endpoint,
                params,
                &credentials,
                &request::now_timestamp(),
                &request::new_nonce()?,
            )?;
            let sent = self.send_attempt(op, &signed, attempt_limit).instrument(span.clone()).await;
            let next = span.in_scope(|| {
                let (error, failure, retry_after) = match classify(sent, &signed) {
                    Ok(resp) => {
                        tracing::debug!(status = resp.status, "call succeeded");
                        return Next::Done(resp);
                    }
                    Err(failed) => failed,
                };
                let retryable = retry::is_retryable(&error, failure, idempotent);
                if !retryable || attempt >= max_attempts {
                    tracing::debug!(error = %error, retryable, "call failed");
                    return Next::Fail(error);
                }
                let wait = retry::backoff(config.retry(), attempt, retry_after, retry::random_unit());
                let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                tracing::info!(error = %error, wait_ms, "retrying");
                Next::Retry(wait)
            });
            match next {
                Next::Done(resp) => return Ok(resp),
                Next::Fail(error) => return Err(error),
                Next::Retry(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// One attempt, bounded by the attempt timeout when there is one.
    async fn send_attempt(
        &self,
        op: &Operation,
        signed: &SignedRequest,
        attempt_limit: Option<AttemptLimit>,
    ) -> Result<RawResponse, (Error, Failure)> {
        let Some(AttemptLimit { limit, per_call }) = attempt_limit else {
            return self.send(op, signed).await;
        };
        match tokio::time::timeout(limit, self.send(op, signed)).await {
            Ok(result) => result,
            Err(_) => {
                let source = if per_call { "the call's attempt_timeout" } else { "attempt_timeout" };
                let message = format!("{} attempt took longer than {source} ({limit:?})", op.action);
                // The request may have been sent: retried only when idempotent.
                Err((Error::timeout(TimeoutKind::Attempt, message), Failure::Other))
            }
        }
    }

    async fn send(&self, op: &Operation, signed: &SignedRequest) -> Result<RawResponse, (Error, Failure)> {
        let method = match signed.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut req = self.inner.http.request(method, &signed.url);
        for (k, v) in &signed.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if signed.method == Method::Post {
            req = req.body(signed.body.clone());
        }
        let resp = req.send().await.map_err(|e| map_reqwest_error(e, op, self.config()))?;
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let request_id = header("x-acs-request-id");
        let retry_after = header("x-acs-retry-after").and_then(|v| retry::parse_retry_after(&v));
        let limit = self.config().max_response_bytes();
        let body = read_limited(resp, limit).await.map_err(|e| match e {
            BodyError::TooLarge => {
                tracing::warn!(status, limit, "response body larger than max_response_bytes");
                (Error::ResponseTooLarge { action: op.action.to_owned(), limit, status }, Failure::Other)
            }
            BodyError::Read(e) => map_reqwest_error(e, op, self.config()),
        })?;
        Ok(RawResponse { status, request_id, retry_after, body })
    }
}

/// What the call loop does after an attempt.
enum Next {
    /// The attempt succeeded.
    Done(RawResponse),
    /// The attempt failed and is not retried.
    Fail(Error),
    /// The attempt failed and is retried after this wait.
    Retry(Duration),
}

/// Sorts the outcome of one attempt into a successful response or an error (with its retry class and the server's
/// `x-acs-retry-after`), and records the request id on the current (attempt) span, once: the error body's, else the
/// `x-acs-request-id` header's.
fn classify(
    sent: Result<RawResponse, (Error, Failure)>,
    signed: &SignedRequest,
) -> Result<RawResponse, (Error, Failure, Option<Duration>)> {
    let resp = sent.map_err(|(error, failure)| (error, failure, None))?;
    let record = |id: Option<&str>| {
        if let Some(id) = id {
            tracing::Span::current().record("request_id", id);
        }
    };
    if (200..300).contains(&resp.status) && !is_error_in_success_body(&resp.body) {
        record(resp.request_id.as_deref());
        return Ok(resp);
    }
    let mut error = parse_error_body(resp.status, &resp.body, resp.request_id.as_deref());
    if let Error::Service(e) = &mut error {
        if e.code == "SignatureDoesNotMatch" || e.code == "IncompleteSignature" {
            e.client_string_to_sign = Some(redact_string_to_sign(&signed.string_to_sign));
        }
    }
    record(error.request_id().or(resp.request_id.as_deref()));
    Err((error, Failure::Other, resp.retry_after))
}

/// The endpoint region of a call: the request's non-empty `RegionId`, else the call option, else the config's.
fn call_region(param: Option<&str>, option: Option<&str>, config: Option<&str>) -> Option<String> {
    [param, option, config].into_iter().flatten().map(str::trim).find(|r| !r.is_empty()).map(str::to_owned)
}

/// Maps a reqwest error to an error naming the action, the endpoint's `host:port` and the root cause once (never
/// the URL: a V1 GET URL carries the signature and the security token). The only timeouts reqwest enforces here are
/// the connect and read timeouts (the attempt timeout is ours).
fn map_reqwest_error(e: reqwest::Error, op: &Operation, config: &Config) -> (Error, Failure) {
    let failure = if e.is_connect() { Failure::Connect } else { Failure::Other };
    let host = e.url().and_then(transport::host_port).unwrap_or_else(|| "the endpoint".to_owned());
    let e = e.without_url();
    let action = op.action;
    if e.is_timeout() {
        return if failure == Failure::Connect {
            let message = format!(
                "{action}: connecting to {host} took longer than connect_timeout ({:?})",
                config.connect_timeout()
            );
            (Error::timeout(TimeoutKind::Connect, message), failure)
        } else {
            let message = format!("{action}: no data from {host} for read_timeout ({:?})", config.read_timeout());
            (Error::timeout(TimeoutKind::Read, message), failure)
        };
    }
    let cause = transport::root_cause(&e);
    let message = if failure == Failure::Connect {
        format!("{action}: could not connect to {host}: {cause}")
    } else if e.is_body() || e.is_decode() {
        format!("{action}: could not read the response from {host}: {cause}")
    } else {
        format!("{action}: could not send the request to {host}: {cause}")
    };
    (Error::Transport { message, cause: Some(Box::new(e)) }, failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_precedence() {
        assert_eq!(call_region(Some("cn-a"), Some("cn-b"), Some("cn-c")).as_deref(), Some("cn-a"));
        assert_eq!(call_region(Some(""), Some("cn-b"), Some("cn-c")).as_deref(), Some("cn-b"));
        assert_eq!(call_region(None, None, Some("cn-c")).as_deref(), Some("cn-c"));
        assert_eq!(call_region(None, None, None), None);
    }

    #[test]
    fn default_region_prefers_the_call_options() {
        let config = Config::builder().region("cn-c").static_credentials("id", "secret").build().unwrap();
        let client = Client::new(config).unwrap();
        let options = |region: &str| CallOptions { region: Some(region.to_owned()), ..CallOptions::default() };
        assert_eq!(client.default_region(&options("cn-b")).as_deref(), Some("cn-b"));
        assert_eq!(client.default_region(&options(" ")).as_deref(), Some("cn-c"));
        assert_eq!(client.default_region(&CallOptions::default()).as_deref(), Some("cn-c"));
        let unset = Client::new(Config::builder().static_credentials("id", "secret").build().unwrap()).unwrap();
        assert_eq!(unset.default_region(&CallOptions::default()), None);
    }

    #[test]
    fn errors_and_client_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<Client>();
        assert_send_sync::<Config>();
    }
}
