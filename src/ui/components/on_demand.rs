//! Forms drawn for one item of a long page at a time, when asked for. A link puts the item in
//! the page's address (`?repondre=12`); the server draws that item's form and only that one, so
//! it works without WebAssembly, and with it the router follows the link in place (same path:
//! no new page, no data fetched again). A page with a form on each of its 300 items took
//! Chromium seconds to load: as the document finishes parsing, every form field costs it a style
//! and layout pass (docs/architecture.md, « Forms repeated on a long page »).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Which item of the page has its forms drawn, from the page's address.
#[derive(Clone, Copy)]
pub struct OnDemand {
    /// The item whose forms are drawn, and under which key.
    open: Memo<Option<(&'static str, i64)>>,
    /// The page's address without the keys: what the links start from (the dossier's
    /// `?edition=interne` stays in them).
    page: StoredValue<String>,
    /// The item whose forms were just put away: its link takes the focus back.
    refocus: StoredValue<Option<(&'static str, i64)>>,
}

impl OnDemand {
    /// `keys`: the address's parameters that name an item (one item at a time, the first key
    /// found wins).
    pub fn new(keys: &'static [&'static str]) -> OnDemand {
        let query = use_query_map();
        let refocus = StoredValue::new(None);
        let open = Memo::new(move |before: Option<&Option<(&'static str, i64)>>| {
            let query = query.read();
            let now = keys
                .iter()
                .find_map(|key| Some((*key, query.get_str(key)?.parse::<i64>().ok()?)));
            // Put away (« Fermer », or the browser's back button): the link that drew them
            // takes the focus back, as the one that had it is gone.
            if let (Some(Some(was)), None) = (before, now) {
                refocus.set_value(Some(*was));
            }
            now
        });
        let mut kept = query.get_untracked();
        for key in keys {
            kept.remove(key);
        }
        let page = StoredValue::new(format!(
            "{}{}",
            use_location().pathname.get_untracked(),
            kept.to_query_string()
        ));
        OnDemand { open, page, refocus }
    }

    /// Whether this item has the forms of this key drawn.
    pub fn is_open(self, key: &'static str, id: i64) -> Memo<bool> {
        Memo::new(move |_| self.open.get() == Some((key, id)))
    }

    /// The link that draws an item's forms. The item stays in view: the router does not scroll
    /// (`data-noscroll` on the link); without WebAssembly, the page comes back from the server
    /// with the form's field in `autofocus`, which the browser scrolls to (and ignores when the
    /// address names an element: so no `#` here).
    fn open_href(self, key: &str, id: i64) -> String {
        let page = self.page.get_value();
        let separator = if page.contains('?') { '&' } else { '?' };
        format!("{page}{separator}{key}={id}")
    }

    /// The link that puts the forms away; without WebAssembly the page comes back at the item.
    fn close_href(self, anchor: &str) -> String {
        format!("{}#{anchor}", self.page.get_value())
    }
}

/// The link that draws an item's forms (`{key}-lien-{id}`). It takes the focus back when they
/// are put away.
#[component]
pub fn OpenLink(on: OnDemand, key: &'static str, id: i64, class: &'static str, children: Children) -> impl IntoView {
    let link = format!("{key}-lien-{id}");
    if on.refocus.get_value() == Some((key, id)) {
        on.refocus.set_value(None);
        focus_when_drawn(link.clone());
    }
    view! {
        <a id=link class=class href=on.open_href(key, id) data-noscroll="">{children()}</a>
    }
}

/// « Fermer »: puts the forms away, back to the item (`anchor`, its element's id).
#[component]
pub fn CloseLink(on: OnDemand, anchor: String) -> impl IntoView {
    view! { <a class="on-demand__close" href=on.close_href(&anchor) data-noscroll="">"Fermer"</a> }
}

/// A form drawn when asked for takes the focus, so that the keyboard is where the link was (the
/// link is gone). `autofocus` does the same when the page comes from the server.
pub fn focus_when_drawn(element: String) {
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        if let Some(element) = document().get_element_by_id(&element) {
            let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
}
