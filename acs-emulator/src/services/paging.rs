//! Pagination shared by the ECS, OOS and KMS handlers: `PageNumber`/`PageSize` and `NextToken`/`MaxResults`.
//!
//! A `NextToken` is an opaque Base64 of the offset of the next item; lists are sorted before paging, so a token
//! stays valid while items are only appended.

use crate::error::ApiError;
use crate::params::Params;
use base64::Engine as _;
use serde_json::{Map, Value};

/// Which page the caller asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Legacy `PageNumber` (1-based) and `PageSize`.
    Numbered {
        /// 1-based page number.
        number: usize,
        /// Items per page.
        size: usize,
    },
    /// `NextToken` (offset) and `MaxResults`.
    Token {
        /// Offset of the first item.
        offset: usize,
        /// Items per page.
        max: usize,
    },
}

/// One page of items and what the response says about the listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// All matching items (before paging).
    pub total: usize,
    /// The token of the next page, when there is one.
    pub next_token: Option<String>,
    /// The page number (numbered mode; 1 in token mode).
    pub number: usize,
    /// The page size or `MaxResults`.
    pub size: usize,
}

/// A paging error: HTTP 403 for ECS's `InvalidParam.*` codes (as `operations.json` documents
/// `InvalidParam.PageNumber`/`InvalidParam.PageSize`), HTTP 400 for the other services' `InvalidParameter*`.
fn paging_error(code: &str, message: String) -> ApiError {
    let status = if code.starts_with("InvalidParam.") { 403 } else { 400 };
    ApiError::new(status, code, message)
}

fn bounded(params: &Params, name: &str, min: i64, max: i64, code: &str) -> Result<Option<usize>, ApiError> {
    let value = params.int(name).map_err(|_| paging_error(code, format!("{name} must be an integer.")))?;
    match value {
        Some(v) if v < min || v > max => {
            Err(paging_error(code, format!("{name} must be between {min} and {max}, got {v}.")))
        }
        Some(v) => Ok(usize::try_from(v).ok()),
        None => Ok(None),
    }
}

fn decode_token(token: &str) -> Result<usize, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::bad_request("InvalidParameter.NextToken", "The specified NextToken is invalid."))
}

fn encode_token(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

impl Page {
    /// ECS style: `NextToken`/`MaxResults` when either is given, else `PageNumber`/`PageSize`
    /// (both default 10, at most 50 for `MaxResults` and 100 for `PageSize`).
    pub fn ecs(params: &Params) -> Result<Page, ApiError> {
        if params.non_empty("NextToken").is_some() || params.non_empty("MaxResults").is_some() {
            Page::token(params, 10, 1, 50, "InvalidParam.MaxResults")
        } else {
            Page::numbered(params, 10, 100, "InvalidParam.PageNumber", "InvalidParam.PageSize")
        }
    }

    /// `PageNumber` ≥ 1 (default 1) and `PageSize` in `1..=max_size` (default `default_size`).
    pub fn numbered(
        params: &Params,
        default_size: usize,
        max_size: usize,
        number_code: &str,
        size_code: &str,
    ) -> Result<Page, ApiError> {
        let number = bounded(params, "PageNumber", 1, i64::from(u32::MAX), number_code)?.unwrap_or(1);
        let size = bounded(params, "PageSize", 1, max_size as i64, size_code)?.unwrap_or(default_size);
        Ok(Page::Numbered { number, size })
    }

    /// `NextToken` and `MaxResults` in `min..=max` (default `default_max`).
    pub fn token(params: &Params, default_max: usize, min: usize, max: usize, code: &str) -> Result<Page, ApiError> {
        let max = bounded(params, "MaxResults", min as i64, max as i64, code)?.unwrap_or(default_max);
        let offset = match params.non_empty("NextToken") {
            Some(token) => decode_token(token)?,
            None => 0,
        };
        Ok(Page::Token { offset, max })
    }

    /// Cuts this page out of `items` (already filtered and sorted).
    pub fn take<T>(&self, items: Vec<T>) -> (Vec<T>, PageInfo) {
        let total = items.len();
        let (start, size, number) = match *self {
            Page::Numbered { number, size } => (number.saturating_sub(1).saturating_mul(size), size, number),
            Page::Token { offset, max } => (offset, max, 1),
        };
        let end = start.saturating_add(size).min(total);
        let next_token = match self {
            Page::Token { .. } if end < total => Some(encode_token(end)),
            _ => None,
        };
        let page = items.into_iter().skip(start).take(size).collect();
        (page, PageInfo { total, next_token, number, size })
    }
}

impl PageInfo {
    /// Adds `TotalCount`, `PageNumber`, `PageSize` and (when there is a next page) `NextToken` to `body`.
    pub fn write_ecs(&self, body: &mut Map<String, Value>) {
        body.insert("TotalCount".into(), Value::from(self.total));
        body.insert("PageNumber".into(), Value::from(self.number));
        body.insert("PageSize".into(), Value::from(self.size));
        body.insert("NextToken".into(), Value::from(self.next_token.clone().unwrap_or_default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn tokens_walk_every_item_exactly_once() {
        let items: Vec<u32> = (0..23).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut pairs = vec![("MaxResults", "10".to_owned())];
            if let Some(t) = &token {
                pairs.push(("NextToken", t.clone()));
            }
            let p = Params::from_pairs(pairs);
            let Ok(page) = Page::ecs(&p) else { panic!("valid paging parameters rejected") };
            let (chunk, info) = page.take(items.clone());
            assert_eq!(info.total, 23);
            seen.extend(chunk);
            match info.next_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn numbered_pages_and_limits() {
        let page = Page::ecs(&params(&[("PageNumber", "3"), ("PageSize", "2")])).map_err(|e| e.code);
        assert_eq!(page, Ok(Page::Numbered { number: 3, size: 2 }));
        let (chunk, info) = Page::Numbered { number: 3, size: 2 }.take((0..5).collect::<Vec<u32>>());
        assert_eq!(chunk, vec![4]);
        assert_eq!(info.next_token, None);
        let err = Page::ecs(&params(&[("PageSize", "0")])).err().map(|e| (e.status, e.code));
        assert_eq!(err, Some((403, "InvalidParam.PageSize".to_owned())));
        let err = Page::ecs(&params(&[("MaxResults", "51")])).err().map(|e| (e.status, e.code));
        assert_eq!(err, Some((403, "InvalidParam.MaxResults".to_owned())));
        let err = Page::numbered(&params(&[("PageSize", "0")]), 10, 100, "InvalidParameter", "InvalidParameter");
        assert_eq!(err.err().map(|e| (e.status, e.code)), Some((400, "InvalidParameter".to_owned())));
        let err = Page::ecs(&params(&[("NextToken", "garbage!")])).err().map(|e| e.code);
        assert_eq!(err.as_deref(), Some("InvalidParameter.NextToken"));
    }
}
