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
//!
//! The service clients' paginators are [`Paginator<R>`]: the generated code implements [`PagedRequest`] for each
//! paged request type (how to send it, where its cursor and items are) and gets `items()` / `pages()` from here.

use crate::{CallOptions, Client, Error};
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

/// A request type that pages: how to send it, how to ask for the page after a cursor, where the next cursor and
/// the items of a response are. Implemented by the generated code of every paged operation.
pub trait PagedRequest: Clone + Send + Sized + 'static {
    /// The response of one page.
    type Response: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// What identifies the next page (`NextToken`, `Marker` or a page number); compared with the cursors already
    /// used so that a service handing one out again cannot make the paginator loop.
    type Cursor: Clone + PartialEq + Send + 'static;

    /// Validates and sends one request (the operation's own `send()`).
    fn send(
        client: Client,
        request: Self,
        options: CallOptions,
    ) -> impl Future<Output = Result<Self::Response, Error>> + Send + 'static;

    /// Asks for the page after `cursor`.
    fn set_cursor(&mut self, cursor: Self::Cursor);

    /// The cursor of the page after `response` (sent for `self`), or `None` on the last page.
    fn next_cursor(&self, response: &Self::Response) -> Option<Self::Cursor>;

    /// The items of `response`, if the response holds the list at all.
    fn items_mut(response: &mut Self::Response) -> Option<&mut Vec<Self::Item>>;
}

/// Pages through a paged operation, one request per page, fetched lazily as the stream is consumed. A page without
/// items ends the paging, and so does a cursor that was already used (a service repeating or cycling its cursors,
/// or ignoring the page number asked for, cannot make it loop forever).
#[derive(Clone, Debug)]
pub struct Paginator<R> {
    client: Client,
    request: R,
    options: CallOptions,
}

impl<R: PagedRequest> Paginator<R> {
    /// Starts at the page `request` asks for (the first one unless its cursor is set).
    pub fn new(client: Client, request: R, options: CallOptions) -> Self {
        Paginator { client, request, options }
    }

    /// Every item of every page. `Unpin`: `.next()` works without pinning.
    pub fn items(self) -> impl Stream<Item = Result<R::Item, Error>> + Send + Unpin {
        self.stream(|mut response| R::items_mut(&mut response).map(std::mem::take).unwrap_or_default())
    }

    /// Every page (the whole response). `Unpin`: `.next()` works without pinning.
    pub fn pages(self) -> impl Stream<Item = Result<R::Response, Error>> + Send + Unpin {
        self.stream(|response| vec![response])
    }

    fn stream<T: Send + 'static>(
        self,
        into_items: fn(R::Response) -> Vec<T>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + Unpin {
        let Paginator { client, request, options } = self;
        let mut used: Vec<R::Cursor> = Vec::new();
        Box::pin(paginate(move |cursor: Option<R::Cursor>| {
            let mut request = request.clone();
            let mut repeated = false;
            if let Some(cursor) = cursor {
                repeated = used.contains(&cursor);
                used.push(cursor.clone());
                request.set_cursor(cursor);
            }
            let response = (!repeated).then(|| R::send(client.clone(), request.clone(), options.clone()));
            async move {
                let Some(response) = response else {
                    tracing::warn!("the service returned a page cursor that was already used; paging stops");
                    return Ok(Page { items: Vec::new(), next: None });
                };
                let mut response = response.await?;
                let empty = R::items_mut(&mut response).is_none_or(|items| items.is_empty());
                let next = if empty { None } else { request.next_cursor(&response) };
                Ok(Page { items: into_items(response), next })
            }
        }))
    }
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

    /// Pages of three numbers; the page after `n` is `n + 1`, up to `last`; page 9 is served empty with a cursor.
    #[derive(Clone, Debug, Default)]
    struct NumbersRequest {
        page: Option<i64>,
        last: i64,
    }

    #[derive(Debug, PartialEq)]
    struct NumbersResponse {
        page: i64,
        numbers: Vec<i64>,
    }

    impl PagedRequest for NumbersRequest {
        type Response = NumbersResponse;
        type Item = i64;
        type Cursor = i64;

        async fn send(_client: Client, request: Self, _options: CallOptions) -> Result<NumbersResponse, Error> {
            let page = request.page.unwrap_or(1);
            if page > request.last {
                return Err(Error::Config(format!("page {page} does not exist")));
            }
            let numbers = if page == 9 { Vec::new() } else { (0..3).map(|i| page * 10 + i).collect() };
            Ok(NumbersResponse { page, numbers })
        }

        fn set_cursor(&mut self, cursor: i64) {
            self.page = Some(cursor);
        }

        fn next_cursor(&self, response: &NumbersResponse) -> Option<i64> {
            Some(response.page + 1)
        }

        fn items_mut(response: &mut NumbersResponse) -> Option<&mut Vec<i64>> {
            Some(&mut response.numbers)
        }
    }

    fn client() -> Client {
        let config = crate::Config::builder().region("cn-hangzhou").static_credentials("id", "secret").build();
        Client::new(config.unwrap()).unwrap()
    }

    #[tokio::test]
    async fn paginator_items_and_pages_stop_at_an_empty_page() {
        use futures::TryStreamExt;
        let request = NumbersRequest { page: Some(7), last: 100 };
        let items: Vec<i64> =
            Paginator::new(client(), request.clone(), CallOptions::default()).items().try_collect().await.unwrap();
        assert_eq!(items, [70, 71, 72, 80, 81, 82]);
        let pages: Vec<NumbersResponse> =
            Paginator::new(client(), request, CallOptions::default()).pages().try_collect().await.unwrap();
        assert_eq!(pages.iter().map(|p| p.page).collect::<Vec<_>>(), [7, 8, 9]);
        assert!(pages[2].numbers.is_empty(), "the empty last page is yielded whole");
    }

    #[tokio::test]
    async fn paginator_yields_the_error_of_a_failing_page_then_ends() {
        let mut items =
            Paginator::new(client(), NumbersRequest { page: None, last: 2 }, CallOptions::default()).items();
        let mut got = Vec::new();
        while let Some(item) = items.next().await {
            got.push(item.map_err(|e| e.to_string()));
        }
        assert_eq!(got.len(), 7);
        assert_eq!(got[..6].iter().map(|r| *r.as_ref().unwrap()).collect::<Vec<_>>(), [10, 11, 12, 20, 21, 22]);
        assert!(got[6].as_ref().unwrap_err().contains("page 3"), "{:?}", got[6]);
    }

    /// A server whose cursors cycle (`a` → `b` → `a` ...) and that never sends an empty page.
    #[derive(Clone, Debug, Default)]
    struct CyclingRequest {
        token: Option<String>,
        calls: Arc<AtomicUsize>,
    }

    impl PagedRequest for CyclingRequest {
        type Response = (Vec<u32>, String);
        type Item = u32;
        type Cursor = String;

        async fn send(_client: Client, request: Self, _options: CallOptions) -> Result<(Vec<u32>, String), Error> {
            if request.calls.fetch_add(1, Ordering::SeqCst) >= 10 {
                return Err(Error::Config("the paginator kept asking for pages".into()));
            }
            let next = if request.token.as_deref() == Some("a") { "b" } else { "a" };
            Ok((vec![1], next.to_owned()))
        }

        fn set_cursor(&mut self, cursor: String) {
            self.token = Some(cursor);
        }

        fn next_cursor(&self, response: &(Vec<u32>, String)) -> Option<String> {
            next_token(Some(response.1.clone())).filter(|n| self.token.as_ref() != Some(n))
        }

        fn items_mut(response: &mut (Vec<u32>, String)) -> Option<&mut Vec<u32>> {
            Some(&mut response.0)
        }
    }

    #[tokio::test]
    async fn paginator_stops_when_a_cursor_comes_back() {
        use futures::TryStreamExt;
        let calls = Arc::new(AtomicUsize::new(0));
        let request = CyclingRequest { token: None, calls: calls.clone() };
        let items: Vec<u32> =
            Paginator::new(client(), request, CallOptions::default()).items().try_collect().await.unwrap();
        // pages: first, `a`, `b`; then `a` again is not requested.
        assert_eq!(items, [1, 1, 1]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
