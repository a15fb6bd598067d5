//! The images chosen for a scan, kept while the user pages and filters
//! (one image type at a time: a batch scan has one `image_type`). Keyed by
//! the image's label, so the confirmation lists exactly what was ticked.

use leptos::prelude::*;
use scanport_wire::hss::{BatchScanImage, ScanImageInfo};
use std::collections::BTreeMap;

/// `namespace/name:tag`, the key and the label of an image.
pub fn image_ref(namespace: &str, name: &str, tag: &str) -> String {
    format!("{namespace}/{name}:{tag}")
}

/// A chosen image as its cloud's scan request names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// An SWR image of an HSS account.
    Swr(BatchScanImage),
    /// A TCSS registry image, by its asset id.
    Tcss(i64),
    /// An image of an HSS account's connected registry, as a manual scan
    /// task names it.
    Registry(ScanImageInfo),
}

#[derive(Debug, Clone, Copy)]
pub struct Selection(pub RwSignal<BTreeMap<String, Picked>>);

impl Selection {
    pub fn new() -> Self {
        Self(RwSignal::new(BTreeMap::new()))
    }

    /// Ticks `label` (as `picked`) or unticks it.
    pub fn toggle(&self, label: &str, picked: Picked) {
        self.0.update(|chosen| {
            if chosen.remove(label).is_none() {
                chosen.insert(label.to_owned(), picked);
            }
        });
    }

    pub fn contains(&self, label: &str) -> bool {
        self.0.with(|chosen| chosen.contains_key(label))
    }

    pub fn len(&self) -> usize {
        self.0.with(BTreeMap::len)
    }

    pub fn is_empty(&self) -> bool {
        self.0.with(BTreeMap::is_empty)
    }

    pub fn clear(&self) {
        self.0.update(BTreeMap::clear);
    }

    /// The labels, in order, for the confirmation.
    pub fn labels(&self) -> Vec<String> {
        self.0.with(|chosen| chosen.keys().cloned().collect())
    }

    /// The chosen SWR images.
    pub fn swr_images(&self) -> Vec<BatchScanImage> {
        self.0.with(|chosen| {
            chosen
                .values()
                .filter_map(|p| match p {
                    Picked::Swr(image) => Some(image.clone()),
                    Picked::Tcss(_) | Picked::Registry(_) => None,
                })
                .collect()
        })
    }

    /// The chosen TCSS image asset ids.
    pub fn tcss_ids(&self) -> Vec<i64> {
        self.0.with(|chosen| {
            chosen
                .values()
                .filter_map(|p| match p {
                    Picked::Tcss(id) => Some(*id),
                    Picked::Swr(_) | Picked::Registry(_) => None,
                })
                .collect()
        })
    }

    /// The chosen registry images.
    pub fn registry_images(&self) -> Vec<ScanImageInfo> {
        self.0.with(|chosen| {
            chosen
                .values()
                .filter_map(|p| match p {
                    Picked::Registry(image) => Some(image.clone()),
                    Picked::Swr(_) | Picked::Tcss(_) => None,
                })
                .collect()
        })
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

/// The checkbox cell of an image row.
#[component]
pub fn PickCell(label: String, picked: Picked) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let aria = label.clone();
    let for_check = label.clone();
    view! {
        <td class="pick">
            <input
                type="checkbox"
                aria-label=move || t_string!(i18n, images_select_one, image = &aria).to_string()
                prop:checked=move || selection.contains(&for_check)
                on:change=move |_| selection.toggle(&label, picked.clone())
            />
        </td>
    }
}
