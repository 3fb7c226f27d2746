//! « Précédents / Suivants » under search results whose query is in the address: the links
//! keep the query's fields (`keys`) and change the page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResultsPager(page: usize, total: usize, size: usize, keys: &'static [&'static str]) -> impl IntoView {
    let pages = total.div_ceil(size.max(1)).max(1);
    let link = move |to: usize| {
        let q = use_query_map().read_untracked().clone();
        let mut parts: Vec<String> = keys
            .iter()
            .filter_map(|k| q.get(k).map(|v| format!("{k}={}", urlencode(&v))))
            .collect();
        parts.push(format!("page={to}"));
        format!("?{}", parts.join("&"))
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages de résultats">
                {(page > 1).then(|| view! { <a href=link(page - 1)>"← Précédents"</a> })}
                <span>{format!("Page {page} sur {pages}")}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1)>"Suivants →"</a> })}
            </nav>
        }
    })
}

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
