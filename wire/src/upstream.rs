//! What an upstream error code means, for both services: one table the
//! server (to classify an answer) and the browser (to word it) share.
//!
//! Huawei's cloud-service gateway answers `APIGW.xxxx` and the dedicated
//! API Gateway product `APIG.xxxx`: a gateway code is recognised by its
//! number after the dot, whichever spelling came.

/// The kind of refusal an upstream code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// The key or the signature was refused (a key problem).
    Authentication,
    /// The signature's date is too far from the service's clock.
    ClockSkew,
    /// The caller is over a rate limit.
    Throttled,
    /// The gateway could not pass the request on (bad request, dead or slow
    /// backend: the HTTP status tells which).
    GatewayRequest,
    /// A parameter is invalid or the request could not be parsed.
    InvalidParameter,
    /// The resource named does not exist.
    NotFound,
    /// The key is valid but lacks the permission (not a key problem).
    Permission,
    /// The service failed.
    Internal,
    /// Anything else: a refusal quoted as the service worded it.
    Other,
}

/// The number after the dot of a Huawei gateway code (`APIGW.0301` and
/// `APIG.0301` both give `0301`); `None` for any other code.
pub fn gateway_number(code: &str) -> Option<&str> {
    code.strip_prefix("APIGW.")
        .or_else(|| code.strip_prefix("APIG."))
}

/// Classifies an HSS (`HSS.xxxx`), Huawei gateway (`APIG[W].xxxx`) or TCSS
/// (`AuthFailure.SignatureFailure`, …) error code.
pub fn classify(code: &str) -> CodeClass {
    if let Some(number) = gateway_number(code) {
        return match number {
            "0301" => CodeClass::Authentication,
            "0308" => CodeClass::Throttled,
            "0201" => CodeClass::GatewayRequest,
            _ => CodeClass::Other,
        };
    }
    match code {
        // HSS API reference, "Error Codes": all answered with HTTP 400.
        "HSS.0001" | "HSS.0002" => CodeClass::InvalidParameter,
        "HSS.0011" => CodeClass::NotFound,
        "HSS.0010" | "HSS.0013" => CodeClass::Permission,
        "AuthFailure.SignatureExpire" => CodeClass::ClockSkew,
        // CAM refused this action to a valid key ("request not authorised"):
        // a permission, like UnauthorizedOperation; pausing the whole
        // account for it would stop the actions the key may do.
        "AuthFailure.UnauthorizedOperation" => CodeClass::Permission,
        // Every other AuthFailure is the key or the signature.
        c if c.starts_with("AuthFailure") => CodeClass::Authentication,
        c if c.starts_with("UnauthorizedOperation") => CodeClass::Permission,
        c if c.starts_with("RequestLimitExceeded") => CodeClass::Throttled,
        c if c.starts_with("InternalError") => CodeClass::Internal,
        c if c.starts_with("InvalidParameter") || c.starts_with("MissingParameter") => {
            CodeClass::InvalidParameter
        }
        c if c.starts_with("ResourceNotFound") => CodeClass::NotFound,
        _ => CodeClass::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_codes_are_read_by_number_in_both_spellings() {
        for prefix in ["APIGW.", "APIG."] {
            assert_eq!(
                classify(&format!("{prefix}0301")),
                CodeClass::Authentication
            );
            assert_eq!(classify(&format!("{prefix}0308")), CodeClass::Throttled);
            assert_eq!(
                classify(&format!("{prefix}0201")),
                CodeClass::GatewayRequest
            );
        }
        assert_eq!(gateway_number("APIGW.0308"), Some("0308"));
        assert_eq!(gateway_number("HSS.0308"), None);
        assert_eq!(classify("APIGW.9999"), CodeClass::Other);
    }

    #[test]
    fn hss_codes_follow_the_error_table() {
        assert_eq!(classify("HSS.0001"), CodeClass::InvalidParameter);
        assert_eq!(classify("HSS.0002"), CodeClass::InvalidParameter);
        assert_eq!(classify("HSS.0011"), CodeClass::NotFound);
        assert_eq!(classify("HSS.0010"), CodeClass::Permission);
        assert_eq!(classify("HSS.0013"), CodeClass::Permission);
        // "Server has no agent": not a bad parameter.
        assert_eq!(classify("HSS.1001"), CodeClass::Other);
    }

    #[test]
    fn tcss_key_refusals_differ_from_permission_refusals() {
        for code in [
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.InvalidSecretId",
        ] {
            assert_eq!(classify(code), CodeClass::Authentication, "{code}");
        }
        assert_eq!(
            classify("AuthFailure.SignatureExpire"),
            CodeClass::ClockSkew
        );
        assert_eq!(classify("UnauthorizedOperation"), CodeClass::Permission);
        assert_eq!(
            classify("AuthFailure.UnauthorizedOperation"),
            CodeClass::Permission
        );
        assert_eq!(classify("RequestLimitExceeded"), CodeClass::Throttled);
        assert_eq!(
            classify("InvalidParameterValue"),
            CodeClass::InvalidParameter
        );
        assert_eq!(classify("ResourceNotFound"), CodeClass::NotFound);
        assert_eq!(classify("FailedOperation"), CodeClass::Other);
    }
}
