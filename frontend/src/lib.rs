//! Hydrates the server-rendered page. Nothing else lives here.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Async: pages other than Tasks are split-out chunks (app/src/routes.rs),
    // fetched before the page they draw is hydrated. Only then is the page
    // marked interactive.
    wasm_bindgen_futures::spawn_local(async {
        let app =
            leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), scanport_app::App).await;
        scanport_app::components::common::moment::mark_hydrated();
        app.forget();
    });
}
