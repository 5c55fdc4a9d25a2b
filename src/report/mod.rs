//! Renderers that turn results into text or JSON.

pub mod scan_render;
