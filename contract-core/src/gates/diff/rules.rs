//! The rule catalogue: every kind of change the diff reports, with a stable kebab-case id, a
//! default severity and a one-line summary. Ids never change meaning once released; new rules
//! get new ids.
//!
//! Severities are judged from the side of a client generated from the OLD spec talking to a
//! server that speaks the NEW one: requests the client sends must still be accepted
//! (narrowing is breaking), responses it receives must still deserialize into its Rust types
//! (widening is breaking: exhaustive enums, non-`Option` fields, `deny_unknown_fields`).

use serde::{Deserialize, Serialize};

/// How much a change matters, in increasing order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Compatible; worth knowing.
    Info,
    /// Possibly breaking, or breaking only after regenerating the client.
    Warning,
    /// Breaks clients generated from the old spec.
    #[default]
    Breaking,
    /// Changes the trust model: authentication, authorization, scopes.
    Security,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Security,
        Severity::Breaking,
        Severity::Warning,
        Severity::Info,
    ];

    /// `info`, `warning`, `breaking` or `security`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Breaking => "breaking",
            Severity::Security => "security",
        }
    }

    /// Parses `info`, `warning`, `breaking` or `security`.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($( $variant:ident = $id:literal, $severity:ident, $summary:literal; )*) => {
        /// A kind of change. See [`Rule::ALL`] for the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $( #[doc = $summary] $variant, )*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable kebab-case id.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The severity it has unless the contract's configuration overrides it.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// What the rule means, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// The rule with this id.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    // The document.
    OpenapiVersionChanged = "openapi-version-changed", Info, "the document's `openapi` version changed";
    VersionNotBumped = "version-not-bumped", Warning, "breaking or security changes, but `info.version` did not change";
    ServerRemoved = "server-removed", Warning, "a server URL was removed: clients using it as their base URL break";
    ServerAdded = "server-added", Info, "a server URL was added";
    ComponentSchemaRemoved = "component-schema-removed", Warning, "a named schema was removed: its generated Rust type disappears";
    ComponentSchemaAdded = "component-schema-added", Info, "a named schema was added";
    WebhookRemoved = "webhook-removed", Warning, "a webhook was removed";
    WebhookAdded = "webhook-added", Info, "a webhook was added";
    CallbackRemoved = "callback-removed", Warning, "a callback URL of an operation was removed: the server no longer calls it";
    CallbackAdded = "callback-added", Info, "a callback URL was added to an operation";
    UnreferencedSchemaChanged = "unreferenced-schema-changed", Info, "a named schema that no operation or webhook reaches changed (its changes are listed in one finding): no generated method sends or receives it";
    DescriptionChanged = "description-changed", Info, "a description, summary or title changed: the generated doc comments change";

    // Paths and operations.
    PathRemoved = "path-removed", Breaking, "a path and all its operations were removed";
    PathAdded = "path-added", Info, "a path was added";
    OperationRemoved = "operation-removed", Breaking, "an operation was removed";
    OperationAdded = "operation-added", Info, "an operation was added";
    OperationIdChanged = "operation-id-changed", Warning, "the operationId changed: the generated client method is renamed";
    OperationDeprecated = "operation-deprecated", Warning, "an operation was deprecated";
    OperationUndeprecated = "operation-undeprecated", Info, "an operation is no longer deprecated";
    PathParameterRenamed = "path-parameter-renamed", Info, "a path template variable was renamed (the URL is unchanged)";
    OperationServersChanged = "operation-servers-changed", Warning, "the servers of an operation changed";

    // Parameters (always sent by the client).
    RequestParameterRemoved = "request-parameter-removed", Warning, "a parameter was removed: old clients still send it";
    RequestParameterAddedRequired = "request-parameter-added-required", Breaking, "a required parameter was added: old clients do not send it";
    RequestParameterAddedOptional = "request-parameter-added-optional", Info, "an optional parameter was added";
    RequestParameterBecameRequired = "request-parameter-became-required", Breaking, "an optional parameter became required";
    RequestParameterBecameOptional = "request-parameter-became-optional", Info, "a required parameter became optional";
    RequestParameterLocationChanged = "request-parameter-location-changed", Breaking, "a parameter moved (e.g. from query to header)";
    RequestParameterStyleChanged = "request-parameter-style-changed", Breaking, "a parameter's serialization (`style`/`explode`) changed";
    RequestParameterDeprecated = "request-parameter-deprecated", Warning, "a parameter was deprecated";

    // Request bodies.
    RequestBodyAddedRequired = "request-body-added-required", Breaking, "a required request body was added";
    RequestBodyAddedOptional = "request-body-added-optional", Info, "an optional request body was added";
    RequestBodyRemoved = "request-body-removed", Breaking, "the request body was removed: old clients still send one";
    RequestBodyBecameRequired = "request-body-became-required", Breaking, "the request body became required";
    RequestBodyBecameOptional = "request-body-became-optional", Info, "the request body became optional";
    RequestMediaTypeRemoved = "request-media-type-removed", Breaking, "a request media type is no longer accepted";
    RequestMediaTypeAdded = "request-media-type-added", Info, "a request media type was added";
    RawBodySchemaChanged = "raw-body-schema-changed", Info, "a non-JSON body's schema changed between any value and a plain or binary string: the same bytes are valid, and the generated client sends or reads them as raw bytes either way";

    // Responses.
    ResponseSuccessStatusRemoved = "response-success-status-removed", Breaking, "a success (2xx) response was removed";
    ResponseStatusRemoved = "response-status-removed", Warning, "a non-success response was removed";
    ResponseSuccessStatusAdded = "response-success-status-added", Warning, "a success (2xx) response was added: old clients treat it as unexpected";
    ResponseStatusAdded = "response-status-added", Info, "a non-success response was added";
    ResponseMediaTypeRemoved = "response-media-type-removed", Breaking, "a response media type is no longer produced";
    ResponseMediaTypeNarrowed = "response-media-type-narrowed", Info, "a response media-type range (`*/*`, `application/*`) became types it covers: the generated client reads a ranged response as raw bytes, which these still are";
    ResponseMediaTypeAdded = "response-media-type-added", Warning, "a response media type was added: old clients may not parse it";
    ResponseRequiredHeaderRemoved = "response-required-header-removed", Breaking, "a required response header was removed";
    ResponseHeaderRemoved = "response-header-removed", Warning, "an optional response header was removed";
    ResponseHeaderBecameOptional = "response-header-became-optional", Warning, "a required response header became optional";
    ResponseHeaderAdded = "response-header-added", Info, "a response header was added";

    // Schemas of what the client sends.
    RequestPropertyRemoved = "request-property-removed", Warning, "a request property was removed: old clients still send it";
    RequestPropertyAddedRequired = "request-property-added-required", Breaking, "a required request property was added";
    RequestPropertyAddedOptional = "request-property-added-optional", Info, "an optional request property was added";
    RequestPropertyBecameRequired = "request-property-became-required", Breaking, "an optional request property became required";
    RequestPropertyBecameOptional = "request-property-became-optional", Info, "a required request property became optional";
    RequestPropertyBecameReadOnly = "request-property-became-read-only", Warning, "a request property became read-only: the server ignores or rejects it";
    RequestTypeChanged = "request-type-changed", Breaking, "the type of a request value changed";
    RequestTypeWidened = "request-type-widened", Info, "the type of a request value was widened";
    RequestBecameNonNullable = "request-became-non-nullable", Breaking, "a request value no longer accepts null";
    RequestBecameNullable = "request-became-nullable", Info, "a request value now accepts null";
    RequestEnumValueRemoved = "request-enum-value-removed", Breaking, "an enum value is no longer accepted in requests";
    RequestEnumValueAdded = "request-enum-value-added", Info, "an enum value was added to a request value";
    RequestEnumAdded = "request-enum-added", Breaking, "a request value is now restricted to an enum";
    RequestEnumRemoved = "request-enum-removed", Info, "a request value is no longer restricted to an enum";
    RequestFormatChanged = "request-format-changed", Breaking, "the format of a request value was added or changed";
    RequestFormatRemoved = "request-format-removed", Info, "the format of a request value was removed";
    RequestDefaultChanged = "request-default-changed", Warning, "the default of a request value changed: omitting it means something else";
    RequestVariantRemoved = "request-variant-removed", Breaking, "a `oneOf`/`anyOf` variant is no longer accepted in requests";
    RequestVariantAdded = "request-variant-added", Info, "a `oneOf`/`anyOf` variant was added to a request value";
    RequestAdditionalPropertiesRestricted = "request-additional-properties-restricted", Breaking, "a request object accepts fewer additional properties";
    RequestAdditionalPropertiesLoosened = "request-additional-properties-loosened", Info, "a request object accepts more additional properties";

    // Schemas of what the client receives.
    ResponseRequiredPropertyRemoved = "response-required-property-removed", Breaking, "a required response property was removed: its non-`Option` field fails to deserialize";
    ResponseOptionalPropertyRemoved = "response-optional-property-removed", Warning, "an optional response property was removed";
    ResponsePropertyAdded = "response-property-added", Info, "a response property was added";
    ResponsePropertyAddedToClosedObject = "response-property-added-to-closed-object", Breaking, "a property was added to a response object with `additionalProperties: false` (generated with `deny_unknown_fields`)";
    ResponsePropertyBecameOptional = "response-property-became-optional", Breaking, "a required response property became optional: its non-`Option` field fails when absent";
    ResponsePropertyBecameRequired = "response-property-became-required", Info, "an optional response property became required";
    ResponsePropertyBecameWriteOnly = "response-property-became-write-only", Breaking, "a response property became write-only: it is no longer returned";
    ResponseTypeChanged = "response-type-changed", Breaking, "the type of a response value changed or widened";
    ResponseTypeNarrowed = "response-type-narrowed", Info, "the type of a response value was narrowed";
    ResponseBecameNullable = "response-became-nullable", Breaking, "a response value can now be null: its non-`Option` field fails";
    ResponseOptionalPropertyBecameNullable = "response-optional-property-became-nullable", Info, "an optional response property can now be null: the generated client holds it in an `Option`, which reads null as `None`";
    ResponseBecameNonNullable = "response-became-non-nullable", Info, "a response value is no longer null";
    ResponseEnumValueAdded = "response-enum-value-added", Breaking, "an enum value was added to a response value: exhaustive Rust enums fail on it";
    ResponseEnumValueRemoved = "response-enum-value-removed", Info, "an enum value is no longer returned";
    ResponseEnumRemoved = "response-enum-removed", Breaking, "a response value is no longer restricted to an enum";
    ResponseEnumAdded = "response-enum-added", Info, "a response value is now restricted to an enum";
    ResponseFormatChanged = "response-format-changed", Breaking, "the format of a response value was removed or changed";
    ResponseFormatAdded = "response-format-added", Info, "a format was added to a response value";
    ResponseDefaultChanged = "response-default-changed", Info, "the default of a response value changed";
    ResponseVariantAdded = "response-variant-added", Breaking, "a `oneOf`/`anyOf` variant was added to a response value";
    ResponseVariantRemoved = "response-variant-removed", Info, "a `oneOf`/`anyOf` variant is no longer returned";
    ResponseAdditionalPropertiesAllowed = "response-additional-properties-allowed", Breaking, "a response object may carry more additional properties than before";
    ResponseAdditionalPropertiesRestricted = "response-additional-properties-restricted", Info, "a response object carries fewer additional properties";

    // Schemas, either direction.
    FormatHintChanged = "format-hint-changed", Info, "a format that only tells user interfaces how to show a value (`password`) was added or removed: the valid values and the generated Rust type stay the same";
    SchemaDeprecated = "schema-deprecated", Warning, "a schema or property was deprecated";
    DiscriminatorPropertyChanged = "discriminator-property-changed", Breaking, "the discriminator property changed";
    DiscriminatorMappingChanged = "discriminator-mapping-changed", Warning, "the discriminator mapping changed";
    SchemaNotChanged = "schema-not-changed", Warning, "a `not` subschema changed";
    CompositionConstraintsChanged = "composition-constraints-changed", Warning, "`oneOf`/`anyOf` constraints without their own type (e.g. alternative `required` sets) changed";
    UnresolvedRefChanged = "unresolved-ref-changed", Warning, "a `$ref` that cannot be resolved in the document changed";

    // Validation keywords: tightened in requests breaks old clients, loosened in responses
    // lets the server send what old clients never saw.
    RequestMaximumTightened = "request-maximum-tightened", Breaking, "`maximum`/`exclusiveMaximum` of a request value was added or lowered";
    RequestMaximumLoosened = "request-maximum-loosened", Info, "`maximum`/`exclusiveMaximum` of a request value was removed or raised";
    ResponseMaximumLoosened = "response-maximum-loosened", Warning, "`maximum`/`exclusiveMaximum` of a response value was removed or raised";
    ResponseMaximumTightened = "response-maximum-tightened", Info, "`maximum`/`exclusiveMaximum` of a response value was added or lowered";
    RequestMinimumTightened = "request-minimum-tightened", Breaking, "`minimum`/`exclusiveMinimum` of a request value was added or raised";
    RequestMinimumLoosened = "request-minimum-loosened", Info, "`minimum`/`exclusiveMinimum` of a request value was removed or lowered";
    ResponseMinimumLoosened = "response-minimum-loosened", Warning, "`minimum`/`exclusiveMinimum` of a response value was removed or lowered";
    ResponseMinimumTightened = "response-minimum-tightened", Info, "`minimum`/`exclusiveMinimum` of a response value was added or raised";
    RequestMaxLengthTightened = "request-max-length-tightened", Breaking, "`maxLength` of a request value was added or lowered";
    RequestMaxLengthLoosened = "request-max-length-loosened", Info, "`maxLength` of a request value was removed or raised";
    ResponseMaxLengthLoosened = "response-max-length-loosened", Warning, "`maxLength` of a response value was removed or raised";
    ResponseMaxLengthTightened = "response-max-length-tightened", Info, "`maxLength` of a response value was added or lowered";
    RequestMinLengthTightened = "request-min-length-tightened", Breaking, "`minLength` of a request value was added or raised";
    RequestMinLengthLoosened = "request-min-length-loosened", Info, "`minLength` of a request value was removed or lowered";
    ResponseMinLengthLoosened = "response-min-length-loosened", Warning, "`minLength` of a response value was removed or lowered";
    ResponseMinLengthTightened = "response-min-length-tightened", Info, "`minLength` of a response value was added or raised";
    RequestMaxItemsTightened = "request-max-items-tightened", Breaking, "`maxItems` of a request array was added or lowered";
    RequestMaxItemsLoosened = "request-max-items-loosened", Info, "`maxItems` of a request array was removed or raised";
    ResponseMaxItemsLoosened = "response-max-items-loosened", Warning, "`maxItems` of a response array was removed or raised";
    ResponseMaxItemsTightened = "response-max-items-tightened", Info, "`maxItems` of a response array was added or lowered";
    RequestMinItemsTightened = "request-min-items-tightened", Breaking, "`minItems` of a request array was added or raised";
    RequestMinItemsLoosened = "request-min-items-loosened", Info, "`minItems` of a request array was removed or lowered";
    ResponseMinItemsLoosened = "response-min-items-loosened", Warning, "`minItems` of a response array was removed or lowered";
    ResponseMinItemsTightened = "response-min-items-tightened", Info, "`minItems` of a response array was added or raised";
    RequestMaxPropertiesTightened = "request-max-properties-tightened", Breaking, "`maxProperties` of a request object was added or lowered";
    RequestMaxPropertiesLoosened = "request-max-properties-loosened", Info, "`maxProperties` of a request object was removed or raised";
    ResponseMaxPropertiesLoosened = "response-max-properties-loosened", Warning, "`maxProperties` of a response object was removed or raised";
    ResponseMaxPropertiesTightened = "response-max-properties-tightened", Info, "`maxProperties` of a response object was added or lowered";
    RequestMinPropertiesTightened = "request-min-properties-tightened", Breaking, "`minProperties` of a request object was added or raised";
    RequestMinPropertiesLoosened = "request-min-properties-loosened", Info, "`minProperties` of a request object was removed or lowered";
    ResponseMinPropertiesLoosened = "response-min-properties-loosened", Warning, "`minProperties` of a response object was removed or lowered";
    ResponseMinPropertiesTightened = "response-min-properties-tightened", Info, "`minProperties` of a response object was added or raised";
    RequestPatternTightened = "request-pattern-tightened", Breaking, "`pattern` of a request string was added, or changed to accept fewer or other strings";
    RequestPatternLoosened = "request-pattern-loosened", Info, "`pattern` of a request string was removed, or changed to accept more strings";
    ResponsePatternLoosened = "response-pattern-loosened", Warning, "`pattern` of a response string was removed, or changed to accept more or other strings";
    ResponsePatternTightened = "response-pattern-tightened", Info, "`pattern` of a response string was added, or changed to accept fewer strings";
    RequestMultipleOfTightened = "request-multiple-of-tightened", Breaking, "`multipleOf` of a request number was added or changed to a stricter step";
    RequestMultipleOfLoosened = "request-multiple-of-loosened", Info, "`multipleOf` of a request number was removed or relaxed";
    ResponseMultipleOfLoosened = "response-multiple-of-loosened", Warning, "`multipleOf` of a response number was removed or relaxed";
    ResponseMultipleOfTightened = "response-multiple-of-tightened", Info, "`multipleOf` of a response number was added or made stricter";
    RequestUniqueItemsTightened = "request-unique-items-tightened", Breaking, "a request array now requires unique items";
    RequestUniqueItemsLoosened = "request-unique-items-loosened", Info, "a request array no longer requires unique items";
    ResponseUniqueItemsLoosened = "response-unique-items-loosened", Warning, "a response array no longer guarantees unique items";
    ResponseUniqueItemsTightened = "response-unique-items-tightened", Info, "a response array now guarantees unique items";

    // Security schemes (`components.securitySchemes`).
    SecuritySchemeRemoved = "security-scheme-removed", Security, "a security scheme was removed";
    SecuritySchemeAdded = "security-scheme-added", Info, "a security scheme was added";
    SecuritySchemeTypeChanged = "security-scheme-type-changed", Security, "a security scheme changed type (e.g. apiKey to oauth2)";
    SecuritySchemeApiKeyChanged = "security-scheme-api-key-changed", Security, "an API key moved (`in`) or was renamed (`name`)";
    SecuritySchemeHttpSchemeChanged = "security-scheme-http-scheme-changed", Security, "an HTTP auth scheme changed (e.g. basic to bearer)";
    SecuritySchemeBearerFormatChanged = "security-scheme-bearer-format-changed", Warning, "the bearer token format changed";
    SecuritySchemeOauthFlowRemoved = "security-scheme-oauth-flow-removed", Security, "an OAuth2 flow was removed";
    SecuritySchemeOauthFlowAdded = "security-scheme-oauth-flow-added", Security, "an OAuth2 flow was added: a new way to obtain tokens";
    SecuritySchemeOauthUrlChanged = "security-scheme-oauth-url-changed", Security, "an OAuth2 authorization, token or refresh URL changed";
    SecuritySchemeScopeRemoved = "security-scheme-scope-removed", Security, "an OAuth2 scope was removed from a scheme";
    SecuritySchemeScopeAdded = "security-scheme-scope-added", Info, "an OAuth2 scope was added to a scheme";
    SecuritySchemeOpenidUrlChanged = "security-scheme-openid-url-changed", Security, "an OpenID Connect discovery URL changed";

    // Security requirements (document-level `security` and each operation's).
    SecurityRequirementRemoved = "security-requirement-removed", Security, "authentication is no longer required (fail-open)";
    SecurityRequirementMadeOptional = "security-requirement-made-optional", Security, "authentication became optional (`{}` alternative added)";
    SecurityRequirementAdded = "security-requirement-added", Breaking, "authentication is now required: old clients send none";
    SecurityAlternativeAdded = "security-alternative-added", Security, "a new way to authenticate is accepted";
    SecurityAlternativeRemoved = "security-alternative-removed", Breaking, "a way to authenticate is no longer accepted";
    SecurityScopesAdded = "security-scopes-added", Security, "an operation requires more scopes: tokens must be broadened (privilege creep)";
    SecurityScopesRemoved = "security-scopes-removed", Security, "an operation requires fewer scopes";
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert!(!id.starts_with('-') && !id.ends_with('-') && !id.contains("--"));
            assert_eq!(Rule::from_id(id), Some(*rule));
            assert!(!rule.summary().is_empty() && !rule.summary().contains('\n'));
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Security > Severity::Breaking);
        assert!(Severity::Breaking > Severity::Warning);
        assert!(Severity::Warning > Severity::Info);
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
    }
}
