use crate::format::{span, utc_time};
use crate::live::Connection;
use leptos::prelude::*;
use scanport_wire::live::TaskSnapshot;

/// How fresh the shown list is, when it will refresh, and whether the live
/// stream is up. Without JavaScript: the time of the data and a refresh link.
#[component]
pub fn Freshness(
    snapshot: Signal<TaskSnapshot>,
    #[prop(into)] now: Signal<Option<i64>>,
    #[prop(into)] connection: Signal<Connection>,
    refresh_href: Signal<String>,
) -> impl IntoView {
    let text = move || {
        let s = snapshot.get();
        match now.get() {
            None => format!("Updated {}", utc_time(s.fetched_at_ms)),
            Some(now) => {
                let age = format!("as of {} ago", span(now - s.fetched_at_ms));
                if s.next_refresh_ms > now {
                    format!(
                        "{age} · next refresh in {}",
                        span(s.next_refresh_ms - now + 999)
                    )
                } else {
                    format!("{age} · refreshing…")
                }
            }
        }
    };
    let indicator = move || match connection.get() {
        Connection::Static => {
            view! { <a class="refresh" href=refresh_href.get()>"Refresh"</a> }.into_any()
        }
        Connection::Connecting => {
            view! { <span class="conn connecting">"Connecting…"</span> }.into_any()
        }
        Connection::Live => view! { <span class="conn live">"Live"</span> }.into_any(),
        Connection::Reconnecting => {
            view! { <span class="conn reconnecting">"Reconnecting…"</span> }.into_any()
        }
    };
    let stale = move || {
        snapshot.get().error.map(|e| {
            view! {
                <p class="notice warn" role="status">
                    "The last refresh failed (" {e} "). Showing the last good data."
                </p>
            }
        })
    };
    view! {
        <div class="freshness" aria-live="polite">
            <span class="as-of">{text}</span>
            {indicator}
        </div>
        {stale}
    }
}
