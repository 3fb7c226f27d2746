//! Server-side rendering of a specification for reading.

use crate::domain::markdown;
use crate::domain::spec::Specification;

/// Renders Markdown with the shared renderer (which already neutralises raw HTML and unsafe
/// links), then passes the result through ammonia as a second, independent line of defence:
/// what reaches a page on the server never depends on one piece of code alone.
///
/// The text sits under the page's `<h1>` (the consultation) and `<h2>` (the version), so its
/// headings are lowered by two levels: the document title becomes `<h3>`, clauses `<h4>`.
pub fn specification_html(source: &str) -> String {
    version_html(source, &Specification::parse(source))
}

/// [`specification_html`] for a parsed version whose clause ids were fixed at publication.
pub fn version_html(source: &str, spec: &Specification) -> String {
    sanitise(&markdown::render_spec_html(source, spec, 2))
}

/// [`version_html`] in parts, one per clause (the preamble first): the page shows each clause
/// with its contributions, and annotations anchor on the text of a part.
pub fn version_parts(source: &str, spec: &Specification) -> Vec<markdown::RenderedPart> {
    version_parts_where(source, spec, |_| true)
}

/// The parts of [`version_parts`] of the clauses `keep` accepts (by id; `None` is the text
/// before the first clause): only those are written out and sanitised.
pub fn version_parts_where(
    source: &str,
    spec: &Specification,
    keep: impl Fn(Option<&str>) -> bool,
) -> Vec<markdown::RenderedPart> {
    let mut parts = markdown::render_spec_parts_where(source, spec, 2, keep);
    for part in &mut parts {
        part.html = sanitise(&part.html);
    }
    parts
}

/// A note written by a person (minutes of a meeting) shown under a page's `<h3>`: the shared
/// renderer, headings lowered by three levels, then ammonia.
pub fn note_html(source: &str) -> String {
    sanitise(&markdown::render_html_below(source, 3))
}

fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_never_survive() {
        let html = specification_html(
            "## 1 Objet\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
             [clic](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">x</a>\n",
        );
        // Raw HTML may stay visible as escaped text; what matters is that no real tag carries it.
        let tags: Vec<&str> = html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or_default())
            .collect();
        for tag in &tags {
            let tag = tag.to_lowercase();
            assert!(!tag.starts_with("script") && !tag.starts_with("img"), "{html}");
            assert!(!tag.contains(" on"), "event attribute in <{tag}>: {html}");
            assert!(!tag.contains("javascript:"), "javascript URL in <{tag}>: {html}");
        }
        assert!(html.contains("Objet"), "{html}");
    }

    #[test]
    fn french_text_and_structure_are_kept() {
        let html = specification_html("## 2 Périmètre\n\nLe titulaire assure la maintenance **préventive**.\n");
        assert!(html.contains("<h4 id=\"perimetre\">"), "{html}");
        assert!(html.contains("Périmètre"), "{html}");
        assert!(html.contains("<strong>préventive</strong>"), "{html}");
    }
}
