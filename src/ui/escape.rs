//! Text that lands where the view library writes it without escaping.
//!
//! Leptos escapes text and attribute values, except in the elements whose content the HTML
//! parser reads as raw text: `leptos_meta` writes the `<title>` as given, and tachys writes the
//! children of `<textarea>` (and `<script>`, `<style>`, `<noscript>`) as given. A title
//! `</title><meta http-equiv=refresh …>` or a draft containing `</textarea><script>` would then
//! become markup for every visitor. Whatever a user typed goes through [`raw_text`] before it
//! lands in one of those elements, whatever the library does.

/// `text` escaped for the content of `<title>` or `<textarea>` in the HTML the server sends.
///
/// In the browser the same views set `document.title` and text nodes through the DOM, where text
/// is never markup: the text is left as is there, so that it is not shown escaped.
pub fn raw_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        escape(&text)
    } else {
        text
    }
}

pub use crate::domain::format::escape_html as escape;

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_inert() {
        assert_eq!(
            super::escape("</title><img src=x onerror='a()'> & \"b\""),
            "&lt;/title&gt;&lt;img src=x onerror=&#39;a()&#39;&gt; &amp; &quot;b&quot;"
        );
        assert_eq!(super::escape("Délais : 30 jours"), "Délais : 30 jours");
    }
}
