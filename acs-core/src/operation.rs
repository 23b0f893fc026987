//! Static descriptions of services and operations: API versions, HTTP method, read/write kind, body parameters.

/// Which signature the client uses. Default V3 (`ACS3-HMAC-SHA256`); V1 is `HMAC-SHA1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureVersion {
    /// `HMAC-SHA1`, protocol parameters in the query or form body.
    V1,
    /// `ACS3-HMAC-SHA256`, protocol values in `x-acs-*` headers.
    #[default]
    V3,
}

/// Public or VPC endpoints (PROTOCOL.md §7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Network {
    /// Internet endpoints such as `ecs.cn-beijing.aliyuncs.com`.
    #[default]
    Public,
    /// VPC endpoints such as `ecs-vpc.cn-beijing.aliyuncs.com`.
    Vpc,
}

/// The services this SDK talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// Elastic Compute Service, API `2014-05-26`.
    Ecs,
    /// Resource Access Management, API `2015-05-01`.
    Ram,
    /// Operation Orchestration Service, API `2019-06-01`.
    Oos,
    /// Key Management Service, API `2016-01-20`.
    Kms,
    /// Security Token Service, API `2015-04-01`.
    Sts,
}

impl Service {
    /// The API version sent as `Version` / `x-acs-version`.
    pub const fn api_version(self) -> &'static str {
        match self {
            Service::Ecs => "2014-05-26",
            Service::Ram => "2015-05-01",
            Service::Oos => "2019-06-01",
            Service::Kms => "2016-01-20",
            Service::Sts => "2015-04-01",
        }
    }

    /// The product code, which is also the first label of the endpoint host (`ecs`, `ram`, ...).
    pub const fn product_code(self) -> &'static str {
        match self {
            Service::Ecs => "ecs",
            Service::Ram => "ram",
            Service::Oos => "oos",
            Service::Kms => "kms",
            Service::Sts => "sts",
        }
    }
}

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Every parameter in the query string.
    Get,
    /// Form body (V1) or query plus form body per parameter position (V3).
    Post,
}

impl Method {
    /// The method name in upper case, as signed.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Whether an operation only reads (safe to retry on `InternalError`) or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationKind {
    /// `Describe*`, `List*`, `Get*`: repeating it changes nothing.
    Read,
    /// Anything else: retried on `InternalError` only when it carries a `ClientToken`.
    Write,
}

/// Static description of one API operation.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The service it belongs to.
    pub service: Service,
    /// The action name, e.g. `RunCommand`.
    pub action: &'static str,
    /// HTTP method; `Post` for every operation of this SDK.
    pub method: Method,
    /// Read or write, for the retry policy.
    pub kind: OperationKind,
    /// Wire names (top-level prefixes) sent in the form body under V3, e.g. `&["SecretData"]`.
    pub body_params: &'static [&'static str],
}

impl Operation {
    /// A `POST` operation without body parameters.
    pub const fn new(service: Service, action: &'static str, kind: OperationKind) -> Self {
        Operation { service, action, method: Method::Post, kind, body_params: &[] }
    }

    /// The same operation with these top-level parameters sent in the form body under V3.
    pub const fn with_body_params(self, names: &'static [&'static str]) -> Self {
        Operation { body_params: names, ..self }
    }

    /// The same operation with another HTTP method.
    pub const fn with_method(self, method: Method) -> Self {
        Operation { method, ..self }
    }

    /// Whether the parameter `name` (e.g. `SecretData` or `Tag.1.Key`) belongs in the V3 form body.
    pub fn is_body_param(&self, name: &str) -> bool {
        self.body_params
            .iter()
            .any(|p| name == *p || (name.len() > p.len() && name.starts_with(p) && name.as_bytes()[p.len()] == b'.'))
    }
}
