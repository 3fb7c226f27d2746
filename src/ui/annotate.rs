//! The browser side of anchoring: from a DOM selection to a `TextSelector`, and from anchors back
//! to highlights. The clause text is computed here from the DOM's text nodes with the same
//! `Normalizer` the server applies to the same HTML (`domain::anchor`), so that both count the
//! same characters. Called only in the browser (from effects and event handlers).

use crate::domain::anchor::{self, Normalizer, TextPosition, TextSelector};
use wasm_bindgen::JsCast;

/// The text nodes under `root`, in document order.
fn text_nodes(root: &web_sys::Element) -> Vec<web_sys::Text> {
    let Ok(walker) = document().create_tree_walker_with_what_to_show(root, 0x4) else {
        return Vec::new();
    };
    let mut nodes = Vec::new();
    while let Ok(Some(node)) = walker.next_node() {
        if let Ok(text) = node.dyn_into::<web_sys::Text>() {
            nodes.push(text);
        }
    }
    nodes
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document in the browser")
}

/// The clause element (`.clause__text`) holding the current selection and the anchor of the
/// selected words there; `None` without a selection inside one clause.
pub fn current_selection() -> Option<(String, TextSelector)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let container = |node: web_sys::Node| -> Option<web_sys::Element> {
        let element = match node.dyn_into::<web_sys::Element>() {
            Ok(e) => e,
            Err(node) => node.parent_element()?,
        };
        element.closest(".clause__text").ok()?
    };
    let root = container(range.start_container().ok()?)?;
    let end_root: web_sys::Node = container(range.end_container().ok()?)?.into();
    if !root.is_same_node(Some(&end_root)) {
        return None;
    }
    let clause_id = root.get_attribute("data-clause")?;
    let mut normalizer = Normalizer::default();
    let (mut start, mut end) = (None, None);
    for node in text_nodes(&root) {
        let data = node.data();
        let mut offset = 0u32;
        let mut chars = data.chars();
        loop {
            if range.is_point_in_range(&node, offset).unwrap_or(false) {
                let at = normalizer.boundary();
                start.get_or_insert(at);
                end = Some(at);
            }
            let Some(c) = chars.next() else { break };
            normalizer.push(c);
            offset += c.len_utf16() as u32;
        }
    }
    let text = normalizer.finish();
    let selector = anchor::select(&text, start?, end?)?;
    Some((clause_id, selector))
}

/// The clause's text as anchors count it (white space collapsed), from its element.
pub fn clause_text(root: &web_sys::Element) -> String {
    let mut normalizer = Normalizer::default();
    for node in text_nodes(root) {
        node.data().chars().for_each(|c| {
            normalizer.push(c);
        });
    }
    normalizer.finish()
}

/// The anchor of the characters selected in a text field holding `text` (offsets in UTF-16
/// code units, as the field gives them); `None` when nothing (or too much) is selected.
pub fn field_selection(text: &str, from_utf16: u32, to_utf16: u32) -> Option<TextSelector> {
    let index = |utf16: u32| {
        let mut units = 0u32;
        text.chars()
            .take_while(|c| {
                units += c.len_utf16() as u32;
                units <= utf16
            })
            .count()
    };
    anchor::select(text, index(from_utf16), index(to_utf16))
}

/// Empties the selection (once it became an annotation form).
pub fn clear_selection() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}

/// Wraps the characters of each position in `<mark class="annotation-mark">`, tagged with its
/// contribution id. `root` must hold the clause's HTML as rendered, without earlier marks.
pub fn highlight(root: &web_sys::Element, marks: &[(i64, TextPosition)]) {
    if marks.is_empty() {
        return;
    }
    let mut normalizer = Normalizer::default();
    // For each text node, the UTF-16 segments to wrap, with their contribution id.
    let mut segments: Vec<(web_sys::Text, u32, u32, i64)> = Vec::new();
    for node in text_nodes(root) {
        let data = node.data();
        let mut offset = 0u32;
        let mut open: Option<(u32, i64)> = None;
        for c in data.chars() {
            let index = normalizer.push(c);
            let inside = marks
                .iter()
                .find(|(_, p)| (p.start..p.end).contains(&index))
                .map(|(id, _)| *id);
            match (open, inside) {
                (Some((from, id)), Some(now)) if now != id => {
                    segments.push((node.clone(), from, offset, id));
                    open = Some((offset, now));
                }
                (Some((from, id)), None) => {
                    segments.push((node.clone(), from, offset, id));
                    open = None;
                }
                (None, Some(now)) => open = Some((offset, now)),
                _ => {}
            }
            offset += c.len_utf16() as u32;
        }
        if let Some((from, id)) = open {
            segments.push((node.clone(), from, offset, id));
        }
    }
    // From the end, so that wrapping a segment does not move the offsets of those before it.
    let document = document();
    for (node, from, to, id) in segments.into_iter().rev() {
        let (Ok(range), Ok(mark)) = (document.create_range(), document.create_element("mark")) else {
            continue;
        };
        mark.set_class_name("annotation-mark");
        let _ = mark.set_attribute("data-contribution", &id.to_string());
        if range.set_start(&node, from).is_ok() && range.set_end(&node, to).is_ok() {
            let _ = range.surround_contents(&mark);
        }
    }
}
