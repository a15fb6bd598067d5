//! What scans found, on one scale for both clouds, and the envelope the
//! console's findings endpoints answer in (the cloud's own answer, plus
//! when it was fetched: findings are served from a cache).

use serde::{Deserialize, Serialize};

/// One severity scale for both clouds. Each cloud's own word is kept and
/// shown too; this is what the console sorts, filters and counts by.
///
/// | scale | HSS `repair_necessity` | TCSS `Level` |
/// |---|---|---|
/// | critical | (none) | `CRITICAL` |
/// | high | `immediate_repair` | `HIGH` |
/// | medium | `delay_repair` | `MEDIUM` |
/// | low | `not_needed_repair` | `LOW` |
/// | unknown | anything else | anything else |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Unknown,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Self; 5] = [
        Self::Critical,
        Self::High,
        Self::Medium,
        Self::Low,
        Self::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// HSS's `repair_necessity`.
    pub fn from_hss(repair_necessity: Option<&str>) -> Self {
        match repair_necessity {
            Some("immediate_repair") => Self::High,
            Some("delay_repair") => Self::Medium,
            Some("not_needed_repair") => Self::Low,
            _ => Self::Unknown,
        }
    }

    /// TCSS's `Level` (case-insensitive: the answers are upper case, the
    /// console's own examples sometimes not).
    pub fn from_tcss(level: Option<&str>) -> Self {
        match level.map(str::to_ascii_uppercase).as_deref() {
            Some("CRITICAL") => Self::Critical,
            Some("HIGH") => Self::High,
            Some("MEDIUM") => Self::Medium,
            Some("LOW") => Self::Low,
            _ => Self::Unknown,
        }
    }
}

/// A findings answer: the cloud's answer (every finding of the image that
/// matches the request, one page of it) and when the cache fetched it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cached<T> {
    #[serde(flatten)]
    pub answer: T,
    /// When the findings were fetched from the cloud (ms since the epoch).
    pub fetched_at_ms: i64,
    /// False when the image has more findings than the console fetches
    /// for one image (see `MAX_FINDINGS`); the answer holds the first.
    pub complete: bool,
}

/// The most findings of one kind fetched for one image: five pages of
/// HSS's largest (200), ten of TCSS's (100). At HSS's 5 calls a minute,
/// more would keep a viewer waiting minutes.
pub const MAX_FINDINGS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_clouds_words_map_onto_one_scale() {
        assert_eq!(Severity::from_hss(Some("immediate_repair")), Severity::High);
        assert_eq!(Severity::from_hss(Some("not_needed_repair")), Severity::Low);
        assert_eq!(Severity::from_hss(Some("urgent")), Severity::Unknown);
        assert_eq!(Severity::from_tcss(Some("CRITICAL")), Severity::Critical);
        assert_eq!(Severity::from_tcss(Some("medium")), Severity::Medium);
        assert_eq!(Severity::from_tcss(None), Severity::Unknown);
        assert!(
            Severity::Critical < Severity::Low,
            "most severe sorts first"
        );
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
    }
}
