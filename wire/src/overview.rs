//! The Overview page: for each account, its images on the one severity
//! scale, the scans that never ran or failed, the tasks running now and
//! the most widespread vulnerabilities. Gathered in the background (see
//! the server's `overview` module) and read by page views, which never
//! call a cloud.

use crate::accounts::Provider;
use crate::findings::Severity;
use crate::vulnerabilities::AccountVulnerability;
use serde::{Deserialize, Serialize};

/// How many of the most widespread vulnerabilities an account shows.
pub const TOP_VULNERABILITIES: usize = 5;

/// Scanned images by their worst vulnerability.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub critical: i64,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    /// Scanned, and no vulnerability found.
    pub none: i64,
    /// With vulnerabilities whose severity is not known (yet): an HSS
    /// image whose list has not been fetched, or a cloud's "unknown".
    pub unknown: i64,
}

impl SeverityCounts {
    /// Counts one scanned image by its worst vulnerability (`None`: it has
    /// none).
    pub fn add(&mut self, worst: Option<Severity>) {
        let slot = match worst {
            None => &mut self.none,
            Some(Severity::Critical) => &mut self.critical,
            Some(Severity::High) => &mut self.high,
            Some(Severity::Medium) => &mut self.medium,
            Some(Severity::Low) => &mut self.low,
            Some(Severity::Unknown) => &mut self.unknown,
        };
        *slot += 1;
    }

    /// Images with a known worst severity, most severe first.
    pub fn by_severity(&self) -> [(Severity, i64); 4] {
        [
            (Severity::Critical, self.critical),
            (Severity::High, self.high),
            (Severity::Medium, self.medium),
            (Severity::Low, self.low),
        ]
    }
}

/// The worst of `severities`, `None` when there are none.
pub fn worst(severities: impl IntoIterator<Item = Severity>) -> Option<Severity> {
    // `Severity` orders most severe first.
    severities.into_iter().min()
}

/// An account's images, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageCounts {
    pub total: i64,
    pub never_scanned: i64,
    pub failed: i64,
    /// Being scanned now.
    pub scanning: i64,
    /// The scanned ones, by their worst vulnerability.
    pub severity: SeverityCounts,
}

/// One account's overview, as last gathered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub images: ImageCounts,
    /// Scan and sync tasks running now (TCSS: its one-key scan).
    pub running_tasks: i64,
    /// The most widespread vulnerabilities of the operating systems'
    /// packages, most images first.
    pub top_vulnerabilities: Vec<AccountVulnerability>,
    /// Whether every figure is in: an HSS account's severities come one
    /// image at a time, within the background share of its budget.
    pub complete: bool,
    /// What stopped the last gathering short, if anything.
    pub error: Option<String>,
}

/// An account on the Overview page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub account: String,
    pub provider: Provider,
    /// `None` until its first gathering ends.
    pub overview: Option<AccountOverview>,
    /// When it was gathered (ms since the epoch); 0 when it was not.
    pub fetched_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_counts_under_its_worst_vulnerability() {
        assert_eq!(
            worst([Severity::Low, Severity::Critical, Severity::Medium]),
            Some(Severity::Critical)
        );
        assert_eq!(
            worst([Severity::Unknown, Severity::Low]),
            Some(Severity::Low)
        );
        assert_eq!(worst([]), None);
        let mut counts = SeverityCounts::default();
        for image in [
            vec![Severity::High, Severity::Low],
            vec![],
            vec![Severity::Unknown],
        ] {
            counts.add(worst(image));
        }
        assert_eq!(
            (counts.high, counts.none, counts.unknown, counts.low),
            (1, 1, 1, 0)
        );
    }
}
