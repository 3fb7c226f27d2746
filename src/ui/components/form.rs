use crate::error::{AppError, FieldProblem};
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

/// Runs `then` each time the action's server function answers with success, not when it
/// refuses: a refused form stays as typed, with its message.
pub fn on_success<A>(action: ServerAction<A>, then: impl Fn() + Send + Sync + 'static)
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|answer| matches!(answer, Some(Ok(_)))) {
            then();
        }
    });
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

/// Ties a refusal to the fields it names (`AppError::InvalidFields`): each field gets
/// `aria-invalid` and, through `aria-describedby`, the message shown under it.
#[derive(Clone, Copy)]
pub struct FieldErrors(Signal<Option<AppError>>);

impl FieldErrors {
    /// From an action's `value()`, read through a closure.
    pub fn of<T: Clone + Send + Sync + 'static>(
        value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    ) -> Self {
        FieldErrors(Signal::derive(move || value().and_then(Result::err)))
    }

    /// From problems found in the browser, as the form is filled.
    pub fn of_problems(problems: impl Fn() -> Vec<FieldProblem> + Send + Sync + 'static) -> Self {
        FieldErrors(Signal::derive(move || {
            let list = problems();
            (!list.is_empty()).then_some(AppError::InvalidFields(list))
        }))
    }

    fn message(self, field: &str) -> Option<String> {
        self.0.with(|e| e.as_ref()?.problem_with(field))
    }

    /// `aria-invalid="true"` while the field is refused, absent otherwise.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync {
        move || self.message(field).map(|_| "true")
    }

    /// The field's help (if any) and, while refused, its message.
    pub fn described_by(
        self,
        field: &'static str,
        help: Option<&'static str>,
    ) -> impl Fn() -> Option<String> + Copy + Send + Sync {
        move || {
            let error = self.message(field).map(|_| error_id(field));
            match (help, error) {
                (Some(h), Some(e)) => Some(format!("{h} {e}")),
                (Some(h), None) => Some(h.to_owned()),
                (None, e) => e,
            }
        }
    }
}

fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The message about one field, under it (its id is what `described_by` points to).
#[component]
pub fn FieldError(errors: FieldErrors, field: &'static str) -> impl IntoView {
    move || {
        errors
            .message(field)
            .map(|m| view! { <p id=error_id(field) class="field-error">{m}</p> })
    }
}
