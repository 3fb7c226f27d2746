use crate::error::AppError;
use leptos::prelude::*;

/// The outcome of a form's server action: the error in a live region, or a confirmation.
#[component]
pub fn ActionMessage<T: Clone + Send + Sync + 'static>(
    /// The action's `value()`, read through a closure (`move || action.value().get()`).
    value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    #[prop(optional, into)] success: Option<String>,
) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || match value() {
                Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                Some(Ok(_)) => success.clone().map(|m| view! { <p class="form-success" role="status">{m}</p> }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// `true` once the page runs in the browser (after hydration); `false` on the server and when
/// JavaScript is off. Buttons that only work with WebAssembly are disabled until then.
pub fn interactive() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    ready
}

/// Said where a form needs JavaScript, to visitors who have it off (rendered as raw HTML inside
/// `<noscript>`: with JavaScript on, the browser keeps it as text that hydration must not walk).
#[component]
pub fn NeedsJavaScript(what: &'static str) -> impl IntoView {
    let html = format!(
        "<p class=\"notice small\">{} demande JavaScript : activez-le dans votre navigateur pour l'utiliser.</p>",
        crate::ui::escape::escape(what)
    );
    view! { <noscript inner_html=html></noscript> }
}
