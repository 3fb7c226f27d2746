//! The HTML alternative of a mail, made from its plain text: the text is what is written (one
//! place, in French), the HTML only lays it out. Everything is escaped; links become clickable.

use super::format::escape_html;

/// Paragraphs at blank lines, line breaks kept, `http(s)://` words as links.
pub fn html_of(text: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family: sans-serif; line-height: 1.5; color: #1e1e1e\">\n",
    );
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for (i, line) in paragraph.lines().enumerate() {
            if i > 0 {
                html.push_str("<br>\n");
            }
            html.push_str(&line_html(line));
        }
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>\n");
    html
}

fn line_html(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if is_link(word) {
            let href = escape_html(word);
            out.push_str(&format!("<a href=\"{href}\">{href}</a>"));
        } else {
            out.push_str(&escape_html(word));
        }
    }
    out
}

/// Only plain web links: no `javascript:` nor anything with a quote or angle bracket in it.
fn is_link(word: &str) -> bool {
    (word.starts_with("https://") || word.starts_with("http://"))
        && word.len() > 8
        && !word.contains(['"', '\'', '<', '>', '`'])
}

#[cfg(test)]
mod tests {
    use super::html_of;

    #[test]
    fn paragraphs_lines_and_links() {
        let html = html_of("Bonjour,\n\nOuvrez ce lien :\nhttps://exemple.fr/inscription/abc\n\nMerci.");
        assert!(html.contains("<p>Bonjour,</p>"), "{html}");
        assert!(
            html.contains(
                "<p>Ouvrez ce lien :<br>\n<a href=\"https://exemple.fr/inscription/abc\">https://exemple.fr/inscription/abc</a></p>"
            ),
            "{html}"
        );
        assert!(html.contains("lang=\"fr\""));
    }

    #[test]
    fn what_a_user_typed_is_never_markup() {
        let html = html_of("Entreprise <script>alert(1)</script> & \"Cie\"\nhttps://x.fr/\"onmouseover=alert(1)");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Cie&quot;"),
            "{html}"
        );
        assert!(
            !html.contains("href=\"https://x.fr/\""),
            "a link with a quote is not a link: {html}"
        );
        assert!(!html_of("javascript:alert(1)").contains("href"));
    }
}
