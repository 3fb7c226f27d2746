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
