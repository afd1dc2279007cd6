//! What one call observed (a line the test program prints) and what it means: `pass`,
//! `request-rejected`, `response-undecodable` or `not-exercised`. Pure: tested without a server.
//!
//! Prism runs with `--errors`: a request that violates the spec gets an error status (the
//! spec's own 4xx example, or Prism's `application/problem+json` 422) and the violations in the
//! `sl-violations` header; a response example that violates the spec becomes a 500 whose
//! violations are located in `response`.

use serde::{Deserialize, Serialize};

/// One call as the test program saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The operation's index in the program.
    pub index: usize,
    /// `ok`, `error-response`, `unexpected-response`, `invalid-payload`, `communication`,
    /// `invalid-request`, `argument`, `panic`, `other`.
    pub kind: String,
    /// The HTTP status, when a response arrived and the client kept it.
    #[serde(default)]
    pub status: Option<u16>,
    /// Prism's `sl-violations` header, when present.
    #[serde(default)]
    pub violations: Option<String>,
    /// The response body, when the client kept it (at most a few kilobytes).
    #[serde(default)]
    pub body: Option<String>,
    /// The client's error message, or the argument that could not be built.
    #[serde(default)]
    pub detail: String,
}

/// The verdict on one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    RequestRejected,
    ResponseUndecodable,
    NotExercised,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Pass,
        Verdict::RequestRejected,
        Verdict::ResponseUndecodable,
        Verdict::NotExercised,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::RequestRejected => "request-rejected",
            Verdict::ResponseUndecodable => "response-undecodable",
            Verdict::NotExercised => "not-exercised",
        }
    }
}

/// A violation as Prism reports it (`location` mixes names and array indexes).
#[derive(Debug, Deserialize)]
struct Violation {
    #[serde(default)]
    location: Vec<serde_json::Value>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    code: serde_json::Value,
}

impl Violation {
    /// A credential Prism wanted and did not get (the program sends placeholder credentials
    /// for the schemes it can: headers and cookies, not query parameters).
    fn is_security(&self) -> bool {
        matches!(self.code.as_u64(), Some(401 | 403)) || self.message.contains("security scheme")
    }
}

/// The verdict and its reason (empty for a pass) of a call to `path`.
pub fn classify(observation: &Observation, path: &str) -> (Verdict, String) {
    let detail = || observation.detail.clone();
    let (request, response, security) = violations(observation);
    if security && request.is_empty() {
        return (
            Verdict::NotExercised,
            "prism: a security scheme it enforces".into(),
        );
    }
    if !request.is_empty() {
        return (
            Verdict::RequestRejected,
            format!("prism: {}", request.join("; ")),
        );
    }
    if !response.is_empty() {
        return (
            Verdict::NotExercised,
            format!(
                "prism: the spec's own response example is invalid: {}",
                response.join("; ")
            ),
        );
    }
    if let Some((verdict, message)) = prism_problem(observation) {
        // AWS specs key operations `/#X-Amz-Target=…`: no request carries a fragment, so the
        // client sends `/` (and the header), which Prism cannot route.
        if message.starts_with("prism NO_") && path.contains('#') {
            return (
                Verdict::NotExercised,
                format!("prism: cannot route a path with a fragment: {message}"),
            );
        }
        return (verdict, message);
    }
    match observation.kind.as_str() {
        "ok" | "error-response" => match observation.status {
            Some(401 | 403) => (
                Verdict::NotExercised,
                "prism: a security scheme it enforces".into(),
            ),
            _ => (Verdict::Pass, String::new()),
        },
        // Prism's static responses fake strings from their length alone; the client checks
        // the `pattern` (found on Twilio's `^AC[0-9a-fA-F]{32}$` SIDs).
        "invalid-payload" if observation.detail.contains("doesn't match pattern") => (
            Verdict::NotExercised,
            format!(
                "prism: its static response ignores the schema's `pattern`: {}",
                detail()
            ),
        ),
        "invalid-payload" => (Verdict::ResponseUndecodable, detail()),
        "unexpected-response" => match observation.status {
            Some(401 | 403) => (
                Verdict::NotExercised,
                "prism: a security scheme it enforces".into(),
            ),
            Some(status) => (
                Verdict::ResponseUndecodable,
                format!("status {status} is not one the client expects"),
            ),
            None => (Verdict::ResponseUndecodable, detail()),
        },
        "argument" => (
            Verdict::NotExercised,
            format!("no value could be built: {}", detail()),
        ),
        "communication" => (Verdict::NotExercised, format!("no answer: {}", detail())),
        "invalid-request" => (
            Verdict::RequestRejected,
            format!("the client refused to send it: {}", detail()),
        ),
        "panic" => (
            Verdict::RequestRejected,
            format!("the client panicked: {}", detail()),
        ),
        _ => (
            Verdict::NotExercised,
            format!("{}: {}", observation.kind, detail()),
        ),
    }
}

/// The violation messages, split into request and response ones, and whether a security
/// violation was among them (in neither list).
fn violations(observation: &Observation) -> (Vec<String>, Vec<String>, bool) {
    let from_header = observation
        .violations
        .as_deref()
        .and_then(|text| serde_json::from_str::<Vec<Violation>>(text).ok());
    let from_body = || {
        let body: serde_json::Value = serde_json::from_str(observation.body.as_deref()?).ok()?;
        serde_json::from_value::<Vec<Violation>>(body.get("validation")?.clone()).ok()
    };
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut security = false;
    for violation in from_header.or_else(from_body).unwrap_or_default() {
        if violation.is_security() {
            security = true;
            continue;
        }
        match violation
            .location
            .first()
            .and_then(serde_json::Value::as_str)
        {
            Some("response") => response.push(violation.message),
            _ => request.push(violation.message),
        }
    }
    (request, response, security)
}

/// A Prism error (`application/problem+json` with a `type` under stoplight.io/prism/errors)
/// that carries no violations: a route the request did not match is the client's fault, any
/// other (no response defined, an example it could not generate) is Prism's.
fn prism_problem(observation: &Observation) -> Option<(Verdict, String)> {
    let body: serde_json::Value = serde_json::from_str(observation.body.as_deref()?).ok()?;
    let kind = body.get("type")?.as_str()?;
    let (_, name) = kind.split_once("stoplight.io/prism/errors#")?;
    let title = body.get("title").and_then(|t| t.as_str()).unwrap_or(name);
    let detail = body.get("detail").and_then(|t| t.as_str()).unwrap_or("");
    let message = format!("prism {name}: {title}. {detail}")
        .trim_end()
        .to_string();
    let verdict = match name {
        "NO_PATH_MATCHED_ERROR"
        | "NO_METHOD_MATCHED_ERROR"
        | "NO_SERVER_MATCHED_ERROR"
        | "UNPROCESSABLE_ENTITY"
        | "INVALID_CONTENT_TYPE"
        | "NOT_ACCEPTABLE" => Verdict::RequestRejected,
        _ => Verdict::NotExercised,
    };
    Some((verdict, message))
}

#[cfg(test)]
mod tests {
    use super::{Observation, Verdict, classify};

    fn observed(kind: &str, status: Option<u16>) -> Observation {
        Observation {
            kind: kind.into(),
            status,
            ..Observation::default()
        }
    }

    #[test]
    fn a_decoded_response_without_violations_passes() {
        assert_eq!(classify(&observed("ok", Some(200)), "/a").0, Verdict::Pass);
        assert_eq!(
            classify(&observed("error-response", Some(404)), "/a").0,
            Verdict::Pass
        );
    }

    #[test]
    fn request_violations_reject_whatever_the_client_made_of_the_answer() {
        let mut observation = observed("error-response", Some(400));
        observation.violations = Some(
            r#"[{"location":["request","header"],"severity":"Error","code":"required","message":"Request header must have required property 'x-api-key'"}]"#.into(),
        );
        let (verdict, reason) = classify(&observation, "/a");
        assert_eq!(verdict, Verdict::RequestRejected);
        assert_eq!(
            reason,
            "prism: Request header must have required property 'x-api-key'"
        );
        // Prism's own 422, read from the body when the header is not kept.
        let mut observation = observed("invalid-payload", None);
        observation.body = Some(r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","status":422,"validation":[{"location":["request","body"],"message":"Request body must have required property 'name'"}]}"#.into());
        assert_eq!(classify(&observation, "/a").0, Verdict::RequestRejected);
    }

    #[test]
    fn an_invalid_example_in_the_spec_is_prisms_not_ours() {
        let mut observation = observed("unexpected-response", Some(500));
        observation.violations = Some(
            r#"[{"location":["response","body","items",0,"date"],"message":"must match format \"date\""}]"#
                .into(),
        );
        // Prism's problem body beside it does not hide the violations.
        observation.body = Some(r#"{"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500}"#.into());
        let (verdict, reason) = classify(&observation, "/a");
        assert_eq!(verdict, Verdict::NotExercised);
        assert!(reason.contains("response example is invalid"), "{reason}");
    }

    #[test]
    fn a_static_response_that_ignores_a_pattern_and_a_missing_credential_are_prisms() {
        let mut payload = observed("invalid-payload", None);
        payload.detail = "doesn't match pattern \"^AC[0-9a-fA-F]{32}$\" at line 1 column 64".into();
        let (verdict, reason) = classify(&payload, "/a");
        assert_eq!(verdict, Verdict::NotExercised);
        assert!(
            reason.contains("ignores the schema's `pattern`"),
            "{reason}"
        );
        let mut security = observed("unexpected-response", Some(401));
        security.violations = Some(
            r#"[{"code":401,"message":"Invalid security scheme used","severity":"Error"}]"#.into(),
        );
        assert_eq!(
            classify(&security, "/a"),
            (
                Verdict::NotExercised,
                "prism: a security scheme it enforces".into()
            )
        );
    }

    #[test]
    fn a_route_with_a_fragment_is_one_prism_cannot_match() {
        let mut observation = observed("unexpected-response", Some(404));
        observation.body = Some(r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404,"detail":"The route / hasn't been found"}"#.into());
        let (verdict, reason) = classify(&observation, "/#X-Amz-Target=Forecast.ListDatasets");
        assert_eq!(verdict, Verdict::NotExercised);
        assert!(
            reason.starts_with("prism: cannot route a path with a fragment"),
            "{reason}"
        );
        assert_eq!(
            classify(&observation, "/datasets").0,
            Verdict::RequestRejected
        );
    }

    #[test]
    fn an_unmatched_route_is_a_rejected_request() {
        let mut observation = observed("unexpected-response", Some(404));
        observation.body = Some(r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404,"detail":"The route /x hasn't been found"}"#.into());
        let (verdict, reason) = classify(&observation, "/a");
        assert_eq!(verdict, Verdict::RequestRejected);
        assert!(
            reason.starts_with("prism NO_PATH_MATCHED_ERROR: Route not resolved"),
            "{reason}"
        );
    }

    #[test]
    fn undecodable_unexpected_and_unbuildable_calls_are_told_apart() {
        let mut payload = observed("invalid-payload", None);
        payload.detail = "invalid type: string, expected i64".into();
        assert_eq!(
            classify(&payload, "/a"),
            (
                Verdict::ResponseUndecodable,
                "invalid type: string, expected i64".into()
            )
        );
        assert_eq!(
            classify(&observed("unexpected-response", Some(204)), "/a").0,
            Verdict::ResponseUndecodable
        );
        assert_eq!(
            classify(&observed("unexpected-response", Some(401)), "/a").0,
            Verdict::NotExercised
        );
        assert_eq!(
            classify(&observed("ok", Some(403)), "/a").0,
            Verdict::NotExercised
        );
        let mut argument = observed("argument", None);
        argument.detail = "`body`: missing field `name`".into();
        assert_eq!(classify(&argument, "/a").0, Verdict::NotExercised);
        assert_eq!(
            classify(&observed("communication", None), "/a").0,
            Verdict::NotExercised
        );
    }
}
