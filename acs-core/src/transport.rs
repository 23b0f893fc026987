//! Plain-words descriptions of transport failures: the endpoint's `host:port` and the root cause of an HTTP
//! client error (e.g. `connection refused`), so that an error message says each thing once instead of repeating
//! the layers of the HTTP stack ("error sending request: client error (Connect): tcp connect error: ...").

use std::error::Error as StdError;
use std::io::ErrorKind;

/// `host:port` of `url` (the scheme's default port when the URL has none), e.g. `127.0.0.1:1` or `[::1]:8080`;
/// never the path or the query (a V1 URL carries the signature and the security token).
pub(crate) fn host_port(url: &reqwest::Url) -> Option<String> {
    Some(format!("{}:{}", url.host_str()?, url.port_or_known_default()?))
}

/// The root cause of `error` in a few words: the innermost I/O error of its source chain (`connection refused`,
/// `connection reset`, the OS message otherwise), else the innermost error's own message.
pub(crate) fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut innermost = error;
    let mut io = None;
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(io_error) = e.downcast_ref::<std::io::Error>() {
            io = Some(io_error);
        }
        innermost = e;
        current = e.source();
    }
    match io {
        Some(io) => io_cause(io),
        None => innermost.to_string(),
    }
}

/// An I/O error in a few words: a fixed phrase for the kinds a network call meets, else its message.
fn io_cause(e: &std::io::Error) -> String {
    let phrase = match e.kind() {
        ErrorKind::ConnectionRefused => "connection refused",
        ErrorKind::ConnectionReset => "connection reset by the server",
        ErrorKind::ConnectionAborted => "connection aborted",
        ErrorKind::NotConnected => "not connected",
        ErrorKind::BrokenPipe => "connection closed while sending (broken pipe)",
        ErrorKind::UnexpectedEof => "the server closed the connection",
        ErrorKind::TimedOut => "timed out",
        ErrorKind::AddrNotAvailable => "address not available",
        ErrorKind::HostUnreachable => "host unreachable",
        ErrorKind::NetworkUnreachable => "network unreachable",
        ErrorKind::PermissionDenied => "permission denied",
        _ => return e.to_string(),
    };
    phrase.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-layer error, as the HTTP stack builds them.
    #[derive(Debug)]
    struct Layer(&'static str, Option<std::io::Error>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Layer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_ref().map(|e| e as &(dyn StdError + 'static))
        }
    }

    #[test]
    fn the_innermost_io_error_names_the_cause() {
        let refused = Layer("tcp connect error", Some(std::io::Error::from(ErrorKind::ConnectionRefused)));
        assert_eq!(root_cause(&refused), "connection refused");
        let other = Layer("dns error", Some(std::io::Error::other("failed to lookup address information")));
        assert_eq!(root_cause(&other), "failed to lookup address information");
        assert_eq!(
            root_cause(&Layer("connection closed before message completed", None)),
            "connection closed before message completed"
        );
    }

    #[test]
    fn host_port_never_shows_the_path_or_query() {
        let url = reqwest::Url::parse("http://127.0.0.1:1/?Signature=s&SecurityToken=t").unwrap();
        assert_eq!(host_port(&url).as_deref(), Some("127.0.0.1:1"));
        let url = reqwest::Url::parse("https://ecs.cn-hangzhou.aliyuncs.com/").unwrap();
        assert_eq!(host_port(&url).as_deref(), Some("ecs.cn-hangzhou.aliyuncs.com:443"));
        let url = reqwest::Url::parse("http://[::1]:8080/").unwrap();
        assert_eq!(host_port(&url).as_deref(), Some("[::1]:8080"));
    }
}
