//! Pagination for the three styles (`NextToken`, `PageNumber`/`PageSize`, `Marker`/`IsTruncated`): a stream of
//! items, one page fetched at a time.
//!
//! ```
//! use acs_core::paginate::{paginate, next_page_number, Page};
//! use futures::TryStreamExt;
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let all: Vec<i64> = paginate(|page: Option<i64>| async move {
//!     let n = page.unwrap_or(1);
//!     Ok(Page { items: vec![n * 10, n * 10 + 1], next: next_page_number(n, 2, 5) })
//! })
//! .try_collect()
//! .await?;
//! assert_eq!(all, [10, 11, 20, 21, 30, 31]);
//! # Ok::<_, acs_core::Error>(()) }).unwrap();
//! ```

use crate::Error;
use futures::Stream;
use std::collections::VecDeque;
use std::future::Future;

/// One page of results and the cursor of the next page, if any.
#[derive(Clone, Debug)]
pub struct Page<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor to fetch the next page with; `None` on the last page.
    pub next: Option<C>,
}

enum State<C> {
    Start,
    Next(C),
    Done,
}

/// Calls `fetch(None)`, then `fetch(Some(next))` while a next cursor is returned; yields every item.
/// An error is yielded once and ends the stream. Pages are fetched lazily, one at a time, as items are consumed.
/// The stream is not `Unpin`: `try_collect` works directly; for `.next()` pin it first (`Box::pin` or `pin!`).
pub fn paginate<T, C, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>> + Send
where
    T: Send,
    C: Send,
    F: FnMut(Option<C>) -> Fut + Send,
    Fut: Future<Output = Result<Page<T, C>, Error>> + Send,
{
    futures::stream::unfold((fetch, State::Start, VecDeque::new()), |(mut fetch, mut state, mut buffer)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (fetch, state, buffer)));
            }
            let cursor = match std::mem::replace(&mut state, State::Done) {
                State::Done => return None,
                State::Start => None,
                State::Next(c) => Some(c),
            };
            match fetch(cursor).await {
                Ok(page) => {
                    buffer.extend(page.items);
                    if let Some(next) = page.next {
                        state = State::Next(next);
                    }
                }
                Err(e) => return Some((Err(e), (fetch, State::Done, VecDeque::new()))),
            }
        }
    })
}

/// `NextToken` style: the next token, or `None` when it is absent or empty.
pub fn next_token(token: Option<String>) -> Option<String> {
    token.filter(|t| !t.is_empty())
}

/// `PageNumber` style: the next page number while `page_number * page_size < total_count`.
pub fn next_page_number(page_number: i64, page_size: i64, total_count: i64) -> Option<i64> {
    if page_size <= 0 || page_number <= 0 {
        return None;
    }
    (page_number.saturating_mul(page_size) < total_count).then_some(page_number + 1)
}

/// `Marker` style: the marker while `IsTruncated` is true and the marker non-empty.
pub fn next_marker(is_truncated: Option<bool>, marker: Option<String>) -> Option<String> {
    if is_truncated == Some(true) {
        marker.filter(|m| !m.is_empty())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn cursor_helpers() {
        assert_eq!(next_token(None), None);
        assert_eq!(next_token(Some(String::new())), None);
        assert_eq!(next_token(Some("t".into())).as_deref(), Some("t"));
        assert_eq!(next_page_number(1, 10, 25), Some(2));
        assert_eq!(next_page_number(3, 10, 25), None);
        assert_eq!(next_page_number(2, 10, 20), None);
        assert_eq!(next_page_number(1, 0, 20), None);
        assert_eq!(next_marker(Some(true), Some("m".into())).as_deref(), Some("m"));
        assert_eq!(next_marker(Some(false), Some("m".into())), None);
        assert_eq!(next_marker(Some(true), Some(String::new())), None);
        assert_eq!(next_marker(None, Some("m".into())), None);
    }

    #[tokio::test]
    async fn token_pages_and_error_stops() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let items: Vec<Result<u32, Error>> = paginate(move |tok: Option<String>| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                match tok.as_deref() {
                    None => Ok(Page { items: vec![1, 2], next: Some("a".to_owned()) }),
                    Some("a") => Ok(Page { items: vec![], next: Some("b".to_owned()) }),
                    Some("b") => Ok(Page { items: vec![3], next: Some("c".to_owned()) }),
                    _ => Err(Error::Config("boom".into())),
                }
            }
        })
        .collect()
        .await;
        assert_eq!(items.len(), 4);
        assert_eq!(items[..3].iter().map(|r| *r.as_ref().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(items[3].is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }
}
