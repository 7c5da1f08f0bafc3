//! Searching with no signal. The service worker keeps the whole catalogue on
//! the device as its offline index (`/api/procedure-index`, a manifest, and its
//! few parts; see `keepIndex` in `sw.js`). When the catalogue cannot be reached,
//! the search is answered from that copy with the server's own rule
//! (`motcua_shared::search`), filtered and paged as the server does.
//!
//! The copy is read straight from the device's caches (not through `fetch`),
//! so it is only ever what was kept, never a half-fetched newer version.

use crate::api::{self, FetchError};
use motcua_shared::catalogue::{CatalogueIndex, FieldCount, IndexPart, ProcedureSummary, SearchPage};
use motcua_shared::search::{SearchKeys, SearchParams, rank, score};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const INDEX: &str = "/api/procedure-index";

/// A page of search results, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub page: SearchPage,
    /// From the copy kept on the device: the catalogue could not be reached.
    pub kept: bool,
}

/// The catalogue's answer; with no signal, the same search in the kept copy
/// (the network error stands when there is none).
pub async fn search(params: &SearchParams) -> Result<Results, FetchError> {
    match api::search(params).await {
        Err(FetchError::Network) => kept_search(params).await.map(|page| Results { page, kept: true }).ok_or(FetchError::Network),
        answer => answer.map(|page| Results { page, kept: false }),
    }
}

async fn kept_search(params: &SearchParams) -> Option<SearchPage> {
    let catalogue = kept_catalogue().await?;
    let mut fields = BTreeMap::<&str, u32>::new();
    for entry in catalogue.iter() {
        *fields.entry(&entry.summary.field).or_default() += 1;
    }
    let words = params.query_words();
    let matches = catalogue
        .iter()
        .filter(|e| {
            let p = &e.summary;
            params.level.is_none_or(|l| p.level == l)
                && params.online.is_none_or(|o| p.online == o)
                && params.field.as_ref().is_none_or(|f| *f == p.field)
                && score(&words, &e.keys).is_some()
        })
        .map(|e| (&e.summary, SearchKeys { code: e.keys.code.clone(), name: e.keys.name.clone(), text: e.keys.text.clone() }))
        .collect();
    let found = rank(&words, matches);
    Some(SearchPage {
        total: found.len() as u32,
        items: found.into_iter().skip(params.offset()).take(params.per_page as usize).cloned().collect(),
        page: params.page,
        per_page: params.per_page,
        fields: fields.into_iter().map(|(name, count)| FieldCount { name: name.to_owned(), count }).collect(),
    })
}

/// A kept procedure with its search keys, folded once per kept version.
struct Entry {
    summary: ProcedureSummary,
    keys: SearchKeys,
}

thread_local! {
    /// The last version read, so each search does not parse and fold it again.
    static READ: RefCell<Option<(u64, Rc<Vec<Entry>>)>> = const { RefCell::new(None) };
}

/// Every procedure of the kept index; `None` when none (or only part of one) is kept.
async fn kept_catalogue() -> Option<Rc<Vec<Entry>>> {
    let index: CatalogueIndex = serde_json::from_str(&kept_text(INDEX).await?).ok()?;
    let read = READ.with_borrow(|r| r.as_ref().filter(|(v, _)| *v == index.version).map(|(_, e)| e.clone()));
    if read.is_some() {
        return read;
    }
    let mut entries = Vec::new();
    for part in 0..index.parts {
        let part: IndexPart = serde_json::from_str(&kept_text(&format!("{INDEX}/{}/{part}", index.version)).await?).ok()?;
        entries.extend(part.items.into_iter().map(|summary| Entry {
            keys: SearchKeys::new(&summary.code, &summary.name, &summary.field, None),
            summary,
        }));
    }
    let entries = Rc::new(entries);
    READ.set(Some((index.version, entries.clone())));
    Some(entries)
}

/// The body of an answer kept in the device's caches (whichever holds it).
async fn kept_text(url: &str) -> Option<String> {
    // Only secure pages (and localhost) have `caches`.
    let caches = leptos::prelude::window().caches().ok().filter(|c| !c.is_undefined())?;
    let options = web_sys::CacheQueryOptions::new();
    options.set_ignore_vary(true);
    let found = JsFuture::from(caches.match_with_str_and_options(url, &options)).await.ok()?;
    let response = found.dyn_into::<web_sys::Response>().ok()?;
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}
