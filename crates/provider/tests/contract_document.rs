//! The hand-written types say what `openapi.json` says: every field a type writes is a property
//! of its schema, every required property is written, and every path the client calls exists
//! with its method.

use provider::model::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn document() -> Value {
    serde_json::from_str(provider::OPENAPI).expect("openapi.json is JSON")
}

/// Checks one serialized value against a schema, following `$ref`s into nested objects.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("a schema name");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    };
    match schema["type"].as_str() {
        Some("object") => {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{at} is an object"));
            if let Some(properties) = schema["properties"].as_object() {
                for (key, field) in object {
                    let property = properties
                        .get(key)
                        .unwrap_or_else(|| panic!("{at}.{key} is not in the contract"));
                    if !(field.is_null() && property["nullable"] == true) {
                        conforms(doc, property, field, &format!("{at}.{key}"));
                    }
                }
                for required in schema["required"].as_array().into_iter().flatten() {
                    let key = required.as_str().expect("a name");
                    assert!(object.contains_key(key), "{at} lacks required {key}");
                }
            }
        }
        Some("array") => {
            for (i, item) in value.as_array().expect("an array").iter().enumerate() {
                conforms(doc, &schema["items"], item, &format!("{at}[{i}]"));
            }
        }
        Some("string") => {
            let text = value.as_str().unwrap_or_else(|| panic!("{at} is a string"));
            if let Some(allowed) = schema["enum"].as_array() {
                assert!(
                    allowed.iter().any(|a| a == text),
                    "{at}: {text} is not in the enum"
                );
            }
        }
        Some("integer") => assert!(value.is_u64() || value.is_i64(), "{at} is an integer"),
        other => panic!("{at}: schema type {other:?} not handled"),
    }
}

fn check<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    schema: &str,
    example: T,
) {
    let doc = document();
    let value = serde_json::to_value(&example).expect("serializes");
    conforms(
        &doc,
        &json!({ "$ref": format!("#/components/schemas/{schema}") }),
        &value,
        schema,
    );
    let back: T = serde_json::from_value(value).expect("reads back");
    assert_eq!(back, example);
}

#[test]
fn every_type_matches_its_schema_in_the_contract() {
    check(
        "ProviderInfo",
        ProviderInfo {
            name: "Operator Online".into(),
            sub_processors: vec![SubProcessor {
                name: "Microsoft Azure".into(),
                purpose: "hosting".into(),
                location: "EU".into(),
            }],
        },
    );
    check(
        "DataPage",
        DataPage {
            records: vec![DataRecord {
                kind: RecordKind::Directory,
                id: "dir-1".into(),
                fields: BTreeMap::from([("listed".into(), "yes".into())]),
            }],
            next_page: Some("2".into()),
        },
    );
    check(
        "Correction",
        Correction {
            changes: vec![FieldChange {
                record_id: "num-1".into(),
                field: "holder_name".into(),
                value: "Bakkerij De Vries".into(),
            }],
        },
    );
    check("Applied", Applied { applied: 1 });
    check(
        "UsagePurge",
        UsagePurge {
            before_month: "2026-05".into(),
        },
    );
    check(
        "Accepted",
        Accepted {
            operation_id: "op-1".into(),
        },
    );
    check(
        "Operation",
        Operation {
            id: "op-1".into(),
            status: OperationStatus::Failed,
            error: Some("not found".into()),
        },
    );
    check(
        "Problem",
        Problem {
            code: "not_found".into(),
            message: "no such subscriber".into(),
        },
    );
}

#[test]
fn the_contract_has_every_operation_the_client_calls_and_changes_need_an_idempotency_key() {
    let doc = document();
    let expected = [
        ("/v1/provider", "get"),
        ("/v1/subscribers/{subscriberId}/data", "get"),
        ("/v1/subscribers/{subscriberId}/fields", "patch"),
        ("/v1/subscribers/{subscriberId}/erasure", "post"),
        ("/v1/directory/{number}/unlist", "post"),
        ("/v1/usage/purge", "post"),
        ("/v1/operations/{operationId}", "get"),
    ];
    let mut seen = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("methods") {
            seen.insert((path.clone(), method.clone()));
            let headers: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["$ref"].as_str())
                .collect();
            let changes = method != "get";
            assert_eq!(
                headers.contains(&"#/components/parameters/IdempotencyKey"),
                changes,
                "{method} {path}: an Idempotency-Key exactly on changing calls"
            );
        }
    }
    let expected: BTreeSet<_> = expected
        .iter()
        .map(|(p, m)| ((*p).to_owned(), (*m).to_owned()))
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(
        doc["components"]["securitySchemes"]["apiKey"]["name"],
        "X-Api-Key"
    );
}

#[test]
fn subscriber_ids_and_idempotency_keys_are_parsed() {
    assert!(SubscriberId::parse("OO-100234").is_ok());
    for bad in ["OO-12345", "OO-1234567", "XX-123456", "OO-12345a", ""] {
        assert!(SubscriberId::parse(bad).is_err(), "{bad}");
    }
    assert!(IdempotencyKey::new("job-0123456789abcdef").is_some());
    assert!(IdempotencyKey::new("short").is_none());
    assert!(IdempotencyKey::new("has spaces in it, not allowed").is_none());
}
