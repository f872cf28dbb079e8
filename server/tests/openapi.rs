//! The OpenAPI document committed as `server/openapi.json`, which the post office's and banks'
//! systems integrate through, is exactly what the routes and the `asxh-api` types generate.

const REGENERATE: &str = "cargo run -q -p asxh-server -- openapi > server/openapi.json";

#[test]
fn the_committed_openapi_document_is_what_the_code_generates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path} ({e}); create it with `{REGENERATE}`"));
    let generated = asxh_server::api::openapi_json_text();
    assert!(
        committed == generated,
        "server/openapi.json differs from what the code generates; if the API change is \
         intended, regenerate it with `{REGENERATE}` and commit it"
    );
}

#[test]
fn the_document_lists_every_route_of_the_api_with_its_bodies() {
    let doc: serde_json::Value =
        serde_json::from_str(asxh_server::api::openapi_json_text()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/healthz",
        "/v1/cards",
        "/v1/cards/{serial}",
        "/v1/cards/{serial}/activate",
        "/v1/cards/{serial}/void",
        "/v1/revocations",
        "/v1/root-key",
        "/v1/trust-list",
        "/v1/revocation-list",
        "/v1/audit",
        "/v1/openapi.json",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
    }
    assert_eq!(
        doc["paths"]["/v1/cards"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/IssueRequest"
    );
    let statuses = &doc["components"]["schemas"]["CardStatus"]["enum"];
    assert_eq!(
        statuses,
        &serde_json::json!(["pending", "active", "void", "revoked"])
    );
}
