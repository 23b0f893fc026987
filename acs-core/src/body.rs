//! Reading response bodies with a size limit, so that a broken proxy or a hostile endpoint cannot make the client
//! buffer gigabytes.

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the limit (announced by `Content-Length`, or counted while streaming).
    TooLarge,
    /// The connection failed or timed out while reading.
    Read(reqwest::Error),
}

/// At most this much is reserved up front from a `Content-Length`; the rest grows as bytes arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Reads the whole body of `response`: at most `limit` bytes. A `Content-Length` above the limit fails before
/// anything is read; without one (chunked bodies), or when it is wrong, the bytes are counted as they arrive and
/// the read stops at the first chunk that crosses the limit. A body of exactly `limit` bytes is accepted.
pub(crate) async fn read_limited(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let reserve = announced.unwrap_or(0).min(limit).min(MAX_PREALLOCATION);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        let total = u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
        if total > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
