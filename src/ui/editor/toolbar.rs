//! The formatting toolbar and its shortcuts, for buyers used to Word. The text stays Markdown;
//! each command is one edit of `domain::editing`, typed into the text area by the browser so
//! that Ctrl+Z undoes it like any typing.

#[allow(unused_imports)]
use super::*;
use crate::domain::editing::{self, Formatting};

/// Runs a command on the text area's selection.
pub(crate) fn apply_formatting(state: Draft, command: Formatting) {
    let Some(area) = state.area.get_untracked() else {
        return;
    };
    let text = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    let edit = editing::format(
        &text,
        (editing::byte_offset(&text, start), editing::byte_offset(&text, end)),
        command,
    );
    let after = edit.apply_to(&text);
    let _ = area.focus();
    let _ = area.set_selection_range(
        editing::utf16_offset(&text, edit.start),
        editing::utf16_offset(&text, edit.end),
    );
    // `insertText` goes through the browser's editing, hence its undo history, and fires
    // `input` (which saves). An empty replacement is a deletion.
    let typed = if edit.start == edit.end && edit.replacement.is_empty() {
        true
    } else {
        exec_command(
            if edit.replacement.is_empty() {
                "delete"
            } else {
                "insertText"
            },
            &edit.replacement,
        )
    };
    if !typed || area.value() != after {
        // A browser without `execCommand`: the same text, without undo.
        area.set_value(&after);
        state.markdown.set(after.clone());
        state.changed();
    }
    let _ = area.set_selection_range(
        editing::utf16_offset(&after, edit.selection.0),
        editing::utf16_offset(&after, edit.selection.1),
    );
}

fn exec_command(command: &str, value: &str) -> bool {
    use leptos::wasm_bindgen::JsCast;
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command_with_show_ui_and_value(command, false, value).ok())
        .unwrap_or(false)
}

/// The shortcut pressed in the text area, if it is one of the toolbar's.
pub(crate) fn formatting_shortcut(ev: &leptos::ev::KeyboardEvent) -> Option<Formatting> {
    if !(ev.ctrl_key() || ev.meta_key()) {
        return None;
    }
    Formatting::from_key(&ev.key(), &ev.code(), ev.shift_key(), ev.alt_key())
}

/// One tab stop; the arrows move between the buttons (the ARIA toolbar pattern).
#[component]
pub(crate) fn Toolbar(state: Draft) -> impl IntoView {
    let current = RwSignal::new(0usize);
    let count = Formatting::ALL.len();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowRight" => (current.get_untracked() + 1) % count,
            "ArrowLeft" => (current.get_untracked() + count - 1) % count,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        ev.prevent_default();
        current.set(next);
        if let Some(button) = document()
            .get_element_by_id(&format!("format-{next}"))
            .and_then(|e| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = button.focus();
        }
    };
    view! {
        <div class="format-bar" role="toolbar" aria-label="Mise en forme" aria-controls="cctp-source" on:keydown=on_keydown>
            {Formatting::ALL.into_iter().enumerate().map(|(i, command)| {
                let tip = match command.shortcut_fr() {
                    Some(keys) => format!("{} ({keys})", command.label_fr()),
                    None => command.label_fr().to_owned(),
                };
                view! {
                    <button type="button" id=format!("format-{i}") class=format!("format-bar__button format-bar__button--{i}")
                        tabindex=move || if current.get() == i { "0" } else { "-1" }
                        title=tip aria-keyshortcuts=command.shortcut()
                        // Keeps the text area's focus and selection under a mouse click.
                        on:mousedown=|ev| ev.prevent_default()
                        on:focus=move |_| current.set(i)
                        on:click=move |_| { current.set(i); apply_formatting(state, command); }>
                        {glyph(command).map(|g| view! { <span class="format-bar__glyph" aria-hidden="true">{g}</span> })}
                        <span class="format-bar__label">{command.label_fr()}</span>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

/// What a Word user recognises on the button, before its name.
fn glyph(command: Formatting) -> Option<&'static str> {
    match command {
        Formatting::Bold => Some("G"),
        Formatting::Italic => Some("I"),
        Formatting::BulletList => Some("•"),
        Formatting::NumberedList => Some("1."),
        _ => None,
    }
}
