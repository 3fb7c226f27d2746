//! What the user sees: pages (one per route) and the components they share. Text is French.

pub mod annotate;
pub mod components;
pub mod dialogue;
pub mod editor;
pub mod escape;
pub mod pages;
