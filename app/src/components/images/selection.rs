//! The images chosen for a scan, kept while the user pages and filters
//! (one image type at a time: a batch scan has one `image_type`).

use leptos::prelude::*;
use scanport_wire::hss::{BatchScanImage, SwrImage};
use std::collections::BTreeMap;

/// `namespace/name:tag`, the key and the label of an image.
pub fn image_ref(namespace: &str, name: &str, tag: &str) -> String {
    format!("{namespace}/{name}:{tag}")
}

#[derive(Debug, Clone, Copy)]
pub struct Selection(pub RwSignal<BTreeMap<String, BatchScanImage>>);

impl Selection {
    pub fn new() -> Self {
        Self(RwSignal::new(BTreeMap::new()))
    }

    pub fn toggle(&self, image: &SwrImage) {
        let key = image_ref(&image.namespace, &image.image_name, &image.image_version);
        self.0.update(|chosen| {
            if chosen.remove(&key).is_none() {
                chosen.insert(
                    key,
                    BatchScanImage {
                        namespace: image.namespace.clone(),
                        image_name: image.image_name.clone(),
                        image_version: image.image_version.clone(),
                        instance_id: image.instance_id.clone(),
                        instance_url: image.instance_url.clone(),
                    },
                );
            }
        });
    }

    pub fn contains(&self, image: &SwrImage) -> bool {
        let key = image_ref(&image.namespace, &image.image_name, &image.image_version);
        self.0.with(|chosen| chosen.contains_key(&key))
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

    pub fn images(&self) -> Vec<BatchScanImage> {
        self.0.with(|chosen| chosen.values().cloned().collect())
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}
