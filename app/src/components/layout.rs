use leptos::prelude::*;

/// The bar at the top of every page.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <a class="brand" href="/tasks">"Scanport"</a>
            <nav aria-label="Main">
                <a href="/tasks">"Tasks"</a>
            </nav>
        </header>
    }
}
