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

/// What a page cursor is: an opaque token (`NextToken`, `Marker`) or a page number. It decides what a page without
/// items means.
///
/// - Tokens and markers: the service decides. ECS with filters or RAM lists can return an empty page followed by
///   more results, so an empty page with a next cursor does not end the paging.
/// - Page numbers: an empty page is past the end (a `TotalCount` that went stale while paging, a service ignoring
///   the page asked for), so it ends the paging even when `PageNumber * PageSize < TotalCount`.
pub trait PageCursor {
    /// Whether a page without items is the last one, whatever cursor it hands out.
    const EMPTY_PAGE_IS_LAST: bool;
}

impl PageCursor for String {
    const EMPTY_PAGE_IS_LAST: bool = false;
}

macro_rules! page_number_cursor {
    ($($t:ty),*) => {$(
        impl PageCursor for $t {
            const EMPTY_PAGE_IS_LAST: bool = true;
        }
    )*};
}
page_number_cursor!(i32, i64, u32, u64);

/// How many pages without items in a row (each handing out a new cursor) a [`Paginator`] accepts before it gives
/// up with [`Error::Pagination`] rather than paging forever.
pub const MAX_CONSECUTIVE_EMPTY_PAGES: usize = 100;

/// A request type that pages: how to send it, how to ask for the page after a cursor, where the next cursor and
/// the items of a response are. Implemented by the generated code of every paged operation.
pub trait PagedRequest: Clone + Send + Sized + 'static {
    /// The response of one page.
    type Response: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// What identifies the next page (`NextToken`, `Marker` or a page number); compared with the cursors already
    /// used so that a service handing one out again cannot make the paginator loop. A `String` is a token, an
    /// integer a page number (see [`PageCursor`]).
    type Cursor: PageCursor + Clone + PartialEq + Send + 'static;

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

/// Pages through a paged operation, one request per page, fetched lazily as the stream is consumed.
///
/// When the paging ends:
/// - `NextToken` style: when the token is absent, empty or one already used;
/// - `Marker` style: when `IsTruncated` is not true, or the marker is empty or one already used;
/// - `PageNumber` style: when `PageNumber * PageSize >= TotalCount`, at a page without items, or at a page number
///   already asked for.
///
/// With tokens and markers, a page without items does not end the paging (services return empty pages followed by
/// more results); after [`MAX_CONSECUTIVE_EMPTY_PAGES`] empty pages in a row the stream ends with
/// [`Error::Pagination`]. A service repeating or cycling its cursors cannot make it loop forever.
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

    /// Every page (the whole response, empty pages included). `Unpin`: `.next()` works without pinning.
    pub fn pages(self) -> impl Stream<Item = Result<R::Response, Error>> + Send + Unpin {
        self.stream(|response| vec![response])
    }

    fn stream<T: Send + 'static>(
        self,
        into_items: fn(R::Response) -> Vec<T>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + Unpin {
        let Paginator { client, request, options } = self;
        let mut used: Vec<R::Cursor> = Vec::new();
        // The cursor of `paginate` carries how many empty pages came in a row before the page it asks for.
        Box::pin(paginate(move |cursor: Option<(R::Cursor, usize)>| {
            let mut request = request.clone();
            let mut repeated = false;
            let mut empty_run = 0;
            if let Some((cursor, run)) = cursor {
                empty_run = run;
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
                let next = if empty && <R::Cursor as PageCursor>::EMPTY_PAGE_IS_LAST {
                    None
                } else {
                    request.next_cursor(&response)
                };
                let empty_run = if empty { empty_run + 1 } else { 0 };
                let next = match next {
                    Some(_) if empty_run >= MAX_CONSECUTIVE_EMPTY_PAGES => {
                        tracing::warn!(
                            empty_pages = empty_run,
                            "the service keeps returning empty pages; paging stops"
                        );
                        return Err(Error::Pagination(format!(
                            "the service returned {empty_run} pages without items in a row, each with a next page \
                             cursor; paging stopped rather than continue indefinitely"
                        )));
                    }
                    next => next.map(|n| (n, empty_run)),
                };
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
    async fn a_page_number_paginator_stops_at_an_empty_page() {
        use futures::TryStreamExt;
        // Page 9 is empty although the cursor says page 10 exists: with page numbers, that is past the end.
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

    #[derive(Clone, Copy, Debug)]
    enum Style {
        Token,
        Marker,
    }

    /// A `NextToken` or `Marker` service serving `pages` in order: page `i` is asked for with the cursor `c{i}`;
    /// every page but the last hands out the next cursor (`IsTruncated=true` with a marker, or a token).
    #[derive(Clone, Debug)]
    struct ScriptedRequest {
        style: Style,
        cursor: Option<String>,
        pages: Arc<Vec<Vec<u32>>>,
        calls: Arc<AtomicUsize>,
    }

    #[derive(Debug)]
    struct ScriptedResponse {
        items: Vec<u32>,
        next_token: Option<String>,
        is_truncated: Option<bool>,
        marker: Option<String>,
    }

    impl ScriptedRequest {
        fn new(style: Style, pages: Vec<Vec<u32>>) -> Self {
            ScriptedRequest { style, cursor: None, pages: Arc::new(pages), calls: Arc::default() }
        }
    }

    impl PagedRequest for ScriptedRequest {
        type Response = ScriptedResponse;
        type Item = u32;
        type Cursor = String;

        async fn send(_client: Client, request: Self, _options: CallOptions) -> Result<ScriptedResponse, Error> {
            request.calls.fetch_add(1, Ordering::SeqCst);
            let index = match request.cursor.as_deref() {
                None => 0,
                Some(c) => c.trim_start_matches('c').parse::<usize>().map_err(|e| Error::Config(e.to_string()))?,
            };
            let items = request.pages.get(index).cloned().ok_or_else(|| Error::Config(format!("no page {index}")))?;
            let more = index + 1 < request.pages.len();
            let next = format!("c{}", index + 1);
            Ok(match request.style {
                Style::Token => ScriptedResponse {
                    items,
                    next_token: Some(if more { next } else { String::new() }),
                    is_truncated: None,
                    marker: None,
                },
                // A finished Marker listing may still echo a marker: `IsTruncated` decides.
                Style::Marker => {
                    ScriptedResponse { items, next_token: None, is_truncated: Some(more), marker: Some(next) }
                }
            })
        }

        fn set_cursor(&mut self, cursor: String) {
            self.cursor = Some(cursor);
        }

        fn next_cursor(&self, response: &ScriptedResponse) -> Option<String> {
            let next = match self.style {
                Style::Token => next_token(response.next_token.clone()),
                Style::Marker => next_marker(response.is_truncated, response.marker.clone()),
            };
            next.filter(|n| self.cursor.as_ref() != Some(n))
        }

        fn items_mut(response: &mut ScriptedResponse) -> Option<&mut Vec<u32>> {
            Some(&mut response.items)
        }
    }

    async fn collect_items(request: ScriptedRequest) -> Result<Vec<u32>, Error> {
        use futures::TryStreamExt;
        Paginator::new(client(), request, CallOptions::default()).items().try_collect().await
    }

    #[tokio::test]
    async fn tokens_and_markers_continue_past_empty_pages() {
        for style in [Style::Token, Style::Marker] {
            let pages = vec![vec![1, 2], vec![], vec![], vec![3], vec![], vec![4, 5]];
            let request = ScriptedRequest::new(style, pages);
            let calls = request.calls.clone();
            assert_eq!(collect_items(request.clone()).await.unwrap(), [1, 2, 3, 4, 5], "{style:?}");
            assert_eq!(calls.load(Ordering::SeqCst), 6, "{style:?}");

            // `pages()` yields the empty pages too.
            use futures::TryStreamExt;
            let sizes: Vec<usize> = Paginator::new(client(), request, CallOptions::default())
                .pages()
                .map_ok(|page| page.items.len())
                .try_collect()
                .await
                .unwrap();
            assert_eq!(sizes, [2, 0, 0, 1, 0, 2], "{style:?}");
        }
    }

    #[tokio::test]
    async fn an_empty_first_page_with_a_cursor_is_not_the_end() {
        for style in [Style::Token, Style::Marker] {
            let request = ScriptedRequest::new(style, vec![vec![], vec![7]]);
            assert_eq!(collect_items(request).await.unwrap(), [7], "{style:?}");
        }
    }

    #[tokio::test]
    async fn an_empty_last_page_ends_the_paging() {
        for style in [Style::Token, Style::Marker] {
            let request = ScriptedRequest::new(style, vec![vec![1], vec![]]);
            let calls = request.calls.clone();
            assert_eq!(collect_items(request).await.unwrap(), [1], "{style:?}");
            assert_eq!(calls.load(Ordering::SeqCst), 2, "{style:?}");
        }
    }

    #[tokio::test]
    async fn endless_empty_pages_end_with_an_error_at_the_cap() {
        for style in [Style::Token, Style::Marker] {
            let pages = std::iter::once(vec![1]).chain(std::iter::repeat_n(Vec::new(), 500)).collect::<Vec<_>>();
            let request = ScriptedRequest::new(style, pages);
            let calls = request.calls.clone();
            let mut items = Paginator::new(client(), request, CallOptions::default()).items();
            assert_eq!(items.next().await.map(|r| r.ok()), Some(Some(1)), "{style:?}");
            match items.next().await {
                Some(Err(Error::Pagination(message))) => {
                    assert!(message.contains(&MAX_CONSECUTIVE_EMPTY_PAGES.to_string()), "{message}")
                }
                other => panic!("{style:?}: expected a pagination error, got {other:?}"),
            }
            assert!(items.next().await.is_none(), "{style:?}: the error ends the stream");
            assert_eq!(calls.load(Ordering::SeqCst), 1 + MAX_CONSECUTIVE_EMPTY_PAGES, "{style:?}");
        }
    }

    #[tokio::test]
    async fn empty_pages_up_to_the_cap_are_accepted() {
        // One page short of the cap, then items; and exactly the cap with the last one ending the listing.
        let short = std::iter::repeat_n(Vec::new(), MAX_CONSECUTIVE_EMPTY_PAGES - 1).chain([vec![9]]).collect();
        assert_eq!(collect_items(ScriptedRequest::new(Style::Token, short)).await.unwrap(), [9]);
        let exact = vec![Vec::new(); MAX_CONSECUTIVE_EMPTY_PAGES];
        assert!(collect_items(ScriptedRequest::new(Style::Marker, exact)).await.unwrap().is_empty());
        // Items reset the count: 99 empty pages, one item, 99 empty pages, one item.
        let reset: Vec<Vec<u32>> = (0..2)
            .flat_map(|i| std::iter::repeat_n(Vec::new(), MAX_CONSECUTIVE_EMPTY_PAGES - 1).chain([vec![i]]))
            .collect();
        assert_eq!(collect_items(ScriptedRequest::new(Style::Token, reset)).await.unwrap(), [0, 1]);
    }
}
