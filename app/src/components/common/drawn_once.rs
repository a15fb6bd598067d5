//! A reactive part of a view that the server draws only once.

use leptos::prelude::*;

/// `draw` as a reactive part of a view. In the browser it is a closure
/// that redraws whenever what it reads changes. On the server, which draws
/// a page once, it is `draw()`'s view, drawn once: inside a `Suspense` the
/// server runs a closure twice (once to find the resources it reads, once
/// to render), and for the task table that doubled the page's cost. The
/// HTML is the same either way, so the browser hydrates it as usual.
#[cfg(feature = "hydrate")]
pub fn drawn_once<V: IntoView + 'static>(
    draw: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    draw
}

/// See the browser's version above.
#[cfg(not(feature = "hydrate"))]
pub fn drawn_once<V: IntoView + 'static>(
    draw: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    untrack(draw)
}
