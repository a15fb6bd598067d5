//! What both clouds' schedule forms share while saving: a refusal shown
//! beside the control it concerns (the form's own or the server's), focus
//! on it, the save's status, and the wait while the page reads back.

use crate::components::admin::feedback::sentence;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::FieldError;

/// Moves focus to the control that needs fixing.
fn focus(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// A schedule form's saving state, shared by both clouds' forms: the
/// refusal the form itself found, the save's answer, and whether the page
/// is reading the schedule back after a save.
pub struct SaveState<T: Send + Sync + 'static> {
    /// What the form refuses before sending.
    local_error: RwSignal<Option<FieldError>>,
    result: MappedSignal<Option<Result<T, AppError>>>,
    pending: Memo<bool>,
    /// This form saved: the page reads the schedule back and replaces this
    /// form with one built from the server's copy, so typing here now
    /// would be lost. (A form built after the save sees the result on its
    /// first run and is not stale.)
    refreshing: RwSignal<bool>,
    /// The control a request field's error belongs beside.
    control_of: fn(&str) -> Option<&'static str>,
}

impl<T: Send + Sync + 'static> Clone for SaveState<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for SaveState<T> {}

impl<T: Clone + Send + Sync + 'static> SaveState<T> {
    pub fn new<I: Send + Sync + 'static>(
        save: Action<I, Result<T, AppError>>,
        control_of: fn(&str) -> Option<&'static str>,
    ) -> Self {
        let result = save.value();
        let refreshing = RwSignal::new(false);
        Effect::new(move |seen: Option<()>| {
            let saved = matches!(result.get(), Some(Ok(_)));
            if seen.is_some() && saved {
                refreshing.set(true);
            }
        });
        // The server's refusal of a field: focus it.
        Effect::new(move |_| {
            if let Some(Err(AppError::InvalidInput { field, .. })) = result.get()
                && let Some(id) = control_of(&field)
            {
                focus(id);
            }
        });
        Self {
            local_error: RwSignal::new(None),
            result,
            pending: save.pending(),
            refreshing,
            control_of,
        }
    }

    /// The refusal shown beside control `id`, the form's or the server's.
    pub fn error_at(self, id: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            if let Some(e) = self.local_error.get() {
                return ((self.control_of)(&e.field) == Some(id))
                    .then(|| sentence(&AppError::from(e)));
            }
            match self.result.get() {
                Some(Err(e @ AppError::InvalidInput { .. })) => match &e {
                    AppError::InvalidInput { field, .. }
                        if (self.control_of)(field) == Some(id) =>
                    {
                        Some(sentence(&e))
                    }
                    _ => None,
                },
                _ => None,
            }
        })
    }

    /// A server error that belongs to no control.
    pub fn form_error(self) -> Option<impl IntoView> {
        match self.result.get() {
            Some(Err(e)) if !matches!(&e, AppError::InvalidInput { field, .. } if (self.control_of)(field).is_some()) => {
                Some(view! { <ErrorNotice error=e /> })
            }
            _ => None,
        }
    }

    pub fn busy(self) -> bool {
        self.pending.get() || self.refreshing.get()
    }

    pub fn busy_untracked(self) -> bool {
        self.pending.get_untracked() || self.refreshing.get_untracked()
    }

    /// Saving, saved, reading back, or nothing to say.
    pub fn status(self, i18n: I18n) -> &'static str {
        if self.pending.get() {
            t_string!(i18n, schedule_form_saving)
        } else if self.local_error.get().is_some() || !matches!(self.result.get(), Some(Ok(_))) {
            ""
        } else if self.refreshing.get() {
            t_string!(i18n, schedule_form_reading_back)
        } else {
            t_string!(i18n, schedule_form_saved)
        }
    }

    /// Before sending: shows the form's own refusal beside its control
    /// (and focuses it), or clears it; true when the request may go.
    pub fn check<R>(self, checked: &Result<R, FieldError>) -> bool {
        self.result.set(None);
        match checked {
            Err(e) => {
                let id = (self.control_of)(&e.field);
                self.local_error.set(Some(e.clone()));
                if let Some(id) = id {
                    focus(id);
                }
                false
            }
            Ok(_) => {
                self.local_error.set(None);
                true
            }
        }
    }
}

/// A refusal beside its control (`{id}-error`, which the control's
/// `aria-describedby` names).
#[component]
pub fn FieldProblem(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! { <p id=format!("{id}-error") class="field-error" role="alert">{message}</p> }
        })
    }
}
